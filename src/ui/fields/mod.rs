//! One editor per field, by node type. Every input has a visible label tied to
//! it; block content is only ever shown as text or as input values.

mod embed;
mod icon;
mod image;
mod link;
mod link_picker;
mod text;
mod upload;

use leptos::either::EitherOf6;
use leptos::prelude::*;

use super::use_lang;
use crate::core::health::{finding_text, FindingKind};
use crate::core::i18n::{tr, Msg};
use crate::core::model::{has_unsafe_url, Field, FieldValue, NodeKind};
use crate::messages;
use embed::EmbedField;
use icon::IconField;
use image::ImageField;
use link::LinkField;
pub use link_picker::provide_link_picks;
use text::TextField;
pub use upload::provide_upload_target;

/// What a field editor reads and drives.
#[derive(Clone, Copy)]
pub struct FieldState {
    pub value: RwSignal<FieldValue>,
    /// The value differs from the loaded (or last saved) one.
    pub changed: Signal<bool>,
    /// Read-only access (a save in flight makes the whole form inert instead).
    pub read_only: bool,
    /// The image preview's natural size once it loaded (for the health check).
    pub natural_size: RwSignal<Option<(u32, u32)>>,
    /// What the health check finds in this field.
    pub findings: Memo<Vec<FindingKind>>,
}

/// Reads one part of a value as text; [`Write`] puts typed text back. Plain function
/// pointers, so one copy of [`PartInput`] serves every part.
pub type Read = fn(&FieldValue) -> String;
pub type Write = fn(&mut FieldValue, String);

/// The kinds edited through a single control, which the field's name labels.
fn single_control(kind: &NodeKind) -> bool {
    matches!(kind, NodeKind::Text | NodeKind::Icon | NodeKind::Embed)
}

/// The editor of `field` (number `index` in the form).
#[component]
pub fn FieldEditor(index: usize, field: Field, state: FieldState) -> impl IntoView {
    let lang = use_lang();
    let FieldState {
        value,
        changed,
        findings,
        ..
    } = state;
    let id = format!("f{index}");
    let findings_id = format!("{id}-findings");
    let name_id = format!("{id}-name");
    let labelled_by = name_id.clone();
    let kind_label = messages::kind_name(lang, &field.kind);
    let name = if field.name.is_empty() {
        kind_label.to_string()
    } else {
        field.name.clone()
    };
    let single = single_control(&field.kind);
    let body = match field.kind {
        NodeKind::Text => {
            let original = match &field.original {
                FieldValue::Text(text) => text.clone(),
                _ => String::new(),
            };
            EitherOf6::A(view! { <TextField id=id.clone() state original/> })
        }
        NodeKind::Link => EitherOf6::B(view! { <LinkField id=id.clone() state/> }),
        NodeKind::Img => {
            let background = field.preserved.background;
            let dimensions = field.dimensions;
            EitherOf6::C(view! {
                <ImageField id=id.clone() state name=name.clone() background dimensions/>
            })
        }
        NodeKind::Icon => EitherOf6::D(view! { <IconField id=id.clone() state/> }),
        NodeKind::Embed => EitherOf6::E(view! { <EmbedField id=id.clone() state/> }),
        _ => EitherOf6::F(()),
    };
    // Only what the user typed is judged; loaded content is the portal's business.
    let unsafe_url = move || changed.get() && value.with(has_unsafe_url);
    view! {
        <div
            class="field"
            class:field-changed=changed
            class:field-findings=move || findings.with(|f| !f.is_empty())
            data-key=field.key
            role=(!single).then_some("group")
            aria-labelledby=labelled_by
        >
            <div class="field-head">
                <label class="field-name" id=name_id for=single.then_some(id)>{name}</label>
                <span class="field-kind">{kind_label}</span>
                {move || {
                    changed
                        .get()
                        .then(|| view! { <span class="badge-changed">{tr(lang, Msg::Changed)}</span> })
                }}
            </div>
            {body}
            {move || {
                unsafe_url()
                    .then(|| view! { <p class="field-error" role="alert">{tr(lang, Msg::UnsafeUrl)}</p> })
            }}
            <FieldFindings id=findings_id findings/>
        </div>
    }
}

/// A labelled single-line input editing one part of a field's value.
#[component]
pub fn PartInput(
    /// The input's id: the field's, with a suffix naming the part.
    id: String,
    label: Msg,
    /// The input's `type`: `text` or `url`.
    kind: &'static str,
    read: Read,
    write: Write,
    state: FieldState,
) -> impl IntoView {
    let lang = use_lang();
    let FieldState {
        value, read_only, ..
    } = state;
    view! {
        <div class="part">
            <label class="part-label" for=id.clone()>{tr(lang, label)}</label>
            <input
                id=id
                class="input"
                type=kind
                autocomplete="off"
                spellcheck=if kind == "url" { "false" } else { "true" }
                readonly=read_only
                prop:value=Signal::derive(move || value.with(read))
                on:input=move |event| {
                    let text = event_target_value(&event);
                    value.update(|v| write(v, text));
                }
            />
        </div>
    }
}

/// The hint below a field's only control, which names it in `aria-describedby`.
#[component]
pub fn Hint(
    id: String,
    text: Msg,
    /// Shown always when not given.
    #[prop(optional)]
    hidden: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="hint" id=id hidden=hidden>{tr(lang, text)}</p> }
}

/// The health check's marks on a field: what it found there, in words.
#[component]
fn FieldFindings(id: String, findings: Memo<Vec<FindingKind>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        findings.with(|found| {
            (!found.is_empty()).then(|| {
                let items = found
                    .iter()
                    .map(|kind| view! { <li>{finding_text(lang, kind)}</li> })
                    .collect_view();
                view! { <ul class="findings" id=id.clone()>{items}</ul> }
            })
        })
    }
}
