//! /_emulator/*: faults (each observable by a client), latency, reset, logs, persistence,
//! loopback-only access.

mod common;

use axum::body::Body;
use common::*;
use emulator::app::ConnCtl;
use emulator::server::editor_router;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

fn list() -> serde_json::Value {
    json!({"lid": 1, "params": {"edit_mode": 1}})
}

#[tokio::test]
async fn rest_faults_are_seen_by_the_client() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let r = post_json(
        a,
        "/_emulator/faults",
        &json!({"rest": [
            {"method": "landing.block.getlist", "kind": "http500"},
            {"method": "landing.block.getlist", "kind": "http503"},
            {"method": "landing.block.getlist", "kind": "expired_token"},
            {"method": "landing.block.getlist", "kind": "access_denied"},
            {"method": "landing.block.getlist", "kind": "malformed_json"},
            {"method": "landing.block.getlist", "kind": "drop"}
        ]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["rest"].as_array().unwrap().len(), 6);

    // A fault for another method does not fire here.
    let other = rest(
        a,
        "landing.block.getbyid",
        &auth,
        json!({"block": 101, "params": {"edit_mode": 1}}),
    )
    .await;
    assert_eq!(other.status, 200);

    for (status, code) in [
        (500, "INTERNAL_SERVER_ERROR"),
        (503, "QUERY_LIMIT_EXCEEDED"),
        (401, "expired_token"),
        (403, "ACCESS_DENIED"),
    ] {
        let r = rest(a, "landing.block.getlist", &auth, list()).await;
        assert_eq!(r.status, status, "{}", r.body);
        assert_eq!(r.json()["error"], json!(code));
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    let r = rest(a, "landing.block.getlist", &auth, list()).await;
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert!(
        serde_json::from_str::<serde_json::Value>(&r.body).is_err(),
        "{}",
        r.body
    );

    // drop: the connection closes with no HTTP answer at all.
    let body = json!({"lid": 1, "params": {"edit_mode": 1}, "auth": auth}).to_string();
    let dropped = request(
        a,
        "POST",
        "/rest/landing.block.getlist.json",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
    .await;
    assert!(dropped.is_err(), "{dropped:?}");

    // All used up: normal answers again.
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, list()).await.status,
        200
    );
    let s = state(a).await;
    let statuses: Vec<(u64, serde_json::Value)> = s["rest_log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["method"] == json!("landing.block.getlist"))
        .map(|e| (e["status"].as_u64().unwrap(), e["error"].clone()))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (500, json!("INTERNAL_SERVER_ERROR")),
            (503, json!("QUERY_LIMIT_EXCEEDED")),
            (401, json!("expired_token")),
            (403, json!("ACCESS_DENIED")),
            (200, json!("malformed_json")),
            (0, json!("drop")),
            (200, json!(null)),
        ]
    );
    assert_eq!(s["faults"]["rest"], json!([]));
    emu.stop().await;
}

#[tokio::test]
async fn faults_without_method_match_anything_and_times_count_down() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    post_json(
        a,
        "/_emulator/faults",
        &json!({"rest": [{"kind": "http500", "times": 2}]}),
    )
    .await;
    assert_eq!(
        rest(a, "batch", &auth, json!({"cmd": {}})).await.status,
        500
    );
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, list()).await.status,
        500
    );
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, list()).await.status,
        200
    );
    // A fault on "batch" matches the top-level batch call only.
    post_json(
        a,
        "/_emulator/faults",
        &json!({"rest": [{"method": "batch", "kind": "http503"}]}),
    )
    .await;
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, list()).await.status,
        200
    );
    let r = rest(
        a,
        "batch",
        &auth,
        json!({"cmd": {"a": "landing.block.getlist?lid=1"}}),
    )
    .await;
    assert_eq!(r.status, 503);
    // DELETE clears pending faults.
    post_json(
        a,
        "/_emulator/faults",
        &json!({"rest": [{"kind": "http500"}]}),
    )
    .await;
    request(a, "DELETE", "/_emulator/faults", &[], b"")
        .await
        .unwrap();
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, list()).await.status,
        200
    );
    // Bad fault bodies are refused.
    assert_eq!(
        post_json(
            a,
            "/_emulator/faults",
            &json!({"rest": [{"kind": "explode"}]})
        )
        .await
        .status,
        400
    );
    assert_eq!(
        post_json(a, "/_emulator/faults", &json!({"refresh_block": "maybe"}))
            .await
            .status,
        400
    );
    emu.stop().await;
}

#[tokio::test]
async fn latency_delays_rest_answers() {
    let emu = start_with(|c| c.latency_ms = 150).await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let t = Instant::now();
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, list()).await.status,
        200
    );
    assert!(t.elapsed() >= Duration::from_millis(150));
    post_json(a, "/_emulator/faults", &json!({"latency_ms": 400})).await;
    let t = Instant::now();
    rest(a, "landing.block.getlist", &auth, list()).await;
    assert!(t.elapsed() >= Duration::from_millis(400));
    request(a, "DELETE", "/_emulator/faults", &[], b"")
        .await
        .unwrap();
    let t = Instant::now();
    rest(a, "landing.block.getlist", &auth, list()).await;
    let e = t.elapsed();
    assert!(
        e >= Duration::from_millis(150) && e < Duration::from_millis(400),
        "{e:?}"
    );
    emu.stop().await;
}

#[tokio::test]
async fn preflight_latency_delays_only_preflights() {
    let emu = start().await;
    let a = emu.editor_addr;
    let preflight = || request(a, "OPTIONS", "/rest/batch.json", &[], b"");
    let t = Instant::now();
    assert_eq!(preflight().await.unwrap().status, 200);
    let quick = t.elapsed();
    post_json(
        a,
        "/_emulator/faults",
        &json!({"preflight_latency_ms": 300}),
    )
    .await;
    let t = Instant::now();
    let r = preflight().await.unwrap();
    assert_eq!(r.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    // The REST calls themselves keep `latency_ms` (0 here).
    let (_, auth, _) = open(a, 101).await;
    let t = Instant::now();
    rest(a, "landing.block.getlist", &auth, list()).await;
    assert!(t.elapsed() < Duration::from_millis(300), "{quick:?}");
    assert_eq!(state(a).await["rest_preflights"], json!(2));
    emu.stop().await;
}

#[tokio::test]
async fn refresh_block_fault_reaches_the_page_helpers() {
    let emu = start().await;
    let a = emu.editor_addr;
    let b = get(a, "/_emulator/block/103").await.json();
    assert_eq!(b["refresh_block"], json!("answer"));
    assert_eq!(b["code"], json!("31.1.two_cols_text_img"));
    post_json(a, "/_emulator/faults", &json!({"refresh_block": "ignore"})).await;
    assert_eq!(
        get(a, "/_emulator/block/103").await.json()["refresh_block"],
        json!("ignore")
    );
    let o = post_json(
        a,
        "/_emulator/open",
        &json!({"block": 103, "handler": emulator::server::DEFAULT_HANDLER}),
    )
    .await;
    assert_eq!(o.json()["refresh_block"], json!("ignore"));
    assert_eq!(get(a, "/_emulator/block/999").await.status, 404);
    assert_eq!(get(a, "/_emulator/block/abc").await.status, 400);
    emu.stop().await;
}

#[tokio::test]
async fn frame_log_and_install_finish() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (sid, _, _) = open(a, 101).await;
    for (cmd, params) in [
        ("getInitData", json!(null)),
        ("refreshBlock", json!({"id": "101"})),
        ("setInstallFinish", json!({})),
    ] {
        let r = post_json(
            a,
            "/_emulator/log",
            &json!({"command": cmd, "params": params, "app_sid": sid}),
        )
        .await;
        assert_eq!(r.status, 200);
    }
    let s = state(a).await;
    assert_eq!(s["install_finished"], json!(true));
    assert_eq!(
        s["frame_log"][1],
        json!({"command": "refreshBlock", "params": {"id": "101"}, "app_sid": sid})
    );
    assert_eq!(s["frame_log"].as_array().unwrap().len(), 3);
    assert_eq!(
        post_json(a, "/_emulator/log", &json!({"params": {}}))
            .await
            .status,
        400
    );
    emu.stop().await;
}

#[tokio::test]
async fn reset_goes_back_to_the_seed() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    rest(
        a,
        "landing.block.updatenodes",
        &auth,
        json!({"lid": 1, "block": 101, "data": {".landing-block-node-title": "Changed"}}),
    )
    .await;
    post_json(a, "/_emulator/bind", &json!({"placement": "LANDING_BLOCK_*", "handler": "http://127.0.0.1:9/x", "title": "Other"})).await;
    post_json(a, "/_emulator/access", &json!({"level": "D"})).await;
    post_json(
        a,
        "/_emulator/faults",
        &json!({"latency_ms": 5, "refresh_block": "ignore"}),
    )
    .await;
    post_json(a, "/_emulator/log", &json!({"command": "setInstallFinish"})).await;
    let s = state(a).await;
    assert_eq!(s["bindings"].as_array().unwrap().len(), 2);
    assert_eq!(s["access"], json!("D"));

    assert_eq!(
        post_json(a, "/_emulator/reset", &json!({})).await.status,
        200
    );
    let s = state(a).await;
    assert_eq!(
        s["blocks"][0]["content"].as_str().unwrap(),
        fixture("04.1.one_col_fix_with_title").1
    );
    assert_eq!(
        s["bindings"],
        json!([{"placement": "LANDING_BLOCK_*", "handler": emulator::server::DEFAULT_HANDLER, "title": "Block editor"}])
    );
    assert_eq!(s["access"], json!("X"));
    assert_eq!(s["frame_log"], json!([]));
    assert_eq!(s["rest_log"], json!([]));
    // The default preset is an installed app.
    assert_eq!(s["install_finished"], json!(true));
    assert_eq!(s["faults"]["refresh_block"], json!("answer"));
    assert_eq!(s["faults"]["latency_ms"], json!(null));
    // The open app's token survives a reset.
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, list()).await.status,
        200
    );
    emu.stop().await;
}

#[tokio::test]
async fn state_file_survives_a_restart() {
    let dir = temp_dir("state");
    let path = dir.join("emulator-state.json");
    let p = path.clone();
    let emu = start_with(move |c| c.state_file = Some(p)).await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let r = rest(
        a,
        "landing.block.updatenodes",
        &auth,
        json!({"lid": 1, "block": 104, "data": {".landing-block-node-card-title@1": "Saved"}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    post_json(a, "/_emulator/bind", &json!({"placement": "LANDING_BLOCK_06.1features_3_cols", "handler": "http://127.0.0.1:9/f", "title": "F"})).await;
    emu.stop().await;
    // Written atomically: no temp file is left next to it.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["emulator-state.json".to_string()]);

    let p = path.clone();
    let emu = start_with(move |c| c.state_file = Some(p)).await;
    let a = emu.editor_addr;
    assert_eq!(
        texts_of(&draft(a, 104).await, ".landing-block-node-card-title")[1],
        "Saved"
    );
    let s = state(a).await;
    assert_eq!(s["bindings"].as_array().unwrap().len(), 2);
    // The token from before the restart still works.
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, list()).await.status,
        200
    );
    emu.stop().await;

    // A state file that is not ours is an error, not silently replaced.
    std::fs::write(&path, "garbage").unwrap();
    let mut cfg = test_config();
    cfg.state_file = Some(path.clone());
    let err = emulator::server::start(cfg).await.err().expect("refused");
    assert!(err.contains("not a state file"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "garbage");
    std::fs::remove_dir_all(&dir).unwrap();
}

async fn status_from(router: axum::Router, peer: Option<SocketAddr>) -> u16 {
    let mut req = axum::http::Request::builder()
        .uri("/_emulator/state")
        .body(Body::empty())
        .unwrap();
    if let Some(peer) = peer {
        req.extensions_mut().insert(ConnCtl {
            peer,
            kill: Arc::new(tokio::sync::Notify::new()),
        });
    }
    router.oneshot(req).await.unwrap().status().as_u16()
}

#[tokio::test]
async fn control_endpoint_answers_loopback_peers_only() {
    let emu = start().await;
    let router = editor_router(emu.shared.clone());
    assert_eq!(
        status_from(router.clone(), Some("127.0.0.1:5555".parse().unwrap())).await,
        200
    );
    assert_eq!(
        status_from(router.clone(), Some("[::1]:5555".parse().unwrap())).await,
        200
    );
    assert_eq!(
        status_from(
            router.clone(),
            Some("[::ffff:127.0.0.1]:5555".parse().unwrap())
        )
        .await,
        200
    );
    assert_eq!(
        status_from(router.clone(), Some("192.168.1.20:5555".parse().unwrap())).await,
        403
    );
    assert_eq!(
        status_from(router.clone(), Some("10.0.0.1:5555".parse().unwrap())).await,
        403
    );
    assert_eq!(status_from(router, None).await, 403);
    // Over a real loopback connection it answers.
    assert_eq!(get(emu.editor_addr, "/_emulator/state").await.status, 200);
    emu.stop().await;
}

#[tokio::test]
async fn editor_connections_carry_one_request_each() {
    // Browsers re-send a request when a reused keep-alive connection closes without an
    // answer, which would hide the `drop` fault: the editor never keeps connections alive.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let emu = start().await;
    let mut s = tokio::net::TcpStream::connect(emu.editor_addr)
        .await
        .unwrap();
    let one = format!(
        "GET /_emulator/faults HTTP/1.1\r\nHost: {}\r\n\r\n",
        emu.editor_addr
    );
    s.write_all(format!("{one}{one}").as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut raw))
        .await
        .expect("the server closes the connection")
        .unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert_eq!(text.matches("HTTP/1.1 200").count(), 1, "{text}");
    assert!(
        text.to_ascii_lowercase().contains("connection: close"),
        "{text}"
    );
    emu.stop().await;
}

#[tokio::test]
async fn overload_batch_command_and_frame_reply_faults() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (sid, auth, refresh) = open(a, 101).await;
    let r = post_json(
        a,
        "/_emulator/faults",
        &json!({"rest": [
            {"method": "landing.block.getlist", "kind": "overload"},
            {"method": "batch", "kind": "batch_command_error"}
        ], "init_data": "ignore", "refresh_auth": "ignore"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["init_data"], json!("ignore"));

    let r = rest(a, "landing.block.getlist", &auth, list()).await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (503, json!("OVERLOAD_LIMIT"))
    );

    // The batch itself succeeds; its first command carries the error, the second its result.
    let cmd = json!({"halt": 0, "cmd": {
        "a": "landing.block.getbyid?block=101&params[edit_mode]=1",
        "b": "landing.block.getbyid?block=102&params[edit_mode]=1"
    }});
    let r = rest(a, "batch", &auth, cmd.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(
        v["result"]["result_error"]["a"]["error"],
        json!("INTERNAL_SERVER_ERROR")
    );
    assert_eq!(v["result"]["result"]["b"]["id"], json!(102));
    // Used up: the next batch is whole.
    let r = rest(a, "batch", &auth, cmd).await;
    assert_eq!(r.json()["result"]["result_error"], json!([]));

    // refreshAuth is refused while the fault is set, and works once it is cleared.
    let body = json!({"app_sid": sid, "refresh_id": refresh});
    assert_eq!(
        post_json(a, "/_emulator/refresh-auth", &body).await.status,
        503
    );
    request(a, "DELETE", "/_emulator/faults", &[], b"")
        .await
        .expect("faults cleared");
    assert_eq!(
        post_json(a, "/_emulator/refresh-auth", &body).await.status,
        200
    );
    assert_eq!(state(a).await["faults"]["init_data"], json!("answer"));
    emu.stop().await;
}

#[tokio::test]
async fn a_skipping_fault_hits_a_later_batch_and_fails_its_last_command() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let r = post_json(
        a,
        "/_emulator/faults",
        &json!({"rest": [{"method": "batch", "kind": "batch_last_command_error", "skip": 1}]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let cmd = json!({"halt": 1, "cmd": {
        "a": "landing.block.getbyid?block=101&params[edit_mode]=1",
        "b": "landing.block.getbyid?block=102&params[edit_mode]=1"
    }});
    // The first batch is let through whole.
    let r = rest(a, "batch", &auth, cmd.clone()).await;
    assert_eq!(r.json()["result"]["result_error"], json!([]));
    // The second runs its first command; the last answers 500.
    let v = rest(a, "batch", &auth, cmd.clone()).await.json();
    assert_eq!(v["result"]["result"]["a"]["id"], json!(101));
    assert_eq!(
        v["result"]["result_error"]["b"]["error"],
        json!("INTERNAL_SERVER_ERROR")
    );
    // Used up.
    let r = rest(a, "batch", &auth, cmd).await;
    assert_eq!(r.json()["result"]["result_error"], json!([]));
    emu.stop().await;
}
