//! Edits of a block's stored HTML, the way the portal's `landing.block.updatenodes`,
//! `updateattrs`, `clonecard` and `removecard` change it, done with lol_html (a streaming
//! rewriter with CSS selectors), plus the sanitizer applied to HTML the app sends.

use lol_html::html_content::{ContentType, Element};
use lol_html::{rewrite_str, ElementContentHandlers, HandlerResult, RewriteStrSettings, Selector};
use serde_json::{Map, Value};
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    pub code: &'static str,
    pub message: String,
}

impl EditError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        EditError {
            code,
            message: message.into(),
        }
    }
}

fn type_error(message: impl Into<String>) -> EditError {
    EditError::new("TYPE_ERROR", message)
}

// ---------------------------------------------------------------------------------------------
// Small text helpers

/// PHP's `htmlspecialchars` with ENT_COMPAT: `& < > "`.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Decodes the character references that matter for attribute values (named basics and
/// numeric ones). Unknown references stay as they are.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = &after[..end];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse::<u32>().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((ch, end))
        });
        match decoded {
            Some((ch, end)) => {
                out.push(ch);
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

/// Sets an attribute from a plain (unescaped) value. lol_html escapes `"` but not `&`.
fn set_attr(el: &mut Element<'_, '_>, name: &str, value: &str) {
    let _ = el.set_attribute(name, &value.replace('&', "&amp;"));
}

fn is_dangerous_url(raw: &str) -> bool {
    let cleaned: String = decode_entities(raw)
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || cleaned.starts_with("data:text/html")
}

const URL_ATTRS: [&str; 14] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
    "srcset",
    "lowsrc",
    "dynsrc",
    "ping",
];

fn attr_is_unsafe(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if name.starts_with("on") || name == "srcdoc" {
        return true;
    }
    if URL_ATTRS.contains(&name.as_str()) && is_dangerous_url(value) {
        return true;
    }
    if name == "style" {
        let v = decode_entities(value).to_ascii_lowercase();
        return v.contains("expression(") || v.contains("javascript:");
    }
    false
}

fn strip_unsafe_attrs(el: &mut Element<'_, '_>) {
    let bad: Vec<String> = el
        .attributes()
        .iter()
        .filter(|a| attr_is_unsafe(&a.name(), &a.value()))
        .map(|a| a.name())
        .collect();
    for name in bad {
        el.remove_attribute(&name);
    }
}

/// Removes scripts, styles, embedded documents, event handler attributes and `javascript:`
/// URLs from an HTML fragment (the portal sanitizes text nodes too). If the fragment is too
/// ambiguous to rewrite safely, it is kept as escaped text instead.
pub fn sanitize_html(fragment: &str) -> String {
    let remove_sel: Result<Selector, _> =
        "script, style, iframe, frame, frameset, object, embed, base, meta, link, noscript, template"
            .parse();
    let any_sel: Result<Selector, _> = "*".parse();
    let (Ok(remove_sel), Ok(any_sel)) = (remove_sel, any_sel) else {
        return escape_html(fragment);
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler((
            Cow::Owned(remove_sel),
            ElementContentHandlers::default().element(
                |el: &mut Element<'_, '_>| -> HandlerResult {
                    el.remove();
                    Ok(())
                },
            ),
        ))
        .append_element_content_handler((
            Cow::Owned(any_sel),
            ElementContentHandlers::default().element(
                |el: &mut Element<'_, '_>| -> HandlerResult {
                    strip_unsafe_attrs(el);
                    Ok(())
                },
            ),
        ));
    rewrite_str(fragment, settings).unwrap_or_else(|_| escape_html(fragment))
}

/// Splits a `style` attribute into declarations, respecting quotes and parentheses
/// (`url(data:image/png;base64,...)` contains `;`).
fn split_declarations(style: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in style.chars() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                cur.push(c);
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    cur.push(c);
                }
                '(' => {
                    depth += 1;
                    cur.push(c);
                }
                ')' => {
                    depth = depth.saturating_sub(1);
                    cur.push(c);
                }
                ';' if depth == 0 => {
                    if !cur.trim().is_empty() {
                        out.push(cur.trim().to_string());
                    }
                    cur.clear();
                }
                c => cur.push(c),
            },
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// The element's style without `background`/`background-image`, each declaration ending in `;`.
fn style_without_background(el: &Element<'_, '_>) -> Vec<String> {
    let style = decode_entities(&el.get_attribute("style").unwrap_or_default());
    split_declarations(&style)
        .into_iter()
        .filter(|d| {
            let prop = d
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            prop != "background" && prop != "background-image"
        })
        .map(|d| format!("{d};"))
        .collect()
}

/// A URL as a quoted CSS string.
fn css_url(url: &str) -> String {
    let escaped: String = url
        .chars()
        .filter(|c| *c != '\n' && *c != '\r')
        .flat_map(|c| match c {
            '\\' | '\'' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("url('{escaped}')")
}

fn set_style(el: &mut Element<'_, '_>, decls: &[String]) {
    if decls.is_empty() {
        el.remove_attribute("style");
    } else {
        set_attr(el, "style", &decls.join(" "));
    }
}

// ---------------------------------------------------------------------------------------------
// Operations

#[derive(Debug, Clone, PartialEq)]
enum Op {
    /// Inner HTML, already sanitized.
    Text(String),
    Img {
        src: String,
        alt: String,
        src2x: String,
        id: i64,
        id2x: i64,
    },
    Link {
        /// Inner HTML (escaped text), when the value had `text`.
        html: Option<String>,
        href: String,
        target: String,
        attrs: Vec<(String, String)>,
    },
    Icon(String),
    Embed {
        src: String,
        source: String,
        preview: String,
    },
    /// Attribute name → value (`None` removes it).
    Attrs(Vec<(String, Option<String>)>),
    /// Removes the element (removecard).
    Remove,
    /// Wraps the element in comment markers (first half of clonecard).
    Mark(String),
}

#[derive(Debug, Clone)]
struct Planned {
    selector: String,
    /// `None` = every match.
    position: Option<usize>,
    op: Op,
}

const LINK_TARGETS: [&str; 3] = ["_self", "_blank", "_popup"];
const LINK_ATTRS: [&str; 2] = ["data-embed", "data-url"];

fn apply(op: &Op, el: &mut Element<'_, '_>) {
    match op {
        Op::Text(html) => el.set_inner_content(html, ContentType::Html),
        Op::Img {
            src,
            alt,
            src2x,
            id,
            id2x,
        } => {
            if el.tag_name() == "img" {
                set_attr(el, "alt", alt);
                set_attr(el, "src", src);
                if src2x.is_empty() {
                    el.remove_attribute("srcset");
                } else {
                    set_attr(el, "srcset", &format!("{src2x} 2x"));
                }
            } else {
                let mut decls = style_without_background(el);
                if !src.is_empty() {
                    decls.push(format!("background-image: {};", css_url(src)));
                    if !src2x.is_empty() {
                        let set = format!("{} 1x, {} 2x", css_url(src), css_url(src2x));
                        decls.push(format!("background-image: -webkit-image-set({set});"));
                        decls.push(format!("background-image: image-set({set});"));
                    }
                }
                set_style(el, &decls);
            }
            for (name, v) in [("data-fileid", id), ("data-fileid2x", id2x)] {
                if *v > 0 {
                    set_attr(el, name, &v.to_string());
                } else {
                    el.remove_attribute(name);
                }
            }
        }
        Op::Link {
            html,
            href,
            target,
            attrs,
        } => {
            if let Some(h) = html {
                el.set_inner_content(h, ContentType::Html);
            }
            if !href.is_empty() {
                set_attr(el, "href", href);
            }
            if LINK_TARGETS.contains(&target.as_str()) {
                set_attr(el, "target", target);
            } else {
                el.remove_attribute("target");
            }
            if attrs.is_empty() {
                for a in LINK_ATTRS {
                    el.remove_attribute(a);
                }
            }
            for (k, v) in attrs {
                set_attr(el, k, v);
            }
        }
        Op::Icon(class) => set_attr(el, "class", class),
        Op::Embed {
            src,
            source,
            preview,
        } => {
            if !src.is_empty() {
                if el.tag_name() == "iframe" {
                    set_attr(el, "src", src);
                } else {
                    set_attr(el, "data-src", src);
                }
            }
            if !source.is_empty() {
                set_attr(el, "data-source", source);
            }
            let mut decls = style_without_background(el);
            if preview.is_empty() {
                el.remove_attribute("data-preview");
            } else {
                decls.push(format!("background-image: {};", css_url(preview)));
                set_attr(el, "data-preview", preview);
            }
            set_style(el, &decls);
        }
        Op::Attrs(list) => {
            for (k, v) in list {
                match v {
                    Some(v) => set_attr(el, k, v),
                    None => el.remove_attribute(k),
                }
            }
        }
        Op::Remove => el.remove(),
        Op::Mark(token) => {
            el.before(&format!("<!--{token}-start-->"), ContentType::Html);
            el.after(&format!("<!--{token}-end-->"), ContentType::Html);
        }
    }
}

pub(crate) fn parse_selector(s: &str) -> Result<Selector, EditError> {
    s.parse::<Selector>()
        .map_err(|e| EditError::new("SELECTOR_ERROR", format!("Unsupported selector {s:?}: {e}")))
}

/// Runs all operations in one pass. Each selector counts its own matches in document order.
fn run(html: &str, plan: &[Planned]) -> Result<String, EditError> {
    let mut groups: Vec<(&str, Vec<&Planned>)> = Vec::new();
    for p in plan {
        match groups.iter_mut().find(|(s, _)| *s == p.selector) {
            Some((_, list)) => list.push(p),
            None => groups.push((&p.selector, vec![p])),
        }
    }
    let mut settings = RewriteStrSettings::new();
    for (sel, list) in groups {
        let selector = parse_selector(sel)?;
        let mut seen = 0usize;
        let handler = move |el: &mut Element<'_, '_>| -> HandlerResult {
            let idx = seen;
            seen += 1;
            for p in &list {
                if p.position.is_none_or(|want| want == idx) && !el.removed() {
                    apply(&p.op, el);
                }
            }
            Ok(())
        };
        settings = settings.append_element_content_handler((
            Cow::Owned(selector),
            ElementContentHandlers::default().element(handler),
        ));
    }
    rewrite_str(html, settings)
        .map_err(|e| EditError::new("CONTENT_ERROR", format!("Cannot rewrite the block: {e}")))
}

// ---------------------------------------------------------------------------------------------
// Manifest helpers

pub(crate) fn manifest_section<'a>(
    manifest: &'a Value,
    key: &str,
) -> Option<&'a Map<String, Value>> {
    manifest.get(key).and_then(Value::as_object)
}

/// Node type (`text`, `img`, …) of a manifest node selector.
fn node_type<'a>(manifest: &'a Value, selector: &str) -> Option<&'a str> {
    manifest_section(manifest, "nodes")?
        .get(selector)?
        .get("type")?
        .as_str()
}

/// Every selector the manifest names: nodes, attrs, cards and style nodes.
fn manifest_knows(manifest: &Value, selector: &str) -> bool {
    ["nodes", "attrs", "cards"]
        .iter()
        .any(|k| manifest_section(manifest, k).is_some_and(|m| m.contains_key(selector)))
        || manifest
            .get("style")
            .and_then(|s| s.get("nodes"))
            .and_then(Value::as_object)
            .is_some_and(|m| m.contains_key(selector))
}

/// `".sel@2"` → (".sel", Some(2)); `".sel"` → (".sel", None).
fn split_position(key: &str) -> Result<(&str, Option<usize>), EditError> {
    match key.split_once('@') {
        None => Ok((key, None)),
        Some((sel, pos)) => pos
            .trim()
            .parse::<usize>()
            .map(|n| (sel, Some(n)))
            .map_err(|_| type_error(format!("Bad position in selector {key:?}"))),
    }
}

/// The object form of `data`; `Ok(None)` when it is empty.
fn data_entries(data: &Value) -> Result<Option<&Map<String, Value>>, EditError> {
    match data {
        Value::Object(m) if m.is_empty() => Ok(None),
        Value::Object(m) => Ok(Some(m)),
        Value::Array(a) if a.is_empty() => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::Null => Ok(None),
        _ => Err(type_error("Parameter \"data\" must be an object")),
    }
}

fn str_field(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

fn int_field(v: &Value, key: &str) -> i64 {
    match v.get(key) {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

fn attr_value(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "true" } else { "false" }.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

fn attrs_list(v: &Value, what: &str) -> Result<Vec<(String, Option<String>)>, EditError> {
    let m = v
        .as_object()
        .ok_or_else(|| type_error(format!("{what} must be an object of attributes")))?;
    Ok(m.iter()
        .filter(|(k, val)| {
            let val = attr_value(val).unwrap_or_default();
            !k.trim().is_empty() && !attr_is_unsafe(k.trim(), &val)
        })
        .map(|(k, val)| (k.trim().to_string(), attr_value(val)))
        .collect())
}

/// The portal's clean-up of a text node value: `&amp;x` → `&x`, empty → a space.
fn text_node_html(raw: &str) -> String {
    let clean = sanitize_html(raw.trim());
    if clean.is_empty() {
        return " ".to_string();
    }
    let mut out = String::with_capacity(clean.len());
    let mut rest = clean.as_str();
    while let Some(pos) = rest.find("&amp;") {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 5..];
        match after.chars().next() {
            Some(c) if !c.is_whitespace() => out.push('&'),
            _ => out.push_str("&amp;"),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn node_op(kind: &str, key: &str, value: &Value) -> Result<Option<Op>, EditError> {
    let wrong = || type_error(format!("Wrong value for {kind} node {key:?}"));
    let op = match kind {
        "text" => {
            let raw = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Object(m) => match m.get("text") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Number(n)) => n.to_string(),
                    _ => return Err(wrong()),
                },
                _ => return Err(wrong()),
            };
            Op::Text(text_node_html(&raw))
        }
        "img" => {
            if !value.is_object() {
                return Err(wrong());
            }
            Op::Img {
                src: str_field(value, "src"),
                alt: str_field(value, "alt"),
                src2x: str_field(value, "src2x"),
                id: int_field(value, "id"),
                id2x: int_field(value, "id2x"),
            }
        }
        "link" => {
            let Some(m) = value.as_object() else {
                return Err(wrong());
            };
            let html = match m.get("text") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if s.trim().is_empty() => Some("&nbsp;".to_string()),
                // The portal stores link text as text: HTML in it is escaped, not rendered.
                Some(Value::String(s)) => Some(escape_html(s.trim())),
                Some(_) => return Err(wrong()),
            };
            let attrs = match m.get("attrs") {
                Some(a @ Value::Object(_)) => attrs_list(a, "attrs")?
                    .into_iter()
                    .filter_map(|(k, v)| {
                        let v = v.filter(|v| !v.is_empty())?;
                        LINK_ATTRS.contains(&k.as_str()).then_some((k, v))
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let href = str_field(value, "href");
            let href = if is_dangerous_url(&href) {
                String::new()
            } else {
                href
            };
            Op::Link {
                html,
                href,
                target: str_field(value, "target").to_ascii_lowercase(),
                attrs,
            }
        }
        "icon" => {
            let list = match value {
                Value::Object(m) => m.get("classList").ok_or_else(wrong)?,
                other => other,
            };
            let classes: Vec<String> = match list {
                Value::Array(items) => items
                    .iter()
                    .map(|c| c.as_str().map(|s| s.trim().to_string()).ok_or_else(wrong))
                    .collect::<Result<_, _>>()?,
                Value::String(s) => vec![s.trim().to_string()],
                _ => return Err(wrong()),
            };
            let class = classes
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if class.is_empty() {
                return Ok(None);
            }
            Op::Icon(class)
        }
        "embed" => {
            if !value.is_object() {
                return Err(wrong());
            }
            let safe = |k: &str| {
                let v = str_field(value, k);
                if is_dangerous_url(&v) {
                    String::new()
                } else {
                    v
                }
            };
            Op::Embed {
                src: safe("src"),
                source: safe("source"),
                preview: safe("preview"),
            }
        }
        // map, component, styleimg: not edited by this emulator.
        _ => return Ok(None),
    };
    Ok(Some(op))
}

// ---------------------------------------------------------------------------------------------
// Public operations

/// `landing.block.updatenodes`: applies `data` to the block's HTML.
/// Selectors not in the manifest are ignored; empty `data` is `NODES_NOT_FOUND`.
pub fn update_nodes(html: &str, manifest: &Value, data: &Value) -> Result<String, EditError> {
    let entries =
        data_entries(data)?.ok_or_else(|| EditError::new("NODES_NOT_FOUND", "Nodes not found"))?;
    let mut plan = Vec::new();
    for (key, value) in entries {
        let (selector, position) = split_position(key)?;
        let Some(kind) = node_type(manifest, selector) else {
            continue;
        };
        let attrs_only = value
            .as_object()
            .is_some_and(|m| m.len() == 1 && m.contains_key("attrs"));
        let op = if attrs_only {
            let attrs = value.get("attrs").unwrap_or(&Value::Null);
            Some(Op::Attrs(attrs_list(attrs, "attrs")?))
        } else {
            node_op(kind, key, value)?
        };
        let Some(op) = op else {
            continue;
        };
        let position = match (&op, position) {
            // attrs without a position apply to every match, content to the first one.
            (Op::Attrs(_), p) => p,
            (_, p) => Some(p.unwrap_or(0)),
        };
        plan.push(Planned {
            selector: selector.to_string(),
            position,
            op,
        });
    }
    if plan.is_empty() {
        return Ok(html.to_string());
    }
    run(html, &plan)
}

/// `landing.block.updateattrs`: `{selector[@N]: {attr: value}}` for selectors the manifest knows.
pub fn update_attrs(html: &str, manifest: &Value, data: &Value) -> Result<String, EditError> {
    let entries =
        data_entries(data)?.ok_or_else(|| EditError::new("NODES_NOT_FOUND", "Nodes not found"))?;
    let mut plan = Vec::new();
    for (key, value) in entries {
        let (selector, position) = split_position(key)?;
        if !manifest_knows(manifest, selector) || selector == "#wrapper" {
            continue;
        }
        plan.push(Planned {
            selector: selector.to_string(),
            position,
            op: Op::Attrs(attrs_list(value, "Attributes")?),
        });
    }
    if plan.is_empty() {
        return Ok(html.to_string());
    }
    run(html, &plan)
}

fn card_target<'a>(manifest: &Value, selector: &'a str) -> Result<(&'a str, usize), EditError> {
    let (sel, pos) = split_position(selector.trim())?;
    let known = manifest_section(manifest, "cards").is_some_and(|c| c.contains_key(sel));
    if !known {
        return Err(EditError::new("CARD_NOT_FOUND", "Card not found"));
    }
    Ok((sel, pos.unwrap_or(0)))
}

/// `landing.block.clonecard`: the N-th card is duplicated right after itself.
pub fn clone_card(html: &str, manifest: &Value, selector: &str) -> Result<String, EditError> {
    let (sel, pos) = card_target(manifest, selector)?;
    let mut token = format!("emu-card-{}", crate::ids::hex(12));
    while html.contains(&token) {
        token = format!("emu-card-{}", crate::ids::hex(12));
    }
    let marked = run(
        html,
        &[Planned {
            selector: sel.to_string(),
            position: Some(pos),
            op: Op::Mark(token.clone()),
        }],
    )?;
    let start_mark = format!("<!--{token}-start-->");
    let end_mark = format!("<!--{token}-end-->");
    let (Some(start), Some(end)) = (marked.find(&start_mark), marked.find(&end_mark)) else {
        return Err(EditError::new("CARD_NOT_FOUND", "Card not found"));
    };
    let inner_start = start + start_mark.len();
    if end < inner_start {
        return Err(EditError::new("CARD_NOT_FOUND", "Card not found"));
    }
    let card = &marked[inner_start..end];
    Ok(format!(
        "{}{card}{card}{}",
        &marked[..start],
        &marked[end + end_mark.len()..]
    ))
}

/// `landing.block.removecard`: the N-th card is removed.
pub fn remove_card(html: &str, manifest: &Value, selector: &str) -> Result<String, EditError> {
    let (sel, pos) = card_target(manifest, selector)?;
    if count_matches(html, sel)? <= pos {
        return Err(EditError::new("CARD_NOT_FOUND", "Card not found"));
    }
    run(
        html,
        &[Planned {
            selector: sel.to_string(),
            position: Some(pos),
            op: Op::Remove,
        }],
    )
}

/// How many elements match `selector`.
pub fn count_matches(html: &str, selector: &str) -> Result<usize, EditError> {
    let selector = parse_selector(selector)?;
    let mut n = 0usize;
    {
        let settings = RewriteStrSettings::new().append_element_content_handler((
            Cow::Owned(selector),
            ElementContentHandlers::default().element(
                |_el: &mut Element<'_, '_>| -> HandlerResult {
                    n += 1;
                    Ok(())
                },
            ),
        ));
        rewrite_str(html, settings)
            .map_err(|e| EditError::new("CONTENT_ERROR", format!("Cannot read the block: {e}")))?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizer_strips_active_content() {
        let dirty = r#"<b onclick="x()">Hi</b><script>alert(1)</script><style>p{}</style><a href=" jav&#x61;script:alert(1)" title="ok">l</a><img src="javascript:x" onerror="y"><i style="width:expression(1)">i</i>"#;
        let clean = sanitize_html(dirty);
        assert_eq!(clean, r#"<b>Hi</b><a title="ok">l</a><img><i>i</i>"#);
        let keep = r#"<p class="a">Text <strong>bold</strong> <a href="https://x.test/?a=1&amp;b=2">x</a></p>"#;
        assert_eq!(sanitize_html(keep), keep);
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a&amp;b&#58;&#x3A;&colon;&bogus;&"),
            "a&b:::&bogus;&"
        );
    }

    #[test]
    fn declarations_split_respects_urls() {
        assert_eq!(
            split_declarations("color: red; background-image:url(data:a;b) ;; --x: 'a;b'"),
            vec!["color: red", "background-image:url(data:a;b)", "--x: 'a;b'"]
        );
    }

    #[test]
    fn text_value_quirks() {
        assert_eq!(text_node_html("  AT&amp;T &amp; co "), "AT&T &amp; co");
        assert_eq!(text_node_html(""), " ");
        assert_eq!(text_node_html("<script>x</script>"), " ");
    }

    #[test]
    fn css_url_quotes() {
        assert_eq!(css_url("a'b\\c"), r"url('a\'b\\c')");
    }
}
