//! A text node with markup, edited formatted: a `contenteditable` showing the node
//! sanitized, a toolbar, shortcuts, Enter as the node breaks lines, cleaned pastes, refused
//! drops. Its value is what `core::rich_text::edited_value` makes of the edited HTML.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, DataTransfer, DragEvent, KeyboardEvent, Range};

use super::commands::{exec, has_files, link_at, pressed, range_in, select, select_link};
use super::link_form::LinkForm;
use super::toolbar::Toolbar;
use super::{text_of, FieldState};
use crate::core::i18n::{tr, Msg};
use crate::core::model::FieldValue;
use crate::core::rich_text::{
    clean_paste, edited_value, lines_of, on_enter, shortcut, shown, Format, Insert,
};
use crate::core::sanitize::{escape_attr, escape_text};
use crate::ui::use_lang;

/// A paste's or a drop's content, cleaned, at the selection.
fn insert_clean(data: &DataTransfer) {
    let html = data.get_data("text/html").unwrap_or_default();
    if html.trim().is_empty() {
        exec(
            "insertText",
            &data.get_data("text/plain").unwrap_or_default(),
        );
    } else {
        exec("insertHTML", &clean_paste(&html));
    }
}

#[component]
pub fn FormattedText(id: String, state: FieldState, original: String) -> impl IntoView {
    let lang = use_lang();
    let FieldState {
        value, read_only, ..
    } = state;
    let lines = lines_of(&original);
    let original = StoredValue::new(original);
    let editor = NodeRef::<Div>::new();
    let on = RwSignal::new(Vec::<Format>::new());
    // The editor's last selection: a toolbar button or the link form acts on it.
    let kept = StoredValue::new_local(None::<Range>);
    // The value this editor wrote last: any other is shown anew (Discard, a draft).
    let written = StoredValue::new(None::<String>);
    let notice = RwSignal::new(None::<Msg>);
    let link_form = RwSignal::new(None::<String>);

    Effect::new(move || {
        let text = value.with(text_of);
        let Some(element) = editor.get() else {
            return;
        };
        if written.with_value(|w| w.as_deref() != Some(text.as_str())) {
            element.set_inner_html(&shown(&text));
            written.set_value(Some(text));
        }
    });

    let refresh = move || {
        let Some(element) = editor.get_untracked() else {
            return;
        };
        if let Some(range) = range_in(&element) {
            kept.set_value(Some(range));
        }
        on.set(pressed(&element));
    };
    follow_selection(refresh);

    // Back to the editor's selection, for a command to act on: the one in it now, else the
    // last one (the focus went to a button or the link form).
    let restore = move || {
        let element = editor.get_untracked()?;
        if let Some(range) = range_in(&element) {
            kept.set_value(Some(range));
            return Some(element);
        }
        // Taken first: focusing puts the caret at the start, and the focus handler keeps it.
        let last = kept.get_value();
        let _ = element.focus();
        if let Some(range) = last {
            select(&range);
            kept.set_value(Some(range));
        }
        Some(element)
    };
    let current_link = move || {
        let element = editor.get_untracked()?;
        link_at(&element, &kept.get_value()?)
    };
    let apply = Callback::new(move |format: Format| {
        if read_only || restore().is_none() {
            return;
        }
        if format == Format::Link {
            let href = current_link()
                .and_then(|link| link.get_attribute("href"))
                .unwrap_or_default();
            link_form.set(Some(href));
            return;
        }
        exec(format.command(), "");
        refresh();
    });
    let on_link = Callback::new(move |href: String| {
        link_form.set(None);
        if restore().is_none() {
            return;
        }
        if let Some(link) = current_link() {
            select_link(&link);
            exec("createLink", &href);
        } else if kept.get_value().is_none_or(|range| range.collapsed()) {
            // Nothing selected: the address itself becomes the link's text.
            let html = format!(
                "<a href=\"{}\">{}</a>",
                escape_attr(&href),
                escape_text(&href)
            );
            exec("insertHTML", &html);
        } else {
            exec("createLink", &href);
        }
        refresh();
    });
    let on_unlink = Callback::new(move |()| {
        link_form.set(None);
        if restore().is_some() {
            if let Some(link) = current_link() {
                select_link(&link);
                exec("unlink", "");
            }
            refresh();
        }
    });
    let on_cancel = Callback::new(move |()| {
        link_form.set(None);
        restore();
    });

    let on_input = move |_| {
        let Some(element) = editor.get_untracked() else {
            return;
        };
        notice.set(None);
        let next = edited_value(&original.read_value(), &element.inner_html());
        written.set_value(Some(next.clone()));
        value.set(FieldValue::Text(next));
        refresh();
    };
    let on_keydown = move |event: KeyboardEvent| {
        let command = event.ctrl_key() || event.meta_key();
        if event.key() == "Enter" && !command && !event.alt_key() {
            // The browser's own Enter makes `<div>`s; the node's markup decides.
            event.prevent_default();
            if read_only {
                return;
            }
            match on_enter(lines, event.shift_key()) {
                Insert::Paragraph => {
                    exec("defaultParagraphSeparator", "p");
                    exec("insertParagraph", "");
                }
                Insert::LineBreak => {
                    exec("insertLineBreak", "");
                }
            }
        } else if let Some(format) = shortcut(&event.key(), command, event.alt_key()) {
            event.prevent_default();
            apply.run(format);
        }
    };
    let on_paste = move |event: ClipboardEvent| {
        event.prevent_default();
        let Some(data) = event.clipboard_data() else {
            return;
        };
        if has_files(&data) {
            notice.set(Some(Msg::TextNoDrop));
        } else if !read_only {
            insert_clean(&data);
        }
    };
    let on_drop = move |event: DragEvent| {
        // A drop would insert what it carries as is: pictures, foreign markup.
        event.prevent_default();
        let Some(data) = event.data_transfer() else {
            return;
        };
        if has_files(&data) {
            notice.set(Some(Msg::TextNoDrop));
        } else if !read_only {
            insert_clean(&data);
        }
    };
    let form_id = format!("{id}-link");
    view! {
        <Toolbar controls=id.clone() pressed=on apply disabled=read_only/>
        <div
            id=id.clone()
            node_ref=editor
            class="input formatted"
            role="textbox"
            aria-multiline="true"
            aria-labelledby=format!("{id}-name")
            contenteditable=if read_only { "false" } else { "true" }
            spellcheck="true"
            on:input=on_input
            on:keydown=on_keydown
            on:paste=on_paste
            on:drop=on_drop
            on:focus=move |_| refresh()
        ></div>
        {move || link_form.get().map(|initial| view! {
            <LinkForm id=form_id.clone() initial on_apply=on_link on_remove=on_unlink on_cancel/>
        })}
        <p class="field-notice" role="status" hidden=move || notice.with(Option::is_none)>
            {move || notice.get().map(|msg| tr(lang, msg))}
        </p>
    }
}

/// Runs `refresh` on every selection change in the document while the field is shown:
/// the toolbar's pressed states follow the caret, by mouse or keyboard.
fn follow_selection(refresh: impl Fn() + 'static) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let listener = Closure::<dyn FnMut()>::new(refresh);
    let _ = document
        .add_event_listener_with_callback("selectionchange", listener.as_ref().unchecked_ref());
    let listener = StoredValue::new_local(Some(listener));
    on_cleanup(move || {
        if let Some(listener) = listener.try_update_value(Option::take).flatten() {
            let _ = document_remove(&listener);
        }
    });
}

fn document_remove(listener: &Closure<dyn FnMut()>) -> Option<()> {
    web_sys::window()?
        .document()?
        .remove_event_listener_with_callback("selectionchange", listener.as_ref().unchecked_ref())
        .ok()
}
