//! Card controls in a real browser: move (buttons and drag), duplicate, add, remove, collapse,
//! Discard, the draft, and the save of a reshaped block in one batch after a check.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use landing_block_editor::client::{HttpResponse, TransportError};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{DragEvent, DragEventInit};

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

const PRICES: &str =
    include_str!("../emulator/fixtures/blocks/44.7.three_columns_with_img_and_price.json");
const TITLE: &str = ".landing-block-node-card-title";

type Answer = Result<HttpResponse, TransportError>;

async fn open(then: Vec<Answer>) -> (Mounted, Rc<StubTransport>) {
    install_bx24_double(
        &init_data("44.7.three_columns_with_img_and_price", "LANDING_BLOCK_*").to_string(),
        true,
    );
    let mut answers = vec![open_answer(PRICES, "X")];
    answers.extend(then);
    let transport = StubTransport::new(answers);
    let app = mount(platform_with_bx24(transport.clone()));
    app.wait_for("the cards", |a| a.all(".group-card").len() == 3)
        .await;
    (app, transport)
}

/// The cards' ordinals in the order shown.
fn order(app: &Mounted) -> Vec<String> {
    app.all(".group-card")
        .iter()
        .filter_map(|c| c.get_attribute("data-card"))
        .collect()
}

fn card(ordinal: usize) -> String {
    format!("[data-card='0-{ordinal}']")
}

fn focused_class() -> String {
    document_active()
        .map(|el| el.class_name())
        .unwrap_or_default()
}

fn document_active() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.active_element()
}

fn title_of(app: &Mounted, ordinal: usize) -> String {
    app.one(&format!("{} [data-key^='{TITLE}'] textarea", card(ordinal)))
        .map(|t| t.unchecked_into::<web_sys::HtmlTextAreaElement>().value())
        .unwrap_or_default()
}

fn drag(from: &str, to: &str, app: &Mounted) {
    let fire = |selector: &str, kind: &str| {
        let init = DragEventInit::new();
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = DragEvent::new_with_event_init_dict(kind, &init).expect("drag event");
        if let Some(el) = app.one(selector) {
            let _ = el.dispatch_event(&event);
        }
        event.default_prevented()
    };
    fire(&format!("{from} .card-handle"), "dragstart");
    assert!(fire(to, "dragover"), "a card accepts a dragged card");
    fire(to, "drop");
    fire(&format!("{from} .card-handle"), "dragend");
}

#[wasm_bindgen_test]
async fn cards_move_by_button_and_drag_keeping_the_focus() {
    let (app, _) = open(Vec::new()).await;
    assert_eq!(order(&app), ["0-0", "0-1", "0-2"]);
    assert!(app.disabled(&format!("{} .card-up", card(0))));
    assert!(app.disabled(&format!("{} .card-down", card(2))));
    let first_title = title_of(&app, 0);

    app.click(&format!("{} .card-down", card(0)));
    app.wait_for("card 0 second", |a| order(a) == ["0-1", "0-0", "0-2"])
        .await;
    app.wait_for("the focus on the moved card's button", |_| {
        focused_class().contains("card-down")
            && document_active()
                .and_then(|el| el.closest("[data-card]").ok().flatten())
                .and_then(|c| c.get_attribute("data-card"))
                .as_deref()
                == Some("0-0")
    })
    .await;
    assert!(app.text(&format!("{} .card-name", card(0))).contains("#2"));
    assert_eq!(
        title_of(&app, 0),
        first_title,
        "the card moved with its fields"
    );
    app.wait_for("a change counted", |a| a.text(".status").contains('1'))
        .await;

    // At the bottom Move down is disabled: the focus goes to Move up.
    app.click(&format!("{} .card-down", card(0)));
    app.wait_for("card 0 last", |a| order(a) == ["0-1", "0-2", "0-0"])
        .await;
    app.wait_for("the focus on Move up", |_| {
        focused_class().contains("card-up")
    })
    .await;

    drag(&card(0), &card(1), &app);
    app.wait_for("dropped first", |a| order(a) == ["0-0", "0-1", "0-2"])
        .await;
    app.wait_for("back to no changes", |a| a.disabled("#save"))
        .await;
}

#[wasm_bindgen_test]
async fn duplicate_add_remove_collapse_and_discard() {
    let (app, _) = open(Vec::new()).await;
    let price = |ordinal: usize| {
        format!(
            "{} [data-key^='.landing-block-node-card-price'] textarea",
            card(ordinal)
        )
    };
    app.type_into(&price(1), "$77");
    app.click(&format!("{} .card-duplicate", card(1)));
    app.wait_for("a copy after card 1", |a| {
        order(a) == ["0-0", "0-1", "0-3", "0-2"]
    })
    .await;
    assert!(app.one(&format!("{}.card-new", card(3))).is_some());
    app.wait_for("the copy with the values as edited", |a| {
        a.value(&price(3)) == "$77"
    })
    .await;
    app.type_into(&price(3), "$88");
    assert_eq!(app.value(&price(1)), "$77", "the copy is edited apart");

    app.click(".card-add");
    app.wait_for("a new card at the end", |a| order(a).len() == 5)
        .await;
    assert_eq!(order(&app)[4], "0-4");
    assert_eq!(
        title_of(&app, 4),
        "",
        "a new card starts with its text emptied"
    );
    app.wait_for("the new card's first field focused", |_| {
        document_active()
            .and_then(|el| el.closest("[data-card]").ok().flatten())
            .and_then(|c| c.get_attribute("data-card"))
            .as_deref()
            == Some("0-4")
    })
    .await;

    // Collapsing hides the fields and keeps the label.
    let toggle = format!("{} .card-toggle", card(0));
    app.click(&toggle);
    app.wait_for("collapsed", |a| {
        a.one(&format!("{} .card-fields[hidden]", card(0)))
            .is_some()
    })
    .await;
    assert_eq!(
        app.one(&toggle)
            .and_then(|t| t.get_attribute("aria-expanded"))
            .as_deref(),
        Some("false")
    );
    assert!(!app.text(&format!("{} .group-label", card(0))).is_empty());

    for _ in 0..4 {
        let first = order(&app)[0].clone();
        app.click(&format!("[data-card='{first}'] .card-remove"));
        app.wait_for("one card fewer", |a| !order(a).contains(&first))
            .await;
    }
    assert_eq!(order(&app).len(), 1);
    assert!(app.disabled(".card-remove"), "the last card stays");
    assert!(!app.text(".card-why").is_empty(), "and says why");

    app.click("#discard");
    app.wait_for("the cards as loaded", |a| order(a) == ["0-0", "0-1", "0-2"])
        .await;
    assert_ne!(app.value(&price(1)), "$77");
    assert!(app.disabled("#save"));
}

fn batch_ok(keys: &[&str]) -> Answer {
    let results: serde_json::Map<String, Value> = keys
        .iter()
        .map(|k| ((*k).to_owned(), Value::Bool(true)))
        .collect();
    ok(
        serde_json::json!({"result": {"result": results, "result_error": [], "result_total": [],
        "result_next": [], "result_time": []}, "time": {"start": 1}})
        .to_string(),
    )
}

/// Reorder + edit + add + remove, saved in one batch after one read; the block is then
/// loaded again.
#[wasm_bindgen_test]
async fn a_reshaped_block_is_checked_then_saved_in_one_batch_and_loaded_again() {
    let (app, transport) = open(vec![
        open_answer(PRICES, "X"),
        batch_ok(&["cards", "nodes"]),
        open_answer(PRICES, "X"),
    ])
    .await;
    app.click(".card-add");
    app.wait_for("four cards", |a| order(a).len() == 4).await;
    app.type_into(
        &format!("{} [data-key^='{TITLE}'] textarea", card(3)),
        "Fourth",
    );
    // The new card first, card 1 removed: [3, 0, 2].
    let drag_to_top = |app: &Mounted| drag(&card(3), &card(0), app);
    drag_to_top(&app);
    app.wait_for("new card first", |a| order(a)[0] == "0-3")
        .await;
    app.click(&format!("{} .card-remove", card(1)));
    app.wait_for("card 1 gone", |a| order(a) == ["0-3", "0-0", "0-2"])
        .await;
    app.wait_for("save enabled", |a| !a.disabled("#save")).await;
    app.click("#save");
    app.wait_for("loaded again, saying so", |a| a.one("#reopened").is_some())
        .await;

    let requests = transport.requests();
    assert_eq!(requests.len(), 4, "open, check, one write, open again");
    let check = &requests[1].1["cmd"];
    assert!(check["content"]
        .as_str()
        .unwrap_or_default()
        .starts_with("landing.block.getcontent?"));
    let write = &requests[2].1["cmd"];
    let cards = write["cards"].as_str().unwrap_or_default();
    let nodes = write["nodes"].as_str().unwrap_or_default();
    assert_eq!(
        requests[2].1["halt"],
        Value::String("1".into()),
        "{:?}",
        requests[2].1
    );
    let src = "data[.landing-block-node-card][source]";
    assert!(cards.starts_with("landing.block.updatecards?"), "{cards}");
    for (i, old) in [0, 0, 2].iter().enumerate() {
        assert!(
            cards.contains(&format!("{src}%5B{i}%5D%5Bvalue%5D%3D{old}"))
                || cards.contains(&format!("{src}[{i}][value]={old}")),
            "{cards}"
        );
    }
    assert!(nodes.starts_with("landing.block.updatenodes?"), "{nodes}");
    assert!(nodes.contains("Fourth"), "{nodes}");
    assert!(
        nodes.contains(&format!("{TITLE}%25400")) || nodes.contains(&format!("{TITLE}%400")),
        "the new card's title is addressed at its new place, first: {nodes}"
    );
    assert!(app.one("#draft-restored").is_none(), "nothing left unsaved");
}

/// The check finds the block changed (a card fewer): nothing is written, the block is
/// loaded again, and the field edits come back.
#[wasm_bindgen_test]
async fn a_block_changed_elsewhere_is_not_overwritten() {
    let fixture: Value = serde_json::from_str(PRICES).expect("fixture");
    let html = fixture["content"].as_str().unwrap_or_default();
    // The markup the check reads lacks the last card.
    let parsed = web_sys::DomParser::new()
        .and_then(|p| p.parse_from_string(html, web_sys::SupportedType::TextHtml))
        .expect("parsed");
    let cards = parsed
        .query_selector_all(".landing-block-node-card")
        .expect("cards");
    if let Some(last) = cards.item(cards.length() - 1) {
        last.unchecked_into::<web_sys::Element>().remove();
    }
    let fewer = parsed.body().map(|b| b.inner_html()).unwrap_or_default();
    let (app, transport) = open(vec![
        block_answer(&fixture["manifest"], &fewer, "X", &[]),
        open_answer(PRICES, "X"),
    ])
    .await;
    let price = format!(
        "{} [data-key^='.landing-block-node-card-price'] textarea",
        card(0)
    );
    app.type_into(&price, "$5");
    app.click(&format!("{} .card-down", card(0)));
    app.wait_for("moved", |a| order(a)[1] == "0-0").await;
    app.wait_for("save enabled", |a| !a.disabled("#save")).await;
    app.click("#save");
    app.wait_for("loaded again, saying so", |a| {
        a.one("#reopened.notice-warning").is_some()
    })
    .await;
    let requests = transport.requests();
    assert_eq!(requests.len(), 3, "open, check, open again: no write");
    assert!(requests
        .iter()
        .all(|(_, body)| !body.to_string().contains("updatecards")));
    assert_eq!(order(&app), ["0-0", "0-1", "0-2"], "the cards as they are");
    assert!(app.one("#draft-restored").is_some());
    assert_eq!(app.value(&price), "$5", "the field edit is kept");
}

/// A reshaped block comes back from the browser's draft.
#[wasm_bindgen_test]
async fn card_changes_survive_a_reopen() {
    let (app, _) = open(Vec::new()).await;
    app.click(&format!("{} .card-duplicate", card(2)));
    app.wait_for("a copy", |a| order(a).len() == 4).await;
    app.type_into(
        &format!("{} [data-key^='{TITLE}'] textarea", card(3)),
        "Copied and renamed",
    );
    app.click(&format!("{} .card-up", card(1)));
    app.wait_for("moved", |a| order(a)[0] == "0-1").await;
    let shown = order(&app);
    drop(app);

    let (again, _) = {
        install_bx24_double(
            &init_data("44.7.three_columns_with_img_and_price", "LANDING_BLOCK_*").to_string(),
            true,
        );
        let transport = StubTransport::new(vec![open_answer(PRICES, "X")]);
        let app = mount_keeping_storage(platform_with_bx24(transport.clone()));
        app.wait_for("the cards back", |a| a.all(".group-card").len() == 4)
            .await;
        (app, transport)
    };
    assert_eq!(order(&again), shown);
    assert!(again.one("#draft-restored").is_some());
    assert_eq!(title_of(&again, 3), "Copied and renamed");
}

/// The preview's cards, as `list-ordinal` marks in order, and the text of each title.
fn preview_cards(app: &Mounted) -> Vec<(String, String)> {
    let Some(doc) = app.one(".preview-frame[aria-busy='false']").and_then(|f| {
        f.unchecked_into::<web_sys::HtmlIFrameElement>()
            .content_document()
    }) else {
        return Vec::new();
    };
    let Ok(cards) = doc.query_selector_all("[data-lbe-card]") else {
        return Vec::new();
    };
    (0..cards.length())
        .filter_map(|i| cards.item(i))
        // The frame's nodes belong to its own realm: a checked cast would refuse them.
        .map(|n| n.unchecked_into::<web_sys::Element>())
        .map(|c| {
            let title = c
                .query_selector(TITLE)
                .ok()
                .flatten()
                .and_then(|t| t.text_content())
                .unwrap_or_default();
            (
                c.get_attribute("data-lbe-card").unwrap_or_default(),
                title.trim().to_owned(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_preview_shows_card_changes() {
    let (app, _) = open(Vec::new()).await;
    app.wait_for("the preview's cards", |a| preview_cards(a).len() == 3)
        .await;
    app.click(&format!("{} .card-duplicate", card(0)));
    app.wait_for("a copy", |a| order(a).len() == 4).await;
    app.type_into(
        &format!("{} [data-key^='{TITLE}'] textarea", card(3)),
        "The copy",
    );
    app.click(&format!("{} .card-remove", card(1)));
    app.wait_for("the preview following", |a| {
        let shown = preview_cards(a);
        shown.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>() == ["0-0", "0-3", "0-2"]
            && shown[1].1 == "The copy"
    })
    .await;
    let doc = app
        .one(".preview-frame")
        .and_then(|f| {
            f.unchecked_into::<web_sys::HtmlIFrameElement>()
                .content_document()
        })
        .expect("the frame");
    assert!(
        doc.query_selector("[data-lbe-card='0-3'][data-lbe-changed]")
            .ok()
            .flatten()
            .is_some(),
        "the new card is outlined"
    );
    app.click("#discard");
    app.wait_for("the preview as loaded", |a| {
        preview_cards(a)
            .iter()
            .map(|(m, _)| m.clone())
            .collect::<Vec<_>>()
            == ["0-0", "0-1", "0-2"]
    })
    .await;
}

#[wasm_bindgen_test]
async fn long_card_lists_start_with_only_the_first_card_open() {
    const COVER: &str =
        include_str!("../emulator/fixtures/blocks/43.4.cover_with_price_text_button_bgimg.json");
    install_bx24_double(
        &init_data("43.4.cover_with_price_text_button_bgimg", "LANDING_BLOCK_*").to_string(),
        true,
    );
    let transport = StubTransport::new(vec![open_answer(COVER, "X")]);
    let app = mount(platform_with_bx24(transport));
    app.wait_for("the cards", |a| a.all(".group-card").len() > 3)
        .await;
    let cards = app.all(".group-card");
    let open: Vec<bool> = cards
        .iter()
        .map(|c| {
            c.query_selector(".card-fields[hidden]")
                .ok()
                .flatten()
                .is_none()
        })
        .collect();
    assert!(open[0], "the first card is open");
    assert!(
        open[1..].iter().all(|o| !o),
        "the others are collapsed: {open:?}"
    );
    // Each collapsed card still names itself.
    assert!(cards[1..].iter().all(|c| {
        c.query_selector(".group-label, .card-thumb")
            .ok()
            .flatten()
            .is_some()
    }));
}
