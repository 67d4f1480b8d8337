use super::*;
use LinkTarget::*;

#[test]
fn parse_and_back() {
    let cases = [
        ("#landing42", Page(42)),
        ("#block7", Block(7)),
        ("tel:+74951234567", Phone("+74951234567".into())),
        ("TEL:123", Phone("123".into())),
        (
            "mailto:a@b.co?subject=Hi",
            Email("a@b.co?subject=Hi".into()),
        ),
        (
            "https://example.com/a?b=1#c",
            Url("https://example.com/a?b=1#c".into()),
        ),
        ("#landing", Url("#landing".into())),
        ("#landing0", Url("#landing0".into())),
        ("#landing4x", Url("#landing4x".into())),
        ("#landing+4", Url("#landing+4".into())),
        (
            "#block99999999999999999999999",
            Url("#block99999999999999999999999".into()),
        ),
        ("#system_mainpage", Url("#system_mainpage".into())),
        ("/about/", Url("/about/".into())),
        ("", Empty),
        ("   ", Empty),
    ];
    for (href, target) in cases {
        assert_eq!(LinkTarget::parse(href), target, "{href:?}");
        let back = target.to_href();
        assert_eq!(LinkTarget::parse(&back), target, "{href:?} -> {back:?}");
    }
    assert_eq!(LinkTarget::parse(" #landing5 "), Page(5));
    assert_eq!(Phone("1".into()).to_href(), "tel:1");
    assert_eq!(Email("x@y.zz".into()).to_href(), "mailto:x@y.zz");
    assert_eq!(Empty.to_href(), "");
}

#[test]
fn url_input() {
    let ok = [
        ("example.com", "https://example.com"),
        ("  example.com/path?q=1  ", "https://example.com/path?q=1"),
        ("localhost:8080/x", "https://localhost:8080/x"),
        ("http://example.com", "http://example.com"),
        ("HTTPS://EXAMPLE.COM", "HTTPS://EXAMPLE.COM"),
        ("ftp://files.example.com", "ftp://files.example.com"),
        ("//cdn.example.com/a.js", "https://cdn.example.com/a.js"),
        ("/about/", "/about/"),
        ("#contacts", "#contacts"),
        ("?utm=1", "?utm=1"),
        ("пример.рф", "https://пример.рф"),
    ];
    for (input, href) in ok {
        assert_eq!(
            url_from_input(input).map(|t| t.to_href()),
            Ok(href.to_owned()),
            "{input:?}"
        );
    }
    // Typing an editor link or a mail address in the URL box still reads as what it is.
    assert_eq!(url_from_input("#landing3"), Ok(Page(3)));
    assert_eq!(url_from_input("mailto:a@b.cd"), Ok(Email("a@b.cd".into())));
    for (input, err) in [
        ("", LinkInputError::Empty),
        ("   ", LinkInputError::Empty),
        ("javascript:alert(1)", LinkInputError::Unsafe),
        (" JaVa\tScRiPt:alert(1)", LinkInputError::Unsafe),
        ("vbscript:x", LinkInputError::Unsafe),
        ("data:text/html,<b>x</b>", LinkInputError::Unsafe),
        ("example.com/a b", LinkInputError::Blank),
    ] {
        assert_eq!(url_from_input(input), Err(err), "{input:?}");
    }
}

#[test]
fn phone_input() {
    for (input, phone) in [
        ("+7 (495) 123-45-67", "+74951234567"),
        ("8 800 555 35 35", "88005553535"),
        ("tel:+1-202-555-0100", "+12025550100"),
        ("1+2", "12"),
        (" +44 20 7946 0958 ext. 12", "+44207946095812"),
    ] {
        assert_eq!(
            phone_from_input(input),
            Ok(Phone(phone.into())),
            "{input:?}"
        );
    }
    assert_eq!(phone_from_input(""), Err(LinkInputError::Empty));
    assert_eq!(phone_from_input("tel:"), Err(LinkInputError::Empty));
    assert_eq!(phone_from_input("+ () -"), Err(LinkInputError::NoDigits));
    assert_eq!(phone_from_input("call me"), Err(LinkInputError::NoDigits));
}

#[test]
fn email_input() {
    for input in [
        "a@b.co",
        "first.last+tag@mail.example.com",
        "  mailto:Info@Example.ORG ",
        "ivan@пример.рф",
        "o'neil@x-y.io",
    ] {
        assert!(email_from_input(input).is_ok(), "{input:?}");
    }
    assert_eq!(
        email_from_input(" mailto:info@example.org"),
        Ok(Email("info@example.org".into()))
    );
    let long_local = format!("{}@example.com", "a".repeat(65));
    let long_all = format!("a@{}.com", "b".repeat(250));
    for input in [
        "",
        "plain",
        "@example.com",
        "a@",
        "a@b",
        "a@b.c",
        "a@@b.co",
        "a@b@c.co",
        "a b@c.co",
        "a@b .co",
        ".a@b.co",
        "a.@b.co",
        "a..b@c.co",
        "a@-b.co",
        "a@b-.co",
        "a@b..co",
        "a@.b.co",
        "<a>@b.co",
        "a@b.co>",
        "a,b@c.co",
        "a@b_c.co",
        &long_local,
        &long_all,
    ] {
        assert!(email_from_input(input).is_err(), "{input:?}");
    }
    assert_eq!(email_from_input(""), Err(LinkInputError::Empty));
    assert_eq!(email_from_input("x"), Err(LinkInputError::BadEmail));
}

#[test]
fn rows_arrive_leniently() {
    let pages: Vec<PageRow> = serde_json::from_str(
        r#"[{"ID": "12", "TITLE": " Prices ", "CODE": "prices", "SITE_ID": "3", "ACTIVE": "N", "DOMAIN_ID": "1"},
            {"ID": 13, "TITLE": null, "CODE": 7, "SITE_ID": 3},
            {"ID": "x"}, {"ID": "0"}, "junk", [], null]"#,
    )
    .unwrap();
    assert_eq!(
        pages[0],
        PageRow {
            id: Some(12),
            title: "Prices".into(),
            code: "prices".into(),
            site_id: Some(3),
            active: false,
        }
    );
    assert_eq!(pages[1].id, Some(13));
    assert_eq!(pages[1].code, "7");
    assert!(pages[1].active, "no ACTIVE counts as active");
    assert!(pages[2..].iter().all(|p| p.id.is_none()));

    let blocks: Vec<BlockRow> = serde_json::from_str(
        r#"[{"id": 102, "lid": 12, "code": "06.1features_3_cols", "name": "Features", "active": true, "meta": {"LID": "12"}},
            {"id": "103", "lid": "12", "code": "x", "name": "", "active": "N"}, 5]"#,
    )
    .unwrap();
    assert_eq!(blocks[0].id, Some(102));
    assert_eq!(blocks[0].lid, Some(12));
    assert!(blocks[0].active);
    assert_eq!(blocks[1].id, Some(103));
    assert!(!blocks[1].active);
    assert_eq!(blocks[2].id, None, "a non-object row has no id");
}

#[test]
fn labels() {
    let pages = vec![
        PageRow {
            id: Some(12),
            title: "Prices".into(),
            code: "prices".into(),
            site_id: Some(1),
            active: true,
        },
        PageRow {
            id: Some(14),
            title: String::new(),
            code: "untitled".into(),
            site_id: Some(1),
            active: true,
        },
    ];
    let blocks = vec![
        BlockRow {
            id: Some(7),
            lid: Some(12),
            code: "06.1".into(),
            name: "Features".into(),
            active: true,
        },
        BlockRow {
            id: Some(8),
            lid: Some(99),
            code: "04.1".into(),
            name: String::new(),
            active: true,
        },
    ];
    let label = |href: &str| target_label(&LinkTarget::parse(href), &pages, &blocks);
    assert_eq!(
        label("#landing12"),
        TargetLabel::Page {
            id: 12,
            title: "Prices".into()
        }
    );
    assert_eq!(
        label("#landing14"),
        TargetLabel::Page {
            id: 14,
            title: "untitled".into()
        }
    );
    assert_eq!(label("#landing15"), TargetLabel::UnknownPage(15));
    assert_eq!(
        label("#block7"),
        TargetLabel::Block {
            id: 7,
            name: "Features".into(),
            page: Some("Prices".into())
        }
    );
    assert_eq!(
        label("#block8"),
        TargetLabel::Block {
            id: 8,
            name: "04.1".into(),
            page: None
        }
    );
    assert_eq!(label("#block9"), TargetLabel::UnknownBlock(9));
    assert_eq!(label("tel:+1"), TargetLabel::Phone("+1".into()));
    assert_eq!(label("mailto:a@b.co"), TargetLabel::Email("a@b.co".into()));
    assert_eq!(
        label("https://x.io"),
        TargetLabel::Url("https://x.io".into())
    );
    assert_eq!(label(""), TargetLabel::Empty);
}

fn page(id: Option<u64>, title: &str, code: &str) -> PageRow {
    PageRow {
        id,
        title: title.into(),
        code: code.into(),
        site_id: Some(1),
        active: true,
    }
}

fn block(id: Option<u64>, name: &str, code: &str) -> BlockRow {
    BlockRow {
        id,
        lid: Some(1),
        code: code.into(),
        name: name.into(),
        active: true,
    }
}

#[test]
fn pages_are_found_by_every_word_in_title_or_code() {
    let pages = [
        page(Some(1), "Home", "index"),
        page(Some(2), "Prices", "prices"),
        page(Some(3), "Price list 2026", "archive"),
        page(None, "Prices (broken row)", "x"),
        page(Some(4), "Über uns", "ueber"),
    ];
    let ids =
        |q: &str| -> Vec<Option<u64>> { find_pages(&pages, q).iter().map(|p| p.id).collect() };
    assert_eq!(ids(""), vec![Some(1), Some(2), Some(3), Some(4)]);
    assert_eq!(ids("   "), vec![Some(1), Some(2), Some(3), Some(4)]);
    assert_eq!(ids("PRICE"), vec![Some(2), Some(3)]);
    assert_eq!(ids("price 2026"), vec![Some(3)]);
    assert_eq!(ids("price archive"), vec![Some(3)]);
    assert_eq!(ids("index"), vec![Some(1)]);
    assert_eq!(ids("über"), vec![Some(4)]);
    assert_eq!(ids("ÜBER"), vec![Some(4)]);
    assert!(ids("nothing").is_empty());
}

#[test]
fn blocks_are_found_by_name_code_or_anchor() {
    let blocks = [
        block(Some(7), "Contacts form", "33.1.form"),
        block(Some(8), "", "04.1.text"),
        block(None, "Contacts (no id)", "x"),
        block(Some(17), "Cover", "01.big"),
    ];
    let ids =
        |q: &str| -> Vec<Option<u64>> { find_blocks(&blocks, q).iter().map(|b| b.id).collect() };
    assert_eq!(ids(""), vec![Some(7), Some(8), Some(17)]);
    assert_eq!(ids("contacts"), vec![Some(7)]);
    assert_eq!(ids("04.1"), vec![Some(8)]);
    assert_eq!(ids("#block1"), vec![Some(17)]);
    assert_eq!(ids("block7"), vec![Some(7)]);
    assert!(ids("form cover").is_empty());
}

#[test]
fn a_page_address_is_its_code_between_slashes() {
    assert_eq!(page_address(&page(Some(2), "Prices", "prices")), "/prices/");
    assert_eq!(page_address(&page(Some(2), "Prices", "/a/")), "/a/");
    assert_eq!(page_address(&page(Some(2), "Prices", "")), "");
}
