//! The block manifest and the block content as `landing.block.getmanifest` and
//! `landing.block.getcontent` return them, read from a JSON `Value`.
//!
//! Objects keep document order (see `core::json`): the order of `nodes` and
//! `cards` is the order of the object's keys. Everything is lenient: PHP sends
//! empty sections as `[]`, strings may come as numbers, unknown keys are
//! ignored. Bad shapes give defaults, not errors. One walk over the `Value` the REST layer has parsed
//! anyway costs the wasm far less than a typed deserializer per shape.

use super::json::{self, FromJson, Map, Number, Value};

/// An object's entries in document order; none for anything else (PHP's
/// `[]`, `null`, a list, a scalar). A repeated key kept its first place and
/// took the last value when the JSON was parsed.
fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

/// A string field that also takes numbers and booleans (as text) and turns
/// `null`, lists, objects and a missing key into "".
fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => number_text(n),
        _ => String::new(),
    }
}

/// An integer as written; a fraction or exponent in plain decimal (`1.5e16` is
/// `15000000000000000`), as a float's `Display` spells it.
fn number_text(n: &Number) -> String {
    if n.is_integer() {
        n.to_string()
    } else {
        plain_decimal(n.as_str())
    }
}

/// A string, or a list (or PHP assoc array) of strings, as a list; blank
/// items are dropped. Used for card labels and block sections.
fn text_list(value: Option<&Value>) -> Vec<String> {
    let items: Vec<String> = match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Number(n)) => return vec![number_text(n)],
        Some(Value::Array(items)) => items.iter().map(|item| text(Some(item))).collect(),
        Some(Value::Object(map)) => map.values().map(|item| text(Some(item))).collect(),
        _ => Vec::new(),
    };
    items
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `Y`/`N`, 1/0, "1"/"0", true/false; anything else is false.
fn flag(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => !n.is_zero(),
        Some(Value::String(s)) => {
            matches!(s.trim().to_ascii_lowercase().as_str(), "y" | "1" | "true")
        }
        _ => false,
    }
}

/// A JSON number's text in plain decimal, without exponent or trailing zeros
/// (`1.50e2` is `150`, `-2.5E-3` is `-0.0025`): how a float's `Display` spells
/// the same number whenever the text has no more digits than an f64 keeps. From
/// the text, so that no float parsing or printing code goes into the wasm. Less
/// than 1e-330, far below the smallest f64, reads as 0 as the float would.
fn plain_decimal(text: &str) -> String {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (mantissa, exponent) = unsigned.split_once(['e', 'E']).unwrap_or((unsigned, "0"));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = [int, frac].concat();
    let digits = all.trim_start_matches('0');
    // Where the decimal point falls within `digits`; the parser keeps numbers within
    // the f64 range, so only a tiny number can take it far.
    let point = int.len() as i64 + exponent_value(exponent) - (all.len() - digits.len()) as i64;
    let digits = digits.trim_end_matches('0');
    let mut out = String::from(sign);
    if digits.is_empty() || point < -330 {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(digits);
    } else if point as usize >= digits.len() {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        out.push_str(whole);
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// An exponent's digits (`+5`, `-12`, `007`) as a number, saturated at ±2^40: a
/// thousand-digit exponent is just far.
fn exponent_value(text: &str) -> i64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.trim_start_matches('+')),
    };
    let magnitude = digits
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0i64, |acc, b| (acc * 10 + i64::from(b - b'0')).min(1 << 40));
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// What a manifest node is, from its `type` (case-insensitive).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Text,
    Img,
    Link,
    Icon,
    Embed,
    Map,
    Component,
    StyleImg,
    /// Any other type, as the manifest spelled it ("" when missing).
    Other(String),
}

impl NodeKind {
    pub fn from_type(value: &str) -> NodeKind {
        match value.trim().to_ascii_lowercase().as_str() {
            "text" => NodeKind::Text,
            "img" => NodeKind::Img,
            "link" => NodeKind::Link,
            "icon" => NodeKind::Icon,
            "embed" => NodeKind::Embed,
            "map" => NodeKind::Map,
            "component" => NodeKind::Component,
            "styleimg" => NodeKind::StyleImg,
            _ => NodeKind::Other(value.to_owned()),
        }
    }

    /// The kinds this app edits; the others are shown as read-only.
    pub fn is_editable(&self) -> bool {
        matches!(
            self,
            NodeKind::Text | NodeKind::Img | NodeKind::Link | NodeKind::Icon | NodeKind::Embed
        )
    }

    /// The manifest's spelling, for messages and logs.
    pub fn as_str(&self) -> &str {
        match self {
            NodeKind::Text => "text",
            NodeKind::Img => "img",
            NodeKind::Link => "link",
            NodeKind::Icon => "icon",
            NodeKind::Embed => "embed",
            NodeKind::Map => "map",
            NodeKind::Component => "component",
            NodeKind::StyleImg => "styleimg",
            NodeKind::Other(s) => s,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockInfo {
    pub name: String,
    /// A string or a list in the manifest; always a list here.
    pub section: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestNode {
    pub selector: String,
    /// "" when the manifest has none (the server-added `styleimg` nodes).
    pub name: String,
    pub kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestCard {
    pub selector: String,
    pub name: String,
    /// Node selectors whose content names a card occurrence, in manifest order.
    pub label: Vec<String>,
}

/// The prepared manifest (`landing.block.getmanifest`), the parts the editor
/// uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    pub block: BlockInfo,
    /// In the manifest's order.
    pub nodes: Vec<ManifestNode>,
    /// In the manifest's order.
    pub cards: Vec<ManifestCard>,
    /// The block code.
    pub code: String,
}

fn field<'a>(entry: Option<&'a Map>, key: &str) -> Option<&'a Value> {
    entry.and_then(|entry| entry.get(key))
}

/// `nodes` or `cards`: (selector, entry) with a non-blank selector, in order.
/// An entry that is not an object reads as an empty one.
fn sections(value: Option<&Value>) -> impl Iterator<Item = (String, Option<&Map>)> {
    entries(value)
        .filter(|(selector, _)| !selector.trim().is_empty())
        .map(|(selector, entry)| (selector.clone(), entry.as_object()))
}

impl Manifest {
    /// From the manifest object; anything else is the empty manifest.
    pub fn from_value(value: &Value) -> Manifest {
        let get = |key| value.as_object().and_then(|map| map.get(key));
        let block = get("block").and_then(Value::as_object);
        Manifest {
            block: BlockInfo {
                name: text(field(block, "name")),
                section: text_list(field(block, "section")),
            },
            nodes: sections(get("nodes"))
                .map(|(selector, node)| ManifestNode {
                    selector,
                    name: text(field(node, "name")),
                    kind: NodeKind::from_type(&text(field(node, "type"))),
                })
                .collect(),
            cards: sections(get("cards"))
                .map(|(selector, card)| ManifestCard {
                    selector,
                    name: text(field(card, "name")),
                    label: text_list(field(card, "label")),
                })
                .collect(),
            code: text(get("code")),
        }
    }

    /// From the manifest JSON, or from the whole `getmanifest` answer.
    /// Fails only on text that is not JSON or on an error answer.
    pub fn from_json(text: &str) -> Result<Manifest, String> {
        answer_or_bare(text).map(|value| Manifest::from_value(&value))
    }

    pub fn node(&self, selector: &str) -> Option<&ManifestNode> {
        self.nodes.iter().find(|n| n.selector == selector)
    }
}

/// Readable as a REST result or a batch part (in document order, as above); any
/// shape reads, so this never fails.
impl FromJson for Manifest {
    fn from_json_value(value: Value) -> Result<Manifest, String> {
        Ok(Manifest::from_value(&value))
    }
}

/// `text` as a whole REST answer (`{"result": ...}`): its result; else the
/// bare value. An error answer gives `Err("CODE: description")`; text that is
/// not a JSON object or list gives `Err` too.
fn answer_or_bare(text_: &str) -> Result<Value, String> {
    let mut value = json::parse(text_).map_err(|e| format!("unreadable answer: {e}"))?;
    let Some(map) = value.as_object_mut() else {
        return if value.is_array() {
            Ok(value)
        } else {
            Err("unreadable answer: not an object".to_owned())
        };
    };
    let error = text(map.get("error"));
    if !error.is_empty() {
        let description = text(map.get("error_description"));
        return Err(if description.is_empty() {
            error
        } else {
            format!("{error}: {description}")
        });
    }
    Ok(map.remove("result").unwrap_or(value))
}

/// `access` of `landing.block.getcontent`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// X: everything.
    Full,
    /// W: content and design, not delete.
    Write,
    /// V: design only.
    DesignOnly,
    /// D: denied.
    Denied,
    /// A: closed for everybody.
    Closed,
}

impl Access {
    /// X W V D A, case-insensitive; anything else is `Denied` (the safe guess).
    pub fn from_letter(s: &str) -> Access {
        match s.trim().to_ascii_uppercase().as_str() {
            "X" => Access::Full,
            "W" => Access::Write,
            "V" => Access::DesignOnly,
            "A" => Access::Closed,
            _ => Access::Denied,
        }
    }

    pub fn can_edit_content(&self) -> bool {
        matches!(self, Access::Full | Access::Write)
    }
}

/// `landing.block.getcontent`'s result, leniently.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlockContent {
    /// A number or a string, as the portal sends it (`Null` when missing).
    pub id: Value,
    /// The block's HTML.
    pub content: String,
    /// One letter, see [`Access`].
    pub access: String,
    pub active: bool,
    pub anchor: String,
}

/// Readable as a REST result or a batch part; any shape reads, so this never fails.
impl FromJson for BlockContent {
    fn from_json_value(value: Value) -> Result<BlockContent, String> {
        Ok(BlockContent::from_value(&value))
    }
}

impl BlockContent {
    /// From the result object; anything else is the empty content.
    pub fn from_value(value: &Value) -> BlockContent {
        let get = |key| value.as_object().and_then(|map| map.get(key));
        BlockContent {
            id: get("id").cloned().unwrap_or(Value::Null),
            content: text(get("content")),
            access: text(get("access")),
            active: flag(get("active")),
            anchor: text(get("anchor")),
        }
    }

    /// From the result JSON, or from the whole `getcontent` answer.
    pub fn from_json(text: &str) -> Result<BlockContent, String> {
        answer_or_bare(text).map(|value| BlockContent::from_value(&value))
    }

    pub fn access_level(&self) -> Access {
        Access::from_letter(&self.access)
    }

    /// The block id as text ("" when missing).
    pub fn id_string(&self) -> String {
        match &self.id {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_manifest(file: &str) -> Manifest {
        let fixture = json::from_str::<Map>(file);
        match fixture.and_then(|mut fixture| fixture.take_field("manifest")) {
            Ok(manifest) => manifest,
            Err(e) => panic!("fixture does not parse: {e}"),
        }
    }

    fn selectors(m: &Manifest) -> Vec<&str> {
        m.nodes.iter().map(|n| n.selector.as_str()).collect()
    }

    #[test]
    fn fixture_04_1_nodes_in_file_order() {
        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/04.1.one_col_fix_with_title.json"
        ));
        assert_eq!(m.block.name, "Title with a separator on a light background");
        assert_eq!(m.block.section, vec!["title"]);
        assert_eq!(m.code, "04.1.one_col_fix_with_title");
        // File order, not alphabetical (".landing-block-node-title" sorts after "-subtitle" anyway,
        // but "#wrapper" would sort first).
        assert_eq!(
            selectors(&m),
            vec![
                ".landing-block-node-subtitle",
                ".landing-block-node-title",
                "#wrapper"
            ]
        );
        assert_eq!(m.nodes[0].name, "Subtitle");
        assert_eq!(m.nodes[0].kind, NodeKind::Text);
        assert_eq!(m.nodes[2].name, "");
        assert_eq!(m.nodes[2].kind, NodeKind::StyleImg);
        assert!(m.cards.is_empty(), "cards: [] is an empty section");
    }

    #[test]
    fn fixture_43_4_nodes_and_cards_in_file_order() {
        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/43.4.cover_with_price_text_button_bgimg.json"
        ));
        assert_eq!(
            selectors(&m),
            vec![
                ".landing-block-node-card-price",
                ".landing-block-node-card-title",
                ".landing-block-node-card-text",
                ".landing-block-node-card-button",
                ".landing-block-node-card-bgimg",
            ]
        );
        let kinds: Vec<NodeKind> = m.nodes.iter().map(|n| n.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                NodeKind::Text,
                NodeKind::Text,
                NodeKind::Text,
                NodeKind::Link,
                NodeKind::Img
            ]
        );
        assert_eq!(m.cards.len(), 1);
        assert_eq!(m.cards[0].selector, ".landing-block-node-card");
        assert_eq!(m.cards[0].name, "Carousel block");
        assert_eq!(
            m.cards[0].label,
            vec![
                ".landing-block-node-card-bgimg",
                ".landing-block-node-card-title"
            ]
        );
    }

    #[test]
    fn fixture_49_1_embed() {
        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/49.1.video_just_video.json"
        ));
        assert_eq!(selectors(&m), vec![".landing-block-node-embed", "#wrapper"]);
        assert_eq!(m.nodes[0].kind, NodeKind::Embed);
        assert_eq!(m.nodes[0].name, "Video link");
        assert_eq!(
            m.block.section,
            vec!["video", "recommended", "widgets_video"]
        );
        assert!(m.cards.is_empty());
    }

    #[test]
    fn fixture_44_7_and_06_1_and_31_1() {
        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/44.7.three_columns_with_img_and_price.json"
        ));
        assert_eq!(
            selectors(&m),
            vec![
                ".landing-block-node-card-title",
                ".landing-block-node-card-subtitle",
                ".landing-block-node-card-img",
                ".landing-block-node-card-price-subtitle",
                ".landing-block-node-card-price",
                ".landing-block-node-card-text",
                ".landing-block-node-card-button",
                "#wrapper",
            ]
        );
        assert_eq!(m.nodes[3].name, "Price: subtitle");
        assert_eq!(m.cards[0].name, "Column");

        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/06.1features_3_cols.json"
        ));
        assert_eq!(
            selectors(&m),
            vec![
                ".landing-block-node-element-icon",
                ".landing-block-node-element-title",
                ".landing-block-node-element-text",
                ".landing-block-node-element-list",
                "#wrapper",
            ]
        );
        assert_eq!(m.nodes[0].kind, NodeKind::Icon);
        assert_eq!(m.cards[0].selector, ".landing-block-card");

        let m = fixture_manifest(include_str!(
            "../../emulator/fixtures/blocks/31.1.two_cols_text_img.json"
        ));
        assert_eq!(
            selectors(&m),
            vec![
                ".landing-block-node-title",
                ".landing-block-node-text",
                ".landing-block-node-button",
                ".landing-block-node-img",
                "#wrapper",
            ]
        );
        assert!(m.cards.is_empty());
    }

    #[test]
    fn order_is_kept_where_a_sorted_map_would_reorder() {
        let m = Manifest::from_json(
            r#"{"nodes": {".z": {"type": "text", "name": "Z"}, ".a": {"type": "IMG"},
                          ".m": {"type": "Link", "name": "M"}}}"#,
        )
        .unwrap_or_default();
        assert_eq!(selectors(&m), vec![".z", ".a", ".m"]);
        assert_eq!(m.nodes[1].kind, NodeKind::Img, "type is case-insensitive");
        assert_eq!(m.nodes[1].name, "", "missing name is empty");
        assert_eq!(m.nodes[2].kind, NodeKind::Link);
    }

    #[test]
    fn empty_php_arrays_and_odd_shapes_are_empty() {
        let m = Manifest::from_json(r#"{"block": [], "nodes": [], "cards": [], "attrs": []}"#);
        assert_eq!(m, Ok(Manifest::default()));
        let m = Manifest::from_json(r#"{"nodes": null, "cards": "x", "block": {"name": 5}}"#);
        let m = m.unwrap_or_default();
        assert!(m.nodes.is_empty());
        assert!(m.cards.is_empty());
        assert_eq!(m.block.name, "5");
        // A node whose value is not an object still appears, as an untyped node.
        let m = Manifest::from_json(r#"{"nodes": {".a": [], ".b": {"type": "map"}}}"#)
            .unwrap_or_default();
        assert_eq!(m.nodes.len(), 2);
        assert_eq!(m.nodes[0].kind, NodeKind::Other(String::new()));
        assert_eq!(m.nodes[1].kind, NodeKind::Map);
        // A non-empty PHP list has no selectors: ignored.
        let m = Manifest::from_json(r#"{"nodes": [{"type": "text"}]}"#).unwrap_or_default();
        assert!(m.nodes.is_empty());
        assert_eq!(Manifest::from_json("[]"), Ok(Manifest::default()));
    }

    #[test]
    fn card_label_string_or_list() {
        let m = Manifest::from_json(
            r#"{"cards": {".c1": {"name": "One", "label": ".t"},
                          ".c2": {"name": "Two", "label": [".a", "", ".b"]},
                          ".c3": {"name": "Three"}}}"#,
        )
        .unwrap_or_default();
        assert_eq!(m.cards.len(), 3);
        assert_eq!(m.cards[0].label, vec![".t"]);
        assert_eq!(m.cards[1].label, vec![".a", ".b"]);
        assert!(m.cards[2].label.is_empty());
    }

    #[test]
    fn unknown_keys_ignored_and_duplicates_keep_first_place() {
        let m = Manifest::from_json(
            r#"{"x": {"y": [1, 2]}, "nodes": {".a": {"type": "text", "name": "A1", "extra": {"k": 1}},
                 ".b": {"type": "text"}, ".a": {"type": "icon", "name": "A2"}}}"#,
        )
        .unwrap_or_default();
        assert_eq!(selectors(&m), vec![".a", ".b"]);
        assert_eq!(m.nodes[0].name, "A2");
        assert_eq!(m.nodes[0].kind, NodeKind::Icon);
    }

    #[test]
    fn whole_answer_envelope_and_errors() {
        let m = Manifest::from_json(
            r#"{"result": {"block": {"name": "B"}, "nodes": {".q": {"type": "text"}, ".p": {"type": "text"}}},
                "time": {"start": 1}}"#,
        );
        let m = m.unwrap_or_default();
        assert_eq!(m.block.name, "B");
        assert_eq!(selectors(&m), vec![".q", ".p"]);
        assert_eq!(
            Manifest::from_json(r#"{"error": "ACCESS_DENIED", "error_description": "No"}"#),
            Err("ACCESS_DENIED: No".to_owned())
        );
        assert!(Manifest::from_json("{nodes").is_err());
    }

    #[test]
    fn manifest_as_a_batch_field() {
        struct Batch {
            manifest: Option<Manifest>,
            missing: Option<Manifest>,
        }
        impl FromJson for Batch {
            fn from_json_value(value: Value) -> Result<Batch, String> {
                let mut map = Map::from_json_value(value)?;
                Ok(Batch {
                    manifest: map.take_field("manifest")?,
                    missing: map.take_field("missing")?,
                })
            }
        }
        let b: Batch = json::from_str(
            r#"{"manifest": {"nodes": {".b": {"type": "text"}, ".a": {"type": "text"}}}, "missing": null}"#,
        )
        .unwrap_or(Batch {
            manifest: None,
            missing: None,
        });
        let m = b.manifest.unwrap_or_default();
        assert_eq!(selectors(&m), vec![".b", ".a"]);
        assert!(b.missing.is_none());
    }

    #[test]
    fn node_kinds() {
        assert_eq!(NodeKind::from_type("StyleImg"), NodeKind::StyleImg);
        assert_eq!(NodeKind::from_type(" component "), NodeKind::Component);
        assert_eq!(NodeKind::from_type("date"), NodeKind::Other("date".into()));
        for k in ["text", "img", "link", "icon", "embed"] {
            assert!(NodeKind::from_type(k).is_editable(), "{k}");
        }
        for k in ["map", "component", "styleimg", "date", ""] {
            assert!(!NodeKind::from_type(k).is_editable(), "{k}");
        }
        assert_eq!(NodeKind::from_type("EMBED").as_str(), "embed");
    }

    #[test]
    fn numbers_read_as_a_float_display_writes_them() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            1.5,
            0.1,
            100.0,
            1234.5678,
            1e15,
            1e16,
            1.5e16,
            1e21,
            1e22,
            1e-5,
            1e-6,
            1e-7,
            1.234e-7,
            2.5e300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            // `{:e}` and `{:?}` write the shortest digits that read back as `v`.
            assert_eq!(plain_decimal(&format!("{v:e}")), v.to_string(), "{v:e}");
            assert_eq!(plain_decimal(&format!("{v:?}")), v.to_string(), "{v:?}");
        }
        for (text, plain) in [
            ("1.50e2", "150"),
            ("-2.5E-3", "-0.0025"),
            ("1E+2", "100"),
            ("0.000", "0"),
            ("-0.0", "-0"),
            ("0e99999999999999999999", "0"),
            ("1e-400", "0"),
            ("-1e-99999999999999999999", "-0"),
            ("123.456e1", "1234.56"),
            ("00.5", "0.5"),
        ] {
            assert_eq!(plain_decimal(text), plain, "{text}");
        }
        let m = Manifest::from_json(r#"{"block": {"name": 1.5e16, "section": [2.5, -0.001]}}"#)
            .unwrap_or_default();
        assert_eq!(m.block.name, "15000000000000000");
        assert_eq!(m.block.section, vec!["2.5", "-0.001"]);
    }

    #[test]
    fn flags_of_every_shape() {
        for (json, want) in [
            (r#""Y""#, true),
            (r#"" y ""#, true),
            (r#""1""#, true),
            (r#""TRUE""#, true),
            ("true", true),
            ("1", true),
            ("-2", true),
            ("0.5", true),
            (r#""N""#, false),
            (r#""0""#, false),
            ("0", false),
            ("0.0", false),
            ("false", false),
            ("null", false),
            ("[1]", false),
            (r#"{"a": 1}"#, false),
        ] {
            let c = BlockContent::from_json(&format!(r#"{{"active": {json}, "access": "W"}}"#))
                .unwrap_or_default();
            assert_eq!(c.active, want, "{json}");
            assert_eq!(c.access, "W", "{json}: the rest still reads");
        }
    }

    #[test]
    fn access_letters() {
        assert_eq!(Access::from_letter("X"), Access::Full);
        assert_eq!(Access::from_letter("w"), Access::Write);
        assert_eq!(Access::from_letter("V"), Access::DesignOnly);
        assert_eq!(Access::from_letter("D"), Access::Denied);
        assert_eq!(Access::from_letter("A"), Access::Closed);
        assert_eq!(Access::from_letter(""), Access::Denied);
        assert_eq!(Access::from_letter("Z"), Access::Denied);
        assert!(Access::Full.can_edit_content());
        assert!(Access::Write.can_edit_content());
        assert!(!Access::DesignOnly.can_edit_content());
        assert!(!Access::Denied.can_edit_content());
        assert!(!Access::Closed.can_edit_content());
    }

    #[test]
    fn block_content_lenient() {
        let c = BlockContent::from_json(
            r#"{"id": 996, "lid": "30", "active": "Y", "access": "W", "anchor": "b996",
                "content": "<section>x</section>", "css": [], "js": ["a.js"]}"#,
        )
        .unwrap_or_default();
        assert_eq!(c.id_string(), "996");
        assert!(c.active);
        assert_eq!(c.access_level(), Access::Write);
        assert_eq!(c.content, "<section>x</section>");
        let c = BlockContent::from_json(r#"{"result": {"id": "12", "content": null}}"#)
            .unwrap_or_default();
        assert_eq!(c.id_string(), "12");
        assert_eq!(c.content, "");
        assert_eq!(c.access_level(), Access::Denied, "missing access is denied");
        assert!(!c.active);
        assert!(BlockContent::from_json("nope").is_err());
    }
}
