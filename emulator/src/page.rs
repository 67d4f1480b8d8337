//! `GET /`: the editor page, server-rendered from assets/page.html with inline CSS and JS.

use crate::app::{text_response, AppState};
use crate::control::LANGS;
use crate::html_edit::escape_html;
use crate::phpform;
use crate::store::Store;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Response;
use axum::routing::get;
use axum::Router;
use serde_json::json;

const TEMPLATE: &str = include_str!("../assets/page.html");
const CSS: &str = include_str!("../assets/page.css");
const JS: &str = include_str!("../assets/page.js");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/favicon.ico", get(no_icon))
        .route(BLOCKS_CSS_PATH, get(blocks_css))
}

/// Where the emulator serves the blocks' stylesheet; `getcontent` names it in `css`, as a
/// portal names a block's assets by path.
pub const BLOCKS_CSS_PATH: &str = "/bitrix/css/emulator/landing-blocks.css";

/// The page's block styles without the page's scoping, for the app's preview frame: one
/// source for both, so the preview looks like the emulator's page.
fn blocks_stylesheet() -> String {
    let start = CSS.find(BLOCK_STYLES_MARK).unwrap_or(CSS.len());
    CSS[start..].replace(".emu-block-content ", "")
}

/// The comment in page.css that opens the block styles.
const BLOCK_STYLES_MARK: &str = "/* Just enough of the landing blocks'";

async fn blocks_css() -> Response<Body> {
    text_response(200, "text/css; charset=utf-8", blocks_stylesheet())
}

/// Browsers ask for it on every load; an empty answer keeps their consoles quiet.
async fn no_icon() -> Response<Body> {
    text_response(204, "image/x-icon", String::new())
}

async fn index(State(app): State<AppState>, req: Request) -> Response<Body> {
    let lang = req
        .uri()
        .query()
        .map(phpform::parse)
        .and_then(|q| q.get("lang").and_then(|v| v.as_str()).map(str::to_string))
        .unwrap_or_default();
    let html = render(&app.lock(), &lang);
    text_response(200, "text/html; charset=utf-8", html)
}

/// Fills `{{NAME}}` placeholders in one pass over the template, so text coming from blocks
/// can never be taken for a placeholder.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let key = &after[..end];
                match values.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn render_block(store: &Store, b: &crate::store::Block) -> String {
    let items: Vec<String> = store
        .menu_items(&b.code)
        .into_iter()
        .map(|bind| {
            format!(
                "<a class=\"emu-menu-item\" role=\"menuitem\" href=\"#\" data-block=\"{}\" data-handler=\"{}\" data-placement=\"{}\">{}</a>",
                b.id,
                escape_html(&bind.handler),
                escape_html(&bind.placement),
                escape_html(&bind.title)
            )
        })
        .collect();
    let menu = if items.is_empty() {
        "<span class=\"emu-menu-empty\">No applications</span>".to_string()
    } else {
        items.join("")
    };
    format!(
        "<div class=\"emu-block\" data-id=\"{id}\" data-code=\"{code}\" id=\"block{id}\" tabindex=\"0\">\n\
         <div class=\"emu-toolbar\" role=\"toolbar\" aria-label=\"Block {id}\">\
         <span class=\"emu-block-label\">#{id} · {code}</span>\
         <button type=\"button\" class=\"emu-more\" aria-haspopup=\"menu\" aria-expanded=\"false\">More</button>\
         <div class=\"emu-menu\" role=\"menu\" hidden>{menu}</div></div>\n\
         <div class=\"emu-block-content\">{html}</div>\n</div>",
        id = b.id,
        code = escape_html(&b.code),
        html = b.draft,
    )
}

/// The whole editor page for the store's current state.
pub fn render(store: &Store, lang: &str) -> String {
    let lang = if LANGS.contains(&lang) { lang } else { "en" };
    let blocks: Vec<String> = store
        .blocks
        .iter()
        .map(|b| render_block(store, b))
        .collect();
    let options: String = LANGS
        .iter()
        .map(|l| {
            let sel = if *l == lang { " selected" } else { "" };
            format!("<option value=\"{l}\"{sel}>{l}</option>")
        })
        .collect();
    let app = store.app();
    let config = json!({"lid": store.lid, "lang": lang, "langs": LANGS,
                        "app": {"handler": app.handler, "title": app.title}})
    .to_string()
    .replace('<', "\\u003c")
    .replace('>', "\\u003e")
    .replace('&', "\\u0026");
    let state = if store.page_published {
        "published"
    } else {
        "draft, never published"
    };
    fill(
        TEMPLATE,
        &[
            ("LID", store.lid.to_string()),
            ("PAGE_STATE", state.to_string()),
            ("CSS", CSS.to_string()),
            ("JS", JS.to_string()),
            ("BLOCKS", blocks.join("\n")),
            ("LANG_OPTIONS", options),
            ("APP_TITLE", escape_html(&app.title)),
            ("CONFIG", config),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_is_single_pass() {
        let out = fill(
            "a {{X}} b {{Y}} {{unknown}} {{",
            &[("X", "{{Y}}".into()), ("Y", "y".into())],
        );
        assert_eq!(out, "a {{Y}} b y {{unknown}} {{");
    }
}
