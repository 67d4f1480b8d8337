//! Formatted text in a real browser: the contenteditable field of a text node with markup,
//! its toolbar and shortcuts, links, lists, Enter per node, cleaned pastes, refused drops,
//! hostile stored content shown inert, the expert toggle, and what is saved.
#![cfg(target_arch = "wasm32")]

use landing_block_editor::browser::sleep;
use landing_block_editor::client::{HttpResponse, TransportError};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

#[wasm_bindgen(inline_js = r#"
export function select_word(el, word, collapse_at_end) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    if (collapse_at_end) range.collapse(false);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }
  return false;
}
export function press(el, key, ctrl, shift) {
  const event = new KeyboardEvent("keydown", {key, ctrlKey: ctrl, shiftKey: shift, bubbles: true, cancelable: true});
  el.dispatchEvent(event);
  return event.defaultPrevented;
}
export function paste(el, html, text) {
  const data = new DataTransfer();
  if (html) data.setData("text/html", html);
  data.setData("text/plain", text);
  const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
  el.dispatchEvent(event);
  return event.defaultPrevented;
}
export function drop_file(el) {
  const data = new DataTransfer();
  data.items.add(new File(["\x89PNG"], "picture.png", {type: "image/png"}));
  const event = new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true});
  el.dispatchEvent(event);
  return event.defaultPrevented;
}
export function rewrite(el, html) {
  el.innerHTML = html;
  el.dispatchEvent(new InputEvent("input", {bubbles: true}));
}
export function pwned() { return window.__textPwned === undefined ? 0 : Number(window.__textPwned); }
"#)]
extern "C" {
    fn select_word(el: &Element, word: &str, collapse_at_end: bool) -> bool;
    fn press(el: &Element, key: &str, ctrl: bool, shift: bool) -> bool;
    fn paste(el: &Element, html: &str, text: &str) -> bool;
    fn drop_file(el: &Element) -> bool;
    fn rewrite(el: &Element, html: &str);
    fn pwned() -> f64;
}

const PRICE: &str = r#"Only From <span style="color: #ee4136;">$150.00</span>"#;
const BODY: &str = "<p>First paragraph.</p><p>Second one.</p>";

fn manifest() -> Value {
    json!({
        "block": {"name": "Formatted"},
        "nodes": {
            ".title": {"type": "text", "name": "Title"},
            ".price": {"type": "text", "name": "Price"},
            ".body": {"type": "text", "name": "Body"},
        },
    })
}

fn block(price: &str) -> String {
    format!(
        r#"<section><h2 class="title">Plain title</h2><div class="price">{price}</div><div class="body">{BODY}</div></section>"#
    )
}

/// The block opened with `price` as the price node; one save is answered.
async fn open_with(price: &str, keep_storage: bool) -> (Mounted, std::rc::Rc<StubTransport>) {
    open_answering(price, keep_storage, Vec::new()).await
}

/// [`open_with`], with `before_save` answered first (the link picker's lists, say).
async fn open_answering(
    price: &str,
    keep_storage: bool,
    before_save: Vec<Result<HttpResponse, TransportError>>,
) -> (Mounted, std::rc::Rc<StubTransport>) {
    install_bx24_double(&init_data("formatted", "LANDING_BLOCK_*").to_string(), true);
    let mut answers = vec![block_answer(&manifest(), &block(price), "X", &[])];
    answers.extend(before_save);
    answers.push(ok(r#"{"result":true}"#));
    let transport = StubTransport::new(answers);
    let platform = platform_with_bx24(transport.clone());
    let app = if keep_storage {
        mount_keeping_storage(platform)
    } else {
        mount(platform)
    };
    app.wait_for("the fields", |a| a.all(".field").len() == 3)
        .await;
    (app, transport)
}

async fn open() -> (Mounted, std::rc::Rc<StubTransport>) {
    open_with(PRICE, false).await
}

fn editor(app: &Mounted, key: &str) -> Element {
    app.one(&format!("[data-key='{key}@0'] .formatted"))
        .unwrap_or_else(|| panic!("a formatted editor for {key}"))
}

fn html(app: &Mounted, key: &str) -> String {
    editor(app, key).inner_html()
}

fn button(_app: &Mounted, key: &str, format: &str) -> String {
    format!("[data-key='{key}@0'] button[data-format='{format}']")
}

fn pressed(app: &Mounted, key: &str, format: &str) -> Option<String> {
    app.one(&button(app, key, format))
        .and_then(|b| b.get_attribute("aria-pressed"))
}

/// Saves and gives the updatenodes `data`.
async fn save(app: &Mounted, transport: &StubTransport) -> Value {
    app.wait_for("save enabled", |a| !a.disabled("#save")).await;
    app.click("#save");
    app.wait_for("the saved state", |a| a.text(".status").contains("Saved."))
        .await;
    let requests = transport.requests();
    let writes: Vec<&(String, Value)> = requests
        .iter()
        .filter(|(url, _)| url.ends_with("landing.block.updatenodes.json"))
        .collect();
    assert_eq!(writes.len(), 1, "one updatenodes");
    assert!(requests
        .last()
        .is_some_and(|(url, _)| url.ends_with("landing.block.updatenodes.json")));
    writes[0].1["data"].clone()
}

// ---------------------------------------------------------------- tests

#[wasm_bindgen_test]
async fn markup_is_shown_formatted_a_plain_node_stays_plain_and_a_rewrite_is_no_change() {
    let (app, _) = open().await;
    // The plain title is the plain textarea, without a toolbar.
    assert!(app.one("[data-key='.title@0'] textarea").is_some());
    assert!(app
        .one("[data-key='.title@0'] .formatted, [data-key='.title@0'] .toolbar")
        .is_none());
    // The price reads as formatted text in the block's own style, never as markup.
    assert!(app.one("[data-key='.price@0'] textarea").is_none());
    let price = editor(&app, ".price");
    assert_eq!(
        price.get_attribute("contenteditable").as_deref(),
        Some("true")
    );
    assert_eq!(price.inner_html(), PRICE);
    assert_eq!(price.text_content().as_deref(), Some("Only From $150.00"));
    // Labelled by the field's name.
    let name_id = price.get_attribute("aria-labelledby").unwrap_or_default();
    assert_eq!(app.text(&format!("#{name_id}")), "Price");
    // Eight real, labelled buttons; all but Clear show a pressed state.
    let buttons = app.all("[data-key='.price@0'] .toolbar button");
    assert_eq!(buttons.len(), 8);
    for b in &buttons {
        assert_eq!(b.get_attribute("type").as_deref(), Some("button"));
        assert!(!b.get_attribute("aria-label").unwrap_or_default().is_empty());
        assert!(!b.text_content().unwrap_or_default().trim().is_empty());
    }
    assert_eq!(
        app.all("[data-key='.price@0'] .toolbar button[aria-pressed]")
            .len(),
        7
    );
    // The same content written the browser's way is no change.
    rewrite(
        &price,
        r#"Only From <span style="color:#EE4136">$150.00</span>"#,
    );
    rewrite(
        &editor(&app, ".body"),
        "<p>First&nbsp;paragraph.</p>\n<p>Second one.</p>",
    );
    sleep(50).await;
    assert!(app.disabled("#save"), "a rewrite counted as a change");
    assert!(app.all(".field-changed").is_empty());
    // A real edit is one.
    rewrite(
        &price,
        r#"Only From <span style="color: #ee4136;">$140.00</span>"#,
    );
    app.wait_for("the change", |a| a.all(".field-changed").len() == 1)
        .await;
}

#[wasm_bindgen_test]
async fn shortcuts_and_buttons_format_and_the_pressed_state_follows_the_selection() {
    let (app, transport) = open().await;
    let price = editor(&app, ".price");
    price.unchecked_ref::<web_sys::HtmlElement>().focus().ok();
    assert!(select_word(&price, "From", false));
    assert!(press(&price, "b", true, false), "Ctrl+B is the editor's");
    assert!(
        html(&app, ".price").contains("<b>From</b>"),
        "{}",
        html(&app, ".price")
    );
    app.wait_for("bold pressed", |a| {
        pressed(a, ".price", "bold").as_deref() == Some("true")
    })
    .await;
    assert!(select_word(&price, "Only", false));
    app.wait_for("bold released", |a| {
        pressed(a, ".price", "bold").as_deref() == Some("false")
    })
    .await;
    assert!(press(&price, "i", true, false));
    assert!(html(&app, ".price").contains("<i>Only</i>"));
    app.wait_for("italic pressed", |a| {
        pressed(a, ".price", "italic").as_deref() == Some("true")
    })
    .await;
    assert!(press(&price, "u", true, false));
    assert!(html(&app, ".price").contains("<u>Only</u>"));
    // The buttons do the same; a click keeps the selection in the text.
    assert!(select_word(&price, "$150.00", false));
    app.click(&button(&app, ".price", "strike"));
    let now = html(&app, ".price");
    assert!(
        now.contains("<strike>$150.00</strike>") || now.contains("<s>$150.00</s>"),
        "{now}"
    );
    app.wait_for("strike pressed", |a| {
        pressed(a, ".price", "strike").as_deref() == Some("true")
    })
    .await;
    app.click(&button(&app, ".price", "strike"));
    assert!(!html(&app, ".price").contains("strike>"));
    assert!(select_word(&price, "Only", false));
    app.click(&button(&app, ".price", "bold"));

    let data = save(&app, &transport).await;
    let saved = data[".price@0"].as_str().unwrap_or_default();
    assert_eq!(data.as_object().map(|d| d.len()), Some(1));
    // "Only" in all three (the browser picks the nesting), the rest as it was.
    let only = saved.split(' ').next().unwrap_or_default();
    for tag in ["b", "i", "u"] {
        assert!(only.contains(&format!("<{tag}>")), "{tag} in {saved}");
    }
    assert!(only.contains("Only"), "{saved}");
    assert!(
        saved.ends_with(r#" <b>From</b> <span style="color: #ee4136;">$150.00</span>"#),
        "{saved}"
    );
}

#[wasm_bindgen_test]
async fn links_are_added_edited_and_removed_and_script_addresses_refused() {
    let (app, transport) = open().await;
    let body = editor(&app, ".body");
    body.unchecked_ref::<web_sys::HtmlElement>().focus().ok();
    assert!(select_word(&body, "First", false));
    assert!(press(&body, "k", true, false), "Ctrl+K is the editor's");
    app.wait_for("the link form", |a| a.one(".link-form input").is_some())
        .await;
    let input = "[data-key='.body@0'] .link-form input";
    for bad in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "vbscript:x",
        "data:text/html,x",
    ] {
        app.type_into(input, bad);
        app.click("[data-key='.body@0'] .link-apply");
        app.wait_for("the refusal", |a| {
            a.one("[data-key='.body@0'] .link-form .field-error:not([hidden])")
                .is_some()
        })
        .await;
        assert!(!html(&app, ".body").contains("<a"), "{bad} linked");
    }
    app.type_into(input, "example.com/x");
    app.click("[data-key='.body@0'] .link-apply");
    app.wait_for("the link", |a| html(a, ".body").contains("<a "))
        .await;
    assert!(app.one(".link-form").is_none());
    assert!(
        html(&app, ".body").contains(r#"<a href="https://example.com/x">First</a>"#),
        "{}",
        html(&app, ".body")
    );
    // The caret in the link: the button is pressed and Ctrl+K edits that link.
    assert!(select_word(&body, "First", true));
    app.wait_for("link pressed", |a| {
        pressed(a, ".body", "link").as_deref() == Some("true")
    })
    .await;
    app.click(&button(&app, ".body", "link"));
    app.wait_for("the link form", |a| a.one(".link-form input").is_some())
        .await;
    assert_eq!(app.value(input), "https://example.com/x");
    app.type_into(input, "/about");
    app.click("[data-key='.body@0'] .link-apply");
    app.wait_for("the new address", |a| {
        html(a, ".body").contains("href=\"/about\"")
    })
    .await;
    assert!(!html(&app, ".body").contains("example.com"));
    let data = save(&app, &transport).await;
    assert_eq!(
        data,
        json!({".body@0": r#"<p><a href="/about">First</a> paragraph.</p><p>Second one.</p>"#})
    );
    // Removing it.
    assert!(select_word(&body, "First", true));
    assert!(press(&body, "k", true, false));
    app.wait_for("the remove button", |a| a.one(".link-remove").is_some())
        .await;
    app.click(".link-remove");
    app.wait_for("the link gone", |a| !html(a, ".body").contains("<a"))
        .await;
    assert!(html(&app, ".body").contains("First paragraph."));
}

/// The link form offers the site's pages and blocks as link fields do.
#[wasm_bindgen_test]
async fn the_link_form_picks_a_page_of_the_site() {
    let page = serde_json::json!({"ID": "2", "TITLE": "Prices", "CODE": "prices", "SITE_ID": "1",
                                  "ACTIVE": "Y", "DOMAIN_ID": "1"});
    let lists = link_lists_answer(vec![page], Vec::new());
    let (app, transport) = open_answering(PRICE, false, vec![lists]).await;
    let body = editor(&app, ".body");
    body.unchecked_ref::<web_sys::HtmlElement>().focus().ok();
    assert!(select_word(&body, "First", false));
    assert!(press(&body, "k", true, false));
    let form = "[data-key='.body@0'] .link-form";
    app.wait_for("the link form", |a| {
        a.one(&format!("{form} input")).is_some()
    })
    .await;
    app.click(&format!("{form} .link-choose"));
    let row = format!("{form} .pick[data-href='#landing2']");
    app.wait_for("the site's pages", |a| a.one(&row).is_some())
        .await;
    app.click(&row);
    app.wait_for("the address picked", |a| {
        a.value(&format!("{form} input")) == "#landing2"
    })
    .await;
    app.click(&format!("{form} .link-apply"));
    app.wait_for("the link", |a| {
        html(a, ".body").contains("href=\"#landing2\"")
    })
    .await;
    let data = save(&app, &transport).await;
    assert!(
        data[".body@0"]
            .as_str()
            .unwrap_or_default()
            .contains(r##"<a href="#landing2">First</a>"##),
        "{data}"
    );
}

#[wasm_bindgen_test]
async fn lists_and_clear_formatting() {
    let (app, transport) = open().await;
    let body = editor(&app, ".body");
    body.unchecked_ref::<web_sys::HtmlElement>().focus().ok();
    assert!(select_word(&body, "Second", false));
    app.click(&button(&app, ".body", "bullets"));
    assert!(
        html(&app, ".body").contains("<ul><li>Second one.</li></ul>"),
        "{}",
        html(&app, ".body")
    );
    app.wait_for("bullets pressed", |a| {
        pressed(a, ".body", "bullets").as_deref() == Some("true")
    })
    .await;
    app.click(&button(&app, ".body", "numbers"));
    assert!(
        html(&app, ".body").contains("<ol><li>Second one.</li></ol>"),
        "{}",
        html(&app, ".body")
    );
    app.wait_for("numbers pressed", |a| {
        pressed(a, ".body", "numbers").as_deref() == Some("true")
            && pressed(a, ".body", "bullets").as_deref() == Some("false")
    })
    .await;
    assert!(select_word(&body, "First", false));
    assert!(press(&body, "b", true, false));
    assert!(press(&body, "i", true, false));
    assert!(
        html(&app, ".body").contains("<b><i>First</i></b>")
            || html(&app, ".body").contains("<i><b>First</b></i>")
    );
    app.click(&button(&app, ".body", "clear"));
    assert!(
        !html(&app, ".body").contains("<b>"),
        "{}",
        html(&app, ".body")
    );
    assert!(!html(&app, ".body").contains("<i>"));
    let data = save(&app, &transport).await;
    assert_eq!(
        data,
        json!({".body@0": "<p>First paragraph.</p><ol><li>Second one.</li></ol>"})
    );
}

#[wasm_bindgen_test]
async fn enter_makes_paragraphs_where_the_node_has_them_and_line_breaks_elsewhere() {
    let (app, transport) = open().await;
    let body = editor(&app, ".body");
    body.unchecked_ref::<web_sys::HtmlElement>().focus().ok();
    assert!(select_word(&body, "First", true));
    assert!(press(&body, "Enter", false, false), "Enter is the editor's");
    assert_eq!(
        html(&app, ".body").matches("<p>").count(),
        3,
        "{}",
        html(&app, ".body")
    );
    assert!(select_word(&body, "Second", true));
    assert!(press(&body, "Enter", false, true));
    let now = html(&app, ".body");
    // A blank that starts a line is kept visible as a non-breaking space.
    assert!(
        now.contains("<p>Second<br>&nbsp;one.</p>") || now.contains("<p>Second<br> one.</p>"),
        "{now}"
    );
    assert!(!now.contains("<div"), "{now}");

    let price = editor(&app, ".price");
    price.unchecked_ref::<web_sys::HtmlElement>().focus().ok();
    assert!(select_word(&price, "Only", true));
    assert!(press(&price, "Enter", false, false));
    assert!(select_word(&price, "From", true));
    assert!(press(&price, "Enter", false, true));
    let now = html(&app, ".price");
    assert_eq!(now.matches("<br>").count(), 2, "{now}");
    assert!(!now.contains("<p") && !now.contains("<div"), "{now}");

    let data = save(&app, &transport).await;
    let price = data[".price@0"].as_str().unwrap_or_default();
    assert!(
        price
            .replace("&nbsp;", " ")
            .starts_with("Only<br> From<br>"),
        "{price}"
    );
    let body = data[".body@0"].as_str().unwrap_or_default();
    assert_eq!(body.matches("<p>").count(), 3, "{body}");
}

#[wasm_bindgen_test]
async fn a_hostile_paste_is_inserted_and_saved_clean() {
    let (app, transport) = open().await;
    let price = editor(&app, ".price");
    price.unchecked_ref::<web_sys::HtmlElement>().focus().ok();
    assert!(select_word(&price, "Only", true));
    let hostile = r#"<style>*{color:red}</style><p style="font-size:40px" class="foreign"> <b onclick="window.__textPwned=1">pasted</b><script>window.__textPwned=2</script><img src=x onerror="window.__textPwned=3"><a href="javascript:window.__textPwned=4">bad</a><iframe src="/"></iframe><!--c--></p>"#;
    assert!(
        paste(&price, hostile, "pasted bad"),
        "the paste is the editor's"
    );
    sleep(100).await;
    assert_eq!(pwned(), 0.0, "something pasted ran");
    let now = html(&app, ".price");
    for bad in [
        "<script",
        "onclick",
        "onerror",
        "javascript:",
        "<style",
        "<img",
        "<iframe",
        "font-size",
        "foreign",
    ] {
        assert!(!now.contains(bad), "{bad} in {now}");
    }
    // Plain text comes in as text.
    assert!(select_word(&price, "$150.00", true));
    assert!(paste(&price, "", " <i>not markup</i>"));
    let data = save(&app, &transport).await;
    let saved = data[".price@0"].as_str().unwrap_or_default().to_owned();
    for bad in [
        "<script",
        "onclick",
        "onerror",
        "javascript:",
        "<style",
        "<img",
        "<iframe",
        "font-size",
        "foreign",
        "<!--",
    ] {
        assert!(!saved.contains(bad), "{bad} saved: {saved}");
    }
    assert!(saved.contains("<b>pasted</b>"), "{saved}");
    assert!(saved.contains("&lt;i&gt;not markup&lt;/i&gt;"), "{saved}");
    assert!(
        saved.contains(r#"<span style="color: #ee4136;">"#),
        "{saved}"
    );
    assert_eq!(pwned(), 0.0);
}

#[wasm_bindgen_test]
async fn a_dropped_file_is_refused_with_a_word_why() {
    let (app, _) = open().await;
    let price = editor(&app, ".price");
    assert!(drop_file(&price), "the drop went through");
    app.wait_for("the notice", |a| {
        a.one("[data-key='.price@0'] .field-notice:not([hidden])")
            .is_some()
    })
    .await;
    assert!(app
        .text("[data-key='.price@0'] .field-notice")
        .contains("image field"));
    assert_eq!(html(&app, ".price"), PRICE);
    assert!(app.disabled("#save"));
}

#[wasm_bindgen_test]
async fn hostile_stored_content_is_shown_inert() {
    let hostile = r#"<b onmouseover="window.__textPwned=1">bold</b><img src=x onerror="window.__textPwned=2"><script>window.__textPwned=3</script><a href="javascript:window.__textPwned=4">link</a><style>*{display:none}</style><svg onload="window.__textPwned=5"></svg>"#;
    let (app, _) = open_with(hostile, false).await;
    let price = editor(&app, ".price");
    let shown = price.inner_html();
    assert_eq!(shown, "<b>bold</b><a>link</a>");
    if let Some(link) = price.query_selector("a").ok().flatten() {
        link.unchecked_ref::<web_sys::HtmlElement>().click();
    }
    sleep(200).await;
    assert_eq!(pwned(), 0.0, "stored content ran");
    // Shown is not changed: nothing is saved unless the user edits.
    assert!(app.disabled("#save"));
}

#[wasm_bindgen_test]
async fn the_expert_toggle_shows_the_html_and_is_remembered() {
    let (app, _) = open().await;
    let toggle = "[data-key='.price@0'] .expert-toggle";
    assert!(
        app.one("[data-key='.price@0'] textarea").is_none(),
        "expert is off by default"
    );
    app.click(toggle);
    app.wait_for("the HTML", |a| {
        a.one("[data-key='.price@0'] textarea").is_some()
    })
    .await;
    app.wait_for("the HTML in it", |a| {
        a.value("[data-key='.price@0'] textarea") == PRICE
    })
    .await;
    assert!(app.one("[data-key='.price@0'] .formatted").is_none());
    app.type_into("[data-key='.price@0'] textarea", "Only <b>now</b>");
    app.wait_for("the change", |a| a.all(".field-changed").len() == 1)
        .await;
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item("lbe-text-expert").ok().flatten());
    assert_eq!(stored.as_deref(), Some("on"));
    // Typed back: no change left, no draft kept.
    app.type_into("[data-key='.price@0'] textarea", PRICE);
    app.wait_for("no change", |a| a.all(".field-changed").is_empty())
        .await;
    sleep(100).await;
    drop(app);

    let (app, _) = open_with(PRICE, true).await;
    assert!(
        app.one("[data-key='.price@0'] textarea").is_some(),
        "the toggle was forgotten"
    );
    app.click("[data-key='.price@0'] .expert-toggle");
    app.wait_for("formatted again", |a| {
        a.one("[data-key='.price@0'] .formatted").is_some()
    })
    .await;
    assert_eq!(html(&app, ".price"), PRICE);
    drop(app);
    let (app, _) = open_with(PRICE, true).await;
    assert!(app.one("[data-key='.price@0'] .formatted").is_some());
}

#[wasm_bindgen_test]
async fn discard_puts_the_formatted_text_back() {
    let (app, _) = open().await;
    let price = editor(&app, ".price");
    rewrite(&price, "Only <b>now</b>");
    app.wait_for("the change", |a| a.all(".field-changed").len() == 1)
        .await;
    app.click("#discard");
    app.wait_for("no change", |a| a.all(".field-changed").is_empty())
        .await;
    app.wait_for("the loaded text", |a| html(a, ".price") == PRICE)
        .await;
}

#[wasm_bindgen_test]
async fn discard_after_a_plain_edit() {
    let (app, _) = open().await;
    app.type_into("[data-key='.title@0'] textarea", "New title");
    app.wait_for("the change", |a| a.all(".field-changed").len() == 1)
        .await;
    app.click("#discard");
    app.wait_for("no change", |a| a.all(".field-changed").is_empty())
        .await;
}

#[wasm_bindgen_test]
async fn discard_after_an_expert_edit() {
    let (app, _) = open().await;
    app.click("[data-key='.price@0'] .expert-toggle");
    app.wait_for("the HTML", |a| {
        a.value("[data-key='.price@0'] textarea") == PRICE
    })
    .await;
    app.type_into("[data-key='.price@0'] textarea", "Only <b>now</b>");
    app.wait_for("the change", |a| a.all(".field-changed").len() == 1)
        .await;
    app.click("#discard");
    app.wait_for("no change", |a| a.all(".field-changed").is_empty())
        .await;
    app.wait_for("the loaded HTML", |a| {
        a.value("[data-key='.price@0'] textarea") == PRICE
    })
    .await;
}
