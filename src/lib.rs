//! Landing block editor: edits one Bitrix24 Sites block from the block's More menu.
//!
//! `core` is the pure part (context, block model, REST envelope, messages);
//! `client` holds the REST rules over abstract transport; `bridge`, `browser`
//! and `dom` are the thin browser edges; `ui` is the Leptos front.

pub mod bridge;
pub mod browser;
pub mod client;
pub mod core;
pub mod dom;
pub mod messages;
pub mod ui;

/// The wasm's allocator (a single thread, memory grown as needed): about 2 KiB less gzip
/// than Rust's default there.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
