//! The whole flow as a user goes through it: More → Block editor → edit → Save → the page
//! shows the new content.

use e2e::{
    ensure, field_css, fixture, frame_commands, json_id, wait_state, wait_until, EmuOptions,
    Result, Session, Status,
};
use scraper::{Html, Selector};
use serde_json::Value;

const TITLE: &str = ".landing-block-node-title";
const BUTTON: &str = ".landing-block-node-button";
const IMAGE: &str = ".landing-block-node-img";
const PRICE: &str = ".landing-block-node-card-price";

#[tokio::test]
async fn edit_two_blocks_and_save() -> Result<()> {
    let s = Session::start("edit_two_blocks_and_save", EmuOptions::default()).await?;
    let r = edit_two_blocks_and_save_body(&s).await;
    s.finish(r).await
}

async fn edit_two_blocks_and_save_body(s: &Session) -> Result<()> {
    let text_img = fixture("31.1.two_cols_text_img")?;
    let cards = fixture("44.7.three_columns_with_img_and_price")?;
    let title = "E2E headline Über";
    let href = "https://example.com/e2e-signup";
    let image = format!("{}static/icon.svg", s.emu.app_url);

    // --- block 103: text, link and image in one save
    s.open_editor("").await?;
    s.open_app(text_img.id).await?;
    ensure!(
        s.find_all(".field.field-changed").await?.is_empty(),
        "a fresh form already marks fields as changed"
    );
    let save_disabled = !s.wait_visible("#save").await?.is_enabled().await?;
    ensure!(save_disabled, "#save is enabled before anything changed");

    s.type_into(&format!("{} textarea", field_css(TITLE, 0)), title)
        .await?;
    s.type_into(&format!("{} input[id$='-url']", field_css(BUTTON, 0)), href)
        .await?;
    s.type_into(
        &format!("{} input[id$='-src']", field_css(IMAGE, 0)),
        &image,
    )
    .await?;
    for key in [TITLE, BUTTON, IMAGE] {
        s.wait_visible(&format!("{}.field-changed", field_css(key, 0)))
            .await?;
    }
    s.click("#save").await?;
    s.wait_status(Status::Ok, &[Status::Error, Status::Warning])
        .await?;

    // The editor page re-rendered the block from the stored draft.
    s.to_page().await?;
    let expected = [title, href, image.as_str()];
    wait_until(
        "block 103 on the page to show the saved content",
        || async {
            let html = s.page_block_html(text_img.id).await?;
            let missing: Vec<&str> = expected
                .iter()
                .copied()
                .filter(|e| !html.contains(e))
                .collect();
            if missing.is_empty() {
                Ok(Some(()))
            } else {
                e2e::fail!("page block lacks {missing:?}")
            }
        },
    )
    .await?;
    let stored = s.emu.block_content(text_img.id).await?;
    let doc = Html::parse_fragment(&stored);
    ensure!(
        nth_text(&doc, TITLE, 0)? == title,
        "stored title is {:?}",
        nth_text(&doc, TITLE, 0)?
    );
    ensure!(
        nth_attr(&doc, BUTTON, 0, "href")? == href,
        "stored button href is {:?}",
        nth_attr(&doc, BUTTON, 0, "href")?
    );
    ensure!(
        nth_html(&doc, IMAGE, 0)?.contains(&image),
        "stored image node does not carry {image}: {}",
        e2e::clip(&nth_html(&doc, IMAGE, 0)?, 400)
    );
    let state = s.emu.state().await?;
    let refreshes = refresh_ids(&state);
    ensure!(
        refreshes == vec![text_img.id],
        "after one save frame_log has refreshBlock for {refreshes:?}, want exactly [{}]",
        text_img.id
    );

    // Close: nothing unsaved, so it closes at once.
    s.enter_app_frame().await?;
    s.click("#close").await?;
    s.wait_slider_closed().await?;

    // --- block 105: one card's price (the second card)
    s.open_app(cards.id).await?;
    let price = "$ 77.00";
    s.type_into(&format!("{} textarea", field_css(PRICE, 1)), price)
        .await?;
    s.click("#save").await?;
    s.wait_status(Status::Ok, &[Status::Error, Status::Warning])
        .await?;
    s.to_page().await?;
    wait_until("block 105 on the page to show the new price", || async {
        let html = s.page_block_html(cards.id).await?;
        Ok(html.contains(price).then_some(()))
    })
    .await?;
    let state = wait_state(&s.emu, "block 105's draft to hold the price", |st| {
        let html = e2e::state_block(st, cards.id)
            .and_then(|b| b.get("content"))
            .and_then(Value::as_str)
            .unwrap_or("");
        if html.contains(price) {
            Ok(())
        } else {
            Err("price not stored".into())
        }
    })
    .await?;
    let stored = s.emu.block_content(cards.id).await?;
    let doc = Html::parse_fragment(&stored);
    let original = Html::parse_fragment(&cards.content);
    ensure!(
        nth_text(&doc, PRICE, 1)? == price,
        "card 2's price not stored"
    );
    for n in [0, 2] {
        ensure!(
            nth_text(&doc, PRICE, n)? == nth_text(&original, PRICE, n)?,
            "card {}'s price changed too: {:?}",
            n + 1,
            nth_text(&doc, PRICE, n)?
        );
    }
    // Block 103 kept its earlier save.
    ensure!(
        s.emu.block_content(text_img.id).await?.contains(title),
        "block 103 lost its saved title"
    );
    let refreshes = refresh_ids(&state);
    ensure!(
        refreshes == vec![text_img.id, cards.id],
        "after two saves frame_log has refreshBlock for {refreshes:?}, want [{}, {}]",
        text_img.id,
        cards.id
    );
    Ok(())
}

/// Block ids of every `refreshBlock` in the frame log, in order.
pub fn refresh_ids(state: &Value) -> Vec<u64> {
    frame_commands(state, "refreshBlock")
        .iter()
        .filter_map(|e| json_id(e.get("params").and_then(|p| p.get("id"))))
        .collect()
}

fn nth<'a>(doc: &'a Html, css: &str, n: usize) -> Result<scraper::ElementRef<'a>> {
    let sel = Selector::parse(css).map_err(|e| e2e::Error(format!("selector {css}: {e:?}")))?;
    doc.select(&sel)
        .nth(n)
        .ok_or_else(|| e2e::Error(format!("no match {n} of {css} in the stored HTML")))
}

/// Trimmed text of the `n`th match, whitespace runs collapsed.
pub fn nth_text(doc: &Html, css: &str, n: usize) -> Result<String> {
    let text: String = nth(doc, css, n)?.text().collect();
    Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn nth_attr(doc: &Html, css: &str, n: usize, attr: &str) -> Result<String> {
    Ok(nth(doc, css, n)?
        .value()
        .attr(attr)
        .unwrap_or_default()
        .to_string())
}

fn nth_html(doc: &Html, css: &str, n: usize) -> Result<String> {
    Ok(nth(doc, css, n)?.html())
}
