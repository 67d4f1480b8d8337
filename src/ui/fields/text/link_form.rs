//! The link form of formatted text (the Link button, Ctrl+K): an address, checked by the
//! link fields' rules, applied to the selection; or the link under it removed.

use leptos::prelude::*;

use super::super::link_picker::LinkPicker;
use crate::core::i18n::{tr, Msg};
use crate::core::link_target::LinkInputError;
use crate::core::model::FieldValue;
use crate::core::rich_text::link_href;
use crate::ui::use_lang;

/// The picker writes the address it picked here; the form then shows it for Apply.
fn set_picked(value: &mut FieldValue, href: String) {
    if let FieldValue::Link { href: old, .. } = value {
        *old = href;
    }
}

fn error_text(error: LinkInputError) -> Msg {
    match error {
        LinkInputError::Empty => Msg::LinkErrEmpty,
        LinkInputError::Unsafe => Msg::LinkErrUnsafe,
        LinkInputError::Blank => Msg::LinkErrBlank,
        LinkInputError::NoDigits => Msg::LinkErrNoDigits,
        LinkInputError::BadEmail => Msg::LinkErrBadEmail,
    }
}

#[component]
pub fn LinkForm(
    id: String,
    /// The current link's address, empty for a new link.
    initial: String,
    /// Gets the checked address.
    on_apply: Callback<String>,
    on_remove: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let typed = RwSignal::new(initial.clone());
    let error = RwSignal::new(None::<Msg>);
    let input = NodeRef::<leptos::html::Input>::new();
    let error_id = format!("{id}-error");
    let pick_id = format!("{id}-pick");
    let apply = move || match link_href(&typed.get_untracked()) {
        Ok(href) => on_apply.run(href),
        Err(refused) => error.set(Some(error_text(refused))),
    };
    // The same picker as link fields: a page or a block of the site, or a typed address.
    let picked = RwSignal::new(FieldValue::Link {
        text: String::new(),
        href: initial.clone(),
        new_tab: false,
    });
    Effect::new(move |before: Option<String>| {
        let href = picked.with(|v| match v {
            FieldValue::Link { href, .. } => href.clone(),
            _ => String::new(),
        });
        if before.is_some_and(|b| b != href) {
            typed.set(href.clone());
            error.set(None);
            if let Some(input) = input.get_untracked() {
                input.set_value(&href);
            }
        }
        href
    });
    // Once mounted: the current address in it (a property set before that is lost, as for
    // the expert textarea), and the focus.
    Effect::new(move || {
        if let Some(input) = input.get() {
            input.set_value(&typed.get_untracked());
            let _ = input.focus();
        }
    });
    view! {
        <div class="link-form">
            <label class="part-label" for=id.clone()>{tr(lang, Msg::TextLinkAddress)}</label>
            <input
                id=id
                node_ref=input
                class="input"
                type="url"
                autocomplete="off"
                spellcheck="false"
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=error_id.clone()
                prop:value=typed
                on:input=move |event| {
                    typed.set(event_target_value(&event));
                    error.set(None);
                }
                on:keydown=move |event| match event.key().as_str() {
                    "Enter" => {
                        event.prevent_default();
                        apply();
                    }
                    "Escape" => on_cancel.run(()),
                    _ => {}
                }
            />
            <LinkPicker id=pick_id value=picked read_only=false write=set_picked/>
            <button type="button" class="btn btn-light link-apply" on:click=move |_| apply()>
                {tr(lang, Msg::TextLinkApply)}
            </button>
            {(!initial.is_empty()).then(|| view! {
                <button type="button" class="btn btn-light link-remove" on:click=move |_| on_remove.run(())>
                    {tr(lang, Msg::TextLinkRemove)}
                </button>
            })}
            <button type="button" class="btn btn-light link-cancel" on:click=move |_| on_cancel.run(())>
                {tr(lang, Msg::TextLinkCancel)}
            </button>
            <p class="field-error" id=error_id role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|msg| tr(lang, msg))}
            </p>
        </div>
    }
}
