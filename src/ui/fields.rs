//! One editor per field, by node type. Every input has a visible label tied to
//! it; block content is only ever shown as text or as input values.
//!
//! Built with the plain DOM helpers of [`super::node`]: every field is one of
//! a few shapes, and most inputs are alike (a text showing one part of the
//! value), so one function pointer pair per part says how it reads and writes.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use super::node::{append, el, set_class, set_flag, set_value, show, text_el, Keep};
use super::use_lang;
use crate::core::i18n::{tr, trf, Lang, Msg};
use crate::core::model::{embed_from_url, has_unsafe_url, Field, FieldValue, NodeKind};
use crate::messages;

/// Only web addresses are previewed; anything else (data:, javascript:) is not loaded.
fn previewable(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("https://") || url.starts_with("http://") || url.starts_with("//")
}

/// What a field editor reads and drives.
#[derive(Clone, Copy)]
pub struct FieldState {
    pub value: RwSignal<FieldValue>,
    /// The value differs from the loaded (or last saved) one.
    pub changed: Signal<bool>,
    /// Read-only access or a save in flight.
    pub locked: Signal<bool>,
}

type Read = fn(&FieldValue) -> String;
type Write = fn(&mut FieldValue, String);

/// Collects a field's controls while its body is built.
struct Builder<'a> {
    keep: &'a Keep,
    lang: Lang,
    /// The field's element id; its parts add a suffix.
    id: String,
    value: RwSignal<FieldValue>,
    /// Inputs that show one part of the value as text.
    texts: Vec<(Element, Read)>,
    /// Every control with the attribute that locks it.
    controls: Vec<(Element, &'static str)>,
}

impl Builder<'_> {
    /// Makes `control` show `read(value)`; typing in it applies `write`.
    fn text_control(&mut self, control: &Element, read: Read, write: Write) {
        let value = self.value;
        self.keep.on(control, "input", move |event| {
            let text = event_target_value(&event);
            value.update(|v| write(v, text));
        });
        self.texts.push((control.clone(), read));
        self.controls.push((control.clone(), "readonly"));
    }

    /// A labelled single-line input editing one part of the value.
    fn part(
        &mut self,
        parent: &Element,
        suffix: &str,
        label: Msg,
        kind: &str,
        read: Read,
        write: Write,
    ) {
        let id = format!("{}-{suffix}", self.id);
        let spellcheck = if kind == "url" { "false" } else { "true" };
        let input = el(
            "input",
            &[
                ("id", &id),
                ("class", "input"),
                ("type", kind),
                ("autocomplete", "off"),
                ("spellcheck", spellcheck),
            ],
        );
        let row = el("div", &[("class", "part")]);
        let label = text_el(
            "label",
            &[("class", "part-label"), ("for", &id)],
            tr(self.lang, label),
        );
        append(&row, &[&label, &input]);
        append(parent, &[&row]);
        self.text_control(&input, read, write);
    }

    /// The field's only control, described by a hint below it: (control, hint).
    fn single(
        &mut self,
        root: &Element,
        tag: &str,
        attrs: &[(&str, &str)],
        hint: Msg,
    ) -> (Element, Element) {
        let hint_id = format!("{}-hint", self.id);
        let control = el(tag, &[("id", &self.id), ("aria-describedby", &hint_id)]);
        for (name, value) in attrs {
            let _ = control.set_attribute(name, value);
        }
        let hint = text_el(
            "p",
            &[("class", "hint"), ("id", &hint_id)],
            tr(self.lang, hint),
        );
        append(root, &[&control, &hint]);
        (control, hint)
    }
}

/// The editor of `field` (number `index` in the form).
pub fn field_editor(keep: &Keep, index: usize, field: &Field, state: FieldState) -> Element {
    let lang = use_lang();
    let FieldState {
        value,
        changed,
        locked,
    } = state;
    let id = format!("f{index}");
    let name_id = format!("{id}-name");
    let kind_label = messages::kind_name(lang, &field.kind);
    let name = if field.name.is_empty() {
        kind_label
    } else {
        field.name.as_str()
    };
    let single_input = matches!(
        field.kind,
        NodeKind::Text | NodeKind::Icon | NodeKind::Embed
    );

    let root = el("div", &[("class", "field"), ("data-key", &field.key)]);
    if !single_input {
        let _ = root.set_attribute("role", "group");
    }
    let _ = root.set_attribute("aria-labelledby", &name_id);
    let head = el("div", &[("class", "field-head")]);
    let label = text_el("label", &[("class", "field-name"), ("id", &name_id)], name);
    if single_input {
        let _ = label.set_attribute("for", &id);
    }
    let kind = text_el("span", &[("class", "field-kind")], kind_label);
    append(&head, &[&label, &kind]);
    append(&root, &[&head]);

    let mut body = Builder {
        keep,
        lang,
        id,
        value,
        texts: Vec::new(),
        controls: Vec::new(),
    };
    match field.kind {
        NodeKind::Text => text_body(&mut body, &root),
        NodeKind::Link => link_body(&mut body, &root),
        NodeKind::Img => image_body(&mut body, &root, name, field.preserved.background),
        NodeKind::Icon => icon_body(&mut body, &root),
        NodeKind::Embed => embed_body(&mut body, &root),
        _ => {}
    }
    let Builder {
        texts, controls, ..
    } = body;
    keep.effect(move || {
        value.with(|current| {
            for (control, read) in &texts {
                set_value(control, &read(current));
            }
        })
    });
    keep.effect(move || {
        let locked = locked.get();
        for (control, attribute) in &controls {
            set_flag(control, attribute, locked);
        }
    });

    let badge = text_el(
        "span",
        &[("class", "badge-changed")],
        tr(lang, Msg::Changed),
    );
    let error = text_el(
        "p",
        &[("class", "field-error"), ("role", "alert")],
        tr(lang, Msg::UnsafeUrl),
    );
    let field_element = root.clone();
    keep.effect(move || {
        let changed = changed.get();
        set_class(&field_element, "field-changed", changed);
        show(&head, &badge, changed);
        // Only what the user typed is judged; loaded content is the portal's business.
        show(
            &field_element,
            &error,
            changed && value.with(has_unsafe_url),
        );
    });
    root
}

fn text_of(value: &FieldValue) -> String {
    match value {
        FieldValue::Text(text) => text.clone(),
        _ => String::new(),
    }
}

fn text_body(body: &mut Builder, root: &Element) {
    let (area, hint) = body.single(
        root,
        "textarea",
        &[("class", "input textarea")],
        Msg::TextHint,
    );
    body.text_control(&area, text_of, |v, text| *v = FieldValue::Text(text));
    // Plain text reads as text; markup is shown as source, with a word on why.
    let value = body.value;
    body.keep.effect(move || {
        let text = value.with(text_of);
        let rows = (text.lines().count() + 1).clamp(2, 12);
        let _ = area.set_attribute("rows", &rows.to_string());
        let markup = text.contains('<');
        set_class(&area, "textarea-html", markup);
        set_flag(&hint, "hidden", !markup);
    });
}

fn link_body(body: &mut Builder, root: &Element) {
    body.part(
        root,
        "text",
        Msg::LinkText,
        "text",
        |v| match v {
            FieldValue::Link { text, .. } => text.clone(),
            _ => String::new(),
        },
        |v, new| {
            if let FieldValue::Link { text, .. } = v {
                *text = new
            }
        },
    );
    body.part(
        root,
        "url",
        Msg::LinkUrl,
        "url",
        |v| match v {
            FieldValue::Link { href, .. } => href.clone(),
            _ => String::new(),
        },
        |v, new| {
            if let FieldValue::Link { href, .. } = v {
                *href = new
            }
        },
    );
    let tab_id = format!("{}-tab", body.id);
    let check = el("input", &[("id", &tab_id), ("type", "checkbox")]);
    let row = el("div", &[("class", "part part-check")]);
    let label = text_el("label", &[("for", &tab_id)], tr(body.lang, Msg::LinkNewTab));
    append(&row, &[&check, &label]);
    append(root, &[&row]);
    let value = body.value;
    body.keep.on(&check, "change", move |event| {
        let checked = event_target_checked(&event);
        value.update(|v| {
            if let FieldValue::Link { new_tab, .. } = v {
                *new_tab = checked
            }
        });
    });
    let shown = check.clone();
    body.keep.effect(move || {
        let checked = value.with(|v| matches!(v, FieldValue::Link { new_tab: true, .. }));
        shown
            .unchecked_ref::<HtmlInputElement>()
            .set_checked(checked);
    });
    body.controls.push((check, "disabled"));
}

/// `background`: the image is a CSS background, which has no alternative text: the portal
/// saves none for it, so no input is offered (a typed one would be silently lost).
fn image_body(body: &mut Builder, root: &Element, name: &str, background: bool) {
    let field = el("div", &[("class", "image-field")]);
    let preview = el("div", &[("class", "image-preview")]);
    let parts = el("div", &[("class", "image-parts")]);
    append(&field, &[&preview, &parts]);
    append(root, &[&field]);
    body.part(
        &parts,
        "src",
        Msg::ImageUrl,
        "url",
        |v| match v {
            FieldValue::Img { src, .. } => src.clone(),
            _ => String::new(),
        },
        |v, new| {
            if let FieldValue::Img { src, .. } = v {
                *src = new
            }
        },
    );
    if !background {
        body.part(
            &parts,
            "alt",
            Msg::ImageAlt,
            "text",
            |v| match v {
                FieldValue::Img { alt, .. } => alt.clone(),
                _ => String::new(),
            },
            |v, new| {
                if let FieldValue::Img { alt, .. } = v {
                    *alt = new
                }
            },
        );
    }
    body.part(
        &parts,
        "src2x",
        Msg::ImageSrc2x,
        "url",
        |v| match v {
            FieldValue::Img { src2x, .. } => src2x.clone(),
            _ => String::new(),
        },
        |v, new| {
            if let FieldValue::Img { src2x, .. } = v {
                *src2x = new
            }
        },
    );

    let alt = trf(body.lang, Msg::ImagePreviewAlt, &[name]);
    let image = el(
        "img",
        &[
            ("alt", &alt),
            ("loading", "lazy"),
            ("referrerpolicy", "no-referrer"),
        ],
    );
    // An address that does not load shows the empty frame, not a broken image.
    let failed = image.clone();
    body.keep
        .on(&image, "error", move |_| set_class(&failed, "broken", true));
    let value = body.value;
    let shown_src = RefCell::new(String::new());
    body.keep.effect(move || {
        let src = value.with(|v| match v {
            FieldValue::Img { src, .. } => src.clone(),
            _ => String::new(),
        });
        let visible = previewable(&src);
        if *shown_src.borrow() != src {
            set_class(&image, "broken", false);
            if visible {
                let _ = image.set_attribute("src", &src);
            }
            *shown_src.borrow_mut() = src;
        }
        show(&preview, &image, visible);
    });
}

fn icon_body(body: &mut Builder, root: &Element) {
    let (input, _) = body.single(
        root,
        "input",
        &[
            ("class", "input"),
            ("type", "text"),
            ("autocomplete", "off"),
            ("spellcheck", "false"),
        ],
        Msg::IconHint,
    );
    body.text_control(
        &input,
        |v| match v {
            FieldValue::Icon { classes } => classes.clone(),
            _ => String::new(),
        },
        |v, classes| *v = FieldValue::Icon { classes },
    );
}

/// The address people know is the page's (source); the player address is derived.
fn embed_address(value: &FieldValue) -> String {
    match value {
        FieldValue::Embed { source, src, .. } if source.is_empty() => src.clone(),
        FieldValue::Embed { source, .. } => source.clone(),
        _ => String::new(),
    }
}

fn embed_body(body: &mut Builder, root: &Element) {
    let (input, _) = body.single(
        root,
        "input",
        &[
            ("class", "input"),
            ("type", "url"),
            ("autocomplete", "off"),
            ("spellcheck", "false"),
        ],
        Msg::EmbedHint,
    );
    // What the user typed stays as typed (a youtu.be link is not rewritten under the
    // cursor); it follows the value only when the value changes from outside (Discard).
    let typed = Rc::new(RefCell::new(String::new()));
    let value = body.value;
    let typing = typed.clone();
    body.keep.on(&input, "input", move |event| {
        let url = event_target_value(&event);
        *typing.borrow_mut() = url.clone();
        value.update(|v| *v = embed_from_url(&url, v));
    });
    let shown = input.clone();
    body.keep.effect(move || {
        value.with(|current| {
            let follows = embed_from_url(&typed.borrow(), current) == *current;
            if !follows {
                let address = embed_address(current);
                set_value(&shown, &address);
                *typed.borrow_mut() = address;
            }
        })
    });
    body.controls.push((input, "readonly"));
}
