//! The file ids of this session's uploads, by the address the portal gave each file.
//!
//! A save must send `id`/`id2x` with the picture so that the portal records the files as
//! the block's. The id belongs to one address: it is sent only while the field shows exactly
//! the `src` the upload answered, so typing another address by hand drops it, and an upload
//! that was cancelled or overtaken is never recorded. Kept per thread (the wasm has one) for
//! the page's life; a draft carries the ids of the addresses it keeps
//! ([`crate::core::draft::Draft::uploads`]), so a reload does not lose them.

use std::cell::RefCell;

thread_local! {
    static UPLOADED: RefCell<Vec<(String, u64)>> = const { RefCell::new(Vec::new()) };
}

/// Records that `src` (trimmed, as the portal answered it and as the field will hold it) is
/// file `id`.
pub fn remember_upload(src: &str, id: u64) {
    let src = src.trim();
    if src.is_empty() || id == 0 {
        return;
    }
    UPLOADED.with(|all| {
        let mut all = all.borrow_mut();
        all.retain(|(s, _)| s != src);
        all.push((src.to_owned(), id));
    });
}

/// The id of the file this session uploaded to `src`, if it did.
pub fn uploaded_id(src: &str) -> Option<u64> {
    let src = src.trim();
    if src.is_empty() {
        return None;
    }
    UPLOADED.with(|all| {
        all.borrow()
            .iter()
            .rev()
            .find(|(s, _)| s == src)
            .map(|(_, id)| *id)
    })
}

/// The ids of this session's uploads to any of `srcs`, as (src, id).
pub fn uploads_among<'a>(srcs: impl IntoIterator<Item = &'a str>) -> Vec<(String, u64)> {
    srcs.into_iter()
        .filter_map(|src| uploaded_id(src).map(|id| (src.trim().to_owned(), id)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_follows_its_exact_address_only() {
        remember_upload(" https://p.example/upload/a.jpg ", 5001);
        assert_eq!(uploaded_id("https://p.example/upload/a.jpg"), Some(5001));
        assert_eq!(uploaded_id("https://p.example/upload/a.jpg?x"), None);
        assert_eq!(uploaded_id(""), None);
        remember_upload("https://p.example/upload/a.jpg", 5003);
        assert_eq!(uploaded_id("https://p.example/upload/a.jpg"), Some(5003));
        remember_upload("https://p.example/upload/b.jpg", 0);
        assert_eq!(uploaded_id("https://p.example/upload/b.jpg"), None);
    }
}
