//! The block manifest and the block content as `landing.block.getmanifest` and
//! `landing.block.getcontent` return them.
//!
//! The manifest is deserialized straight from the answer text: the order of
//! `nodes` and `cards` is the order of the JSON object's keys, and a
//! `serde_json::Value` (a sorted map without `preserve_order`) would lose it.
//! Everything is lenient: PHP sends empty sections as `[]`, strings may come
//! as numbers, unknown keys are ignored. Bad shapes give defaults, not errors.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A JSON object kept in document order. Accepts `[]` (PHP's empty array),
/// `null` and any other non-object as empty. A repeated key keeps its first
/// place and takes the last value, like a JSON parser's map would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderedMap<T>(pub Vec<(String, T)>);

impl<T> Default for OrderedMap<T> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OrderedMap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OrderedMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object or an empty array")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries: Vec<(String, T)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<T>()?;
                    match entries.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = value,
                        None => entries.push((key, value)),
                    }
                }
                Ok(OrderedMap(entries))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                // A PHP list has no selectors for keys: nothing usable in it.
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(OrderedMap::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OrderedMap::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OrderedMap::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                OrderedMap::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(OrderedMap::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(OrderedMap::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(OrderedMap::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(OrderedMap::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(OrderedMap::default())
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}

/// Deserializes `T` from an object and gives `T::default()` for anything else
/// (`[]`, `null`, a string...), so one odd section does not fail the manifest.
struct Lenient<T>(T);

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for V<T> {
            type Value = Lenient<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Lenient)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lenient(T::default()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Lenient(T::default()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Lenient(T::default()))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Lenient::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Lenient(T::default()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Lenient(T::default()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Lenient(T::default()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Lenient(T::default()))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Lenient(T::default()))
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}

/// A string field that also takes numbers and booleans (as text) and turns
/// `null`, lists and objects into "".
fn de_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(float_text(v))
        }
        fn visit_unit<E: de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
            de_string(d)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(String::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(String::new())
        }
    }
    deserializer.deserialize_any(V)
}

/// A string, or a list (or PHP assoc array) of strings, as a list; empty
/// strings are dropped. Used for card labels and block sections.
fn de_string_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct Item(String);
    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            de_string(d).map(Item)
        }
    }
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or a list of strings")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(non_empty(vec![v.to_owned()]))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(Item(s)) = seq.next_element::<Item>()? {
                out.push(s);
            }
            Ok(non_empty(out))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((_, Item(s))) = map.next_entry::<IgnoredAny, Item>()? {
                out.push(s);
            }
            Ok(non_empty(out))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            de_string_list(d)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(vec![float_text(v)])
        }
    }
    fn non_empty(list: Vec<String>) -> Vec<String> {
        list.into_iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    }
    deserializer.deserialize_any(V)
}

/// `Y`/`N`, 1/0, "1"/"0", true/false; anything else is false.
/// A plain visitor: an untagged enum would buffer every value first.
fn de_flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a flag")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
            Ok(v != 0)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
            Ok(v != 0)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
            Ok(v != 0.0)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
            Ok(matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "y" | "1" | "true"
            ))
        }
        fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_none<E: de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            de_flag(d)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(false)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(false)
        }
    }
    deserializer.deserialize_any(V)
}

/// `v` as text: the shortest digits that read back as `v`, never an exponent
/// (`1.5`, `100`, `0.0000001`), like `Display`. Built on serde_json's float
/// formatter, which the app carries anyway, instead of core's, a large piece of
/// the wasm. Where two shortest spellings tie it may pick the other last digit,
/// as serde_json does for numbers elsewhere in the app.
fn float_text(v: f64) -> String {
    let Some(number) = serde_json::Number::from_f64(v) else {
        // JSON has no NaN or infinity; spelled as `Display` would all the same.
        let text = if v.is_nan() {
            "NaN"
        } else if v > 0.0 {
            "inf"
        } else {
            "-inf"
        };
        return text.to_owned();
    };
    // serde_json writes `1.0`, `1.5e+16`, `1e-7`: sign, mantissa, exponent.
    let text = number.to_string();
    let (sign, text) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = [int, frac].concat();
    let digits = all.trim_start_matches('0');
    // Where the decimal point falls within `digits`.
    let point = int.len() as i64 + exp - (all.len() - digits.len()) as i64;
    let digits = digits.trim_end_matches('0');
    let mut out = String::from(sign);
    if digits.is_empty() {
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

/// One entry of `block`, `nodes` or `cards`: a single type for all three, so
/// the wasm holds one copy of the lenient map-of-objects reader, not three.
/// Each section uses its own keys; the others stay empty.
#[derive(Default, Deserialize)]
#[serde(default)]
struct RawEntry {
    #[serde(deserialize_with = "de_string")]
    name: String,
    /// Nodes.
    #[serde(rename = "type", deserialize_with = "de_string")]
    kind: String,
    /// Cards.
    #[serde(deserialize_with = "de_string_list")]
    label: Vec<String>,
    /// The block.
    #[serde(deserialize_with = "de_string_list")]
    section: Vec<String>,
}

fn de_block<'de, D: Deserializer<'de>>(d: D) -> Result<BlockInfo, D::Error> {
    let Lenient(raw) = Lenient::<RawEntry>::deserialize(d)?;
    Ok(BlockInfo {
        name: raw.name,
        section: raw.section,
    })
}

/// `nodes` or `cards`: entries with a non-blank selector, in document order.
fn de_entries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, RawEntry)>, D::Error> {
    let map = OrderedMap::<Lenient<RawEntry>>::deserialize(d)?;
    Ok(map
        .0
        .into_iter()
        .filter(|(selector, _)| !selector.trim().is_empty())
        .map(|(selector, Lenient(raw))| (selector, raw))
        .collect())
}

fn de_nodes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ManifestNode>, D::Error> {
    Ok(de_entries(d)?
        .into_iter()
        .map(|(selector, raw)| ManifestNode {
            selector,
            name: raw.name,
            kind: NodeKind::from_type(&raw.kind),
        })
        .collect())
}

fn de_cards<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ManifestCard>, D::Error> {
    Ok(de_entries(d)?
        .into_iter()
        .map(|(selector, raw)| ManifestCard {
            selector,
            name: raw.name,
            label: raw.label,
        })
        .collect())
}

/// The prepared manifest (`landing.block.getmanifest`), the parts the editor
/// uses. Usable directly as a serde field type.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Manifest {
    #[serde(deserialize_with = "de_block")]
    pub block: BlockInfo,
    /// In the manifest's order.
    #[serde(deserialize_with = "de_nodes")]
    pub nodes: Vec<ManifestNode>,
    /// In the manifest's order.
    #[serde(deserialize_with = "de_cards")]
    pub cards: Vec<ManifestCard>,
    /// The block code.
    #[serde(deserialize_with = "de_string")]
    pub code: String,
}

/// Either a REST answer envelope or the bare result.
#[derive(Deserialize)]
#[serde(default, bound = "T: Deserialize<'de> + Default")]
struct Envelope<T: Default> {
    #[serde(deserialize_with = "de_opt_lenient")]
    result: Option<T>,
    #[serde(deserialize_with = "de_string")]
    error: String,
    #[serde(deserialize_with = "de_string")]
    error_description: String,
}

impl<T: Default> Default for Envelope<T> {
    fn default() -> Self {
        Envelope {
            result: None,
            error: String::new(),
            error_description: String::new(),
        }
    }
}

fn de_opt_lenient<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Lenient::<T>::deserialize(d).map(|l| Some(l.0))
}

/// Parses `text` as a whole REST answer (`{"result": ...}`) when it is one,
/// else as the bare value. An error envelope gives `Err("CODE: description")`.
fn from_answer_or_bare<T>(text: &str) -> Result<T, String>
where
    T: for<'de> Deserialize<'de> + Default,
{
    let envelope: Envelope<T> =
        serde_json::from_str(text).map_err(|e| format!("unreadable answer: {e}"))?;
    if !envelope.error.is_empty() {
        return Err(if envelope.error_description.is_empty() {
            envelope.error
        } else {
            format!("{}: {}", envelope.error, envelope.error_description)
        });
    }
    if let Some(result) = envelope.result {
        return Ok(result);
    }
    serde_json::from_str::<Lenient<T>>(text)
        .map(|l| l.0)
        .map_err(|e| format!("unreadable answer: {e}"))
}

impl Manifest {
    /// From the manifest JSON, or from the whole `getmanifest` answer.
    /// Fails only on text that is not JSON or on an error answer.
    pub fn from_json(text: &str) -> Result<Manifest, String> {
        from_answer_or_bare(text)
    }

    pub fn node(&self, selector: &str) -> Option<&ManifestNode> {
        self.nodes.iter().find(|n| n.selector == selector)
    }
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
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct BlockContent {
    /// A number or a string, as the portal sends it (`Null` when missing).
    pub id: serde_json::Value,
    /// The block's HTML.
    #[serde(deserialize_with = "de_string")]
    pub content: String,
    /// One letter, see [`Access`].
    #[serde(deserialize_with = "de_string")]
    pub access: String,
    #[serde(deserialize_with = "de_flag")]
    pub active: bool,
    #[serde(deserialize_with = "de_string")]
    pub anchor: String,
}

impl BlockContent {
    /// From the result JSON, or from the whole `getcontent` answer.
    pub fn from_json(text: &str) -> Result<BlockContent, String> {
        from_answer_or_bare(text)
    }

    pub fn access_level(&self) -> Access {
        Access::from_letter(&self.access)
    }

    /// The block id as text ("" when missing).
    pub fn id_string(&self) -> String {
        match &self.id {
            serde_json::Value::String(s) => s.trim().to_owned(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_manifest(file: &str) -> Manifest {
        #[derive(Deserialize)]
        struct Fixture {
            manifest: Manifest,
        }
        let fixture: Fixture = match serde_json::from_str(file) {
            Ok(f) => f,
            Err(e) => panic!("fixture does not parse: {e}"),
        };
        fixture.manifest
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
    fn manifest_as_a_serde_field() {
        #[derive(Deserialize)]
        struct Batch {
            manifest: Option<Manifest>,
            missing: Option<Manifest>,
        }
        let b: Batch = serde_json::from_str(
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
    fn floats_read_as_display_writes_them() {
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
            assert_eq!(float_text(v), v.to_string(), "{v:?}");
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
