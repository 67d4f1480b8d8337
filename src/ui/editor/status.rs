//! What the editor tells: the notices above the form and the status line by the actions.

use leptos::prelude::*;

use super::super::{use_lang, Reopened};
use super::{EditorState, SaveOutcome};
use crate::core::i18n::{tr, trf, Lang, Msg};
use crate::core::model::Access;
use crate::core::rest::RestError;
use crate::messages;

/// Notices above the form: why the block was loaded again, read-only access, a restored
/// draft, nothing to edit.
#[component]
pub fn Notices(
    access: Access,
    restored: usize,
    reopened: Option<Reopened>,
    no_fields: bool,
) -> impl IntoView {
    let lang = use_lang();
    let reopened = reopened.map(|why| {
        let (class, msg) = match why {
            Reopened::CardsSaved { confirmed: true } => {
                ("notice notice-ok", Msg::CardsSavedReloaded)
            }
            Reopened::CardsSaved { confirmed: false } => {
                ("notice notice-warning", Msg::CardsSavedUnconfirmed)
            }
            Reopened::ChangedElsewhere => ("notice notice-warning", Msg::CardsChangedElsewhere),
        };
        view! { <p class=class role="status" id="reopened">{tr(lang, msg)}</p> }
    });
    let read_only = (!access.can_edit_content()).then(|| {
        let text = trf(lang, Msg::ReadOnlyNotice, &[messages::access(lang, access)]);
        view! { <p class="notice notice-warning" role="note">{text}</p> }
    });
    let draft = (restored != 0).then(|| {
        let text = trf(lang, Msg::DraftRestored, &[&restored.to_string()]);
        view! { <p class="notice" role="status" id="draft-restored">{text}</p> }
    });
    let empty = no_fields.then(|| view! { <p class="notice">{tr(lang, Msg::NoEditableNodes)}</p> });
    view! { {reopened} {read_only} {draft} {empty} }
}

/// What the status line says: class, text, and whether it carries the spinner or the
/// retry button.
#[derive(Debug, PartialEq)]
pub struct Status {
    pub class: &'static str,
    pub text: String,
    pub spinner: bool,
    pub retry: bool,
}

pub fn status(
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

/// The status line: how the save goes, and after a failure the way to try again.
#[component]
pub fn StatusLine(state: EditorState) -> impl IntoView {
    let lang = use_lang();
    let outcome = state.outcome();
    view! {
        <div class="status" role="status" aria-live="polite">
            {move || {
                let now = outcome
                    .with(|outcome| {
                        status(
                            lang,
                            state.saving.get(),
                            state.retrying.get(),
                            outcome.as_ref(),
                            state.changes.get(),
                        )
                    });
                status_view(lang, now, state)
            }}
        </div>
    }
}

fn status_view(lang: Lang, now: Status, state: EditorState) -> impl IntoView {
    let Status {
        class,
        text,
        spinner,
        retry,
    } = now;
    view! {
        <span class=class role=retry.then_some("alert")>
            {spinner.then(|| view! { <span class="spinner small" aria-hidden="true"></span> })}
            {text}
        </span>
        {retry
            .then(|| {
                view! {
                    <button type="button" class="btn btn-link" id="retry" on:click=move |_| state.save()>
                        {tr(lang, Msg::Retry)}
                    </button>
                }
            })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_in_flight_shows_the_spinner_and_says_when_it_is_retried() {
        let saving = status(Lang::En, true, false, None, 2);
        assert_eq!((saving.class, saving.spinner), ("status-saving", true));
        let retrying = status(Lang::En, true, true, None, 2);
        assert_ne!(retrying.text, saving.text);
    }

    #[test]
    fn a_failed_save_keeps_the_edits_and_offers_a_retry() {
        let failed = SaveOutcome::Failed(RestError::AccessDenied);
        let shown = status(Lang::En, false, false, Some(&failed), 1);
        assert_eq!((shown.class, shown.retry), ("status-error", true));
    }

    #[test]
    fn saved_is_said_only_until_the_next_edit() {
        let saved = SaveOutcome::Saved {
            confirmed: false,
            values: Vec::new(),
        };
        assert_eq!(
            status(Lang::En, false, false, Some(&saved), 0).class,
            "status-warning"
        );
        assert_eq!(
            status(Lang::En, false, false, Some(&saved), 3).class,
            "status-changes"
        );
        assert_eq!(status(Lang::En, false, false, None, 0).class, "status-idle");
    }
}
