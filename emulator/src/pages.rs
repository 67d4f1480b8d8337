//! The portal's pages (`fixtures/pages.json`) and `landing.landing.getlist`, as the public
//! REST docs describe it (`api-reference/landing/page/methods/landing-landing-get-list.md` in
//! `bitrix24/b24restdocs`): everything sits in `params` (`select`, `filter`, `order`,
//! `limit`, `offset`, `get_urls`); rows are database rows, every value a string, with
//! `DOMAIN_ID` always added. The method has no `start` paging: without `limit` it answers
//! every matching page in one list, with no `next` or `total`. Also `landing.block.getlist`,
//! the blocks of a page.

use crate::methods::{
    block_row, check_read, int_param, nested_flag, php_truthy, present, require, wrapped, ApiError,
    Success,
};
use crate::store::Store;
use serde_json::json;
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::sync::OnceLock;

const FIXTURE: &str = include_str!("../fixtures/pages.json");

/// Every page row, in ID order.
pub fn pages() -> &'static [Map<String, Value>] {
    static PAGES: OnceLock<Vec<Map<String, Value>>> = OnceLock::new();
    PAGES.get_or_init(|| {
        serde_json::from_str::<Value>(FIXTURE)
            .ok()
            .and_then(|v| v.get("pages").cloned())
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default()
    })
}

fn field_str<'a>(row: &'a Map<String, Value>, name: &str) -> &'a str {
    row.get(name).and_then(Value::as_str).unwrap_or("")
}

/// The page row with this id, deleted or not.
pub fn page(id: u64) -> Option<&'static Map<String, Value>> {
    pages()
        .iter()
        .find(|r| field_str(r, "ID").parse::<u64>().ok() == Some(id))
}

/// Whether `landing.block.*` may use page `id`: it exists and is not deleted.
pub fn page_exists(id: u64) -> bool {
    page(id).is_some_and(|r| field_str(r, "DELETED") != "Y")
}

fn unknown_field(name: &str) -> ApiError {
    ApiError::new(
        400,
        "SYSTEM_ERROR",
        format!("Unknown field definition `{name}` for Landing entity."),
    )
}

fn known_field(name: &str) -> bool {
    name == "DOMAIN_ID" || pages().first().is_some_and(|r| r.contains_key(name))
}

/// A filter or order value as text (numbers as written, booleans as PHP prints them).
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "" }.to_string()),
        _ => None,
    }
}

/// Numbers compare as numbers when both sides are numbers, else as text.
fn compare(a: &str, b: &str) -> Ordering {
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.cmp(b),
    }
}

/// One filter condition: `[op]FIELD` → value (a list means "any of").
struct Condition {
    op: &'static str,
    field: String,
    wanted: Vec<String>,
}

impl Condition {
    fn parse(key: &str, value: &Value) -> Condition {
        let ops = ["!=", ">=", "<=", "=", "!", "%", ">", "<"];
        let op = ops
            .iter()
            .find(|o| key.starts_with(**o))
            .copied()
            .unwrap_or("");
        let wanted = match value {
            Value::Array(items) => items.iter().filter_map(scalar_text).collect(),
            other => scalar_text(other).into_iter().collect(),
        };
        Condition {
            op,
            field: key[op.len()..].to_string(),
            wanted,
        }
    }

    fn matches(&self, row: &Map<String, Value>) -> bool {
        let have = field_str(row, &self.field);
        let any = |f: &dyn Fn(&str) -> bool| self.wanted.iter().any(|w| f(w));
        match self.op {
            "" | "=" => any(&|w| compare(have, w) == Ordering::Equal),
            "!" | "!=" => !any(&|w| compare(have, w) == Ordering::Equal),
            "%" => any(&|w| have.to_lowercase().contains(&w.to_lowercase())),
            ">" => any(&|w| compare(have, w) == Ordering::Greater),
            ">=" => any(&|w| compare(have, w) != Ordering::Less),
            "<" => any(&|w| compare(have, w) == Ordering::Less),
            _ => any(&|w| compare(have, w) != Ordering::Greater),
        }
    }
}

fn conditions(params: &Map<String, Value>) -> Result<Vec<Condition>, ApiError> {
    let mut list = Vec::new();
    let mut deleted_asked = false;
    // A filter of another shape is ignored, as the docs say.
    if let Some(filter) = params.get("filter").and_then(Value::as_object) {
        for (key, value) in filter {
            if key.contains('.') || key.eq_ignore_ascii_case("CHECK_PERMISSIONS") {
                continue;
            }
            let c = Condition::parse(key, value);
            if !known_field(&c.field) {
                return Err(unknown_field(&c.field));
            }
            deleted_asked |= c.field == "DELETED";
            list.push(c);
        }
    }
    if !deleted_asked {
        list.push(Condition::parse("=DELETED", &Value::from("N")));
    }
    Ok(list)
}

fn sort(rows: &mut [Map<String, Value>], params: &Map<String, Value>) -> Result<(), ApiError> {
    let Some(order) = params.get("order").and_then(Value::as_object) else {
        return Ok(());
    };
    let mut keys = Vec::new();
    for (field, dir) in order {
        if !known_field(field) {
            return Err(unknown_field(field));
        }
        let desc = dir
            .as_str()
            .is_some_and(|d| d.trim().eq_ignore_ascii_case("desc"));
        keys.push((field.clone(), desc));
    }
    rows.sort_by(|a, b| {
        keys.iter()
            .map(|(f, desc)| {
                let o = compare(field_str(a, f), field_str(b, f));
                if *desc {
                    o.reverse()
                } else {
                    o
                }
            })
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
    Ok(())
}

/// `select` as field names; `None` = every field (missing, null or containing `*`).
fn selection(params: &Map<String, Value>) -> Result<Option<Vec<String>>, ApiError> {
    let Some(list) = params.get("select").and_then(Value::as_array) else {
        return Ok(None);
    };
    let names: Vec<String> = list
        .iter()
        .filter_map(Value::as_str)
        .filter(|n| !n.contains('.'))
        .map(str::to_string)
        .collect();
    if names.iter().any(|n| n == "*") {
        return Ok(None);
    }
    if let Some(bad) = names.iter().find(|n| !known_field(n)) {
        return Err(unknown_field(bad));
    }
    Ok(Some(names))
}

fn count_param(params: &Map<String, Value>, name: &str) -> Option<usize> {
    match params.get(name)? {
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `landing.landing.getlist {params: {select, filter, order, limit, offset, get_urls}}`.
pub fn get_list(store: &Store, p: &Map<String, Value>) -> Result<Success, ApiError> {
    check_read(store)?;
    let empty = Map::new();
    let params = p.get("params").and_then(Value::as_object).unwrap_or(&empty);
    let select = selection(params)?;
    let conditions = conditions(params)?;
    let mut rows: Vec<Map<String, Value>> = pages()
        .iter()
        .filter(|r| conditions.iter().all(|c| c.matches(r)))
        .cloned()
        .collect();
    sort(&mut rows, params)?;
    let offset = count_param(params, "offset").unwrap_or(0);
    let limit = count_param(params, "limit").unwrap_or(usize::MAX);
    let urls = php_truthy(params.get("get_urls"));
    let result: Vec<Value> = rows
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|row| {
            let mut out = match &select {
                None => row.clone(),
                Some(names) => names
                    .iter()
                    .filter_map(|n| row.get(n).map(|v| (n.clone(), v.clone())))
                    .collect(),
            };
            out.insert("DOMAIN_ID".into(), Value::from(field_str(&row, "SITE_ID")));
            if urls {
                let url = format!(
                    "https://site{}.example.bitrix24.site/{}/",
                    field_str(&row, "SITE_ID"),
                    field_str(&row, "CODE")
                );
                out.insert("PUBLIC_URL".into(), Value::from(url));
            }
            Value::Object(out)
        })
        .collect();
    Ok(Success {
        result: Value::Array(result),
        total: None,
        changed: false,
    })
}

/// `lid` of `landing.block.getlist`: one page id or a list of them.
fn lid_list(p: &Map<String, Value>) -> Result<Vec<u64>, ApiError> {
    match present(p, "lid") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                let mut one = Map::new();
                one.insert("lid".into(), v.clone());
                int_param(&one, "lid")
            })
            .collect(),
        _ => Ok(vec![int_param(p, "lid")?]),
    }
}

/// `landing.block.getlist {lid, params: {edit_mode, get_content}}`: `lid` may be a list
/// (one unknown page fails the call). Only page 1 has blocks; the other pages of
/// `fixtures/pages.json` are empty. `get_content` adds `content` (wrapped), `css`, `js`.
pub fn block_list(store: &Store, p: &Map<String, Value>) -> Result<Success, ApiError> {
    require(p, &["lid"])?;
    let lids = lid_list(p)?;
    check_read(store)?;
    if let Some(missing) = lids.iter().find(|l| **l != store.lid && !page_exists(**l)) {
        return Err(ApiError::new(
            400,
            "LANDING_NOT_EXIST",
            format!("Landing {missing} not found."),
        ));
    }
    let edit = php_truthy(nested_flag(p, "edit_mode").as_ref());
    let with_content = php_truthy(nested_flag(p, "get_content").as_ref());
    let mut rows: Vec<Value> = Vec::new();
    if lids.contains(&store.lid) && (edit || store.page_published) {
        for b in &store.blocks {
            let mut row = block_row(store, b);
            if with_content {
                let html = if edit { &b.draft } else { &b.published };
                if let Some(o) = row.as_object_mut() {
                    o.insert("content".into(), Value::from(wrapped(b, html)));
                    o.insert("css".into(), json!([]));
                    o.insert("js".into(), json!([]));
                }
            }
            rows.push(row);
        }
    }
    let total = rows.len();
    Ok(Success {
        result: Value::Array(rows),
        total: Some(total),
        changed: false,
    })
}
