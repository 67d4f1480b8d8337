//! A text node: a textarea sized to its lines.

use leptos::prelude::*;

use super::{FieldState, Hint};
use crate::core::i18n::Msg;
use crate::core::model::FieldValue;

fn text_of(value: &FieldValue) -> String {
    match value {
        FieldValue::Text(text) => text.clone(),
        _ => String::new(),
    }
}

/// A line more than the text has, within reason.
fn rows_for(text: &str) -> usize {
    (text.lines().count() + 1).clamp(2, 12)
}

#[component]
pub fn TextField(id: String, state: FieldState) -> impl IntoView {
    let FieldState {
        value, read_only, ..
    } = state;
    let hint_id = format!("{id}-hint");
    let text = Memo::new(move |_| value.with(text_of));
    // Plain text reads as text; markup is shown as source, with a word on why.
    let markup = Signal::<bool>::from(Memo::new(move |_| text.with(|text| text.contains('<'))));
    let shown: Signal<String> = text.into();
    view! {
        <textarea
            id=id
            aria-describedby=hint_id.clone()
            class="input textarea"
            class:textarea-html=markup
            rows=move || text.with(|text| rows_for(text))
            readonly=read_only
            prop:value=shown
            on:input=move |event| value.set(FieldValue::Text(event_target_value(&event)))
        ></textarea>
        <Hint id=hint_id text=Msg::TextHint hidden=Signal::derive(move || !markup.get())/>
    }
}

#[cfg(test)]
mod tests {
    use super::rows_for;

    #[test]
    fn the_textarea_has_a_spare_line_and_stays_within_twelve() {
        assert_eq!(rows_for(""), 2);
        assert_eq!(rows_for("one\ntwo"), 3);
        assert_eq!(rows_for(&"line\n".repeat(40)), 12);
    }
}
