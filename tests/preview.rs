//! The live preview in a real browser: a frame that runs nothing, follows the edits, outlines
//! what changed and leads a click to its field.
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlIFrameElement};

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

const TWO_COLS: &str = include_str!("../emulator/fixtures/blocks/31.1.two_cols_text_img.json");
const TITLE: &str = "[data-key='.landing-block-node-title@0']";

async fn open(manifest: &Value, html: &str, css: &[&str]) -> Mounted {
    install_bx24_double(
        &init_data("31.1.two_cols_text_img", "LANDING_BLOCK_*").to_string(),
        true,
    );
    let transport = StubTransport::new(vec![block_answer(manifest, html, "X", css)]);
    let app = mount(platform_with_bx24(transport));
    app.wait_for("the fields", |a| !a.all(".field").is_empty())
        .await;
    app
}

async fn open_two_cols() -> Mounted {
    let fixture: Value = serde_json::from_str(TWO_COLS).expect("fixture");
    let html = fixture["content"].as_str().unwrap_or_default().to_owned();
    open(&fixture["manifest"], &html, &[]).await
}

fn frame(app: &Mounted) -> Option<HtmlIFrameElement> {
    app.one(".preview-frame")
        .map(|f| f.unchecked_into::<HtmlIFrameElement>())
}

fn frame_document(app: &Mounted) -> Option<Document> {
    frame(app)?.content_document()
}

/// The preview element of field `index`, once the frame shows the block.
fn marked(app: &Mounted, index: usize) -> Option<Element> {
    frame_document(app)?
        .query_selector(&format!("[data-lbe-field=\"{index}\"]"))
        .ok()?
}

async fn wait_for_preview(app: &Mounted) {
    // Parsed is not yet loaded: the app listens for clicks and patches from `load` on.
    app.wait_for("the preview", |a| {
        marked(a, 0).is_some() && a.one(".preview-frame[aria-busy=\"false\"]").is_some()
    })
    .await;
}

fn ran() -> Value {
    let window = web_sys::window().expect("window");
    let value = js_sys::Reflect::get(&window, &"lbePreviewRan".into()).unwrap_or_default();
    if value.is_undefined() {
        Value::Null
    } else {
        json!(value.as_f64())
    }
}

#[wasm_bindgen_test]
async fn the_preview_frame_is_sandboxed_and_nothing_in_it_runs() {
    let manifest = json!({
        "block": {"name": "Hostile"},
        "nodes": {".landing-block-node-text": {"type": "text", "name": "Text"}},
    });
    let html = r#"<section><div class="landing-block-node-text">Hello</div>
        <script>window.parent.lbePreviewRan = 1;</script>
        <img src="data:," onerror="window.parent.lbePreviewRan = 2">
        <a href="javascript:window.parent.lbePreviewRan = 3">x</a></section>"#;
    let app = open(&manifest, html, &[]).await;
    wait_for_preview(&app).await;
    let frame = frame(&app).expect("the frame");
    assert_eq!(
        frame.get_attribute("sandbox").as_deref(),
        Some("allow-same-origin")
    );
    let doc = frame.content_document().expect("its document");
    let shown = doc.body().map(|b| b.inner_html()).unwrap_or_default();
    assert!(
        !shown.contains("script") && !shown.contains("onerror"),
        "{shown}"
    );

    // Script typed into a field is shown inert too.
    app.type_into(
        "textarea",
        r#"<img src="data:," onerror="window.parent.lbePreviewRan = 4">Hi"#,
    );
    app.wait_for("the edit in the preview", |a| {
        marked(a, 0).is_some_and(|el| el.text_content().unwrap_or_default() == "Hi")
    })
    .await;
    // The frame itself refuses script, whatever reaches it: markup put in past the
    // sanitizer, and a link clicked.
    if let Some(body) = doc.body() {
        let _ = body.insert_adjacent_html(
            "beforeend",
            r#"<img src="data:," onerror="window.parent.lbePreviewRan = 5"><a id="go" href="javascript:window.parent.lbePreviewRan = 6">go</a>"#,
        );
    }
    if let Ok(Some(link)) = doc.query_selector("#go") {
        link.unchecked_into::<web_sys::HtmlElement>().click();
    }
    landing_block_editor::browser::sleep(400).await;
    assert_eq!(ran(), Value::Null, "script ran in the preview");
}

#[wasm_bindgen_test]
async fn the_preview_follows_the_edits_and_outlines_what_changed() {
    let app = open_two_cols().await;
    wait_for_preview(&app).await;
    let title = marked(&app, 0).expect("the title in the preview");
    assert!(!title.has_attribute("data-lbe-changed"));
    let loaded = title.text_content().unwrap_or_default();

    app.type_into(&format!("{TITLE} textarea"), "Fresh <b>title</b>");
    app.wait_for("the new title in the preview", |a| {
        marked(a, 0).is_some_and(|el| el.inner_html() == "Fresh <b>title</b>")
    })
    .await;
    assert!(marked(&app, 0).is_some_and(|el| el.has_attribute("data-lbe-changed")));
    // The same element, patched in place: the frame did not reload.
    assert!(marked(&app, 0).is_some_and(|el| el == title));
    assert!(marked(&app, 1).is_some_and(|el| !el.has_attribute("data-lbe-changed")));

    app.click("#discard");
    app.wait_for("the loaded title back", |a| {
        marked(a, 0).is_some_and(|el| {
            el.text_content().unwrap_or_default() == loaded && !el.has_attribute("data-lbe-changed")
        })
    })
    .await;
}

#[wasm_bindgen_test]
async fn clicking_an_element_in_the_preview_focuses_its_field() {
    let app = open_two_cols().await;
    wait_for_preview(&app).await;
    // The narrow layout shows the preview instead of the fields.
    let preview_tab = app
        .all(".view-switch-item")
        .pop()
        .expect("the Preview switch");
    preview_tab.unchecked_ref::<web_sys::HtmlElement>().click();
    app.wait_for("the preview shown", |a| {
        a.one(".preview-pane:not(.pane-hidden)").is_some()
    })
    .await;

    let doc = frame_document(&app).expect("the frame's document");
    let button = marked(&app, 2).expect("the button in the preview");
    button.scroll_into_view();
    let rect = button.get_bounding_client_rect();
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_client_x((rect.left() + rect.width() / 2.0) as i32);
    init.set_client_y((rect.top() + rect.height() / 2.0) as i32);
    let click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).expect("event");
    let _ = button.dispatch_event(&click);
    assert!(
        click.default_prevented(),
        "a link in the preview does not navigate"
    );
    drop(doc);

    let key = ".landing-block-node-button@0";
    app.wait_for("the button's field focused", |a| {
        a.one(".editing:not(.pane-hidden)").is_some()
            && web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .and_then(|el| el.closest(".field").ok().flatten())
                .and_then(|f| f.get_attribute("data-key"))
                .as_deref()
                == Some(key)
    })
    .await;
}
