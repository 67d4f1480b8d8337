//! The block model: manifest + what the DOM parser found in the block's HTML
//! → typed editable fields; the user's edits → the `landing.block.updatenodes`
//! `data` payload.
//!
//! The DOM work (querySelectorAll and reading attributes) happens in browser
//! code, which hands over plain [`Extracted`] data; everything here is pure.
//! The payload rules follow what the portal's node handlers do on save (see
//! the comments on each kind): send what keeps the rest of the node intact.

use serde::{Deserialize, Serialize};

use super::loose::serialize_entries;

pub use super::manifest::{
    Access, BlockContent, BlockInfo, Dimensions, Manifest, ManifestCard, ManifestNode, NodeKind,
};

// ---------------------------------------------------------------------------
// What the DOM code extracts
// ---------------------------------------------------------------------------

/// Which card occurrence a match sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardRef {
    /// Index into `Manifest.cards`.
    pub card: usize,
    /// 0-based among that card selector's matches.
    pub ordinal: usize,
}

/// One element matched by a manifest node selector.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawMatch {
    /// Lower-case tag name.
    pub tag: String,
    pub inner_html: String,
    /// The element's text content.
    pub text: String,
    /// All attributes, names lower-case.
    pub attrs: Vec<(String, String)>,
    pub card: Option<CardRef>,
}

impl RawMatch {
    /// An attribute's value (name compared case-insensitively).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// An attribute's value, "" when missing.
    fn attr_or_empty(&self, name: &str) -> &str {
        self.attr(name).unwrap_or("")
    }
}

/// The DOM extraction's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    /// One list per manifest node, in manifest order; document order inside.
    pub nodes: Vec<Vec<RawMatch>>,
    /// How many elements each card selector matched, parallel to `Manifest.cards`.
    pub card_counts: Vec<usize>,
}

// ---------------------------------------------------------------------------
// Typed values and the form
// ---------------------------------------------------------------------------

/// Stored in drafts as serde writes an enum: the variant's name around its parts
/// (`{"Text": "..."}`, `{"Link": {"text": .., "href": .., "new_tab": ..}}`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldValue {
    /// The node's inner HTML, kept verbatim (inline markup survives).
    Text(String),
    /// `text` is the link's text (see [`value_from_match`]).
    Link {
        text: String,
        href: String,
        new_tab: bool,
    },
    Img {
        src: String,
        alt: String,
        src2x: String,
    },
    /// Space-separated class list as shown to the user.
    Icon { classes: String },
    Embed {
        src: String,
        source: String,
        preview: String,
        ratio: String,
    },
}

impl FieldValue {
    /// Whether this value is of the shape `kind` edits.
    pub fn fits(&self, kind: &NodeKind) -> bool {
        matches!(
            (self, kind),
            (FieldValue::Text(_), NodeKind::Text)
                | (FieldValue::Link { .. }, NodeKind::Link)
                | (FieldValue::Img { .. }, NodeKind::Img)
                | (FieldValue::Icon { .. }, NodeKind::Icon)
                | (FieldValue::Embed { .. }, NodeKind::Embed)
        )
    }
}

/// What a node has that the form does not show but a save must carry over,
/// because the portal clears what a payload leaves out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preserved {
    /// `data-pseudo-url` (an image's click action): the img handler removes it
    /// when `url` is missing.
    pub pseudo_url: String,
    /// `data-fileid` / `data-fileid2x`: the portal's file ids for the image;
    /// sent back while the image still shows the URL they belong to
    /// (`file_src` / `file_src2x`, as read from the block), or they are dropped.
    pub file_id: String,
    pub file_id2x: String,
    pub file_src: String,
    pub file_src2x: String,
    /// The image is lazy-loaded (`data-lazy-img` / `data-lazy-bg` = Y): the
    /// real URL lives in `data-src`, which must follow the new image.
    pub lazy: bool,
    /// The image is a CSS background, not an `<img>`.
    pub background: bool,
    /// The link's `target` as found (lower case), to keep `_popup`.
    pub target: String,
    /// The link's `data-embed` / `data-url` (video popups): the link handler
    /// removes them when `attrs` is missing. Sent while the link still points
    /// to `link_href`, the href they were read with.
    pub link_attrs: Vec<(String, String)>,
    pub link_href: String,
    /// The link's content has markup (an icon, an image): its text is then
    /// sent only when the user changed it, since the portal saves link text
    /// escaped and would flatten the markup.
    pub link_markup: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// `"selector@N"`, the updatenodes key.
    pub key: String,
    pub selector: String,
    /// Index among the selector's matches in the whole block (document order).
    pub position: usize,
    /// The manifest node's name; "" when it has none (the UI substitutes).
    pub name: String,
    pub kind: NodeKind,
    pub original: FieldValue,
    /// The card occurrence the node sits in, if any.
    pub card: Option<CardRef>,
    pub preserved: Preserved,
    /// The manifest node's `dimensions` (image nodes; unknown otherwise).
    pub dimensions: Dimensions,
    /// The node is one of its card's `label` selectors: its content names the
    /// occurrence, so it is meant to differ from card to card.
    pub card_label: bool,
}

/// A manifest node this app does not edit (map, component, styleimg, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOnlyNode {
    pub selector: String,
    pub name: String,
    pub kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupKind {
    /// Nodes outside any card.
    Block,
    Card {
        /// The card's manifest name.
        name: String,
        /// 1-based occurrence number.
        number: usize,
        /// Text naming this occurrence ("" if none), see [`build_form`].
        label: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub kind: GroupKind,
    /// Indices into `BlockForm.fields`.
    pub fields: Vec<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockForm {
    pub block_name: String,
    pub fields: Vec<Field>,
    pub groups: Vec<Group>,
    pub read_only: Vec<ReadOnlyNode>,
}

impl BlockForm {
    /// The values the form starts with, parallel to `fields`.
    pub fn initial_values(&self) -> Vec<FieldValue> {
        self.fields.iter().map(|f| f.original.clone()).collect()
    }
}

// ---------------------------------------------------------------------------
// Extraction → values
// ---------------------------------------------------------------------------

/// The editable value of one matched element, or `None` for kinds this app
/// does not edit. Rules:
/// - Text: `inner_html` verbatim.
/// - Link: `href` attribute ("" if missing); `new_tab` = `target` is
///   `_blank`; `text` = the inner HTML with HTML escapes decoded and trimmed
///   (the portal escapes link text on save, so sending the raw inner HTML
///   would double-escape `&amp;`); when the link holds markup, its collapsed
///   text content instead.
/// - Img on `<img>`: `src`, `alt`, and the `2x` candidate of `srcset`. On any
///   other tag: the `url(...)` of the `background-image` (or `background`)
///   declaration in `style`, its `image-set(... 2x)` URL or else `data-src2x`
///   for `src2x`, and `data-alt` for `alt`. Lazy images take `data-src`
///   (and `data-srcset` / `data-src2x`), where the real URLs live.
/// - Icon: the `class` attribute, whitespace collapsed.
/// - Embed: `data-src` (or an iframe's `src`), `data-source`, `data-preview`;
///   `ratio` = an `embed-responsive-<W>by<H>` class on the element, else "".
///   (The portal keeps the ratio class on the node's `.embed-responsive`
///   parent, which a match does not describe; a "" ratio is harmless: the
///   portal changes the container only for a known, non-empty ratio.)
pub fn value_from_match(kind: &NodeKind, m: &RawMatch) -> Option<FieldValue> {
    read_match(kind, m).map(|(value, _)| value)
}

fn read_match(kind: &NodeKind, m: &RawMatch) -> Option<(FieldValue, Preserved)> {
    let mut kept = Preserved::default();
    let value = match kind {
        NodeKind::Text => FieldValue::Text(tidy_html_text(&m.inner_html)),
        NodeKind::Link => {
            let target = m.attr_or_empty("target").trim().to_ascii_lowercase();
            kept.link_markup = m.inner_html.contains('<');
            let text = if kept.link_markup {
                collapse_whitespace(&m.text)
            } else {
                decode_entities(&m.inner_html).trim().to_owned()
            };
            for name in ["data-embed", "data-url"] {
                if let Some(v) = m.attr(name).filter(|v| !v.is_empty()) {
                    kept.link_attrs.push((name.to_owned(), v.to_owned()));
                }
            }
            let href = m.attr_or_empty("href").to_owned();
            kept.link_href = href.trim().to_owned();
            kept.target = target.clone();
            FieldValue::Link {
                text,
                href,
                new_tab: target == "_blank",
            }
        }
        NodeKind::Img => {
            kept.pseudo_url = m.attr_or_empty("data-pseudo-url").to_owned();
            kept.file_id = m.attr_or_empty("data-fileid").trim().to_owned();
            kept.file_id2x = m.attr_or_empty("data-fileid2x").trim().to_owned();
            let data_src = m.attr_or_empty("data-src").trim();
            if m.tag.eq_ignore_ascii_case("img") {
                kept.lazy = m.attr_or_empty("data-lazy-img").trim() == "Y";
                let (mut src, mut src2x) = (
                    m.attr_or_empty("src").to_owned(),
                    srcset_2x(m.attr_or_empty("srcset")),
                );
                if kept.lazy {
                    if !data_src.is_empty() {
                        src = data_src.to_owned();
                    }
                    let lazy2x = srcset_2x(m.attr_or_empty("data-srcset"));
                    if !lazy2x.is_empty() {
                        src2x = lazy2x;
                    }
                }
                FieldValue::Img {
                    src,
                    alt: m.attr_or_empty("alt").to_owned(),
                    src2x,
                }
            } else {
                kept.background = true;
                kept.lazy = m.attr_or_empty("data-lazy-bg").trim() == "Y";
                let (mut src, mut src2x) = background_image(m.attr_or_empty("style"));
                let data_src2x = m.attr_or_empty("data-src2x").trim();
                if kept.lazy && !data_src.is_empty() {
                    src = data_src.to_owned();
                    if !data_src2x.is_empty() {
                        src2x = data_src2x.to_owned();
                    }
                } else if src2x.is_empty() {
                    src2x = data_src2x.to_owned();
                }
                FieldValue::Img {
                    src,
                    alt: m.attr_or_empty("data-alt").to_owned(),
                    src2x,
                }
            }
        }
        NodeKind::Icon => FieldValue::Icon {
            classes: collapse_whitespace(m.attr_or_empty("class")),
        },
        NodeKind::Embed => {
            let data_src = m.attr_or_empty("data-src");
            let src = if data_src.trim().is_empty() {
                m.attr_or_empty("src")
            } else {
                data_src
            };
            FieldValue::Embed {
                src: src.to_owned(),
                source: m.attr_or_empty("data-source").to_owned(),
                preview: m.attr_or_empty("data-preview").to_owned(),
                ratio: ratio_class(m.attr_or_empty("class")),
            }
        }
        _ => return None,
    };
    if let FieldValue::Img { src, src2x, .. } = &value {
        kept.file_src = src.trim().to_owned();
        kept.file_src2x = src2x.trim().to_owned();
    }
    Some((value, kept))
}

/// The first `embed-responsive-<digits>by<digits>` class, or "".
fn ratio_class(classes: &str) -> String {
    classes
        .split_whitespace()
        .find(|c| {
            c.strip_prefix("embed-responsive-")
                .and_then(|rest| rest.split_once("by"))
                .is_some_and(|(w, h)| {
                    !w.is_empty()
                        && !h.is_empty()
                        && w.bytes().all(|b| b.is_ascii_digit())
                        && h.bytes().all(|b| b.is_ascii_digit())
                })
        })
        .unwrap_or("")
        .to_owned()
}

/// Whitespace runs become one space; ends trimmed.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Card label text: trimmed, whitespace collapsed, cut to 60 characters
/// with '…'.
/// A text node's HTML as it is shown for editing: the source indentation of
/// `block.php` (tabs and line breaks, insignificant in HTML) taken off each
/// line and blank edges dropped, markup untouched. Markup in `<pre>` or
/// `<textarea>` keeps its whitespace, so such HTML is left as it is.
pub fn tidy_html_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if lower.contains("<pre") || lower.contains("<textarea") {
        return html.to_owned();
    }
    html.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn label_text(text: &str) -> String {
    const MAX: usize = 60;
    let collapsed = collapse_whitespace(text);
    if collapsed.chars().count() <= MAX {
        return collapsed;
    }
    let mut cut: String = collapsed.chars().take(MAX).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// Decodes the HTML escapes a serializer writes (`&amp; &lt; &gt; &quot;
/// &apos; &nbsp;` and numeric ones); unknown names are left as they are.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        // Entity names are short; look for the ';' nearby only.
        let semi = after
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = semi.and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let code = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()
                    } else if let Some(dec) = name.strip_prefix('#') {
                        dec.parse::<u32>().ok()
                    } else {
                        None
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------
// CSS and srcset parsing
// ---------------------------------------------------------------------------

/// Splits a `style` attribute into (lower-case property, value) pairs. `;`
/// inside quotes or parentheses (a data: URL) does not split.
fn declarations(style: &str) -> Vec<(String, String)> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    let mut chars = style.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                current.push(c);
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        current.push(next);
                    }
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => {
                    quote = Some(c);
                    current.push(c);
                }
                '(' => {
                    depth += 1;
                    current.push(c);
                }
                ')' => {
                    depth = depth.saturating_sub(1);
                    current.push(c);
                }
                ';' if depth == 0 => parts.push(std::mem::take(&mut current)),
                '\\' => {
                    current.push(c);
                    if let Some(next) = chars.next() {
                        current.push(next);
                    }
                }
                _ => current.push(c),
            },
        }
    }
    parts.push(current);
    parts
        .into_iter()
        .filter_map(|decl| {
            let (prop, value) = decl.split_once(':')?;
            Some((prop.trim().to_ascii_lowercase(), value.trim().to_owned()))
        })
        .collect()
}

/// Reads a CSS string starting at `chars[i]` (the opening quote). Returns
/// the unescaped content and the index after the closing quote.
fn css_string(chars: &[char], i: usize) -> (String, usize) {
    let quote = chars[i];
    let mut out = String::new();
    let mut j = i + 1;
    while j < chars.len() {
        let c = chars[j];
        if c == '\\' {
            if let Some(&next) = chars.get(j + 1) {
                // An escaped newline is a line continuation, not content.
                if next != '\n' {
                    out.push(next);
                }
            }
            j += 2;
            continue;
        }
        if c == quote {
            return (out, j + 1);
        }
        out.push(c);
        j += 1;
    }
    (out, j)
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Every image URL in a CSS value with its resolution descriptor (lower
/// case, "" when none): `url(...)` with or without quotes, and the bare
/// strings `image-set()` allows.
fn css_urls(value: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = value.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let url_fn = (c == 'u' || c == 'U')
            && chars.len() >= i + 4
            && chars[i..i + 4]
                .iter()
                .collect::<String>()
                .eq_ignore_ascii_case("url(")
            && (i == 0 || !is_ident_char(chars[i - 1]));
        let (url, next) = if c == '"' || c == '\'' {
            css_string(&chars, i)
        } else if url_fn {
            let mut j = i + 4;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && (chars[j] == '"' || chars[j] == '\'') {
                let (url, after) = css_string(&chars, j);
                // Skip to the closing parenthesis.
                let mut k = after;
                while k < chars.len() && chars[k] != ')' {
                    k += 1;
                }
                (url, (k + 1).min(chars.len()))
            } else {
                let mut url = String::new();
                while j < chars.len() && chars[j] != ')' {
                    if chars[j] == '\\' && j + 1 < chars.len() {
                        url.push(chars[j + 1]);
                        j += 2;
                    } else {
                        url.push(chars[j]);
                        j += 1;
                    }
                }
                (url.trim().to_owned(), (j + 1).min(chars.len()))
            }
        } else {
            i += 1;
            continue;
        };
        let mut j = next;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        let mut descriptor = String::new();
        while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '.') {
            descriptor.push(chars[j].to_ascii_lowercase());
            j += 1;
        }
        let url = url.trim().to_owned();
        if !url.is_empty() {
            found.push((url, descriptor));
        }
        i = j.max(next).max(i + 1);
    }
    found
}

/// A number written as `str::parse::<f64>` accepts it (sign, digits, point,
/// exponent), read closely enough to compare with 2: the wasm then does without
/// core's exact float parser and its large tables. `inf` and `NaN` (never 2) are `None`.
fn decimal_number(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.len() + frac.len() == 0 || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let mut scale: i64 = 0;
    if let Some(exponent) = exponent {
        let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if digits.is_empty() || !all_digits(digits) {
            return None;
        }
        // Beyond this the value is 0 or infinite either way.
        scale = digits
            .bytes()
            .fold(0i64, |n, b| (n * 10 + i64::from(b - b'0')).min(100_000));
        if exponent.starts_with('-') {
            scale = -scale;
        }
    }
    // Up to 19 significant digits are kept; the rest only move the point.
    let mut value: u64 = 0;
    let mut kept = 0;
    for b in int.bytes().chain(frac.bytes()) {
        if kept < 19 {
            value = value * 10 + u64::from(b - b'0');
            if value != 0 {
                kept += 1;
            }
        } else {
            scale += 1;
        }
    }
    scale -= frac.len() as i64;
    let scale = scale.clamp(-400, 400) as i32;
    let mut number = value as f64;
    // Two steps keep 10^scale finite where the product is not.
    number = number * 10f64.powi(scale / 2) * 10f64.powi(scale - scale / 2);
    Some(if negative { -number } else { number })
}

/// Whether a resolution descriptor (`2x`, `2.0x`, `2dppx`, `192dpi`) means 2x.
fn is_2x(descriptor: &str) -> bool {
    let d = descriptor.trim().to_ascii_lowercase();
    let parse = |num: &str, factor: f64| decimal_number(num).map(|v| v / factor);
    let scale = if let Some(n) = d.strip_suffix("dppx") {
        parse(n, 1.0)
    } else if let Some(n) = d.strip_suffix("dpi") {
        parse(n, 96.0)
    } else if let Some(n) = d.strip_suffix('x') {
        parse(n, 1.0)
    } else {
        None
    };
    scale.is_some_and(|s| (s - 2.0).abs() < 1e-9)
}

/// `(src, src2x)` of a `style` attribute's background image, "" when none.
/// The last `background-image` / `background` declaration wins, as in CSS;
/// the portal writes a plain `url()` then `image-set(url(a) 1x, url(b) 2x)`.
pub fn background_image(style: &str) -> (String, String) {
    let mut winner: Vec<(String, String)> = Vec::new();
    for (prop, value) in declarations(style) {
        if prop == "background-image" || prop == "background" {
            let urls = css_urls(&value);
            // A later declaration without an image that is not an unknown
            // function (`none`, a colour) resets, like the cascade does.
            if !urls.is_empty() || !value.contains('(') {
                winner = urls;
            }
        }
    }
    let src2x = winner
        .iter()
        .find(|(_, d)| is_2x(d))
        .map(|(u, _)| u.clone())
        .unwrap_or_default();
    let src = winner
        .iter()
        .find(|(_, d)| !is_2x(d))
        .map(|(u, _)| u.clone())
        .unwrap_or_default();
    (src, src2x)
}

/// The URL of the `2x` candidate in a `srcset`, "" when none.
pub fn srcset_2x(srcset: &str) -> String {
    let chars: Vec<char> = srcset.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
            i += 1;
        }
        let mut url = String::new();
        while i < chars.len() && !chars[i].is_whitespace() {
            url.push(chars[i]);
            i += 1;
        }
        let mut descriptors = String::new();
        if url.ends_with(',') {
            // "a.jpg," : a candidate without descriptors.
            while url.ends_with(',') {
                url.pop();
            }
        } else {
            let mut depth = 0usize;
            while i < chars.len() {
                let c = chars[i];
                if c == '(' {
                    depth += 1;
                } else if c == ')' {
                    depth = depth.saturating_sub(1);
                } else if c == ',' && depth == 0 {
                    break;
                }
                descriptors.push(c);
                i += 1;
            }
        }
        if !url.is_empty() && descriptors.split_whitespace().any(is_2x) {
            return url;
        }
    }
    String::new()
}

// ---------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------

/// Builds the editing form.
/// - One field per match of an editable node, in manifest node order, then
///   position (document order); key `"selector@N"` with N the position among
///   the selector's matches in the whole block.
/// - Non-editable nodes (map, component, styleimg, unknown) become one
///   read-only entry per selector, whatever they matched.
/// - Groups: the Block group first (fields outside cards), then one group per
///   card occurrence, by card (manifest order) then ordinal; empty groups are
///   left out.
/// - A card's label is the text of the first of its label selectors (in
///   manifest order) that is a text or link node with a non-empty match in
///   that occurrence, cut by [`label_text`]; "" when none. Image and icon
///   label nodes are skipped: their text content is not a name (a background
///   image node often wraps the whole card).
pub fn build_form(manifest: &Manifest, extracted: &Extracted) -> BlockForm {
    let mut form = BlockForm {
        block_name: manifest.block.name.clone(),
        ..BlockForm::default()
    };
    let empty: Vec<RawMatch> = Vec::new();
    for (index, node) in manifest.nodes.iter().enumerate() {
        if !node.kind.is_editable() {
            form.read_only.push(ReadOnlyNode {
                selector: node.selector.clone(),
                name: node.name.clone(),
                kind: node.kind.clone(),
            });
            continue;
        }
        let matches = extracted.nodes.get(index).unwrap_or(&empty);
        for (position, m) in matches.iter().enumerate() {
            let Some((original, preserved)) = read_match(&node.kind, m) else {
                continue;
            };
            // A card index the manifest does not have is treated as no card.
            let card = m.card.filter(|c| c.card < manifest.cards.len());
            form.fields.push(Field {
                key: format!("{}@{}", node.selector, position),
                selector: node.selector.clone(),
                position,
                name: node.name.clone(),
                kind: node.kind.clone(),
                original,
                card,
                preserved,
                dimensions: node.dimensions,
                card_label: card
                    .and_then(|c| manifest.cards.get(c.card))
                    .is_some_and(|c| c.label.contains(&node.selector)),
            });
        }
    }

    let mut block_fields = Vec::new();
    // Kept sorted by card reference, as a BTreeMap would be, in a Vec: the wasm
    // then carries no BTreeMap code for this key type.
    let mut card_fields: Vec<(CardRef, Vec<usize>)> = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        match field.card {
            Some(card) => match card_fields.binary_search_by(|(c, _)| c.cmp(&card)) {
                Ok(at) => card_fields[at].1.push(i),
                Err(at) => card_fields.insert(at, (card, vec![i])),
            },
            None => block_fields.push(i),
        }
    }
    if !block_fields.is_empty() {
        form.groups.push(Group {
            kind: GroupKind::Block,
            fields: block_fields,
        });
    }
    for (card_ref, fields) in card_fields {
        let Some(card) = manifest.cards.get(card_ref.card) else {
            continue;
        };
        form.groups.push(Group {
            kind: GroupKind::Card {
                name: card.name.clone(),
                number: card_ref.ordinal + 1,
                label: card_label(manifest, extracted, card, card_ref),
            },
            fields,
        });
    }
    form
}

fn card_label(
    manifest: &Manifest,
    extracted: &Extracted,
    card: &ManifestCard,
    card_ref: CardRef,
) -> String {
    for selector in &card.label {
        let Some(index) = manifest.nodes.iter().position(|n| {
            n.selector == *selector && matches!(n.kind, NodeKind::Text | NodeKind::Link)
        }) else {
            continue;
        };
        let Some(matches) = extracted.nodes.get(index) else {
            continue;
        };
        let label = matches
            .iter()
            .filter(|m| m.card == Some(card_ref))
            .map(|m| label_text(&m.text))
            .find(|l| !l.is_empty());
        if let Some(label) = label {
            return label;
        }
    }
    String::new()
}

// ---------------------------------------------------------------------------
// Comparing and payloads
// ---------------------------------------------------------------------------

/// The classes a plain class selector (`.a` or `.a.b`) requires; empty for
/// any other selector. An icon keeps these or stops being a node.
pub fn own_classes(selector: &str) -> Vec<String> {
    let Some(rest) = selector.trim().strip_prefix('.') else {
        return Vec::new();
    };
    let parts: Vec<&str> = rest.split('.').collect();
    if parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(is_ident_char))
    {
        parts.into_iter().map(str::to_owned).collect()
    } else {
        Vec::new()
    }
}

/// The class list an icon is saved with: split on whitespace, duplicates
/// dropped, and the selector's own classes put first when missing.
pub fn icon_class_list(selector: &str, classes: &str) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    for class in classes.split_whitespace() {
        if !list.iter().any(|c| c == class) {
            list.push(class.to_owned());
        }
    }
    let missing: Vec<String> = own_classes(selector)
        .into_iter()
        .filter(|own| !list.contains(own))
        .collect();
    if !missing.is_empty() {
        list.splice(0..0, missing);
    }
    list
}

/// Whether `current` differs from the field's original. Text compares
/// verbatim; URLs, alt, link text (the portal trims them) compare trimmed;
/// icons compare as class sets after the own class is restored.
pub fn is_changed(field: &Field, current: &FieldValue) -> bool {
    if !current.fits(&field.kind) {
        return false;
    }
    match (&field.original, current) {
        (FieldValue::Text(a), FieldValue::Text(b)) => a != b,
        (
            FieldValue::Link {
                text: t1,
                href: h1,
                new_tab: n1,
            },
            FieldValue::Link {
                text: t2,
                href: h2,
                new_tab: n2,
            },
        ) => t1.trim() != t2.trim() || h1.trim() != h2.trim() || n1 != n2,
        (
            FieldValue::Img {
                src: s1,
                alt: a1,
                src2x: x1,
            },
            FieldValue::Img {
                src: s2,
                alt: a2,
                src2x: x2,
            },
        ) => s1.trim() != s2.trim() || a1.trim() != a2.trim() || x1.trim() != x2.trim(),
        (FieldValue::Icon { classes: c1 }, FieldValue::Icon { classes: c2 }) => {
            let l1 = icon_class_list(&field.selector, c1);
            let l2 = icon_class_list(&field.selector, c2);
            // Both lists hold each class once, so they are the same set when they are
            // as long and one holds all of the other: no sort (and its code) needed.
            l1.len() != l2.len() || l1.iter().any(|c| !l2.contains(c))
        }
        (
            FieldValue::Embed {
                src: s1,
                source: o1,
                preview: p1,
                ratio: r1,
            },
            FieldValue::Embed {
                src: s2,
                source: o2,
                preview: p2,
                ratio: r2,
            },
        ) => {
            s1.trim() != s2.trim()
                || o1.trim() != o2.trim()
                || p1.trim() != p2.trim()
                || r1.trim() != r2.trim()
        }
        // Original and current of different kinds cannot happen for a built
        // form; `fits` above already refused a current of the wrong kind.
        _ => false,
    }
}

/// The updatenodes value for one field set to `value`, or `None` when the
/// value is not of the field's kind. Payload shapes (bitrix24.md §4):
/// - text → the string, verbatim;
/// - link → `{text, href, target}`, target `_blank` / `_self` (an original
///   `_popup` is kept while not switched to a new tab); `text` is left out
///   when the link holds markup and the text was not changed; the original
///   `data-embed` / `data-url` ride along as `attrs` while `href` is unchanged;
/// - img → `{src, alt, src2x}` plus the original `url` (image click action),
///   `id` / `id2x` while the matching URL is unchanged (or is one this session uploaded,
///   see [`super::upload::uploaded_id`]), and the lazy-load keys
///   for lazy images;
/// - icon → the class array of [`icon_class_list`];
/// - embed → `{src, source, preview, ratio}`.
///
/// URLs, alt and link text are sent trimmed.
pub fn node_payload(field: &Field, value: &FieldValue) -> Option<NodePayload> {
    if !value.fits(&field.kind) {
        return None;
    }
    let kept = &field.preserved;
    Some(match value {
        FieldValue::Text(html) => NodePayload::Text(html.clone()),
        FieldValue::Link {
            text,
            href,
            new_tab,
        } => {
            let orig_text = match &field.original {
                FieldValue::Link { text, .. } => text.trim(),
                _ => "",
            };
            let target = if *new_tab {
                "_blank"
            } else if kept.target == "_popup" {
                "_popup"
            } else {
                "_self"
            };
            let keep_attrs = !kept.link_attrs.is_empty() && href.trim() == kept.link_href;
            NodePayload::Link(LinkPayload {
                text: (!kept.link_markup || text.trim() != orig_text)
                    .then(|| text.trim().to_owned()),
                href: href.trim().to_owned(),
                target,
                attrs: if keep_attrs {
                    kept.link_attrs.clone()
                } else {
                    Vec::new()
                },
            })
        }
        FieldValue::Img { src, alt, src2x } => {
            let (src, alt, src2x) = (src.trim(), alt.trim(), src2x.trim());
            let lazy = kept.lazy && !src.is_empty();
            let lazy_2x = lazy && !src2x.is_empty();
            NodePayload::Img(ImgPayload {
                src: src.to_owned(),
                alt: alt.to_owned(),
                src2x: src2x.to_owned(),
                url: (!kept.pseudo_url.is_empty()).then(|| kept.pseudo_url.clone()),
                id: kept
                    .file_id
                    .parse::<u64>()
                    .ok()
                    .filter(|_| src == kept.file_src && !src.is_empty())
                    .or_else(|| super::upload::uploaded_id(src)),
                id2x: kept
                    .file_id2x
                    .parse::<u64>()
                    .ok()
                    .filter(|_| src2x == kept.file_src2x && !src2x.is_empty())
                    .or_else(|| super::upload::uploaded_id(src2x)),
                is_lazy: lazy.then_some("Y"),
                lazy_orig_src: lazy.then(|| src.to_owned()),
                lazy_orig_src2x: (lazy_2x && kept.background).then(|| src2x.to_owned()),
                lazy_orig_srcset: (lazy_2x && !kept.background).then(|| format!("{src2x} 2x")),
            })
        }
        FieldValue::Icon { classes } => {
            NodePayload::Icon(icon_class_list(&field.selector, classes))
        }
        FieldValue::Embed {
            src,
            source,
            preview,
            ratio,
        } => NodePayload::Embed(EmbedPayload {
            src: src.trim().to_owned(),
            source: source.trim().to_owned(),
            preview: preview.trim().to_owned(),
            ratio: ratio.trim().to_owned(),
        }),
    })
}

/// What `landing.block.updatenodes` gets for one node (see [`node_payload`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum NodePayload {
    /// The inner HTML.
    Text(String),
    Link(LinkPayload),
    Img(ImgPayload),
    /// The class list.
    Icon(Vec<String>),
    Embed(EmbedPayload),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkPayload {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub href: String,
    pub target: &'static str,
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "serialize_entries"
    )]
    pub attrs: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImgPayload {
    pub src: String,
    pub alt: String,
    pub src2x: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id2x: Option<u64>,
    #[serde(rename = "isLazy", skip_serializing_if = "Option::is_none")]
    pub is_lazy: Option<&'static str>,
    #[serde(rename = "lazyOrigSrc", skip_serializing_if = "Option::is_none")]
    pub lazy_orig_src: Option<String>,
    #[serde(rename = "lazyOrigSrc2x", skip_serializing_if = "Option::is_none")]
    pub lazy_orig_src2x: Option<String>,
    #[serde(rename = "lazyOrigSrcset", skip_serializing_if = "Option::is_none")]
    pub lazy_orig_srcset: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EmbedPayload {
    pub src: String,
    pub source: String,
    pub preview: String,
    pub ratio: String,
}

/// The updatenodes `data`: keys `"selector@N"` in field order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UpdateData(
    #[serde(serialize_with = "serialize_entries")] pub Vec<(String, NodePayload)>,
);

impl UpdateData {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, key: &str) -> Option<&NodePayload> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// The changed fields as (key, value) pairs in field order. `current` is
/// parallel to `form.fields`; a missing entry counts as unchanged.
pub fn updatenodes_entries(form: &BlockForm, current: &[FieldValue]) -> Vec<(String, NodePayload)> {
    form.fields
        .iter()
        .zip(current)
        .filter(|(field, value)| is_changed(field, value))
        .filter_map(|(field, value)| node_payload(field, value).map(|p| (field.key.clone(), p)))
        .collect()
}

/// Only the fields whose current value differs from the original, as the
/// updatenodes `data`, keys `"selector@N"` in field order.
pub fn updatenodes_data(form: &BlockForm, current: &[FieldValue]) -> UpdateData {
    UpdateData(updatenodes_entries(form, current))
}

pub fn changed_count(form: &BlockForm, current: &[FieldValue]) -> usize {
    form.fields
        .iter()
        .zip(current)
        .filter(|(field, value)| is_changed(field, value))
        .count()
}

// ---------------------------------------------------------------------------
// Values that must not be saved
// ---------------------------------------------------------------------------

/// An address that would run script when clicked or loaded on the public
/// page (`javascript:`, `vbscript:`, non-image `data:`). Browsers ignore
/// blanks and control characters inside a scheme, so those are ignored here too.
pub fn is_unsafe_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    scheme.starts_with("javascript:")
        || scheme.starts_with("vbscript:")
        || (scheme.starts_with("data:") && !scheme.starts_with("data:image/"))
}

/// True when the value holds an address that must not be saved.
pub fn has_unsafe_url(value: &FieldValue) -> bool {
    match value {
        FieldValue::Link { href, .. } => is_unsafe_url(href),
        FieldValue::Img { src, src2x, .. } => is_unsafe_url(src) || is_unsafe_url(src2x),
        FieldValue::Embed { src, source, .. } => is_unsafe_url(src) || is_unsafe_url(source),
        FieldValue::Text(_) | FieldValue::Icon { .. } => false,
    }
}

/// How many changed fields cannot be saved as they are (content loaded from
/// the portal is not judged: only what the user typed).
pub fn blocked_count(form: &BlockForm, current: &[FieldValue]) -> usize {
    form.fields
        .iter()
        .zip(current)
        .filter(|(field, value)| is_changed(field, value) && has_unsafe_url(value))
        .count()
}

// ---------------------------------------------------------------------------
// Video URLs
// ---------------------------------------------------------------------------

/// Splits a URL (with or without scheme) into lower-case host (no port, no
/// `www.`/`m.`) and the rest starting at `/`, `?` or `#` ("" when none).
fn host_and_rest(url: &str) -> (String, &str) {
    let lower = url.to_ascii_lowercase();
    let start = ["https://", "http://", "//"]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map_or(0, |p| p.len());
    let after = &url[start..];
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let mut host = after[..end].to_ascii_lowercase();
    if let Some(at) = host.rfind('@') {
        host = host[at + 1..].to_owned();
    }
    if let Some(colon) = host.find(':') {
        host.truncate(colon);
    }
    for prefix in ["www.", "m."] {
        if let Some(h) = host.strip_prefix(prefix) {
            host = h.to_owned();
        }
    }
    (host, &after[end..])
}

fn is_youtube_id(s: &str) -> bool {
    s.len() == 11
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Path segments of `rest` (before `?` / `#`).
fn path_segments(rest: &str) -> Vec<&str> {
    let path = rest.split(['?', '#']).next().unwrap_or("");
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn query_param<'a>(rest: &'a str, name: &str) -> Option<&'a str> {
    let query = rest.split('#').next()?.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then_some(v)
    })
}

/// The 11-character video id of a YouTube URL.
pub fn youtube_id(url: &str) -> Option<String> {
    let (host, rest) = host_and_rest(url.trim());
    let segments = path_segments(rest);
    let id = match host.as_str() {
        "youtu.be" => segments.first().copied(),
        "youtube.com" | "music.youtube.com" | "youtube-nocookie.com" => {
            match segments.first().copied() {
                Some("watch") => query_param(rest, "v"),
                Some("embed" | "shorts" | "live" | "v") => segments.get(1).copied(),
                _ => None,
            }
        }
        _ => None,
    }?;
    is_youtube_id(id).then(|| id.to_owned())
}

/// The numeric id of a Vimeo URL (`vimeo.com/<digits>`, also under
/// channels/groups, or `player.vimeo.com/video/<digits>`).
pub fn vimeo_id(url: &str) -> Option<String> {
    let (host, rest) = host_and_rest(url.trim());
    if host != "vimeo.com" && host != "player.vimeo.com" {
        return None;
    }
    path_segments(rest)
        .into_iter()
        .find(|s| s.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_owned)
}

/// The embed value for a video URL the user typed. YouTube and Vimeo get
/// their player URLs (the same forms the portal's blocks use); anything else
/// is used as it is. The ratio is kept from `previous` when it is an embed.
pub fn embed_from_url(url: &str, previous: &FieldValue) -> FieldValue {
    let url = url.trim();
    let ratio = match previous {
        FieldValue::Embed { ratio, .. } => ratio.clone(),
        _ => String::new(),
    };
    let (src, source, preview) = if url.is_empty() {
        (String::new(), String::new(), String::new())
    } else if let Some(id) = youtube_id(url) {
        (
            format!("//www.youtube.com/embed/{id}?autoplay=0&controls=1&loop=1&mute=0&rel=0"),
            format!("https://www.youtube.com/watch?v={id}"),
            format!("//img.youtube.com/vi/{id}/sddefault.jpg"),
        )
    } else if let Some(id) = vimeo_id(url) {
        (
            format!("//player.vimeo.com/video/{id}?autoplay=0&loop=0"),
            url.to_owned(),
            String::new(),
        )
    } else {
        (url.to_owned(), url.to_owned(), String::new())
    };
    FieldValue::Embed {
        src,
        source,
        preview,
        ratio,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::{json, Value};

    // What is sent, as JSON (serde_json here; the browser writes it in the wasm).
    fn to_json<T: Serialize>(value: T) -> Value {
        serde_json::to_value(value).unwrap_or_default()
    }

    fn node_payload(field: &Field, value: &FieldValue) -> Option<Value> {
        super::node_payload(field, value).map(to_json)
    }

    fn updatenodes_entries(form: &BlockForm, current: &[FieldValue]) -> Vec<(String, Value)> {
        super::updatenodes_entries(form, current)
            .into_iter()
            .map(|(k, v)| (k, to_json(v)))
            .collect()
    }

    fn updatenodes_data(
        form: &BlockForm,
        current: &[FieldValue],
    ) -> serde_json::Map<String, Value> {
        match to_json(super::updatenodes_data(form, current)) {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        }
    }

    // ---- fixtures and a minimal test-only extraction ----------------------

    pub(crate) const F04: &str =
        include_str!("../../emulator/fixtures/blocks/04.1.one_col_fix_with_title.json");
    pub(crate) const F43: &str =
        include_str!("../../emulator/fixtures/blocks/43.4.cover_with_price_text_button_bgimg.json");
    pub(crate) const F49: &str =
        include_str!("../../emulator/fixtures/blocks/49.1.video_just_video.json");
    pub(crate) const F44: &str =
        include_str!("../../emulator/fixtures/blocks/44.7.three_columns_with_img_and_price.json");
    pub(crate) const F06: &str =
        include_str!("../../emulator/fixtures/blocks/06.1features_3_cols.json");
    pub(crate) const F31: &str =
        include_str!("../../emulator/fixtures/blocks/31.1.two_cols_text_img.json");

    /// A fixture file's manifest and content HTML.
    fn load(text: &str) -> (Manifest, String) {
        #[derive(Deserialize)]
        struct Fixture {
            manifest: Manifest,
            content: String,
        }
        match serde_json::from_str::<Fixture>(text) {
            Ok(f) => (f.manifest, f.content),
            Err(e) => panic!("fixture does not parse: {e}"),
        }
    }

    struct Elem {
        tag: String,
        attrs: Vec<(String, String)>,
        inner: (usize, usize),
        parent: Option<usize>,
    }

    impl Elem {
        fn class(&self) -> &str {
            self.attrs
                .iter()
                .find(|(n, _)| n == "class")
                .map_or("", |(_, v)| v.as_str())
        }
    }

    /// Just enough HTML parsing for the fixtures: elements in start-tag
    /// order with attributes, inner HTML span and parent.
    fn parse_html(src: &str) -> Vec<Elem> {
        let b = src.as_bytes();
        let mut elems: Vec<Elem> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'<' {
                i += 1;
                continue;
            }
            if src[i..].starts_with("<!--") {
                i = src[i..].find("-->").map_or(b.len(), |e| i + e + 3);
                continue;
            }
            if src[i..].starts_with("</") {
                let end = src[i..].find('>').map_or(b.len(), |e| i + e);
                let name = src[i + 2..end].trim().to_ascii_lowercase();
                if let Some(pos) = stack.iter().rposition(|&e| elems[e].tag == name) {
                    for &e in &stack[pos..] {
                        elems[e].inner.1 = i;
                    }
                    stack.truncate(pos);
                }
                i = end + 1;
                continue;
            }
            if i + 1 >= b.len() || !b[i + 1].is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
                j += 1;
            }
            let tag = src[i + 1..j].to_ascii_lowercase();
            let mut attrs = Vec::new();
            let mut self_closing = false;
            loop {
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j >= b.len() {
                    break;
                }
                if b[j] == b'>' {
                    j += 1;
                    break;
                }
                if b[j] == b'/' {
                    self_closing = true;
                    j += 1;
                    continue;
                }
                let start = j;
                while j < b.len()
                    && !b[j].is_ascii_whitespace()
                    && !matches!(b[j], b'=' | b'>' | b'/')
                {
                    j += 1;
                }
                let name = src[start..j].to_ascii_lowercase();
                if name.is_empty() {
                    j += 1;
                    continue;
                }
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                let mut value = String::new();
                if j < b.len() && b[j] == b'=' {
                    j += 1;
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                        let q = b[j] as char;
                        let vs = j + 1;
                        let ve = src[vs..].find(q).map_or(b.len(), |e| vs + e);
                        value = decode_entities(&src[vs..ve]);
                        j = ve + 1;
                    } else {
                        let vs = j;
                        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                            j += 1;
                        }
                        value = decode_entities(&src[vs..j]);
                    }
                }
                attrs.push((name, value));
            }
            let void = matches!(
                tag.as_str(),
                "img" | "br" | "hr" | "input" | "meta" | "link"
            );
            let idx = elems.len();
            elems.push(Elem {
                tag,
                attrs,
                inner: (j, j),
                parent: stack.last().copied(),
            });
            if !void && !self_closing {
                elems[idx].inner.1 = b.len();
                stack.push(idx);
            }
            i = j;
        }
        elems
    }

    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        decode_entities(&out)
    }

    /// What the lead's DOM code does, for plain class selectors.
    fn extract(manifest: &Manifest, html: &str) -> Extracted {
        let elems = parse_html(html);
        let select = |selector: &str| -> Vec<usize> {
            let own = own_classes(selector);
            if own.is_empty() {
                return Vec::new();
            }
            elems
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    own.iter()
                        .all(|c| e.class().split_whitespace().any(|x| x == c))
                })
                .map(|(i, _)| i)
                .collect()
        };
        let card_matches: Vec<Vec<usize>> =
            manifest.cards.iter().map(|c| select(&c.selector)).collect();
        let card_of = |e: usize| -> Option<CardRef> {
            let mut cur = Some(e);
            while let Some(x) = cur {
                for (card, list) in card_matches.iter().enumerate() {
                    if let Some(ordinal) = list.iter().position(|&m| m == x) {
                        return Some(CardRef { card, ordinal });
                    }
                }
                cur = elems[x].parent;
            }
            None
        };
        Extracted {
            nodes: manifest
                .nodes
                .iter()
                .map(|n| {
                    select(&n.selector)
                        .into_iter()
                        .map(|e| {
                            let el = &elems[e];
                            let inner = &html[el.inner.0..el.inner.1];
                            RawMatch {
                                tag: el.tag.clone(),
                                inner_html: inner.to_owned(),
                                text: text_of(inner),
                                attrs: el.attrs.clone(),
                                card: card_of(e),
                            }
                        })
                        .collect()
                })
                .collect(),
            card_counts: card_matches.iter().map(Vec::len).collect(),
        }
    }

    /// A fixture's form, built as the app builds it (also used by the health tests).
    pub(crate) fn form_of(fixture: &str) -> (Manifest, Extracted, BlockForm) {
        let (manifest, content) = load(fixture);
        let extracted = extract(&manifest, &content);
        let form = build_form(&manifest, &extracted);
        (manifest, extracted, form)
    }

    fn kind_count(fields: &[&Field], kind: NodeKind) -> usize {
        fields.iter().filter(|f| f.kind == kind).count()
    }

    fn labels(form: &BlockForm) -> Vec<String> {
        form.groups
            .iter()
            .filter_map(|g| match &g.kind {
                GroupKind::Card { label, .. } => Some(label.clone()),
                GroupKind::Block => None,
            })
            .collect()
    }

    // ---- the README table, fixture by fixture -----------------------------

    /// (fixture, [text, img, link, icon, embed] per scope, card count or 0,
    /// read-only selectors)
    #[allow(clippy::type_complexity)]
    const TABLE: [(&str, [usize; 5], usize, &[&str]); 6] = [
        (F04, [2, 0, 0, 0, 0], 0, &["#wrapper"]),
        (F43, [3, 1, 1, 0, 0], 10, &[]),
        (F49, [0, 0, 0, 0, 1], 0, &["#wrapper"]),
        (F44, [5, 1, 1, 0, 0], 3, &["#wrapper"]),
        (F06, [3, 0, 0, 1, 0], 3, &["#wrapper"]),
        (F31, [2, 1, 1, 0, 0], 0, &["#wrapper"]),
    ];
    const KINDS: [NodeKind; 5] = [
        NodeKind::Text,
        NodeKind::Img,
        NodeKind::Link,
        NodeKind::Icon,
        NodeKind::Embed,
    ];

    #[test]
    fn decimal_numbers_read_like_f64_parse() {
        for text in [
            "2",
            "2.",
            "2.0",
            ".5",
            "+2",
            "-2",
            "0002.000",
            "2e0",
            "20E-1",
            "0.2e+1",
            "192",
            "1.9999999999",
            "123456789012345678901234",
            "1e-400",
            "1e400",
            "0",
        ] {
            let want = text.parse::<f64>().ok();
            let got = decimal_number(text);
            match (want, got) {
                (Some(w), Some(g)) => assert!(
                    (w - g).abs() <= w.abs() * 1e-12 || (w.is_infinite() && g.is_infinite()),
                    "{text}: {g} vs {w}"
                ),
                _ => panic!("{text}: {got:?} vs {want:?}"),
            }
        }
        for text in [
            "", ".", "x", "2x", "e2", "2e", "2e+", "1.2.3", "--2", "inf", "nan", " 2",
        ] {
            assert_eq!(decimal_number(text), None, "{text}");
        }
        assert!(is_2x("2x") && is_2x("2.0X") && is_2x("2dppx") && is_2x("192dpi"));
        assert!(!is_2x("1x") && !is_2x("2") && !is_2x("infx") && !is_2x("191dpi"));
    }

    #[test]
    fn every_fixture_matches_the_readme_table() {
        for (fixture, per_scope, cards, read_only) in TABLE {
            let (manifest, extracted, form) = form_of(fixture);
            let code = manifest.code.clone();
            let per: usize = per_scope.iter().sum();
            let occurrences = cards.max(1);
            assert_eq!(form.fields.len(), per * occurrences, "{code}: fields");
            assert_eq!(form.groups.len(), occurrences, "{code}: groups");
            let ro: Vec<&str> = form.read_only.iter().map(|r| r.selector.as_str()).collect();
            assert_eq!(ro, read_only, "{code}: read-only");
            if cards > 0 {
                assert_eq!(extracted.card_counts, vec![cards], "{code}: card count");
            }
            for (n, group) in form.groups.iter().enumerate() {
                let fields: Vec<&Field> = group.fields.iter().map(|&i| &form.fields[i]).collect();
                for (kind, expected) in KINDS.iter().zip(per_scope) {
                    assert_eq!(
                        kind_count(&fields, kind.clone()),
                        expected,
                        "{code} {kind:?}"
                    );
                }
                match &group.kind {
                    GroupKind::Block => assert_eq!(cards, 0, "{code}: block group"),
                    GroupKind::Card { name, number, .. } => {
                        assert_eq!(*name, manifest.cards[0].name);
                        assert_eq!(*number, n + 1, "{code}: card numbers in order");
                        // Every field of occurrence n is the n-th match of its selector.
                        for f in &fields {
                            assert_eq!(f.key, format!("{}@{}", f.selector, n), "{code}");
                            assert_eq!(
                                f.card,
                                Some(CardRef {
                                    card: 0,
                                    ordinal: n
                                })
                            );
                        }
                        // Manifest node order inside the group.
                        let order: Vec<usize> = fields
                            .iter()
                            .map(|f| {
                                manifest
                                    .nodes
                                    .iter()
                                    .position(|m| m.selector == f.selector)
                                    .unwrap_or(usize::MAX)
                            })
                            .collect();
                        let mut sorted = order.clone();
                        sorted.sort();
                        assert_eq!(order, sorted, "{code}: manifest order in group");
                    }
                }
            }
            // Names come from the manifest.
            for f in &form.fields {
                let node = manifest.node(&f.selector);
                assert_eq!(node.map(|n| n.name.as_str()), Some(f.name.as_str()));
                assert!(!f.name.is_empty(), "{code}: editable nodes have names");
            }
            // Nothing changed → nothing to send.
            let current = form.initial_values();
            assert!(updatenodes_data(&form, &current).is_empty(), "{code}");
            assert_eq!(changed_count(&form, &current), 0, "{code}");
        }
    }

    #[test]
    fn fixture_04_1_values() {
        let (_, _, form) = form_of(F04);
        assert_eq!(
            form.block_name,
            "Title with a separator on a light background"
        );
        let keys: Vec<&str> = form.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                ".landing-block-node-subtitle@0",
                ".landing-block-node-title@0"
            ]
        );
        assert_eq!(form.fields[0].name, "Subtitle");
        assert_eq!(
            form.fields[0].original,
            FieldValue::Text("Our services".into())
        );
        assert_eq!(
            form.fields[1].original,
            FieldValue::Text("What we do".into())
        );
        assert_eq!(form.groups[0].kind, GroupKind::Block);
        assert_eq!(form.groups[0].fields, vec![0, 1]);
        assert_eq!(form.read_only[0].kind, NodeKind::StyleImg);
        assert_eq!(form.read_only[0].name, "");
    }

    #[test]
    fn fixture_43_4_cards_values_and_labels() {
        let (_, _, form) = form_of(F43);
        assert!(
            !form.groups.iter().any(|g| g.kind == GroupKind::Block),
            "all nodes are in cards: no empty Block group"
        );
        let labels = labels(&form);
        assert_eq!(labels.len(), 10);
        // The first label selector is the background image: skipped for the title.
        assert_eq!(labels[0], "Karlovy Vary, Czech");
        assert_eq!(labels[1], "London, Great Britain");
        assert_eq!(labels[8], "Madrid, Spain");
        assert_eq!(labels[9], "New York, USA");
        let first: Vec<&Field> = form.groups[0]
            .fields
            .iter()
            .map(|&i| &form.fields[i])
            .collect();
        let names: Vec<&str> = first.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            vec!["Price", "Title", "Text", "Button", "Background image"]
        );
        match &first[0].original {
            FieldValue::Text(html) => {
                assert!(
                    html.contains("<span style=\"color: #ee4136;\">$150.00</span>"),
                    "{html}"
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            first[3].original,
            FieldValue::Link {
                text: "Take a tour".into(),
                href: "#".into(),
                new_tab: false
            }
        );
        assert_eq!(
            first[4].original,
            FieldValue::Img {
                src: "https://cdn.bitrix24.site/bitrix/images/landing/business/1920x1280/img19.jpg"
                    .into(),
                alt: String::new(),
                src2x: String::new()
            }
        );
        assert!(first[4].preserved.background);
        let last = &form.fields[*form.groups[9].fields.last().unwrap_or(&0)];
        assert_eq!(last.key, ".landing-block-node-card-bgimg@9");
        assert_eq!(
            value_src(&last.original),
            "https://cdn.bitrix24.site/bitrix/images/landing/business/1920x1280/img12.jpg"
        );
    }

    fn value_src(v: &FieldValue) -> &str {
        match v {
            FieldValue::Img { src, .. } | FieldValue::Embed { src, .. } => src,
            _ => "",
        }
    }

    #[test]
    fn fixture_49_1_embed() {
        let (_, _, form) = form_of(F49);
        assert_eq!(form.fields[0].key, ".landing-block-node-embed@0");
        let original = form.fields[0].original.clone();
        assert_eq!(
            original,
            FieldValue::Embed {
                src:
                    "//www.youtube.com/embed/q4d8g9Dn3ww?autoplay=0&controls=1&loop=1&mute=0&rel=0"
                        .into(),
                source: "https://www.youtube.com/watch?v=q4d8g9Dn3ww".into(),
                preview: "//img.youtube.com/vi/q4d8g9Dn3ww/sddefault.jpg".into(),
                // The ratio class sits on the parent container here.
                ratio: String::new(),
            }
        );
        // The block's own values are what embed_from_url makes of its source.
        assert_eq!(
            embed_from_url("https://www.youtube.com/watch?v=q4d8g9Dn3ww", &original),
            original
        );
        let new = embed_from_url("https://youtu.be/dQw4w9WgXcQ", &original);
        let data = updatenodes_data(&form, &[new]);
        assert_eq!(
            data.get(".landing-block-node-embed@0"),
            Some(&json!({
                "src": "//www.youtube.com/embed/dQw4w9WgXcQ?autoplay=0&controls=1&loop=1&mute=0&rel=0",
                "source": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "preview": "//img.youtube.com/vi/dQw4w9WgXcQ/sddefault.jpg",
                "ratio": "",
            }))
        );
    }

    #[test]
    fn fixture_44_7_img_tag_link_and_labels() {
        let (_, _, form) = form_of(F44);
        assert_eq!(
            labels(&form),
            vec!["Love Story", "Wedding Photos", "Makeup"]
        );
        let img = form
            .fields
            .iter()
            .find(|f| f.key == ".landing-block-node-card-img@1");
        let img = match img {
            Some(f) => f,
            None => panic!("no img@1"),
        };
        assert!(!img.preserved.background);
        assert_eq!(
            img.original,
            FieldValue::Img {
                src: "https://cdn.bitrix24.site/bitrix/images/landing/business/740x380/img2.jpg"
                    .into(),
                alt: String::new(),
                src2x: String::new()
            }
        );
        let button = form
            .fields
            .iter()
            .find(|f| f.key == ".landing-block-node-card-button@2")
            .map(|f| f.original.clone());
        assert_eq!(
            button,
            Some(FieldValue::Link {
                text: "Order Now".into(),
                href: "#".into(),
                new_tab: false
            })
        );
        // Changing the second image sends the whole img object for @1 only.
        let mut current = form.initial_values();
        let idx = form
            .fields
            .iter()
            .position(|f| f.key == ".landing-block-node-card-img@1")
            .unwrap_or(0);
        current[idx] = FieldValue::Img {
            src: " https://example.com/new.jpg ".into(),
            alt: "New".into(),
            src2x: String::new(),
        };
        let data = updatenodes_data(&form, &current);
        assert_eq!(data.len(), 1);
        assert_eq!(
            data.get(".landing-block-node-card-img@1"),
            Some(&json!({"src": "https://example.com/new.jpg", "alt": "New", "src2x": ""}))
        );
        assert_eq!(changed_count(&form, &current), 1);
    }

    #[test]
    fn fixture_06_1_icons_and_labels() {
        let (_, _, form) = form_of(F06);
        // The first label selector is the icon: its text is no name.
        assert_eq!(labels(&form), vec!["Analisys", "Strategy", "Social media"]);
        let icons: Vec<&Field> = form
            .fields
            .iter()
            .filter(|f| f.kind == NodeKind::Icon)
            .collect();
        assert_eq!(icons.len(), 3);
        assert_eq!(
            icons[1].original,
            FieldValue::Icon {
                classes: "landing-block-node-element-icon icon-energy".into()
            }
        );
        let list = form
            .fields
            .iter()
            .find(|f| f.key == ".landing-block-node-element-list@0");
        match list.map(|f| &f.original) {
            Some(FieldValue::Text(html)) => assert!(html.contains("App &amp; Icon Design")),
            other => panic!("{other:?}"),
        }

        let mut current = form.initial_values();
        let i0 = form
            .fields
            .iter()
            .position(|f| f.key == ".landing-block-node-element-icon@0");
        let i2 = form
            .fields
            .iter()
            .position(|f| f.key == ".landing-block-node-element-icon@2");
        let (Some(i0), Some(i2)) = (i0, i2) else {
            panic!("icons missing")
        };
        // The user dropped the node class: it comes back first.
        current[i2] = FieldValue::Icon {
            classes: "fa  fa-star".into(),
        };
        // Only the node class removed: no real change.
        current[i0] = FieldValue::Icon {
            classes: "icon-fire".into(),
        };
        let data = updatenodes_data(&form, &current);
        assert_eq!(data.len(), 1);
        assert_eq!(
            data.get(".landing-block-node-element-icon@2"),
            Some(&json!(["landing-block-node-element-icon", "fa", "fa-star"]))
        );
    }

    #[test]
    fn fixture_31_1_background_and_link_payload() {
        let (_, _, form) = form_of(F31);
        let keys: Vec<&str> = form.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                ".landing-block-node-title@0",
                ".landing-block-node-text@0",
                ".landing-block-node-button@0",
                ".landing-block-node-img@0",
            ]
        );
        assert_eq!(
            value_src(&form.fields[3].original),
            "https://cdn.bitrix24.site/bitrix/images/landing/business/1200x960/img1.jpg"
        );
        let mut current = form.initial_values();
        current[2] = FieldValue::Link {
            text: "Book now".into(),
            href: "https://example.com/book".into(),
            new_tab: true,
        };
        current[0] = FieldValue::Text("New <b>title</b>".into());
        let entries = updatenodes_entries(&form, &current);
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                ".landing-block-node-title@0",
                ".landing-block-node-button@0"
            ],
            "field order"
        );
        assert_eq!(entries[0].1, json!("New <b>title</b>"));
        assert_eq!(
            entries[1].1,
            json!({"text": "Book now", "href": "https://example.com/book", "target": "_blank"})
        );
        assert_eq!(changed_count(&form, &current), 2);
        assert_eq!(updatenodes_data(&form, &current).len(), 2);
    }

    // ---- synthetic extraction -------------------------------------------

    fn raw(tag: &str, inner: &str, attrs: &[(&str, &str)]) -> RawMatch {
        RawMatch {
            tag: tag.into(),
            inner_html: inner.into(),
            text: text_of(inner),
            attrs: attrs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            card: None,
        }
    }

    fn in_card(mut m: RawMatch, card: usize, ordinal: usize) -> RawMatch {
        m.card = Some(CardRef { card, ordinal });
        m
    }

    fn manifest(json_text: &str) -> Manifest {
        Manifest::from_json(json_text).unwrap_or_default()
    }

    fn single(kind: &str, selector: &str, m: RawMatch) -> BlockForm {
        let man = manifest(&format!(
            r#"{{"nodes": {{"{selector}": {{"type": "{kind}", "name": "N"}}}}}}"#
        ));
        build_form(
            &man,
            &Extracted {
                nodes: vec![vec![m]],
                card_counts: vec![],
            },
        )
    }

    #[test]
    fn groups_order_labels_and_read_only() {
        let man = manifest(
            r#"{"nodes": {
                ".intro": {"type": "text", "name": "Intro"},
                ".c-img": {"type": "img", "name": "Photo"},
                ".c-title": {"type": "text", "name": "Title"},
                ".map": {"type": "map", "name": "Map"},
                ".x-name": {"type": "link", "name": "Name"}
            },
            "cards": {
                ".c": {"name": "Card", "label": [".c-img", ".c-title"]},
                ".x": {"name": "Other", "label": ".x-name"}
            }}"#,
        );
        let long = "A very long title that goes on and on well past the sixty character limit";
        let extracted = Extracted {
            nodes: vec![
                vec![raw("p", "Hello", &[]), raw("p", "World", &[])],
                vec![
                    in_card(raw("img", "", &[("src", "1.jpg")]), 0, 1),
                    in_card(raw("img", "", &[("src", "0.jpg")]), 0, 0),
                ],
                vec![
                    in_card(raw("h3", "  <b>First</b>\n  card ", &[]), 0, 0),
                    in_card(raw("h3", "   ", &[]), 0, 1),
                    in_card(raw("h3", long, &[]), 0, 3),
                ],
                vec![raw("div", "", &[]), raw("div", "", &[])],
                vec![in_card(raw("a", "Bob &amp; Co", &[("href", "/b")]), 1, 0)],
            ],
            card_counts: vec![5, 1],
        };
        let form = build_form(&man, &extracted);
        assert_eq!(form.fields.len(), 8);
        assert_eq!(
            form.read_only.len(),
            1,
            "one entry per selector, not per match"
        );
        assert_eq!(form.read_only[0].selector, ".map");
        assert_eq!(form.read_only[0].kind, NodeKind::Map);

        let kinds: Vec<GroupKind> = form.groups.iter().map(|g| g.kind.clone()).collect();
        let ellipsed = format!("{}…", long.chars().take(60).collect::<String>().trim_end());
        assert_eq!(
            kinds,
            vec![
                GroupKind::Block,
                GroupKind::Card {
                    name: "Card".into(),
                    number: 1,
                    label: "First card".into()
                },
                GroupKind::Card {
                    name: "Card".into(),
                    number: 2,
                    // The title is blank here; the image has no text label.
                    label: String::new()
                },
                GroupKind::Card {
                    name: "Card".into(),
                    number: 4,
                    label: ellipsed.clone()
                },
                GroupKind::Card {
                    name: "Other".into(),
                    number: 1,
                    label: "Bob & Co".into()
                },
            ],
            "occurrence 3 has no fields and no group"
        );
        assert_eq!(ellipsed.chars().count(), 61);
        let keys = |g: usize| -> Vec<&str> {
            form.groups[g]
                .fields
                .iter()
                .map(|&i| form.fields[i].key.as_str())
                .collect()
        };
        assert_eq!(keys(0), vec![".intro@0", ".intro@1"]);
        // Manifest node order first, then position; positions are block-wide.
        assert_eq!(keys(1), vec![".c-img@1", ".c-title@0"]);
        assert_eq!(keys(2), vec![".c-img@0", ".c-title@1"]);
        assert_eq!(keys(3), vec![".c-title@2"]);
        assert_eq!(keys(4), vec![".x-name@0"]);
    }

    #[test]
    fn short_or_odd_extraction_does_not_panic() {
        let man = manifest(
            r#"{"nodes": {".a": {"type": "text"}, ".b": {"type": "text"}}, "cards": {".c": {"name": "C"}}}"#,
        );
        // Fewer lists than nodes, a card index the manifest lacks.
        let form = build_form(
            &man,
            &Extracted {
                nodes: vec![vec![in_card(raw("p", "x", &[]), 7, 0)]],
                card_counts: vec![],
            },
        );
        assert_eq!(form.fields.len(), 1);
        assert_eq!(form.fields[0].card, None);
        assert_eq!(form.groups.len(), 1);
        assert_eq!(form.groups[0].kind, GroupKind::Block);
        // Current values: too few, or of the wrong kind → unchanged.
        assert!(updatenodes_data(&form, &[]).is_empty());
        let wrong = [FieldValue::Icon {
            classes: "x".into(),
        }];
        assert!(updatenodes_data(&form, &wrong).is_empty());
        assert_eq!(changed_count(&form, &wrong), 0);
        let empty = build_form(&Manifest::default(), &Extracted::default());
        assert!(empty.fields.is_empty() && empty.groups.is_empty());
    }

    #[test]
    fn text_compares_verbatim() {
        // Shown without the source indentation, then compared verbatim.
        let form = single("text", ".t", raw("p", "\n\t Hi <i>there</i> \n", &[]));
        assert_eq!(
            form.fields[0].original,
            FieldValue::Text("Hi <i>there</i>".into())
        );
        assert!(updatenodes_data(&form, &form.initial_values()).is_empty());
        let data = updatenodes_data(&form, &[FieldValue::Text("Hi <i>there</i> ".into())]);
        assert_eq!(data.get(".t@0"), Some(&json!("Hi <i>there</i> ")));
    }

    #[test]
    fn link_values_and_payloads() {
        let form = single(
            "link",
            ".l",
            raw(
                "a",
                "\n  App &amp; Co\n",
                &[("href", " /x "), ("target", "_blank")],
            ),
        );
        assert_eq!(
            form.fields[0].original,
            FieldValue::Link {
                text: "App & Co".into(),
                href: " /x ".into(),
                new_tab: true
            }
        );
        // Trimmed comparison of text and URL: no change.
        let same = FieldValue::Link {
            text: "App & Co ".into(),
            href: "/x".into(),
            new_tab: true,
        };
        assert!(updatenodes_data(&form, &[same]).is_empty());
        let off = FieldValue::Link {
            text: "App & Co".into(),
            href: "/x".into(),
            new_tab: false,
        };
        assert_eq!(
            updatenodes_data(&form, &[off]).get(".l@0"),
            Some(&json!({"text": "App & Co", "href": "/x", "target": "_self"}))
        );

        // Missing href and target.
        let form = single("link", ".l", raw("a", "Go", &[]));
        assert_eq!(
            form.fields[0].original,
            FieldValue::Link {
                text: "Go".into(),
                href: String::new(),
                new_tab: false
            }
        );
    }

    #[test]
    fn link_keeps_popup_target_embed_attrs_and_markup() {
        let form = single(
            "link",
            ".l",
            raw(
                "a",
                "<i class=\"fa fa-play\"></i> Watch",
                &[
                    ("href", "#"),
                    ("target", "_popup"),
                    ("data-url", "//www.youtube.com/embed/x"),
                ],
            ),
        );
        let field = &form.fields[0];
        assert!(field.preserved.link_markup);
        assert_eq!(
            field.original,
            FieldValue::Link {
                text: "Watch".into(),
                href: "#".into(),
                new_tab: false
            }
        );
        // Text changed: sent, with the popup target and the video attrs kept.
        let renamed = FieldValue::Link {
            text: "Play".into(),
            href: "#".into(),
            new_tab: false,
        };
        assert_eq!(
            node_payload(field, &renamed),
            Some(json!({"text": "Play", "href": "#", "target": "_popup",
                        "attrs": {"data-url": "//www.youtube.com/embed/x"}}))
        );
        // New href: attrs dropped; text untouched so the markup stays (no "text").
        let moved = FieldValue::Link {
            text: "Watch".into(),
            href: "/page".into(),
            new_tab: false,
        };
        assert_eq!(
            node_payload(field, &moved),
            Some(json!({"href": "/page", "target": "_popup"}))
        );
        // After saving the new href, going on editing does not bring the
        // video attrs back onto the other page's link.
        let mut saved = field.clone();
        saved.original = moved.clone();
        let again = FieldValue::Link {
            text: "Go".into(),
            href: "/page".into(),
            new_tab: false,
        };
        assert_eq!(
            node_payload(&saved, &again),
            Some(json!({"text": "Go", "href": "/page", "target": "_popup"}))
        );
        let tab = FieldValue::Link {
            text: "Watch".into(),
            href: "#".into(),
            new_tab: true,
        };
        assert_eq!(
            node_payload(field, &tab).and_then(|v| v.get("target").cloned()),
            Some(json!("_blank"))
        );
    }

    #[test]
    fn img_tag_srcset_and_preserved_ids() {
        let form = single(
            "img",
            ".i",
            raw(
                "img",
                "",
                &[
                    ("src", "https://a/1.jpg"),
                    ("srcset", "https://a/1.jpg 1x, https://a/1@2x.jpg 2x"),
                    ("alt", "Cat"),
                    ("data-fileid", "12"),
                    ("data-fileid2x", "13"),
                    ("data-pseudo-url", "{\"href\":\"#x\",\"enabled\":true}"),
                ],
            ),
        );
        let field = &form.fields[0];
        assert_eq!(
            field.original,
            FieldValue::Img {
                src: "https://a/1.jpg".into(),
                alt: "Cat".into(),
                src2x: "https://a/1@2x.jpg".into()
            }
        );
        let alt_only = FieldValue::Img {
            src: "https://a/1.jpg".into(),
            alt: "Dog".into(),
            src2x: "https://a/1@2x.jpg".into(),
        };
        assert_eq!(
            node_payload(field, &alt_only),
            Some(
                json!({"src": "https://a/1.jpg", "alt": "Dog", "src2x": "https://a/1@2x.jpg",
                        "id": 12, "id2x": 13, "url": "{\"href\":\"#x\",\"enabled\":true}"})
            )
        );
        let new_src = FieldValue::Img {
            src: "https://b/2.jpg".into(),
            alt: "Cat".into(),
            src2x: String::new(),
        };
        assert_eq!(
            node_payload(field, &new_src),
            Some(json!({"src": "https://b/2.jpg", "alt": "Cat", "src2x": "",
                        "url": "{\"href\":\"#x\",\"enabled\":true}"}))
        );
        // After a save the form's original is the new value; the ids still
        // belong to the old URL and are not sent with the new one.
        let mut saved = field.clone();
        saved.original = new_src.clone();
        let alt_after_save = FieldValue::Img {
            src: "https://b/2.jpg".into(),
            alt: "Kitten".into(),
            src2x: String::new(),
        };
        assert_eq!(
            node_payload(&saved, &alt_after_save)
                .and_then(|v| v.as_object().map(|o| o.contains_key("id"))),
            Some(false)
        );
        // A picture this session uploaded carries its files' ids, at exactly their URLs.
        crate::core::upload::remember_upload("https://p/upload/5.jpg", 5);
        crate::core::upload::remember_upload("https://p/upload/5@2x.jpg", 6);
        let uploaded = FieldValue::Img {
            src: "https://p/upload/5.jpg".into(),
            alt: "Cat".into(),
            src2x: "https://p/upload/5@2x.jpg".into(),
        };
        let payload = node_payload(field, &uploaded);
        let ids = |p: &Option<Value>, k: &str| p.as_ref().and_then(|v| v.get(k).cloned());
        assert_eq!(ids(&payload, "id"), Some(json!(5)));
        assert_eq!(ids(&payload, "id2x"), Some(json!(6)));
        let typed = FieldValue::Img {
            src: "https://p/upload/5.jpg?typed".into(),
            alt: "Cat".into(),
            src2x: String::new(),
        };
        let payload = node_payload(field, &typed);
        assert_eq!((ids(&payload, "id"), ids(&payload, "id2x")), (None, None));
        // Whitespace around URLs is not a change.
        let spaced = FieldValue::Img {
            src: " https://a/1.jpg".into(),
            alt: "Cat ".into(),
            src2x: "https://a/1@2x.jpg ".into(),
        };
        assert!(updatenodes_data(&form, &[spaced]).is_empty());
    }

    #[test]
    fn lazy_images_read_and_write_the_real_urls() {
        let form = single(
            "img",
            ".i",
            raw(
                "img",
                "",
                &[
                    ("src", "/placeholder.gif"),
                    ("data-lazy-img", "Y"),
                    ("data-src", "https://a/real.jpg"),
                    ("data-srcset", "https://a/real2.jpg 2x"),
                ],
            ),
        );
        let field = &form.fields[0];
        assert_eq!(value_src(&field.original), "https://a/real.jpg");
        let new = FieldValue::Img {
            src: "https://a/new.jpg".into(),
            alt: String::new(),
            src2x: "https://a/new2.jpg".into(),
        };
        assert_eq!(
            node_payload(field, &new),
            Some(
                json!({"src": "https://a/new.jpg", "alt": "", "src2x": "https://a/new2.jpg",
                        "isLazy": "Y", "lazyOrigSrc": "https://a/new.jpg",
                        "lazyOrigSrcset": "https://a/new2.jpg 2x"})
            )
        );

        let form = single(
            "img",
            ".b",
            raw(
                "div",
                "",
                &[
                    ("style", "background-image: url(/placeholder.gif)"),
                    ("data-lazy-bg", "Y"),
                    ("data-src", "https://a/bg.jpg"),
                    ("data-src2x", "https://a/bg2.jpg"),
                ],
            ),
        );
        let field = &form.fields[0];
        assert_eq!(
            field.original,
            FieldValue::Img {
                src: "https://a/bg.jpg".into(),
                alt: String::new(),
                src2x: "https://a/bg2.jpg".into()
            }
        );
        let new = FieldValue::Img {
            src: "https://a/n.jpg".into(),
            alt: String::new(),
            src2x: "https://a/n2.jpg".into(),
        };
        assert_eq!(
            node_payload(field, &new),
            Some(
                json!({"src": "https://a/n.jpg", "alt": "", "src2x": "https://a/n2.jpg",
                        "isLazy": "Y", "lazyOrigSrc": "https://a/n.jpg",
                        "lazyOrigSrc2x": "https://a/n2.jpg"})
            )
        );
    }

    #[test]
    fn background_img_values() {
        let form = single(
            "img",
            ".b",
            raw(
                "div",
                "<p>inner</p>",
                &[
                    (
                        "style",
                        "min-height: 10px; background-image: url('https://a/x.jpg'); \
                         background-image: image-set(url('https://a/x.jpg') 1x, url('https://a/x2.jpg') 2x);",
                    ),
                    ("data-alt", "Sea"),
                ],
            ),
        );
        assert_eq!(
            form.fields[0].original,
            FieldValue::Img {
                src: "https://a/x.jpg".into(),
                alt: "Sea".into(),
                src2x: "https://a/x2.jpg".into()
            }
        );
        // data-src2x is the fallback for src2x.
        let form = single(
            "img",
            ".b",
            raw(
                "section",
                "",
                &[
                    ("style", "background-image:url(a.jpg)"),
                    ("data-src2x", "b.jpg"),
                ],
            ),
        );
        assert_eq!(
            form.fields[0].original,
            FieldValue::Img {
                src: "a.jpg".into(),
                alt: String::new(),
                src2x: "b.jpg".into()
            }
        );
        // No background at all.
        let form = single("img", ".b", raw("div", "", &[]));
        assert_eq!(
            form.fields[0].original,
            FieldValue::Img {
                src: String::new(),
                alt: String::new(),
                src2x: String::new()
            }
        );
    }

    #[test]
    fn background_image_parsing_variants() {
        let bg = |s: &str| background_image(s);
        let one = |s: &str| (s.to_owned(), String::new());
        assert_eq!(
            bg("background-image: url(https://a/b.jpg);"),
            one("https://a/b.jpg")
        );
        assert_eq!(bg("background-image:url(\"a.jpg\")"), one("a.jpg"));
        assert_eq!(bg("background-image: url( 'a b.jpg' ) ;"), one("a b.jpg"));
        assert_eq!(bg("background-image: url(  a.jpg  )"), one("a.jpg"));
        assert_eq!(
            bg("color: red; background-image: url(a.jpg); --x: 1; padding: 0"),
            one("a.jpg")
        );
        assert_eq!(bg("BACKGROUND-IMAGE: URL(A.jpg)"), one("A.jpg"));
        assert_eq!(
            bg("background: #000 url(x.png) no-repeat center / cover"),
            one("x.png")
        );
        assert_eq!(
            bg("background-image: url('a.jpg'); \
                background-image: -webkit-image-set(url('a.jpg') 1x, url('b.jpg') 2x); \
                background-image: image-set(url('a.jpg') 1x, url('b.jpg') 2x);"),
            ("a.jpg".to_owned(), "b.jpg".to_owned())
        );
        assert_eq!(
            bg("background-image: image-set(\"a.png\" 1x, \"b.png\" 2x)"),
            ("a.png".to_owned(), "b.png".to_owned())
        );
        assert_eq!(
            bg("background-image: image-set(url(b.png) 2dppx, url(a.png) 1x)"),
            ("a.png".to_owned(), "b.png".to_owned())
        );
        // A ';' inside a data URL does not end the declaration.
        assert_eq!(
            bg("background-image: url(\"data:image/png;base64,AAA=\"); color: red"),
            one("data:image/png;base64,AAA=")
        );
        assert_eq!(
            bg("background-image: url(data:image/gif;base64,R0lG)"),
            one("data:image/gif;base64,R0lG")
        );
        assert_eq!(bg(r#"background-image: url("a\"b.jpg")"#), one("a\"b.jpg"));
        // A later declaration wins, `none` included.
        assert_eq!(
            bg("background-image: url(a.jpg); background-image: url(b.jpg)"),
            one("b.jpg")
        );
        assert_eq!(
            bg("background-image: url(a.jpg); background-image: none"),
            (String::new(), String::new())
        );
        // Not an image: other properties, custom properties, empty url().
        assert_eq!(bg("color: red"), (String::new(), String::new()));
        assert_eq!(bg("--bg-url: url(x.jpg)"), (String::new(), String::new()));
        assert_eq!(
            bg("background-image: url()"),
            (String::new(), String::new())
        );
        assert_eq!(bg(""), (String::new(), String::new()));
        // Broken CSS does not panic.
        assert_eq!(bg("background-image: url('a.jpg"), one("a.jpg"));
        assert_eq!(bg("background-image: url(a.jpg"), one("a.jpg"));
        assert_eq!(bg("background-image: \"unterminated"), one("unterminated"));
        assert_eq!(
            bg("background-image: url(\"é.jpg\") 2x"),
            (String::new(), "é.jpg".to_owned())
        );
    }

    #[test]
    fn srcset_2x_variants() {
        assert_eq!(srcset_2x("a.jpg 1x, b.jpg 2x"), "b.jpg");
        assert_eq!(srcset_2x("b.jpg 2x"), "b.jpg");
        assert_eq!(srcset_2x(" c.jpg   2.0x "), "c.jpg");
        assert_eq!(srcset_2x("a.jpg 1x,b.jpg 2x"), "b.jpg");
        assert_eq!(srcset_2x("a.jpg, b.jpg 2x"), "b.jpg");
        // As in the HTML parser: a URL runs to whitespace, commas included.
        assert_eq!(srcset_2x("a.jpg,b.jpg 2x"), "a.jpg,b.jpg");
        assert_eq!(srcset_2x("a.jpg 300w, b.jpg 600w"), "");
        assert_eq!(srcset_2x("a.jpg 1x"), "");
        assert_eq!(srcset_2x(""), "");
        assert_eq!(srcset_2x("https://x/a,b.jpg 2x"), "https://x/a,b.jpg");
        assert_eq!(srcset_2x(",,, ,"), "");
    }

    #[test]
    fn icon_class_rules() {
        assert_eq!(
            own_classes(".landing-block-node-element-icon"),
            vec!["landing-block-node-element-icon"]
        );
        assert_eq!(own_classes(".a.b"), vec!["a", "b"]);
        assert!(own_classes("div.a").is_empty());
        assert!(own_classes(".a .b").is_empty());
        assert!(own_classes(".a > .b").is_empty());
        assert!(own_classes("#wrapper").is_empty());
        assert!(own_classes(".").is_empty());
        assert_eq!(
            icon_class_list(".i", "fa fa-star fa"),
            vec!["i", "fa", "fa-star"]
        );
        assert_eq!(
            icon_class_list(".i", "fa i fa-star"),
            vec!["fa", "i", "fa-star"]
        );
        assert_eq!(icon_class_list(".a.b", "b x"), vec!["a", "b", "x"]);
        assert_eq!(icon_class_list("i.icon", "x"), vec!["x"]);
        assert_eq!(icon_class_list(".i", "   "), vec!["i"]);

        let form = single(
            "icon",
            ".i",
            raw("span", "", &[("class", " i   fa fa-star ")]),
        );
        assert_eq!(
            form.fields[0].original,
            FieldValue::Icon {
                classes: "i fa fa-star".into()
            }
        );
        // Reordered classes are the same icon.
        let reordered = FieldValue::Icon {
            classes: "fa-star fa i".into(),
        };
        assert!(updatenodes_data(&form, &[reordered]).is_empty());
        let emptied = FieldValue::Icon {
            classes: String::new(),
        };
        assert_eq!(
            updatenodes_data(&form, &[emptied]).get(".i@0"),
            Some(&json!(["i"]))
        );
    }

    #[test]
    fn embed_values() {
        let m = raw(
            "iframe",
            "",
            &[
                ("src", "https://player/x"),
                ("class", "embed-responsive-item embed-responsive-4by3"),
            ],
        );
        let form = single("embed", ".e", m);
        assert_eq!(
            form.fields[0].original,
            FieldValue::Embed {
                src: "https://player/x".into(),
                source: String::new(),
                preview: String::new(),
                ratio: "embed-responsive-4by3".into(),
            },
            "iframe src; the ratio class on the element"
        );
        // data-src wins over src; no ratio class, no ratio.
        let m = raw(
            "div",
            "",
            &[
                ("data-src", "//v"),
                ("src", "//ignored"),
                ("class", "embed-responsive-item"),
            ],
        );
        let form = single("embed", ".e", m);
        assert_eq!(
            form.fields[0].original,
            FieldValue::Embed {
                src: "//v".into(),
                source: String::new(),
                preview: String::new(),
                ratio: String::new(),
            }
        );
        let new = FieldValue::Embed {
            src: " //w ".into(),
            source: "s".into(),
            preview: String::new(),
            ratio: String::new(),
        };
        assert_eq!(
            updatenodes_data(&form, &[new]).get(".e@0"),
            Some(&json!({"src": "//w", "source": "s", "preview": "", "ratio": ""}))
        );
    }

    #[test]
    fn embed_from_url_variants() {
        let prev = FieldValue::Embed {
            src: String::new(),
            source: String::new(),
            preview: String::new(),
            ratio: "embed-responsive-9by16".into(),
        };
        let yt = |id: &str| FieldValue::Embed {
            src: format!("//www.youtube.com/embed/{id}?autoplay=0&controls=1&loop=1&mute=0&rel=0"),
            source: format!("https://www.youtube.com/watch?v={id}"),
            preview: format!("//img.youtube.com/vi/{id}/sddefault.jpg"),
            ratio: "embed-responsive-9by16".into(),
        };
        let id = "dQw4w9WgXcQ";
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "http://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=10s",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ#t=3",
            "youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?t=3",
            "//www.youtube.com/embed/dQw4w9WgXcQ?autoplay=1",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "  https://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ  ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ] {
            assert_eq!(embed_from_url(url, &prev), yt(id), "{url}");
        }
        assert_eq!(
            embed_from_url("https://youtu.be/a-b_c1234_Z", &prev),
            yt("a-b_c1234_Z"),
            "ids may hold - and _"
        );
        // Not YouTube ids or hosts: used as given.
        for url in [
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQQ",
            "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/channel/UCxyz",
            "https://example.com/video.mp4",
        ] {
            assert_eq!(
                embed_from_url(url, &prev),
                FieldValue::Embed {
                    src: url.into(),
                    source: url.into(),
                    preview: String::new(),
                    ratio: "embed-responsive-9by16".into(),
                },
                "{url}"
            );
        }
        for url in [
            "https://vimeo.com/76979871",
            "vimeo.com/76979871?share=copy",
            "https://vimeo.com/channels/staffpicks/76979871",
            "https://player.vimeo.com/video/76979871",
        ] {
            assert_eq!(
                embed_from_url(url, &prev),
                FieldValue::Embed {
                    src: "//player.vimeo.com/video/76979871?autoplay=0&loop=0".into(),
                    source: url.into(),
                    preview: String::new(),
                    ratio: "embed-responsive-9by16".into(),
                },
                "{url}"
            );
        }
        assert_eq!(
            embed_from_url("https://vimeo.com/about", &prev),
            FieldValue::Embed {
                src: "https://vimeo.com/about".into(),
                source: "https://vimeo.com/about".into(),
                preview: String::new(),
                ratio: "embed-responsive-9by16".into(),
            }
        );
        assert_eq!(
            embed_from_url("   ", &prev),
            FieldValue::Embed {
                src: String::new(),
                source: String::new(),
                preview: String::new(),
                ratio: "embed-responsive-9by16".into(),
            }
        );
        // A previous value of another kind: no ratio.
        assert_eq!(
            embed_from_url(
                "https://youtu.be/dQw4w9WgXcQ",
                &FieldValue::Text(String::new())
            ),
            match yt(id) {
                FieldValue::Embed {
                    src,
                    source,
                    preview,
                    ..
                } => FieldValue::Embed {
                    src,
                    source,
                    preview,
                    ratio: String::new(),
                },
                other => other,
            }
        );
    }

    #[test]
    fn label_text_rules() {
        assert_eq!(label_text("  Karlovy\n\t Vary  "), "Karlovy Vary");
        assert_eq!(label_text(""), "");
        let sixty = "x".repeat(60);
        assert_eq!(label_text(&sixty), sixty);
        let long = "é".repeat(61);
        assert_eq!(label_text(&long), format!("{}…", "é".repeat(60)));
        let spaced = format!("{} tail", "a".repeat(59));
        assert_eq!(label_text(&spaced), format!("{}…", "a".repeat(59)));
    }

    #[test]
    fn entity_decoding() {
        assert_eq!(
            decode_entities("A &amp; B &lt;i&gt; &quot;q&quot; &#39;s&#x27;"),
            "A & B <i> \"q\" 's'"
        );
        assert_eq!(decode_entities("a&nbsp;b"), "a\u{a0}b");
        assert_eq!(
            decode_entities("AT&T &copy; &#xZZ; &"),
            "AT&T &copy; &#xZZ; &"
        );
        assert_eq!(decode_entities("&#128512;"), "😀");
        assert_eq!(decode_entities("&#1114112;"), "&#1114112;");
    }

    #[test]
    fn text_html_loses_source_indentation_but_keeps_markup_and_pre() {
        let html =
            "\n\t\t<p>Aliquam <b>mattis</b>\n\t\t\tneque.</p>\n\n\t<p>Second<br>line</p>\n\t";
        assert_eq!(
            tidy_html_text(html),
            "<p>Aliquam <b>mattis</b>\nneque.</p>\n<p>Second<br>line</p>"
        );
        assert_eq!(tidy_html_text("Plain title"), "Plain title");
        let pre = "<pre>  keep\n    this</pre>";
        assert_eq!(tidy_html_text(pre), pre);
    }

    #[test]
    fn script_addresses_are_refused_only_when_typed() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "vbscript:msgbox",
            "data:text/html,<script>x</script>",
        ] {
            assert!(is_unsafe_url(bad), "{bad}");
        }
        for good in [
            "https://x.test/a",
            "/page",
            "#top",
            "mailto:a@b.c",
            "tel:+1",
            "data:image/png;base64,AA",
            "",
        ] {
            assert!(!is_unsafe_url(good), "{good}");
        }
        let form = single("link", ".l", raw("a", "Go", &[("href", "/x")]));
        let typed = FieldValue::Link {
            text: "Go".into(),
            href: "javascript:alert(1)".into(),
            new_tab: false,
        };
        assert_eq!(blocked_count(&form, &[typed]), 1);
        assert_eq!(blocked_count(&form, &form.initial_values()), 0);
        let loaded = single(
            "link",
            ".l",
            raw("a", "Go", &[("href", "javascript:void(0)")]),
        );
        assert_eq!(blocked_count(&loaded, &loaded.initial_values()), 0);
    }
}
