//! The bridge to the Bitrix24 page that hosts the frame.
//!
//! Two implementations sit behind [`Bridge`]: the official BX24 JS library
//! ([`bx24`]) and the app's own implementation of the frame protocol
//! ([`frame`]) for when the library could not load.

pub mod bx24;
pub mod frame;

use std::rc::Rc;

use serde::Serialize;

use crate::client::LocalFuture;
use crate::codec::Raw;
use crate::core::context::InitData;

/// How long the editor gets to answer a frame command.
pub const CALL_TIMEOUT_MS: u32 = 10_000;

#[derive(Clone, Debug, PartialEq)]
pub enum BridgeError {
    /// The parent never answered (unknown command, denied, or too slow).
    Timeout,
    /// The library or the frame is not usable; the text is for the developer.
    Unavailable(String),
}

pub trait Bridge {
    /// The placement context in the shape of the frame's `getInitData` answer.
    fn init_data(&self) -> LocalFuture<'_, Result<InitData, BridgeError>>;
    /// A new token: `{AUTH_ID, AUTH_EXPIRES, REFRESH_ID}` (the other fields empty).
    fn refresh_auth(&self) -> LocalFuture<'_, Result<InitData, BridgeError>>;
    /// `placement.call(command, params)`; `Err(Timeout)` when no answer came. The answer,
    /// `None` when it was empty.
    fn placement_call(
        &self,
        command: &str,
        params: Raw,
        timeout_ms: u32,
    ) -> LocalFuture<'_, Result<Option<Raw>, BridgeError>>;
    fn close_application(&self);
    fn install_finish(&self);
}

/// What the page was opened with.
pub enum Host {
    Bridge(Rc<dyn Bridge>),
    /// Neither the library nor a frame `window.name`: opened directly.
    Standalone,
}

/// `refreshBlock`'s params.
#[derive(Serialize)]
struct RefreshBlock {
    id: u64,
}

/// Asks the editor to re-render the block (`placement.call('refreshBlock', {id})`).
pub async fn refresh_block(
    bridge: &dyn Bridge,
    block_id: u64,
    timeout_ms: u32,
) -> Result<Option<Raw>, BridgeError> {
    let params = Raw::from_serialize(&RefreshBlock { id: block_id })
        .map_err(|e| BridgeError::Unavailable(e.to_string()))?;
    bridge
        .placement_call("refreshBlock", params, timeout_ms)
        .await
}
