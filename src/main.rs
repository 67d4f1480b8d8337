use landing_block_editor::ui::{App, Platform};
use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    // The page is the app: it stays mounted for the page's whole life.
    mount_to_body(|| view! { <App platform=Platform::browser()/> });
}
