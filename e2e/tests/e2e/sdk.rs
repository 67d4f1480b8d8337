//! Protocol fidelity: the official `@bitrix24/b24jssdk` (installed from npm at test time) runs
//! inside the emulator's slider and must work against it like against a portal.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use e2e::{
    clip, copy_dir, dist_dir, ensure, fail, fixture, frame_commands, json_id, rest_calls,
    rest_status, wait_until, EmuOptions, Error, Result, Session, TempDir,
};
use fantoccini::Locator;
use serde_json::{json, Value};
use tokio::process::Command;

const SDK_PAGE: &str = include_str!("../../assets/sdk.html");
/// Major version pinned: the probe page uses the 2.x API (`actions.v2`, `initializeB24Frame`).
const SDK_SPEC: &str = "@bitrix24/b24jssdk@^2";
const PROBE_TITLE: &str = "SDK probe";

/// `npm install`s the SDK into `dir` and returns its UMD build.
async fn install_sdk(dir: &Path) -> Result<PathBuf> {
    let mut cmd = Command::new("npm");
    cmd.args(["install", "--prefix"])
        .arg(dir)
        .args(["--no-audit", "--no-fund", "--loglevel=error", SDK_SPEC])
        .stdin(Stdio::null())
        .kill_on_drop(true);
    let out = match tokio::time::timeout(Duration::from_secs(300), cmd.output()).await {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => fail!("cannot run npm (needed to fetch {SDK_SPEC}): {e}"),
        Err(_) => fail!("`npm install {SDK_SPEC}` did not finish in 300s"),
    };
    if !out.status.success() {
        fail!(
            "`npm install {SDK_SPEC}` failed ({}): {}",
            out.status,
            clip(String::from_utf8_lossy(&out.stderr).trim(), 1500)
        );
    }
    let pkg_dir = dir.join("node_modules/@bitrix24/b24jssdk");
    let pkg: Value = serde_json::from_str(&std::fs::read_to_string(pkg_dir.join("package.json"))?)?;
    // The CDN fields name the browser (UMD) build; fall back to the usual dist layout.
    let mut candidates: Vec<String> = ["unpkg", "jsdelivr", "browser"]
        .iter()
        .filter_map(|k| pkg.get(*k).and_then(Value::as_str).map(str::to_string))
        .collect();
    candidates.extend(["dist/umd/index.min.js".into(), "dist/umd/index.js".into()]);
    for rel in &candidates {
        let p = pkg_dir.join(rel.trim_start_matches("./"));
        if p.is_file() {
            let text = std::fs::read_to_string(&p)?;
            ensure!(
                text.contains("initializeB24Frame") && text.contains("B24Js"),
                "{} does not look like the SDK's UMD build (no B24Js / initializeB24Frame)",
                p.display()
            );
            return Ok(p);
        }
    }
    fail!(
        "no UMD build in {} (version {}); looked for {candidates:?}",
        pkg_dir.display(),
        pkg.get("version").cloned().unwrap_or(Value::Null)
    )
}

#[tokio::test]
async fn official_sdk_works_against_the_emulator() -> Result<()> {
    let npm = TempDir::new("sdk-npm")?;
    let umd = install_sdk(npm.path()).await?;
    let app = TempDir::new("sdk-app")?;
    // The app's build beside the probe, as on a real host; the probe itself needs only the SDK.
    match dist_dir() {
        Ok(dist) => copy_dir(&dist, app.path())?,
        Err(_) => std::fs::write(
            app.path().join("index.html"),
            "<!doctype html><title>no app build</title>",
        )?,
    }
    std::fs::copy(&umd, app.path().join("b24jssdk.umd.js"))?;
    std::fs::write(app.path().join("sdk.html"), SDK_PAGE)?;
    let opts = EmuOptions {
        app_dir: Some(app.path().to_path_buf()),
        ..EmuOptions::default()
    };
    let s = Session::start("official_sdk_works_against_the_emulator", opts).await?;
    let r = body(&s).await;
    s.finish(r).await
}

/// Starts a probe step in the page and waits for its `#result-<label>`.
async fn step(s: &Session, label: &str, name: &str, arg: Value) -> Result<Value> {
    let c = s.client()?;
    c.execute(
        "window.probe.run(arguments[0], arguments[1], arguments[2]);",
        vec![json!(label), json!(name), arg],
    )
    .await?;
    result(s, label).await
}

async fn result(s: &Session, label: &str) -> Result<Value> {
    let c = s.client()?;
    let css = format!("#result-{label}");
    let text = wait_until(&format!("the probe's {label} result"), || async {
        let e = c.find(Locator::Css(&css)).await?;
        Ok(Some(e.text().await?))
    })
    .await?;
    serde_json::from_str(&text).map_err(|e| Error(format!("{label} result {text:?}: {e}")))
}

fn str_at<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

async fn body(s: &Session) -> Result<()> {
    let block = fixture("31.1.two_cols_text_img")?;
    let handler = format!("{}sdk.html", s.emu.app_url);
    s.emu.bind("LANDING_BLOCK_*", &handler, PROBE_TITLE).await?;
    s.open_editor("").await?;
    s.open_from_more_menu(block.id, PROBE_TITLE).await?;

    // The handler is POSTed like on a portal; the app host must answer with sdk.html itself.
    let title = wait_until("the slider's document to load", || async {
        let t = s.js("return document.title;").await?;
        Ok(t.as_str().filter(|t| !t.is_empty()).map(str::to_string))
    })
    .await?;
    ensure!(
        title == PROBE_TITLE,
        "the slider shows {title:?} instead of the probe: the app host answered the POST to \
         {handler} with another document"
    );

    // --- getInitData through initializeB24Frame()
    let init = result(s, "init").await?;
    ensure!(init.get("error").is_none(), "SDK init failed: {init}");
    ensure!(
        str_at(&init, "/placement").eq_ignore_ascii_case("LANDING_BLOCK_*"),
        "PLACEMENT is {:?}",
        str_at(&init, "/placement")
    );
    let id = block.id.to_string();
    for (key, want) in [("ID", id.as_str()), ("CODE", &block.code), ("LID", "1")] {
        let got = init.pointer(&format!("/options/{key}"));
        ensure!(
            got == Some(&json!(want)),
            "PLACEMENT_OPTIONS.{key} is {got:?}, want the string {want:?}"
        );
    }
    ensure!(str_at(&init, "/lang") == "en", "LANG is {:?}", init["lang"]);
    ensure!(
        init["has_token"] == json!(true),
        "no AUTH_ID in the init data"
    );
    ensure!(
        init["has_refresh"] == json!(true),
        "no REFRESH_ID in the init data"
    );
    ensure!(
        init["expires_in"].as_i64().is_some_and(|n| n > 0),
        "AUTH_EXPIRES is {}",
        init["expires_in"]
    );
    let origin = format!("http://{}", s.emu.addr);
    ensure!(
        str_at(&init, "/target_origin") == origin,
        "the SDK talks to {:?}, want {origin:?} (from window.name and PROTOCOL)",
        str_at(&init, "/target_origin")
    );
    ensure!(
        init["window_name_parts"] == json!(3),
        "window.name is not host|protocol|sid"
    );
    let app_sid = str_at(&init, "/app_sid").to_string();

    // --- a REST read through the SDK (POST /rest/<method> with its own query string)
    let got = step(s, "getbyid", "getbyid", Value::Null).await?;
    ensure!(got["ok"] == json!(true), "getbyid through the SDK: {got}");
    ensure!(
        json_id(got.pointer("/result/id")) == Some(block.id),
        "getbyid returned id {}",
        got.pointer("/result/id").cloned().unwrap_or(Value::Null)
    );
    ensure!(
        str_at(&got, "/result/code") == block.code,
        "getbyid returned code {:?}",
        str_at(&got, "/result/code")
    );

    // --- a write; the editor page only shows it after refreshBlock
    let title = "Title written through the SDK";
    let upd = step(s, "update", "update", json!(title)).await?;
    ensure!(
        upd["ok"] == json!(true) && upd["result"] == json!(true),
        "updatenodes through the SDK: {upd}"
    );
    ensure!(
        s.emu.block_content(block.id).await?.contains(title),
        "updatenodes answered true but the draft lacks the title"
    );
    s.to_page().await?;
    ensure!(
        !s.page_block_html(block.id).await?.contains(title),
        "the editor page re-rendered the block before any refreshBlock"
    );

    s.enter_app_frame().await?;
    let rb = step(s, "refreshBlock", "refreshBlock", Value::Null).await?;
    ensure!(
        rb["answered"] == json!(true),
        "refreshBlock got no answer (the SDK's 20 s safety timer fired): {rb}"
    );
    s.to_page().await?;
    wait_until("the editor page to re-render the block", || async {
        Ok(s.page_block_html(block.id)
            .await?
            .contains(title)
            .then_some(()))
    })
    .await?;
    let state = s.emu.state().await?;
    let refreshes = frame_commands(&state, "refreshBlock");
    ensure!(
        refreshes.len() == 1,
        "want one refreshBlock in frame_log, got {}",
        refreshes.len()
    );
    let entry = refreshes[0];
    ensure!(
        json_id(entry.pointer("/params/id")) == Some(block.id),
        "refreshBlock logged with params {}",
        entry.get("params").cloned().unwrap_or(Value::Null)
    );
    ensure!(
        entry.get("app_sid").and_then(Value::as_str) == Some(app_sid.as_str()),
        "refreshBlock logged under another APP_SID"
    );

    // --- refreshAuth: a new token that works for REST
    s.enter_app_frame().await?;
    let ra = step(s, "refreshAuth", "refreshAuth", Value::Null).await?;
    ensure!(
        ra["got_token"] == json!(true) && ra["changed"] == json!(true),
        "refreshAuth did not hand out a new token: {ra}"
    );
    ensure!(
        ra["expires_in"].as_i64().is_some_and(|n| n > 0),
        "refreshAuth's AUTH_EXPIRES is {}",
        ra["expires_in"]
    );
    ensure!(
        ra["fetch_status"] == json!(200) && json_id(ra.get("fetch_result_id")) == Some(block.id),
        "REST with the refreshed token: {ra}"
    );
    let state = s.emu.state().await?;
    ensure!(
        frame_commands(&state, "refreshAuth").len() == 1,
        "want one refreshAuth in frame_log"
    );

    // --- the SDK's own recovery: 401 expired_token → refreshAuth → the call again
    s.emu.expire_tokens().await?;
    let again = step(s, "getbyid-expired", "getbyid", Value::Null).await?;
    ensure!(
        again["ok"] == json!(true) && json_id(again.pointer("/result/id")) == Some(block.id),
        "getbyid after the tokens expired: {again}"
    );
    let state = s.emu.state().await?;
    ensure!(
        frame_commands(&state, "refreshAuth").len() == 2,
        "the SDK did not refresh after expired_token (frame_log has {} refreshAuth)",
        frame_commands(&state, "refreshAuth").len()
    );
    let statuses: Vec<Option<u64>> = rest_calls(&state, "landing.block.getbyid")
        .into_iter()
        .map(rest_status)
        .collect();
    // getbyid: the first SDK call, the probe's own fetch, then 401 and the retry.
    ensure!(
        statuses.ends_with(&[Some(401), Some(200)]),
        "getbyid statuses in rest_log: {statuses:?}, want a 401 then a 200 at the end"
    );

    // --- closeApplication closes the slider
    // The frame goes away with the slider, so only the slider is watched here.
    s.client()?
        .execute("window.probe.run('close', 'close');", vec![])
        .await?;
    s.wait_slider_closed().await?;
    let state = s.emu.state().await?;
    ensure!(
        frame_commands(&state, "closeApplication").len() == 1,
        "want one closeApplication in frame_log"
    );
    Ok(())
}
