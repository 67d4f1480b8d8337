//! Where the app appears: its placement bindings (`LANDING_BLOCK_*` or one block code),
//! their validation, the list the app keeps in its application options, and reconciling
//! that list with what the portal reports.

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::loose::{AnyShape, Loose, NestedJson, Obj, Ordered, Text};

use super::context::{is_loopback_host, validate_host};

pub const PLACEMENT_PREFIX: &str = "LANDING_BLOCK_";
/// Block codes are short (`43.4.cover_with_price_text_button_bgimg`); anything far longer
/// is a paste gone wrong.
pub const MAX_CODE_LEN: usize = 100;
pub const MAX_HANDLER_LEN: usize = 2000;
pub const MAX_TITLE_CHARS: usize = 100;
/// The application option that holds the app's own list of bindings.
pub const RECORD_OPTION: &str = "bindings";

/// Which blocks' More menus show the app.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    AllBlocks,
    /// A block code, lower case (codes are case-insensitive on the portal).
    Block(String),
}

impl Target {
    pub fn placement(&self) -> String {
        match self {
            Target::AllBlocks => format!("{PLACEMENT_PREFIX}*"),
            Target::Block(code) => format!("{PLACEMENT_PREFIX}{code}"),
        }
    }

    /// Reads a placement code the portal reports; `None` for other placements.
    pub fn from_placement(placement: &str) -> Option<Target> {
        let placement = placement.trim();
        let prefix = placement.get(..PLACEMENT_PREFIX.len())?;
        if !prefix.eq_ignore_ascii_case(PLACEMENT_PREFIX) {
            return None;
        }
        parse_target(&placement[PLACEMENT_PREFIX.len()..]).ok()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeError {
    Empty,
    TooLong,
    /// The first character that is not allowed.
    BadCharacter(char),
    /// `repo_` not followed by a positive numeric id.
    BadRepoId,
}

/// Parses what an administrator typed: `*`, a block code, `repo_<ID>`, or a whole placement
/// code (`LANDING_BLOCK_...`), in any case.
pub fn parse_target(input: &str) -> Result<Target, CodeError> {
    let mut code = input.trim();
    if code
        .get(..PLACEMENT_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(PLACEMENT_PREFIX))
    {
        code = &code[PLACEMENT_PREFIX.len()..];
    }
    if code.is_empty() {
        return Err(CodeError::Empty);
    }
    if code == "*" {
        return Ok(Target::AllBlocks);
    }
    if code.chars().count() > MAX_CODE_LEN {
        return Err(CodeError::TooLong);
    }
    if let Some(bad) = code
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(CodeError::BadCharacter(bad));
    }
    let code = code.to_ascii_lowercase();
    if let Some(id) = code.strip_prefix("repo_") {
        let positive =
            !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !id.starts_with('0');
        if !positive {
            return Err(CodeError::BadRepoId);
        }
    }
    if !code.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(CodeError::BadCharacter(code.chars().next().unwrap_or('?')));
    }
    Ok(Target::Block(code))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandlerError {
    Empty,
    TooLong,
    /// Not `scheme://host/...`.
    NotAbsolute,
    /// `http://` to a host that is not loopback, or another scheme.
    NotHttps,
    BadHost,
    HasCredentials,
    HasFragment,
}

/// Checks a handler URL: absolute https (http only for loopback development), a plausible
/// host, no credentials and no fragment. Returns it trimmed.
pub fn validate_handler(input: &str) -> Result<String, HandlerError> {
    let url = input.trim();
    if url.is_empty() {
        return Err(HandlerError::Empty);
    }
    if url.len() > MAX_HANDLER_LEN {
        return Err(HandlerError::TooLong);
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(HandlerError::NotAbsolute);
    }
    let (scheme, rest) = url.split_once("://").ok_or(HandlerError::NotAbsolute)?;
    let https = scheme.eq_ignore_ascii_case("https");
    if !https && !scheme.eq_ignore_ascii_case("http") {
        return Err(HandlerError::NotHttps);
    }
    if url.contains('#') {
        return Err(HandlerError::HasFragment);
    }
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(HandlerError::HasCredentials);
    }
    if authority.is_empty() {
        return Err(HandlerError::NotAbsolute);
    }
    if !validate_host(authority) {
        return Err(HandlerError::BadHost);
    }
    if !https && !is_loopback_host(authority) {
        return Err(HandlerError::NotHttps);
    }
    Ok(url.to_string())
}

/// The handler the app suggests: the address it is served from, without query and hash.
pub fn default_handler(location_href: &str) -> String {
    let end = location_href
        .find(['?', '#'])
        .unwrap_or(location_href.len());
    location_href[..end].to_string()
}

/// One binding: the menu item `title` on `target` blocks, opening `handler`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub target: Target,
    pub handler: String,
    pub title: String,
}

impl Binding {
    /// The portal keeps one binding per placement and handler.
    pub fn same_place(&self, other: &Binding) -> bool {
        self.target == other.target && self.handler == other.handler
    }
}

/// One binding as `placement.get` lists it (or as the app stored it): `placement`,
/// `handler`, `title`, keys in any case, values of any type (only strings count).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BindingEntry {
    pub placement: String,
    pub handler: String,
    pub title: String,
}

impl<'de> Deserialize<'de> for BindingEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<BindingEntry, D::Error> {
        struct Entry;
        impl<'de> Visitor<'de> for Entry {
            type Value = BindingEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a binding object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BindingEntry, A::Error> {
                let mut entry = BindingEntry::default();
                while let Some(key) = map.next_key::<Text>()? {
                    let slot = match key.0.to_ascii_lowercase().as_str() {
                        "placement" => &mut entry.placement,
                        "handler" => &mut entry.handler,
                        "title" => &mut entry.title,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    // The first spelling found wins, as a lookup in key order would.
                    let value = map.next_value::<Loose>()?;
                    if slot.is_empty() {
                        *slot = value.as_str().unwrap_or("").to_owned();
                    }
                }
                Ok(entry)
            }
        }
        d.deserialize_map(Entry)
    }
}

fn binding_from(entry: &BindingEntry) -> Option<Binding> {
    let target = Target::from_placement(&entry.placement)?;
    let handler = entry.handler.trim();
    if handler.is_empty() {
        return None;
    }
    Some(Binding {
        target,
        handler: handler.to_string(),
        title: entry.title.trim().to_string(),
    })
}

/// `placement.get`'s result as it arrives: a list (or PHP assoc array) of entries; entries
/// that are not objects are skipped.
pub type PortalBindingsRaw = AnyShape<Obj<BindingEntry>>;

/// The app's block bindings from `placement.get`'s result: entries that are not objects,
/// name another placement or have no handler are skipped; duplicates (same place) once.
pub fn parse_portal_bindings(result: &PortalBindingsRaw) -> Vec<Binding> {
    let entries: Vec<&BindingEntry> = match result {
        AnyShape::List(list) => list.iter().filter_map(|e| e.0.as_ref()).collect(),
        AnyShape::Map(map) => map.iter().filter_map(|(_, e)| e.0.as_ref()).collect(),
        AnyShape::Scalar(_) => Vec::new(),
    };
    let mut out: Vec<Binding> = Vec::new();
    for binding in entries.into_iter().filter_map(binding_from) {
        if !out.iter().any(|b| b.same_place(&binding)) {
            out.push(binding);
        }
    }
    out
}

/// What the app keeps in its list, as the portal stored it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// Nothing stored yet.
    Missing,
    Stored(Vec<Binding>),
    /// Something is stored but it is not a list of bindings.
    Unreadable,
}

/// The application options as they arrive (`app.option.get`, `APP_OPTIONS`): the list is a
/// JSON string (as `record_params` stores it) or, from older versions, a list.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct AppOptions {
    pub bindings: Option<AnyShape<Obj<BindingEntry>>>,
}

/// The app's list from its application options.
pub fn parse_record(options: &AppOptions, json: &impl NestedJson) -> Record {
    let Some(stored) = &options.bindings else {
        return Record::Missing;
    };
    let read;
    let list = match stored {
        AnyShape::Scalar(Loose::Text(text)) => match json.read::<AnyShape<Obj<BindingEntry>>>(text)
        {
            Some(v) => {
                read = v;
                &read
            }
            None => return Record::Unreadable,
        },
        other => other,
    };
    match list {
        AnyShape::List(_) => Record::Stored(parse_portal_bindings(list)),
        _ => Record::Unreadable,
    }
}

/// One binding as the app stores it.
#[derive(Serialize)]
pub struct StoredBinding<'a> {
    pub placement: String,
    pub handler: &'a str,
    pub title: &'a str,
}

pub fn stored_list(bindings: &[Binding]) -> Vec<StoredBinding<'_>> {
    bindings
        .iter()
        .map(|b| StoredBinding {
            placement: b.target.placement(),
            handler: &b.handler,
            title: &b.title,
        })
        .collect()
}

/// `app.option.set`'s params: `{"options": {"bindings": "<the list as JSON text>"}}` (the
/// portal keeps option values as strings). `list_json` is [`stored_list`] as JSON.
#[derive(Serialize)]
pub struct RecordParams {
    pub options: RecordOption,
}

#[derive(Serialize)]
pub struct RecordOption {
    pub bindings: String,
}

pub fn record_params(list_json: String) -> RecordParams {
    RecordParams {
        options: RecordOption {
            bindings: list_json,
        },
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowState {
    /// On the portal and in the app's list.
    Active,
    /// On the portal but not in the app's list (bound by hand or by an earlier version):
    /// taken into the list.
    Adopted,
    /// In the app's list but gone from the portal (removed outside the app).
    Missing,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub binding: Binding,
    pub state: RowState,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciled {
    /// Every-block first, then by code and handler.
    pub rows: Vec<Row>,
    /// The list to keep from now on: what the portal has, plus what went missing (until the
    /// administrator binds it again or forgets it).
    pub record: Vec<Binding>,
    /// The stored list differs from `record` and should be written back.
    pub record_changed: bool,
}

/// Compares the app's list with the portal's bindings. The portal is the truth for what is
/// in the menus; the list remembers what the app meant to have.
pub fn reconcile(recorded: &Record, portal: &[Binding]) -> Reconciled {
    let stored: &[Binding] = match recorded {
        Record::Stored(list) => list,
        Record::Missing | Record::Unreadable => &[],
    };
    let mut rows: Vec<Row> = portal
        .iter()
        .map(|b| {
            let known = stored.iter().any(|r| r.same_place(b));
            Row {
                binding: b.clone(),
                state: if known {
                    RowState::Active
                } else {
                    RowState::Adopted
                },
            }
        })
        .collect();
    rows.extend(
        stored
            .iter()
            .filter(|r| !portal.iter().any(|b| b.same_place(r)))
            .map(|r| Row {
                binding: r.clone(),
                state: RowState::Missing,
            }),
    );
    rows.sort_by(|a, b| {
        (&a.binding.target, &a.binding.handler).cmp(&(&b.binding.target, &b.binding.handler))
    });
    let record: Vec<Binding> = rows.iter().map(|r| r.binding.clone()).collect();
    Reconciled {
        record_changed: differs(recorded, &record),
        rows,
        record,
    }
}

/// Whether `list` must be written over what the options hold.
pub fn differs(stored: &Record, list: &[Binding]) -> bool {
    match stored {
        Record::Stored(old) => {
            old.len() != list.len() || !old.iter().all(|x| list.iter().any(|y| y == x))
        }
        Record::Missing => !list.is_empty(),
        Record::Unreadable => true,
    }
}

/// The app's list after it made `added` and removed `removed` itself: what it did is known,
/// not "found on the portal".
pub fn with_change(stored: &Record, added: Option<&Binding>, removed: Option<&Binding>) -> Record {
    let mut list = match stored {
        Record::Stored(list) => list.clone(),
        Record::Missing | Record::Unreadable => Vec::new(),
    };
    if let Some(gone) = removed {
        list.retain(|b| !b.same_place(gone));
    }
    if let Some(new) = added {
        list.retain(|b| !b.same_place(new));
        list.push(new.clone());
    }
    if list.is_empty() && added.is_none() && removed.is_none() {
        return stored.clone();
    }
    Record::Stored(list)
}

/// A titled entry of the block catalogue (`landing.block.getrepository`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueBlock {
    pub code: String,
    pub name: String,
    pub section: String,
}

/// Flattens the catalogue (`{section: {name, items: {code: {name}}}}`) into one entry per
/// block code (a block listed in several sections keeps the first), sorted by code.
pub fn parse_catalogue(result: &CatalogueRaw) -> Vec<CatalogueBlock> {
    let mut out: Vec<CatalogueBlock> = Vec::new();
    for (section_code, section) in &result.0 {
        let Some(section) = &section.0 else {
            continue;
        };
        let section_name = section
            .name
            .as_ref()
            .and_then(Loose::as_str)
            .unwrap_or(section_code);
        for (code, item) in &section.items.0 {
            let Ok(Target::Block(code)) = parse_target(code) else {
                continue;
            };
            if out.iter().any(|b| b.code == code) {
                continue;
            }
            let name = item
                .0
                .as_ref()
                .and_then(|item| item.name.as_ref())
                .and_then(Loose::as_str)
                .unwrap_or("");
            out.push(CatalogueBlock {
                code,
                name: name.trim().to_string(),
                section: section_name.trim().to_string(),
            });
        }
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

/// `landing.block.getrepository`'s result as it arrives: sections by code, in order.
pub type CatalogueRaw = Ordered<Obj<CatalogueSection>>;

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CatalogueSection {
    pub name: Option<Loose>,
    pub items: Ordered<Obj<CatalogueItem>>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CatalogueItem {
    pub name: Option<Loose>,
}

/// Cleans a menu item title: trimmed, inner runs of blanks folded, at most
/// [`MAX_TITLE_CHARS`]. `None` when nothing is left.
pub fn clean_title(input: &str) -> Option<String> {
    let folded = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let title: String = folded.chars().take(MAX_TITLE_CHARS).collect();
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    // The readers from JSON as it arrives (through serde_json here, the browser in the wasm).
    fn parse_portal_bindings(value: &Value) -> Vec<Binding> {
        let raw = serde_json::from_value(value.clone()).unwrap_or(AnyShape::Scalar(Loose::Null));
        super::parse_portal_bindings(&raw)
    }

    fn parse_record(value: &Value) -> Record {
        let options: Obj<AppOptions> = serde_json::from_value(value.clone()).unwrap_or_default();
        super::parse_record(&options.or_default(), &crate::client::Json)
    }

    fn parse_catalogue(value: &Value) -> Vec<CatalogueBlock> {
        let raw: CatalogueRaw = serde_json::from_value(value.clone()).unwrap_or_default();
        super::parse_catalogue(&raw)
    }

    fn record_params(list: &[Binding]) -> Value {
        let text = serde_json::to_string(&stored_list(list)).unwrap_or_default();
        serde_json::to_value(super::record_params(text)).unwrap_or_default()
    }

    fn b(target: Target, handler: &str, title: &str) -> Binding {
        Binding {
            target,
            handler: handler.into(),
            title: title.into(),
        }
    }

    fn code(c: &str) -> Target {
        Target::Block(c.into())
    }

    #[test]
    fn targets_from_what_people_type() {
        assert_eq!(parse_target(" * "), Ok(Target::AllBlocks));
        assert_eq!(parse_target("landing_block_*"), Ok(Target::AllBlocks));
        assert_eq!(
            parse_target("04.1.One_Col_Fix_With_Title"),
            Ok(code("04.1.one_col_fix_with_title"))
        );
        assert_eq!(
            parse_target("LANDING_BLOCK_43.4.COVER_WITH_PRICE_TEXT_BUTTON_BGIMG"),
            Ok(code("43.4.cover_with_price_text_button_bgimg"))
        );
        assert_eq!(parse_target("REPO_1132"), Ok(code("repo_1132")));
        assert_eq!(parse_target("   "), Err(CodeError::Empty));
        assert_eq!(parse_target("LANDING_BLOCK_"), Err(CodeError::Empty));
        assert_eq!(parse_target("repo_"), Err(CodeError::BadRepoId));
        assert_eq!(parse_target("repo_0"), Err(CodeError::BadRepoId));
        assert_eq!(parse_target("repo_12a"), Err(CodeError::BadRepoId));
        assert_eq!(parse_target("a b"), Err(CodeError::BadCharacter(' ')));
        assert_eq!(parse_target("x<script>"), Err(CodeError::BadCharacter('<')));
        assert_eq!(parse_target("блок"), Err(CodeError::BadCharacter('б')));
        assert_eq!(parse_target("*.x"), Err(CodeError::BadCharacter('*')));
        assert_eq!(parse_target(".hidden"), Err(CodeError::BadCharacter('.')));
        assert_eq!(parse_target(&"a".repeat(101)), Err(CodeError::TooLong));
        assert!(parse_target(&"a".repeat(100)).is_ok());
    }

    #[test]
    fn placements_round_trip_and_foreign_ones_are_skipped() {
        for t in [
            Target::AllBlocks,
            code("06.1features_3_cols"),
            code("repo_7"),
        ] {
            assert_eq!(Target::from_placement(&t.placement()), Some(t));
        }
        assert_eq!(
            Target::from_placement("landing_block_49.1.VIDEO_JUST_VIDEO"),
            Some(code("49.1.video_just_video"))
        );
        assert_eq!(Target::from_placement("CRM_LEAD_LIST_MENU"), None);
        assert_eq!(Target::from_placement("LANDING_BLOCK"), None);
        assert_eq!(Target::from_placement("LANDING_BLOCK_"), None);
        assert_eq!(Target::from_placement("ЛANDING_BLOCK_*"), None);
    }

    #[test]
    fn handlers_must_be_https_or_loopback_http() {
        let ok = [
            "https://apps.example.com/editor/",
            "https://apps.example.com:8443/editor/index.html?x=1",
            "http://127.0.0.1:8080/handler/",
            "http://localhost:8091/",
            "  https://a.example.org/  ",
        ];
        for url in ok {
            assert_eq!(validate_handler(url), Ok(url.trim().to_string()), "{url}");
        }
        let bad = [
            ("", HandlerError::Empty),
            ("apps.example.com/editor", HandlerError::NotAbsolute),
            ("/editor/", HandlerError::NotAbsolute),
            ("https://", HandlerError::NotAbsolute),
            ("https://exa mple.com/", HandlerError::NotAbsolute),
            ("http://apps.example.com/", HandlerError::NotHttps),
            ("ftp://apps.example.com/", HandlerError::NotHttps),
            ("javascript://alert(1)", HandlerError::NotHttps),
            (
                "https://user:pw@apps.example.com/",
                HandlerError::HasCredentials,
            ),
            ("https://apps.example.com/#x", HandlerError::HasFragment),
            ("https://bad_host!/", HandlerError::BadHost),
        ];
        for (url, err) in bad {
            assert_eq!(validate_handler(url), Err(err), "{url}");
        }
        let long = format!("https://a.example.com/{}", "x".repeat(MAX_HANDLER_LEN));
        assert_eq!(validate_handler(&long), Err(HandlerError::TooLong));
    }

    #[test]
    fn default_handler_drops_query_and_hash() {
        assert_eq!(
            default_handler("https://h.example.com/app/?DOMAIN=x&APP_SID=y#top"),
            "https://h.example.com/app/"
        );
        assert_eq!(
            default_handler("http://127.0.0.1:8091/#a?b"),
            "http://127.0.0.1:8091/"
        );
        assert_eq!(default_handler("https://h/x"), "https://h/x");
    }

    #[test]
    fn portal_bindings_tolerate_shapes_and_skip_foreign_entries() {
        let answer = json!([
            {"placement": "LANDING_BLOCK_*", "handler": "https://a/", "title": "Edit"},
            {"PLACEMENT": "landing_block_04.1.X", "HANDLER": "https://a/", "TITLE": " T "},
            {"placement": "CRM_LEAD_LIST_MENU", "handler": "https://a/", "title": "crm"},
            {"placement": "LANDING_BLOCK_*", "handler": "", "title": "no handler"},
            {"placement": "LANDING_BLOCK_*", "handler": "https://a/", "title": "duplicate"},
            "garbage", 7, null
        ]);
        assert_eq!(
            parse_portal_bindings(&answer),
            vec![
                b(Target::AllBlocks, "https://a/", "Edit"),
                b(code("04.1.x"), "https://a/", "T"),
            ]
        );
        let as_object = json!({"0": {"placement": "LANDING_BLOCK_*", "handler": "https://a/"}});
        assert_eq!(parse_portal_bindings(&as_object).len(), 1);
        assert!(parse_portal_bindings(&json!("nope")).is_empty());
        assert!(parse_portal_bindings(&json!([])).is_empty());
    }

    #[test]
    fn the_record_round_trips_through_options() {
        let list = vec![
            b(Target::AllBlocks, "https://a/", "Edit"),
            b(code("repo_3"), "https://b/", "Custom"),
        ];
        let params = record_params(&list);
        let options = params["options"].clone();
        assert!(
            options[RECORD_OPTION].is_string(),
            "stored as a JSON string"
        );
        assert_eq!(parse_record(&options), Record::Stored(list.clone()));
        // An array stored directly is read too.
        let direct = json!({RECORD_OPTION: [
            {"placement": "LANDING_BLOCK_*", "handler": "https://a/", "title": "Edit"}
        ]});
        assert_eq!(parse_record(&direct), Record::Stored(vec![list[0].clone()]));
        assert_eq!(parse_record(&json!([])), Record::Missing);
        assert_eq!(parse_record(&json!({})), Record::Missing);
        assert_eq!(parse_record(&json!(null)), Record::Missing);
        assert_eq!(
            parse_record(&json!({RECORD_OPTION: "{not json"})),
            Record::Unreadable
        );
        assert_eq!(parse_record(&json!({RECORD_OPTION: 5})), Record::Unreadable);
        assert_eq!(
            parse_record(&json!({RECORD_OPTION: "{}"})),
            Record::Unreadable
        );
    }

    #[test]
    fn reconcile_adopts_unknown_keeps_missing_and_orders_rows() {
        let all = b(Target::AllBlocks, "https://a/", "Edit");
        let title = b(code("04.1.x"), "https://a/", "Title");
        let gone = b(code("31.1.y"), "https://a/", "Gone");
        let recorded = Record::Stored(vec![gone.clone(), all.clone()]);
        let r = reconcile(&recorded, &[title.clone(), all.clone()]);
        let states: Vec<(Target, RowState)> = r
            .rows
            .iter()
            .map(|row| (row.binding.target.clone(), row.state))
            .collect();
        assert_eq!(
            states,
            vec![
                (Target::AllBlocks, RowState::Active),
                (code("04.1.x"), RowState::Adopted),
                (code("31.1.y"), RowState::Missing),
            ]
        );
        assert_eq!(r.record, vec![all.clone(), title.clone(), gone.clone()]);
        assert!(r.record_changed);

        // Nothing to write when the list already matches, in whatever order.
        let same = reconcile(
            &Record::Stored(vec![title.clone(), all.clone()]),
            &[all.clone(), title.clone()],
        );
        assert!(!same.record_changed);
        assert!(same.rows.iter().all(|row| row.state == RowState::Active));

        // A missing or unreadable list is rebuilt from the portal.
        let fresh = reconcile(&Record::Missing, std::slice::from_ref(&all));
        assert!(fresh.record_changed);
        assert_eq!(fresh.rows[0].state, RowState::Adopted);
        assert!(!reconcile(&Record::Missing, &[]).record_changed);
        assert!(reconcile(&Record::Unreadable, &[]).record_changed);
    }

    #[test]
    fn what_the_app_did_itself_is_recorded_not_adopted() {
        let all = b(Target::AllBlocks, "https://a/", "Edit");
        let renamed = b(Target::AllBlocks, "https://a/", "Edit block");
        let code = b(code("04.1.x"), "https://a/", "T");
        // First run: nothing stored, the app bound every block.
        let after = with_change(&Record::Missing, Some(&all), None);
        let r = reconcile(&after, std::slice::from_ref(&all));
        assert_eq!(r.rows[0].state, RowState::Active);
        assert!(differs(&Record::Missing, &r.record));
        // A rename replaces the entry for the same place.
        let stored = Record::Stored(vec![all.clone(), code.clone()]);
        let after = with_change(&stored, Some(&renamed), Some(&all));
        assert_eq!(after, Record::Stored(vec![code.clone(), renamed.clone()]));
        // An unbind drops it; a forget is the same from the list's point of view.
        let after = with_change(&stored, None, Some(&code));
        assert_eq!(after, Record::Stored(vec![all.clone()]));
        assert!(!differs(&after, std::slice::from_ref(&all)));
        // Nothing done: the stored state is kept as it is, Missing included.
        assert_eq!(with_change(&Record::Missing, None, None), Record::Missing);
        assert_eq!(
            with_change(&Record::Unreadable, None, None),
            Record::Unreadable
        );
    }

    #[test]
    fn same_code_with_another_handler_is_another_binding() {
        let ours = b(Target::AllBlocks, "https://a/", "Edit");
        let old_host = b(Target::AllBlocks, "https://old/", "Edit");
        let r = reconcile(
            &Record::Stored(vec![ours.clone()]),
            &[ours.clone(), old_host.clone()],
        );
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[1].binding.handler, "https://old/");
        assert_eq!(r.rows[1].state, RowState::Adopted);
    }

    #[test]
    fn catalogue_flattens_sections_and_skips_bad_codes() {
        let answer = json!({
            "cover": {"name": "Covers", "items": {
                "43.4.cover": {"name": "Cover with price"},
                "bad code": {"name": "x"}
            }},
            "video": {"name": "Video", "items": {
                "49.1.video": {"name": "Video"},
                "43.4.cover": {"name": "listed twice"}
            }},
            "broken": {"name": "No items"},
            "other": {"items": {"repo_5": {}}}
        });
        let blocks = parse_catalogue(&answer);
        let codes: Vec<&str> = blocks.iter().map(|b| b.code.as_str()).collect();
        assert_eq!(codes, ["43.4.cover", "49.1.video", "repo_5"]);
        assert_eq!(blocks[0].name, "Cover with price");
        assert_eq!(blocks[0].section, "Covers");
        assert_eq!(blocks[2].section, "other");
        assert!(parse_catalogue(&json!([])).is_empty());
    }

    #[test]
    fn titles_are_trimmed_folded_and_bounded() {
        assert_eq!(clean_title("  Edit \n block  "), Some("Edit block".into()));
        assert_eq!(clean_title(" \t "), None);
        assert_eq!(
            clean_title(&"я".repeat(300)).map(|t| t.chars().count()),
            Some(100)
        );
    }
}
