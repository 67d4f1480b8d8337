//! PHP-style decoding of `application/x-www-form-urlencoded` data and query strings:
//! `params[edit_mode]=1`, `data[.sel@0][src]=x`, `list[]=a&list[]=b`. Every value is a
//! string, exactly as the portal's PHP sees it (that is why `"false"` is truthy there).

use serde_json::{Map, Value};

/// PHP stops nesting at 64 levels; deeper keys are flattened. A lower cap is plenty here.
const MAX_DEPTH: usize = 32;

enum Node {
    Leaf(String),
    Tree(Vec<(String, Node)>),
}

impl Node {
    fn into_value(self) -> Value {
        match self {
            Node::Leaf(s) => Value::String(s),
            Node::Tree(items) => {
                // PHP arrays with keys 0..n-1 in order encode as JSON lists.
                let sequential = items
                    .iter()
                    .enumerate()
                    .all(|(i, (k, _))| k.parse::<usize>().ok() == Some(i));
                if sequential && !items.is_empty() {
                    Value::Array(items.into_iter().map(|(_, n)| n.into_value()).collect())
                } else {
                    let mut m = Map::new();
                    for (k, n) in items {
                        m.insert(k, n.into_value());
                    }
                    Value::Object(m)
                }
            }
        }
    }
}

/// Decodes `%XX` escapes and `+` (space). Invalid escapes are kept literally and invalid
/// UTF-8 is replaced, never an error: a form is user input.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < bytes.len() => match (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Splits a decoded key into PHP's path: `data[.a@1][src]` → `["data", ".a@1", "src"]`.
/// An empty segment (`[]`) means "append".
fn key_path(key: &str) -> Option<Vec<String>> {
    let (base, mut rest) = match key.find('[') {
        Some(pos) if key[pos..].contains(']') => (&key[..pos], &key[pos..]),
        _ => (key, ""),
    };
    if base.is_empty() {
        return None;
    }
    // PHP turns '.' and ' ' in the top-level name into '_'.
    let mut path = vec![base.replace(['.', ' '], "_")];
    while let Some(stripped) = rest.strip_prefix('[') {
        let Some(end) = stripped.find(']') else {
            break;
        };
        if path.len() > MAX_DEPTH {
            break;
        }
        path.push(stripped[..end].to_string());
        rest = &stripped[end + 1..];
    }
    Some(path)
}

fn insert(items: &mut Vec<(String, Node)>, path: &[String], value: String) {
    let Some((first, tail)) = path.split_first() else {
        return;
    };
    let key = if first.is_empty() {
        // Append: next integer key after the largest one so far.
        let next = items
            .iter()
            .filter_map(|(k, _)| k.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .max()
            .map_or(0, |n| n + 1);
        next.to_string()
    } else {
        first.clone()
    };
    let pos = items.iter().position(|(k, _)| *k == key);
    if tail.is_empty() {
        match pos {
            Some(p) => items[p].1 = Node::Leaf(value),
            None => items.push((key, Node::Leaf(value))),
        }
        return;
    }
    let p = match pos {
        Some(p) => {
            if matches!(items[p].1, Node::Leaf(_)) {
                items[p].1 = Node::Tree(Vec::new());
            }
            p
        }
        None => {
            items.push((key, Node::Tree(Vec::new())));
            items.len() - 1
        }
    };
    if let Node::Tree(children) = &mut items[p].1 {
        insert(children, tail, value);
    }
}

/// Parses `a=1&b[c]=2` into a JSON object (keys in first-seen order).
pub fn parse(input: &str) -> Map<String, Value> {
    let mut items: Vec<(String, Node)> = Vec::new();
    for pair in input.split('&') {
        if pair.is_empty() {
            continue;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(k);
        let Some(path) = key_path(&key) else {
            continue;
        };
        insert(&mut items, &path, percent_decode(v));
    }
    let mut out = Map::new();
    for (k, n) in items {
        out.insert(k, n.into_value());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_brackets_and_lists() {
        let m = parse("lid=1&params%5Bedit_mode%5D=1&data[.sel@0][src]=a%20b&l[]=x&l[]=y&q=a+b");
        assert_eq!(
            Value::Object(m),
            json!({
                "lid": "1",
                "params": {"edit_mode": "1"},
                "data": {".sel@0": {"src": "a b"}},
                "l": ["x", "y"],
                "q": "a b"
            })
        );
    }

    #[test]
    fn php_quirks() {
        let m = parse("a.b=1&x[1]=z&bad=%zz&=skip&[x]=skip&c");
        assert_eq!(
            Value::Object(m),
            json!({"a_b": "1", "x": {"1": "z"}, "bad": "%zz", "c": ""})
        );
    }

    #[test]
    fn later_values_win_and_leaves_become_trees() {
        let m = parse("a=1&a[b]=2&c[d]=1&c=3");
        assert_eq!(Value::Object(m), json!({"a": {"b": "2"}, "c": "3"}));
    }

    #[test]
    fn percent_decoding_edges() {
        assert_eq!(percent_decode("%41%4a%"), "AJ%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
    }
}
