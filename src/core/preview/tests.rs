use super::*;
use crate::core::manifest::{Dimensions, NodeKind};
use crate::core::model::Preserved;

fn field(kind: NodeKind, original: FieldValue, preserved: Preserved) -> Field {
    Field {
        key: ".node@0".into(),
        selector: ".node".into(),
        position: 0,
        name: "Node".into(),
        kind,
        original,
        card: None,
        preserved,
        dimensions: Dimensions::default(),
        card_label: false,
    }
}

fn link(text: &str, href: &str, new_tab: bool) -> FieldValue {
    FieldValue::Link {
        text: text.into(),
        href: href.into(),
        new_tab,
    }
}

fn img(src: &str, alt: &str, src2x: &str) -> FieldValue {
    FieldValue::Img {
        src: src.into(),
        alt: alt.into(),
        src2x: src2x.into(),
    }
}

#[test]
fn text_is_shown_sanitized() {
    let f = field(
        NodeKind::Text,
        FieldValue::Text("a".into()),
        Preserved::default(),
    );
    let p = patch(
        &f,
        &FieldValue::Text("<b>Hi</b><script>x()</script>".into()),
    );
    let html = p.inner_html.unwrap_or_default();
    assert!(html.contains("<b>Hi</b>"), "{html}");
    assert!(!html.contains("script"), "{html}");
}

#[test]
fn link_text_is_escaped_and_script_addresses_are_dropped() {
    let f = field(NodeKind::Link, link("Go", "#", false), Preserved::default());
    let p = patch(&f, &link("<i>x</i> & y", " javascript:alert(1)", true));
    assert_eq!(
        p.inner_html.as_deref(),
        Some("&lt;i&gt;x&lt;/i&gt; &amp; y")
    );
    assert!(p.remove.contains(&"href"));
    assert!(p.set.contains(&("target", "_blank".into())));

    let p = patch(&f, &link("Go", "https://example.com/", false));
    assert!(p.set.contains(&("href", "https://example.com/".into())));
    assert!(p.remove.contains(&"target"));
}

#[test]
fn link_with_markup_keeps_its_content_until_its_text_changes() {
    let kept = Preserved {
        link_markup: true,
        ..Preserved::default()
    };
    let f = field(NodeKind::Link, link("Buy", "#", false), kept);
    assert_eq!(patch(&f, &link("Buy", "/buy", false)).inner_html, None);
    assert_eq!(
        patch(&f, &link("Order", "/buy", false))
            .inner_html
            .as_deref(),
        Some("Order")
    );
}

#[test]
fn picture_sets_src_srcset_and_alt() {
    let f = field(NodeKind::Img, img("a.jpg", "", ""), Preserved::default());
    let p = patch(&f, &img("b.jpg", "A cat", "b@2x.jpg"));
    assert!(p.set.contains(&("src", "b.jpg".into())));
    assert!(p.set.contains(&("srcset", "b@2x.jpg 2x".into())));
    assert!(p.set.contains(&("alt", "A cat".into())));

    let p = patch(&f, &img("data:text/html,<script>", "", ""));
    assert!(p.remove.contains(&"src") && p.remove.contains(&"srcset") && p.remove.contains(&"alt"));
}

#[test]
fn background_picture_becomes_a_quoted_css_url() {
    let kept = Preserved {
        background: true,
        ..Preserved::default()
    };
    let f = field(NodeKind::Img, img("a.jpg", "", ""), kept);
    let p = patch(&f, &img("https://x/a\"b\\c\n.jpg", "", ""));
    assert_eq!(
        p.background.as_deref(),
        Some(r#"url("https://x/a\"b\\c.jpg")"#)
    );
    assert!(p.set.is_empty() || p.set.iter().all(|(name, _)| *name != "src"));
    let p = patch(&f, &img("javascript:alert(1)", "", ""));
    assert_eq!(p.background.as_deref(), Some("none"));
}

#[test]
fn icon_and_embed() {
    let f = field(
        NodeKind::Icon,
        FieldValue::Icon {
            classes: "a".into(),
        },
        Preserved::default(),
    );
    let p = patch(
        &f,
        &FieldValue::Icon {
            classes: " fa fa-star ".into(),
        },
    );
    assert_eq!(p.set, vec![("class", "fa fa-star".to_owned())]);

    let embed = FieldValue::Embed {
        src: "//www.youtube.com/embed/x".into(),
        source: "https://www.youtube.com/watch?v=x".into(),
        preview: "//img.youtube.com/vi/x/sddefault.jpg".into(),
        ratio: String::new(),
    };
    let f = field(NodeKind::Embed, embed.clone(), Preserved::default());
    let p = patch(&f, &embed);
    assert_eq!(
        p.background.as_deref(),
        Some(r#"url("//img.youtube.com/vi/x/sddefault.jpg")"#)
    );
}

#[test]
fn a_value_of_another_kind_changes_nothing() {
    let f = field(
        NodeKind::Icon,
        FieldValue::Text(String::new()),
        Preserved::default(),
    );
    assert_eq!(patch(&f, &FieldValue::Text("x".into())), Patch::default());
}

#[test]
fn stylesheets_resolve_against_the_portal_and_only_http_stays() {
    let css = [
        "/bitrix/blocks/a/style.css",
        "https://cdn.example/b.css",
        "//cdn.example/c.css",
        "/bitrix/blocks/a/style.css",
        "javascript:alert(1)",
        "relative.css",
        " ",
    ]
    .map(String::from);
    assert_eq!(
        stylesheet_urls("https://portal.example", &css),
        [
            "https://portal.example/bitrix/blocks/a/style.css",
            "https://cdn.example/b.css",
            "https://cdn.example/c.css",
        ]
    );
}

#[test]
fn document_links_the_stylesheets_escaped_then_the_preview_own() {
    let doc = document(
        &["https://p/a.css?x=1&y=\"2\"".into()],
        "static/preview.css",
        "<p>x</p>",
    );
    assert!(doc.starts_with("<!DOCTYPE html>"));
    let a = doc.find("href=\"https://p/a.css?x=1&amp;y=&quot;2&quot;\"");
    let own = doc.find("href=\"static/preview.css\"");
    assert!(a.is_some() && own.is_some() && a < own, "{doc}");
    assert!(doc.ends_with("<body><p>x</p></body></html>"));
}
