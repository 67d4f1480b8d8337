//! `landing.block.uploadfile` as `PublicAction\Block::uploadFile` + `Manager::savePicture` do
//! it: the picture is checked to be an image, stored and tied to the block (the portal's
//! `File::addToBlock`), and served at the `src` it answers. `updatenodes` then keeps a
//! `data-fileid` only for files tied to that block (`Node\Img::saveNode`).
//!
//! Files live in memory only (see [`MEMORY_CAP_BYTES`]); the state file holds no images.

use crate::app::AppState;
use crate::methods::{check_write, int_param, present, require, ApiError, Success};
use crate::store::Store;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The largest picture accepted, decoded. The portal's landing path sets no limit of its own
/// (`CFile::checkImageFile($file, 0, …)`: 0 = any size), so the server's request limits
/// decide; the app refuses larger files before uploading, and so does the emulator.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// All uploads together: beyond this the oldest files are forgotten (their URLs then answer
/// 404), so a long dev session cannot grow memory without end.
pub const MEMORY_CAP_BYTES: usize = 64 * 1024 * 1024;
/// File ids start here so they never look like block ids (101, 102, …).
pub const FIRST_FILE_ID: u64 = 5001;
/// Served at `<editor>/upload/landing/<id>/<name>`, shaped like the portal's upload paths.
pub const URL_PREFIX: &str = "/upload/landing/";
/// Extensions a picture's name may end in (the portal takes the extension from the name).
const IMAGE_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "jpe", "png", "gif", "webp"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl ImageKind {
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }
}

/// The image type by its first bytes; `Err` says why it is not one we take.
pub fn sniff(bytes: &[u8]) -> Result<ImageKind, &'static str> {
    if bytes.is_empty() {
        return Err("the picture is empty");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageKind::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageKind::Png);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Ok(ImageKind::Gif);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(ImageKind::Webp);
    }
    if looks_like_svg(bytes) {
        return Err("SVG pictures are not allowed");
    }
    Err("the file is not a JPEG, PNG, GIF or WebP image")
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    head.contains("<svg")
}

/// Standard base64; whitespace is skipped, padding optional, anything else is an error.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    let mut padding = false;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding = true;
                continue;
            }
            c if c.is_ascii_whitespace() => continue,
            _ => return None,
        };
        if padding {
            return None; // data after the padding
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    // One leftover character (6 bits) cannot end a valid encoding.
    (bits < 6).then_some(out)
}

/// The stored name: the last path part, the stem without dots and with every run of other
/// characters than ASCII letters, digits, `-` and `_` as `_` (the portal transliterates and
/// replaces spaces and parentheses, `File::sanitizeFileName`), and the extension lower-case.
pub fn safe_name(raw: &str) -> Option<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let (stem, ext) = base.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let mut clean = String::new();
    for c in stem.chars().filter(|c| *c != '.') {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            clean.push(c);
        } else if !clean.ends_with('_') {
            clean.push('_');
        }
    }
    let clean: String = clean.chars().take(100).collect();
    let clean = if clean.trim_matches('_').is_empty() {
        "image".to_string()
    } else {
        clean
    };
    Some(format!("{clean}.{ext}"))
}

#[derive(Clone, Debug)]
pub struct StoredFile {
    pub id: u64,
    pub block: u64,
    pub name: String,
    pub kind: ImageKind,
    pub bytes: Arc<Vec<u8>>,
    /// `temp`: the portal marks such files for clean-up; kept only to be shown in the state.
    pub temp: bool,
}

impl StoredFile {
    pub fn path(&self) -> String {
        format!("{URL_PREFIX}{}/{}", self.id, self.name)
    }
}

/// Every upload, oldest first.
#[derive(Debug, Default)]
pub struct Uploads {
    files: Vec<StoredFile>,
    next_id: u64,
    total: usize,
}

impl Uploads {
    fn add(
        &mut self,
        block: u64,
        name: String,
        kind: ImageKind,
        bytes: Vec<u8>,
        temp: bool,
    ) -> StoredFile {
        let id = self.next_id.max(FIRST_FILE_ID);
        self.next_id = id + 1;
        self.total += bytes.len();
        let f = StoredFile {
            id,
            block,
            name,
            kind,
            bytes: Arc::new(bytes),
            temp,
        };
        self.files.push(f.clone());
        while self.total > MEMORY_CAP_BYTES && self.files.len() > 1 {
            let old = self.files.remove(0);
            self.total -= old.bytes.len();
        }
        f
    }

    pub fn get(&self, id: u64) -> Option<&StoredFile> {
        self.files.iter().find(|f| f.id == id)
    }

    /// Whether file `id` was uploaded for `block` (`File::getFilesFromBlock`).
    pub fn block_has(&self, block: u64, id: u64) -> bool {
        self.get(id).is_some_and(|f| f.block == block)
    }

    /// Forgets every file; ids keep counting up, so an old `src` never shows a new picture.
    pub fn clear(&mut self) {
        self.files.clear();
        self.total = 0;
    }

    /// For `/_emulator/state`.
    pub fn to_json(&self, base: &str) -> Value {
        Value::Array(
            self.files
                .iter()
                .map(|f| {
                    json!({"id": f.id, "block": f.block, "name": f.name, "type": f.kind.mime(),
                           "size": f.bytes.len(), "temp": f.temp,
                           "src": format!("{base}{}", f.path())})
                })
                .collect(),
        )
    }
}

fn file_error(why: &str) -> ApiError {
    ApiError::new(
        400,
        "FILE_ERROR",
        format!("File upload error. The file may not be a graphic ({why})."),
    )
}

/// `picture` as `[name, base64]` (or `{"0": name, "1": base64}`, as a form body gives it),
/// or a URL string.
enum Picture {
    Data(String, String),
    Url(String),
}

fn picture_param(p: &Map<String, Value>) -> Result<Picture, ApiError> {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let pair = match present(p, "picture") {
        Some(Value::String(s)) => return Ok(Picture::Url(s.trim().to_string())),
        Some(Value::Array(a)) => (text(a.first()), text(a.get(1))),
        Some(Value::Object(o)) => (text(o.get("0")), text(o.get("1"))),
        _ => (None, None),
    };
    match pair {
        (Some(name), Some(data)) => Ok(Picture::Data(name, data)),
        _ => Err(file_error(
            "picture must be [name, base64 content] or a URL",
        )),
    }
}

/// The portal downloads a URL picture; the emulator talks to no other host, so only its own
/// upload URLs (absolute or relative) can be given, and they copy that file.
fn picture_from_url(store: &Store, url: &str) -> Result<(String, Vec<u8>), ApiError> {
    let path = url.strip_prefix(store.base_url.as_str()).unwrap_or(url);
    let own = path
        .strip_prefix(URL_PREFIX)
        .and_then(|rest| rest.split_once('/'))
        .and_then(|(id, name)| {
            let f = store.uploads.get(id.parse().ok()?)?;
            (f.name == name).then(|| (f.name.clone(), f.bytes.to_vec()))
        });
    own.ok_or_else(|| {
        if url.is_empty() {
            file_error("the picture is empty")
        } else {
            file_error("the emulator downloads no pictures from other hosts")
        }
    })
}

/// `landing.block.uploadfile {block, picture, ext?, params?, temp?}` → `{id, src}`.
pub fn upload_file(store: &mut Store, p: &Map<String, Value>) -> Result<Success, ApiError> {
    require(p, &["block", "picture"])?;
    let block = int_param(p, "block")?;
    check_write(store)?;
    if store.block(block).is_none() {
        return Err(ApiError::new(400, "BLOCK_NOT_FOUND", "Block not found."));
    }
    let (raw_name, bytes) = match picture_param(p)? {
        Picture::Url(url) => picture_from_url(store, &url)?,
        Picture::Data(name, data) => {
            // A base64 string longer than this cannot decode to an allowed size.
            if data.len() > MAX_UPLOAD_BYTES / 3 * 4 + 1024 {
                return Err(file_error("larger than 10 MiB"));
            }
            let bytes = decode_base64(&data).ok_or_else(|| file_error("not base64"))?;
            (name, bytes)
        }
    };
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(file_error("larger than 10 MiB"));
    }
    let kind = sniff(&bytes).map_err(file_error)?;
    let name = safe_name(&raw_name)
        .ok_or_else(|| file_error("the name must end in .jpg, .jpeg, .png, .gif or .webp"))?;
    let temp = crate::methods::php_truthy(p.get("temp"));
    let f = store.uploads.add(block, name, kind, bytes, temp);
    Ok(Success {
        result: json!({"id": f.id, "src": format!("{}{}", store.base_url, f.path())}),
        total: None,
        // Nothing of an upload goes to the state file.
        changed: false,
    })
}

/// PHP's `intval` of an id field.
fn id_of(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

/// The `updatenodes` data with every image `id`/`id2x` that is not a file of `block` set to
/// 0, as `Node\Img::saveNode` does (its `data-fileid*` attribute is then removed).
pub fn keep_block_file_ids(store: &Store, block: u64, data: &Value) -> Value {
    let Some(b) = store.block(block) else {
        return data.clone();
    };
    let Some(entries) = data.as_object() else {
        return data.clone();
    };
    let is_img = |key: &str| {
        let selector = key.split('@').next().unwrap_or(key);
        b.manifest
            .get("nodes")
            .and_then(|n| n.get(selector))
            .and_then(|n| n.get("type"))
            .and_then(Value::as_str)
            == Some("img")
    };
    let mut out = entries.clone();
    for (key, value) in out.iter_mut() {
        let Some(fields) = value.as_object_mut().filter(|_| is_img(key)) else {
            continue;
        };
        for name in ["id", "id2x"] {
            if !fields.contains_key(name) {
                continue;
            }
            let id = id_of(fields.get(name));
            let known = u64::try_from(id).is_ok_and(|id| store.uploads.block_has(block, id));
            if !known {
                fields.insert(name.to_string(), json!(0));
            }
        }
    }
    Value::Object(out)
}

/// The same for `updatecards`: its `values` go through `updateNodes` too.
pub fn keep_card_file_ids(store: &Store, block: u64, data: &Value) -> Value {
    let mut data = data.clone();
    let Some(selectors) = data.as_object_mut() else {
        return data;
    };
    for spec in selectors.values_mut() {
        if let Some(values) = spec.get_mut("values").and_then(Value::as_array_mut) {
            for v in values.iter_mut() {
                *v = keep_block_file_ids(store, block, v);
            }
        }
    }
    data
}

pub fn router() -> Router<AppState> {
    Router::new().route("/upload/landing/{id}/{name}", get(serve))
}

async fn serve(
    State(app): State<AppState>,
    Path((id, name)): Path<(String, String)>,
) -> Response<Body> {
    let file = id
        .parse::<u64>()
        .ok()
        .and_then(|id| app.lock().uploads.get(id).cloned())
        .filter(|f| f.name == name);
    let Some(f) = file else {
        return crate::app::text_response(404, "text/plain; charset=utf-8", "Not found".into());
    };
    let mut r = Response::new(Body::from(f.bytes.to_vec()));
    *r.status_mut() = StatusCode::OK;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(f.kind.mime()),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The app may read the picture back (e.g. to draw a preview on a canvas).
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_like_the_standard() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGVs\nbG8").unwrap(), b"hello");
        assert_eq!(decode_base64("").unwrap(), b"");
        assert!(decode_base64("aGVsbG8=x").is_none());
        assert!(decode_base64("a").is_none());
        assert!(decode_base64("data:image/png;base64,AAAA").is_none());
        assert!(decode_base64("%%%%").is_none());
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("My photo (1).JPG").unwrap(), "My_photo_1_.jpg");
        assert_eq!(safe_name("../../etc/x.png").unwrap(), "x.png");
        assert_eq!(safe_name("C:\\a\\b.c.webp").unwrap(), "bc.webp");
        assert_eq!(safe_name("Фото.jpeg").unwrap(), "image.jpeg");
        assert!(safe_name("noext").is_none());
        assert!(safe_name("x.svg").is_none());
        assert!(safe_name("x.php").is_none());
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(ImageKind::Jpeg));
        assert_eq!(sniff(b"GIF89a...."), Ok(ImageKind::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Ok(ImageKind::Webp));
        assert!(sniff(b"").is_err());
        assert!(sniff(b"<?xml version=\"1.0\"?><svg/>")
            .unwrap_err()
            .contains("SVG"));
        assert!(sniff(b"BM....").is_err());
    }
}
