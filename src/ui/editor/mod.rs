//! The block editor: header, fields grouped by card, save / discard / close.
//!
//! [`Editor`] holds the state (signals in an [`EditorState`] every part reads) and the
//! window listeners; the parts are small components in the files below.

mod actions;
mod cards;
mod header;
mod health;
mod preview;
mod preview_cards;
mod reshape;
mod save;
mod status;

use std::rc::Rc;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::fields::FieldState;
use super::{use_lang, Loaded, Reopened, Session};
use crate::bridge::Bridge;
use crate::browser;
use crate::codec;
use crate::core::cards::shape::{live_fields, live_values, unsaved_count};
use crate::core::cards::CardStructure;
use crate::core::draft;
use crate::core::health::{check as health_check, Finding, FindingKind, HealthEnv};
use crate::core::i18n::{tr, Msg};
use crate::core::model::{blocked_count, BlockForm, FieldValue, GroupKind};
use actions::Footer;
use cards::{BlockGroup, CardList, ReadOnlyNodes};
use header::Header;
use health::HealthPanel;
use preview::Preview;
use save::SaveInput;
pub use save::SaveOutcome;
use status::Notices;

/// An image preview's natural size (width, height), once it loaded.
type NaturalSize = RwSignal<Option<(u32, u32)>>;

/// How the editor closes: through the bridge, dropping the kept draft when the user
/// drops the edits.
struct Closer {
    bridge: Rc<dyn Bridge>,
    draft_key: String,
}

/// The editor's state, shared by its parts; every handle in it is `Copy`.
#[derive(Clone, Copy)]
pub struct EditorState {
    /// The access allows editing content (A and D do not: read-only view).
    pub can_edit: bool,
    /// The form with each field's loaded (or last saved) value as `original`; new cards
    /// append their fields (see `core::cards::shape`).
    form: RwSignal<BlockForm>,
    /// The cards, as the user reshapes them.
    cards: RwSignal<CardStructure>,
    /// As loaded, for Discard.
    loaded_cards: StoredValue<CardStructure>,
    /// Collapsed cards, as (list, ordinal).
    collapsed: RwSignal<Vec<(usize, usize)>>,
    /// One signal per field value, parallel to the form's fields.
    values: StoredValue<Vec<RwSignal<FieldValue>>>,
    /// All field values, collected once per edit for everything derived from them.
    current: Memo<Vec<FieldValue>>,
    /// Per field, the natural size of its image preview once loaded (the health check
    /// compares it with the slot's).
    natural_sizes: StoredValue<Vec<NaturalSize>>,
    /// What the health check finds in the current values; it never holds Save.
    pub findings: Memo<Vec<Finding>>,
    pub changes: Memo<usize>,
    /// Typed values that must not go to the portal (script addresses): they hold Save.
    pub blocked: Memo<usize>,
    save_action: Action<SaveInput, SaveOutcome>,
    pub saving: Memo<bool>,
    /// The client is retrying the save (an expired token, a busy portal).
    pub retrying: RwSignal<bool>,
    /// The close question is open.
    pub confirm_close: RwSignal<bool>,
    closer: StoredValue<Closer, LocalStorage>,
    /// The editor's reactive owner, for the signals of fields added later.
    owner: StoredValue<Owner>,
}

impl EditorState {
    /// How the last save went; `None` before one, or after Discard.
    pub fn outcome(self) -> MappedSignal<Option<SaveOutcome>> {
        self.save_action.value()
    }

    /// Starts a save when there is something to save and nothing holds it; a second call
    /// while one runs (a double click) does nothing.
    pub fn save(self) {
        let ready = self.changes.try_get_untracked().unwrap_or(0) > 0
            && self.blocked.try_get_untracked() == Some(0)
            && self.saving.try_get_untracked() == Some(false);
        if !self.can_edit || !ready {
            return;
        }
        let (Some(form), Some(cards), Some(values)) = (
            self.form.try_get_untracked(),
            self.cards.try_get_untracked(),
            self.values
                .try_with_value(|values| values.iter().map(|v| v.get_untracked()).collect()),
        ) else {
            return;
        };
        self.save_action.dispatch_local((form, cards, values));
    }

    /// Puts every field and card back as loaded (or last saved).
    pub fn discard(self) {
        self.form.with_untracked(|form| {
            self.values.with_value(|values| {
                for (value, field) in values.iter().zip(&form.fields) {
                    value.set(field.original.clone());
                }
            })
        });
        self.cards.set(self.loaded_cards.get_value());
        self.save_action.clear();
    }

    /// Closes now, or asks first when there are unsaved changes.
    pub fn request_close(self) {
        if self.changes.get_untracked() > 0 {
            self.confirm_close.set(true);
        } else {
            self.close();
        }
    }

    pub fn close(self) {
        self.closer
            .try_with_value(|closer| closer.bridge.close_application());
    }

    /// "Close without saving" is the user dropping the edits: the kept draft goes too.
    pub fn close_discarding(self) {
        self.closer
            .try_with_value(|closer| browser::unstore(&closer.draft_key));
        self.close();
    }

    /// The state of field number `index`, for its editor.
    fn field(self, index: usize) -> Option<FieldState> {
        let value = self
            .values
            .with_value(|values| values.get(index).copied())?;
        let form = self.form;
        // `try_`: an effect that runs once more while the editor is being replaced (a
        // reload after a save) finds these disposed, which is no reason to panic.
        let changed = Signal::derive(move || {
            form.try_with(|form| {
                value.try_with(|value| {
                    form.fields
                        .get(index)
                        .is_none_or(|field| field.original != *value)
                })
            })
            .flatten()
            .unwrap_or(false)
        });
        let natural_size = self
            .natural_sizes
            .with_value(|sizes| sizes.get(index).copied())?;
        let all = self.findings;
        let findings = Memo::new(move |_| {
            all.with(|all| {
                all.iter()
                    .filter(|f| f.field == index)
                    .map(|f| f.kind.clone())
                    .collect::<Vec<FindingKind>>()
            })
        });
        Some(FieldState {
            value,
            changed,
            read_only: !self.can_edit,
            natural_size,
            findings,
        })
    }

    /// Focuses field `index` (a finding's, a preview click's), opening its card first.
    pub fn reveal(self, index: usize) {
        let Some((key, card)) = self.form.with_untracked(|form| {
            form.fields
                .get(index)
                .map(|f| (f.key.clone(), f.card.map(|c| (c.card, c.ordinal))))
        }) else {
            return;
        };
        if let Some(card) = card {
            self.collapsed
                .update(|collapsed| collapsed.retain(|c| *c != card));
        }
        // Once the card's fields are shown.
        request_animation_frame(move || go_to_field(&key));
    }
}

/// What the editor starts with: a draft left unsaved last time (slider closed, reload)
/// comes back, when the access allows editing; `applied` says how many of its edits did.
fn starting_point(loaded: &Loaded, draft_key: &str) -> draft::Restored {
    let fresh = || draft::Restored {
        copies: Vec::new(),
        values: loaded.form.initial_values(),
        cards: loaded.cards.clone(),
        applied: 0,
    };
    if !loaded.access.can_edit_content() {
        return fresh();
    }
    match browser::stored(draft_key).and_then(|text| codec::decode::<draft::Draft>(&text).ok()) {
        Some(saved) => draft::restore_shaped(&loaded.form, &loaded.cards, &saved),
        None => fresh(),
    }
}

/// Lists of more than this many cards start collapsed to their labels, but the first.
const EXPANDED_UP_TO: usize = 3;

fn editor_state(
    session: &Rc<Session>,
    loaded: &Loaded,
    reopen: Callback<Reopened>,
) -> (EditorState, usize) {
    let can_edit = loaded.access.can_edit_content();
    let ctx = &session.ctx;
    let draft_key = draft::storage_key(&ctx.portal.domain, ctx.page_id, ctx.block_id);
    let start = starting_point(loaded, &draft_key);
    let mut grown = loaded.form.clone();
    grown.fields.extend(start.copies);
    let field_count = grown.fields.len();
    // Long lists start with only their first card open: easy to scan, and the first field
    // is there to edit.
    let collapsed = RwSignal::new(
        start
            .cards
            .lists
            .iter()
            .enumerate()
            .filter(|(_, l)| l.cards.len() > EXPANDED_UP_TO)
            .flat_map(|(list, l)| l.cards.iter().skip(1).map(move |c| (list, c.ordinal())))
            .collect::<Vec<_>>(),
    );
    let form = RwSignal::new(grown);
    let cards = RwSignal::new(start.cards);
    let values = StoredValue::new(
        start
            .values
            .into_iter()
            .map(RwSignal::new)
            .collect::<Vec<_>>(),
    );
    // New cards add value signals together with a card change, which this tracks.
    let current = Memo::new(move |_| {
        cards.track();
        values.with_value(|values| values.iter().map(|v| v.get()).collect::<Vec<_>>())
    });
    // Per field: it is in the block as reshaped; and the values with removed cards' fields
    // as loaded (what counts, is checked and is kept).
    let live = Memo::new(move |_| form.with(|form| cards.with(|cards| live_fields(form, cards))));
    let live_current = Memo::new(move |_| {
        form.with(|form| live.with(|live| current.with(|current| live_values(form, live, current))))
    });
    let changes = Memo::new(move |_| {
        form.with(|form| {
            cards.with(|cards| live_current.with(|values| unsaved_count(form, cards, values)))
        })
    });
    let blocked = Memo::new(move |_| {
        live_current.with(|current| form.with(|form| blocked_count(form, current)))
    });
    let natural_sizes = StoredValue::new(
        (0..field_count)
            .map(|_| RwSignal::new(None))
            .collect::<Vec<_>>(),
    );
    let portal_https = ctx.portal.https;
    let findings = Memo::new(move |_| {
        let env = HealthEnv {
            portal_https,
            natural_sizes: natural_sizes
                .with_value(|sizes| sizes.iter().map(|size| size.get()).collect()),
        };
        let mut found =
            live_current.with(|current| form.with(|form| health_check(form, current, &env)));
        live.with(|live| found.retain(|f| live.get(f.field).copied().unwrap_or(false)));
        found
    });
    let retrying = RwSignal::new(false);
    session.client.set_retry_notice(Rc::new(move || {
        retrying.try_set(true);
    }));
    let saving_in = session.clone();
    let kept_key = draft_key.clone();
    let save_action = Action::new_local(move |input: &SaveInput| {
        let session = saving_in.clone();
        let input = input.clone();
        let key = kept_key.clone();
        async move {
            let outcome = save::save(session, input).await;
            after_save(&outcome, form, &key, reopen);
            retrying.try_set(false);
            outcome
        }
    });
    // Every change is kept until it is saved or discarded.
    if can_edit {
        let key = draft_key.clone();
        Effect::new(move || {
            let kept = live_current.with(|current| {
                form.with(|form| cards.with(|cards| draft::capture_shaped(form, cards, current)))
            });
            match kept {
                Some(draft) => browser::store(&key, &codec::encode(&draft).unwrap_or_default()),
                None => browser::unstore(&key),
            }
        });
    }
    let state = EditorState {
        can_edit,
        form,
        cards,
        loaded_cards: StoredValue::new(loaded.cards.clone()),
        collapsed,
        values,
        current,
        natural_sizes,
        findings,
        changes,
        blocked,
        save_action,
        saving: save_action.pending(),
        retrying,
        confirm_close: RwSignal::new(false),
        closer: StoredValue::new_local(Closer {
            bridge: session.bridge.clone(),
            draft_key,
        }),
        owner: StoredValue::new(Owner::current().unwrap_or_default()),
    };
    (state, start.applied)
}

/// A successful save makes the saved values the new baseline. Saved cards moved every
/// key, and a block changed elsewhere must be seen as it is: both load the block again,
/// keeping (for the latter) only the field edits of the draft.
fn after_save(
    outcome: &SaveOutcome,
    form: RwSignal<BlockForm>,
    draft_key: &str,
    reopen: Callback<Reopened>,
) {
    match outcome {
        SaveOutcome::Saved { values, .. } => {
            form.try_update(|form| {
                for (field, value) in form.fields.iter_mut().zip(values) {
                    field.original = value.clone();
                }
            });
        }
        SaveOutcome::CardsSaved { confirmed } => {
            browser::unstore(draft_key);
            reopen.run(Reopened::CardsSaved {
                confirmed: *confirmed,
            });
        }
        SaveOutcome::ChangedElsewhere => {
            let kept = browser::stored(draft_key)
                .and_then(|text| codec::decode::<draft::Draft>(&text).ok());
            if let Some(mut kept) = kept {
                kept.cards = None;
                browser::store(draft_key, &codec::encode(&kept).unwrap_or_default());
            }
            reopen.run(Reopened::ChangedElsewhere);
        }
        SaveOutcome::Failed(_) => {}
    }
}

/// Ctrl/Cmd+S saves, Escape takes back the close question, and leaving the page with
/// unsaved changes asks first. The listeners go with the editor.
fn listen_to_window(state: EditorState) {
    let lang = use_lang();
    let keys = window_event_listener(ev::keydown, move |event| {
        let key = event.key().to_ascii_lowercase();
        if (event.ctrl_key() || event.meta_key()) && key == "s" {
            event.prevent_default();
            state.save();
        }
        if key == "escape" {
            state.confirm_close.try_set(false);
        }
    });
    let unload = window_event_listener(ev::beforeunload, move |event| {
        if state.changes.try_get_untracked().unwrap_or(0) > 0 {
            event.prevent_default();
            event.set_return_value(tr(lang, Msg::ConfirmClose));
        }
    });
    on_cleanup(move || {
        keys.remove();
        unload.remove();
    });
}

/// A save in flight makes the form `inert`: one attribute rather than one `readonly` per
/// control. Inert drops the focus, so the control the user was in (Ctrl+S while typing) gets
/// it back, caret and all, once the form is live again.
fn keep_focus_through_saves(saving: Memo<bool>) {
    let focused = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |was_saving: Option<bool>| {
        let now = saving.get();
        if now && was_saving != Some(true) {
            let active = document()
                .active_element()
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            focused.set_value(active);
        } else if !now && was_saving == Some(true) {
            if let Some(element) = focused.try_update_value(Option::take).flatten() {
                // After this turn's DOM updates, which take `inert` away.
                request_animation_frame(move || {
                    if element.is_connected() {
                        let _ = element.focus();
                    }
                });
            }
        }
        now
    });
}

/// Focuses the first control of the field with `key` and scrolls it into view. Fields are
/// found by comparing `data-key` rather than through a selector built from the key, which
/// holds the block's own CSS selector.
fn go_to_field(key: &str) {
    let Ok(fields) = document().query_selector_all(".field") else {
        return;
    };
    let field = (0..fields.length())
        .filter_map(|i| fields.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .find(|el| el.get_attribute("data-key").as_deref() == Some(key));
    let Some(field) = field else { return };
    let control = field
        .query_selector("input, textarea")
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    field.scroll_into_view();
    if let Some(control) = control {
        let _ = control.focus();
    }
}

/// On narrow sliders the fields and the preview take turns; wide ones show both.
#[component]
fn ViewSwitch(show_preview: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="view-switch">
            <button type="button" class="view-switch-item"
                aria-pressed=move || (!show_preview.get()).to_string()
                on:click=move |_| show_preview.set(false)>
                {tr(lang, Msg::ViewForm)}
            </button>
            <button type="button" class="view-switch-item"
                aria-pressed=move || show_preview.get().to_string()
                on:click=move |_| show_preview.set(true)>
                {tr(lang, Msg::PreviewTitle)}
            </button>
        </div>
    }
}

/// Each manifest card selector the form has cards of, with its name.
fn card_lists(form: &BlockForm) -> Vec<(usize, String)> {
    let mut lists: Vec<(usize, String)> = Vec::new();
    for group in &form.groups {
        let GroupKind::Card { name, .. } = &group.kind else {
            continue;
        };
        let list = group
            .fields
            .first()
            .and_then(|&i| form.fields.get(i))
            .and_then(|f| f.card)
            .map(|c| c.card);
        if let Some(list) = list.filter(|l| !lists.iter().any(|(x, _)| x == l)) {
            lists.push((list, name.clone()));
        }
    }
    lists
}

#[component]
pub fn Editor(
    session: Rc<Session>,
    loaded: Rc<Loaded>,
    reopen: Callback<Reopened>,
) -> impl IntoView {
    let (state, restored) = editor_state(&session, &loaded, reopen);
    listen_to_window(state);
    keep_focus_through_saves(state.saving);
    let own: Vec<usize> = (0..loaded.form.fields.len())
        .filter(|&i| loaded.form.fields[i].card.is_none())
        .collect();
    let block_group = (!own.is_empty()).then(|| view! { <BlockGroup state fields=own/> });
    let lists = card_lists(&loaded.form)
        .into_iter()
        .map(|(list, name)| view! { <CardList state list name/> })
        .collect_view();
    let read_only = loaded.form.read_only.clone();
    let editable = state.can_edit && !loaded.form.fields.is_empty();
    let show_preview = RwSignal::new(false);
    let on_pick = Callback::new(move |index: usize| {
        // Once the fields are shown again (narrow sliders).
        show_preview.set(false);
        state.reveal(index);
    });
    view! {
        <Header session=session.clone() loaded=loaded.clone() findings=state.findings/>
        <main class="app-body" class:with-preview=editable>
            {editable.then(|| view! { <ViewSwitch show_preview/> })}
            <div class="editing" class:pane-hidden=move || show_preview.get()>
                <Notices
                    access=loaded.access
                    restored
                    reopened=loaded.reopened
                    no_fields=loaded.form.fields.is_empty()
                />
                {editable.then(|| view! { <HealthPanel state/> })}
                <form class="fields" inert=move || state.saving.get() on:submit=move |event| {
                    event.prevent_default();
                    state.save();
                }>
                    {block_group}
                    {lists}
                </form>
                {(!read_only.is_empty()).then(|| view! { <ReadOnlyNodes nodes=read_only/> })}
            </div>
            {editable.then(|| view! {
                <div class="preview-pane" class:pane-hidden=move || !show_preview.get()>
                    <Preview state loaded=loaded.clone() on_pick/>
                </div>
            })}
        </main>
        <Footer state/>
    }
}
