//! The health check as a page editor meets it: a catalogue block opens with its template
//! text and dead link listed, fixing them takes the count to 0, and a reopened block stays
//! clean.

use e2e::{
    ensure, field_css, fixture, target_dir, wait_until, EmuOptions, Result, Session, Status,
};

const TEXT: &str = ".landing-block-node-text";
const BUTTON: &str = ".landing-block-node-button";

#[tokio::test]
async fn template_content_is_listed_fixed_and_stays_fixed() -> Result<()> {
    let s = Session::start("health_check", EmuOptions::default()).await?;
    let r = body(&s).await;
    s.finish(r).await
}

async fn findings(s: &Session) -> Result<usize> {
    Ok(s.find_all(".health-list .finding").await?.len())
}

async fn body(s: &Session) -> Result<()> {
    let block = fixture("31.1.two_cols_text_img")?;
    // The fix is typed as HTML: the expert toggle on.
    s.text_as_html().await?;
    s.open_editor("").await?;
    s.open_app(block.id).await?;
    let listed = s.text_of(".health").await?;
    ensure!(
        findings(s).await? == 2
            && listed.contains("template")
            && s.find_all(&format!("{}.field-findings", field_css(TEXT, 0)))
                .await?
                .len()
                == 1
            && s.find_all(&format!("{}.field-findings", field_css(BUTTON, 0)))
                .await?
                .len()
                == 1,
        "the block's template text and its \"#\" button are not the two findings: {listed}"
    );
    // A picture of the findings for the README (scripts/screenshots.sh).
    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("health.png"), s.client()?.screenshot().await?)?;
    // A finding leads to its field.
    s.click(".health-list .finding").await?;
    let focused = s
        .js(
            "const f = document.activeElement && document.activeElement.closest('.field');
             return f ? f.dataset.key : null;",
        )
        .await?;
    ensure!(
        focused == serde_json::json!(format!("{TEXT}@0")),
        "the first finding focused {focused}, not the text's field"
    );

    s.type_into(
        &format!("{} textarea", field_css(TEXT, 0)),
        "<p>We keep your books in order, month after month.</p>",
    )
    .await?;
    s.type_into(
        &format!("{} input[id$='-url']", field_css(BUTTON, 0)),
        "https://example.com/contact",
    )
    .await?;
    wait_until("the findings to go", || async {
        Ok(
            (findings(s).await? == 0 && s.find_all(".health-clean").await?.len() == 1)
                .then_some(()),
        )
    })
    .await?;
    ensure!(
        s.find_all("#health-badge").await?.is_empty(),
        "the header still counts findings"
    );
    s.click("#save").await?;
    s.wait_status(Status::Ok, &[Status::Error, Status::Warning])
        .await?;

    s.open_editor("").await?;
    s.open_app(block.id).await?;
    ensure!(
        findings(s).await? == 0 && s.find_all(".health-clean").await?.len() == 1,
        "the saved block has findings again: {}",
        s.text_of(".health").await?
    );
    Ok(())
}
