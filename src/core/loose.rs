//! Lenient serde field types for data from outside: PHP sends empty maps as `[]`, numbers as
//! strings and strings as numbers, and a field of an odd type must not fail the document it
//! sits in. Each type here accepts any JSON value, keeps what it can and drains the rest.
//!
//! They read through `deserialize_any`, so they work the same over serde_json (native) and
//! serde-wasm-bindgen (a parsed JS value in the browser).

#[cfg(not(target_arch = "wasm32"))]
use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How deep [`Loose`] spells a compound value before it writes `…`: an echo in an error is
/// cut short anyway, and the recursion stays bounded whatever the input.
const MAX_ECHO_DEPTH: usize = 16;
/// Longest spelling of a compound value kept (it only goes into error texts).
const MAX_ECHO_CHARS: usize = 1000;

/// Any JSON value, as much of it as a validation step needs: scalars as they are, lists and
/// objects only as their (bounded) JSON spelling, for error messages.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Loose {
    #[default]
    Null,
    Bool(bool),
    /// A whole number in `u64`.
    Unsigned(u64),
    /// A negative whole number.
    Signed(i64),
    /// Any other number.
    Float(f64),
    Text(String),
    /// A list or an object, spelled as JSON.
    Compound(String),
}

impl Loose {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Loose::Text(s) => Some(s),
            _ => None,
        }
    }

    /// A whole non-negative number (not a string of digits).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Loose::Unsigned(n) => Some(*n),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Loose::Null)
    }

    pub fn is_number(&self) -> bool {
        matches!(
            self,
            Loose::Unsigned(_) | Loose::Signed(_) | Loose::Float(_)
        )
    }

    /// A string, a number or a boolean as text (a number as a float's `Display` spells it:
    /// plain decimal, no ".0"); `None` for null, lists and objects.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Loose::Text(s) => Some(s.clone()),
            Loose::Float(n) => Some(n.to_string()),
            Loose::Null | Loose::Compound(_) => None,
            other => Some(other.to_string()),
        }
    }
}

/// JSON text (a string in quotes, a compound as spelled).
impl fmt::Display for Loose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loose::Null => f.write_str("null"),
            Loose::Bool(b) => write!(f, "{b}"),
            Loose::Unsigned(n) => write!(f, "{n}"),
            Loose::Signed(n) => write!(f, "{n}"),
            // Plain decimal (1.5e16 is 15000000000000000); a whole float below 1e16 keeps its
            // ".0", as JSON text that has one spells it (appended: a precision in the format
            // would take a second float printer into the wasm).
            Loose::Float(n) => {
                write!(f, "{n}")?;
                if n.fract() == 0.0 && n.abs() < 1e16 {
                    f.write_str(".0")?;
                }
                Ok(())
            }
            Loose::Text(s) => write_quoted(f, s),
            Loose::Compound(s) => f.write_str(s),
        }
    }
}

fn write_quoted(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c if u32::from(c) < 0x20 => write!(out, "\\u{:04x}", u32::from(c))?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Loose, D::Error> {
        deserializer.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }
    fn visit_none<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Loose, E> {
        Ok(Loose::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::Unsigned(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
        Ok(u64::try_from(v).map_or(Loose::Signed(v), Loose::Unsigned))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
        Ok(Loose::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::Text(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Loose, E> {
        Ok(Loose::Text(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Loose, A::Error> {
        let mut out = Echo::default();
        out.seq(seq, 0)?;
        Ok(Loose::Compound(out.finish()))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loose, A::Error> {
        let mut out = Echo::default();
        out.map(map, 0)?;
        Ok(Loose::Compound(out.finish()))
    }
}

/// Writes a compound value's JSON spelling, bounded in depth and length.
#[derive(Default)]
struct Echo {
    text: String,
}

impl Echo {
    fn finish(mut self) -> String {
        if self.text.chars().count() > MAX_ECHO_CHARS {
            self.text = self.text.chars().take(MAX_ECHO_CHARS).collect();
            self.text.push('…');
        }
        self.text
    }

    fn full(&self) -> bool {
        self.text.len() > MAX_ECHO_CHARS * 4
    }

    fn seq<'de, A: SeqAccess<'de>>(&mut self, mut seq: A, depth: usize) -> Result<(), A::Error> {
        self.text.push('[');
        let mut first = true;
        while let Some(()) = seq.next_element_seed(EchoSeed {
            echo: self,
            depth,
            first,
        })? {
            first = false;
        }
        self.text.push(']');
        Ok(())
    }

    fn map<'de, A: MapAccess<'de>>(&mut self, mut map: A, depth: usize) -> Result<(), A::Error> {
        self.text.push('{');
        let mut first = true;
        while let Some(key) = map.next_key::<Loose>()? {
            if !self.full() {
                if !first {
                    self.text.push(',');
                }
                let key = key.scalar_text().unwrap_or_default();
                let _ = write_quoted(&mut self.text, &key);
                self.text.push(':');
            }
            map.next_value_seed(EchoSeed {
                echo: self,
                depth,
                first: true,
            })?;
            first = false;
        }
        self.text.push('}');
        Ok(())
    }
}

struct EchoSeed<'a> {
    echo: &'a mut Echo,
    depth: usize,
    /// No comma before it (the first item of a list, or a map's value).
    first: bool,
}

impl<'de> de::DeserializeSeed<'de> for EchoSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if !self.first && !self.echo.full() {
            self.echo.text.push(',');
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EchoSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.scalar(Loose::Null)
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.scalar(Loose::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.scalar(Loose::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.scalar(Loose::Unsigned(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.scalar(Loose::Signed(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.scalar(Loose::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.scalar(Loose::Text(v.to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.depth >= MAX_ECHO_DEPTH || self.echo.full() {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return self.scalar_text("[…]");
        }
        self.echo.seq(seq, self.depth + 1)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.depth >= MAX_ECHO_DEPTH || self.echo.full() {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return self.scalar_text("{…}");
        }
        self.echo.map(map, self.depth + 1)
    }
}

impl EchoSeed<'_> {
    fn scalar<E>(self, value: Loose) -> Result<(), E> {
        if !self.echo.full() {
            let _ = write!(self.echo.text, "{value}");
        }
        Ok(())
    }
    fn scalar_text<E>(self, text: &str) -> Result<(), E> {
        if !self.echo.full() {
            self.echo.text.push_str(text);
        }
        Ok(())
    }
}

/// A text field that also takes numbers and booleans (as text) and turns null, lists,
/// objects and a missing key into "".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        let value = Loose::deserialize(d)?;
        Ok(Text(value.scalar_text().unwrap_or_default()))
    }
}

/// `Y`/`N`, 1/0, "1"/"0", true/false; anything else is false.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Flag, D::Error> {
        Ok(Flag(match Loose::deserialize(d)? {
            Loose::Bool(b) => b,
            Loose::Unsigned(n) => n != 0,
            Loose::Signed(n) => n != 0,
            Loose::Float(n) => n != 0.0,
            Loose::Text(s) => matches!(s.trim().to_ascii_lowercase().as_str(), "y" | "1" | "true"),
            Loose::Null | Loose::Compound(_) => false,
        }))
    }
}

/// A text, or a list (or PHP assoc array) of texts, as a list; blank items are dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextList(pub Vec<String>);

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TextList, D::Error> {
        let items: Vec<String> = match AnyShape::<Text>::deserialize(d)? {
            AnyShape::Scalar(item) => item.scalar_text().into_iter().collect(),
            AnyShape::List(items) => items.into_iter().map(|t| t.0).collect(),
            AnyShape::Map(entries) => entries.into_iter().map(|(_, t)| t.0).collect(),
        };
        Ok(TextList(
            items
                .into_iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
        ))
    }
}

/// Reads JSON text found inside a value from outside (PLACEMENT_OPTIONS from the POST, the
/// app's stored list): the edge's codec, so the core parses no text itself.
pub trait NestedJson {
    fn read<T: DeserializeOwned>(&self, text: &str) -> Option<T>;
}

/// A value read by its shape: a scalar, a list of `V` or an object of `V` (entries in the
/// order they were read).
#[derive(Clone, Debug, PartialEq)]
pub enum AnyShape<V> {
    Scalar(Loose),
    List(Vec<V>),
    Map(Vec<(String, V)>),
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for AnyShape<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AnyShape<V>, D::Error> {
        d.deserialize_any(ShapeVisitor(PhantomData))
    }
}

struct ShapeVisitor<V>(PhantomData<V>);

macro_rules! scalar_visits {
    ($wrap:expr) => {
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Null))
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Null))
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Bool(v)))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Unsigned(v)))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok($wrap(LooseVisitor.visit_i64::<E>(v)?))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Float(v)))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Text(v.to_owned())))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Text(v)))
        }
    };
}

impl<'de, V: Deserialize<'de>> Visitor<'de> for ShapeVisitor<V> {
    type Value = AnyShape<V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    scalar_visits!(AnyShape::Scalar);
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyShape<V>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(AnyShape::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AnyShape<V>, A::Error> {
        Ok(AnyShape::Map(read_ordered(map)?))
    }
}

/// An object's entries in document order; a repeated key keeps its first place and takes
/// the last value (as JSON.parse does). Keys that are not strings are read as their text.
fn read_ordered<'de, A: MapAccess<'de>, V: Deserialize<'de>>(
    mut map: A,
) -> Result<Vec<(String, V)>, A::Error> {
    let mut entries: Vec<(String, V)> = Vec::new();
    let mut index = KeyIndex::default();
    while let Some(key) = map.next_key::<Text>()? {
        let value = map.next_value()?;
        match index.position(&key.0, entries.len()) {
            Some(at) => entries[at].1 = value,
            None => entries.push((key.0, value)),
        }
    }
    Ok(entries)
}

/// Where a key was first seen. Only serde_json (native) passes a key twice: a JS object
/// (the browser's JSON.parse already kept the last) has each once, so the wasm keeps no
/// index and carries no hash map.
#[derive(Default)]
struct KeyIndex {
    #[cfg(not(target_arch = "wasm32"))]
    first: HashMap<String, usize>,
}

impl KeyIndex {
    /// The earlier position of `key`, or `None` (and `next` noted as its place).
    #[cfg(not(target_arch = "wasm32"))]
    fn position(&mut self, key: &str, next: usize) -> Option<usize> {
        if let Some(&at) = self.first.get(key) {
            return Some(at);
        }
        self.first.insert(key.to_owned(), next);
        None
    }

    #[cfg(target_arch = "wasm32")]
    fn position(&mut self, _key: &str, _next: usize) -> Option<usize> {
        None
    }
}

/// An object's entries in document order (see `read_ordered`); anything that is not an
/// object (PHP's `[]`, null, a list, a scalar) is empty. `V` should be lenient itself (a
/// list's items are read as `V` too before they are dropped).
///
/// In the browser the object was a JS object: `Object.entries` lists integer-like keys
/// ("0", "12") first, ascending, then the others in document order. Manifest selectors and
/// command keys are never integer-like, so their order is the document's.
#[derive(Clone, Debug, PartialEq)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ordered<V>, D::Error> {
        Ok(match AnyShape::<V>::deserialize(d)? {
            AnyShape::Map(entries) => Ordered(entries),
            _ => Ordered(Vec::new()),
        })
    }
}

/// A PHP map: an object as is, `[]` or null as empty, a list as the keys "0", "1", ...
/// Anything else (a scalar) is `Err(NotAMap)` in `.0`, for the caller to report.
///
/// A PHP list that arrives as an object (`{"0": .., "1": ..}`, e.g. after a key was unset)
/// reads in ascending key order in the browser whatever the text's order: a JS object lists
/// integer-like keys first, ascending (serde-wasm-bindgen walks `Object.entries`). Natively
/// (serde_json) the text's order is kept. Callers that need an order sort (batch errors).
#[derive(Clone, Debug, PartialEq)]
pub struct PhpMap<V>(pub Result<Vec<(String, V)>, NotAMap>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotAMap;

impl<V> Default for PhpMap<V> {
    fn default() -> Self {
        PhpMap(Ok(Vec::new()))
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for PhpMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PhpMap<V>, D::Error> {
        Ok(PhpMap(match AnyShape::<V>::deserialize(d)? {
            AnyShape::Map(entries) => Ok(entries),
            AnyShape::List(items) => Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect()),
            AnyShape::Scalar(Loose::Null) => Ok(Vec::new()),
            AnyShape::Scalar(_) => Err(NotAMap),
        }))
    }
}

/// A `T` read from an object; anything else (a list, a scalar, null) is `None`. Guards a
/// struct from being filled from a list by position.
#[derive(Clone, Debug, PartialEq)]
pub struct Obj<T>(pub Option<T>);

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj(None)
    }
}

impl<T: Default> Obj<T> {
    pub fn or_default(self) -> T {
        self.0.unwrap_or_default()
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Obj<T>, D::Error> {
        d.deserialize_any(ObjVisitor(PhantomData))
    }
}

struct ObjVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for ObjVisitor<T> {
    type Value = Obj<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    scalar_visits!(|_| Obj(None));
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Obj<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Obj(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
        #[cfg(not(target_arch = "wasm32"))]
        let map = FirstOfEachKey {
            inner: map,
            seen: HashSet::new(),
        };
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| Obj(Some(t)))
    }
}

/// An object's entries with a repeated key dropped, so that a derived struct does not fail
/// on it ("duplicate field"). Only serde_json (native) ever passes one: `JSON.parse` has
/// already kept the last in the browser, this keeps the first.
#[cfg(not(target_arch = "wasm32"))]
struct FirstOfEachKey<A> {
    inner: A,
    seen: HashSet<String>,
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de, A: MapAccess<'de>> MapAccess<'de> for FirstOfEachKey<A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.inner.next_key::<Text>()? else {
                return Ok(None);
            };
            if self.seen.insert(key.0.clone()) {
                return seed
                    .deserialize(de::value::StringDeserializer::new(key.0))
                    .map(Some);
            }
            self.inner.next_value::<IgnoredAny>()?;
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}

/// Writes entries as an object in their order (for what the app sends).
pub fn serialize_entries<S: Serializer, V: Serialize>(
    entries: &[(String, V)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(entries.iter().map(|(k, v)| (k, v)))
}
