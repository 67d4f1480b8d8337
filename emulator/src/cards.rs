//! `landing.block.updatecards`, done the way `Bitrix\Landing\Block::updateCards` does it
//! (`modules/landing/lib/block.php`; the REST entry is `PublicAction\Block::updateCards` in
//! `lib/publicaction/block.php`, both read in `avshatalov48/bitrix-core-business`). For each
//! `data` key (a card selector):
//! 1. the outer HTML of every current match is read;
//! 2. `source` (if a list) builds the new list: `{type: "card", value: i}` takes current card
//!    `i`, `{type: "preset", value: code}` the manifest preset's `html`, anything else nothing;
//!    a missing `type` is `card`, a missing `value` is 0, an element that is not an object is
//!    card 0. If the joined result is not blank, it becomes the whole inner HTML of the first
//!    card's parent (so non-card siblings in that parent are lost, and cards under another
//!    parent stay); a blank result (`source: []`, only bad indices) changes nothing;
//! 3. `values` (if a list) is a list of `{"<node selector>@<N>": value}` objects, applied like
//!    updatenodes with N counted among the node's matches in the whole block *after* step 2.
//!
//! Nothing checks that the selector is one of the manifest's cards, and nothing is an error
//! except rights, page and block (checked by the caller). A key without `@N` gets the
//! position of the previous key (PHP's list assignment keeps the old variable), or none.

use crate::html_edit::{self, parse_selector, EditError};
use lol_html::html_content::{ContentType, Element};
use lol_html::{rewrite_str, ElementContentHandlers, HandlerResult, RewriteStrSettings};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::{Arc, Mutex, MutexGuard};

/// The matches of a card selector as the block stands.
struct Cards {
    /// Outer HTML of each match, in document order.
    outer: Vec<String>,
    /// Ordinal (document order, all elements) of the first match's parent; `None` when the
    /// first match is at the top of the fragment.
    parent: Option<usize>,
}

#[derive(Default)]
struct Walk {
    /// Elements seen so far.
    count: usize,
    /// Ordinals of the elements open at this point.
    open: Vec<usize>,
    /// Set at the first card.
    parent: Option<Option<usize>>,
}

fn rewrite_error(e: impl std::fmt::Display) -> EditError {
    EditError::new("CONTENT_ERROR", format!("Cannot rewrite the block: {e}"))
}

/// The lock is only ever taken by one handler at a time; a poisoned one still holds the data.
fn lock(walk: &Mutex<Walk>) -> MutexGuard<'_, Walk> {
    walk.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Ordinal of every element, tracking which are open (end tags pop them).
fn track(walk: &Arc<Mutex<Walk>>, el: &mut Element<'_, '_>) -> HandlerResult {
    let id = {
        let mut w = lock(walk);
        w.count += 1;
        w.count - 1
    };
    if let Some(handlers) = el.end_tag_handlers() {
        lock(walk).open.push(id);
        let w = Arc::clone(walk);
        handlers.push(Box::new(move |_end| {
            let mut w = lock(&w);
            if let Some(at) = w.open.iter().rposition(|x| *x == id) {
                w.open.truncate(at);
            }
            Ok(())
        }));
    }
    Ok(())
}

fn read_cards(html: &str, selector: &str) -> Result<Cards, EditError> {
    let Ok(card_selector) = parse_selector(selector) else {
        // The portal's DOM query finds nothing for a selector it cannot read.
        return Ok(Cards {
            outer: Vec::new(),
            parent: None,
        });
    };
    let mut token = format!("emu-cards-{}", crate::ids::hex(12));
    while html.contains(&token) {
        token = format!("emu-cards-{}", crate::ids::hex(12));
    }
    let walk = Arc::new(Mutex::new(Walk::default()));
    let mut cards = 0usize;
    let marked = {
        let w1 = Arc::clone(&walk);
        let w2 = Arc::clone(&walk);
        let tok = token.clone();
        let n = &mut cards;
        // "*" is registered first, so it has counted (and opened) the card when the card
        // handler runs on the same element.
        let settings = RewriteStrSettings::new()
            .append_element_content_handler((
                Cow::Owned(parse_selector("*")?),
                ElementContentHandlers::default()
                    .element(move |el: &mut Element<'_, '_>| track(&w1, el)),
            ))
            .append_element_content_handler((
                Cow::Owned(card_selector),
                ElementContentHandlers::default().element(move |el: &mut Element<'_, '_>| {
                    let mut w = lock(&w2);
                    if w.parent.is_none() {
                        let own = w.count - 1;
                        let open = &w.open;
                        let parent = match open.last() {
                            Some(top) if *top == own => open.len().checked_sub(2).map(|i| open[i]),
                            other => other.copied(),
                        };
                        w.parent = Some(parent);
                    }
                    el.before(&format!("<!--{tok}-{n}-s-->"), ContentType::Html);
                    el.after(&format!("<!--{tok}-{n}-e-->"), ContentType::Html);
                    *n += 1;
                    Ok(())
                }),
            ));
        rewrite_str(html, settings).map_err(rewrite_error)?
    };
    let mut outer = Vec::with_capacity(cards);
    for i in 0..cards {
        let start_mark = format!("<!--{token}-{i}-s-->");
        let end_mark = format!("<!--{token}-{i}-e-->");
        let (Some(start), Some(end)) = (marked.find(&start_mark), marked.find(&end_mark)) else {
            return Err(EditError::new("CARD_NOT_FOUND", "Card not found"));
        };
        let from = start + start_mark.len();
        if end < from {
            return Err(EditError::new("CARD_NOT_FOUND", "Card not found"));
        }
        outer.push(strip_marks(&marked[from..end], &token));
    }
    let parent = lock(&walk).parent.flatten();
    Ok(Cards { outer, parent })
}

/// A card's HTML without the markers of cards nested in it.
fn strip_marks(html: &str, token: &str) -> String {
    let open = format!("<!--{token}-");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        out.push_str(&rest[..at]);
        match rest[at..].find("-->") {
            Some(end) => rest = &rest[at + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The element with ordinal `parent` gets `content` as its inner HTML.
fn replace_children(html: &str, parent: usize, content: &str) -> Result<String, EditError> {
    let mut seen = 0usize;
    let settings = RewriteStrSettings::new().append_element_content_handler((
        Cow::Owned(parse_selector("*")?),
        ElementContentHandlers::default().element(move |el: &mut Element<'_, '_>| {
            if seen == parent {
                el.set_inner_content(content, ContentType::Html);
            }
            seen += 1;
            Ok(())
        }),
    ));
    rewrite_str(html, settings).map_err(rewrite_error)
}

/// A PHP array key from a JSON value, as `isset($cardContent[$value])` reads it: whole
/// numbers, canonical decimal strings, floats (truncated) and booleans name an index.
fn card_index(v: &Value) -> Option<usize> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f.trunc() as u64))
            .and_then(|n| usize::try_from(n).ok()),
        Value::String(s) if s == "0" || (!s.starts_with('0') && !s.is_empty()) => {
            s.parse::<usize>().ok()
        }
        Value::Bool(b) => Some(usize::from(*b)),
        _ => None,
    }
}

/// The elements of a PHP array: a list's items, or an object's values in order.
fn php_items(v: &Value) -> Option<Vec<&Value>> {
    match v {
        Value::Array(a) => Some(a.iter().collect()),
        Value::Object(o) => Some(o.values().collect()),
        _ => None,
    }
}

/// Step 2 for one selector: the new inner HTML of the cards' parent, if any.
fn rebuilt(sources: &[&Value], cards: &[String], card_manifest: Option<&Value>) -> Option<String> {
    let mut joined = String::new();
    for source in sources {
        let (kind, value) = match source.as_object() {
            Some(o) => (
                o.get("type").filter(|t| !t.is_null()),
                o.get("value").filter(|v| !v.is_null()),
            ),
            None => (None, None),
        };
        let kind = kind.map_or(Some("card"), Value::as_str);
        let zero = Value::from(0);
        let value = value.unwrap_or(&zero);
        let piece = match kind {
            Some("card") => card_index(value).and_then(|i| cards.get(i)).cloned(),
            Some("preset") => value.as_str().and_then(|code| {
                card_manifest?
                    .get("presets")?
                    .get(code)?
                    .get("html")?
                    .as_str()
                    .map(str::to_string)
            }),
            _ => None,
        };
        joined.push_str(&piece.unwrap_or_default());
    }
    let joined = joined.trim();
    (!joined.is_empty()).then(|| joined.to_string())
}

/// Step 3: `values` as an updatenodes `data` map (`selector@N` keys). Objects holding only
/// `attrs` are left out: this path hands values to the node handlers, which save content.
fn values_data(values: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    let mut last_pos: Option<String> = None;
    for item in php_items(values).unwrap_or_default() {
        let Some(obj) = item.as_object() else {
            continue;
        };
        for (key, value) in obj {
            // `mb_strpos($sel, '@')` is false for a key starting with '@' too.
            let selector = match key.find('@') {
                Some(at) if at > 0 => {
                    let pos = key[at + 1..].split('@').next().unwrap_or("");
                    last_pos = Some(pos.to_string());
                    &key[..at]
                }
                _ => key.as_str(),
            };
            let Some(pos) = last_pos.as_deref() else {
                continue;
            };
            let canonical = pos == "0" || (!pos.starts_with('0') && !pos.is_empty());
            if !canonical || pos.parse::<usize>().is_err() {
                continue;
            }
            let attrs_only = value
                .as_object()
                .is_some_and(|m| m.len() == 1 && m.contains_key("attrs"));
            if !attrs_only {
                out.insert(format!("{selector}@{pos}"), value.clone());
            }
        }
    }
    out
}

/// `landing.block.updatecards`: applies `data` to the block's HTML (see the module comment).
pub fn update_cards(html: &str, manifest: &Value, data: &Value) -> Result<String, EditError> {
    let entries = match data {
        Value::Object(m) => m.clone(),
        Value::Array(a) if a.is_empty() => Map::new(),
        Value::Null => Map::new(),
        Value::String(s) if s.is_empty() => Map::new(),
        _ => {
            return Err(EditError::new(
                "TYPE_ERROR",
                "Parameter \"data\" must be an object",
            ))
        }
    };
    let card_manifests = html_edit::manifest_section(manifest, "cards");
    let mut html = html.to_string();
    for (selector, item) in &entries {
        let Some(item) = item.as_object() else {
            continue;
        };
        if let Some(sources) = item.get("source").and_then(php_items) {
            let cards = read_cards(&html, selector)?;
            let card_manifest = card_manifests.and_then(|c| c.get(selector));
            if let Some(content) = rebuilt(&sources, &cards.outer, card_manifest) {
                html = match cards.parent {
                    _ if cards.outer.is_empty() => html,
                    Some(parent) => replace_children(&html, parent, &content)?,
                    None => content,
                };
            }
        }
        if let Some(values) = item.get("values") {
            let data = values_data(values);
            if !data.is_empty() {
                html = html_edit::update_nodes(&html, manifest, &Value::Object(data))?;
            }
        }
    }
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indices_read_as_php_keys() {
        assert_eq!(card_index(&json!(2)), Some(2));
        assert_eq!(card_index(&json!("2")), Some(2));
        assert_eq!(card_index(&json!("0")), Some(0));
        assert_eq!(card_index(&json!("02")), None);
        assert_eq!(card_index(&json!(1.9)), Some(1));
        assert_eq!(card_index(&json!(-1)), None);
        assert_eq!(card_index(&json!(true)), Some(1));
        assert_eq!(card_index(&json!("x")), None);
    }

    #[test]
    fn values_keep_the_last_position_for_bare_keys() {
        let data = values_data(&json!([
            {".a": "no position yet", ".b@1": "b1", ".c": "c1"},
            "not an object",
            {"@2": "at start", ".d@01": "not canonical", ".e@2": {"attrs": {"x": "1"}}}
        ]));
        let keys: Vec<&str> = data.keys().map(String::as_str).collect();
        // "@2" is not split ('@' at 0), so it takes the previous position.
        assert_eq!(keys, vec![".b@1", ".c@1", "@2@1"]);
    }

    #[test]
    fn rebuilt_joins_sources_and_skips_unknown() {
        let cards = vec!["<li>a</li>".to_string(), "<li>b</li>".to_string()];
        let sources = json!([{"value": 1}, {"type": "card", "value": 9}, 0, {"type": "x"}]);
        let list: Vec<&Value> = sources.as_array().unwrap().iter().collect();
        assert_eq!(
            rebuilt(&list, &cards, None).as_deref(),
            Some("<li>b</li><li>a</li>")
        );
        assert_eq!(rebuilt(&[], &cards, None), None);
    }
}
