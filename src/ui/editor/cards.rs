//! The form's sections: the block's own fields, one group per card occurrence, and the
//! nodes this app does not edit.

use leptos::prelude::*;

use super::super::fields::{FieldEditor, FieldState};
use super::super::use_lang;
use crate::core::i18n::{tr, trf, Msg};
use crate::core::model::{Field, GroupKind, ReadOnlyNode};
use crate::messages;

/// A group's title: "Block content", or the card's name and number with its label.
fn group_title(lang: crate::core::i18n::Lang, kind: &GroupKind) -> (String, Option<String>) {
    match kind {
        GroupKind::Block => (tr(lang, Msg::BlockContent).to_string(), None),
        GroupKind::Card {
            name,
            number,
            label,
        } => (
            trf(lang, Msg::CardTitle, &[name, &number.to_string()]),
            (!label.is_empty()).then(|| label.clone()),
        ),
    }
}

/// One group of fields; `members` are (index in the form, field, its state).
#[component]
pub fn CardGroup(kind: GroupKind, members: Vec<(usize, Field, FieldState)>) -> impl IntoView {
    let lang = use_lang();
    let class = match kind {
        GroupKind::Block => "group",
        GroupKind::Card { .. } => "group group-card",
    };
    let (title, label) = group_title(lang, &kind);
    let fields = members
        .into_iter()
        .map(|(index, field, state)| view! { <FieldEditor index field state/> })
        .collect_view();
    view! {
        <section class=class>
            <h2 class="group-title">
                {title}
                {label.map(|label| view! { <span class="group-label">{label}</span> })}
            </h2>
            {fields}
        </section>
    }
}

/// The nodes listed read-only, with why.
#[component]
pub fn ReadOnlyNodes(nodes: Vec<ReadOnlyNode>) -> impl IntoView {
    let lang = use_lang();
    let items = nodes
        .into_iter()
        .map(|node| view! { <ReadOnlyItem node/> })
        .collect_view();
    view! {
        <section class="group group-readonly">
            <h2 class="group-title">{tr(lang, Msg::ReadOnlyNodesTitle)}</h2>
            <ul class="readonly-list">{items}</ul>
        </section>
    }
}

#[component]
fn ReadOnlyItem(node: ReadOnlyNode) -> impl IntoView {
    let lang = use_lang();
    view! {
        <li>
            <span class="readonly-name">{messages::read_only_name(lang, &node.name, &node.kind)}</span>
            <code class="selector">{node.selector}</code>
            <span class="readonly-reason">{messages::read_only_reason(lang, &node.kind)}</span>
        </li>
    }
}
