//! The Bitrix24 REST envelope: typed errors, answer parsing, batch encoding and the retry
//! policy. Pure: the bridge does the HTTP and hands status + body text to these functions.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, MapDeserializer};
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::form::{to_form, to_query};
use super::loose::{serialize_entries, Loose, Obj, PhpMap};

/// Give up on a REST call after this long (the portal itself cuts requests at 60 s).
pub const REQUEST_TIMEOUT_MS: u32 = 30_000;
/// Most commands one `batch` call may carry.
pub const MAX_BATCH: usize = 50;
/// Refresh the token when less than this much of its life remains.
pub const TOKEN_REFRESH_MARGIN_MS: f64 = 5.0 * 60.0 * 1000.0;
/// Portal error descriptions are cut to this many chars when displayed.
const MAX_DESCRIPTION_CHARS: usize = 300;
/// Longest piece of a malformed answer kept in `BadResponse`.
const MAX_DETAIL_CHARS: usize = 200;

/// What went wrong with a REST call. Known portal codes have their own variant; the rest
/// keep code and description in `Portal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestError {
    /// 401 `expired_token`: refresh through the frame and retry once.
    ExpiredToken,
    /// 401 `NO_AUTH_FOUND`.
    NoAuthFound,
    /// 403 `insufficient_scope`.
    InsufficientScope,
    /// 403 `ACCESS_DENIED`.
    AccessDenied,
    /// 400 `INVALID_REQUEST` (e.g. "Https required"); also a batch this module refuses.
    InvalidRequest,
    /// 503 `QUERY_LIMIT_EXCEEDED`.
    QueryLimitExceeded,
    /// 503 `OVERLOAD_LIMIT`.
    OverloadLimit,
    /// 429 `OPERATION_TIME_LIMIT`.
    OperationTimeLimit,
    /// 500 `INTERNAL_SERVER_ERROR`, or a bare 500.
    InternalServerError,
    BlockNotFound,
    LandingNotExist,
    NodesNotFound,
    MissingParams,
    TypeError,
    /// Any other portal error code.
    Portal {
        code: String,
        description: String,
    },
    /// An HTTP failure without a portal error body.
    Http(u16),
    /// The request did not complete (network, CORS, aborted).
    Transport,
    /// No answer within [`REQUEST_TIMEOUT_MS`].
    Timeout,
    /// An answer that is not a REST envelope of the expected shape.
    BadResponse(String),
}

impl RestError {
    /// Maps a portal error code. Codes are compared ASCII-case-insensitively: the portal spells
    /// some in lower case (`expired_token`, `insufficient_scope`) and others in upper case,
    /// and no two known codes differ only by case.
    pub fn from_code(code: &str, description: &str) -> RestError {
        let known = [
            ("expired_token", RestError::ExpiredToken),
            ("NO_AUTH_FOUND", RestError::NoAuthFound),
            ("insufficient_scope", RestError::InsufficientScope),
            ("ACCESS_DENIED", RestError::AccessDenied),
            ("INVALID_REQUEST", RestError::InvalidRequest),
            ("QUERY_LIMIT_EXCEEDED", RestError::QueryLimitExceeded),
            ("OVERLOAD_LIMIT", RestError::OverloadLimit),
            ("OPERATION_TIME_LIMIT", RestError::OperationTimeLimit),
            ("INTERNAL_SERVER_ERROR", RestError::InternalServerError),
            ("BLOCK_NOT_FOUND", RestError::BlockNotFound),
            ("LANDING_NOT_EXIST", RestError::LandingNotExist),
            ("NODES_NOT_FOUND", RestError::NodesNotFound),
            ("MISSING_PARAMS", RestError::MissingParams),
            ("TYPE_ERROR", RestError::TypeError),
        ];
        let code = code.trim();
        known
            .into_iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(code))
            .map(|(_, error)| error)
            .unwrap_or_else(|| RestError::Portal {
                code: code.to_string(),
                description: description.to_string(),
            })
    }

    /// The leaky bucket is full: wait and retry (see [`rate_limit_backoff_ms`]).
    pub fn is_rate_limit(&self) -> bool {
        matches!(
            self,
            RestError::QueryLimitExceeded | RestError::OverloadLimit
        )
    }

    /// Safe to offer the user a retry: rate limits, the 429 operation-time limit, server
    /// errors (5xx), transport failures and timeouts. Not auth, rights or data errors.
    pub fn is_retryable(&self) -> bool {
        match self {
            RestError::QueryLimitExceeded
            | RestError::OverloadLimit
            | RestError::OperationTimeLimit
            | RestError::InternalServerError
            | RestError::Transport
            | RestError::Timeout => true,
            RestError::Http(status) => *status == 429 || (500..=599).contains(status),
            _ => false,
        }
    }

    /// The token expired: refresh it through the frame (`refreshAuth`) and retry once.
    pub fn needs_token_refresh(&self) -> bool {
        matches!(self, RestError::ExpiredToken)
    }
}

impl fmt::Display for RestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestError::ExpiredToken => write!(f, "the access token has expired"),
            RestError::NoAuthFound => write!(f, "the portal did not accept the access token"),
            RestError::InsufficientScope => {
                write!(f, "the application lacks the required scope")
            }
            RestError::AccessDenied => write!(f, "access denied"),
            RestError::InvalidRequest => write!(f, "invalid request"),
            RestError::QueryLimitExceeded => write!(f, "too many requests (query limit)"),
            RestError::OverloadLimit => write!(f, "the portal is overloaded"),
            RestError::OperationTimeLimit => write!(f, "operation time limit exceeded"),
            RestError::InternalServerError => write!(f, "internal server error"),
            RestError::BlockNotFound => write!(f, "block not found"),
            RestError::LandingNotExist => write!(f, "page does not exist"),
            RestError::NodesNotFound => write!(f, "no nodes to update"),
            RestError::MissingParams => write!(f, "missing parameters"),
            RestError::TypeError => write!(f, "parameter type error"),
            RestError::Portal { code, description } => {
                let code = truncate_chars(code, MAX_DETAIL_CHARS);
                let description = truncate_chars(description, MAX_DESCRIPTION_CHARS);
                if description.is_empty() {
                    write!(f, "portal error {code}")
                } else {
                    write!(f, "portal error {code}: {description}")
                }
            }
            RestError::Http(status) => write!(f, "HTTP error {status}"),
            RestError::Transport => write!(f, "network error"),
            RestError::Timeout => write!(f, "the request timed out"),
            RestError::BadResponse(detail) => write!(
                f,
                "unexpected answer: {}",
                truncate_chars(detail, MAX_DETAIL_CHARS)
            ),
        }
    }
}

impl std::error::Error for RestError {}

/// How a request body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/x-www-form-urlencoded`, PHP style (see `core::form`).
    Form,
    Json,
}

impl BodyKind {
    pub fn content_type(self) -> &'static str {
        match self {
            BodyKind::Form => "application/x-www-form-urlencoded",
            BodyKind::Json => "application/json",
        }
    }
}

/// A REST call's body, token included.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestBody {
    pub kind: BodyKind,
    pub text: String,
}

/// A method's params plus `"auth": token`. The token goes only in the body, never in a URL
/// or header. `params` should have no `auth` of its own (the portal would read the last).
#[derive(Serialize)]
pub struct WithAuth<'a, P: Serialize> {
    #[serde(flatten)]
    pub params: &'a P,
    pub auth: &'a str,
}

/// The body as a form, when a form says exactly what JSON would: a form POST is a "simple"
/// cross-origin request, sent without a CORS preflight, so each call is one round trip
/// instead of two. `None` when it would not (an empty list or object, a null, a key with
/// brackets: a form has no way to say those); the caller then sends JSON.
pub fn form_body<P: Serialize>(body: &WithAuth<'_, P>) -> Option<RequestBody> {
    to_form(body).ok().map(|text| RequestBody {
        kind: BodyKind::Form,
        text,
    })
}

/// One command of a batch: its result comes back under `key`; `query` is its params
/// written as a query (see [`BatchCommand::new`]).
#[derive(Clone, Debug, PartialEq)]
pub struct BatchCommand {
    pub key: String,
    pub method: String,
    pub query: String,
}

impl BatchCommand {
    /// `params` (an object) written PHP style: booleans as `1`/`0`, null as an empty value,
    /// empty lists and objects left out (as PHP's `http_build_query`).
    pub fn new<P: Serialize + ?Sized>(key: &str, method: &str, params: &P) -> BatchCommand {
        BatchCommand {
            key: key.to_owned(),
            method: method.to_owned(),
            // Only a scalar at the top fails, which no caller passes: it reads as no params.
            query: to_query(params).unwrap_or_default(),
        }
    }
}

/// Params of a `batch` call: `{"halt": 0|1, "cmd": {key: "method?query"}}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BatchParams {
    pub halt: u8,
    #[serde(serialize_with = "serialize_entries")]
    pub cmd: Vec<(String, String)>,
}

/// Refused with `Err(RestError::InvalidRequest)` (nothing is sent) when there are no commands,
/// more than [`MAX_BATCH`], a duplicate key (the later one would silently replace the
/// earlier), or an empty key or method, or a method containing `?`/`&`.
pub fn batch_params(commands: &[BatchCommand], halt: bool) -> Result<BatchParams, RestError> {
    if commands.is_empty() || commands.len() > MAX_BATCH {
        return Err(RestError::InvalidRequest);
    }
    let mut cmd: Vec<(String, String)> = Vec::new();
    for command in commands {
        let method_ok =
            !command.method.is_empty() && !command.method.contains(['?', '&', '#', ' ']);
        if command.key.is_empty() || !method_ok || cmd.iter().any(|(k, _)| *k == command.key) {
            return Err(RestError::InvalidRequest);
        }
        let line = if command.query.is_empty() {
            command.method.clone()
        } else {
            format!("{}?{}", command.method, command.query)
        };
        cmd.push((command.key.clone(), line));
    }
    Ok(BatchParams {
        halt: u8::from(halt),
        cmd,
    })
}

/// A parsed batch answer.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchAnswer<T> {
    /// The commands' results.
    pub results: T,
    /// Failed commands from `result.result_error`, sorted by key.
    pub errors: Vec<(String, RestError)>,
}

// ---------------------------------------------------------------- answers, as they arrive

/// What every answer may hold: `{"error": code, "error_description": text}` (any types)
/// and, when it succeeded, `result` (kept as `R`, read later as the call's type).
#[derive(Deserialize)]
#[serde(bound(deserialize = "R: Deserialize<'de>"))]
pub struct EnvelopeHead<R> {
    #[serde(default)]
    pub error: Option<Loose>,
    #[serde(default)]
    pub error_description: Option<Loose>,
    #[serde(default, deserialize_with = "present")]
    pub result: Option<R>,
}

impl<R> EnvelopeHead<R> {
    pub fn error_fields(&self) -> ErrorFields {
        ErrorFields {
            error: self.error.clone(),
            error_description: self.error_description.clone(),
        }
    }
}

/// The error part of a batch command's entry; any types.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ErrorFields {
    #[serde(default)]
    pub error: Option<Loose>,
    #[serde(default)]
    pub error_description: Option<Loose>,
}

/// A key that is there, even with `null`, is `Some`.
fn present<'de, D: Deserializer<'de>, R: Deserialize<'de>>(d: D) -> Result<Option<R>, D::Error> {
    R::deserialize(d).map(Some)
}

/// A `batch` answer's `result`: the results (each kept as `R`) and the errors by command.
/// PHP encodes empty maps as `[]` and maps with keys 0..n as lists; both read as maps.
#[derive(Deserialize)]
#[serde(bound(deserialize = "R: Deserialize<'de>"))]
pub struct BatchHead<R> {
    #[serde(default)]
    pub result: Option<PhpMap<R>>,
    #[serde(default)]
    pub result_error: Option<PhpMap<Obj<ErrorFields>>>,
}

/// A `T` read from an object, where PHP's empty `[]` (or null) is the empty object.
pub struct EmptyAsMap<T>(pub T);

impl<'de, T: DeserializeOwned> Deserialize<'de> for EmptyAsMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<EmptyAsMap<T>, D::Error> {
        struct Shape<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for Shape<T> {
            type Value = EmptyAsMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EmptyAsMap<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(EmptyAsMap)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<EmptyAsMap<T>, A::Error> {
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(de::Error::custom("a list where a map was expected"));
                }
                self.visit_unit()
            }
            fn visit_unit<E: de::Error>(self) -> Result<EmptyAsMap<T>, E> {
                let empty = MapDeserializer::<_, E>::new(std::iter::empty::<(String, String)>());
                T::deserialize(empty).map(EmptyAsMap)
            }
        }
        d.deserialize_any(Shape(PhantomData))
    }
}

/// The error `fields` stand for; `None` when they hold none (no `error`, null or blank).
/// A code or description that is not a string is kept as its JSON text.
pub fn error_from_fields(fields: &ErrorFields) -> Option<RestError> {
    let code = match fields.error.as_ref()? {
        Loose::Null => return None,
        Loose::Text(s) if s.trim().is_empty() => return None,
        Loose::Text(s) => s.clone(),
        other => other.to_string(),
    };
    let description = match &fields.error_description {
        Some(Loose::Text(s)) => s.clone(),
        Some(Loose::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    Some(RestError::from_code(&code, &description))
}

/// The error for a status whose body is not a usable envelope.
pub fn status_error(status: u16) -> RestError {
    match status {
        0 => RestError::Transport,
        500 => RestError::InternalServerError,
        429 | 501..=599 => RestError::Http(status),
        200..=299 => RestError::BadResponse("the answer is not a JSON object".into()),
        _ => RestError::BadResponse(format!("HTTP {status} without a JSON error")),
    }
}

pub fn bad_shape(error: &str) -> RestError {
    RestError::BadResponse(truncate_chars(
        &format!("unexpected result shape: {error}"),
        MAX_DETAIL_CHARS,
    ))
}

/// Backoff before retrying after a rate limit: attempts 0, 1, 2 wait 700, 1500, 3000 ms
/// plus `jitter_ms` (capped at 300, spreading retries of several tabs); attempt 3 and later
/// give up (`None`).
pub fn rate_limit_backoff_ms(attempt: u32, jitter_ms: u32) -> Option<u32> {
    let base = match attempt {
        0 => 700,
        1 => 1500,
        2 => 3000,
        _ => return None,
    };
    Some(base + jitter_ms.min(300))
}

/// True when less than five minutes of the token's life remain (refresh before a call, not
/// after a failure). Non-finite inputs count as stale: refreshing is the safe side.
pub fn token_is_stale(obtained_at_ms: f64, expires_in_secs: u32, now_ms: f64) -> bool {
    if !obtained_at_ms.is_finite() || !now_ms.is_finite() {
        return true;
    }
    let expires_at = obtained_at_ms + f64::from(expires_in_secs) * 1000.0;
    expires_at - now_ms < TOKEN_REFRESH_MARGIN_MS
}

pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{batch_answer, envelope_result, parse_batch, parse_envelope};
    use crate::client::request_body;
    use crate::core::form::percent_encode;
    use crate::test_form::{body_value, decode_form};
    use serde_json::{json, Value};

    type Map = serde_json::Map<String, Value>;

    fn encode_query(params: &Value) -> String {
        to_query(params).unwrap_or_default()
    }

    /// `parse_batch` with the results left as JSON, in the answer's order (PHP's lists as
    /// keys "0", "1", ...).
    fn batch_map(status: u16, body: &str) -> Result<BatchAnswer<Vec<(String, Value)>>, RestError> {
        let answer = batch_answer(&envelope_result(status, body)?)?;
        Ok(BatchAnswer {
            results: answer
                .results
                .into_iter()
                .map(|(k, raw)| (k, raw.read().unwrap_or(Value::Null)))
                .collect(),
            errors: answer.errors,
        })
    }

    fn lookup<'a>(entries: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
        entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn err_of(status: u16, body: &str) -> RestError {
        match parse_envelope::<Value>(status, body) {
            Err(e) => e,
            Ok(v) => panic!("expected an error, got {v}"),
        }
    }

    fn error_body(code: &str, description: &str) -> String {
        json!({"error": code, "error_description": description}).to_string()
    }

    #[test]
    fn every_documented_code_maps_to_its_variant() {
        let cases = [
            (401, "expired_token", RestError::ExpiredToken),
            (401, "NO_AUTH_FOUND", RestError::NoAuthFound),
            (403, "insufficient_scope", RestError::InsufficientScope),
            (403, "ACCESS_DENIED", RestError::AccessDenied),
            (400, "INVALID_REQUEST", RestError::InvalidRequest),
            (503, "QUERY_LIMIT_EXCEEDED", RestError::QueryLimitExceeded),
            (503, "OVERLOAD_LIMIT", RestError::OverloadLimit),
            (429, "OPERATION_TIME_LIMIT", RestError::OperationTimeLimit),
            (500, "INTERNAL_SERVER_ERROR", RestError::InternalServerError),
            (400, "BLOCK_NOT_FOUND", RestError::BlockNotFound),
            (400, "LANDING_NOT_EXIST", RestError::LandingNotExist),
            (400, "NODES_NOT_FOUND", RestError::NodesNotFound),
            (400, "MISSING_PARAMS", RestError::MissingParams),
            (400, "TYPE_ERROR", RestError::TypeError),
        ];
        for (status, code, expected) in cases {
            assert_eq!(
                err_of(status, &error_body(code, "text")),
                expected,
                "{code}"
            );
            // Landing errors may also come with 200.
            assert_eq!(
                err_of(200, &error_body(code, "")),
                expected,
                "{code} at 200"
            );
            assert_eq!(RestError::from_code(code, "x"), expected);
        }
    }

    #[test]
    fn codes_are_case_insensitive_and_trimmed() {
        assert_eq!(
            RestError::from_code("EXPIRED_TOKEN", ""),
            RestError::ExpiredToken
        );
        assert_eq!(
            RestError::from_code("access_denied", ""),
            RestError::AccessDenied
        );
        assert_eq!(
            RestError::from_code(" BLOCK_NOT_FOUND ", ""),
            RestError::BlockNotFound
        );
    }

    #[test]
    fn unknown_codes_keep_code_and_description() {
        assert_eq!(
            err_of(
                400,
                &error_body("PLACEMENT_EXIST", "Placement already exists")
            ),
            RestError::Portal {
                code: "PLACEMENT_EXIST".into(),
                description: "Placement already exists".into()
            }
        );
        assert_eq!(
            err_of(400, r#"{"error":"SOME_CODE"}"#),
            RestError::Portal {
                code: "SOME_CODE".into(),
                description: String::new()
            }
        );
        // Non-string error codes are kept as their JSON text.
        assert_eq!(
            err_of(400, r#"{"error":42,"error_description":["a"]}"#),
            RestError::Portal {
                code: "42".into(),
                description: "[\"a\"]".into()
            }
        );
    }

    #[test]
    fn success_envelopes() {
        let ok: Result<bool, _> = parse_envelope(200, r#"{"result":true,"time":{"start":1}}"#);
        assert_eq!(ok, Ok(true));
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Block {
            id: String,
            content: String,
        }
        let ok: Result<Block, _> = parse_envelope(
            200,
            r#"{"result":{"id":"996","content":"<div>:</div>","css":[]},"time":{}}"#,
        );
        assert_eq!(
            ok,
            Ok(Block {
                id: "996".into(),
                content: "<div>:</div>".into()
            })
        );
        let list: Result<Vec<Value>, _> =
            parse_envelope(200, r#"{"result":[],"total":0,"time":{}}"#);
        assert_eq!(list, Ok(vec![]));
        let null: Result<Option<u32>, _> = parse_envelope(201, r#"{"result":null}"#);
        assert_eq!(null, Ok(None));
        // An "error" that is null or empty is not an error.
        let ok: Result<u8, _> = parse_envelope(200, r#"{"result":1,"error":null}"#);
        assert_eq!(ok, Ok(1));
        let ok: Result<u8, _> = parse_envelope(200, r#"{"result":1,"error":""}"#);
        assert_eq!(ok, Ok(1));
    }

    #[test]
    fn empty_php_array_where_an_object_is_expected() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Manifest {
            nodes: Map,
        }
        // A struct cannot read `[]`: that is a shape error, not a panic.
        let r: Result<Manifest, _> = parse_envelope(200, r#"{"result":[]}"#);
        assert!(matches!(r, Err(RestError::BadResponse(_))));
        let map: Result<Vec<Value>, _> = parse_envelope(200, r#"{"result":[]}"#);
        assert_eq!(map, Ok(vec![]));
    }

    #[test]
    fn shape_mismatch_is_bad_response() {
        let r: Result<u32, _> = parse_envelope(200, r#"{"result":"abc"}"#);
        match r {
            Err(RestError::BadResponse(detail)) => {
                assert!(detail.starts_with("unexpected result shape"), "{detail}");
                assert!(detail.chars().count() <= 200);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_json_and_html_pages() {
        let html = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";
        assert_eq!(err_of(502, html), RestError::Http(502));
        assert_eq!(err_of(503, html), RestError::Http(503));
        assert_eq!(err_of(504, ""), RestError::Http(504));
        assert_eq!(err_of(500, html), RestError::InternalServerError);
        assert_eq!(err_of(500, ""), RestError::InternalServerError);
        assert_eq!(err_of(429, html), RestError::Http(429));
        assert!(matches!(err_of(200, html), RestError::BadResponse(_)));
        assert!(matches!(err_of(200, ""), RestError::BadResponse(_)));
        assert!(matches!(
            err_of(200, r#"{"result":tru"#),
            RestError::BadResponse(_)
        ));
        assert!(matches!(err_of(200, "[1,2]"), RestError::BadResponse(_)));
        assert!(matches!(
            err_of(200, "\"result\""),
            RestError::BadResponse(_)
        ));
        assert!(matches!(err_of(404, html), RestError::BadResponse(_)));
        assert!(matches!(
            err_of(403, "Forbidden"),
            RestError::BadResponse(_)
        ));
        assert!(matches!(err_of(301, ""), RestError::BadResponse(_)));
        // JSON without result or error.
        assert!(matches!(
            err_of(200, r#"{"time":{}}"#),
            RestError::BadResponse(_)
        ));
        // A JSON body without "error" at a failure status goes by the status.
        assert_eq!(
            err_of(500, r#"{"result":1}"#),
            RestError::InternalServerError
        );
        assert_eq!(err_of(503, r#"{}"#), RestError::Http(503));
        assert!(matches!(err_of(400, r#"{}"#), RestError::BadResponse(_)));
        // A result at a failure status is not a success.
        assert!(matches!(
            err_of(404, r#"{"result":true}"#),
            RestError::BadResponse(_)
        ));
        // Status 0: the browser's opaque network failure.
        assert_eq!(err_of(0, ""), RestError::Transport);
    }

    #[test]
    fn classification() {
        assert!(RestError::QueryLimitExceeded.is_rate_limit());
        assert!(RestError::OverloadLimit.is_rate_limit());
        assert!(!RestError::OperationTimeLimit.is_rate_limit());
        assert!(!RestError::Http(503).is_rate_limit());
        for e in [
            RestError::QueryLimitExceeded,
            RestError::OverloadLimit,
            RestError::OperationTimeLimit,
            RestError::InternalServerError,
            RestError::Http(502),
            RestError::Http(599),
            RestError::Http(429),
            RestError::Transport,
            RestError::Timeout,
        ] {
            assert!(e.is_retryable(), "{e:?}");
        }
        for e in [
            RestError::ExpiredToken,
            RestError::NoAuthFound,
            RestError::InsufficientScope,
            RestError::AccessDenied,
            RestError::InvalidRequest,
            RestError::BlockNotFound,
            RestError::LandingNotExist,
            RestError::NodesNotFound,
            RestError::MissingParams,
            RestError::TypeError,
            RestError::Http(404),
            RestError::Http(400),
            RestError::BadResponse("x".into()),
            RestError::Portal {
                code: "X".into(),
                description: String::new(),
            },
        ] {
            assert!(!e.is_retryable(), "{e:?}");
        }
        assert!(RestError::ExpiredToken.needs_token_refresh());
        assert!(!RestError::NoAuthFound.needs_token_refresh());
    }

    #[test]
    fn display_is_english_and_bounded() {
        assert_eq!(RestError::AccessDenied.to_string(), "access denied");
        assert_eq!(RestError::Http(502).to_string(), "HTTP error 502");
        assert_eq!(
            RestError::Portal {
                code: "X".into(),
                description: "why".into()
            }
            .to_string(),
            "portal error X: why"
        );
        assert_eq!(
            RestError::Portal {
                code: "X".into(),
                description: String::new()
            }
            .to_string(),
            "portal error X"
        );
        let long = RestError::Portal {
            code: "X".into(),
            description: "é".repeat(1000),
        }
        .to_string();
        assert_eq!(long.chars().count(), "portal error X: ".len() + 300);
        let bad = RestError::BadResponse("z".repeat(1000)).to_string();
        assert_eq!(bad.chars().count(), "unexpected answer: ".len() + 200);
    }

    #[test]
    fn request_body_carries_the_token_only_in_the_body() {
        let body = request_body(
            &json!({"lid": 30, "block": 996, "auth": "spoofed"}),
            "TOKEN",
        );
        assert_eq!(body.kind, BodyKind::Form);
        assert_eq!(body.text, "lid=30&block=996&auth=TOKEN");
        assert_eq!(
            body_value(&body),
            json!({"lid": "30", "block": "996", "auth": "TOKEN"})
        );
        let quoted = request_body(&Value::Null, "T\"1&x=2");
        assert_eq!(body_value(&quoted), json!({"auth": "T\"1&x=2"}));
        assert_eq!(
            body_value(&request_body(&json!([1]), "T")),
            json!({"auth": "T"})
        );
    }

    #[test]
    fn bodies_a_form_cannot_say_go_as_json() {
        for params in [
            json!({"data": {".icon": []}}),
            json!({"data": {}}),
            json!({"x": null}),
            json!({"data": {"a[0]": "x"}}),
        ] {
            let body = request_body(&params, "T");
            assert_eq!(body.kind, BodyKind::Json, "{params}");
            let mut want = params.clone();
            want["auth"] = json!("T");
            assert_eq!(body_value(&body), want);
        }
    }

    #[test]
    fn forms_decode_to_what_was_encoded() {
        let params = json!({
            "lid": "30", "block": "996",
            "data": {
                ".landing-block-node-title@0": "<b>Über</b> & co = 100% +",
                ".landing-block-node-img": {"src": "https://x.example/a b.png", "alt": "", "src2x": ""},
                ".landing-block-node-icon@2": ["fa", "fa-star"],
                ".landing-block-node-link": {"text": "Go", "href": "/p?a=1&b=2", "target": "_blank"}
            },
            "fields": {"PLACEMENT": "LANDING_BLOCK_*", "TITLE": "Редактор"}
        });
        let body = request_body(&params, "T");
        assert_eq!(body.kind, BodyKind::Form);
        assert!(!body.text.contains(' '), "{}", body.text);
        let mut want = params.clone();
        want["auth"] = json!("T");
        assert_eq!(body_value(&body), want);
        // What PHP would read from hand-made forms.
        assert_eq!(
            decode_form("a=1+2&b[]=x&c=%zz"),
            json!({"a": "1 2", "b": {"": "x"}, "c": "%zz"})
        );
        assert_eq!(
            decode_form("a[0]=x&a[1]=y&b[1]=z"),
            json!({"a": ["x", "y"], "b": {"1": "z"}})
        );
        assert_eq!(decode_form(""), json!({}));
    }

    #[test]
    fn query_booleans_nulls_numbers() {
        assert_eq!(
            encode_query(&json!({"editMode": true, "params": {"wrapper_show": false}})),
            "editMode=1&params[wrapper_show]=0"
        );
        assert_eq!(
            encode_query(&json!({"lid": 30, "block": "996", "x": null,
                                "f": 1.5, "n": -2})),
            "lid=30&block=996&x=&f=1.5&n=-2"
        );
    }

    #[test]
    fn query_nested_and_arrays() {
        let params = json!({
            "lid": 3,
            "block": 7,
            "data": {
                ".landing-block-node-img@0": {"src": "https://cdn.x/a b.png", "alt": "A&B"},
                ".landing-block-node-icon": ["fa", "fa-star"],
                ".empty": [],
                ".none": {}
            }
        });
        assert_eq!(
            encode_query(&params),
            "lid=3&block=7\
             &data[.landing-block-node-img%400][src]=https%3A%2F%2Fcdn.x%2Fa%20b.png\
             &data[.landing-block-node-img%400][alt]=A%26B\
             &data[.landing-block-node-icon][0]=fa\
             &data[.landing-block-node-icon][1]=fa-star"
        );
        assert_eq!(
            encode_query(&json!({"m": [[1, 2], {"k": true}]})),
            "m[0][0]=1&m[0][1]=2&m[1][k]=1"
        );
        assert_eq!(encode_query(&json!(["a", "b"])), "0=a&1=b");
        assert_eq!(encode_query(&json!({})), "");
        assert_eq!(encode_query(&json!("x")), "");
        assert_eq!(encode_query(&Value::Null), "");
    }

    #[test]
    fn query_special_characters() {
        let encoded = encode_query(&json!({
            "t": "a&b=c d#e[f]g@h+i%j?k/l:m;n\"o'p*q~r._-s",
            "u": "Привет 日本 ✓",
            "k&=[ ]#": "v"
        }));
        assert_eq!(
            encoded,
            "t=a%26b%3Dc%20d%23e%5Bf%5Dg%40h%2Bi%25j%3Fk%2Fl%3Am%3Bn%22o%27p%2Aq~r._-s\
             &u=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82%20%E6%97%A5%E6%9C%AC%20%E2%9C%93\
             &k%26%3D%5B%20%5D%23=v"
        );
        // Nothing unencoded that would split or end the command string.
        for forbidden in [' ', '#', '+', '"'] {
            assert!(!encoded.contains(forbidden), "{forbidden}");
        }
        assert_eq!(percent_encode("\n\u{0}"), "%0A%00");
    }

    #[test]
    fn batch_params_shape() {
        let commands = vec![
            BatchCommand::new(
                "content",
                "landing.block.getcontent",
                &json!({"lid": 30, "block": 996, "editMode": true,
                               "params": {"wrapper_show": false}}),
            ),
            BatchCommand::new(
                "manifest",
                "landing.block.getmanifest",
                &json!({"lid": 30, "block": 996, "params": {"edit_mode": true},
                               "scope": "KNOWLEDGE"}),
            ),
            BatchCommand::new("bare", "app.info", &json!({})),
        ];
        assert_eq!(
            batch_params(&commands, true).map(|p| serde_json::to_value(p).unwrap_or_default()),
            Ok(json!({
                "halt": 1,
                "cmd": {
                    "content": "landing.block.getcontent?lid=30&block=996&editMode=1&params[wrapper_show]=0",
                    "manifest": "landing.block.getmanifest?lid=30&block=996&params[edit_mode]=1&scope=KNOWLEDGE",
                    "bare": "app.info"
                }
            }))
        );
        assert_eq!(batch_params(&commands[..1], false).map(|p| p.halt), Ok(0));
    }

    #[test]
    fn batch_params_refusals() {
        let one = |key: &str, method: &str| BatchCommand::new(key, method, &json!({}));
        assert_eq!(batch_params(&[], false), Err(RestError::InvalidRequest));
        let fifty: Vec<BatchCommand> = (0..MAX_BATCH)
            .map(|i| one(&format!("c{i}"), "app.info"))
            .collect();
        assert!(batch_params(&fifty, false).is_ok());
        let fifty_one: Vec<BatchCommand> = (0..=MAX_BATCH)
            .map(|i| one(&format!("c{i}"), "app.info"))
            .collect();
        assert_eq!(
            batch_params(&fifty_one, false),
            Err(RestError::InvalidRequest)
        );
        assert_eq!(
            batch_params(&[one("a", "x"), one("a", "y")], false),
            Err(RestError::InvalidRequest)
        );
        assert_eq!(
            batch_params(&[one("", "x")], false),
            Err(RestError::InvalidRequest)
        );
        for method in ["", "a?b=1", "a&b", "a b", "a#b"] {
            assert_eq!(
                batch_params(&[one("k", method)], false),
                Err(RestError::InvalidRequest),
                "{method:?}"
            );
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Pair {
        content: Option<Value>,
        manifest: Option<Value>,
    }

    #[test]
    fn batch_answer_with_results_and_errors() {
        let body = json!({
            "result": {
                "result": {"content": {"id": 996, "content": "<div></div>"}},
                "result_error": {"manifest": {"error": "BLOCK_NOT_FOUND", "error_description": "Block not found"}},
                "result_total": [],
                "result_next": [],
                "result_time": {}
            },
            "time": {}
        })
        .to_string();
        let answer: BatchAnswer<Pair> = match parse_batch(200, &body) {
            Ok(a) => a,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(
            answer.results,
            Pair {
                content: Some(json!({"id": 996, "content": "<div></div>"})),
                manifest: None
            }
        );
        assert_eq!(
            answer.errors,
            vec![("manifest".to_string(), RestError::BlockNotFound)]
        );
    }

    #[test]
    fn batch_answer_with_empty_php_arrays() {
        let body = r#"{"result":{"result":[],"result_error":[],"result_total":[],"result_next":[],"result_time":[]}}"#;
        let answer: Result<BatchAnswer<Pair>, _> = parse_batch(200, body);
        assert_eq!(
            answer,
            Ok(BatchAnswer {
                results: Pair {
                    content: None,
                    manifest: None
                },
                errors: vec![]
            })
        );
        // All commands failed: result is [] and errors are listed.
        let body = r#"{"result":{"result":[],"result_error":{"content":{"error":"ACCESS_DENIED","error_description":""},"manifest":{"error":"expired_token"}}}}"#;
        let answer: Result<BatchAnswer<Pair>, _> = parse_batch(200, body);
        assert_eq!(
            answer.map(|a| a.errors),
            Ok(vec![
                ("content".to_string(), RestError::AccessDenied),
                ("manifest".to_string(), RestError::ExpiredToken)
            ])
        );
        // result_error missing entirely is fine.
        let body = r#"{"result":{"result":{"content":true}}}"#;
        let answer: Result<BatchAnswer<Pair>, _> = parse_batch(200, body);
        assert_eq!(
            answer.map(|a| (a.results.content, a.errors.len())),
            Ok((Some(json!(true)), 0))
        );
    }

    #[test]
    fn batch_answer_with_list_keys() {
        // PHP turns a map with keys 0..n into a JSON list.
        let body = r#"{"result":{"result":["a","b"],"result_error":[{"error":"TYPE_ERROR"}]}}"#;
        let answer = match batch_map(200, body) {
            Ok(a) => a,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(lookup(&answer.results, "1"), Some(&json!("b")));
        assert_eq!(answer.errors, vec![("0".to_string(), RestError::TypeError)]);
    }

    #[test]
    fn a_batch_answer_with_100k_results_and_errors_in_reverse_order() {
        // 2.5 MiB: a list of results and an object of errors whose keys come in descending
        // order, each one sorting before all the earlier ones.
        let results = vec!["1"; 100_000].join(",");
        let errors: Vec<String> = (0..100_000)
            .rev()
            .map(|i| format!(r#""c{i:06}":{{"error":"ACCESS_DENIED"}}"#))
            .collect();
        let body = format!(
            r#"{{"result":{{"result":[{results}],"result_error":{{{}}}}}}}"#,
            errors.join(",")
        );
        // Not timed (numbers belong in benchmarks): sorting the errors by inserting each into
        // a sorted list, as this once did, kept it busy six times longer.
        let answer = match batch_map(200, &body) {
            Ok(a) => a,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(answer.results.len(), 100_000);
        assert_eq!(lookup(&answer.results, "99999"), Some(&json!(1)));
        assert_eq!(
            answer
                .results
                .iter()
                .map(|(k, _)| k.as_str())
                .take(3)
                .collect::<Vec<_>>(),
            ["0", "1", "2"]
        );
        assert_eq!(answer.errors.len(), 100_000);
        assert_eq!(
            answer.errors[0],
            ("c000000".into(), RestError::AccessDenied)
        );
        assert!(answer.errors.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn batch_errors() {
        type Answer = Result<BatchAnswer<Pair>, RestError>;
        let top: Answer = parse_batch(
            401,
            &error_body("expired_token", "The access token provided has expired."),
        );
        assert_eq!(top, Err(RestError::ExpiredToken));
        let limited: Answer = parse_batch(
            503,
            &error_body("QUERY_LIMIT_EXCEEDED", "Too many requests"),
        );
        assert_eq!(limited, Err(RestError::QueryLimitExceeded));
        let html: Answer = parse_batch(502, "<html>Bad gateway</html>");
        assert_eq!(html, Err(RestError::Http(502)));
        for body in [
            r#"{"result":true}"#,
            r#"{"result":{}}"#,
            r#"{"result":{"result":5}}"#,
            r#"{"result":{"result":{},"result_error":"x"}}"#,
            r#"{"result":{"result":{"content":1}"#,
            "",
        ] {
            let r: Answer = parse_batch(200, body);
            assert!(matches!(r, Err(RestError::BadResponse(_))), "{body}: {r:?}");
        }
        // A malformed per-command error is reported for that command.
        let r: Answer = parse_batch(
            200,
            r#"{"result":{"result":[],"result_error":{"content":"oops"}}}"#,
        );
        assert!(matches!(
            r.map(|a| a.errors),
            Ok(errors) if errors.len() == 1 && errors[0].0 == "content"
                && matches!(errors[0].1, RestError::BadResponse(_))
        ));
        // The results do not fit T.
        let r: Answer = parse_batch(200, r#"{"result":{"result":{"content":1,"manifest":2}}}"#);
        assert!(r.is_ok(), "Option<Value> takes anything");
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Strict {
            content: Option<u32>,
        }
        let r: Result<BatchAnswer<Strict>, _> =
            parse_batch(200, r#"{"result":{"result":{"content":"abc"}}}"#);
        assert!(matches!(r, Err(RestError::BadResponse(_))));
    }

    #[test]
    fn backoff_schedule() {
        assert_eq!(rate_limit_backoff_ms(0, 0), Some(700));
        assert_eq!(rate_limit_backoff_ms(1, 0), Some(1500));
        assert_eq!(rate_limit_backoff_ms(2, 0), Some(3000));
        assert_eq!(rate_limit_backoff_ms(0, 150), Some(850));
        assert_eq!(rate_limit_backoff_ms(2, 300), Some(3300));
        assert_eq!(
            rate_limit_backoff_ms(1, 10_000),
            Some(1800),
            "jitter capped"
        );
        assert_eq!(rate_limit_backoff_ms(3, 0), None);
        assert_eq!(rate_limit_backoff_ms(u32::MAX, u32::MAX), None);
    }

    #[test]
    fn token_staleness() {
        let hour = 3600;
        assert!(!token_is_stale(0.0, hour, 0.0));
        // 55 minutes in: exactly 5 minutes left is not stale yet; a millisecond later it is.
        assert!(!token_is_stale(0.0, hour, 55.0 * 60_000.0));
        assert!(token_is_stale(0.0, hour, 55.0 * 60_000.0 + 1.0));
        assert!(token_is_stale(0.0, hour, 2.0 * 3_600_000.0));
        assert!(token_is_stale(1000.0, 200, 1000.0), "short-lived token");
        assert!(token_is_stale(f64::NAN, hour, 0.0));
        assert!(token_is_stale(0.0, hour, f64::INFINITY));
        let t0 = 1_700_000_000_000.0;
        assert!(!token_is_stale(t0, hour, t0 + 1000.0));
        assert!(token_is_stale(t0, hour, t0 + 3_400_000.0));
    }

    #[test]
    fn constants() {
        assert_eq!(REQUEST_TIMEOUT_MS, 30_000);
        assert_eq!(MAX_BATCH, 50);
    }
}
