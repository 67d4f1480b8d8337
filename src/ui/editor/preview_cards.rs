//! Card changes in the preview: whole card elements are moved, copied and taken out, as
//! the portal will (the new cards replace the old ones under the first card's parent).

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use crate::core::cards::shape::copy_field_pairs;
use crate::core::cards::{CardSource, CardStructure};
use crate::core::model::BlockForm;
use crate::core::preview::{CARD_ATTR, CHANGED_ATTR, FIELD_ATTR};

/// The frame's card elements: the block's own, found once, and copies made as needed.
#[derive(Default)]
pub struct CardElements {
    /// Per list, the parent of its first card.
    parents: Vec<Option<Element>>,
    /// By (list, ordinal).
    cards: Vec<((usize, usize), Element)>,
}

fn parse_mark(mark: &str) -> Option<(usize, usize)> {
    let (list, ordinal) = mark.split_once('-')?;
    Some((list.parse().ok()?, ordinal.parse().ok()?))
}

impl CardElements {
    /// The marked cards of the frame's document as loaded.
    pub fn find(doc: &Document) -> CardElements {
        let mut found = CardElements::default();
        let Ok(marked) = doc.query_selector_all(&format!("[{CARD_ATTR}]")) else {
            return found;
        };
        // The frame's nodes belong to its own realm: a checked cast would refuse them.
        for element in (0..marked.length())
            .filter_map(|i| marked.item(i))
            .map(|node| node.unchecked_into::<Element>())
        {
            let Some((list, ordinal)) = element
                .get_attribute(CARD_ATTR)
                .as_deref()
                .and_then(parse_mark)
            else {
                continue;
            };
            if found.parents.len() <= list {
                found.parents.resize(list + 1, None);
            }
            if ordinal == 0 {
                found.parents[list] = element.parent_element();
            }
            found.cards.push(((list, ordinal), element));
        }
        found
    }

    fn get(&self, key: (usize, usize)) -> Option<Element> {
        self.cards
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, e)| e.clone())
    }

    /// The element of `source` in `list`; a copy is cloned from the card it copies, its
    /// field marks renumbered to the copy's fields, and outlined as new.
    fn element(&mut self, form: &BlockForm, list: usize, source: CardSource) -> Option<Element> {
        if let Some(element) = self.get((list, source.ordinal())) {
            return Some(element);
        }
        let CardSource::Copy { of, ordinal } = source else {
            return None;
        };
        let clone = self
            .get((list, of))?
            .clone_node_with_deep(true)
            .ok()?
            .unchecked_into::<Element>();
        let _ = clone.set_attribute(CARD_ATTR, &format!("{list}-{ordinal}"));
        let _ = clone.set_attribute(CHANGED_ATTR, "");
        for (from, to) in copy_field_pairs(form, list, of, ordinal) {
            let selector = format!("[{FIELD_ATTR}=\"{from}\"]");
            if let Ok(Some(marked)) = clone.query_selector(&selector) {
                let _ = marked.set_attribute(FIELD_ATTR, &to.to_string());
            }
        }
        self.cards.push(((list, ordinal), clone.clone()));
        Some(clone)
    }

    /// Puts the cards of every list in the structure's order, leaving out removed ones.
    pub fn arrange(&mut self, form: &BlockForm, structure: &CardStructure) {
        for (list, l) in structure.lists.iter().enumerate() {
            let Some(parent) = self.parents.get(list).cloned().flatten() else {
                continue;
            };
            let wanted: Vec<Element> = l
                .cards
                .iter()
                .filter_map(|card| self.element(form, list, *card))
                .collect();
            for ((of_list, _), element) in &self.cards {
                if *of_list == list {
                    element.remove();
                }
            }
            for element in wanted {
                let _ = parent.append_child(&element);
            }
        }
    }
}
