//! `/rest/<method>.json` and `/rest/<method>`: body parsing, auth, rate limit, injected
//! faults, `batch`, CORS and the portal's answer envelope.

use crate::app::{json_response, text_response, AppState, ConnCtl};
use crate::methods::{self, ApiError, Success};
use crate::store::{AuthError, RestLogEntry};
use crate::{faults::FaultKind, phpform, timefmt};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, Response};
use axum::routing::any;
use axum::Router;
use serde_json::{json, Map, Value};
use std::time::Duration;

/// Fits a 10 MiB picture in base64 (`uploads::MAX_UPLOAD_BYTES`) with room to spare.
const BODY_LIMIT: usize = 16 * 1024 * 1024;
pub const BATCH_MAX: usize = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rest", any(rest_entry))
        .route("/rest/", any(rest_entry))
        .route("/rest/{*method}", any(rest_entry))
}

/// The portal's CORS answer: any origin, but only these headers (so no token in a header).
fn with_cors(mut r: Response<Body>) -> Response<Body> {
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("origin, content-type, accept"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST, GET, OPTIONS"),
    );
    r
}

fn error_response(e: &ApiError) -> Response<Body> {
    with_cors(json_response(e.status, &e.to_json()))
}

/// The `time` block of every answer.
pub fn time_json(start: f64, finish: f64) -> Value {
    let duration = (finish - start).max(0.0);
    json!({
        "start": start,
        "finish": finish,
        "duration": duration,
        "processing": duration,
        "date_start": timefmt::rfc3339(start),
        "date_finish": timefmt::rfc3339(finish),
        "operating_reset_at": (start as u64) + 600,
        "operating": 0,
    })
}

/// `landing.block.getlist.json` → `landing.block.getlist`.
fn method_from_path(path: &str) -> String {
    let m = path.trim_start_matches('/');
    let m = m.strip_prefix("rest").unwrap_or(m).trim_matches('/');
    let m = m.strip_suffix(".json").unwrap_or(m);
    phpform::percent_decode(m).trim().to_ascii_lowercase()
}

/// Query string first, then the body on top (JSON or form-encoded), like PHP's `$_REQUEST`.
pub fn parse_params(
    query: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    let mut params = query.map(phpform::parse).unwrap_or_default();
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(params);
    }
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let is_form = ct.contains("application/x-www-form-urlencoded");
    let is_json = ct.contains("json") || (!is_form && trimmed.starts_with('{'));
    let body_params = if is_json {
        match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Object(m)) => m,
            Ok(_) => {
                return Err(ApiError::new(
                    400,
                    "INVALID_REQUEST",
                    "The JSON body must be an object.",
                ))
            }
            Err(_) => {
                return Err(ApiError::new(
                    400,
                    "INVALID_REQUEST",
                    "The body is not valid JSON.",
                ))
            }
        }
    } else {
        phpform::parse(trimmed)
    };
    for (k, v) in body_params {
        params.insert(k, v);
    }
    Ok(params)
}

fn empty_as_list(m: Map<String, Value>) -> Value {
    // PHP encodes an empty array as [], and the portal's batch does exactly that.
    if m.is_empty() {
        Value::Array(Vec::new())
    } else {
        Value::Object(m)
    }
}

/// Runs a `batch`: each command is `method?query`, so every parameter is a string.
pub fn run_batch(
    store: &mut crate::store::Store,
    p: &Map<String, Value>,
) -> Result<Success, ApiError> {
    run_batch_failing(store, p, FailCommand::None)
}

/// Which command of a batch a fault makes answer 500 instead of running.
#[derive(Clone, Copy, PartialEq)]
enum FailCommand {
    None,
    First,
    Last,
}

/// [`run_batch`], with one command answering 500 instead of running (a fault).
fn run_batch_failing(
    store: &mut crate::store::Store,
    p: &Map<String, Value>,
    fail: FailCommand,
) -> Result<Success, ApiError> {
    let cmds: Vec<(String, Value)> = match p.get("cmd") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        Some(Value::String(s)) if s.is_empty() => Vec::new(),
        Some(_) => {
            return Err(ApiError::new(
                400,
                "INVALID_REQUEST",
                "Parameter \"cmd\" must be an object.",
            ))
        }
    };
    if cmds.len() > BATCH_MAX {
        return Err(ApiError::new(
            400,
            "ERROR_BATCH_LENGTH_EXCEEDED",
            format!("Max batch length exceeded ({BATCH_MAX})."),
        ));
    }
    let halt = methods::php_truthy(p.get("halt"));
    let mut results = Map::new();
    let mut errors = Map::new();
    let mut totals = Map::new();
    let mut times = Map::new();
    let mut any_change = false;
    let last = cmds.len().saturating_sub(1);
    for (i, (key, cmd)) in cmds.into_iter().enumerate() {
        let start = timefmt::now_secs();
        let failing = match fail {
            FailCommand::None => false,
            FailCommand::First => i == 0,
            FailCommand::Last => i == last,
        };
        let outcome = match cmd.as_str() {
            _ if failing => Err(ApiError::new(
                500,
                "INTERNAL_SERVER_ERROR",
                "Internal server error (injected)",
            )),
            None => Err(ApiError::new(
                400,
                "INVALID_REQUEST",
                "A batch command must be a string \"method?params\".",
            )),
            Some(line) => {
                let (m, q) = line.split_once('?').unwrap_or((line, ""));
                let m = m.trim().trim_end_matches(".json").to_ascii_lowercase();
                if m == "batch" {
                    Err(ApiError::new(
                        400,
                        "ERROR_BATCH_METHOD_NOT_ALLOWED",
                        "Method is not allowed for batch usage.",
                    ))
                } else {
                    let params = crate::batch_ref::resolve(phpform::parse(q), &results);
                    methods::call(store, &m, &params)
                }
            }
        };
        match outcome {
            Ok(s) => {
                any_change |= s.changed;
                if let Some(t) = s.total {
                    totals.insert(key.clone(), json!(t));
                }
                results.insert(key.clone(), s.result);
                times.insert(key, time_json(start, timefmt::now_secs()));
            }
            Err(e) => {
                errors.insert(key, e.to_json());
                if halt {
                    break;
                }
            }
        }
    }
    Ok(Success {
        result: json!({
            "result": empty_as_list(results),
            "result_error": empty_as_list(errors),
            "result_total": empty_as_list(totals),
            "result_next": [],
            "result_time": empty_as_list(times),
        }),
        total: None,
        changed: any_change,
    })
}

fn log(app: &AppState, method: &str, status: u16, error: Option<&str>) {
    app.lock().push_rest_log(RestLogEntry {
        method: method.to_string(),
        status,
        error: error.map(str::to_string),
    });
}

async fn rest_entry(State(app): State<AppState>, req: Request) -> Response<Body> {
    if req.method() == Method::OPTIONS {
        let delay = {
            let mut store = app.lock();
            store.rest_preflights += 1;
            store.faults.preflight_latency_ms.unwrap_or(0)
        };
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        return with_cors(text_response(
            200,
            "text/plain; charset=utf-8",
            String::new(),
        ));
    }
    let method = method_from_path(req.uri().path());
    let ctl = req.extensions().get::<ConnCtl>().cloned();

    let latency = app.lock().latency_ms();
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }

    let fault = app.lock().faults.take_rest_fault_delay(&method);
    if let Some((FaultKind::Slow, delay)) = fault {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let fault = fault.map(|(kind, _)| kind);
    let applied_error = fault == Some(FaultKind::IncorrectAffected);
    let fail_command = match fault {
        Some(FaultKind::BatchCommandError) if method == "batch" => FailCommand::First,
        Some(FaultKind::BatchLastCommandError) if method == "batch" => FailCommand::Last,
        Some(FaultKind::IncorrectAffected | FaultKind::Slow) => FailCommand::None,
        Some(kind) => return fault_response(&app, &method, kind, ctl).await,
        None => FailCommand::None,
    };

    let query = req.uri().query().map(str::to_string);
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = match to_bytes(req.into_body(), BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            let e = ApiError::new(
                400,
                "INVALID_REQUEST",
                "The request body could not be read.",
            );
            log(&app, &method, e.status, Some(&e.code));
            return error_response(&e);
        }
    };
    let start = timefmt::now_secs();
    let outcome = match parse_params(query.as_deref(), content_type.as_deref(), &body) {
        Err(e) => Err(e),
        Ok(params) => {
            let mut store = app.lock();
            let result = authorize(&mut store, &params).and_then(|()| {
                if method == "batch" {
                    run_batch_failing(&mut store, &params, fail_command)
                } else if method.is_empty() || !methods::METHODS.contains(&method.as_str()) {
                    Err(ApiError::method_not_found())
                } else {
                    methods::call(&mut store, &method, &params)
                }
            });
            if let Ok(s) = &result {
                if s.changed {
                    store.persist_or_warn();
                }
            }
            result
        }
    };
    let outcome = match outcome {
        Ok(_) if applied_error => Err(ApiError::new(
            400,
            "INCORRECT_AFFECTED",
            "The changes could not be verified (injected; they were saved).",
        )),
        other => other,
    };
    match outcome {
        Ok(s) => {
            log(&app, &method, 200, None);
            let mut body = Map::new();
            body.insert("result".into(), s.result);
            if let Some(total) = s.total {
                body.insert("total".into(), json!(total));
            }
            body.insert("time".into(), time_json(start, timefmt::now_secs()));
            with_cors(json_response(200, &Value::Object(body)))
        }
        Err(e) => {
            log(&app, &method, e.status, Some(&e.code));
            error_response(&e)
        }
    }
}

/// Token check then rate limit, the order the portal uses.
fn authorize(store: &mut crate::store::Store, params: &Map<String, Value>) -> Result<(), ApiError> {
    let auth = match params.get("auth") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => {
            return Err(ApiError::new(
                401,
                "NO_AUTH_FOUND",
                "Wrong authorization data",
            ))
        }
    };
    let member = match store.check_token(&auth, timefmt::now_millis()) {
        Ok(t) => t.member_id.clone(),
        Err(AuthError::Expired) => {
            return Err(ApiError::new(
                401,
                "expired_token",
                "The access token provided has expired.",
            ))
        }
        Err(AuthError::Invalid) => {
            return Err(ApiError::new(
                401,
                "invalid_token",
                "The access token provided is invalid.",
            ))
        }
    };
    if !store.admit(&member) {
        return Err(ApiError::new(
            503,
            "QUERY_LIMIT_EXCEEDED",
            "Too many requests",
        ));
    }
    Ok(())
}

async fn fault_response(
    app: &AppState,
    method: &str,
    kind: FaultKind,
    ctl: Option<ConnCtl>,
) -> Response<Body> {
    let err = |status, code: &str, d: &str| ApiError::new(status, code, d);
    let e = match kind {
        FaultKind::Http500 => err(500, "INTERNAL_SERVER_ERROR", "Internal server error"),
        FaultKind::Http503 => err(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"),
        FaultKind::Overload => err(503, "OVERLOAD_LIMIT", "The portal is overloaded"),
        FaultKind::BatchCommandError
        | FaultKind::BatchLastCommandError
        | FaultKind::IncorrectAffected
        | FaultKind::Slow => err(500, "INTERNAL_SERVER_ERROR", "Internal server error"),
        FaultKind::ExpiredToken => err(
            401,
            "expired_token",
            "The access token provided has expired.",
        ),
        FaultKind::AccessDenied => err(403, "ACCESS_DENIED", "Access denied."),
        FaultKind::MalformedJson => {
            log(app, method, 200, Some("malformed_json"));
            return with_cors(text_response(
                200,
                "application/json; charset=utf-8",
                "{\"result\":{\"id\":101,\"content\":\"<sect".to_string(),
            ));
        }
        FaultKind::Drop => {
            log(app, method, 0, Some("drop"));
            match ctl {
                Some(ctl) => {
                    // The accept loop drops the connection; this future is dropped with it.
                    ctl.kill.notify_one();
                    return std::future::pending::<Response<Body>>().await;
                }
                None => err(
                    500,
                    "INTERNAL_SERVER_ERROR",
                    "connection drop not available",
                ),
            }
        }
    };
    log(app, method, e.status, Some(&e.code));
    error_response(&e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_from_paths() {
        assert_eq!(
            method_from_path("/rest/landing.block.getList.json"),
            "landing.block.getlist"
        );
        assert_eq!(method_from_path("/rest/batch"), "batch");
        assert_eq!(method_from_path("/rest/"), "");
    }

    #[test]
    fn params_merge_query_and_bodies() {
        let p = parse_params(
            Some("auth=q&lid=1"),
            Some("application/json"),
            br#"{"lid": 2, "params": {"edit_mode": 1}}"#,
        )
        .unwrap();
        assert_eq!(
            Value::Object(p),
            json!({"auth": "q", "lid": 2, "params": {"edit_mode": 1}})
        );
        let p = parse_params(
            None,
            Some("application/x-www-form-urlencoded"),
            b"auth=a&data%5B.x%400%5D%5Bsrc%5D=s",
        )
        .unwrap();
        assert_eq!(
            Value::Object(p),
            json!({"auth": "a", "data": {".x@0": {"src": "s"}}})
        );
        assert_eq!(
            parse_params(None, Some("application/json"), b"{oops")
                .unwrap_err()
                .code,
            "INVALID_REQUEST"
        );
    }
}
