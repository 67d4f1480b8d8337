//! landing.landing.getlist over the fixture pages, and landing.block.getlist for the picker.

mod common;

use common::*;
use serde_json::{json, Value};

fn ids(r: &Resp) -> Vec<u64> {
    r.json()["result"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|row| row["ID"].as_str().expect("ID as a string").parse().unwrap())
        .collect()
}

async fn pages(a: std::net::SocketAddr, auth: &str, params: Value) -> Resp {
    rest(
        a,
        "landing.landing.getList",
        auth,
        json!({"params": params}),
    )
    .await
}

#[tokio::test]
async fn page_list_select_filter_order_and_limits() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;

    // Everything not deleted, in one answer: no start paging, no next/total.
    let r = rest(a, "landing.landing.getlist", &auth, json!({"start": 50})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert!(v.get("next").is_none() && v.get("total").is_none());
    assert_eq!(ids(&r), (1..=64).collect::<Vec<_>>());
    let first = &v["result"][0];
    assert_eq!(first["TITLE"], json!("Home"));
    assert_eq!(first["SITE_ID"], json!("1"));
    assert_eq!(first["DOMAIN_ID"], json!("1"));
    assert!(first.as_object().unwrap().values().all(Value::is_string));

    let r = pages(
        a,
        &auth,
        json!({"select": ["ID", "TITLE"], "filter": {"SITE_ID": 2}, "order": {"ID": "desc"}}),
    )
    .await;
    assert_eq!(ids(&r), (58..=64).rev().collect::<Vec<_>>());
    let row = r.json()["result"][0].clone();
    let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["ID", "TITLE", "DOMAIN_ID"]);

    let r = pages(a, &auth, json!({"filter": {"=ID": ["2", 3, 999]}})).await;
    assert_eq!(ids(&r), [2, 3]);
    let r = pages(
        a,
        &auth,
        json!({"filter": {"%TITLE": "news 0", ">=ID": 25}}),
    )
    .await;
    assert_eq!(ids(&r), [25, 26, 27, 28, 29]);
    let r = pages(a, &auth, json!({"filter": {"DELETED": "Y"}})).await;
    assert_eq!(ids(&r), [65]);
    let r = pages(
        a,
        &auth,
        json!({"filter": {"SITE_ID": "1", "!ACTIVE": "Y"}}),
    )
    .await;
    assert_eq!(ids(&r), [33]);
    let r = pages(
        a,
        &auth,
        json!({"filter": {"SITE_ID": 1}, "order": {"TITLE": "ASC"}, "limit": 3, "offset": 1}),
    )
    .await;
    let v = r.json();
    let titles: Vec<&str> = v["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["TITLE"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Blog", "Careers", "Contacts"]);
    // A filter of another shape and keys with a dot are ignored.
    assert_eq!(
        ids(&pages(a, &auth, json!({"filter": "x"})).await).len(),
        64
    );
    assert_eq!(
        ids(&pages(a, &auth, json!({"filter": {"SITE.ID": 5}})).await).len(),
        64
    );
    let r = pages(a, &auth, json!({"filter": {"ID": 4}, "get_urls": 1})).await;
    assert_eq!(
        r.json()["result"][0]["PUBLIC_URL"],
        json!("https://site1.example.bitrix24.site/contacts/")
    );

    for bad in [
        json!({"select": ["NOPE"]}),
        json!({"filter": {"NOPE": 1}}),
        json!({"order": {"NOPE": "ASC"}}),
    ] {
        let r = pages(a, &auth, bad).await;
        assert_eq!(r.status, 400);
        assert_eq!(r.json()["error"], json!("SYSTEM_ERROR"));
    }

    // In a batch too.
    let r = rest(a, "batch", &auth, json!({"cmd": {"p": "landing.landing.getlist?params[filter][SITE_ID]=2&params[select][]=ID"}})).await;
    assert_eq!(
        r.json()["result"]["result"]["p"].as_array().unwrap().len(),
        7
    );

    post_json(a, "/_emulator/access", &json!({"level": "D"})).await;
    let r = pages(a, &auth, json!({})).await;
    assert_eq!(r.json()["error"], json!("ACCESS_DENIED"));
    emu.stop().await;
}

#[tokio::test]
async fn block_list_for_a_page() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let list = |lid: Value, params: Value| json!({"lid": lid, "params": params});

    let r = rest(
        a,
        "landing.block.getlist",
        &auth,
        list(json!(1), json!({"edit_mode": 1})),
    )
    .await;
    let rows = r.json()["result"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[1]["id"], json!(102));
    assert!(rows[1]["name"].as_str().unwrap().len() > 2);
    assert_eq!(rows[1]["meta"]["LID"], json!("1"));
    assert!(rows[1].get("content").is_none());

    let r = rest(
        a,
        "landing.block.getlist",
        &auth,
        list(json!(["1", 2]), json!({"edit_mode": 1, "get_content": 1})),
    )
    .await;
    let rows = r.json()["result"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 6);
    assert!(rows[0]["content"]
        .as_str()
        .unwrap()
        .starts_with("<div id=\"block101\""));

    // Other pages exist but have no blocks; unknown and deleted pages are errors.
    let r = rest(
        a,
        "landing.block.getlist",
        &auth,
        list(json!(2), json!({"edit_mode": 1})),
    )
    .await;
    assert_eq!(r.json()["result"], json!([]));
    for lid in [json!(999), json!(65), json!([1, 999])] {
        let r = rest(
            a,
            "landing.block.getlist",
            &auth,
            list(lid.clone(), json!({"edit_mode": 1})),
        )
        .await;
        assert_eq!(r.json()["error"], json!("LANDING_NOT_EXIST"), "{lid}");
    }
    emu.stop().await;
}

#[tokio::test]
async fn faults_hit_the_new_methods() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let r = post_json(
        a,
        "/_emulator/faults",
        &json!({"rest": [
            {"method": "landing.landing.getlist", "kind": "http500"},
            {"method": "landing.landing.getlist", "kind": "malformed_json"},
            {"method": "landing.block.getlist", "kind": "http503"}
        ]}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(pages(a, &auth, json!({})).await.status, 500);
    let r = pages(a, &auth, json!({})).await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<Value>(&r.body).is_err());
    assert_eq!(pages(a, &auth, json!({})).await.status, 200);
    let r = rest(a, "landing.block.getlist", &auth, json!({"lid": 1})).await;
    assert_eq!(r.status, 503);
    emu.stop().await;
}

/// The link picker's batch: the page's site through a `$result` reference, then its pages.
#[tokio::test]
async fn batch_references_read_earlier_results() {
    let emu = start().await;
    let a = emu.editor_addr;
    let (_, auth, _) = open(a, 101).await;
    let cmd = |lid: u64| {
        json!({"halt": 1, "cmd": {
            "page": format!("landing.landing.getlist?params[select][]=ID&params[select][]=SITE_ID&params[filter][ID]={lid}"),
            "pages": "landing.landing.getlist?params[select][]=ID&params[filter][SITE_ID]=%24result%5Bpage%5D%5B0%5D%5BSITE_ID%5D",
            "blocks": format!("landing.block.getlist?lid={lid}&params[edit_mode]=1"),
        }})
    };
    let r = rest(a, "batch", &auth, cmd(1)).await;
    let v = r.json();
    assert_eq!(
        v["result"]["result"]["pages"].as_array().unwrap().len(),
        57,
        "{v}"
    );
    assert!(!v["result"]["result"]["blocks"]
        .as_array()
        .unwrap()
        .is_empty());
    // A page of the second site lists that site's pages.
    let r = rest(a, "batch", &auth, cmd(60)).await;
    let v = r.json();
    assert_eq!(
        v["result"]["result"]["pages"].as_array().unwrap().len(),
        7,
        "{v}"
    );
    // A page that is not there: the reference reaches an empty list, which matches nothing.
    let r = rest(a, "batch", &auth, json!({"cmd": {
        "page": "landing.landing.getlist?params[filter][ID]=999",
        "pages": "landing.landing.getlist?params[filter][SITE_ID]=%24result%5Bpage%5D%5B0%5D%5BSITE_ID%5D",
    }})).await;
    assert_eq!(r.json()["result"]["result"]["pages"], json!([]));
    emu.stop().await;
}
