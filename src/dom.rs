//! Reads a block's HTML with the browser's own parser and hands the core plain
//! data. `DOMParser` documents are inert: no script runs, nothing loads.

use wasm_bindgen::JsCast;
use web_sys::{DomParser, Element, SupportedType};

use crate::core::model::{BlockForm, CardRef, Extracted, Manifest, RawMatch};
use crate::core::preview::{CARD_ATTR, FIELD_ATTR};

fn all_matches(root: &Element, selector: &str) -> Vec<Element> {
    // A selector the browser rejects matches nothing rather than failing the block.
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

fn raw_match(element: &Element, card: Option<CardRef>) -> RawMatch {
    let names = element.get_attribute_names();
    let attrs = (0..names.length())
        .filter_map(|i| names.get(i).as_string())
        .filter_map(|name| {
            let value = element.get_attribute(&name)?;
            Some((name.to_ascii_lowercase(), value))
        })
        .collect();
    RawMatch {
        tag: element.tag_name().to_ascii_lowercase(),
        inner_html: element.inner_html(),
        text: element.text_content().unwrap_or_default(),
        attrs,
        card,
    }
}

/// Finds, for every manifest node, its matches in document order and the card
/// occurrence each one sits in.
pub fn extract(manifest: &Manifest, html: &str) -> Option<Extracted> {
    let parser = DomParser::new().ok()?;
    let document = parser
        .parse_from_string(html, SupportedType::TextHtml)
        .ok()?;
    let root = document.body()?;
    let root: &Element = root.as_ref();

    let cards: Vec<Vec<Element>> = manifest
        .cards
        .iter()
        .map(|card| all_matches(root, &card.selector))
        .collect();

    let card_of = |element: &Element| -> Option<CardRef> {
        cards.iter().enumerate().find_map(|(card, occurrences)| {
            let container = element.closest(&manifest.cards[card].selector).ok()??;
            let ordinal = occurrences
                .iter()
                .position(|occurrence| occurrence.is_same_node(Some(container.as_ref())))?;
            Some(CardRef { card, ordinal })
        })
    };

    let nodes = manifest
        .nodes
        .iter()
        .map(|node| {
            all_matches(root, &node.selector)
                .iter()
                .map(|element| raw_match(element, card_of(element)))
                .collect()
        })
        .collect();

    Some(Extracted {
        nodes,
        card_counts: cards.iter().map(Vec::len).collect(),
    })
}

/// The block's HTML for the preview: each field's element marked with its index
/// ([`FIELD_ATTR`]), each card with `list-ordinal` ([`CARD_ATTR`]; `card_selectors` are the
/// manifest's, in order), and players (`<iframe>`) turned into a plain box the preview
/// paints with their picture. The caller sanitizes the result.
pub fn preview_body(form: &BlockForm, card_selectors: &[&str], html: &str) -> Option<String> {
    let parser = DomParser::new().ok()?;
    let document = parser
        .parse_from_string(html, SupportedType::TextHtml)
        .ok()?;
    let body = document.body()?;
    let root: &Element = body.as_ref();
    for (list, selector) in card_selectors.iter().enumerate() {
        for (ordinal, card) in all_matches(root, selector).iter().enumerate() {
            let _ = card.set_attribute(CARD_ATTR, &format!("{list}-{ordinal}"));
        }
    }
    for (index, field) in form.fields.iter().enumerate() {
        let Some(element) = all_matches(root, &field.selector)
            .into_iter()
            .nth(field.position)
        else {
            continue;
        };
        let element = if element.tag_name().eq_ignore_ascii_case("iframe") {
            let Ok(stand_in) = document.create_element("div") else {
                continue;
            };
            if let Some(class) = element.get_attribute("class") {
                let _ = stand_in.set_attribute("class", &class);
            }
            let _ = element.replace_with_with_node_1(&stand_in);
            stand_in
        } else {
            element
        };
        let _ = element.set_attribute(FIELD_ATTR, &index.to_string());
    }
    Some(body.inner_html())
}
