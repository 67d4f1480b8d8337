//! The formatting toolbar: real buttons, labelled, pressed as the selection is formatted.

use leptos::prelude::*;

use crate::core::i18n::{tr, Msg};
use crate::core::rich_text::Format;
use crate::ui::use_lang;

fn label(format: Format) -> Msg {
    match format {
        Format::Bold => Msg::TextBold,
        Format::Italic => Msg::TextItalic,
        Format::Underline => Msg::TextUnderline,
        Format::Strike => Msg::TextStrike,
        Format::Link => Msg::TextLink,
        Format::Bullets => Msg::TextBullets,
        Format::Numbers => Msg::TextNumbers,
        Format::Clear => Msg::TextClear,
    }
}

/// What the button shows (its name is the label; the icon is hidden from readers).
fn icon(format: Format) -> &'static str {
    match format {
        Format::Bold => "B",
        Format::Italic => "I",
        Format::Underline => "U",
        Format::Strike => "S",
        Format::Link => "🔗",
        Format::Bullets => "•",
        Format::Numbers => "1.",
        Format::Clear => "T×",
    }
}

fn shortcut(format: Format) -> Option<&'static str> {
    match format {
        Format::Bold => Some("Ctrl+B"),
        Format::Italic => Some("Ctrl+I"),
        Format::Underline => Some("Ctrl+U"),
        Format::Link => Some("Ctrl+K"),
        _ => None,
    }
}

#[component]
pub fn Toolbar(
    /// The id of the text the toolbar formats.
    controls: String,
    pressed: RwSignal<Vec<Format>>,
    apply: Callback<Format>,
    disabled: bool,
) -> impl IntoView {
    let lang = use_lang();
    let buttons = Format::ALL
        .into_iter()
        .map(|format| {
            let name = tr(lang, label(format));
            let title = match shortcut(format) {
                Some(keys) => format!("{name} ({keys})"),
                None => name.to_owned(),
            };
            let state = move || {
                format
                    .toggles()
                    .then(|| pressed.with(|p| p.contains(&format)).to_string())
            };
            view! {
                <button
                    type="button"
                    class=format!("tool tool-{}", format.name())
                    data-format=format.name()
                    aria-label=name
                    title=title
                    aria-pressed=state
                    disabled=disabled
                    // The text keeps its selection and focus while a button is clicked.
                    on:mousedown=|event| event.prevent_default()
                    on:click=move |_| apply.run(format)
                >
                    <span aria-hidden="true">{icon(format)}</span>
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="toolbar" role="toolbar" aria-label=tr(lang, Msg::TextToolbar) aria-controls=controls>
            {buttons}
        </div>
    }
}
