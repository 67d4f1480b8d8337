//! `landing.block.uploadfile` itself: its params and a lenient, checked reading of its
//! answer (`{id, src}`).

use serde::{Deserialize, Serialize};

use super::UploadError;
use crate::core::loose::{Loose, Obj};
use crate::core::model::is_unsafe_url;

/// Standard base64 with padding, for `picture`'s content.
pub fn encode_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `landing.block.uploadfile`'s params. `PublicAction\Block::uploadFile($block, $picture,
/// $ext, $params, $temp)` takes no `lid` (the page is found from the block); `ext` is for
/// URL pictures only and `params` would resize on the server, which the app does itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UploadParams {
    pub block: u64,
    /// `[name, base64]`: a tuple serializes as a JSON list.
    pub picture: (String, String),
}

impl UploadParams {
    pub fn new(block: u64, name: String, bytes: &[u8]) -> UploadParams {
        UploadParams {
            block,
            picture: (name, encode_base64(bytes)),
        }
    }
}

/// The answer's `result`, read leniently: `id` as a number or a string of digits.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct UploadAnswer {
    pub id: Loose,
    pub src: Loose,
}

/// A checked upload: the portal's file id and where the file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uploaded {
    pub id: u64,
    pub src: String,
}

/// Checks the answer: a positive id, a non-empty `src` that is no script or `data:` address.
/// `result` that is not an object at all (`false`, a list) is a bad answer too.
pub fn validate_answer(result: Obj<UploadAnswer>) -> Result<Uploaded, UploadError> {
    let a = result
        .0
        .ok_or_else(|| UploadError::BadAnswer("the result is not an object".into()))?;
    let id = match &a.id {
        Loose::Unsigned(n) => Some(*n),
        Loose::Text(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
    .filter(|n| *n > 0)
    .ok_or_else(|| UploadError::BadAnswer(format!("the file id is {}", a.id)))?;
    let src = a
        .src
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| UploadError::BadAnswer("there is no src".into()))?;
    let scheme: String = src
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(5)
        .collect::<String>()
        .to_ascii_lowercase();
    if is_unsafe_url(src) || scheme == "data:" {
        return Err(UploadError::UnsafeSrc);
    }
    Ok(Uploaded {
        id,
        src: src.to_string(),
    })
}

/// The portal may answer a path (`/upload/…`) or a protocol-relative `//host/…` address
/// (`Manager::getUrlFromFile`); the app's frame has another origin, so both are made
/// absolute against the portal's `origin` (`https://portal.example`).
pub fn absolute_src(src: &str, origin: &str) -> String {
    let origin = origin.trim_end_matches('/');
    if src.starts_with("//") {
        let scheme = origin.split_once("://").map(|(s, _)| s).unwrap_or("https");
        format!("{scheme}:{src}")
    } else if src.starts_with('/') {
        format!("{origin}{src}")
    } else {
        src.to_string()
    }
}
