use super::*;
use crate::core::model::tests::{F04, F06, F31, F43, F44, F49};

fn text(html: &str) -> String {
    sanitize(html, Policy::Text)
}

fn preview(html: &str) -> String {
    sanitize(html, Policy::Preview)
}

#[test]
fn formatting_and_links_stay() {
    let html = r#"Only From <span style="color: #ee4136;">$150.00</span> <b>now</b><br><a href="https://x.example/" target="_blank">go</a>"#;
    assert_eq!(
        text(html),
        r##"Only From <span style="color: #ee4136;">$150.00</span> <b>now</b><br><a href="https://x.example/" target="_blank" rel="noopener noreferrer">go</a>"##
    );
}

#[test]
fn script_elements_go_with_their_content() {
    for tag in [
        "script", "style", "iframe", "object", "svg", "template", "textarea",
    ] {
        let out = text(&format!("a<{tag} x=1>alert(1)<b>in</b></{tag}>b"));
        assert_eq!(out, "ab", "{tag}");
        let out = preview(&format!("a<{}>alert(1)</{}>b", tag.to_uppercase(), tag));
        assert_eq!(out, "ab", "{tag} in capitals");
    }
    // An unclosed one takes the rest with it.
    assert_eq!(text("a<script>alert(1)"), "a");
    // Split names do not join up into a tag: `<scr<script>` is one unknown tag.
    assert_eq!(text("<scr<script>ipt>alert(1)</script>"), "ipt&gt;alert(1)");
    assert_eq!(text("<!--<script>alert(1)</script>-->x"), "x");
}

#[test]
fn handlers_and_script_addresses_never_survive() {
    assert_eq!(
        preview(r#"<img src="x" onerror="alert(1)">"#),
        r#"<img src="x">"#
    );
    for href in [
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:x",
        "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64,AAAA",
    ] {
        let out = text(&format!(r#"<a href="{href}">x</a>"#));
        assert_eq!(out, "<a>x</a>", "{href}");
    }
    // Lazy-load placeholders are raster data pictures; SVG ones are refused.
    assert!(preview(r#"<img src="data:image/gif;base64,R0lG">"#).contains("src="));
    assert!(!preview(r#"<img src="data:image/svg+xml,<svg onload=alert(1)>">"#).contains("src="));
    assert!(!text(r#"<span srcdoc="x" formaction="y" xmlns="z">a</span>"#).contains('='));
    assert_eq!(
        preview(r#"<div data-preview="javascript:alert(1)" data-x="1">a</div>"#),
        r#"<div data-x="1">a</div>"#
    );
}

#[test]
fn styles_that_could_load_script_are_dropped() {
    for style in [
        "background:url(javascript:alert(1))",
        "background: url( 'JavaScript:alert(1)')",
        "width: expression(alert(1))",
        "-moz-binding: url(x.xml#x)",
        "color: red; @import 'x.css'",
        "background: url(java\\73 cript:alert(1))",
        "background: url(data:image/svg+xml,x)",
    ] {
        let out = preview(&format!(r#"<div style="{style}">x</div>"#));
        assert_eq!(out, "<div>x</div>", "{style}");
    }
    let bg = r#"<div style="background-image: url('https://cdn.example/a.jpg');">x</div>"#;
    assert_eq!(preview(bg), bg);
}

#[test]
fn output_is_well_formed_and_escaped() {
    assert_eq!(text("<b><i>x</b>y"), "<b><i>x</i></b>y");
    assert_eq!(text("</p>stray</b>"), "stray");
    assert_eq!(text("<p>open"), "<p>open</p>");
    assert_eq!(text("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
    assert_eq!(text("&lt;script&gt;"), "&lt;script&gt;");
    assert_eq!(
        text(r#"<a title='say "hi"'>x</a>"#),
        r#"<a title="say &quot;hi&quot;">x</a>"#
    );
    assert_eq!(text("<a href=\"x"), "");
    assert_eq!(text("x<"), "x&lt;");
    assert_eq!(text("<b>Привет</b> мир"), "<b>Привет</b> мир");
    assert_eq!(text("<B CLASS=a class=b>x</B>"), r#"<b class="a">x</b>"#);
}

#[test]
fn unknown_elements_leave_their_text() {
    assert_eq!(
        text("<font color=red>x</font><form><input value=1>y</form>"),
        "xy"
    );
    assert_eq!(
        text("<div class=x><h2>t</h2></div>"),
        r#"<div class="x"><h2>t</h2></div>"#
    );
    // The preview keeps structure and the app's marks.
    let html = r#"<section class="landing-block"><div data-lbe-field="3" aria-label="x">t</div></section>"#;
    assert_eq!(preview(html), html);
    // Text has no section, no data attributes.
    assert_eq!(text(html), "<div>t</div>");
}

#[test]
fn deep_and_huge_input_is_bounded() {
    let deep = "<div>".repeat(100_000) + "x";
    let out = preview(&deep);
    assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
    assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
    let many = "<script>x</script>".repeat(50_000) + "<i>y</i>";
    assert_eq!(preview(&many), "<i>y</i>");
    let attrs = format!("<b {}>x</b>", "a=1 ".repeat(20_000));
    assert_eq!(text(&attrs), "<b>x</b>");
}

#[test]
fn sanitizing_twice_changes_nothing() {
    for html in [
        "<b><i>x</b>y",
        r#"<a href="javascript:x" target=_blank>x</a>"#,
        "a < b &amp; <p>c",
        r#"<div style="color: red" onclick="x">&nbsp;y</div>"#,
    ] {
        for policy in [Policy::Text, Policy::Preview] {
            let once = sanitize(html, policy);
            assert_eq!(sanitize(&once, policy), once, "{html}");
        }
    }
}

#[test]
fn the_fixture_blocks_keep_their_editable_nodes() {
    for fixture in [F04, F06, F31, F43, F44, F49] {
        let fixture: serde_json::Value = serde_json::from_str(fixture).expect("fixture");
        let html = fixture["content"].as_str().unwrap_or_default();
        let out = preview(html);
        assert_eq!(
            out.matches("landing-block-node-").count(),
            html.matches("landing-block-node-").count(),
            "{}",
            fixture["code"]
        );
        assert_eq!(
            sanitize(&out, Policy::Preview),
            out,
            "idempotent on {}",
            fixture["code"]
        );
    }
}

/// Random mixes of the pieces hostile HTML is made of: whatever comes in, the output has no
/// script element, handler or script address, and sanitizing it again changes nothing.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "<",
        ">",
        "</",
        "/>",
        "<!--",
        "-->",
        "\"",
        "'",
        "=",
        " ",
        "&",
        "&amp;",
        "&#106;",
        "&lt;",
        "script",
        "SCRIPT",
        "style",
        "svg",
        "img",
        "a",
        "b",
        "div",
        "p",
        "span",
        "iframe",
        " onerror=",
        " onclick",
        " href=",
        " src=",
        " style=",
        "javascript:",
        "java\tscript:",
        "data:",
        "url(",
        "expression(",
        "x",
        "Привет",
    ];

    fn hostile() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(PIECES), 0..60)
            .prop_map(|pieces| pieces.concat())
    }

    /// The tags of sanitized output: text and values escape `<` and `>`, so tags are exactly
    /// what lies between them.
    fn tags(out: &str) -> Vec<&str> {
        out.split('<')
            .skip(1)
            .filter_map(|t| t.split('>').next())
            .collect()
    }

    /// A tag's attribute names and values: values are always double-quoted and never hold a
    /// `"` (it is escaped), so splitting on quotes separates them.
    fn names_and_values(tag: &str) -> (String, Vec<&str>) {
        let parts: Vec<&str> = tag.split('"').collect();
        let names = parts
            .iter()
            .step_by(2)
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        (names, parts.iter().skip(1).step_by(2).copied().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn nothing_that_runs_survives_and_twice_is_once(html in hostile()) {
            for policy in [Policy::Text, Policy::Preview] {
                let out = sanitize(&html, policy);
                let lower = out.to_ascii_lowercase();
                prop_assert!(!lower.contains("<script") && !lower.contains("<iframe")
                    && !lower.contains("<svg") && !lower.contains("<style"), "{}", out);
                for tag in tags(&lower) {
                    let (names, values) = names_and_values(tag);
                    prop_assert!(!names.contains(" on"), "{}", out);
                    for value in values {
                        let flat: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                        prop_assert!(!flat.starts_with("javascript:"), "{}", out);
                    }
                }
                prop_assert_eq!(sanitize(&out, policy), out.clone());
            }
        }
    }
}
