//! What the browser test files share: a recording REST transport and the mounted app with
//! small DOM helpers. Each test file uses part of it.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use landing_block_editor::browser::sleep;
use landing_block_editor::client::{HttpResponse, LocalFuture, Transport, TransportError};
use landing_block_editor::codec::Raw;
use serde_json::Value;

mod form;
mod portal;
use landing_block_editor::core::rest::RequestBody;
use landing_block_editor::ui::{App, Platform, SettingsApp};
use leptos::mount::{mount_to, UnmountHandle};
use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
#[allow(unused_imports)]
pub use portal::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

/// Answers REST calls from a script, in order, and records what was sent (bodies read the
/// way the portal reads them); a call past the script gets a network error.
#[derive(Default)]
pub struct StubTransport {
    requests: RefCell<Vec<(String, Value)>>,
    answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
}

impl StubTransport {
    pub fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Rc<StubTransport> {
        Rc::new(StubTransport {
            requests: RefCell::new(Vec::new()),
            answers: RefCell::new(answers.into()),
        })
    }

    pub fn requests(&self) -> Vec<(String, Value)> {
        self.requests.borrow().clone()
    }

    pub fn urls(&self) -> Vec<String> {
        self.requests
            .borrow()
            .iter()
            .map(|(u, _)| u.clone())
            .collect()
    }

    pub fn count(&self) -> usize {
        self.requests.borrow().len()
    }
}

impl Transport for StubTransport {
    fn post(
        &self,
        url: &str,
        body: RequestBody,
        _timeout_ms: u32,
    ) -> LocalFuture<'static, Result<HttpResponse, TransportError>> {
        self.requests
            .borrow_mut()
            .push((url.to_string(), form::body_value(&body)));
        let answer = self
            .answers
            .borrow_mut()
            .pop_front()
            .unwrap_or(Err(TransportError::Network));
        Box::pin(async move {
            // A little latency, like a network, so in-flight states are visible.
            sleep(20).await;
            answer
        })
    }
}

pub fn ok(body: impl Into<String>) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status: 200,
        body: body.into(),
    })
}

pub struct Mounted {
    root: HtmlElement,
    /// The mounted page; dropping it unmounts the page (its view, listeners and signals).
    _app: UnmountHandle<AnyViewState>,
}

/// Mounts the editor on a clean slate: no drafts left by earlier tests.
pub fn mount(platform: Platform) -> Mounted {
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.clear();
    }
    mount_keeping_storage(platform)
}

/// Mounts the app's own page (the settings bundle's root).
pub fn mount_settings(platform: Platform) -> Mounted {
    let root = test_root();
    let app = mount_to(root.clone(), move || {
        view! { <SettingsApp platform/> }.into_any()
    });
    Mounted { root, _app: app }
}

/// Mounts the editor's page as `main` does, in a root of its own.
pub fn mount_keeping_storage(platform: Platform) -> Mounted {
    let root = test_root();
    let app = mount_to(root.clone(), move || view! { <App platform/> }.into_any());
    Mounted { root, _app: app }
}

fn test_root() -> HtmlElement {
    let document = document();
    let root: HtmlElement = document
        .create_element("div")
        .expect("div")
        .unchecked_into();
    root.set_class_name("lbe-test-root");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    root
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

impl Mounted {
    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).expect("selector");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .collect()
    }

    pub fn one(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).expect("selector")
    }

    /// The text of the first element matching `selector` ("" when there is none).
    pub fn text(&self, selector: &str) -> String {
        self.one(selector)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    /// All the text the app shows.
    pub fn page_text(&self) -> String {
        self.root.text_content().unwrap_or_default()
    }

    pub fn click(&self, selector: &str) {
        let element: HtmlElement = self.one(selector).expect(selector).unchecked_into();
        element.click();
    }

    /// Sets the control's value and sends the `input` event a user's typing would.
    pub fn type_into(&self, selector: &str, text: &str) {
        let element = self.one(selector).expect(selector);
        if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
            area.set_value(text);
        } else {
            element.unchecked_ref::<HtmlInputElement>().set_value(text);
        }
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict("input", &init).expect("event");
        element.dispatch_event(&event).expect("dispatch");
    }

    pub fn value(&self, selector: &str) -> String {
        let element = self.one(selector).expect(selector);
        if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
            area.value()
        } else {
            element.unchecked_ref::<HtmlInputElement>().value()
        }
    }

    pub fn disabled(&self, selector: &str) -> bool {
        self.one(selector)
            .map(|e| e.has_attribute("disabled"))
            .unwrap_or(true)
    }

    pub async fn wait_for(&self, what: &str, mut condition: impl FnMut(&Mounted) -> bool) {
        for _ in 0..800 {
            leptos::task::tick().await;
            if condition(self) {
                return;
            }
            sleep(25).await;
        }
        panic!(
            "timed out waiting for {what}; page text: {}",
            self.page_text().chars().take(600).collect::<String>()
        );
    }
}

/// A JSON value as the app hands it to the bridge.
pub fn raw(value: &Value) -> Raw {
    Raw::from_serialize(value).expect("a JSON value")
}

/// What the bridge answered, as JSON (null when nothing).
pub fn value_of(answer: Option<Raw>) -> Value {
    answer
        .and_then(|raw| raw.read().ok())
        .unwrap_or(Value::Null)
}
