//! The official BX24 JS library, bound with wasm-bindgen.
//!
//! Every binding catches: the library sets `BX24 = null` when it cannot start,
//! and nothing it returns is trusted until the core has validated it.

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;

use super::{Bridge, BridgeError, CALL_TIMEOUT_MS};
use crate::browser::with_timeout;
use crate::client::LocalFuture;
use crate::core::bindings::RECORD_OPTION;
use crate::core::json::{self, Value};
use crate::core::protocol::parse_window_name;
use crate::json;

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

/// What the library returned, as JSON data (functions become null; cycles and
/// anything else `JSON.stringify` refuses make the whole value null).
fn to_json(value: JsValue) -> Value {
    js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .and_then(|text| json::parse(&text).ok())
        .unwrap_or(Value::Null)
}

/// `value` as a JS value, through its JSON text (the library takes plain objects).
fn to_js(value: &Value) -> Result<JsValue, BridgeError> {
    js_sys::JSON::parse(&value.to_string()).map_err(unavailable)
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
fn auth_keys(auth: &Value) -> Value {
    json!({
        "AUTH_ID": auth.get("access_token").cloned().unwrap_or(Value::Null),
        "REFRESH_ID": auth.get("refresh_token").cloned().unwrap_or(Value::Null),
        "AUTH_EXPIRES": auth.get("expires_in").cloned().unwrap_or(Value::Null),
    })
}

impl Bridge for Bx24Bridge {
    fn init_data(&self) -> LocalFuture<'_, Result<Value, BridgeError>> {
        Box::pin(async move {
            callback_future(CALL_TIMEOUT_MS, bx24_init).await?;
            let info = to_json(bx24_placement_info().map_err(unavailable)?);
            let auth = to_json(bx24_get_auth().map_err(unavailable)?);
            let lang = to_json(bx24_get_lang().map_err(unavailable)?);
            let domain = to_json(bx24_get_domain().map_err(unavailable)?);
            let is_admin = to_json(bx24_is_admin().map_err(unavailable)?);
            // The library does not expose the protocol; window.name carries it.
            let https = web_sys::window()
                .and_then(|w| w.name().ok())
                .and_then(|name| parse_window_name(&name))
                .map(|frame| frame.https)
                .unwrap_or(true);
            let mut data = auth_keys(&auth);
            if let Some(map) = data.as_object_mut() {
                map.insert("DOMAIN".into(), domain);
                map.insert("PROTOCOL".into(), json!(if https { 1 } else { 0 }));
                map.insert("PATH".into(), json!("/rest"));
                map.insert("LANG".into(), lang);
                map.insert(
                    "MEMBER_ID".into(),
                    auth.get("member_id").cloned().unwrap_or(Value::Null),
                );
                map.insert("IS_ADMIN".into(), is_admin);
                map.insert(
                    "PLACEMENT".into(),
                    info.get("placement").cloned().unwrap_or(Value::Null),
                );
                map.insert(
                    "PLACEMENT_OPTIONS".into(),
                    info.get("options").cloned().unwrap_or(Value::Null),
                );
                // The library keeps APP_OPTIONS to itself; the app reads the one it uses.
                let record = bx24_app_option(RECORD_OPTION)
                    .map(to_json)
                    .unwrap_or(Value::Null);
                if !record.is_null() {
                    map.insert("APP_OPTIONS".into(), json!({RECORD_OPTION: record}));
                }
            }
            Ok(data)
        })
    }

    fn refresh_auth(&self) -> LocalFuture<'_, Result<Value, BridgeError>> {
        Box::pin(async move {
            let auth = callback_future(CALL_TIMEOUT_MS, bx24_refresh_auth).await?;
            Ok(auth_keys(&to_json(auth)))
        })
    }

    fn placement_call(
        &self,
        command: &str,
        params: Value,
        timeout_ms: u32,
    ) -> LocalFuture<'_, Result<Value, BridgeError>> {
        let command = command.to_string();
        Box::pin(async move {
            let params = to_js(&params)?;
            let answer =
                callback_future(timeout_ms, |cb| bx24_placement_call(&command, &params, cb))
                    .await?;
            Ok(to_json(answer))
        })
    }

    fn close_application(&self) {
        let _ = bx24_close_application();
    }

    fn install_finish(&self) {
        let _ = bx24_install_finish();
    }
}
