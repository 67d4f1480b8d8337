//! An embed (video) node: the address people know, from which the player's is derived.

use leptos::prelude::*;

use super::{FieldState, Hint};
use crate::core::i18n::Msg;
use crate::core::model::{embed_from_url, FieldValue};

/// The address people know is the page's (source); the player address is derived.
fn embed_address(value: &FieldValue) -> String {
    match value {
        FieldValue::Embed { source, src, .. } if source.is_empty() => src.clone(),
        FieldValue::Embed { source, .. } => source.clone(),
        _ => String::new(),
    }
}

#[component]
pub fn EmbedField(id: String, state: FieldState) -> impl IntoView {
    let FieldState {
        value, read_only, ..
    } = state;
    let hint_id = format!("{id}-hint");
    // What the user typed stays as typed (a youtu.be link is not rewritten under the
    // cursor); it follows the value only when the value changes from outside (Discard).
    let typed = RwSignal::new(value.with_untracked(embed_address));
    Effect::new(move || {
        value.with(|current| {
            let follows = typed.with_untracked(|text| embed_from_url(text, current) == *current);
            if !follows {
                typed.set(embed_address(current));
            }
        })
    });
    let shown: Signal<String> = typed.into();
    view! {
        <input
            id=id
            aria-describedby=hint_id.clone()
            class="input"
            type="url"
            autocomplete="off"
            spellcheck="false"
            readonly=read_only
            prop:value=shown
            on:input=move |event| {
                let url = event_target_value(&event);
                typed.set(url.clone());
                value.update(|v| *v = embed_from_url(&url, v));
            }
        />
        <Hint id=hint_id text=Msg::EmbedHint/>
    }
}
