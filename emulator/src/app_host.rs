//! The second listener: serves the built app from `--app-dir`. GET of an existing file gives
//! that file, anything else `index.html`; POST to any path gives `index.html` too, because the
//! portal opens handlers with a POST form (and `trunk serve` would answer 405).

use crate::app::text_response;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, Response};
use axum::Router;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

pub fn router(dir: PathBuf) -> Router {
    Router::new().fallback(serve).with_state(Arc::new(dir))
}

pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "wasm" => "application/wasm",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// The file a URL path names inside `dir`, or `None` for a traversal attempt. Only plain
/// segments are accepted: no `..`, no absolute parts, no backslashes or NULs.
pub fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = crate::phpform::percent_decode(&url_path.replace('+', "%2B"));
    let mut out = dir.to_path_buf();
    for seg in decoded.split('/') {
        if seg.is_empty() || seg == "." {
            continue;
        }
        if seg == ".." || seg.contains('\\') || seg.contains('\0') || seg.contains(':') {
            return None;
        }
        let mut comps = Path::new(seg).components();
        match (comps.next(), comps.next()) {
            (Some(Component::Normal(_)), None) => out.push(seg),
            _ => return None,
        }
    }
    Some(out)
}

async fn send_file(path: &Path) -> Option<Response<Body>> {
    let bytes = tokio::fs::read(path).await.ok()?;
    let mut r = Response::new(Body::from(bytes));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    // Dev rebuilds replace files: never let the browser reuse an old one.
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Some(r)
}

async fn index(dir: &Path) -> Response<Body> {
    match send_file(&dir.join("index.html")).await {
        Some(r) => r,
        None => text_response(
            404,
            "text/plain; charset=utf-8",
            format!("no index.html in {} (build the app first)", dir.display()),
        ),
    }
}

async fn serve(State(dir): State<Arc<PathBuf>>, req: Request) -> Response<Body> {
    // The portal opens a handler with a form POST: a POST to a file that exists
    // (a handler page other than the app's) gets that file, anything else the
    // app's index.html, as a static host configured for Bitrix24 does.
    let method = req.method().clone();
    if method != Method::GET && method != Method::HEAD && method != Method::POST {
        return text_response(
            405,
            "text/plain; charset=utf-8",
            "method not allowed".into(),
        );
    }
    let Some(path) = resolve(&dir, req.uri().path()) else {
        return text_response(400, "text/plain; charset=utf-8", "bad path".into());
    };
    // Symlinks or odd paths must not lead out of the app directory either.
    let inside = match (
        tokio::fs::canonicalize(&path).await,
        tokio::fs::canonicalize(dir.as_path()).await,
    ) {
        (Ok(p), Ok(d)) => p.starts_with(&d),
        _ => false,
    };
    if inside && tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_file()) {
        if let Some(r) = send_file(&path).await {
            return r;
        }
    }
    index(&dir).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_plain_paths_and_refuses_traversal() {
        let d = Path::new("/srv/app");
        assert_eq!(
            resolve(d, "/pkg/app_bg.wasm").unwrap(),
            Path::new("/srv/app/pkg/app_bg.wasm")
        );
        assert_eq!(resolve(d, "/").unwrap(), Path::new("/srv/app"));
        assert_eq!(
            resolve(d, "/a%20b.js").unwrap(),
            Path::new("/srv/app/a b.js")
        );
        assert!(resolve(d, "/../etc/passwd").is_none());
        assert!(resolve(d, "/%2e%2e/etc/passwd").is_none());
        assert!(resolve(d, "/a/..%2f..%2fx").is_none());
        assert!(resolve(d, "/a\\..\\x").is_none());
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("x_bg.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("x.JS")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("x")), "application/octet-stream");
    }
}
