//! The app in a real browser (headless Chromium through wasm-bindgen-test):
//! mounted against a recording BX24 double and a stubbed HTTP transport.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use landing_block_editor::bridge::frame::FrameBridge;
use landing_block_editor::bridge::{Bridge, BridgeError};
use landing_block_editor::browser::{sleep, BrowserClock};
use landing_block_editor::client::{HttpResponse, TransportError};
use landing_block_editor::core::bindings::default_handler;
use landing_block_editor::core::i18n::{self, Lang};
use landing_block_editor::core::loose::Loose;
use landing_block_editor::core::protocol::parse_window_name;
use landing_block_editor::ui::Platform;
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

#[wasm_bindgen(inline_js = r#"
// Plays the portal page for the native frame protocol: records what the app
// posts and answers getInitData / refreshBlock like the portal does.
export function install_frame_parent(origin) {
  const seen = [];
  window.__frameSeen = seen;
  window.addEventListener("message", (event) => {
    if (typeof event.data !== "string") return;
    const parts = event.data.split(":");
    if (parts.length < 4) return;
    const command = parts[0];
    if (!["getInitData", "refreshBlock", "closeApplication", "resizeWindow"].includes(command)) return;
    seen.push(event.data);
    const callback = parts[parts.length - 2];
    if (command === "getInitData") {
      window.postMessage(callback + ":" + JSON.stringify({ LANG: "de", PLACEMENT: "LANDING_BLOCK_*" }), origin);
    }
    if (command === "refreshBlock") {
      // Foreign noise first: none of it may be taken for the answer.
      window.postMessage({ method: callback }, origin);
      window.postMessage("webpackHotUpdate:" + callback, origin);
      window.postMessage("nope" + callback + ":{}", origin);
      window.postMessage(callback + ":{\"done\":true}", origin);
    }
  });
}
export function frame_seen() { return JSON.stringify(window.__frameSeen || []); }
"#)]
extern "C" {
    fn install_frame_parent(origin: &str);
    fn frame_seen() -> String;
}

// ---------------------------------------------------------------- doubles

fn error(status: u16, code: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        body: json!({"error": code, "error_description": "test"}).to_string(),
    })
}

const TWO_COLS: &str = include_str!("../emulator/fixtures/blocks/31.1.two_cols_text_img.json");
const PRICES: &str =
    include_str!("../emulator/fixtures/blocks/44.7.three_columns_with_img_and_price.json");

// ---------------------------------------------------------------- DOM helpers

type Answer = Result<HttpResponse, TransportError>;

/// Block 31.1 opened through the BX24 double with `access`, its four fields
/// shown; `then` are the transport's answers after the opening batch.
async fn open_two_cols(
    access: &str,
    answer_refresh: bool,
    then: Vec<Answer>,
) -> (Mounted, Rc<StubTransport>) {
    install_bx24_double(
        &init_data("31.1.two_cols_text_img", "LANDING_BLOCK_*").to_string(),
        answer_refresh,
    );
    let mut answers = vec![open_answer(TWO_COLS, access)];
    answers.extend(then);
    let transport = StubTransport::new(answers);
    let app = mount(platform_with_bx24(transport.clone()));
    app.wait_for("the fields", |a| a.all(".field").len() == 4)
        .await;
    (app, transport)
}

impl Mounted {
    /// Types into the title and waits until Save is enabled.
    async fn edit_title(&self, text: &str) {
        self.type_into(&title_css(), text);
        self.wait_for("save enabled", |a| !a.disabled("#save"))
            .await;
    }
}

/// Opens block 31.1 again with what the earlier open left in storage and
/// checks that no edit comes back.
async fn assert_reopens_clean() {
    let transport = StubTransport::new(vec![open_answer(TWO_COLS, "X")]);
    let app = mount_keeping_storage(platform_with_bx24(transport));
    app.wait_for("the fields", |a| a.all(".field").len() == 4)
        .await;
    assert!(app.one("#draft-restored").is_none());
    assert!(app.disabled("#save"));
}

fn title_css() -> String {
    format!("[data-key='{TITLE_KEY}'] textarea")
}

fn calls() -> Vec<Value> {
    serde_json::from_str(&bx24_calls()).unwrap_or_default()
}

const TITLE_KEY: &str = ".landing-block-node-title@0";

// ---------------------------------------------------------------- tests

#[wasm_bindgen_test]
async fn loads_a_fixture_edits_and_saves_the_exact_payload_then_refreshes_the_block() {
    let (app, transport) = open_two_cols("X", true, vec![ok(r#"{"result":true}"#)]).await;

    // Header: name from the manifest, code, ids and access in words.
    assert!(app.text(".block-name").starts_with("Text with a button"));
    let meta = app.text(".block-meta");
    assert!(
        meta.contains("31.1.two_cols_text_img") && meta.contains("101"),
        "{meta}"
    );
    assert!(meta.contains("full access"), "{meta}");

    // One request opened the editor: a batch with both reads in edit mode.
    let requests = transport.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].0, "https://portal.example.com/rest/batch.json");
    let cmd = &requests[0].1["cmd"];
    let manifest_cmd = cmd["manifest"].as_str().unwrap_or_default();
    let content_cmd = cmd["content"].as_str().unwrap_or_default();
    assert!(
        manifest_cmd.starts_with("landing.block.getmanifest?"),
        "{manifest_cmd}"
    );
    assert!(
        manifest_cmd.contains("edit_mode%5D=1") || manifest_cmd.contains("edit_mode]=1"),
        "{manifest_cmd}"
    );
    assert!(
        content_cmd.starts_with("landing.block.getcontent?"),
        "{content_cmd}"
    );
    assert!(content_cmd.contains("editMode=1"), "{content_cmd}");
    assert!(
        content_cmd.contains("wrapper_show%5D=0") || content_cmd.contains("wrapper_show]=0"),
        "{content_cmd}"
    );
    assert_eq!(requests[0].1["auth"], "token-1");

    // Fields in the manifest's order.
    let keys: Vec<String> = app
        .all(".field")
        .iter()
        .filter_map(|f| f.get_attribute("data-key"))
        .collect();
    assert_eq!(
        keys,
        [
            TITLE_KEY,
            ".landing-block-node-text@0",
            ".landing-block-node-button@0",
            ".landing-block-node-img@0"
        ]
    );
    // Every input has a visible label tied to it.
    for input in app.all(".field input, .field textarea") {
        let id = input.id();
        let label = app.one(&format!("label[for='{id}']"));
        assert!(
            label.is_some_and(|l| !l.text_content().unwrap_or_default().trim().is_empty()),
            "label for {id}"
        );
    }
    // The text keeps its inline markup, shown formatted.
    assert!(app
        .one("[data-key='.landing-block-node-text@0'] .formatted")
        .is_some_and(|e| e.inner_html().contains("<p>")));

    assert!(app.disabled("#save"), "nothing changed yet");
    app.type_into(
        &format!("[data-key='{TITLE_KEY}'] textarea"),
        "New <b>title</b>",
    );
    app.wait_for("the change mark", |a| !a.disabled("#save"))
        .await;
    assert_eq!(app.all(".field-changed").len(), 1);
    app.type_into(
        "[data-key='.landing-block-node-button@0'] input[type=url]",
        "https://example.com/contact",
    );

    app.click("#save");
    app.click("#save"); // a double click saves once
    app.wait_for("the saved state", |a| a.text(".status").contains("Saved."))
        .await;

    let requests = transport.requests();
    assert_eq!(requests.len(), 2, "one batch and one updatenodes");
    assert_eq!(
        requests[1].0,
        "https://portal.example.com/rest/landing.block.updatenodes.json"
    );
    // Sent as a form (no CORS preflight): PHP reads every value as a string.
    assert_eq!(
        requests[1].1,
        json!({
            "lid": "1", "block": "101", "auth": "token-1",
            "data": {
                TITLE_KEY: "New <b>title</b>",
                ".landing-block-node-button@0": {
                    "text": "Contact us for more info",
                    "href": "https://example.com/contact",
                    "target": "_self"
                }
            }
        })
    );
    let calls = calls();
    let refreshes: Vec<&Value> = calls.iter().filter(|c| c[0] == "placement.call").collect();
    assert_eq!(refreshes.len(), 1);
    assert_eq!(
        *refreshes[0],
        json!(["placement.call", "refreshBlock", {"id": 101}, "function"])
    );
    assert!(app.disabled("#save"), "saved values are the new baseline");
}

#[wasm_bindgen_test]
async fn a_failed_save_keeps_the_edits_and_a_retry_saves_them() {
    let (app, transport) = open_two_cols(
        "X",
        true,
        vec![
            error(500, "INTERNAL_SERVER_ERROR"),
            Err(TransportError::Network),
            ok(r#"{"result":true}"#),
        ],
    )
    .await;
    let title = title_css();
    app.edit_title("Kept title").await;

    app.click("#save");
    app.wait_for("the error", |a| a.one(".status-error").is_some())
        .await;
    assert!(
        app.text(".status").contains("internal error"),
        "{}",
        app.text(".status")
    );
    assert_eq!(app.value(&title), "Kept title");

    app.click("#retry");
    app.wait_for("the second error", |a| {
        a.text(".status").contains("could not be reached")
    })
    .await;
    assert_eq!(app.value(&title), "Kept title");

    app.click("#retry");
    app.wait_for("the saved state", |a| a.text(".status").contains("Saved."))
        .await;
    let requests = transport.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[3].1["data"][TITLE_KEY], "Kept title");
}

#[wasm_bindgen_test]
async fn an_expired_token_is_refreshed_through_the_bridge_and_the_save_retried_once() {
    let (app, transport) = open_two_cols(
        "X",
        true,
        vec![error(401, "expired_token"), ok(r#"{"result":true}"#)],
    )
    .await;
    app.type_into(
        &format!("[data-key='{TITLE_KEY}'] textarea"),
        "After refresh",
    );
    app.wait_for("save enabled", |a| !a.disabled("#save")).await;
    app.click("#save");
    app.wait_for("the saved state", |a| a.text(".status").contains("Saved."))
        .await;

    let requests = transport.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[1].1["auth"], "token-1");
    assert_eq!(requests[2].1["auth"], "fresh-token");
    let refreshes = calls().iter().filter(|c| c[0] == "refreshAuth").count();
    assert_eq!(refreshes, 1);
}

#[wasm_bindgen_test]
async fn an_unanswered_refresh_block_reports_saved_but_unconfirmed() {
    let (app, transport) = open_two_cols("X", false, vec![ok(r#"{"result":true}"#)]).await;
    app.edit_title("Unconfirmed").await;
    app.click("#save");
    app.wait_for("the unconfirmed note", |a| {
        a.one(".status-warning").is_some()
    })
    .await;
    assert!(app.text(".status").contains("did not confirm"));
    assert_eq!(transport.requests().len(), 2);
}

#[wasm_bindgen_test]
async fn access_denied_on_save_says_so_and_keeps_the_edits() {
    let (app, transport) = open_two_cols("W", true, vec![error(403, "ACCESS_DENIED")]).await;
    app.edit_title("Denied").await;
    app.click("#save");
    app.wait_for("the denial", |a| {
        a.text(".status").contains("do not have permission")
    })
    .await;
    assert_eq!(app.value(&title_css()), "Denied");
    assert_eq!(transport.requests().len(), 2, "a denial is not retried");
    assert!(
        calls().iter().all(|c| c[0] != "placement.call"),
        "no refresh after a failed save"
    );
}

#[wasm_bindgen_test]
async fn design_only_access_shows_a_read_only_view() {
    let (app, _) = open_two_cols("V", true, vec![]).await;
    assert!(app.one("#save").is_none());
    assert!(app.text(".notice-warning").contains("design only"));
    let title = app
        .one(&format!("[data-key='{TITLE_KEY}'] textarea"))
        .expect("title");
    assert!(title.has_attribute("readonly"));
}

#[wasm_bindgen_test]
async fn cards_are_grouped_and_addressed_by_position() {
    install_bx24_double(
        &init_data(
            "44.7.three_columns_with_img_and_price",
            "landing_block_44.7.three_columns_with_img_and_price",
        )
        .to_string(),
        true,
    );
    let transport = StubTransport::new(vec![open_answer(PRICES, "X"), ok(r#"{"result":true}"#)]);
    let app = mount(platform_with_bx24(transport.clone()));
    app.wait_for("the card groups", |a| a.all(".group-card").len() == 3)
        .await;
    assert_eq!(app.all(".field").len(), 21, "7 nodes in each of 3 cards");
    assert!(app
        .text(".group-card:nth-of-type(3) .group-title")
        .contains("#3"));
    let third_price = "[data-key='.landing-block-node-card-price@2'] textarea";
    app.type_into(third_price, "$99");
    let image = "[data-key='.landing-block-node-card-img@1'] input[id$='-src']";
    app.type_into(image, "https://cdn.example.com/new.png");
    app.wait_for("save enabled", |a| !a.disabled("#save")).await;
    // The live preview follows the URL.
    let preview = app
        .one("[data-key='.landing-block-node-card-img@1'] .image-preview img")
        .expect("preview");
    assert_eq!(
        preview.get_attribute("src").as_deref(),
        Some("https://cdn.example.com/new.png")
    );

    app.click("#save");
    app.wait_for("the saved state", |a| a.text(".status").contains("Saved."))
        .await;
    let data = &transport.requests()[1].1["data"];
    assert_eq!(data[".landing-block-node-card-price@2"], "$99");
    assert_eq!(
        data[".landing-block-node-card-img@1"]["src"],
        "https://cdn.example.com/new.png"
    );
    assert_eq!(data.as_object().map(|d| d.len()), Some(2));
}

#[wasm_bindgen_test]
async fn discard_restores_the_loaded_values() {
    let (app, _) = open_two_cols("X", true, vec![]).await;
    let title = title_css();
    let original = app.value(&title);
    app.type_into(&title, "Throwaway");
    app.wait_for("discard enabled", |a| !a.disabled("#discard"))
        .await;
    app.click("#discard");
    app.wait_for("the original value", |a| a.value(&title) == original)
        .await;
    assert!(app.disabled("#save"));
}

#[wasm_bindgen_test]
async fn close_with_unsaved_changes_asks_first() {
    let (app, _) = open_two_cols("X", true, vec![]).await;
    app.edit_title("Unsaved").await;
    app.click("#close");
    app.wait_for("the question", |a| a.one(".confirm").is_some())
        .await;
    assert!(calls().iter().all(|c| c[0] != "closeApplication"));
    app.click("#confirm-close");
    leptos::task::tick().await;
    assert!(calls().iter().any(|c| c[0] == "closeApplication"));
    drop(app);
    // Closed without saving on purpose: the edits do not come back.
    assert_reopens_clean().await;
}

#[wasm_bindgen_test]
async fn a_placement_that_is_not_a_block_gets_a_clear_translated_screen() {
    let mut data = init_data("31.1.two_cols_text_img", "CRM_DEAL_DETAIL_TAB");
    data["LANG"] = json!("ru");
    install_bx24_double(&data.to_string(), true);
    // The test server does not serve the app's static/i18n files the app would fetch.
    let russian = serde_json::from_str(include_str!("../static/i18n/ru.json")).expect("Russian");
    i18n::install(Lang::Ru, &russian);
    let transport = StubTransport::new(vec![]);
    let app = mount(platform_with_bx24(transport.clone()));
    app.wait_for("the error screen", |a| a.one(".screen-problem").is_some())
        .await;
    let text = app.text(".screen-problem");
    assert!(text.contains("CRM_DEAL_DETAIL_TAB"), "{text}");
    assert!(
        text.chars().any(|c| ('а'..='я').contains(&c)),
        "Russian text: {text}"
    );
    assert!(
        transport.requests().is_empty(),
        "nothing is sent for a bad context"
    );
}

#[wasm_bindgen_test]
async fn the_native_frame_protocol_formats_commands_and_ignores_foreign_messages() {
    let window = web_sys::window().expect("window");
    let host = window.location().host().expect("host");
    let origin = window.location().origin().expect("origin");
    let frame = parse_window_name(&format!("{host}|0|sid-123")).expect("frame name");
    assert_eq!(frame.origin(), origin);
    install_frame_parent(&origin);
    let bridge = FrameBridge::new(frame, window.clone()).expect("bridge");

    let init = bridge.init_data().await.expect("init data");
    assert_eq!(init.lang, Some(Loose::Text("de".into())));

    let answer = bridge
        .placement_call("refreshBlock", raw(&json!({"id": 101})), 5_000)
        .await
        .expect("answer");
    assert_eq!(value_of(answer), json!({"done": true}));

    // A denied command gets no answer: the call times out and is forgotten.
    let denied = bridge
        .placement_call("resizeWindow", raw(&json!({"height": 10})), 300)
        .await;
    assert!(matches!(denied, Err(BridgeError::Timeout)));
    assert_eq!(bridge.pending_calls(), 0);

    let seen: Vec<String> = serde_json::from_str(&frame_seen()).expect("seen");
    assert_eq!(seen.len(), 3, "{seen:?}");
    let ids: Vec<&str> = seen
        .iter()
        .map(|m| m.split(':').rev().nth(1).unwrap_or(""))
        .collect();
    assert_eq!(seen[0], format!("getInitData::{}:sid-123", ids[0]));
    assert_eq!(
        seen[1],
        format!("refreshBlock:{{\"id\":101}}:{}:sid-123", ids[1])
    );
    assert_eq!(
        seen[2],
        format!("resizeWindow:{{\"height\":10}}:{}:sid-123", ids[2])
    );
    assert!(ids.iter().all(|id| !id.is_empty()));
    assert_ne!(ids[0], ids[1]);
}

#[wasm_bindgen_test]
async fn unsaved_edits_survive_a_closed_slider_and_come_back_on_reopen() {
    install_bx24_double(
        &init_data("31.1.two_cols_text_img", "LANDING_BLOCK_*").to_string(),
        true,
    );
    let title = title_css();
    {
        let transport = StubTransport::new(vec![open_answer(TWO_COLS, "X")]);
        let app = mount(platform_with_bx24(transport));
        app.wait_for("the fields", |a| a.all(".field").len() == 4)
            .await;
        app.type_into(&title, "Half-written title");
        app.wait_for("save enabled", |a| !a.disabled("#save")).await;
        // The slider goes away without Save or Close: the app is unmounted.
    }
    let transport = StubTransport::new(vec![open_answer(TWO_COLS, "X"), ok(r#"{"result":true}"#)]);
    let app = mount_keeping_storage(platform_with_bx24(transport.clone()));
    app.wait_for("the restored edit", |a| a.one("#draft-restored").is_some())
        .await;
    assert_eq!(app.value(&title), "Half-written title");
    assert!(!app.disabled("#save"), "the restored edit is unsaved");
    app.click("#save");
    app.wait_for("the saved state", |a| a.text(".status").contains("Saved."))
        .await;
    assert_eq!(
        transport.requests()[1].1["data"][TITLE_KEY],
        "Half-written title"
    );
    drop(app);

    // Saved: nothing comes back the next time.
    assert_reopens_clean().await;
}

#[wasm_bindgen_test]
async fn a_script_address_is_refused_before_anything_is_sent() {
    let (app, transport) = open_two_cols("X", true, vec![ok(r#"{"result":true}"#)]).await;
    let url = "[data-key='.landing-block-node-button@0'] input[type=url]";
    app.type_into(url, "javascript:alert(document.cookie)");
    app.wait_for("the refusal", |a| a.one(".field-error").is_some())
        .await;
    assert!(app.disabled("#save"));
    app.type_into(url, "https://example.com/");
    app.wait_for("save enabled", |a| !a.disabled("#save")).await;
    assert!(app.one(".field-error").is_none());
    app.click("#save");
    app.wait_for("the saved state", |a| a.text(".status").contains("Saved."))
        .await;
    let data = &transport.requests()[1].1["data"];
    assert_eq!(
        data[".landing-block-node-button@0"]["href"],
        "https://example.com/"
    );
}

#[wasm_bindgen_test]
async fn opened_directly_it_explains_how_the_app_is_opened() {
    // Neither the library (it sets BX24 = null outside a portal) nor a frame name.
    let _ = js_sys::Reflect::set(&window(), &"BX24".into(), &JsValue::NULL);
    assert_eq!(window().name().unwrap_or_default(), "");
    let transport = StubTransport::new(vec![]);
    let app = mount(Platform {
        bridge: None,
        transport: transport.clone(),
        clock: Rc::new(BrowserClock),
    });
    app.wait_for("the explanation", |a| a.one(".screen-standalone").is_some())
        .await;
    let text = app.text(".screen-standalone");
    assert!(
        text.contains("Sites editor") && text.contains("More"),
        "{text}"
    );
    assert!(
        text.contains("127.0.0.1:8090"),
        "the dev hint names the emulator: {text}"
    );
    assert!(transport.requests().is_empty());
}

/// The app's own page, opened from the application list.
fn app_page_data(is_admin: bool) -> Value {
    json!({
        "DOMAIN": "portal.example.com", "PROTOCOL": 1, "PATH": "/rest", "LANG": "en",
        "AUTH_ID": "token-1", "AUTH_EXPIRES": 3600, "REFRESH_ID": "refresh-1",
        "MEMBER_ID": "member-1", "IS_ADMIN": is_admin, "PLACEMENT": "DEFAULT",
        "PLACEMENT_OPTIONS": {},
    })
}

/// A `placement.get` + `app.option.get` batch answer.
fn bindings_answer(placements: Value) -> Result<HttpResponse, TransportError> {
    let result = json!({"result": {"result": {"placements": placements, "options": []},
                        "result_error": []}});
    ok(result.to_string())
}

#[wasm_bindgen_test]
async fn the_installation_finishes_only_after_the_binding_succeeded() {
    install_bx24_double(&app_page_data(true).to_string(), true);
    // The portal lists what the app bound: its own address as the handler.
    let here = default_handler(&window().location().href().unwrap_or_default());
    let every = json!([{"placement": "LANDING_BLOCK_*", "handler": here, "title": "Block editor"}]);
    let transport = StubTransport::new(vec![
        bindings_answer(json!([])),
        error(403, "ACCESS_DENIED"),
        bindings_answer(json!([])),
        ok(r#"{"result":true}"#),
        bindings_answer(every),
        ok(r#"{"result":true}"#),
    ]);
    let app = mount_settings(platform_with_bx24(transport.clone()));
    app.wait_for("the refused binding", |a| {
        a.one("#settings-error").is_some()
    })
    .await;
    assert!(
        app.text("#settings-error").contains("permission"),
        "{}",
        app.text("#settings-error")
    );
    assert!(
        calls().iter().all(|c| c[0] != "installFinish"),
        "the installation was finished although the binding failed"
    );

    app.click("#settings-retry");
    app.wait_for("the binding", |a| a.one("li.binding").is_some())
        .await;
    let finished = calls().iter().filter(|c| c[0] == "installFinish").count();
    assert_eq!(finished, 1);
    let requests = transport.requests();
    let methods: Vec<&str> = requests
        .iter()
        .map(|(url, _)| url.rsplit('/').next().unwrap_or_default())
        .collect();
    assert_eq!(
        methods,
        [
            "batch.json",
            "landing.repo.bind.json",
            "batch.json",
            "landing.repo.bind.json",
            "batch.json",
            "app.option.set.json"
        ]
    );
    let fields = &requests[3].1["fields"];
    assert_eq!(fields["PLACEMENT"], "LANDING_BLOCK_*");
    assert_eq!(fields["TITLE"], "Block editor");
    let handler = fields["PLACEMENT_HANDLER"].as_str().unwrap_or_default();
    let page = window().location().href().unwrap_or_default();
    assert!(
        handler == here && page.starts_with(handler) && !handler.contains('?'),
        "handler {handler:?} for page {page:?}"
    );
    // The binding the app made is its own, not "found on the portal".
    assert!(!app.text("li.binding").contains("outside the app"));
    let stored = requests[5].1["options"]["bindings"]
        .as_str()
        .unwrap_or_default();
    assert!(stored.contains("LANDING_BLOCK_*"), "{stored}");
}

#[wasm_bindgen_test]
async fn a_user_who_is_not_an_admin_sees_the_list_and_sends_nothing() {
    let mut data = app_page_data(false);
    data["APP_OPTIONS"] = json!({"bindings": json!([
        {"placement": "LANDING_BLOCK_04.1.one_col_fix_with_title", "handler": "https://app.example/",
         "title": "Edit <b>title</b>"}
    ]).to_string()});
    install_bx24_double(&data.to_string(), true);
    let transport = StubTransport::new(vec![]);
    let app = mount_settings(platform_with_bx24(transport.clone()));
    app.wait_for("the read-only list", |a| a.one("li.binding").is_some())
        .await;
    assert!(app.one("#admin-only").is_some());
    let row = app.text("li.binding");
    assert!(row.contains("04.1.one_col_fix_with_title"), "{row}");
    assert!(row.contains("Edit <b>title</b>"), "titles are text: {row}");
    assert!(app.one("li.binding b").is_none());
    assert!(app.all("input, #bind-add, .binding-remove").is_empty());
    sleep(100).await;
    assert!(transport.requests().is_empty());
}

#[wasm_bindgen_test]
async fn the_editor_hands_the_app_page_to_its_own_bundle_and_says_so_when_that_is_missing() {
    // The test server has no settings.js: the import fails, which the user is told.
    install_bx24_double(&app_page_data(true).to_string(), true);
    let transport = StubTransport::new(vec![]);
    let app = mount(platform_with_bx24(transport.clone()));
    app.wait_for("the failure", |a| a.one(".screen-problem").is_some())
        .await;
    let text = app.text(".screen-problem");
    assert!(text.contains("settings page could not be loaded"), "{text}");
    assert!(app.one("#retry-start").is_some());
    assert!(app.all("li.binding, #bind-add").is_empty());
    assert!(transport.requests().is_empty());
}

#[wasm_bindgen_test]
async fn a_failed_load_is_retried_in_the_same_session() {
    install_bx24_double(
        &init_data("31.1.two_cols_text_img", "LANDING_BLOCK_*").to_string(),
        true,
    );
    let transport = StubTransport::new(vec![
        error(500, "INTERNAL_SERVER_ERROR"),
        open_answer(TWO_COLS, "X"),
    ]);
    let app = mount(platform_with_bx24(transport.clone()));
    app.wait_for("the load error", |a| a.one("#retry-load").is_some())
        .await;
    assert!(app.text(".screen-problem").contains("internal error"));
    app.click("#retry-load");
    app.wait_for("the fields", |a| a.all(".field").len() == 4)
        .await;
    let requests = transport.requests();
    assert_eq!(requests.len(), 2, "one failed and one retried batch");
    assert!(
        requests[1].0.ends_with("/rest/batch.json"),
        "{}",
        requests[1].0
    );
    let inits = calls().iter().filter(|c| c[0] == "init").count();
    assert_eq!(inits, 1, "the retry reuses the session");
}

#[wasm_bindgen_test]
async fn health_findings_follow_the_edits_and_lead_to_their_fields() {
    let (app, _) = open_two_cols("X", true, vec![]).await;
    let text = "[data-key='.landing-block-node-text@0']";
    // The fixture's paragraph is the catalogue's template text, its button goes to "#".
    assert!(app.one(&format!("{text}.field-findings")).is_some());
    assert!(app.text(&format!("{text} .findings")).contains("template"));
    let count = app.all(".health-list .finding").len();
    assert!(count >= 2, "{count} findings");
    assert!(app.text("#health-badge").contains(&count.to_string()));

    // The paragraph typed as HTML (the expert toggle).
    app.click(&format!("{text} .expert-toggle"));
    app.wait_for("the HTML", |a| a.one(&format!("{text} textarea")).is_some())
        .await;
    app.type_into(
        &format!("{text} textarea"),
        "<p>Our team answers within a day.</p>",
    );
    app.wait_for("the template finding to go", |a| {
        a.one(&format!("{text}.field-findings")).is_none()
    })
    .await;
    assert_eq!(app.all(".health-list .finding").len(), count - 1);
    // A finding informs, it does not hold Save.
    assert!(!app.disabled("#save"));

    let first = app.one(".health-list .finding").expect("a finding");
    first.unchecked_ref::<web_sys::HtmlElement>().click();
    let active = || {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
    };
    // Once its card is open: on the next frame.
    app.wait_for("a field focused", |_| {
        active().is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA"))
    })
    .await;
    let active = active().expect("a focused element");
    let field = active.closest(".field").ok().flatten().expect("in a field");
    assert!(field.class_list().contains("field-findings"));

    // Template text typed back brings the finding back.
    app.type_into(&format!("{text} textarea"), "Lorem ipsum dolor sit amet");
    app.wait_for("the template finding again", |a| {
        a.one(&format!("{text}.field-findings")).is_some()
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_save_in_flight_makes_the_form_inert_and_gives_the_focus_back() {
    let (app, _) = open_two_cols(
        "X",
        true,
        vec![
            error(500, "INTERNAL_SERVER_ERROR"),
            Err(TransportError::Network),
        ],
    )
    .await;
    app.edit_title("Typed, then Ctrl+S").await;
    let title = app.one(&title_css()).expect("the title");
    let _ = title.unchecked_ref::<web_sys::HtmlElement>().focus();
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("s");
    init.set_ctrl_key(true);
    init.set_cancelable(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("a keyboard event");
    let window = web_sys::window().expect("a window");
    let _ = window.dispatch_event(&event);
    // One attribute locks every control while the save runs (and retries).
    app.wait_for("the inert form", |a| {
        a.one("form.fields")
            .is_some_and(|f| f.has_attribute("inert"))
    })
    .await;
    app.wait_for("the failure", |a| a.one(".status-error").is_some())
        .await;
    assert!(app
        .one("form.fields")
        .is_some_and(|f| !f.has_attribute("inert")));
    app.wait_for("the focus back in the title", |_| {
        window
            .document()
            .and_then(|d| d.active_element())
            .is_some_and(|el| el == title)
    })
    .await;
    assert_eq!(app.value(&title_css()), "Typed, then Ctrl+S");
}
