//! The link picker in a real browser: one batch on first open, its states (loading, empty,
//! error with Try again, search, more rows), picking a page or a block, typed addresses.
#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use landing_block_editor::bridge::bx24::Bx24Bridge;
use landing_block_editor::bridge::Bridge;
use landing_block_editor::browser::{sleep, BrowserClock};
use landing_block_editor::client::{HttpResponse, LocalFuture, Transport, TransportError};
use landing_block_editor::core::rest::RequestBody;
use landing_block_editor::ui::Platform;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

const A: &str = "[data-key='.a-link@0']";
const B: &str = "[data-key='.b-link@0']";

/// Answers in order like the shared stub, and can hold an answer back until released, so
/// the loading state stays on screen as long as a test looks at it.
#[derive(Default)]
struct GatedTransport {
    sent: RefCell<Vec<(String, String)>>,
    answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    hold: Rc<Cell<bool>>,
}

impl GatedTransport {
    fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Rc<GatedTransport> {
        Rc::new(GatedTransport {
            answers: RefCell::new(answers.into()),
            ..GatedTransport::default()
        })
    }

    fn count(&self) -> usize {
        self.sent.borrow().len()
    }

    fn last(&self) -> (String, String) {
        self.sent.borrow().last().cloned().unwrap_or_default()
    }
}

impl Transport for GatedTransport {
    fn post(
        &self,
        url: &str,
        body: RequestBody,
        _timeout_ms: u32,
    ) -> LocalFuture<'static, Result<HttpResponse, TransportError>> {
        self.sent.borrow_mut().push((url.to_string(), body.text));
        let answer = self
            .answers
            .borrow_mut()
            .pop_front()
            .unwrap_or(Err(TransportError::Network));
        let hold = self.hold.clone();
        Box::pin(async move {
            sleep(20).await;
            while hold.get() {
                sleep(10).await;
            }
            answer
        })
    }
}

fn manifest() -> Value {
    json!({
        "block": {"name": "Links"},
        "nodes": {
            ".a-link": {"type": "link", "name": "First link"},
            ".b-link": {"type": "link", "name": "Second link"},
        },
    })
}

const HTML: &str = r##"<section><a class="a-link" href="#landing2">One</a>
    <a class="b-link" href="#block7">Two</a></section>"##;

#[wasm_bindgen_test]
async fn a_bare_hash_is_no_target_and_opens_on_the_pages() {
    install_bx24_double(&init_data("links", "LANDING_BLOCK_*").to_string(), true);
    let html = r##"<section><a class="a-link" href="#">One</a><a class="b-link" href="">Two</a></section>"##;
    let transport = GatedTransport::new(vec![
        block_answer(&manifest(), html, "X", &[]),
        site_answer(),
    ]);
    let platform = Platform {
        bridge: Some(Rc::new(Bx24Bridge) as Rc<dyn Bridge>),
        transport: transport.clone(),
        clock: Rc::new(BrowserClock),
    };
    let app = mount(platform);
    app.wait_for("the link fields", |a| a.all(".link-choose").len() == 2)
        .await;
    assert_eq!(label_of(&app, A), "No link yet");
    assert_eq!(label_of(&app, B), "No link yet");
    open_picker(&app, A).await;
    assert!(app
        .one(&sel(A, "[data-tab='page'][aria-pressed='true']"))
        .is_some());
    wait_for_rows(&app, A).await;
}

fn page_row(id: u64, title: &str, code: &str) -> Value {
    json!({"ID": id.to_string(), "TITLE": title, "CODE": code, "SITE_ID": "1", "ACTIVE": "Y",
           "DOMAIN_ID": "1"})
}

fn lists_answer(pages: Vec<Value>, blocks: Vec<Value>) -> Result<HttpResponse, TransportError> {
    link_lists_answer(pages, blocks)
}

fn site_answer() -> Result<HttpResponse, TransportError> {
    lists_answer(
        vec![
            page_row(1, "Home", "index"),
            page_row(2, "Prices", "prices"),
            page_row(3, "About us", "about-us"),
        ],
        vec![
            json!({"id": 7, "lid": 1, "code": "33.1.form", "name": "Contacts form", "active": true}),
            json!({"id": 101, "lid": 1, "code": "31.1.two_cols", "name": "Text and image", "active": true}),
        ],
    )
}

async fn open_with(
    access: &str,
    answers: Vec<Result<HttpResponse, TransportError>>,
) -> (Mounted, Rc<GatedTransport>) {
    install_bx24_double(&init_data("links", "LANDING_BLOCK_*").to_string(), true);
    let mut all = vec![block_answer(&manifest(), HTML, access, &[])];
    all.extend(answers);
    let transport = GatedTransport::new(all);
    let platform = Platform {
        bridge: Some(Rc::new(Bx24Bridge) as Rc<dyn Bridge>),
        transport: transport.clone(),
        clock: Rc::new(BrowserClock),
    };
    let app = mount(platform);
    app.wait_for("the link fields", |a| a.all(".link-choose").len() == 2)
        .await;
    (app, transport)
}

fn sel(field: &str, rest: &str) -> String {
    format!("{field} {rest}")
}

fn url_of(app: &Mounted, field: &str) -> String {
    app.value(&sel(field, "input[id$='-url']"))
}

fn label_of(app: &Mounted, field: &str) -> String {
    app.text(&sel(field, ".link-target"))
}

async fn open_picker(app: &Mounted, field: &str) {
    app.click(&sel(field, ".link-choose"));
    app.wait_for("the picker", |a| {
        a.one(&sel(field, ".link-picker")).is_some()
    })
    .await;
}

async fn wait_for_rows(app: &Mounted, field: &str) {
    app.wait_for("the list", |a| !a.all(&sel(field, ".pick")).is_empty())
        .await;
}

fn press_escape(app: &Mounted, selector: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    app.one(selector)
        .expect(selector)
        .dispatch_event(&event)
        .expect("dispatch");
}

fn focused_is(app: &Mounted, selector: &str) -> bool {
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    match (active, app.one(selector)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[wasm_bindgen_test]
async fn the_lists_load_in_one_batch_on_first_open_only() {
    let (app, transport) = open_with("X", vec![site_answer()]).await;
    // Nothing is asked for before a picker opens; the targets read by id meanwhile.
    assert_eq!(transport.count(), 1);
    assert_eq!(label_of(&app, A), "Page #2");
    assert_eq!(label_of(&app, B), "Block #7");

    transport.hold.set(true);
    open_picker(&app, A).await;
    app.wait_for("the loading state", |a| {
        a.text(&sel(A, ".link-state[role='status']"))
            .contains("Loading")
    })
    .await;
    assert_eq!(transport.count(), 2);
    let (url, body) = transport.last();
    assert!(
        url.ends_with("/rest/batch.json") || url.ends_with("/rest/batch"),
        "{url}"
    );
    assert!(body.contains("landing.landing.getlist"), "{body}");
    assert!(body.contains("landing.block.getlist"), "{body}");
    assert!(
        !url.contains("token-1"),
        "the token stays out of the address"
    );
    transport.hold.set(false);
    wait_for_rows(&app, A).await;

    // Loaded, every label reads its target.
    assert_eq!(label_of(&app, A), "Page: Prices");
    assert_eq!(label_of(&app, B), "Block: Contacts form");
    assert_eq!(app.all(&sel(A, ".pick")).len(), 3);
    assert!(app
        .one(&sel(A, ".pick[data-href='#landing2']"))
        .is_some_and(|b| b.get_attribute("aria-current").as_deref() == Some("true")));

    // Escape closes it and gives the focus back to its button.
    press_escape(&app, &sel(A, ".link-search"));
    app.wait_for("the picker to close", |a| a.one(".link-picker").is_none())
        .await;
    assert!(focused_is(&app, &sel(A, ".link-choose")));
    assert_eq!(
        app.one(&sel(A, ".link-choose"))
            .and_then(|b| b.get_attribute("aria-expanded"))
            .as_deref(),
        Some("false")
    );

    // Another field's picker, and this one again: no new request.
    open_picker(&app, B).await;
    wait_for_rows(&app, B).await;
    // B's target is a block: it opens on the block list.
    assert!(app.one(&sel(B, ".pick[data-href='#block7']")).is_some());
    app.click(&sel(B, ".link-close"));
    open_picker(&app, A).await;
    wait_for_rows(&app, A).await;
    assert_eq!(transport.count(), 2);
}

#[wasm_bindgen_test]
async fn picking_a_page_and_a_block_writes_their_hrefs() {
    let (app, _) = open_with("X", vec![site_answer()]).await;
    open_picker(&app, A).await;
    wait_for_rows(&app, A).await;
    let search = sel(A, ".link-search");
    app.one(&search)
        .expect("the search box")
        .unchecked_into::<web_sys::HtmlElement>()
        .focus()
        .expect("focus");
    app.type_into(&search, "ABOUT");
    app.wait_for("the search", |a| a.all(&sel(A, ".pick")).len() == 1)
        .await;
    // The list follows the search without rebuilding the box the user types in.
    assert!(focused_is(&app, &search), "the search box lost the focus");
    assert!(app.text(&sel(A, ".pick")).contains("/about-us/"));
    app.click(&sel(A, ".pick[data-href='#landing3']"));
    app.wait_for("the pick", |a| url_of(a, A) == "#landing3")
        .await;
    assert_eq!(label_of(&app, A), "Page: About us");
    assert!(app.one(".link-picker").is_none());
    assert!(app.one(&format!("{A}.field-changed")).is_some());

    open_picker(&app, B).await;
    wait_for_rows(&app, B).await;
    app.click(&sel(B, "[data-tab='block']"));
    app.click(&sel(B, ".pick[data-href='#block101']"));
    app.wait_for("the pick", |a| url_of(a, B) == "#block101")
        .await;
    assert_eq!(label_of(&app, B), "Block: Text and image");

    // A search that finds nothing says so.
    open_picker(&app, A).await;
    wait_for_rows(&app, A).await;
    app.type_into(&sel(A, ".link-search"), "zzz");
    app.wait_for("no match", |a| {
        a.text(&sel(A, ".link-empty")).contains("Nothing matches")
    })
    .await;
}

#[wasm_bindgen_test]
async fn empty_lists_say_so() {
    let (app, _) = open_with("X", vec![lists_answer(vec![], vec![])]).await;
    open_picker(&app, A).await;
    app.wait_for("no pages", |a| {
        a.text(&sel(A, ".link-empty")).contains("no pages")
    })
    .await;
    app.click(&sel(A, "[data-tab='block']"));
    app.wait_for("no blocks", |a| {
        a.text(&sel(A, ".link-empty")).contains("no blocks")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_failed_load_offers_try_again() {
    let denied = ok(json!({"result": {"result": [], "result_error": {
            "page": {"error": "ACCESS_DENIED", "error_description": "Access denied"}},
        "result_total": [], "result_next": [], "result_time": []}})
    .to_string());
    let (app, transport) = open_with("X", vec![denied, site_answer()]).await;
    open_picker(&app, A).await;
    app.wait_for("the error", |a| {
        a.text(&sel(A, ".link-failed [role='alert']"))
            .contains("Could not load")
    })
    .await;
    assert_eq!(transport.count(), 2);
    // Closing and opening again does not retry by itself.
    app.click(&sel(A, ".link-close"));
    open_picker(&app, A).await;
    assert!(app.one(&sel(A, ".link-failed")).is_some());
    assert_eq!(transport.count(), 2);
    app.click(&sel(A, ".link-failed button"));
    wait_for_rows(&app, A).await;
    assert_eq!(transport.count(), 3);
    assert_eq!(label_of(&app, A), "Page: Prices");
}

#[wasm_bindgen_test]
async fn many_pages_show_fifty_at_a_time() {
    let pages = (1..=60)
        .map(|i| page_row(i, &format!("Page {i:02}"), &format!("p{i}")))
        .collect();
    let (app, _) = open_with("X", vec![lists_answer(pages, vec![])]).await;
    open_picker(&app, A).await;
    wait_for_rows(&app, A).await;
    assert_eq!(app.all(&sel(A, ".pick")).len(), 50);
    assert!(app.text(&sel(A, ".link-more")).contains("10"));
    app.click(&sel(A, ".link-more"));
    app.wait_for("the rest", |a| a.all(&sel(A, ".pick")).len() == 60)
        .await;
    assert!(app.one(&sel(A, ".link-more")).is_none());
}

async fn submit_typed(app: &Mounted, field: &str, tab: &str, text: &str) {
    open_picker(app, field).await;
    app.click(&sel(field, &format!("[data-tab='{tab}']")));
    let input = sel(field, &format!("input[id$='-typed-{tab}']"));
    app.wait_for("the input", |a| a.one(&input).is_some()).await;
    app.type_into(&input, text);
    app.click(&sel(field, ".link-typed button[type='submit']"));
}

#[wasm_bindgen_test]
async fn typed_addresses_phones_and_emails_are_checked() {
    let (app, _) = open_with("X", vec![site_answer()]).await;

    submit_typed(&app, A, "url", "javascript:alert(1)").await;
    app.wait_for("the refusal", |a| {
        a.text(&sel(A, ".link-typed .field-error"))
            .contains("refused")
    })
    .await;
    assert_eq!(url_of(&app, A), "#landing2", "nothing was written");
    app.type_into(&sel(A, "input[id$='-typed-url']"), "example.com/x");
    app.click(&sel(A, ".link-typed button[type='submit']"));
    app.wait_for("the address", |a| url_of(a, A) == "https://example.com/x")
        .await;
    assert_eq!(label_of(&app, A), "Address: https://example.com/x");

    submit_typed(&app, A, "phone", "+7 (495) 123-45-67").await;
    app.wait_for("the phone", |a| url_of(a, A) == "tel:+74951234567")
        .await;
    assert_eq!(label_of(&app, A), "Phone: +74951234567");

    submit_typed(&app, A, "email", "bad@").await;
    app.wait_for("the refusal", |a| {
        a.text(&sel(A, ".link-typed .field-error"))
            .contains("not an e-mail")
    })
    .await;
    app.type_into(&sel(A, "input[id$='-typed-email']"), "sales@example.com");
    app.click(&sel(A, ".link-typed button[type='submit']"));
    app.wait_for("the e-mail", |a| url_of(a, A) == "mailto:sales@example.com")
        .await;
    assert_eq!(label_of(&app, A), "E-mail: sales@example.com");
}

#[wasm_bindgen_test]
async fn read_only_access_disables_the_picker() {
    let (app, transport) = open_with("V", vec![]).await;
    assert!(app.disabled(&sel(A, ".link-choose")));
    assert!(app.disabled(&sel(B, ".link-choose")));
    assert_eq!(transport.count(), 1);
}
