//! The app's own page (`PLACEMENT=DEFAULT`): the first-run installer and the settings where
//! administrators choose in which blocks' More menus the app appears.

use std::rc::Rc;
use std::sync::Arc;

use leptos::either::{Either, EitherOf3, EitherOf4};
use leptos::prelude::*;

use super::screens::{Loading, Standalone, StartFailed};
use super::{provide_ui_lang, start, start_problem, use_lang, Platform, Screen, Starter};
use crate::bridge::Bridge;
use crate::client::{BindOutcome, BindingsSnapshot, RestClient};
use crate::core::bindings::{
    clean_title, default_handler, differs, parse_record, parse_target, reconcile, validate_handler,
    with_change, Binding, CatalogueBlock, CodeError, HandlerError, Record, Row, RowState, Target,
};
use crate::core::context::AppContext;
use crate::core::i18n::{tr, trf, Lang, Msg};
use crate::core::rest::RestError;
use crate::messages;

pub struct AppPage {
    pub app: AppContext,
    pub bridge: Rc<dyn Bridge>,
    pub client: RestClient,
}

/// What an administrator asked for.
#[derive(Clone)]
enum Op {
    Install,
    Load,
    Bind(Binding),
    Unbind(Binding),
    Retitle(Binding, String),
    Forget(Binding),
}

/// The result of one operation: a line for the status bar and, when the list could be read
/// afterwards, the new rows.
struct Outcome {
    rows: Option<Vec<Row>>,
    catalogue: Option<Result<Vec<CatalogueBlock>, RestError>>,
    note: Option<String>,
    error: Option<String>,
}

fn where_text(lang: Lang, target: &Target) -> String {
    match target {
        Target::AllBlocks => tr(lang, Msg::TargetAll).to_string(),
        Target::Block(code) => trf(lang, Msg::TargetBlock, &[code]),
    }
}

fn page_address() -> String {
    default_handler(&window().location().href().unwrap_or_default())
}

fn every_block(lang: Lang) -> Binding {
    Binding {
        target: Target::AllBlocks,
        handler: page_address(),
        title: tr(lang, Msg::InstallTitle).to_string(),
    }
}

/// Performs `op`, then reads the portal's bindings again, reconciles them with the app's
/// list and stores the list when it changed.
async fn run(page: Rc<AppPage>, lang: Lang, op: Op, with_catalogue: bool) -> Outcome {
    let client = &page.client;
    let failed = |err: &RestError| Outcome {
        rows: None,
        catalogue: None,
        note: None,
        error: Some(messages::rest_error(lang, err)),
    };
    // What the app changes itself, so that its list says so rather than "found".
    let (mut added, removed) = match &op {
        Op::Install => (Some(every_block(lang)), None),
        Op::Bind(b) => (Some(b.clone()), None),
        Op::Unbind(b) | Op::Forget(b) => (None, Some(b.clone())),
        Op::Retitle(b, title) => (
            Some(Binding {
                title: title.clone(),
                ..b.clone()
            }),
            Some(b.clone()),
        ),
        Op::Load => (None, None),
    };
    let done = match op {
        Op::Load => Ok(None),
        Op::Install => {
            // A list kept from an earlier installation is the administrator's choice: keep it.
            let stored = parse_record(&page.app.options, &crate::client::Json);
            let configured = matches!(stored, Record::Stored(list) if !list.is_empty());
            let bound = if configured {
                Ok(())
            } else {
                client.bind(&every_block(lang)).await.map(|_| ())
            };
            bound.map(|()| {
                page.bridge.install_finish();
                Some(trf(lang, Msg::InstallDone, &[tr(lang, Msg::InstallTitle)]))
            })
        }
        Op::Bind(b) => client.bind(&b).await.map(|outcome| {
            let place = where_text(lang, &b.target);
            Some(match outcome {
                BindOutcome::Bound => trf(lang, Msg::BoundDone, &[&b.title, &place]),
                BindOutcome::AlreadyBound => trf(lang, Msg::AlreadyBound, &[&place]),
            })
        }),
        Op::Unbind(b) => client
            .unbind(&b)
            .await
            .map(|_| Some(trf(lang, Msg::UnboundDone, &[&where_text(lang, &b.target)]))),
        Op::Retitle(b, title) => client
            .retitle(&b, &title)
            .await
            .map(|()| Some(trf(lang, Msg::RenamedDone, &[&title]))),
        Op::Forget(b) => Ok(Some(trf(
            lang,
            Msg::ForgottenDone,
            &[&where_text(lang, &b.target)],
        ))),
    };
    let mut note = match done {
        Ok(note) => note,
        Err(err) => return failed(&err),
    };
    let mut snapshot = match client.load_bindings(with_catalogue).await {
        Ok(snapshot) => snapshot,
        Err(err) => {
            return Outcome {
                note,
                ..failed(&err)
            }
        }
    };
    // Never configured and bound nowhere: an installation whose first run the bridge could
    // not report (the BX24 library keeps FIRST_RUN/INSTALL to itself).
    if snapshot.record == Record::Missing && snapshot.portal.is_empty() && note.is_none() {
        if let Err(err) = client.bind(&every_block(lang)).await {
            return Outcome {
                catalogue: snapshot.catalogue,
                ..failed(&err)
            };
        }
        page.bridge.install_finish();
        added = Some(every_block(lang));
        note = Some(trf(lang, Msg::InstallDone, &[tr(lang, Msg::InstallTitle)]));
        match client.load_bindings(false).await {
            Ok(again) => {
                snapshot = BindingsSnapshot {
                    catalogue: snapshot.catalogue,
                    ..again
                }
            }
            Err(err) => {
                return Outcome {
                    note,
                    ..failed(&err)
                }
            }
        }
    }
    let known = with_change(&snapshot.record, added.as_ref(), removed.as_ref());
    let reconciled = reconcile(&known, &snapshot.portal);
    let error = if differs(&snapshot.record, &reconciled.record) {
        client
            .save_record(&reconciled.record)
            .await
            .err()
            .map(|err| {
                trf(
                    lang,
                    Msg::RecordSaveFailed,
                    &[&messages::rest_error(lang, &err)],
                )
            })
    } else {
        None
    };
    Outcome {
        rows: Some(reconciled.rows),
        catalogue: snapshot.catalogue,
        note,
        error,
    }
}

fn code_error(lang: Lang, err: &CodeError) -> String {
    match err {
        CodeError::Empty => tr(lang, Msg::CodeEmpty).into(),
        CodeError::TooLong => tr(lang, Msg::TooLong).into(),
        CodeError::BadCharacter(c) => trf(lang, Msg::CodeBadChar, &[&c.to_string()]),
        CodeError::BadRepoId => tr(lang, Msg::CodeBadRepo).into(),
    }
}

fn handler_error(lang: Lang, err: &HandlerError) -> &'static str {
    tr(
        lang,
        match err {
            HandlerError::Empty | HandlerError::NotAbsolute => Msg::HandlerNotAbsolute,
            HandlerError::TooLong => Msg::TooLong,
            HandlerError::NotHttps => Msg::HandlerNotHttps,
            HandlerError::BadHost => Msg::HandlerBadHost,
            HandlerError::HasCredentials => Msg::HandlerCredentials,
            HandlerError::HasFragment => Msg::HandlerFragment,
        },
    )
}

/// The app's own page as a page of its own: the editor's bundle hands over to it when the
/// app is opened from the application list.
#[component]
pub fn SettingsApp(platform: Platform) -> impl IntoView {
    let lang = provide_ui_lang();
    let starter: Starter =
        Action::new_local(move |_: &Option<super::Reopen>| start(platform.clone(), lang));
    starter.dispatch_local(None);
    let pending = starter.pending();
    let screen = starter.value();
    view! {
        <div class="app">
            {move || {
                let shown = if pending.get() { None } else { screen.get() };
                untrack(|| settings_screen(shown, starter))
            }}
        </div>
    }
}

/// The screen for where the start got to (`None`: still loading).
fn settings_screen(screen: Option<Screen>, starter: Starter) -> impl IntoView {
    let lang = use_lang();
    match screen {
        None => EitherOf4::A(view! { <Loading/> }),
        Some(Screen::AppPage(page)) => EitherOf4::B(view! { <AppPageView page/> }),
        Some(Screen::Standalone) => EitherOf4::C(view! { <Standalone/> }),
        Some(other) => {
            // A block placement never lands here; it is told like a bad context.
            let (title, text) = start_problem(lang, &other)
                .unwrap_or((tr(lang, Msg::ContextErrorTitle), String::new()));
            EitherOf4::D(view! { <StartFailed title text starter/> })
        }
    }
}

#[component]
pub fn AppPageView(page: Rc<AppPage>) -> impl IntoView {
    let lang = use_lang();
    let body = if page.app.is_admin {
        Either::Left(view! { <Settings page/> })
    } else {
        let options = page.app.options.clone();
        let installing = page.app.installing;
        let bridge = page.bridge.clone();
        Either::Right(view! { <ReadOnlyBindings options installing bridge/> })
    };
    view! {
        <header class="app-header">
            <h1 class="block-name">{tr(lang, Msg::InstallTitle)}</h1>
            <p class="hint">{tr(lang, Msg::SettingsIntro)}</p>
        </header>
        {body}
    }
}

#[component]
fn CloseButton(bridge: Rc<dyn Bridge>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <button type="button" class="btn btn-light" id="settings-close" on:click=move |_| bridge.close_application()>
            {tr(lang, Msg::Close)}
        </button>
    }
}

/// For users who are not administrators: what the app's list says, and who can change it.
#[component]
fn ReadOnlyBindings(
    options: crate::core::bindings::AppOptions,
    installing: bool,
    bridge: Rc<dyn Bridge>,
) -> impl IntoView {
    let lang = use_lang();
    let rows = match parse_record(&options, &crate::client::Json) {
        Record::Stored(list) => list,
        Record::Missing | Record::Unreadable => Vec::new(),
    };
    let empty = rows.is_empty();
    let notice = if installing {
        Msg::InstallNeedsAdmin
    } else {
        Msg::SettingsAdminOnly
    };
    view! {
        <main class="app-body">
            <p class="notice notice-warning" role="note" id="admin-only">{tr(lang, notice)}</p>
            <section class="group">
                <h2 class="group-title">{tr(lang, Msg::BindingsTitle)}</h2>
                {empty.then(|| view! { <p class="hint">{tr(lang, Msg::BindingsEmpty)}</p> })}
                <ul class="readonly-list bindings">
                    {rows
                        .into_iter()
                        .map(|b| {
                            view! {
                                <li class="binding" data-placement=b.target.placement()>
                                    <span class="readonly-name">{where_text(lang, &b.target)}</span>
                                    " · "
                                    <span>{b.title}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        </main>
        <footer class="app-footer">
            <div class="actions"><CloseButton bridge/></div>
        </footer>
    }
}

#[component]
fn Settings(page: Rc<AppPage>) -> impl IntoView {
    let lang = use_lang();
    let rows = RwSignal::new(None::<Arc<Vec<Row>>>);
    let catalogue = RwSignal::new(None::<Arc<Vec<CatalogueBlock>>>);
    let note = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let failed_op = StoredValue::new_local(None::<Op>);
    let first = if page.app.installing {
        Op::Install
    } else {
        Op::Load
    };
    let bridge = page.bridge.clone();
    let action = Action::new_local(move |op: &Op| {
        let page = page.clone();
        let op = op.clone();
        let with_catalogue = catalogue.get_untracked().is_none();
        async move {
            let outcome = run(page, lang, op.clone(), with_catalogue).await;
            if let Some(list) = outcome.rows {
                rows.set(Some(Arc::new(list)));
            }
            match outcome.catalogue {
                Some(Ok(blocks)) => catalogue.set(Some(Arc::new(blocks))),
                Some(Err(err)) => {
                    let why = messages::rest_error(lang, &err);
                    note.set(Some(trf(lang, Msg::CatalogueFailed, &[&why])));
                }
                None => {}
            }
            if outcome.note.is_some() {
                note.set(outcome.note);
            }
            failed_op.set_value(outcome.error.is_some().then_some(op));
            error.set(outcome.error);
        }
    });
    action.dispatch_local(first);
    let pending = action.pending();
    let busy = Signal::derive(move || pending.get());
    let run_op = Callback::new(move |op: Op| {
        note.set(None);
        error.set(None);
        action.dispatch_local(op);
    });
    let has_every_block = move || {
        rows.with(|r| {
            r.as_ref().is_some_and(|r| {
                r.iter().any(|row| {
                    row.binding.target == Target::AllBlocks && row.state != RowState::Missing
                })
            })
        })
    };

    view! {
        <main class="app-body">
            <section class="group">
                <h2 class="group-title">{tr(lang, Msg::BindingsTitle)}</h2>
                {move || match rows.get() {
                    None => EitherOf3::A(view! { <div class="spinner small" aria-hidden="true"></div> }),
                    Some(list) if list.is_empty() => {
                        EitherOf3::B(view! { <p class="hint" id="bindings-empty">{tr(lang, Msg::BindingsEmpty)}</p> })
                    }
                    Some(list) => {
                        let names = catalogue.get();
                        EitherOf3::C(view! {
                            <ul class="bindings">
                                {list
                                    .iter()
                                    .enumerate()
                                    .map(|(i, row)| {
                                        view! { <BindingRow index=i row=row.clone() names=names.clone() busy run_op/> }
                                    })
                                    .collect_view()}
                            </ul>
                        })
                    }
                }}
                <div class="actions">
                    <button
                        type="button"
                        class="btn btn-primary"
                        id="bind-all"
                        hidden=has_every_block
                        disabled=busy
                        on:click=move |_| run_op.run(Op::Bind(every_block(lang)))
                    >
                        {tr(lang, Msg::InstallBind)}
                    </button>
                </div>
            </section>
            <AddBinding catalogue busy run_op/>
        </main>
        <footer class="app-footer">
        <div class="status" id="settings-status" role="status" aria-live="polite">
            {move || busy.get().then(|| view! { <span class="spinner small" aria-hidden="true"></span> <span>{tr(lang, Msg::Working)}</span> })}
            {move || note.get().map(|text| view! { <span class="status-ok" id="settings-note">{text}</span> })}
            {move || error.get().map(|text| view! {
                <span class="status-error" role="alert" id="settings-error">{text}</span>
                <button
                    type="button"
                    class="btn btn-light"
                    id="settings-retry"
                    disabled=busy
                    on:click=move |_| {
                        if let Some(op) = failed_op.get_value() {
                            run_op.run(op);
                        }
                    }
                >
                    {tr(lang, Msg::Retry)}
                </button>
            })}
        </div>
        <div class="actions"><CloseButton bridge/></div>
        </footer>
    }
}

#[component]
fn BindingRow(
    index: usize,
    row: Row,
    names: Option<Arc<Vec<CatalogueBlock>>>,
    busy: Signal<bool>,
    run_op: Callback<Op>,
) -> impl IntoView {
    let lang = use_lang();
    let Row { binding, state } = row;
    let block_name = match (&binding.target, names) {
        (Target::Block(code), Some(names)) => names
            .iter()
            .find(|b| b.code == *code)
            .map(|b| b.name.clone())
            .filter(|n| !n.is_empty()),
        _ => None,
    };
    let badge = match state {
        RowState::Active => None,
        RowState::Adopted => Some(tr(lang, Msg::StateAdopted)),
        RowState::Missing => Some(tr(lang, Msg::StateMissing)),
    };
    let title = RwSignal::new(binding.title.clone());
    let title_id = format!("binding-{index}-title");
    let original = StoredValue::new(binding.title.clone());
    let b = StoredValue::new(binding.clone());
    let retitle = move || {
        if let Some(new_title) = clean_title(&title.get_untracked()) {
            run_op.run(Op::Retitle(b.get_value(), new_title));
        }
    };
    let unchanged =
        move || title.with(|t| clean_title(t).is_none_or(|t| original.with_value(|o| t == *o)));
    let missing = state == RowState::Missing;
    view! {
        <li class="binding field" data-placement=binding.target.placement()>
            <div class="field-head">
                <span class="field-name binding-where">{where_text(lang, &binding.target)}</span>
                {block_name.map(|n| view! { <span class="field-kind">{n}</span> })}
                {badge.map(|text| view! { <span class="badge-changed binding-state">{text}</span> })}
            </div>
            <p class="hint binding-handler">{binding.handler.clone()}</p>
            <label class="part-label" for=title_id.clone()>{tr(lang, Msg::MenuTitleLabel)}</label>
            <div class="binding-edit">
                <input
                    class="input"
                    id=title_id
                    maxlength="100"
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && !unchanged() {
                            retitle();
                        }
                    }
                />
                <button
                    type="button"
                    class="btn btn-light binding-rename"
                    hidden=missing
                    disabled=move || busy.get() || unchanged()
                    on:click=move |_| retitle()
                >
                    {tr(lang, Msg::Rename)}
                </button>
            </div>
            <div class="actions">
                {if missing {
                    Either::Left(view! {
                        <button type="button" class="btn btn-primary binding-again" disabled=busy
                            on:click=move |_| run_op.run(Op::Bind(b.get_value()))>
                            {tr(lang, Msg::BindAgain)}
                        </button>
                        <button type="button" class="btn btn-light binding-forget" disabled=busy
                            on:click=move |_| run_op.run(Op::Forget(b.get_value()))>
                            {tr(lang, Msg::Forget)}
                        </button>
                    })
                } else {
                    Either::Right(view! {
                        <button type="button" class="btn btn-light binding-remove" disabled=busy
                            on:click=move |_| run_op.run(Op::Unbind(b.get_value()))>
                            {tr(lang, Msg::Unbind)}
                        </button>
                    })
                }}
            </div>
        </li>
    }
}

/// Bind to every block or to chosen block codes, with a title and a handler.
#[component]
fn AddBinding(
    catalogue: RwSignal<Option<Arc<Vec<CatalogueBlock>>>>,
    busy: Signal<bool>,
    run_op: Callback<Op>,
) -> impl IntoView {
    let lang = use_lang();
    let target = RwSignal::new(String::new());
    let title = RwSignal::new(tr(lang, Msg::InstallTitle).to_string());
    let handler = RwSignal::new(page_address());
    let tried = RwSignal::new(false);
    let target_error = move || {
        parse_target(&target.get())
            .err()
            .map(|e| code_error(lang, &e))
    };
    let title_error = move || {
        clean_title(&title.get())
            .is_none()
            .then(|| tr(lang, Msg::TitleEmpty))
    };
    let handler_problem = move || {
        validate_handler(&handler.get())
            .err()
            .map(|e| handler_error(lang, &e))
    };
    let add = move || {
        tried.set(true);
        let parsed = (
            parse_target(&target.get_untracked()),
            clean_title(&title.get_untracked()),
            validate_handler(&handler.get_untracked()),
        );
        if let (Ok(target_ok), Some(title_ok), Ok(handler_ok)) = parsed {
            run_op.run(Op::Bind(Binding {
                target: target_ok,
                handler: handler_ok,
                title: title_ok,
            }));
            target.set(String::new());
            tried.set(false);
        }
    };
    let shown = move |problem: Option<String>| {
        problem
            .filter(|_| tried.get())
            .map(|text| view! { <p class="field-error" role="alert">{text}</p> })
    };
    view! {
        <section class="group">
            <h2 class="group-title">{tr(lang, Msg::AddTitle)}</h2>
            <div class="field">
                <label class="field-name" for="bind-target">{tr(lang, Msg::AddWhereLabel)}</label>
                <input
                    class="input"
                    id="bind-target"
                    list="block-catalogue"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="04.1.one_col_fix_with_title"
                    prop:value=move || target.get()
                    on:input=move |ev| target.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            add();
                        }
                    }
                />
                <p class="hint">{tr(lang, Msg::AddWhereHint)}</p>
                {move || shown(target_error())}
                <datalist id="block-catalogue">
                    {move || {
                        catalogue
                            .get()
                            .map(|blocks| {
                                blocks
                                    .iter()
                                    .map(|b| {
                                        let label = format!("{} · {}", b.name, b.section);
                                        view! { <option value=b.code.clone() label=label></option> }
                                    })
                                    .collect_view()
                            })
                    }}
                </datalist>
            </div>
            <div class="field">
                <label class="field-name" for="bind-title">{tr(lang, Msg::MenuTitleLabel)}</label>
                <input class="input" id="bind-title" maxlength="100"
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))/>
                {move || shown(title_error().map(String::from))}
            </div>
            <div class="field">
                <label class="field-name" for="bind-handler">{tr(lang, Msg::HandlerLabel)}</label>
                <input class="input" id="bind-handler" type="url" spellcheck="false"
                    prop:value=move || handler.get()
                    on:input=move |ev| handler.set(event_target_value(&ev))/>
                <p class="hint">{tr(lang, Msg::HandlerHint)}</p>
                {move || shown(handler_problem().map(String::from))}
            </div>
            <div class="actions">
                <button type="button" class="btn btn-primary" id="bind-add" disabled=busy on:click=move |_| add()>
                    {tr(lang, Msg::AddButton)}
                </button>
            </div>
        </section>
    }
}
