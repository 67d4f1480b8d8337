//! Formatted text through the emulator (#13): a word made bold in the formatted field of a
//! text node with markup, saved, and stored as `<b>word</b>` with nothing else changed;
//! the console free of CSP errors while the block (inline styles and all) is opened and
//! edited.

use e2e::{ensure, field_css, fixture, wait_until, EmuOptions, Result, Session, Status};
use serde_json::{json, Value};

const TEXT: &str = ".landing-block-node-text";
const WORD: &str = "Aliquam";

#[tokio::test]
async fn a_word_made_bold_is_stored_bold_and_nothing_else_changes() -> Result<()> {
    let s = Session::start("format_bold_word", EmuOptions::default()).await?;
    let r = bold_body(&s).await;
    s.finish(r).await
}

/// Entries that tell of a CSP violation (Chromium logs them as errors of the page).
fn csp_errors(entries: &[Value]) -> Vec<Value> {
    entries
        .iter()
        .filter(|e| {
            e["message"].as_str().is_some_and(|m| {
                m.contains("Content Security Policy") || m.contains("Content-Security-Policy")
            })
        })
        .cloned()
        .collect()
}

/// Blank runs as one space, none between tags: what HTML rendering makes of blanks here.
fn squash(html: &str) -> String {
    let single = html.split_whitespace().collect::<Vec<_>>().join(" ");
    single
        .replace("> <", "><")
        .replace(" <", "<")
        .replace("> ", ">")
}

async fn bold_body(s: &Session) -> Result<()> {
    let block = fixture("31.1.two_cols_text_img")?;
    let before = s.emu.block_content(block.id).await?;
    ensure!(
        before.matches(WORD).count() == 1,
        "the fixture's text has {WORD:?} {} times",
        before.matches(WORD).count()
    );
    s.open_editor("").await?;
    // What opening the editor page logged is the portal's; the app's starts here.
    s.browser.console_entries().await?;
    s.open_app(block.id).await?;
    let editor = format!("{} .formatted", field_css(TEXT, 0));
    s.wait_visible(&editor).await?;
    ensure!(
        s.find_all(&format!("{} textarea", field_css(TEXT, 0)))
            .await?
            .is_empty(),
        "the text node is shown as HTML"
    );
    // The word selected as a user's double click would.
    let selected = s
        .js(&format!(
            "const el = document.querySelector({editor:?});
             el.focus();
             const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
             let node;
             while ((node = walker.nextNode())) {{
               const at = node.data.indexOf({WORD:?});
               if (at < 0) continue;
               const range = document.createRange();
               range.setStart(node, at);
               range.setEnd(node, at + {len});
               getSelection().removeAllRanges();
               getSelection().addRange(range);
               return getSelection().toString();
             }}
             return null;",
            len = WORD.len()
        ))
        .await?;
    ensure!(selected == json!(WORD), "the selection is {selected}");
    s.click(&format!(
        "{} button[data-format='bold']",
        field_css(TEXT, 0)
    ))
    .await?;
    s.wait_visible(&format!("{}.field-changed", field_css(TEXT, 0)))
        .await?;
    let pressed = s
        .js(&format!(
            "return document.querySelector(\"{} button[data-format='bold']\").getAttribute('aria-pressed');",
            field_css(TEXT, 0).replace('"', "\\\"")
        ))
        .await?;
    ensure!(pressed == json!("true"), "Bold is not pressed: {pressed}");
    s.click("#save").await?;
    s.wait_status(Status::Ok, &[Status::Error, Status::Warning])
        .await?;

    let after = wait_until("the stored block to hold the bold word", || async {
        let html = s.emu.block_content(block.id).await?;
        Ok(html.contains(&format!("<b>{WORD}</b>")).then_some(html))
    })
    .await?;
    let expected = before.replacen(WORD, &format!("<b>{WORD}</b>"), 1);
    // The app reads a text node without its source indentation (as it always has), so the
    // node is written back without it: blanks are compared as HTML shows them.
    ensure!(
        squash(&after) == squash(&expected),
        "more than the word changed:\nstored   {}\nexpected {}",
        e2e::clip(&after, 3000),
        e2e::clip(&expected, 3000)
    );
    let entries = s.browser.console_entries().await?;
    let csp = csp_errors(&entries);
    ensure!(
        csp.is_empty(),
        "CSP errors while opening and editing: {csp:?}"
    );
    Ok(())
}
