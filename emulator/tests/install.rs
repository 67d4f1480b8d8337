//! The app's installation as the portal runs it: the application list entry opening the app's
//! own page, first run, `landing.repo.bind`/`unbind` deciding the More menus, application
//! options, `placement.get`, the block catalogue and administrator-only changes.

mod common;

use common::*;
use serde_json::{json, Value};
use std::net::SocketAddr;

async fn open_app(a: SocketAddr) -> Value {
    let r = post_json(a, "/_emulator/open", &json!({"app": true, "lang": "de"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

async fn menu(a: SocketAddr, block: u64) -> Vec<String> {
    let r = get(a, &format!("/_emulator/menu/{block}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

fn bind_params(placement: &str, title: &str) -> Value {
    json!({"fields": {"PLACEMENT": placement, "PLACEMENT_HANDLER": "http://127.0.0.1:9/app/", "TITLE": title}})
}

#[tokio::test]
async fn a_fresh_app_appears_only_once_bound_and_installed() {
    let emu = start_with(|c| c.fresh_install = true).await;
    let a = emu.editor_addr;
    assert!(menu(a, 101).await.is_empty());
    assert!(get(a, "/").await.body.contains("No applications"));

    let first = open_app(a).await;
    assert_eq!(first["placement"], json!("DEFAULT"));
    assert_eq!(first["first_run"], json!(true));
    assert_eq!(first["install"], json!(true));
    assert_eq!(first["is_admin"], json!(true));
    assert_eq!(first["lang"], json!("de"));
    assert_eq!(first["handler"], json!(emulator::server::DEFAULT_HANDLER));
    let again = open_app(a).await;
    assert_eq!(
        again["first_run"],
        json!(false),
        "only the first opening is the first run"
    );
    assert_eq!(
        again["install"],
        json!(true),
        "still installing until setInstallFinish"
    );

    let auth = first["auth_id"].as_str().unwrap().to_string();
    let r = rest(
        a,
        "landing.repo.bind",
        &auth,
        bind_params("LANDING_BLOCK_*", "Edit"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        menu(a, 101).await.is_empty(),
        "not before the installation is finished"
    );

    let log = json!({"command": "setInstallFinish", "params": {}, "app_sid": first["app_sid"]});
    assert_eq!(post_json(a, "/_emulator/log", &log).await.status, 200);
    for block in 101..=106 {
        assert_eq!(menu(a, block).await, ["Edit"], "block {block}");
    }
    assert!(get(a, "/").await.body.contains(">Edit</a>"));
    assert_eq!(open_app(a).await["install"], json!(false));

    // A code binding narrows the menu once `*` is gone; codes compare case-insensitively.
    let r = rest(
        a,
        "landing.repo.bind",
        &auth,
        bind_params("landing_block_04.1.ONE_COL_FIX_WITH_TITLE", "Title only"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = rest(
        a,
        "landing.repo.unbind",
        &auth,
        json!({"code": "LANDING_BLOCK_*"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(menu(a, 101).await, ["Title only"]);
    assert!(menu(a, 102).await.is_empty());
    let r = rest(
        a,
        "landing.repo.unbind",
        &auth,
        json!({"code": "LANDING_BLOCK_*"}),
    )
    .await;
    assert_eq!(r.json()["error"], json!("PLACEMENT_NO_EXIST"));

    let r = rest(a, "placement.get", &auth, json!({})).await;
    assert_eq!(
        r.json()["result"],
        json!([{"placement": "LANDING_BLOCK_04.1.ONE_COL_FIX_WITH_TITLE",
                "handler": "http://127.0.0.1:9/app/", "title": "Title only",
                "description": "", "options": []}])
    );

    // Reset goes back to the fresh preset.
    post_json(a, "/_emulator/reset", &json!({})).await;
    let s = state(a).await;
    assert_eq!(s["bindings"], json!([]));
    assert_eq!(s["install_finished"], json!(false));
    assert_eq!(open_app(a).await["first_run"], json!(true));
    emu.stop().await;
}

#[tokio::test]
async fn application_options_round_trip_and_start_as_an_empty_php_array() {
    let emu = start().await;
    let a = emu.editor_addr;
    let app = open_app(a).await;
    assert_eq!(
        app["install"],
        json!(false),
        "the default preset is installed"
    );
    assert_eq!(app["app_options"], json!({}));
    let auth = app["auth_id"].as_str().unwrap().to_string();
    assert_eq!(
        rest(a, "app.option.get", &auth, json!({})).await.json()["result"],
        json!([])
    );
    let r = rest(
        a,
        "app.option.set",
        &auth,
        json!({"options": {"bindings": "[1]", "x": 2}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let all = rest(a, "app.option.get", &auth, json!({})).await.json();
    assert_eq!(all["result"], json!({"bindings": "[1]", "x": 2}));
    let one = rest(a, "app.option.get", &auth, json!({"option": "x"}))
        .await
        .json();
    assert_eq!(one["result"], json!(2));
    assert_eq!(
        open_app(a).await["app_options"],
        json!({"bindings": "[1]", "x": 2})
    );
    let r = rest(a, "app.option.set", &auth, json!({"options": {}})).await;
    assert_eq!(r.status, 400);
    emu.stop().await;
}

#[tokio::test]
async fn only_administrators_change_bindings_and_options() {
    let emu = start_with(|c| c.is_admin = false).await;
    let a = emu.editor_addr;
    let app = open_app(a).await;
    assert_eq!(app["is_admin"], json!(false));
    let auth = app["auth_id"].as_str().unwrap().to_string();
    for (method, params) in [
        ("landing.repo.bind", bind_params("LANDING_BLOCK_*", "X")),
        ("landing.repo.unbind", json!({"code": "LANDING_BLOCK_*"})),
        ("placement.get", json!({})),
        ("app.option.set", json!({"options": {"a": 1}})),
    ] {
        let r = rest(a, method, &auth, params).await;
        assert_eq!(r.status, 403, "{method}: {}", r.body);
        assert_eq!(r.json()["error"], json!("ACCESS_DENIED"), "{method}");
    }
    assert_eq!(
        rest(a, "app.option.get", &auth, json!({})).await.status,
        200
    );
    assert_eq!(state(a).await["bindings"].as_array().unwrap().len(), 1);
    // The user can be switched while the emulator runs.
    let r = post_json(a, "/_emulator/user", &json!({"admin": true})).await;
    assert_eq!(r.status, 200);
    let r = rest(a, "placement.get", &auth, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        post_json(a, "/_emulator/user", &json!({"admin": "yes"}))
            .await
            .status,
        400
    );
    emu.stop().await;
}

#[tokio::test]
async fn the_block_catalogue_lists_every_block_by_section() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let r = rest(a, "landing.block.getrepository", &auth, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sections = r.json()["result"].as_object().unwrap().clone();
    let mut codes: Vec<String> = sections
        .values()
        .flat_map(|s| s["items"].as_object().unwrap().keys().cloned())
        .collect();
    codes.sort();
    codes.dedup();
    assert_eq!(
        codes.len(),
        7,
        "six fixtures and one custom block: {codes:?}"
    );
    assert!(codes.contains(&"repo_1".to_string()));
    assert_eq!(
        sections["title"]["items"]["04.1.one_col_fix_with_title"]["name"],
        json!("Title with a separator on a light background")
    );
    assert_eq!(sections["video"]["name"], json!("Video"));
    let one = rest(
        a,
        "landing.block.getrepository",
        &auth,
        json!({"section": "cover"}),
    )
    .await;
    assert_eq!(
        one.json()["result"]["items"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["43.4.cover_with_price_text_button_bgimg"]
    );
    emu.stop().await;
}
