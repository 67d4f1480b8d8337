//! The REST methods themselves (`landing.block.*`, `landing.repo.*`), working on the store.
//! HTTP concerns (bodies, auth, envelope, batch, faults) live in `rest`.

use crate::html_edit::{self, EditError};
use crate::store::{Binding, Store, PLACEMENT_PREFIX};
use serde_json::{json, Map, Value};

/// An error answer: HTTP status + `{"error", "error_description"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub description: String,
}

impl ApiError {
    pub fn new(status: u16, code: &str, description: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_string(),
            description: description.into(),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({"error": self.code, "error_description": self.description})
    }

    pub fn method_not_found() -> Self {
        ApiError::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
    }

    fn access_denied() -> Self {
        ApiError::new(403, "ACCESS_DENIED", "Access denied.")
    }

    fn block_not_found() -> Self {
        ApiError::new(400, "BLOCK_NOT_FOUND", "Block not found.")
    }
}

impl From<EditError> for ApiError {
    fn from(e: EditError) -> Self {
        ApiError::new(400, e.code, e.message)
    }
}

/// A successful call: `result`, plus `total` for lists; `changed` = state must be saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    pub result: Value,
    pub total: Option<usize>,
    pub changed: bool,
}

fn ok(result: Value) -> Result<Success, ApiError> {
    Ok(Success {
        result,
        total: None,
        changed: false,
    })
}

fn changed(result: Value) -> Result<Success, ApiError> {
    Ok(Success {
        result,
        total: None,
        changed: true,
    })
}

pub const METHODS: [&str; 17] = [
    "landing.block.getmanifest",
    "landing.block.getcontent",
    "landing.block.getbyid",
    "landing.block.getlist",
    "landing.block.updatenodes",
    "landing.block.updateattrs",
    "landing.block.clonecard",
    "landing.block.removecard",
    "landing.block.updatecards",
    "landing.block.uploadfile",
    "landing.landing.getlist",
    "landing.repo.bind",
    "landing.repo.unbind",
    "landing.block.getrepository",
    "placement.get",
    "app.option.get",
    "app.option.set",
];

/// PHP truthiness of a request value: only a missing value, null, false, 0, "0", "" and empty
/// arrays are false. The string "false" is TRUE, as on the portal.
pub fn php_truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !(s.is_empty() || s == "0"),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

pub(crate) fn present<'a>(p: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    p.get(name).filter(|v| !v.is_null())
}

pub(crate) fn require(p: &Map<String, Value>, names: &[&str]) -> Result<(), ApiError> {
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| present(p, n).is_none())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::new(
            400,
            "MISSING_PARAMS",
            format!("Missing required parameters: {}.", missing.join(", ")),
        ))
    }
}

pub(crate) fn int_param(p: &Map<String, Value>, name: &str) -> Result<u64, ApiError> {
    let bad = || {
        ApiError::new(
            400,
            "TYPE_ERROR",
            format!("Parameter \"{name}\" must be an integer."),
        )
    };
    match present(p, name) {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(bad),
        Some(Value::String(s)) => s.trim().parse::<u64>().map_err(|_| bad()),
        _ => Err(bad()),
    }
}

/// `params.edit_mode` (or another flag) inside the `params` object.
pub(crate) fn nested_flag(p: &Map<String, Value>, name: &str) -> Option<Value> {
    p.get("params")
        .and_then(Value::as_object)
        .and_then(|o| o.get(name))
        .cloned()
}

pub(crate) fn check_read(store: &Store) -> Result<(), ApiError> {
    if store.access == 'D' {
        return Err(ApiError::access_denied());
    }
    Ok(())
}

pub(crate) fn check_write(store: &Store) -> Result<(), ApiError> {
    if store.access == 'X' || store.access == 'W' {
        Ok(())
    } else {
        Err(ApiError::access_denied())
    }
}

fn check_lid(store: &Store, lid: u64) -> Result<(), ApiError> {
    if lid == store.lid {
        Ok(())
    } else {
        Err(ApiError::new(400, "LANDING_NOT_EXIST", "Page not found."))
    }
}

/// The block as a reader sees it: the draft in edit mode, else the published page (which
/// does not exist until the page is published).
fn visible_block(
    store: &Store,
    id: u64,
    edit: bool,
) -> Result<(&crate::store::Block, &str), ApiError> {
    let b = store.block(id).ok_or_else(ApiError::block_not_found)?;
    if edit {
        Ok((b, b.draft.as_str()))
    } else if store.page_published {
        Ok((b, b.published.as_str()))
    } else {
        Err(ApiError::block_not_found())
    }
}

pub(crate) fn block_row(store: &Store, b: &crate::store::Block) -> Value {
    let title = crate::pages::page(store.lid)
        .and_then(|r| r.get("TITLE").cloned())
        .unwrap_or_else(|| Value::from(""));
    json!({
        "id": b.id,
        "lid": store.lid,
        "code": b.code,
        "name": b.manifest.get("block").and_then(|x| x.get("name")).cloned().unwrap_or(Value::Null),
        "active": true,
        // The portal's meta values are all strings.
        "meta": {"LID": store.lid.to_string(), "SITE_TYPE": "PAGE", "LANDING_TITLE": title,
                 "XML_ID": ""},
    })
}

/// The block in its wrapper, as `getcontent` gives it by default.
pub(crate) fn wrapped(b: &crate::store::Block, html: &str) -> String {
    format!(
        "<div id=\"block{id}\" data-id=\"{id}\" class=\"block-wrapper {}\">{html}</div>",
        wrapper_class(&b.code),
        id = b.id
    )
}

/// `block-<code>` with every character that is not a letter or digit as `-`.
pub fn wrapper_class(code: &str) -> String {
    let cleaned: String = code
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("block-{cleaned}")
}

fn get_content(store: &Store, p: &Map<String, Value>) -> Result<Success, ApiError> {
    require(p, &["lid", "block"])?;
    let lid = int_param(p, "lid")?;
    let id = int_param(p, "block")?;
    check_read(store)?;
    check_lid(store, lid)?;
    let (b, html) = visible_block(store, id, php_truthy(p.get("editMode")))?;
    // The portal wraps by default; `wrapper_show: false` gives the stored markup alone.
    let wrap = match nested_flag(p, "wrapper_show") {
        None => true,
        Some(v) => php_truthy(Some(&v)),
    };
    let content = if wrap {
        wrapped(b, html)
    } else {
        html.to_string()
    };
    ok(json!({
        "id": b.id,
        "lid": store.lid,
        "code": b.code,
        "active": true,
        "access": store.access.to_string(),
        "anchor": format!("b{}", b.id),
        "content": content,
        "css": [crate::page::BLOCKS_CSS_PATH],
        "js": [],
    }))
}

fn get_manifest(store: &Store, p: &Map<String, Value>) -> Result<Success, ApiError> {
    require(p, &["lid", "block"])?;
    let lid = int_param(p, "lid")?;
    let id = int_param(p, "block")?;
    check_read(store)?;
    check_lid(store, lid)?;
    let edit = php_truthy(nested_flag(p, "edit_mode").as_ref());
    let (b, _) = visible_block(store, id, edit)?;
    ok(b.manifest.clone())
}

fn get_by_id(store: &Store, p: &Map<String, Value>) -> Result<Success, ApiError> {
    require(p, &["block"])?;
    let id = int_param(p, "block")?;
    check_read(store)?;
    let edit = php_truthy(nested_flag(p, "edit_mode").as_ref());
    let (b, _) = visible_block(store, id, edit)?;
    ok(block_row(store, b))
}

/// Shared start of every write: params, rights, page and block.
fn writable_block(store: &Store, p: &Map<String, Value>, extra: &str) -> Result<u64, ApiError> {
    require(p, &["lid", "block", extra])?;
    let lid = int_param(p, "lid")?;
    let id = int_param(p, "block")?;
    check_write(store)?;
    check_lid(store, lid)?;
    store.block(id).ok_or_else(ApiError::block_not_found)?;
    Ok(id)
}

fn edit_block(
    store: &mut Store,
    id: u64,
    f: impl FnOnce(&str, &Value) -> Result<String, EditError>,
) -> Result<Success, ApiError> {
    let b = store.block_mut(id).ok_or_else(ApiError::block_not_found)?;
    let new_html = f(&b.draft, &b.manifest)?;
    let was_changed = new_html != b.draft;
    b.draft = new_html;
    Ok(Success {
        result: Value::Bool(true),
        total: None,
        changed: was_changed,
    })
}

fn selector_param(p: &Map<String, Value>) -> Result<String, ApiError> {
    match present(p, "selector") {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(ApiError::new(
            400,
            "TYPE_ERROR",
            "Parameter \"selector\" must be a string.",
        )),
    }
}

/// Validates and adds a binding (shared by `landing.repo.bind` and `/_emulator/bind`).
pub fn add_binding(
    store: &mut Store,
    placement: &str,
    handler: &str,
    title: &str,
) -> Result<(), ApiError> {
    let placement = placement.trim().to_ascii_uppercase();
    let suffix = placement.strip_prefix(PLACEMENT_PREFIX).unwrap_or("");
    if suffix.is_empty() || suffix.chars().any(char::is_whitespace) {
        return Err(ApiError::new(
            400,
            "PLACEMENT_UNKNOWN",
            "Unknown placement: use LANDING_BLOCK_* or LANDING_BLOCK_<CODE>.",
        ));
    }
    let handler = handler.trim();
    let valid_handler = (handler.starts_with("https://") || handler.starts_with("http://"))
        && handler.len() > "https://".len()
        && !handler.chars().any(|c| c.is_whitespace() || c.is_control());
    if !valid_handler {
        return Err(ApiError::new(
            400,
            "PLACEMENT_HANDLER_INVALID",
            "The placement handler must be an http(s) URL.",
        ));
    }
    if store
        .bindings
        .iter()
        .any(|b| b.placement.eq_ignore_ascii_case(&placement) && b.handler == handler)
    {
        return Err(ApiError::new(
            400,
            "PLACEMENT_EXIST",
            "This handler is already bound to the placement.",
        ));
    }
    let title = if title.trim().is_empty() {
        "Application".to_string()
    } else {
        title.trim().to_string()
    };
    store.bindings.push(Binding {
        placement,
        handler: handler.to_string(),
        title,
    });
    Ok(())
}

fn field_ci<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
}

/// Binding, unbinding and the app's settings are for portal administrators.
fn require_admin(store: &Store) -> Result<(), ApiError> {
    if store.is_admin {
        Ok(())
    } else {
        Err(ApiError::new(
            403,
            "ACCESS_DENIED",
            "Access denied! Only administrators can do this.",
        ))
    }
}

fn repo_bind(store: &mut Store, p: &Map<String, Value>) -> Result<Success, ApiError> {
    require_admin(store)?;
    require(p, &["fields"])?;
    let fields = p.get("fields").and_then(Value::as_object).ok_or_else(|| {
        ApiError::new(400, "TYPE_ERROR", "Parameter \"fields\" must be an object.")
    })?;
    let placement = field_ci(fields, "PLACEMENT").unwrap_or("");
    let handler = field_ci(fields, "PLACEMENT_HANDLER").unwrap_or("");
    let title = field_ci(fields, "TITLE").unwrap_or("");
    add_binding(store, placement, handler, title)?;
    changed(Value::Bool(true))
}

fn repo_unbind(store: &mut Store, p: &Map<String, Value>) -> Result<Success, ApiError> {
    require_admin(store)?;
    require(p, &["code"])?;
    let code = present(p, "code")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string();
    let handler = present(p, "handler").and_then(Value::as_str).map(str::trim);
    let before = store.bindings.len();
    store.bindings.retain(|b| {
        !(b.placement.eq_ignore_ascii_case(&code) && handler.is_none_or(|h| h == b.handler))
    });
    if store.bindings.len() == before {
        return Err(ApiError::new(
            400,
            "PLACEMENT_NO_EXIST",
            "No such placement binding.",
        ));
    }
    changed(Value::Bool(true))
}

/// `placement.get`: the app's bindings, as the portal's placement registry lists them.
fn placement_get(store: &Store) -> Result<Success, ApiError> {
    require_admin(store)?;
    let list: Vec<Value> = store
        .bindings
        .iter()
        .map(|b| {
            json!({"placement": b.placement, "handler": b.handler, "title": b.title,
                   "description": "", "options": []})
        })
        .collect();
    ok(Value::Array(list))
}

/// `app.option.get {option?}`: one option's value, or all of them (`[]` when there are none,
/// as PHP encodes an empty array).
fn option_get(store: &Store, p: &Map<String, Value>) -> Result<Success, ApiError> {
    if let Some(name) = present(p, "option").and_then(Value::as_str) {
        return ok(store.app_options.get(name).cloned().unwrap_or(Value::Null));
    }
    if store.app_options.is_empty() {
        return ok(json!([]));
    }
    ok(Value::Object(store.app_options.clone()))
}

/// `app.option.set {options: {name: value}}`.
fn option_set(store: &mut Store, p: &Map<String, Value>) -> Result<Success, ApiError> {
    require_admin(store)?;
    require(p, &["options"])?;
    let options = p
        .get("options")
        .and_then(Value::as_object)
        .filter(|o| !o.is_empty())
        .ok_or_else(|| {
            ApiError::new(
                400,
                "ERROR_CORE",
                "Parameter \"options\" must be a non-empty object.",
            )
        })?;
    for (k, v) in options {
        store.app_options.insert(k.clone(), v.clone());
    }
    changed(Value::Bool(true))
}

/// Human names of the catalogue sections the fixtures use.
fn section_name(code: &str) -> String {
    let known = [
        ("title", "Titles"),
        ("columns", "Columns"),
        ("tiles", "Tiles"),
        ("cover", "Covers"),
        ("tariffs", "Tariffs"),
        ("video", "Video"),
        ("recommended", "Recommended"),
        ("widgets_video", "Video widgets"),
        ("other", "Other"),
    ];
    known
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| n.to_string())
        .unwrap_or_else(|| code.to_string())
}

/// A custom block registered by another app (`landing.repo.register`), listed as `repo_<ID>`.
const CUSTOM_BLOCK: (&str, &str) = ("repo_1", "Custom block: price list");

/// `landing.block.getrepository {section?}`: the block catalogue, section by section, each
/// with `{name, items: {code: {name, section, ...}}}`.
fn get_repository(store: &Store, p: &Map<String, Value>) -> Result<Success, ApiError> {
    let mut sections: Map<String, Value> = Map::new();
    let mut add = |section: &str, code: &str, name: &str, all_sections: &[String]| {
        let entry = sections.entry(section.to_string()).or_insert_with(|| {
            json!({"name": section_name(section), "new": false, "separator": false, "items": {}})
        });
        if let Some(items) = entry.get_mut("items").and_then(Value::as_object_mut) {
            items.insert(
                code.to_string(),
                json!({"name": name, "section": all_sections, "new": false,
                       "type": [], "repo_id": code.strip_prefix("repo_").unwrap_or(""),
                       "restricted": false}),
            );
        }
    };
    for b in &store.blocks {
        let block = b.manifest.get("block");
        let name = block
            .and_then(|v| v.get("name"))
            .and_then(Value::as_str)
            .unwrap_or(&b.code);
        let mut secs: Vec<String> = block
            .and_then(|v| v.get("section"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        if secs.is_empty() {
            secs.push("other".into());
        }
        for sec in &secs {
            add(sec, &b.code, name, &secs);
        }
    }
    add(
        "other",
        CUSTOM_BLOCK.0,
        CUSTOM_BLOCK.1,
        &["other".to_string()],
    );
    match present(p, "section").and_then(Value::as_str) {
        Some(section) => ok(sections.get(section).cloned().unwrap_or(json!([]))),
        None => ok(Value::Object(sections)),
    }
}

/// Calls one REST method (not `batch`). `method` must be lower-case.
pub fn call(store: &mut Store, method: &str, p: &Map<String, Value>) -> Result<Success, ApiError> {
    match method {
        "landing.block.getcontent" => get_content(store, p),
        "landing.block.getmanifest" => get_manifest(store, p),
        "landing.block.getbyid" => get_by_id(store, p),
        "landing.block.getlist" => crate::pages::block_list(store, p),
        "landing.block.updatenodes" => {
            let id = writable_block(store, p, "data")?;
            let data = p.get("data").cloned().unwrap_or(Value::Null);
            let data = crate::uploads::keep_block_file_ids(store, id, &data);
            edit_block(store, id, |html, m| html_edit::update_nodes(html, m, &data))
        }
        "landing.block.updateattrs" => {
            let id = writable_block(store, p, "data")?;
            let data = p.get("data").cloned().unwrap_or(Value::Null);
            edit_block(store, id, |html, m| html_edit::update_attrs(html, m, &data))
        }
        "landing.block.clonecard" => {
            let id = writable_block(store, p, "selector")?;
            let sel = selector_param(p)?;
            edit_block(store, id, |html, m| html_edit::clone_card(html, m, &sel))
        }
        "landing.block.removecard" => {
            let id = writable_block(store, p, "selector")?;
            let sel = selector_param(p)?;
            edit_block(store, id, |html, m| html_edit::remove_card(html, m, &sel))
        }
        "landing.block.updatecards" => {
            let id = writable_block(store, p, "data")?;
            let data = p.get("data").cloned().unwrap_or(Value::Null);
            let data = crate::uploads::keep_card_file_ids(store, id, &data);
            edit_block(store, id, |html, m| {
                crate::cards::update_cards(html, m, &data)
            })
        }
        "landing.block.uploadfile" => crate::uploads::upload_file(store, p),
        "landing.landing.getlist" => crate::pages::get_list(store, p),
        "landing.repo.bind" => repo_bind(store, p),
        "landing.repo.unbind" => repo_unbind(store, p),
        "landing.block.getrepository" => get_repository(store, p),
        "placement.get" => placement_get(store),
        "app.option.get" => option_get(store, p),
        "app.option.set" => option_set(store, p),
        _ => Err(ApiError::method_not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_truthiness() {
        for falsy in [
            json!(null),
            json!(false),
            json!(0),
            json!("0"),
            json!(""),
            json!([]),
            json!(0.0),
        ] {
            assert!(!php_truthy(Some(&falsy)), "{falsy}");
        }
        for truthy in [
            json!(true),
            json!(1),
            json!("1"),
            json!("false"),
            json!("no"),
            json!(" "),
            json!([0]),
        ] {
            assert!(php_truthy(Some(&truthy)), "{truthy}");
        }
        assert!(!php_truthy(None));
    }

    #[test]
    fn wrapper_class_replaces_non_alnum() {
        assert_eq!(
            wrapper_class("43.4.cover_with_price_text_button_bgimg"),
            "block-43-4-cover-with-price-text-button-bgimg"
        );
    }
}
