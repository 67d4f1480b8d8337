//! An image node: a preview beside its addresses and alternative text.

use leptos::prelude::*;

use super::super::use_lang;
use super::upload::{dragged_files, pasted_files, UploadControls, Uploader};
use super::{FieldState, PartInput};
use crate::core::i18n::{trf, Msg};
use crate::core::manifest::Dimensions;
use crate::core::model::FieldValue;

/// Only web addresses are previewed; anything else (data:, javascript:) is not loaded.
fn previewable(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("https://") || url.starts_with("http://") || url.starts_with("//")
}

fn image_src(value: &FieldValue) -> String {
    match value {
        FieldValue::Img { src, .. } => src.clone(),
        _ => String::new(),
    }
}

fn set_image_src(value: &mut FieldValue, new: String) {
    if let FieldValue::Img { src, .. } = value {
        *src = new
    }
}

fn image_alt(value: &FieldValue) -> String {
    match value {
        FieldValue::Img { alt, .. } => alt.clone(),
        _ => String::new(),
    }
}

fn set_image_alt(value: &mut FieldValue, new: String) {
    if let FieldValue::Img { alt, .. } = value {
        *alt = new
    }
}

fn image_src2x(value: &FieldValue) -> String {
    match value {
        FieldValue::Img { src2x, .. } => src2x.clone(),
        _ => String::new(),
    }
}

fn set_image_src2x(value: &mut FieldValue, new: String) {
    if let FieldValue::Img { src2x, .. } = value {
        *src2x = new
    }
}

/// `name` is the field's, for the preview's alternative text. `background`: the image is
/// a CSS background, which has no alternative text: the portal saves none for it, so no
/// input is offered (a typed one would be silently lost). `dimensions`: the node's slot,
/// which an uploaded picture is resized to.
#[component]
pub fn ImageField(
    id: String,
    state: FieldState,
    name: String,
    background: bool,
    dimensions: Dimensions,
) -> impl IntoView {
    let alt_input = (!background).then(|| {
        view! {
            <PartInput id=format!("{id}-alt") label=Msg::ImageAlt kind="text"
                read=image_alt write=set_image_alt state/>
        }
    });
    let uploader = Uploader::new(state, dimensions);
    // Only a drag that carries files is taken; text dragged into an input stays the input's.
    let over = move |event: leptos::ev::DragEvent| {
        if dragged_files(event.data_transfer()).is_some() || carries_files(&event) {
            event.prevent_default();
        }
    };
    let drop = move |event: leptos::ev::DragEvent| {
        if uploader.start_first(dragged_files(event.data_transfer())) {
            event.prevent_default();
        }
    };
    let paste = move |event: leptos::ev::ClipboardEvent| {
        if uploader.start_first(pasted_files(&event)) {
            event.prevent_default();
        }
    };
    view! {
        <div class="image-field" on:dragover=over on:drop=drop on:paste=paste>
            <Preview state name/>
            <div class="image-parts">
                <UploadControls id=id.clone() uploader/>
                <PartInput id=format!("{id}-src") label=Msg::ImageUrl kind="url"
                    read=image_src write=set_image_src state/>
                {alt_input}
                <PartInput id=format!("{id}-src2x") label=Msg::ImageSrc2x kind="url"
                    read=image_src2x write=set_image_src2x state/>
            </div>
        </div>
    }
}

/// During `dragover` the files themselves are hidden; their kind ("Files") is not.
fn carries_files(event: &leptos::ev::DragEvent) -> bool {
    event
        .data_transfer()
        .map(|t| {
            t.types()
                .iter()
                .any(|k| k.as_string().as_deref() == Some("Files"))
        })
        .unwrap_or(false)
}

/// The image as its address shows it, while that is a web address.
#[component]
fn Preview(state: FieldState, name: String) -> impl IntoView {
    let lang = use_lang();
    let value = state.value;
    let src = Memo::new(move |_| value.with(image_src));
    let visible = Memo::new(move |_| src.with(|src| previewable(src)));
    // An address that does not load shows the empty frame, not a broken image.
    let failed = RwSignal::new(None::<String>);
    let broken = move || failed.with(|failed| src.with(|src| failed.as_ref() == Some(src)));
    let alt = trf(lang, Msg::ImagePreviewAlt, &[&name]);
    // The loaded picture's own size, for the health check; unknown again once the address
    // changes until the new one loads.
    let natural = state.natural_size;
    Effect::new(move || {
        src.track();
        natural.set(None);
    });
    let measure = move |event: leptos::ev::Event| {
        let size = event_target::<web_sys::HtmlImageElement>(&event);
        let size = (size.natural_width(), size.natural_height());
        natural.set((size.0 > 0 && size.1 > 0).then_some(size));
    };
    view! {
        <div class="image-preview">
            {move || {
                visible
                    .get()
                    .then(|| {
                        view! {
                            <img
                                alt=alt.clone()
                                loading="lazy"
                                referrerpolicy="no-referrer"
                                class:broken=broken
                                on:error=move |_| failed.set(Some(src.get_untracked()))
                                on:load=measure
                                src=move || src.get()
                            />
                        }
                    })
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::previewable;

    #[test]
    fn only_web_addresses_are_previewed() {
        assert!(previewable("https://example.com/a.png"));
        assert!(previewable(" //cdn.example.com/a.png"));
        assert!(!previewable("javascript:alert(1)"));
        assert!(!previewable("data:image/png;base64,AAAA"));
    }
}
