//! Choosing, dropping or pasting a picture into an image field: checked, resized and
//! uploaded at once (`crate::picture`, `RestClient::upload_file`), with a progress bar and
//! Cancel. The field's value takes the uploaded addresses only if nothing else happened to
//! it meanwhile; Save then writes the node with the files' ids (`core::upload::ids`).

use std::rc::Rc;

use leptos::html::Input;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DataTransfer};

use super::super::{use_lang, Session};
use super::FieldState;
use crate::client::UploadFailure;
use crate::core::i18n::{tr, trf, Lang, Msg};
use crate::core::manifest::Dimensions;
use crate::core::model::FieldValue;
use crate::core::upload::{
    max_file_mib, remember_upload, upload_error_text, Stage, UploadError, Uploaded,
};
use crate::messages::rest_error;
use crate::picture::{prepare, Copy as PictureCopy};

/// What `accept` offers in the file dialog; the bytes are checked whatever it says.
const ACCEPT: &str = "image/jpeg,image/png,image/gif,image/webp";

/// Where uploads go: the open block's session (its client and block id).
#[derive(Clone, Copy)]
pub struct UploadTarget(StoredValue<Rc<Session>, LocalStorage>);

/// Makes the session the image fields upload through (called where the editor is built).
pub fn provide_upload_target(session: &Rc<Session>) {
    provide_context(UploadTarget(StoredValue::new_local(session.clone())));
}

#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Busy {
        stage: Stage,
        needs_2x: bool,
    },
    /// `retry`: the file was fine and the upload may work another time.
    Failed {
        text: String,
        retry: bool,
    },
    /// Uploaded to `src`, which the field now shows.
    Done {
        src: String,
    },
}

/// One picked file, as the upload action runs it.
#[derive(Clone)]
struct Job {
    run: u32,
    name: String,
    blob: Blob,
    /// The field's value when the file was picked.
    before: FieldValue,
}

/// One field's uploads: the action that runs them and the state they share. Every handle in
/// it is `Copy`, so the view's handlers share it.
#[derive(Clone, Copy)]
pub struct Uploader {
    uploads: Uploads,
    action: Action<Job, ()>,
}

impl Uploader {
    pub fn new(state: FieldState, dimensions: Dimensions) -> Uploader {
        let uploads = Uploads::new(state, dimensions);
        let action = Action::new_local(move |job: &Job| uploads.run_job(job.clone()));
        Uploader { uploads, action }
    }

    fn enabled(self) -> bool {
        self.uploads.enabled()
    }

    /// Starts on the first file of a list (a dialog's, a drop's, a paste's); `true` when
    /// there was one.
    pub fn start_first(self, files: Option<web_sys::FileList>) -> bool {
        match files.and_then(|f| f.get(0)) {
            Some(file) => {
                self.start(file.name(), file.unchecked_into::<Blob>());
                true
            }
            None => false,
        }
    }

    pub fn start(self, name: String, blob: Blob) {
        if let Some(job) = self.uploads.begin(name, blob) {
            self.action.dispatch_local(job);
        }
    }

    pub fn cancel(self) {
        self.uploads.cancel();
    }

    fn retry(self) {
        if let Some(Some((name, blob))) = self.uploads.last.try_get_value() {
            self.start(name, blob);
        }
    }
}

/// The state an upload reads and writes, apart from the action that runs it.
#[derive(Clone, Copy)]
struct Uploads {
    state: FieldState,
    dimensions: Dimensions,
    lang: Lang,
    target: Option<UploadTarget>,
    status: RwSignal<Status>,
    /// Bumped by every start and cancel: a job whose number is no longer current is void.
    run: StoredValue<u32>,
    last: StoredValue<Option<(String, Blob)>, LocalStorage>,
}

impl Uploads {
    fn new(state: FieldState, dimensions: Dimensions) -> Uploads {
        let uploads = Uploads {
            state,
            dimensions,
            lang: use_lang(),
            target: use_context::<UploadTarget>(),
            status: RwSignal::new(Status::Idle),
            run: StoredValue::new(0),
            last: StoredValue::new_local(None),
        };
        // Any other change of the value while an upload runs (typing, Discard, a card
        // change) voids it: the user has moved on. The job itself sets `Done` before it
        // writes the value, so its own write does not count; once the field shows another
        // picture, the note about the upload goes.
        let value = state.value;
        Effect::new(move |_| {
            value.track();
            match uploads.status.get_untracked() {
                Status::Busy { .. } => uploads.cancel(),
                Status::Done { src } if !value.with_untracked(|v| shows(v, &src)) => {
                    uploads.status.set(Status::Idle)
                }
                _ => {}
            }
        });
        uploads
    }

    fn enabled(self) -> bool {
        !self.state.read_only && self.target.is_some()
    }

    /// Makes `name` the current upload (voiding any other) and shows it as started.
    fn begin(self, name: String, blob: Blob) -> Option<Job> {
        if !self.enabled() {
            return None;
        }
        let run = self.run.try_update_value(|n| {
            *n += 1;
            *n
        })?;
        self.last.set_value(Some((name.clone(), blob.clone())));
        self.status.set(Status::Busy {
            stage: Stage::Preparing,
            needs_2x: true,
        });
        Some(Job {
            run,
            name,
            blob,
            before: self.state.value.get_untracked(),
        })
    }

    /// The upload itself; what it finds is applied only while it is still the current one
    /// and the field still holds what it held when the file was picked.
    async fn run_job(self, job: Job) {
        let Job {
            run,
            name,
            blob,
            before,
        } = job;
        let outcome = self.job(run, &name, &blob).await;
        if !self.current(run) {
            return;
        }
        let (x1, x2) = match outcome {
            Ok(uploaded) => uploaded,
            Err(failure) => {
                self.status.try_set(failure);
                return;
            }
        };
        if self.state.value.try_get_untracked().as_ref() != Some(&before) {
            self.status.try_set(Status::Idle);
            return;
        }
        remember_upload(&x1.src, x1.id);
        // A picture no larger than its slot was uploaded once: it serves both densities.
        let x2 = x2.unwrap_or_else(|| x1.clone());
        remember_upload(&x2.src, x2.id);
        self.status.try_set(Status::Done {
            src: x1.src.clone(),
        });
        self.state.value.try_update(|v| {
            if let FieldValue::Img { src, src2x, .. } = v {
                *src = x1.src;
                *src2x = x2.src;
            }
        });
    }

    fn current(self, run: u32) -> bool {
        self.run.try_get_value() == Some(run)
    }

    /// Prepares and uploads; `Err` is the status to show.
    async fn job(
        self,
        run: u32,
        name: &str,
        blob: &Blob,
    ) -> Result<(Uploaded, Option<Uploaded>), Status> {
        let refused = |err: UploadError| Status::Failed {
            text: upload_error_text(self.lang, &err),
            retry: false,
        };
        let prepared = prepare(name, blob, self.dimensions)
            .await
            .map_err(refused)?;
        let needs_2x = prepared.x2.is_some();
        let x1 = self
            .send(run, Stage::Sending1x, needs_2x, &prepared.x1)
            .await?;
        let x2 = match &prepared.x2 {
            Some(copy) => Some(self.send(run, Stage::Sending2x, needs_2x, copy).await?),
            None => None,
        };
        Ok((x1, x2))
    }

    async fn send(
        self,
        run: u32,
        stage: Stage,
        needs_2x: bool,
        copy: &PictureCopy,
    ) -> Result<Uploaded, Status> {
        // Cancelled while preparing or during the 1x upload: the 2x copy is not sent.
        let session = match self.target {
            Some(target) if self.current(run) => target.0.try_get_value(),
            _ => None,
        }
        .ok_or(Status::Idle)?;
        self.status.try_set(Status::Busy { stage, needs_2x });
        session
            .client
            .upload_file(session.ctx.block_id, copy.name.clone(), &copy.bytes)
            .await
            .map_err(|failure| Status::Failed {
                text: failure_text(self.lang, &failure),
                retry: true,
            })
    }

    fn cancel(self) {
        self.run.try_update_value(|n| *n += 1);
        self.status.try_set(Status::Idle);
    }
}

fn shows(value: &FieldValue, picture: &str) -> bool {
    matches!(value, FieldValue::Img { src, .. } if src == picture)
}

fn failure_text(lang: Lang, failure: &UploadFailure) -> String {
    match failure {
        // A timeout, a dropped connection, a refusal: the client's words for it (the same
        // as a save's), after saying that the picture is not uploaded.
        UploadFailure::Rest(err) => trf(lang, Msg::UploadFailed, &[&rest_error(lang, err)]),
        UploadFailure::Answer(err) => upload_error_text(lang, err),
    }
}

/// The files a drag carries, if it carries any.
pub fn dragged_files(transfer: Option<DataTransfer>) -> Option<web_sys::FileList> {
    transfer
        .and_then(|t| t.files())
        .filter(|files| files.length() > 0)
}

/// The choose button with its hidden file input, the hint, and the upload's state.
#[component]
pub fn UploadControls(id: String, uploader: Uploader) -> impl IntoView {
    let lang = use_lang();
    let input = NodeRef::<Input>::new();
    let status = uploader.uploads.status;
    let busy = move || matches!(status.get(), Status::Busy { .. });
    let choose = move |_| {
        if let Some(input) = input.get() {
            input.click();
        }
    };
    let picked = move |_| {
        if let Some(el) = input.get() {
            uploader.start_first(el.files());
            // The same file picked again is a new choice.
            el.set_value("");
        }
    };
    let hint_id = format!("{id}-hint");
    let hint = trf(lang, Msg::UploadHint, &[&max_file_mib().to_string()]);
    view! {
        <div class="upload">
            // The input is hidden behind the button, and so is its label; both name the same
            // action, so the input has its name wherever it is reached.
            <label for=format!("{id}-file") hidden=true>{tr(lang, Msg::UploadChoose)}</label>
            <input
                id=format!("{id}-file")
                class="upload-input"
                type="file"
                accept=ACCEPT
                hidden=true
                tabindex="-1"
                node_ref=input
                on:change=picked
            />
            <button
                type="button"
                class="button upload-choose"
                aria-describedby=hint_id.clone()
                disabled=move || !uploader.enabled() || busy()
                on:click=choose
            >
                {tr(lang, Msg::UploadChoose)}
            </button>
            <p class="hint" id=hint_id>{hint}</p>
            <UploadStatus uploader/>
        </div>
    }
}

#[component]
fn UploadStatus(uploader: Uploader) -> impl IntoView {
    let lang = use_lang();
    let status = uploader.uploads.status;
    move || match status.get() {
        Status::Idle => None,
        Status::Busy { stage, needs_2x } => {
            let (value, max) = stage.progress(needs_2x);
            let label = tr(lang, stage.label());
            Some(
                view! {
                    <div class="upload-progress" role="status">
                        <progress max=max value=value aria-label=label></progress>
                        <span>{label}</span>
                        <button type="button" class="button upload-cancel"
                            on:click=move |_| uploader.cancel()>
                            {tr(lang, Msg::UploadCancel)}
                        </button>
                    </div>
                }
                .into_any(),
            )
        }
        Status::Failed { text, retry } => Some(
            view! {
                <div class="upload-error" role="alert">
                    <p class="field-error">{text}</p>
                    {retry.then(|| view! {
                        <button type="button" class="button upload-retry"
                            on:click=move |_| uploader.retry()>
                            {tr(lang, Msg::UploadRetry)}
                        </button>
                    })}
                </div>
            }
            .into_any(),
        ),
        Status::Done { .. } => Some(
            view! { <p class="upload-done" role="status">{tr(lang, Msg::UploadDone)}</p> }
                .into_any(),
        ),
    }
}

/// A file pasted into the field (a screenshot, a copied picture), if there is one.
pub fn pasted_files(event: &web_sys::ClipboardEvent) -> Option<web_sys::FileList> {
    dragged_files(event.clipboard_data())
}
