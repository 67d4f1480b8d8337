//! A block's cards as the user reshapes them: for each manifest card selector, the cards in
//! their new order, each an existing card (by its index when the block was opened) or a copy
//! of one. Saving it is [`save`]; a block whose card counts changed on the portal since it
//! was opened must not be written ([`check_counts`]).
//!
//! Old indices are all the portal needs: `landing.block.updatecards` builds the new list from
//! the cards as they stand (`source: [{type: "card", value: <old index>}, ...]`, the same index
//! any number of times), see `emulator/README.md` ("Cards and pages").

use serde::{Deserialize, Serialize};

use super::manifest::Manifest;

pub mod save;
pub mod shape;

/// Where a card of the new list comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CardSource {
    /// The card that was at `old_index` when the block was opened.
    Existing { old_index: usize },
    /// A copy of the card that was at `of`. Its fields in the form carry `ordinal` (at or
    /// above the list's `loaded`, never reused), so that it is edited apart from the card it
    /// was copied from (see [`shape`]).
    Copy { of: usize, ordinal: usize },
}

impl CardSource {
    /// The opened block's card this one is made from.
    pub fn old_index(&self) -> usize {
        match self {
            CardSource::Existing { old_index } => *old_index,
            CardSource::Copy { of, .. } => *of,
        }
    }

    /// The ordinal its fields carry in the form.
    pub fn ordinal(&self) -> usize {
        match self {
            CardSource::Existing { old_index } => *old_index,
            CardSource::Copy { ordinal, .. } => *ordinal,
        }
    }
}

/// The cards of one manifest card selector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardList {
    pub selector: String,
    /// How many cards the block had when it was opened.
    pub loaded: usize,
    /// The new order.
    pub cards: Vec<CardSource>,
}

impl CardList {
    fn unchanged(selector: &str, loaded: usize) -> CardList {
        CardList {
            selector: selector.to_owned(),
            loaded,
            cards: (0..loaded)
                .map(|old_index| CardSource::Existing { old_index })
                .collect(),
        }
    }

    /// The cards are still the opened block's, in their order.
    pub fn is_changed(&self) -> bool {
        self.cards.len() != self.loaded
            || self
                .cards
                .iter()
                .enumerate()
                .any(|(i, c)| *c != CardSource::Existing { old_index: i })
    }
}

/// Why an operation was refused (the UI words it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardError {
    /// No card selector at that index.
    NoSuchList,
    /// No card at that position.
    NoSuchCard,
    /// The last card of a selector cannot go: the portal never removes all of them.
    LastCard,
    /// The selector has no card to copy (the block had none).
    NothingToCopy,
    /// Moving further up or down than the list goes.
    AtEdge,
}

/// Parallel to `Manifest.cards`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardStructure {
    pub lists: Vec<CardList>,
}

impl CardStructure {
    /// The opened block's cards, unchanged. `card_counts` is `Extracted.card_counts`; a
    /// missing count is 0.
    pub fn new(manifest: &Manifest, card_counts: &[usize]) -> CardStructure {
        CardStructure {
            lists: manifest
                .cards
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    CardList::unchanged(&c.selector, card_counts.get(i).copied().unwrap_or(0))
                })
                .collect(),
        }
    }

    pub fn is_changed(&self) -> bool {
        self.lists.iter().any(CardList::is_changed)
    }

    /// How many structural changes there are, for the unsaved count: each new card, each
    /// removed one, and one per list whose remaining cards were reordered.
    pub fn change_count(&self) -> usize {
        self.lists
            .iter()
            .map(|l| {
                let kept: Vec<usize> = l
                    .cards
                    .iter()
                    .filter_map(|c| match c {
                        CardSource::Existing { old_index } => Some(*old_index),
                        CardSource::Copy { .. } => None,
                    })
                    .collect();
                let copies = l.cards.len() - kept.len();
                let removed = l.loaded.saturating_sub(kept.len());
                let reordered = kept.windows(2).any(|w| w[0] > w[1]);
                copies + removed + usize::from(reordered)
            })
            .sum()
    }

    /// Whether this structure (say, restored from a draft) was made for the block that
    /// `loaded` describes: the same selectors and counts, every source a card it had.
    pub fn fits_loaded(&self, loaded: &CardStructure) -> bool {
        self.lists.len() == loaded.lists.len()
            && self.lists.iter().zip(&loaded.lists).all(|(list, was)| {
                list.selector == was.selector
                    && list.loaded == was.loaded
                    && list.cards.iter().all(|c| c.old_index() < list.loaded)
                    && (list.loaded == 0 || !list.cards.is_empty())
            })
    }

    /// How many cards each selector will have.
    pub fn counts(&self) -> Vec<usize> {
        self.lists.iter().map(|l| l.cards.len()).collect()
    }

    /// How many cards each selector had when the block was opened.
    pub fn loaded_counts(&self) -> Vec<usize> {
        self.lists.iter().map(|l| l.loaded).collect()
    }

    fn list_mut(&mut self, list: usize) -> Result<&mut CardList, CardError> {
        self.lists.get_mut(list).ok_or(CardError::NoSuchList)
    }

    fn card(&self, list: usize, at: usize) -> Result<CardSource, CardError> {
        let l = self.lists.get(list).ok_or(CardError::NoSuchList)?;
        l.cards.get(at).copied().ok_or(CardError::NoSuchCard)
    }

    /// Appends a new card: a copy of the first card (as now ordered), its fields carrying
    /// `ordinal`; [`shape::add_card`] empties its text. Returns its position.
    pub fn add(&mut self, list: usize, ordinal: usize) -> Result<usize, CardError> {
        let l = self.list_mut(list)?;
        let template = match l.cards.first() {
            Some(first) => first.old_index(),
            // Every card removed cannot happen (remove refuses the last), but a block that
            // had cards still has card 0 on the portal to copy.
            None if l.loaded > 0 => 0,
            None => return Err(CardError::NothingToCopy),
        };
        l.cards.push(CardSource::Copy {
            of: template,
            ordinal,
        });
        Ok(l.cards.len() - 1)
    }

    /// Inserts a copy of the card at `at` right after it, its fields carrying `ordinal` (a
    /// copy of a copy is a copy of the same portal card). Returns the copy's position.
    pub fn duplicate(
        &mut self,
        list: usize,
        at: usize,
        ordinal: usize,
    ) -> Result<usize, CardError> {
        let copy = CardSource::Copy {
            of: self.card(list, at)?.old_index(),
            ordinal,
        };
        let l = self.list_mut(list)?;
        l.cards.insert(at + 1, copy);
        Ok(at + 1)
    }

    /// Whether the card at `at` may be removed (for the UI to disable its button).
    pub fn can_remove(&self, list: usize, at: usize) -> Result<(), CardError> {
        self.card(list, at)?;
        if self.lists.get(list).is_some_and(|l| l.cards.len() <= 1) {
            return Err(CardError::LastCard);
        }
        Ok(())
    }

    pub fn remove(&mut self, list: usize, at: usize) -> Result<(), CardError> {
        self.can_remove(list, at)?;
        self.list_mut(list)?.cards.remove(at);
        Ok(())
    }

    /// Moves the card at `from` so that it ends up at `to`.
    pub fn move_to(&mut self, list: usize, from: usize, to: usize) -> Result<(), CardError> {
        let card = self.card(list, from)?;
        let l = self.list_mut(list)?;
        if to >= l.cards.len() {
            return Err(CardError::NoSuchCard);
        }
        l.cards.remove(from);
        l.cards.insert(to, card);
        Ok(())
    }

    /// Returns the card's new position.
    pub fn move_up(&mut self, list: usize, at: usize) -> Result<usize, CardError> {
        self.card(list, at)?;
        let to = at.checked_sub(1).ok_or(CardError::AtEdge)?;
        self.move_to(list, at, to)?;
        Ok(to)
    }

    /// Returns the card's new position.
    pub fn move_down(&mut self, list: usize, at: usize) -> Result<usize, CardError> {
        self.card(list, at)?;
        let to = at + 1;
        if self.lists.get(list).is_some_and(|l| to >= l.cards.len()) {
            return Err(CardError::AtEdge);
        }
        self.move_to(list, at, to)?;
        Ok(to)
    }
}

/// The first card selector whose count on the portal is not the one the block was opened
/// with (`list` indexes `Manifest.cards`; a missing count reads as 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountsChanged {
    pub list: usize,
    pub loaded: usize,
    pub now: usize,
}

/// Whether the block may be written: its cards are as many as when it was opened. Worth
/// checking before any save touching cards, since updatenodes keys count positions too (a
/// card added on the portal shifts every `selector@N` after it). Same counts do not prove
/// the same order: an order changed elsewhere goes unseen.
pub fn check_counts(loaded: &[usize], now: &[usize]) -> Result<(), CountsChanged> {
    let lists = loaded.len().max(now.len());
    for list in 0..lists {
        let (l, n) = (
            loaded.get(list).copied().unwrap_or(0),
            now.get(list).copied().unwrap_or(0),
        );
        if l != n {
            return Err(CountsChanged {
                list,
                loaded: l,
                now: n,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
