use super::*;
use crate::core::cards::save::save_plan;
use crate::core::model::tests::{form_of, F06};
use serde_json::json;

const TITLE: &str = ".landing-block-node-element-title";

struct Editing {
    form: BlockForm,
    structure: CardStructure,
    values: Vec<FieldValue>,
}

fn f06() -> Editing {
    let (manifest, extracted, form) = form_of(F06);
    Editing {
        structure: CardStructure::new(&manifest, &extracted.card_counts),
        values: form.initial_values(),
        form,
    }
}

impl Editing {
    fn grow(&mut self, new: NewCard) -> usize {
        self.form.fields.extend(new.fields);
        self.values.extend(new.values);
        new.ordinal
    }

    fn title(&self, ordinal: usize) -> usize {
        card_fields(&self.form, 0, ordinal)
            .into_iter()
            .find(|&i| self.form.fields[i].selector == TITLE)
            .expect("a title")
    }

    fn live(&self) -> Vec<FieldValue> {
        live_values(
            &self.form,
            &live_fields(&self.form, &self.structure),
            &self.values,
        )
    }

    fn unsaved(&self) -> usize {
        unsaved_count(&self.form, &self.structure, &self.live())
    }
}

#[test]
fn an_added_card_is_its_own_fields_emptied_and_counts_once() {
    let mut e = f06();
    let loaded = e.form.fields.len();
    let new = add_card(&e.form, &mut e.structure, 0).expect("added");
    assert_eq!((new.position, new.ordinal), (3, 3));
    assert_eq!(new.fields.len(), card_fields(&e.form, 0, 0).len());
    assert!(new.fields.iter().all(is_copy));
    assert!(new.fields.iter().any(|f| f.key == format!("{TITLE}@new3")));
    assert!(!e.form.fields.iter().any(is_copy));
    let ordinal = e.grow(new);
    assert_eq!(
        e.form.fields.len(),
        loaded + card_fields(&e.form, 0, 3).len()
    );
    let title = e.title(ordinal);
    assert_eq!(e.values[title], FieldValue::Text(String::new()));
    assert_eq!(e.unsaved(), 1, "one new card, not one per emptied field");
    // Editing the new card leaves the card it was copied from alone.
    e.values[title] = FieldValue::Text("Fourth".into());
    assert_eq!(e.values[e.title(0)], e.form.fields[e.title(0)].original);
    let plan = save_plan(&e.form, &e.structure, &e.values).expect("fits");
    assert_eq!(
        serde_json::to_value(&plan.nodes).unwrap()[format!("{TITLE}@3")],
        json!("Fourth")
    );
}

#[test]
fn a_duplicate_starts_with_the_current_values_then_goes_its_own_way() {
    let mut e = f06();
    let t1 = e.title(1);
    e.values[t1] = FieldValue::Text("Edited".into());
    let new = duplicate_card(&e.form, &mut e.structure, 0, 1, &e.values).expect("duplicated");
    assert_eq!(new.position, 2);
    let copy = e.grow(new);
    let t_copy = e.title(copy);
    assert_eq!(e.values[t_copy], FieldValue::Text("Edited".into()));
    e.values[t_copy] = FieldValue::Text("Copy".into());
    // A copy of the copy: a fresh ordinal, the portal card both come from as the original.
    let new = duplicate_card(&e.form, &mut e.structure, 0, 2, &e.values).expect("again");
    assert_ne!(new.ordinal, copy);
    let second = e.grow(new);
    let t_second = e.title(second);
    assert_eq!(e.values[t_second], FieldValue::Text("Copy".into()));
    assert_eq!(e.form.fields[t_second].original, e.form.fields[t1].original);
    let plan = save_plan(&e.form, &e.structure, &e.values).expect("fits");
    let nodes = serde_json::to_value(&plan.nodes).unwrap();
    assert_eq!(nodes[format!("{TITLE}@1")], json!("Edited"));
    assert_eq!(nodes[format!("{TITLE}@2")], json!("Copy"));
    assert_eq!(nodes[format!("{TITLE}@3")], json!("Copy"));
    assert_eq!(e.unsaved(), 3, "one edit, two new cards");
}

#[test]
fn removed_cards_are_dead_and_their_ordinals_never_come_back() {
    let mut e = f06();
    let new = add_card(&e.form, &mut e.structure, 0).expect("added");
    let first = e.grow(new);
    let t = e.title(first);
    e.values[t] = FieldValue::Text("soon gone".into());
    let t0 = e.title(0);
    e.values[t0] = FieldValue::Text("gone with card 0".into());
    e.structure.remove(0, 3).expect("the new card removed");
    e.structure.remove(0, 0).expect("card 0 removed");
    let live = live_fields(&e.form, &e.structure);
    assert!(!live[t] && !live[t0]);
    assert!(live[e.title(1)]);
    let values = e.live();
    assert_eq!(values[t0], e.form.fields[t0].original);
    assert_eq!(e.unsaved(), 1, "only the removal counts");
    let again = add_card(&e.form, &mut e.structure, 0).expect("added again");
    assert!(
        again.ordinal > first,
        "a dead card's fields keep their ordinal"
    );
}

#[test]
fn copies_kept_in_a_draft_get_their_fields_back() {
    let mut e = f06();
    let new = add_card(&e.form, &mut e.structure, 0).expect("added");
    e.grow(new);
    let dup = duplicate_card(&e.form, &mut e.structure, 0, 0, &e.values).expect("dup");
    let expected: Vec<Field> = dup.fields.clone();
    e.grow(dup);
    let fresh = f06();
    let missing = missing_copies(&fresh.form, &e.structure);
    assert_eq!(missing.len(), 2 * card_fields(&fresh.form, 0, 0).len());
    assert!(missing.iter().all(is_copy));
    assert!(expected.iter().all(|f| missing.contains(f)));
    assert!(missing_copies(&e.form, &e.structure).is_empty());
}

#[test]
fn a_reshaped_draft_comes_back_with_its_new_cards_edits() {
    use crate::core::draft::{capture_shaped, restore_shaped, Draft};
    let mut e = f06();
    let loaded = e.structure.clone();
    let new = add_card(&e.form, &mut e.structure, 0).expect("added");
    let ordinal = e.grow(new);
    let t_new = e.title(ordinal);
    e.values[t_new] = FieldValue::Text("Fourth".into());
    let t2 = e.title(2);
    e.values[t2] = FieldValue::Text("Third, edited".into());
    e.structure.move_to(0, 3, 0).expect("moved first");
    let draft = capture_shaped(&e.form, &e.structure, &e.live()).expect("a draft");
    let text = serde_json::to_string(&draft).unwrap();
    let back: Draft = serde_json::from_str(&text).unwrap();

    let fresh = f06();
    let restored = restore_shaped(&fresh.form, &loaded, &back);
    assert_eq!(restored.cards, e.structure);
    assert_eq!(
        restored.copies.len(),
        card_fields(&e.form, 0, ordinal).len()
    );
    assert_eq!(restored.values, e.values);
    assert_eq!(restored.applied, 1 + e.structure.change_count());

    // The block's cards changed since: the structure stays as loaded, own edits come back.
    let mut other = loaded.clone();
    other.lists[0].loaded = 4;
    let partly = restore_shaped(&fresh.form, &other, &back);
    assert!(partly.copies.is_empty());
    assert_eq!(partly.cards, other);
    assert_eq!(partly.values[t2], FieldValue::Text("Third, edited".into()));
    assert_eq!(partly.applied, 1);
    assert_eq!(partly.values.len(), fresh.form.fields.len());

    // Nothing changed is no draft; a bare reorder is one.
    let mut plain = f06();
    assert!(capture_shaped(&plain.form, &plain.structure, &plain.values).is_none());
    plain.structure.move_to(0, 0, 1).expect("moved");
    assert!(capture_shaped(&plain.form, &plain.structure, &plain.values).is_some());
}

#[test]
fn a_collapsed_card_is_named_by_its_label_as_edited() {
    let mut e = f06();
    let t1 = e.title(1);
    assert!(e.form.fields[t1].card_label);
    let label = |e: &Editing, ordinal| card_label(&e.form, 0, ordinal, &e.values);
    assert!(matches!(label(&e, 1), CardLabel::Text(t) if !t.is_empty()));
    e.values[t1] = FieldValue::Text("<b>Strategy</b>&nbsp; and   more".into());
    assert_eq!(label(&e, 1), CardLabel::Text("Strategy and more".into()));
    let new = add_card(&e.form, &mut e.structure, 0).expect("added");
    let ordinal = e.grow(new);
    assert_eq!(
        label(&e, ordinal),
        CardLabel::None,
        "a new card has no text yet"
    );
    assert_eq!(label(&e, 99), CardLabel::None);
}

#[test]
fn a_copys_fields_pair_with_the_card_it_was_copied_from() {
    let mut e = f06();
    let new = duplicate_card(&e.form, &mut e.structure, 0, 1, &e.values).expect("dup");
    let ordinal = e.grow(new);
    let pairs = copy_field_pairs(&e.form, 0, 1, ordinal);
    assert_eq!(pairs.len(), card_fields(&e.form, 0, 1).len());
    for (from, to) in pairs {
        assert_eq!(e.form.fields[from].selector, e.form.fields[to].selector);
        assert_eq!(e.form.fields[from].card.map(|c| c.ordinal), Some(1));
        assert_eq!(e.form.fields[to].card.map(|c| c.ordinal), Some(ordinal));
    }
    assert!(copy_field_pairs(&e.form, 0, 1, 42).is_empty());
}
