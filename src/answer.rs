//! REST answers read through the codec: the envelope (`{"result": ..}` or an error) and
//! `batch` answers. The shapes and the rules are the core's (`core::rest`); this only
//! parses the text once and reads those shapes from it.

use serde::de::{DeserializeOwned, IgnoredAny};

use crate::codec::Raw;
use crate::core::loose::{AnyShape, Loose, Obj, PhpMap};
use crate::core::rest::{
    bad_shape, error_from_fields, status_error, truncate_chars, BatchAnswer, BatchHead, EmptyAsMap,
    EnvelopeHead, RestError,
};

/// Turns status + body into a typed result.
///
/// - A JSON object with a non-empty `"error"` is an error at any status → [`RestError::from_code`].
/// - 2xx with a JSON object holding `"result"` → `T` read from it (a shape mismatch is
///   `BadResponse`).
/// - Otherwise by status: 0 (the browser's opaque network failure) → `Transport`; 500 →
///   `InternalServerError`; other 5xx and 429 (a proxy's rate limit page) → `Http(status)`;
///   anything else (HTML error pages, empty bodies, JSON without result) → `BadResponse`.
pub fn parse_envelope<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, RestError> {
    envelope_result(status, body).and_then(|result| from_result(&result))
}

/// `T` read from a result.
pub fn from_result<T: DeserializeOwned>(result: &Raw) -> Result<T, RestError> {
    result.read().map_err(|e| bad_shape(&e.0))
}

/// The `result` member of a successful envelope, or the error the answer stands for.
pub fn envelope_result(status: u16, body: &str) -> Result<Raw, RestError> {
    let head = Raw::parse(body)
        .ok()
        .and_then(|raw| raw.read::<Obj<EnvelopeHead<Raw>>>().ok())
        .and_then(|head| head.0);
    if let Some(head) = head {
        if let Some(error) = error_from_fields(&head.error_fields()) {
            return Err(error);
        }
        if (200..=299).contains(&status) {
            return head
                .result
                .ok_or_else(|| RestError::BadResponse("no result in the answer".into()));
        }
    }
    Err(status_error(status))
}

/// Parses a `batch` answer. A top-level error (the whole batch failed) is `Err`; per-command
/// errors are in [`BatchAnswer::errors`]. `T` is read from `result.result` (usually a struct
/// of `Option` fields named like the command keys; PHP's empty `[]` reads as `{}`).
pub fn parse_batch<T: DeserializeOwned>(
    status: u16,
    body: &str,
) -> Result<BatchAnswer<T>, RestError> {
    let result = envelope_result(status, body)?;
    let answer = batch_answer(&result)?;
    #[derive(serde::Deserialize)]
    #[serde(bound = "T: DeserializeOwned")]
    struct Results<T> {
        result: Option<EmptyAsMap<T>>,
    }
    let results: Results<T> = from_result(&result)?;
    let results = match results.result {
        Some(EmptyAsMap(results)) => results,
        None => from_result(&Raw::parse("{}").map_err(|e| bad_shape(&e.0))?)?,
    };
    Ok(BatchAnswer {
        results,
        errors: answer.errors,
    })
}

/// The commands' results (in the answer's key order, each left unread) and errors of a
/// `batch` answer's `result`.
pub fn batch_answer(result: &Raw) -> Result<BatchAnswer<Vec<(String, Raw)>>, RestError> {
    let head = result
        .read::<Obj<BatchHead<Raw>>>()
        .map_err(|e| bad_shape(&e.0))?
        .0
        .ok_or_else(|| RestError::BadResponse("batch result is not an object".into()))?;
    if head.result.is_none() && head.result_error.is_none() {
        return Err(RestError::BadResponse(
            "batch result has neither result nor result_error".into(),
        ));
    }
    let results = head
        .result
        .unwrap_or_default()
        .0
        .map_err(|_| RestError::BadResponse("batch result.result is not a map".into()))?;
    let errors = head
        .result_error
        .unwrap_or_else(PhpMap::default)
        .0
        .map_err(|_| RestError::BadResponse("batch result_error is not a map".into()))?;
    let mut errors: Vec<(String, RestError)> = errors
        .into_iter()
        .map(|(key, fields)| {
            let error = fields
                .0
                .and_then(|fields| error_from_fields(&fields))
                .unwrap_or_else(|| {
                    RestError::BadResponse(format!(
                        "malformed error for batch command {}",
                        truncate_chars(&key, 50)
                    ))
                });
            (key, error)
        })
        .collect();
    // Sorted by key, whatever order the portal (or the browser, see `Ordered`) gave them.
    errors.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(BatchAnswer { results, errors })
}

/// `text` as a whole REST answer (`{"result": ...}`): its result read as `T`; else the bare
/// value as `T`. An error answer gives `Err("CODE: description")`; text that is not a JSON
/// object or list gives `Err` too.
pub fn answer_or_bare<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let raw = Raw::parse(text).map_err(|e| format!("unreadable answer: {e}"))?;
    let unreadable = |e: crate::codec::DecodeError| format!("unreadable answer: {e}");
    let Some(head) = raw.read::<Obj<EnvelopeHead<Raw>>>().map_err(unreadable)?.0 else {
        return match raw.read::<AnyShape<IgnoredAny>>().map_err(unreadable)? {
            AnyShape::List(_) => raw.read().map_err(unreadable),
            _ => Err("unreadable answer: not an object".to_owned()),
        };
    };
    let text = |value: &Option<Loose>| {
        value
            .as_ref()
            .and_then(Loose::scalar_text)
            .unwrap_or_default()
    };
    let error = text(&head.error);
    if !error.is_empty() {
        let description = text(&head.error_description);
        return Err(if description.is_empty() {
            error
        } else {
            format!("{error}: {description}")
        });
    }
    head.result
        .as_ref()
        .unwrap_or(&raw)
        .read()
        .map_err(unreadable)
}
