//! Property tests (proptest): every parser of outside input in the core takes arbitrary
//! input without panicking, and what it accepts keeps its promises.
//!
//! Inputs come from two kinds of generators:
//! - structured near-valid ones: the real shapes (init data, frame messages, REST envelopes,
//!   batch answers, manifests, DOM matches) with each value drawn from valid values, wrong
//!   types, huge numbers, unicode, markup and nested JSON;
//! - raw ones: arbitrary strings, JSON-ish token soup, deep nesting and truncated JSON.
//!
//! Each property runs [`cases`] cases (default 2000, `LBE_PROPTEST_CASES` overrides) and
//! prints its count; `cargo test -p landing-block-editor --lib properties -- --nocapture`
//! shows them.

use std::cell::Cell;
use std::fmt::Debug;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use serde_json::{Number, Value};

use super::context::{is_loopback_host, scope_hint, serialize_origin, validate_host};
use super::form::{percent_encode, to_query};
use super::loose::Obj;
use super::manifest::{BlockContent, Manifest, NodeKind};
use super::model::{
    background_image, blocked_count, build_form, changed_count, decode_entities, embed_from_url,
    icon_class_list, is_changed, is_unsafe_url, label_text, srcset_2x, tidy_html_text, vimeo_id,
    youtube_id, BlockForm, CardRef, Extracted, Field, FieldValue, GroupKind, RawMatch,
};
use super::protocol::{parse_window_name, CallbackIds, ParsedCommand};
use super::rest::{batch_params, BatchCommand, RestError};
use crate::answer::{parse_batch, parse_envelope};
use crate::client::request_body;
use crate::test_form::body_value;

type Map = serde_json::Map<String, Value>;

// The readers of outside input on the serde path: JSON text and values go through serde_json
// here as they go through the browser's JSON.parse and serde-wasm-bindgen in the wasm.

mod json {
    pub fn parse(text: &str) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(text)
    }
}

fn init_data_of(value: &Value) -> super::context::InitData {
    serde_json::from_value::<Obj<_>>(value.clone())
        .map(Obj::or_default)
        .unwrap_or_default()
}

fn parse_init_data(
    value: &Value,
) -> Result<super::context::PlacementContext, super::context::ContextError> {
    super::context::parse_init_data(&init_data_of(value), &crate::client::Json)
}

fn parse_app_context(
    value: &Value,
) -> Result<super::context::AppContext, super::context::ContextError> {
    super::context::parse_app_context(&init_data_of(value))
}

fn parse_refreshed_auth(
    value: &Value,
) -> Result<super::context::Auth, super::context::ContextError> {
    super::context::parse_refreshed_auth(&init_data_of(value))
}

fn is_app_page(value: &Value) -> bool {
    super::context::is_app_page(&init_data_of(value))
}

fn format_command(
    command: &str,
    params: Option<&Value>,
    callback: Option<&str>,
    app_sid: &str,
) -> String {
    let params = params.map(Value::to_string);
    super::protocol::format_command(command, params.as_deref(), callback, app_sid)
}

fn parse_command(msg: &str) -> Option<ParsedCommand<Value>> {
    super::protocol::parse_command(msg, |text| serde_json::from_str(text).ok())
}

fn parse_reply(data: &str) -> Option<(String, Option<Value>)> {
    super::protocol::parse_reply(data, |text| serde_json::from_str(text).ok())
}

fn encode_query(params: &Value) -> String {
    to_query(params).unwrap_or_default()
}

fn node_payload(field: &Field, value: &FieldValue) -> Option<Value> {
    super::model::node_payload(field, value).map(|p| serde_json::to_value(p).unwrap_or_default())
}

fn updatenodes_data(form: &BlockForm, current: &[FieldValue]) -> Map {
    match serde_json::to_value(super::model::updatenodes_data(form, current)) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

mod draft {
    pub use crate::core::draft::*;

    pub fn parse(text: &str) -> Option<Draft> {
        serde_json::from_str(text).ok()
    }

    pub fn to_text(draft: &Draft) -> String {
        serde_json::to_string(draft).unwrap_or_default()
    }
}

/// A JSON number written as `text`.
fn number_from_text(text: &str) -> Option<Number> {
    serde_json::from_str(text).ok()
}

const DEFAULT_CASES: u32 = 2000;

/// Runs a property on a thread with a large stack: the composed generators recurse deeply
/// while building values in a debug build (a test thread has 2 MiB). The parsers' own stack
/// use is checked on a small stack in `nesting_at_the_json_limit_fits_a_small_stack`.
fn on_big_stack(body: fn()) {
    let thread = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(body)
        .expect("spawn a property thread");
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}

/// Cases per property.
fn cases() -> u32 {
    std::env::var("LBE_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_CASES)
}

/// Runs `test` on [`cases`] inputs from `strategy`; a failure (or panic) is shrunk to a
/// minimal input and reported. Failures are not written to disk: a found case becomes a
/// regular unit test instead.
fn check<S>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: Debug,
{
    let n = cases();
    let mut runner = TestRunner::new(Config {
        cases: n,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("property {name} failed: {failure}");
    }
    println!("property {name}: {n} cases passed");
}

// ---------------------------------------------------------------------------------------------
// Generators shared by several properties

/// Strings that trip parsers: empty, blanks, controls, markup, huge digits, unicode in many
/// scripts, lone surrogate escapes, near-keywords.
const TRICKY: &[&str] = &[
    "",
    " ",
    "\t\n\r",
    "\u{0}",
    "\u{7f}\u{1b}",
    "\u{feff}",
    "\u{200b}",
    "\u{202e}evil",
    "0",
    "1",
    "-1",
    "00",
    "01",
    "1.5",
    "1e3",
    "1e400",
    "-0",
    "NaN",
    "Infinity",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999999",
    "4294967296",
    "٣",
    "１２３",
    "Y",
    "N",
    "true",
    "false",
    "null",
    "X",
    "W",
    "V",
    "D",
    "A",
    "ключ",
    "日本語",
    "🙂🙂",
    "e\u{301}",
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "\"quoted\"",
    "a:b:c:d",
    "a|b|c",
    "::",
    "{}",
    "[]",
    "{\"a\":",
    "\\u0000",
    "%00",
    "%ZZ",
    "&amp;&lt;&#0;&#x110000;&#xD800;&bogus;&",
    "url(",
    "url(\"",
    "image-set(",
    "/rest",
    "//evil.example",
    "../..",
    "LANDING_BLOCK_*",
    "landing_block_31.1.two_cols_text_img",
    "LANDING_BLOCK_",
    "DEFAULT",
];

fn tricky_string() -> impl Strategy<Value = String> {
    select(TRICKY).prop_map(str::to_owned)
}

/// Any text: arbitrary unicode, lossy bytes, tricky samples and small grammars.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => tricky_string(),
        1 => vec(any::<u8>(), 0..64).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => "[a-zA-Z0-9 .:/|@%#?&=_-]{0,40}",
        1 => (tricky_string(), any::<String>(), tricky_string()).prop_map(|(a, b, c)| a + &b + &c),
    ]
}

fn finite_f64() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<f64>(),
        select(&[0.0, -0.0, 1e308, -1e308, 5e-324, 1.5, 2.0, 1e16, 0.1][..]),
    ]
    .prop_map(|f| {
        // As serde_json or JSON.stringify would write it (shortest digits, an exponent or not).
        let text = if f.is_finite() {
            format!("{f:?}")
        } else {
            String::new()
        };
        number_from_text(&text)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    })
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        select(&[0u64, 1, u64::MAX, 4_294_967_296][..]).prop_map(Value::from),
        finite_f64(),
        any_text().prop_map(Value::String),
    ]
}

/// Any JSON value, up to six levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((any_text(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map>())),
        ]
    })
}

/// `valid` values most of the time, else anything.
fn mostly(valid: Vec<Value>) -> BoxedStrategy<Value> {
    prop_oneof![3 => select(valid), 1 => json_value()].boxed()
}

/// Mostly `good` values, sometimes `bad` ones, now and then anything: for the fields a
/// parser needs, so that whole answers are accepted often enough to check what is kept.
fn good_or_bad(good: Vec<Value>, bad: Vec<Value>) -> BoxedStrategy<Value> {
    prop_oneof![12 => select(good), 2 => select(bad), 1 => json_value()].boxed()
}

/// A JSON number written as `text`.
fn number(text: &str) -> Value {
    Value::Number(number_from_text(text).expect("a JSON number"))
}

/// Builds an object from optional entries (a `None` leaves the key out).
fn object(entries: Vec<(&str, Option<Value>)>) -> Value {
    let mut map = Map::new();
    for (key, value) in entries {
        if let Some(value) = value {
            map.insert(key.to_owned(), value);
        }
    }
    Value::Object(map)
}

/// JSON text that is almost JSON: a token soup of brackets, keys, huge numbers and strings.
fn json_soup() -> impl Strategy<Value = String> {
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\"result\"",
        "\"error\"",
        "\"error_description\"",
        "\"result_error\"",
        "\"nodes\"",
        "\"cards\"",
        "\"type\"",
        "\"label\"",
        "\"manifest\"",
        "\"content\"",
        "\"access\"",
        "null",
        "true",
        "false",
        "0",
        "-0",
        "1e999",
        "-1e999",
        "18446744073709551616",
        "1.7976931348623157e309",
        "\"\\ud800\"",
        "\"\\u0000\"",
        "\"x\"",
        " ",
        "\n",
        "\"<script>\"",
        "[[[[",
        "]]]]",
        "{\"a\":{\"a\":",
    ];
    vec(select(TOKENS), 0..40).prop_map(|tokens| tokens.concat())
}

/// `value` wrapped in `depth` arrays or objects, as text: past serde_json's recursion limit
/// (128) for the larger depths.
fn deeply_nested() -> impl Strategy<Value = String> {
    (1usize..400, any::<bool>(), json_soup()).prop_map(|(depth, arrays, core)| {
        let (open, close) = if arrays {
            ("[", "]")
        } else {
            ("{\"result\":", "}")
        };
        format!("{}{}{}", open.repeat(depth), core, close.repeat(depth))
    })
}

/// Raw text for a JSON parser: arbitrary strings, soup, deep nesting, valid JSON of any shape
/// and valid JSON cut short.
fn raw_json_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => any_text(),
        2 => json_soup(),
        1 => deeply_nested(),
        2 => json_value().prop_map(|v| v.to_string()),
        1 => (json_value(), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let text = v.to_string();
            let at = cut.index(text.len() + 1);
            // Cut on a char boundary at or before `at`.
            let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            text[..at].to_owned()
        }),
    ]
}

/// Plausible and implausible hosts.
fn domain() -> impl Strategy<Value = Value> {
    const GOOD: &[&str] = &[
        "portal.bitrix24.com",
        "ACME.Bitrix24.DE",
        "127.0.0.1:8090",
        "localhost",
        "localhost:1",
        "127.255.255.255:65535",
        "portal.bitrix24.com:443",
        "xn--80ak6aa92e.com",
    ];
    const BAD: &[&str] = &[
        "evil.example/steal",
        "evil.example?x",
        "evil.example#x",
        "user@evil.example",
        "evil.example:0",
        "evil.example:65536",
        "evil.example:080",
        "a..b",
        "-a.com",
        "a-.com",
        "1.2.3.4.5",
        "0x7f.1",
        "192.168.0.010",
        "[::1]",
        "пример.рф",
        "https://portal.bitrix24.com",
        "portal.bitrix24.com ",
        " portal.bitrix24.com",
        "portal.bitrix24.com\n",
        ":80",
        "a.b:",
        "com",
        "a.123",
        "a.0x1f",
    ];
    prop_oneof![
        12 => select(GOOD).prop_map(Value::from),
        3 => select(BAD).prop_map(Value::from),
        1 => "[a-z0-9.:-]{0,30}".prop_map(Value::from),
        1 => json_value(),
    ]
}

fn id_value() -> impl Strategy<Value = Value> {
    good_or_bad(
        vec![Value::from("101"), Value::from(996), Value::from(u64::MAX)],
        vec![
            Value::from("0"),
            Value::from(0),
            Value::from("-1"),
            Value::from(-1),
            Value::from(" 5"),
            Value::from("1e3"),
            number("1.5"),
            Value::from("18446744073709551616"),
            Value::from("٣"),
            Value::Null,
            Value::Bool(true),
        ],
    )
}

fn placement_options() -> impl Strategy<Value = Value> {
    let code = good_or_bad(
        vec![
            Value::from("31.1.two_cols_text_img"),
            Value::from(" 43.4.cover "),
            Value::from("<img/src=x/onerror=window.__pwned=1>"),
            Value::from("repo_12"),
        ],
        vec![
            Value::from(""),
            Value::from("a b"),
            Value::from("x".repeat(300)),
            Value::from(12),
        ],
    );
    let uri = mostly(vec![
        Value::from("/sites/site/5/view/30/"),
        Value::from("/kb/a/"),
        Value::from("https://x.example/workgroups/group/7/kb/"),
        Value::from("javascript:alert(1)"),
        Value::from("\u{0}"),
    ]);
    (
        prop::option::weighted(0.95, id_value()),
        prop::option::weighted(0.95, id_value()),
        prop::option::weighted(0.95, code),
        prop::option::of(uri),
    )
        .prop_map(|(id, lid, code, uri)| {
            object(vec![("ID", id), ("LID", lid), ("CODE", code), ("URI", uri)])
        })
}

/// `getInitData` answers: the real keys with near-valid values.
fn init_data() -> impl Strategy<Value = Value> {
    let placement = good_or_bad(
        vec![
            Value::from("LANDING_BLOCK_*"),
            Value::from("landing_block_31.1.two_cols_text_img"),
            Value::from("LANDING_BLOCK_<svg/onload=window.__pwned=1>"),
        ],
        vec![
            Value::from("LANDING_BLOCK_"),
            Value::from("LANDING_BLOCK_ x"),
            Value::from("DEFAULT"),
            Value::from(" default "),
            Value::from("CRM_DEAL_DETAIL_TAB"),
            Value::from("LANDİNG_BLOCK_*"),
            Value::Null,
        ],
    );
    let options = prop_oneof![
        6 => placement_options(),
        4 => placement_options().prop_map(|o| Value::String(o.to_string())),
        1 => json_value(),
        1 => Just(Value::from("")),
        1 => Just(Value::from("{\"ID\":")),
    ];
    let protocol = good_or_bad(
        vec![Value::from(1), Value::from("1")],
        vec![
            Value::from(0),
            Value::from("0"),
            Value::from(" 0 "),
            Value::from(2),
            Value::from(-1),
            Value::from("https"),
            Value::Bool(false),
        ],
    );
    let path = mostly(vec![
        Value::from("/rest"),
        Value::from("/rest/"),
        Value::from("//evil.example"),
        Value::from("/rest/../admin"),
        Value::from("rest"),
        Value::from("/"),
        Value::from("/r%2e"),
        Value::from("/rest?x"),
        Value::from("/rest\\x"),
    ]);
    let token = good_or_bad(
        vec![Value::from("token-abc-123"), Value::from(" padded ")],
        vec![Value::from(""), Value::from("  "), Value::from(12345)],
    );
    let expires = mostly(vec![
        Value::from(3600),
        Value::from("3600"),
        Value::from(0),
        Value::from(-1),
        Value::from(u64::MAX),
        Value::from(4_294_967_296u64),
        number("1e20"),
        Value::from("abc"),
    ]);
    let flag = mostly(vec![
        Value::from("Y"),
        Value::from("N"),
        Value::from(1),
        Value::from("true"),
        Value::Bool(true),
        Value::from(2),
    ]);
    let lang = mostly(vec![
        Value::from("en"),
        Value::from("ru"),
        Value::from("ua"),
        Value::from("xx"),
        Value::from(""),
    ]);
    (
        (
            prop::option::weighted(0.95, placement),
            prop::option::weighted(0.95, options),
            prop::option::weighted(0.95, domain()),
            prop::option::weighted(0.9, protocol),
            prop::option::of(path),
            prop::option::weighted(0.95, token.clone()),
        ),
        (
            prop::option::of(expires),
            prop::option::of(token),
            prop::option::of(lang),
            prop::option::of(json_leaf()),
            prop::option::of(flag.clone()),
            prop::option::of(flag),
        ),
    )
        .prop_map(
            |(
                (placement, options, domain, protocol, path, auth),
                (expires, refresh, lang, member, admin, install),
            )| {
                object(vec![
                    ("PLACEMENT", placement),
                    ("PLACEMENT_OPTIONS", options),
                    ("DOMAIN", domain),
                    ("PROTOCOL", protocol),
                    ("PATH", path),
                    ("AUTH_ID", auth),
                    ("AUTH_EXPIRES", expires),
                    ("REFRESH_ID", refresh),
                    ("LANG", lang),
                    ("MEMBER_ID", member),
                    ("IS_ADMIN", admin),
                    ("INSTALL", install),
                ])
            },
        )
}

// ---------------------------------------------------------------------------------------------
// The placement context

#[test]
fn init_data_parser_takes_anything_and_what_it_accepts_is_safe_to_use() {
    on_big_stack(|| {
        let accepted = Cell::new(0u32);
        let rejected = Cell::new(0u32);
        let input = prop_oneof![
            6 => init_data(),
            1 => json_value(),
            1 => raw_json_text().prop_map(|t| json::parse(&t).unwrap_or(Value::String(t))),
        ];
        check("context::parse_init_data", input, |data| {
            match parse_init_data(&data) {
                Ok(ctx) => {
                    accepted.set(accepted.get() + 1);
                    let domain = &ctx.portal.domain;
                    prop_assert!(validate_host(domain), "accepted domain {domain:?}");
                    prop_assert_eq!(domain, &domain.to_ascii_lowercase());
                    prop_assert!(ctx.portal.https || is_loopback_host(domain));
                    prop_assert!(ctx.block_id > 0 && ctx.page_id > 0);
                    prop_assert!(!ctx.auth.access_token.is_empty());
                    prop_assert!(!ctx.block_code.is_empty());
                    prop_assert!(!ctx.block_code.chars().any(char::is_whitespace));
                    // The token never goes into a URL, and the URL goes to the portal's origin.
                    let url = ctx.portal.method_url("landing.block.getcontent");
                    prop_assert!(url.starts_with(&ctx.portal.origin()), "{url}");
                    let base = format!(
                        "{}://{domain}",
                        if ctx.portal.https { "https" } else { "http" }
                    );
                    prop_assert!(url.starts_with(&base), "{url}");
                    let after_origin = &url[base.len()..];
                    prop_assert!(after_origin.starts_with('/') && !after_origin.starts_with("//"));
                    prop_assert!(!after_origin.contains(['?', '#', '@', '\\']), "{url}");
                }
                Err(err) => {
                    rejected.set(rejected.get() + 1);
                    // Every error has a bounded, printable message.
                    prop_assert!(err.to_string().chars().count() < 400);
                }
            }
            // The other readers of the same answer never panic either.
            let _ = is_app_page(&data);
            if let Ok(app) = parse_app_context(&data) {
                prop_assert!(validate_host(&app.portal.domain));
                prop_assert!(app.portal.https || is_loopback_host(&app.portal.domain));
            }
            let _ = parse_refreshed_auth(&data);
            Ok(())
        });
        // The generator must reach both sides, or the property checks little.
        println!("  accepted {}, rejected {}", accepted.get(), rejected.get());
        assert!(accepted.get() > cases() / 100, "too few accepted inputs");
        assert!(rejected.get() > cases() / 10, "too few rejected inputs");
    });
}

#[test]
fn host_checks_take_any_string() {
    on_big_stack(|| {
        check(
            "context::validate_host/serialize_origin/scope_hint",
            prop_oneof![
                any_text(),
                domain().prop_map(|d| d.as_str().unwrap_or("").to_owned())
            ],
            |text| {
                if validate_host(&text) {
                    // A valid host is plain ASCII without any URL syntax around it.
                    prop_assert!(text.is_ascii());
                    prop_assert!(!text.contains(['/', '?', '#', '@', ' ', '\\']), "{text:?}");
                    let origin = serialize_origin(true, &text);
                    prop_assert!(origin.starts_with("https://"));
                }
                if is_loopback_host(&text) {
                    prop_assert!(validate_host(&text));
                }
                let _ = serialize_origin(false, &text);
                let _ = scope_hint(&text);
                Ok(())
            },
        );
    });
}

// ---------------------------------------------------------------------------------------------
// The frame protocol

fn window_name() -> impl Strategy<Value = String> {
    let host = domain().prop_map(|d| d.as_str().unwrap_or("x").to_owned());
    let flag = prop_oneof![Just("1".to_owned()), Just("0".to_owned()), any_text()];
    let sid = prop_oneof!["[A-Za-z0-9_-]{1,130}", any_text()];
    prop_oneof![
        4 => (host, flag, sid).prop_map(|(h, f, s)| format!("{h}|{f}|{s}")),
        1 => any_text(),
        1 => vec(any_text(), 0..6).prop_map(|parts| parts.join("|")),
    ]
}

#[test]
fn window_name_parser_only_accepts_a_safe_portal() {
    on_big_stack(|| {
        let accepted = Cell::new(0u32);
        check("protocol::parse_window_name", window_name(), |name| {
            if let Some(frame) = parse_window_name(&name) {
                accepted.set(accepted.get() + 1);
                prop_assert!(validate_host(&frame.domain));
                prop_assert!(frame.https || is_loopback_host(&frame.domain));
                let origin = frame.origin();
                let scheme = if frame.https { "https://" } else { "http://" };
                prop_assert!(origin.starts_with(scheme));
                prop_assert!(!frame.app_sid.is_empty() && frame.app_sid.len() <= 128);
                prop_assert!(frame
                    .app_sid
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
            }
            Ok(())
        });
        println!("  accepted {}", accepted.get());
        assert!(accepted.get() > 0);
    });
}

/// Messages other scripts might post, and near-replies.
fn message_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any_text(),
        2 => ("[A-Za-z0-9_-]{0,70}", raw_json_text()).prop_map(|(id, json)| format!("{id}:{json}")),
        1 => (any_text(), any_text()).prop_map(|(a, b)| format!("{a}:{b}")),
        1 => (any_text(), raw_json_text(), any_text(), any_text())
            .prop_map(|(c, j, cb, sid)| format!("{c}:{j}:{cb}:{sid}")),
    ]
}

#[test]
fn frame_message_parsers_take_any_string() {
    on_big_stack(|| {
        check(
            "protocol::parse_reply/parse_command",
            message_text(),
            |msg| {
                if let Some((id, _payload)) = parse_reply(&msg) {
                    prop_assert!(!id.is_empty() && id.len() <= 64);
                    prop_assert!(id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
                }
                if let Some(cmd) = parse_command(&msg) {
                    prop_assert!(!cmd.command.is_empty() && !cmd.app_sid.is_empty());
                }
                Ok(())
            },
        );
    });
}

#[test]
fn frame_commands_and_replies_round_trip() {
    on_big_stack(|| {
        let input = (
            "[A-Za-z]{1,20}",
            // Floats too: numbers keep their text, so they come back exactly.
            prop::option::of(json_value()),
            prop::option::of("[A-Za-z0-9_-]{1,64}"),
            "[A-Za-z0-9_-]{1,128}",
            json_value(),
        );
        check(
            "protocol::format_command/parse_reply round trip",
            input,
            |(command, params, callback, sid, payload)| {
                let text = format_command(&command, params.as_ref(), callback.as_deref(), &sid);
                let parsed =
                    parse_command(&text).ok_or_else(|| TestCaseError::fail(text.clone()))?;
                prop_assert_eq!(&parsed.command, &command);
                prop_assert_eq!(&parsed.params, &params);
                prop_assert_eq!(&parsed.callback, &callback);
                prop_assert_eq!(&parsed.app_sid, &sid);
                let id = callback.unwrap_or_else(|| "lbe1".to_owned());
                let reply = format!("{id}:{payload}");
                prop_assert_eq!(parse_reply(&reply), Some((id, Some(payload))));
                Ok(())
            },
        );
    });
}

#[derive(Clone, Debug)]
enum CallbackOp {
    Register,
    TakeKnown(prop::sample::Index),
    TakeForeign(String),
    Cancel(prop::sample::Index),
}

#[test]
fn callback_ids_stay_bounded_and_answer_each_id_once() {
    on_big_stack(|| {
        let op = prop_oneof![
            3 => Just(CallbackOp::Register),
            2 => any::<prop::sample::Index>().prop_map(CallbackOp::TakeKnown),
            1 => prop_oneof!["lbe[0-9]{1,4}", any_text()].prop_map(CallbackOp::TakeForeign),
            1 => any::<prop::sample::Index>().prop_map(CallbackOp::Cancel),
        ];
        check(
            "protocol::CallbackIds",
            (0usize..20, vec(op, 0..80)),
            |(capacity, ops)| {
                let mut ids = CallbackIds::new(capacity);
                let mut issued: Vec<String> = Vec::new();
                let mut answered: Vec<String> = Vec::new();
                for op in ops {
                    match op {
                        CallbackOp::Register => {
                            let (id, _evicted) = ids.register();
                            prop_assert!(!issued.contains(&id), "id {id} issued twice");
                            let empty_reply = format!("{id}:");
                            prop_assert!(parse_reply(&empty_reply).is_some());
                            issued.push(id);
                        }
                        CallbackOp::TakeKnown(i) if !issued.is_empty() => {
                            let id = &issued[i.index(issued.len())];
                            if ids.take(id) {
                                // A replayed answer is never taken twice.
                                prop_assert!(!answered.contains(id), "{id} answered twice");
                                answered.push(id.clone());
                            }
                        }
                        CallbackOp::TakeForeign(id) => {
                            let taken = ids.take(&id);
                            if taken {
                                prop_assert!(issued.contains(&id) && !answered.contains(&id));
                                answered.push(id);
                            }
                        }
                        CallbackOp::Cancel(i) if !issued.is_empty() => {
                            let id = issued[i.index(issued.len())].clone();
                            ids.cancel(&id);
                            prop_assert!(!ids.take(&id));
                        }
                        _ => {}
                    }
                    prop_assert!(ids.pending() <= capacity.max(1));
                }
                Ok(())
            },
        );
    });
}

// ---------------------------------------------------------------------------------------------
// REST envelopes and batches

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        2 => Just(200u16),
        1 => select(&[0u16, 200, 201, 204, 299, 300, 400, 401, 403, 404, 429, 500, 502, 503, 599][..]),
        1 => any::<u16>(),
    ]
}

/// Envelopes: results, errors of every type, both, neither, plus raw text.
fn envelope_text() -> impl Strategy<Value = String> {
    let error = mostly(vec![
        Value::from("expired_token"),
        Value::from("QUERY_LIMIT_EXCEEDED"),
        Value::from("access_denied"),
        Value::from("  "),
        Value::from(""),
        Value::Null,
        Value::from(42),
        Value::from("<img src=x onerror=window.__pwned=1>"),
    ]);
    let structured = (
        prop::option::of(json_value()),
        prop::option::of(error),
        prop::option::of(json_value()),
        prop::option::of(json_value()),
    )
        .prop_map(|(result, error, description, time)| {
            object(vec![
                ("result", result),
                ("error", error),
                ("error_description", description),
                ("time", time),
            ])
            .to_string()
        });
    prop_oneof![3 => structured, 2 => raw_json_text()]
}

#[test]
fn envelope_parser_takes_anything_and_never_hides_an_error() {
    on_big_stack(|| {
        check(
            "rest::parse_envelope",
            (status(), envelope_text()),
            |(status, body)| {
                let as_value = parse_envelope::<Value>(status, &body);
                let _ = parse_envelope::<bool>(status, &body);
                let _ = parse_envelope::<Manifest>(status, &body);
                let _ = parse_envelope::<BlockContent>(status, &body);
                let parsed: Option<Value> = json::parse(&body).ok();
                let error = parsed
                    .as_ref()
                    .and_then(|v| v.get("error"))
                    .filter(|e| !e.is_null() && e.as_str().is_none_or(|s| !s.trim().is_empty()));
                if error.is_some() {
                    // An error in the body wins at any status.
                    prop_assert!(as_value.is_err(), "error hidden: {body}");
                } else if (200..=299).contains(&status) {
                    if let Some(result) = parsed.as_ref().and_then(|v| v.get("result")) {
                        prop_assert_eq!(as_value.as_ref().ok(), Some(result));
                    }
                } else {
                    prop_assert!(as_value.is_err());
                }
                if let Err(err) = as_value {
                    prop_assert!(err.to_string().chars().count() < 700);
                }
                Ok(())
            },
        );
    });
}

/// The shape the client reads the opening batch into.
#[derive(Debug, serde::Deserialize)]
struct OpenBatch {
    manifest: Option<Manifest>,
    content: Option<BlockContent>,
}

fn batch_text() -> impl Strategy<Value = String> {
    let per_command = prop_oneof![
        3 => (prop::option::of(manifest_value()), prop::option::of(content_value()))
            .prop_map(|(m, c)| object(vec![("manifest", m), ("content", c)])),
        1 => Just(Value::Array(Vec::new())),
        1 => json_value(),
    ];
    let errors = prop_oneof![
        Just(Value::Array(Vec::new())),
        json_value(),
        (any_text(), any_text()).prop_map(|(code, text)| {
            serde_json::json!({"content": {"error": code, "error_description": text}})
        }),
    ];
    let structured = (
        prop::option::weighted(0.9, per_command),
        prop::option::of(errors),
        prop::option::weighted(0.1, json_value()),
    )
        .prop_map(|(results, errors, error)| {
            let inner = object(vec![("result", results), ("result_error", errors)]);
            object(vec![("result", Some(inner)), ("error", error)]).to_string()
        });
    prop_oneof![3 => structured, 1 => raw_json_text()]
}

#[test]
fn batch_parser_takes_anything() {
    on_big_stack(|| {
        let ok = Cell::new(0u32);
        check(
            "rest::parse_batch",
            (status(), batch_text()),
            |(status, body)| {
                if let Ok(answer) = parse_batch::<OpenBatch>(status, &body) {
                    ok.set(ok.get() + 1);
                    if let Some(manifest) = &answer.results.manifest {
                        prop_assert!(manifest.nodes.iter().all(|n| !n.selector.trim().is_empty()));
                    }
                    if let Some(content) = &answer.results.content {
                        let _ = content.access_level();
                    }
                    for (key, error) in &answer.errors {
                        prop_assert!(!error.to_string().is_empty(), "{key}");
                    }
                }
                let _ = parse_batch::<Value>(status, &body);
                Ok(())
            },
        );
        println!("  parsed {}", ok.get());
        assert!(ok.get() > 0);
    });
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[test]
fn query_encoding_is_plain_ascii_and_percent_encoding_round_trips() {
    on_big_stack(|| {
        check(
            "rest::encode_query/percent_encode",
            (json_value(), any_text()),
            |(params, text)| {
                let query = encode_query(&params);
                prop_assert!(
                    query
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._~%[]=&".contains(&b)),
                    "{query}"
                );
                let encoded = percent_encode(&text);
                prop_assert_eq!(percent_decode(&encoded), Some(text));
                Ok(())
            },
        );
    });
}

#[test]
fn batch_params_and_request_bodies_keep_their_shape() {
    on_big_stack(|| {
        // Short keys collide now and then (a duplicate key must be refused).
        let key = prop_oneof![
            4 => (0u8..40).prop_map(|n| format!("k{n}")),
            1 => any_text(),
        ];
        let method = prop_oneof![
            4 => select(&["landing.block.getmanifest", "landing.block.getcontent", "x"][..])
                .prop_map(str::to_owned),
            1 => any_text(),
        ];
        let params = prop_oneof![
            json_leaf(),
            vec((any_text(), json_leaf()), 0..4)
                .prop_map(|e| Value::Object(e.into_iter().collect::<Map>())),
        ];
        let command = (key, method, params)
            .prop_map(|(key, method, params)| BatchCommand::new(&key, &method, &params));
        let commands = prop_oneof![5 => vec(command.clone(), 0..6), 1 => vec(command, 45..56)];
        check(
            "rest::batch_params/request_body",
            (commands, any::<bool>(), json_value(), any_text()),
            |(commands, halt, params, auth)| {
                match batch_params(&commands, halt) {
                    Ok(batch) => {
                        let cmd: Map = batch
                            .cmd
                            .into_iter()
                            .map(|(k, v)| (k, Value::from(v)))
                            .collect();
                        prop_assert_eq!(cmd.len(), commands.len());
                        for command in &commands {
                            let line = cmd[&command.key].as_str().unwrap_or("");
                            prop_assert!(line.starts_with(&command.method));
                        }
                    }
                    Err(err) => prop_assert_eq!(err, RestError::InvalidRequest),
                }
                // Form or JSON, the token arrives intact whatever text it is.
                let body: Value = body_value(&request_body(&params, &auth));
                prop_assert_eq!(&body["auth"], &Value::String(auth));
                Ok(())
            },
        );
    });
}

// ---------------------------------------------------------------------------------------------
// Manifests and block content

fn selector() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "\\.landing-block-node-[a-z]{1,8}",
        1 => select(&["", " ", "div", ".a.b", ".a > .b", "[", "<script>", ".x@1", ".\u{0}"][..])
            .prop_map(str::to_owned),
        1 => any_text(),
    ]
}

fn node_value() -> impl Strategy<Value = Value> {
    let kind = mostly(
        [
            "text",
            "img",
            "link",
            "icon",
            "embed",
            "map",
            "component",
            "styleimg",
            "TEXT",
            " Img ",
        ]
        .iter()
        .map(|s| Value::from(*s))
        .collect(),
    );
    prop_oneof![
        4 => (prop::option::of(kind), prop::option::of(json_leaf()), prop::option::of(json_value()))
            .prop_map(|(kind, name, extra)| object(vec![("type", kind), ("name", name), ("handler", extra)])),
        1 => json_value(),
    ]
}

fn card_value() -> impl Strategy<Value = Value> {
    let label = prop_oneof![
        json_leaf(),
        vec(selector().prop_map(Value::String), 0..4).prop_map(Value::Array),
        vec((any_text(), selector().prop_map(Value::String)), 0..3)
            .prop_map(|e| Value::Object(e.into_iter().collect::<Map>())),
        json_value(),
    ];
    prop_oneof![
        4 => (prop::option::of(json_leaf()), prop::option::of(label))
            .prop_map(|(name, label)| object(vec![("name", name), ("label", label)])),
        1 => json_value(),
    ]
}

fn section<S: Strategy<Value = Value> + 'static>(entry: S) -> impl Strategy<Value = Value> {
    prop_oneof![
        5 => vec((selector(), entry), 0..8)
            .prop_map(|e| Value::Object(e.into_iter().collect::<Map>())),
        1 => Just(Value::Array(Vec::new())),
        1 => json_value(),
    ]
}

fn manifest_value() -> impl Strategy<Value = Value> {
    let block = prop_oneof![
        (
            prop::option::of(json_leaf()),
            prop::option::of(json_value())
        )
            .prop_map(|(name, section)| object(vec![("name", name), ("section", section)])),
        json_value(),
    ];
    (
        prop::option::of(block),
        prop::option::weighted(0.9, section(node_value())),
        prop::option::of(section(card_value())),
        prop::option::of(json_leaf()),
    )
        .prop_map(|(block, nodes, cards, code)| {
            object(vec![
                ("block", block),
                ("nodes", nodes),
                ("cards", cards),
                ("code", code),
            ])
        })
}

fn content_value() -> impl Strategy<Value = Value> {
    (
        prop::option::of(json_leaf()),
        prop::option::of(json_value()),
        prop::option::of(json_leaf()),
        prop::option::of(json_leaf()),
        prop::option::of(json_leaf()),
    )
        .prop_map(|(id, content, access, active, anchor)| {
            object(vec![
                ("id", id),
                ("content", content),
                ("access", access),
                ("active", active),
                ("anchor", anchor),
            ])
        })
}

#[test]
fn manifest_parser_takes_anything_and_keeps_every_node_in_order() {
    on_big_stack(|| {
        let structured = (manifest_value(), any::<bool>()).prop_map(|(manifest, wrapped)| {
            let text = if wrapped {
                serde_json::json!({"result": manifest.clone(), "time": {}}).to_string()
            } else {
                manifest.to_string()
            };
            (Some(manifest), text)
        });
        let input = prop_oneof![4 => structured, 1 => raw_json_text().prop_map(|t| (None, t))];
        check(
            "manifest::Manifest::from_json",
            input,
            |(generated, text)| {
                let parsed = Manifest::from_json(&text);
                if let (Some(generated), Ok(manifest)) = (generated, &parsed) {
                    // Every node with a non-blank selector is kept, in the text's order, whatever
                    // the types of its members.
                    if let Some(nodes) = generated.get("nodes").and_then(Value::as_object) {
                        let want: Vec<&String> =
                            nodes.keys().filter(|k| !k.trim().is_empty()).collect();
                        let got: Vec<&String> =
                            manifest.nodes.iter().map(|n| &n.selector).collect();
                        prop_assert_eq!(got, want);
                    }
                    for node in &manifest.nodes {
                        prop_assert!(!node.selector.trim().is_empty());
                        if let NodeKind::Other(name) = &node.kind {
                            prop_assert!(!NodeKind::from_type(name).is_editable());
                        }
                    }
                }
                let _ = BlockContent::from_json(&text).map(|c| (c.access_level(), c.id_string()));
                Ok(())
            },
        );
    });
}

#[test]
fn content_parser_takes_anything() {
    on_big_stack(|| {
        let input = prop_oneof![
            3 => content_value().prop_map(|c| c.to_string()),
            1 => content_value().prop_map(|c| serde_json::json!({"result": c}).to_string()),
            2 => raw_json_text(),
        ];
        check("manifest::BlockContent::from_json", input, |text| {
            if let Ok(content) = BlockContent::from_json(&text) {
                let _ = content.access_level().can_edit_content();
                let id = content.id_string();
                prop_assert_eq!(id.trim(), id.as_str());
            }
            Ok(())
        });
    });
}

// ---------------------------------------------------------------------------------------------
// The model: extracted DOM data → form → payload

const ATTR_NAMES: &[&str] = &[
    "src",
    "srcset",
    "alt",
    "style",
    "class",
    "href",
    "target",
    "data-src",
    "data-src2x",
    "data-srcset",
    "data-alt",
    "data-lazy-img",
    "data-lazy-bg",
    "data-fileid",
    "data-fileid2x",
    "data-pseudo-url",
    "data-embed",
    "data-url",
    "data-source",
    "data-preview",
];

fn attr_value() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => any_text(),
        1 => select(&[
            "Y",
            "_blank",
            "_popup",
            "123",
            "a.jpg 1x, b.jpg 2x",
            "b.jpg 2.0x,c.jpg 192dpi, d.jpg 2e0x",
            "background-image: url(a.jpg); background-image: image-set(url('a.jpg') 1x, url(\"b.jpg\") 2x)",
            "background: url(  'x\\'y.png'  ) no-repeat; color: red",
            "background-image: url(data:image/png;base64,AAA=);",
            "background-image: url(",
            "background: image-set(\"a.png\" 1x, 'b.png' 2dppx)",
            "embed-responsive-16by9 landing-block-node-video",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "javascript:alert(1)",
        ][..])
        .prop_map(str::to_owned),
    ]
}

fn raw_match(cards: usize) -> impl Strategy<Value = RawMatch> {
    (
        select(&["img", "div", "a", "span", "iframe", "IMG", "section"][..]),
        any_text(),
        any_text(),
        vec((select(ATTR_NAMES), attr_value()), 0..5),
        prop::option::of((0..cards + 2, 0usize..4)),
    )
        .prop_map(|(tag, inner, text, attrs, card)| RawMatch {
            tag: tag.to_owned(),
            inner_html: inner,
            text,
            attrs: attrs.into_iter().map(|(n, v)| (n.to_owned(), v)).collect(),
            card: card.map(|(card, ordinal)| CardRef { card, ordinal }),
        })
}

/// A manifest and DOM matches for it (some nodes with none, some with extra lists).
fn form_input() -> impl Strategy<Value = (Manifest, Extracted)> {
    // Few selectors, so that nodes repeat and cards' label selectors name real nodes.
    let selector = select(&[".n0", ".n1", ".n2", ".n3", ".n4", "", " ", "a@1"][..]);
    let kind = select(
        &[
            "text", "link", "img", "icon", "embed", "map", "styleimg", "TeXt", "",
        ][..],
    );
    let node = (selector, kind, any_text());
    let card = (
        select(&[".c0", ".c1", ".c2"][..]),
        any_text(),
        vec(select(&[".n0", ".n1", ".n2", ".x"][..]), 0..3),
    );
    (
        vec(node, 0..7),
        vec(card, 0..3),
        vec(vec(raw_match(3), 0..4), 0..8),
        vec(0usize..5, 0..4),
    )
        .prop_map(|(nodes, cards, matches, card_counts)| {
            let nodes: Map = nodes
                .into_iter()
                .map(|(s, k, n)| (s.to_owned(), serde_json::json!({"type": k, "name": n})))
                .collect();
            let cards: Map = cards
                .into_iter()
                .map(|(s, n, l)| (s.to_owned(), serde_json::json!({"name": n, "label": l})))
                .collect();
            let text = serde_json::json!({"block": {"name": "b"}, "nodes": nodes, "cards": cards});
            let manifest = Manifest::from_json(&text.to_string()).unwrap_or_default();
            (
                manifest,
                Extracted {
                    nodes: matches,
                    card_counts,
                },
            )
        })
}

#[test]
fn form_building_takes_any_extraction_and_an_untouched_form_saves_nothing() {
    on_big_stack(|| {
        let fields_seen = Cell::new(0usize);
        check(
            "model::build_form",
            form_input(),
            |(manifest, extracted)| {
                let form = build_form(&manifest, &extracted);
                fields_seen.set(fields_seen.get() + form.fields.len());
                let mut keys: Vec<&str> = form.fields.iter().map(|f| f.key.as_str()).collect();
                keys.sort_unstable();
                let total = keys.len();
                keys.dedup();
                prop_assert_eq!(keys.len(), total, "duplicate field keys");
                // Every field sits in exactly one group; card groups name real cards.
                let mut grouped: Vec<usize> =
                    form.groups.iter().flat_map(|g| g.fields.clone()).collect();
                grouped.sort_unstable();
                prop_assert_eq!(grouped, (0..form.fields.len()).collect::<Vec<_>>());
                for group in &form.groups {
                    prop_assert!(!group.fields.is_empty());
                    if let GroupKind::Card { number, label, .. } = &group.kind {
                        prop_assert!(*number >= 1);
                        prop_assert!(label.chars().count() <= 61);
                    }
                }
                for field in &form.fields {
                    prop_assert!(field.original.fits(&field.kind));
                    prop_assert!(!is_changed(field, &field.original));
                    prop_assert!(node_payload(field, &field.original).is_some());
                }
                let initial = form.initial_values();
                prop_assert_eq!(changed_count(&form, &initial), 0);
                prop_assert!(updatenodes_data(&form, &initial).is_empty());
                prop_assert_eq!(blocked_count(&form, &initial), 0);
                prop_assert!(draft::capture(&form, &initial).is_none());
                Ok(())
            },
        );
        println!("  fields built {}", fields_seen.get());
        assert!(fields_seen.get() > 0);
    });
}

fn field_value() -> impl Strategy<Value = FieldValue> {
    prop_oneof![
        any_text().prop_map(FieldValue::Text),
        (any_text(), attr_value(), any::<bool>()).prop_map(|(text, href, new_tab)| {
            FieldValue::Link {
                text,
                href,
                new_tab,
            }
        }),
        (attr_value(), any_text(), attr_value()).prop_map(|(src, alt, src2x)| FieldValue::Img {
            src,
            alt,
            src2x
        }),
        any_text().prop_map(|classes| FieldValue::Icon { classes }),
        (attr_value(), attr_value(), attr_value(), any_text()).prop_map(
            |(src, source, preview, ratio)| FieldValue::Embed {
                src,
                source,
                preview,
                ratio
            }
        ),
    ]
}

#[test]
fn edits_give_payloads_for_exactly_the_changed_fields_and_drafts_round_trip() {
    on_big_stack(|| {
        let input = (form_input(), vec(prop::option::of(field_value()), 0..12));
        check(
            "model::updatenodes_data/draft",
            input,
            |((manifest, extracted), edits)| {
                let form = build_form(&manifest, &extracted);
                let mut current = form.initial_values();
                for (value, edit) in current.iter_mut().zip(edits) {
                    if let Some(edit) = edit {
                        *value = edit;
                    }
                }
                let data = updatenodes_data(&form, &current);
                let changed = changed_count(&form, &current);
                prop_assert_eq!(data.len(), changed);
                for (field, value) in form.fields.iter().zip(&current) {
                    prop_assert_eq!(data.contains_key(&field.key), is_changed(field, value));
                }
                prop_assert!(blocked_count(&form, &current) <= changed);
                if let Some(kept) = draft::capture(&form, &current) {
                    let text = draft::to_text(&kept);
                    prop_assert_eq!(draft::parse(&text), Some(kept.clone()));
                    let (restored, applied) = draft::restore(&form, &kept);
                    // Edits of a wrong kind are not restored; everything else is.
                    let fitting = kept
                        .edits
                        .iter()
                        .filter(|e| {
                            form.fields
                                .iter()
                                .find(|f| f.key == e.key)
                                .is_some_and(|f| e.value.fits(&f.kind))
                        })
                        .count();
                    prop_assert_eq!(applied, fitting);
                    prop_assert_eq!(restored.len(), form.fields.len());
                }
                Ok(())
            },
        );
    });
}

#[test]
fn draft_parser_takes_anything() {
    on_big_stack(|| {
        check("draft::parse", raw_json_text(), |text| {
            if let Some(parsed) = draft::parse(&text) {
                prop_assert_eq!(draft::parse(&draft::to_text(&parsed)), Some(parsed));
            }
            Ok(())
        });
    });
}

#[test]
fn text_and_url_helpers_take_any_string() {
    on_big_stack(|| {
        check(
            "model text/CSS/srcset/video helpers",
            (prop_oneof![attr_value(), any_text()], any_text()),
            |(text, other)| {
                let (src, src2x) = background_image(&text);
                prop_assert_eq!(src.trim(), src.as_str());
                prop_assert_eq!(src2x.trim(), src2x.as_str());
                let _ = srcset_2x(&text);
                let _ = decode_entities(&text);
                let _ = tidy_html_text(&text);
                prop_assert!(label_text(&text).chars().count() <= 61);
                if let Some(id) = youtube_id(&text) {
                    prop_assert_eq!(id.len(), 11);
                }
                if let Some(id) = vimeo_id(&text) {
                    prop_assert!(!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
                }
                let _ = embed_from_url(&text, &FieldValue::Text(other.clone()));
                let _ = icon_class_list(&other, &text);
                let _ = is_unsafe_url(&text);
                Ok(())
            },
        );
    });
}

/// `scheme:` spelled the way a browser still reads it: any case, with blanks and control
/// characters anywhere inside (the URL parser strips them).
fn obfuscated_scheme(scheme: &'static str) -> impl Strategy<Value = String> {
    let noise = select(
        &[
            "", "", "", " ", "\t", "\n", "\r", "\u{0}", "\u{1}", "\u{1f}",
        ][..],
    );
    (
        vec((any::<bool>(), noise.clone()), scheme.len()),
        noise,
        any_text(),
    )
        .prop_map(move |(shape, lead, rest)| {
            let mut out = String::from(lead);
            for (c, (upper, noise)) in scheme.chars().zip(shape) {
                out.push_str(noise);
                out.push(if upper { c.to_ascii_uppercase() } else { c });
            }
            out + &rest
        })
}

#[test]
fn script_addresses_are_unsafe_however_they_are_spelled() {
    on_big_stack(|| {
        let input = prop_oneof![
            obfuscated_scheme("javascript:"),
            obfuscated_scheme("vbscript:"),
            obfuscated_scheme("data:text/html"),
        ];
        check("model::is_unsafe_url", input, |url| {
            prop_assert!(is_unsafe_url(&url), "{url:?} passed");
            let link = FieldValue::Link {
                text: String::new(),
                href: url.clone(),
                new_tab: false,
            };
            prop_assert!(super::model::has_unsafe_url(&link));
            Ok(())
        });
    });
}

/// The deepest JSON serde_json accepts (128 levels) in every place the parsers descend into,
/// parsed on a 1 MiB stack (what a wasm32 Rust program gets by default): no overflow.
#[test]
fn nesting_at_the_json_limit_fits_a_small_stack() {
    let places = [
        "{\"result\":{\"result\":{\"manifest\":{\"nodes\":{\".a\":{\"name\":HOLE}}}}}}",
        "{\"result\":{\"result\":{\"manifest\":{\"cards\":{\".c\":{\"label\":HOLE}}}}}}",
        "{\"result\":{\"result\":{\"manifest\":{\"block\":HOLE}}}}",
        "{\"result\":{\"result\":{\"content\":{\"content\":HOLE}}}}",
        "{\"result\":{\"result\":[],\"result_error\":{\"content\":HOLE}}}",
        "{\"result\":HOLE}",
        "{\"edits\":[{\"key\":\"k\",\"original\":HOLE}]}",
        "HOLE",
    ];
    let mut parsed = 0;
    for place in places {
        let outer = place.matches(['{', '[']).count();
        for depth in [127 - outer, 128 - outer, 400] {
            for (open, close) in [("[", "]"), ("{\"a\":", "}"), ("[{\"a\":", "}]")] {
                let levels = depth / open.matches(['{', '[']).count();
                let hole = format!("{}1{}", open.repeat(levels), close.repeat(levels));
                let text = place.replace("HOLE", &hole);
                std::thread::Builder::new()
                    .stack_size(1 << 20)
                    .spawn(move || {
                        let _ = parse_batch::<OpenBatch>(200, &text);
                        let _ = parse_batch::<Value>(200, &text);
                        let _ = parse_envelope::<Value>(200, &text);
                        let _ = Manifest::from_json(&text);
                        let _ = BlockContent::from_json(&text);
                        let _ = draft::parse(&text);
                    })
                    .expect("spawn")
                    .join()
                    .expect("no panic");
                parsed += 1;
            }
        }
    }
    println!("nesting at the JSON limit: {parsed} documents parsed on a 1 MiB stack");
}

#[test]
fn numbers_print_in_plain_decimal_as_a_float_does() {
    check(
        "manifest number text against f64 Display",
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
        |f| {
            // The shortest digits that read back as `f`, in both notations a JSON writer uses.
            for text in [format!("{f:e}"), format!("{f:?}")] {
                let manifest = Manifest::from_json(&format!("{{\"block\": {{\"name\": {text}}}}}"))
                    .map_err(TestCaseError::fail)?;
                prop_assert_eq!(&manifest.block.name, &f.to_string(), "{}", text);
            }
            Ok(())
        },
    );
}
