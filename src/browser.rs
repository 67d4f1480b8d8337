//! Thin browser edges: timers, the clock, the HTTP transport and start-up
//! detection of how the page was opened.

use std::future::Future;
use std::rc::Rc;

use futures::future::{select, Either};
use gloo_net::http::Request;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::bridge::bx24::{library_present, Bx24Bridge};
use crate::bridge::frame::FrameBridge;
use crate::bridge::Host;
use crate::client::{Clock, HttpResponse, LocalFuture, Transport, TransportError};
use crate::core::i18n::{self, Lang};
use crate::core::rest::RequestBody;

/// Resolves after `ms` milliseconds (immediately when there is no window).
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let delay = i32::try_from(ms).unwrap_or(i32::MAX);
            if window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, delay)
                .is_ok()
            {
                return;
            }
        }
        let _ = resolve.call0(&JsValue::NULL);
    });
    let _ = JsFuture::from(promise).await;
}

/// `Some(output)` when `future` finished within `ms`, `None` on timeout.
pub async fn with_timeout<F: Future + Unpin>(future: F, ms: u32) -> Option<F::Output> {
    let timer = Box::pin(sleep(ms));
    match select(future, timer).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(_) => None,
    }
}

pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn sleep(&self, ms: u32) -> LocalFuture<'static, ()> {
        Box::pin(sleep(ms))
    }

    fn jitter_ms(&self) -> u32 {
        (js_sys::Math::random() * 300.0) as u32
    }
}

/// gloo-net over `fetch`: JSON body, only `Content-Type` and `Accept` headers,
/// no credentials, aborted at the timeout.
pub struct FetchTransport;

impl Transport for FetchTransport {
    fn post(
        &self,
        url: &str,
        body: RequestBody,
        timeout_ms: u32,
    ) -> LocalFuture<'static, Result<HttpResponse, TransportError>> {
        let url = url.to_string();
        Box::pin(async move {
            let abort = web_sys::AbortController::new().map_err(|_| TransportError::Network)?;
            let request = Request::post(&url)
                .header("Content-Type", body.kind.content_type())
                .header("Accept", "application/json")
                .credentials(web_sys::RequestCredentials::Omit)
                .abort_signal(Some(&abort.signal()))
                .body(body.text)
                .map_err(|_| TransportError::Network)?;
            let exchange = Box::pin(async move {
                let response = request.send().await.map_err(|_| TransportError::Network)?;
                let status = response.status();
                let body = response.text().await.map_err(|_| TransportError::Network)?;
                Ok(HttpResponse { status, body })
            });
            match with_timeout(exchange, timeout_ms).await {
                Some(result) => result,
                None => {
                    abort.abort();
                    Err(TransportError::Timeout)
                }
            }
        })
    }
}

/// A query-string parameter of the page's own URL (the portal puts `LANG`,
/// `DOMAIN`, `PROTOCOL` and `APP_SID` there).
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name)
}

/// How long the official library gets to load before the app speaks the
/// frame protocol itself.
const LIBRARY_WAIT_MS: u32 = 4_000;

/// The loader in index.html (js/bx24-loader.js) settles `lbeBx24.settled` once the library
/// loaded or failed: awaited rather than polled, so the app goes on the moment it is known.
fn library_settled() -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let loader = js_sys::Reflect::get(&window, &JsValue::from_str("lbeBx24")).ok()?;
    js_sys::Reflect::get(&loader, &JsValue::from_str("settled"))
        .ok()?
        .dyn_into()
        .ok()
}

/// Decides how the page talks to the portal: the BX24 library when it loaded
/// and started, else the app's own frame protocol, else nothing.
pub async fn detect_host() -> Host {
    if let Some(settled) = library_settled() {
        let _ = with_timeout(JsFuture::from(settled), LIBRARY_WAIT_MS).await;
    }
    if library_present() {
        return Host::Bridge(Rc::new(Bx24Bridge));
    }
    match FrameBridge::from_window() {
        Some(bridge) => Host::Bridge(Rc::new(bridge)),
        None => Host::Standalone,
    }
}

/// The app origin's local storage, when the browser allows it in this frame.
fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn stored(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

/// Best effort: a full or blocked storage only means no draft is kept.
pub fn store(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

pub fn unstore(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

#[wasm_bindgen]
extern "C" {
    /// js/boot.js defines it: a global of the page's own loader rather than an `inline_js`
    /// snippet, which would be one more file the glue imports before the app can start.
    #[wasm_bindgen(catch, js_name = lbeImportBundle)]
    fn import_bundle(file: &str) -> Result<js_sys::Promise, JsValue>;
}

/// The app's own page is a bundle of its own (`settings.js` beside `index.html`): it is
/// imported and started only when the app is opened from the application list.
pub async fn load_settings_bundle() -> Result<(), JsValue> {
    JsFuture::from(import_bundle("settings.js")?)
        .await
        .map(drop)
}

/// How long a translation file may take before the app goes on in English.
const LANGUAGE_WAIT_MS: u32 = 5_000;

/// Fetches and installs `static/i18n/<code>.json` (relative to the page) unless `lang` is
/// English or already installed. On any failure the app simply stays in English.
pub async fn load_language(lang: Lang) {
    if i18n::is_ready(lang) {
        return;
    }
    let url = format!("static/i18n/{}.json", lang.code());
    let fetch = async {
        let response = Request::get(&url).send().await.ok()?;
        if !response.ok() {
            return None;
        }
        response.text().await.ok()
    };
    if let Some(Some(file)) = with_timeout(Box::pin(fetch), LANGUAGE_WAIT_MS).await {
        if let Ok(texts) = crate::codec::decode::<i18n::Translations>(&file) {
            i18n::install(lang, &texts);
        }
    }
}
