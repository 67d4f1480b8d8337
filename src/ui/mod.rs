//! The Leptos UI: start-up screens, the editor ([`App`]) and the app's own page
//! ([`SettingsApp`], a bundle of its own).

mod app_page;
mod editor;
mod fields;
mod node;

pub use app_page::SettingsApp;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::Element;

use crate::bridge::{Bridge, BridgeError, Host};
use crate::browser::{detect_host, load_language, query_param, BrowserClock, FetchTransport};
use crate::client::Json;
use crate::client::{AuthSource, Clock, LocalFuture, RestClient, Transport};
use crate::core::context::{
    is_app_page, parse_app_context, parse_init_data, parse_refreshed_auth, Auth, ContextError,
    PlacementContext,
};
use crate::core::i18n::{tr, trf, Lang, Msg};
use crate::core::loose::Loose;
use crate::core::model::{build_form, Access, BlockForm};
use crate::core::rest::RestError;
use crate::messages;
use node::{append, button, el, set_flag, text_el, Keep};

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

/// Where the emulator listens by default (shown on the "opened directly" screen).
const DEV_EDITOR_URL: &str = "http://127.0.0.1:8090/";

/// An opened placement: its context, the bridge to the editor and the REST client.
pub struct Session {
    pub ctx: PlacementContext,
    pub bridge: Rc<dyn Bridge>,
    pub client: RestClient,
}

pub struct Loaded {
    pub form: BlockForm,
    pub access: Access,
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
    if let Some(code) = data.lang.as_ref().and_then(Loose::as_str) {
        let wanted = Lang::from_code(code);
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
    load(Rc::new(Session {
        ctx,
        bridge,
        client,
    }))
    .await
}

async fn load(session: Rc<Session>) -> Screen {
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
        access: Access::from_letter(&opened.content.access),
    };
    Screen::Ready(session, Rc::new(loaded))
}

fn initial_lang() -> Lang {
    query_param("LANG")
        .map(|code| Lang::from_code(&code))
        .unwrap_or(Lang::En)
}

/// The UI language for a whole page, kept on the document's `lang` attribute.
fn provide_ui_lang(keep: &Keep) -> RwSignal<Lang> {
    let lang = RwSignal::new(initial_lang());
    provide_context(UiLang(lang));
    keep.effect(move || {
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

/// The editor's page mounted in a parent element. Dropping it takes the page
/// down: its elements, its listeners and effects, and with its reactive owner
/// every signal.
pub struct MountedApp {
    page: Rc<Page>,
}

impl Drop for MountedApp {
    fn drop(&mut self) {
        self.page.unmounted.set(true);
        // The screen's listeners hold the page: dropping them ends that cycle.
        self.page.shown.take();
        self.page.root.remove();
    }
}

/// Mounts the editor's page (the block placement's app) at the end of `parent`.
///
/// The page is plain DOM driven by Leptos signals (see `node`), not a `view!`
/// tree: every `view!` type brings its own copy of Leptos' renderer into the
/// wasm, and this bundle has a download budget. For the same reason nothing
/// here is kept in Leptos' thread-checked local storage: what is not `Send`
/// (elements, listeners, the session) is owned by [`Page`] and the screen.
pub fn mount_app(parent: &Element, platform: Platform) -> MountedApp {
    // Tasks and effects run on wasm-bindgen-futures' queue. An error only means that
    // it was set up already (tests mount many times).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let keep = Keep::default();
    let lang = owner.with(|| provide_ui_lang(&keep));
    let page = Rc::new(Page {
        root: el("div", &[("class", "app")]),
        owner,
        _keep: keep,
        lang,
        platform,
        shown: RefCell::new(None),
        unmounted: Cell::new(false),
    });
    let _ = parent.append_child(&page.root);
    page.clone().again(None);
    MountedApp { page }
}

/// The editor's page: one screen at a time in `root`.
struct Page {
    root: Element,
    /// The page's reactive owner; each screen gets one of its own below it.
    owner: Owner,
    _keep: Keep,
    lang: RwSignal<Lang>,
    platform: Platform,
    /// The screen on show: its owner (its signals) and its listeners and effects.
    shown: RefCell<Option<(Owner, Keep)>>,
    unmounted: Cell<bool>,
}

impl Page {
    /// Starts over (`None`) or loads a session's block again, showing "loading" meanwhile
    /// (which also takes away the button that asked, so starts never overlap).
    fn again(self: Rc<Self>, session: Option<Rc<Session>>) {
        self.show(None);
        spawn_local(async move {
            let mut next = match session {
                Some(session) => load(session).await,
                None => start(self.platform.clone(), self.lang).await,
            };
            if let Screen::AppPage(_) = next {
                next = match crate::browser::load_settings_bundle().await {
                    Ok(()) => Screen::HandedToSettings,
                    Err(_) => Screen::SettingsFailed,
                };
            }
            self.show(Some(next));
        });
    }

    /// Replaces the screen on show, dropping the old one's state and listeners. Once the
    /// page is unmounted a load that finishes late builds nothing (the page itself goes
    /// with that last task).
    fn show(self: &Rc<Self>, screen: Option<Screen>) {
        if self.unmounted.get() {
            return;
        }
        self.shown.take();
        self.root.set_text_content(None);
        set_flag(
            &self.root,
            "hidden",
            matches!(screen, Some(Screen::HandedToSettings)),
        );
        let owner = self.owner.with(Owner::new);
        let lang = self.lang.get_untracked();
        let (keep, parts) = owner.with(|| untrack(|| self.screen_parts(lang, screen)));
        for part in &parts {
            append(&self.root, &[part]);
        }
        self.shown.replace(Some((owner, keep)));
    }

    /// What a screen shows, and the listeners and effects that keep it working.
    fn screen_parts(self: &Rc<Self>, lang: Lang, screen: Option<Screen>) -> (Keep, Vec<Element>) {
        let keep = Keep::default();
        let Some(screen) = screen else {
            return (keep, vec![loading(lang)]);
        };
        let parts = match screen {
            Screen::Standalone => vec![standalone(lang)],
            failed @ (Screen::BridgeFailed(_) | Screen::SettingsFailed) => {
                let (title, text) = start_problem(lang, &failed).unwrap_or_default();
                // The editor may answer a second time (it was busy, or the slider was still
                // loading): asking again costs nothing.
                let retry = button("btn btn-primary", "retry-start", tr(lang, Msg::Retry));
                let page = self.clone();
                keep.on(&retry, "click", move |_| page.clone().again(None));
                let actions = el("div", &[("class", "actions")]);
                append(&actions, &[&retry]);
                vec![problem(title, &text), actions]
            }
            bad @ Screen::BadContext(_) => {
                let (title, text) = start_problem(lang, &bad).unwrap_or_default();
                vec![problem(title, &text)]
            }
            Screen::LoadFailed(session, err) => {
                let text = messages::rest_error(lang, &err);
                let retry = button("btn btn-primary", "retry-load", tr(lang, Msg::Retry));
                let page = self.clone();
                let failed_in = session.clone();
                keep.on(&retry, "click", move |_| {
                    page.clone().again(Some(failed_in.clone()));
                });
                let close = text_el(
                    "button",
                    &[("type", "button"), ("class", "btn btn-light")],
                    tr(lang, Msg::Close),
                );
                keep.on(&close, "click", move |_| session.bridge.close_application());
                let actions = el("div", &[("class", "actions")]);
                append(&actions, &[&retry, &close]);
                vec![problem(tr(lang, Msg::LoadErrorTitle), &text), actions]
            }
            Screen::AppPage(_) | Screen::HandedToSettings => Vec::new(),
            Screen::Ready(session, loaded) => {
                let (editor_keep, parts) = editor::editor(session, loaded);
                return (editor_keep, parts.into());
            }
        };
        (keep, parts)
    }
}

fn loading(lang: Lang) -> Element {
    let screen = el(
        "div",
        &[
            ("class", "screen screen-loading"),
            ("role", "status"),
            ("aria-live", "polite"),
        ],
    );
    let spinner = el("div", &[("class", "spinner"), ("aria-hidden", "true")]);
    append(
        &screen,
        &[&spinner, &text_el("p", &[], tr(lang, Msg::Loading))],
    );
    screen
}

fn standalone(lang: Lang) -> Element {
    let screen = el("div", &[("class", "screen screen-standalone")]);
    append(
        &screen,
        &[
            &text_el("h1", &[], tr(lang, Msg::NotInFrameTitle)),
            &text_el("p", &[], tr(lang, Msg::NotInFrameBody)),
            &text_el(
                "p",
                &[("class", "hint")],
                &trf(lang, Msg::NotInFrameDev, &[DEV_EDITOR_URL]),
            ),
        ],
    );
    screen
}

fn problem(title: &str, text: &str) -> Element {
    let screen = el(
        "div",
        &[("class", "screen screen-problem"), ("role", "alert")],
    );
    append(
        &screen,
        &[&text_el("h1", &[], title), &text_el("p", &[], text)],
    );
    screen
}
