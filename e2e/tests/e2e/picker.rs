//! The link picker against the emulator: a page of the site for one card's button, a block
//! of the page for another, saved and found in the stored markup; the lists cost one batch;
//! a failed load says so, Try again works, and the edits made meanwhile are saved.

use e2e::{
    ensure, field_css, fixture, rest_calls, wait_until, EmuOptions, Result, Session, Status,
};
use scraper::{Html, Selector};
use serde_json::json;

const BUTTON: &str = ".landing-block-node-card-button";
const TITLE: &str = ".landing-block-node-card-title";

fn in_field(n: usize, css: &str) -> String {
    format!("{} {css}", field_css(BUTTON, n))
}

fn stored_hrefs(html: &str) -> Result<Vec<String>> {
    let doc = Html::parse_fragment(html);
    let sel = Selector::parse(BUTTON).map_err(|e| e2e::Error(format!("selector: {e:?}")))?;
    Ok(doc
        .select(&sel)
        .map(|e| e.value().attr("href").unwrap_or_default().to_string())
        .collect())
}

async fn batches(s: &Session) -> Result<usize> {
    Ok(rest_calls(&s.emu.state().await?, "batch").len())
}

#[tokio::test]
async fn picker_links_a_page_and_a_block() -> Result<()> {
    let s = Session::start("picker_links_a_page_and_a_block", EmuOptions::default()).await?;
    let r = pick_and_save(&s).await;
    s.finish(r).await
}

async fn pick_and_save(s: &Session) -> Result<()> {
    let cards = fixture("44.7.three_columns_with_img_and_price")?;
    let other = fixture("31.1.two_cols_text_img")?;
    s.open_editor("").await?;
    s.open_app(cards.id).await?;
    let before = batches(s).await?;

    // A page of the site for the first card's button, found by searching.
    s.click(&in_field(0, ".link-choose")).await?;
    // The catalogue's `#` is no target yet: the picker opens on the site's pages.
    s.wait_visible(&in_field(0, "[data-tab='page'][aria-pressed='true']"))
        .await?;
    s.wait_visible(&in_field(0, ".pick")).await?;
    s.type_into(&in_field(0, ".link-search"), "pric").await?;
    s.click(&in_field(0, ".pick[data-href='#landing2']"))
        .await?;
    wait_until("the first link's label", || async {
        let label = s.text_of(&in_field(0, ".link-target")).await?;
        Ok((label == "Page: Prices").then_some(()))
    })
    .await?;

    // A block of this page for the second.
    s.click(&in_field(1, ".link-choose")).await?;
    s.click(&in_field(1, "[data-tab='block']")).await?;
    let block = format!(".pick[data-href='#block{}']", other.id);
    s.click(&in_field(1, &block)).await?;
    wait_until("the second link's address", || async {
        let href = s.value_of(&in_field(1, "input[id$='-url']")).await?;
        Ok((href == format!("#block{}", other.id)).then_some(()))
    })
    .await?;
    let label = s.text_of(&in_field(1, ".link-target")).await?;
    ensure!(
        label.starts_with("Block: "),
        "the second link reads {label:?}"
    );
    ensure!(
        batches(s).await? == before + 1,
        "two pickers opened cost {} batches, want 1",
        batches(s).await? - before
    );

    s.click("#save").await?;
    s.wait_status(Status::Ok, &[Status::Error, Status::Warning])
        .await?;
    let hrefs = stored_hrefs(&s.emu.block_content(cards.id).await?)?;
    let want_block = format!("#block{}", other.id);
    ensure!(
        hrefs.first().map(String::as_str) == Some("#landing2")
            && hrefs.get(1).map(String::as_str) == Some(want_block.as_str()),
        "stored button hrefs are {hrefs:?}"
    );
    Ok(())
}

#[tokio::test]
async fn picker_load_failure_offers_try_again_and_keeps_edits() -> Result<()> {
    let s = Session::start("picker_load_failure", EmuOptions::default()).await?;
    let r = fail_then_retry(&s).await;
    s.finish(r).await
}

async fn fail_then_retry(s: &Session) -> Result<()> {
    let cards = fixture("44.7.three_columns_with_img_and_price")?;
    s.open_editor("").await?;
    s.open_app(cards.id).await?;
    let title = "Picked after a failure";
    s.type_into(&format!("{} textarea", field_css(TITLE, 0)), title)
        .await?;
    s.emu
        .set_faults(json!({"rest": [{"method": "batch", "kind": "http500", "times": 1}]}))
        .await?;
    s.click(&in_field(0, ".link-choose")).await?;
    s.wait_visible(&in_field(0, ".link-failed [role='alert']"))
        .await?;
    s.click(&in_field(0, ".link-failed button")).await?;
    s.click(&in_field(0, ".pick[data-href='#landing3']"))
        .await?;
    s.click("#save").await?;
    s.wait_status(Status::Ok, &[Status::Error, Status::Warning])
        .await?;
    let stored = s.emu.block_content(cards.id).await?;
    ensure!(
        stored.contains(title),
        "the title typed before the failure was lost"
    );
    let hrefs = stored_hrefs(&stored)?;
    ensure!(
        hrefs.first().map(String::as_str) == Some("#landing3"),
        "stored button hrefs are {hrefs:?}"
    );
    Ok(())
}
