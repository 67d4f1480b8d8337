//! Saving when the portal misbehaves: an expired token, a failed or cut request, an editor
//! that never confirms the block refresh.

use crate::flow::refresh_ids;
use e2e::{
    ensure, field_css, fixture, frame_commands, rest_calls, rest_status, EmuOptions, Fixture,
    Result, Session, Status,
};
use serde_json::{json, Value};

const UPDATENODES: &str = "landing.block.updatenodes";

fn title_css() -> String {
    format!("{} textarea", field_css(".landing-block-node-title", 0))
}

/// Opens the app on block 31.1 and types a new title (not saved yet).
async fn open_and_edit(s: &Session, text: &str) -> Result<Fixture> {
    let block = fixture("31.1.two_cols_text_img")?;
    s.open_editor("").await?;
    s.open_app(block.id).await?;
    s.type_into(&title_css(), text).await?;
    Ok(block)
}

fn statuses(state: &Value, method: &str) -> Vec<Option<u64>> {
    rest_calls(state, method)
        .into_iter()
        .map(rest_status)
        .collect()
}

#[tokio::test]
async fn save_refreshes_an_expired_token() -> Result<()> {
    let s = Session::start("save_refreshes_an_expired_token", EmuOptions::default()).await?;
    let r = expired_token_body(&s).await;
    s.finish(r).await
}

async fn expired_token_body(s: &Session) -> Result<()> {
    let text = "Saved after a token refresh";
    let block = open_and_edit(s, text).await?;
    let before = s.emu.state().await?;
    ensure!(
        frame_commands(&before, "refreshAuth").is_empty(),
        "the app refreshed its token before it needed to"
    );
    s.emu.expire_tokens().await?;
    s.click("#save").await?;
    s.wait_status(Status::Ok, &[Status::Error, Status::Warning])
        .await?;

    let state = s.emu.state().await?;
    let auths = frame_commands(&state, "refreshAuth").len();
    ensure!(auths == 1, "want one refreshAuth in frame_log, got {auths}");
    let calls = rest_calls(&state, UPDATENODES);
    let ok = calls.iter().filter(|c| rest_status(c) == Some(200)).count();
    ensure!(
        ok == 1,
        "want exactly one successful {UPDATENODES}, rest_log has statuses {:?}",
        statuses(&state, UPDATENODES)
    );
    let expired_first = calls.first().is_some_and(|c| {
        rest_status(c) == Some(401)
            && c.get("error").and_then(Value::as_str) == Some("expired_token")
    });
    ensure!(
        expired_first,
        "the first {UPDATENODES} should have met expired_token (401), rest_log: {}",
        json!(calls)
    );
    ensure!(
        s.emu.block_content(block.id).await?.contains(text),
        "the draft does not hold the saved text"
    );
    Ok(())
}

#[tokio::test]
async fn save_fails_on_http500_then_retry_saves() -> Result<()> {
    let s = Session::start(
        "save_fails_on_http500_then_retry_saves",
        EmuOptions::default(),
    )
    .await?;
    let r = failed_save_then_retry(&s, "http500").await;
    s.finish(r).await
}

#[tokio::test]
async fn save_fails_on_dropped_connection_then_retry_saves() -> Result<()> {
    let s = Session::start(
        "save_fails_on_dropped_connection_then_retry_saves",
        EmuOptions::default(),
    )
    .await?;
    let r = failed_save_then_retry(&s, "drop").await;
    s.finish(r).await
}

async fn failed_save_then_retry(s: &Session, kind: &str) -> Result<()> {
    let text = format!("Saved on retry after {kind}");
    let block = open_and_edit(s, &text).await?;
    s.emu
        .set_faults(json!({"rest": [{"method": UPDATENODES, "kind": kind, "times": 1}]}))
        .await?;
    s.click("#save").await?;
    s.wait_status(Status::Error, &[Status::Ok, Status::Warning])
        .await?;

    // The edits survive the failure.
    ensure!(
        s.value_of(&title_css()).await? == text,
        "the typed text is gone after the failed save"
    );
    let changed = s
        .find_all(&format!(
            "{}.field-changed",
            field_css(".landing-block-node-title", 0)
        ))
        .await?;
    ensure!(
        !changed.is_empty(),
        "the field lost its changed mark after the failed save"
    );
    let state = s.emu.state().await?;
    ensure!(
        refresh_ids(&state).is_empty(),
        "refreshBlock was sent although the save failed"
    );
    if kind == "http500" {
        // A 500 means nothing was written (a cut connection may or may not have been).
        ensure!(
            !s.emu.block_content(block.id).await?.contains(&text),
            "the draft changed although updatenodes answered 500"
        );
    }

    s.click("#retry").await?;
    s.wait_status(Status::Ok, &[Status::Warning]).await?;
    let state = s.emu.state().await?;
    let ok = rest_calls(&state, UPDATENODES)
        .iter()
        .filter(|c| rest_status(c) == Some(200))
        .count();
    ensure!(
        ok == 1,
        "want exactly one successful {UPDATENODES} after the retry, rest_log has {:?}",
        statuses(&state, UPDATENODES)
    );
    ensure!(
        s.emu.block_content(block.id).await?.contains(&text),
        "the draft does not hold the text after the retry"
    );
    ensure!(
        refresh_ids(&state) == vec![block.id],
        "want one refreshBlock for {} after the retry, frame_log has {:?}",
        block.id,
        refresh_ids(&state)
    );
    Ok(())
}

#[tokio::test]
async fn unanswered_refresh_block_gives_a_warning() -> Result<()> {
    let s = Session::start(
        "unanswered_refresh_block_gives_a_warning",
        EmuOptions::default(),
    )
    .await?;
    let r = unanswered_refresh_body(&s).await;
    s.finish(r).await
}

async fn unanswered_refresh_body(s: &Session) -> Result<()> {
    let text = "Saved, refresh unconfirmed";
    let block = open_and_edit(s, text).await?;
    s.emu.set_faults(json!({"refresh_block": "ignore"})).await?;
    s.click("#save").await?;
    // .status-ok may flash while the app still waits for the editor's answer.
    s.wait_status(Status::Warning, &[Status::Error]).await?;
    let state = s.emu.state().await?;
    ensure!(
        refresh_ids(&state) == vec![block.id],
        "want exactly one refreshBlock for {}, frame_log has {:?}",
        block.id,
        refresh_ids(&state)
    );
    ensure!(
        s.emu.block_content(block.id).await?.contains(text),
        "the draft does not hold the text although only the refresh went unanswered"
    );
    Ok(())
}
