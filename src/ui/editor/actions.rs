//! The editor's footer: the close question, the status line and Save / Discard / Close.

use leptos::prelude::*;

use super::super::use_lang;
use super::status::StatusLine;
use super::EditorState;
use crate::core::i18n::{tr, Msg};

#[component]
pub fn Footer(state: EditorState) -> impl IntoView {
    view! {
        <footer class="app-footer">
            {move || state.confirm_close.get().then(|| view! { <CloseConfirm state/> })}
            <StatusLine state/>
            <ActionBar state/>
        </footer>
    }
}

/// Asked when Close would drop unsaved changes.
#[component]
fn CloseConfirm(state: EditorState) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
            <p id="confirm-text">{tr(lang, Msg::ConfirmClose)}</p>
            <button class="btn btn-danger" id="confirm-close" on:click=move |_| state.close_discarding()>
                {tr(lang, Msg::CloseWithoutSaving)}
            </button>
            <button class="btn btn-light" id="confirm-keep" on:click=move |_| state.confirm_close.set(false)>
                {tr(lang, Msg::KeepEditing)}
            </button>
        </div>
    }
}

/// Save and Discard (when the access allows editing) and Close; a save in flight holds
/// them all.
#[component]
fn ActionBar(state: EditorState) -> impl IntoView {
    let lang = use_lang();
    let EditorState {
        saving,
        changes,
        blocked,
        ..
    } = state;
    // Signals rather than closures: they all share one copy of the attribute's code.
    let saving = Signal::<bool>::from(saving);
    let unchanged = Signal::derive(move || changes.get() == 0);
    let save_held = Signal::derive(move || saving.get() || unchanged.get() || blocked.get() != 0);
    let discard_held = Signal::derive(move || saving.get() || unchanged.get());
    let edit_buttons = state.can_edit.then(|| {
        view! {
            <button
                type="button"
                class="btn btn-primary"
                id="save"
                aria-keyshortcuts="Control+S Meta+S"
                disabled=save_held
                on:click=move |_| state.save()
            >
                {move || tr(lang, if saving.get() { Msg::Saving } else { Msg::Save })}
            </button>
            <button
                type="button"
                class="btn btn-light"
                id="discard"
                disabled=discard_held
                on:click=move |_| state.discard()
            >
                {tr(lang, Msg::Discard)}
            </button>
        }
    });
    view! {
        <div class="actions">
            {edit_buttons}
            <button
                type="button"
                class="btn btn-light"
                id="close"
                disabled=saving
                on:click=move |_| state.request_close()
            >
                {tr(lang, Msg::Close)}
            </button>
        </div>
    }
}
