//! Reads a PHP-style form (`a[b][0]=x&...`) back the way the portal does, for tests that
//! check what the app sent: bracketed keys nest, objects whose keys are exactly 0..n become
//! lists, `+` is a space, bad escapes stay as written. Shared by the lib's unit tests and
//! the browser tests.

use serde_json::{Map, Value};

pub fn decode_form(text: &str) -> Value {
    let mut root = Value::Object(Map::new());
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(key);
        let (head, rest) = match key.find('[') {
            Some(i) => (&key[..i], &key[i..]),
            None => (key.as_str(), ""),
        };
        let mut path = vec![head.to_string()];
        let mut rest = rest;
        while let Some(inner) = rest.strip_prefix('[') {
            match inner.find(']') {
                Some(end) => {
                    path.push(inner[..end].to_string());
                    rest = &inner[end + 1..];
                }
                None => break,
            }
        }
        let mut node = &mut root;
        for part in &path {
            if !node.is_object() {
                *node = Value::Object(Map::new());
            }
            let Value::Object(map) = node else { break };
            node = map.entry(part.clone()).or_insert(Value::Null);
        }
        *node = Value::String(percent_decode(value));
    }
    into_lists(root)
}

fn into_lists(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let is_list =
                !map.is_empty() && (0..map.len()).all(|i| map.contains_key(&i.to_string()));
            let mut map: Map<String, Value> =
                map.into_iter().map(|(k, v)| (k, into_lists(v))).collect();
            if is_list {
                Value::Array(
                    (0..map.len())
                        .map(|i| map.remove(&i.to_string()).unwrap_or(Value::Null))
                        .collect(),
                )
            } else {
                Value::Object(map)
            }
        }
        other => other,
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the portal reads from a request body, as JSON (a form's values are all strings).
pub fn body_value(body: &landing_block_editor::core::rest::RequestBody) -> Value {
    use landing_block_editor::core::rest::BodyKind;
    match body.kind {
        BodyKind::Form => decode_form(&body.text),
        BodyKind::Json => serde_json::from_str(&body.text).unwrap_or(Value::Null),
    }
}
