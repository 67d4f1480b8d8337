//! The fault matrix: every fault the emulator injects, in each phase (opening the editor,
//! saving, loading the link picker's lists, saving reshaped cards, uploading a picture), with
//! what the user sees. Each case checks the message (in German, the user's
//! language here, worded exactly as the app words it), that the app still responds (a retry
//! works), that a save is written once, and that the edit survives and is saved by the retry.
//! The table goes to stdout and to `target/e2e-logs/fault-matrix.txt`.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use e2e::{
    ensure, field_css, rest_calls, rest_status, target_dir, wait_until_for, EmuOptions, Error,
    Result, Session,
};
use fantoccini::Locator;
use landing_block_editor::core::i18n::{tr, Lang, Msg};
use landing_block_editor::core::rest::RestError;
use landing_block_editor::messages::rest_error;
use serde_json::{json, Value};

mod card_save;
use card_save::cards_case;

const LANG: Lang = Lang::De;
const BLOCK: u64 = 103;
const TITLE: &str = ".landing-block-node-title";
const BUTTON: &str = ".landing-block-node-button";
const IMAGE: &str = ".landing-block-node-img";
/// Longer than the app's 30 s request timeout plus its 10 s bridge timeouts.
const PATIENCE: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Open,
    Save,
    /// The link picker's one batch, when it is first opened.
    Pick,
    /// A save that reshaped the cards: the check (a batch), then the write (a batch).
    Cards,
    /// A picture chosen in the image field, then the block saved with it.
    Upload,
}

impl Phase {
    fn name(self) -> &'static str {
        match self {
            Phase::Open => "open",
            Phase::Save => "save",
            Phase::Pick => "pick",
            Phase::Cards => "cards",
            Phase::Upload => "upload",
        }
    }

    /// The REST method a fault aimed at this phase hits.
    fn method(self) -> &'static str {
        match self {
            Phase::Open | Phase::Pick | Phase::Cards => "batch",
            Phase::Save => "landing.block.updatenodes",
            Phase::Upload => "landing.block.uploadfile",
        }
    }
}

#[derive(Clone)]
enum Expect {
    /// The app gets over it by itself (backoff, token refresh, patience).
    Recovers,
    /// This message shows; a retry after the fault is gone succeeds.
    Fails(String),
    /// Saved, with the note that the editor did not confirm the refresh.
    Unconfirmed,
}

struct Fault {
    name: &'static str,
    /// `/_emulator/faults` body for a phase; `None`: the fault cannot happen in that phase.
    setup: fn(Phase) -> Option<Value>,
    expect: Expect,
}

fn rest_fault(kind: &'static str) -> impl Fn(Phase) -> Option<Value> {
    move |phase| Some(json!({"rest": [{"method": phase.method(), "kind": kind}]}))
}

fn slow_upload(delay_ms: u64) -> Value {
    json!({"rest": [{"method": Phase::Upload.method(), "kind": "slow", "delay_ms": delay_ms}]})
}

fn faults() -> Vec<Fault> {
    let says = |err: RestError| Expect::Fails(rest_error(LANG, &err));
    vec![
        Fault {
            name: "latency 3 s",
            setup: |_| Some(json!({"latency_ms": 3000})),
            expect: Expect::Recovers,
        },
        Fault {
            name: "latency 35 s (past the 30 s timeout)",
            setup: |_| Some(json!({"latency_ms": 35000})),
            expect: says(RestError::Timeout),
        },
        Fault {
            name: "HTTP 500",
            setup: |p| rest_fault("http500")(p),
            expect: says(RestError::InternalServerError),
        },
        Fault {
            name: "503 QUERY_LIMIT_EXCEEDED",
            setup: |p| rest_fault("http503")(p),
            expect: Expect::Recovers,
        },
        Fault {
            name: "503 OVERLOAD_LIMIT",
            setup: |p| rest_fault("overload")(p),
            expect: Expect::Recovers,
        },
        Fault {
            name: "401 expired_token, refreshed",
            setup: |p| rest_fault("expired_token")(p),
            expect: Expect::Recovers,
        },
        Fault {
            name: "401 expired_token, refresh fails",
            setup: |p| {
                Some(
                    json!({"rest": [{"method": p.method(), "kind": "expired_token"}],
                            "refresh_auth": "ignore"}),
                )
            },
            expect: says(RestError::ExpiredToken),
        },
        Fault {
            name: "dropped connection",
            setup: |p| rest_fault("drop")(p),
            expect: says(RestError::Transport),
        },
        Fault {
            name: "malformed JSON",
            setup: |p| rest_fault("malformed_json")(p),
            expect: says(RestError::BadResponse(String::new())),
        },
        Fault {
            name: "batch with one failing command",
            setup: |p| {
                matches!(p, Phase::Open | Phase::Pick | Phase::Cards)
                    .then(|| rest_fault("batch_command_error")(p))?
            },
            expect: says(RestError::InternalServerError),
        },
        Fault {
            name: "slow upload 5 s",
            setup: |p| (p == Phase::Upload).then(|| slow_upload(5000)),
            expect: Expect::Recovers,
        },
        Fault {
            name: "slow upload 35 s (past the timeout)",
            setup: |p| (p == Phase::Upload).then(|| slow_upload(35000)),
            expect: says(RestError::Timeout),
        },
        Fault {
            name: "refreshBlock never answered",
            setup: |p| {
                matches!(p, Phase::Save | Phase::Cards).then(|| json!({"refresh_block": "ignore"}))
            },
            expect: Expect::Unconfirmed,
        },
        Fault {
            name: "card write dropped",
            setup: |p| {
                (p == Phase::Cards)
                    .then(|| json!({"rest": [{"method": "batch", "kind": "drop", "skip": 1}]}))
            },
            expect: says(RestError::Transport),
        },
        Fault {
            name: "card write half done (cards, not nodes)",
            setup: |p| {
                (p == Phase::Cards).then(|| {
                    json!({"rest": [{"method": "batch", "kind": "batch_last_command_error", "skip": 1}]})
                })
            },
            expect: says(RestError::InternalServerError),
        },
        Fault {
            name: "card write stored, answered 400",
            setup: |p| {
                (p == Phase::Cards).then(|| {
                    json!({"rest": [{"method": "batch", "kind": "incorrect_affected", "skip": 1}]})
                })
            },
            expect: says(RestError::Portal {
                code: "INCORRECT_AFFECTED".into(),
                description: "The changes could not be verified (injected; they were saved)."
                    .into(),
            }),
        },
        Fault {
            name: "getInitData never answered",
            setup: |p| (p == Phase::Open).then(|| json!({"init_data": "ignore"})),
            expect: Expect::Fails(tr(LANG, Msg::BridgeTimeout).to_string()),
        },
    ]
}

/// One cell of the table.
struct Outcome {
    text: String,
    passed: bool,
    edits_lost: usize,
    millis: u128,
}

impl Outcome {
    /// Passed, unless an edit was lost (then `lost` says how).
    fn judged(summary: String, edits_lost: usize, lost: impl FnOnce() -> String) -> Outcome {
        let passed = edits_lost == 0;
        Outcome {
            text: if passed { summary } else { lost() },
            passed,
            edits_lost,
            millis: 0,
        }
    }
}

#[tokio::test]
async fn fault_matrix() -> Result<()> {
    let s = Session::start("fault_matrix", EmuOptions::default()).await?;
    let r = matrix_body(&s).await;
    s.finish(r).await
}

async fn matrix_body(s: &Session) -> Result<()> {
    let mut table = String::new();
    let _ = writeln!(
        table,
        "{:<38} {:<6} {:<6} {:>6} {:>5}  outcome",
        "fault", "phase", "result", "ms", "lost"
    );
    let (mut passed, mut failed, mut lost, mut skipped) = (0, 0, 0, 0);
    for fault in faults() {
        for phase in [
            Phase::Open,
            Phase::Save,
            Phase::Pick,
            Phase::Cards,
            Phase::Upload,
        ] {
            let Some(setup) = (fault.setup)(phase) else {
                skipped += 1;
                let _ = writeln!(
                    table,
                    "{:<38} {:<6} {:<6} {:>6} {:>5}  cannot happen in this phase",
                    fault.name,
                    phase.name(),
                    "n/a",
                    "",
                    ""
                );
                continue;
            };
            let started = Instant::now();
            let run = match phase {
                Phase::Open => open_case(s, &setup, &fault.expect).await,
                Phase::Save => save_case(s, &setup, &fault.expect).await,
                Phase::Pick => pick_case(s, &setup, &fault.expect).await,
                Phase::Cards => cards_case(s, &setup, &fault.expect).await,
                Phase::Upload => upload_case(s, &setup, &fault.expect).await,
            };
            let outcome = match run {
                Ok(mut o) => {
                    o.millis = started.elapsed().as_millis();
                    o
                }
                Err(e) => Outcome {
                    text: format!("FAILED: {e}"),
                    passed: false,
                    edits_lost: 0,
                    millis: started.elapsed().as_millis(),
                },
            };
            if outcome.passed {
                passed += 1;
            } else {
                failed += 1;
            }
            lost += outcome.edits_lost;
            let _ = writeln!(
                table,
                "{:<38} {:<6} {:<6} {:>6} {:>5}  {}",
                fault.name,
                phase.name(),
                if outcome.passed { "pass" } else { "FAIL" },
                outcome.millis,
                outcome.edits_lost,
                outcome.text
            );
        }
    }
    let _ = writeln!(
        table,
        "\nfaults x phases: {passed} passed, {failed} failed, {skipped} not applicable; edits lost: {lost}"
    );
    println!("\n{table}");
    let out = target_dir().join("e2e-logs").join("fault-matrix.txt");
    std::fs::write(&out, &table).map_err(|e| Error(format!("{}: {e}", out.display())))?;
    ensure!(
        failed == 0 && lost == 0,
        "fault matrix: {failed} failed, {lost} edits lost\n{table}"
    );
    Ok(())
}

async fn reset(s: &Session) -> Result<()> {
    s.emu
        .control("POST", "/_emulator/reset", Some(&json!({})))
        .await?;
    Ok(())
}

async fn check_language(s: &Session) -> Result<()> {
    let lang = s.js("return document.documentElement.lang;").await?;
    ensure!(lang == json!("de"), "the app's document lang is {lang}");
    Ok(())
}

/// Waits for the first displayed element among `css` and returns (selector, text).
async fn first_shown(s: &Session, what: &str, css: &[&str]) -> Result<(String, String)> {
    let c = s.client()?;
    wait_until_for(what, PATIENCE, || async {
        for sel in css {
            for e in c.find_all(Locator::Css(sel)).await? {
                if e.is_displayed().await? {
                    return Ok(Some((sel.to_string(), e.text().await?)));
                }
            }
        }
        Ok(None)
    })
    .await
}

async fn open_case(s: &Session, setup: &Value, expect: &Expect) -> Result<Outcome> {
    reset(s).await?;
    s.open_editor("?lang=de").await?;
    s.emu.set_faults(setup.clone()).await?;
    s.open_from_more_menu(BLOCK, "Block editor").await?;
    let (shown, text) = first_shown(
        s,
        "the form or a problem screen",
        &[".field textarea", ".screen-problem"],
    )
    .await?;
    check_language(s).await?;
    let text = match expect {
        Expect::Recovers | Expect::Unconfirmed => {
            ensure!(
                shown != ".screen-problem",
                "a problem screen instead of the form: {text}"
            );
            "opened".to_string()
        }
        Expect::Fails(message) => {
            ensure!(
                shown == ".screen-problem" && text.contains(message.as_str()),
                "expected {message:?}, the app shows ({shown}) {text:?}"
            );
            s.emu.clear_faults().await?;
            let retry = first_shown(s, "a Try again button", &["#retry-load", "#retry-start"])
                .await?
                .0;
            s.click(&retry).await?;
            s.wait_app_form().await?;
            s.wait_visible(".field textarea").await?;
            format!("message shown, Try again opens the editor: {message}")
        }
    };
    Ok(Outcome::judged(text, 0, String::new))
}

async fn save_case(s: &Session, setup: &Value, expect: &Expect) -> Result<Outcome> {
    reset(s).await?;
    s.open_editor("?lang=de").await?;
    s.open_app(BLOCK).await?;
    let edit = format!("Matrix edit {}", rand_suffix());
    let area = format!("{} textarea", field_css(TITLE, 0));
    s.type_into(&area, &edit).await?;
    s.emu.set_faults(setup.clone()).await?;
    s.click("#save").await?;
    let (shown, text) = first_shown(
        s,
        "the save's result",
        &[
            ".status .status-ok",
            ".status .status-warning",
            ".status .status-error",
        ],
    )
    .await?;
    check_language(s).await?;
    let mut edits_lost = 0;
    let summary = match expect {
        Expect::Recovers => {
            ensure!(shown.ends_with("status-ok"), "not saved: ({shown}) {text}");
            "saved without the user noticing more than a wait".to_string()
        }
        Expect::Unconfirmed => {
            ensure!(
                shown.ends_with("status-warning"),
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
            s.emu.clear_faults().await?;
            s.click("#retry").await?;
            let (after, again) = first_shown(
                s,
                "the retry's result",
                &[".status .status-ok", ".status .status-error"],
            )
            .await?;
            ensure!(
                after.ends_with("status-ok"),
                "the retry did not save: {again}"
            );
            format!("message shown, edit kept, Try again saves: {message}")
        }
    };
    // Written exactly once, and what was typed is what is stored.
    let state = s.emu.state().await?;
    let writes = rest_calls(&state, "landing.block.updatenodes")
        .into_iter()
        // An injected malformed answer is logged as 200 with an error and writes nothing.
        .filter(|c| rest_status(c) == Some(200) && c.get("error").is_none_or(Value::is_null))
        .count();
    ensure!(writes == 1, "{writes} successful writes, want exactly 1");
    if !s.emu.block_content(BLOCK).await?.contains(&edit) {
        edits_lost += 1;
    }
    Ok(Outcome::judged(summary, edits_lost, || {
        format!("the edit {edit:?} was lost")
    }))
}

/// The link picker's lists fail to load (or recover): the message, Try again, then a page is
/// picked and saved together with a title typed before the fault, in one write.
async fn pick_case(s: &Session, setup: &Value, expect: &Expect) -> Result<Outcome> {
    reset(s).await?;
    s.open_editor("?lang=de").await?;
    s.open_app(BLOCK).await?;
    let edit = format!("Matrix edit {}", rand_suffix());
    let area = format!("{} textarea", field_css(TITLE, 0));
    s.type_into(&area, &edit).await?;
    let field = field_css(BUTTON, 0);
    s.emu.set_faults(setup.clone()).await?;
    s.click(&format!("{field} .link-choose")).await?;
    let rows = format!("{field} .pick");
    let failed = format!("{field} .link-failed [role='alert']");
    let (shown, text) =
        first_shown(s, "the picker's lists or its error", &[&rows, &failed]).await?;
    check_language(s).await?;
    let mut edits_lost = 0;
    let summary = match expect {
        Expect::Recovers | Expect::Unconfirmed => {
            ensure!(shown == rows, "the lists did not load: {text}");
            "the lists load".to_string()
        }
        Expect::Fails(message) => {
            ensure!(
                shown == failed && text.contains(message.as_str()),
                "expected {message:?}, the picker shows ({shown}) {text:?}"
            );
            if s.value_of(&area).await? != edit {
                edits_lost += 1;
            }
            s.emu.clear_faults().await?;
            s.click(&format!("{field} .link-failed button")).await?;
            s.wait_visible(&rows).await?;
            format!("message shown, edit kept, Try again loads the lists: {message}")
        }
    };
    s.emu.clear_faults().await?;
    s.click(&format!("{field} .pick[data-href='#landing2']"))
        .await?;
    s.click("#save").await?;
    let (saved, why) = first_shown(
        s,
        "the save's result",
        &[".status .status-ok", ".status .status-error"],
    )
    .await?;
    ensure!(
        saved.ends_with("status-ok"),
        "not saved after the picker: {why}"
    );
    let state = s.emu.state().await?;
    let writes = rest_calls(&state, "landing.block.updatenodes")
        .into_iter()
        .filter(|c| rest_status(c) == Some(200) && c.get("error").is_none_or(Value::is_null))
        .count();
    ensure!(writes == 1, "{writes} successful writes, want exactly 1");
    let stored = s.emu.block_content(BLOCK).await?;
    if !stored.contains(&edit) {
        edits_lost += 1;
    }
    ensure!(
        stored.contains("href=\"#landing2\""),
        "the picked page was not stored"
    );
    Ok(Outcome::judged(summary, edits_lost, || {
        format!("the edit {edit:?} was lost")
    }))
}

/// A picture uploaded under the fault (the title edited first, to see that it survives),
/// a failed upload tried again once the fault is gone, then the block saved: the title and
/// the picture must both be stored.
async fn upload_case(s: &Session, setup: &Value, expect: &Expect) -> Result<Outcome> {
    reset(s).await?;
    s.open_editor("?lang=de").await?;
    s.open_app(BLOCK).await?;
    let edit = format!("Matrix edit {}", rand_suffix());
    let area = format!("{} textarea", field_css(TITLE, 0));
    s.type_into(&area, &edit).await?;
    s.emu.set_faults(setup.clone()).await?;
    let field = field_css(IMAGE, 0);
    // Smaller than the slot (height 1080): one upload serves 1x and 2x.
    super::upload::pick_generated(s, &field, (600, 400), "image/jpeg", "matrix.jpg").await?;
    let (done, failed) = (
        format!("{field} .upload-done"),
        format!("{field} .upload-error"),
    );
    let (shown, text) = first_shown(s, "the upload's result", &[&done, &failed]).await?;
    check_language(s).await?;
    let mut edits_lost = 0;
    let summary = match expect {
        Expect::Recovers => {
            ensure!(shown == done, "not uploaded: {text}");
            "uploaded without the user noticing more than a wait".to_string()
        }
        Expect::Unconfirmed => e2e::fail!("no upload fault leaves a save unconfirmed"),
        Expect::Fails(message) => {
            ensure!(
                shown == failed && text.contains(message.as_str()),
                "expected {message:?}, the app shows ({shown}) {text:?}"
            );
            if s.value_of(&area).await? != edit {
                edits_lost += 1;
            }
            s.emu.clear_faults().await?;
            s.click(&format!("{field} .upload-retry")).await?;
            first_shown(s, "the retried upload", &[&done]).await?;
            format!("message shown, edit kept, Try again uploads: {message}")
        }
    };
    s.emu.clear_faults().await?;
    let src = s.value_of(&format!("{field} input[id$='-src']")).await?;
    s.click("#save").await?;
    let (saved, why) = first_shown(
        s,
        "the save's result",
        &[".status .status-ok", ".status .status-error"],
    )
    .await?;
    ensure!(saved.ends_with("status-ok"), "not saved: {why}");
    let stored = s.emu.block_content(BLOCK).await?;
    if !stored.contains(&edit) || !stored.contains(&src) {
        edits_lost += 1;
    }
    Ok(Outcome {
        text: if edits_lost > 0 {
            format!("the edit {edit:?} or the picture {src} was lost")
        } else {
            summary
        },
        passed: edits_lost == 0,
        edits_lost,
        millis: 0,
    })
}

/// A different title for every case, so a stale value can never pass for a saved one.
fn rand_suffix() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
