//! Plain DOM building for the editor's page: start-up screens and the editor.
//!
//! `view!` gives every element, attribute and closure its own type, and every
//! type its own copy of Leptos' rendering code in the wasm. The page repeats a
//! few shapes many times over, so it is built with these few non-generic
//! helpers instead: static structure as attribute lists, reactive parts as
//! effects over Leptos signals, input through event listeners. Both live
//! exactly as long as the [`Keep`] that made them.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, EventTarget, HtmlInputElement};

struct Listener {
    target: EventTarget,
    event: &'static str,
    handler: Closure<dyn FnMut(Event)>,
}

/// Owns the listeners and effects of a built piece of DOM; dropping it
/// detaches them. The editor's page holds the screen's `Keep` beside the
/// screen's reactive owner (`ui::Page`); a `view!` component keeps it in a
/// `StoredValue`, so that it goes with the component.
#[derive(Default)]
pub struct Keep {
    listeners: RefCell<Vec<Listener>>,
    effects: RefCell<Vec<RenderEffect<()>>>,
}

impl Keep {
    /// Calls `handler` on every `event` at `target` (an element or the window).
    pub fn on(
        &self,
        target: &EventTarget,
        event: &'static str,
        handler: impl FnMut(Event) + 'static,
    ) {
        self.listen(target, event, Box::new(handler));
    }

    fn listen(&self, target: &EventTarget, event: &'static str, handler: Box<dyn FnMut(Event)>) {
        let handler = Closure::wrap(handler);
        let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        self.listeners.borrow_mut().push(Listener {
            target: target.clone(),
            event,
            handler,
        });
    }

    /// Runs `update` now and again whenever a signal it read changes.
    pub fn effect(&self, update: impl Fn() + 'static) {
        self.track(Box::new(update));
    }

    fn track(&self, update: Box<dyn Fn()>) {
        let effect = RenderEffect::new(move |_| update());
        self.effects.borrow_mut().push(effect);
    }
}

impl Drop for Keep {
    /// Listeners on what outlives the view (the window) must not call into it.
    fn drop(&mut self) {
        for listener in self.listeners.get_mut().drain(..) {
            let _ = listener.target.remove_event_listener_with_callback(
                listener.event,
                listener.handler.as_ref().unchecked_ref(),
            );
        }
    }
}

/// A new `tag` element with `attrs` (name, value) set in order.
pub fn el(tag: &str, attrs: &[(&str, &str)]) -> Element {
    let element = document().create_element(tag).unwrap_throw();
    for (name, value) in attrs {
        let _ = element.set_attribute(name, value);
    }
    element
}

/// [`el`] with `text` as its only content.
pub fn text_el(tag: &str, attrs: &[(&str, &str)], text: &str) -> Element {
    let element = el(tag, attrs);
    element.set_text_content(Some(text));
    element
}

/// A `type="button"` button with its text.
pub fn button(class: &str, id: &str, text: &str) -> Element {
    text_el(
        "button",
        &[("type", "button"), ("class", class), ("id", id)],
        text,
    )
}

pub fn append(parent: &Element, children: &[&Element]) {
    for child in children {
        let _ = parent.append_child(child);
    }
}

/// Sets or removes a boolean attribute (`readonly`, `disabled`, `hidden`).
pub fn set_flag(element: &Element, name: &str, on: bool) {
    if on {
        let _ = element.set_attribute(name, "");
    } else {
        let _ = element.remove_attribute(name);
    }
}

pub fn set_class(element: &Element, class: &str, on: bool) {
    let _ = element.class_list().toggle_with_force(class, on);
}

/// Puts `child` at the end of `parent` or takes it out, so that it is in the
/// document exactly when `shown`.
pub fn show(parent: &Element, child: &Element, shown: bool) {
    if !shown {
        child.remove();
    } else if child.parent_node().is_none() {
        let _ = parent.append_child(child);
    }
}

/// Shows `text` in an `<input>` or `<textarea>` (both have `value`); an
/// unchanged value is left alone so that the caret stays where the user types.
pub fn set_value(control: &Element, text: &str) {
    let input = control.unchecked_ref::<HtmlInputElement>();
    if input.value() != text {
        input.set_value(text);
    }
}
