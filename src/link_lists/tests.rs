use serde_json::json;

use super::*;
use crate::test_form::decode_form;

fn query_of(command: &BatchCommand) -> serde_json::Value {
    decode_form(&command.query)
}

#[test]
fn the_batch_reads_the_page_then_its_site_then_the_blocks() {
    let commands = link_list_commands(42, None);
    let keys: Vec<&str> = commands.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, [PAGE_KEY, PAGES_KEY, BLOCKS_KEY]);
    assert_eq!(commands[0].method, "landing.landing.getlist");
    assert_eq!(
        query_of(&commands[0]),
        json!({"params": {"select": ["ID", "SITE_ID"], "filter": {"ID": "42"}}})
    );
    assert_eq!(
        query_of(&commands[1]),
        json!({"params": {
            "select": ["ID", "TITLE", "CODE", "SITE_ID", "ACTIVE"],
            "filter": {"SITE_ID": "$result[page][0][SITE_ID]"},
            "order": {"TITLE": "ASC"},
        }})
    );
    assert_eq!(commands[2].method, "landing.block.getlist");
    assert_eq!(
        query_of(&commands[2]),
        json!({"lid": "42", "params": {"edit_mode": "1"}})
    );
    // The reference is escaped inside the command, so it reaches the portal whole.
    assert!(!commands[1].query.contains('$'));
}

#[test]
fn a_special_site_type_sends_its_scope_with_every_command() {
    for command in link_list_commands(7, Some(Scope::Knowledge)) {
        assert_eq!(
            query_of(&command)["scope"],
            json!("KNOWLEDGE"),
            "{}",
            command.key
        );
    }
    for command in link_list_commands(7, None) {
        assert!(query_of(&command).get("scope").is_none());
    }
}

fn raw(v: serde_json::Value) -> Raw {
    Raw::parse(&v.to_string()).unwrap()
}

#[test]
fn the_answer_gives_the_pages_and_the_blocks() {
    let lists = link_lists_from(&raw(json!({
        "result": {
            "page": [{"ID": "42", "SITE_ID": "3", "DOMAIN_ID": "3"}],
            "pages": [
                {"ID": "2", "TITLE": "Prices", "CODE": "prices", "SITE_ID": "3", "ACTIVE": "Y"},
                {"ID": "42", "TITLE": "Home", "CODE": "index", "SITE_ID": "3", "ACTIVE": "N"},
            ],
            "blocks": {"0": {"id": 7, "lid": 42, "code": "33.1.form", "name": "Contacts form", "active": true}},
        },
        "result_error": [],
    })))
    .unwrap();
    assert_eq!(lists.pages.len(), 2);
    assert_eq!(lists.pages[0].title, "Prices");
    assert!(!lists.pages[1].active);
    assert_eq!(lists.blocks.len(), 1);
    assert_eq!(lists.blocks[0].id, Some(7));
    assert_eq!(lists.blocks[0].name, "Contacts form");
}

#[test]
fn empty_lists_are_no_rows() {
    let lists = link_lists_from(&raw(json!({
        "result": {"page": [], "pages": [], "blocks": []},
        "result_error": [],
    })))
    .unwrap();
    assert_eq!(lists, LinkLists::default());
}

#[test]
fn a_failed_command_fails_the_load_and_a_bare_answer_is_bad() {
    let err = link_lists_from(&raw(json!({
        "result": [],
        "result_error": {"page": {"error": "ACCESS_DENIED", "error_description": "Access denied"}},
    })))
    .unwrap_err();
    assert_eq!(err, RestError::AccessDenied);
    let err =
        link_lists_from(&raw(json!({"result": {"page": []}, "result_error": []}))).unwrap_err();
    assert!(matches!(err, RestError::BadResponse(_)), "{err:?}");
    assert!(link_lists_from(&raw(json!("nope"))).is_err());
}
