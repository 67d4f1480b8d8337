//! Unsaved edits kept in the browser's storage, so that a slider closed by
//! the portal, a reload or a crash does not lose them. Restored only onto
//! fields whose loaded value is still the one the edit started from.

use serde::{Deserialize, Serialize};

use super::cards::{shape, CardStructure};
use super::model::{BlockForm, Field, FieldValue};
use super::upload::{remember_upload, uploads_among};

/// Stored as JSON (`{"edits": [{"key", "original", "value"}]}`); text that does not read
/// as one is no draft.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftEdit {
    /// `selector@N`.
    pub key: String,
    /// The value the edit started from.
    pub original: FieldValue,
    pub value: FieldValue,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub edits: Vec<DraftEdit>,
    /// The cards as reshaped, when they were; the edits of new cards are keyed by
    /// [`shape::copy_key`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cards: Option<CardStructure>,
    /// The file ids of pictures uploaded for the edits, as (src, id): a save after a reload
    /// still tells the portal the files are the block's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uploads: Vec<(String, u64)>,
}

impl Draft {
    /// Every picture address the edits hold.
    fn picture_srcs(&self) -> impl Iterator<Item = &str> {
        self.edits.iter().flat_map(|edit| match &edit.value {
            FieldValue::Img { src, src2x, .. } => vec![src.as_str(), src2x.as_str()],
            _ => Vec::new(),
        })
    }
}

/// Where a block's draft is stored: one per portal, page and block.
pub fn storage_key(domain: &str, page_id: u64, block_id: u64) -> String {
    format!("lbe-draft:{domain}:{page_id}:{block_id}")
}

/// The changed fields, or `None` when nothing differs.
pub fn capture(form: &BlockForm, current: &[FieldValue]) -> Option<Draft> {
    let edits: Vec<DraftEdit> = form
        .fields
        .iter()
        .zip(current)
        .filter(|(field, value)| field.original != **value)
        .map(|(field, value)| DraftEdit {
            key: field.key.clone(),
            original: field.original.clone(),
            value: value.clone(),
        })
        .collect();
    (!edits.is_empty()).then_some(Draft {
        edits,
        cards: None,
        uploads: Vec::new(),
    })
}

/// [`capture`] of a reshaped form: `live` are [`shape::live_values`], so edits of removed
/// cards are not kept.
pub fn capture_shaped(
    form: &BlockForm,
    structure: &CardStructure,
    live: &[FieldValue],
) -> Option<Draft> {
    let cards = structure.is_changed().then(|| structure.clone());
    let mut draft = match (capture(form, live), cards) {
        (None, None) => return None,
        (edits, cards) => Draft {
            edits: edits.map(|d| d.edits).unwrap_or_default(),
            cards,
            uploads: Vec::new(),
        },
    };
    draft.uploads = uploads_among(draft.picture_srcs());
    Some(draft)
}

/// A draft put back onto the block as it loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct Restored {
    /// New cards' fields, to append to the form.
    pub copies: Vec<Field>,
    /// Parallel to the form's fields and then `copies`.
    pub values: Vec<FieldValue>,
    pub cards: CardStructure,
    /// Edits and card changes that came back.
    pub applied: usize,
}

/// [`restore`] with the cards: the draft's structure comes back only onto a block whose
/// cards are still the ones it was made for (`loaded`); otherwise only the edits of the
/// block's own fields do.
pub fn restore_shaped(form: &BlockForm, loaded: &CardStructure, draft: &Draft) -> Restored {
    // Only ids of addresses the draft holds; anything else stored there is ignored.
    let srcs: Vec<&str> = draft.picture_srcs().collect();
    for (src, id) in &draft.uploads {
        if srcs.contains(&src.as_str()) {
            remember_upload(src, *id);
        }
    }
    let cards = draft
        .cards
        .as_ref()
        .filter(|cards| cards.fits_loaded(loaded))
        .cloned();
    let Some(cards) = cards else {
        let (values, applied) = restore(form, draft);
        return Restored {
            copies: Vec::new(),
            values,
            cards: loaded.clone(),
            applied,
        };
    };
    let copies = shape::missing_copies(form, &cards);
    let mut grown = form.clone();
    grown.fields.extend(copies.iter().cloned());
    let (values, _) = restore(&grown, draft);
    // A new card counts once, not once per field it emptied.
    let (_, own) = restore(form, draft);
    Restored {
        copies,
        values,
        applied: own + cards.change_count(),
        cards,
    }
}

/// The form's values with the draft applied, and how many edits applied.
/// An edit whose field is gone, changed shape, or was changed by someone else
/// since (its loaded value is no longer the edit's starting point) is dropped.
pub fn restore(form: &BlockForm, draft: &Draft) -> (Vec<FieldValue>, usize) {
    let mut values = form.initial_values();
    let mut applied = 0;
    for edit in &draft.edits {
        let Some(index) = form.fields.iter().position(|f| f.key == edit.key) else {
            continue;
        };
        let field = &form.fields[index];
        if field.original == edit.original && edit.value.fits(&field.kind) {
            values[index] = edit.value.clone();
            applied += 1;
        }
    }
    (values, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Stored as JSON (serde_json here, the browser in the wasm).
    fn parse(text: &str) -> Option<Draft> {
        serde_json::from_str(text).ok()
    }

    fn to_text(draft: &Draft) -> String {
        serde_json::to_string(draft).unwrap_or_default()
    }
    use crate::core::model::{build_form, Extracted, Manifest, RawMatch};

    fn form() -> BlockForm {
        let manifest = Manifest::from_json(
            r#"{"block":{"name":"B"},"nodes":{".t":{"type":"text","name":"T"},".l":{"type":"link","name":"L"}},"cards":[]}"#,
        )
        .unwrap_or_default();
        let text = |html: &str| RawMatch {
            tag: "h1".into(),
            inner_html: html.into(),
            text: html.into(),
            ..RawMatch::default()
        };
        let link = RawMatch {
            tag: "a".into(),
            inner_html: "Go".into(),
            text: "Go".into(),
            attrs: vec![("href".into(), "/x".into())],
            ..RawMatch::default()
        };
        build_form(
            &manifest,
            &Extracted {
                nodes: vec![vec![text("One"), text("Two")], vec![link]],
                card_counts: vec![],
            },
        )
    }

    #[test]
    fn nothing_changed_is_no_draft() {
        let form = form();
        assert_eq!(capture(&form, &form.initial_values()), None);
    }

    #[test]
    fn a_draft_round_trips_through_text_and_restores_the_edits() {
        let form = form();
        let mut values = form.initial_values();
        values[1] = FieldValue::Text("Second <b>edited</b>".into());
        let draft = capture(&form, &values).expect("a draft");
        assert_eq!(draft.edits.len(), 1);
        assert_eq!(draft.edits[0].key, ".t@1");
        let stored = parse(&to_text(&draft)).expect("parses");
        let (restored, applied) = restore(&form, &stored);
        assert_eq!(applied, 1);
        assert_eq!(restored, values);
    }

    #[test]
    fn edits_on_content_changed_since_or_gone_are_dropped() {
        let form = form();
        let draft = Draft {
            edits: vec![
                DraftEdit {
                    key: ".t@0".into(),
                    original: FieldValue::Text("Somebody else's".into()),
                    value: FieldValue::Text("Mine".into()),
                },
                DraftEdit {
                    key: ".gone@0".into(),
                    original: FieldValue::Text("x".into()),
                    value: FieldValue::Text("y".into()),
                },
                DraftEdit {
                    key: ".l@0".into(),
                    original: form.fields[2].original.clone(),
                    value: FieldValue::Text("not a link".into()),
                },
            ],
            cards: None,
            uploads: Vec::new(),
        };
        let (restored, applied) = restore(&form, &draft);
        assert_eq!(applied, 0);
        assert_eq!(restored, form.initial_values());
    }

    #[test]
    fn unreadable_storage_is_no_draft() {
        assert_eq!(parse("{not json"), None);
        assert_eq!(parse(r#"{"edits":[{"key":1}]}"#), None);
        assert_eq!(parse(r#"{"edits":{}}"#), None);
        let edit = |original: &str, value: &str| {
            format!(r#"{{"edits":[{{"key":".t@0","original":{original},"value":{value}}}]}}"#)
        };
        let text = r#"{"Text":"a"}"#;
        assert!(parse(&edit(text, text)).is_some());
        for bad in [
            r#"{"Text":1}"#,
            r#"{"Text":"a","Icon":{"classes":"x"}}"#,
            r#"{"Link":{"text":"a","href":"b"}}"#,
            r#"{"Link":{"text":"a","href":"b","new_tab":"yes"}}"#,
            r#"{"Img":{"src":"a","alt":"b"}}"#,
            r#"{"Embed":{"src":"a","source":"b","preview":"c"}}"#,
            r#"{"Video":{"src":"a"}}"#,
            r#""Text""#,
        ] {
            assert_eq!(parse(&edit(text, bad)), None, "{bad}");
        }
    }

    #[test]
    fn every_value_shape_round_trips() {
        let values = [
            FieldValue::Text("T <b>x</b>".into()),
            FieldValue::Link {
                text: "L".into(),
                href: "/h".into(),
                new_tab: true,
            },
            FieldValue::Img {
                src: "a.png".into(),
                alt: "A".into(),
                src2x: "b.png".into(),
            },
            FieldValue::Icon {
                classes: "fa fa-x".into(),
            },
            FieldValue::Embed {
                src: "//v".into(),
                source: "https://v".into(),
                preview: "p.jpg".into(),
                ratio: "16:9".into(),
            },
        ];
        let draft = Draft {
            edits: values
                .iter()
                .enumerate()
                .map(|(i, v)| DraftEdit {
                    key: format!(".n@{i}"),
                    original: v.clone(),
                    value: values[(i + 1) % values.len()].clone(),
                })
                .collect(),
            cards: None,
            uploads: Vec::new(),
        };
        let text = to_text(&draft);
        assert!(
            text.contains(r#"{"Link":{"text":"L","href":"/h","new_tab":true}}"#),
            "{text}"
        );
        assert_eq!(parse(&text), Some(draft));
        assert_eq!(
            storage_key("acme.bitrix24.com", 3, 7),
            "lbe-draft:acme.bitrix24.com:3:7"
        );
    }

    #[test]
    fn a_draft_keeps_the_ids_of_its_uploaded_pictures() {
        use crate::core::cards::CardStructure;
        use crate::core::model::tests::{form_of, F44};
        use crate::core::upload::{remember_upload, uploaded_id};
        let (manifest, extracted, form) = form_of(F44);
        let cards = CardStructure::new(&manifest, &extracted.card_counts);
        let img = form
            .fields
            .iter()
            .position(|f| matches!(f.original, FieldValue::Img { .. }))
            .expect("an image field");
        let src = "https://portal.example/upload/landing/draft-test.jpg";
        remember_upload(src, 7001);
        remember_upload("https://portal.example/upload/landing/other.jpg", 7002);
        let mut values = form.initial_values();
        values[img] = FieldValue::Img {
            src: src.into(),
            alt: "New".into(),
            src2x: String::new(),
        };
        let draft = capture_shaped(&form, &cards, &values).expect("a draft");
        assert_eq!(
            draft.uploads,
            [(src.to_owned(), 7001)],
            "only the draft's own"
        );
        let text = to_text(&draft);
        let back = parse(&text).expect("parses");
        assert_eq!(back.uploads, draft.uploads);
        // A stored id for an address the draft does not hold is not taken.
        let mut forged = back.clone();
        forged
            .uploads
            .push(("https://evil.example/x.jpg".into(), 9));
        let restored = restore_shaped(&form, &cards, &forged);
        assert_eq!(restored.values[img], values[img]);
        assert_eq!(uploaded_id(src), Some(7001));
        assert_eq!(uploaded_id("https://evil.example/x.jpg"), None);
        // Drafts written before uploads existed still read.
        assert!(parse(r#"{"edits":[]}"#).is_some_and(|d| d.uploads.is_empty()));
    }
}
