use landing_block_editor::ui::{mount_app, Platform};
use leptos::prelude::document;

fn main() {
    console_error_panic_hook::set_once();
    if let Some(body) = document().body() {
        // The page is the app: it stays mounted for the page's whole life.
        std::mem::forget(mount_app(&body, Platform::browser()));
    }
}
