//! The form as the user reshapes its cards. The form's fields only ever grow: an added or
//! duplicated card appends copies of its source card's fields (carrying the copy's own
//! ordinal, so they are edited apart from the source), and a removed card's fields stay
//! where they are, dead. Indices stay stable for the UI's per-field signals; which fields
//! are in the block is [`live_fields`].

use super::save::emptied;
use super::{CardError, CardSource, CardStructure};
use crate::core::health::plain_text;
use crate::core::model::{is_changed, label_text, BlockForm, CardRef, Field, FieldValue};

/// The key of a copy's field: unique in the form, and never a portal key (`selector@N`), so
/// an edit kept for it in a draft cannot land on a real node.
pub fn copy_key(selector: &str, ordinal: usize) -> String {
    format!("{selector}@new{ordinal}")
}

/// The field belongs to a card added or duplicated in this editor.
pub fn is_copy(field: &Field) -> bool {
    field
        .card
        .is_some_and(|c| field.key == copy_key(&field.selector, c.ordinal))
}

/// The indices of the fields of card `ordinal` in list `list`.
pub fn card_fields(form: &BlockForm, list: usize, ordinal: usize) -> Vec<usize> {
    let wanted = CardRef {
        card: list,
        ordinal,
    };
    (0..form.fields.len())
        .filter(|&i| form.fields[i].card == Some(wanted))
        .collect()
}

/// An ordinal no field of `list` carries yet, nor any card of the structure.
fn fresh_ordinal(form: &BlockForm, structure: &CardStructure, list: usize) -> usize {
    let in_form = form
        .fields
        .iter()
        .filter_map(|f| f.card.filter(|c| c.card == list).map(|c| c.ordinal + 1));
    let in_structure = structure
        .lists
        .get(list)
        .into_iter()
        .flat_map(|l| l.cards.iter().map(|c| c.ordinal() + 1).chain([l.loaded]));
    in_form.chain(in_structure).max().unwrap_or(0)
}

/// The copies of card `from` (an ordinal) of `list`, as card `ordinal`.
fn copied_fields(form: &BlockForm, list: usize, from: usize, ordinal: usize) -> Vec<Field> {
    card_fields(form, list, from)
        .into_iter()
        .map(|i| {
            let mut field = form.fields[i].clone();
            field.card = Some(CardRef {
                card: list,
                ordinal,
            });
            field.key = copy_key(&field.selector, ordinal);
            field
        })
        .collect()
}

/// The fields of copy `ordinal` paired with those of card `of` they were copied from, as
/// (field of `of`, field of the copy): the preview renumbers a cloned card's marks by it.
pub fn copy_field_pairs(
    form: &BlockForm,
    list: usize,
    of: usize,
    ordinal: usize,
) -> Vec<(usize, usize)> {
    // Copies keep their source's order, so the n-th field of a selector pairs with the
    // copy's n-th of it.
    let sources = card_fields(form, list, of);
    let copies = card_fields(form, list, ordinal);
    let nth_of = |fields: &[usize], at: usize| {
        let selector = &form.fields[fields[at]].selector;
        fields[..at]
            .iter()
            .filter(|&&i| form.fields[i].selector == *selector)
            .count()
    };
    (0..sources.len())
        .filter_map(|at| {
            let selector = &form.fields[sources[at]].selector;
            let nth = nth_of(&sources, at);
            let to = copies
                .iter()
                .copied()
                .filter(|&i| form.fields[i].selector == *selector)
                .nth(nth)?;
            Some((sources[at], to))
        })
        .collect()
}

/// What an add or a duplicate appends to the form.
#[derive(Clone, Debug, PartialEq)]
pub struct NewCard {
    /// The card's position in its list.
    pub position: usize,
    pub ordinal: usize,
    /// To append to the form's fields, with their starting values.
    pub fields: Vec<Field>,
    pub values: Vec<FieldValue>,
}

/// Adds a card at the end of `list`: a copy of the first card, its text emptied, as the
/// Sites editor does. Its fields' `original` stays the copied card's as stored: that is
/// what the portal copies, and what the edits are compared with.
pub fn add_card(
    form: &BlockForm,
    structure: &mut CardStructure,
    list: usize,
) -> Result<NewCard, CardError> {
    let ordinal = fresh_ordinal(form, structure, list);
    let position = structure.add(list, ordinal)?;
    let from = structure.lists[list].cards[position].old_index();
    let fields = copied_fields(form, list, from, ordinal);
    let values = fields.iter().map(emptied).collect();
    Ok(NewCard {
        position,
        ordinal,
        fields,
        values,
    })
}

/// Duplicates the card at `at` of `list` right after it, with the values it has now.
pub fn duplicate_card(
    form: &BlockForm,
    structure: &mut CardStructure,
    list: usize,
    at: usize,
    current: &[FieldValue],
) -> Result<NewCard, CardError> {
    let source = structure
        .lists
        .get(list)
        .and_then(|l| l.cards.get(at))
        .copied()
        .ok_or(CardError::NoSuchCard)?;
    let ordinal = fresh_ordinal(form, structure, list);
    let position = structure.duplicate(list, at, ordinal)?;
    let sources = card_fields(form, list, source.ordinal());
    let mut fields = copied_fields(form, list, source.ordinal(), ordinal);
    // Copies of a copy compare with the portal card both come from.
    for (field, &i) in fields.iter_mut().zip(&sources) {
        field.original = form.fields[i].original.clone();
    }
    let values = sources
        .iter()
        .map(|&i| {
            current
                .get(i)
                .cloned()
                .unwrap_or_else(|| form.fields[i].original.clone())
        })
        .collect();
    Ok(NewCard {
        position,
        ordinal,
        fields,
        values,
    })
}

/// The fields of cards the structure no longer has restored for a structure kept in a
/// draft: the copies' fields the form lacks, to append (their starting values are their
/// `original`s; the draft's edits apply on top).
pub fn missing_copies(form: &BlockForm, structure: &CardStructure) -> Vec<Field> {
    let mut out = Vec::new();
    for (list, l) in structure.lists.iter().enumerate() {
        for card in &l.cards {
            if let CardSource::Copy { of, ordinal } = *card {
                if card_fields(form, list, ordinal).is_empty() {
                    out.extend(copied_fields(form, list, of, ordinal));
                }
            }
        }
    }
    out
}

/// Per field: it is in the block as reshaped (outside the cards, or in a card the
/// structure still has).
pub fn live_fields(form: &BlockForm, structure: &CardStructure) -> Vec<bool> {
    form.fields
        .iter()
        .map(|f| {
            f.card.is_none_or(|c| {
                structure
                    .lists
                    .get(c.card)
                    .is_none_or(|l| l.cards.iter().any(|s| s.ordinal() == c.ordinal))
            })
        })
        .collect()
}

/// The values with every dead field's set back to its `original`: what counts, is
/// checked and is kept in a draft is the block as reshaped.
pub fn live_values(form: &BlockForm, live: &[bool], current: &[FieldValue]) -> Vec<FieldValue> {
    form.fields
        .iter()
        .enumerate()
        .map(|(i, f)| match (live.get(i), current.get(i)) {
            (Some(true), Some(value)) => value.clone(),
            _ => f.original.clone(),
        })
        .collect()
}

/// The unsaved count: edited fields of the block's own cards, plus the structural changes
/// (a new card counts once, not once per field it empties). `live` is [`live_values`].
pub fn unsaved_count(form: &BlockForm, structure: &CardStructure, live: &[FieldValue]) -> usize {
    let edited = form
        .fields
        .iter()
        .zip(live)
        .filter(|(field, value)| !is_copy(field) && is_changed(field, value))
        .count();
    edited + structure.change_count()
}

/// What names a collapsed card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardLabel {
    Text(String),
    /// An image's address, shown as a thumbnail.
    Image(String),
    None,
}

/// The first of the card's label nodes (the manifest's `label`) that has something to
/// show, as the user has it now; without label nodes, its first text.
pub fn card_label(
    form: &BlockForm,
    list: usize,
    ordinal: usize,
    current: &[FieldValue],
) -> CardLabel {
    let fields = card_fields(form, list, ordinal);
    let labelled: Vec<usize> = fields
        .iter()
        .copied()
        .filter(|&i| form.fields[i].card_label)
        .collect();
    let candidates = if labelled.is_empty() {
        fields
    } else {
        labelled
    };
    candidates
        .into_iter()
        .filter_map(|i| current.get(i))
        .map(|value| match value {
            FieldValue::Text(html) => text_label(&plain_text(html)),
            FieldValue::Link { text, .. } => text_label(text),
            FieldValue::Img { src, .. } if !src.trim().is_empty() => {
                CardLabel::Image(src.trim().to_owned())
            }
            _ => CardLabel::None,
        })
        .find(|label| *label != CardLabel::None)
        .unwrap_or(CardLabel::None)
}

fn text_label(text: &str) -> CardLabel {
    let label = label_text(text);
    if label.is_empty() {
        CardLabel::None
    } else {
        CardLabel::Text(label)
    }
}

#[cfg(test)]
mod tests;
