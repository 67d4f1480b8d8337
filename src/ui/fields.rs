//! One editor per field, by node type. Every input has a visible label tied to
//! it; block content is only ever shown as text or as input values.

use leptos::prelude::*;

use super::use_lang;
use crate::core::i18n::{tr, trf, Msg};
use crate::core::model::{embed_from_url, has_unsafe_url, Field, FieldValue, NodeKind};
use crate::messages;

/// Only web addresses are previewed; anything else (data:, javascript:) is not loaded.
fn previewable(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("https://") || url.starts_with("http://") || url.starts_with("//")
}

#[component]
pub fn FieldEditor(
    index: usize,
    field: Field,
    value: RwSignal<FieldValue>,
    changed: Signal<bool>,
    locked: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f{index}");
    let kind_label = messages::kind_name(lang, &field.kind);
    let name = if field.name.is_empty() {
        kind_label.to_string()
    } else {
        field.name.clone()
    };
    let badge = move || {
        changed
            .get()
            .then(|| view! { <span class="badge-changed">{tr(lang, Msg::Changed)}</span> })
    };
    let body = match field.kind {
        NodeKind::Text => text_input(&id, value, locked).into_any(),
        NodeKind::Link => link_inputs(&id, value, locked).into_any(),
        NodeKind::Img => {
            image_inputs(&id, value, locked, &name, field.preserved.background).into_any()
        }
        NodeKind::Icon => icon_input(&id, value, locked).into_any(),
        NodeKind::Embed => embed_input(&id, value, locked).into_any(),
        _ => ().into_any(),
    };
    // Only what the user typed is judged; loaded content is the portal's business.
    let unsafe_url = move || changed.get() && value.with(has_unsafe_url);
    let single_input = matches!(
        field.kind,
        NodeKind::Text | NodeKind::Icon | NodeKind::Embed
    );
    let label_for = single_input.then(|| id.clone());
    view! {
        <div
            class="field"
            class:field-changed=move || changed.get()
            data-key=field.key.clone()
            role=(!single_input).then_some("group")
            aria-labelledby=format!("{id}-name")
        >
            <div class="field-head">
                <label class="field-name" id=format!("{id}-name") for=label_for>{name.clone()}</label>
                <span class="field-kind">{kind_label}</span>
                {badge}
            </div>
            {body}
            {move || {
                unsafe_url()
                    .then(|| view! { <p class="field-error" role="alert">{tr(lang, Msg::UnsafeUrl)}</p> })
            }}
        </div>
    }
}

fn text_input(id: &str, value: RwSignal<FieldValue>, locked: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let hint_id = format!("{id}-hint");
    let text = move || match value.get() {
        FieldValue::Text(text) => text,
        _ => String::new(),
    };
    // Plain text reads as text; markup is shown as source, with a word on why.
    let has_markup = move || value.with(|v| matches!(v, FieldValue::Text(t) if t.contains('<')));
    let rows = move || (text().lines().count() + 1).clamp(2, 12);
    view! {
        <textarea
            id=id.to_string()
            class="input textarea"
            class:textarea-html=has_markup
            rows=rows
            aria-describedby=hint_id.clone()
            readonly=move || locked.get()
            prop:value=text
            on:input=move |event| value.set(FieldValue::Text(event_target_value(&event)))
        ></textarea>
        <p class="hint" id=hint_id hidden=move || !has_markup()>
            {tr(lang, Msg::TextHint)}
        </p>
    }
}

/// A labelled single-line input editing one part of a field's value.
/// `read` and `write` are plain function pointers, so the view is built by one
/// copy of this function for all five parts rather than one per closure type.
fn part_input(
    id: String,
    label: Msg,
    kind: &'static str,
    read: fn(&FieldValue) -> String,
    write: fn(&mut FieldValue, String),
    value: RwSignal<FieldValue>,
    locked: Signal<bool>,
) -> AnyView {
    let lang = use_lang();
    view! {
        <div class="part">
            <label class="part-label" for=id.clone()>{tr(lang, label)}</label>
            <input
                id=id
                class="input"
                type=kind
                autocomplete="off"
                spellcheck=if kind == "url" { "false" } else { "true" }
                readonly=move || locked.get()
                prop:value=move || value.with(read)
                on:input=move |event| {
                    let text = event_target_value(&event);
                    value.update(|v| write(v, text));
                }
            />
        </div>
    }
    .into_any()
}

fn link_inputs(id: &str, value: RwSignal<FieldValue>, locked: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let tab_id = format!("{id}-tab");
    view! {
        {part_input(
            format!("{id}-text"),
            Msg::LinkText,
            "text",
            |v| match v { FieldValue::Link { text, .. } => text.clone(), _ => String::new() },
            |v, new| if let FieldValue::Link { text, .. } = v { *text = new },
            value,
            locked,
        )}
        {part_input(
            format!("{id}-url"),
            Msg::LinkUrl,
            "url",
            |v| match v { FieldValue::Link { href, .. } => href.clone(), _ => String::new() },
            |v, new| if let FieldValue::Link { href, .. } = v { *href = new },
            value,
            locked,
        )}
        <div class="part part-check">
            <input
                id=tab_id.clone()
                type="checkbox"
                disabled=move || locked.get()
                prop:checked=move || matches!(value.get(), FieldValue::Link { new_tab: true, .. })
                on:change=move |event| {
                    let checked = event_target_checked(&event);
                    value.update(|v| if let FieldValue::Link { new_tab, .. } = v { *new_tab = checked });
                }
            />
            <label for=tab_id>{tr(lang, Msg::LinkNewTab)}</label>
        </div>
    }
}

/// `background`: the image is a CSS background, which has no alternative text: the portal
/// saves none for it, so no input is offered (a typed one would be silently lost).
fn image_inputs(
    id: &str,
    value: RwSignal<FieldValue>,
    locked: Signal<bool>,
    name: &str,
    background: bool,
) -> impl IntoView {
    let lang = use_lang();
    let src = move || match value.get() {
        FieldValue::Img { src, .. } => src,
        _ => String::new(),
    };
    let preview_alt = trf(lang, Msg::ImagePreviewAlt, &[name]);
    // An address that does not load shows the empty frame, not a broken image.
    let broken = RwSignal::new(false);
    Effect::new(move || {
        src();
        broken.set(false);
    });
    view! {
        <div class="image-field">
            <div class="image-preview">
                {move || {
                    let url = src();
                    previewable(&url).then(|| view! {
                        <img
                            src=url
                            alt=preview_alt.clone()
                            loading="lazy"
                            referrerpolicy="no-referrer"
                            class:broken=move || broken.get()
                            on:error=move |_| broken.set(true)
                        />
                    })
                }}
            </div>
            <div class="image-parts">
                {part_input(
                    format!("{id}-src"),
                    Msg::ImageUrl,
                    "url",
                    |v| match v { FieldValue::Img { src, .. } => src.clone(), _ => String::new() },
                    |v, new| if let FieldValue::Img { src, .. } = v { *src = new },
                    value,
                    locked,
                )}
                {(!background).then(|| part_input(
                    format!("{id}-alt"),
                    Msg::ImageAlt,
                    "text",
                    |v| match v { FieldValue::Img { alt, .. } => alt.clone(), _ => String::new() },
                    |v, new| if let FieldValue::Img { alt, .. } = v { *alt = new },
                    value,
                    locked,
                ))}
                {part_input(
                    format!("{id}-src2x"),
                    Msg::ImageSrc2x,
                    "url",
                    |v| match v { FieldValue::Img { src2x, .. } => src2x.clone(), _ => String::new() },
                    |v, new| if let FieldValue::Img { src2x, .. } = v { *src2x = new },
                    value,
                    locked,
                )}
            </div>
        </div>
    }
}

fn icon_input(id: &str, value: RwSignal<FieldValue>, locked: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let hint_id = format!("{id}-hint");
    view! {
        <input
            id=id.to_string()
            class="input"
            type="text"
            autocomplete="off"
            spellcheck="false"
            aria-describedby=hint_id.clone()
            readonly=move || locked.get()
            prop:value=move || match value.get() { FieldValue::Icon { classes } => classes, _ => String::new() }
            on:input=move |event| value.set(FieldValue::Icon { classes: event_target_value(&event) })
        />
        <p class="hint" id=hint_id>{tr(lang, Msg::IconHint)}</p>
    }
}

fn embed_input(id: &str, value: RwSignal<FieldValue>, locked: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let hint_id = format!("{id}-hint");
    // The address people know is the page's (source); the player address is derived.
    let address = |value: &FieldValue| match value {
        FieldValue::Embed { source, src, .. } if source.is_empty() => src.clone(),
        FieldValue::Embed { source, .. } => source.clone(),
        _ => String::new(),
    };
    // What the user typed stays as typed (a youtu.be link is not rewritten under the
    // cursor); it follows the value only when the value changes from outside (Discard).
    let typed = RwSignal::new(value.with_untracked(address));
    Effect::new(move || {
        let current = value.get();
        let derived = typed.with_untracked(|text| embed_from_url(text, &current));
        if derived != current {
            typed.set(address(&current));
        }
    });
    view! {
        <input
            id=id.to_string()
            class="input"
            type="url"
            autocomplete="off"
            spellcheck="false"
            aria-describedby=hint_id.clone()
            readonly=move || locked.get()
            prop:value=move || typed.get()
            on:input=move |event| {
                let url = event_target_value(&event);
                typed.set(url.clone());
                value.update(|v| *v = embed_from_url(&url, v));
            }
        />
        <p class="hint" id=hint_id>{tr(lang, Msg::EmbedHint)}</p>
    }
}
