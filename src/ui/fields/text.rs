//! A text node. Plain text is a textarea; text with markup is edited formatted
//! ([`formatted::FormattedText`]), or as HTML in the textarea with the expert toggle on.

mod commands;
mod formatted;
mod link_form;
mod toolbar;

use leptos::either::Either;
use leptos::prelude::*;

use super::{FieldState, Hint};
use crate::browser;
use crate::core::i18n::{tr, Msg};
use crate::core::model::FieldValue;
use crate::core::rich_text::{is_formatted, EXPERT_KEY};
use crate::ui::use_lang;
use formatted::FormattedText;

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

/// `original` is the node as loaded: whether it has markup decides the editor, once.
#[component]
pub fn TextField(id: String, state: FieldState, original: String) -> impl IntoView {
    if !is_formatted(&original) {
        return Either::Left(view! { <Source id state markup=false/> });
    }
    let lang = use_lang();
    let expert = RwSignal::new(browser::stored(EXPERT_KEY).as_deref() == Some("on"));
    let toggle_id = format!("{id}-expert");
    let on_toggle = move |event| {
        let on = event_target_checked(&event);
        expert.set(on);
        browser::store(EXPERT_KEY, if on { "on" } else { "off" });
    };
    Either::Right(view! {
        <div class="formatted-field">
            <div class="expert">
                <input
                    type="checkbox"
                    id=toggle_id.clone()
                    class="expert-toggle"
                    prop:checked=expert
                    on:change=on_toggle
                />
                <label for=toggle_id>{tr(lang, Msg::TextExpert)}</label>
            </div>
            {move || {
                if expert.get() {
                    Either::Left(view! { <Source id=id.clone() state markup=true/> })
                } else {
                    Either::Right(view! {
                        <FormattedText id=id.clone() state original=original.clone()/>
                    })
                }
            }}
        </div>
    })
}

/// The node's text as it is stored: plain text, or HTML for the expert.
#[component]
fn Source(id: String, state: FieldState, markup: bool) -> impl IntoView {
    let FieldState {
        value, read_only, ..
    } = state;
    let hint_id = format!("{id}-hint");
    let text = Memo::new(move |_| value.with(text_of));
    let shown: Signal<String> = text.into();
    // Shown again once mounted: a textarea put in place later (the expert toggle) takes its
    // content as its value, which would otherwise empty it.
    let area = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move || {
        let text = text.get();
        if let Some(area) = area.get() {
            if area.value() != text {
                area.set_value(&text);
            }
        }
    });
    view! {
        <textarea
            id=id
            node_ref=area
            aria-describedby=hint_id.clone()
            class="input textarea"
            class:textarea-html=markup
            rows=move || text.with(|text| rows_for(text))
            readonly=read_only
            prop:value=shown
            on:input=move |event| value.set(FieldValue::Text(event_target_value(&event)))
        ></textarea>
        <Hint id=hint_id text=Msg::TextHint hidden=Signal::derive(move || !markup)/>
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
