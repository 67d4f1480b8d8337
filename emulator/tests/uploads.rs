//! `landing.block.uploadfile`: stored, served, checked; its faults; and the file ids
//! `updatenodes` keeps.

mod common;

use common::*;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TEXT_IMG_BLOCK: u64 = 103;
const COVER_BLOCK: u64 = 104;

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A valid 1×1 RGB PNG (zlib with one stored block; Chromium decodes it).
fn tiny_png() -> Vec<u8> {
    let raw = [0u8, 0xE0, 0x40, 0x20]; // filter 0, one pixel
    let mut z = vec![0x78, 0x01, 0x01, 4, 0, !4u8, 0xFF];
    z.extend_from_slice(&raw);
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &z);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// A valid 16×8 grey baseline JPEG (Chromium decodes it): one quantization table, one-code
/// Huffman tables (DC category 0, AC end-of-block), two all-zero blocks.
fn tiny_jpeg() -> Vec<u8> {
    fn seg(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    }
    let mut one_code = vec![0u8; 16];
    one_code[0] = 1; // one code of length 1
    one_code.push(0); // its symbol
    let mut j = vec![0xFF, 0xD8];
    j.extend(seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    let mut dqt = vec![0u8];
    dqt.extend_from_slice(&[1; 64]);
    j.extend(seg(0xDB, &dqt));
    j.extend(seg(0xC0, &[8, 0, 8, 0, 16, 1, 1, 0x11, 0]));
    j.extend(seg(0xC4, &[&[0x00][..], &one_code[..]].concat()));
    j.extend(seg(0xC4, &[&[0x10][..], &one_code[..]].concat()));
    j.extend(seg(0xDA, &[1, 1, 0x00, 0, 63, 0]));
    j.extend_from_slice(&[0x0F, 0xFF, 0xD9]);
    j
}

fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// GET with the raw body bytes: `(status, content-type, body)`.
async fn get_raw(addr: SocketAddr, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let ctype = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-type")
                .then(|| v.trim().to_string())
        })
        .unwrap_or_default();
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    (status, ctype, raw[split + 4..].to_vec())
}

async fn upload(addr: SocketAddr, auth: &str, block: u64, picture: Value) -> Resp {
    rest(
        addr,
        "landing.block.uploadfile",
        auth,
        json!({"block": block, "picture": picture}),
    )
    .await
}

fn error_of(r: &Resp) -> (u16, String) {
    (
        r.status,
        r.json()["error"].as_str().unwrap_or("").to_string(),
    )
}

#[tokio::test]
async fn jpeg_and_png_are_stored_and_served() {
    let emu = start().await;
    let addr = emu.editor_addr;
    let (_, auth, _) = open(addr, TEXT_IMG_BLOCK).await;
    let mut ids = Vec::new();
    for (name, bytes, mime) in [
        ("photo.jpg", tiny_jpeg(), "image/jpeg"),
        ("Logo (dark).PNG", tiny_png(), "image/png"),
    ] {
        let r = upload(addr, &auth, TEXT_IMG_BLOCK, json!([name, b64(&bytes)])).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let res = &r.json()["result"];
        let id = res["id"].as_u64().expect("numeric id");
        let src = res["src"].as_str().unwrap();
        let prefix = format!("http://{addr}/upload/landing/{id}/");
        assert!(src.starts_with(&prefix), "{src}");
        let (status, ctype, body) = get_raw(addr, &src[format!("http://{addr}").len()..]).await;
        assert_eq!((status, ctype.as_str()), (200, mime));
        assert_eq!(body, bytes);
        ids.push((id, src.to_string()));
    }
    assert!(ids[1].1.ends_with("/Logo_dark_.png"), "{}", ids[1].1);
    assert_ne!(ids[0].0, ids[1].0);
    let files = state(addr).await["files"].clone();
    assert_eq!(files.as_array().unwrap().len(), 2);
    assert_eq!(files[0]["block"], json!(TEXT_IMG_BLOCK));
    assert_eq!(files[1]["type"], "image/png");

    // The extension is not trusted: a JPEG named .png is served as what it is.
    let r = upload(
        addr,
        &auth,
        TEXT_IMG_BLOCK,
        json!(["x.png", b64(&tiny_jpeg())]),
    )
    .await;
    let src = r.json()["result"]["src"].as_str().unwrap().to_string();
    let (_, ctype, _) = get_raw(addr, &src[format!("http://{addr}").len()..]).await;
    assert_eq!(ctype, "image/jpeg");

    // A form body gives picture[0], picture[1].
    let body = format!(
        "auth={auth}&block={TEXT_IMG_BLOCK}&picture%5B0%5D=f.png&picture%5B1%5D={}",
        b64(&tiny_png())
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    );
    let r = post_form(addr, "/rest/landing.block.uploadfile", &body).await;
    assert_eq!(r.status, 200, "{}", r.body);

    // A URL picture: the emulator's own upload URL copies that file; others are refused.
    let r = upload(addr, &auth, COVER_BLOCK, json!(ids[1].1)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_ne!(r.json()["result"]["id"], json!(ids[1].0));
    let r = upload(
        addr,
        &auth,
        COVER_BLOCK,
        json!("https://example.invalid/a.png"),
    )
    .await;
    assert_eq!(error_of(&r), (400, "FILE_ERROR".into()));

    // Unknown ids and names are 404; reset forgets every file.
    assert_eq!(get_raw(addr, "/upload/landing/1/x.png").await.0, 404);
    let wrong_name = format!("/upload/landing/{}/other.jpg", ids[0].0);
    assert_eq!(get_raw(addr, &wrong_name).await.0, 404);
    post_json(addr, "/_emulator/reset", &json!({})).await;
    let old = &ids[0].1[format!("http://{addr}").len()..];
    assert_eq!(get_raw(addr, old).await.0, 404);
    emu.stop().await;
}

#[tokio::test]
async fn bad_pictures_get_the_portals_errors() {
    let emu = start().await;
    let addr = emu.editor_addr;
    let (_, auth, _) = open(addr, TEXT_IMG_BLOCK).await;
    let file_error = (400, "FILE_ERROR".to_string());
    let svg = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    let mut oversize = tiny_jpeg();
    oversize.resize(10 * 1024 * 1024 + 1, 0);
    let cases = [
        ("wrong type", json!(["notes.png", b64(b"just some text")])),
        ("empty", json!(["empty.png", ""])),
        ("empty url", json!("")),
        ("svg", json!(["logo.svg", b64(svg)])),
        ("svg named png", json!(["logo.png", b64(svg)])),
        ("garbage base64", json!(["x.png", "!!not base64!!"])),
        (
            "data url",
            json!([
                "x.png",
                format!("data:image/png;base64,{}", b64(&tiny_png()))
            ]),
        ),
        ("no image extension", json!(["x.txt", b64(&tiny_png())])),
        ("one element", json!(["x.png"])),
        ("oversize", json!(["big.jpg", b64(&oversize)])),
    ];
    for (what, picture) in cases {
        let r = upload(addr, &auth, TEXT_IMG_BLOCK, picture).await;
        assert_eq!(error_of(&r), file_error, "{what}: {}", r.body);
    }
    let r = upload(addr, &auth, 999, json!(["a.png", b64(&tiny_png())])).await;
    assert_eq!(error_of(&r), (400, "BLOCK_NOT_FOUND".into()));
    let r = rest(
        addr,
        "landing.block.uploadfile",
        &auth,
        json!({"block": 103}),
    )
    .await;
    assert_eq!(error_of(&r), (400, "MISSING_PARAMS".into()));
    post_json(addr, "/_emulator/access", &json!({"level": "V"})).await;
    let r = upload(
        addr,
        &auth,
        TEXT_IMG_BLOCK,
        json!(["a.png", b64(&tiny_png())]),
    )
    .await;
    assert_eq!(error_of(&r), (403, "ACCESS_DENIED".into()));
    assert_eq!(state(addr).await["files"], json!([]));
    emu.stop().await;
}

#[tokio::test]
async fn upload_faults_500_drop_and_slow() {
    let emu = start().await;
    let addr = emu.editor_addr;
    let (_, auth, _) = open(addr, TEXT_IMG_BLOCK).await;
    let picture = json!(["a.png", b64(&tiny_png())]);
    let r = post_json(
        addr,
        "/_emulator/faults",
        &json!({"rest": [
            {"method": "landing.block.uploadfile", "kind": "http500"},
            {"method": "landing.block.uploadfile", "kind": "drop"},
            {"method": "landing.block.uploadfile", "kind": "slow", "delay_ms": 400}
        ]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["rest"][2]["delay_ms"], 400);

    let r = upload(addr, &auth, TEXT_IMG_BLOCK, picture.clone()).await;
    assert_eq!(error_of(&r), (500, "INTERNAL_SERVER_ERROR".into()));
    let params = json!({"block": TEXT_IMG_BLOCK, "picture": picture, "auth": auth});
    let dropped = request(
        addr,
        "POST",
        "/rest/landing.block.uploadfile.json",
        &[("Content-Type", "application/json")],
        params.to_string().as_bytes(),
    )
    .await;
    assert!(dropped.is_err(), "{dropped:?}");
    assert_eq!(state(addr).await["files"], json!([]));

    let t = Instant::now();
    let r = upload(addr, &auth, TEXT_IMG_BLOCK, picture.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(t.elapsed() >= Duration::from_millis(400));
    // Used up: the next upload is quick.
    let t = Instant::now();
    assert_eq!(
        upload(addr, &auth, TEXT_IMG_BLOCK, picture).await.status,
        200
    );
    assert!(t.elapsed() < Duration::from_millis(400));
    assert_eq!(state(addr).await["files"].as_array().unwrap().len(), 2);
    emu.stop().await;
}

#[tokio::test]
async fn updatenodes_keeps_only_the_blocks_own_file_ids() {
    let emu = start().await;
    let addr = emu.editor_addr;
    let (_, auth, _) = open(addr, TEXT_IMG_BLOCK).await;
    let up = |block: u64, name: &'static str| {
        let auth = auth.clone();
        async move {
            let r = upload(addr, &auth, block, json!([name, b64(&tiny_png())])).await;
            let res = r.json()["result"].clone();
            (
                res["id"].as_u64().unwrap(),
                res["src"].as_str().unwrap().to_string(),
            )
        }
    };
    let (id, src) = up(TEXT_IMG_BLOCK, "a.png").await;
    let (id2x, src2x) = up(TEXT_IMG_BLOCK, "a@2x.png").await;
    let (other_id, _) = up(COVER_BLOCK, "c.png").await;

    let save = |value: Value| {
        let auth = auth.clone();
        async move {
            let r = rest(
                addr,
                "landing.block.updatenodes",
                &auth,
                json!({"lid": 1, "block": TEXT_IMG_BLOCK,
                       "data": {".landing-block-node-img": value}}),
            )
            .await;
            assert_eq!(r.status, 200, "{}", r.body);
            attrs_of(
                &draft(addr, TEXT_IMG_BLOCK).await,
                ".landing-block-node-img",
            )[0]
            .clone()
        }
    };
    // Ids as numbers or strings, as the portal's intval takes them.
    let el = save(
        json!({"src": src, "src2x": src2x, "id": id, "id2x": id2x.to_string(),
                         "alt": "A"}),
    )
    .await;
    assert_eq!(el["data-fileid"], id.to_string());
    assert_eq!(el["data-fileid2x"], id2x.to_string());
    assert!(el["style"].contains(&src2x), "{}", el["style"]);

    // Another block's file and an id never uploaded: the attributes go, the picture stays.
    let el = save(json!({"src": src, "src2x": src2x, "id": other_id, "id2x": 987654})).await;
    assert!(!el.contains_key("data-fileid"), "{el:?}");
    assert!(!el.contains_key("data-fileid2x"), "{el:?}");
    assert!(el["style"].contains(&src), "{}", el["style"]);
    emu.stop().await;
}
