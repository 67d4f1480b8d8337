//! JSON for the app: a value tree, a strict parser, compact output and a `json!` macro.
//!
//! Written for the wasm's size rather than taken from a general library: numbers stay the
//! text they were written in (no float parsing or printing, whose tables are large), and an
//! object keeps its entries in insertion order in a `Vec`, with a sorted index beside it for
//! lookups (no hash map).
//!
//! The parser accepts exactly what serde_json accepts (RFC 8259: no comments, no trailing
//! commas, no byte order mark, no lone surrogate escapes, numbers within the f64 range, at
//! most [`MAX_NESTING`] arrays and objects inside one another); the property tests check it
//! against serde_json. Output is compact and escaped as `JSON.stringify` escapes.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};
use std::ops::{Index, IndexMut};

/// Most arrays and objects `parse` accepts inside one another: serde_json's limit (it
/// refuses the 128th), so both accept the same documents and recursion stays shallow.
pub const MAX_NESTING: usize = 127;

/// A JSON value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// What indexing gives for a missing key or index.
static NULL: Value = Value::Null;

impl Value {
    /// The member `key` of an object; `None` for a missing key or a value that is no object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.as_object_mut()?.get_mut(key)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// An integer written without fraction or exponent that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number()?.as_i64()
    }

    /// An integer written without fraction or exponent that fits a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number()?.as_u64()
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// Moves the value out, leaving `Null`.
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }

    /// "a string", "an object", ...: for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

impl Index<&str> for Value {
    type Output = Value;

    /// `Null` for a missing key or a value that is no object.
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl Index<usize> for Value {
    type Output = Value;

    /// `Null` past the end or for a value that is no array.
    fn index(&self, index: usize) -> &Value {
        self.as_array()
            .and_then(|items| items.get(index))
            .unwrap_or(&NULL)
    }
}

impl IndexMut<&str> for Value {
    /// The member `key`, added as `Null` when missing; a `Null` value first becomes an
    /// empty object. Panics on any other value, as serde_json does: this is for building
    /// values in code (tests), never for reading input.
    fn index_mut(&mut self, key: &str) -> &mut Value {
        if self.is_null() {
            *self = Value::Object(Map::new());
        }
        match self {
            Value::Object(map) => map.entry(key.to_owned()).or_insert(Value::Null),
            other => panic!("cannot set a key on {}", other.kind()),
        }
    }
}

impl fmt::Display for Value {
    /// Compact JSON, as `JSON.stringify(value)` writes it.
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => out.write_str("null"),
            Value::Bool(true) => out.write_str("true"),
            Value::Bool(false) => out.write_str("false"),
            Value::Number(n) => out.write_str(n.as_str()),
            Value::String(s) => write_string(out, s),
            Value::Array(items) => {
                out.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.write_char(',')?;
                    }
                    fmt::Display::fmt(item, out)?;
                }
                out.write_char(']')
            }
            Value::Object(map) => {
                out.write_char('{')?;
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        out.write_char(',')?;
                    }
                    write_string(out, key)?;
                    out.write_char(':')?;
                    fmt::Display::fmt(item, out)?;
                }
                out.write_char('}')
            }
        }
    }
}

/// A JSON string literal: `"` and `\` escaped, control characters as `\n`-style short forms
/// or `\u00XX`, everything else (non-ASCII included) as it is.
fn write_string(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.write_char('"')?;
    let mut run_start = 0;
    for (i, c) in s.char_indices() {
        let short = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            '\u{0}'..='\u{1f}' => "",
            _ => continue,
        };
        // `i` and `run_start` come from `char_indices`: both are char boundaries.
        out.write_str(&s[run_start..i])?;
        if short.is_empty() {
            let byte = c as u8;
            out.write_str("\\u00")?;
            out.write_char(char::from(HEX[usize::from(byte >> 4)]))?;
            out.write_char(char::from(HEX[usize::from(byte & 0xF)]))?;
        } else {
            out.write_str(short)?;
        }
        run_start = i + c.len_utf8();
    }
    out.write_str(&s[run_start..])?;
    out.write_char('"')
}

// ---------------------------------------------------------------------------------------------
// Numbers

/// A JSON number as the text it was written in (always valid JSON number grammar).
///
/// Kept as text so that the app never parses or prints floats. Two numbers are equal when
/// their texts are (`1.0` and `1` differ); integers read as `i64`/`u64` only when written
/// without fraction or exponent, as serde_json reads them (`1e3` and `1.0` are no integers).
#[derive(Clone, PartialEq, Eq)]
pub struct Number {
    text: String,
}

impl Number {
    /// `text` when it is one JSON number within the f64 range, else `None`.
    pub fn from_text(text: &str) -> Option<Number> {
        let mut scanner = Parser::new(text);
        match scanner.number() {
            Ok(Value::Number(n)) if scanner.pos == text.len() => Some(n),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Written as an integer: no fraction, no exponent.
    pub fn is_integer(&self) -> bool {
        !self.text.contains(['.', 'e', 'E'])
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.is_integer().then(|| self.text.parse().ok()).flatten()
    }

    pub fn as_u64(&self) -> Option<u64> {
        self.is_integer().then(|| self.text.parse().ok()).flatten()
    }

    /// Zero however it is written (`0`, `-0.0`, `0e5`): every digit before the exponent is 0.
    pub fn is_zero(&self) -> bool {
        self.mantissa()
            .bytes()
            .all(|b| !b.is_ascii_digit() || b == b'0')
    }

    /// The sign and digits before any exponent.
    fn mantissa(&self) -> &str {
        self.text
            .split_once(['e', 'E'])
            .map_or(self.text.as_str(), |(mantissa, _)| mantissa)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        out.write_str(&self.text)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(out, "Number({})", self.text)
    }
}

macro_rules! integer_conversions {
    ($($int:ty),*) => {$(
        impl From<$int> for Number {
            fn from(n: $int) -> Number {
                Number { text: n.to_string() }
            }
        }

        impl From<$int> for Value {
            fn from(n: $int) -> Value {
                Value::Number(Number::from(n))
            }
        }

        impl ToJson for $int {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }

        impl PartialEq<$int> for Value {
            fn eq(&self, other: &$int) -> bool {
                self.as_number().is_some_and(|n| n.is_integer() && n.text == other.to_string())
            }
        }

        impl FromJson for $int {
            fn from_json_value(value: Value) -> Result<$int, String> {
                let number = match &value {
                    Value::Number(n) if n.is_integer() => n,
                    other => return Err(mismatch(concat!("an integer (", stringify!($int), ")"), other)),
                };
                number.text.parse().map_err(|_| {
                    format!(concat!("expected an integer (", stringify!($int), "), found {}"), number)
                })
            }
        }
    )*};
}

integer_conversions!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// The smallest magnitude that rounds to infinity as an f64 (2^1024 - 2^970: halfway
/// between `f64::MAX` and 2^1024, where rounding to even goes up), as `0.DIGITS × 10^309`.
/// serde_json refuses numbers from here on as out of range.
const F64_OVERFLOW_DIGITS: &str = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";
const F64_OVERFLOW_EXPONENT: i64 = 309;

/// Whether the number `text` (valid grammar) is too large in magnitude for an f64. Decided
/// on the decimal digits, exactly: no float arithmetic. Tiny numbers are fine (they read
/// as 0 in serde_json too).
fn overflows_f64(text: &str) -> bool {
    let text = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let leading_zeros = whole
        .bytes()
        .chain(fraction.bytes())
        .take_while(|&b| b == b'0')
        .count();
    let mut digits = whole
        .bytes()
        .chain(fraction.bytes())
        .skip(leading_zeros)
        .peekable();
    if digits.peek().is_none() {
        return false;
    }
    // The written exponent, saturated far beyond anything that matters.
    const FAR: i64 = 1 << 40;
    let (negative, exponent_digits) = match exponent.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, exponent.trim_start_matches('+')),
    };
    let magnitude = exponent_digits
        .bytes()
        .fold(0i64, |acc, b| (acc * 10 + i64::from(b - b'0')).min(FAR));
    let exponent = if negative { -magnitude } else { magnitude };
    // The value is 0.DIGITS × 10^scale; lengths are bounded by the input, far below FAR.
    let scale = whole.len() as i64 - leading_zeros as i64 + exponent;
    match scale.cmp(&F64_OVERFLOW_EXPONENT) {
        Ordering::Less => false,
        Ordering::Greater => true,
        // Digit strings compare as the fractions they stand for: a longer one that starts
        // with the threshold's digits is at least the threshold.
        Ordering::Equal => digits.cmp(F64_OVERFLOW_DIGITS.bytes()) != Ordering::Less,
    }
}

// ---------------------------------------------------------------------------------------------
// Objects

/// A JSON object: entries in insertion order (the app relies on the manifest's key order),
/// looked up through an index of positions sorted by key (no quadratic work on an object
/// with many keys). Inserting an existing key replaces its value in place.
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(String, Value)>,
    /// Positions in `entries`, ordered by key: a permutation of `0..entries.len()`.
    by_key: Vec<usize>,
}

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    /// Where `key` is in `by_key`, or where it would go.
    fn search(&self, key: &str) -> Result<usize, usize> {
        self.by_key
            .binary_search_by(|&at| self.entries[at].0.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        let found = self.search(key).ok()?;
        Some(&self.entries[self.by_key[found]].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let found = self.search(key).ok()?;
        Some(&mut self.entries[self.by_key[found]].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.search(key).is_ok()
    }

    /// Adds `key` at the end, or replaces its value where it is; gives the old value back.
    /// A new key shifts the index entries after its slot (a memmove): building a large map
    /// from outside data goes through `collect`, which sorts once.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.search(&key) {
            Ok(found) => Some(std::mem::replace(
                &mut self.entries[self.by_key[found]].1,
                value,
            )),
            Err(slot) => {
                self.by_key.insert(slot, self.entries.len());
                self.entries.push((key, value));
                None
            }
        }
    }

    /// Takes `key` out; the other entries keep their order.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let found = self.search(key).ok()?;
        let at = self.by_key.remove(found);
        for position in &mut self.by_key {
            if *position > at {
                *position -= 1;
            }
        }
        Some(self.entries.remove(at).1)
    }

    /// The entries in key order (by bytes), taken from the index: no sorting.
    pub fn into_iter_by_key(self) -> impl Iterator<Item = (String, Value)> {
        let mut slots: Vec<Option<(String, Value)>> = self.entries.into_iter().map(Some).collect();
        self.by_key
            .into_iter()
            .filter_map(move |at| slots[at].take())
    }

    /// The value at `key`, for [`Entry::or_insert`].
    pub fn entry(&mut self, key: String) -> Entry<'_> {
        Entry { map: self, key }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// In insertion order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.entries.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.entries.iter().map(|(_, value)| value)
    }

    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, value)| value)
    }

    /// A map of `entries` in their order; a repeated key keeps its first place and takes its
    /// last value, as in serde_json. Sorting positions by key finds the repeats in
    /// O(n log n), whatever the input.
    fn from_entries(mut entries: Vec<(String, Value)>) -> Map {
        let mut by_key: Vec<usize> = (0..entries.len()).collect();
        heap_sort(&mut by_key, |a, b| (&entries[a].0, a) < (&entries[b].0, b));
        let same_key = |a: usize, b: usize| entries[a].0 == entries[b].0;
        if !by_key.windows(2).any(|pair| same_key(pair[0], pair[1])) {
            return Map { entries, by_key };
        }
        // Runs of one key are adjacent in `by_key`, in input order: (first, last) of each.
        let mut kept = vec![true; entries.len()];
        let mut moves = Vec::new();
        let mut run_start = 0;
        for end in 1..=by_key.len() {
            if end < by_key.len() && same_key(by_key[run_start], by_key[end]) {
                kept[by_key[end]] = false;
                continue;
            }
            if end - run_start > 1 {
                moves.push((by_key[run_start], by_key[end - 1]));
            }
            run_start = end;
        }
        for (first, last) in moves {
            entries[first].1 = std::mem::take(&mut entries[last].1);
        }
        let mut new_position = vec![0; entries.len()];
        let mut compact = Vec::with_capacity(entries.len());
        for (old, entry) in entries.into_iter().enumerate() {
            if kept[old] {
                new_position[old] = compact.len();
                compact.push(entry);
            }
        }
        let by_key = by_key
            .into_iter()
            .filter(|&old| kept[old])
            .map(|old| new_position[old])
            .collect();
        Map {
            entries: compact,
            by_key,
        }
    }
}

/// Sorts `positions` by `less`, a strict total order: a heapsort, O(n log n) on any input and
/// a few hundred bytes of wasm where the standard library's sort takes several KB.
fn heap_sort(positions: &mut [usize], less: impl Fn(usize, usize) -> bool) {
    // Moves positions[root] down until the heap in positions[..end] is in order again.
    let sift_down = |positions: &mut [usize], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(positions[child], positions[child + 1]) {
            child += 1;
        }
        if !less(positions[root], positions[child]) {
            break;
        }
        positions.swap(root, child);
        root = child;
    };
    let len = positions.len();
    for root in (0..len / 2).rev() {
        sift_down(positions, root, len);
    }
    for end in (1..len).rev() {
        positions.swap(0, end);
        sift_down(positions, 0, end);
    }
}

impl Index<&str> for Map {
    type Output = Value;

    /// `Null` for a missing key.
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl PartialEq for Map {
    /// The same keys with equal values, in any order (as serde_json compares objects).
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len()
            && self
                .by_key
                .iter()
                .zip(&other.by_key)
                .all(|(&a, &b)| self.entries[a] == other.entries[b])
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        out.debug_map().entries(self.iter()).finish()
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Map {
        Map::from_entries(iter.into_iter().collect())
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    /// In insertion order.
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// A map's entries in insertion order.
pub struct Iter<'a>(std::slice::Iter<'a, (String, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(key, value)| (key, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(key, value)| (key, value))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// A key of a map that may or may not be there yet.
pub struct Entry<'a> {
    map: &'a mut Map,
    key: String,
}

impl<'a> Entry<'a> {
    /// The value at the key, after adding `default` there (at the end) if it was missing.
    pub fn or_insert(self, default: Value) -> &'a mut Value {
        let Entry { map, key } = self;
        let at = match map.search(&key) {
            Ok(found) => map.by_key[found],
            Err(slot) => {
                let at = map.entries.len();
                map.by_key.insert(slot, at);
                map.entries.push((key, default));
                at
            }
        };
        &mut map.entries[at].1
    }
}

// ---------------------------------------------------------------------------------------------
// Conversions

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

impl From<Map> for Value {
    fn from(map: Map) -> Value {
        Value::Object(map)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Value {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    /// `None` is `null`.
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Null, Into::into)
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<String> for Value {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}

impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

/// What `json!` takes as a value. By reference, so that `json!({"title": binding.title})`
/// copies the field instead of moving it.
pub trait ToJson {
    fn to_json(&self) -> Value;
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl ToJson for Number {
    fn to_json(&self) -> Value {
        Value::Number(self.clone())
    }
}

impl ToJson for Map {
    fn to_json(&self) -> Value {
        Value::Object(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

impl<T: ToJson> ToJson for Option<T> {
    /// `None` is `null`.
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

/// Reads a typed value out of a JSON value: what the app's REST calls and tests read
/// answers into. The error says what was expected and what came.
pub trait FromJson: Sized {
    fn from_json_value(value: Value) -> Result<Self, String>;
}

/// "expected a string, found an array".
pub fn mismatch(expected: &str, found: &Value) -> String {
    format!("expected {expected}, found {}", found.kind())
}

impl FromJson for Value {
    fn from_json_value(value: Value) -> Result<Value, String> {
        Ok(value)
    }
}

impl FromJson for bool {
    fn from_json_value(value: Value) -> Result<bool, String> {
        value.as_bool().ok_or_else(|| mismatch("a boolean", &value))
    }
}

impl FromJson for String {
    fn from_json_value(value: Value) -> Result<String, String> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(mismatch("a string", &other)),
        }
    }
}

impl FromJson for Map {
    fn from_json_value(value: Value) -> Result<Map, String> {
        match value {
            Value::Object(map) => Ok(map),
            other => Err(mismatch("an object", &other)),
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    /// `null` is `None`.
    fn from_json_value(value: Value) -> Result<Option<T>, String> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json_value(other).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json_value(value: Value) -> Result<Vec<T>, String> {
        match value {
            Value::Array(items) => items.into_iter().map(T::from_json_value).collect(),
            other => Err(mismatch("an array", &other)),
        }
    }
}

impl Map {
    /// Takes the member `key` out as a `T`; a missing member reads as `null` (so an `Option`
    /// is `None`). The error names the member.
    pub fn take_field<T: FromJson>(&mut self, key: &str) -> Result<T, String> {
        let value = self.remove(key).unwrap_or(Value::Null);
        T::from_json_value(value).map_err(|e| format!("{key}: {e}"))
    }
}

/// Parses `text` and reads a `T` from it.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, String> {
    T::from_json_value(parse(text).map_err(|e| e.to_string())?)
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// Why and where `parse` refused its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    what: &'static str,
    line: usize,
    column: usize,
}

impl JsonError {
    /// What was wrong, in plain words.
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// 1-based.
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based, in characters.
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            out,
            "{} at line {}, column {}",
            self.what, self.line, self.column
        )
    }
}

impl std::error::Error for JsonError {}

/// Parses one JSON document (RFC 8259, as strictly as serde_json: see the module's notes).
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let mut parser = Parser::new(text);
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error("unexpected text after the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn error(&self, what: &'static str) -> JsonError {
        self.error_at(self.pos, what)
    }

    /// An error at byte `at`, located as line and column (counted only now, on failure).
    fn error_at(&self, at: usize, what: &'static str) -> JsonError {
        let before = &self.bytes[..at.min(self.bytes.len())];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        // Characters, not bytes: count the bytes that start a UTF-8 sequence.
        let column = before[line_start..]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        JsonError {
            what,
            line: before.iter().filter(|&&b| b == b'\n').count() + 1,
            column: column + 1,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn skip_digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// `self.text[start..end]`, both ends at ASCII delimiters the parser found.
    fn slice(&self, start: usize, end: usize) -> Result<&'a str, JsonError> {
        self.text
            .get(start..end)
            .ok_or_else(|| self.error_at(start, "broken text"))
    }

    /// `nesting`: how many arrays and objects enclose this value.
    fn value(&mut self, nesting: usize) -> Result<Value, JsonError> {
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.error("unexpected end of input, expected a value")),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => self.array(nesting + 1),
            Some(b'{') => self.object(nesting + 1),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, JsonError> {
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, within the f64 range.
    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error("leading zero in a number"));
                }
            }
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return Err(self.error("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit after the decimal point"));
            }
            self.skip_digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit in the exponent"));
            }
            self.skip_digits();
        }
        let text = self.slice(start, self.pos)?;
        if overflows_f64(text) {
            return Err(self.error_at(start, "number out of range"));
        }
        Ok(Value::Number(Number {
            text: text.to_owned(),
        }))
    }

    /// A string literal; `self.pos` is at its opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = String::new();
        let mut run_start = self.pos;
        loop {
            match self.peek() {
                None => return Err(self.error("unexpected end of input in a string")),
                Some(b'"') => {
                    out.push_str(self.slice(run_start, self.pos)?);
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(self.slice(run_start, self.pos)?);
                    self.pos += 1;
                    self.escape(&mut out)?;
                    run_start = self.pos;
                }
                Some(0x00..=0x1F) => {
                    return Err(self.error("control character in a string (escape it)"))
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// One escape, after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let Some(code) = self.peek() else {
            return Err(self.error("unexpected end of input in a string"));
        };
        let decoded = match code {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                self.pos += 1;
                return self.unicode_escape(out);
            }
            _ => return Err(self.error("invalid escape in a string")),
        };
        self.pos += 1;
        out.push(decoded);
        Ok(())
    }

    /// `XXXX` after `\u`; a UTF-16 surrogate must come as a pair of escapes.
    fn unicode_escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let start = self.pos;
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes[self.pos..].starts_with(b"\\u") {
                    return Err(self.error_at(start, "unpaired surrogate in a \\u escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error_at(start, "unpaired surrogate in a \\u escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => {
                return Err(self.error_at(start, "unpaired surrogate in a \\u escape"))
            }
            other => other,
        };
        let decoded =
            char::from_u32(code).ok_or_else(|| self.error_at(start, "invalid \\u escape"))?;
        out.push(decoded);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or_else(|| self.error("expected four hex digits in a \\u escape"))?;
            code = code * 16 + digit;
            self.pos += 1;
        }
        Ok(code)
    }

    /// `nesting` counts this array; `self.pos` is at `[`.
    fn array(&mut self, nesting: usize) -> Result<Value, JsonError> {
        if nesting > MAX_NESTING {
            return Err(self.error("arrays and objects nested too deeply"));
        }
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(nesting)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error("unexpected end of input in an array")),
                Some(_) => return Err(self.error("expected ',' or ']' in an array")),
            }
        }
    }

    /// `nesting` counts this object; `self.pos` is at `{`.
    fn object(&mut self, nesting: usize) -> Result<Value, JsonError> {
        if nesting > MAX_NESTING {
            return Err(self.error("arrays and objects nested too deeply"));
        }
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(Map::new()));
        }
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.error("unexpected end of input in an object")),
                Some(_) => return Err(self.error("expected a string key in an object")),
            }
            let key = self.string()?;
            self.skip_whitespace();
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => return Err(self.error("unexpected end of input in an object")),
                Some(_) => return Err(self.error("expected ':' after an object key")),
            }
            let value = self.value(nesting)?;
            entries.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(Map::from_entries(entries)));
                }
                None => return Err(self.error("unexpected end of input in an object")),
                Some(_) => return Err(self.error("expected ',' or '}' in an object")),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The json! macro

/// Builds a [`Value`] from JSON-like syntax: `null`, `[...]`, `{"key": value, ...}` nested
/// freely, and any Rust expression as a value (taken by reference through [`ToJson`]).
/// A key is a string literal, a constant, or `(expression)`. Trailing commas are fine.
#[macro_export]
macro_rules! json {
    ($($json:tt)+) => {
        $crate::json_internal!(@value $($json)+)
    };
}

/// The rules behind [`json!`]. An array element or object value ends at the next comma
/// outside brackets; `null`, `[...]` and `{...}` are matched before anything is read as an
/// expression.
#[doc(hidden)]
#[macro_export]
macro_rules! json_internal {
    (@value null) => {
        $crate::core::json::Value::Null
    };
    (@value [ $($items:tt)* ]) => {
        $crate::core::json::Value::Array($crate::json_internal!(@array [] $($items)*))
    };
    (@value {}) => {
        $crate::core::json::Value::Object($crate::core::json::Map::new())
    };
    (@value { $($members:tt)+ }) => {
        $crate::core::json::Value::Object({
            let mut object = $crate::core::json::Map::new();
            $crate::json_internal!(@object object $($members)+);
            object
        })
    };
    (@value $other:expr) => {
        $crate::core::json::ToJson::to_json(&$other)
    };

    // Array elements: the finished ones in brackets, then the rest.
    (@array [$($done:expr,)*]) => {
        ::std::vec![$($done,)*]
    };
    (@array [$($done:expr,)*] null $(, $($rest:tt)*)?) => {
        $crate::json_internal!(@array [$($done,)* $crate::json_internal!(@value null),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $crate::json_internal!(@array [$($done,)* $crate::json_internal!(@value [$($inner)*]),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $crate::json_internal!(@array [$($done,)* $crate::json_internal!(@value {$($inner)*}),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] $next:expr $(, $($rest:tt)*)?) => {
        $crate::json_internal!(@array [$($done,)* $crate::json_internal!(@value $next),] $($($rest)*)?)
    };

    // Object members, inserted one by one into `$object`.
    (@object $object:ident) => {};
    (@object $object:ident $key:tt : null $(, $($rest:tt)*)?) => {
        $object.insert($crate::json_internal!(@key $key), $crate::core::json::Value::Null);
        $crate::json_internal!(@object $object $($($rest)*)?);
    };
    (@object $object:ident $key:tt : [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $object.insert($crate::json_internal!(@key $key), $crate::json_internal!(@value [$($inner)*]));
        $crate::json_internal!(@object $object $($($rest)*)?);
    };
    (@object $object:ident $key:tt : {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $object.insert($crate::json_internal!(@key $key), $crate::json_internal!(@value {$($inner)*}));
        $crate::json_internal!(@object $object $($($rest)*)?);
    };
    (@object $object:ident $key:tt : $value:expr $(, $($rest:tt)*)?) => {
        $object.insert($crate::json_internal!(@key $key), $crate::json_internal!(@value $value));
        $crate::json_internal!(@object $object $($($rest)*)?);
    };
    (@key $key:tt) => {
        ::std::string::String::from($key)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Value {
        match parse(text) {
            Ok(value) => value,
            Err(e) => panic!("{text:?} should parse: {e}"),
        }
    }

    fn refused(text: &str) -> JsonError {
        match parse(text) {
            Ok(value) => panic!("{text:?} should be refused, got {value}"),
            Err(e) => e,
        }
    }

    fn number(text: &str) -> Number {
        Number::from_text(text).unwrap_or_else(|| panic!("{text} is a number"))
    }

    fn nested(levels: usize, open: &str, inner: &str, close: &str) -> String {
        format!("{}{inner}{}", open.repeat(levels), close.repeat(levels))
    }

    #[test]
    fn literals_and_whitespace() {
        assert_eq!(ok("null"), Value::Null);
        assert_eq!(ok(" \t\r\n true \n"), Value::Bool(true));
        assert_eq!(ok("false"), Value::Bool(false));
        assert_eq!(ok("[ 1 ,\n2 ]"), json!([1, 2]));
        assert_eq!(ok("{ \"a\" : 1 }"), json!({"a": 1}));
        for text in [
            "nul",
            "nulll",
            "True",
            "NULL",
            "undefined",
            "NaN",
            "Infinity",
            "'a'",
            "\u{a0}1",
            "1\u{0b}",
            "\u{0c}1",
            "\u{2028}1",
        ] {
            refused(text);
        }
    }

    #[test]
    fn empty_input_trailing_text_and_bom() {
        assert_eq!(
            refused("").what(),
            "unexpected end of input, expected a value"
        );
        refused("   \n ");
        assert_eq!(refused("1 2").what(), "unexpected text after the value");
        refused("{} x");
        refused("[]]");
        refused("\"a\"\"b\"");
        refused("null,");
        // serde_json refuses a byte order mark too; the app never sends one.
        refused("\u{feff}{}");
        refused("{}\u{feff}");
    }

    #[test]
    fn string_escapes() {
        assert_eq!(
            ok(r#""\" \\ \/ \b \f \n \r \t""#),
            Value::from("\" \\ / \u{8} \u{c} \n \r \t")
        );
        assert_eq!(ok(r#""\u0041\u00e9\u00E9\u4e2D""#), Value::from("Aéé中"));
        assert_eq!(ok(r#""\u0000""#), Value::from("\u{0}"));
        // Raw non-ASCII, DEL and line separators are fine; only controls below 0x20 are not.
        assert_eq!(
            ok("\"é中😀\u{7f}\u{2028}\""),
            Value::from("é中😀\u{7f}\u{2028}")
        );
        for control in ['\u{0}', '\u{1}', '\n', '\t', '\u{1f}'] {
            let e = refused(&format!("\"a{control}b\""));
            assert_eq!(e.what(), "control character in a string (escape it)");
        }
        for bad in [
            r#""\x""#,
            r#""\'""#,
            r#""\U0041""#,
            r#""\u00g0""#,
            r#""\u12""#,
        ] {
            refused(bad);
        }
        for unterminated in ["\"abc", "\"abc\\", "\"\\u00", "\""] {
            refused(unterminated);
        }
    }

    #[test]
    fn surrogate_pairs_and_lone_surrogates() {
        assert_eq!(ok(r#""\ud83d\ude00""#), Value::from("😀"));
        assert_eq!(ok(r#""\uD83D\uDE00x""#), Value::from("😀x"));
        assert_eq!(ok(r#""\udbff\udfff""#), Value::from("\u{10ffff}"));
        assert_eq!(ok(r#""\ud800\udc00""#), Value::from("\u{10000}"));
        // Lone halves, a pair in the wrong order, a high half before plain text or another
        // high half: all refused, as serde_json refuses them (a Rust string cannot hold them).
        for lone in [
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\udfff\ud800""#,
            r#""\ud800x""#,
            r#""\ud800\u0041""#,
            r#""\ud800\ud800""#,
            r#""\ud800\""#,
            r#""\ud800\n""#,
        ] {
            let e = refused(lone);
            assert!(
                e.what().contains("surrogate") || e.what().contains("end of input"),
                "{lone}: {e}"
            );
        }
    }

    #[test]
    fn number_grammar() {
        for good in [
            "0",
            "-0",
            "1",
            "-1",
            "10",
            "1.5",
            "-0.0",
            "1.5E-3",
            "1e3",
            "1E+3",
            "1e-3",
            "0e0",
            "0.000001",
            "123456789012345678901234567890",
            "1e-999",
            "-1e-99999999999999999999",
            "0e99999999999999999999",
        ] {
            assert_eq!(ok(good), Value::Number(number(good)), "{good}");
            assert_eq!(ok(good).to_string(), good, "kept as written");
        }
        for bad in [
            "-", "+1", "01", "-01", "00", "1.", ".5", "-.5", "1e", "1e+", "1E-", "1.e3", "0x10",
            "1_000", "--1", "1e3.5", "- 1",
        ] {
            refused(bad);
        }
        assert_eq!(refused("012").what(), "leading zero in a number");
        assert_eq!(refused("[1.]").column(), 4);
    }

    #[test]
    fn numbers_beyond_the_f64_range_are_refused() {
        for too_big in ["1e999", "-1e999", "1.8e308", "1e309", "-2e308", "10e308"] {
            assert_eq!(refused(too_big).what(), "number out of range", "{too_big}");
        }
        for fits in [
            "1e308",
            "1.7976931348623157e308",
            "-1.7976931348623157e308",
            // Between f64::MAX and the halfway point to 2^1024: rounds down to MAX.
            "1.7976931348623158e308",
            "0.00001e313",
            "17976931348623157e292",
        ] {
            ok(fits);
        }
        // The exact threshold 2^1024 - 2^970 overflows (a tie rounds to even, up); one less fits.
        let threshold = F64_OVERFLOW_DIGITS;
        assert_eq!(threshold.len(), 309);
        refused(threshold);
        refused(&format!("{threshold}.0000"));
        refused(&format!("0.{threshold}e309"));
        let below = format!("{}1", &threshold[..threshold.len() - 1]);
        ok(&below);
        ok(&format!("{below}.999999999999"));
        ok(&format!("0.{below}e309"));
    }

    #[test]
    fn integers_read_as_serde_json_reads_them() {
        assert_eq!(ok("42").as_i64(), Some(42));
        assert_eq!(ok("42").as_u64(), Some(42));
        assert_eq!(ok("-42").as_i64(), Some(-42));
        assert_eq!(ok("-42").as_u64(), None);
        assert_eq!(ok("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(ok("9223372036854775808").as_i64(), None);
        assert_eq!(ok("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(ok("18446744073709551616").as_u64(), None);
        // Written with a fraction or exponent: no integer, whatever the value.
        for not_integer in ["1e3", "1.0", "1E0", "0.5"] {
            assert_eq!(ok(not_integer).as_i64(), None, "{not_integer}");
            assert_eq!(ok(not_integer).as_u64(), None, "{not_integer}");
        }
        // serde_json reads -0 as a float; here it is the integer 0 (documented difference).
        assert_eq!(ok("-0").as_i64(), Some(0));
        assert_eq!(ok("\"5\"").as_i64(), None);
        assert!(number("-0.000e7").is_zero());
        assert!(number("0").is_zero());
        assert!(!number("0.001").is_zero());
        assert!(!number("1e-999").is_zero(), "non-zero as written");
        assert_eq!(Value::from(-7i8), ok("-7"));
        assert_eq!(Value::from(u64::MAX).to_string(), "18446744073709551615");
        assert_eq!(Number::from_text("1 "), None);
        assert_eq!(Number::from_text("1e999"), None);
        assert_eq!(Number::from_text(""), None);
    }

    #[test]
    fn nesting_limit_is_serde_jsons() {
        for (open, close) in [("[", "]"), ("{\"k\":", "}"), ("[{\"k\":", "}]")] {
            let per_level = open.matches(['[', '{']).count();
            let levels = MAX_NESTING / per_level;
            let deepest = nested(levels, open, "1", close);
            assert!(parse(&deepest).is_ok(), "{per_level}");
            let too_deep = nested(levels + 1, open, "1", close);
            let e = refused(&too_deep);
            assert_eq!(e.what(), "arrays and objects nested too deeply");
        }
        assert!(parse(&nested(MAX_NESTING, "[", "", "]")).is_ok());
        refused(&nested(MAX_NESTING + 1, "[", "", "]"));
        // Far deeper input stops at the limit: no stack overflow.
        refused(&nested(100_000, "[", "", "]"));
        refused(&"[".repeat(1_000_000));
        refused(&"{\"a\":".repeat(500_000));
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = refused("{\n  \"a\": [1, 2,]\n}");
        assert_eq!(e.to_string(), "expected a value at line 2, column 14");
        assert_eq!((e.line(), e.column()), (2, 14));
        // Columns count characters, not bytes.
        let e = refused("[\"日本\", x]");
        assert_eq!((e.line(), e.column()), (1, 8));
        assert_eq!(
            refused("{\"a\" 1}").to_string(),
            "expected ':' after an object key at line 1, column 6"
        );
        assert_eq!(
            refused("{1: 2}").what(),
            "expected a string key in an object"
        );
        assert_eq!(
            refused("{\"a\": 1,}").what(),
            "expected a string key in an object"
        );
        assert_eq!(refused("[1 2]").what(), "expected ',' or ']' in an array");
        assert_eq!(
            refused("{\"a\": 1 \"b\"}").what(),
            "expected ',' or '}' in an object"
        );
        assert_eq!(
            refused("[1,").what(),
            "unexpected end of input, expected a value"
        );
        assert_eq!(refused("[1").what(), "unexpected end of input in an array");
        assert_eq!(
            refused("{\"a\":1").what(),
            "unexpected end of input in an object"
        );
        assert_eq!(refused("1e999").column(), 1);
    }

    #[test]
    fn objects_keep_insertion_order_and_the_last_of_repeated_keys() {
        let value = ok(r#"{"z": 1, "a": 2, "m": {"y": 1, "b": 2}, "a": 3, "z": null}"#);
        assert_eq!(value.to_string(), r#"{"z":null,"a":3,"m":{"y":1,"b":2}}"#);
        let map = value.as_object().expect("an object");
        assert_eq!(map.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
        assert_eq!(map.len(), 3);
        assert_eq!(map.get("a"), Some(&json!(3)));
        assert_eq!(map["missing"], Value::Null);
        // Every entry repeated: one of each, in first-seen order.
        let value = ok(r#"{"b": 1, "a": 1, "b": 2, "a": 2, "b": 3, "c": 0, "a": 3}"#);
        assert_eq!(value.to_string(), r#"{"b":3,"a":3,"c":0}"#);
        let collected: Map = [("k", 1), ("j", 2), ("k", 3)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::from(v)))
            .collect();
        assert_eq!(Value::Object(collected).to_string(), r#"{"k":3,"j":2}"#);
    }

    #[test]
    fn map_edits_keep_order_and_lookups_right() {
        let mut map = Map::new();
        for key in ["d", "b", "e", "a", "c"] {
            assert_eq!(map.insert(key.to_owned(), Value::from(key)), None);
        }
        assert_eq!(map.insert("b".into(), json!(2)), Some(json!("b")));
        assert_eq!(
            Value::Object(map.clone()).to_string(),
            r#"{"d":"d","b":2,"e":"e","a":"a","c":"c"}"#
        );
        assert_eq!(map.remove("e"), Some(json!("e")));
        assert_eq!(map.remove("e"), None);
        assert_eq!(map.remove("d"), Some(json!("d")));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["b", "a", "c"]);
        for key in ["b", "a", "c"] {
            assert!(map.contains_key(key), "{key}");
        }
        assert!(!map.contains_key("d"));
        *map.entry("a".into()).or_insert(Value::Null) = json!(true);
        map.entry("new".into()).or_insert(json!([]));
        if let Some(v) = map.get_mut("c") {
            *v = json!(null);
        }
        assert_eq!(
            Value::Object(map.clone()).to_string(),
            r#"{"b":2,"a":true,"c":null,"new":[]}"#
        );
        let owned: Vec<(String, Value)> = map.clone().into_iter().collect();
        assert_eq!(owned[3], ("new".to_owned(), json!([])));
        assert_eq!((&map).into_iter().count(), 4);
        assert!(Map::new().is_empty());
    }

    #[test]
    fn objects_compare_as_maps_and_numbers_as_text() {
        assert_eq!(ok(r#"{"a": 1, "b": [2]}"#), ok(r#"{"b": [2], "a": 1}"#));
        assert_ne!(ok(r#"{"a": 1}"#), ok(r#"{"a": 1, "b": 2}"#));
        assert_ne!(ok(r#"{"a": 1}"#), ok(r#"{"b": 1}"#));
        assert_ne!(ok("[1, 2]"), ok("[2, 1]"));
        assert_ne!(ok("1.0"), ok("1"), "numbers are compared as written");
        assert_eq!(ok("7"), 7);
        assert_eq!(ok("\"x\""), "x");
        assert_eq!(ok("true"), true);
    }

    #[test]
    fn compact_output_escapes_as_json_stringify() {
        let text = "\" \\ / \n \r \t \u{8} \u{c} \u{0} \u{1} \u{1f} \u{7f} é 😀 \u{2028}";
        assert_eq!(
            Value::from(text).to_string(),
            "\"\\\" \\\\ / \\n \\r \\t \\b \\f \\u0000 \\u0001 \\u001f \u{7f} é 😀 \u{2028}\""
        );
        let value = json!({"a": [1, -2, "x", null, true, {}], "b": {"c": []}, "": ""});
        assert_eq!(
            value.to_string(),
            r#"{"a":[1,-2,"x",null,true,{}],"b":{"c":[]},"":""}"#
        );
        assert_eq!(json!([]).to_string(), "[]");
        assert_eq!(json!({}).to_string(), "{}");
    }

    #[test]
    fn display_round_trips() {
        for text in [
            r#"{"k":[1,2.5e-3,-0,{"x":"\n\"\\\u0001é😀"}],"e":{},"l":[],"n":null,"t":true}"#,
            r#"[18446744073709551616,1E300,-1e-400,0.1]"#,
            r#""\ud83d\ude00""#,
        ] {
            let value = ok(text);
            assert_eq!(ok(&value.to_string()), value, "{text}");
        }
    }

    #[test]
    fn index_and_accessors() {
        let mut value = json!({"list": [10, "s", {"deep": true}], "n": null});
        assert_eq!(value["list"][0], 10);
        assert_eq!(value["list"][2]["deep"], true);
        assert_eq!(value["list"][9], Value::Null);
        assert_eq!(value["missing"]["deeper"], Value::Null);
        assert_eq!(value["list"]["not an object"], Value::Null);
        value["n"]["made"] = json!(1);
        value["added"] = json!("x");
        assert_eq!(value["n"], json!({"made": 1}));
        assert_eq!(value["added"], "x");
        assert!(value.get("list").is_some_and(Value::is_array));
        assert_eq!(value.get_mut("added").map(Value::take), Some(json!("x")));
        assert_eq!(value["added"], Value::Null);
        if let Some(list) = value["list"].as_array().cloned() {
            assert_eq!(list.len(), 3);
        }
        value.as_object_mut().map(|map| map.remove("list"));
        assert!(value.get("list").is_none());
        assert!(json!(1).is_number() && json!("a").is_string() && json!(false).is_boolean());
        assert!(json!(null).is_null() && json!({}).is_object());
        assert_eq!(json!(1).kind(), "a number");
        assert_eq!(Value::default(), Value::Null);
    }

    #[test]
    #[should_panic(expected = "cannot set a key on an array")]
    fn setting_a_key_on_a_non_object_panics_like_serde_json() {
        let mut value = json!([]);
        value["k"] = json!(1);
    }

    #[test]
    fn json_macro_forms() {
        const KEY: &str = "constant";
        let title = String::from("T");
        let list = vec!["a".to_owned(), "b".to_owned()];
        let missing: Option<u32> = None;
        let dynamic = format!("k{}", 1);
        let value = json!({
            "null": null,
            "bools": [true, false],
            "numbers": [0, -1, 2u8, u64::MAX, 3 + 4, i64::MIN],
            "text": title,
            "by reference": &title,
            "list": list,
            "nested": {"a": [[], {}, [null, {"b": {"c": 1,},},],], "d": {}},
            "option": missing,
            "some": Some(5),
            "call": title.to_lowercase(),
            "if": if list.is_empty() { "none" } else { "some" },
            KEY: 1,
            (dynamic): 2,
            (format!("k{}", 2)): 3,
            "trailing": "comma",
        });
        // `title` and `list` were only borrowed.
        assert_eq!(title, "T");
        assert_eq!(list.len(), 2);
        assert_eq!(
            value.to_string(),
            concat!(
                r#"{"null":null,"bools":[true,false],"#,
                r#""numbers":[0,-1,2,18446744073709551615,7,-9223372036854775808],"#,
                r#""text":"T","by reference":"T","list":["a","b"],"#,
                r#""nested":{"a":[[],{},[null,{"b":{"c":1}}]],"d":{}},"#,
                r#""option":null,"some":5,"call":"t","if":"some","constant":1,"k1":2,"k2":3,"#,
                r#""trailing":"comma"}"#
            )
        );
        assert_eq!(json!(null), Value::Null);
        assert_eq!(json!(true), Value::Bool(true));
        assert_eq!(json!("s"), Value::from("s"));
        assert_eq!(json!(-5), ok("-5"));
        assert_eq!(json!([1, [2, [3]],]), ok("[1,[2,[3]]]"));
        assert_eq!(json!(Value::from(4)), ok("4"));
    }

    #[test]
    fn from_json_reads_types_and_says_what_is_wrong() {
        assert_eq!(from_str::<bool>("true"), Ok(true));
        assert_eq!(from_str::<String>("\"s\""), Ok("s".to_owned()));
        assert_eq!(from_str::<u8>("255"), Ok(255));
        assert_eq!(from_str::<i32>("-5"), Ok(-5));
        assert_eq!(from_str::<Option<u32>>("null"), Ok(None));
        assert_eq!(from_str::<Option<u32>>("7"), Ok(Some(7)));
        assert_eq!(
            from_str::<Vec<String>>(r#"["a","b"]"#),
            Ok(vec!["a".into(), "b".into()])
        );
        assert_eq!(from_str::<Value>("[1]"), Ok(json!([1])));
        assert_eq!(
            from_str::<u32>("\"abc\""),
            Err("expected an integer (u32), found a string".to_owned())
        );
        assert_eq!(
            from_str::<u8>("256"),
            Err("expected an integer (u8), found 256".to_owned())
        );
        assert_eq!(
            from_str::<u64>("1.5"),
            Err("expected an integer (u64), found a number".to_owned())
        );
        assert_eq!(
            from_str::<bool>("1"),
            Err("expected a boolean, found a number".to_owned())
        );
        assert_eq!(
            from_str::<Vec<String>>("[\"a\", 1]"),
            Err("expected a string, found a number".to_owned())
        );
        assert_eq!(
            from_str::<Map>("[]"),
            Err("expected an object, found an array".to_owned())
        );
        assert_eq!(
            from_str::<bool>("tru"),
            Err("expected a value at line 1, column 1".to_owned())
        );
        let mut map = ok(r#"{"n": 1, "s": "x"}"#)
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(map.take_field::<Option<String>>("missing"), Ok(None));
        assert_eq!(
            map.take_field::<String>("n"),
            Err("n: expected a string, found a number".to_owned())
        );
        assert_eq!(map.take_field::<String>("s"), Ok("x".to_owned()));
        assert_eq!(
            map.take_field::<String>("s"),
            Err("s: expected a string, found null".to_owned())
        );
    }

    #[test]
    fn a_hostile_object_with_100k_keys_parses_with_every_key_found() {
        let keys: Vec<String> = (0..100_000)
            .map(|i| format!("k{:06}", (i * 7919) % 100_000))
            .collect();
        let text = format!(
            "{{{}}}",
            keys.iter()
                .enumerate()
                .map(|(i, k)| format!("\"{k}\":{i}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert!(text.len() > 1_000_000);
        // Not timed (numbers belong in benchmarks): work quadratic in the keys would keep
        // this test busy for minutes instead of a fraction of a second.
        let value = ok(&text);
        let map = value.as_object().expect("an object");
        for (i, key) in keys.iter().enumerate().step_by(97) {
            assert_eq!(map.get(key), Some(&Value::from(i)), "{key}");
        }
        assert_eq!(map.keys().next(), Some(&keys[0]), "document order");

        // The same key 100k times: one entry, the last value.
        let text = format!(
            "{{{}}}",
            (0..100_000)
                .map(|i| format!("\"k\":{i}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(ok(&text).to_string(), r#"{"k":99999}"#);
        // And 100k keys collected from code (what `rest` does with a PHP list).
        let map: Map = keys.iter().map(|k| (k.clone(), Value::Null)).collect();
        assert_eq!(map.len(), 100_000);
    }

    #[test]
    fn deepest_values_drop_and_print_on_a_test_thread() {
        // 63 arrays and objects in turn around one more array: 127 levels.
        let text = nested(MAX_NESTING / 2, "[{\"a\":", "[\"x\"]", "}]");
        let value = ok(&text);
        assert_eq!(value.to_string(), text);
        let text = nested(MAX_NESTING - 1, "[", "{}", "]");
        let value = ok(&text);
        assert_eq!(value.to_string(), text);
    }
}
