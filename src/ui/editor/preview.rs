//! The live preview: the block with the unsaved edits, in a frame that runs nothing.
//!
//! The frame is `sandbox="allow-same-origin"` without `allow-scripts`: no script, inline
//! handler or `javascript:` address in it can run (and the page's CSP refuses script as
//! well), while the app can still read clicks in it and patch it in place. Without
//! `allow-same-origin` the app could not see which element was clicked. Its document is
//! built once, after the form is on screen; edits then change only their own elements,
//! debounced, so the frame never reloads or flickers.

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement};

use super::super::{use_lang, Loaded};
use super::preview_cards::CardElements;
use super::EditorState;
use crate::core::i18n::{tr, Msg};
use crate::core::model::{BlockForm, FieldValue};
use crate::core::preview::{document as preview_document, patch, Patch, CHANGED_ATTR, FIELD_ATTR};
use crate::core::sanitize::{sanitize, Policy};

/// The preview's own stylesheet (outlines), relative to the app like every URL.
const PREVIEW_CSS: &str = "static/preview.css";
/// Typing pauses this long before the preview follows.
const DEBOUNCE_MS: u64 = 150;

/// The sanitized document of the block as loaded.
fn build_document(loaded: &Loaded) -> Option<String> {
    let selectors: Vec<&str> = loaded
        .cards
        .lists
        .iter()
        .map(|l| l.selector.as_str())
        .collect();
    let body = crate::dom::preview_body(&loaded.form, &selectors, &loaded.html)?;
    Some(preview_document(
        &loaded.stylesheets,
        PREVIEW_CSS,
        &sanitize(&body, Policy::Preview),
    ))
}

fn apply_patch(element: &web_sys::Element, patch: &Patch) {
    if let Some(html) = &patch.inner_html {
        element.set_inner_html(html);
    }
    for (name, value) in &patch.set {
        let _ = element.set_attribute(name, value);
    }
    for name in &patch.remove {
        let _ = element.remove_attribute(name);
    }
    if let Some(background) = &patch.background {
        // The frame's elements belong to its own realm: a checked cast would refuse them.
        let element: &HtmlElement = element.unchecked_ref();
        let _ = element.style().set_property("background-image", background);
    }
}

/// Brings the frame up to `values`: only the fields that changed since the last call
/// (`applied`, parallel to the fields) are touched.
fn bring_up_to_date(
    doc: &Document,
    form: &BlockForm,
    values: &[FieldValue],
    applied: &mut Vec<Option<FieldValue>>,
) {
    applied.resize(values.len(), None);
    for (index, ((field, value), last)) in form.fields.iter().zip(values).zip(applied).enumerate() {
        if last.as_ref() == Some(value) {
            continue;
        }
        let selector = format!("[{FIELD_ATTR}=\"{index}\"]");
        if let Ok(Some(element)) = doc.query_selector(&selector) {
            apply_patch(&element, &patch(field, value));
            let _ = if field.original == *value {
                element.remove_attribute(CHANGED_ATTR)
            } else {
                element.set_attribute(CHANGED_ATTR, "")
            };
        }
        *last = Some(value.clone());
    }
}

/// The field index of the element at the click, if it belongs to one.
fn clicked_field(doc: &Document, event: &web_sys::MouseEvent) -> Option<usize> {
    let element = doc.element_from_point(event.client_x() as f32, event.client_y() as f32)?;
    let marked = element.closest(&format!("[{FIELD_ATTR}]")).ok()??;
    marked.get_attribute(FIELD_ATTR)?.parse().ok()
}

#[component]
pub fn Preview(
    state: EditorState,
    loaded: Rc<Loaded>,
    /// Called with the field index of a clicked element.
    on_pick: Callback<usize>,
) -> impl IntoView {
    let lang = use_lang();
    let srcdoc = RwSignal::new(None::<String>);
    // After the form is painted: the preview never delays the first editable field.
    let for_document = loaded.clone();
    request_animation_frame(move || {
        set_timeout(
            move || {
                srcdoc.try_set(build_document(&for_document));
            },
            Duration::ZERO,
        );
    });

    let frame = NodeRef::<leptos::html::Iframe>::new();
    let ready = RwSignal::new(false);
    let applied = StoredValue::new(Vec::<Option<FieldValue>>::new());
    let listener = StoredValue::new_local(None::<Closure<dyn FnMut(web_sys::MouseEvent)>>);
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    let form = state.form;
    let sync = move || {
        let Some(doc) = frame.get_untracked().and_then(|f| f.content_document()) else {
            return;
        };
        let values = state.current.get_untracked();
        form.with_untracked(|form| {
            applied.update_value(|applied| bring_up_to_date(&doc, form, &values, applied))
        });
    };
    // Card changes rebuild the lists at once, then every field is patched again.
    let card_elements = StoredValue::new_local(CardElements::default());
    Effect::new(move |was: Option<bool>| {
        state.cards.track();
        let now = ready.get();
        if now && was == Some(true) {
            state.form.with_untracked(|form| {
                state.cards.with_untracked(|cards| {
                    card_elements.update_value(|elements| elements.arrange(form, cards))
                })
            });
            applied.set_value(Vec::new());
            sync();
        }
        now
    });
    Effect::new(move || {
        state.current.track();
        if !ready.get() {
            return;
        }
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(sync, Duration::from_millis(DEBOUNCE_MS)).ok();
        pending.set_value(handle);
    });
    on_cleanup(move || {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    });

    let on_load = move |_| {
        let Some(doc) = frame.get_untracked().and_then(|f| f.content_document()) else {
            return;
        };
        let in_frame = doc.clone();
        let on_click =
            Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |event: web_sys::MouseEvent| {
                // Nothing in the preview navigates: it is a picture of the block.
                event.prevent_default();
                if let Some(index) = clicked_field(&in_frame, &event) {
                    on_pick.run(index);
                }
            });
        let _ = doc.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        listener.set_value(Some(on_click));
        card_elements.set_value(CardElements::find(&doc));
        // A structure restored from a draft is shown from the start.
        state.form.with_untracked(|form| {
            state.cards.with_untracked(|cards| {
                if cards.is_changed() {
                    card_elements.update_value(|elements| elements.arrange(form, cards))
                }
            })
        });
        sync();
        ready.set(true);
    };

    view! {
        <section class="preview" aria-label=tr(lang, Msg::PreviewTitle)>
            <p class="preview-hint">{tr(lang, Msg::PreviewHint)}</p>
            {move || srcdoc.get().map(|doc| view! {
                <iframe
                    class="preview-frame"
                    node_ref=frame
                    title=tr(lang, Msg::PreviewTitle)
                    sandbox="allow-same-origin"
                    // Busy until its document is loaded and listens for clicks.
                    aria-busy=move || (!ready.get()).to_string()
                    srcdoc=doc
                    on:load=on_load
                ></iframe>
            })}
        </section>
    }
}
