//! The form's sections: the block's own fields, its cards list by list (each with Move
//! up / Move down / Duplicate / Remove, a drag handle, and collapsible to its label), and
//! the nodes this app does not edit.

use leptos::either::Either;
use leptos::prelude::*;
use web_sys::DragEvent;

use super::super::fields::FieldEditor;
use super::super::use_lang;
use super::EditorState;
use crate::core::cards::shape::{card_fields, card_label, is_copy, CardLabel};
use crate::core::cards::CardSource;
use crate::core::i18n::{tr, trf, Msg};
use crate::core::model::ReadOnlyNode;
use crate::messages;

/// The block's fields outside any card.
#[component]
pub fn BlockGroup(state: EditorState, fields: Vec<usize>) -> impl IntoView {
    let lang = use_lang();
    let editors = fields
        .into_iter()
        .filter_map(|index| {
            let field = state
                .form
                .with_untracked(|f| f.fields.get(index).cloned())?;
            let field_state = state.field(index)?;
            Some(view! { <FieldEditor index field state=field_state/> })
        })
        .collect_view();
    view! {
        <section class="group">
            <h2 class="group-title">{tr(lang, Msg::BlockContent)}</h2>
            {editors}
        </section>
    }
}

/// The cards of manifest card selector `list`, in the user's order; `name` is the card's
/// manifest name.
#[component]
pub fn CardList(state: EditorState, list: usize, name: String) -> impl IntoView {
    let lang = use_lang();
    let order = Memo::new(move |_| {
        state.cards.with(|s| {
            s.lists
                .get(list)
                .map(|l| l.cards.iter().map(CardSource::ordinal).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    // The card being dragged, by ordinal.
    let dragging = RwSignal::new(None::<usize>);
    let add = state.can_edit.then(|| {
        view! {
            <button type="button" class="btn btn-light card-add" on:click=move |_| state.add_card(list)>
                {tr(lang, Msg::CardAdd)}
            </button>
        }
    });
    view! {
        <div class="card-list" data-list=list>
            <For each=move || order.get() key=|ordinal| *ordinal let:ordinal>
                <CardItem state list ordinal order name=name.clone() dragging/>
            </For>
            {add}
        </div>
    }
}

/// Where the card with `ordinal` is in its list now.
type Place = Memo<Option<usize>>;

#[component]
fn CardItem(
    state: EditorState,
    list: usize,
    ordinal: usize,
    order: Memo<Vec<usize>>,
    name: String,
    dragging: RwSignal<Option<usize>>,
) -> impl IntoView {
    let lang = use_lang();
    let place: Place = Memo::new(move |_| order.with(|o| o.iter().position(|x| *x == ordinal)));
    let (editors, is_new) = state.form.with_untracked(|form| {
        let indices = card_fields(form, list, ordinal);
        let is_new = indices.first().is_some_and(|&i| is_copy(&form.fields[i]));
        let editors = indices
            .into_iter()
            .filter_map(|index| {
                let field = form.fields.get(index)?.clone();
                let field_state = state.field(index)?;
                Some(view! { <FieldEditor index field state=field_state/> })
            })
            .collect_view();
        (editors, is_new)
    });
    let title = Memo::new(move |_| {
        let number = place.get().unwrap_or(0) + 1;
        trf(lang, Msg::CardTitle, &[&name, &number.to_string()])
    });
    let label = Memo::new(move |_| {
        state.form.with(|form| {
            state
                .current
                .with(|now| card_label(form, list, ordinal, now))
        })
    });
    let collapsed = Memo::new(move |_| state.collapsed.with(|c| c.contains(&(list, ordinal))));
    let toggle = move |_| {
        state
            .collapsed
            .update(|c| match c.iter().position(|x| *x == (list, ordinal)) {
                Some(at) => {
                    c.remove(at);
                }
                None => c.push((list, ordinal)),
            })
    };
    let fields_id = format!("card-{list}-{ordinal}-fields");
    let on_drop = move |event: DragEvent| {
        event.prevent_default();
        if let (Some(from), Some(to)) = (dragging.get_untracked(), place.get_untracked()) {
            state.move_card_to(list, from, to);
        }
        dragging.set(None);
    };
    let handle = state.can_edit.then(|| {
        view! {
            <span class="card-handle" draggable="true" title=tr(lang, Msg::CardDrag)
                aria-hidden="true"
                on:dragstart=move |event: DragEvent| {
                    if let Some(data) = event.data_transfer() {
                        // Some browsers start no drag without data.
                        let _ = data.set_data("text/plain", "");
                        data.set_effect_allowed("move");
                    }
                    dragging.set(Some(ordinal));
                }
                on:dragend=move |_| dragging.set(None)>
                "⠿"
            </span>
        }
    });
    let tools = state
        .can_edit
        .then(|| view! { <CardTools state list ordinal place title/> });
    view! {
        <section class="group group-card" class:card-new=is_new
            class:card-dragging=move || dragging.get() == Some(ordinal)
            data-card=format!("{list}-{ordinal}")
            on:dragover=move |event: DragEvent| {
                if dragging.get_untracked().is_some() {
                    event.prevent_default();
                }
            }
            on:drop=on_drop>
            <div class="card-head">
                {handle}
                <h2 class="group-title">
                    <button type="button" class="card-toggle"
                        aria-expanded=move || (!collapsed.get()).to_string()
                        aria-controls=fields_id.clone()
                        on:click=toggle>
                        <span class="card-name">{title}</span>
                        {is_new.then(|| view! { <span class="card-new-mark">{tr(lang, Msg::CardNew)}</span> })}
                        {move || label_view(label.get())}
                    </button>
                </h2>
                {tools}
            </div>
            <div class="card-fields" id=fields_id hidden=move || collapsed.get()>{editors}</div>
        </section>
    }
}

fn label_view(label: CardLabel) -> impl IntoView {
    match label {
        CardLabel::Text(text) => Some(Either::Left(
            view! { <span class="group-label">{text}</span> },
        )),
        CardLabel::Image(src) => Some(Either::Right(view! {
            <img class="card-thumb" src=src alt="" loading="lazy" referrerpolicy="no-referrer"/>
        })),
        CardLabel::None => None,
    }
}

/// A card's buttons. Moving keeps the focus on the moved card's button.
#[component]
fn CardTools(
    state: EditorState,
    list: usize,
    ordinal: usize,
    place: Place,
    title: Memo<String>,
) -> impl IntoView {
    let lang = use_lang();
    let at = move || place.get_untracked();
    let count = Memo::new(move |_| {
        state
            .cards
            .with(|s| s.lists.get(list).map_or(0, |l| l.cards.len()))
    });
    let first = move || place.get() == Some(0);
    let last = move || place.get().is_some_and(|p| p + 1 >= count.get());
    let only = move || count.get() <= 1;
    view! {
        <div class="card-tools" role="group" aria-label=move || trf(lang, Msg::CardActions, &[&title.get()])>
            <button type="button" class="btn-icon card-up" disabled=first
                title=tr(lang, Msg::CardMoveUp) aria-label=tr(lang, Msg::CardMoveUp)
                on:click=move |_| if let Some(at) = at() { state.move_card(list, ordinal, at, -1) }>
                "↑"
            </button>
            <button type="button" class="btn-icon card-down" disabled=last
                title=tr(lang, Msg::CardMoveDown) aria-label=tr(lang, Msg::CardMoveDown)
                on:click=move |_| if let Some(at) = at() { state.move_card(list, ordinal, at, 1) }>
                "↓"
            </button>
            <button type="button" class="btn btn-light btn-small card-duplicate"
                on:click=move |_| if let Some(at) = at() { state.duplicate_card(list, at) }>
                {tr(lang, Msg::CardDuplicate)}
            </button>
            <button type="button" class="btn btn-light btn-small card-remove" disabled=only
                on:click=move |_| if let Some(at) = at() { state.remove_card(list, at) }>
                {tr(lang, Msg::CardRemove)}
            </button>
            {move || only().then(|| view! { <span class="card-why">{tr(lang, Msg::CardLastStays)}</span> })}
        </div>
    }
}

/// The nodes listed read-only, with why.
#[component]
pub fn ReadOnlyNodes(nodes: Vec<ReadOnlyNode>) -> impl IntoView {
    let lang = use_lang();
    let items = nodes
        .into_iter()
        .map(|node| view! { <ReadOnlyItem node/> })
        .collect_view();
    view! {
        <section class="group group-readonly">
            <h2 class="group-title">{tr(lang, Msg::ReadOnlyNodesTitle)}</h2>
            <ul class="readonly-list">{items}</ul>
        </section>
    }
}

#[component]
fn ReadOnlyItem(node: ReadOnlyNode) -> impl IntoView {
    let lang = use_lang();
    view! {
        <li>
            <span class="readonly-name">{messages::read_only_name(lang, &node.name, &node.kind)}</span>
            <code class="selector">{node.selector}</code>
            <span class="readonly-reason">{messages::read_only_reason(lang, &node.kind)}</span>
        </li>
    }
}
