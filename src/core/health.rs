//! The block health check: what is wrong or unfinished in a block's form, from
//! the current (possibly unsaved) values. Pure: the UI measures what only the
//! browser knows (an image's natural size) and passes it in [`HealthEnv`].
//!
//! Findings only inform; nothing here is consulted by saving.

use super::i18n::{tr, trf, Lang, Msg};
use super::model::{
    collapse_whitespace, decode_entities, vimeo_id, youtube_id, BlockForm, CardRef, Field,
    FieldValue,
};

/// What the checks need beyond the form and its values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HealthEnv {
    /// The portal is served over HTTPS (then `http:` links are findings).
    pub portal_https: bool,
    /// Per field index, the loaded preview's natural size (width, height);
    /// `None`, or a missing entry, when unknown.
    pub natural_sizes: Vec<Option<(u32, u32)>>,
}

impl HealthEnv {
    fn natural_size(&self, field: usize) -> Option<(u32, u32)> {
        self.natural_sizes.get(field).copied().flatten()
    }
}

/// One thing to fix, on one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Index into `BlockForm.fields`.
    pub field: usize,
    pub kind: FindingKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// A text or link text still holds the catalogue's placeholder text.
    TemplateText,
    /// A text the block had is now empty.
    EmptyText,
    /// A link without text (and without markup such as an icon in it).
    EmptyLinkText,
    /// The link's address is empty or just `#`.
    LinkNowhere,
    /// An `http:` link on a portal served over HTTPS.
    LinkInsecure,
    /// A `javascript:`, `vbscript:` or `data:` address.
    LinkScript,
    /// A `mailto:` link whose address is not plausible (the address as typed).
    BadEmail(String),
    /// A `tel:` link that is not a phone number (the number as typed).
    BadPhone(String),
    /// An `<img>` with a picture but no alternative text.
    MissingAlt,
    /// The picture is over twice the slot's 2x size: `enough` is a size that
    /// serves high-density screens, with the picture's proportions.
    ImageHeavy {
        natural: (u32, u32),
        enough: (u32, u32),
    },
    /// The picture is smaller than the slot's 1x size, `needed` at least.
    ImageBlurry {
        natural: (u32, u32),
        needed: (u32, u32),
    },
    /// The video address is not one the block's player can embed.
    BadVideo,
    /// The same text in every one of `cards` card occurrences.
    DuplicateText { cards: usize },
}

/// Every finding for the form, in the order the form shows its fields (the
/// block's own fields, then card by card), a field's findings in check order.
/// `values` is parallel to `form.fields`; fields without a value, or with a
/// value of another kind, are skipped.
pub fn check(form: &BlockForm, values: &[FieldValue], env: &HealthEnv) -> Vec<Finding> {
    let duplicates = duplicate_texts(form, values);
    let mut findings = Vec::new();
    for index in display_order(form) {
        let (Some(field), Some(value)) = (form.fields.get(index), values.get(index)) else {
            continue;
        };
        if !value.fits(&field.kind) {
            continue;
        }
        let mut kinds = field_findings(field, value, env.portal_https, env.natural_size(index));
        if let Some(&(_, cards)) = duplicates.iter().find(|(i, _)| *i == index) {
            kinds.push(FindingKind::DuplicateText { cards });
        }
        findings.extend(kinds.into_iter().map(|kind| Finding { field: index, kind }));
    }
    findings
}

/// The finding as the user reads it, in `lang`.
pub fn finding_text(lang: Lang, kind: &FindingKind) -> String {
    let size = |(w, h): (u32, u32)| format!("{w}×{h}");
    match kind {
        FindingKind::TemplateText => tr(lang, Msg::HealthTemplateText).to_owned(),
        FindingKind::EmptyText => tr(lang, Msg::HealthEmptyText).to_owned(),
        FindingKind::EmptyLinkText => tr(lang, Msg::HealthEmptyLinkText).to_owned(),
        FindingKind::LinkNowhere => tr(lang, Msg::HealthLinkNowhere).to_owned(),
        FindingKind::LinkInsecure => tr(lang, Msg::HealthLinkInsecure).to_owned(),
        FindingKind::LinkScript => tr(lang, Msg::HealthLinkScript).to_owned(),
        FindingKind::BadEmail(address) => trf(lang, Msg::HealthBadEmail, &[address]),
        FindingKind::BadPhone(number) => trf(lang, Msg::HealthBadPhone, &[number]),
        FindingKind::MissingAlt => tr(lang, Msg::HealthMissingAlt).to_owned(),
        FindingKind::ImageHeavy { natural, enough } => trf(
            lang,
            Msg::HealthImageHeavy,
            &[&size(*natural), &size(*enough)],
        ),
        FindingKind::ImageBlurry { natural, needed } => trf(
            lang,
            Msg::HealthImageBlurry,
            &[&size(*natural), &size(*needed)],
        ),
        FindingKind::BadVideo => tr(lang, Msg::HealthBadVideo).to_owned(),
        FindingKind::DuplicateText { cards } => {
            trf(lang, Msg::HealthDuplicateText, &[&cards.to_string()])
        }
    }
}

/// Field indices as the form shows them: group by group, then any field no
/// group lists (none in a built form), by index.
fn display_order(form: &BlockForm) -> Vec<usize> {
    let mut placed = vec![false; form.fields.len()];
    let mut order: Vec<usize> = Vec::with_capacity(form.fields.len());
    let listed = form.groups.iter().flat_map(|g| g.fields.iter().copied());
    for i in listed.chain(0..form.fields.len()) {
        if let Some(slot) = placed.get_mut(i).filter(|p| !**p) {
            *slot = true;
            order.push(i);
        }
    }
    order
}

/// The per-field checks (all but duplicates, which compare fields).
fn field_findings(
    field: &Field,
    value: &FieldValue,
    portal_https: bool,
    natural: Option<(u32, u32)>,
) -> Vec<FindingKind> {
    let mut found = Vec::new();
    match value {
        FieldValue::Text(html) => {
            let text = plain_text(html);
            if text.is_empty() {
                let had_text =
                    matches!(&field.original, FieldValue::Text(o) if !plain_text(o).is_empty());
                if had_text {
                    found.push(FindingKind::EmptyText);
                }
            } else if has_template_text(&text) {
                found.push(FindingKind::TemplateText);
            }
        }
        FieldValue::Link { text, href, .. } => {
            let text = collapse_whitespace(text);
            if text.is_empty() {
                // A link holding only markup (an icon, a picture) has no text
                // by design; it is empty only when the user emptied it.
                let had_text = matches!(&field.original, FieldValue::Link { text, .. } if !text.trim().is_empty());
                if had_text || !field.preserved.link_markup {
                    found.push(FindingKind::EmptyLinkText);
                }
            } else if has_template_text(&text) {
                found.push(FindingKind::TemplateText);
            }
            found.extend(link_finding(href, portal_https));
        }
        FieldValue::Img { src, alt, .. } => {
            // Background pictures are decoration behind the block's own text;
            // only `<img>` elements need an alternative text.
            if !field.preserved.background && !src.trim().is_empty() && alt.trim().is_empty() {
                found.push(FindingKind::MissingAlt);
            }
            if !src.trim().is_empty() {
                found.extend(natural.and_then(|n| size_finding(field, n)));
            }
        }
        FieldValue::Embed { src, source, .. } => {
            let address = if src.trim().is_empty() { source } else { src };
            if youtube_id(address).is_none() && vimeo_id(address).is_none() {
                found.push(FindingKind::BadVideo);
            }
        }
        FieldValue::Icon { .. } => {}
    }
    found
}

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

/// The text a visitor reads: tags dropped, entities decoded, whitespace
/// (no-break spaces included) collapsed.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                // A tag separates words as far as reading goes (`a<br>b`).
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Placeholder phrases, as lower-case words. Each must appear as whole
/// words, in this order, so "lorem" alone or "Donecker" is no match. The
/// single words are coined Lorem-ipsum Latin no real page text uses; real
/// Latin words (vestibulum, fringilla, integer) only count inside phrases.
const TEMPLATE_PHRASES: &[&[&str]] = &[
    &["lorem", "ipsum"],
    &["ipsum", "dolor"],
    &["dolor", "sit", "amet"],
    &["consectetur"],
    &["adipiscing"],
    &["eiusmod"],
    &["incididunt"],
    &["donec"],
    &["maecenas"],
    &["porttitor"],
    &["pellentesque"],
    &["suspendisse"],
    // The catalogue's demo paragraphs (see emulator/fixtures/blocks).
    &["fusce", "dapibus"],
    &["aliquam", "mattis"],
    &["praesent", "efficitur"],
    &["quisque", "mi", "urna"],
    &["nullam", "id", "volutpat"],
    &["vestibulum", "ante", "ipsum"],
    &["cras", "urna", "libero"],
    &["integer", "eu", "malesuada"],
    &["nunc", "venenatis"],
    &["sed", "feugiat"],
    &["fringilla", "vitae"],
    &["curabitur", "blandit"],
    &["nam", "et", "massa"],
];

/// Whether the (plain) text holds a placeholder phrase, case-insensitively. The phrases are
/// ASCII Latin, so ASCII case folding and ASCII word characters are enough (and keep the
/// Unicode case and letter tables out of the wasm); any other character separates words.
pub fn has_template_text(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    TEMPLATE_PHRASES
        .iter()
        .any(|phrase| words.windows(phrase.len()).any(|w| w == *phrase))
}

/// Card texts that repeat in every occurrence: (field index, card count) for
/// each field of such a set. Only label nodes count (the manifest's card
/// `label`: titles and the like, which name each card); buttons and captions
/// such as "From" or "Order now" are alike in every card on purpose. A node
/// is compared with its namesakes at the same place in the other cards (the
/// n-th match of the selector inside the occurrence).
fn duplicate_texts(form: &BlockForm, values: &[FieldValue]) -> Vec<(usize, usize)> {
    let mut sets: Vec<SameNode> = Vec::new();
    let mut seen: Vec<(CardRef, &str)> = Vec::new();
    for (index, field) in form.fields.iter().enumerate() {
        let (Some(card), true) = (field.card, field.card_label) else {
            continue;
        };
        let text = match values.get(index) {
            Some(FieldValue::Text(html)) => plain_text(html),
            Some(FieldValue::Link { text, .. }) => collapse_whitespace(text),
            _ => continue,
        };
        let nth = seen
            .iter()
            .filter(|(c, s)| *c == card && *s == field.selector)
            .count();
        seen.push((card, &field.selector));
        // ASCII case folding: "Title" and "TITLE" are alike; other scripts compare exactly.
        let member = (index, text.to_ascii_lowercase());
        let same = |set: &&mut SameNode| {
            set.card == card.card && set.selector == field.selector && set.nth == nth
        };
        match sets.iter_mut().find(same) {
            Some(set) => set.members.push(member),
            None => sets.push(SameNode {
                card: card.card,
                selector: &field.selector,
                nth,
                members: vec![member],
            }),
        }
    }
    let mut out = Vec::new();
    for set in sets {
        let occurrences = occurrence_count(form, set.card);
        let Some((_, first)) = set.members.first() else {
            continue;
        };
        let all_same = set.members.iter().all(|(_, t)| t == first);
        if occurrences >= 2 && set.members.len() == occurrences && !first.is_empty() && all_same {
            out.extend(set.members.iter().map(|(i, _)| (*i, occurrences)));
        }
    }
    out
}

/// One node at the same place in each occurrence of a card.
struct SameNode<'a> {
    /// Index into `Manifest.cards`.
    card: usize,
    selector: &'a str,
    /// Which match of the selector inside the occurrence.
    nth: usize,
    /// (field index, lower-case plain text), one per occurrence.
    members: Vec<(usize, String)>,
}

/// How many occurrences of manifest card `card` the form has.
fn occurrence_count(form: &BlockForm, card: usize) -> usize {
    let mut ordinals: Vec<usize> = form
        .fields
        .iter()
        .filter_map(|f| f.card.filter(|c| c.card == card).map(|c| c.ordinal))
        .collect();
    ordinals.sort_unstable();
    ordinals.dedup();
    ordinals.len()
}

// ---------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------

/// The scheme of an address, lower case, with blanks and control characters
/// dropped as browsers drop them; "" when it has none.
fn scheme(address: &str) -> String {
    let compact: String = address
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(32)
        .collect();
    match compact.split_once(':') {
        Some((s, _))
            if s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            s.to_ascii_lowercase()
        }
        _ => String::new(),
    }
}

/// What is wrong with a link address, if anything. `#anchor` (`#block45`,
/// `#landing123`) is a real target; only a bare `#` goes nowhere.
fn link_finding(href: &str, portal_https: bool) -> Option<FindingKind> {
    let href = href.trim();
    if href.is_empty() || href == "#" {
        return Some(FindingKind::LinkNowhere);
    }
    let after_colon = || href.split_once(':').map_or("", |(_, rest)| rest);
    match scheme(href).as_str() {
        "javascript" | "vbscript" | "data" => Some(FindingKind::LinkScript),
        "http" if portal_https => Some(FindingKind::LinkInsecure),
        "mailto" => {
            let addresses = after_colon().split('?').next().unwrap_or("");
            let decoded = percent_decode(addresses);
            let ok = !decoded.trim().is_empty() && decoded.split(',').all(plausible_email);
            (!ok).then(|| FindingKind::BadEmail(decoded.trim().to_owned()))
        }
        "tel" => {
            let number = percent_decode(after_colon());
            (!plausible_phone(&number)).then(|| FindingKind::BadPhone(number.trim().to_owned()))
        }
        _ => None,
    }
}

/// `%XX` escapes decoded (invalid ones and non-UTF-8 results kept as typed).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
        if bytes[i] == b'%' {
            if let (Some(h), Some(l)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// `local@domain.tld`: a local part without blanks, a domain of dot-separated
/// labels (letters, digits, hyphens, not at a label's ends) and a top-level
/// label of at least two letters. Unicode letters pass (internationalised
/// addresses).
fn plausible_email(address: &str) -> bool {
    let address = address.trim();
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:@\"".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || c == '-')
    };
    // Letters beyond ASCII (internationalised domains) are taken as they are.
    let tld_ok = labels.last().is_some_and(|t| {
        t.chars().count() >= 2 && t.chars().all(|c| !c.is_ascii() || c.is_ascii_alphabetic())
    });
    local_ok && labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok
}

/// Digits, a leading `+`, spaces, dashes, dots and brackets; 3 (short
/// service numbers) to 15 (the E.164 maximum) digits.
fn plausible_phone(number: &str) -> bool {
    let number = number.trim();
    let body = number.strip_prefix('+').unwrap_or(number);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars()
        .all(|c| c.is_ascii_digit() || " -.()".contains(c))
        && (3..=15).contains(&digits)
}

// ---------------------------------------------------------------------------
// Image size
// ---------------------------------------------------------------------------

/// Compares the natural size with the slot's `dimensions`. Below the 1x size
/// on a known side: blurry (a picture filling its slot needs every side).
/// Above twice the 2x size (4× the 1x one) on every known side: heavier than
/// needed (one side within bounds means the picture is scaled by that side).
/// The suggested sizes keep the picture's proportions and cover every known
/// side, as a picture filling its slot must.
fn size_finding(field: &Field, natural: (u32, u32)) -> Option<FindingKind> {
    let (nw, nh) = natural;
    let dims = field.dimensions;
    if nw == 0 || nh == 0 || (dims.width.is_none() && dims.height.is_none()) {
        return None;
    }
    let sides = [(dims.width, nw), (dims.height, nh)];
    // The scale the picture needs to cover the slot at `factor` × its size.
    let scale_for = |factor: f64| {
        sides
            .iter()
            .filter_map(|(slot, n)| slot.map(|s| f64::from(s) * factor / f64::from(*n)))
            .fold(0.0f64, f64::max)
    };
    let scaled = |scale: f64| {
        let side = |n: u32| {
            (f64::from(n) * scale)
                .ceil()
                .clamp(1.0, f64::from(u32::MAX)) as u32
        };
        (side(nw), side(nh))
    };
    let below = sides.iter().any(|(slot, n)| slot.is_some_and(|s| *n < s));
    let above = sides
        .iter()
        .all(|(slot, n)| slot.is_none_or(|s| u64::from(*n) > 4 * u64::from(s)));
    if below {
        Some(FindingKind::ImageBlurry {
            natural,
            needed: scaled(scale_for(1.0)),
        })
    } else if above {
        Some(FindingKind::ImageHeavy {
            natural,
            enough: scaled(scale_for(2.0)),
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
