//! The save of a reshaped block: `landing.block.updatecards` (the new card order), then
//! `landing.block.updatenodes` with the edits, keyed `selector@N` in the NEW order, in one
//! `batch` with `halt`.
//!
//! updatecards could carry the values itself (its `values`, applied after the reorder, see
//! `emulator/README.md`), but that path skips the `{attrs}` handling of updatenodes
//! (`PublicAction\Block::updateNodes` sorts those out; `Block::updateCards` does not), which
//! link payloads use; so the edits go as an ordinary updatenodes.
//!
//! How the new positions are found: the portal puts the new cards where the old ones were
//! (as the content of the first card's parent), so each node selector's matches stay in
//! place outside the cards, and where the cards were they become, card by card in the new
//! order, the matches the source card had. This assumes the cards of a selector are siblings
//! under one parent with no node of the form between them, as in every block seen so far;
//! the portal drops any other child of that parent anyway.

use serde::Serialize;

use super::shape::is_copy;
use super::CardStructure;
use crate::core::context::Scope;
use crate::core::loose::serialize_entries;
use crate::core::model::{is_changed, node_payload, BlockForm, Field, FieldValue, NodeKind};
use crate::core::model::{NodePayload, UpdateData};
use crate::core::rest::BatchCommand;

/// Batch keys of the two commands.
pub const CARDS_KEY: &str = "cards";
pub const NODES_KEY: &str = "nodes";

/// One entry of `source`: the card at `value` as the block stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceItem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub value: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CardsEntry {
    pub source: Vec<SourceItem>,
}

/// The updatecards `data`: `{"<card selector>": {source: [...]}}` for the changed lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UpdateCardsData(
    #[serde(serialize_with = "serialize_entries")] pub Vec<(String, CardsEntry)>,
);

/// What a save sends, and how to tell from the block as it is now whether it landed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SavePlan {
    /// `None` when no card list changed.
    pub cards: Option<UpdateCardsData>,
    pub nodes: UpdateData,
    /// The block as it was opened: every node the form read, and the card counts.
    pub before: Snapshot,
    /// What the block holds once the cards were reshaped: the counts, and each node the
    /// save does not write at its new key (the written ones may come back reformatted).
    pub after: Snapshot,
}

/// Node values by key, and card counts, to compare a block read again with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub nodes: Vec<(String, FieldValue)>,
    pub counts: Vec<usize>,
}

impl Snapshot {
    fn holds(&self, fresh: &BlockForm, fresh_counts: &[usize]) -> bool {
        let counts = |list: usize, of: &[usize]| of.get(list).copied().unwrap_or(0);
        let lists = self.counts.len().max(fresh_counts.len());
        (0..lists).all(|l| counts(l, &self.counts) == counts(l, fresh_counts))
            && self.nodes.iter().all(|(key, value)| {
                fresh
                    .fields
                    .iter()
                    .any(|f| f.key == *key && f.original == *value)
            })
    }
}

/// Where a block read again just before a save (or its retry) stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// As opened: send the whole save.
    AsOpened,
    /// Reshaped as planned (an earlier attempt got that far): only the node edits are
    /// left, and updatenodes may be sent again safely.
    Reshaped,
    /// Neither: someone else changed it. Writing would overwrite blindly.
    ChangedElsewhere,
}

impl SavePlan {
    /// `fresh` is the block read again (its form and card counts).
    pub fn found(&self, fresh: &BlockForm, fresh_counts: &[usize]) -> Found {
        if self.before.holds(fresh, fresh_counts) {
            Found::AsOpened
        } else if self.cards.is_some() && self.after.holds(fresh, fresh_counts) {
            Found::Reshaped
        } else {
            Found::ChangedElsewhere
        }
    }
}

/// The structure does not belong to this form (another block, or the block changed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveError {
    Stale,
}

#[derive(Serialize)]
struct WriteParams<'a, D: Serialize> {
    lid: u64,
    block: u64,
    data: &'a D,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'static str>,
}

impl SavePlan {
    pub fn is_empty(&self) -> bool {
        self.cards.is_none() && self.nodes.is_empty()
    }

    /// The batch commands, updatecards first (send with `halt`, so no edit lands on the old
    /// order if the reorder fails). Empty when there is nothing to save.
    pub fn commands(&self, page_id: u64, block_id: u64, scope: Option<Scope>) -> Vec<BatchCommand> {
        let scope = scope.map(|s| s.as_str());
        let mut out = Vec::new();
        if let Some(cards) = &self.cards {
            let params = WriteParams {
                lid: page_id,
                block: block_id,
                data: cards,
                scope,
            };
            out.push(BatchCommand::new(
                CARDS_KEY,
                "landing.block.updatecards",
                &params,
            ));
        }
        if !self.nodes.is_empty() {
            let params = WriteParams {
                lid: page_id,
                block: block_id,
                data: &self.nodes,
                scope,
            };
            out.push(BatchCommand::new(
                NODES_KEY,
                "landing.block.updatenodes",
                &params,
            ));
        }
        out
    }
}

/// What an added card starts with: its text cleared (text nodes, a link's text); images,
/// icons, videos and link addresses stay as the copied card has them, so it still renders.
pub fn emptied(field: &Field) -> FieldValue {
    match (&field.kind, &field.original) {
        (NodeKind::Text, _) => FieldValue::Text(String::new()),
        (NodeKind::Link, FieldValue::Link { href, new_tab, .. }) => FieldValue::Link {
            text: String::new(),
            href: href.clone(),
            new_tab: *new_tab,
        },
        (_, original) => original.clone(),
    }
}

/// One match of a node selector after the reshape; `send` = false for a copy whose fields
/// the form lacks (it is saved as the portal copies it).
struct Placed {
    field: usize,
    send: bool,
}

/// The matches of `selector` after the reshape, in document order (see the module comment).
fn placed(form: &BlockForm, structure: &CardStructure, selector: &str) -> Vec<Placed> {
    let mut fields: Vec<usize> = (0..form.fields.len())
        .filter(|i| form.fields[*i].selector == selector)
        .collect();
    fields.sort_by_key(|i| form.fields[*i].position);
    let in_card = |list: usize, ordinal: usize| -> Vec<usize> {
        fields
            .iter()
            .copied()
            .filter(|&j| {
                form.fields[j]
                    .card
                    .is_some_and(|c| c.card == list && c.ordinal == ordinal)
            })
            .collect()
    };
    let mut out = Vec::new();
    let mut done: Vec<usize> = Vec::new();
    for &i in &fields {
        let Some(card) = form.fields[i].card else {
            out.push(Placed {
                field: i,
                send: true,
            });
            continue;
        };
        if done.contains(&card.card) {
            continue;
        }
        done.push(card.card);
        let Some(list) = structure.lists.get(card.card) else {
            continue;
        };
        for source in &list.cards {
            let own = in_card(card.card, source.ordinal());
            let (matches, send) = if own.is_empty() {
                (in_card(card.card, source.old_index()), false)
            } else {
                (own, true)
            };
            out.extend(matches.into_iter().map(|field| Placed { field, send }));
        }
    }
    out
}

/// Whether the structure was made for this form's block: the block's own card fields are
/// within the loaded counts, and the rest are copies.
fn fits(form: &BlockForm, structure: &CardStructure) -> bool {
    let lists_ok = structure.lists.iter().all(|l| {
        l.cards.iter().all(|c| c.old_index() < l.loaded) && (l.loaded == 0 || !l.cards.is_empty())
    });
    let fields_ok = form.fields.iter().all(|f| {
        f.card.is_none_or(|c| {
            structure
                .lists
                .get(c.card)
                .is_some_and(|l| c.ordinal < l.loaded || is_copy(f))
        })
    });
    lists_ok && fields_ok
}

/// The save of `form` reshaped as `structure` with `current` values (parallel to
/// `form.fields`; a missing value counts as unchanged). Fields of removed cards are dropped;
/// a copy's fields (see [`super::shape`]) are sent where they differ from what the copied
/// HTML holds.
pub fn save_plan(
    form: &BlockForm,
    structure: &CardStructure,
    current: &[FieldValue],
) -> Result<SavePlan, SaveError> {
    if !fits(form, structure) {
        return Err(SaveError::Stale);
    }
    let changed_lists: Vec<(String, CardsEntry)> = structure
        .lists
        .iter()
        .filter(|l| l.is_changed())
        .map(|l| {
            let source = l
                .cards
                .iter()
                .map(|c| SourceItem {
                    kind: "card",
                    value: c.old_index(),
                })
                .collect();
            (l.selector.clone(), CardsEntry { source })
        })
        .collect();
    let mut selectors: Vec<&str> = Vec::new();
    for f in &form.fields {
        if !selectors.contains(&f.selector.as_str()) {
            selectors.push(&f.selector);
        }
    }
    let mut nodes: Vec<(String, NodePayload)> = Vec::new();
    let mut after = Vec::new();
    for selector in selectors {
        for (position, p) in placed(form, structure, selector).into_iter().enumerate() {
            let field = &form.fields[p.field];
            let key = format!("{selector}@{position}");
            let value = current
                .get(p.field)
                .cloned()
                .unwrap_or_else(|| field.original.clone());
            let payload = (p.send && is_changed(field, &value))
                .then(|| node_payload(field, &value))
                .flatten();
            match payload {
                Some(payload) => nodes.push((key, payload)),
                None => after.push((key, field.original.clone())),
            }
        }
    }
    let before = form
        .fields
        .iter()
        .filter(|f| !is_copy(f))
        .map(|f| (f.key.clone(), f.original.clone()))
        .collect();
    Ok(SavePlan {
        cards: (!changed_lists.is_empty()).then_some(UpdateCardsData(changed_lists)),
        nodes: UpdateData(nodes),
        before: Snapshot {
            nodes: before,
            counts: structure.loaded_counts(),
        },
        after: Snapshot {
            nodes: after,
            counts: structure.counts(),
        },
    })
}

#[cfg(test)]
mod tests;
