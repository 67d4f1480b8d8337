//! Landing block editor: edits one Bitrix24 Sites block from the block's More menu.
//!
//! `core` is the pure part (context, block model, REST envelope, messages);
//! `client` holds the REST rules over abstract transport (`answer` reads REST answers,
//! `codec` is JSON at the edge); `bridge`, `browser`
//! and `dom` are the thin browser edges; `ui` is the Leptos front.

pub mod answer;
pub mod bridge;
pub mod browser;
pub mod client;
pub mod codec;
pub mod core;
pub mod dom;
pub mod link_lists;
pub mod messages;
pub mod picture;
pub mod ui;

/// The wasm's allocator (a single thread, memory grown as needed): about 2 KiB less gzip
/// than Rust's default there.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

// The lib's unit tests share the browser tests' form reader.
#[cfg(test)]
extern crate self as landing_block_editor;
#[cfg(test)]
#[path = "../tests/support/form.rs"]
pub(crate) mod test_form;
