//! State shared by all handlers, the per-connection context, and response helpers.

use crate::store::Store;
use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;

pub struct Shared {
    pub store: Mutex<Store>,
    /// Where the editor (page, REST, control) really listens.
    pub editor_addr: SocketAddr,
    /// Where the app host really listens, when started.
    pub app_addr: Option<SocketAddr>,
}

impl Shared {
    /// The store; a handler that panicked while holding the lock does not poison the emulator.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub type AppState = Arc<Shared>;

/// Inserted into every request by the accept loop: who is calling, and a switch that closes
/// the connection without an answer (the `drop` fault).
#[derive(Clone)]
pub struct ConnCtl {
    pub peer: SocketAddr,
    pub kill: Arc<Notify>,
}

pub fn json_response(status: u16, body: &Value) -> Response<Body> {
    text_response(status, "application/json; charset=utf-8", body.to_string())
}

pub fn text_response(status: u16, content_type: &str, body: String) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
