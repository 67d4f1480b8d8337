//! The live preview in the emulator's slider: the block with its stylesheet, following an
//! edit, outlining it, and a picture of it for the README (`target/screenshots/`).

use e2e::{ensure, field_css, fixture, target_dir, wait_until, EmuOptions, Result, Session};

const TITLE: &str = ".landing-block-node-title";

#[tokio::test]
async fn preview_shows_the_block_styled_and_follows_an_edit() -> Result<()> {
    let s = Session::start("live_preview", EmuOptions::default()).await?;
    let r = body(&s).await;
    s.finish(r).await
}

/// Reads something from the preview frame's document (same origin, so the app's frame can).
async fn in_preview(s: &Session, expression: &str) -> Result<serde_json::Value> {
    s.js(&format!(
        "const f = document.querySelector('.preview-frame');
         const d = f && f.contentDocument;
         if (!d || !d.querySelector('[data-lbe-field]')) return null;
         return {expression};"
    ))
    .await
}

async fn body(s: &Session) -> Result<()> {
    let block = fixture("31.1.two_cols_text_img")?;
    s.open_editor("").await?;
    s.open_app(block.id).await?;
    wait_until("the preview", || async {
        Ok((!in_preview(s, "true").await?.is_null()).then_some(()))
    })
    .await?;
    let sandbox = s
        .js("return document.querySelector('.preview-frame').getAttribute('sandbox');")
        .await?;
    ensure!(
        sandbox == "allow-same-origin",
        "the frame's sandbox is {sandbox}"
    );
    // The block's stylesheet, as getcontent names it, reached the frame.
    let styled = in_preview(
        s,
        "[...d.styleSheets].some(x => (x.href || '').includes('landing-blocks.css'))
         && getComputedStyle(d.querySelector('section')).paddingTop === '32px'",
    )
    .await?;
    ensure!(
        styled == true,
        "the block's stylesheet is not applied in the preview"
    );

    s.type_into(
        &format!("{} textarea", field_css(TITLE, 0)),
        "Seen before saving",
    )
    .await?;
    wait_until("the edit in the preview", || async {
        let shown = in_preview(
            s,
            "(e => e && e.textContent.trim() + '|' + e.hasAttribute('data-lbe-changed'))(d.querySelector('[data-lbe-field=\"0\"]'))",
        )
        .await?;
        Ok((shown == "Seen before saving|true").then_some(()))
    })
    .await?;

    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("preview.png"), s.client()?.screenshot().await?)?;
    Ok(())
}
