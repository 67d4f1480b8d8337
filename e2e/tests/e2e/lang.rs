//! The portal's language reaches the app.

use e2e::{ensure, fixture, EmuOptions, Result, Session};
use serde_json::Value;

#[tokio::test]
async fn app_speaks_russian() -> Result<()> {
    let s = Session::start("app_speaks_russian", EmuOptions::default()).await?;
    let r = body(&s).await;
    s.finish(r).await
}

async fn body(s: &Session) -> Result<()> {
    let block = fixture("04.1.one_col_fix_with_title")?;
    s.open_editor("?lang=ru").await?;
    s.open_app(block.id).await?;
    let save = s.wait_visible("#save").await?.text().await?;
    ensure!(
        save.trim() == "Сохранить",
        "the Save button reads {save:?}, want «Сохранить»"
    );
    let lang = s.js("return document.documentElement.lang;").await?;
    ensure!(
        lang == Value::String("ru".into()),
        "the app's document lang is {lang}, want \"ru\""
    );
    Ok(())
}
