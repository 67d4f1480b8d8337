//! `/_emulator/*`: the control endpoint for tests and the dev script, and the helpers the
//! editor page calls (open, refresh-auth, block, log). Loopback peers only.

use crate::app::{json_response, AppState, ConnCtl};
use crate::faults::{Faults, FaultsPatch};
use crate::methods;
use crate::store::FrameLogEntry;
use crate::{cli, ids};
use axum::body::{to_bytes, Body};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, Response};
use axum::middleware::{self, Next};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

const BODY_LIMIT: usize = 1024 * 1024;

/// Bitrix24 language codes offered by the page's language switch.
pub const LANGS: [&str; 8] = ["en", "ru", "de", "la", "br", "pl", "fr", "ua"];

/// The `URI` the portal puts in `PLACEMENT_OPTIONS` for the page being edited.
pub fn page_uri(site_id: u64, lid: u64) -> String {
    format!("/sites/site/{site_id}/view/{lid}/")
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_emulator/state", get(state))
        .route(
            "/_emulator/faults",
            get(faults_get).post(faults_post).delete(faults_delete),
        )
        .route("/_emulator/access", post(access))
        .route("/_emulator/user", post(user))
        .route("/_emulator/menu/{id}", get(menu))
        .route("/_emulator/bind", post(bind))
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/expire-tokens", post(expire_tokens))
        .route("/_emulator/publish", post(publish))
        .route("/_emulator/open", post(open))
        .route("/_emulator/refresh-auth", post(refresh_auth))
        .route("/_emulator/block/{id}", get(block))
        .route("/_emulator/log", post(frame_log))
        .route_layer(middleware::from_fn(loopback_only))
}

async fn loopback_only(req: Request, next: Next) -> Response<Body> {
    let local = req
        .extensions()
        .get::<ConnCtl>()
        .is_some_and(|c| c.peer.ip().is_loopback() || c.peer.ip().to_canonical().is_loopback());
    if !local {
        return bad(403, "the control endpoint answers loopback peers only");
    }
    next.run(req).await
}

fn bad(status: u16, msg: &str) -> Response<Body> {
    json_response(status, &json!({"error": msg}))
}

async fn read_json(req: Request) -> Result<Value, Response<Body>> {
    let bytes = to_bytes(req.into_body(), BODY_LIMIT)
        .await
        .map_err(|_| bad(400, "cannot read the body"))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(&bytes).map_err(|e| bad(400, &format!("body is not JSON: {e}")))
}

fn id_of(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

async fn state(State(app): State<AppState>) -> Response<Body> {
    json_response(200, &app.lock().state_json())
}

fn faults_json(f: &Faults) -> Value {
    serde_json::to_value(f).unwrap_or(Value::Null)
}

async fn faults_get(State(app): State<AppState>) -> Response<Body> {
    json_response(200, &faults_json(&app.lock().faults))
}

async fn faults_post(State(app): State<AppState>, req: Request) -> Response<Body> {
    let v = match read_json(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let patch: FaultsPatch = match serde_json::from_value(v) {
        Ok(p) => p,
        Err(e) => return bad(400, &format!("bad faults: {e}")),
    };
    let bucket_changed = patch.bucket.is_some();
    let mut store = app.lock();
    if let Err(e) = store.faults.apply(patch) {
        return bad(400, &e);
    }
    if bucket_changed {
        store.reset_buckets();
    }
    json_response(200, &faults_json(&store.faults))
}

async fn faults_delete(State(app): State<AppState>) -> Response<Body> {
    let mut store = app.lock();
    store.faults = Faults::default();
    store.reset_buckets();
    json_response(200, &faults_json(&store.faults))
}

async fn access(State(app): State<AppState>, req: Request) -> Response<Body> {
    let v = match read_json(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(level) = cli::parse_access(str_of(&v, "level")) else {
        return bad(400, "level must be one of X W V D A");
    };
    let mut store = app.lock();
    store.access = level;
    store.persist_or_warn();
    json_response(200, &json!({"level": level.to_string()}))
}

/// `{admin: bool}`: whether the current user is a portal administrator.
async fn user(State(app): State<AppState>, req: Request) -> Response<Body> {
    let v = match read_json(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(admin) = v.get("admin").and_then(Value::as_bool) else {
        return bad(400, "admin must be true or false");
    };
    let mut store = app.lock();
    store.is_admin = admin;
    store.persist_or_warn();
    json_response(200, &json!({"admin": admin}))
}

/// The More menu of one block as the portal would list it now.
async fn menu(State(app): State<AppState>, Path(id): Path<String>) -> Response<Body> {
    let Some(id) = id_of(Some(&Value::String(id))) else {
        return bad(400, "bad block id");
    };
    let store = app.lock();
    let Some(b) = store.block(id) else {
        return bad(404, "no such block");
    };
    let items: Vec<Value> = store
        .menu_items(&b.code)
        .into_iter()
        .map(|bind| json!({"placement": bind.placement, "handler": bind.handler, "title": bind.title}))
        .collect();
    json_response(200, &json!({"items": items}))
}

async fn bind(State(app): State<AppState>, req: Request) -> Response<Body> {
    let v = match read_json(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut store = app.lock();
    if let Err(e) = methods::add_binding(
        &mut store,
        str_of(&v, "placement"),
        str_of(&v, "handler"),
        str_of(&v, "title"),
    ) {
        return json_response(e.status, &e.to_json());
    }
    store.persist_or_warn();
    json_response(200, &json!({"bindings": store.bindings}))
}

async fn reset(State(app): State<AppState>) -> Response<Body> {
    let mut store = app.lock();
    store.reset();
    store.persist_or_warn();
    json_response(200, &json!({"ok": true}))
}

async fn expire_tokens(State(app): State<AppState>) -> Response<Body> {
    let mut store = app.lock();
    store.expire_all_tokens();
    store.persist_or_warn();
    json_response(200, &json!({"ok": true}))
}

/// Publishes the page: drafts become the published content and plain reads see it.
async fn publish(State(app): State<AppState>) -> Response<Body> {
    let mut store = app.lock();
    for b in &mut store.blocks {
        b.published = b.draft.clone();
    }
    store.page_published = true;
    store.persist_or_warn();
    json_response(200, &json!({"ok": true}))
}

/// `host:port` the page was loaded from (what the portal calls DOMAIN), if it looks sane.
fn request_host(headers: &HeaderMap) -> Option<String> {
    let h = headers.get(header::HOST)?.to_str().ok()?.trim();
    let sane = !h.is_empty()
        && h.len() < 256
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'));
    sane.then(|| h.to_string())
}

/// Opens an app in the slider: a fresh APP_SID and token, and everything the page needs to
/// POST the handler form and to answer `getInitData`.
async fn open(State(app): State<AppState>, req: Request) -> Response<Body> {
    let host = request_host(req.headers()).unwrap_or_else(|| app.editor_addr.to_string());
    let v = match read_json(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if v.get("app").and_then(Value::as_bool) == Some(true) {
        return open_app_page(&app, &host, &v);
    }
    let Some(block_id) = id_of(v.get("block")) else {
        return bad(400, "block must be a block id");
    };
    let handler = str_of(&v, "handler").to_string();
    let wanted_placement = str_of(&v, "placement").to_string();
    let lang = str_of(&v, "lang");
    let lang = if LANGS.contains(&lang) { lang } else { "en" };

    let mut store = app.lock();
    let Some(block) = store.block(block_id).cloned() else {
        return bad(404, "no such block on the page");
    };
    let Some(binding) = store
        .bindings
        .iter()
        .find(|b| {
            b.matches_block(&block.code)
                && b.handler == handler
                && (wanted_placement.is_empty()
                    || b.placement.eq_ignore_ascii_case(&wanted_placement))
        })
        .cloned()
    else {
        return bad(404, "no app with that handler is bound to this block");
    };
    let options = json!({
        "ID": block.id.to_string(),
        "CODE": block.code,
        "LID": store.lid.to_string(),
        "URI": page_uri(crate::store::SITE_ID, store.lid),
    });
    // The portal may send the code part of PLACEMENT in lower case in the POST.
    let placement_post = format!(
        "{}{}",
        crate::store::PLACEMENT_PREFIX,
        binding.suffix().to_lowercase()
    );
    let opening = Opening {
        handler: binding.handler.clone(),
        title: binding.title.clone(),
        placement: binding.placement.to_ascii_uppercase(),
        placement_post,
        options,
        first_run: false,
    };
    opened(&mut store, &host, lang, opening)
}

/// What one opening of the app hands to the page, besides the fresh session.
struct Opening {
    handler: String,
    title: String,
    placement: String,
    placement_post: String,
    options: Value,
    first_run: bool,
}

/// A fresh APP_SID and token for an opening, and the fields the page POSTs and answers
/// `getInitData` with.
fn opened(
    store: &mut crate::store::Store,
    host: &str,
    lang: &str,
    opening: Opening,
) -> Response<Body> {
    let app_sid = ids::hex(32);
    let token = store.issue_token(&app_sid);
    store.persist_or_warn();
    json_response(
        200,
        &json!({
            "app_sid": app_sid,
            "auth_id": token.auth_id,
            "refresh_id": token.refresh_id,
            "auth_expires": store.token_lifetime_secs(),
            "member_id": token.member_id,
            "domain": host,
            "protocol": 0,
            "lang": lang,
            "status": "L",
            "handler": opening.handler,
            "title": opening.title,
            "placement": opening.placement,
            "placement_post": opening.placement_post,
            "placement_options": opening.options.to_string(),
            "placement_options_obj": opening.options,
            "application_scope": APPLICATION_SCOPE,
            "refresh_block": store.faults.refresh_block,
            "is_admin": store.is_admin,
            "first_run": opening.first_run,
            "install": !store.install_finished,
            "app_options": store.app_options,
        }),
    )
}

/// Scopes the app was registered with.
const APPLICATION_SCOPE: &str = "landing,placement";

/// Opens the app's own page from the application list (`PLACEMENT=DEFAULT`). The first
/// opening after the app was added is its first run; until the app finishes the
/// installation every opening says `INSTALL`.
fn open_app_page(app: &AppState, host: &str, v: &Value) -> Response<Body> {
    let lang = str_of(v, "lang");
    let lang = if LANGS.contains(&lang) { lang } else { "en" };
    let mut store = app.lock();
    let first_run = std::mem::take(&mut store.first_run_pending);
    let entry = store.app().clone();
    let opening = Opening {
        handler: entry.handler,
        title: entry.title,
        placement: "DEFAULT".into(),
        placement_post: "DEFAULT".into(),
        options: json!({}),
        first_run,
    };
    opened(&mut store, host, lang, opening)
}

async fn refresh_auth(State(app): State<AppState>, req: Request) -> Response<Body> {
    let v = match read_json(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let sid = str_of(&v, "app_sid");
    let refresh = v.get("refresh_id").and_then(Value::as_str);
    let mut store = app.lock();
    if store.faults.refresh_auth == crate::faults::Reply::Ignore {
        // The page then leaves refreshAuth unanswered.
        return bad(503, "refreshAuth is not answered (fault)");
    }
    match store.refresh_token(sid, refresh) {
        Ok(t) => {
            store.persist_or_warn();
            json_response(
                200,
                &json!({
                    "auth_id": t.auth_id,
                    "refresh_id": t.refresh_id,
                    "auth_expires": store.token_lifetime_secs(),
                    "member_id": t.member_id,
                }),
            )
        }
        Err(e) => bad(400, &e),
    }
}

async fn block(State(app): State<AppState>, Path(id): Path<String>) -> Response<Body> {
    let Some(id) = id_of(Some(&Value::String(id))) else {
        return bad(400, "bad block id");
    };
    let store = app.lock();
    let Some(b) = store.block(id) else {
        return bad(404, "no such block");
    };
    json_response(
        200,
        &json!({
            "id": b.id,
            "code": b.code,
            "content": b.draft,
            "refresh_block": store.faults.refresh_block,
        }),
    )
}

async fn frame_log(State(app): State<AppState>, req: Request) -> Response<Body> {
    let v = match read_json(req).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let command = str_of(&v, "command").chars().take(200).collect::<String>();
    if command.is_empty() {
        return bad(400, "command is required");
    }
    let mut store = app.lock();
    if command == "setInstallFinish" {
        store.install_finished = true;
        store.persist_or_warn();
    }
    store.push_frame_log(FrameLogEntry {
        command,
        params: v.get("params").cloned().unwrap_or(Value::Null),
        app_sid: str_of(&v, "app_sid").to_string(),
    });
    json_response(200, &json!({"ok": true}))
}
