//! Hostile input in a real browser (headless Chromium through wasm-bindgen-test):
//! - the content → fields extraction (DOMParser + the core) fuzzed with malformed HTML and
//!   manifests;
//! - the frame protocol under foreign origins and sources, non-string, huge and malformed
//!   data, unknown and replayed callback ids, floods, and hostile DOMAIN / `window.name`;
//! - block content, names, codes, error texts and placement options that carry markup and
//!   script.
//!
//! Every payload that could run sets `window.__pwned` and every element a payload could
//! inject carries `data-pwn`: a test fails when the flag is set, when such an element exists
//! in the document or was ever inserted into the app (a MutationObserver watches), or when
//! the page reports an error. Case counts are printed with `console_log!`.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use landing_block_editor::bridge::bx24::Bx24Bridge;
use landing_block_editor::bridge::frame::FrameBridge;
use landing_block_editor::bridge::{Bridge, BridgeError};
use landing_block_editor::browser::{sleep, BrowserClock};
use landing_block_editor::client::{HttpResponse, LocalFuture, TransportError};
use landing_block_editor::core::model::{build_form, changed_count, node_payload, Manifest};
use landing_block_editor::core::protocol::{parse_window_name, FrameName};
use landing_block_editor::dom::extract;
use landing_block_editor::ui::Platform;
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

#[wasm_bindgen(inline_js = r#"
// ------------------------------------------------------------------ watchers
export function watch_reset() {
  // A test that failed leaves its app behind (a wasm panic runs no destructor).
  for (const root of document.querySelectorAll(".lbe-test-root")) root.remove();
  window.__pwned = 0;
  window.__pageErrors = [];
  window.__injected = [];
  if (!window.__watching) {
    window.__watching = true;
    window.addEventListener("error", (e) => {
      // Failed loads of preview images (a bad URL) are expected; script errors are not.
      if (e.target && e.target !== window) return;
      window.__pageErrors.push(String(e.message));
    }, true);
    window.addEventListener("unhandledrejection", (e) => window.__pageErrors.push("rejection: " + String(e.reason)));
    const dangerous = new Set(["SCRIPT", "IFRAME", "OBJECT", "EMBED", "BASE", "META", "FRAME", "FRAMESET"]);
    // The app's own preview frame, sandboxed without scripts, is the one frame it may add;
    // what it shows is checked on its own (preview_frame_is_clean).
    const ownPreview = (el) => el.tagName === "IFRAME" && el.classList.contains("preview-frame")
      && el.getAttribute("sandbox") === "allow-same-origin";
    const look = (node) => {
      if (node.nodeType !== 1) return;
      const all = [node, ...node.querySelectorAll("*")];
      for (const el of all) {
        if (el.hasAttribute("data-pwn") || dangerous.has(el.tagName) && !ownPreview(el) && el.closest(".lbe-test-root")) {
          window.__injected.push(el.outerHTML.slice(0, 200));
        }
        for (const attr of el.attributes) {
          if (attr.name.startsWith("on") && el.closest(".lbe-test-root")) {
            window.__injected.push("handler attribute " + attr.name + " on " + el.tagName);
          }
        }
      }
    };
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) look(n);
        if (r.type === "attributes" && r.target.nodeType === 1) look(r.target);
      }
    }).observe(document, { childList: true, subtree: true, attributes: true });
  }
}
export function pwned() { return window.__pwned || 0; }
export function page_errors() { return JSON.stringify(window.__pageErrors || []); }
export function injected() { return JSON.stringify(window.__injected || []); }
export function payload_elements_in_document() { return document.querySelectorAll("[data-pwn]").length; }
// What could run in the preview frame's document, had it scripts: it must be nothing.
export function preview_dangers() {
  const f = document.querySelector(".preview-frame");
  const d = f && f.contentDocument;
  if (!d) return "[]";
  const found = [...d.querySelectorAll("script, iframe, object, embed, base, frame, style, meta[http-equiv]")]
    .map((el) => el.outerHTML.slice(0, 200));
  for (const el of d.querySelectorAll("*")) for (const a of el.attributes) {
    if (a.name.startsWith("on") || /^\s*(javascript|vbscript):/i.test(a.value)) {
      found.push(el.tagName + " " + a.name + "=" + a.value.slice(0, 100));
    }
  }
  return JSON.stringify(found);
}

// ------------------------------------------------------------------ BX24 double
export function install_bx24(initJson, throwOnInit) {
  const init = JSON.parse(initJson);
  window.__bx24calls = [];
  window.BX24 = {
    init(cb) {
      if (throwOnInit) throw new Error(throwOnInit);
      window.__bx24calls.push("init"); setTimeout(cb, 0);
    },
    placement: {
      info() { return { placement: init.PLACEMENT, options: init.PLACEMENT_OPTIONS }; },
      call(command, params, cb) { window.__bx24calls.push(command); setTimeout(() => cb({}), 0); },
    },
    getAuth() {
      return { access_token: init.AUTH_ID, refresh_token: "refresh-1", expires_in: 3600,
               domain: init.DOMAIN, member_id: "m" };
    },
    refreshAuth(cb) { setTimeout(() => cb({ access_token: "fresh", refresh_token: "r", expires_in: 3600 }), 0); },
    getLang() { return init.LANG; },
    getDomain() { return init.DOMAIN; },
    isAdmin() { return true; },
    installFinish() {},
    closeApplication() { window.__bx24calls.push("closeApplication"); },
  };
}
export function remove_bx24() { try { delete window.BX24; } catch (e) { window.BX24 = undefined; } }

// ------------------------------------------------------------------ frame parent double
// Plays the portal for the app's own frame protocol. Before each genuine answer it sends
// forged answers with the same callback id: from a foreign origin, from the right origin
// but another window, from a sandboxed (opaque-origin) frame and from a same-origin frame.
// `answerRefresh` false: refreshBlock gets only forged answers.
export function install_portal(sid, initJson, answerRefresh) {
  const state = { seen: [], forged: 0, forgedArrived: 0, genuine: 0, sid };
  window.__portal = state;
  const origin = location.origin;
  const evil = JSON.stringify({ DOMAIN: "evil.example", PROTOCOL: 1, AUTH_ID: "stolen", PLACEMENT: "LANDING_BLOCK_*",
    PLACEMENT_OPTIONS: { ID: "666", LID: "6", CODE: "evil" }, LANG: "en" });
  const frames = [];
  const forge = (cb, payload) => {
    const data = cb + ":" + payload;
    window.dispatchEvent(new MessageEvent("message", { data, origin: "https://evil.example", source: window }));
    window.dispatchEvent(new MessageEvent("message", { data, origin, source: null }));
    window.dispatchEvent(new MessageEvent("message", { data, origin: "null", source: window }));
    state.forged += 3;
    for (const sandbox of [true, false]) {
      const f = document.createElement("iframe");
      if (sandbox) f.setAttribute("sandbox", "allow-scripts");
      f.style.display = "none";
      f.srcdoc = "<script>parent.postMessage(" + JSON.stringify(data) + ", '*');<\/script>";
      document.body.appendChild(f);
      frames.push(f);
      state.forged += 1;
    }
  };
  window.addEventListener("message", (event) => {
    if (event.source && event.source !== window) { state.forgedArrived += 1; return; }
    if (typeof event.data !== "string") return;
    const parts = event.data.split(":");
    if (parts.length < 4 || parts[parts.length - 1] !== sid) return;
    const command = parts[0];
    const cb = parts[parts.length - 2];
    state.seen.push(command);
    if (!cb) return;
    if (command === "getInitData") {
      forge(cb, evil);
      // The genuine answer once the forged frame messages have been delivered.
      const started = Date.now();
      const answer = () => {
        if (state.forgedArrived < 2 && Date.now() - started < 3000) { setTimeout(answer, 20); return; }
        state.genuine += 1;
        window.postMessage(cb + ":" + initJson, origin);
      };
      setTimeout(answer, 20);
    } else if (command === "refreshBlock") {
      forge(cb, "{\"forged\":true}");
      if (answerRefresh) setTimeout(() => { state.genuine += 1; window.postMessage(cb + ":{}", origin); }, 300);
    }
  });
}
export function portal_state() { return JSON.stringify(window.__portal || {}); }
export function remove_test_frames() { for (const f of document.querySelectorAll("iframe")) f.remove(); }

// Records what the app posts to itself (it is its own parent in these tests).
export function frame_commands() {
  return JSON.stringify((window.__portal && window.__portal.seen) || []);
}

// ------------------------------------------------------------------ hostile messages
// Posts `count` messages of every hostile kind through the real postMessage (right origin
// and source, so only the data checks stand between them and the app), for the callback
// ids in `idsJson` (pending and stale ones). None is a well-formed reply to those ids: from
// the portal's own window and origin that would be a genuine answer. Returns the count.
export function flood(idsJson, count, withHuge) {
  const ids = JSON.parse(idsJson).concat(["lbe0", "lbe999999", "x", "-", "lbe1 ", ""]);
  const origin = location.origin;
  const kinds = [
    (id) => 42,
    (id) => null,
    (id) => undefined,
    (id) => true,
    (id) => ({ callback: id, data: {} }),
    (id) => [id, "{}"],
    (id) => new ArrayBuffer(8),
    (id) => new Blob(["x"]),
    (id) => id + ":{not json",
    (id) => id + ":[1,2",
    (id) => id + ":" + "[".repeat(5000),
    (id) => id + ":\"\\ud800\"",
    (id) => id + ":1e999",
    (id) => id + ":<script data-pwn>window.__pwned=1<\/script>",
    (id) => "refreshBlock:{\"id\":101}:" + id + ":wrong-sid",
    (id) => "getInitData::" + id + ":sid-hostile",
    (id) => ":" + id,
    (id) => id,
    (id) => "webpackHotUpdate" + id,
    (id) => id.toUpperCase() + ":{}",
    (id) => "lbe" + Math.floor(Math.random() * 1e9) + ":{\"DOMAIN\":\"evil.example\"}",
  ];
  let posted = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[i % ids.length];
    window.postMessage(kinds[i % kinds.length](id), origin);
    posted += 1;
  }
  if (withHuge) {
    // Huge and malformed for the given ids; huge and well-formed only for unknown ones.
    for (const id of ids.slice(0, 2)) {
      window.postMessage(id + ":" + JSON.stringify("x".repeat(4 << 20)).slice(0, -1), origin);
      window.postMessage(id + ":{" + "\"k\":1,".repeat(200000), origin);
      posted += 2;
    }
    window.postMessage("lbe999999:" + JSON.stringify("x".repeat(4 << 20)), origin);
    window.postMessage("unknown:[" + "1,".repeat(500000) + "1]", origin);
    posted += 2;
  }
  return posted;
}

// A message from the right origin and window that is a genuine-looking reply.
export function post_reply(id, payloadJson) {
  window.postMessage(id + ":" + payloadJson, location.origin);
}
// The same reply, forged: foreign origin, or right origin from another window.
export function forge_reply(id, payloadJson) {
  const data = id + ":" + payloadJson;
  window.dispatchEvent(new MessageEvent("message", { data, origin: "https://evil.example", source: window }));
  window.dispatchEvent(new MessageEvent("message", { data, origin: location.origin, source: null }));
  const f = document.createElement("iframe");
  f.setAttribute("sandbox", "allow-scripts");
  f.style.display = "none";
  f.srcdoc = "<script>parent.postMessage(" + JSON.stringify(data) + ", '*');<\/script>";
  document.body.appendChild(f);
  return 3;
}

// Records the app's commands when it is its own parent (frame bridge tests without a portal).
export function record_commands(sid) {
  window.__recorded = [];
  window.addEventListener("message", (event) => {
    if (typeof event.data === "string" && event.data.endsWith(":" + sid)) window.__recorded.push(event.data);
  });
}
export function recorded() { return JSON.stringify(window.__recorded || []); }

// Counts postMessage calls the page makes until `unspy_post_message`. (While the spy is in
// place, a same-origin frame calling parent.postMessage would post as this window: the spy
// is this window's function. So it is removed right after use.)
export function spy_post_message() {
  window.__posts = 0;
  const real = window.postMessage.bind(window);
  window.postMessage = function (...args) { window.__posts += 1; return real(...args); };
}
export function unspy_post_message() { delete window.postMessage; }
export function post_count() { return window.__posts || 0; }

export function press_ctrl_s() {
  window.dispatchEvent(new KeyboardEvent("keydown", { key: "s", ctrlKey: true, bubbles: true, cancelable: true }));
}
"#)]
extern "C" {
    fn watch_reset();
    fn pwned() -> u32;
    fn page_errors() -> String;
    fn injected() -> String;
    fn payload_elements_in_document() -> u32;
    fn preview_dangers() -> String;
    fn install_bx24(init_json: &str, throw_on_init: &str);
    fn remove_bx24();
    fn install_portal(sid: &str, init_json: &str, answer_refresh: bool);
    fn portal_state() -> String;
    fn remove_test_frames();
    fn frame_commands() -> String;
    fn flood(ids_json: &str, count: u32, with_huge: bool) -> u32;
    fn post_reply(id: &str, payload_json: &str);
    fn forge_reply(id: &str, payload_json: &str) -> u32;
    fn record_commands(sid: &str);
    fn recorded() -> String;
    fn spy_post_message();
    fn unspy_post_message();
    fn post_count() -> u32;
    fn press_ctrl_s();
}

// ---------------------------------------------------------------- doubles and helpers

/// The portal's batch answer for a block with this manifest and content.
fn open_answer(manifest: &Value, html: &str) -> Result<HttpResponse, TransportError> {
    let content = json!({"id": 101, "lid": 1, "active": true, "access": "X", "content": html});
    ok(json!({
        "result": {"result": {"manifest": manifest, "content": content},
                   "result_error": [], "result_total": [], "result_next": [], "result_time": []},
        "time": {"start": 1}
    })
    .to_string())
}

const TWO_COLS: &str = include_str!("../emulator/fixtures/blocks/31.1.two_cols_text_img.json");

fn fixture_open_answer() -> Result<HttpResponse, TransportError> {
    let fixture = serde_json::from_str::<Value>(TWO_COLS).expect("fixture");
    open_answer(
        &fixture["manifest"],
        fixture["content"].as_str().unwrap_or(""),
    )
}

fn init_data(domain: &str) -> Value {
    json!({
        "DOMAIN": domain, "PROTOCOL": 1, "PATH": "/rest", "LANG": "en",
        "AUTH_ID": "token-1", "AUTH_EXPIRES": 3600, "REFRESH_ID": "refresh-1",
        "MEMBER_ID": "member-1", "IS_ADMIN": true, "PLACEMENT": "LANDING_BLOCK_*",
        "PLACEMENT_OPTIONS": {"ID": "101", "CODE": "31.1.two_cols_text_img", "LID": "1"},
    })
}

fn window() -> web_sys::Window {
    web_sys::window().expect("window")
}

/// The test page's own frame name: it is its own parent, at its own (loopback) origin.
fn own_frame(sid: &str) -> FrameName {
    let host = window().location().host().expect("host");
    parse_window_name(&format!("{host}|0|{sid}")).expect("frame name")
}

/// Nothing ran, nothing was injected, the page reported no error.
fn assert_clean(context: &str) {
    assert_eq!(pwned(), 0, "{context}: a payload ran");
    assert_eq!(
        payload_elements_in_document(),
        0,
        "{context}: a payload element is in the document"
    );
    let dangers: Vec<String> = serde_json::from_str(&preview_dangers()).unwrap_or_default();
    assert!(
        dangers.is_empty(),
        "{context}: the preview holds what could run: {dangers:?}"
    );
    let injected: Vec<String> = serde_json::from_str(&injected()).unwrap_or_default();
    assert!(
        injected.is_empty(),
        "{context}: elements were injected: {injected:?}"
    );
    let errors: Vec<String> = serde_json::from_str(&page_errors()).unwrap_or_default();
    assert!(errors.is_empty(), "{context}: page errors: {errors:?}");
}

fn platform(bridge: Option<Rc<dyn Bridge>>, transport: Rc<StubTransport>) -> Platform {
    Platform {
        bridge,
        transport,
        clock: Rc::new(BrowserClock),
    }
}

/// Runs `future` while `driver` acts; `finished` tells the driver whether it is done.
async fn while_running<T>(
    future: LocalFuture<'_, T>,
    driver: impl std::future::Future<Output = ()>,
    finished: &Cell<bool>,
) -> T {
    let watched = async {
        let out = future.await;
        finished.set(true);
        out
    };
    let (out, ()) = futures::join!(watched, driver);
    out
}

// ---------------------------------------------------------------- 1. DOM extraction fuzz

/// xorshift64*: the same cases on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FUZZ_SELECTORS: &[&str] = &[
    ".n0",
    ".n1",
    ".n2",
    ".n3",
    "img",
    "a",
    "div > .n1",
    "*",
    ".n0 .n1",
    "[data-x]",
    "a[href^=\"javascript\"]",
    "",
    " ",
    "[",
    ".",
    "div:has(",
    "::before",
    "\\",
    "#\u{0}",
    ".n0,",
    ":not(",
    "svg|a",
    ".\u{1F600}",
    "<img src=x onerror=window.__pwned=1 data-pwn>",
    "a@1",
];

const FUZZ_KINDS: &[&str] = &[
    "text",
    "link",
    "img",
    "icon",
    "embed",
    "map",
    "component",
    "styleimg",
    "IMG",
    "",
    "\u{0}",
];

/// Pieces of hostile or broken HTML; `{c}` becomes one of the node classes.
const FUZZ_FRAGMENTS: &[&str] = &[
    "<div class=\"{c}\">text &amp; more</div>",
    "<a class=\"{c}\" href=\"javascript:window.__pwned=1\" target=_blank>go <b>bold</b></a>",
    "<img class=\"{c}\" src=x onerror=\"window.__pwned=1\" data-pwn srcset=\"a.png 1x, b.png 2x\">",
    "<img class=\"{c}\" data-lazy-img=Y data-src=\"//cdn/x.png\" data-srcset=\"//cdn/x2.png 2x\">",
    "<div class=\"{c}\" style=\"background-image: url('x.png'); background-image: image-set(url(a.png) 1x, url(b.png) 2x)\"></div>",
    "<div class=\"{c}\" style=\"background: url(\" data-lazy-bg=Y data-src2x=\"q\"></div>",
    "<i class=\"{c} fa fa-check {c}\"></i>",
    "<div class=\"{c} embed-responsive-16by9\" data-src=\"//www.youtube.com/embed/x\" data-source=\"data:text/html,<script>parent.__pwned=1</script>\"></div>",
    "<iframe class=\"{c}\" src=\"javascript:window.__pwned=1\" data-pwn></iframe>",
    "<script data-pwn>window.__pwned=1</script>",
    "<svg data-pwn onload=\"window.__pwned=1\"><a class=\"{c}\"><text>svg</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1 data-pwn>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__pwned=1 data-pwn>\">",
    "<template><img class=\"{c}\" src=x onerror=window.__pwned=1 data-pwn></template>",
    "<details data-pwn open ontoggle=\"window.__pwned=1\"><summary class=\"{c}\">s</summary></details>",
    "<object data-pwn data=\"javascript:window.__pwned=1\"></object>",
    "<embed data-pwn src=\"javascript:window.__pwned=1\">",
    "<base data-pwn href=\"javascript:/\">",
    "<meta data-pwn http-equiv=\"refresh\" content=\"0;url=javascript:window.__pwned=1\">",
    "<body onload=\"window.__pwned=1\" data-pwn>",
    "<frameset data-pwn onload=\"window.__pwned=1\">",
    "<form data-pwn action=\"javascript:window.__pwned=1\"><button class=\"{c}\">b</button></form>",
    "<style>@import 'javascript:window.__pwned=1';</style>",
    "<!-- <img src=x onerror=window.__pwned=1 data-pwn> -->",
    "<![CDATA[ <img src=x onerror=window.__pwned=1 data-pwn> ]]>",
    "<table><tr><td class=\"{c}\">cell<table><tr><td>nested",
    "<p class=\"{c}\">unclosed <b><i>mis</b>nested</i>",
    "</div></div></section>",
    "<div class=\"{c}\" title='\"><img src=x onerror=window.__pwned=1 data-pwn>'>quoted</div>",
    "<a class=\"{c}\" href=\"&#106;avascript:window.__pwned=1\">&#x3C;script&#x3E;</a>",
    "<div class=\"{c}\">\u{0}\u{202e}\u{feff}日本語🙂</div>",
    "<select><option class=\"{c}\"><img src=x onerror=window.__pwned=1 data-pwn></option></select>",
    "<textarea class=\"{c}\"></textarea><img src=x onerror=window.__pwned=1 data-pwn></textarea>",
    "<div class=\"{c}\" data-pseudo-url='{\"url\":\"javascript:x\"}' data-fileid=\"99999999999999999999\">f</div>",
    "<a class=\"{c}\" data-embed=\"<script>x</script>\" data-url=\"javascript:x\" href=\"#\">e</a>",
    "&lt;&gt;&amp;&#0;&#x110000;&bogus;",
];

fn fuzz_manifest(rng: &mut Rng) -> Value {
    let mut nodes = Map::new();
    for _ in 0..rng.below(7) {
        let selector = rng.pick(FUZZ_SELECTORS).to_string();
        let kind = rng.pick(FUZZ_KINDS);
        let name = rng.pick(&["Title", "", "<b data-pwn>x</b>", "日本"]);
        nodes.insert(selector, json!({"type": kind, "name": name}));
    }
    let mut cards = Map::new();
    for _ in 0..rng.below(3) {
        let selector = rng.pick(&[".card", ".n0", "div", "[", "section", "*"]);
        let label: Vec<&str> = (0..rng.below(3))
            .map(|_| rng.pick(FUZZ_SELECTORS))
            .collect();
        cards.insert(
            selector.to_string(),
            json!({"name": "Card", "label": label}),
        );
    }
    // Now and then a section of the wrong shape, as PHP sends it.
    let nodes = if rng.below(20) == 0 {
        json!([])
    } else {
        Value::Object(nodes)
    };
    json!({"block": {"name": "fuzz"}, "nodes": nodes, "cards": cards})
}

fn fuzz_html(rng: &mut Rng) -> String {
    let mut html = String::new();
    let depth = if rng.below(25) == 0 {
        300 + rng.below(900)
    } else {
        rng.below(4)
    };
    for _ in 0..depth {
        html.push_str(rng.pick(&["<div class=\"card\">", "<section>", "<span>", "<b>"]));
    }
    for _ in 0..1 + rng.below(8) {
        let class = rng.pick(&["n0", "n1", "n2", "n3", "card", "x"]);
        html.push_str(&rng.pick(FUZZ_FRAGMENTS).replace("{c}", class));
    }
    if rng.below(10) == 0 {
        // A huge attribute and text.
        html.push_str(&format!(
            "<div class=\"n0\" title=\"{}\">{}</div>",
            "\"".repeat(rng.below(3)) + &"a".repeat(100_000),
            "&amp;".repeat(10_000)
        ));
    }
    html
}

#[wasm_bindgen_test]
async fn content_extraction_takes_hostile_and_malformed_html_and_manifests() {
    watch_reset();
    const CASES: usize = 1500;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut fields, mut matched_nodes) = (0usize, 0usize);
    for case in 0..CASES {
        let manifest_json = fuzz_manifest(&mut rng);
        let html = fuzz_html(&mut rng);
        let manifest =
            landing_block_editor::answer::answer_or_bare::<Manifest>(&manifest_json.to_string())
                .expect("manifest parses");
        let extracted = extract(&manifest, &html)
            .unwrap_or_else(|| panic!("case {case}: DOMParser gave no document"));
        assert_eq!(extracted.nodes.len(), manifest.nodes.len(), "case {case}");
        assert_eq!(extracted.card_counts.len(), manifest.cards.len());
        let form = build_form(&manifest, &extracted);
        // One field per match of an editable node.
        let want: usize = manifest
            .nodes
            .iter()
            .zip(&extracted.nodes)
            .filter(|(node, _)| node.kind.is_editable())
            .map(|(_, matches)| matches.len())
            .sum();
        assert_eq!(form.fields.len(), want, "case {case}: {html}");
        for field in &form.fields {
            assert!(node_payload(field, &field.original).is_some());
            if let Some(card) = field.card {
                assert!(card.card < manifest.cards.len());
                assert!(card.ordinal < extracted.card_counts[card.card]);
            }
        }
        assert_eq!(changed_count(&form, &form.initial_values()), 0);
        fields += form.fields.len();
        matched_nodes += extracted.nodes.iter().map(Vec::len).sum::<usize>();
        if case % 100 == 0 {
            // Let event handlers (image errors) run, were any element live.
            sleep(0).await;
        }
    }
    sleep(300).await;
    assert_clean("DOM extraction fuzz");
    console_log!(
        "DOM extraction fuzz: {CASES} cases (hostile/malformed HTML x manifests), \
         {matched_nodes} node matches, {fields} fields, nothing ran or was injected"
    );
}

// ---------------------------------------------------------------- 2. frame messages

/// The ids the app's frame bridge is waiting for, from its posted commands.
fn recorded_ids() -> Vec<String> {
    let recorded: Vec<String> = serde_json::from_str(&recorded()).unwrap_or_default();
    recorded
        .iter()
        .filter_map(|m| m.rsplit(':').nth(1).map(str::to_string))
        .filter(|id| !id.is_empty())
        .collect()
}

#[wasm_bindgen_test]
async fn the_frame_bridge_ignores_foreign_malformed_flooded_and_replayed_messages() {
    watch_reset();
    let sid = "sid-hostile-1";
    record_commands(sid);
    let bridge = FrameBridge::new(own_frame(sid), window()).expect("bridge");
    let mut hostile = 0u32;

    // 1. A pending call: forged answers (foreign origin, another window, a sandboxed frame),
    //    then a flood of every kind of bad data, none of which may answer it.
    let finished = Cell::new(false);
    let driver = async {
        for _ in 0..200 {
            if !recorded_ids().is_empty() {
                break;
            }
            sleep(10).await;
        }
        let id = recorded_ids().pop().expect("the call was posted");
        hostile += forge_reply(&id, "{\"forged\":true}");
        let ids = json!([id]).to_string();
        hostile += flood(&ids, 5000, true);
        sleep(800).await;
        assert!(!finished.get(), "a hostile message answered the call");
        post_reply(&id, "{\"genuine\":1}");
    };
    let answer = while_running(
        bridge.placement_call("refreshBlock", raw(&json!({"id": 101})), 20_000),
        driver,
        &finished,
    )
    .await;
    assert_eq!(answer.map(value_of), Ok(json!({"genuine": 1})));
    let first_id = recorded_ids().pop().expect("first id");

    // 2. Replays: the first call's answer, sent again while a second call waits.
    let finished = Cell::new(false);
    let driver = async {
        sleep(50).await;
        for _ in 0..20 {
            post_reply(&first_id, "{\"replayed\":true}");
            hostile += 1;
        }
        sleep(300).await;
        assert!(!finished.get(), "a replayed answer answered a new call");
        let id = recorded_ids().pop().expect("second id");
        assert_ne!(id, first_id);
        post_reply(&id, "{\"second\":2}");
    };
    let answer = while_running(
        bridge.placement_call("refreshBlock", raw(&json!({"id": 101})), 20_000),
        driver,
        &finished,
    )
    .await;
    assert_eq!(answer.map(value_of), Ok(json!({"second": 2})));

    // 3. An answer after the call timed out is dropped; nothing stays pending.
    let late = bridge
        .placement_call("refreshBlock", raw(&json!({"id": 101})), 200)
        .await;
    assert!(matches!(late, Err(BridgeError::Timeout)));
    let late_id = recorded_ids().pop().expect("late id");
    post_reply(&late_id, "{\"late\":true}");
    hostile += 1;
    sleep(100).await;
    assert_eq!(bridge.pending_calls(), 0);

    // 4. Still working afterwards, and a huge genuine answer (4 MiB) is read, not a crash.
    let finished = Cell::new(false);
    let pad = "x".repeat(4 << 20);
    let driver = async {
        sleep(50).await;
        let id = recorded_ids().pop().expect("fourth id");
        post_reply(&id, &json!({"still": "works", "pad": pad}).to_string());
    };
    let answer = while_running(bridge.init_data(), driver, &finished).await;
    assert!(answer.is_ok(), "{answer:?}");

    remove_test_frames();
    assert_clean("frame bridge");
    console_log!("frame bridge: {hostile} hostile messages ignored, 4 genuine answers taken");
}

#[wasm_bindgen_test]
async fn the_app_on_the_frame_protocol_takes_only_its_portal_and_keeps_working_under_a_flood() {
    watch_reset();
    remove_bx24();
    let sid = "sid-hostile-app";
    // The portal never answers refreshBlock genuinely: a forged answer must not count.
    install_portal(sid, &init_data("portal.example.com").to_string(), false);
    let bridge: Rc<dyn Bridge> =
        Rc::new(FrameBridge::new(own_frame(sid), window()).expect("bridge"));
    let transport = StubTransport::new(vec![fixture_open_answer(), ok(r#"{"result":true}"#)]);
    let app = mount(platform(Some(bridge), transport.clone()));
    app.wait_for("the fields", |a| a.all(".field").len() == 4)
        .await;
    let portal = serde_json::from_str::<Value>(&portal_state()).expect("portal state");
    assert!(portal["forged"].as_u64().unwrap_or(0) >= 5, "{portal}");

    // Only the genuine init data was taken: the block and the portal it names.
    let urls = transport.urls();
    assert_eq!(urls, ["https://portal.example.com/rest/batch.json"]);
    assert_eq!(transport.requests()[0].1["auth"], "token-1");
    assert!(app.page_text().contains("101"));

    // A flood of bad data at every id the app ever used, then the app still edits and saves.
    let ids: Vec<String> = vec!["lbe1".into(), "lbe2".into(), "lbe3".into()];
    let posted = flood(&json!(ids).to_string(), 3000, true);
    sleep(500).await;
    let title = "[data-key='.landing-block-node-title@0'] textarea";
    app.type_into(title, "After the flood");
    app.wait_for("save enabled", |a| !a.disabled("#save")).await;
    app.click("#save");
    // Only forged answers to refreshBlock came: the app must say the editor did not confirm.
    app.wait_for("the unconfirmed save", |a| {
        a.one(".status-warning").is_some()
    })
    .await;
    let urls = transport.urls();
    assert_eq!(urls.len(), 2, "{urls:?}");
    assert!(urls
        .iter()
        .all(|u| u.starts_with("https://portal.example.com/rest/")));
    let portal = serde_json::from_str::<Value>(&portal_state()).expect("portal state");
    let seen = portal["seen"].as_array().cloned().unwrap_or_default();
    assert!(seen.contains(&json!("refreshBlock")), "{portal}");
    assert_eq!(
        portal["genuine"], 1,
        "only getInitData was answered: {portal}"
    );

    drop(app);
    remove_test_frames();
    assert_clean("app on the frame protocol");
    console_log!(
        "app on the frame protocol: {} forged answers and {posted} flooded messages ignored; \
         requests only to the genuine portal",
        portal["forged"]
    );
}

/// DOMAIN values that are not a plausible portal host (or http for a non-loopback host).
const HOSTILE_DOMAINS: &[&str] = &[
    "evil.example/steal",
    "evil.example?x=",
    "evil.example#x",
    "portal.example.com@evil.example",
    "user:pass@evil.example",
    "evil.example:0",
    "evil.example:99999",
    "evil.example:080",
    "https://evil.example",
    "//evil.example",
    "javascript:alert(1)",
    "<img src=x onerror=window.__pwned=1 data-pwn>",
    "evil example.com",
    " evil.example",
    "evil.example\n",
    "evil.example\u{0}.com",
    "evil.example\\x",
    "[::1]",
    "1.2.3",
    "127.1",
    "0x7f.1",
    "192.168.0.010",
    "foo.123",
    "-evil.example",
    "evil-.example",
    "evil..example",
    "evil.日本語",
    "пример.рф",
    "",
    "localhost:0",
];

#[wasm_bindgen_test]
async fn a_hostile_domain_in_the_init_data_is_refused_before_any_request() {
    watch_reset();
    let mut tried = 0;
    for domain in HOSTILE_DOMAINS {
        // Through the BX24 library double.
        install_bx24(&init_data(domain).to_string(), "");
        let transport = StubTransport::new(vec![fixture_open_answer()]);
        let bridge: Rc<dyn Bridge> = Rc::new(Bx24Bridge);
        let app = mount(platform(Some(bridge), transport.clone()));
        app.wait_for("the refusal", |a| a.one(".screen-problem").is_some())
            .await;
        assert_eq!(
            transport.count(),
            0,
            "a request was made for DOMAIN {domain:?}"
        );
        drop(app);
        remove_bx24();
        tried += 1;
    }
    // Plausible hosts over plain http (PROTOCOL 0) are refused too, except loopback.
    for domain in ["portal.example.com", "evil.example:8080", "10.0.0.1"] {
        let mut data = init_data(domain);
        data["PROTOCOL"] = json!(0);
        let sid = format!("sid-http-{tried}");
        install_portal(&sid, &data.to_string(), true);
        let bridge: Rc<dyn Bridge> =
            Rc::new(FrameBridge::new(own_frame(&sid), window()).expect("bridge"));
        let transport = StubTransport::new(vec![fixture_open_answer()]);
        let app = mount(platform(Some(bridge), transport.clone()));
        app.wait_for("the refusal", |a| a.one(".screen-problem").is_some())
            .await;
        assert_eq!(
            transport.count(),
            0,
            "a request was made to http://{domain}"
        );
        drop(app);
        tried += 1;
    }
    remove_test_frames();
    assert_clean("hostile DOMAIN");
    console_log!("hostile DOMAIN: {tried} values refused, 0 requests made");
}

/// `window.name` values a frame could be given.
const HOSTILE_WINDOW_NAMES: &[&str] = &[
    "evil.example|0|sid",
    "evil.example/x|1|sid",
    "evil.example|1|sid|extra",
    "evil.example|2|sid",
    "evil.example|1|",
    "evil.example|1|sid with spaces",
    "evil.example|1|<img src=x onerror=window.__pwned=1 data-pwn>",
    "|1|sid",
    "portal.example.com@evil.example|1|sid",
    "javascript:alert(1)|1|sid",
    "x.日本語|1|sid",
    "\u{0}|\u{0}|\u{0}",
    "{\"DOMAIN\":\"evil.example\"}",
    "||||||||",
    "a",
];

#[wasm_bindgen_test]
async fn a_hostile_window_name_starts_nothing() {
    watch_reset();
    remove_bx24();
    spy_post_message();
    let mut tried = 0;
    let long = format!("{}|1|sid", "a.".repeat(100_000));
    let names = HOSTILE_WINDOW_NAMES
        .iter()
        .map(|s| s.to_string())
        .chain([long]);
    for name in names {
        let _ = window().set_name(&name);
        assert_eq!(parse_window_name(&name), None, "{name:?} was accepted");
        let transport = StubTransport::new(vec![fixture_open_answer()]);
        // No bridge given: the app looks at `window.name` itself.
        let app = mount(platform(None, transport.clone()));
        app.wait_for("the standalone screen", |a| {
            a.one(".screen-standalone").is_some()
        })
        .await;
        assert_eq!(transport.count(), 0, "a request was made for {name:?}");
        assert_eq!(post_count(), 0, "a frame message was posted for {name:?}");
        drop(app);
        tried += 1;
    }
    let _ = window().set_name("");
    unspy_post_message();
    assert_clean("hostile window.name");
    console_log!("hostile window.name: {tried} values, no request and no message posted");
}

// ---------------------------------------------------------------- 3. hostile content

/// A block whose every name, selector, type, attribute and text carries markup or script.
fn hostile_block() -> (Value, String) {
    let manifest = json!({
        "block": {"name": "<img src=x onerror=window.__pwned=1 data-pwn>Hostile <script data-pwn>window.__pwned=1</script>"},
        "nodes": {
            ".t": {"type": "text", "name": "<svg data-pwn onload=window.__pwned=1></svg>Text"},
            ".l": {"type": "link", "name": "<iframe data-pwn srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>"},
            ".i": {"type": "img", "name": "<img src=x onerror=window.__pwned=1 data-pwn>"},
            ".bg": {"type": "img", "name": "<a data-pwn href=javascript:window.__pwned=1>bg</a>"},
            ".ic": {"type": "icon", "name": "<object data-pwn data=javascript:window.__pwned=1></object>"},
            ".e": {"type": "embed", "name": "<embed data-pwn src=javascript:window.__pwned=1>"},
            "<img src=x onerror=window.__pwned=1 data-pwn>": {"type": "map", "name": "<b data-pwn>map</b>"},
            ".u": {"type": "<svg/onload=window.__pwned=1/data-pwn>", "name": ""},
        },
        "cards": {".card": {"name": "<details data-pwn open ontoggle=window.__pwned=1>", "label": [".t"]}},
    });
    let card = |n: usize| {
        format!(
            r#"<div class="card">
  <div class="t">Card {n} <script data-pwn>window.__pwned=1</script><img src=x onerror="window.__pwned=1" data-pwn><svg data-pwn onload="window.__pwned=1"></svg><iframe data-pwn srcdoc="<script>parent.__pwned=1</script>"></iframe><noscript><p title="</noscript><img src=x onerror=window.__pwned=1 data-pwn>"></noscript></div>
  <a class="l" href="javascript:window.__pwned=1" target="_blank" data-embed="<script data-pwn>1</script>">Go <img src=x onerror="window.__pwned=1" data-pwn></a>
  <img class="i" src="javascript:window.__pwned=1" alt="&quot;&gt;&lt;img src=x onerror=window.__pwned=1 data-pwn&gt;" srcset="data:text/html,&lt;script&gt;parent.__pwned=1&lt;/script&gt; 2x">
  <div class="bg" style="background-image: url('https://127.0.0.1:9/x.png&quot; onerror=&quot;window.__pwned=1&quot; data-pwn=&quot;')"></div>
  <i class="ic fa &quot;&gt;&lt;img src=x onerror=window.__pwned=1 data-pwn&gt;"></i>
  <div class="e" data-src="javascript:window.__pwned=1" data-source="data:text/html,&lt;script&gt;parent.__pwned=1&lt;/script&gt;" data-preview="javascript:window.__pwned=1"></div>
</div>"#
        )
    };
    (manifest, format!("{}{}", card(1), card(2)))
}

fn hostile_init() -> Value {
    let mut data = init_data("portal.example.com");
    data["PLACEMENT_OPTIONS"]["CODE"] = json!("<img/src=x/onerror=window.__pwned=1/data-pwn>");
    data["MEMBER_ID"] = json!("<script data-pwn>window.__pwned=1</script>");
    data["LANG"] = json!("<img src=x onerror=window.__pwned=1 data-pwn>");
    data
}

/// Addresses that run script, spelled as a browser still reads them.
const SCRIPT_URLS: &[&str] = &[
    "javascript:window.__pwned=2",
    "JavaScript:window.__pwned=2",
    " javascript:window.__pwned=2",
    "\u{1}javascript:window.__pwned=2",
    "java\tscript:window.__pwned=2",
    "java\nscript:window.__pwned=2",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html,<script>parent.__pwned=2</script>",
    "data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+",
    "DATA:TEXT/HTML,<svg onload=parent.__pwned=2>",
    "data:application/xhtml+xml,<x:script xmlns:x='http://www.w3.org/1999/xhtml'>parent.__pwned=2</x:script>",
];

#[wasm_bindgen_test]
async fn hostile_block_content_names_and_code_render_only_as_text_and_script_urls_are_refused() {
    watch_reset();
    let (manifest, html) = hostile_block();
    install_bx24(&hostile_init().to_string(), "");
    let save_error = Ok(HttpResponse {
        status: 400,
        body: json!({
            "error": "<img src=x onerror=window.__pwned=1 data-pwn>",
            "error_description": "<script data-pwn>window.__pwned=1</script><svg data-pwn onload=window.__pwned=1>"
        })
        .to_string(),
    });
    let transport = StubTransport::new(vec![open_answer(&manifest, &html), save_error]);
    let bridge: Rc<dyn Bridge> = Rc::new(Bx24Bridge);
    let app = mount(platform(Some(bridge), transport.clone()));
    app.wait_for("the hostile block's fields", |a| {
        a.all(".field").len() == 12
    })
    .await;
    sleep(500).await;
    assert_clean("hostile block shown");
    // Shown, as text: the block name, the code, the node names, the unknown type, the card.
    let text = app.page_text();
    for shown in [
        "<img src=x onerror=window.__pwned=1 data-pwn>Hostile",
        "<img/src=x/onerror=window.__pwned=1/data-pwn>",
        "<svg data-pwn onload=window.__pwned=1></svg>Text",
        "<details data-pwn open ontoggle=window.__pwned=1>",
        "<b data-pwn>map</b>",
    ] {
        assert!(text.contains(shown), "{shown:?} is not shown as text");
    }
    // No preview of a non-web address; a web address with quotes stays one attribute value.
    assert!(app.one("[data-key='.i@0'] .image-preview img").is_none());
    let bg = app
        .one("[data-key='.bg@0'] .image-preview img")
        .expect("the background's preview");
    let names: Vec<String> = bg
        .get_attribute_names()
        .iter()
        .filter_map(|n| n.as_string())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| ["src", "alt", "loading", "referrerpolicy", "class"].contains(&n.as_str())),
        "{names:?}"
    );
    // No element of the app points at a script address.
    for element in app.all("*") {
        for attr in [
            "href",
            "src",
            "action",
            "formaction",
            "data",
            "srcdoc",
            "poster",
        ] {
            let value = element
                .get_attribute(attr)
                .unwrap_or_default()
                .to_ascii_lowercase();
            let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                !value.starts_with("javascript:")
                    && !value.starts_with("data:text/html")
                    && !value.starts_with("vbscript:"),
                "{} has {attr}={value}",
                element.tag_name()
            );
        }
    }

    // Script addresses typed into every URL input are refused; nothing is sent.
    let url_inputs = [
        "[data-key='.l@0'] input[id$='-url']",
        "[data-key='.i@1'] input[id$='-src']",
        "[data-key='.i@1'] input[id$='-src2x']",
        "[data-key='.bg@0'] input[id$='-src']",
        "[data-key='.e@0'] input",
    ];
    let mut refused = 0;
    for input in url_inputs {
        for url in SCRIPT_URLS {
            app.type_into(input, url);
            let field = input.split(' ').next().unwrap_or_default().to_string();
            app.wait_for(&format!("{url:?} refused in {input}"), |a| {
                a.one(&format!("{field} .field-error")).is_some()
            })
            .await;
            assert!(app.disabled("#save"), "{url:?} in {input} can be saved");
            press_ctrl_s();
            app.click("#save");
            leptos::task::tick().await;
            assert_eq!(transport.count(), 1, "{url:?} in {input} was sent");
            app.click("#discard");
            app.wait_for("the discard", |a| a.one(".field-error").is_none())
                .await;
            refused += 1;
        }
    }

    // A portal error with markup in code and description is shown as text.
    app.click("[data-key='.t@0'] .expert-toggle");
    app.wait_for("the HTML", |a| {
        a.one("[data-key='.t@0'] textarea").is_some()
    })
    .await;
    app.type_into("[data-key='.t@0'] textarea", "<b>bold</b> edit");
    app.wait_for("save enabled", |a| !a.disabled("#save")).await;
    app.click("#save");
    app.wait_for("the error", |a| a.one(".status-error").is_some())
        .await;
    let status = app
        .one(".status")
        .and_then(|s| s.text_content())
        .unwrap_or_default();
    assert!(status.contains("<script data-pwn>"), "{status}");
    sleep(300).await;
    assert_clean("hostile block after edits and a failed save");
    drop(app);
    remove_bx24();
    console_log!(
        "hostile content: 1 block with 12 hostile fields, 8 hostile names/selectors/types, \
         hostile code and error texts shown as text; {refused} script addresses refused \
         ({} spellings x {} inputs), 0 sent",
        SCRIPT_URLS.len(),
        url_inputs.len()
    );
}

#[wasm_bindgen_test]
async fn hostile_error_texts_placements_and_library_errors_render_only_as_text() {
    watch_reset();
    let markup =
        "<img src=x onerror=window.__pwned=1 data-pwn><script data-pwn>window.__pwned=1</script>";
    let mut screens = 0;

    // A load failure whose code and description carry markup.
    install_bx24(&init_data("portal.example.com").to_string(), "");
    let error = Ok(HttpResponse {
        status: 400,
        body: json!({"error": markup, "error_description": markup}).to_string(),
    });
    let transport = StubTransport::new(vec![error]);
    let app = mount(platform(Some(Rc::new(Bx24Bridge)), transport));
    app.wait_for("the load error", |a| a.one(".screen-problem").is_some())
        .await;
    assert!(
        app.page_text().contains("<script data-pwn>"),
        "{}",
        app.page_text()
    );
    drop(app);
    screens += 1;

    // Placements that are not blocks, and a block placement carrying markup.
    for placement in [
        "CRM_<img/src=x/onerror=window.__pwned=1/data-pwn>",
        "<svg data-pwn onload=window.__pwned=1>",
    ] {
        let mut data = init_data("portal.example.com");
        data["PLACEMENT"] = json!(placement);
        install_bx24(&data.to_string(), "");
        let transport = StubTransport::new(vec![]);
        let app = mount(platform(Some(Rc::new(Bx24Bridge)), transport.clone()));
        app.wait_for("the placement error", |a| {
            a.one(".screen-problem").is_some()
        })
        .await;
        assert!(app.page_text().contains("onerror=") || app.page_text().contains("onload="));
        assert_eq!(transport.count(), 0);
        drop(app);
        screens += 1;
    }

    // Bad ids and domains echoed in messages.
    for (key, value) in [("ID", markup), ("LID", markup)] {
        let mut data = init_data("portal.example.com");
        data["PLACEMENT_OPTIONS"][key] = json!(value);
        install_bx24(&data.to_string(), "");
        let transport = StubTransport::new(vec![]);
        let app = mount(platform(Some(Rc::new(Bx24Bridge)), transport.clone()));
        app.wait_for("the id error", |a| a.one(".screen-problem").is_some())
            .await;
        assert_eq!(transport.count(), 0);
        drop(app);
        screens += 1;
    }

    // The library itself failing with markup in its message.
    install_bx24(&init_data("portal.example.com").to_string(), markup);
    let app = mount(platform(
        Some(Rc::new(Bx24Bridge)),
        StubTransport::new(vec![]),
    ));
    app.wait_for("the library error", |a| a.one(".screen-problem").is_some())
        .await;
    assert!(app.page_text().contains("onerror="), "{}", app.page_text());
    drop(app);
    screens += 1;

    remove_bx24();
    sleep(300).await;
    assert_clean("hostile error texts");
    console_log!("hostile error texts and placements: {screens} screens, all text");
}
