//! The REST client: token handling, retries and the two calls the editor makes.
//!
//! Browser-free: the HTTP transport, the clock and the token refresh come in as
//! traits, so the retry and refresh rules are tested natively.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::core::context::{Auth, Portal, Scope};
use crate::core::model::{BlockContent, Manifest};
use crate::core::rest::{
    self, batch_params, parse_batch, parse_envelope, rate_limit_backoff_ms, request_body,
    token_is_stale, BatchCommand, RestError, REQUEST_TIMEOUT_MS,
};

pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// What came back over HTTP, whatever the status.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// No HTTP answer: connection refused or dropped, CORS failure, offline.
    Network,
    Timeout,
}

/// POSTs a JSON body and returns the answer. Implementations send only
/// `Content-Type` and `Accept` headers and no credentials.
pub trait Transport {
    fn post_json(
        &self,
        url: &str,
        body: String,
        timeout_ms: u32,
    ) -> LocalFuture<'static, Result<HttpResponse, TransportError>>;
}

pub trait Clock {
    fn now_ms(&self) -> f64;
    fn sleep(&self, ms: u32) -> LocalFuture<'static, ()>;
    /// A small random delay added to backoffs so that retries spread out.
    fn jitter_ms(&self) -> u32;
}

/// Gets a fresh token from the portal (through the frame bridge).
pub trait AuthSource {
    fn refresh(&self) -> LocalFuture<'static, Option<Auth>>;
}

struct TokenState {
    auth: Auth,
    obtained_at_ms: f64,
}

/// Reports retries to the UI ("the portal is busy, trying again…").
pub type RetryNotice = Rc<dyn Fn()>;

pub struct RestClient {
    portal: Portal,
    transport: Rc<dyn Transport>,
    clock: Rc<dyn Clock>,
    auth_source: Rc<dyn AuthSource>,
    token: RefCell<TokenState>,
    scope: RefCell<Option<Scope>>,
    on_retry: RefCell<Option<RetryNotice>>,
}

/// The block as the editor needs it: one batch answer.
pub struct OpenedBlock {
    pub manifest: Manifest,
    pub content: BlockContent,
}

#[derive(Deserialize)]
struct OpenBatch {
    manifest: Option<Manifest>,
    content: Option<BlockContent>,
}

impl RestClient {
    pub fn new(
        portal: Portal,
        auth: Auth,
        transport: Rc<dyn Transport>,
        clock: Rc<dyn Clock>,
        auth_source: Rc<dyn AuthSource>,
    ) -> Self {
        let obtained_at_ms = clock.now_ms();
        RestClient {
            portal,
            transport,
            clock,
            auth_source,
            token: RefCell::new(TokenState {
                auth,
                obtained_at_ms,
            }),
            scope: RefCell::new(None),
            on_retry: RefCell::new(None),
        }
    }

    pub fn set_retry_notice(&self, notice: RetryNotice) {
        *self.on_retry.borrow_mut() = Some(notice);
    }

    pub fn scope(&self) -> Option<Scope> {
        *self.scope.borrow()
    }

    async fn refresh_token(&self) -> bool {
        match self.auth_source.refresh().await {
            Some(auth) => {
                let now = self.clock.now_ms();
                *self.token.borrow_mut() = TokenState {
                    auth,
                    obtained_at_ms: now,
                };
                true
            }
            None => false,
        }
    }

    /// One REST method call with the portal's rules: refresh ahead of expiry,
    /// refresh and retry once on `expired_token`, bounded backoff on rate limits.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        params: &Value,
    ) -> Result<T, RestError> {
        let (status, body) = self.send(method, params).await?;
        parse_envelope(status, &body)
    }

    /// Sends and returns the raw answer after the retry rules; an answer that is
    /// itself an error envelope comes back as `Err`.
    async fn send(&self, method: &str, params: &Value) -> Result<(u16, String), RestError> {
        let stale = {
            let token = self.token.borrow();
            token_is_stale(
                token.obtained_at_ms,
                token.auth.expires_in_secs,
                self.clock.now_ms(),
            )
        };
        if stale {
            // A failed early refresh is not fatal: the old token may still work.
            self.refresh_token().await;
        }
        let url = self.portal.method_url(method);
        let mut refreshed = false;
        let mut limit_attempt = 0;
        loop {
            let body = {
                let token = self.token.borrow();
                request_body(params, &token.auth.access_token)
            };
            let answer = self
                .transport
                .post_json(&url, body, REQUEST_TIMEOUT_MS)
                .await
                .map_err(|e| match e {
                    TransportError::Network => RestError::Transport,
                    TransportError::Timeout => RestError::Timeout,
                })?;
            match parse_envelope::<serde::de::IgnoredAny>(answer.status, &answer.body) {
                Err(RestError::ExpiredToken) if !refreshed => {
                    refreshed = true;
                    if !self.refresh_token().await {
                        return Err(RestError::ExpiredToken);
                    }
                }
                Err(err) if err.is_rate_limit() => {
                    match rate_limit_backoff_ms(limit_attempt, self.clock.jitter_ms()) {
                        Some(wait) => {
                            limit_attempt += 1;
                            if let Some(notice) = self.on_retry.borrow().clone() {
                                notice();
                            }
                            self.clock.sleep(wait).await;
                        }
                        None => return Err(err),
                    }
                }
                Err(err) => return Err(err),
                Ok(_) => return Ok((answer.status, answer.body)),
            }
        }
    }

    fn with_scope(&self, mut params: Value, scope: Option<Scope>) -> Value {
        if let (Some(scope), Some(map)) = (scope, params.as_object_mut()) {
            map.insert("scope".into(), Value::String(scope.as_str().into()));
        }
        params
    }

    /// Manifest and draft content in one batch request. When the default scope
    /// is refused and the page's URI hints at a special site type, the hinted
    /// scope is tried once and then kept for later calls.
    pub async fn open_block(
        &self,
        page_id: u64,
        block_id: u64,
        scope_hint: Option<Scope>,
    ) -> Result<OpenedBlock, RestError> {
        match self.open_block_in(page_id, block_id, None).await {
            Err(RestError::AccessDenied | RestError::BlockNotFound) if scope_hint.is_some() => {
                let opened = self.open_block_in(page_id, block_id, scope_hint).await?;
                *self.scope.borrow_mut() = scope_hint;
                Ok(opened)
            }
            other => other,
        }
    }

    async fn open_block_in(
        &self,
        page_id: u64,
        block_id: u64,
        scope: Option<Scope>,
    ) -> Result<OpenedBlock, RestError> {
        let commands = [
            BatchCommand {
                key: "manifest".into(),
                method: "landing.block.getmanifest".into(),
                params: self.with_scope(
                    json!({"lid": page_id, "block": block_id, "params": {"edit_mode": 1}}),
                    scope,
                ),
            },
            BatchCommand {
                key: "content".into(),
                method: "landing.block.getcontent".into(),
                params: self.with_scope(
                    json!({"lid": page_id, "block": block_id, "editMode": 1,
                           "params": {"wrapper_show": 0}}),
                    scope,
                ),
            },
        ];
        let params = batch_params(&commands, true)?;
        let (status, body) = self.send("batch", &params).await?;
        let answer = parse_batch::<OpenBatch>(status, &body)?;
        if let Some((_, err)) = answer.errors.into_iter().next() {
            return Err(err);
        }
        match (answer.results.manifest, answer.results.content) {
            (Some(manifest), Some(content)) => Ok(OpenedBlock { manifest, content }),
            _ => Err(RestError::BadResponse(
                "the batch answer lacks the manifest or the content".into(),
            )),
        }
    }

    /// `landing.block.updatenodes` with the changed nodes only.
    pub async fn update_nodes(
        &self,
        page_id: u64,
        block_id: u64,
        data: serde_json::Map<String, Value>,
    ) -> Result<(), RestError> {
        let params = self.with_scope(
            json!({"lid": page_id, "block": block_id, "data": Value::Object(data)}),
            self.scope(),
        );
        let _: Value = self.call("landing.block.updatenodes", &params).await?;
        Ok(())
    }
}

/// Exposed for the UI: whether an error deserves a "Try again" button.
pub fn can_retry(err: &RestError) -> bool {
    err.is_retryable() || matches!(err, rest::RestError::ExpiredToken)
}
