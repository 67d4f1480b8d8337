//! The health check's panel: what is still wrong or unfinished in the block, each finding
//! a button that takes the user to its field. It only informs: Save never waits on it.

use std::rc::Rc;

use leptos::either::Either;
use leptos::prelude::*;

use super::super::{use_lang, Loaded};
use super::go_to_field;
use crate::core::health::{finding_text, Finding};
use crate::core::i18n::{tr, trf, Lang, Msg};
use crate::messages;

/// The field's name as its editor shows it, with the card's number when it sits in one.
fn field_title(lang: Lang, loaded: &Loaded, index: usize) -> String {
    let Some(field) = loaded.form.fields.get(index) else {
        return String::new();
    };
    let name = if field.name.is_empty() {
        messages::kind_name(lang, &field.kind).to_string()
    } else {
        field.name.clone()
    };
    match &field.card {
        Some(card) => trf(
            lang,
            Msg::CardTitle,
            &[&name, &(card.ordinal + 1).to_string()],
        ),
        None => name,
    }
}

#[component]
pub fn HealthPanel(findings: Memo<Vec<Finding>>, loaded: Rc<Loaded>) -> impl IntoView {
    let lang = use_lang();
    // Per field: its key (to find it) and its title (to name it).
    let targets: Vec<(String, String)> = loaded
        .form
        .fields
        .iter()
        .enumerate()
        .map(|(index, field)| (field.key.clone(), field_title(lang, &loaded, index)))
        .collect();
    let list = move || {
        findings.with(|found| {
            if found.is_empty() {
                return Either::Left(view! { <p class="health-clean">{tr(lang, Msg::HealthClean)}</p> });
            }
            let items = found
                .iter()
                .filter_map(|finding| {
                    let (key, title) = targets.get(finding.field)?.clone();
                    Some(view! {
                        <li>
                            <button type="button" class="finding" on:click=move |_| go_to_field(&key)>
                                <span class="finding-field">{title}</span>
                                <span class="finding-text">{finding_text(lang, &finding.kind)}</span>
                            </button>
                        </li>
                    })
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
