//! REST at /rest/<method>.json: envelope, statuses, CORS, bodies, auth, draft visibility,
//! batch, rate limit, access levels, bindings.

mod common;

use common::*;
use emulator::server::DEFAULT_HANDLER;
use serde_json::{json, Value};

const CORS: [(&str, &str); 3] = [
    ("access-control-allow-origin", "*"),
    (
        "access-control-allow-headers",
        "origin, content-type, accept",
    ),
    ("access-control-allow-methods", "POST, GET, OPTIONS"),
];

fn assert_cors(r: &Resp) {
    for (k, v) in CORS {
        assert_eq!(r.header(k), Some(v), "{k} on {r:?}");
    }
}

fn assert_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let v = r.json();
    assert_eq!(v["error"], json!(code), "{}", r.body);
    assert!(v["error_description"].is_string(), "{}", r.body);
    assert!(v.get("result").is_none());
    assert_cors(r);
}

#[tokio::test]
async fn success_envelope_has_result_and_time() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let r = rest(
        a,
        "landing.block.getcontent",
        &auth,
        json!({"lid": 1, "block": 101, "editMode": 1, "params": {"wrapper_show": false}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_cors(&r);
    let v = r.json();
    let res = &v["result"];
    assert_eq!(res["id"], json!(101));
    assert_eq!(res["lid"], json!(1));
    assert_eq!(res["code"], json!("04.1.one_col_fix_with_title"));
    assert_eq!(res["active"], json!(true));
    assert_eq!(res["access"], json!("X"));
    assert_eq!(res["anchor"], json!("b101"));
    assert_eq!(
        res["css"],
        json!(["/bitrix/css/emulator/landing-blocks.css"])
    );
    assert_eq!(res["js"], json!([]));
    assert_eq!(
        res["content"].as_str().unwrap(),
        fixture("04.1.one_col_fix_with_title").1
    );
    let t = &v["time"];
    for k in ["start", "finish", "duration", "processing"] {
        assert!(t[k].is_number(), "time.{k} in {t}");
    }
    for k in ["date_start", "date_finish"] {
        let s = t[k].as_str().unwrap();
        assert!(s.len() == 25 && s.ends_with("+00:00"), "{s}");
    }
    assert!(t["finish"].as_f64().unwrap() >= t["start"].as_f64().unwrap());
    emu.stop().await;
}

#[tokio::test]
async fn errors_carry_portal_codes_and_statuses() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;

    let r = post_json(a, "/rest/landing.block.getlist.json", &json!({"lid": 1})).await;
    assert_error(&r, 401, "NO_AUTH_FOUND");
    let r = rest(a, "landing.block.getlist", "garbage", json!({"lid": 1})).await;
    assert_error(&r, 401, "invalid_token");
    let r = rest(a, "landing.block.nosuch", &auth, json!({})).await;
    assert_error(&r, 404, "ERROR_METHOD_NOT_FOUND");
    let r = rest(a, "landing.block.getcontent", &auth, json!({"lid": 1})).await;
    assert_error(&r, 400, "MISSING_PARAMS");
    assert!(r.json()["error_description"]
        .as_str()
        .unwrap()
        .contains("block"));
    let r = rest(
        a,
        "landing.block.getcontent",
        &auth,
        json!({"lid": 1, "block": 999, "editMode": 1}),
    )
    .await;
    assert_error(&r, 400, "BLOCK_NOT_FOUND");
    let r = rest(
        a,
        "landing.block.getcontent",
        &auth,
        json!({"lid": 2, "block": 101, "editMode": 1}),
    )
    .await;
    assert_error(&r, 400, "LANDING_NOT_EXIST");
    let r = rest(
        a,
        "landing.block.getcontent",
        &auth,
        json!({"lid": "one", "block": 101}),
    )
    .await;
    assert_error(&r, 400, "TYPE_ERROR");
    let r = request(
        a,
        "POST",
        "/rest/landing.block.getlist.json",
        &[("Content-Type", "application/json")],
        b"{not json",
    )
    .await
    .unwrap();
    assert_error(&r, 400, "INVALID_REQUEST");

    // The method name is case-insensitive and `.json` is optional.
    let r = post_json(
        a,
        "/rest/landing.block.getList",
        &json!({"lid": 1, "params": {"edit_mode": 1}, "auth": auth}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let log = state(a).await["rest_log"].clone();
    let entries = log.as_array().unwrap();
    assert!(entries.contains(
        &json!({"method": "landing.block.getlist", "status": 401, "error": "NO_AUTH_FOUND"})
    ));
    assert!(
        entries.contains(&json!({"method": "landing.block.getlist", "status": 200, "error": null}))
    );
    // No token ever appears in the log.
    assert!(!log.to_string().contains(&auth));
    emu.stop().await;
}

#[tokio::test]
async fn cors_preflight_is_answered() {
    let emu = start().await;
    let r = request(
        emu.editor_addr,
        "OPTIONS",
        "/rest/landing.block.updatenodes.json",
        &[
            ("Origin", "http://127.0.0.1:8091"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
        b"",
    )
    .await
    .unwrap();
    assert!(r.status == 200 || r.status == 204, "{r:?}");
    assert_cors(&r);
    // A preflight is not a call: nothing logged, no fault consumed; only counted.
    let s = state(emu.editor_addr).await;
    assert!(s["rest_log"].as_array().unwrap().is_empty());
    assert_eq!(s["rest_preflights"], json!(1));
    emu.stop().await;
}

#[tokio::test]
async fn form_bodies_and_auth_in_the_query_string() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    // Form body, auth in the query string, PHP brackets.
    let r = post_form(
        a,
        &format!("/rest/landing.block.getcontent.json?auth={auth}"),
        "lid=1&block=101&editMode=1&params%5Bwrapper_show%5D=0",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["result"]["content"]
        .as_str()
        .unwrap()
        .starts_with("<section"));
    // Auth in a form body.
    let r = post_form(
        a,
        "/rest/landing.block.updatenodes",
        &format!("auth={auth}&lid=1&block=101&data[.landing-block-node-title]=Form+%26+more"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["result"], json!(true));
    assert_eq!(
        texts_of(&draft(a, 101).await, ".landing-block-node-title"),
        vec!["Form & more"]
    );
    // GET with everything in the query string.
    let r = get(
        a,
        &format!("/rest/landing.block.getbyid.json?auth={auth}&block=103&params[edit_mode]=1"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["result"]["code"], json!("31.1.two_cols_text_img"));
    emu.stop().await;
}

#[tokio::test]
async fn tokens_expire_refresh_and_old_tokens_live_on() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (sid, auth, refresh) = open(a, 101).await;
    let list = json!({"lid": 1, "params": {"edit_mode": 1}});
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, list.clone())
            .await
            .status,
        200
    );

    // A refresh gives a new token; the old one stays valid until it expires.
    let r = post_json(
        a,
        "/_emulator/refresh-auth",
        &json!({"app_sid": sid, "refresh_id": refresh}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    let auth2 = v["auth_id"].as_str().unwrap().to_string();
    assert_ne!(auth2, auth);
    assert_eq!(v["auth_expires"], json!(3600));
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, list.clone())
            .await
            .status,
        200
    );
    assert_eq!(
        rest(a, "landing.block.getlist", &auth2, list.clone())
            .await
            .status,
        200
    );

    let r = post_json(
        a,
        "/_emulator/refresh-auth",
        &json!({"app_sid": sid, "refresh_id": "bogus"}),
    )
    .await;
    assert_eq!(r.status, 400);

    // Force expiry: both fail with expired_token, a refresh fixes it.
    assert_eq!(
        post_json(a, "/_emulator/expire-tokens", &json!({}))
            .await
            .status,
        200
    );
    let r = rest(a, "landing.block.getlist", &auth2, list.clone()).await;
    assert_error(&r, 401, "expired_token");
    let r = rest(a, "landing.block.getlist", &auth, list.clone()).await;
    assert_error(&r, 401, "expired_token");
    let v = post_json(
        a,
        "/_emulator/refresh-auth",
        &json!({"app_sid": sid, "refresh_id": v["refresh_id"]}),
    )
    .await
    .json();
    let auth3 = v["auth_id"].as_str().unwrap();
    assert_eq!(
        rest(a, "landing.block.getlist", auth3, list).await.status,
        200
    );
    emu.stop().await;
}

#[tokio::test]
async fn token_lifetime_flag_is_honoured() {
    let emu = start_with(|c| c.token_lifetime_secs = 1).await;
    let a = emu.editor_addr;
    let r = post_json(
        a,
        "/_emulator/open",
        &json!({"block": 101, "handler": DEFAULT_HANDLER}),
    )
    .await;
    let v = r.json();
    assert_eq!(v["auth_expires"], json!(1));
    let auth = v["auth_id"].as_str().unwrap().to_string();
    let list = json!({"lid": 1, "params": {"edit_mode": 1}});
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, list.clone())
            .await
            .status,
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_error(
        &rest(a, "landing.block.getlist", &auth, list).await,
        401,
        "expired_token",
    );
    emu.stop().await;
}

#[tokio::test]
async fn reads_without_edit_mode_see_an_unpublished_page_as_missing() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let content = |edit: Value| {
        let mut p = json!({"lid": 1, "block": 102, "params": {"wrapper_show": 0}});
        if !edit.is_null() {
            p["editMode"] = edit;
        }
        p
    };
    for off in [Value::Null, json!(0), json!("0"), json!(false), json!("")] {
        let r = rest(a, "landing.block.getcontent", &auth, content(off.clone())).await;
        assert_error(&r, 400, "BLOCK_NOT_FOUND");
    }
    // PHP: the string "false" is true.
    for on in [
        json!(1),
        json!("1"),
        json!(true),
        json!("false"),
        json!("Y"),
    ] {
        let r = rest(a, "landing.block.getcontent", &auth, content(on.clone())).await;
        assert_eq!(r.status, 200, "editMode={on}: {}", r.body);
    }
    let manifest = |edit: Value| json!({"lid": 1, "block": 102, "params": {"edit_mode": edit}});
    assert_error(
        &rest(a, "landing.block.getmanifest", &auth, manifest(json!(0))).await,
        400,
        "BLOCK_NOT_FOUND",
    );
    assert_error(
        &rest(
            a,
            "landing.block.getmanifest",
            &auth,
            json!({"lid": 1, "block": 102}),
        )
        .await,
        400,
        "BLOCK_NOT_FOUND",
    );
    assert_eq!(
        rest(
            a,
            "landing.block.getmanifest",
            &auth,
            manifest(json!("false"))
        )
        .await
        .status,
        200
    );
    assert_error(
        &rest(a, "landing.block.getbyid", &auth, json!({"block": 102})).await,
        400,
        "BLOCK_NOT_FOUND",
    );
    let r = rest(
        a,
        "landing.block.getbyid",
        &auth,
        json!({"block": 102, "params": {"edit_mode": 1}}),
    )
    .await;
    assert_eq!(
        r.json()["result"]["name"],
        json!("Feature list as three fixed width columns")
    );

    let r = rest(a, "landing.block.getlist", &auth, json!({"lid": 1})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["result"], json!([]));
    assert_eq!(r.json()["total"], json!(0));
    let r = rest(
        a,
        "landing.block.getlist",
        &auth,
        json!({"lid": 1, "params": {"edit_mode": "1"}}),
    )
    .await;
    let v = r.json();
    let ids: Vec<u64> = v["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![101, 102, 103, 104, 105, 106]);
    assert_eq!(v["total"], json!(6));
    assert_eq!(v["result"][0]["lid"], json!(1));
    assert_eq!(v["result"][0]["active"], json!(true));

    // Writes change the draft only; publishing makes plain reads see it.
    let r = rest(
        a,
        "landing.block.updatenodes",
        &auth,
        json!({"lid": 1, "block": 102, "data": {".landing-block-node-element-title@0": "Draft title"}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let s = state(a).await;
    let b = &s["blocks"][1];
    assert!(b["content"].as_str().unwrap().contains("Draft title"));
    assert!(!b["published"].as_str().unwrap().contains("Draft title"));
    assert_eq!(
        post_json(a, "/_emulator/publish", &json!({})).await.status,
        200
    );
    let r = rest(a, "landing.block.getcontent", &auth, content(Value::Null)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["result"]["content"]
        .as_str()
        .unwrap()
        .contains("Draft title"));
    emu.stop().await;
}

#[tokio::test]
async fn wrapper_show_wraps_like_the_portal() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 104).await;
    let r = rest(
        a,
        "landing.block.getcontent",
        &auth,
        json!({"lid": 1, "block": 104, "editMode": true}),
    )
    .await;
    let content = r.json()["result"]["content"].as_str().unwrap().to_string();
    let (_, raw) = fixture("43.4.cover_with_price_text_button_bgimg");
    assert_eq!(
        content,
        format!("<div id=\"block104\" data-id=\"104\" class=\"block-wrapper block-43-4-cover-with-price-text-button-bgimg\">{raw}</div>")
    );
    let r = rest(
        a,
        "landing.block.getcontent",
        &auth,
        json!({"lid": 1, "block": 104, "editMode": true, "params": {"wrapper_show": false}}),
    )
    .await;
    assert_eq!(r.json()["result"]["content"].as_str().unwrap(), raw);
    emu.stop().await;
}

fn key_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    if let Value::Object(m) = v {
        for (k, child) in m {
            let p = format!("{prefix}/{k}");
            out.push(p.clone());
            key_paths(child, &p, out);
        }
    }
}

#[tokio::test]
async fn getmanifest_keeps_the_fixture_key_order() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    for (id, code) in [
        (104, "43.4.cover_with_price_text_button_bgimg"),
        (106, "49.1.video_just_video"),
    ] {
        let r = rest(
            a,
            "landing.block.getmanifest",
            &auth,
            json!({"lid": 1, "block": id, "params": {"edit_mode": 1}}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let got = r.json()["result"].clone();
        let (want, _) = fixture(code);
        assert_eq!(got, want);
        let (mut g, mut w) = (Vec::new(), Vec::new());
        key_paths(&got, "", &mut g);
        key_paths(&want, "", &mut w);
        assert_eq!(g, w, "key order of {code}");
        // And in the raw text too: "assets" comes before "cards" in 49.1's manifest.
        if id == 106 {
            let body = &r.body;
            assert!(body.find("\"assets\"").unwrap() < body.find("\"cards\"").unwrap());
        }
    }
    emu.stop().await;
}

#[tokio::test]
async fn batch_runs_query_string_commands() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let cmd = json!({
        "ok": "landing.block.getcontent?lid=1&block=101&editMode=1&params[wrapper_show]=0",
        "off": "landing.block.getcontent?lid=1&block=101&editMode=0",
        "falsestr": "landing.block.getcontent?lid=1&block=101&editMode=false&params%5Bwrapper_show%5D=0",
        "unknown": "no.such.method?x=1",
        "nested": "batch?cmd[a]=landing.block.getlist",
        "edit": "landing.block.updatenodes?lid=1&block=101&data[.landing-block-node-subtitle]=From+batch",
        "list": "landing.block.getlist?lid=1&params[edit_mode]=1",
    });
    let r = rest(a, "batch", &auth, json!({"halt": 0, "cmd": cmd})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json()["result"].clone();
    let res = &v["result"];
    assert!(res["ok"]["content"]
        .as_str()
        .unwrap()
        .starts_with("<section"));
    assert!(res["falsestr"]["content"].is_string());
    assert_eq!(res["edit"], json!(true));
    assert_eq!(res["list"].as_array().unwrap().len(), 6);
    assert_eq!(v["result_total"]["list"], json!(6));
    assert!(v["result_time"]["ok"]["duration"].is_number());
    let errs = &v["result_error"];
    assert_eq!(errs["off"]["error"], json!("BLOCK_NOT_FOUND"));
    assert_eq!(errs["unknown"]["error"], json!("ERROR_METHOD_NOT_FOUND"));
    assert_eq!(
        errs["nested"]["error"],
        json!("ERROR_BATCH_METHOD_NOT_ALLOWED")
    );
    assert!(res.get("off").is_none());
    assert_eq!(
        texts_of(&draft(a, 101).await, ".landing-block-node-subtitle"),
        vec!["From batch"]
    );

    // halt=1 stops at the first error.
    let cmd = json!({
        "a": "landing.block.getbyid?block=102&params[edit_mode]=1",
        "b": "landing.block.getbyid?block=999&params[edit_mode]=1",
        "c": "landing.block.getbyid?block=103&params[edit_mode]=1",
    });
    let v = rest(a, "batch", &auth, json!({"halt": 1, "cmd": cmd}))
        .await
        .json()["result"]
        .clone();
    assert_eq!(v["result"]["a"]["id"], json!(102));
    assert_eq!(v["result_error"]["b"]["error"], json!("BLOCK_NOT_FOUND"));
    assert!(v["result"].get("c").is_none());

    // Without errors, result_error is an empty list, as PHP encodes it.
    let v = rest(
        a,
        "batch",
        &auth,
        json!({"cmd": {"a": "landing.block.getlist?lid=1"}}),
    )
    .await
    .json();
    assert_eq!(v["result"]["result_error"], json!([]));
    assert_eq!(v["result"]["result"]["a"], json!([]));

    // Form-encoded batch.
    let r = post_form(
        a,
        "/rest/batch.json",
        &format!("auth={auth}&halt=0&cmd[x]=landing.block.getbyid%3Fblock%3D106%26params%5Bedit_mode%5D%3D1"),
    )
    .await;
    assert_eq!(
        r.json()["result"]["result"]["x"]["code"],
        json!("49.1.video_just_video")
    );

    // At most 50 commands.
    let many: serde_json::Map<String, Value> = (0..51)
        .map(|i| (format!("c{i}"), json!("landing.block.getlist?lid=1")))
        .collect();
    let r = rest(a, "batch", &auth, json!({"cmd": many})).await;
    assert_error(&r, 400, "ERROR_BATCH_LENGTH_EXCEEDED");
    emu.stop().await;
}

#[tokio::test]
async fn leaky_bucket_limits_bursts() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let p = json!({"lid": 1, "params": {"edit_mode": 1}});
    // Default: burst of 50, then QUERY_LIMIT_EXCEEDED.
    let mut statuses = Vec::new();
    for _ in 0..56 {
        statuses.push(
            rest(a, "landing.block.getlist", &auth, p.clone())
                .await
                .status,
        );
    }
    assert!(statuses[..50].iter().all(|s| *s == 200), "{statuses:?}");
    assert!(statuses[50..].contains(&503), "{statuses:?}");

    // A small bucket through the control endpoint; draining 0/s keeps it full.
    let r = post_json(
        a,
        "/_emulator/faults",
        &json!({"bucket": {"capacity": 3, "per_sec": 0}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for _ in 0..3 {
        assert_eq!(
            rest(a, "landing.block.getlist", &auth, p.clone())
                .await
                .status,
            200
        );
    }
    let r = rest(a, "landing.block.getlist", &auth, p.clone()).await;
    assert_error(&r, 503, "QUERY_LIMIT_EXCEEDED");
    // Draining brings it back.
    post_json(
        a,
        "/_emulator/faults",
        &json!({"bucket": {"capacity": 1, "per_sec": 20}}),
    )
    .await;
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, p.clone())
            .await
            .status,
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
    assert_eq!(
        rest(a, "landing.block.getlist", &auth, p.clone())
            .await
            .status,
        200
    );
    // DELETE restores the default limits.
    assert_eq!(
        request(a, "DELETE", "/_emulator/faults", &[], b"")
            .await
            .unwrap()
            .status,
        200
    );
    assert_eq!(rest(a, "landing.block.getlist", &auth, p).await.status, 200);
    emu.stop().await;
}

#[tokio::test]
async fn access_levels_gate_reads_and_writes() {
    let emu = start_with(|c| c.access = 'V').await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let read = json!({"lid": 1, "block": 101, "editMode": 1});
    let write = json!({"lid": 1, "block": 101, "data": {".landing-block-node-title": "x"}});
    let r = rest(a, "landing.block.getcontent", &auth, read.clone()).await;
    assert_eq!(r.json()["result"]["access"], json!("V"));
    assert_error(
        &rest(a, "landing.block.updatenodes", &auth, write.clone()).await,
        403,
        "ACCESS_DENIED",
    );
    assert_error(
        &rest(
            a,
            "landing.block.clonecard",
            &auth,
            json!({"lid": 1, "block": 105, "selector": ".landing-block-node-card@0"}),
        )
        .await,
        403,
        "ACCESS_DENIED",
    );

    for (level, can_read, can_write) in [
        ("W", true, true),
        ("X", true, true),
        ("A", true, false),
        ("D", false, false),
    ] {
        let r = post_json(a, "/_emulator/access", &json!({"level": level})).await;
        assert_eq!(r.status, 200);
        let r = rest(a, "landing.block.getcontent", &auth, read.clone()).await;
        if can_read {
            assert_eq!(r.status, 200, "{level}");
            assert_eq!(r.json()["result"]["access"], json!(level));
        } else {
            assert_error(&r, 403, "ACCESS_DENIED");
        }
        let r = rest(a, "landing.block.updatenodes", &auth, write.clone()).await;
        if can_write {
            assert_eq!(r.status, 200, "{level}: {}", r.body);
        } else {
            assert_error(&r, 403, "ACCESS_DENIED");
        }
    }
    assert_eq!(
        post_json(a, "/_emulator/access", &json!({"level": "Q"}))
            .await
            .status,
        400
    );
    emu.stop().await;
}

#[tokio::test]
async fn repo_bind_and_unbind() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let bind = |placement: &str, handler: &str| json!({"fields": {"PLACEMENT": placement, "PLACEMENT_HANDLER": handler, "TITLE": "Video tool"}});
    let r = rest(
        a,
        "landing.repo.bind",
        &auth,
        bind(
            "landing_block_49.1.video_just_video",
            "http://127.0.0.1:9/v/",
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["result"], json!(true));
    let s = state(a).await;
    assert!(s["bindings"].as_array().unwrap().contains(&json!({
        "placement": "LANDING_BLOCK_49.1.VIDEO_JUST_VIDEO", "handler": "http://127.0.0.1:9/v/", "title": "Video tool"
    })));
    assert_error(
        &rest(
            a,
            "landing.repo.bind",
            &auth,
            bind(
                "LANDING_BLOCK_49.1.VIDEO_JUST_VIDEO",
                "http://127.0.0.1:9/v/",
            ),
        )
        .await,
        400,
        "PLACEMENT_EXIST",
    );
    assert_error(
        &rest(
            a,
            "landing.repo.bind",
            &auth,
            bind("CRM_LEAD_LIST_MENU", "http://x.test/"),
        )
        .await,
        400,
        "PLACEMENT_UNKNOWN",
    );
    assert_error(
        &rest(
            a,
            "landing.repo.bind",
            &auth,
            bind("LANDING_BLOCK_*", "ftp://x"),
        )
        .await,
        400,
        "PLACEMENT_HANDLER_INVALID",
    );
    assert_error(
        &rest(a, "landing.repo.bind", &auth, json!({})).await,
        400,
        "MISSING_PARAMS",
    );

    // The page shows the item only on that block.
    let page = get(a, "/").await.body;
    assert_eq!(attrs_of(&page, "#block106 .emu-menu-item").len(), 2);
    assert_eq!(attrs_of(&page, "#block101 .emu-menu-item").len(), 1);

    let r = rest(
        a,
        "landing.repo.unbind",
        &auth,
        json!({"code": "landing_block_49.1.video_just_video"}),
    )
    .await;
    assert_eq!(r.json()["result"], json!(true));
    assert_error(
        &rest(
            a,
            "landing.repo.unbind",
            &auth,
            json!({"code": "LANDING_BLOCK_49.1.VIDEO_JUST_VIDEO"}),
        )
        .await,
        400,
        "PLACEMENT_NO_EXIST",
    );
    // With a handler, only that binding goes.
    let r = rest(
        a,
        "landing.repo.unbind",
        &auth,
        json!({"code": "LANDING_BLOCK_*", "handler": "http://other/"}),
    )
    .await;
    assert_error(&r, 400, "PLACEMENT_NO_EXIST");
    assert_eq!(state(a).await["bindings"].as_array().unwrap().len(), 1);
    emu.stop().await;
}
