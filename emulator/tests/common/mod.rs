//! Shared helpers for the integration tests: start an emulator on loopback port 0 and talk
//! to it with a tiny HTTP/1.1 client (so a dropped connection is observable as an error).
#![allow(dead_code)]

use emulator::cli::Config;
use emulator::server::{self, Running, DEFAULT_HANDLER};
use lol_html::html_content::{Element, TextChunk};
use lol_html::{rewrite_str, ElementContentHandlers, HandlerResult, RewriteStrSettings, Selector};
use serde_json::{json, Value};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub fn test_config() -> Config {
    Config {
        addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
        app_addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
        ..Config::default()
    }
}

pub async fn start() -> Running {
    start_with(|_| {}).await
}

pub async fn start_with(f: impl FnOnce(&mut Config)) -> Running {
    let mut cfg = test_config();
    f(&mut cfg);
    server::start(cfg).await.expect("emulator starts")
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("emu-it-{tag}-{}", emulator::ids::hex(10)));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn decode_chunked(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(pos) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_line = String::from_utf8_lossy(&body[..pos]);
        let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        body = &body[pos + 2..];
        if size == 0 || body.len() < size {
            return out;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[(size + 2).min(body.len())..];
    }
}

/// One request on a fresh connection. An `Err` means no HTTP answer at all.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Resp> {
    let fut = async {
        let mut s = TcpStream::connect(addr).await?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).await?;
        s.write_all(body).await?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).await?;
        let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("no HTTP answer ({} bytes)", raw.len()),
            ));
        };
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let chunked = headers.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
        });
        if chunked {
            body = decode_chunked(&body);
        }
        Ok(Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    };
    tokio::time::timeout(Duration::from_secs(20), fut)
        .await
        .unwrap_or_else(|_| Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "timeout")))
}

pub async fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, &[], b"").await.expect("answer")
}

pub async fn post_json(addr: SocketAddr, path: &str, body: &Value) -> Resp {
    request(
        addr,
        "POST",
        path,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
    .await
    .expect("answer")
}

pub async fn post_form(addr: SocketAddr, path: &str, body: &str) -> Resp {
    request(
        addr,
        "POST",
        path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    )
    .await
    .expect("answer")
}

/// Opens the default app on a block, as the page does: `(app_sid, auth_id, refresh_id)`.
pub async fn open(addr: SocketAddr, block: u64) -> (String, String, String) {
    let r = post_json(
        addr,
        "/_emulator/open",
        &json!({"block": block, "handler": DEFAULT_HANDLER}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    (
        v["app_sid"].as_str().unwrap().to_string(),
        v["auth_id"].as_str().unwrap().to_string(),
        v["refresh_id"].as_str().unwrap().to_string(),
    )
}

/// A REST call with a JSON body; `auth` is added.
pub async fn rest(addr: SocketAddr, method: &str, auth: &str, mut params: Value) -> Resp {
    if let Some(m) = params.as_object_mut() {
        m.insert("auth".into(), json!(auth));
    }
    post_json(addr, &format!("/rest/{method}.json"), &params).await
}

pub async fn state(addr: SocketAddr) -> Value {
    get(addr, "/_emulator/state").await.json()
}

pub async fn draft(addr: SocketAddr, id: u64) -> String {
    let s = state(addr).await;
    s["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == json!(id))
        .map(|b| b["content"].as_str().unwrap().to_string())
        .expect("block in state")
}

/// Attributes of every element matching `selector`, in document order.
pub fn attrs_of(html: &str, selector: &str) -> Vec<BTreeMap<String, String>> {
    let out = RefCell::new(Vec::new());
    let sel: Selector = selector.parse().unwrap();
    let settings = RewriteStrSettings::new().append_element_content_handler((
        Cow::Owned(sel),
        ElementContentHandlers::default().element(|el: &mut Element<'_, '_>| -> HandlerResult {
            out.borrow_mut().push(
                el.attributes()
                    .iter()
                    .map(|a| (a.name(), a.value()))
                    .collect::<BTreeMap<_, _>>(),
            );
            Ok(())
        }),
    ));
    rewrite_str(html, settings).unwrap();
    out.into_inner()
}

/// Raw inner text (markup stripped, entities kept) of every element matching `selector`.
pub fn texts_of(html: &str, selector: &str) -> Vec<String> {
    let out: RefCell<Vec<String>> = RefCell::new(Vec::new());
    let sel: Selector = selector.parse().unwrap();
    let settings = RewriteStrSettings::new().append_element_content_handler((
        Cow::Owned(sel),
        ElementContentHandlers::default()
            .element(|_el: &mut Element<'_, '_>| -> HandlerResult {
                out.borrow_mut().push(String::new());
                Ok(())
            })
            .text(|t: &mut TextChunk<'_>| -> HandlerResult {
                if let Some(last) = out.borrow_mut().last_mut() {
                    last.push_str(t.as_str());
                }
                Ok(())
            }),
    ));
    rewrite_str(html, settings).unwrap();
    out.into_inner()
        .into_iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

pub fn fixture(code: &str) -> (Value, String) {
    let seed = emulator::store::embedded_seed().unwrap();
    let b = seed.into_iter().find(|s| s.code == code).expect("fixture");
    (b.manifest, b.content)
}
