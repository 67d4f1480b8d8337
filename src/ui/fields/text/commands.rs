//! The thin glue to the browser's editing: its commands, their state, the selection.
//! Every rule about what they may produce is in `core::rich_text`.

use wasm_bindgen::JsCast;
use web_sys::{DataTransfer, Element, HtmlDocument, Node, Range};

use crate::core::rich_text::Format;

fn html_document() -> Option<HtmlDocument> {
    web_sys::window()?.document()?.dyn_into().ok()
}

/// Runs an editing command on the selection; false when the browser refused it.
pub fn exec(command: &str, value: &str) -> bool {
    html_document()
        .and_then(|doc| {
            doc.exec_command_with_show_ui_and_value(command, false, value)
                .ok()
        })
        .unwrap_or(false)
}

fn state(command: &str) -> bool {
    html_document()
        .and_then(|doc| doc.query_command_state(command).ok())
        .unwrap_or(false)
}

/// The selection's range while it lies inside `root`.
pub fn range_in(root: &Element) -> Option<Range> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let inside = range.common_ancestor_container().ok()?;
    // A copy: the selection's own range changes as the selection moves.
    root.contains(Some(&inside)).then(|| range.clone_range())
}

pub fn select(range: &Range) {
    if let Some(Some(selection)) = web_sys::window().map(|w| w.get_selection().ok().flatten()) {
        let _ = selection.remove_all_ranges();
        let _ = selection.add_range(range);
    }
}

/// The link the range starts in, when it is inside `root`.
pub fn link_at(root: &Element, range: &Range) -> Option<Element> {
    let node: Node = range.start_container().ok()?;
    let element = match node.dyn_ref::<Element>() {
        Some(element) => element.clone(),
        None => node.parent_element()?,
    };
    let link = element.closest("a").ok()??;
    root.contains(Some(&link)).then_some(link)
}

/// Selects all of `link`, so a command changes or removes it whole.
pub fn select_link(link: &Element) -> Option<Range> {
    let range = html_document()?.create_range().ok()?;
    range.select_node(link).ok()?;
    select(&range);
    Some(range)
}

/// Which toolbar states hold at the selection (nothing while it is elsewhere).
pub fn pressed(root: &Element) -> Vec<Format> {
    let Some(range) = range_in(root) else {
        return Vec::new();
    };
    Format::ALL
        .into_iter()
        .filter(|format| match format {
            Format::Link => link_at(root, &range).is_some(),
            Format::Clear => false,
            other => state(other.command()),
        })
        .collect()
}

/// Whether a paste or a drop carries files (pictures among them).
pub fn has_files(data: &DataTransfer) -> bool {
    data.types()
        .iter()
        .any(|t| t.as_string().as_deref() == Some("Files"))
}
