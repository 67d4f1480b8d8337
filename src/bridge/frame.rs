//! The frame protocol spoken by the app itself, for when the BX24 library is
//! absent but the page is in a portal frame (`window.name` = `host|0/1|APP_SID`).
//!
//! Formatting and parsing live in the pure core (`core::protocol`); this is
//! only the postMessage plumbing: origin and source checks, callback ids,
//! timeouts.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Window};

use super::{Bridge, BridgeError, CALL_TIMEOUT_MS};
use crate::browser::with_timeout;
use crate::client::LocalFuture;
use crate::codec::Raw;
use crate::core::context::InitData;
use crate::core::loose::Obj;
use crate::core::protocol::{format_command, parse_reply, CallbackIds, FrameName};

/// At most this many calls wait for an answer; older ones are given up.
const MAX_PENDING: usize = 16;

type Reply = Option<Raw>;

struct Pending {
    ids: CallbackIds,
    waiting: Waiting,
}

/// The senders of calls waiting for an answer, by callback id. At most
/// `MAX_PENDING` entries, so a list does; a hash map costs more wasm.
#[derive(Default)]
struct Waiting(Vec<(String, oneshot::Sender<Reply>)>);

impl Waiting {
    /// Adds `sender` under `id`, dropping (ending) any earlier one with that id.
    fn insert(&mut self, id: String, sender: oneshot::Sender<Reply>) {
        self.remove(&id);
        self.0.push((id, sender));
    }

    fn remove(&mut self, id: &str) -> Option<oneshot::Sender<Reply>> {
        let at = self.0.iter().position(|(key, _)| key == id)?;
        Some(self.0.swap_remove(at).1)
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

pub struct FrameBridge {
    frame: FrameName,
    parent: Window,
    pending: Rc<RefCell<Pending>>,
    listener: Closure<dyn FnMut(MessageEvent)>,
}

impl FrameBridge {
    /// Starts listening for the portal's answers. `parent` is the window the
    /// portal page lives in (`window.parent` in production).
    pub fn new(frame: FrameName, parent: Window) -> Result<FrameBridge, BridgeError> {
        let window =
            web_sys::window().ok_or_else(|| BridgeError::Unavailable("no window".into()))?;
        let pending = Rc::new(RefCell::new(Pending {
            ids: CallbackIds::new(MAX_PENDING),
            waiting: Waiting::default(),
        }));
        let origin = frame.origin();
        let expected_source = parent.clone();
        let pending_in_listener = pending.clone();
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            // Other scripts and frames post messages too: only the portal's
            // window, from the portal's origin, with a string reply is ours.
            if event.origin() != origin {
                return;
            }
            let from_parent = event
                .source()
                .map(|source| js_sys::Object::is(&source, &expected_source))
                .unwrap_or(false);
            if !from_parent {
                return;
            }
            let Some(data) = event.data().as_string() else {
                return;
            };
            let Some((id, payload)) = parse_reply(&data, |text| Raw::parse(text).ok()) else {
                return;
            };
            let mut pending = pending_in_listener.borrow_mut();
            if pending.ids.take(&id) {
                if let Some(sender) = pending.waiting.remove(&id) {
                    let _ = sender.send(payload);
                }
            }
        });
        window
            .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
            .map_err(|_| BridgeError::Unavailable("cannot listen for messages".into()))?;
        Ok(FrameBridge {
            frame,
            parent,
            pending,
            listener,
        })
    }

    /// The production bridge: `window.name` in frame form and a parent window.
    pub fn from_window() -> Option<FrameBridge> {
        let window = web_sys::window()?;
        let frame = crate::core::protocol::parse_window_name(&window.name().ok()?)?;
        let parent = window.parent().ok().flatten()?;
        // A top-level page is its own parent: nobody to talk to.
        if js_sys::Object::is(&parent, &window) {
            return None;
        }
        FrameBridge::new(frame, parent).ok()
    }

    fn post(&self, message: &str) -> Result<(), BridgeError> {
        self.parent
            .post_message(&JsValue::from_str(message), &self.frame.origin())
            .map_err(|_| BridgeError::Unavailable("postMessage failed".into()))
    }

    /// Sends a command that expects an answer and waits for it.
    async fn request(
        &self,
        command: &str,
        params: Option<&str>,
        timeout_ms: u32,
    ) -> Result<Reply, BridgeError> {
        let (sender, receiver) = oneshot::channel();
        let id = {
            let mut pending = self.pending.borrow_mut();
            let (id, evicted) = pending.ids.register();
            if let Some(old) = evicted {
                // Dropping the sender ends the oldest wait with an error.
                pending.waiting.remove(&old);
            }
            pending.waiting.insert(id.clone(), sender);
            id
        };
        let message = format_command(command, params, Some(&id), &self.frame.app_sid);
        if let Err(err) = self.post(&message) {
            self.forget(&id);
            return Err(err);
        }
        match with_timeout(receiver, timeout_ms).await {
            Some(Ok(reply)) => Ok(reply),
            Some(Err(_)) => Err(BridgeError::Timeout),
            None => {
                self.forget(&id);
                Err(BridgeError::Timeout)
            }
        }
    }

    fn forget(&self, id: &str) {
        let mut pending = self.pending.borrow_mut();
        pending.ids.cancel(id);
        pending.waiting.remove(id);
    }

    /// How many calls still wait for an answer (bounded by `MAX_PENDING`).
    pub fn pending_calls(&self) -> usize {
        self.pending.borrow().waiting.len()
    }
}

impl Drop for FrameBridge {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback(
                "message",
                self.listener.as_ref().unchecked_ref(),
            );
        }
    }
}

impl Bridge for FrameBridge {
    fn init_data(&self) -> LocalFuture<'_, Result<InitData, BridgeError>> {
        Box::pin(async move {
            let reply = self.request("getInitData", None, CALL_TIMEOUT_MS).await?;
            reply
                .map(|raw| init_data_of(&raw))
                .ok_or_else(|| BridgeError::Unavailable("empty init data".into()))
        })
    }

    fn refresh_auth(&self) -> LocalFuture<'_, Result<InitData, BridgeError>> {
        Box::pin(async move {
            let reply = self
                .request("refreshAuth", Some("{}"), CALL_TIMEOUT_MS)
                .await?;
            reply
                .map(|raw| init_data_of(&raw))
                .ok_or_else(|| BridgeError::Unavailable("empty auth".into()))
        })
    }

    fn placement_call(
        &self,
        command: &str,
        params: Raw,
        timeout_ms: u32,
    ) -> LocalFuture<'_, Result<Option<Raw>, BridgeError>> {
        let command = command.to_string();
        Box::pin(async move {
            let params = params
                .to_text()
                .map_err(|e| BridgeError::Unavailable(e.to_string()))?;
            self.request(&command, Some(&params), timeout_ms).await
        })
    }

    fn close_application(&self) {
        let _ = self.post(&format_command(
            "closeApplication",
            None,
            None,
            &self.frame.app_sid,
        ));
    }

    fn install_finish(&self) {
        let _ = self.post(&format_command(
            "setInstallFinish",
            None,
            None,
            &self.frame.app_sid,
        ));
    }
}

/// An answer read as init data; anything but an object reads as empty data (the
/// validation then names what is missing).
fn init_data_of(raw: &Raw) -> InitData {
    raw.read::<Obj<InitData>>()
        .map(Obj::or_default)
        .unwrap_or_default()
}
