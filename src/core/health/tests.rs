use super::*;
use crate::core::i18n::Lang;
use crate::core::manifest::{Dimensions, Manifest, NodeKind};
use crate::core::model::tests::{form_of, F04, F06, F31, F43, F44, F49};
use crate::core::model::{Group, GroupKind, Preserved};

const HTTPS: HealthEnv = HealthEnv {
    portal_https: true,
    natural_sizes: Vec::new(),
};

/// A form of one field outside any card.
fn single(kind: NodeKind, original: FieldValue) -> BlockForm {
    BlockForm {
        block_name: "Test".into(),
        fields: vec![Field {
            key: ".node@0".into(),
            selector: ".node".into(),
            position: 0,
            name: "Node".into(),
            kind,
            original,
            card: None,
            preserved: Preserved::default(),
            dimensions: Dimensions::default(),
            card_label: false,
        }],
        groups: vec![Group {
            kind: GroupKind::Block,
            fields: vec![0],
        }],
        read_only: Vec::new(),
    }
}

fn kinds_of(form: &BlockForm, values: &[FieldValue], env: &HealthEnv) -> Vec<FindingKind> {
    check(form, values, env)
        .into_iter()
        .map(|f| f.kind)
        .collect()
}

fn text(s: &str) -> FieldValue {
    FieldValue::Text(s.into())
}

fn link(text: &str, href: &str) -> FieldValue {
    FieldValue::Link {
        text: text.into(),
        href: href.into(),
        new_tab: false,
    }
}

fn img(src: &str, alt: &str) -> FieldValue {
    FieldValue::Img {
        src: src.into(),
        alt: alt.into(),
        src2x: String::new(),
    }
}

/// The findings of `kind` on the fields with `selector`.
fn on_selector(
    form: &BlockForm,
    findings: &[Finding],
    selector: &str,
    kind: &FindingKind,
) -> usize {
    findings
        .iter()
        .filter(|f| &f.kind == kind && form.fields[f.field].selector == selector)
        .count()
}

// ---- template text -------------------------------------------------------

#[test]
fn fixtures_own_template_text_is_found() {
    let t = &FindingKind::TemplateText;
    let (_, _, form) = form_of(F06);
    let found = check(&form, &form.initial_values(), &HTTPS);
    assert_eq!(
        on_selector(&form, &found, ".landing-block-node-element-text", t),
        3
    );
    assert_eq!(
        on_selector(&form, &found, ".landing-block-node-element-title", t),
        0
    );

    let (_, _, form) = form_of(F43);
    let found = check(&form, &form.initial_values(), &HTTPS);
    assert_eq!(
        on_selector(&form, &found, ".landing-block-node-card-text", t),
        10
    );
    assert_eq!(
        on_selector(&form, &found, ".landing-block-node-card-title", t),
        0
    );

    let (_, _, form) = form_of(F44);
    let found = check(&form, &form.initial_values(), &HTTPS);
    assert_eq!(
        on_selector(&form, &found, ".landing-block-node-card-text", t),
        3
    );
    assert_eq!(
        on_selector(&form, &found, ".landing-block-node-card-subtitle", t),
        3
    );
    assert_eq!(
        on_selector(&form, &found, ".landing-block-node-card-price", t),
        0
    );

    let (_, _, form) = form_of(F31);
    let found = check(&form, &form.initial_values(), &HTTPS);
    assert_eq!(on_selector(&form, &found, ".landing-block-node-text", t), 1);
    assert_eq!(
        on_selector(&form, &found, ".landing-block-node-title", t),
        0
    );

    // A block with real text has none.
    let (_, _, form) = form_of(F04);
    assert!(check(&form, &form.initial_values(), &HTTPS).is_empty());
}

#[test]
fn template_phrases_match_whole_words_case_insensitively() {
    for yes in [
        "Lorem ipsum dolor sit amet",
        "LOREM IPSUM",
        "Call us. Donec id elit non mi porta.",
        "…consectetur, adipiscing elit",
        "Sed feugiat porttitor nunc",
    ] {
        assert!(has_template_text(yes), "{yes}");
    }
    for no in [
        "Lorem is a village in Germany",
        "Meet Anna Donecker, our lawyer",
        "Ipsum is Latin for “itself”",
        "Dolor and amet are words; sit down",
        "Integer values only",
        "Vestibulum of the inner ear",
        "",
    ] {
        assert!(!has_template_text(no), "{no}");
    }
}

#[test]
fn template_text_is_read_through_markup_and_entities() {
    let form = single(NodeKind::Text, text("Our team"));
    for html in [
        "<b>Lorem</b> ipsum",
        "Lorem&nbsp;ipsum",
        "<p>lorem\n\tipsum</p>",
    ] {
        assert_eq!(
            kinds_of(&form, &[text(html)], &HTTPS),
            vec![FindingKind::TemplateText],
            "{html}"
        );
    }
    let form = single(NodeKind::Link, link("Buy", "/buy"));
    assert_eq!(
        kinds_of(&form, &[link("Donec tempus", "/buy")], &HTTPS),
        vec![FindingKind::TemplateText]
    );
    assert!(kinds_of(&form, &[link("Lorem, Germany", "/buy")], &HTTPS).is_empty());
    // Link text is plain: "<" starts no tag that could hide the rest.
    assert_eq!(
        kinds_of(&form, &[link("1 < 2 lorem ipsum", "/buy")], &HTTPS),
        vec![FindingKind::TemplateText]
    );
}

// ---- empty texts ---------------------------------------------------------

#[test]
fn emptied_text_is_found_only_where_the_block_had_text() {
    let form = single(NodeKind::Text, text("<p>Our services</p>"));
    for empty in ["", "  ", "<p> </p>", "&nbsp;", "<br>"] {
        assert_eq!(
            kinds_of(&form, &[text(empty)], &HTTPS),
            vec![FindingKind::EmptyText],
            "{empty:?}"
        );
    }
    assert!(kinds_of(&form, &[text("New text")], &HTTPS).is_empty());
    let form = single(NodeKind::Text, text("<p></p>"));
    assert!(kinds_of(&form, &[text("")], &HTTPS).is_empty());
}

#[test]
fn empty_link_text_is_found_unless_the_link_is_only_markup() {
    let mut form = single(NodeKind::Link, link("Order", "/order"));
    assert_eq!(
        kinds_of(&form, &[link("  ", "/order")], &HTTPS),
        vec![FindingKind::EmptyLinkText]
    );
    // An icon-only link: no text from the start is fine.
    form.fields[0].original = link("", "/order");
    form.fields[0].preserved.link_markup = true;
    assert!(kinds_of(&form, &[link("", "/order")], &HTTPS).is_empty());
    // A plain link without text is not.
    form.fields[0].preserved.link_markup = false;
    assert_eq!(
        kinds_of(&form, &[link("", "/order")], &HTTPS),
        vec![FindingKind::EmptyLinkText]
    );
}

// ---- links ---------------------------------------------------------------

fn link_kinds(href: &str, https: bool) -> Vec<FindingKind> {
    let form = single(NodeKind::Link, link("Go", "/"));
    let env = HealthEnv {
        portal_https: https,
        natural_sizes: Vec::new(),
    };
    kinds_of(&form, &[link("Go", href)], &env)
}

#[test]
fn links_that_go_nowhere() {
    for href in ["", "  ", "#", " # "] {
        assert_eq!(
            link_kinds(href, true),
            vec![FindingKind::LinkNowhere],
            "{href:?}"
        );
    }
    for href in [
        "#landing123",
        "#block45",
        "/about",
        "https://example.com",
        "?page=2",
    ] {
        assert!(link_kinds(href, true).is_empty(), "{href:?}");
    }
}

#[test]
fn http_links_on_an_https_portal() {
    assert_eq!(
        link_kinds("http://example.com", true),
        vec![FindingKind::LinkInsecure]
    );
    assert_eq!(
        link_kinds("HTTP://example.com", true),
        vec![FindingKind::LinkInsecure]
    );
    assert!(link_kinds("http://example.com", false).is_empty());
    assert!(link_kinds("https://example.com", true).is_empty());
}

#[test]
fn script_and_data_links() {
    for href in [
        "javascript:alert(1)",
        " JavaScript:void(0)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64,AAAA",
    ] {
        assert_eq!(
            link_kinds(href, true),
            vec![FindingKind::LinkScript],
            "{href:?}"
        );
    }
}

#[test]
fn mailto_links_need_a_plausible_address() {
    for href in [
        "mailto:info@example.com",
        "MAILTO:info@example.com?subject=Hello",
        "mailto:a@b.co,c.d@mail.example.org",
        "mailto:%69nfo@example.com",
        "mailto:почта@пример.рф",
    ] {
        assert!(link_kinds(href, true).is_empty(), "{href:?}");
    }
    for (href, shown) in [
        ("mailto:", ""),
        ("mailto:info", "info"),
        ("mailto:info@example", "info@example"),
        ("mailto:a b@example.com", "a b@example.com"),
        ("mailto:@example.com", "@example.com"),
        ("mailto:info@-bad.com", "info@-bad.com"),
        ("mailto:info@example.c0m", "info@example.c0m"),
    ] {
        assert_eq!(
            link_kinds(href, true),
            vec![FindingKind::BadEmail(shown.into())],
            "{href:?}"
        );
    }
}

#[test]
fn tel_links_need_a_plausible_number() {
    for href in [
        "tel:+7 (495) 123-45-67",
        "tel:112",
        "tel:+49.30.1234567",
        "tel:%2B1%20800%20555%200100",
    ] {
        assert!(link_kinds(href, true).is_empty(), "{href:?}");
    }
    for (href, shown) in [
        ("tel:", ""),
        ("tel:call-us", "call-us"),
        ("tel:+7", "+7"),
        ("tel:12", "12"),
        ("tel:1+2345", "1+2345"),
        ("tel:1234567890123456", "1234567890123456"),
    ] {
        assert_eq!(
            link_kinds(href, true),
            vec![FindingKind::BadPhone(shown.into())],
            "{href:?}"
        );
    }
}

// ---- images --------------------------------------------------------------

#[test]
fn images_without_alt_text() {
    let form = single(NodeKind::Img, img("a.jpg", "Team"));
    for alt in ["", "   "] {
        assert_eq!(
            kinds_of(&form, &[img("/a.jpg", alt)], &HTTPS),
            vec![FindingKind::MissingAlt],
            "{alt:?}"
        );
    }
    assert!(kinds_of(&form, &[img("/a.jpg", "Our team")], &HTTPS).is_empty());
    assert!(kinds_of(&form, &[img(" ", "")], &HTTPS).is_empty());
    // Background pictures are decoration.
    let mut background = form.clone();
    background.fields[0].preserved.background = true;
    assert!(kinds_of(&background, &[img("/a.jpg", "")], &HTTPS).is_empty());
    // The fixture's three <img> ship with alt="".
    let (_, _, form) = form_of(F44);
    let found = check(&form, &form.initial_values(), &HTTPS);
    let missing = &FindingKind::MissingAlt;
    assert_eq!(
        on_selector(&form, &found, ".landing-block-node-card-img", missing),
        3
    );
}

#[test]
fn manifest_dimensions_reach_the_fields() {
    let dims = |fixture: &str, selector: &str| {
        let (_, _, form) = form_of(fixture);
        form.fields
            .iter()
            .find(|f| f.selector == selector)
            .map(|f| f.dimensions)
    };
    let d = |width, height| Some(Dimensions { width, height });
    assert_eq!(
        dims(F43, ".landing-block-node-card-bgimg"),
        d(Some(1920), Some(1080))
    );
    assert_eq!(
        dims(F44, ".landing-block-node-card-img"),
        d(Some(540), None)
    );
    assert_eq!(dims(F31, ".landing-block-node-img"), d(None, Some(1080)));
    assert_eq!(dims(F31, ".landing-block-node-title"), d(None, None));
}

#[test]
fn manifest_dimensions_are_read_leniently() {
    let read = |dimensions: &str| {
        let json =
            format!(r#"{{"nodes": {{".a": {{"type": "img", "dimensions": {dimensions}}}}}}}"#);
        match serde_json::from_str::<Manifest>(&json) {
            Ok(m) => m.nodes.first().map(|n| n.dimensions),
            Err(e) => panic!("{dimensions}: {e}"),
        }
    };
    let d = |width, height| Some(Dimensions { width, height });
    assert_eq!(
        read(r#"{"width": 540, "height": "380"}"#),
        d(Some(540), Some(380))
    );
    assert_eq!(read("[]"), d(None, None));
    assert_eq!(read("null"), d(None, None));
    assert_eq!(read(r#"{"width": -5, "height": "tall"}"#), d(None, None));
    assert_eq!(read(r#"{"width": 0, "height": 1.5}"#), d(None, None));
}

fn sized(width: Option<u32>, height: Option<u32>) -> BlockForm {
    let mut form = single(NodeKind::Img, img("/a.jpg", "A"));
    form.fields[0].dimensions = Dimensions { width, height };
    form
}

fn size_kinds(form: &BlockForm, natural: Option<(u32, u32)>) -> Vec<FindingKind> {
    let env = HealthEnv {
        portal_https: true,
        natural_sizes: vec![natural],
    };
    kinds_of(form, &[img("/a.jpg", "A")], &env)
}

#[test]
fn images_far_above_their_slot_are_heavy() {
    let form = sized(Some(540), None);
    assert_eq!(
        size_kinds(&form, Some((4000, 3000))),
        vec![FindingKind::ImageHeavy {
            natural: (4000, 3000),
            enough: (1080, 810)
        }]
    );
    // Up to twice the 2x size is fine.
    assert!(size_kinds(&form, Some((2160, 1620))).is_empty());
    assert!(size_kinds(&form, Some((1080, 810))).is_empty());
    // A picture that fits one side of a two-sided slot is scaled by that side.
    let form = sized(Some(1920), Some(1080));
    assert!(size_kinds(&form, Some((8000, 4000))).is_empty());
    assert_eq!(
        size_kinds(&form, Some((8000, 6000))),
        vec![FindingKind::ImageHeavy {
            natural: (8000, 6000),
            enough: (3840, 2880)
        }]
    );
}

#[test]
fn images_below_their_slot_are_blurry() {
    let form = sized(Some(540), None);
    assert_eq!(
        size_kinds(&form, Some((500, 400))),
        vec![FindingKind::ImageBlurry {
            natural: (500, 400),
            needed: (540, 432)
        }]
    );
    let form = sized(Some(1920), Some(1080));
    assert_eq!(
        size_kinds(&form, Some((1000, 800))),
        vec![FindingKind::ImageBlurry {
            natural: (1000, 800),
            needed: (1920, 1536)
        }]
    );
    assert!(size_kinds(&form, Some((1920, 1280))).is_empty());
}

#[test]
fn image_size_needs_both_sizes_known() {
    // No natural size, or a zero one (not loaded).
    let form = sized(Some(540), None);
    assert!(size_kinds(&form, None).is_empty());
    assert!(size_kinds(&form, Some((0, 0))).is_empty());
    // No dimensions.
    let form = sized(None, None);
    assert!(size_kinds(&form, Some((9000, 9000))).is_empty());
    assert!(size_kinds(&form, Some((10, 10))).is_empty());
    // A missing entry in the environment is unknown too.
    let form = sized(Some(540), None);
    assert!(kinds_of(&form, &[img("/a.jpg", "A")], &HTTPS).is_empty());
}

// ---- video ---------------------------------------------------------------

#[test]
fn videos_must_be_embeddable() {
    let (_, _, form) = form_of(F49);
    let values = form.initial_values();
    assert!(
        check(&form, &values, &HTTPS).is_empty(),
        "the fixture's YouTube video"
    );
    let embed = |src: &str, source: &str| FieldValue::Embed {
        src: src.into(),
        source: source.into(),
        preview: String::new(),
        ratio: String::new(),
    };
    for (src, source) in [
        ("//player.vimeo.com/video/76979871", ""),
        ("", "https://youtu.be/q4d8g9Dn3ww"),
    ] {
        assert!(
            check(&form, &[embed(src, source)], &HTTPS).is_empty(),
            "{src} {source}"
        );
    }
    for (src, source) in [
        ("https://example.com/video.mp4", ""),
        ("https://www.youtube.com/channel/abc", ""),
        ("", ""),
    ] {
        assert_eq!(
            kinds_of(&form, &[embed(src, source)], &HTTPS),
            vec![FindingKind::BadVideo],
            "{src:?}"
        );
    }
}

// ---- duplicates ----------------------------------------------------------

const TITLE: &str = ".landing-block-node-card-title";
const SUBTITLE: &str = ".landing-block-node-card-subtitle";

fn set_all(form: &BlockForm, values: &mut [FieldValue], selector: &str, html: &str) {
    for (field, value) in form.fields.iter().zip(values.iter_mut()) {
        if field.selector == selector {
            *value = text(html);
        }
    }
}

#[test]
fn the_same_label_text_in_every_card_is_found_on_each() {
    let dup = &FindingKind::DuplicateText { cards: 3 };
    let (_, _, form) = form_of(F44);
    let mut values = form.initial_values();
    let found = check(&form, &values, &HTTPS);
    // "Fringilla porttitor" in all three subtitles; the titles differ.
    assert_eq!(on_selector(&form, &found, SUBTITLE, dup), 3);
    assert_eq!(on_selector(&form, &found, TITLE, dup), 0);
    // "From" and "Order Now" repeat on purpose: not labels.
    assert!(found
        .iter()
        .all(|f| f.kind != *dup || form.fields[f.field].card_label));

    set_all(&form, &mut values, TITLE, "<b>Wedding</b>");
    let found = check(&form, &values, &HTTPS);
    assert_eq!(on_selector(&form, &found, TITLE, dup), 3);

    // One card differing (case and markup aside) is enough.
    if let Some(i) = form.fields.iter().position(|f| f.selector == TITLE) {
        values[i] = text("WEDDING");
        assert_eq!(
            on_selector(&form, &check(&form, &values, &HTTPS), TITLE, dup),
            3
        );
        values[i] = text("Portraits");
        assert_eq!(
            on_selector(&form, &check(&form, &values, &HTTPS), TITLE, dup),
            0
        );
    }
    // All empty is an emptied text, not a duplicate.
    set_all(&form, &mut values, TITLE, "");
    let found = check(&form, &values, &HTTPS);
    assert_eq!(on_selector(&form, &found, TITLE, dup), 0);
    assert_eq!(
        on_selector(&form, &found, TITLE, &FindingKind::EmptyText),
        3
    );
}

#[test]
fn duplicates_need_every_card_and_at_least_two() {
    let (_, _, mut form) = form_of(F44);
    let values = form.initial_values();
    // Only two of the three cards left in the form: both still alike.
    let third: Vec<usize> = (0..form.fields.len())
        .filter(|&i| form.fields[i].card.is_some_and(|c| c.ordinal == 2))
        .collect();
    for &i in &third {
        form.fields[i].card = None;
    }
    let found = check(&form, &values, &HTTPS);
    assert_eq!(
        on_selector(
            &form,
            &found,
            SUBTITLE,
            &FindingKind::DuplicateText { cards: 2 }
        ),
        2
    );
    // One card: nothing to compare with.
    for i in 0..form.fields.len() {
        if form.fields[i].card.is_some_and(|c| c.ordinal == 1) {
            form.fields[i].card = None;
        }
    }
    let found = check(&form, &values, &HTTPS);
    assert!(found
        .iter()
        .all(|f| !matches!(f.kind, FindingKind::DuplicateText { .. })));
}

// ---- the whole check -----------------------------------------------------

#[test]
fn findings_follow_the_form_order() {
    let (_, _, form) = form_of(F44);
    let order: Vec<usize> = form.groups.iter().flat_map(|g| g.fields.clone()).collect();
    let found = check(&form, &form.initial_values(), &HTTPS);
    assert!(!found.is_empty());
    let positions: Vec<usize> = found
        .iter()
        .map(|f| {
            order
                .iter()
                .position(|&i| i == f.field)
                .unwrap_or(usize::MAX)
        })
        .collect();
    let mut sorted = positions.clone();
    sorted.sort_unstable();
    assert_eq!(positions, sorted);
    // Field indices themselves are manifest-ordered, so they do differ here.
    let indices: Vec<usize> = found.iter().map(|f| f.field).collect();
    let mut by_index = indices.clone();
    by_index.sort_unstable();
    assert_ne!(indices, by_index);
}

#[test]
fn odd_values_are_skipped_without_panicking() {
    let (_, _, form) = form_of(F31);
    assert!(check(&form, &[], &HTTPS).is_empty());
    let wrong: Vec<FieldValue> = form.fields.iter().map(|_| text("Lorem ipsum")).collect();
    let found = check(&form, &wrong, &HTTPS);
    // Only the text fields take a text value.
    assert!(found
        .iter()
        .all(|f| form.fields[f.field].kind == NodeKind::Text));
    assert_eq!(found.len(), 2);
    // Groups naming a field twice or one that does not exist: each field once.
    let mut odd = single(NodeKind::Text, text("x"));
    odd.groups[0].fields = vec![7, 0, 0];
    assert_eq!(
        check(&odd, &[text("lorem ipsum")], &HTTPS),
        vec![Finding {
            field: 0,
            kind: FindingKind::TemplateText
        }]
    );
}

#[test]
fn every_finding_reads_in_every_language() {
    let kinds = [
        FindingKind::TemplateText,
        FindingKind::EmptyText,
        FindingKind::EmptyLinkText,
        FindingKind::LinkNowhere,
        FindingKind::LinkInsecure,
        FindingKind::LinkScript,
        FindingKind::BadEmail("info@example".into()),
        FindingKind::BadPhone("+7".into()),
        FindingKind::MissingAlt,
        FindingKind::ImageHeavy {
            natural: (4000, 3000),
            enough: (1080, 810),
        },
        FindingKind::ImageBlurry {
            natural: (500, 400),
            needed: (540, 432),
        },
        FindingKind::BadVideo,
        FindingKind::DuplicateText { cards: 3 },
    ];
    for lang in Lang::ALL {
        for kind in &kinds {
            let text = finding_text(lang, kind);
            assert!(
                !text.trim().is_empty() && !text.contains('{'),
                "{kind:?} {lang:?}"
            );
            if lang != Lang::En {
                assert_ne!(text, finding_text(Lang::En, kind), "{kind:?} {lang:?}");
            }
        }
        assert!(finding_text(lang, &kinds[6]).contains("info@example"));
        assert!(finding_text(lang, &kinds[7]).contains("+7"));
        let heavy = finding_text(lang, &kinds[9]);
        assert!(
            heavy.contains("4000×3000") && heavy.contains("1080×810"),
            "{heavy}"
        );
        let blurry = finding_text(lang, &kinds[10]);
        assert!(
            blurry.contains("500×400") && blurry.contains("540×432"),
            "{blurry}"
        );
        assert!(finding_text(lang, &kinds[12]).contains('3'));
    }
}
