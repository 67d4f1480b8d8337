//! Reshaping a block's cards in the emulator's slider: add a card, fill it in, move it
//! first, remove another, save once, and find the stored block card by card; then reopen.

use e2e::{ensure, fixture, rest_calls, wait_until, EmuOptions, Result, Session};
use scraper::{Html, Selector};

const CARD: &str = ".landing-block-node-card";
const TITLE: &str = ".landing-block-node-card-title";
const SUBTITLE: &str = ".landing-block-node-card-subtitle";
const IMAGE: &str = ".landing-block-node-card-img";

#[tokio::test]
async fn add_fill_move_remove_and_save_the_cards_at_once() -> Result<()> {
    let s = Session::start("cards_reshaped", EmuOptions::default()).await?;
    let r = body(&s).await;
    s.finish(r).await
}

/// Per stored card: its title and subtitle text, and its image's HTML.
fn cards_of(html: &str) -> Result<Vec<(String, String, String)>> {
    let doc = Html::parse_fragment(html);
    let sel = |css: &str| Selector::parse(css).map_err(|e| e2e::Error::new(format!("{e:?}")));
    let (card, title, subtitle, image) = (sel(CARD)?, sel(TITLE)?, sel(SUBTITLE)?, sel(IMAGE)?);
    let text = |el: scraper::ElementRef, s: &Selector| -> String {
        el.select(s)
            .next()
            .map(|t| {
                t.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    };
    Ok(doc
        .select(&card)
        .map(|c| {
            let img = c
                .select(&image)
                .next()
                .map(|i| i.html())
                .unwrap_or_default();
            (text(c, &title), text(c, &subtitle), img)
        })
        .collect())
}

async fn titles_in_form(s: &Session) -> Result<Vec<String>> {
    let titles = s
        .js(&format!(
            "return [...document.querySelectorAll('.group-card')].map(c => \
             (c.querySelector(\"[data-key^='{TITLE}'] textarea\") || {{}}).value || '');"
        ))
        .await?;
    Ok(titles
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

async fn body(s: &Session) -> Result<()> {
    let block = fixture("44.7.three_columns_with_img_and_price")?;
    let loaded = cards_of(&block.content)?;
    ensure!(loaded.len() == 3, "the fixture has {} cards", loaded.len());
    s.open_editor("").await?;
    s.open_app(block.id).await?;

    s.click(".card-add").await?;
    s.wait_visible("[data-card='0-3'] .card-new-mark").await?;
    let new_title = "E2E fourth column";
    s.type_into(
        &format!("[data-card='0-3'] [data-key^='{TITLE}'] textarea"),
        new_title,
    )
    .await?;
    // First by keyboard-reachable buttons: three times up.
    for _ in 0..3 {
        s.click("[data-card='0-3'] .card-up").await?;
    }
    wait_until("the new card first", || async {
        let first = s
            .js("return document.querySelector('.group-card').getAttribute('data-card');")
            .await?;
        Ok((first == "0-3").then_some(()))
    })
    .await?;
    s.click("[data-card='0-1'] .card-remove").await?;
    s.wait_hidden("[data-card='0-1']").await?;

    let before = s.emu.state().await?;
    let batches_before = rest_calls(&before, "batch").len();
    s.click("#save").await?;
    s.wait_visible("#reopened.notice-ok").await?;

    let state = s.emu.state().await?;
    ensure!(
        rest_calls(&state, "landing.block.updatecards").is_empty()
            && rest_calls(&state, "landing.block.updatenodes").is_empty(),
        "card and node writes went outside the batch"
    );
    let batches = rest_calls(&state, "batch").len() - batches_before;
    ensure!(
        batches == 3,
        "the save took {batches} batch requests, want 3: the check, the one write, the reload"
    );

    let stored = cards_of(&s.emu.block_content(block.id).await?)?;
    ensure!(stored.len() == 3, "stored {} cards", stored.len());
    ensure!(
        stored[0].0 == new_title && stored[0].1.is_empty(),
        "the new card is not first with its title and an emptied subtitle: {:?}",
        stored[0]
    );
    ensure!(
        stored[0].2 == loaded[0].2,
        "the new card does not carry the copied card's picture"
    );
    ensure!(
        stored[1] == loaded[0] && stored[2] == loaded[2],
        "the kept cards changed: {stored:?}"
    );

    // The editor shows the block as stored, and so does it after a reopen.
    let want = vec![
        new_title.to_owned(),
        loaded[0].0.clone(),
        loaded[2].0.clone(),
    ];
    ensure!(
        titles_in_form(s).await? == want,
        "the reloaded form shows {:?}",
        titles_in_form(s).await?
    );
    ensure!(
        s.find_all(".field.field-changed").await?.is_empty(),
        "the reloaded form has changes"
    );
    s.click("#close").await?;
    s.wait_slider_closed().await?;
    s.open_app(block.id).await?;
    ensure!(
        titles_in_form(s).await? == want,
        "reopened, the form shows {:?}",
        titles_in_form(s).await?
    );
    ensure!(
        s.find_all("#draft-restored").await?.is_empty(),
        "a draft came back after the save"
    );
    Ok(())
}
