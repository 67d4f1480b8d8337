//! PHP-style forms (`a[b][0]=x&...`) written by a serde `Serializer`: what the app sends the
//! portal as a form body or a batch command's query.
//!
//! Nested objects become `key[sub]=`, lists `key[0]=..&key[1]=..`, booleans `1`/`0` (PHP
//! reads the string "false" as true). Key parts and values are percent-encoded (only RFC
//! 3986 unreserved characters kept, UTF-8 bytes as `%XX`); the structural brackets stay
//! literal. Keys keep their order.
//!
//! A form cannot say null, an empty list or object, or a key with brackets (PHP decodes a
//! key before it splits it at brackets). [`to_form`] refuses those ([`NotFormSafe`]; the
//! caller sends JSON instead); [`to_query`] writes null as an empty value and leaves empty
//! lists and objects out, as PHP's `http_build_query` does.

use std::fmt;

use serde::ser::{self, Impossible, Serialize};

/// The value has a part a form cannot carry (or is not a map or list at the top).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotFormSafe(pub String);

impl fmt::Display for NotFormSafe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not form-safe: {}", self.0)
    }
}

impl std::error::Error for NotFormSafe {}

impl ser::Error for NotFormSafe {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        NotFormSafe(msg.to_string())
    }
}

/// The form body saying exactly what `value` (an object) says as JSON, or `Err` when a form
/// cannot say it.
pub fn to_form<T: Serialize + ?Sized>(value: &T) -> Result<String, NotFormSafe> {
    write(value, true)
}

/// `value` (an object or a list) as a batch command's query, leniently (see the module).
pub fn to_query<T: Serialize + ?Sized>(value: &T) -> Result<String, NotFormSafe> {
    write(value, false)
}

fn write<T: Serialize + ?Sized>(value: &T, strict: bool) -> Result<String, NotFormSafe> {
    let mut out = Writer {
        pairs: Vec::new(),
        strict,
    };
    value.serialize(Part {
        out: &mut out,
        key: None,
    })?;
    Ok(last_of_each_top_key(out.pairs).join("&"))
}

/// A plain top-level key written twice (params that carry their own `auth`) keeps only its
/// last value, which is what PHP reads anyway.
fn last_of_each_top_key(pairs: Vec<String>) -> Vec<String> {
    let plain_key = |pair: &str| {
        let key = pair.split('=').next().unwrap_or("");
        (!key.contains('[')).then(|| key.to_owned())
    };
    let mut kept: Vec<String> = Vec::with_capacity(pairs.len());
    for pair in pairs {
        if let Some(key) = plain_key(&pair) {
            kept.retain(|earlier| plain_key(earlier).as_deref() != Some(key.as_str()));
        }
        kept.push(pair);
    }
    kept
}

struct Writer {
    pairs: Vec<String>,
    strict: bool,
}

impl Writer {
    fn pair(&mut self, key: Option<String>, value: &str) -> Result<(), NotFormSafe> {
        let key = key.ok_or_else(|| NotFormSafe("a scalar at the top".into()))?;
        self.pairs.push(format!("{key}={}", percent_encode(value)));
        Ok(())
    }

    /// The key of a member: `name` at the top, `parent[name]` below.
    fn member_key(&self, parent: &Option<String>, name: &str) -> Result<String, NotFormSafe> {
        if self.strict && name.contains(['[', ']']) {
            return Err(NotFormSafe(format!("the key {name:?} has brackets")));
        }
        let name = percent_encode(name);
        Ok(match parent {
            None => name,
            Some(parent) => format!("{parent}[{name}]"),
        })
    }
}

/// Serializes one value at `key` (`None`: the whole form).
struct Part<'a> {
    out: &'a mut Writer,
    key: Option<String>,
}

/// A list or an object being written.
struct Compound<'a> {
    out: &'a mut Writer,
    key: Option<String>,
    count: usize,
    /// A map's key waiting for its value.
    pending: Option<String>,
}

impl Compound<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotFormSafe> {
        let key = self.out.member_key(&self.key, &self.count.to_string())?;
        self.count += 1;
        value.serialize(Part {
            out: self.out,
            key: Some(key),
        })
    }

    fn member<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), NotFormSafe> {
        let key = self.out.member_key(&self.key, name)?;
        self.count += 1;
        value.serialize(Part {
            out: self.out,
            key: Some(key),
        })
    }

    fn finish(self) -> Result<(), NotFormSafe> {
        if self.count == 0 && self.key.is_some() && self.out.strict {
            return Err(NotFormSafe("an empty list or object".into()));
        }
        Ok(())
    }
}

impl<'a> Part<'a> {
    fn scalar(self, text: &str) -> Result<(), NotFormSafe> {
        self.out.pair(self.key, text)
    }

    fn compound(self) -> Compound<'a> {
        Compound {
            out: self.out,
            key: self.key,
            count: 0,
            pending: None,
        }
    }
}

impl<'a> ser::Serializer for Part<'a> {
    type Ok = ();
    type Error = NotFormSafe;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), NotFormSafe> {
        self.scalar(if v { "1" } else { "0" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), NotFormSafe> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), NotFormSafe> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), NotFormSafe> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), NotFormSafe> {
        self.scalar(&v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<(), NotFormSafe> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), NotFormSafe> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), NotFormSafe> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), NotFormSafe> {
        self.scalar(&v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<(), NotFormSafe> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), NotFormSafe> {
        if !v.is_finite() {
            // JSON has no such number either.
            return self.serialize_unit();
        }
        self.scalar(&v.to_string())
    }
    fn serialize_char(self, v: char) -> Result<(), NotFormSafe> {
        self.scalar(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), NotFormSafe> {
        self.scalar(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), NotFormSafe> {
        Err(NotFormSafe("bytes".into()))
    }
    fn serialize_none(self) -> Result<(), NotFormSafe> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), NotFormSafe> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), NotFormSafe> {
        if self.out.strict {
            return Err(NotFormSafe("null".into()));
        }
        self.scalar("")
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), NotFormSafe> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), NotFormSafe> {
        self.scalar(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), NotFormSafe> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), NotFormSafe> {
        let mut outer = self.compound();
        outer.member(variant, value)?;
        outer.finish()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, NotFormSafe> {
        Ok(self.compound())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, NotFormSafe> {
        Ok(self.compound())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, NotFormSafe> {
        Ok(self.compound())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, NotFormSafe> {
        let key = self.out.member_key(&self.key, variant)?;
        Ok(Part {
            out: self.out,
            key: Some(key),
        }
        .compound())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, NotFormSafe> {
        Ok(self.compound())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, NotFormSafe> {
        Ok(self.compound())
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, NotFormSafe> {
        self.serialize_tuple_variant(name, index, variant, len)
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = NotFormSafe;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotFormSafe> {
        self.item(value)
    }
    fn end(self) -> Result<(), NotFormSafe> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = NotFormSafe;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotFormSafe> {
        self.item(value)
    }
    fn end(self) -> Result<(), NotFormSafe> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = NotFormSafe;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotFormSafe> {
        self.item(value)
    }
    fn end(self) -> Result<(), NotFormSafe> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = NotFormSafe;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotFormSafe> {
        self.item(value)
    }
    fn end(self) -> Result<(), NotFormSafe> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = NotFormSafe;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), NotFormSafe> {
        self.pending = Some(key.serialize(KeyText)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotFormSafe> {
        let name = self.pending.take().unwrap_or_default();
        self.member(&name, value)
    }
    fn end(self) -> Result<(), NotFormSafe> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = NotFormSafe;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), NotFormSafe> {
        self.member(name, value)
    }
    fn end(self) -> Result<(), NotFormSafe> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = NotFormSafe;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), NotFormSafe> {
        self.member(name, value)
    }
    fn end(self) -> Result<(), NotFormSafe> {
        self.finish()
    }
}

/// A map key as text: strings and integers, as JSON keys are.
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = NotFormSafe;
    type SerializeSeq = Impossible<String, NotFormSafe>;
    type SerializeTuple = Impossible<String, NotFormSafe>;
    type SerializeTupleStruct = Impossible<String, NotFormSafe>;
    type SerializeTupleVariant = Impossible<String, NotFormSafe>;
    type SerializeMap = Impossible<String, NotFormSafe>;
    type SerializeStruct = Impossible<String, NotFormSafe>;
    type SerializeStructVariant = Impossible<String, NotFormSafe>;

    fn serialize_str(self, v: &str) -> Result<String, NotFormSafe> {
        Ok(v.to_owned())
    }
    fn serialize_char(self, v: char) -> Result<String, NotFormSafe> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, NotFormSafe> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, NotFormSafe> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, NotFormSafe> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, NotFormSafe> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, NotFormSafe> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, NotFormSafe> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, NotFormSafe> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, NotFormSafe> {
        Ok(v.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, NotFormSafe> {
        value.serialize(self)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, NotFormSafe> {
        Ok(variant.to_owned())
    }
    fn serialize_bool(self, _v: bool) -> Result<String, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_f32(self, _v: f32) -> Result<String, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_f64(self, _v: f64) -> Result<String, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_none(self) -> Result<String, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, NotFormSafe> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, NotFormSafe> {
        Err(not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, NotFormSafe> {
        Err(not_a_key())
    }
}

fn not_a_key() -> NotFormSafe {
    NotFormSafe("a map key that is not a string or an integer".into())
}

/// RFC 3986 percent-encoding: unreserved characters (ALPHA, DIGIT, `-._~`) kept, every other
/// UTF-8 byte as `%XX` (space is `%20`, never `+`).
pub fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for byte in s.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    out
}
