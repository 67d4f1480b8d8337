//! The official BX24 JS library, bound with wasm-bindgen.
//!
//! Every binding catches: the library sets `BX24 = null` when it cannot start,
//! and nothing it returns is trusted until the core has validated it.

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;

use super::{Bridge, BridgeError, CALL_TIMEOUT_MS};
use crate::browser::with_timeout;
use crate::client::LocalFuture;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::codec::{self, Raw};
use crate::core::bindings::{AppOptions, RECORD_OPTION};
use crate::core::context::InitData;
use crate::core::loose::{AnyShape, Loose, Obj};
use crate::core::protocol::parse_window_name;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = BX24, js_name = init)]
    fn bx24_init(callback: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["BX24", "placement"], js_name = info)]
    fn bx24_placement_info() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["BX24", "placement"], js_name = call)]
    fn bx24_placement_call(
        command: &str,
        params: &JsValue,
        callback: &JsValue,
    ) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = BX24, js_name = getAuth)]
    fn bx24_get_auth() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = BX24, js_name = refreshAuth)]
    fn bx24_refresh_auth(callback: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = BX24, js_name = getLang)]
    fn bx24_get_lang() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = BX24, js_name = getDomain)]
    fn bx24_get_domain() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = BX24, js_name = isAdmin)]
    fn bx24_is_admin() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["BX24", "appOption"], js_name = get)]
    fn bx24_app_option(name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = BX24, js_name = installFinish)]
    fn bx24_install_finish() -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = BX24, js_name = closeApplication)]
    fn bx24_close_application() -> Result<(), JsValue>;
}

/// True when the library loaded and initialised itself (it sets `BX24 = null`
/// when opened outside a portal frame).
pub fn library_present() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::get(&window, &JsValue::from_str("BX24"))
        .map(|v| v.is_object())
        .unwrap_or(false)
}

pub struct Bx24Bridge;

fn unavailable(err: JsValue) -> BridgeError {
    let text = err
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| "the BX24 library failed".to_string());
    BridgeError::Unavailable(text)
}

/// An object the library returned, read as `T` straight from the JS value; anything else,
/// or an object whose fields cannot be read (a function where a value should be), is
/// `T::default()`: the core's validation then names what is missing.
fn from_library<T: DeserializeOwned + Default>(value: JsValue) -> T {
    codec::from_js::<Obj<T>>(value)
        .map(Obj::or_default)
        .unwrap_or_default()
}

/// A scalar the library returned (`getLang`, `getDomain`, `isAdmin`).
fn scalar(value: JsValue) -> Option<Loose> {
    codec::from_js(value).ok()
}

/// `BX24.placement.info()`.
#[derive(Default, Deserialize)]
#[serde(default)]
struct PlacementInfo {
    placement: Option<Loose>,
    options: Option<AnyShape<Loose>>,
}

/// `BX24.getAuth()` and the `refreshAuth` answer.
#[derive(Default, Deserialize)]
#[serde(default)]
struct LibraryAuth {
    access_token: Option<Loose>,
    refresh_token: Option<Loose>,
    expires_in: Option<Loose>,
    member_id: Option<Loose>,
}

/// Calls `start` with a one-shot JS callback and waits for it, or times out.
async fn callback_future(
    timeout_ms: u32,
    start: impl FnOnce(&JsValue) -> Result<(), JsValue>,
) -> Result<JsValue, BridgeError> {
    let (sender, receiver) = oneshot::channel::<JsValue>();
    let callback = Closure::once_into_js(move |value: JsValue| {
        let _ = sender.send(value);
    });
    start(&callback).map_err(unavailable)?;
    match with_timeout(receiver, timeout_ms).await {
        Some(Ok(value)) => Ok(value),
        Some(Err(_)) => Err(BridgeError::Unavailable("callback dropped".into())),
        None => Err(BridgeError::Timeout),
    }
}

/// The library's auth object `{access_token, refresh_token, expires_in}` in the
/// frame protocol's key names.
fn auth_keys(auth: LibraryAuth) -> InitData {
    InitData {
        auth_id: auth.access_token,
        refresh_id: auth.refresh_token,
        auth_expires: auth.expires_in,
        member_id: auth.member_id,
        ..InitData::default()
    }
}

impl Bridge for Bx24Bridge {
    fn init_data(&self) -> LocalFuture<'_, Result<InitData, BridgeError>> {
        Box::pin(async move {
            callback_future(CALL_TIMEOUT_MS, bx24_init).await?;
            let info: PlacementInfo = from_library(bx24_placement_info().map_err(unavailable)?);
            let auth: LibraryAuth = from_library(bx24_get_auth().map_err(unavailable)?);
            let lang = scalar(bx24_get_lang().map_err(unavailable)?);
            let domain = scalar(bx24_get_domain().map_err(unavailable)?);
            let is_admin = scalar(bx24_is_admin().map_err(unavailable)?);
            // The library does not expose the protocol; window.name carries it.
            let https = web_sys::window()
                .and_then(|w| w.name().ok())
                .and_then(|name| parse_window_name(&name))
                .map(|frame| frame.https)
                .unwrap_or(true);
            // The library keeps APP_OPTIONS to itself; the app reads the one it uses.
            let record = bx24_app_option(RECORD_OPTION)
                .ok()
                .and_then(|value| codec::from_js::<AnyShape<_>>(value).ok())
                .filter(|record| !matches!(record, AnyShape::Scalar(Loose::Null)));
            Ok(InitData {
                domain,
                protocol: Some(Loose::Unsigned(u64::from(https))),
                path: Some(Loose::Text("/rest".into())),
                lang,
                is_admin,
                placement: info.placement,
                placement_options: info.options,
                app_options: Obj(Some(AppOptions { bindings: record })),
                ..auth_keys(auth)
            })
        })
    }

    fn refresh_auth(&self) -> LocalFuture<'_, Result<InitData, BridgeError>> {
        Box::pin(async move {
            let auth = callback_future(CALL_TIMEOUT_MS, bx24_refresh_auth).await?;
            Ok(auth_keys(from_library(auth)))
        })
    }

    fn placement_call(
        &self,
        command: &str,
        params: Raw,
        timeout_ms: u32,
    ) -> LocalFuture<'_, Result<Option<Raw>, BridgeError>> {
        let command = command.to_string();
        Box::pin(async move {
            let params = params.into_js();
            let answer =
                callback_future(timeout_ms, |cb| bx24_placement_call(&command, &params, cb))
                    .await?;
            Ok((!answer.is_null() && !answer.is_undefined()).then(|| Raw::from_js(answer)))
        })
    }

    fn close_application(&self) {
        let _ = bx24_close_application();
    }

    fn install_finish(&self) {
        let _ = bx24_install_finish();
    }
}
