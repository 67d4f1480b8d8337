//! The fault matrix's card phase: a save that moved a card and edited another, through
//! each fault. Whatever the fault hits (the check, or the write after it), the user sees
//! the message with the edit and the new order still on screen, and Try again stores the
//! block reshaped exactly once (a reorder applied twice would undo itself).

use e2e::{ensure, fixture, Result, Session};
use scraper::{Html, Selector};
use serde_json::Value;

use super::{check_language, first_shown, rand_suffix, reset, Expect, Outcome};
use landing_block_editor::core::i18n::{tr, Msg};

const TITLE: &str = ".landing-block-node-card-title";

fn titles(html: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let Ok(sel) = Selector::parse(TITLE) else {
        return Vec::new();
    };
    doc.select(&sel)
        .map(|t| {
            t.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

pub async fn cards_case(s: &Session, setup: &Value, expect: &Expect) -> Result<Outcome> {
    let block = fixture("44.7.three_columns_with_img_and_price")?;
    let loaded = titles(&block.content);
    reset(s).await?;
    s.open_editor("?lang=de").await?;
    s.open_app(block.id).await?;
    let edit = format!("Matrix card {}", rand_suffix());
    let area = format!("[data-card='0-2'] [data-key^='{TITLE}'] textarea");
    s.type_into(&area, &edit).await?;
    s.click("[data-card='0-0'] .card-down").await?;
    s.wait_visible("[data-card='0-1'] + [data-card='0-0']")
        .await?;
    s.emu.set_faults(setup.clone()).await?;
    s.click("#save").await?;
    let (shown, text) = first_shown(
        s,
        "the card save's result",
        &["#reopened", ".status .status-error"],
    )
    .await?;
    check_language(s).await?;
    let mut edits_lost = 0;
    let summary = match expect {
        Expect::Recovers => {
            ensure!(
                shown == "#reopened" && text == tr(super::LANG, Msg::CardsSavedReloaded),
                "not saved: ({shown}) {text}"
            );
            "saved and loaded again, the user only waited".to_string()
        }
        Expect::Unconfirmed => {
            ensure!(
                shown == "#reopened" && text == tr(super::LANG, Msg::CardsSavedUnconfirmed),
                "expected the unconfirmed note: ({shown}) {text}"
            );
            "saved; the note says the editor did not confirm".to_string()
        }
        Expect::Fails(message) => {
            ensure!(
                shown.ends_with("status-error") && text.contains(message.as_str()),
                "expected {message:?}, the app shows ({shown}) {text:?}"
            );
            if s.value_of(&area).await? != edit {
                edits_lost += 1;
            }
            s.find_all("[data-card='0-1'] + [data-card='0-0']")
                .await?
                .first()
                .ok_or_else(|| e2e::Error::new("the new order is gone after the failure"))?;
            s.emu.clear_faults().await?;
            s.click("#retry").await?;
            let (after, again) = first_shown(
                s,
                "the retry's result",
                &["#reopened", ".status .status-error"],
            )
            .await?;
            ensure!(
                after == "#reopened" && again == tr(super::LANG, Msg::CardsSavedReloaded),
                "the retry did not save: ({after}) {again}"
            );
            format!("message shown, edit and order kept, Try again saves once: {message}")
        }
    };
    let stored = titles(&s.emu.block_content(block.id).await?);
    let want = [loaded[1].clone(), loaded[0].clone(), edit.clone()];
    if !stored.contains(&edit) {
        edits_lost += 1;
    }
    // A lost edit is counted as such; otherwise the order must be the one asked for.
    ensure!(
        edits_lost > 0 || stored == want,
        "stored titles {stored:?}, want {want:?}"
    );
    Ok(Outcome::judged(summary, edits_lost, || {
        format!("the edit {edit:?} was lost")
    }))
}
