//! JSON at the edge. In the browser the browser reads and writes JSON text
//! (`JSON.parse`/`JSON.stringify`) and serde-wasm-bindgen moves the values between JS and
//! the core's serde types, so no JSON codec is built into the wasm; natively (tests, the
//! end-to-end tests) serde_json does the same job. The core defines the shapes, this module
//! only carries them.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

/// Text that is not JSON, or JSON of another shape than asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

/// A value that would not go into JSON (a map with keys that are not strings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError(pub String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

/// JSON text as a `T`.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    Raw::parse(text)?.read()
}

/// A parsed JSON value not yet read as a type: read it as one shape, then another (an
/// envelope's error, then its result), or keep part of a document for later. A JS value in
/// the browser; natively the (checked) JSON text.
#[derive(Clone, Debug)]
pub struct Raw(imp::Inner);

impl Raw {
    pub fn parse(text: &str) -> Result<Raw, DecodeError> {
        imp::parse(text).map(Raw)
    }

    pub fn read<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        imp::read(&self.0)
    }

    /// A value the app sends, ready to go to JS (or to be written as text).
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Raw, EncodeError> {
        imp::from_serialize(value).map(Raw)
    }

    /// As JSON text.
    pub fn to_text(&self) -> Result<String, EncodeError> {
        imp::to_text(&self.0)
    }
}

/// A field kept as a [`Raw`], to be read later.
impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        imp::deserialize(d).map(Raw)
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use wasm_bindgen::JsValue;

    pub type Inner = JsValue;

    pub fn parse(text: &str) -> Result<JsValue, DecodeError> {
        js_sys::JSON::parse(text).map_err(|err| {
            DecodeError(
                js_sys::Error::from(err)
                    .message()
                    .as_string()
                    .unwrap_or_else(|| "not JSON".into()),
            )
        })
    }

    pub fn read<T: DeserializeOwned>(value: &JsValue) -> Result<T, DecodeError> {
        super::from_js(value.clone())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<JsValue, D::Error> {
        serde_wasm_bindgen::preserve::deserialize(d)
    }

    pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, EncodeError> {
        to_text(&to_js(value)?)
    }

    pub fn to_text(value: &JsValue) -> Result<String, EncodeError> {
        js_sys::JSON::stringify(value)
            .ok()
            .and_then(|text| text.as_string())
            .ok_or_else(|| EncodeError("JSON.stringify failed".into()))
    }

    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, EncodeError> {
        to_js(value)
    }

    pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, EncodeError> {
        super::to_js(value)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;
    use serde_json::value::RawValue;

    pub type Inner = Box<RawValue>;

    pub fn parse(text: &str) -> Result<Box<RawValue>, DecodeError> {
        serde_json::from_str(text).map_err(|e| DecodeError(e.to_string()))
    }

    pub fn read<T: DeserializeOwned>(value: &RawValue) -> Result<T, DecodeError> {
        serde_json::from_str(value.get()).map_err(|e| DecodeError(e.to_string()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Box<RawValue>, D::Error> {
        Box::<RawValue>::deserialize(d)
    }

    pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, EncodeError> {
        serde_json::to_string(value).map_err(|e| EncodeError(e.to_string()))
    }

    pub fn to_text(value: &RawValue) -> Result<String, EncodeError> {
        Ok(value.get().to_owned())
    }

    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Box<RawValue>, EncodeError> {
        serde_json::value::to_raw_value(value).map_err(|e| EncodeError(e.to_string()))
    }
}

/// A value as JSON text.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, EncodeError> {
    imp::encode(value)
}

pub use js::*;

/// Values from and for JS (the BX24 library). Built natively too, where the bridge that uses
/// them compiles but never runs.
mod js {
    use super::*;
    use wasm_bindgen::JsValue;

    /// A JS value (a BX24 library object) as a `T`, without JSON text in between.
    pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, DecodeError> {
        serde_wasm_bindgen::from_value(value).map_err(|e| DecodeError(e.to_string()))
    }

    /// A value for JS: maps as plain objects, 64-bit integers as numbers, as JSON has them.
    pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, EncodeError> {
        value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| EncodeError(e.to_string()))
    }

    #[cfg(target_arch = "wasm32")]
    impl Raw {
        pub fn from_js(value: JsValue) -> Raw {
            Raw(value)
        }

        pub fn into_js(self) -> JsValue {
            self.0
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    impl Raw {
        pub fn from_js(value: JsValue) -> Raw {
            let text = js_sys::JSON::stringify(&value)
                .ok()
                .and_then(|text| text.as_string())
                .unwrap_or_else(|| "null".into());
            Raw::parse(&text).unwrap_or_else(|_| Raw(RawValue::NULL.to_owned()))
        }

        pub fn into_js(self) -> JsValue {
            js_sys::JSON::parse(self.0.get()).unwrap_or(JsValue::NULL)
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    use serde_json::value::RawValue;
}
