//! Closing the app: it asks first when there are unsaved changes, and closes at once otherwise.

use e2e::{ensure, field_css, fixture, frame_commands, wait_state, EmuOptions, Result, Session};

#[tokio::test]
async fn close_asks_only_with_unsaved_changes() -> Result<()> {
    let s = Session::start(
        "close_asks_only_with_unsaved_changes",
        EmuOptions::default(),
    )
    .await?;
    let r = body(&s).await;
    s.finish(r).await
}

async fn body(s: &Session) -> Result<()> {
    let block = fixture("04.1.one_col_fix_with_title")?;
    let title_css = format!("{} textarea", field_css(".landing-block-node-title", 0));
    let typed = "Unsaved e2e title";

    s.open_editor("").await?;
    s.open_app(block.id).await?;
    let original = s.value_of(&title_css).await?;
    s.type_into(&title_css, typed).await?;

    // Close with a change: a confirmation, and the slider stays.
    s.click("#close").await?;
    s.wait_visible(".confirm").await?;
    s.to_page().await?;
    ensure!(
        s.slider_open().await?,
        "the slider closed without asking about unsaved changes"
    );
    let state = s.emu.state().await?;
    ensure!(
        frame_commands(&state, "closeApplication").is_empty(),
        "closeApplication was sent before the user confirmed"
    );

    // "Keep editing" leaves everything as it was.
    s.enter_app_frame().await?;
    s.click("#confirm-keep").await?;
    s.wait_hidden(".confirm").await?;
    ensure!(
        s.value_of(&title_css).await? == typed,
        "keeping on editing lost the typed text"
    );

    // Ask again and confirm: now it closes.
    s.click("#close").await?;
    s.click("#confirm-close").await?;
    s.wait_slider_closed().await?;
    wait_state(
        &s.emu,
        "one closeApplication",
        |state| match frame_commands(state, "closeApplication").len() {
            1 => Ok(()),
            n => Err(format!("frame_log has {n} closeApplication, want 1")),
        },
    )
    .await?;
    ensure!(
        !s.emu.block_content(block.id).await?.contains(typed),
        "closing without saving stored the text anyway"
    );

    // Reopen: the form starts from the stored block, and Close without changes is immediate.
    s.open_app(block.id).await?;
    let now = s.value_of(&title_css).await?;
    ensure!(
        now == original,
        "the reopened form shows {now:?}, not the stored title {original:?}"
    );
    s.click("#close").await?;
    s.wait_slider_closed().await?;
    // The editor page logs the command on its own request, which may come after the slider
    // is gone: wait for it rather than read the state once.
    wait_state(
        &s.emu,
        "the second closeApplication",
        |state| match frame_commands(state, "closeApplication").len() {
            2 => Ok(()),
            n => Err(format!("frame_log has {n} closeApplication, want 2")),
        },
    )
    .await?;
    Ok(())
}
