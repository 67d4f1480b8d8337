//! The portal side for browser tests: a recording BX24 library double, the placement's
//! init data and the batch answer that opens a fixture block.

use std::rc::Rc;

use landing_block_editor::bridge::bx24::Bx24Bridge;
use landing_block_editor::bridge::Bridge;
use landing_block_editor::browser::BrowserClock;
use landing_block_editor::client::{HttpResponse, TransportError};
use landing_block_editor::ui::Platform;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use super::{ok, StubTransport};

#[wasm_bindgen(inline_js = r#"
export function install_bx24_double(initJson, answerRefresh) {
  const init = JSON.parse(initJson);
  const calls = [];
  window.__bx24calls = calls;
  window.BX24 = {
    init(cb) { calls.push(["init"]); setTimeout(cb, 0); },
    placement: {
      info() { calls.push(["placement.info"]); return { placement: init.PLACEMENT, options: init.PLACEMENT_OPTIONS }; },
      call(command, params, cb) {
        calls.push(["placement.call", command, JSON.parse(JSON.stringify(params)), typeof cb]);
        if (answerRefresh) setTimeout(() => cb({}), 0);
      },
    },
    getAuth() {
      calls.push(["getAuth"]);
      return { access_token: init.AUTH_ID, refresh_token: init.REFRESH_ID, expires_in: 3600,
               domain: init.DOMAIN, member_id: "member-1" };
    },
    refreshAuth(cb) {
      calls.push(["refreshAuth"]);
      setTimeout(() => cb({ access_token: "fresh-token", refresh_token: "refresh-2", expires_in: 3600 }), 0);
    },
    getLang() { return init.LANG; },
    getDomain() { return init.DOMAIN; },
    isAdmin() { return init.IS_ADMIN !== false; },
    appOption: { get(name) { return (init.APP_OPTIONS || {})[name]; } },
    installFinish() { calls.push(["installFinish"]); },
    closeApplication() { calls.push(["closeApplication"]); },
  };
}
export function bx24_calls() { return JSON.stringify(window.__bx24calls || []); }
"#)]
extern "C" {
    pub fn install_bx24_double(init_json: &str, answer_refresh: bool);
    pub fn bx24_calls() -> String;
}

/// The batch answer the portal gives for manifest + content of a fixture block.
pub fn open_answer(fixture: &str, access: &str) -> Result<HttpResponse, TransportError> {
    let fixture = serde_json::from_str::<Value>(fixture).expect("fixture parses");
    let html = fixture["content"].as_str().unwrap_or_default();
    block_answer(&fixture["manifest"], html, access, &[])
}

/// The same answer for any manifest, block HTML and stylesheets (`css`).
pub fn block_answer(
    manifest: &Value,
    html: &str,
    access: &str,
    css: &[&str],
) -> Result<HttpResponse, TransportError> {
    let content = json!({"id": 101, "lid": 1, "active": true, "access": access,
                         "anchor": "b101", "content": html, "css": css});
    let batch = json!({"result": {"result": {"manifest": manifest, "content": content},
                       "result_error": [], "result_total": [], "result_next": [],
                       "result_time": []}, "time": {"start": 1}});
    ok(batch.to_string())
}

pub fn init_data(code: &str, placement: &str) -> Value {
    json!({
        "DOMAIN": "portal.example.com", "PROTOCOL": 1, "PATH": "/rest", "LANG": "en",
        "AUTH_ID": "token-1", "AUTH_EXPIRES": 3600, "REFRESH_ID": "refresh-1",
        "MEMBER_ID": "member-1", "IS_ADMIN": true,
        "PLACEMENT": placement,
        "PLACEMENT_OPTIONS": json!({"ID": "101", "CODE": code, "LID": "1"}).to_string(),
    })
}

pub fn platform_with_bx24(transport: Rc<StubTransport>) -> Platform {
    Platform {
        bridge: Some(Rc::new(Bx24Bridge) as Rc<dyn Bridge>),
        transport,
        clock: Rc::new(BrowserClock),
    }
}

/// The link picker's one batch: this page's site, `pages` of it and the page's `blocks`.
pub fn link_lists_answer(
    pages: Vec<Value>,
    blocks: Vec<Value>,
) -> Result<HttpResponse, TransportError> {
    let batch = json!({"result": {"result": {
            "page": [{"ID": "1", "SITE_ID": "1", "DOMAIN_ID": "1"}],
            "pages": pages, "blocks": blocks},
        "result_error": [], "result_total": [], "result_next": [], "result_time": []},
        "time": {"start": 1}});
    ok(batch.to_string())
}
