//! An icon node: its classes in one input.

use leptos::prelude::*;

use super::{FieldState, Hint};
use crate::core::i18n::Msg;
use crate::core::model::FieldValue;

#[component]
pub fn IconField(id: String, state: FieldState) -> impl IntoView {
    let FieldState {
        value, read_only, ..
    } = state;
    let hint_id = format!("{id}-hint");
    let classes = Signal::derive(move || match value.get() {
        FieldValue::Icon { classes } => classes,
        _ => String::new(),
    });
    view! {
        <input
            id=id
            aria-describedby=hint_id.clone()
            class="input"
            type="text"
            autocomplete="off"
            spellcheck="false"
            readonly=read_only
            prop:value=classes
            on:input=move |event| value.set(FieldValue::Icon { classes: event_target_value(&event) })
        />
        <Hint id=hint_id text=Msg::IconHint/>
    }
}
