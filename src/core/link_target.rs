//! What a link points to, for the link picker: a page or a block of the site (the editor's
//! own `#landing<ID>` / `#block<ID>` hrefs, which the portal turns into real addresses when
//! it publishes), a phone, an e-mail, any other URL. Also the rows of
//! `landing.landing.getlist` / `landing.block.getlist` the picker lists, read leniently, and
//! the label of a current target.

use serde::{Deserialize, Deserializer};

use super::loose::{Flag, Loose, Obj, Text};
use super::model::is_unsafe_url;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// `#landing<ID>`: a page of the portal.
    Page(u64),
    /// `#block<ID>`: a block (on this or another page).
    Block(u64),
    Url(String),
    /// What follows `tel:`.
    Phone(String),
    /// What follows `mailto:` (may hold `?subject=...`).
    Email(String),
    Empty,
}

/// `rest` without `prefix`, compared ASCII case-insensitively.
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// A whole positive id: digits only (no sign, no blanks), not 0.
fn id_of(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok().filter(|n| *n > 0)
}

impl LinkTarget {
    /// Reads an href as found in a block. Anything not recognised is a URL, kept verbatim
    /// (so `to_href` gives it back); only blanks around it are dropped.
    pub fn parse(href: &str) -> LinkTarget {
        let href = href.trim();
        if href.is_empty() {
            return LinkTarget::Empty;
        }
        if let Some(id) = href.strip_prefix("#landing").and_then(id_of) {
            return LinkTarget::Page(id);
        }
        if let Some(id) = href.strip_prefix("#block").and_then(id_of) {
            return LinkTarget::Block(id);
        }
        if let Some(rest) = strip_prefix_ci(href, "tel:") {
            return LinkTarget::Phone(rest.to_owned());
        }
        if let Some(rest) = strip_prefix_ci(href, "mailto:") {
            return LinkTarget::Email(rest.to_owned());
        }
        LinkTarget::Url(href.to_owned())
    }

    pub fn to_href(&self) -> String {
        match self {
            LinkTarget::Page(id) => format!("#landing{id}"),
            LinkTarget::Block(id) => format!("#block{id}"),
            LinkTarget::Url(url) => url.clone(),
            LinkTarget::Phone(phone) => format!("tel:{phone}"),
            LinkTarget::Email(email) => format!("mailto:{email}"),
            LinkTarget::Empty => String::new(),
        }
    }
}

/// Why typed input was refused (the UI words it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkInputError {
    Empty,
    /// `javascript:`, `vbscript:`, `data:` (other than images): it would run on the page.
    Unsafe,
    /// A URL with blanks inside.
    Blank,
    /// A phone number without a digit.
    NoDigits,
    /// Not an e-mail address.
    BadEmail,
}

/// Whether `s` starts with a URL scheme (`name:`), telling `host:8080` (a port) apart.
fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let (name, after) = (&s[..colon], &s[colon + 1..]);
    let name_ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let port = !after.is_empty()
        && after
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    name_ok && !port
}

/// A typed URL: trimmed; `https://` put in front when it has no scheme and is not a path,
/// query or anchor of this site (`/`, `?`, `#`); `//host` gets `https:`.
pub fn url_from_input(input: &str) -> Result<LinkTarget, LinkInputError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(LinkInputError::Empty);
    }
    if is_unsafe_url(s) {
        return Err(LinkInputError::Unsafe);
    }
    if s.chars().any(char::is_whitespace) {
        return Err(LinkInputError::Blank);
    }
    let url = if let Some(rest) = s.strip_prefix("//") {
        format!("https://{rest}")
    } else if s.starts_with(['/', '?', '#']) || has_scheme(s) {
        s.to_owned()
    } else {
        format!("https://{s}")
    };
    Ok(LinkTarget::parse(&url))
}

/// A typed phone: its digits, with a `+` kept when it is the first character.
pub fn phone_from_input(input: &str) -> Result<LinkTarget, LinkInputError> {
    let s = input.trim();
    let s = strip_prefix_ci(s, "tel:").unwrap_or(s).trim();
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err(if s.is_empty() {
            LinkInputError::Empty
        } else {
            LinkInputError::NoDigits
        });
    }
    let plus = if s.starts_with('+') { "+" } else { "" };
    Ok(LinkTarget::Phone(format!("{plus}{digits}")))
}

/// A simple, sound address check: one `@`; a local part of printable characters without
/// blanks or `<>()[]\,;:"`; a domain of two or more dot-separated labels of letters, digits
/// and inner `-`, the last at least two characters; at most 254 characters.
pub fn email_from_input(input: &str) -> Result<LinkTarget, LinkInputError> {
    let s = input.trim();
    let s = strip_prefix_ci(s, "mailto:").unwrap_or(s).trim();
    if s.is_empty() {
        return Err(LinkInputError::Empty);
    }
    let bad = || LinkInputError::BadEmail;
    let (local, domain) = s.split_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[]\\,;:\"@".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let domain_ok = labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels.last().is_some_and(|t| t.chars().count() >= 2);
    if s.len() > 254 || !local_ok || !domain_ok {
        return Err(bad());
    }
    Ok(LinkTarget::Email(s.to_owned()))
}

// ---------------------------------------------------------------------------
// The lists the picker shows
// ---------------------------------------------------------------------------

/// A positive id from a number or a string of digits.
fn loose_id(v: &Loose) -> Option<u64> {
    match v {
        Loose::Unsigned(n) => Some(*n).filter(|n| *n > 0),
        Loose::Text(s) => id_of(s.trim()),
        _ => None,
    }
}

/// A `landing.landing.getlist` row (ask for `ID`, `TITLE`, `CODE`, `SITE_ID`, `ACTIVE`).
/// The portal sends every value as a string; numbers are accepted too. `id` is `None` when
/// the row has no usable id (the picker leaves such rows out).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageRow {
    pub id: Option<u64>,
    pub title: String,
    pub code: String,
    pub site_id: Option<u64>,
    /// `ACTIVE` = `Y`; a row without it counts as active.
    pub active: bool,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct PageRowRaw {
    #[serde(rename = "ID")]
    id: Loose,
    #[serde(rename = "TITLE")]
    title: Text,
    #[serde(rename = "CODE")]
    code: Text,
    #[serde(rename = "SITE_ID")]
    site_id: Loose,
    #[serde(rename = "ACTIVE")]
    active: Option<Text>,
}

/// Any shape reads (a non-object is an empty row), so a list never fails on one bad row.
impl<'de> Deserialize<'de> for PageRow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PageRow, D::Error> {
        let raw = Obj::<PageRowRaw>::deserialize(d)?.or_default();
        Ok(PageRow {
            id: loose_id(&raw.id),
            title: raw.title.0.trim().to_owned(),
            code: raw.code.0.trim().to_owned(),
            site_id: loose_id(&raw.site_id),
            active: raw
                .active
                .is_none_or(|a| a.0.trim().eq_ignore_ascii_case("Y")),
        })
    }
}

/// A `landing.block.getlist` row: `{id, lid, code, name, active}` (numbers, or strings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockRow {
    pub id: Option<u64>,
    pub lid: Option<u64>,
    pub code: String,
    pub name: String,
    pub active: bool,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct BlockRowRaw {
    id: Loose,
    lid: Loose,
    code: Text,
    name: Text,
    active: Option<Flag>,
}

impl<'de> Deserialize<'de> for BlockRow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<BlockRow, D::Error> {
        let raw = Obj::<BlockRowRaw>::deserialize(d)?.or_default();
        Ok(BlockRow {
            id: loose_id(&raw.id),
            lid: loose_id(&raw.lid),
            code: raw.code.0.trim().to_owned(),
            name: raw.name.0.trim().to_owned(),
            active: raw.active.is_none_or(|a| a.0),
        })
    }
}

/// How the picker names the current target (the UI words it: "Page: Prices").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetLabel {
    /// `title` is the page's title, else its code.
    Page {
        id: u64,
        title: String,
    },
    /// A page id not in the loaded list (deleted, another site, or not loaded yet).
    UnknownPage(u64),
    /// `name` is the block's name, else its code; `page` the title of its page when known.
    Block {
        id: u64,
        name: String,
        page: Option<String>,
    },
    UnknownBlock(u64),
    Url(String),
    Phone(String),
    Email(String),
    Empty,
}

fn first_nonempty(a: &str, b: &str) -> String {
    if a.is_empty() { b } else { a }.to_owned()
}

fn page_title(pages: &[PageRow], id: u64) -> Option<String> {
    pages
        .iter()
        .find(|p| p.id == Some(id))
        .map(|p| first_nonempty(&p.title, &p.code))
}

/// The label of `target` given the lists loaded so far.
pub fn target_label(target: &LinkTarget, pages: &[PageRow], blocks: &[BlockRow]) -> TargetLabel {
    match target {
        LinkTarget::Page(id) => match page_title(pages, *id) {
            Some(title) => TargetLabel::Page { id: *id, title },
            None => TargetLabel::UnknownPage(*id),
        },
        LinkTarget::Block(id) => match blocks.iter().find(|b| b.id == Some(*id)) {
            Some(b) => TargetLabel::Block {
                id: *id,
                name: first_nonempty(&b.name, &b.code),
                page: b.lid.and_then(|lid| page_title(pages, lid)),
            },
            None => TargetLabel::UnknownBlock(*id),
        },
        LinkTarget::Url(url) => TargetLabel::Url(url.clone()),
        LinkTarget::Phone(p) => TargetLabel::Phone(p.clone()),
        LinkTarget::Email(e) => TargetLabel::Email(e.clone()),
        LinkTarget::Empty => TargetLabel::Empty,
    }
}

// ---------------------------------------------------------------------------
// Searching the lists
// ---------------------------------------------------------------------------

/// How many rows of a list the picker shows at first and adds with each "Show more".
pub const LIST_STEP: usize = 50;

/// The words of a search, lowercased; blanks only separate them.
fn search_terms(query: &str) -> Vec<String> {
    query.split_whitespace().map(str::to_lowercase).collect()
}

/// Every term is found (case-insensitively) in one of `fields`.
fn all_found(terms: &[String], fields: &[&str]) -> bool {
    let fields: Vec<String> = fields.iter().map(|f| f.to_lowercase()).collect();
    terms
        .iter()
        .all(|t| fields.iter().any(|f| f.contains(t.as_str())))
}

/// The pages with an id whose title or code holds every word of `query` (all of them for
/// an empty query), in the order given.
pub fn find_pages<'a>(pages: &'a [PageRow], query: &str) -> Vec<&'a PageRow> {
    let terms = search_terms(query);
    pages
        .iter()
        .filter(|p| p.id.is_some() && all_found(&terms, &[&p.title, &p.code]))
        .collect()
}

/// The blocks with an id whose name, code or `#block<ID>` holds every word of `query`.
pub fn find_blocks<'a>(blocks: &'a [BlockRow], query: &str) -> Vec<&'a BlockRow> {
    let terms = search_terms(query);
    blocks
        .iter()
        .filter(|b| {
            b.id.is_some_and(|id| {
                let href = LinkTarget::Block(id).to_href();
                all_found(&terms, &[&b.name, &b.code, &href])
            })
        })
        .collect()
}

/// A page's address within its site as the picker shows it: `/code/` (the site's start
/// page has a code too); empty without a code.
pub fn page_address(page: &PageRow) -> String {
    let code = page.code.trim_matches('/');
    if code.is_empty() {
        String::new()
    } else {
        format!("/{code}/")
    }
}

#[cfg(test)]
mod tests;
