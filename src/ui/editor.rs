//! The block editor: header, fields grouped by card, save / discard / close.

use std::rc::Rc;

use leptos::ev;
use leptos::prelude::*;
use serde_json::json;

use web_sys::Element;

use super::fields::{field_editor, FieldState};
use super::node::{append, el, text_el, Keep};
use super::{use_lang, Loaded, Session};
use crate::bridge::BridgeError;
use crate::browser;
use crate::core::draft;
use crate::core::i18n::{tr, trf, Msg};
use crate::core::model::{
    blocked_count, changed_count, updatenodes_data, BlockForm, FieldValue, GroupKind,
};
use crate::core::rest::RestError;
use crate::messages;

/// How long the editor gets to confirm `refreshBlock`.
const REFRESH_TIMEOUT_MS: u32 = 8_000;

#[derive(Clone, Debug, PartialEq)]
enum SaveOutcome {
    /// Saved; `confirmed` tells whether the editor answered `refreshBlock`.
    Saved {
        confirmed: bool,
        values: Vec<FieldValue>,
    },
    Failed(RestError),
}

/// Saves the changed nodes, then asks the editor to re-render the block.
async fn save(session: Rc<Session>, form: BlockForm, values: Vec<FieldValue>) -> SaveOutcome {
    let data = updatenodes_data(&form, &values);
    let ctx = &session.ctx;
    if let Err(err) = session
        .client
        .update_nodes(ctx.page_id, ctx.block_id, data)
        .await
    {
        return SaveOutcome::Failed(err);
    }
    let refreshed = session
        .bridge
        .placement_call(
            "refreshBlock",
            json!({ "id": ctx.block_id }),
            REFRESH_TIMEOUT_MS,
        )
        .await;
    SaveOutcome::Saved {
        confirmed: !matches!(
            refreshed,
            Err(BridgeError::Timeout | BridgeError::Unavailable(_))
        ),
        values,
    }
}

#[component]
pub fn Editor(session: Rc<Session>, loaded: Rc<Loaded>) -> impl IntoView {
    let lang = use_lang();
    let can_edit = loaded.access.can_edit_content();
    let form = RwSignal::new(loaded.form.clone());
    // Edits left unsaved last time (slider closed, reload) come back.
    let draft_key = draft::storage_key(
        &session.ctx.portal.domain,
        session.ctx.page_id,
        session.ctx.block_id,
    );
    let (initial, restored) = match browser::stored(&draft_key).and_then(|t| draft::parse(&t)) {
        Some(saved) if can_edit => draft::restore(&loaded.form, &saved),
        _ => (loaded.form.initial_values(), 0),
    };
    let values: Vec<RwSignal<FieldValue>> = initial.into_iter().map(RwSignal::new).collect();
    let values = StoredValue::new(values);
    // All field values, collected once per edit for everything derived below.
    let current = Memo::new(move |_| {
        values.with_value(|values| values.iter().map(|v| v.get()).collect::<Vec<_>>())
    });
    let changes =
        Memo::new(move |_| current.with(|current| form.with(|form| changed_count(form, current))));
    // Typed values that must not go to the portal (script addresses) hold Save.
    let blocked =
        Memo::new(move |_| current.with(|current| form.with(|form| blocked_count(form, current))));
    // Every change is kept until it is saved or discarded.
    if can_edit {
        let key = draft_key.clone();
        Effect::new(move || {
            match current.with(|current| form.with(|form| draft::capture(form, current))) {
                Some(draft) => browser::store(&key, &draft::to_text(&draft)),
                None => browser::unstore(&key),
            }
        });
    }
    let retrying = RwSignal::new(false);
    session.client.set_retry_notice(Rc::new(move || {
        retrying.try_set(true);
    }));

    let save_session = session.clone();
    let save_action = Action::new_local(move |(form, values): &(BlockForm, Vec<FieldValue>)| {
        save(save_session.clone(), form.clone(), values.clone())
    });
    let saving = save_action.pending();
    let outcome = save_action.value();

    // A successful save makes the saved values the new baseline.
    Effect::new(move || {
        if let Some(SaveOutcome::Saved { values, .. }) = outcome.get() {
            form.update(|form| {
                for (field, value) in form.fields.iter_mut().zip(values) {
                    field.original = value;
                }
            });
        }
        if !saving.get() {
            retrying.set(false);
        }
    });

    let start_save = move || {
        if !can_edit
            || saving.get_untracked()
            || changes.get_untracked() == 0
            || blocked.get_untracked() > 0
        {
            return;
        }
        let snapshot = values
            .with_value(|values| values.iter().map(|v| v.get_untracked()).collect::<Vec<_>>());
        save_action.dispatch_local((form.get_untracked(), snapshot));
    };
    let discard = move || {
        form.with_untracked(|form| {
            values.with_value(|values| {
                for (value, field) in values.iter().zip(&form.fields) {
                    value.set(field.original.clone());
                }
            })
        });
        outcome.set(None);
    };

    let confirm_close = RwSignal::new(false);
    // Views may hold only thread-safe handles: the bridge stays in a local store.
    let bridge = StoredValue::new_local(session.bridge.clone());
    let close_now = move || bridge.with_value(|bridge| bridge.close_application());
    // "Close without saving" is the user dropping the edits: the kept draft goes too.
    let stored_draft = StoredValue::new(draft_key.clone());
    let close_discarding = move || {
        stored_draft.with_value(|key| browser::unstore(key));
        close_now();
    };
    let request_close = move || {
        if changes.get_untracked() > 0 {
            confirm_close.set(true);
        } else {
            close_now();
        }
    };

    let keys = window_event_listener(ev::keydown, move |event| {
        let key = event.key().to_ascii_lowercase();
        if (event.ctrl_key() || event.meta_key()) && key == "s" {
            event.prevent_default();
            start_save();
        }
        if key == "escape" {
            confirm_close.try_set(false);
        }
    });
    let unload = window_event_listener(ev::beforeunload, move |event| {
        if changes.try_get_untracked().unwrap_or(0) > 0 {
            event.prevent_default();
            event.set_return_value(tr(lang, Msg::ConfirmClose));
        }
    });
    on_cleanup(move || {
        keys.remove();
        unload.remove();
    });

    let ctx = &session.ctx;
    let block_name = loaded.form.block_name.clone();
    let code = ctx.block_code.clone();
    let block_id = ctx.block_id.to_string();
    let page_id = ctx.page_id.to_string();
    let access = loaded.access;
    let read_only = !can_edit;
    let locked = Signal::derive(move || read_only || saving.get());

    // The fields, grouped, are built as plain DOM (see `node`) and put into
    // the form when it is created.
    let keep = Keep::default();
    let groups: Vec<Element> = loaded
        .form
        .groups
        .iter()
        .map(|group| {
            let card = matches!(group.kind, GroupKind::Card { .. });
            let section = el(
                "section",
                &[("class", if card { "group group-card" } else { "group" })],
            );
            let title = el("h2", &[("class", "group-title")]);
            match &group.kind {
                GroupKind::Block => title.set_text_content(Some(tr(lang, Msg::BlockContent))),
                GroupKind::Card {
                    name,
                    number,
                    label,
                } => {
                    let text = trf(lang, Msg::CardTitle, &[name, &number.to_string()]);
                    title.set_text_content(Some(&text));
                    if !label.is_empty() {
                        append(
                            &title,
                            &[&text_el("span", &[("class", "group-label")], label)],
                        );
                    }
                }
            }
            append(&section, &[&title]);
            for &index in &group.fields {
                let (Some(field), Some(value)) = (
                    loaded.form.fields.get(index),
                    values.with_value(|values| values.get(index).copied()),
                ) else {
                    continue;
                };
                let changed = Signal::derive(move || {
                    form.with(|form| form.fields.get(index).map(|f| f.original.clone()))
                        != Some(value.get())
                });
                let state = FieldState {
                    value,
                    changed,
                    locked,
                };
                append(&section, &[&field_editor(&keep, index, field, state)]);
            }
            section
        })
        .collect();
    let groups = Rc::new(groups);
    StoredValue::new_local(keep);

    let read_only_nodes = loaded.form.read_only.clone();
    let has_read_only = !read_only_nodes.is_empty();
    let no_fields = loaded.form.fields.is_empty();

    view! {
        <header class="app-header">
            <h1 class="block-name">{block_name}</h1>
            <dl class="block-meta">
                <div><dt>{tr(lang, Msg::CodeLabel)}</dt><dd>{code}</dd></div>
                <div><dt>{tr(lang, Msg::BlockIdLabel)}</dt><dd>{block_id}</dd></div>
                <div><dt>{tr(lang, Msg::PageLabel)}</dt><dd>{page_id}</dd></div>
                <div>
                    <dt>{tr(lang, Msg::AccessLabel)}</dt>
                    <dd class="access">{messages::access(lang, access)}</dd>
                </div>
            </dl>
        </header>
        <main class="app-body">
            {read_only.then(|| view! {
                <p class="notice notice-warning" role="note">
                    {trf(lang, Msg::ReadOnlyNotice, &[messages::access(lang, access)])}
                </p>
            })}
            {(restored != 0).then(|| view! {
                <p class="notice" role="status" id="draft-restored">
                    {trf(lang, Msg::DraftRestored, &[&restored.to_string()])}
                </p>
            })}
            {no_fields.then(|| view! { <p class="notice">{tr(lang, Msg::NoEditableNodes)}</p> })}
            <form class="fields" use:append_all=groups on:submit=move |event| {
                event.prevent_default();
                start_save();
            }></form>
            {has_read_only.then(|| view! {
                <section class="group group-readonly">
                    <h2 class="group-title">{tr(lang, Msg::ReadOnlyNodesTitle)}</h2>
                    <ul class="readonly-list">
                        {read_only_nodes
                            .into_iter()
                            .map(|node| {
                                view! {
                                    <li>
                                        <span class="readonly-name">
                                            {messages::read_only_name(lang, &node.name, &node.kind)}
                                        </span>
                                        <code class="selector">{node.selector.clone()}</code>
                                        <span class="readonly-reason">
                                            {messages::read_only_reason(lang, &node.kind)}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            })}
        </main>
        <footer class="app-footer">
            {move || confirm_close.get().then(|| view! {
                <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
                    <p id="confirm-text">{tr(lang, Msg::ConfirmClose)}</p>
                    <button class="btn btn-danger" id="confirm-close" on:click=move |_| close_discarding()>
                        {tr(lang, Msg::CloseWithoutSaving)}
                    </button>
                    <button class="btn btn-light" id="confirm-keep" on:click=move |_| confirm_close.set(false)>
                        {tr(lang, Msg::KeepEditing)}
                    </button>
                </div>
            })}
            <div class="status" role="status" aria-live="polite">
                {move || status_view(lang, saving.get(), retrying.get(), outcome.get(), changes.get(), start_save)}
            </div>
            <div class="actions">
                {can_edit.then(|| view! {
                    <button
                        type="button"
                        class="btn btn-primary"
                        id="save"
                        disabled=move || saving.get() || changes.get() == 0 || blocked.get() != 0
                        aria-keyshortcuts="Control+S Meta+S"
                        on:click=move |_| start_save()
                    >
                        {move || tr(lang, if saving.get() { Msg::Saving } else { Msg::Save })}
                    </button>
                    <button
                        type="button"
                        class="btn btn-light"
                        id="discard"
                        disabled=move || saving.get() || changes.get() == 0
                        on:click=move |_| discard()
                    >
                        {tr(lang, Msg::Discard)}
                    </button>
                })}
                <button
                    type="button"
                    class="btn btn-light"
                    id="close"
                    disabled=move || saving.get()
                    on:click=move |_| request_close()
                >
                    {tr(lang, Msg::Close)}
                </button>
            </div>
        </footer>
    }
}

fn status_view(
    lang: crate::core::i18n::Lang,
    saving: bool,
    retrying: bool,
    outcome: Option<SaveOutcome>,
    changes: usize,
    retry: impl Fn() + Copy + 'static,
) -> impl IntoView {
    if saving {
        let text = if retrying {
            tr(lang, Msg::Retrying)
        } else {
            tr(lang, Msg::Saving)
        };
        return view! { <span class="status-saving"><span class="spinner small" aria-hidden="true"></span>{text}</span> }
            .into_any();
    }
    match outcome {
        Some(SaveOutcome::Failed(err)) => {
            let text = match err {
                RestError::AccessDenied => tr(lang, Msg::SaveDeniedKeepEdits).to_string(),
                other => format!(
                    "{} {} {}",
                    tr(lang, Msg::SaveFailed),
                    messages::rest_error(lang, &other),
                    tr(lang, Msg::EditsKept)
                ),
            };
            view! {
                <span class="status-error" role="alert">{text}</span>
                <button type="button" class="btn btn-link" id="retry" on:click=move |_| retry()>
                    {tr(lang, Msg::Retry)}
                </button>
            }
            .into_any()
        }
        Some(SaveOutcome::Saved { confirmed, .. }) if changes == 0 => {
            if confirmed {
                view! { <span class="status-ok">{tr(lang, Msg::Saved)}</span> }.into_any()
            } else {
                view! { <span class="status-warning">{tr(lang, Msg::SavedUnconfirmed)}</span> }
                    .into_any()
            }
        }
        _ if changes > 0 => view! {
            <span class="status-changes">{trf(lang, Msg::ChangesCount, &[&changes.to_string()])}</span>
        }
        .into_any(),
        _ => view! { <span class="status-idle">{tr(lang, Msg::NoChanges)}</span> }.into_any(),
    }
}

/// Puts pre-built `children` into `parent` (a directive: it runs when the
/// parent element is created).
fn append_all(parent: Element, children: Rc<Vec<Element>>) {
    for child in children.iter() {
        let _ = parent.append_child(child);
    }
}
