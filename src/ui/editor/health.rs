//! The health check's panel: what is still wrong or unfinished in the block, each finding
//! a button that takes the user to its field. It only informs: Save never waits on it.

use leptos::either::Either;
use leptos::prelude::*;

use super::super::use_lang;
use super::EditorState;
use crate::core::cards::CardStructure;
use crate::core::health::finding_text;
use crate::core::i18n::{tr, trf, Lang, Msg};
use crate::core::model::BlockForm;
use crate::messages;

/// The field's name as its editor shows it, with the card's number when it sits in one.
fn field_title(lang: Lang, form: &BlockForm, cards: &CardStructure, index: usize) -> String {
    let Some(field) = form.fields.get(index) else {
        return String::new();
    };
    let name = if field.name.is_empty() {
        messages::kind_name(lang, &field.kind).to_string()
    } else {
        field.name.clone()
    };
    let number = field.card.map(|card| {
        cards
            .lists
            .get(card.card)
            .and_then(|l| l.cards.iter().position(|c| c.ordinal() == card.ordinal))
            .unwrap_or(card.ordinal)
            + 1
    });
    match number {
        Some(number) => trf(lang, Msg::CardTitle, &[&name, &number.to_string()]),
        None => name,
    }
}

#[component]
pub fn HealthPanel(state: EditorState) -> impl IntoView {
    let lang = use_lang();
    let findings = state.findings;
    let list = move || {
        // Card numbers follow a reorder.
        state.cards.track();
        findings.with(|found| {
            if found.is_empty() {
                return Either::Left(view! { <p class="health-clean">{tr(lang, Msg::HealthClean)}</p> });
            }
            let items = found
                .iter()
                .map(|finding| {
                    let index = finding.field;
                    let title = state.form.with_untracked(|form| {
                        state
                            .cards
                            .with_untracked(|cards| field_title(lang, form, cards, index))
                    });
                    view! {
                        <li>
                            <button type="button" class="finding" on:click=move |_| state.reveal(index)>
                                <span class="finding-field">{title}</span>
                                <span class="finding-text">{finding_text(lang, &finding.kind)}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            Either::Right(view! { <ul class="health-list">{items}</ul> })
        })
    };
    view! {
        <section class="health" aria-labelledby="health-title">
            <h2 class="health-title" id="health-title">
                {tr(lang, Msg::HealthTitle)}
                <span class="health-count">{move || findings.with(Vec::len)}</span>
            </h2>
            {list}
        </section>
    }
}
