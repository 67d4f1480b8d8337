//! Saving: the changed nodes with `updatenodes`, or, once cards were reshaped, a check of
//! the block as it is now and then `updatecards` + `updatenodes` in one batch; then the
//! editor is asked to re-render the block.

use std::rc::Rc;

use super::super::Session;
use crate::bridge::BridgeError;
use crate::core::cards::save::{save_plan, Found, SavePlan};
use crate::core::cards::CardStructure;
use crate::core::model::{build_form, BlockForm, FieldValue};
use crate::core::rest::RestError;

/// How long the editor gets to confirm `refreshBlock`.
const REFRESH_TIMEOUT_MS: u32 = 8_000;

#[derive(Clone, Debug, PartialEq)]
pub enum SaveOutcome {
    /// Saved; `confirmed` tells whether the editor answered `refreshBlock`.
    Saved {
        confirmed: bool,
        values: Vec<FieldValue>,
    },
    /// The cards were saved: every node's key moved, so the block is loaded again.
    CardsSaved {
        confirmed: bool,
    },
    /// The block changed elsewhere since it was opened; nothing was written.
    ChangedElsewhere,
    Failed(RestError),
}

/// A save: the form (with new cards' fields), its card structure and the values.
pub type SaveInput = (BlockForm, CardStructure, Vec<FieldValue>);

/// Asks the editor to re-render the block; whether it confirmed.
async fn refresh(session: &Session) -> bool {
    let refreshed =
        crate::bridge::refresh_block(&*session.bridge, session.ctx.block_id, REFRESH_TIMEOUT_MS)
            .await;
    !matches!(
        refreshed,
        Err(BridgeError::Timeout | BridgeError::Unavailable(_))
    )
}

/// The block as it is on the portal now: its form and card counts.
async fn read_again(session: &Session) -> Result<(BlockForm, Vec<usize>), RestError> {
    let ctx = &session.ctx;
    let opened = session
        .client
        .open_block(ctx.page_id, ctx.block_id, ctx.scope_hint())
        .await?;
    let extracted = crate::dom::extract(&opened.manifest, &opened.content.content)
        .ok_or_else(|| RestError::BadResponse("the block's HTML could not be parsed".into()))?;
    Ok((
        build_form(&opened.manifest, &extracted),
        extracted.card_counts,
    ))
}

/// Writes a reshaped block. It is read again first: unchanged, the whole batch goes; already
/// reshaped by an earlier attempt that got cut off, only the node edits go (updatecards
/// twice would reorder twice); changed by someone else, nothing goes.
async fn save_cards(session: &Session, plan: &SavePlan) -> Result<Found, RestError> {
    let (fresh, counts) = read_again(session).await?;
    let ctx = &session.ctx;
    let found = plan.found(&fresh, &counts);
    match found {
        Found::AsOpened => {
            let commands = plan.commands(ctx.page_id, ctx.block_id, session.client.scope());
            session.client.write_batch(&commands).await?;
        }
        Found::Reshaped if !plan.nodes.is_empty() => {
            session
                .client
                .update_nodes(ctx.page_id, ctx.block_id, &plan.nodes)
                .await?;
        }
        Found::Reshaped | Found::ChangedElsewhere => {}
    }
    Ok(found)
}

pub async fn save(session: Rc<Session>, input: SaveInput) -> SaveOutcome {
    let (form, cards, values) = input;
    let Ok(plan) = save_plan(&form, &cards, &values) else {
        return SaveOutcome::ChangedElsewhere;
    };
    if plan.cards.is_some() {
        return match save_cards(&session, &plan).await {
            Ok(Found::ChangedElsewhere) => SaveOutcome::ChangedElsewhere,
            Ok(_) => SaveOutcome::CardsSaved {
                confirmed: refresh(&session).await,
            },
            Err(err) => SaveOutcome::Failed(err),
        };
    }
    let ctx = &session.ctx;
    if let Err(err) = session
        .client
        .update_nodes(ctx.page_id, ctx.block_id, &plan.nodes)
        .await
    {
        return SaveOutcome::Failed(err);
    }
    SaveOutcome::Saved {
        confirmed: refresh(&session).await,
        values,
    }
}
