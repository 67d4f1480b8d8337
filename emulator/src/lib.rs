//! A local stand-in for a Bitrix24 portal's Sites editor, for developing and testing the
//! `landing-block-editor` app: the editor page with its More menu and app slider (parent side
//! of the frame protocol), the `landing.*` REST methods on real block fixtures, a static host
//! for the built app, and a control endpoint to inspect state and inject faults.

pub mod app;
pub mod app_host;
pub mod batch_ref;
pub mod cards;
pub mod cli;
pub mod control;
pub mod faults;
pub mod html_edit;
pub mod ids;
pub mod methods;
pub mod page;
pub mod pages;
pub mod phpform;
pub mod rest;
pub mod server;
pub mod store;
pub mod timefmt;
pub mod uploads;
