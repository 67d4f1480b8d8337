//! The REST client: token handling, retries and the two calls the editor makes.
//!
//! Browser-free: the HTTP transport, the clock and the token refresh come in as
//! traits, so the retry and refresh rules are tested natively.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;

use crate::answer::{batch_answer, envelope_result, from_result};
use crate::codec::{self, Raw};
use crate::core::bindings::{
    parse_catalogue, parse_portal_bindings, parse_record, record_params, stored_list, AppOptions,
    Binding, CatalogueBlock, CatalogueRaw, PortalBindingsRaw, Record,
};
use crate::core::context::{Auth, Portal, Scope};
use crate::core::loose::{AnyShape, Loose, NestedJson};
use crate::core::model::{BlockContent, Manifest, UpdateData};
use crate::core::rest::{
    batch_params, form_body, rate_limit_backoff_ms, token_is_stale, BatchCommand, BodyKind,
    RequestBody, RestError, WithAuth, REQUEST_TIMEOUT_MS,
};

/// JSON text inside a value from outside, read through the codec.
pub struct Json;

impl NestedJson for Json {
    fn read<T: DeserializeOwned>(&self, text: &str) -> Option<T> {
        codec::decode(text).ok()
    }
}

/// Request body for a method: the params plus `"auth": token`. The token goes only in the
/// body, never in a URL or header. A form when a form says exactly what JSON would (no
/// CORS preflight, see [`form_body`]); JSON otherwise.
pub fn request_body<P: Serialize>(params: &P, auth: &str) -> RequestBody {
    let body = WithAuth { params, auth };
    if let Some(form) = form_body(&body) {
        return form;
    }
    // Params that are not an object (a caller bug) are dropped: the token still goes.
    let text = codec::encode(&body)
        .or_else(|_| {
            codec::encode(&WithAuth {
                params: &NoParams {},
                auth,
            })
        })
        .unwrap_or_default();
    RequestBody {
        kind: BodyKind::Json,
        text,
    }
}

/// A method's params with the `scope` some `landing.*` calls need.
#[derive(Serialize)]
struct Scoped<'a, P: Serialize> {
    #[serde(flatten)]
    params: &'a P,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'static str>,
}

fn scoped<P: Serialize>(params: &P, scope: Option<Scope>) -> Scoped<'_, P> {
    Scoped {
        params,
        scope: scope.map(|s| s.as_str()),
    }
}

#[derive(Serialize)]
struct BlockParams<P: Serialize> {
    lid: u64,
    block: u64,
    params: P,
}

#[derive(Serialize)]
struct ManifestOptions {
    edit_mode: u8,
}

#[derive(Serialize)]
struct ContentParams {
    lid: u64,
    block: u64,
    #[serde(rename = "editMode")]
    edit_mode: u8,
    params: ContentOptions,
}

#[derive(Serialize)]
struct ContentOptions {
    wrapper_show: u8,
}

#[derive(Serialize)]
struct UpdateParams<'a> {
    lid: u64,
    block: u64,
    data: &'a UpdateData,
}

#[derive(Serialize)]
struct NoParams {}

#[derive(Serialize)]
struct BindParams<'a> {
    fields: BindFields<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
struct BindFields<'a> {
    placement: String,
    placement_handler: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct UnbindParams<'a> {
    code: String,
    handler: &'a str,
}

mod upload;
pub use upload::UploadFailure;

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

/// POSTs a body and returns the answer. Implementations send only `Content-Type` (the
/// body's) and `Accept` headers and no credentials.
pub trait Transport {
    fn post(
        &self,
        url: &str,
        body: RequestBody,
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
    pub async fn call<T: DeserializeOwned, P: Serialize>(
        &self,
        method: &str,
        params: &P,
    ) -> Result<T, RestError> {
        from_result(&self.send(method, params).await?)
    }

    /// Sends with the retry rules and returns the answer's `result`; an answer
    /// that is an error envelope comes back as `Err`.
    async fn send<P: Serialize>(&self, method: &str, params: &P) -> Result<Raw, RestError> {
        self.send_body(method, &|auth| request_body(params, auth))
            .await
    }

    /// [`RestClient::send`] with the body made by `body` for a token: the retry rules once
    /// in the wasm, not once per params type.
    async fn send_body(
        &self,
        method: &str,
        body: &dyn Fn(&str) -> RequestBody,
    ) -> Result<Raw, RestError> {
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
                body(&token.auth.access_token)
            };
            let answer = self
                .transport
                .post(&url, body, REQUEST_TIMEOUT_MS)
                .await
                .map_err(|e| match e {
                    TransportError::Network => RestError::Transport,
                    TransportError::Timeout => RestError::Timeout,
                })?;
            match envelope_result(answer.status, &answer.body) {
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
                Ok(result) => return Ok(result),
            }
        }
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
        let manifest = BlockParams {
            lid: page_id,
            block: block_id,
            params: ManifestOptions { edit_mode: 1 },
        };
        let content = ContentParams {
            lid: page_id,
            block: block_id,
            edit_mode: 1,
            params: ContentOptions { wrapper_show: 0 },
        };
        let commands = [
            BatchCommand::new(
                "manifest",
                "landing.block.getmanifest",
                &scoped(&manifest, scope),
            ),
            BatchCommand::new(
                "content",
                "landing.block.getcontent",
                &scoped(&content, scope),
            ),
        ];
        let params = batch_params(&commands, true)?;
        let answer = batch_answer(&self.send("batch", &params).await?)?;
        if let Some((_, err)) = answer.errors.into_iter().next() {
            return Err(err);
        }
        // Each part is an object (an empty one may come as PHP's `[]`).
        let part = |key: &str| -> Result<Option<&Raw>, RestError> {
            let Some((_, raw)) = answer.results.iter().find(|(k, _)| k == key) else {
                return Ok(None);
            };
            match from_result::<AnyShape<IgnoredAny>>(raw)? {
                AnyShape::Scalar(Loose::Null) => Ok(None),
                AnyShape::Map(_) | AnyShape::List(_) => Ok(Some(raw)),
                AnyShape::Scalar(_) => Err(RestError::BadResponse(format!(
                    "the batch answer's {key} is not an object"
                ))),
            }
        };
        match (part("manifest")?, part("content")?) {
            (Some(manifest), Some(content)) => Ok(OpenedBlock {
                manifest: from_result(manifest)?,
                content: from_result(content)?,
            }),
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
        data: &UpdateData,
    ) -> Result<(), RestError> {
        let params = UpdateParams {
            lid: page_id,
            block: block_id,
            data,
        };
        self.send("landing.block.updatenodes", &scoped(&params, self.scope()))
            .await?;
        Ok(())
    }

    /// Write commands in one `batch` with `halt`: a failing command stops the ones after
    /// it. The first failure, in command order, is the answer's error.
    pub async fn write_batch(&self, commands: &[BatchCommand]) -> Result<(), RestError> {
        let params = batch_params(commands, true)?;
        let answer = batch_answer(&self.send("batch", &params).await?)?;
        for command in commands {
            if let Some((_, err)) = answer.errors.iter().find(|(k, _)| *k == command.key) {
                return Err(err.clone());
            }
            if !answer.results.iter().any(|(k, _)| *k == command.key) {
                return Err(RestError::BadResponse(format!(
                    "the batch answer lacks {}",
                    command.key
                )));
            }
        }
        Ok(())
    }
}

/// What the app's own page shows, read in one batch request.
#[derive(Clone, Debug, PartialEq)]
pub struct BindingsSnapshot {
    /// The app's block bindings as the portal lists them (`placement.get`).
    pub portal: Vec<Binding>,
    /// The app's own list, from its application options.
    pub record: Record,
    /// The block catalogue, when it was asked for; its failure does not fail the rest.
    pub catalogue: Option<Result<Vec<CatalogueBlock>, RestError>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindOutcome {
    Bound,
    /// `PLACEMENT_EXIST`: the portal already had it.
    AlreadyBound,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnbindOutcome {
    Unbound,
    /// `PLACEMENT_NO_EXIST`: it was already gone.
    AlreadyGone,
}

fn is_portal_code(err: &RestError, wanted: &str) -> bool {
    matches!(err, RestError::Portal { code, .. } if code.eq_ignore_ascii_case(wanted))
}

impl RestClient {
    /// The portal's bindings and the app's options (and the block catalogue, if asked).
    pub async fn load_bindings(&self, with_catalogue: bool) -> Result<BindingsSnapshot, RestError> {
        let mut commands = vec![
            BatchCommand::new("placements", "placement.get", &NoParams {}),
            BatchCommand::new("options", "app.option.get", &NoParams {}),
        ];
        if with_catalogue {
            commands.push(BatchCommand::new(
                "catalogue",
                "landing.block.getrepository",
                &NoParams {},
            ));
        }
        let params = batch_params(&commands, false)?;
        let answer = batch_answer(&self.send("batch", &params).await?)?;
        // A part that is missing or null is absent.
        let take = |key: &str| -> Result<Option<&Raw>, RestError> {
            let Some((_, raw)) = answer.results.iter().find(|(k, _)| k == key) else {
                return Ok(None);
            };
            let null = matches!(
                from_result::<AnyShape<IgnoredAny>>(raw)?,
                AnyShape::Scalar(Loose::Null)
            );
            Ok((!null).then_some(raw))
        };
        let (placements, options, catalogue) =
            (take("placements")?, take("options")?, take("catalogue")?);
        let error_of = |key: &str| {
            answer
                .errors
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, err)| err.clone())
        };
        for key in ["placements", "options"] {
            if let Some(err) = error_of(key) {
                return Err(err);
            }
        }
        let placements = placements.ok_or_else(|| {
            RestError::BadResponse("the batch answer lacks the placements".into())
        })?;
        let catalogue = with_catalogue.then(|| match error_of("catalogue") {
            Some(err) => Err(err),
            None => Ok(match catalogue {
                Some(raw) => parse_catalogue(&from_result::<CatalogueRaw>(raw)?),
                None => Vec::new(),
            }),
        });
        // The app's options are an object (PHP's `[]` when empty); anything else has no list.
        let options: AppOptions = match options {
            Some(raw) => from_result::<crate::core::loose::Obj<AppOptions>>(raw)?.or_default(),
            None => AppOptions::default(),
        };
        Ok(BindingsSnapshot {
            portal: parse_portal_bindings(&from_result::<PortalBindingsRaw>(placements)?),
            record: parse_record(&options, &Json),
            catalogue,
        })
    }

    /// `landing.repo.bind`; a binding the portal already has counts as done.
    pub async fn bind(&self, binding: &Binding) -> Result<BindOutcome, RestError> {
        let params = BindParams {
            fields: BindFields {
                placement: binding.target.placement(),
                placement_handler: &binding.handler,
                title: &binding.title,
            },
        };
        match self.send("landing.repo.bind", &params).await {
            Ok(_) => Ok(BindOutcome::Bound),
            Err(err) if is_portal_code(&err, "PLACEMENT_EXIST") => Ok(BindOutcome::AlreadyBound),
            Err(err) => Err(err),
        }
    }

    /// `landing.repo.unbind` for one placement and handler; one already gone counts as done.
    pub async fn unbind(&self, binding: &Binding) -> Result<UnbindOutcome, RestError> {
        let params = UnbindParams {
            code: binding.target.placement(),
            handler: &binding.handler,
        };
        match self.send("landing.repo.unbind", &params).await {
            Ok(_) => Ok(UnbindOutcome::Unbound),
            Err(err) if is_portal_code(&err, "PLACEMENT_NO_EXIST") => {
                Ok(UnbindOutcome::AlreadyGone)
            }
            Err(err) => Err(err),
        }
    }

    /// A new title means a new binding: the portal has no update. If binding with the new
    /// title fails, the old binding is put back so the menu item is not lost.
    pub async fn retitle(&self, binding: &Binding, title: &str) -> Result<(), RestError> {
        self.unbind(binding).await?;
        let renamed = Binding {
            title: title.to_string(),
            ..binding.clone()
        };
        if let Err(err) = self.bind(&renamed).await {
            // Best effort: the error the user sees is the one that stopped the rename.
            let _ = self.bind(binding).await;
            return Err(err);
        }
        Ok(())
    }

    /// Stores the app's list of bindings in its application options.
    pub async fn save_record(&self, bindings: &[Binding]) -> Result<(), RestError> {
        let list = codec::encode(&stored_list(bindings))
            .map_err(|e| RestError::BadResponse(e.to_string()))?;
        let _: IgnoredAny = self.call("app.option.set", &record_params(list)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;

    use futures::executor::block_on;

    use super::*;
    use crate::core::bindings::Target;
    use crate::core::model::NodePayload;
    use crate::test_form::body_value;
    use serde_json::{json, Value};

    /// Answers from a script and records what was sent.
    #[derive(Default)]
    struct ScriptedTransport {
        answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
        sent: RefCell<Vec<(String, Value)>>,
    }

    impl Transport for ScriptedTransport {
        fn post(
            &self,
            url: &str,
            body: RequestBody,
            _timeout_ms: u32,
        ) -> LocalFuture<'static, Result<HttpResponse, TransportError>> {
            let body = body_value(&body);
            self.sent.borrow_mut().push((url.to_string(), body));
            let answer = self
                .answers
                .borrow_mut()
                .pop_front()
                .unwrap_or(Err(TransportError::Network));
            Box::pin(async move { answer })
        }
    }

    /// A clock whose sleeps return at once and are recorded.
    #[derive(Default)]
    struct FakeClock {
        now: Cell<f64>,
        slept: RefCell<Vec<u32>>,
    }

    impl Clock for Rc<FakeClock> {
        fn now_ms(&self) -> f64 {
            self.now.get()
        }
        fn sleep(&self, ms: u32) -> LocalFuture<'static, ()> {
            self.slept.borrow_mut().push(ms);
            self.now.set(self.now.get() + f64::from(ms));
            Box::pin(async {})
        }
        fn jitter_ms(&self) -> u32 {
            0
        }
    }

    struct CountingRefresh {
        calls: Cell<u32>,
        works: bool,
    }

    impl AuthSource for Rc<CountingRefresh> {
        fn refresh(&self) -> LocalFuture<'static, Option<Auth>> {
            self.calls.set(self.calls.get() + 1);
            let n = self.calls.get();
            let works = self.works;
            Box::pin(async move {
                works.then(|| Auth {
                    access_token: format!("fresh-{n}"),
                    refresh_token: "r".into(),
                    expires_in_secs: 3600,
                })
            })
        }
    }

    fn answer(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse {
            status,
            body: body.into(),
        })
    }

    fn expired() -> Result<HttpResponse, TransportError> {
        answer(
            401,
            r#"{"error":"expired_token","error_description":"The access token provided has expired."}"#,
        )
    }

    fn limited() -> Result<HttpResponse, TransportError> {
        answer(
            503,
            r#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}"#,
        )
    }

    struct Setup {
        client: RestClient,
        transport: Rc<ScriptedTransport>,
        clock: Rc<FakeClock>,
        refresh: Rc<CountingRefresh>,
    }

    fn setup(answers: Vec<Result<HttpResponse, TransportError>>, refresh_works: bool) -> Setup {
        let transport = Rc::new(ScriptedTransport::default());
        transport.answers.borrow_mut().extend(answers);
        let clock = Rc::new(FakeClock::default());
        clock.now.set(1_000_000.0);
        let refresh = Rc::new(CountingRefresh {
            calls: Cell::new(0),
            works: refresh_works,
        });
        let client = RestClient::new(
            Portal {
                https: true,
                domain: "acme.bitrix24.com".into(),
                path: "/rest".into(),
            },
            Auth {
                access_token: "token-0".into(),
                refresh_token: "refresh-0".into(),
                expires_in_secs: 3600,
            },
            transport.clone(),
            Rc::new(clock.clone()),
            Rc::new(refresh.clone()),
        );
        Setup {
            client,
            transport,
            clock,
            refresh,
        }
    }

    fn data() -> UpdateData {
        UpdateData(vec![(".title@0".into(), NodePayload::Text("Hello".into()))])
    }

    #[test]
    fn updatenodes_posts_the_token_in_the_body_only() {
        let s = setup(vec![answer(200, r#"{"result":true,"time":{}}"#)], true);
        block_on(s.client.update_nodes(30, 996, &data())).expect("saved");
        let sent = s.transport.sent.borrow();
        assert_eq!(sent.len(), 1);
        assert_eq!(
            sent[0].0,
            "https://acme.bitrix24.com/rest/landing.block.updatenodes.json"
        );
        assert!(!sent[0].0.contains("token"));
        // A form (no CORS preflight): every value arrives as a string, as PHP reads it.
        assert_eq!(
            sent[0].1,
            json!({"lid": "30", "block": "996", "data": {".title@0": "Hello"}, "auth": "token-0"})
        );
    }

    #[test]
    fn an_expired_token_is_refreshed_and_the_call_retried_exactly_once() {
        let s = setup(vec![expired(), answer(200, r#"{"result":true}"#)], true);
        block_on(s.client.update_nodes(1, 2, &data())).expect("saved after refresh");
        let sent = s.transport.sent.borrow();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].1["auth"], "token-0");
        assert_eq!(sent[1].1["auth"], "fresh-1");
        assert_eq!(s.refresh.calls.get(), 1);
    }

    #[test]
    fn a_second_expiry_is_not_retried_again() {
        let s = setup(
            vec![expired(), expired(), answer(200, r#"{"result":true}"#)],
            true,
        );
        let err = block_on(s.client.update_nodes(1, 2, &data())).expect_err("gives up");
        assert_eq!(err, RestError::ExpiredToken);
        assert_eq!(s.transport.sent.borrow().len(), 2);
        assert_eq!(s.refresh.calls.get(), 1);
    }

    #[test]
    fn a_failed_refresh_reports_the_expiry_without_another_request() {
        let s = setup(vec![expired()], false);
        let err = block_on(s.client.update_nodes(1, 2, &data())).expect_err("no token");
        assert_eq!(err, RestError::ExpiredToken);
        assert_eq!(s.transport.sent.borrow().len(), 1);
    }

    #[test]
    fn an_old_token_is_refreshed_before_the_call() {
        let s = setup(vec![answer(200, r#"{"result":true}"#)], true);
        // 58 minutes later: less than five minutes of the hour remain.
        s.clock.now.set(s.clock.now.get() + 58.0 * 60_000.0);
        block_on(s.client.update_nodes(1, 2, &data())).expect("saved");
        assert_eq!(s.refresh.calls.get(), 1);
        assert_eq!(s.transport.sent.borrow()[0].1["auth"], "fresh-1");
    }

    #[test]
    fn rate_limits_back_off_with_bounded_retries() {
        let notices = Rc::new(Cell::new(0));
        let s = setup(
            vec![limited(), limited(), answer(200, r#"{"result":true}"#)],
            true,
        );
        let seen = notices.clone();
        s.client
            .set_retry_notice(Rc::new(move || seen.set(seen.get() + 1)));
        block_on(s.client.update_nodes(1, 2, &data())).expect("saved after backoff");
        assert_eq!(*s.clock.slept.borrow(), vec![700, 1500]);
        assert_eq!(notices.get(), 2);

        let s = setup((0..10).map(|_| limited()).collect(), true);
        let err = block_on(s.client.update_nodes(1, 2, &data())).expect_err("gives up");
        assert_eq!(err, RestError::QueryLimitExceeded);
        assert_eq!(
            s.transport.sent.borrow().len(),
            4,
            "one try and three retries"
        );
    }

    #[test]
    fn transport_failures_map_to_typed_errors() {
        let s = setup(vec![Err(TransportError::Timeout)], true);
        assert_eq!(
            block_on(s.client.update_nodes(1, 2, &data())),
            Err(RestError::Timeout)
        );
        let s = setup(vec![Err(TransportError::Network)], true);
        assert_eq!(
            block_on(s.client.update_nodes(1, 2, &data())),
            Err(RestError::Transport)
        );
        let s = setup(vec![answer(500, "<html>oops</html>")], true);
        assert_eq!(
            block_on(s.client.update_nodes(1, 2, &data())),
            Err(RestError::InternalServerError)
        );
    }

    const MANIFEST: &str =
        r#"{"block":{"name":"Title"},"nodes":{".t":{"type":"text","name":"Title"}},"cards":[]}"#;

    fn open_answer() -> Result<HttpResponse, TransportError> {
        answer(
            200,
            &format!(
                r#"{{"result":{{"result":{{"manifest":{MANIFEST},"content":{{"id":2,"content":"<h1 class=\"t\">Hi</h1>","access":"W"}}}},"result_error":[],"result_total":[],"result_next":[],"result_time":[]}}}}"#
            ),
        )
    }

    #[test]
    fn opening_a_block_is_one_batch_request_in_edit_mode() {
        let s = setup(vec![open_answer()], true);
        let opened = block_on(s.client.open_block(1, 2, None)).expect("opened");
        assert_eq!(opened.manifest.block.name, "Title");
        assert_eq!(opened.content.access, "W");
        let sent = s.transport.sent.borrow();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].0, "https://acme.bitrix24.com/rest/batch.json");
        let manifest = sent[0].1["cmd"]["manifest"].as_str().unwrap_or_default();
        let content = sent[0].1["cmd"]["content"].as_str().unwrap_or_default();
        assert!(
            manifest.starts_with("landing.block.getmanifest?"),
            "{manifest}"
        );
        assert!(manifest.contains("lid=1") && manifest.contains("block=2"));
        assert!(manifest.contains("[edit_mode]=1") || manifest.contains("%5Bedit_mode%5D=1"));
        assert!(content.contains("editMode=1"), "{content}");
        assert!(content.contains("[wrapper_show]=0") || content.contains("%5Bwrapper_show%5D=0"));
        assert!(!manifest.contains("scope") && !content.contains("scope"));
    }

    #[test]
    fn a_denied_default_scope_is_retried_with_the_hinted_scope_which_then_sticks() {
        let denied = answer(
            200,
            r#"{"result":{"result":[],"result_error":{"manifest":{"error":"ACCESS_DENIED","error_description":"no"}},"result_total":[],"result_next":[],"result_time":[]}}"#,
        );
        let s = setup(
            vec![denied, open_answer(), answer(200, r#"{"result":true}"#)],
            true,
        );
        block_on(s.client.open_block(1, 2, Some(Scope::Knowledge))).expect("opened");
        block_on(s.client.update_nodes(1, 2, &data())).expect("saved");
        let sent = s.transport.sent.borrow();
        assert_eq!(sent.len(), 3);
        let retried = sent[1].1["cmd"]["manifest"].as_str().unwrap_or_default();
        assert!(retried.contains("scope=KNOWLEDGE"), "{retried}");
        assert_eq!(sent[2].1["scope"], "KNOWLEDGE");
    }

    fn every_block() -> Binding {
        Binding {
            target: Target::AllBlocks,
            handler: "https://app.example/".into(),
            title: "Block editor".into(),
        }
    }

    #[test]
    fn binding_posts_the_fields_and_accepts_an_existing_binding() {
        let s = setup(
            vec![
                answer(200, r#"{"result":true}"#),
                answer(
                    400,
                    r#"{"error":"PLACEMENT_EXIST","error_description":"exists"}"#,
                ),
                answer(403, r#"{"error":"ACCESS_DENIED","error_description":"no"}"#),
            ],
            true,
        );
        let binding = every_block();
        assert_eq!(block_on(s.client.bind(&binding)), Ok(BindOutcome::Bound));
        assert_eq!(
            block_on(s.client.bind(&binding)),
            Ok(BindOutcome::AlreadyBound)
        );
        assert_eq!(
            block_on(s.client.bind(&binding)),
            Err(RestError::AccessDenied)
        );
        let sent = s.transport.sent.borrow();
        assert_eq!(
            sent[0].0,
            "https://acme.bitrix24.com/rest/landing.repo.bind.json"
        );
        assert_eq!(
            sent[0].1["fields"],
            json!({"PLACEMENT": "LANDING_BLOCK_*", "PLACEMENT_HANDLER": "https://app.example/", "TITLE": "Block editor"})
        );
    }

    #[test]
    fn unbinding_names_placement_and_handler_and_accepts_a_missing_one() {
        let s = setup(
            vec![
                answer(200, r#"{"result":true}"#),
                answer(
                    400,
                    r#"{"error":"PLACEMENT_NO_EXIST","error_description":"none"}"#,
                ),
                answer(500, r#"{"error":"INTERNAL_SERVER_ERROR"}"#),
            ],
            true,
        );
        let binding = every_block();
        assert_eq!(
            block_on(s.client.unbind(&binding)),
            Ok(UnbindOutcome::Unbound)
        );
        assert_eq!(
            block_on(s.client.unbind(&binding)),
            Ok(UnbindOutcome::AlreadyGone)
        );
        assert_eq!(
            block_on(s.client.unbind(&binding)),
            Err(RestError::InternalServerError)
        );
        let sent = s.transport.sent.borrow();
        assert_eq!(
            sent[0].1,
            json!({"code": "LANDING_BLOCK_*", "handler": "https://app.example/", "auth": "token-0"})
        );
    }

    #[test]
    fn a_failed_retitle_puts_the_old_binding_back() {
        let denied = answer(403, r#"{"error":"ACCESS_DENIED","error_description":"no"}"#);
        let s = setup(
            vec![
                answer(200, r#"{"result":true}"#),
                denied,
                answer(200, r#"{"result":true}"#),
            ],
            true,
        );
        assert_eq!(
            block_on(s.client.retitle(&every_block(), "New")),
            Err(RestError::AccessDenied)
        );
        let sent = s.transport.sent.borrow();
        let titles: Vec<&Value> = sent[1..]
            .iter()
            .map(|(_, b)| &b["fields"]["TITLE"])
            .collect();
        assert_eq!(titles, [&json!("New"), &json!("Block editor")]);
        assert!(sent[0].0.ends_with("landing.repo.unbind.json"));
    }

    #[test]
    fn bindings_load_in_one_batch_and_a_failed_catalogue_fails_alone() {
        let body = r#"{"result":{"result":{
            "placements":[{"placement":"LANDING_BLOCK_*","handler":"https://app.example/","title":"Edit"}],
            "options":[]},
            "result_error":{"catalogue":{"error":"ACCESS_DENIED","error_description":"no"}}}}"#;
        let s = setup(vec![answer(200, body)], true);
        let snap = block_on(s.client.load_bindings(true)).expect("loaded");
        assert_eq!(snap.portal.len(), 1);
        assert_eq!(snap.portal[0].title, "Edit");
        assert_eq!(snap.record, Record::Missing);
        assert_eq!(snap.catalogue, Some(Err(RestError::AccessDenied)));
        let sent = s.transport.sent.borrow();
        assert_eq!(sent.len(), 1);
        assert_eq!(
            sent[0].1["cmd"],
            json!({"placements": "placement.get", "options": "app.option.get",
                   "catalogue": "landing.block.getrepository"})
        );
        assert_eq!(sent[0].1["halt"], json!("0"));
    }

    #[test]
    fn bindings_fail_when_the_placements_fail() {
        let body = r#"{"result":{"result":{"options":[]},
            "result_error":{"placements":{"error":"ACCESS_DENIED","error_description":"admins"}}}}"#;
        let s = setup(vec![answer(200, body)], true);
        assert_eq!(
            block_on(s.client.load_bindings(false)),
            Err(RestError::AccessDenied)
        );
    }

    #[test]
    fn the_record_is_saved_as_an_option() {
        let s = setup(vec![answer(200, r#"{"result":true}"#)], true);
        block_on(s.client.save_record(&[every_block()])).expect("saved");
        let sent = s.transport.sent.borrow();
        assert!(sent[0].0.ends_with("app.option.set.json"));
        let stored = sent[0].1["options"]["bindings"]
            .as_str()
            .unwrap_or_default();
        assert!(stored.contains("LANDING_BLOCK_*"), "{stored}");
    }

    #[test]
    fn the_manifest_keeps_the_portal_node_order() {
        let manifest = r#"{"block":{"name":"B"},"nodes":{".zeta":{"type":"text","name":"Z"},".alpha":{"type":"link","name":"A"},".mid":{"type":"img","name":"M"}},"cards":[]}"#;
        let body = format!(
            r#"{{"result":{{"result":{{"manifest":{manifest},"content":{{"id":2,"content":"","access":"X"}}}},"result_error":[]}}}}"#
        );
        let s = setup(vec![answer(200, &body)], true);
        let opened = block_on(s.client.open_block(1, 2, None)).expect("opened");
        let order: Vec<&str> = opened
            .manifest
            .nodes
            .iter()
            .map(|n| n.selector.as_str())
            .collect();
        assert_eq!(order, [".zeta", ".alpha", ".mid"]);
    }

    #[test]
    fn batch_parts_of_the_wrong_shape_are_a_bad_response() {
        let batch = |parts: &str| {
            answer(
                200,
                &format!(r#"{{"result":{{"result":{{{parts}}},"result_error":[]}}}}"#),
            )
        };
        for parts in [
            r#""manifest":"x","content":{}"#,
            r#""manifest":{},"content":5"#,
            r#""manifest":{},"content":null"#,
            r#""manifest":{}"#,
        ] {
            let s = setup(vec![batch(parts)], true);
            let opened = block_on(s.client.open_block(1, 2, None));
            assert!(matches!(opened, Err(RestError::BadResponse(_))), "{parts}");
        }
        // PHP's empty array is an empty manifest, not a failure.
        let s = setup(
            vec![batch(r#""manifest":[],"content":{"access":"X"}"#)],
            true,
        );
        let opened = block_on(s.client.open_block(1, 2, None)).expect("opened");
        assert_eq!(opened.manifest, Manifest::default());
        assert_eq!(opened.content.access, "X");
    }

    #[test]
    fn a_batch_command_error_is_the_error_of_the_open() {
        let missing = answer(
            200,
            r#"{"result":{"result":[],"result_error":{"content":{"error":"BLOCK_NOT_FOUND","error_description":"gone"}}}}"#,
        );
        let s = setup(vec![missing], true);
        assert_eq!(
            block_on(s.client.open_block(1, 2, None)).err(),
            Some(RestError::BlockNotFound)
        );
    }
}
