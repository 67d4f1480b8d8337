//! Property tests of the sanitizer against a real HTML parser's (html5ever, through
//! scraper) reading of what it writes: on hostile-ish generated markup, the output holds
//! no element outside the allow-list, no event handler or unlisted attribute, no script
//! address or unsafe style, no comment; it reads back as balanced tags; sanitizing again
//! changes nothing; nothing panics. Also for `sanitize_text_keeping_styles`.
//!
//! Each property runs `LBE_PROPTEST_CASES` cases (default 1000).

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use scraper::{Html, Node};

use super::regular::{pieces, Piece};
use super::{
    sanitize, sanitize_text_keeping_styles, Policy, PREVIEW_ATTRS, PREVIEW_MORE_TAGS, TEXT_TAGS,
    VOID,
};

fn check<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let cases = std::env::var("LBE_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(1000);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("property {name} failed: {failure}");
    }
}

// ---- generators ------------------------------------------------------------------------

const TAGS: &[&str] = &[
    "b",
    "I",
    "a",
    "A",
    "p",
    "span",
    "div",
    "ul",
    "li",
    "br",
    "img",
    "IMG",
    "table",
    "tr",
    "td",
    "section",
    "source",
    "picture",
    "col",
    "hr",
    "button",
    "pre",
    "script",
    "SCRIPT",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "template",
    "textarea",
    "title",
    "noscript",
    "xmp",
    "head",
    "meta",
    "link",
    "base",
    "frameset",
    "frame",
    "form",
    "input",
    "select",
    "option",
    "font",
    "center",
    "x-widget",
    "html",
    "body",
    "video",
    "image",
    "plaintext",
    "scr<script",
    "é",
    "h1",
    "caption",
    "colgroup",
    "li",
];

const ATTR_NAMES: &[&str] = &[
    "href",
    "HREF",
    "src",
    "srcset",
    "data-src",
    "data-srcset",
    "style",
    "STYLE",
    "class",
    "id",
    "target",
    "rel",
    "title",
    "onclick",
    "onerror",
    "ONLOAD",
    "srcdoc",
    "formaction",
    "action",
    "xmlns",
    "xmlns:x",
    "xlink:href",
    "data-lbe-field",
    "data-x",
    "aria-label",
    "alt",
    "poster",
    "background",
    "cite",
    "=x",
    "a\"b",
    "data-a'b",
    "on",
    "width",
];

const VALUES: &[&str] = &[
    "",
    "x",
    "https://ok.example/a.png",
    "/p?a=1&b=2",
    "javascript:alert(1)",
    " JAVASCRIPT:alert(1)",
    "java\tscript:alert(1)",
    "java&#9;script:x",
    "&#106;avascript:x",
    "&#x6A;avascript&#x3a;x",
    "vbscript:x",
    "data:image/png;base64,AA==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "data:text/html,x",
    "a.png 1x, javascript:x 2x",
    "color:red",
    "background:url(javascript:x)",
    "background:url('JaVaScRiPt:x')",
    "background:url(https://ok/a.jpg)",
    "width:expression(alert(1))",
    "w:e\\78pression(1)",
    "behavior:url(x)",
    "@import 'x'",
    "_blank",
    "_TOP",
    "\"",
    "'",
    ">",
    "<",
    "&quot;",
    "&amp;",
    "a b",
    "é🎉",
];

const TEXTS: &[&str] = &[
    "x",
    " ",
    "\n",
    "&",
    "&amp;",
    "&lt;script&gt;",
    "&#0;",
    "&nbsp;",
    "&#x3c;",
    "<",
    ">",
    "</",
    "<!--",
    "-->",
    "--!>",
    "<!-->",
    "<!",
    "<?",
    "?>",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE html>",
    "\"",
    "'",
    "=",
    "/",
    "/>",
    "é",
    "🎉",
    "\u{0}",
    "\r\n",
    "</>",
    "< b>",
    "<3",
];

fn quoted(value: &'static str, quote: u8) -> String {
    match quote {
        0 => format!("=\"{value}\""),
        1 => format!("='{value}'"),
        2 => format!("={value}"),
        _ => String::new(),
    }
}

fn attr() -> impl Strategy<Value = String> {
    (
        select(ATTR_NAMES),
        select(VALUES),
        0u8..4,
        select(&[" ", "  ", "\t", "/", "\n"][..]),
    )
        .prop_map(|(name, value, quote, sep)| format!("{sep}{name}{}", quoted(value, quote)))
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (select(TAGS), vec(attr(), 0..4), select(&["", "/", " ", " /"][..]), any::<bool>())
            .prop_map(|(tag, attrs, end, close)| {
                format!("<{tag}{}{end}{}", attrs.concat(), if close { ">" } else { "" })
            }),
        2 => select(TAGS).prop_map(|tag| format!("</{tag}>")),
        3 => select(TEXTS).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

fn markup() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => vec(piece(), 0..30).prop_map(|p| p.concat()),
        1 => any::<String>(),
    ]
}

// ---- what the parser sees ----------------------------------------------------------------

/// The scheme part as a browser's URL parser reads it: no blanks or controls, any case.
fn folded_scheme(url: &str) -> String {
    url.chars()
        .filter(|&c| c > ' ' && c != '\u{7f}')
        .collect::<String>()
        .to_ascii_lowercase()
}

fn url_ok(url: &str, data_image: bool) -> bool {
    let s = folded_scheme(url);
    let raster = ["png", "gif", "jpeg", "webp"]
        .iter()
        .any(|t| s.starts_with(&format!("data:image/{t}")));
    !s.starts_with("javascript:")
        && !s.starts_with("vbscript:")
        && (!s.starts_with("data:") || (data_image && raster))
}

fn allowed(tag: &str, policy: Policy) -> bool {
    TEXT_TAGS.contains(&tag) || (policy == Policy::Preview && PREVIEW_MORE_TAGS.contains(&tag))
}

fn attr_ok(policy: Policy, tag: &str, name: &str, value: &str) -> Result<(), String> {
    let listed = match policy {
        Policy::Text => {
            matches!(name, "class" | "style" | "title")
                || (tag == "a" && matches!(name, "href" | "target" | "rel"))
        }
        Policy::Preview => {
            PREVIEW_ATTRS.contains(&name) || name.starts_with("data-") || name.starts_with("aria-")
        }
    };
    if name.starts_with("on") || !listed {
        return Err(format!("attribute {name} on {tag}"));
    }
    // A script address in any attribute goes (the hostile suite relies on it).
    let scheme = folded_scheme(value);
    if scheme.starts_with("javascript:") || scheme.starts_with("vbscript:") {
        return Err(format!("script address {name}={value:?}"));
    }
    let data_image = policy == Policy::Preview && name != "href";
    let url_ok = match name {
        "srcset" | "data-srcset" => value.split(',').all(|c| url_ok(c, data_image)),
        "href" | "src" | "data-src" | "poster" | "background" | "cite" => url_ok(value, data_image),
        _ => true,
    };
    if !url_ok {
        return Err(format!("unsafe {name}={value:?}"));
    }
    if name == "style" {
        let css: String = value
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let bad = [
            "expression(",
            "javascript:",
            "vbscript:",
            "-moz-binding",
            "behavior:",
            "@import",
        ]
        .iter()
        .any(|b| css.contains(b));
        if bad {
            return Err(format!("unsafe style {value:?}"));
        }
    }
    // The preview frame opens nothing, so only formatted text limits where links open.
    if policy == Policy::Text
        && name == "target"
        && !value.eq_ignore_ascii_case("_blank")
        && !value.eq_ignore_ascii_case("_self")
    {
        return Err(format!("target {value:?}"));
    }
    Ok(())
}

/// What a real parser reads from `out` keeps `policy`'s promises.
fn parsed_ok(out: &str, policy: Policy) -> Result<(), String> {
    let html = Html::parse_fragment(out);
    let root = html.root_element();
    for node in root.descendants() {
        match node.value() {
            Node::Comment(_) => return Err("a comment".into()),
            Node::Doctype(_) => return Err("a doctype".into()),
            Node::ProcessingInstruction(_) => return Err("a processing instruction".into()),
            Node::Element(el) if node.id() != root.id() => {
                let tag = el.name();
                if !allowed(tag, policy) {
                    return Err(format!("element {tag}"));
                }
                for (name, value) in el.attrs() {
                    attr_ok(policy, tag, name, value)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The output reads back as balanced tags of allowed elements.
fn balanced(out: &str, policy: Policy) -> Result<(), String> {
    let mut open = Vec::new();
    for piece in pieces(out) {
        match piece {
            Piece::Text(_) => {}
            Piece::Start { name, .. } => {
                if !allowed(&name, policy) {
                    return Err(format!("element {name}"));
                }
                if !VOID.contains(&name.as_str()) {
                    open.push(name);
                }
            }
            Piece::End(name) => {
                if open.pop().as_deref() != Some(name.as_str()) {
                    return Err(format!("end tag {name}"));
                }
            }
        }
    }
    if open.is_empty() {
        Ok(())
    } else {
        Err(format!("left open: {open:?}"))
    }
}

fn holds(html: &str, policy: Policy) -> Result<(), TestCaseError> {
    let out = sanitize(html, policy);
    parsed_ok(&out, policy)
        .and_then(|()| balanced(&out, policy))
        .map_err(|e| TestCaseError::fail(format!("{policy:?}: {e} in {out:?}")))?;
    prop_assert_eq!(sanitize(&out, policy), out.clone(), "not idempotent");
    Ok(())
}

#[test]
fn text_policy_output_keeps_its_promises() {
    check("sanitize_text", markup(), |html| holds(&html, Policy::Text));
}

#[test]
fn preview_policy_output_keeps_its_promises() {
    check("sanitize_preview", markup(), |html| {
        holds(&html, Policy::Preview)
    });
}

#[test]
fn keeping_styles_keeps_the_text_promises() {
    check(
        "sanitize_text_keeping_styles",
        (markup(), markup(), vec(select(VALUES), 0..3)),
        |(html, original, extra)| {
            let out = sanitize_text_keeping_styles(&html, &original, &extra);
            parsed_ok(&out, Policy::Text)
                .and_then(|()| balanced(&out, Policy::Text))
                .map_err(|e| TestCaseError::fail(format!("{e} in {out:?}")))?;
            prop_assert_eq!(
                sanitize_text_keeping_styles(&out, &original, &extra),
                out.clone(),
                "not idempotent"
            );
            // Only ever less than the plain Text policy keeps.
            prop_assert!(out.len() <= sanitize(&html, Policy::Text).len());
            Ok(())
        },
    );
}
