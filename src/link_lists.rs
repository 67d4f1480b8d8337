//! The link picker's lists in one `batch`: the page being edited (for its site), the pages of
//! that site, the blocks of this page.
//!
//! The placement context names the page but not its site, so the first command reads the
//! page's `SITE_ID` and the second filters on it through a batch reference
//! (`$result[page][0][SITE_ID]`, which the portal substitutes before running the command).
//! `halt` stops the chain at the first failure, so a failed page lookup never lists pages
//! with an unresolved filter.

use serde::Serialize;

use crate::answer::{batch_answer, from_result};
use crate::client::RestClient;
use crate::codec::Raw;
use crate::core::context::Scope;
use crate::core::link_target::{BlockRow, PageRow};
use crate::core::loose::AnyShape;
use crate::core::rest::{batch_params, BatchCommand, RestError};

/// What the picker lists, loaded once per editor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkLists {
    /// The site's pages, by title (deleted ones are left out by the portal).
    pub pages: Vec<PageRow>,
    /// The blocks of this page, in page order (as the editor sees them: edit mode).
    pub blocks: Vec<BlockRow>,
}

/// The keys of the batch's commands.
pub const PAGE_KEY: &str = "page";
pub const PAGES_KEY: &str = "pages";
pub const BLOCKS_KEY: &str = "blocks";

/// A command's params with the `scope` of a special site type, when the block needed one.
#[derive(Serialize)]
struct Scoped<P: Serialize> {
    #[serde(flatten)]
    params: P,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'static str>,
}

fn scoped<P: Serialize>(params: P, scope: Option<Scope>) -> Scoped<P> {
    Scoped {
        params,
        scope: scope.map(|s| s.as_str()),
    }
}

#[derive(Serialize)]
struct ListParams<F: Serialize> {
    params: ListOptions<F>,
}

#[derive(Serialize)]
struct ListOptions<F: Serialize> {
    select: &'static [&'static str],
    filter: F,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<TitleOrder>,
}

#[derive(Serialize)]
struct IdFilter {
    #[serde(rename = "ID")]
    id: u64,
}

#[derive(Serialize)]
struct SiteFilter {
    #[serde(rename = "SITE_ID")]
    site_id: String,
}

#[derive(Serialize)]
struct TitleOrder {
    #[serde(rename = "TITLE")]
    title: &'static str,
}

#[derive(Serialize)]
struct BlockListParams {
    lid: u64,
    params: BlockListOptions,
}

#[derive(Serialize)]
struct BlockListOptions {
    edit_mode: u8,
}

const PAGE_FIELDS: &[&str] = &["ID", "TITLE", "CODE", "SITE_ID", "ACTIVE"];

/// The three commands of the picker's batch for page `page_id`.
pub fn link_list_commands(page_id: u64, scope: Option<Scope>) -> Vec<BatchCommand> {
    let page = ListParams {
        params: ListOptions {
            select: &["ID", "SITE_ID"],
            filter: IdFilter { id: page_id },
            order: None,
        },
    };
    let pages = ListParams {
        params: ListOptions {
            select: PAGE_FIELDS,
            filter: SiteFilter {
                site_id: format!("$result[{PAGE_KEY}][0][SITE_ID]"),
            },
            order: Some(TitleOrder { title: "ASC" }),
        },
    };
    let blocks = BlockListParams {
        lid: page_id,
        params: BlockListOptions { edit_mode: 1 },
    };
    vec![
        BatchCommand::new(PAGE_KEY, "landing.landing.getlist", &scoped(page, scope)),
        BatchCommand::new(PAGES_KEY, "landing.landing.getlist", &scoped(pages, scope)),
        BatchCommand::new(BLOCKS_KEY, "landing.block.getlist", &scoped(blocks, scope)),
    ]
}

/// Rows of a list answer: a list, or an object keyed by position (PHP); anything else, or
/// a missing part, is no rows.
fn rows<T: serde::de::DeserializeOwned>(part: Option<&Raw>) -> Result<Vec<T>, RestError> {
    let Some(raw) = part else {
        return Ok(Vec::new());
    };
    Ok(match from_result::<AnyShape<T>>(raw)? {
        AnyShape::List(rows) => rows,
        AnyShape::Map(entries) => entries.into_iter().map(|(_, row)| row).collect(),
        AnyShape::Scalar(_) => Vec::new(),
    })
}

/// Reads the batch's `result`: the first command error is the error of the whole load.
pub fn link_lists_from(result: &Raw) -> Result<LinkLists, RestError> {
    let answer = batch_answer(result)?;
    if let Some((_, err)) = answer.errors.into_iter().next() {
        return Err(err);
    }
    let part = |key: &str| {
        answer
            .results
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, r)| r)
    };
    if part(PAGES_KEY).is_none() && part(BLOCKS_KEY).is_none() {
        return Err(RestError::BadResponse(
            "the batch answer lacks the pages and the blocks".into(),
        ));
    }
    Ok(LinkLists {
        pages: rows(part(PAGES_KEY))?,
        blocks: rows(part(BLOCKS_KEY))?,
    })
}

impl RestClient {
    /// The picker's pages and blocks for page `page_id`: one `batch` request.
    pub async fn load_link_lists(&self, page_id: u64) -> Result<LinkLists, RestError> {
        let commands = link_list_commands(page_id, self.scope());
        let params = batch_params(&commands, true)?;
        link_lists_from(&self.call::<Raw, _>("batch", &params).await?)
    }
}

#[cfg(test)]
mod tests;
