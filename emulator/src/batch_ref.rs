//! `$result[key][...]` in a `batch` command's parameters: the value found at that path in the
//! results of the commands run so far, as the portal's `CRestUtil::processBatchStructure`
//! does it (public source of the `rest` module; the docs: `api-reference/how-to-call-rest-api/
//! batch.md` in `bitrix24/b24restdocs`). Each parameter value is looked at after the query
//! is parsed, so the reference arrives escaped inside the command and whole:
//! - a value that is exactly one reference becomes the value found (a list or an object too);
//! - a reference inside a longer value is replaced by the value found when it is a string or
//!   a number, and left as written otherwise;
//! - the walk stops at the first key that is missing and keeps what it reached (so a
//!   reference into an empty list gives that empty list, which filters nothing in).
//!
//! Only `$result` is read (the portal's other prefixes are not used by the app). Keys of
//! parameters are left alone.

use serde_json::{Map, Value};

/// `params` with every reference resolved against `results` (the `result` map so far).
pub fn resolve(params: Map<String, Value>, results: &Map<String, Value>) -> Map<String, Value> {
    params
        .into_iter()
        .map(|(k, v)| (k, resolve_value(v, results)))
        .collect()
}

fn resolve_value(v: Value, results: &Map<String, Value>) -> Value {
    match v {
        Value::Object(m) => Value::Object(resolve(m, results)),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|i| resolve_value(i, results))
                .collect(),
        ),
        Value::String(s) => resolve_text(s, results),
        other => other,
    }
}

const PREFIX: &str = "$result";

/// The references in `s`: (start, end, path) of each `$result[..][..]`, case-insensitively,
/// running to the next blank as the portal's pattern does.
fn references(s: &str) -> Vec<(usize, usize, Vec<String>)> {
    let lower = s.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find(PREFIX).map(|i| i + from) {
        let tail = &s[at + PREFIX.len()..];
        let len = tail.find(char::is_whitespace).unwrap_or(tail.len());
        let end = at + PREFIX.len() + len;
        let mut path = Vec::new();
        let mut rest = &s[at + PREFIX.len()..end];
        while let Some(open) = rest.find('[') {
            let inner = &rest[open + 1..];
            match inner.find(']') {
                Some(close) if close > 0 => {
                    path.push(inner[..close].to_string());
                    rest = &inner[close + 1..];
                }
                Some(close) => rest = &inner[close + 1..],
                None => break,
            }
        }
        if !path.is_empty() {
            found.push((at, end, path));
        }
        from = end.max(at + 1);
    }
    found
}

/// The value at `path`, stopping at the first missing key.
fn walk<'a>(results: &'a Map<String, Value>, path: &[String]) -> Value {
    let mut node: Option<&'a Value> = None;
    for key in path {
        let next = match node {
            None => results.get(key),
            Some(Value::Object(m)) => m.get(key),
            Some(Value::Array(items)) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            Some(_) => None,
        };
        match next {
            Some(n) => node = Some(n),
            None => break,
        }
    }
    match node {
        Some(v) => v.clone(),
        None => Value::Object(results.clone()),
    }
}

fn resolve_text(s: String, results: &Map<String, Value>) -> Value {
    let refs = references(&s);
    if let [(0, end, path)] = refs.as_slice() {
        if *end == s.len() {
            return walk(results, path);
        }
    }
    let mut out = String::new();
    let mut last = 0;
    for (start, end, path) in refs {
        out.push_str(&s[last..start]);
        match walk(results, &path) {
            Value::String(t) => out.push_str(&t),
            Value::Number(n) => out.push_str(&n.to_string()),
            _ => out.push_str(&s[start..end]),
        }
        last = end;
    }
    out.push_str(&s[last..]);
    Value::String(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn results() -> Map<String, Value> {
        json!({
            "page": [{"ID": "42", "SITE_ID": "3"}],
            "none": [],
            "n": {"count": 5},
        })
        .as_object()
        .cloned()
        .unwrap_or_default()
    }

    fn one(v: Value) -> Value {
        let mut m = Map::new();
        m.insert("x".into(), v);
        resolve(m, &results())["x"].clone()
    }

    #[test]
    fn a_whole_reference_is_the_value_found() {
        assert_eq!(one(json!("$result[page][0][SITE_ID]")), json!("3"));
        assert_eq!(one(json!("$RESULT[page][0][SITE_ID]")), json!("3"));
        assert_eq!(
            one(json!("$result[page][0]")),
            json!({"ID": "42", "SITE_ID": "3"})
        );
        assert_eq!(one(json!({"a": ["$result[n][count]"]})), json!({"a": [5]}));
    }

    #[test]
    fn a_missing_key_stops_the_walk_where_it_is() {
        assert_eq!(one(json!("$result[none][0][SITE_ID]")), json!([]));
        assert_eq!(
            one(json!("$result[page][0][NOPE]")),
            json!({"ID": "42", "SITE_ID": "3"})
        );
    }

    #[test]
    fn a_reference_inside_text_is_replaced_by_a_scalar_only() {
        assert_eq!(
            one(json!("site $result[page][0][SITE_ID] of $result[n][count]")),
            json!("site 3 of 5")
        );
        assert_eq!(one(json!("a $result[page] b")), json!("a $result[page] b"));
        assert_eq!(one(json!("no reference")), json!("no reference"));
        assert_eq!(one(json!("$resultless")), json!("$resultless"));
    }
}
