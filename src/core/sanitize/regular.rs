//! Reads back what [`super::sanitize`] wrote. Its output has one regular shape (every tag
//! `<name attr="value">`, `<`, `>` and `"` escaped inside text and values), so a few lines
//! read it exactly; the rules built on it (styles kept, paste cleaning, the comparison of
//! formatted text) never see raw input.

use super::super::model::decode_entities;
use super::{escape_attr, escape_text};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
    },
    End(String),
    /// Decoded text.
    Text(String),
}

/// The pieces of sanitized HTML (attribute values and text decoded).
pub fn pieces(sanitized: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = sanitized;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.push(Piece::Text(decode_entities(rest)));
            break;
        };
        if lt > 0 {
            out.push(Piece::Text(decode_entities(&rest[..lt])));
        }
        let after = &rest[lt + 1..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        rest = after.get(end + 1..).unwrap_or("");
        if let Some(name) = tag.strip_prefix('/') {
            out.push(Piece::End(name.to_owned()));
        } else {
            out.push(start(tag));
        }
    }
    out
}

/// `name a="1" b="2"` as written by the sanitizer.
fn start(tag: &str) -> Piece {
    let (name, mut rest) = tag.split_once(' ').unwrap_or((tag, ""));
    let mut attrs = Vec::new();
    while let Some((attr, after)) = rest.split_once("=\"") {
        let (value, tail) = after.split_once('"').unwrap_or((after, ""));
        attrs.push((attr.trim().to_owned(), decode_entities(value)));
        rest = tail;
    }
    Piece::Start {
        name: name.to_owned(),
        attrs,
    }
}

/// Writes pieces back as HTML, escaped as the sanitizer escapes.
pub fn write(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&escape_text(text)),
            Piece::End(name) => {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
            Piece::Start { name, attrs } => {
                out.push('<');
                out.push_str(name);
                for (attr, value) in attrs {
                    out.push(' ');
                    out.push_str(attr);
                    out.push_str("=\"");
                    out.push_str(&escape_attr(value));
                    out.push('"');
                }
                out.push('>');
            }
        }
    }
    out
}
