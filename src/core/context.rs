//! The placement context: what the portal tells the app about where it was opened
//! (the `getInitData` answer of the frame protocol), parsed and validated.
//!
//! Everything here comes from outside (the parent frame), so every field is checked
//! and nothing panics: bad input becomes a [`ContextError`].

use std::fmt;

use serde::Deserialize;

use super::bindings::AppOptions;
use super::loose::{AnyShape, Loose, NestedJson, Obj};

use crate::core::i18n::Lang;

/// Longest piece of foreign input echoed back inside an error (keeps logs bounded).
const MAX_ECHO_CHARS: usize = 100;
/// Longest block code accepted (Bitrix stores block codes in a 255-char column).
const MAX_CODE_CHARS: usize = 255;
/// Default token life when the portal does not say (Bitrix tokens live one hour).
pub const DEFAULT_EXPIRES_SECS: u32 = 3600;
/// REST path used when the portal sends none or a suspicious one.
pub const DEFAULT_REST_PATH: &str = "/rest";
/// Longest URI kept from PLACEMENT_OPTIONS (it is only a hint).
const MAX_URI_CHARS: usize = 2048;

/// OAuth tokens of the current user. `Debug` is written by hand so tokens never reach a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Auth {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in_secs: u32,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Saying whether the refresh token is empty helps debugging and reveals nothing.
        let refresh = if self.refresh_token.is_empty() {
            "<empty>"
        } else {
            "<redacted>"
        };
        write!(
            f,
            "Auth {{ access_token: <redacted>, refresh_token: {refresh}, expires_in_secs: {} }}",
            self.expires_in_secs
        )
    }
}

/// The top-level `scope` some `landing.*` calls need (knowledge bases, groups, main page).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Knowledge,
    Group,
    Mainpage,
}

impl Scope {
    pub fn as_str(&self) -> &'static str {
        match self {
            Scope::Knowledge => "KNOWLEDGE",
            Scope::Group => "GROUP",
            Scope::Mainpage => "MAINPAGE",
        }
    }
}

/// Where the portal's REST API lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Portal {
    pub https: bool,
    /// Validated, lower-cased `host[:port]`.
    pub domain: String,
    /// REST path without a trailing slash, e.g. `/rest`.
    pub path: String,
}

impl Portal {
    /// `"<https|http>://<domain><path>/<method>.json"`. The token never goes here: it travels
    /// in the request body only.
    pub fn method_url(&self, method: &str) -> String {
        format!(
            "{}://{}{}/{}.json",
            scheme(self.https),
            self.domain,
            self.path,
            method
        )
    }

    /// The portal's origin as a browser serializes it (see [`serialize_origin`]).
    pub fn origin(&self) -> String {
        serialize_origin(self.https, &self.domain)
    }
}

/// Everything the app knows about the block it edits and who edits it.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacementContext {
    /// `LANDING_BLOCK_*` or `LANDING_BLOCK_<CODE>` as the portal sent it.
    pub placement: String,
    /// Block id on the draft of the page being edited.
    pub block_id: u64,
    pub block_code: String,
    /// Page (landing) id.
    pub page_id: u64,
    pub uri: Option<String>,
    pub portal: Portal,
    pub lang: Lang,
    pub auth: Auth,
    pub member_id: String,
    pub is_admin: bool,
}

impl PlacementContext {
    /// The `scope` to send on `landing.*` calls, guessed from the page URI.
    pub fn scope_hint(&self) -> Option<Scope> {
        self.uri.as_deref().and_then(scope_hint)
    }
}

/// Why the init data cannot be used. `Display` is English for logs and never holds tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextError {
    InvalidOptionsJson,
    MissingField(&'static str),
    InvalidId { field: &'static str, value: String },
    InvalidCode,
    NotBlockPlacement(String),
    InvalidDomain(String),
    InsecureProtocol(String),
    MissingAuth,
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContextError::InvalidOptionsJson => {
                write!(f, "PLACEMENT_OPTIONS is not a JSON object")
            }
            ContextError::MissingField(field) => write!(f, "missing field {field}"),
            ContextError::InvalidId { field, value } => {
                write!(f, "{field} is not a positive integer: {value:?}")
            }
            ContextError::InvalidCode => write!(f, "CODE is not a valid block code"),
            ContextError::NotBlockPlacement(p) => {
                write!(f, "placement {p:?} is not a LANDING_BLOCK_ placement")
            }
            ContextError::InvalidDomain(d) => write!(f, "invalid portal domain {d:?}"),
            ContextError::InsecureProtocol(d) => {
                write!(f, "portal {d:?} uses http; only https is allowed")
            }
            ContextError::MissingAuth => write!(f, "no access token (AUTH_ID)"),
        }
    }
}

impl std::error::Error for ContextError {}

/// Parses the `getInitData` answer. Checks run in this order: PLACEMENT, PLACEMENT_OPTIONS
/// (ID, LID, CODE), DOMAIN, PROTOCOL, AUTH_ID.
pub fn parse_init_data(
    data: &InitData,
    json: &impl NestedJson,
) -> Result<PlacementContext, ContextError> {
    let placement = match &data.placement {
        None | Some(Loose::Null) => return Err(ContextError::MissingField("PLACEMENT")),
        Some(Loose::Text(s)) => s.clone(),
        Some(other) => {
            return Err(ContextError::NotBlockPlacement(truncate_chars(
                &other.to_string(),
                MAX_ECHO_CHARS,
            )))
        }
    };
    if !is_block_placement(&placement) {
        return Err(ContextError::NotBlockPlacement(truncate_chars(
            &placement,
            MAX_ECHO_CHARS,
        )));
    }

    let options = placement_options(data.placement_options.as_ref(), json)?;
    let option = |key: &str| options.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let block_id = positive_id("ID", option("ID"))?;
    let page_id = positive_id("LID", option("LID"))?;
    let block_code = block_code(option("CODE"))?;
    let uri = option("URI").and_then(clean_uri);

    let portal = parse_portal(data)?;
    let auth = parse_refreshed_auth(data)?;

    let lang = lang_of(data);
    let member_id = data
        .member_id
        .as_ref()
        .and_then(scalar_string)
        .unwrap_or_default();
    let is_admin = data.is_admin.as_ref().is_some_and(truthy);

    Ok(PlacementContext {
        placement,
        block_id,
        block_code,
        page_id,
        uri,
        portal,
        lang,
        auth,
        member_id,
        is_admin,
    })
}

/// DOMAIN, PROTOCOL and PATH, validated before any token may be sent there.
fn parse_portal(data: &InitData) -> Result<Portal, ContextError> {
    let domain = match data.domain.as_ref().and_then(Loose::as_str) {
        None => return Err(ContextError::MissingField("DOMAIN")),
        Some(d) => d,
    };
    if !validate_host(domain) {
        return Err(ContextError::InvalidDomain(truncate_chars(
            domain,
            MAX_ECHO_CHARS,
        )));
    }
    let domain = domain.to_ascii_lowercase();
    let https = protocol_is_https(data.protocol.as_ref());
    if !https && !is_loopback_host(&domain) {
        return Err(ContextError::InsecureProtocol(domain));
    }
    let path = rest_path(data.path.as_ref());

    Ok(Portal {
        https,
        domain,
        path,
    })
}

/// The app's own page: opened from the application list or right after installation
/// (`PLACEMENT` is `DEFAULT` or absent).
#[derive(Clone, Debug, PartialEq)]
pub struct AppContext {
    pub portal: Portal,
    pub auth: Auth,
    pub lang: Lang,
    pub is_admin: bool,
    /// The portal is installing the app or opening it for the first time (`INSTALL` or
    /// `FIRST_RUN` set): bind and finish the installation.
    pub installing: bool,
    /// `APP_OPTIONS`: the application's settings as the portal passed them.
    pub options: AppOptions,
}

/// True when the init data is for the app's own page rather than a placement.
pub fn is_app_page(data: &InitData) -> bool {
    match &data.placement {
        None | Some(Loose::Null) => true,
        Some(Loose::Text(p)) => p.trim().eq_ignore_ascii_case("DEFAULT"),
        Some(_) => false,
    }
}

pub fn parse_app_context(data: &InitData) -> Result<AppContext, ContextError> {
    let portal = parse_portal(data)?;
    let auth = parse_refreshed_auth(data)?;
    Ok(AppContext {
        portal,
        auth,
        lang: lang_of(data),
        is_admin: data.is_admin.as_ref().is_some_and(truthy),
        installing: data.install.as_ref().is_some_and(truthy)
            || data.first_run.as_ref().is_some_and(truthy),
        options: data.app_options.clone().or_default(),
    })
}

/// `LANG`, English when missing or unknown.
pub fn lang_of(data: &InitData) -> Lang {
    data.lang
        .as_ref()
        .and_then(Loose::as_str)
        .map(Lang::from_code)
        .unwrap_or(Lang::En)
}

/// Parses `{AUTH_ID, AUTH_EXPIRES, REFRESH_ID}` (the `refreshAuth` answer; the same keys
/// sit in the `getInitData` answer). AUTH_EXPIRES that is missing, not a positive integer
/// or out of range falls back to one hour.
pub fn parse_refreshed_auth(data: &InitData) -> Result<Auth, ContextError> {
    let access_token = data
        .auth_id
        .as_ref()
        .and_then(Loose::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ContextError::MissingAuth)?
        .to_string();
    let refresh_token = data
        .refresh_id
        .as_ref()
        .and_then(Loose::as_str)
        .map(|t| t.trim().to_string())
        .unwrap_or_default();
    let expires_in_secs = data
        .auth_expires
        .as_ref()
        .and_then(positive_u64)
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(DEFAULT_EXPIRES_SECS);
    Ok(Auth {
        access_token,
        refresh_token,
        expires_in_secs,
    })
}

/// The `getInitData` (or `refreshAuth`) answer as it arrives: every field of any type, the
/// validation above decides. Read it through [`Obj`] so that a list is not taken for it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "SCREAMING_SNAKE_CASE")]
pub struct InitData {
    pub placement: Option<Loose>,
    /// An object, or (from the form POST) a JSON string of one.
    pub placement_options: Option<AnyShape<Loose>>,
    pub domain: Option<Loose>,
    pub protocol: Option<Loose>,
    pub path: Option<Loose>,
    pub lang: Option<Loose>,
    pub member_id: Option<Loose>,
    pub is_admin: Option<Loose>,
    pub install: Option<Loose>,
    pub first_run: Option<Loose>,
    pub app_options: Obj<AppOptions>,
    pub auth_id: Option<Loose>,
    pub refresh_id: Option<Loose>,
    pub auth_expires: Option<Loose>,
}

/// A plausible `host[:port]`: a dotted host name (labels of letters, digits and '-', 1–63
/// chars, not starting or ending with '-', at most 253 chars), `localhost`, or a dotted
/// IPv4 literal; port 1–65535. Anything carrying a scheme, path, userinfo, query or
/// whitespace fails.
pub fn validate_host(domain: &str) -> bool {
    split_host_port(domain).is_some()
}

/// True for the local emulator's hosts: `localhost` and `127.x.x.x`, with any port.
pub fn is_loopback_host(domain: &str) -> bool {
    match split_host_port(domain) {
        Some((host, _)) => {
            host.eq_ignore_ascii_case("localhost")
                || parse_ipv4(host).is_some_and(|octets| octets[0] == 127)
        }
        None => false,
    }
}

/// Origin string the way a browser's `MessageEvent.origin` spells it: lower-case host and
/// no default port (443 for https, 80 for http), so it can be compared with `==`.
pub fn serialize_origin(https: bool, domain: &str) -> String {
    let domain = domain.to_ascii_lowercase();
    let default_port = if https { ":443" } else { ":80" };
    let host = domain.strip_suffix(default_port).unwrap_or(&domain);
    format!("{}://{}", scheme(https), host)
}

/// Guesses the `scope` a page needs from its URI. Heuristics, from the portal's public URL
/// layout (path segments compared case-insensitively, query and fragment ignored):
/// - `/workgroups/group/<n>/...` → `Group` (a group's knowledge base lives under the group,
///   so this is checked first);
/// - a `kb` or `knowledge` segment → `Knowledge` (knowledge bases);
/// - a `mainpage` or `vibe` segment → `Mainpage` (the company's main page, "Vibe");
/// - anything else (ordinary sites and stores) → `None`.
pub fn scope_hint(uri: &str) -> Option<Scope> {
    let without_tail = uri.split(['?', '#']).next().unwrap_or("");
    // An absolute URL: skip "scheme://host" so the host cannot look like a segment.
    let path = match without_tail.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => without_tail,
    };
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let is_group = segments.windows(3).any(|w| {
        w[0] == "workgroups" && w[1] == "group" && !w[2].is_empty() && is_ascii_digits(&w[2])
    });
    if is_group {
        return Some(Scope::Group);
    }
    if segments.iter().any(|s| s == "kb" || s == "knowledge") {
        return Some(Scope::Knowledge);
    }
    if segments.iter().any(|s| s == "mainpage" || s == "vibe") {
        return Some(Scope::Mainpage);
    }
    None
}

fn scheme(https: bool) -> &'static str {
    if https {
        "https"
    } else {
        "http"
    }
}

/// `LANDING_BLOCK_<something>`, compared case-insensitively (the portal may send the suffix
/// in either case). The suffix must be `*` or a code without whitespace.
fn is_block_placement(placement: &str) -> bool {
    const PREFIX: &str = "LANDING_BLOCK_";
    let Some(head) = placement.get(..PREFIX.len()) else {
        return false;
    };
    if !head.eq_ignore_ascii_case(PREFIX) {
        return false;
    }
    let suffix = &placement[PREFIX.len()..];
    !suffix.is_empty()
        && suffix.chars().count() <= MAX_CODE_CHARS
        && suffix
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control())
}

/// PLACEMENT_OPTIONS as an object's entries: the frame sends an object, the POST a JSON string.
fn placement_options(
    value: Option<&AnyShape<Loose>>,
    json: &impl NestedJson,
) -> Result<Vec<(String, Loose)>, ContextError> {
    match value {
        None | Some(AnyShape::Scalar(Loose::Null)) => {
            Err(ContextError::MissingField("PLACEMENT_OPTIONS"))
        }
        Some(AnyShape::Map(entries)) => Ok(entries.clone()),
        Some(AnyShape::Scalar(Loose::Text(s))) if s.trim().is_empty() => {
            Err(ContextError::MissingField("PLACEMENT_OPTIONS"))
        }
        Some(AnyShape::Scalar(Loose::Text(s))) => match json.read::<AnyShape<Loose>>(s) {
            Some(AnyShape::Map(entries)) => Ok(entries),
            _ => Err(ContextError::InvalidOptionsJson),
        },
        Some(_) => Err(ContextError::InvalidOptionsJson),
    }
}

/// A positive integer as a JSON number or a string of ASCII digits (no sign, no spaces).
fn positive_u64(value: &Loose) -> Option<u64> {
    match value {
        Loose::Unsigned(n) => Some(*n).filter(|&n| n > 0),
        Loose::Text(s) if !s.is_empty() && is_ascii_digits(s) => {
            s.parse::<u64>().ok().filter(|&n| n > 0)
        }
        _ => None,
    }
}

fn positive_id(field: &'static str, value: Option<&Loose>) -> Result<u64, ContextError> {
    let value = match value {
        None | Some(Loose::Null) => return Err(ContextError::MissingField(field)),
        Some(v) => v,
    };
    positive_u64(value).ok_or_else(|| ContextError::InvalidId {
        field,
        value: truncate_chars(
            &match value {
                Loose::Text(s) => s.clone(),
                other => other.to_string(),
            },
            MAX_ECHO_CHARS,
        ),
    })
}

fn block_code(value: Option<&Loose>) -> Result<String, ContextError> {
    let code = match value {
        None | Some(Loose::Null) => return Err(ContextError::MissingField("CODE")),
        Some(Loose::Text(s)) => s.trim(),
        Some(_) => return Err(ContextError::InvalidCode),
    };
    let valid = !code.is_empty()
        && code.chars().count() <= MAX_CODE_CHARS
        && code.chars().all(|c| !c.is_whitespace() && !c.is_control());
    if valid {
        Ok(code.to_string())
    } else {
        Err(ContextError::InvalidCode)
    }
}

/// URI is only a hint: keep it when it is a short, printable string, drop it otherwise.
fn clean_uri(value: &Loose) -> Option<String> {
    let uri = value.as_str()?.trim();
    let ok = !uri.is_empty()
        && uri.chars().count() <= MAX_URI_CHARS
        && !uri.chars().any(char::is_control);
    ok.then(|| uri.to_string())
}

/// 1/"1" → https, 0/"0" → http. Missing or anything else → https: the safe side.
fn protocol_is_https(value: Option<&Loose>) -> bool {
    !matches!(value, Some(v) if v.as_u64() == Some(0) || v.as_str().map(str::trim) == Some("0"))
}

/// PATH must be a plain absolute path; anything odd falls back to `/rest`.
fn rest_path(value: Option<&Loose>) -> String {
    let Some(path) = value.and_then(Loose::as_str) else {
        return DEFAULT_REST_PATH.to_string();
    };
    let plain = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains("..")
        && !path.contains(['?', '#', '\\', '%', '@'])
        && !path.chars().any(|c| c.is_whitespace() || c.is_control());
    let trimmed = path.trim_end_matches('/');
    if plain && !trimmed.is_empty() {
        trimmed.to_string()
    } else {
        DEFAULT_REST_PATH.to_string()
    }
}

/// Y/N, true/false, 1/0 (as numbers or strings); anything else is false.
fn truthy(value: &Loose) -> bool {
    match value {
        Loose::Bool(b) => *b,
        Loose::Unsigned(n) => *n == 1,
        Loose::Text(s) => {
            let s = s.trim();
            s.eq_ignore_ascii_case("y") || s == "1" || s.eq_ignore_ascii_case("true")
        }
        _ => false,
    }
}

fn scalar_string(value: &Loose) -> Option<String> {
    match value {
        Loose::Text(s) => Some(s.trim().to_string()),
        n if n.is_number() => Some(n.to_string()),
        _ => None,
    }
}

fn is_ascii_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Splits `host[:port]` and validates both parts.
fn split_host_port(domain: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = match domain.rsplit_once(':') {
        Some((host, port)) => (host, Some(parse_port(port)?)),
        None => (domain, None),
    };
    valid_host_name(host).then_some((host, port))
}

/// 1–65535, plain digits, no sign and no leading zero (browsers would rewrite it).
fn parse_port(port: &str) -> Option<u16> {
    if port.is_empty() || port.len() > 5 || !is_ascii_digits(port) || port.starts_with('0') {
        return None;
    }
    port.parse::<u16>().ok().filter(|&p| p > 0)
}

fn valid_host_name(host: &str) -> bool {
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    if host.eq_ignore_ascii_case("localhost") || parse_ipv4(host).is_some() {
        return true;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let labels_ok = labels.iter().all(|label| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    });
    // A browser parses a host whose last label is numeric (or 0x-hex) as IPv4; such a
    // host that is not a valid dotted quad is not a real name.
    // Compared as bytes: the label may hold non-ASCII text, where a `str` slice could
    // cut a character in two (and panic).
    let last = labels.last().copied().unwrap_or("").as_bytes();
    let last_numeric = last.iter().all(u8::is_ascii_digit)
        || (last.len() > 1
            && last[..2].eq_ignore_ascii_case(b"0x")
            && last[2..].iter().all(u8::is_ascii_hexdigit));
    labels_ok && !last_numeric
}

/// Strict dotted quad: four decimal octets 0–255 without leading zeros (browsers read
/// `010` as octal, so those are refused rather than guessed).
fn parse_ipv4(host: &str) -> Option<[u8; 4]> {
    let mut octets = [0u8; 4];
    let mut parts = host.split('.');
    for octet in octets.iter_mut() {
        let part = parts.next()?;
        if part.is_empty()
            || part.len() > 3
            || !is_ascii_digits(part)
            || (part.len() > 1 && part.starts_with('0'))
        {
            return None;
        }
        *octet = part.parse::<u8>().ok()?;
    }
    parts.next().is_none().then_some(octets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A JSON number written as `text`.
    fn number(text: &str) -> Value {
        serde_json::from_str(text).expect("a JSON number")
    }

    // The checks on JSON as it arrives (through serde_json here, the browser in the wasm).
    fn init_data(value: &Value) -> InitData {
        serde_json::from_value::<Obj<InitData>>(value.clone())
            .map(Obj::or_default)
            .unwrap_or_default()
    }

    fn parse_init_data(value: &Value) -> Result<PlacementContext, ContextError> {
        super::parse_init_data(&init_data(value), &crate::client::Json)
    }

    fn parse_app_context(value: &Value) -> Result<AppContext, ContextError> {
        super::parse_app_context(&init_data(value))
    }

    fn parse_refreshed_auth(value: &Value) -> Result<Auth, ContextError> {
        super::parse_refreshed_auth(&init_data(value))
    }

    fn is_app_page(value: &Value) -> bool {
        super::is_app_page(&init_data(value))
    }

    fn init() -> Value {
        json!({
            "LANG": "de",
            "DOMAIN": "acme.bitrix24.com",
            "PROTOCOL": 1,
            "PATH": "/rest",
            "AUTH_ID": "tok-access-123",
            "AUTH_EXPIRES": 3600,
            "REFRESH_ID": "tok-refresh-456",
            "MEMBER_ID": "a1b2c3",
            "FIRST_RUN": false,
            "IS_ADMIN": true,
            "INSTALL": false,
            "PLACEMENT": "LANDING_BLOCK_*",
            "PLACEMENT_OPTIONS": {
                "ID": "996",
                "CODE": "43.4.cover_with_price_text_button_bgimg",
                "LID": "30",
                "URI": "/sites/site/5/view/30/"
            }
        })
    }

    fn with(key: &str, value: Value) -> Value {
        let mut data = init();
        data[key] = value;
        data
    }

    fn with_option(key: &str, value: Value) -> Value {
        let mut data = init();
        data["PLACEMENT_OPTIONS"][key] = value;
        data
    }

    fn without(key: &str) -> Value {
        let mut data = init();
        if let Some(obj) = data.as_object_mut() {
            obj.remove(key);
        }
        data
    }

    fn without_option(key: &str) -> Value {
        let mut data = init();
        if let Some(obj) = data["PLACEMENT_OPTIONS"].as_object_mut() {
            obj.remove(key);
        }
        data
    }

    #[test]
    fn the_app_page_is_recognised_and_parsed_with_the_same_portal_checks() {
        let mut data = with("PLACEMENT", json!("DEFAULT"));
        data["INSTALL"] = json!("Y");
        assert!(is_app_page(&data));
        assert!(is_app_page(&without("PLACEMENT")));
        assert!(!is_app_page(&init()));
        let app = parse_app_context(&data).expect("app context");
        assert!(app.installing && app.is_admin);
        assert_eq!(app.lang, Lang::De);
        assert_eq!(app.portal.domain, "acme.bitrix24.com");
        assert_eq!(app.auth.access_token, "tok-access-123");

        let mut first_run = with("PLACEMENT", json!("DEFAULT"));
        first_run["FIRST_RUN"] = json!(true);
        first_run["APP_OPTIONS"] = json!({"bindings": "[]"});
        let app = parse_app_context(&first_run).expect("app context");
        assert!(app.installing, "FIRST_RUN alone is an installation too");
        assert_eq!(
            app.options,
            AppOptions {
                bindings: Some(AnyShape::Scalar(Loose::Text("[]".into())))
            }
        );
        let plain = parse_app_context(&with("PLACEMENT", json!("DEFAULT"))).expect("app");
        assert!(!plain.installing);

        let mut bad = data.clone();
        bad["DOMAIN"] = json!("evil.com/steal");
        assert!(matches!(
            parse_app_context(&bad),
            Err(ContextError::InvalidDomain(_))
        ));
        let mut http = data.clone();
        http["PROTOCOL"] = json!(0);
        assert!(matches!(
            parse_app_context(&http),
            Err(ContextError::InsecureProtocol(_))
        ));
        let mut no_auth = data;
        no_auth["AUTH_ID"] = json!("");
        assert_eq!(parse_app_context(&no_auth), Err(ContextError::MissingAuth));
    }

    fn parse_ok(data: &Value) -> PlacementContext {
        match parse_init_data(data) {
            Ok(ctx) => ctx,
            Err(e) => panic!("expected Ok, got {e:?}"),
        }
    }

    #[test]
    fn parses_a_full_frame_answer() {
        let ctx = parse_ok(&init());
        assert_eq!(ctx.placement, "LANDING_BLOCK_*");
        assert_eq!(ctx.block_id, 996);
        assert_eq!(ctx.page_id, 30);
        assert_eq!(ctx.block_code, "43.4.cover_with_price_text_button_bgimg");
        assert_eq!(ctx.uri.as_deref(), Some("/sites/site/5/view/30/"));
        assert_eq!(
            ctx.portal,
            Portal {
                https: true,
                domain: "acme.bitrix24.com".into(),
                path: "/rest".into()
            }
        );
        assert_eq!(ctx.lang, Lang::De);
        assert_eq!(ctx.auth.access_token, "tok-access-123");
        assert_eq!(ctx.auth.refresh_token, "tok-refresh-456");
        assert_eq!(ctx.auth.expires_in_secs, 3600);
        assert_eq!(ctx.member_id, "a1b2c3");
        assert!(ctx.is_admin);
        assert_eq!(ctx.scope_hint(), None);
    }

    #[test]
    fn parses_post_style_strings() {
        // The POST variant: everything a string, options a JSON string, URI missing.
        let data = json!({
            "DOMAIN": "Acme.Bitrix24.COM",
            "PROTOCOL": "1",
            "AUTH_ID": "t",
            "AUTH_EXPIRES": "1800",
            "REFRESH_ID": "",
            "MEMBER_ID": 42,
            "IS_ADMIN": "N",
            "PLACEMENT": "landing_block_repo_12",
            "PLACEMENT_OPTIONS": "{\"ID\":\"7\",\"CODE\":\"repo_12\",\"LID\":\"3\"}"
        });
        let ctx = parse_ok(&data);
        assert_eq!(ctx.block_id, 7);
        assert_eq!(ctx.page_id, 3);
        assert_eq!(ctx.block_code, "repo_12");
        assert_eq!(ctx.uri, None);
        assert_eq!(ctx.portal.domain, "acme.bitrix24.com");
        assert_eq!(ctx.portal.path, "/rest");
        assert_eq!(ctx.auth.expires_in_secs, 1800);
        assert_eq!(ctx.auth.refresh_token, "");
        assert_eq!(ctx.member_id, "42");
        assert!(!ctx.is_admin);
        assert_eq!(ctx.lang, Lang::En);
    }

    #[test]
    fn ids_as_numbers_are_accepted() {
        let mut data = init();
        data["PLACEMENT_OPTIONS"] = json!({"ID": 5, "LID": 9, "CODE": "01.big_title"});
        let ctx = parse_ok(&data);
        assert_eq!((ctx.block_id, ctx.page_id), (5, 9));
    }

    #[test]
    fn max_u64_id_is_accepted() {
        let ctx = parse_ok(&with_option("ID", json!("18446744073709551615")));
        assert_eq!(ctx.block_id, u64::MAX);
    }

    #[test]
    fn placement_is_case_insensitive() {
        for p in [
            "LANDING_BLOCK_*",
            "landing_block_*",
            "Landing_Block_REPO_5",
            "LANDING_BLOCK_43.4.COVER",
        ] {
            assert_eq!(parse_ok(&with("PLACEMENT", json!(p))).placement, p);
        }
    }

    #[test]
    fn rejects_other_placements() {
        for p in [
            "CRM_DEAL_DETAIL_TAB",
            "LANDING_BLOCK_",
            "LANDING_BLOCK",
            "LANDING_SETTINGS_MENU",
            "XLANDING_BLOCK_*",
            " LANDING_BLOCK_*",
            "LANDING_BLOCK_a b",
            "",
            "LANDING_BLOCÉ_*",
        ] {
            assert_eq!(
                parse_init_data(&with("PLACEMENT", json!(p))),
                Err(ContextError::NotBlockPlacement(p.to_string())),
                "{p}"
            );
        }
    }

    #[test]
    fn non_string_placement_is_rejected() {
        assert_eq!(
            parse_init_data(&with("PLACEMENT", json!(5))),
            Err(ContextError::NotBlockPlacement("5".into()))
        );
    }

    #[test]
    fn long_placement_is_truncated_in_the_error() {
        let long = "X".repeat(500);
        match parse_init_data(&with("PLACEMENT", json!(long))) {
            Err(ContextError::NotBlockPlacement(p)) => assert_eq!(p.chars().count(), 100),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_placement() {
        assert_eq!(
            parse_init_data(&without("PLACEMENT")),
            Err(ContextError::MissingField("PLACEMENT"))
        );
        assert_eq!(
            parse_init_data(&json!([])),
            Err(ContextError::MissingField("PLACEMENT"))
        );
        assert_eq!(
            parse_init_data(&Value::Null),
            Err(ContextError::MissingField("PLACEMENT"))
        );
    }

    #[test]
    fn placement_options_errors() {
        assert_eq!(
            parse_init_data(&without("PLACEMENT_OPTIONS")),
            Err(ContextError::MissingField("PLACEMENT_OPTIONS"))
        );
        assert_eq!(
            parse_init_data(&with("PLACEMENT_OPTIONS", json!(""))),
            Err(ContextError::MissingField("PLACEMENT_OPTIONS"))
        );
        for bad in [
            json!("{not json"),
            json!("[1,2]"),
            json!("\"str\""),
            json!(12),
            json!([]),
            json!(true),
        ] {
            assert_eq!(
                parse_init_data(&with("PLACEMENT_OPTIONS", bad.clone())),
                Err(ContextError::InvalidOptionsJson),
                "{bad}"
            );
        }
    }

    #[test]
    fn missing_ids_and_code() {
        assert_eq!(
            parse_init_data(&without_option("ID")),
            Err(ContextError::MissingField("ID"))
        );
        assert_eq!(
            parse_init_data(&without_option("LID")),
            Err(ContextError::MissingField("LID"))
        );
        assert_eq!(
            parse_init_data(&with_option("LID", Value::Null)),
            Err(ContextError::MissingField("LID"))
        );
        assert_eq!(
            parse_init_data(&without_option("CODE")),
            Err(ContextError::MissingField("CODE"))
        );
    }

    #[test]
    fn rejects_bad_ids() {
        let cases: [(Value, &str); 13] = [
            (json!("0"), "0"),
            (json!(0), "0"),
            (json!(-3), "-3"),
            (json!("-3"), "-3"),
            (number("1.5"), "1.5"),
            (number("12.0"), "12.0"),
            (json!("12abc"), "12abc"),
            (json!(""), ""),
            (json!("+12"), "+12"),
            (json!(" 12"), " 12"),
            (json!("18446744073709551616"), "18446744073709551616"),
            (json!(true), "true"),
            (json!({"a": 1}), "{\"a\":1}"),
        ];
        for (value, shown) in cases {
            assert_eq!(
                parse_init_data(&with_option("ID", value.clone())),
                Err(ContextError::InvalidId {
                    field: "ID",
                    value: shown.to_string()
                }),
                "{value}"
            );
        }
        assert_eq!(
            parse_init_data(&with_option("LID", json!("x"))),
            Err(ContextError::InvalidId {
                field: "LID",
                value: "x".into()
            })
        );
        // An integer too big for u64 is rejected too.
        let huge = number("100000000000000000000000000000");
        assert!(matches!(
            parse_init_data(&with_option("ID", huge)),
            Err(ContextError::InvalidId { field: "ID", .. })
        ));
    }

    #[test]
    fn code_rules() {
        assert_eq!(
            parse_ok(&with_option("CODE", json!("  repo_5  "))).block_code,
            "repo_5"
        );
        let max = "c".repeat(255);
        assert_eq!(parse_ok(&with_option("CODE", json!(max))).block_code, max);
        for bad in [
            json!(""),
            json!("   "),
            json!("a b"),
            json!("a\tb"),
            json!("a\u{0}b"),
            json!("a\u{7f}"),
            json!("c".repeat(256)),
            json!(12),
            json!(["x"]),
        ] {
            assert_eq!(
                parse_init_data(&with_option("CODE", bad.clone())),
                Err(ContextError::InvalidCode),
                "{bad}"
            );
        }
    }

    #[test]
    fn uri_is_optional_and_cleaned() {
        assert_eq!(parse_ok(&with_option("URI", json!(""))).uri, None);
        assert_eq!(parse_ok(&with_option("URI", json!(5))).uri, None);
        assert_eq!(parse_ok(&with_option("URI", json!("/a\nb"))).uri, None);
        assert_eq!(
            parse_ok(&with_option("URI", json!(" /kb/wiki/1/ ")))
                .uri
                .as_deref(),
            Some("/kb/wiki/1/")
        );
        let ctx = parse_ok(&with_option("URI", json!("/kb/wiki/view/3/")));
        assert_eq!(ctx.scope_hint(), Some(Scope::Knowledge));
    }

    #[test]
    fn domain_errors() {
        assert_eq!(
            parse_init_data(&without("DOMAIN")),
            Err(ContextError::MissingField("DOMAIN"))
        );
        assert_eq!(
            parse_init_data(&with("DOMAIN", json!(5))),
            Err(ContextError::MissingField("DOMAIN"))
        );
        for bad in [
            "https://acme.bitrix24.com",
            "acme.bitrix24.com/rest",
            "user@acme.bitrix24.com",
            "acme",
            "",
        ] {
            assert_eq!(
                parse_init_data(&with("DOMAIN", json!(bad))),
                Err(ContextError::InvalidDomain(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn protocol_rules() {
        // Missing or odd → https.
        assert!(parse_ok(&without("PROTOCOL")).portal.https);
        assert!(parse_ok(&with("PROTOCOL", json!("1"))).portal.https);
        assert!(parse_ok(&with("PROTOCOL", json!("yes"))).portal.https);
        // http for a real host is refused.
        assert_eq!(
            parse_init_data(&with("PROTOCOL", json!(0))),
            Err(ContextError::InsecureProtocol("acme.bitrix24.com".into()))
        );
        assert_eq!(
            parse_init_data(&with("PROTOCOL", json!("0"))),
            Err(ContextError::InsecureProtocol("acme.bitrix24.com".into()))
        );
        // http is fine for the local emulator.
        for host in ["localhost:8080", "LOCALHOST", "127.0.0.1:3000", "127.1.2.3"] {
            let mut data = with("PROTOCOL", json!(0));
            data["DOMAIN"] = json!(host);
            let ctx = parse_ok(&data);
            assert!(!ctx.portal.https);
            assert_eq!(ctx.portal.domain, host.to_ascii_lowercase());
        }
        let mut data = with("PROTOCOL", json!("0"));
        data["DOMAIN"] = json!("128.0.0.1");
        assert_eq!(
            parse_init_data(&data),
            Err(ContextError::InsecureProtocol("128.0.0.1".into()))
        );
        data["DOMAIN"] = json!("localhost.evil.com");
        assert!(matches!(
            parse_init_data(&data),
            Err(ContextError::InsecureProtocol(_))
        ));
    }

    #[test]
    fn path_rules() {
        let path_of = |p: Value| parse_ok(&with("PATH", p)).portal.path;
        assert_eq!(path_of(json!("/rest")), "/rest");
        assert_eq!(path_of(json!("/rest/")), "/rest");
        assert_eq!(path_of(json!("/sub/rest")), "/sub/rest");
        for bad in [
            json!("rest"),
            json!("/../rest"),
            json!("/rest?x=1"),
            json!("/rest#f"),
            json!("//evil.com/rest"),
            json!("/"),
            json!(""),
            json!("/re st"),
            json!("/rest\\x"),
            json!(7),
        ] {
            assert_eq!(path_of(bad.clone()), "/rest", "{bad}");
        }
        assert_eq!(parse_ok(&without("PATH")).portal.path, "/rest");
    }

    #[test]
    fn auth_rules() {
        assert_eq!(
            parse_init_data(&without("AUTH_ID")),
            Err(ContextError::MissingAuth)
        );
        assert_eq!(
            parse_init_data(&with("AUTH_ID", json!(""))),
            Err(ContextError::MissingAuth)
        );
        assert_eq!(
            parse_init_data(&with("AUTH_ID", json!("  "))),
            Err(ContextError::MissingAuth)
        );
        assert_eq!(
            parse_init_data(&with("AUTH_ID", json!(123))),
            Err(ContextError::MissingAuth)
        );
        for bad in [
            json!("abc"),
            json!(0),
            json!(-5),
            number("1.5"),
            json!("99999999999"),
        ] {
            assert_eq!(
                parse_ok(&with("AUTH_EXPIRES", bad.clone()))
                    .auth
                    .expires_in_secs,
                3600,
                "{bad}"
            );
        }
        assert_eq!(
            parse_ok(&without("AUTH_EXPIRES")).auth.expires_in_secs,
            3600
        );
        assert_eq!(parse_ok(&without("REFRESH_ID")).auth.refresh_token, "");
    }

    #[test]
    fn is_admin_variants() {
        for (v, expected) in [
            (json!("Y"), true),
            (json!("y"), true),
            (json!(true), true),
            (json!(1), true),
            (json!("1"), true),
            (json!("N"), false),
            (json!(false), false),
            (json!(0), false),
            (json!("0"), false),
            (json!("maybe"), false),
            (Value::Null, false),
        ] {
            assert_eq!(
                parse_ok(&with("IS_ADMIN", v.clone())).is_admin,
                expected,
                "{v}"
            );
        }
        assert!(!parse_ok(&without("IS_ADMIN")).is_admin);
    }

    #[test]
    fn lang_codes() {
        assert_eq!(parse_ok(&with("LANG", json!("ru"))).lang, Lang::Ru);
        assert_eq!(parse_ok(&with("LANG", json!("la"))).lang, Lang::La);
        assert_eq!(parse_ok(&with("LANG", json!("xx"))).lang, Lang::En);
        assert_eq!(parse_ok(&with("LANG", json!(3))).lang, Lang::En);
        assert_eq!(parse_ok(&without("LANG")).lang, Lang::En);
    }

    #[test]
    fn refreshed_auth() {
        let auth = parse_refreshed_auth(&json!({
            "AUTH_ID": "new-access", "AUTH_EXPIRES": "3600", "REFRESH_ID": "new-refresh"
        }));
        assert_eq!(
            auth,
            Ok(Auth {
                access_token: "new-access".into(),
                refresh_token: "new-refresh".into(),
                expires_in_secs: 3600
            })
        );
        assert_eq!(
            parse_refreshed_auth(&json!({"AUTH_EXPIRES": 3600})),
            Err(ContextError::MissingAuth)
        );
        assert_eq!(
            parse_refreshed_auth(&json!("AUTH_ID")),
            Err(ContextError::MissingAuth)
        );
        assert_eq!(
            parse_refreshed_auth(&Value::Null),
            Err(ContextError::MissingAuth)
        );
    }

    #[test]
    fn debug_and_display_never_show_tokens() {
        let ctx = parse_ok(&init());
        let debug = format!("{ctx:?}");
        assert!(!debug.contains("tok-access-123"), "{debug}");
        assert!(!debug.contains("tok-refresh-456"), "{debug}");
        assert!(debug.contains("<redacted>"));
        assert_eq!(
            format!("{:?}", ctx.auth),
            "Auth { access_token: <redacted>, refresh_token: <redacted>, expires_in_secs: 3600 }"
        );
        let empty_refresh = Auth {
            access_token: "x".into(),
            refresh_token: String::new(),
            expires_in_secs: 1,
        };
        assert!(format!("{empty_refresh:?}").contains("refresh_token: <empty>"));
    }

    #[test]
    fn error_display() {
        assert_eq!(
            ContextError::MissingField("DOMAIN").to_string(),
            "missing field DOMAIN"
        );
        assert_eq!(
            ContextError::InvalidId {
                field: "ID",
                value: "x".into()
            }
            .to_string(),
            "ID is not a positive integer: \"x\""
        );
        assert_eq!(
            ContextError::InsecureProtocol("a.com".into()).to_string(),
            "portal \"a.com\" uses http; only https is allowed"
        );
        for e in [
            ContextError::InvalidOptionsJson,
            ContextError::InvalidCode,
            ContextError::NotBlockPlacement("X".into()),
            ContextError::InvalidDomain("d".into()),
            ContextError::MissingAuth,
        ] {
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn portal_urls() {
        let portal = Portal {
            https: true,
            domain: "acme.bitrix24.com".into(),
            path: "/rest".into(),
        };
        assert_eq!(
            portal.method_url("landing.block.getcontent"),
            "https://acme.bitrix24.com/rest/landing.block.getcontent.json"
        );
        assert_eq!(portal.origin(), "https://acme.bitrix24.com");
        let local = Portal {
            https: false,
            domain: "localhost:8080".into(),
            path: "/rest".into(),
        };
        assert_eq!(
            local.method_url("batch"),
            "http://localhost:8080/rest/batch.json"
        );
        assert_eq!(local.origin(), "http://localhost:8080");
    }

    #[test]
    fn origin_drops_default_ports() {
        assert_eq!(serialize_origin(true, "a.com:443"), "https://a.com");
        assert_eq!(serialize_origin(true, "a.com:8443"), "https://a.com:8443");
        assert_eq!(serialize_origin(false, "localhost:80"), "http://localhost");
        assert_eq!(
            serialize_origin(false, "localhost:443"),
            "http://localhost:443"
        );
        assert_eq!(serialize_origin(true, "A.COM"), "https://a.com");
    }

    #[test]
    fn valid_hosts() {
        for host in [
            "acme.bitrix24.com",
            "ACME.Bitrix24.de",
            "my-portal.bitrix24.ru:443",
            "localhost",
            "localhost:8080",
            "127.0.0.1",
            "10.0.0.255:65535",
            "xn--80ak6aa92e.com",
            "a.b",
            "b24-abc123.bitrix24.site:1",
            &format!("{}.com", "a".repeat(63)),
        ] {
            assert!(validate_host(host), "{host}");
        }
        // 253 chars total is the limit.
        let label = "a".repeat(62);
        let long = format!("{label}.{label}.{label}.{label}.com");
        assert!(long.len() > 253);
        assert!(!validate_host(&long));
    }

    #[test]
    fn invalid_hosts() {
        for host in [
            "",
            "acme",
            "https://acme.com",
            "acme.com/path",
            "acme.com?x=1",
            "acme.com#f",
            "user@acme.com",
            "user:pw@acme.com",
            "acme .com",
            " acme.com",
            "acme.com ",
            "-acme.com",
            "acme-.com",
            "acme..com",
            ".acme.com",
            "acme.com.",
            "ac_me.com",
            "acmé.com",
            "acme.com:",
            "acme.com:0",
            "acme.com:65536",
            "acme.com:+80",
            "acme.com:080",
            "acme.com:8o",
            "acme.com:80:80",
            "[::1]",
            "::1",
            "256.0.0.1",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "127.1",
            "foo.0x7f",
            "foo.123",
            // Found by the property tests: a last label starting with a multi-byte
            // character made the 0x-check slice inside it and panic.
            ".日本語",
            "a.é",
            "portal.日x",
            "evil.com|1|sid",
            "evil.com\\x",
            &format!("{}.com", "a".repeat(64)),
        ] {
            assert!(!validate_host(host), "{host}");
        }
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback_host("localhost"));
        assert!(is_loopback_host("localhost:3000"));
        assert!(is_loopback_host("127.0.0.1"));
        assert!(is_loopback_host("127.255.0.9:80"));
        assert!(!is_loopback_host("127.0.0.1.nip.io"));
        assert!(!is_loopback_host("localhost.com"));
        assert!(!is_loopback_host("10.0.0.1"));
        assert!(!is_loopback_host("http://localhost"));
    }

    #[test]
    fn scope_hints() {
        let cases: [(&str, Option<Scope>); 14] = [
            ("/kb/wiki/view/12/", Some(Scope::Knowledge)),
            ("/knowledge/group/", Some(Scope::Knowledge)),
            ("/KB/wiki/", Some(Scope::Knowledge)),
            ("/workgroups/group/12/kb/", Some(Scope::Group)),
            ("/workgroups/group/7/landing/view/3/", Some(Scope::Group)),
            ("/mainpage/", Some(Scope::Mainpage)),
            ("/vibe/edit/", Some(Scope::Mainpage)),
            (
                "https://acme.bitrix24.com/kb/x/?a=1",
                Some(Scope::Knowledge),
            ),
            ("/sites/site/5/view/30/", None),
            ("/shop/stores/site/5/", None),
            ("/workgroups/group/abc/", None),
            ("/kbase/x/", None),
            ("/sites/?back=/kb/", None),
            ("https://kb.example.com/sites/", None),
        ];
        for (uri, expected) in cases {
            assert_eq!(scope_hint(uri), expected, "{uri}");
        }
        assert_eq!(scope_hint(""), None);
        assert_eq!(Scope::Knowledge.as_str(), "KNOWLEDGE");
        assert_eq!(Scope::Group.as_str(), "GROUP");
        assert_eq!(Scope::Mainpage.as_str(), "MAINPAGE");
    }
}
