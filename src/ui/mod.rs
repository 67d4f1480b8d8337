//! The Leptos UI: start-up screens, the editor ([`App`]) and the app's own page
//! ([`SettingsApp`], a bundle of its own).

mod app_page;
mod editor;
mod fields;
mod screens;

pub use app_page::SettingsApp;

use std::rc::Rc;

use leptos::either::EitherOf7;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::tachys::view::{Mountable, Render};

use crate::bridge::{Bridge, BridgeError, Host};
use crate::browser::{detect_host, load_language, query_param, BrowserClock, FetchTransport};
use crate::client::Json;
use crate::client::{AuthSource, Clock, LocalFuture, RestClient, Transport};
use crate::core::cards::CardStructure;
use crate::core::context::{
    is_app_page, parse_app_context, parse_init_data, parse_refreshed_auth, Auth, ContextError,
    InitData, PlacementContext,
};
use crate::core::i18n::{tr, trf, Lang, Msg};
use crate::core::loose::Loose;
use crate::core::model::{build_form, Access, BlockForm};
use crate::core::preview::stylesheet_urls;
use crate::core::rest::RestError;
use crate::messages;
use screens::{LoadFailed, Loading, Problem, Standalone, StartFailed};

/// The UI language, shared by every component.
#[derive(Clone, Copy)]
pub struct UiLang(pub RwSignal<Lang>);

/// The UI language. It is settled (from `LANG`) before any screen but the
/// first loading one renders, so components read it once rather than each
/// text subscribing to it: fewer effects, less code in the wasm.
pub fn use_lang() -> Lang {
    use_context::<UiLang>()
        .map(|lang| lang.0.get_untracked())
        .unwrap_or(Lang::En)
}

/// An opened placement: its context, the bridge to the editor and the REST client.
pub struct Session {
    pub ctx: PlacementContext,
    pub bridge: Rc<dyn Bridge>,
    pub client: RestClient,
}

pub struct Loaded {
    pub form: BlockForm,
    pub access: Access,
    /// The block's HTML as loaded, for the preview.
    pub html: String,
    /// The block's own stylesheets, absolute.
    pub stylesheets: Vec<String>,
    /// Its cards as loaded, one list per manifest card selector.
    pub cards: CardStructure,
    /// Why the editor loaded the block again, if it did.
    pub reopened: Option<Reopened>,
}

/// Why a block was loaded again within its session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reopened {
    /// Its cards were saved (the form's keys all moved); `confirmed` = the editor re-rendered.
    CardsSaved { confirmed: bool },
    /// A save found it changed elsewhere and wrote nothing.
    ChangedElsewhere,
}

/// A load of a session's block again: after a failed load, or after a save.
#[derive(Clone)]
pub struct Reopen {
    pub session: Rc<Session>,
    pub why: Option<Reopened>,
}

#[derive(Clone)]
enum Screen {
    Standalone,
    BridgeFailed(BridgeError),
    BadContext(ContextError),
    LoadFailed(Rc<Session>, RestError),
    Ready(Rc<Session>, Rc<Loaded>),
    AppPage(Rc<app_page::AppPage>),
    /// The app's own page runs from its own bundle; this one steps aside.
    HandedToSettings,
    SettingsFailed,
}

/// Token refresh through the bridge, validated like the initial context.
struct BridgeAuth(Rc<dyn Bridge>);

impl AuthSource for BridgeAuth {
    fn refresh(&self) -> LocalFuture<'static, Option<Auth>> {
        let bridge = self.0.clone();
        Box::pin(async move {
            let data = bridge.refresh_auth().await.ok()?;
            parse_refreshed_auth(&data).ok()
        })
    }
}

/// What the app runs on; tests pass doubles, `main` the browser's.
#[derive(Clone)]
pub struct Platform {
    pub bridge: Option<Rc<dyn Bridge>>,
    pub transport: Rc<dyn Transport>,
    pub clock: Rc<dyn Clock>,
}

impl Platform {
    /// The real browser: the bridge is detected at start.
    pub fn browser() -> Platform {
        Platform {
            bridge: None,
            transport: Rc::new(FetchTransport),
            clock: Rc::new(BrowserClock),
        }
    }
}

async fn start(platform: Platform, lang: RwSignal<Lang>) -> Screen {
    // The language from the page's query is fetched while the bridge starts.
    let detect = async {
        match platform.bridge.clone() {
            Some(bridge) => Host::Bridge(bridge),
            None => detect_host().await,
        }
    };
    let (host, ()) = futures::join!(detect, load_language(lang.get_untracked()));
    let bridge = match host {
        Host::Standalone => return Screen::Standalone,
        Host::Bridge(bridge) => bridge,
    };
    let data = match bridge.init_data().await {
        Ok(data) => data,
        Err(err) => return Screen::BridgeFailed(err),
    };
    if let Some(wanted) = init_lang(&data) {
        load_language(wanted).await;
        lang.try_set(wanted);
    }
    if is_app_page(&data) {
        return match parse_app_context(&data) {
            Ok(app) => {
                let client = RestClient::new(
                    app.portal.clone(),
                    app.auth.clone(),
                    platform.transport.clone(),
                    platform.clock.clone(),
                    Rc::new(BridgeAuth(bridge.clone())),
                );
                Screen::AppPage(Rc::new(app_page::AppPage {
                    app,
                    bridge,
                    client,
                }))
            }
            Err(err) => Screen::BadContext(err),
        };
    }
    let ctx = match parse_init_data(&data, &Json) {
        Ok(ctx) => ctx,
        Err(err) => return Screen::BadContext(err),
    };
    let client = RestClient::new(
        ctx.portal.clone(),
        ctx.auth.clone(),
        platform.transport.clone(),
        platform.clock.clone(),
        Rc::new(BridgeAuth(bridge.clone())),
    );
    let session = Rc::new(Session {
        ctx,
        bridge,
        client,
    });
    load(session, None).await
}

async fn load(session: Rc<Session>, reopened: Option<Reopened>) -> Screen {
    let ctx = &session.ctx;
    let opened = match session
        .client
        .open_block(ctx.page_id, ctx.block_id, ctx.scope_hint())
        .await
    {
        Ok(opened) => opened,
        Err(err) => return Screen::LoadFailed(session, err),
    };
    let Some(extracted) = crate::dom::extract(&opened.manifest, &opened.content.content) else {
        return Screen::LoadFailed(
            session,
            RestError::BadResponse("the block's HTML could not be parsed".into()),
        );
    };
    let loaded = Loaded {
        form: build_form(&opened.manifest, &extracted),
        cards: CardStructure::new(&opened.manifest, &extracted.card_counts),
        reopened,
        access: Access::from_letter(&opened.content.access),
        stylesheets: stylesheet_urls(&session.ctx.portal.origin(), &opened.content.css),
        html: opened.content.content,
    };
    Screen::Ready(session, Rc::new(loaded))
}

/// The portal's language (`LANG`) in the placement's init data.
fn init_lang(data: &InitData) -> Option<Lang> {
    data.lang
        .as_ref()
        .and_then(Loose::as_str)
        .map(Lang::from_code)
}

fn initial_lang() -> Lang {
    query_param("LANG")
        .map(|code| Lang::from_code(&code))
        .unwrap_or(Lang::En)
}

/// The UI language for a whole page, kept on the document's `lang` attribute.
fn provide_ui_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(initial_lang());
    provide_context(UiLang(lang));
    Effect::new(move || {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().html_tag());
        }
    });
    lang
}

/// Title and text for the screens that end the start-up before anything is loaded.
fn start_problem(lang: Lang, screen: &Screen) -> Option<(&'static str, String)> {
    match screen {
        Screen::BridgeFailed(err) => {
            let text = match err {
                BridgeError::Timeout => tr(lang, Msg::BridgeTimeout).to_string(),
                BridgeError::Unavailable(why) => {
                    trf(lang, Msg::BridgeFailed, &[&messages::shorten(why, 120)])
                }
            };
            Some((tr(lang, Msg::LoadErrorTitle), text))
        }
        Screen::BadContext(err) => Some((
            tr(lang, Msg::ContextErrorTitle),
            messages::context_error(lang, err),
        )),
        Screen::SettingsFailed => Some((
            tr(lang, Msg::LoadErrorTitle),
            tr(lang, Msg::SettingsLoadFailed).to_string(),
        )),
        _ => None,
    }
}

/// Starts the page (`None`) or loads a session's block again (`Some`: a retry after a
/// failed load, or after a save); what it ends in is the screen to show.
type Starter = Action<Option<Reopen>, Screen>;

/// A start, or a retried load, through to its screen; the app's own page is handed to
/// the settings bundle.
async fn open_page(platform: Platform, lang: RwSignal<Lang>, retry: Option<Reopen>) -> Screen {
    let next = match retry {
        Some(again) => load(again.session, again.why).await,
        None => start(platform, lang).await,
    };
    match next {
        Screen::AppPage(_) => match crate::browser::load_settings_bundle().await {
            Ok(()) => Screen::HandedToSettings,
            Err(_) => Screen::SettingsFailed,
        },
        other => other,
    }
}

/// The editor's page (the block placement's app): one screen at a time, each replaced as
/// a whole, with its state and listeners, by the next.
#[component]
pub fn App(platform: Platform) -> impl IntoView {
    let lang = provide_ui_lang();
    let starter: Starter = Action::new_local(move |retry: &Option<Reopen>| {
        open_page(platform.clone(), lang, retry.clone())
    });
    starter.dispatch_local(None);
    let screen = starter.value();
    let handed = move || screen.with(|shown| matches!(shown, Some(Screen::HandedToSettings)));
    let root = NodeRef::<Div>::new();
    show_screens(root, starter);
    view! { <div class="app" hidden=handed node_ref=root></div> }
}

/// Shows each screen in `root`, built afresh in place of the last. While a start runs its
/// loading screen is shown, which also takes away the button that asked, so starts never
/// overlap; once the page is unmounted a start that ends late builds nothing.
///
/// A `{move || ..}` child would patch a screen into the next of the same kind, which puts
/// code to patch every element of every screen into the bundle (8.8 KiB gzip, measured) for
/// something that never happens. Each screen's state and listeners belong to the
/// effect's run, and go when the next run replaces it.
fn show_screens(root: NodeRef<Div>, starter: Starter) {
    let pending = starter.pending();
    let screen = starter.value();
    Effect::new(move |shown: Option<Option<Box<dyn Mountable>>>| {
        if let Some(mut old) = shown.flatten() {
            old.unmount();
        }
        let parent = root.get()?;
        let next = if pending.get() { None } else { screen.get() };
        let mut view = untrack(|| screen_view(next, starter).build());
        view.mount(&parent, None);
        Some(Box::new(view) as Box<dyn Mountable>)
    });
}

/// The screen for where the start got to (`None`: still loading).
fn screen_view(screen: Option<Screen>, starter: Starter) -> impl IntoView {
    let lang = use_lang();
    let Some(screen) = screen else {
        return EitherOf7::A(view! { <Loading/> });
    };
    match screen {
        Screen::Standalone => EitherOf7::B(view! { <Standalone/> }),
        failed @ (Screen::BridgeFailed(_) | Screen::SettingsFailed) => {
            let (title, text) = start_problem(lang, &failed).unwrap_or_default();
            EitherOf7::C(view! { <StartFailed title text starter/> })
        }
        bad @ Screen::BadContext(_) => {
            let (title, text) = start_problem(lang, &bad).unwrap_or_default();
            EitherOf7::D(view! { <Problem title text/> })
        }
        Screen::LoadFailed(session, error) => {
            EitherOf7::E(view! { <LoadFailed session error starter/> })
        }
        Screen::Ready(session, loaded) => {
            fields::provide_link_picks(&session);
            let again = StoredValue::new_local(session.clone());
            let reopen = Callback::new(move |why: Reopened| {
                if let Some(session) = again.try_get_value() {
                    starter.dispatch_local(Some(Reopen {
                        session,
                        why: Some(why),
                    }));
                }
            });
            fields::provide_upload_target(&session);
            EitherOf7::F(view! { <editor::Editor session loaded reopen/> })
        }
        Screen::AppPage(_) | Screen::HandedToSettings => EitherOf7::G(()),
    }
}
