//! The live preview's pure part: the document the preview frame shows, where its
//! stylesheets come from, and what each field's current value changes in its element.
//!
//! The browser side marks each field's element (`data-lbe-field="<index>"`), hands the
//! block's HTML through [`sanitize`](super::sanitize) and applies [`Patch`]es to the frame's
//! document in place, so an edit never reloads the frame (no flicker).

use super::model::{Field, FieldValue};
use super::sanitize::{escape_attr, escape_text, sanitize, Policy};

/// The attribute that ties a preview element to its field (the field's index).
pub const FIELD_ATTR: &str = "data-lbe-field";
/// Marks a card's element in the preview with `list-ordinal`, so that card changes can
/// be shown by moving, copying and taking out whole cards.
pub const CARD_ATTR: &str = "data-lbe-card";
/// Present on elements whose field differs from what was loaded; the preview outlines them.
pub const CHANGED_ATTR: &str = "data-lbe-changed";

/// What one field's value changes in its preview element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Patch {
    /// New content, already safe to show (sanitized or escaped).
    pub inner_html: Option<String>,
    pub set: Vec<(&'static str, String)>,
    pub remove: Vec<&'static str>,
    /// A CSS `background-image` value (`url("…")`), or `none`.
    pub background: Option<String>,
}

impl Patch {
    fn attr(&mut self, name: &'static str, value: &str) {
        if value.is_empty() {
            self.remove.push(name);
        } else {
            self.set.push((name, value.to_owned()));
        }
    }

    /// A URL attribute: an address that would run script is not shown at all.
    fn url_attr(&mut self, name: &'static str, url: &str) {
        let url = url.trim();
        if super::model::is_unsafe_url(url) {
            self.remove.push(name);
        } else {
            self.attr(name, url);
        }
    }
}

/// What `value` makes of `field`'s element. A value of another kind than the field's
/// (it cannot happen through the form) changes nothing.
pub fn patch(field: &Field, value: &FieldValue) -> Patch {
    let mut patch = Patch::default();
    if !value.fits(&field.kind) {
        return patch;
    }
    match value {
        FieldValue::Text(html) => patch.inner_html = Some(sanitize(html, Policy::Text)),
        FieldValue::Link {
            text,
            href,
            new_tab,
        } => {
            let original_text = match &field.original {
                FieldValue::Link { text, .. } => text.as_str(),
                _ => "",
            };
            // Link content with markup (an icon, a picture) stays until its text is changed,
            // as on save.
            if !field.preserved.link_markup || text.trim() != original_text.trim() {
                patch.inner_html = Some(escape_text(text.trim()));
            }
            patch.url_attr("href", href);
            patch.attr("target", if *new_tab { "_blank" } else { "" });
        }
        FieldValue::Img { src, alt, .. } if field.preserved.background => {
            patch.background = Some(css_background(src));
            patch.attr("data-alt", alt.trim());
        }
        FieldValue::Img { src, alt, src2x } => {
            patch.url_attr("src", src);
            let src2x = src2x.trim();
            if src2x.is_empty() || super::model::is_unsafe_url(src2x) {
                patch.remove.push("srcset");
            } else {
                patch.set.push(("srcset", format!("{src2x} 2x")));
            }
            patch.attr("alt", alt.trim());
        }
        FieldValue::Icon { classes } => patch.attr("class", classes.trim()),
        FieldValue::Embed { preview, src, .. } => {
            // The preview shows the player's picture: a player would be a page of its own.
            patch.background = Some(css_background(preview));
            patch.url_attr("data-src", src);
        }
    }
    patch
}

/// `url("…")` for an address that may be shown, `none` otherwise.
fn css_background(url: &str) -> String {
    let url = url.trim();
    if url.is_empty() || super::model::is_unsafe_url(url) {
        return "none".to_owned();
    }
    let mut out = String::with_capacity(url.len() + 7);
    out.push_str("url(\"");
    for c in url.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // A line break cannot be escaped inside a CSS string; it is never part of a URL.
            '\n' | '\r' | '\u{c}' => {}
            _ => out.push(c),
        }
    }
    out.push_str("\")");
    out
}

/// The block's stylesheets as absolute addresses: `getcontent`'s `css` names them by path
/// on the portal (`/bitrix/…`) or by full address. Only http(s) addresses are kept, each once.
pub fn stylesheet_urls(portal_origin: &str, css: &[String]) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    for path in css {
        let path = path.trim();
        let url = if path.starts_with("https://") || path.starts_with("http://") {
            path.to_owned()
        } else if let Some(rest) = path.strip_prefix("//") {
            let scheme = portal_origin.split("://").next().unwrap_or("https");
            format!("{scheme}://{rest}")
        } else if path.starts_with('/') {
            format!("{portal_origin}{path}")
        } else {
            continue;
        };
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    urls
}

/// The preview frame's whole document: the block's stylesheets, then the preview's own
/// (`own_css`, the outlines), then the block's sanitized HTML.
pub fn document(stylesheets: &[String], own_css: &str, body: &str) -> String {
    let mut out = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
         <meta name=\"referrer\" content=\"no-referrer\">",
    );
    for href in stylesheets.iter().map(String::as_str).chain([own_css]) {
        out.push_str("<link rel=\"stylesheet\" href=\"");
        out.push_str(&escape_attr(href));
        out.push_str("\">");
    }
    out.push_str("</head><body>");
    out.push_str(body);
    out.push_str("</body></html>");
    out
}

#[cfg(test)]
mod tests;
