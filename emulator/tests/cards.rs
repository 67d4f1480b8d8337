//! landing.block.updatecards on the fixtures, directly and over REST / batch.

mod common;

use common::*;
use emulator::cards::update_cards;
use emulator::html_edit::count_matches;
use serde_json::{json, Value};

const FEATURES: &str = "06.1features_3_cols";
const PRICES: &str = "44.7.three_columns_with_img_and_price";
/// Block id of the features fixture (second file by name).
const FEATURES_ID: u64 = 102;
const CARD: &str = ".landing-block-card";
const TITLE: &str = ".landing-block-node-element-title";

fn assert_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.json()["error"], json!(code), "{}", r.body);
}

fn titles(html: &str) -> Vec<String> {
    texts_of(html, TITLE)
}

fn source(indices: &[u64]) -> Value {
    Value::Array(
        indices
            .iter()
            .map(|i| json!({"type": "card", "value": i}))
            .collect(),
    )
}

#[test]
fn reorder_duplicate_and_drop() {
    let (m, html) = fixture(FEATURES);
    assert_eq!(titles(&html), ["Analisys", "Strategy", "Social media"]);
    let out = update_cards(&html, &m, &json!({CARD: {"source": source(&[2, 0, 1])}})).unwrap();
    assert_eq!(titles(&out), ["Social media", "Analisys", "Strategy"]);
    let out = update_cards(&html, &m, &json!({CARD: {"source": source(&[0, 0, 1, 2])}})).unwrap();
    assert_eq!(
        titles(&out),
        ["Analisys", "Analisys", "Strategy", "Social media"]
    );
    let out = update_cards(&html, &m, &json!({CARD: {"source": source(&[2])}})).unwrap();
    assert_eq!(titles(&out), ["Social media"]);
    // The rest of the block is untouched.
    assert!(out.starts_with("<section class=\"landing-block g-pt-30 g-pb-30\">"));
    assert_eq!(count_matches(&out, ".landing-block-node-row").unwrap(), 1);
}

#[test]
fn values_are_numbered_after_the_new_order() {
    let (m, html) = fixture(FEATURES);
    let data = json!({CARD: {
        "source": source(&[1, 0, 0]),
        "values": [
            {".landing-block-node-element-title@2": "Copy of analysis"},
            {".landing-block-node-element-title@0": "Design first", ".landing-block-node-element-icon@2": ["landing-block-node-element-icon", "icon-star"]}
        ]
    }});
    let out = update_cards(&html, &m, &data).unwrap();
    assert_eq!(
        titles(&out),
        ["Design first", "Analisys", "Copy of analysis"]
    );
    let icons = attrs_of(&out, ".landing-block-node-element-icon");
    assert_eq!(
        icons[2]["class"],
        "landing-block-node-element-icon icon-star"
    );
    assert_eq!(
        icons[1]["class"],
        "landing-block-node-element-icon icon-fire"
    );
    // Values are sanitized like updatenodes.
    let data = json!({CARD: {"values": [{".landing-block-node-element-title@1": "<b onclick=\"x()\">B</b><script>y()</script>"}]}});
    let out = update_cards(&html, &m, &data).unwrap();
    assert!(out.contains("<b>B</b>"));
    assert!(!out.contains("script") && !out.contains("onclick"));
}

#[test]
fn blank_sources_change_nothing_and_bad_entries_are_skipped() {
    let (m, html) = fixture(FEATURES);
    for data in [
        json!({CARD: {"source": []}}),
        json!({CARD: {"source": source(&[7, 9])}}),
        json!({CARD: {"source": [{"type": "preset", "value": "none"}]}}),
        json!({CARD: "not an object"}),
        json!({".no-such-card": {"source": source(&[0])}}),
        json!({"[[bad selector": {"source": source(&[0])}}),
        json!({}),
        json!([]),
    ] {
        assert_eq!(update_cards(&html, &m, &data).unwrap(), html, "{data}");
    }
    // Unknown indices are dropped, strings and bare numbers are read as PHP does.
    let data = json!({CARD: {"source": [{"value": "2"}, {"value": 5}, 0, {"type": "card"}]}});
    let out = update_cards(&html, &m, &data).unwrap();
    assert_eq!(titles(&out), ["Social media", "Analisys", "Analisys"]);
    assert_eq!(
        update_cards(&html, &m, &json!("text")).unwrap_err().code,
        "TYPE_ERROR"
    );
}

#[test]
fn the_parent_loses_its_other_children_and_presets_are_used() {
    let manifest = json!({
        "nodes": {".t": {"type": "text", "name": "T"}},
        "cards": {".c": {"name": "Card", "presets": {"p": {"name": "P", "html": "<li class=\"c\"><b class=\"t\">preset</b></li>"}}}}
    });
    let html = "<section><ul><li class=\"c\"><b class=\"t\">one</b></li> <li class=\"x\">not a card</li> <li class=\"c\"><b class=\"t\">two</b></li></ul><p class=\"c\"><b class=\"t\">elsewhere</b></p></section>";
    let data = json!({".c": {"source": [{"value": 1}, {"type": "preset", "value": "p"}], "values": [{".t@1": "from values"}]}});
    let out = update_cards(html, &manifest, &data).unwrap();
    assert_eq!(
        out,
        "<section><ul><li class=\"c\"><b class=\"t\">two</b></li><li class=\"c\"><b class=\"t\">from values</b></li></ul><p class=\"c\"><b class=\"t\">elsewhere</b></p></section>"
    );
    // Cards at the top of the fragment: the whole fragment is replaced.
    let out = update_cards(
        "<i class=\"c\">a</i><i class=\"c\">b</i>",
        &manifest,
        &json!({".c": {"source": source(&[1])}}),
    )
    .unwrap();
    assert_eq!(out, "<i class=\"c\">b</i>");
}

#[test]
fn two_selectors_apply_in_turn() {
    let (m, html) = fixture(PRICES);
    let card = ".landing-block-node-card";
    let title = ".landing-block-node-card-title";
    let before = texts_of(&html, title);
    assert_eq!(before.len(), 3);
    let out = update_cards(&html, &m, &json!({card: {"source": source(&[2, 1])}})).unwrap();
    assert_eq!(
        texts_of(&out, title),
        [before[2].clone(), before[1].clone()]
    );
}

#[tokio::test]
async fn over_rest_and_batch() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, FEATURES_ID).await;
    let call = json!({"lid": 1, "block": FEATURES_ID, "data": {CARD: {"source": source(&[1, 2])}}});
    let r = rest(a, "landing.block.updateCards", &auth, call.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["result"], json!(true));
    assert_eq!(
        titles(&draft(a, FEATURES_ID).await),
        ["Strategy", "Social media"]
    );

    // In a batch every parameter is a string of a query: the same indices work.
    let q = "lid=1&block=102&data[.landing-block-card][source][0][type]=card&data[.landing-block-card][source][0][value]=1&data[.landing-block-card][source][1][value]=1&data[.landing-block-card][values][0][.landing-block-node-element-title@1]=Again";
    let r = rest(
        a,
        "batch",
        &auth,
        json!({"halt": 1, "cmd": {"c": format!("landing.block.updatecards?{q}")}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["result"]["result"]["c"], json!(true));
    assert_eq!(
        titles(&draft(a, FEATURES_ID).await),
        ["Social media", "Again"]
    );

    // Errors, as the portal gives them.
    let r = rest(
        a,
        "landing.block.updatecards",
        &auth,
        json!({"lid": 1, "block": FEATURES_ID}),
    )
    .await;
    assert_error(&r, 400, "MISSING_PARAMS");
    let r = rest(
        a,
        "landing.block.updatecards",
        &auth,
        json!({"lid": 1, "block": 999, "data": {}}),
    )
    .await;
    assert_error(&r, 400, "BLOCK_NOT_FOUND");
    let r = rest(
        a,
        "landing.block.updatecards",
        &auth,
        json!({"lid": 7, "block": FEATURES_ID, "data": {}}),
    )
    .await;
    assert_error(&r, 400, "LANDING_NOT_EXIST");
    let r = rest(
        a,
        "landing.block.updatecards",
        &auth,
        json!({"lid": 1, "block": FEATURES_ID, "data": "x"}),
    )
    .await;
    assert_error(&r, 400, "TYPE_ERROR");
    post_json(a, "/_emulator/access", &json!({"level": "V"})).await;
    let r = rest(a, "landing.block.updatecards", &auth, call.clone()).await;
    assert_error(&r, 403, "ACCESS_DENIED");
    post_json(a, "/_emulator/access", &json!({"level": "X"})).await;

    // Faults hit the method by name; the block is left as it was.
    let before = draft(a, FEATURES_ID).await;
    for kind in ["http500", "access_denied", "expired_token", "overload"] {
        let r = post_json(
            a,
            "/_emulator/faults",
            &json!({"rest": [{"method": "landing.block.updatecards", "kind": kind}]}),
        )
        .await;
        assert_eq!(r.status, 200);
        let r = rest(a, "landing.block.updatecards", &auth, call.clone()).await;
        assert!(r.status >= 400, "{kind}: {}", r.status);
    }
    assert_eq!(draft(a, FEATURES_ID).await, before);

    // incorrect_affected: stored, yet answered as an error (a blind retry would reorder twice).
    let r = post_json(
        a,
        "/_emulator/faults",
        &json!({"rest": [{"method": "landing.block.updatecards", "kind": "incorrect_affected"}]}),
    )
    .await;
    assert_eq!(r.status, 200);
    let swap = json!({"lid": 1, "block": FEATURES_ID, "data": {CARD: {"source": source(&[1, 0])}}});
    let r = rest(a, "landing.block.updatecards", &auth, swap).await;
    assert_error(&r, 400, "INCORRECT_AFFECTED");
    assert_eq!(
        titles(&draft(a, FEATURES_ID).await),
        ["Again", "Social media"]
    );
    emu.stop().await;
}

/// The batch `core::cards::save` writes for "card 1 first, then card 0's title set to A&B"
/// (its test `batch_commands`, lid and block changed): the cards move, the title lands on the
/// card's new position.
#[tokio::test]
async fn the_apps_save_batch() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, FEATURES_ID).await;
    let src = "data[.landing-block-card][source]";
    let cards = format!(
        "landing.block.updatecards?lid=1&block=102&{src}[0][type]=card&{src}[0][value]=1\
         &{src}[1][type]=card&{src}[1][value]=0&{src}[2][type]=card&{src}[2][value]=2"
    );
    let nodes =
        "landing.block.updatenodes?lid=1&block=102&data[.landing-block-node-element-title%401]=A%26B";
    let r = rest(
        a,
        "batch",
        &auth,
        json!({"halt": 1, "cmd": {"cards": cards, "nodes": nodes}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["result"]["result_error"], json!([]));
    assert_eq!(
        titles(&draft(a, FEATURES_ID).await),
        ["Strategy", "A&B", "Social media"]
    );
    emu.stop().await;
}
