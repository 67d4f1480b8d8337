use super::*;
use crate::core::sanitize::sanitize_text_keeping_styles;

const PRICE: &str = r#"Only From <span style="color: #ee4136;">$150.00</span>"#;

#[test]
fn markup_makes_formatted_text_and_plain_text_stays_plain() {
    assert!(is_formatted(PRICE));
    assert!(is_formatted("a<br>b"));
    assert!(is_formatted("<p>x</p>"));
    assert!(!is_formatted("Lorem ipsum"));
    assert!(!is_formatted("Tom &amp; Jerry&nbsp;"));
    assert!(!is_formatted("1 < 2 and 3 > 2"));
}

#[test]
fn enter_makes_what_the_node_uses() {
    let paragraphs = lines_of("<p>Donec erat urna</p><p>second</p>");
    assert_eq!(paragraphs, Lines::Paragraphs);
    assert_eq!(lines_of("<P class=\"x\">one</P>"), Lines::Paragraphs);
    assert_eq!(lines_of("one<br>two"), Lines::Breaks);
    assert_eq!(lines_of(PRICE), Lines::Breaks);
    // A `<p` in text or in a dropped element is no paragraph.
    assert_eq!(lines_of("a &lt;p&gt; b<script><p></script>"), Lines::Breaks);
    assert_eq!(lines_of("<pre>x</pre>"), Lines::Breaks);

    assert_eq!(on_enter(Lines::Paragraphs, false), Insert::Paragraph);
    assert_eq!(on_enter(Lines::Paragraphs, true), Insert::LineBreak);
    assert_eq!(on_enter(Lines::Breaks, false), Insert::LineBreak);
    assert_eq!(on_enter(Lines::Breaks, true), Insert::LineBreak);
}

#[test]
fn hostile_content_is_shown_inert() {
    let shown = shown(
        r#"<b onclick="x()">a</b><img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">l</a><style>*{}</style><!--c--><iframe src="/"></iframe>"#,
    );
    assert_eq!(shown, "<b>a</b><a>l</a>");
}

#[test]
fn a_paste_keeps_inline_formatting_and_links_only() {
    let pasted = r#"<meta charset="utf-8"><!--StartFragment--><p style="color:red" class="x">One <b>bold</b> <a href="https://x.example/" onclick="y()">link</a></p><p>Two <span style="font-size:40px">big</span></p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">bad</a><style>p{}</style><!--EndFragment-->"#;
    assert_eq!(
        clean_paste(pasted),
        r#"One <b>bold</b> <a href="https://x.example/">link</a><br>Two big<br><a>bad</a>"#
    );
    assert_eq!(clean_paste("plain &amp; simple"), "plain &amp; simple");
    assert_eq!(clean_paste("<ul><li>a</li><li>b</li></ul>"), "a<br>b");
    assert_eq!(
        clean_paste("<a href=\"/x\" target=\"_blank\">t</a>"),
        "<a href=\"/x\" target=\"_blank\" rel=\"noopener noreferrer\">t</a>"
    );
}

#[test]
fn link_addresses_follow_the_link_fields_rules() {
    assert_eq!(
        link_href("example.com/a"),
        Ok("https://example.com/a".to_owned())
    );
    assert_eq!(link_href(" /about "), Ok("/about".to_owned()));
    assert_eq!(
        link_href("mailto:a@b.example"),
        Ok("mailto:a@b.example".to_owned())
    );
    for bad in [
        "javascript:alert(1)",
        " JaVaScRiPt:x",
        "vbscript:x",
        "data:text/html,x",
    ] {
        assert_eq!(link_href(bad), Err(LinkInputError::Unsafe), "{bad}");
    }
    assert_eq!(link_href("  "), Err(LinkInputError::Empty));
}

#[test]
fn a_browser_rewriting_the_same_content_is_no_change() {
    let same = [
        (
            PRICE,
            r#"Only From <span style="color:#EE4136">$150.00</span>"#,
        ),
        ("<b>a</b> and <i>b</i>", "<strong>a</strong> and <em>b</em>"),
        ("<s>x</s>", "<strike>x</strike>"),
        ("a&nbsp;b", "a&#160;b"),
        ("a&nbsp;b", "a b"),
        ("a  b\n c", "a b c"),
        (
            r#"<a href="/x" class="k" target="_blank">l</a>"#,
            r#"<a target="_blank" class="k" href="/x" rel="noopener noreferrer">l</a>"#,
        ),
        ("<p>one</p>\n<p>two</p>", "<p>one</p> <p>two</p>"),
        ("x<br/>y", "x<br>y"),
        ("x <b class=\"\">y</b>", "x <b>y</b>"),
        (
            "\n\t\t<p>\n\t\t\tDonec erat urna\n\t\t</p>\n\t",
            "<p>Donec erat urna</p>",
        ),
        ("one<br>\n two", "one<br>two"),
    ];
    for (original, browser) in same {
        assert_eq!(
            canonical(original),
            canonical(browser),
            "{original} / {browser}"
        );
        assert_eq!(edited_value(original, browser), original, "{browser}");
    }
}

#[test]
fn a_real_edit_is_a_change_and_is_saved_sanitized() {
    let edits = [
        (
            PRICE,
            r#"Only From <span style="color: #ee4136;">$140.00</span>"#,
        ),
        (
            PRICE,
            r#"Only <b>From</b> <span style="color: #ee4136;">$150.00</span>"#,
        ),
        ("a b", "ab"),
        ("<b>a</b> <i>b</i>", "<b>a</b><i>b</i>"),
        ("<b>a</b>", "<i>a</i>"),
        ("<p>one</p>", "<p>one</p><p>two</p>"),
        ("x", "<a href=\"/x\">x</a>"),
        (
            PRICE,
            r#"Only From <span style="color: #000;">$150.00</span>"#,
        ),
    ];
    for (original, edited) in edits {
        assert_ne!(edited_value(original, edited), original, "{edited}");
    }
    assert_eq!(
        edited_value(
            PRICE,
            r#"Only <b onmouseover="x()">From</b> <span style="color: #ee4136;">$150.00</span><script>alert(1)</script>"#
        ),
        r#"Only <b>From</b> <span style="color: #ee4136;">$150.00</span>"#
    );
}

#[test]
fn styles_stay_only_where_the_block_had_them() {
    // Merging lines makes Chrome write a font-size span; the block never had one.
    let edited = r#"Only From <span style="color: #ee4136;">$150.00</span><span style="font-size: 14px;"> more</span>"#;
    assert_eq!(
        sanitize_text_keeping_styles(edited, PRICE, &[]),
        r#"Only From <span style="color: #ee4136;">$150.00</span><span> more</span>"#
    );
    // The same style on another kind of element is not the block's either.
    assert_eq!(
        sanitize_text_keeping_styles(r#"<b style="color: #ee4136;">x</b>"#, PRICE, &[]),
        "<b>x</b>"
    );
    assert_eq!(
        sanitize_text_keeping_styles(r#"<b style="color: red">x</b>"#, "", &["color: red"]),
        r#"<b style="color: red">x</b>"#
    );
    // Hostile styles go whatever the original had.
    let hostile = r#"<span style="background:url(javascript:x)">x</span>"#;
    assert_eq!(
        sanitize_text_keeping_styles(hostile, hostile, &[]),
        "<span>x</span>"
    );
}

#[test]
fn what_is_saved_reads_back_the_same() {
    for html in [
        PRICE,
        "<p>a <b>b</b></p><ul><li>c</li></ul>",
        "x &amp; &lt;y&gt;",
    ] {
        let once = sanitize_text_keeping_styles(html, html, &[]);
        assert_eq!(sanitize_text_keeping_styles(&once, html, &[]), once);
        assert_eq!(canonical(&once), canonical(html));
    }
}

#[test]
fn the_shortcuts_are_ctrl_or_cmd_with_b_i_u_k() {
    assert_eq!(shortcut("b", true, false), Some(Format::Bold));
    assert_eq!(shortcut("B", true, false), Some(Format::Bold));
    assert_eq!(shortcut("i", true, false), Some(Format::Italic));
    assert_eq!(shortcut("u", true, false), Some(Format::Underline));
    assert_eq!(shortcut("k", true, false), Some(Format::Link));
    assert_eq!(shortcut("b", false, false), None);
    assert_eq!(shortcut("b", true, true), None);
    assert_eq!(shortcut("s", true, false), None);
    assert!(Format::ALL
        .iter()
        .filter(|f| !f.toggles())
        .eq([&Format::Clear]));
}

#[test]
fn a_list_the_browser_nested_in_a_paragraph_is_saved_after_it() {
    let body = "<p>First.</p><p>Second.</p>";
    assert_eq!(
        edited_value(body, "<p>First.</p><p><ol><li>Second.</li></ol></p>"),
        "<p>First.</p><ol><li>Second.</li></ol>"
    );
    assert_eq!(
        edited_value(body, "<p>First.<ul><li>x</li></ul>rest</p>"),
        "<p>First.</p><ul><li>x</li></ul>rest"
    );
    assert_eq!(
        edited_value(body, "<p><b>a<ul><li>x</li></ul></b></p>"),
        "<p><b>a</b></p><ul><li>x</li></ul>"
    );
}
