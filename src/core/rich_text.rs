//! Formatted text: the rules of a text node edited as formatted text rather than as HTML.
//! The browser does the editing (a `contenteditable` and its commands); what it gives back
//! is judged here: what to show, what Enter makes, what a paste may insert, which link
//! addresses are taken, and what is saved and whether that is a change at all.

use super::link_target::{url_from_input, LinkInputError};
use super::sanitize::regular::{pieces, write, Piece};
use super::sanitize::{sanitize, sanitize_text_keeping_styles, Policy};

/// The `localStorage` key of the expert toggle (the node's HTML in a textarea).
pub const EXPERT_KEY: &str = "lbe-text-expert";

/// Styles the toolbar writes itself. Its commands write elements (`<b>`, `<a>`, lists),
/// never styles, so none: every kept style is one the block already had.
const TOOLBAR_STYLES: &[&str] = &[];

/// Whether a text node holds markup (an element), so it is edited as formatted text; plain
/// text (entities included) stays a plain text field.
pub fn is_formatted(html: &str) -> bool {
    html.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
}

/// What the field shows: the node sanitized, so hostile stored content is inert.
pub fn shown(html: &str) -> String {
    sanitize(html, Policy::Text)
}

/// How the node's markup breaks lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// The node has `<p>` paragraphs: Enter starts a new one.
    Paragraphs,
    /// Otherwise lines are `<br>`.
    Breaks,
}

/// What Enter (or Shift+Enter) inserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Insert {
    Paragraph,
    LineBreak,
}

/// Decided once per node from its loaded HTML.
pub fn lines_of(html: &str) -> Lines {
    let has_p = pieces(&shown(html))
        .iter()
        .any(|piece| matches!(piece, Piece::Start { name, .. } if name == "p"));
    if has_p {
        Lines::Paragraphs
    } else {
        Lines::Breaks
    }
}

/// Shift+Enter is a line break within a paragraph, as in every editor; in a node of
/// `<br>` lines both keys make one.
pub fn on_enter(lines: Lines, shift: bool) -> Insert {
    match (lines, shift) {
        (Lines::Paragraphs, false) => Insert::Paragraph,
        _ => Insert::LineBreak,
    }
}

/// Inline formatting a paste may bring.
const INLINE: &[&str] = &[
    "b", "strong", "i", "em", "u", "s", "strike", "del", "sub", "sup", "a", "br",
];
/// Blocks whose end becomes a line break in a paste.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
];

/// A paste's HTML reduced to inline formatting and links: no styles or classes (they are
/// the source page's, not the block's), blocks become line breaks.
pub fn clean_paste(html: &str) -> String {
    let mut out: Vec<Piece> = Vec::new();
    for piece in pieces(&sanitize(html, Policy::Text)) {
        match piece {
            Piece::Start { name, attrs } if INLINE.contains(&name.as_str()) => {
                let attrs = attrs
                    .into_iter()
                    .filter(|(attr, _)| {
                        name == "a" && matches!(attr.as_str(), "href" | "target" | "rel")
                    })
                    .collect();
                out.push(Piece::Start { name, attrs });
            }
            Piece::End(name) if INLINE.contains(&name.as_str()) => out.push(Piece::End(name)),
            Piece::End(name) if BLOCKS.contains(&name.as_str()) => out.push(line_break()),
            Piece::Text(text) => out.push(Piece::Text(text)),
            _ => {}
        }
    }
    while out.last() == Some(&line_break()) {
        out.pop();
    }
    write(&out)
}

fn line_break() -> Piece {
    Piece::Start {
        name: "br".to_owned(),
        attrs: Vec::new(),
    }
}

/// A typed link address, by the link fields' rules (script addresses refused).
pub fn link_href(input: &str) -> Result<String, LinkInputError> {
    url_from_input(input).map(|target| target.to_href())
}

/// What the field's value becomes after an edit: the edited HTML sanitized (styles only
/// where the block had them), or the original itself when the two read the same, so a
/// browser writing identical content its own way is no change.
pub fn edited_value(original: &str, edited: &str) -> String {
    let clean = sanitize_text_keeping_styles(edited, original, TOOLBAR_STYLES);
    let clean = write(&close_paragraphs(pieces(&clean)));
    if canonical(&clean) == canonical(original) {
        original.to_owned()
    } else {
        clean
    }
}

/// Blocks a `<p>` cannot hold: a parser closes the paragraph before them.
const NOT_IN_P: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
];

/// A browser's editing nests lists in paragraphs (`<p><ul>…</ul></p>`), which the portal's
/// parser would read as empty paragraphs around the list: the paragraph is closed before
/// such a block as a parser does, its stray end tag dropped, and empty paragraphs go.
fn close_paragraphs(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut open: Vec<String> = Vec::new();
    for piece in pieces {
        match &piece {
            Piece::Start { name, .. } if name == "br" => {}
            Piece::Start { name, .. } => {
                if NOT_IN_P.contains(&name.as_str()) {
                    if let Some(at) = open.iter().rposition(|n| n == "p") {
                        for closed in open.drain(at..).rev() {
                            out.push(Piece::End(closed));
                        }
                    }
                }
                open.push(name.clone());
            }
            Piece::End(name) => match open.iter().rposition(|n| n == name) {
                Some(at) => {
                    for closed in open.drain(at + 1..).rev() {
                        out.push(Piece::End(closed));
                    }
                    open.pop();
                }
                None => continue,
            },
            Piece::Text(_) => {}
        }
        out.push(piece);
    }
    for closed in open.into_iter().rev() {
        out.push(Piece::End(closed));
    }
    // `<p></p>` left by the closing.
    let mut kept: Vec<Piece> = Vec::with_capacity(out.len());
    for piece in out {
        let empty_p = matches!(&piece, Piece::End(n) if n == "p")
            && matches!(kept.last(), Some(Piece::Start { name, .. }) if name == "p");
        if empty_p {
            kept.pop();
        } else {
            kept.push(piece);
        }
    }
    kept
}

/// A form of formatted text in which two writings of the same content are equal: the
/// sanitizer's output with synonymous elements named alike (`strong` is `b`…), attributes
/// sorted, styles written one way, and blank runs (non-breaking spaces too, which a
/// browser puts in and takes out while typing) as one space.
pub fn canonical(html: &str) -> String {
    let mut out: Vec<Piece> = Vec::new();
    for piece in pieces(&sanitize(html, Policy::Text)) {
        out.push(match piece {
            Piece::Start { name, attrs } => {
                let mut attrs: Vec<(String, String)> = attrs
                    .into_iter()
                    .map(|(attr, value)| {
                        let value = if attr == "style" {
                            canonical_style(&value)
                        } else {
                            collapse(&value)
                        };
                        (attr, value)
                    })
                    .filter(|(attr, value)| {
                        !(value.is_empty() && matches!(attr.as_str(), "style" | "class"))
                    })
                    .collect();
                attrs.sort();
                Piece::Start {
                    name: alias(&name).to_owned(),
                    attrs,
                }
            }
            Piece::End(name) => Piece::End(alias(&name).to_owned()),
            Piece::Text(text) => Piece::Text(collapse(&text)),
        });
    }
    write(&at_block_edges(out)).trim().to_owned()
}

/// Elements whose start and end break the line: blanks next to them show nothing (the
/// indentation of stored HTML, the newline a browser writes between paragraphs).
const BREAKING: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
];

fn at_block_edges(pieces: Vec<Piece>) -> Vec<Piece> {
    let breaks = |piece: Option<&Piece>| match piece {
        Some(Piece::Start { name, .. } | Piece::End(name)) => BREAKING.contains(&name.as_str()),
        _ => false,
    };
    let mut out = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.iter().enumerate() {
        let Piece::Text(text) = piece else {
            out.push(piece.clone());
            continue;
        };
        let mut text = text.as_str();
        if i == 0 || breaks(pieces.get(i.wrapping_sub(1))) {
            text = text.trim_start();
        }
        if breaks(pieces.get(i + 1)) {
            text = text.trim_end();
        }
        if !text.is_empty() {
            out.push(Piece::Text(text.to_owned()));
        }
    }
    out
}

fn alias(name: &str) -> &str {
    match name {
        "strong" => "b",
        "em" => "i",
        "strike" | "del" => "s",
        other => other,
    }
}

/// Blank runs as one space (`char::is_whitespace` counts U+00A0).
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !blank {
                out.push(' ');
            }
            blank = true;
        } else {
            out.push(c);
            blank = false;
        }
    }
    out
}

/// `color:#EE4136 ; font-weight: bold;` and `color: #ee4136; font-weight: bold` alike.
fn canonical_style(style: &str) -> String {
    style
        .split(';')
        .filter_map(|decl| {
            let (prop, value) = decl.split_once(':')?;
            Some(format!(
                "{}: {}",
                prop.trim().to_ascii_lowercase(),
                collapse(value.trim()).to_ascii_lowercase()
            ))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What the toolbar and its shortcuts do. Each is one of the browser's editing commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Bold,
    Italic,
    Underline,
    Strike,
    Link,
    Bullets,
    Numbers,
    Clear,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Bold,
        Format::Italic,
        Format::Underline,
        Format::Strike,
        Format::Link,
        Format::Bullets,
        Format::Numbers,
        Format::Clear,
    ];

    /// The `execCommand` name (a link is made by the link form, with its address).
    pub fn command(self) -> &'static str {
        match self {
            Format::Bold => "bold",
            Format::Italic => "italic",
            Format::Underline => "underline",
            Format::Strike => "strikeThrough",
            Format::Link => "createLink",
            Format::Bullets => "insertUnorderedList",
            Format::Numbers => "insertOrderedList",
            Format::Clear => "removeFormat",
        }
    }

    /// Whether the button shows a pressed state: clearing is an action, not a state.
    pub fn toggles(self) -> bool {
        self != Format::Clear
    }

    /// A short name for tests and styles (`data-format`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Bold => "bold",
            Format::Italic => "italic",
            Format::Underline => "underline",
            Format::Strike => "strike",
            Format::Link => "link",
            Format::Bullets => "bullets",
            Format::Numbers => "numbers",
            Format::Clear => "clear",
        }
    }
}

/// Ctrl (Cmd on a Mac) with B, I, U or K; with Alt it is some other tool's.
pub fn shortcut(key: &str, command: bool, alt: bool) -> Option<Format> {
    if !command || alt {
        return None;
    }
    match key.to_ascii_lowercase().as_str() {
        "b" => Some(Format::Bold),
        "i" => Some(Format::Italic),
        "u" => Some(Format::Underline),
        "k" => Some(Format::Link),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
