//! updatenodes / updateattrs / clonecard / removecard on the real block fixtures.

mod common;

use common::*;
use emulator::html_edit::{clone_card, count_matches, remove_card, update_attrs, update_nodes};
use serde_json::json;

const TITLE_BLOCK: &str = "04.1.one_col_fix_with_title";
const FEATURES: &str = "06.1features_3_cols";
const TEXT_IMG: &str = "31.1.two_cols_text_img";
const COVER: &str = "43.4.cover_with_price_text_button_bgimg";
const PRICES: &str = "44.7.three_columns_with_img_and_price";
const VIDEO: &str = "49.1.video_just_video";

/// The inner HTML of the first element with `class` (fixtures use unique, simple markup).
fn inner_of(html: &str, class: &str) -> String {
    let start = html
        .find(&format!("class=\"{class} "))
        .or_else(|| html.find(&format!("class=\"{class}\"")))
        .expect("class present");
    let open_end = start + html[start..].find('>').unwrap() + 1;
    let tag_start = html[..start].rfind('<').unwrap();
    let tag: String = html[tag_start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let close = open_end + html[open_end..].find(&format!("</{tag}>")).unwrap();
    html[open_end..close].to_string()
}

#[test]
fn text_node_takes_inline_markup() {
    let (m, html) = fixture(TITLE_BLOCK);
    let out = update_nodes(
        &html,
        &m,
        &json!({".landing-block-node-title": "Our <b>best</b> <em>work</em> &amp; more"}),
    )
    .unwrap();
    assert_eq!(
        inner_of(&out, "landing-block-node-title"),
        "Our <b>best</b> <em>work</em> &amp; more"
    );
    // The element itself and the other node are untouched.
    assert!(out.contains("<h2 class=\"landing-block-node-title js-animation fadeIn h1"));
    assert_eq!(
        inner_of(&out, "landing-block-node-subtitle"),
        "Our services"
    );
    // The portal's clean-up: "&amp;x" becomes "&x", an empty text becomes a space.
    let out = update_nodes(
        &html,
        &m,
        &json!({".landing-block-node-title": "AT&amp;T", ".landing-block-node-subtitle": ""}),
    )
    .unwrap();
    assert_eq!(inner_of(&out, "landing-block-node-title"), "AT&T");
    assert_eq!(inner_of(&out, "landing-block-node-subtitle"), " ");
    // {text: ...} and numbers are accepted too.
    let out = update_nodes(
        &html,
        &m,
        &json!({".landing-block-node-title": {"text": "Obj"}, ".landing-block-node-subtitle": 42}),
    )
    .unwrap();
    assert_eq!(inner_of(&out, "landing-block-node-title"), "Obj");
    assert_eq!(inner_of(&out, "landing-block-node-subtitle"), "42");
}

#[test]
fn text_node_is_sanitized() {
    let (m, html) = fixture(TITLE_BLOCK);
    let dirty = r#"Safe <img src="x.png" onerror="alert(1)"><script>steal()</script><style>*{}</style><a href="javascript:alert(1)" onclick="x()">link</a> <a href="https://ok.test/">ok</a>"#;
    let out = update_nodes(&html, &m, &json!({".landing-block-node-title": dirty})).unwrap();
    let inner = inner_of(&out, "landing-block-node-title");
    assert_eq!(
        inner,
        r#"Safe <img src="x.png"><a>link</a> <a href="https://ok.test/">ok</a>"#
    );
}

#[test]
fn link_node_sets_text_href_and_target() {
    let (m, html) = fixture(TEXT_IMG);
    let out = update_nodes(
        &html,
        &m,
        &json!({".landing-block-node-button": {"text": "Call <now>", "href": "https://example.test/?a=1&b=2", "target": "_BLANK"}}),
    )
    .unwrap();
    let a = &attrs_of(&out, ".landing-block-node-button")[0];
    assert_eq!(a["href"], "https://example.test/?a=1&amp;b=2");
    assert_eq!(a["target"], "_blank");
    assert_eq!(a["tabindex"], "0");
    // The portal stores link text as text: markup in it is escaped.
    assert_eq!(
        inner_of(&out, "landing-block-node-button"),
        "Call &lt;now&gt;"
    );
    // A value without target clears it; an empty href keeps the old one.
    let out2 = update_nodes(
        &out,
        &m,
        &json!({".landing-block-node-button": {"text": "Again", "href": ""}}),
    )
    .unwrap();
    let a = &attrs_of(&out2, ".landing-block-node-button")[0];
    assert!(!a.contains_key("target"), "{a:?}");
    assert_eq!(a["href"], "https://example.test/?a=1&amp;b=2");
    assert_eq!(inner_of(&out2, "landing-block-node-button"), "Again");
    // javascript: links are refused.
    let out3 = update_nodes(
        &html,
        &m,
        &json!({".landing-block-node-button": {"href": "javascript:alert(1)"}}),
    )
    .unwrap();
    assert_eq!(
        attrs_of(&out3, ".landing-block-node-button")[0]["href"],
        "#"
    );
}

#[test]
fn img_node_on_an_img_tag_with_position() {
    let (m, html) = fixture(PRICES);
    let out = update_nodes(
        &html,
        &m,
        &json!({".landing-block-node-card-img@1": {"src": "https://img.test/b.jpg", "alt": "Bride \"&\" groom", "src2x": "https://img.test/b@2x.jpg"}}),
    )
    .unwrap();
    let imgs = attrs_of(&out, ".landing-block-node-card-img");
    assert_eq!(imgs.len(), 3);
    assert_eq!(
        imgs[0]["src"],
        "https://cdn.bitrix24.site/bitrix/images/landing/business/740x380/img1.jpg"
    );
    assert_eq!(imgs[1]["src"], "https://img.test/b.jpg");
    assert_eq!(imgs[1]["alt"], "Bride &quot;&amp;&quot; groom");
    assert_eq!(imgs[1]["srcset"], "https://img.test/b@2x.jpg 2x");
    assert_eq!(
        imgs[2]["src"],
        "https://cdn.bitrix24.site/bitrix/images/landing/business/740x380/img3.jpg"
    );
    // The whole object is sent: no src2x removes srcset, no alt clears it.
    let out = update_nodes(
        &out,
        &m,
        &json!({".landing-block-node-card-img@1": {"src": "https://img.test/c.jpg"}}),
    )
    .unwrap();
    let img = &attrs_of(&out, ".landing-block-node-card-img")[1];
    assert!(!img.contains_key("srcset"));
    assert_eq!(img["alt"], "");
    assert_eq!(img["src"], "https://img.test/c.jpg");
}

#[test]
fn img_node_on_a_background_keeps_other_styles() {
    let (m, html) = fixture(TEXT_IMG);
    let out = update_nodes(
        &html,
        &m,
        &json!({".landing-block-node-img": {"src": "https://img.test/a.jpg", "alt": "x"}}),
    )
    .unwrap();
    let div = &attrs_of(&out, ".landing-block-node-img")[0];
    assert_eq!(
        div["style"],
        "background-image: url('https://img.test/a.jpg');"
    );
    assert!(div["class"].contains("g-bg-img-hero"));
    assert!(!div.contains_key("alt"));

    let manifest = json!({"nodes": {".bg": {"type": "img"}}});
    let custom = r#"<div class="bg" style="color: red; background-image: url(old.jpg); height: 10px"></div>"#;
    let out = update_nodes(
        custom,
        &manifest,
        &json!({".bg": {"src": "https://i.test/n.jpg", "src2x": "https://i.test/n2.jpg", "id": 7}}),
    )
    .unwrap();
    let div = &attrs_of(&out, ".bg")[0];
    assert_eq!(
        div["style"],
        "color: red; height: 10px; background-image: url('https://i.test/n.jpg'); \
         background-image: -webkit-image-set(url('https://i.test/n.jpg') 1x, url('https://i.test/n2.jpg') 2x); \
         background-image: image-set(url('https://i.test/n.jpg') 1x, url('https://i.test/n2.jpg') 2x);"
    );
    assert_eq!(div["data-fileid"], "7");
    // An empty src removes the background.
    let out = update_nodes(&out, &manifest, &json!({".bg": {"src": ""}})).unwrap();
    let div = &attrs_of(&out, ".bg")[0];
    assert_eq!(div["style"], "color: red; height: 10px;");
    assert!(!div.contains_key("data-fileid"));

    // Cards: the third slide's background only.
    let (m, html) = fixture(COVER);
    let out = update_nodes(
        &html,
        &m,
        &json!({".landing-block-node-card-bgimg@2": {"src": "https://img.test/s3.jpg"}}),
    )
    .unwrap();
    let slides = attrs_of(&out, ".landing-block-node-card-bgimg");
    assert_eq!(slides.len(), 10);
    assert_eq!(
        slides[2]["style"],
        "background-image: url('https://img.test/s3.jpg');"
    );
    assert_eq!(
        slides[1]["style"],
        attrs_of(&html, ".landing-block-node-card-bgimg")[1]["style"]
    );
}

#[test]
fn icon_node_replaces_the_class_list() {
    let (m, html) = fixture(FEATURES);
    let out = update_nodes(
        &html,
        &m,
        &json!({".landing-block-node-element-icon@2": ["landing-block-node-element-icon", "fa", "fa-star"]}),
    )
    .unwrap();
    let icons = attrs_of(&out, ".landing-block-node-element-icon");
    assert_eq!(
        icons[0]["class"],
        "landing-block-node-element-icon icon-fire"
    );
    assert_eq!(
        icons[2]["class"],
        "landing-block-node-element-icon fa fa-star"
    );
    let out = update_nodes(&html, &m, &json!({".landing-block-node-element-icon": {"classList": ["landing-block-node-element-icon", "icon-heart"]}})).unwrap();
    assert_eq!(
        attrs_of(&out, ".landing-block-node-element-icon")[0]["class"],
        "landing-block-node-element-icon icon-heart"
    );
    assert_eq!(
        update_nodes(
            &html,
            &m,
            &json!({".landing-block-node-element-icon": [1, 2]})
        )
        .unwrap_err()
        .code,
        "TYPE_ERROR"
    );
}

#[test]
fn embed_node_sets_data_attributes_and_preview() {
    let (m, html) = fixture(VIDEO);
    let out = update_nodes(
        &html,
        &m,
        &json!({".landing-block-node-embed": {
            "src": "//www.youtube.com/embed/abc?autoplay=0&controls=1",
            "source": "https://www.youtube.com/watch?v=abc",
            "preview": "//img.youtube.com/vi/abc/sddefault.jpg",
            "ratio": "embed-responsive-16by9"
        }}),
    )
    .unwrap();
    let e = &attrs_of(&out, ".landing-block-node-embed")[0];
    assert_eq!(
        e["data-src"],
        "//www.youtube.com/embed/abc?autoplay=0&amp;controls=1"
    );
    assert_eq!(e["data-source"], "https://www.youtube.com/watch?v=abc");
    assert_eq!(e["data-preview"], "//img.youtube.com/vi/abc/sddefault.jpg");
    assert_eq!(
        e["style"],
        "background-image: url('//img.youtube.com/vi/abc/sddefault.jpg');"
    );
    // No preview: no background, no data-preview.
    let out = update_nodes(
        &out,
        &m,
        &json!({".landing-block-node-embed": {"src": "//v.test/e"}}),
    )
    .unwrap();
    let e = &attrs_of(&out, ".landing-block-node-embed")[0];
    assert!(
        !e.contains_key("data-preview") && !e.contains_key("style"),
        "{e:?}"
    );
    assert_eq!(e["data-source"], "https://www.youtube.com/watch?v=abc");
    // On an iframe the src attribute changes.
    let manifest = json!({"nodes": {".v": {"type": "embed"}}});
    let out = update_nodes(
        r#"<iframe class="v" src="//old"></iframe>"#,
        &manifest,
        &json!({".v": {"src": "//new"}}),
    )
    .unwrap();
    assert_eq!(attrs_of(&out, ".v")[0]["src"], "//new");
}

#[test]
fn positions_pick_one_card_and_unknown_selectors_are_ignored() {
    let (m, html) = fixture(COVER);
    let before = texts_of(&html, ".landing-block-node-card-title");
    let out = update_nodes(
        &html,
        &m,
        &json!({
            ".landing-block-node-card-title@3": "Paris",
            ".landing-block-node-card-price@0": "Only <span>$1</span>",
            ".not-in-manifest": "ignored",
            ".landing-block-node-card-container": "not a node either"
        }),
    )
    .unwrap();
    let after = texts_of(&out, ".landing-block-node-card-title");
    assert_eq!(after.len(), 10);
    assert_eq!(after[3], "Paris");
    for i in [0, 1, 2, 4, 9] {
        assert_eq!(after[i], before[i]);
    }
    assert_eq!(
        texts_of(&out, ".landing-block-node-card-price")[0],
        "Only $1"
    );
    assert!(!out.contains("ignored") && !out.contains("not a node either"));
    // Only unknown selectors: nothing changes, no error.
    assert_eq!(
        update_nodes(&html, &m, &json!({".nope": "x"})).unwrap(),
        html
    );
}

#[test]
fn attrs_values_set_attributes() {
    let (m, html) = fixture(PRICES);
    let out = update_nodes(&html, &m, &json!({".landing-block-node-card-button": {"attrs": {"data-x": "1", "onclick": "evil()"}}})).unwrap();
    let buttons = attrs_of(&out, ".landing-block-node-card-button");
    assert!(buttons
        .iter()
        .all(|b| b["data-x"] == "1" && !b.contains_key("onclick")));
    let out = update_nodes(
        &html,
        &m,
        &json!({".landing-block-node-card-button@1": {"attrs": {"data-y": 2}}}),
    )
    .unwrap();
    let ys: Vec<bool> = attrs_of(&out, ".landing-block-node-card-button")
        .iter()
        .map(|b| b.contains_key("data-y"))
        .collect();
    assert_eq!(ys, vec![false, true, false]);
    // updateattrs: manifest selectors only, null removes.
    let out = update_attrs(&html, &m, &json!({".landing-block-node-card@2": {"data-z": "z", "class": null}, ".unknown": {"a": "b"}})).unwrap();
    let cards = attrs_of(&out, ".landing-block-node-card");
    assert_eq!(cards.len(), 2, "the third card lost its class");
    assert_eq!(attrs_of(&out, "[data-z]").len(), 1);
    assert_eq!(
        update_attrs(&html, &m, &json!({})).unwrap_err().code,
        "NODES_NOT_FOUND"
    );
    assert_eq!(
        update_attrs(&html, &m, &json!({".landing-block-node-card": "x"}))
            .unwrap_err()
            .code,
        "TYPE_ERROR"
    );
}

#[test]
fn wrong_types_and_empty_data() {
    let (m, html) = fixture(TEXT_IMG);
    assert_eq!(
        update_nodes(&html, &m, &json!({})).unwrap_err().code,
        "NODES_NOT_FOUND"
    );
    assert_eq!(
        update_nodes(&html, &m, &json!([])).unwrap_err().code,
        "NODES_NOT_FOUND"
    );
    for bad in [
        json!("text"),
        json!([1]),
        json!({".landing-block-node-title": {"nope": 1}}),
        json!({".landing-block-node-title": ["a"]}),
        json!({".landing-block-node-img": "https://x.test/a.jpg"}),
        json!({".landing-block-node-button": "text"}),
        json!({".landing-block-node-button": {"text": 5}}),
        json!({".landing-block-node-title@x": "t"}),
    ] {
        assert_eq!(
            update_nodes(&html, &m, &bad).unwrap_err().code,
            "TYPE_ERROR",
            "{bad}"
        );
    }
}

#[test]
fn clone_and_remove_cards() {
    let (m, html) = fixture(PRICES);
    let titles = texts_of(&html, ".landing-block-node-card-title");
    assert_eq!(titles.len(), 3);
    let out = clone_card(&html, &m, ".landing-block-node-card@1").unwrap();
    assert_eq!(count_matches(&out, ".landing-block-node-card").unwrap(), 4);
    let t = texts_of(&out, ".landing-block-node-card-title");
    assert_eq!(
        t,
        vec![
            titles[0].clone(),
            titles[1].clone(),
            titles[1].clone(),
            titles[2].clone()
        ]
    );
    assert!(!out.contains("emu-card-"), "markers are gone");
    // The clone is independent: editing @2 leaves @1 alone.
    let edited = update_nodes(
        &out,
        &m,
        &json!({".landing-block-node-card-title@2": "Copy"}),
    )
    .unwrap();
    let t = texts_of(&edited, ".landing-block-node-card-title");
    assert_eq!((t[1].as_str(), t[2].as_str()), (titles[1].as_str(), "Copy"));

    let out = remove_card(&html, &m, ".landing-block-node-card@0").unwrap();
    assert_eq!(
        texts_of(&out, ".landing-block-node-card-title"),
        titles[1..].to_vec()
    );
    let out = clone_card(&html, &m, ".landing-block-node-card").unwrap();
    assert_eq!(
        texts_of(&out, ".landing-block-node-card-title")[..2],
        [titles[0].clone(), titles[0].clone()]
    );

    assert_eq!(
        clone_card(&html, &m, ".landing-block-node-card@3")
            .unwrap_err()
            .code,
        "CARD_NOT_FOUND"
    );
    assert_eq!(
        remove_card(&html, &m, ".landing-block-node-card@7")
            .unwrap_err()
            .code,
        "CARD_NOT_FOUND"
    );
    assert_eq!(
        clone_card(&html, &m, ".landing-block-node-card-title@0")
            .unwrap_err()
            .code,
        "CARD_NOT_FOUND"
    );
    let (m2, html2) = fixture(TITLE_BLOCK);
    assert_eq!(
        clone_card(&html2, &m2, ".anything@0").unwrap_err().code,
        "CARD_NOT_FOUND"
    );
}

#[tokio::test]
async fn rest_edits_go_to_the_draft() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 105).await;
    let r = rest(
        a,
        "landing.block.updatenodes",
        &auth,
        json!({"lid": 1, "block": 105, "data": {
            ".landing-block-node-card-title@0": "<i>Gold</i>",
            ".landing-block-node-card-button@0": {"text": "Buy", "href": "#buy", "target": "_self"},
            ".landing-block-node-card-img@0": {"src": "https://img.test/g.jpg", "alt": "Gold"}
        }}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["result"], json!(true));
    let d = draft(a, 105).await;
    assert_eq!(texts_of(&d, ".landing-block-node-card-title")[0], "Gold");
    assert!(d.contains("<i>Gold</i>"));
    assert_eq!(
        attrs_of(&d, ".landing-block-node-card-button")[0]["target"],
        "_self"
    );
    assert_eq!(
        attrs_of(&d, ".landing-block-node-card-img")[0]["alt"],
        "Gold"
    );

    let r = rest(
        a,
        "landing.block.clonecard",
        &auth,
        json!({"lid": 1, "block": 105, "selector": ".landing-block-node-card@0"}),
    )
    .await;
    assert_eq!(r.json()["result"], json!(true));
    assert_eq!(
        count_matches(&draft(a, 105).await, ".landing-block-node-card").unwrap(),
        4
    );
    let r = rest(
        a,
        "landing.block.removecard",
        &auth,
        json!({"lid": 1, "block": 105, "selector": ".landing-block-node-card@3"}),
    )
    .await;
    assert_eq!(r.json()["result"], json!(true));
    assert_eq!(
        count_matches(&draft(a, 105).await, ".landing-block-node-card").unwrap(),
        3
    );
    let r = rest(
        a,
        "landing.block.removecard",
        &auth,
        json!({"lid": 1, "block": 105, "selector": ".nope@0"}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], json!("CARD_NOT_FOUND"));
    let r = rest(
        a,
        "landing.block.updatenodes",
        &auth,
        json!({"lid": 1, "block": 105, "data": {}}),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (400, json!("NODES_NOT_FOUND"))
    );
    let r = rest(
        a,
        "landing.block.updatenodes",
        &auth,
        json!({"lid": 1, "block": 105, "data": "x"}),
    )
    .await;
    assert_eq!(r.json()["error"], json!("TYPE_ERROR"));
    let r = rest(
        a,
        "landing.block.updatenodes",
        &auth,
        json!({"lid": 1, "block": 105}),
    )
    .await;
    assert_eq!(r.json()["error"], json!("MISSING_PARAMS"));
    let r = rest(
        a,
        "landing.block.updateattrs",
        &auth,
        json!({"lid": 1, "block": 105, "data": {".landing-block-node-card-title": {"data-role": "t"}}}),
    )
    .await;
    assert_eq!(r.json()["result"], json!(true));
    assert_eq!(attrs_of(&draft(a, 105).await, "[data-role=t]").len(), 3);

    // The published copy never changed.
    let s = state(a).await;
    assert_eq!(
        s["blocks"][4]["published"].as_str().unwrap(),
        fixture(PRICES).1
    );
    emu.stop().await;
}
