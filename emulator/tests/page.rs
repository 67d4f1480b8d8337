//! The editor page and the helpers its script calls.

mod common;

use common::*;
use emulator::server::DEFAULT_HANDLER;
use serde_json::{json, Value};

#[tokio::test]
async fn page_shows_blocks_toolbar_menu_slider_and_log() {
    let emu = start().await;
    let a = emu.editor_addr;
    let r = get(a, "/").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    let page = r.body;
    let blocks = attrs_of(&page, ".emu-block");
    let ids: Vec<&str> = blocks.iter().map(|b| b["data-id"].as_str()).collect();
    assert_eq!(ids, vec!["101", "102", "103", "104", "105", "106"]);
    assert_eq!(blocks[0]["id"], "block101");
    assert_eq!(blocks[5]["data-code"], "49.1.video_just_video");
    // Each block holds its stored HTML.
    assert_eq!(
        texts_of(&page, "#block101 .landing-block-node-title"),
        vec!["What we do"]
    );
    assert_eq!(
        attrs_of(&page, "#block104 .landing-block-node-card").len(),
        10
    );
    // Toolbar with More, a menu with the default binding.
    assert_eq!(attrs_of(&page, ".emu-block .emu-more").len(), 6);
    let items = attrs_of(&page, "#block103 a.emu-menu-item");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["data-handler"], DEFAULT_HANDLER);
    assert_eq!(items[0]["data-block"], "103");
    assert_eq!(
        texts_of(&page, "#block103 a.emu-menu-item"),
        vec!["Block editor"]
    );
    // Slider, log and language switch.
    assert_eq!(attrs_of(&page, "#emu-slider .emu-slider-close").len(), 1);
    assert_eq!(attrs_of(&page, "ol#emu-log").len(), 1);
    let options: Vec<String> = attrs_of(&page, "select#emu-lang option")
        .iter()
        .map(|o| o["value"].clone())
        .collect();
    assert_eq!(
        options,
        vec!["en", "ru", "de", "la", "br", "pl", "fr", "ua"]
    );
    assert!(attrs_of(&page, "#emu-lang option[value=en]")[0].contains_key("selected"));
    // The frame protocol script is inline.
    assert!(
        page.contains("postMessage")
            && page.contains("getInitData")
            && page.contains("refreshBlock")
    );
    assert!(page.contains("emu-slider-frame"));

    let page = get(a, "/?lang=ru").await.body;
    assert!(attrs_of(&page, "#emu-lang option[value=ru]")[0].contains_key("selected"));
    let page = get(a, "/?lang=xx").await.body;
    assert!(attrs_of(&page, "#emu-lang option[value=en]")[0].contains_key("selected"));
    emu.stop().await;
}

#[tokio::test]
async fn bindings_per_block_code_and_titles_are_escaped() {
    let emu = start().await;
    let a = emu.editor_addr;
    let r = post_json(
        a,
        "/_emulator/bind",
        &json!({"placement": "landing_block_49.1.VIDEO_just_video", "handler": "http://127.0.0.1:9/v/", "title": "Video <tool>"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page = get(a, "/").await.body;
    assert_eq!(
        texts_of(&page, "#block106 .emu-menu-item"),
        vec!["Block editor", "Video &lt;tool&gt;"]
    );
    assert_eq!(attrs_of(&page, "#block101 .emu-menu-item").len(), 1);
    assert!(!page.contains("Video <tool>"));
    assert_eq!(
        post_json(
            a,
            "/_emulator/bind",
            &json!({"placement": "OTHER", "handler": "http://x/"})
        )
        .await
        .status,
        400
    );
    emu.stop().await;
}

#[tokio::test]
async fn open_gives_a_fresh_sid_token_and_portal_fields() {
    let emu = start().await;
    let a = emu.editor_addr;
    let r = post_json(
        a,
        "/_emulator/open",
        &json!({"block": "104", "handler": DEFAULT_HANDLER, "lang": "de"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let o = r.json();
    let sid = o["app_sid"].as_str().unwrap();
    assert_eq!(sid.len(), 32);
    assert!(sid.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(o["domain"], json!(a.to_string()));
    assert_eq!(o["protocol"], json!(0));
    assert_eq!(o["lang"], json!("de"));
    assert_eq!(o["status"], json!("L"));
    assert_eq!(o["auth_expires"], json!(3600));
    assert_eq!(o["member_id"].as_str().unwrap().len(), 32);
    assert_eq!(o["placement"], json!("LANDING_BLOCK_*"));
    assert_eq!(o["placement_post"], json!("LANDING_BLOCK_*"));
    assert_eq!(o["application_scope"], json!("landing,placement"));
    assert_eq!(o["title"], json!("Block editor"));
    // PLACEMENT_OPTIONS: a JSON string in the POST, all values strings.
    let opts: Value = serde_json::from_str(o["placement_options"].as_str().unwrap()).unwrap();
    let want = json!({"ID": "104", "CODE": "43.4.cover_with_price_text_button_bgimg", "LID": "1", "URI": "/sites/site/1/view/1/"});
    assert_eq!(opts, want);
    assert_eq!(o["placement_options_obj"], want);
    // The token works for REST; every open is a new sid and token.
    let auth = o["auth_id"].as_str().unwrap();
    assert_eq!(
        rest(
            a,
            "landing.block.getlist",
            auth,
            json!({"lid": 1, "params": {"edit_mode": 1}})
        )
        .await
        .status,
        200
    );
    let o2 = post_json(
        a,
        "/_emulator/open",
        &json!({"block": 104, "handler": DEFAULT_HANDLER, "lang": "zz"}),
    )
    .await
    .json();
    assert_ne!(o2["app_sid"], o["app_sid"]);
    assert_ne!(o2["auth_id"], o["auth_id"]);
    assert_eq!(o2["lang"], json!("en"));

    // A binding for one block code: PLACEMENT's code part goes lower-case in the POST.
    post_json(a, "/_emulator/bind", &json!({"placement": "LANDING_BLOCK_49.1.VIDEO_JUST_VIDEO", "handler": "http://127.0.0.1:9/v/", "title": "V"})).await;
    let o3 = post_json(
        a,
        "/_emulator/open",
        &json!({"block": 106, "handler": "http://127.0.0.1:9/v/"}),
    )
    .await
    .json();
    assert_eq!(
        o3["placement"],
        json!("LANDING_BLOCK_49.1.VIDEO_JUST_VIDEO")
    );
    assert_eq!(
        o3["placement_post"],
        json!("LANDING_BLOCK_49.1.video_just_video")
    );
    // Not bound to that block, unknown block, garbage.
    assert_eq!(
        post_json(
            a,
            "/_emulator/open",
            &json!({"block": 101, "handler": "http://127.0.0.1:9/v/"})
        )
        .await
        .status,
        404
    );
    assert_eq!(
        post_json(
            a,
            "/_emulator/open",
            &json!({"block": 999, "handler": DEFAULT_HANDLER})
        )
        .await
        .status,
        404
    );
    assert_eq!(
        post_json(a, "/_emulator/open", &json!({"handler": DEFAULT_HANDLER}))
            .await
            .status,
        400
    );
    let r = request(
        a,
        "POST",
        "/_emulator/open",
        &[("Content-Type", "application/json")],
        b"{{{",
    )
    .await
    .unwrap();
    assert_eq!(r.status, 400);
    emu.stop().await;
}

#[tokio::test]
async fn block_helper_returns_the_current_draft() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    rest(
        a,
        "landing.block.updatenodes",
        &auth,
        json!({"lid": 1, "block": 101, "data": {".landing-block-node-title": "Fresh"}}),
    )
    .await;
    let b = get(a, "/_emulator/block/101").await.json();
    assert_eq!(
        texts_of(b["content"].as_str().unwrap(), ".landing-block-node-title"),
        vec!["Fresh"]
    );
    // And the page renders the draft.
    assert_eq!(
        texts_of(
            &get(a, "/").await.body,
            "#block101 .landing-block-node-title"
        ),
        vec!["Fresh"]
    );
    emu.stop().await;
}

#[tokio::test]
async fn blocks_stylesheet_named_by_getcontent_is_served_unscoped() {
    let emu = start().await;
    let r = get(emu.editor_addr, "/bitrix/css/emulator/landing-blocks.css").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(r.body.contains(".row {"), "{}", r.body);
    assert!(r.body.contains(".g-color-primary {"), "{}", r.body);
    // The page's own chrome and scoping stay out of it.
    assert!(!r.body.contains(".emu-"), "{}", r.body);
}
