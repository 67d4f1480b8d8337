//! The app's own page: binds the editor to every block and finishes the
//! installation, so the More menu item appears.

use std::rc::Rc;

use leptos::prelude::*;

use super::use_lang;
use crate::bridge::Bridge;
use crate::client::RestClient;
use crate::core::context::AppContext;
use crate::core::i18n::{tr, trf, Msg};
use crate::core::rest::RestError;
use crate::messages;

/// Every block's More menu.
const ALL_BLOCKS: &str = "LANDING_BLOCK_*";

pub struct Installer {
    pub app: AppContext,
    pub bridge: Rc<dyn Bridge>,
    pub client: RestClient,
}

/// The handler is this very page, without the query the portal added.
fn handler_url() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

async fn bind(installer: Rc<Installer>, title: String) -> Result<(), RestError> {
    installer
        .client
        .bind_placement(ALL_BLOCKS, &handler_url(), &title)
        .await?;
    installer.bridge.install_finish();
    Ok(())
}

#[component]
pub fn Install(installer: Rc<Installer>) -> impl IntoView {
    let lang = use_lang();
    let is_admin = installer.app.is_admin;
    let installing = installer.app.installing;
    let title = tr(lang, Msg::InstallTitle);
    let action = Action::new_local(move |title: &String| bind(installer.clone(), title.clone()));
    if installing && is_admin {
        action.dispatch_local(title.to_string());
    }
    let pending = action.pending();
    let result = action.value();
    view! {
        <div class="screen screen-install">
            <h1>{title}</h1>
            <p>{trf(lang, Msg::InstallBody, &[title])}</p>
            {(!is_admin).then(|| view! {
                <p class="notice notice-warning">{tr(lang, Msg::InstallNeedsAdmin)}</p>
            })}
            <div class="status" role="status" aria-live="polite">
                {move || match result.get() {
                    Some(Ok(())) => view! {
                        <span class="status-ok">{trf(lang, Msg::InstallDone, &[title])}</span>
                    }
                    .into_any(),
                    Some(Err(err)) => view! {
                        <span class="status-error" role="alert">{messages::rest_error(lang, &err)}</span>
                    }
                    .into_any(),
                    None => ().into_any(),
                }}
            </div>
            <div class="actions">
                <button
                    type="button"
                    class="btn btn-primary"
                    id="install"
                    disabled=move || !is_admin || pending.get()
                    on:click=move |_| {
                        action.dispatch_local(title.to_string());
                    }
                >
                    {tr(lang, Msg::InstallBind)}
                </button>
            </div>
        </div>
    }
}
