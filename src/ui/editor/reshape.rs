//! The card operations of the editor: each changes the card structure, and an add or a
//! duplicate also appends the new card's fields (with their value signals) to the form.
//! The focus stays where the user works: on the moved card's button, in the new card.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{go_to_field, EditorState};
use crate::core::cards::shape::{self, NewCard};
use crate::core::cards::{CardError, CardStructure};

/// Focuses the button with class `button` in card `list`-`ordinal`, once the DOM has
/// caught up.
fn focus_card_button(list: usize, ordinal: usize, button: &'static str) {
    request_animation_frame(move || {
        let selector = format!("[data-card=\"{list}-{ordinal}\"] .{button}");
        let found = document().query_selector(&selector).ok().flatten();
        if let Some(button) = found.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = button.focus();
        }
    });
}

impl EditorState {
    fn reshape<T>(
        self,
        change: impl FnOnce(&mut CardStructure) -> Result<T, CardError>,
    ) -> Option<T> {
        let mut cards = self.cards.get_untracked();
        let done = change(&mut cards).ok()?;
        self.cards.set(cards);
        Some(done)
    }

    /// Appends a new card's fields and values, then shows the new structure.
    fn grow(self, cards: CardStructure, new: NewCard) {
        let first_key = new.fields.first().map(|f| f.key.clone());
        // Owned by the editor, as the loaded fields' are: a click handler's owner would
        // take them along when it goes.
        let Some(owner) = self.owner.try_get_value() else {
            return;
        };
        owner.with(|| {
            self.values.update_value(|values| {
                values.extend(new.values.into_iter().map(RwSignal::new));
            });
            self.natural_sizes.update_value(|sizes| {
                sizes.extend(new.fields.iter().map(|_| RwSignal::new(None)));
            });
        });
        self.form.update(|form| form.fields.extend(new.fields));
        self.cards.set(cards);
        if let Some(key) = first_key {
            request_animation_frame(move || go_to_field(&key));
        }
    }

    pub fn add_card(self, list: usize) {
        let mut cards = self.cards.get_untracked();
        let new = self
            .form
            .with_untracked(|form| shape::add_card(form, &mut cards, list));
        if let Ok(new) = new {
            self.grow(cards, new);
        }
    }

    pub fn duplicate_card(self, list: usize, at: usize) {
        let mut cards = self.cards.get_untracked();
        let current = self.current.get_untracked();
        let new = self
            .form
            .with_untracked(|form| shape::duplicate_card(form, &mut cards, list, at, &current));
        if let Ok(new) = new {
            self.grow(cards, new);
        }
    }

    /// Removes the card at `at`; the focus goes to the card that takes its place.
    pub fn remove_card(self, list: usize, at: usize) {
        let Some(()) = self.reshape(|cards| cards.remove(list, at)) else {
            return;
        };
        let next = self.cards.with_untracked(|cards| {
            let l = cards.lists.get(list)?;
            l.cards
                .get(at)
                .or_else(|| l.cards.last())
                .map(|c| c.ordinal())
        });
        let left = self
            .cards
            .with_untracked(|cards| cards.lists.get(list).map_or(0, |l| l.cards.len()));
        // With one card left its Remove is disabled.
        let button = if left > 1 {
            "card-remove"
        } else {
            "card-duplicate"
        };
        if let Some(ordinal) = next {
            focus_card_button(list, ordinal, button);
        }
    }

    /// Moves card `ordinal`, now at `at`, one place up (`-1`) or down (`1`).
    pub fn move_card(self, list: usize, ordinal: usize, at: usize, step: i8) {
        let moved = self.reshape(|cards| {
            let to = match step {
                -1 => cards.move_up(list, at),
                _ => cards.move_down(list, at),
            }?;
            Ok((to, cards.lists.get(list).map_or(0, |l| l.cards.len())))
        });
        // The same button again, unless the card reached the edge it points to.
        let button = match moved {
            Some((0, _)) => "card-down",
            Some((to, count)) if to + 1 >= count => "card-up",
            Some(_) if step < 0 => "card-up",
            Some(_) => "card-down",
            None => return,
        };
        focus_card_button(list, ordinal, button);
    }

    /// A drop: card `ordinal` goes to position `to`.
    pub fn move_card_to(self, list: usize, ordinal: usize, to: usize) {
        let from = self.cards.with_untracked(|cards| {
            cards
                .lists
                .get(list)?
                .cards
                .iter()
                .position(|c| c.ordinal() == ordinal)
        });
        if let Some(from) = from.filter(|from| *from != to) {
            self.reshape(|cards| cards.move_to(list, from, to));
        }
    }
}
