//! Every fixture block opens with one field per editable node match.

use e2e::{ensure, fixtures, wait_until, EmuOptions, Fixture, Result, Session};
use scraper::{Html, Selector};
use serde_json::Value;

/// Node types the app edits (`styleimg` is a style target, not a field).
const EDITABLE: [&str; 5] = ["text", "img", "link", "icon", "embed"];

/// Expected number of `.field`s: the matches in the block's HTML of every editable manifest
/// node, counted here with an HTML parser independent of the browser.
fn expected_fields(f: &Fixture) -> Result<usize> {
    let doc = Html::parse_fragment(&f.content);
    let nodes = f
        .manifest
        .get("nodes")
        .and_then(Value::as_object)
        .ok_or_else(|| e2e::Error(format!("{}: manifest has no nodes object", f.file)))?;
    let mut total = 0;
    for (selector, node) in nodes {
        let kind = node.get("type").and_then(Value::as_str).unwrap_or("");
        if !EDITABLE.contains(&kind) {
            continue;
        }
        let sel = Selector::parse(selector)
            .map_err(|e| e2e::Error(format!("{}: selector {selector}: {e:?}", f.file)))?;
        total += doc.select(&sel).count();
    }
    Ok(total)
}

#[test]
fn expected_counts_follow_the_fixture_table() -> Result<()> {
    // The fixtures README's table (node types × cards) gives these totals; a parser or
    // fixture change that broke the counting shows here without a browser.
    let want = [
        ("04.1.one_col_fix_with_title", 2),
        ("06.1features_3_cols", 12),
        ("31.1.two_cols_text_img", 4),
        ("43.4.cover_with_price_text_button_bgimg", 50),
        ("44.7.three_columns_with_img_and_price", 21),
        ("49.1.video_just_video", 1),
    ];
    let all = fixtures()?;
    ensure!(
        all.len() == want.len(),
        "{} fixtures, want {}",
        all.len(),
        want.len()
    );
    for (code, n) in want {
        let f = all
            .iter()
            .find(|f| f.code == code)
            .ok_or_else(|| e2e::Error(format!("no fixture {code}")))?;
        let got = expected_fields(f)?;
        ensure!(
            got == n,
            "{code}: counted {got} editable node matches, want {n}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn every_fixture_opens_with_all_its_fields() -> Result<()> {
    let s = Session::start(
        "every_fixture_opens_with_all_its_fields",
        EmuOptions::default(),
    )
    .await?;
    let r = body(&s).await;
    s.finish(r).await
}

async fn body(s: &Session) -> Result<()> {
    s.open_editor("").await?;
    for f in fixtures()? {
        let want = expected_fields(&f)?;
        s.open_app(f.id)
            .await
            .map_err(|e| e2e::Error(format!("{} (block {}): {e}", f.code, f.id)))?;
        let name = s.text_of(".block-name").await?;
        ensure!(
            !name.trim().is_empty(),
            "{}: the app shows an empty block name",
            f.code
        );
        // Fields render together with the name; poll briefly in case they trail it.
        wait_until(&format!("{} to show {want} fields", f.code), || async {
            let have = s.find_all(".field").await?.len();
            if have == want {
                Ok(Some(()))
            } else {
                e2e::fail!("the app shows {have} .field elements")
            }
        })
        .await?;
        s.click("#close").await?;
        s.wait_slider_closed().await?;
    }
    Ok(())
}
