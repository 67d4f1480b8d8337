use landing_block_editor::ui::{App, Platform};
use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    mount_to_body(|| view! { <App platform=Platform::browser()/> });
}
