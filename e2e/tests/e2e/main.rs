//! End-to-end tests: the emulator's editor page, the app's release build and the official
//! Bitrix24 JS SDK in real Chromium. Run with `cargo test -p e2e -- --test-threads=1`
//! after `trunk build --release` (see the crate's lib.rs for the environment it reads).

mod cards;
mod close;
mod deploy;
mod faults;
mod fixtures;
mod flow;
mod format;
mod health;
mod install;
mod lang;
mod matrix;
mod picker;
mod preview;
mod roundtrip;
mod sdk;
mod upload;
