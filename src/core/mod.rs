//! The pure core: everything here is plain data and functions, knows nothing
//! of the browser and is tested natively with `cargo test`.

pub mod bindings;
pub mod cards;
pub mod context;
pub mod draft;
pub mod form;
pub mod health;
pub mod i18n;
pub mod link_target;
pub mod loose;
pub mod manifest;
pub mod model;
pub mod preview;
pub mod protocol;
pub mod rest;
pub mod rich_text;
pub mod sanitize;
pub mod upload;

// proptest is a native-only dev-dependency: the wasm test build leaves these out.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
