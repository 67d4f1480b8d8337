//! The block editor: header, fields grouped by card, save / discard / close.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, KeyboardEvent};

use super::fields::{field_editor, FieldState};
use super::node::{append, button, el, set_flag, text_el, Keep};
use super::{use_lang, Loaded, Session};
use crate::bridge::BridgeError;
use crate::browser;
use crate::codec;
use crate::core::draft;
use crate::core::i18n::{tr, trf, Lang, Msg};
use crate::core::model::{
    blocked_count, changed_count, updatenodes_data, BlockForm, FieldValue, GroupKind, ReadOnlyNode,
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
        .update_nodes(ctx.page_id, ctx.block_id, &data)
        .await
    {
        return SaveOutcome::Failed(err);
    }
    let refreshed =
        crate::bridge::refresh_block(&*session.bridge, ctx.block_id, REFRESH_TIMEOUT_MS).await;
    SaveOutcome::Saved {
        confirmed: !matches!(
            refreshed,
            Err(BridgeError::Timeout | BridgeError::Unavailable(_))
        ),
        values,
    }
}

/// What the status line says: class, text, and whether it carries the
/// spinner or the retry button.
struct Status {
    class: &'static str,
    text: String,
    spinner: bool,
    retry: bool,
}

fn status(
    lang: Lang,
    saving: bool,
    retrying: bool,
    outcome: Option<&SaveOutcome>,
    changes: usize,
) -> Status {
    let line = |class, text: String| Status {
        class,
        text,
        spinner: false,
        retry: false,
    };
    if saving {
        let msg = if retrying { Msg::Retrying } else { Msg::Saving };
        return Status {
            spinner: true,
            ..line("status-saving", tr(lang, msg).into())
        };
    }
    match outcome {
        Some(SaveOutcome::Failed(err)) => {
            let text = match err {
                RestError::AccessDenied => tr(lang, Msg::SaveDeniedKeepEdits).to_string(),
                other => [
                    tr(lang, Msg::SaveFailed),
                    &messages::rest_error(lang, other),
                    tr(lang, Msg::EditsKept),
                ]
                .join(" "),
            };
            Status {
                retry: true,
                ..line("status-error", text)
            }
        }
        Some(SaveOutcome::Saved { confirmed, .. }) if changes == 0 => {
            if *confirmed {
                line("status-ok", tr(lang, Msg::Saved).into())
            } else {
                line("status-warning", tr(lang, Msg::SavedUnconfirmed).into())
            }
        }
        _ if changes > 0 => line(
            "status-changes",
            trf(lang, Msg::ChangesCount, &[&changes.to_string()]),
        ),
        _ => line("status-idle", tr(lang, Msg::NoChanges).into()),
    }
}

/// The header: block name, code, ids and access in words.
fn header(lang: Lang, session: &Session, loaded: &Loaded) -> Vec<Element> {
    let ctx = &session.ctx;
    let meta = el("dl", &[("class", "block-meta")]);
    let entries = [
        (Msg::CodeLabel, ctx.block_code.clone(), ""),
        (Msg::BlockIdLabel, ctx.block_id.to_string(), ""),
        (Msg::PageLabel, ctx.page_id.to_string(), ""),
        (
            Msg::AccessLabel,
            messages::access(lang, loaded.access).to_string(),
            "access",
        ),
    ];
    for (label, value, class) in entries {
        let entry = el("div", &[]);
        let value = text_el("dd", &[], &value);
        if !class.is_empty() {
            let _ = value.set_attribute("class", class);
        }
        append(&entry, &[&text_el("dt", &[], tr(lang, label)), &value]);
        append(&meta, &[&entry]);
    }
    let name = text_el("h1", &[("class", "block-name")], &loaded.form.block_name);
    vec![name, meta]
}

/// The nodes listed read-only, with why.
fn read_only_section(lang: Lang, nodes: &[ReadOnlyNode]) -> Element {
    let section = el("section", &[("class", "group group-readonly")]);
    let list = el("ul", &[("class", "readonly-list")]);
    for node in nodes {
        let item = el("li", &[]);
        append(
            &item,
            &[
                &text_el(
                    "span",
                    &[("class", "readonly-name")],
                    &messages::read_only_name(lang, &node.name, &node.kind),
                ),
                &text_el("code", &[("class", "selector")], &node.selector),
                &text_el(
                    "span",
                    &[("class", "readonly-reason")],
                    &messages::read_only_reason(lang, &node.kind),
                ),
            ],
        );
        append(&list, &[&item]);
    }
    let title = text_el(
        "h2",
        &[("class", "group-title")],
        tr(lang, Msg::ReadOnlyNodesTitle),
    );
    append(&section, &[&title, &list]);
    section
}

/// One section per group: the block's own fields, then each card occurrence.
fn group_sections(
    keep: &Keep,
    lang: Lang,
    form: &BlockForm,
    values: &[RwSignal<FieldValue>],
    changed: impl Fn(usize, RwSignal<FieldValue>) -> Signal<bool>,
    locked: Signal<bool>,
) -> Vec<Element> {
    form.groups
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
                let (Some(field), Some(&value)) = (form.fields.get(index), values.get(index))
                else {
                    continue;
                };
                let state = FieldState {
                    value,
                    changed: changed(index, value),
                    locked,
                };
                append(&section, &[&field_editor(keep, index, field, state)]);
            }
            section
        })
        .collect()
}

/// The editor: header, body and footer, plain DOM built once (see `node`) and
/// kept up to date by a few effects over the state declared first. Its state
/// lives as long as the reactive owner it is built in, its listeners and
/// effects as long as the returned [`Keep`].
pub fn editor(session: Rc<Session>, loaded: Rc<Loaded>) -> (Keep, [Element; 3]) {
    let lang = use_lang();
    let can_edit = loaded.access.can_edit_content();
    let read_only = !can_edit;
    let form = RwSignal::new(loaded.form.clone());
    // Edits left unsaved last time (slider closed, reload) come back.
    let draft_key = draft::storage_key(
        &session.ctx.portal.domain,
        session.ctx.page_id,
        session.ctx.block_id,
    );
    let (initial, restored) = match browser::stored(&draft_key).and_then(|t| codec::decode(&t).ok())
    {
        Some(saved) if can_edit => draft::restore(&loaded.form, &saved),
        _ => (loaded.form.initial_values(), 0),
    };
    let field_values: Vec<RwSignal<FieldValue>> = initial.into_iter().map(RwSignal::new).collect();
    let values = StoredValue::new(field_values.clone());
    // All field values, collected once per edit for everything derived below.
    let current = Memo::new(move |_| {
        values.with_value(|values| values.iter().map(|v| v.get()).collect::<Vec<_>>())
    });
    let changes =
        Memo::new(move |_| current.with(|current| form.with(|form| changed_count(form, current))));
    // Typed values that must not go to the portal (script addresses) hold Save.
    let blocked =
        Memo::new(move |_| current.with(|current| form.with(|form| blocked_count(form, current))));
    let saving = RwSignal::new(false);
    let retrying = RwSignal::new(false);
    let outcome = RwSignal::new(None::<SaveOutcome>);
    let confirm_close = RwSignal::new(false);
    let locked = Signal::derive(move || read_only || saving.get());
    session.client.set_retry_notice(Rc::new(move || {
        retrying.try_set(true);
    }));

    let keep = Keep::default();
    // Every change is kept until it is saved or discarded.
    if can_edit {
        let key = draft_key.clone();
        keep.effect(move || {
            match current.with(|current| form.with(|form| draft::capture(form, current))) {
                Some(draft) => browser::store(&key, &codec::encode(&draft).unwrap_or_default()),
                None => browser::unstore(&key),
            }
        });
    }

    let save_session = session.clone();
    let start_save: Rc<dyn Fn()> = Rc::new(move || {
        if !can_edit
            || saving.get_untracked()
            || changes.get_untracked() == 0
            || blocked.get_untracked() > 0
        {
            return;
        }
        let snapshot = values
            .with_value(|values| values.iter().map(|v| v.get_untracked()).collect::<Vec<_>>());
        let session = save_session.clone();
        let form_now = form.get_untracked();
        saving.set(true);
        spawn_local(async move {
            let result = save(session, form_now, snapshot).await;
            // A successful save makes the saved values the new baseline.
            if let SaveOutcome::Saved { values, .. } = &result {
                form.try_update(|form| {
                    for (field, value) in form.fields.iter_mut().zip(values) {
                        field.original = value.clone();
                    }
                });
            }
            outcome.try_set(Some(result));
            saving.try_set(false);
            retrying.try_set(false);
        });
    });
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
    let bridge = session.bridge.clone();
    let close_now: Rc<dyn Fn()> = Rc::new(move || bridge.close_application());
    // "Close without saving" is the user dropping the edits: the kept draft goes too.
    let close_discarding = {
        let close_now = close_now.clone();
        move || {
            browser::unstore(&draft_key);
            close_now();
        }
    };
    let request_close = move || {
        if changes.get_untracked() > 0 {
            confirm_close.set(true);
        } else {
            close_now();
        }
    };

    let window = window();
    let save_on_keys = start_save.clone();
    keep.on(&window, "keydown", move |event: Event| {
        let event: KeyboardEvent = event.unchecked_into();
        let key = event.key().to_ascii_lowercase();
        if (event.ctrl_key() || event.meta_key()) && key == "s" {
            event.prevent_default();
            save_on_keys();
        }
        if key == "escape" {
            confirm_close.try_set(false);
        }
    });
    keep.on(&window, "beforeunload", move |event: Event| {
        if changes.try_get_untracked().unwrap_or(0) > 0 {
            event.prevent_default();
            event
                .unchecked_ref::<web_sys::BeforeUnloadEvent>()
                .set_return_value(tr(lang, Msg::ConfirmClose));
        }
    });

    // Main: notices, the fields, the read-only nodes.
    let mut main = Vec::new();
    if read_only {
        let text = trf(
            lang,
            Msg::ReadOnlyNotice,
            &[messages::access(lang, loaded.access)],
        );
        main.push(text_el(
            "p",
            &[("class", "notice notice-warning"), ("role", "note")],
            &text,
        ));
    }
    if restored != 0 {
        let text = trf(lang, Msg::DraftRestored, &[&restored.to_string()]);
        main.push(text_el(
            "p",
            &[
                ("class", "notice"),
                ("role", "status"),
                ("id", "draft-restored"),
            ],
            &text,
        ));
    }
    if loaded.form.fields.is_empty() {
        main.push(text_el(
            "p",
            &[("class", "notice")],
            tr(lang, Msg::NoEditableNodes),
        ));
    }
    let fields = el("form", &[("class", "fields")]);
    let save_on_submit = start_save.clone();
    keep.on(&fields, "submit", move |event| {
        event.prevent_default();
        save_on_submit();
    });
    let changed = |index: usize, value: RwSignal<FieldValue>| {
        Signal::derive(move || {
            form.with(|form| form.fields.get(index).map(|f| f.original.clone()))
                != Some(value.get())
        })
    };
    let sections = group_sections(&keep, lang, &loaded.form, &field_values, changed, locked);
    for section in &sections {
        append(&fields, &[section]);
    }
    main.push(fields);
    if !loaded.form.read_only.is_empty() {
        main.push(read_only_section(lang, &loaded.form.read_only));
    }

    // Footer: the close question, the status line, the actions.
    let confirm = el(
        "div",
        &[
            ("class", "confirm"),
            ("role", "alertdialog"),
            ("aria-labelledby", "confirm-text"),
        ],
    );
    let confirm_yes = text_el(
        "button",
        &[("class", "btn btn-danger"), ("id", "confirm-close")],
        tr(lang, Msg::CloseWithoutSaving),
    );
    let confirm_no = text_el(
        "button",
        &[("class", "btn btn-light"), ("id", "confirm-keep")],
        tr(lang, Msg::KeepEditing),
    );
    keep.on(&confirm_yes, "click", move |_| close_discarding());
    keep.on(&confirm_no, "click", move |_| confirm_close.set(false));
    let question = text_el("p", &[("id", "confirm-text")], tr(lang, Msg::ConfirmClose));
    append(&confirm, &[&question, &confirm_yes, &confirm_no]);

    let status_line = el(
        "div",
        &[
            ("class", "status"),
            ("role", "status"),
            ("aria-live", "polite"),
        ],
    );
    let retry = button("btn btn-link", "retry", tr(lang, Msg::Retry));
    let save_again = start_save.clone();
    keep.on(&retry, "click", move |_| save_again());
    let spinner = el(
        "span",
        &[("class", "spinner small"), ("aria-hidden", "true")],
    );
    let shown_status = status_line.clone();
    keep.effect(move || {
        let now = outcome.with(|outcome| {
            status(
                lang,
                saving.get(),
                retrying.get(),
                outcome.as_ref(),
                changes.get(),
            )
        });
        shown_status.set_text_content(None);
        let line = el("span", &[("class", now.class)]);
        if now.spinner {
            append(&line, &[&spinner]);
        }
        if now.retry {
            let _ = line.set_attribute("role", "alert");
        }
        let _ = line.append_with_str_1(&now.text);
        append(&shown_status, &[&line]);
        if now.retry {
            append(&shown_status, &[&retry]);
        }
    });

    let actions = el("div", &[("class", "actions")]);
    if can_edit {
        let save_button = button("btn btn-primary", "save", tr(lang, Msg::Save));
        let _ = save_button.set_attribute("aria-keyshortcuts", "Control+S Meta+S");
        keep.on(&save_button, "click", move |_| start_save());
        let discard_button = button("btn btn-light", "discard", tr(lang, Msg::Discard));
        keep.on(&discard_button, "click", move |_| discard());
        append(&actions, &[&save_button, &discard_button]);
        keep.effect(move || {
            let saving = saving.get();
            let unchanged = changes.get() == 0;
            set_flag(
                &save_button,
                "disabled",
                saving || unchanged || blocked.get() != 0,
            );
            save_button
                .set_text_content(Some(tr(lang, if saving { Msg::Saving } else { Msg::Save })));
            set_flag(&discard_button, "disabled", saving || unchanged);
        });
    }
    let close_button = button("btn btn-light", "close", tr(lang, Msg::Close));
    keep.on(&close_button, "click", move |_| request_close());
    append(&actions, &[&close_button]);
    let locked_close = close_button.clone();
    keep.effect(move || set_flag(&locked_close, "disabled", saving.get()));

    // The question goes first in the footer, which holds the status line.
    let footer = vec![status_line.clone(), actions];
    keep.effect(move || {
        let asked = confirm_close.get();
        match status_line.parent_element() {
            Some(footer) if asked => {
                let _ = footer.insert_before(&confirm, footer.first_child().as_ref());
            }
            _ => confirm.remove(),
        }
    });

    let header_part = el("header", &[("class", "app-header")]);
    for part in header(lang, &session, &loaded) {
        append(&header_part, &[&part]);
    }
    let main_part = el("main", &[("class", "app-body")]);
    for part in &main {
        append(&main_part, &[part]);
    }
    let footer_part = el("footer", &[("class", "app-footer")]);
    for part in &footer {
        append(&footer_part, &[part]);
    }
    (keep, [header_part, main_part, footer_part])
}
