//! The HTML sanitizer: what the app shows from a block, or writes into one, goes through
//! here first. Two allow-lists:
//! - [`Policy::Text`], a text node's inline content (formatting, links, lists);
//! - [`Policy::Preview`], a whole block for the preview frame (its structure and classes).
//!
//! The output is rebuilt from tokens, never copied: every kept element is opened and closed
//! in order, text and attribute values are escaped anew, and what is not on the list goes —
//! script-bearing elements with their content, others leaving their text. No `on*`
//! attribute, script address (`javascript:`, `vbscript:`, `data:`) or CSS that can load
//! one survives. It never fails: malformed input is read as a browser would, roughly.

use super::model::decode_entities;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// A text node's inline content, edited as formatted text.
    Text,
    /// A whole block's HTML, shown in the live preview (a frame that runs nothing).
    Preview,
}

/// Elements dropped with everything inside them.
#[rustfmt::skip]
const DROPPED: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "applet", "frame", "frameset", "noscript",
    "template", "textarea", "title", "xmp", "noembed", "noframes", "svg", "math", "head",
    "select", "audio", "video",
];
/// Elements without content or end tag.
#[rustfmt::skip]
const VOID: &[&str] = &[
    "br", "img", "hr", "wbr", "source", "col", "input", "meta", "link", "base", "area", "param",
    "track", "keygen",
];
/// Inline formatting and the blocks formatted text uses: both policies allow them.
#[rustfmt::skip]
const TEXT_TAGS: &[&str] = &[
    "b", "strong", "i", "em", "u", "s", "strike", "del", "ins", "sub", "sup", "small", "mark",
    "a", "br", "p", "span", "ul", "ol", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "code",
];
/// What a whole block has besides: its structure, pictures, tables.
#[rustfmt::skip]
const PREVIEW_MORE_TAGS: &[&str] = &[
    "section", "article", "header", "footer", "nav", "aside", "main", "img", "picture",
    "source", "figure", "figcaption", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot",
    "tr", "th", "td", "caption", "colgroup", "col", "pre", "hr", "button", "label", "address",
    "time", "abbr", "cite", "q", "wbr",
];
#[rustfmt::skip]
const PREVIEW_ATTRS: &[&str] = &[
    "class", "id", "style", "title", "alt", "width", "height", "role", "lang", "dir", "colspan",
    "rowspan", "href", "target", "rel", "src", "srcset", "sizes", "loading", "type",
];
/// Attributes holding addresses.
#[rustfmt::skip]
const URL_ATTRS: &[&str] = &[
    "href", "src", "srcset", "poster", "data-src", "data-srcset", "background", "cite",
];
/// Deeper nesting than this is flattened: the output stays bounded whatever comes in.
const MAX_DEPTH: usize = 512;

pub fn sanitize(html: &str, policy: Policy) -> String {
    let mut out = String::with_capacity(html.len());
    let mut open: Vec<&'static str> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, rest);
            break;
        };
        push_text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        rest = if rest.starts_with("<!--") {
            skip_past(rest, 4, "-->")
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            skip_past(rest, 2, ">")
        } else if let Some(after) = rest.strip_prefix("</") {
            if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
                let (name, tail) = tag_name(after);
                close(&mut out, &mut open, &name);
                skip_past(tail, 0, ">")
            } else {
                out.push_str("&lt;");
                &rest[1..]
            }
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            start_tag(&mut out, &mut open, &rest[1..], policy)
        } else {
            out.push_str("&lt;");
            &rest[1..]
        };
    }
    while let Some(name) = open.pop() {
        push_end(&mut out, name);
    }
    out
}

/// What follows `marker` after `from` bytes, or nothing when it never comes.
fn skip_past<'a>(text: &'a str, from: usize, marker: &str) -> &'a str {
    match text.get(from..).and_then(|t| t.find(marker)) {
        Some(i) => &text[from + i + marker.len()..],
        None => "",
    }
}

/// A tag's lower-case name and what follows it.
fn tag_name(text: &str) -> (String, &str) {
    let end = text
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(text.len());
    (text[..end].to_ascii_lowercase(), &text[end..])
}

fn close(out: &mut String, open: &mut Vec<&'static str>, name: &str) {
    if let Some(at) = open.iter().rposition(|n| *n == name) {
        while open.len() > at {
            if let Some(n) = open.pop() {
                push_end(out, n);
            }
        }
    }
}

/// Reads one start tag (after its `<`) and its attributes; returns what follows it.
fn start_tag<'a>(
    out: &mut String,
    open: &mut Vec<&'static str>,
    text: &'a str,
    policy: Policy,
) -> &'a str {
    let (name, mut rest) = tag_name(text);
    let mut attrs: Vec<(String, String)> = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            // A tag the input ends inside is no tag, as in a browser.
            return rest;
        }
        if let Some(after) = rest.strip_prefix('>') {
            rest = after;
            break;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(rest.len())
            .max(1.min(rest.len()));
        let attr = rest[..end].to_ascii_lowercase();
        rest = rest[end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let (raw, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                    Some(i) => (&after[1..1 + i], &after[2 + i..]),
                    None => (&after[1..], ""),
                },
                _ => {
                    let e = after
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..e], &after[e..])
                }
            };
            value = decode_entities(raw);
            rest = tail;
        }
        if !attrs.iter().any(|(n, _)| *n == attr) {
            attrs.push((attr, value));
        }
    }
    if let Some(dropped) = DROPPED.iter().find(|d| **d == name) {
        return skip_element(rest, dropped);
    }
    let more = match policy {
        Policy::Text => &[][..],
        Policy::Preview => PREVIEW_MORE_TAGS,
    };
    let Some(tag) = TEXT_TAGS.iter().chain(more).copied().find(|t| *t == name) else {
        return rest;
    };
    let void = VOID.contains(&tag);
    if !void && open.len() >= MAX_DEPTH {
        return rest;
    }
    out.push('<');
    out.push_str(tag);
    let mut has_rel = false;
    let mut blank = false;
    for (attr, value) in &attrs {
        if !keep_attr(tag, attr, value, policy) {
            continue;
        }
        has_rel |= attr == "rel";
        blank |= attr == "target" && value.eq_ignore_ascii_case("_blank");
        push_attr(out, attr, value);
    }
    if tag == "a" && blank && !has_rel {
        push_attr(out, "rel", "noopener noreferrer");
    }
    out.push('>');
    if !void {
        open.push(tag);
    }
    rest
}

/// Skips a dropped element's content up to its end tag (names compared without case).
fn skip_element<'a>(text: &'a str, name: &str) -> &'a str {
    let mut from = 0;
    while let Some(i) = text[from..].find("</") {
        let at = from + i + 2;
        let named = text
            .as_bytes()
            .get(at..at + name.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(name.as_bytes()));
        if named {
            return skip_past(&text[at..], name.len(), ">");
        }
        from = at;
    }
    ""
}

fn keep_attr(tag: &str, attr: &str, value: &str, policy: Policy) -> bool {
    if attr.starts_with("on") || attr.is_empty() {
        return false;
    }
    let listed = match policy {
        Policy::Text => match attr {
            "style" | "class" | "title" => true,
            "href" | "rel" => tag == "a",
            "target" => {
                tag == "a"
                    && (value.eq_ignore_ascii_case("_blank") || value.eq_ignore_ascii_case("_self"))
            }
            _ => false,
        },
        Policy::Preview => {
            PREVIEW_ATTRS.contains(&attr) || attr.starts_with("data-") || attr.starts_with("aria-")
        }
    };
    if !listed {
        return false;
    }
    if attr == "style" {
        return safe_style(value);
    }
    if URL_ATTRS.contains(&attr) {
        return safe_url(attr, value, policy);
    }
    // Any other value that is a script address goes too (`data-preview`, `data-url`, …):
    // inert here, but nothing the page's own scripts could pick up later.
    let scheme = scheme_of(value);
    !scheme.starts_with("javascript:") && !scheme.starts_with("vbscript:")
}

/// An address attribute that cannot run or smuggle script. `srcset` lists several.
fn safe_url(attr: &str, value: &str, policy: Policy) -> bool {
    let urls: Vec<&str> = if attr.ends_with("srcset") {
        value.split(',').collect()
    } else {
        vec![value]
    };
    urls.iter().all(|url| {
        let scheme = scheme_of(url);
        if scheme.starts_with("data:") {
            // The portal's lazy-load placeholders are raster data images; SVG can hold script.
            policy == Policy::Preview
                && attr != "href"
                && [
                    "data:image/png",
                    "data:image/gif",
                    "data:image/jpeg",
                    "data:image/webp",
                ]
                .iter()
                .any(|ok| scheme.starts_with(ok))
        } else {
            !scheme.starts_with("javascript:") && !scheme.starts_with("vbscript:")
        }
    })
}

/// The start of an address as a browser reads its scheme: blanks and control characters
/// inside are ignored, case too.
fn scheme_of(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(20)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A `style` value with nothing that runs or loads script. CSS escapes could spell any of
/// these, so a backslash alone refuses the style.
fn safe_style(style: &str) -> bool {
    let flat: String = style
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    if flat.contains('\\')
        || [
            "expression(",
            "javascript:",
            "vbscript:",
            "-moz-binding",
            "behavior:",
            "@import",
        ]
        .iter()
        .any(|bad| flat.contains(bad))
    {
        return false;
    }
    flat.split("url(").skip(1).all(|arg| {
        let target = arg.trim_start_matches(['"', '\'']);
        !target.starts_with("data:")
            || [
                "data:image/png",
                "data:image/gif",
                "data:image/jpeg",
                "data:image/webp",
            ]
            .iter()
            .any(|ok| target.starts_with(ok))
    })
}

fn push_text(out: &mut String, raw: &str) {
    if raw.is_empty() {
        return;
    }
    escape_into(out, &decode_entities(raw), false);
}

fn push_attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape_into(out, value, true);
    out.push('"');
}

fn push_end(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn escape_into(out: &mut String, text: &str, quote: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quote => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            _ => out.push(c),
        }
    }
}

/// Text escaped for HTML content.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text, false);
    out
}

/// Text escaped for a double-quoted attribute value.
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text, true);
    out
}

/// [`sanitize`] with [`Policy::Text`], where a `style` stays only when that element kind had
/// that style in `original` (the node as loaded) or it is one of `extra` (what the toolbar
/// writes): a browser's editing invents styles (`font-size` spans when lines merge), and a
/// paste brings its own; neither is the block's.
pub fn sanitize_text_keeping_styles(html: &str, original: &str, extra: &[&str]) -> String {
    use regular::Piece;
    let style_of = |name: &str, attrs: &[(String, String)]| {
        attrs
            .iter()
            .find(|(a, _)| a == "style")
            .map(|(_, v)| (name.to_owned(), style_key(v)))
    };
    let known: Vec<(String, String)> = regular::pieces(&sanitize(original, Policy::Text))
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Start { name, attrs } => style_of(&name, &attrs),
            _ => None,
        })
        .collect();
    let mut pieces = regular::pieces(&sanitize(html, Policy::Text));
    for piece in &mut pieces {
        if let Piece::Start { name, attrs } = piece {
            attrs.retain(|(attr, value)| {
                attr != "style"
                    || extra.iter().any(|e| style_key(e) == style_key(value))
                    || known
                        .iter()
                        .any(|(n, v)| n == name && *v == style_key(value))
            });
        }
    }
    regular::write(&pieces)
}

/// A style as compared, not as written: `color:#EE4136` is `color: #ee4136;`.
fn style_key(style: &str) -> String {
    let flat: String = style.chars().filter(|c| !c.is_whitespace()).collect();
    flat.trim_end_matches(';').to_ascii_lowercase()
}

pub(crate) mod regular;

#[cfg(test)]
mod tests;

// The parser-backed property tests need native-only dev-dependencies.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod parsed;
