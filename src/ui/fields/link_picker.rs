//! The link picker: a page of this site, a block of this page, or a typed web address,
//! phone or e-mail. The site's pages and this page's blocks come in one `batch`, asked for
//! when a picker is first opened and kept for the editor's life ([`LinkPicks`]).

use std::rc::Rc;

use leptos::either::{Either, EitherOf3, EitherOf5};
use leptos::html::{Button, Div};
use leptos::prelude::*;

use super::super::{use_lang, Session};
use crate::core::i18n::{tr, trf, Lang, Msg};
use crate::core::link_target::{
    email_from_input, find_blocks, find_pages, page_address, phone_from_input, target_label,
    url_from_input, LinkInputError, LinkTarget, TargetLabel, LIST_STEP,
};
use crate::core::model::FieldValue;
use crate::core::rest::RestError;
use crate::link_lists::LinkLists;
use crate::messages;

type Load = Action<(), Result<LinkLists, RestError>>;

/// The editor's one load of the picker's lists, shared by every link field.
#[derive(Clone, Copy)]
pub struct LinkPicks(Load);

/// Makes the picker's lists available to the link fields below (nothing is requested yet).
pub fn provide_link_picks(session: &Rc<Session>) {
    let session = session.clone();
    let load: Load = Action::new_local(move |_: &()| {
        let session = session.clone();
        async move { session.client.load_link_lists(session.ctx.page_id).await }
    });
    provide_context(LinkPicks(load));
}

impl LinkPicks {
    /// Loads the lists unless they are loaded, loading, or failed (then Try again asks).
    fn ensure(self) {
        let idle = !self.0.pending().get_untracked();
        if idle && self.0.value().with_untracked(Option::is_none) {
            self.0.dispatch_local(());
        }
    }

    fn retry(self) {
        if !self.0.pending().get_untracked() {
            self.0.dispatch_local(());
        }
    }
}

fn link_href(value: &FieldValue) -> String {
    match value {
        FieldValue::Link { href, .. } => href.clone(),
        _ => String::new(),
    }
}

/// A bare `#` (the catalogue's placeholder, a link that goes nowhere) counts as no target.
fn placeholder_as_empty(target: LinkTarget) -> LinkTarget {
    match target {
        LinkTarget::Url(url) if url == "#" => LinkTarget::Empty,
        other => other,
    }
}

/// The current target in words: "Page: Prices".
fn label_text(lang: Lang, href: &str, lists: Option<&LinkLists>) -> String {
    let (pages, blocks) = lists.map_or((&[][..], &[][..]), |l| (&l.pages[..], &l.blocks[..]));
    let target = placeholder_as_empty(LinkTarget::parse(href));
    match target_label(&target, pages, blocks) {
        TargetLabel::Page { id, title } if title.is_empty() => {
            trf(lang, Msg::LinkTargetPageId, &[&id.to_string()])
        }
        TargetLabel::Block { id, name, .. } if name.is_empty() => {
            trf(lang, Msg::LinkTargetBlockId, &[&id.to_string()])
        }
        TargetLabel::Page { title, .. } => trf(lang, Msg::LinkTargetPage, &[&title]),
        TargetLabel::UnknownPage(id) => trf(lang, Msg::LinkTargetPageId, &[&id.to_string()]),
        TargetLabel::Block { name, .. } => trf(lang, Msg::LinkTargetBlock, &[&name]),
        TargetLabel::UnknownBlock(id) => trf(lang, Msg::LinkTargetBlockId, &[&id.to_string()]),
        TargetLabel::Url(url) => trf(lang, Msg::LinkTargetUrl, &[&messages::shorten(&url, 80)]),
        TargetLabel::Phone(p) => trf(lang, Msg::LinkTargetPhone, &[&p]),
        TargetLabel::Email(e) => trf(lang, Msg::LinkTargetEmail, &[&e]),
        TargetLabel::Empty => tr(lang, Msg::LinkTargetNone).to_string(),
    }
}

fn input_error(lang: Lang, err: LinkInputError) -> &'static str {
    tr(
        lang,
        match err {
            LinkInputError::Empty => Msg::LinkErrEmpty,
            LinkInputError::Unsafe => Msg::LinkErrUnsafe,
            LinkInputError::Blank => Msg::LinkErrBlank,
            LinkInputError::NoDigits => Msg::LinkErrNoDigits,
            LinkInputError::BadEmail => Msg::LinkErrBadEmail,
        },
    )
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tab {
    Page,
    Block,
    Url,
    Phone,
    Email,
}

impl Tab {
    const ALL: [Tab; 5] = [Tab::Page, Tab::Block, Tab::Url, Tab::Phone, Tab::Email];

    fn name(self) -> Msg {
        match self {
            Tab::Page => Msg::LinkPickPage,
            Tab::Block => Msg::LinkPickBlock,
            Tab::Url => Msg::LinkPickUrl,
            Tab::Phone => Msg::LinkPickPhone,
            Tab::Email => Msg::LinkPickEmail,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Tab::Page => "page",
            Tab::Block => "block",
            Tab::Url => "url",
            Tab::Phone => "phone",
            Tab::Email => "email",
        }
    }

    /// The tab a link opens on: the kind of its current target.
    fn of(target: &LinkTarget) -> Tab {
        match target {
            LinkTarget::Block(_) => Tab::Block,
            LinkTarget::Url(_) => Tab::Url,
            LinkTarget::Phone(_) => Tab::Phone,
            LinkTarget::Email(_) => Tab::Email,
            LinkTarget::Page(_) | LinkTarget::Empty => Tab::Page,
        }
    }
}

/// The current target in words and the button that opens the picker below it.
#[component]
pub fn LinkPicker(
    id: String,
    value: RwSignal<FieldValue>,
    read_only: bool,
    write: super::Write,
) -> impl IntoView {
    let lang = use_lang();
    let picks = use_context::<LinkPicks>();
    let open = RwSignal::new(false);
    let button = NodeRef::<Button>::new();
    let panel_id = format!("{id}-picker");
    let controls = panel_id.clone();
    let label = move || {
        let href = value.with(link_href);
        match picks {
            Some(p) => {
                p.0.value()
                    .with(|v| label_text(lang, &href, v.as_ref().and_then(|r| r.as_ref().ok())))
            }
            None => label_text(lang, &href, None),
        }
    };
    let close = move || {
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let pick = move |href: String| {
        value.update(|v| write(v, href));
        close();
    };
    let toggle = move |_| {
        if open.get_untracked() {
            close();
        } else if let Some(p) = picks {
            p.ensure();
            open.set(true);
        }
    };
    // Built afresh on each opening, on the tab of the link's current kind.
    let panel = move || {
        let picks = picks?;
        open.get().then(|| {
            let current = LinkTarget::parse(&value.with_untracked(link_href));
            let tab = Tab::of(&placeholder_as_empty(current));
            view! { <PickerPanel id=panel_id.clone() picks tab value pick close/> }
        })
    };
    view! {
        <div class="part link-pick">
            <span class="link-target" id=format!("{id}-target")>{label}</span>
            <button
                type="button"
                class="button link-choose"
                node_ref=button
                aria-haspopup="dialog"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=move || open.get().then(|| controls.clone())
                aria-describedby=format!("{id}-target")
                disabled=read_only || picks.is_none()
                on:click=toggle
            >
                {tr(lang, Msg::LinkChoose)}
            </button>
        </div>
        {panel}
    }
}

#[component]
fn PickerPanel(
    id: String,
    picks: LinkPicks,
    tab: Tab,
    value: RwSignal<FieldValue>,
    pick: impl Fn(String) + Copy + Send + Sync + 'static,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let tab = RwSignal::new(tab);
    let root = NodeRef::<Div>::new();
    // The first control takes the focus when the panel shows.
    Effect::new(move || {
        if let Some(el) = root.get() {
            if let Ok(Some(first)) = el.query_selector("button[aria-pressed=\"true\"]") {
                if let Ok(first) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(first) {
                    let _ = first.focus();
                }
            }
        }
    });
    let current = move || value.with(link_href);
    let tabs = Tab::ALL
        .iter()
        .map(|&t| {
            view! {
                <button
                    type="button"
                    class="link-tab"
                    data-tab=t.code()
                    aria-pressed=move || if tab.get() == t { "true" } else { "false" }
                    on:click=move |_| tab.set(t)
                >
                    {tr(lang, t.name())}
                </button>
            }
        })
        .collect_view();
    let body = {
        let id = id.clone();
        move || match tab.get() {
            Tab::Page => EitherOf5::A(view! { <PageList id=id.clone() picks pick current/> }),
            Tab::Block => EitherOf5::B(view! { <BlockList id=id.clone() picks pick current/> }),
            Tab::Url => {
                EitherOf5::C(view! { <TypedTarget id=id.clone() kind=Tab::Url pick current/> })
            }
            Tab::Phone => {
                EitherOf5::D(view! { <TypedTarget id=id.clone() kind=Tab::Phone pick current/> })
            }
            Tab::Email => {
                EitherOf5::E(view! { <TypedTarget id=id.clone() kind=Tab::Email pick current/> })
            }
        }
    };
    view! {
        <div
            class="link-picker"
            id=id
            role="dialog"
            aria-label=tr(lang, Msg::LinkPickerTitle)
            node_ref=root
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    event.prevent_default();
                    event.stop_propagation();
                    close();
                }
            }
        >
            <div class="link-tabs" role="group" aria-label=tr(lang, Msg::LinkPickerTitle)>{tabs}</div>
            <div class="link-tab-body">{body}</div>
            <button type="button" class="button link-close" on:click=move |_| close()>
                {tr(lang, Msg::LinkClose)}
            </button>
        </div>
    }
}

/// Loading, failed (with Try again), or the loaded lists through `ready`. Only the load's
/// state re-renders this; what `ready` builds follows the search by itself, so the search
/// box keeps its focus while the user types.
fn with_lists<V: IntoView + 'static>(
    lang: Lang,
    picks: LinkPicks,
    ready: impl Fn(LinkLists) -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        if picks.0.pending().get() {
            return EitherOf3::A(view! {
                <p class="link-state" role="status">{tr(lang, Msg::LinkListLoading)}</p>
            });
        }
        picks.0.value().with(|v| match v {
            Some(Ok(lists)) => EitherOf3::C(ready(lists.clone())),
            Some(Err(err)) => {
                let why = messages::rest_error(lang, err);
                EitherOf3::B(view! {
                    <div class="link-state link-failed">
                        <p role="alert">{trf(lang, Msg::LinkListFailed, &[&why])}</p>
                        <button type="button" class="button" on:click=move |_| picks.retry()>
                            {tr(lang, Msg::Retry)}
                        </button>
                    </div>
                })
            }
            None => EitherOf3::A(view! {
                <p class="link-state" role="status">{tr(lang, Msg::LinkListLoading)}</p>
            }),
        })
    }
}

/// One row of a list: a button that picks `href`.
fn pick_row(
    href: String,
    title: String,
    detail: String,
    note: Option<&'static str>,
    current: bool,
    pick: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <li>
            <button
                type="button"
                class="pick"
                data-href=href.clone()
                aria-current=current.then_some("true")
                on:click=move |_| pick(href.clone())
            >
                <span class="pick-title">{title}</span>
                <span class="pick-detail">{detail}</span>
                {note.map(|n| view! { <span class="pick-note">{n}</span> })}
            </button>
        </li>
    }
}

/// The search box and the paging of a list.
#[component]
fn SearchBox(label_id: String, query: RwSignal<String>, shown: RwSignal<usize>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="part">
            <label class="part-label" for=label_id.clone()>{tr(lang, Msg::LinkSearch)}</label>
            <input
                id=label_id
                class="input link-search"
                type="search"
                autocomplete="off"
                prop:value=query
                on:input=move |event| {
                    query.set(event_target_value(&event));
                    shown.set(LIST_STEP);
                }
            />
        </div>
    }
}

/// The end of a list: nothing found, or "Show more" for the rest.
fn list_end(
    lang: Lang,
    found: usize,
    shown: RwSignal<usize>,
    query: &str,
    none: Msg,
) -> impl IntoView {
    let limit = shown.get_untracked();
    if found == 0 {
        let text = if query.trim().is_empty() {
            tr(lang, none).to_string()
        } else {
            trf(lang, Msg::LinkNoMatch, &[query.trim()])
        };
        Either::Left(view! { <p class="link-state link-empty" role="status">{text}</p> })
    } else {
        Either::Right((found > limit).then(|| {
            let left = (found - limit).to_string();
            view! {
                <button
                    type="button"
                    class="button link-more"
                    on:click=move |_| shown.update(|n| *n += LIST_STEP)
                >
                    {trf(lang, Msg::LinkShowMore, &[&left])}
                </button>
            }
        }))
    }
}

#[component]
fn PageList(
    id: String,
    picks: LinkPicks,
    pick: impl Fn(String) + Copy + Send + Sync + 'static,
    current: impl Fn() -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let query = RwSignal::new(String::new());
    let shown = RwSignal::new(LIST_STEP);
    let search_id = format!("{id}-search-pages");
    with_lists(lang, picks, move |lists| {
        let rows = move || {
            let q = query.get();
            let limit = shown.get();
            let now = current();
            let found = find_pages(&lists.pages, &q);
            let rows = found
                .iter()
                .take(limit)
                .filter_map(|p| {
                    let href = LinkTarget::Page(p.id?).to_href();
                    let title = if p.title.is_empty() {
                        p.code.clone()
                    } else {
                        p.title.clone()
                    };
                    let note = (!p.active).then(|| tr(lang, Msg::LinkPageHidden));
                    let here = href == now;
                    Some(pick_row(href, title, page_address(p), note, here, pick))
                })
                .collect_view();
            let end = list_end(lang, found.len(), shown, &q, Msg::LinkNoPages);
            view! {
                <ul class="pick-list" aria-label=tr(lang, Msg::LinkPickPage)>{rows}</ul>
                {end}
            }
        };
        view! {
            <SearchBox label_id=search_id.clone() query shown/>
            {rows}
        }
    })
}

#[component]
fn BlockList(
    id: String,
    picks: LinkPicks,
    pick: impl Fn(String) + Copy + Send + Sync + 'static,
    current: impl Fn() -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let query = RwSignal::new(String::new());
    let shown = RwSignal::new(LIST_STEP);
    let search_id = format!("{id}-search-blocks");
    with_lists(lang, picks, move |lists| {
        let rows = move || {
            let q = query.get();
            let limit = shown.get();
            let now = current();
            let found = find_blocks(&lists.blocks, &q);
            let rows = found
                .iter()
                .take(limit)
                .filter_map(|b| {
                    let href = LinkTarget::Block(b.id?).to_href();
                    let name = if b.name.is_empty() {
                        b.code.clone()
                    } else {
                        b.name.clone()
                    };
                    let here = href == now;
                    Some(pick_row(href.clone(), name, href, None, here, pick))
                })
                .collect_view();
            let end = list_end(lang, found.len(), shown, &q, Msg::LinkNoBlocks);
            view! {
                <ul class="pick-list" aria-label=tr(lang, Msg::LinkPickBlock)>{rows}</ul>
                {end}
            }
        };
        view! {
            <SearchBox label_id=search_id.clone() query shown/>
            {rows}
        }
    })
}

/// A typed web address, phone or e-mail, checked before it is used.
#[component]
fn TypedTarget(
    id: String,
    kind: Tab,
    pick: impl Fn(String) + Copy + Send + Sync + 'static,
    current: impl Fn() -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let start = match (kind, LinkTarget::parse(&current())) {
        (Tab::Url, LinkTarget::Url(u)) => u,
        (Tab::Phone, LinkTarget::Phone(p)) => p,
        (Tab::Email, LinkTarget::Email(e)) => e,
        _ => String::new(),
    };
    let text = RwSignal::new(start);
    let error = RwSignal::new(None::<LinkInputError>);
    let input_id = format!("{id}-typed-{}", kind.code());
    let error_id = format!("{input_id}-error");
    let (input_type, mode) = match kind {
        Tab::Phone => ("tel", "tel"),
        Tab::Email => ("email", "email"),
        _ => ("url", "url"),
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = text.get_untracked();
        let parsed = match kind {
            Tab::Phone => phone_from_input(&typed),
            Tab::Email => email_from_input(&typed),
            _ => url_from_input(&typed),
        };
        match parsed {
            Ok(target) => {
                error.set(None);
                pick(target.to_href());
            }
            Err(err) => error.set(Some(err)),
        }
    };
    view! {
        <form class="link-typed" novalidate=true on:submit=submit>
            <div class="part">
                <label class="part-label" for=input_id.clone()>{tr(lang, kind.name())}</label>
                <input
                    id=input_id
                    class="input"
                    type=input_type
                    inputmode=mode
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid=move || error.get().map(|_| "true")
                    aria-describedby=error_id.clone()
                    prop:value=text
                    on:input=move |event| {
                        text.set(event_target_value(&event));
                        error.set(None);
                    }
                />
            </div>
            <p class="field-error" id=error_id role="alert">
                {move || error.get().map(|e| input_error(lang, e))}
            </p>
            <button type="submit" class="button">{tr(lang, Msg::LinkUse)}</button>
        </form>
    }
}
