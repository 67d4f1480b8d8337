//! The app listener: files with content types, fallback to index.html, POST → index.html,
//! fresh reads, no traversal.

mod common;

use common::*;
use serde_json::json;
use std::fs;

fn make_app_dir() -> std::path::PathBuf {
    let root = temp_dir("app");
    let dist = root.join("dist");
    fs::create_dir_all(dist.join("pkg")).unwrap();
    fs::write(
        dist.join("index.html"),
        "<!doctype html><title>app v1</title>",
    )
    .unwrap();
    fs::write(dist.join("pkg/app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    fs::write(dist.join("app.js"), "export const x = 1;").unwrap();
    fs::write(dist.join("style.css"), "body{}").unwrap();
    fs::write(dist.join("icon.svg"), "<svg/>").unwrap();
    fs::write(dist.join("logo.png"), b"\x89PNG").unwrap();
    fs::write(dist.join("data.json"), "{}").unwrap();
    fs::write(root.join("secret.txt"), "TOP SECRET").unwrap();
    dist
}

#[tokio::test]
async fn serves_files_and_index_fallback() {
    let dist = make_app_dir();
    let d = dist.clone();
    let emu = start_with(move |c| c.app_dir = Some(d)).await;
    let app = emu.app_addr.expect("app listener");
    assert!(
        emu.ready_line().ends_with(&format!(" app=http://{app}/")),
        "{}",
        emu.ready_line()
    );

    for (path, ct, body) in [
        ("/pkg/app_bg.wasm", "application/wasm", "\0asm\u{1}\0\0\0"),
        (
            "/app.js",
            "text/javascript; charset=utf-8",
            "export const x = 1;",
        ),
        ("/style.css", "text/css; charset=utf-8", "body{}"),
        ("/icon.svg", "image/svg+xml", "<svg/>"),
        ("/data.json", "application/json", "{}"),
        (
            "/index.html",
            "text/html; charset=utf-8",
            "<!doctype html><title>app v1</title>",
        ),
    ] {
        let r = get(app, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ct), "{path}");
        assert_eq!(r.body, body, "{path}");
    }
    let r = get(app, "/logo.png").await;
    assert_eq!(r.header("content-type"), Some("image/png"));

    // Anything else is the app's index.html (client-side routes, the handler path).
    for path in ["/", "/handler/", "/some/route?x=1", "/pkg"] {
        let r = get(app, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(r.body.contains("app v1"), "{path}");
    }
    // The portal POSTs the handler form: answer with index.html, not 405.
    let r = post_form(
        app,
        "/?DOMAIN=127.0.0.1%3A8090&PROTOCOL=0&LANG=en&APP_SID=abc",
        "AUTH_ID=x&PLACEMENT=LANDING_BLOCK_*",
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("app v1"));
    // A POST to a page that exists (another handler, e.g. a probe page) gets that page.
    fs::write(
        dist.join("probe.html"),
        "<!doctype html><title>probe</title>",
    )
    .unwrap();
    let r = post_form(app, "/probe.html?APP_SID=abc", "AUTH_ID=x").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("probe"), "{}", r.body);
    let r = post_form(app, "/handler/", "AUTH_ID=x").await;
    assert!(r.body.contains("app v1"));
    assert_eq!(
        request(app, "PUT", "/", &[], b"").await.unwrap().status,
        405
    );

    // Files are read on every request (dev rebuilds).
    fs::write(
        dist.join("index.html"),
        "<!doctype html><title>app v2</title>",
    )
    .unwrap();
    assert!(get(app, "/").await.body.contains("app v2"));
    assert_eq!(
        get(app, "/app.js").await.header("cache-control"),
        Some("no-store")
    );

    // The default binding points at the app listener.
    let s = state(emu.editor_addr).await;
    assert_eq!(s["bindings"][0]["handler"], json!(format!("http://{app}/")));
    emu.stop().await;
    fs::remove_dir_all(dist.parent().unwrap()).unwrap();
}

#[tokio::test]
async fn refuses_directory_traversal() {
    let dist = make_app_dir();
    let d = dist.clone();
    let emu = start_with(move |c| c.app_dir = Some(d)).await;
    let app = emu.app_addr.unwrap();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/pkg/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
    ] {
        let r = request(app, "GET", path, &[], b"").await.unwrap();
        assert!(!r.body.contains("TOP SECRET"), "{path}: {}", r.body);
        assert!(!r.body.contains("root:"), "{path}");
    }
    assert_eq!(
        request(app, "GET", "/../secret.txt", &[], b"")
            .await
            .unwrap()
            .status,
        400
    );
    emu.stop().await;
    fs::remove_dir_all(dist.parent().unwrap()).unwrap();
}

#[tokio::test]
async fn explicit_handler_wins_and_missing_index_is_reported() {
    let root = temp_dir("noindex");
    let r = root.clone();
    let emu = start_with(move |c| {
        c.app_dir = Some(r);
        c.app_handler = Some("http://127.0.0.1:8080/handler/".into());
        c.app_title = "Editor X".into();
    })
    .await;
    let s = state(emu.editor_addr).await;
    assert_eq!(
        s["bindings"],
        json!([{"placement": "LANDING_BLOCK_*", "handler": "http://127.0.0.1:8080/handler/", "title": "Editor X"}])
    );
    let r = get(emu.app_addr.unwrap(), "/").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("index.html"));
    emu.stop().await;
    fs::remove_dir_all(&root).unwrap();
}
