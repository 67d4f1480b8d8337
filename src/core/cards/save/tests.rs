use super::*;
use crate::core::cards::{shape, CardSource, CardStructure};
use crate::core::manifest::{Dimensions, Manifest};
use crate::core::model::tests::{form_of, F04, F06, F31, F43, F44, F49};
use crate::core::model::{updatenodes_data, CardRef, Preserved};
use serde_json::{json, Value};

const CARD: &str = ".landing-block-card";
const TITLE: &str = ".landing-block-node-element-title";

struct Case {
    form: BlockForm,
    structure: CardStructure,
    values: Vec<FieldValue>,
}

fn case(fixture: &str) -> Case {
    let (manifest, extracted, form) = form_of(fixture);
    let structure = CardStructure::new(&manifest, &extracted.card_counts);
    let values = form.initial_values();
    Case {
        form,
        structure,
        values,
    }
}

impl Case {
    fn set_text(&mut self, key: &str, text: &str) {
        let i = self.index(key);
        self.values[i] = FieldValue::Text(text.into());
    }

    fn index(&self, key: &str) -> usize {
        self.form
            .fields
            .iter()
            .position(|f| f.key == key)
            .unwrap_or_else(|| panic!("no field {key}"))
    }

    /// Appends what an add or a duplicate gives the form, as the editor does.
    fn grow(&mut self, new: crate::core::cards::shape::NewCard) {
        self.form.fields.extend(new.fields);
        self.values.extend(new.values);
    }

    fn add(&mut self, list: usize) {
        let new = shape::add_card(&self.form, &mut self.structure, list).expect("added");
        self.grow(new);
    }

    fn duplicate(&mut self, list: usize, at: usize) {
        let new = shape::duplicate_card(&self.form, &mut self.structure, list, at, &self.values)
            .expect("duplicated");
        self.grow(new);
    }

    fn plan(&self) -> SavePlan {
        save_plan(&self.form, &self.structure, &self.values).expect("fits")
    }
}

fn cards_json(plan: &SavePlan) -> Value {
    serde_json::to_value(&plan.cards).unwrap()
}

fn nodes_json(plan: &SavePlan) -> Value {
    serde_json::to_value(&plan.nodes).unwrap()
}

fn source(indices: &[usize]) -> Value {
    json!({"source": indices.iter().map(|i| json!({"type": "card", "value": i})).collect::<Vec<_>>()})
}

#[test]
fn nothing_to_save() {
    let c = case(F06);
    let plan = c.plan();
    assert!(plan.is_empty());
    assert!(plan.cards.is_none(), "no card change: safe to send again");
    assert!(plan.commands(1, 2, None).is_empty());
}

#[test]
fn edits_alone_are_the_plain_updatenodes() {
    for fixture in [F04, F06, F31, F43, F44, F49] {
        let mut c = case(fixture);
        // Change every text field, so every card and the block part are covered.
        for (i, f) in c.form.fields.iter().enumerate() {
            if let FieldValue::Text(t) = &f.original {
                c.values[i] = FieldValue::Text(format!("{t} (edited)"));
            }
        }
        let plan = c.plan();
        assert_eq!(plan.cards, None, "{fixture}");
        assert_eq!(
            plan.nodes,
            updatenodes_data(&c.form, &c.values),
            "{fixture}"
        );
        assert!(plan.cards.is_none(), "no card change: safe to send again");
    }
}

#[test]
fn reorder_moves_the_keys_of_the_edits() {
    let mut c = case(F06);
    c.structure.move_to(0, 2, 0).unwrap();
    let plan = c.plan();
    assert_eq!(cards_json(&plan), json!({CARD: source(&[2, 0, 1])}));
    assert!(
        plan.nodes.is_empty(),
        "an unchanged card moves with its content"
    );
    assert!(
        plan.cards.is_some(),
        "a card change: never sent again blindly"
    );

    c.set_text(&format!("{TITLE}@0"), "Analysis");
    c.set_text(&format!("{TITLE}@2"), "Social");
    let plan = c.plan();
    assert_eq!(
        nodes_json(&plan),
        json!({format!("{TITLE}@0"): "Social", format!("{TITLE}@1"): "Analysis"})
    );
}

#[test]
fn add_sends_the_emptied_text_of_the_new_card() {
    let mut c = case(F06);
    c.add(0);
    let plan = c.plan();
    assert_eq!(cards_json(&plan), json!({CARD: source(&[0, 1, 2, 0])}));
    // The icon stays the copied card's; the texts are cleared.
    assert_eq!(
        nodes_json(&plan),
        json!({
            format!("{TITLE}@3"): "",
            ".landing-block-node-element-text@3": "",
            ".landing-block-node-element-list@3": "",
        })
    );
}

#[test]
fn duplicate_carries_the_edited_values() {
    let mut c = case(F06);
    c.set_text(&format!("{TITLE}@1"), "Strategy, edited");
    c.duplicate(0, 1);
    let plan = c.plan();
    assert_eq!(cards_json(&plan), json!({CARD: source(&[0, 1, 1, 2])}));
    assert_eq!(
        nodes_json(&plan),
        json!({format!("{TITLE}@1"): "Strategy, edited", format!("{TITLE}@2"): "Strategy, edited"})
    );
}

#[test]
fn remove_drops_the_removed_cards_edits() {
    let mut c = case(F06);
    c.set_text(&format!("{TITLE}@0"), "gone with its card");
    c.set_text(&format!("{TITLE}@2"), "Last");
    c.structure.remove(0, 0).unwrap();
    let plan = c.plan();
    assert_eq!(cards_json(&plan), json!({CARD: source(&[1, 2])}));
    assert_eq!(nodes_json(&plan), json!({format!("{TITLE}@1"): "Last"}));
}

#[test]
fn all_at_once_with_links_and_images() {
    let mut c = case(F44);
    let price = ".landing-block-node-card-price";
    let button = ".landing-block-node-card-button";
    let img = ".landing-block-node-card-img";
    c.set_text(&format!("{price}@2"), "$250.00");
    let b = c.index(&format!("{button}@0"));
    c.values[b] = FieldValue::Link {
        text: "Book".into(),
        href: "#landing12".into(),
        new_tab: false,
    };
    let i = c.index(&format!("{img}@1"));
    c.values[i] = FieldValue::Img {
        src: "https://example.com/new.jpg".into(),
        alt: "New".into(),
        src2x: String::new(),
    };
    // [2, 0, 1], then 0 duplicated, 1 removed, and a new card: [2, 0, 0', new(2)].
    c.structure.move_to(0, 2, 0).unwrap();
    c.duplicate(0, 1);
    c.structure.remove(0, 3).unwrap();
    c.add(0);
    let plan = c.plan();
    assert_eq!(
        cards_json(&plan),
        json!({".landing-block-node-card": source(&[2, 0, 0, 2])})
    );
    let nodes = nodes_json(&plan);
    let keys: Vec<&str> = nodes
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            ".landing-block-node-card-title@3",
            ".landing-block-node-card-subtitle@3",
            ".landing-block-node-card-price-subtitle@3",
            ".landing-block-node-card-price@0",
            ".landing-block-node-card-price@3",
            ".landing-block-node-card-text@3",
            ".landing-block-node-card-button@1",
            ".landing-block-node-card-button@2",
            ".landing-block-node-card-button@3",
        ]
    );
    assert_eq!(nodes[format!("{price}@0")], json!("$250.00"));
    assert_eq!(
        nodes[format!("{price}@3")],
        json!(""),
        "the new card is emptied"
    );
    let book = json!({"text": "Book", "href": "#landing12", "target": "_self"});
    assert_eq!(nodes[format!("{button}@1")], book);
    assert_eq!(nodes[format!("{button}@2")], book);
    assert_eq!(
        nodes[format!("{button}@3")],
        json!({"text": "", "href": "#", "target": "_self"})
    );
    // The image edit was on the removed card: nothing is sent for images.
    assert!(!keys.iter().any(|k| k.starts_with(img)));
}

/// A node selector with matches outside the cards, before and after them.
fn mixed_form() -> (BlockForm, CardStructure) {
    let field = |position: usize, card: Option<usize>| Field {
        key: format!(".t@{position}"),
        selector: ".t".into(),
        position,
        name: "T".into(),
        kind: crate::core::manifest::NodeKind::Text,
        original: FieldValue::Text(format!("t{position}")),
        card: card.map(|ordinal| CardRef { card: 0, ordinal }),
        preserved: Preserved::default(),
        dimensions: Dimensions::default(),
        card_label: false,
    };
    let form = BlockForm {
        block_name: "Mixed".into(),
        fields: vec![
            field(0, None),
            field(1, Some(0)),
            field(2, Some(1)),
            field(3, None),
        ],
        groups: Vec::new(),
        read_only: Vec::new(),
    };
    let manifest = Manifest {
        cards: vec![crate::core::manifest::ManifestCard {
            selector: ".c".into(),
            name: "C".into(),
            label: Vec::new(),
        }],
        ..Manifest::default()
    };
    (form, CardStructure::new(&manifest, &[2]))
}

#[test]
fn matches_outside_the_cards_shift_with_them() {
    let (form, mut structure) = mixed_form();
    let mut values = form.initial_values();
    values[0] = FieldValue::Text("before".into());
    values[3] = FieldValue::Text("after".into());
    // A copy whose fields the form lacks still takes its place.
    structure.duplicate(0, 1, 2).unwrap();
    let plan = save_plan(&form, &structure, &values).unwrap();
    assert_eq!(
        nodes_json(&plan),
        json!({".t@0": "before", ".t@4": "after"})
    );
    structure.remove(0, 0).unwrap();
    structure.remove(0, 0).unwrap();
    let plan = save_plan(&form, &structure, &values).unwrap();
    assert_eq!(cards_json(&plan), json!({".c": source(&[1])}));
    assert_eq!(
        nodes_json(&plan),
        json!({".t@0": "before", ".t@2": "after"})
    );
}

#[test]
fn a_structure_for_another_block_is_refused() {
    let (form, _) = mixed_form();
    let values = form.initial_values();
    let none = CardStructure::default();
    assert_eq!(save_plan(&form, &none, &values), Err(SaveError::Stale));
    let c = case(F06);
    let mut bad = c.structure.clone();
    bad.lists[0]
        .cards
        .push(CardSource::Existing { old_index: 5 });
    assert_eq!(save_plan(&c.form, &bad, &c.values), Err(SaveError::Stale));
    bad.lists[0].cards.clear();
    assert_eq!(save_plan(&c.form, &bad, &c.values), Err(SaveError::Stale));
}

#[test]
fn batch_commands() {
    let mut c = case(F06);
    c.structure.move_to(0, 1, 0).unwrap();
    c.set_text(&format!("{TITLE}@0"), "A&B");
    let plan = c.plan();
    let commands = plan.commands(5, 7, Some(Scope::Knowledge));
    assert_eq!(commands.len(), 2);
    assert_eq!(commands[0].key, CARDS_KEY);
    assert_eq!(commands[0].method, "landing.block.updatecards");
    let src = "data[.landing-block-card][source]";
    assert_eq!(
        commands[0].query,
        format!(
            "lid=5&block=7&{src}[0][type]=card&{src}[0][value]=1&{src}[1][type]=card&{src}[1][value]=0\
             &{src}[2][type]=card&{src}[2][value]=2&scope=KNOWLEDGE"
        )
    );
    assert_eq!(commands[1].key, NODES_KEY);
    assert_eq!(commands[1].method, "landing.block.updatenodes");
    assert_eq!(
        commands[1].query,
        "lid=5&block=7&data[.landing-block-node-element-title%401]=A%26B&scope=KNOWLEDGE"
    );
    // Keys are unique and the batch is well formed.
    assert!(crate::core::rest::batch_params(&commands, true).is_ok());
    // Without a card change: only updatenodes, no scope when none is needed.
    c.structure.move_to(0, 1, 0).unwrap();
    let commands = c.plan().commands(5, 7, None);
    assert_eq!(commands.len(), 1);
    assert_eq!(commands[0].key, NODES_KEY);
    assert!(!commands[0].query.contains("scope"));
}

/// A block read again: a form holding `nodes` (key → original), nothing else.
fn reread(nodes: &[(String, FieldValue)]) -> BlockForm {
    let (_, _, template) = form_of(F06);
    let mut form = BlockForm::default();
    for (key, value) in nodes {
        let mut field = template.fields[0].clone();
        field.key = key.clone();
        field.original = value.clone();
        form.fields.push(field);
    }
    form
}

#[test]
fn a_block_read_again_tells_whether_the_save_landed() {
    let mut c = case(F06);
    c.add(0);
    c.structure.move_to(0, 3, 0).unwrap();
    c.set_text(&format!("{TITLE}@1"), "Edited");
    let plan = c.plan();
    let (_, extracted, opened) = form_of(F06);
    let loaded_counts = extracted.card_counts.clone();
    assert_eq!(plan.found(&opened, &loaded_counts), Found::AsOpened);

    // Reshaped: the unsent nodes at their new keys; the sent ones may read back otherwise.
    let mut landed = plan.after.nodes.clone();
    for (key, _) in &plan.nodes.0 {
        landed.push((
            key.clone(),
            FieldValue::Text("as the portal wrote it".into()),
        ));
    }
    let counts = c.structure.counts();
    assert_eq!(plan.found(&reread(&landed), &counts), Found::Reshaped);
    // [new, 0, 1, 2]: card 0's title is unsent at @1; card 1's, edited, is sent at @2.
    let in_after = |k: String| plan.after.nodes.iter().any(|(key, _)| *key == k);
    assert!(in_after(format!("{TITLE}@1")));
    assert!(!in_after(format!("{TITLE}@2")) && !in_after(format!("{TITLE}@0")));

    // Somebody else's change: a node nobody here wrote differs, or the counts do.
    let mut theirs = landed.clone();
    let unsent = theirs
        .iter()
        .position(|(k, _)| plan.nodes.get(k).is_none())
        .unwrap();
    theirs[unsent].1 = FieldValue::Text("theirs".into());
    assert_eq!(
        plan.found(&reread(&theirs), &counts),
        Found::ChangedElsewhere
    );
    assert_eq!(
        plan.found(&reread(&landed), &loaded_counts),
        Found::ChangedElsewhere
    );
    let mut more = loaded_counts.clone();
    more[0] += 1;
    assert_eq!(plan.found(&opened, &more), Found::ChangedElsewhere);

    // Without a card change the reshaped state is no excuse to skip the check.
    let mut plain = case(F06);
    plain.set_text(&format!("{TITLE}@0"), "x");
    let plain_plan = plain.plan();
    assert_eq!(
        plain_plan.found(&reread(&plain_plan.after.nodes), &loaded_counts),
        Found::ChangedElsewhere
    );
}
