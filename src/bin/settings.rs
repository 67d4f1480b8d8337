use landing_block_editor::ui::{Platform, SettingsApp};
use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    mount_to_body(|| view! { <SettingsApp platform=Platform::browser()/> });
}
