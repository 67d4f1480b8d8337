//! The screens around the editor: loading, "opened directly" and the problems that end a
//! start or a load. Every screen replaces the one before as a whole.

use std::rc::Rc;

use leptos::prelude::*;

use super::{use_lang, Reopen, Session, Starter};
use crate::core::i18n::{tr, trf, Msg};
use crate::core::rest::RestError;
use crate::messages;

/// Where the emulator listens by default (shown on the "opened directly" screen).
const DEV_EDITOR_URL: &str = "http://127.0.0.1:8090/";

#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="screen screen-loading" role="status" aria-live="polite">
            <div class="spinner" aria-hidden="true"></div>
            <p>{tr(lang, Msg::Loading)}</p>
        </div>
    }
}

/// The page opened outside a portal: how the app is meant to be opened.
#[component]
pub fn Standalone() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="screen screen-standalone">
            <h1>{tr(lang, Msg::NotInFrameTitle)}</h1>
            <p>{tr(lang, Msg::NotInFrameBody)}</p>
            <p class="hint">{trf(lang, Msg::NotInFrameDev, &[DEV_EDITOR_URL])}</p>
        </div>
    }
}

#[component]
pub fn Problem(title: &'static str, text: String) -> impl IntoView {
    view! {
        <div class="screen screen-problem" role="alert">
            <h1>{title}</h1>
            <p>{text}</p>
        </div>
    }
}

/// The start ended before a block was loaded (the bridge did not answer, the settings
/// bundle did not load). The editor may answer a second time (it was busy, or the slider
/// was still loading): asking again costs nothing.
#[component]
pub fn StartFailed(title: &'static str, text: String, starter: Starter) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Problem title text/>
        <div class="actions">
            <button type="button" class="btn btn-primary" id="retry-start"
                on:click=move |_| {
                    starter.dispatch_local(None);
                }>
                {tr(lang, Msg::Retry)}
            </button>
        </div>
    }
}

/// The block could not be loaded; a retry reuses the session it failed in.
#[component]
pub fn LoadFailed(session: Rc<Session>, error: RestError, starter: Starter) -> impl IntoView {
    let lang = use_lang();
    let text = messages::rest_error(lang, &error);
    let bridge = session.bridge.clone();
    view! {
        <Problem title=tr(lang, Msg::LoadErrorTitle) text/>
        <div class="actions">
            <button type="button" class="btn btn-primary" id="retry-load"
                on:click=move |_| {
                    starter.dispatch_local(Some(Reopen {
                        session: session.clone(),
                        why: None,
                    }));
                }>
                {tr(lang, Msg::Retry)}
            </button>
            <button type="button" class="btn btn-light"
                on:click=move |_| bridge.close_application()>
                {tr(lang, Msg::Close)}
            </button>
        </div>
    }
}
