//! A link node: its text, its address (typed, or chosen in the picker) and whether it opens
//! in a new tab.

use leptos::prelude::*;

use super::super::use_lang;
use super::link_picker::LinkPicker;
use super::{FieldState, PartInput};
use crate::core::i18n::{tr, Msg};
use crate::core::model::FieldValue;

fn link_text(value: &FieldValue) -> String {
    match value {
        FieldValue::Link { text, .. } => text.clone(),
        _ => String::new(),
    }
}

fn set_link_text(value: &mut FieldValue, new: String) {
    if let FieldValue::Link { text, .. } = value {
        *text = new
    }
}

fn link_href(value: &FieldValue) -> String {
    match value {
        FieldValue::Link { href, .. } => href.clone(),
        _ => String::new(),
    }
}

fn set_link_href(value: &mut FieldValue, new: String) {
    if let FieldValue::Link { href, .. } = value {
        *href = new
    }
}

#[component]
pub fn LinkField(id: String, state: FieldState) -> impl IntoView {
    let lang = use_lang();
    let FieldState {
        value, read_only, ..
    } = state;
    let tab_id = format!("{id}-tab");
    view! {
        <PartInput id=format!("{id}-text") label=Msg::LinkText kind="text"
            read=link_text write=set_link_text state/>
        <PartInput id=format!("{id}-url") label=Msg::LinkUrl kind="url"
            read=link_href write=set_link_href state/>
        <LinkPicker id=id.clone() value read_only write=set_link_href/>
        <div class="part part-check">
            <input
                id=tab_id.clone()
                type="checkbox"
                disabled=read_only
                prop:checked=Signal::derive(move || value.with(|v| matches!(v, FieldValue::Link { new_tab: true, .. })))
                on:change=move |event| {
                    let checked = event_target_checked(&event);
                    value.update(|v| {
                        if let FieldValue::Link { new_tab, .. } = v {
                            *new_tab = checked
                        }
                    });
                }
            />
            <label for=tab_id>{tr(lang, Msg::LinkNewTab)}</label>
        </div>
    }
}
