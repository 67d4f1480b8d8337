//! The Bitrix24 frame protocol (postMessage between the app's iframe and the portal),
//! as pure string functions: the browser glue lives in the bridge.
//!
//! App → portal: `"<command>:<JSON params or empty>:<callback id or empty>:<APP_SID>"`.
//! Portal → app: `"<callback id>:<JSON or empty>"`.
//! Other scripts post messages to the same window, so every parser here returns `None`
//! for anything that is not exactly our form instead of failing loudly.

use std::collections::VecDeque;

use crate::core::context::{is_loopback_host, serialize_origin, validate_host};

/// Longest APP_SID accepted from `window.name`.
const MAX_APP_SID: usize = 128;
/// Longest callback id accepted in a reply.
const MAX_CALLBACK_ID: usize = 64;
/// Prefix of our callback ids.
const CALLBACK_PREFIX: &str = "lbe";

/// What the iframe's `window.name` says about the parent portal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameName {
    /// Validated, lower-cased `host[:port]`.
    pub domain: String,
    pub https: bool,
    pub app_sid: String,
}

impl FrameName {
    /// The portal's origin, spelled as a browser spells `MessageEvent.origin`
    /// (`"https://host[:port]"`, default port dropped), usable both as the postMessage
    /// target and for comparing the origin of incoming messages.
    pub fn origin(&self) -> String {
        serialize_origin(self.https, &self.domain)
    }
}

/// Parses `window.name` = `"<host[:port]>|<0|1>|<APP_SID>"`.
///
/// `None` when it is not exactly three `|`-separated parts, the host fails
/// [`validate_host`], the flag is not `0`/`1`, the APP_SID is not `[A-Za-z0-9_-]{1,128}`,
/// or the flag says http for a host other than the local emulator (`localhost`,
/// `127.x.x.x`): the official SDK trusts any of these, we refuse to talk to them.
pub fn parse_window_name(name: &str) -> Option<FrameName> {
    let mut parts = name.split('|');
    let (host, flag, app_sid) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !validate_host(host) || !is_token(app_sid, MAX_APP_SID) {
        return None;
    }
    let https = match flag {
        "1" => true,
        "0" => false,
        _ => return None,
    };
    if !https && !is_loopback_host(host) {
        return None;
    }
    Some(FrameName {
        domain: host.to_ascii_lowercase(),
        https,
        app_sid: app_sid.to_string(),
    })
}

/// Builds the app → portal message. `command` is one of our own constants and must not
/// contain ':'; the JSON may (the portal takes everything between the first and the
/// second-last ':' as JSON).
pub fn format_command(
    command: &str,
    params_json: Option<&str>,
    callback: Option<&str>,
    app_sid: &str,
) -> String {
    let params = params_json.unwrap_or_default();
    let callback = callback.unwrap_or("");
    format!("{command}:{params}:{callback}:{app_sid}")
}

/// An app → portal message as the portal reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedCommand<T> {
    pub command: String,
    pub params: Option<T>,
    pub callback: Option<String>,
    pub app_sid: String,
}

/// Parses an app → portal message the way the portal does: first segment the command, last
/// the APP_SID, second-last the callback id, everything between (which may contain ':') the
/// JSON, read by `read`. `None` for fewer than four segments, an empty command or APP_SID,
/// or a non-empty JSON part that `read` refuses. Used by tests.
pub fn parse_command<T>(
    msg: &str,
    read: impl FnOnce(&str) -> Option<T>,
) -> Option<ParsedCommand<T>> {
    let (command, rest) = msg.split_once(':')?;
    let (rest, app_sid) = rest.rsplit_once(':')?;
    let (json, callback) = rest.rsplit_once(':')?;
    if command.is_empty() || app_sid.is_empty() {
        return None;
    }
    let params = if json.is_empty() {
        None
    } else {
        Some(read(json)?)
    };
    Some(ParsedCommand {
        command: command.to_string(),
        params,
        callback: (!callback.is_empty()).then(|| callback.to_string()),
        app_sid: app_sid.to_string(),
    })
}

/// Parses a portal → app reply `"<callback id>:<JSON or empty>"`, split once at the first
/// ':'. `None` for anything else: no ':', an id outside `[A-Za-z0-9_-]{1,64}`, or a
/// non-empty payload that `read` (the JSON reader) refuses. `Some((id, None))` for an empty
/// payload. The caller still checks the id against [`CallbackIds`] and the message origin.
pub fn parse_reply<T>(
    data: &str,
    read: impl FnOnce(&str) -> Option<T>,
) -> Option<(String, Option<T>)> {
    let (id, payload) = data.split_once(':')?;
    if !is_token(id, MAX_CALLBACK_ID) {
        return None;
    }
    let payload = if payload.is_empty() {
        None
    } else {
        Some(read(payload)?)
    };
    Some((id.to_string(), payload))
}

/// The pending callback ids, bounded: a portal that never answers cannot make it grow.
#[derive(Clone, Debug)]
pub struct CallbackIds {
    capacity: usize,
    counter: u64,
    /// Oldest first.
    pending: VecDeque<String>,
}

impl CallbackIds {
    /// `capacity` below 1 is treated as 1 (a new id must fit).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        CallbackIds {
            capacity,
            counter: 0,
            pending: VecDeque::with_capacity(capacity.min(1024)),
        }
    }

    /// Registers a new id `"lbe<counter>"`. When that makes more than `capacity` pending,
    /// the oldest pending id is evicted and returned so the caller can fail its waiter.
    pub fn register(&mut self) -> (String, Option<String>) {
        self.counter = self.counter.wrapping_add(1);
        let id = format!("{CALLBACK_PREFIX}{}", self.counter);
        self.pending.push_back(id.clone());
        let evicted = if self.pending.len() > self.capacity {
            self.pending.pop_front()
        } else {
            None
        };
        (id, evicted)
    }

    /// Removes `id`; true when it was pending (an answer we wait for).
    pub fn take(&mut self, id: &str) -> bool {
        match self.pending.iter().position(|p| p == id) {
            Some(index) => {
                self.pending.remove(index);
                true
            }
            None => false,
        }
    }

    /// Forgets `id` (its call timed out or was abandoned); a late answer is then ignored.
    pub fn cancel(&mut self, id: &str) {
        self.take(id);
    }

    pub fn pending(&self) -> usize {
        self.pending.len()
    }
}

/// Non-empty, at most `max` bytes, only `[A-Za-z0-9_-]`.
fn is_token(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    // JSON written and read by serde_json here (by the browser in the wasm).
    fn format_command(
        command: &str,
        params: Option<&Value>,
        callback: Option<&str>,
        app_sid: &str,
    ) -> String {
        let params = params.map(Value::to_string);
        super::format_command(command, params.as_deref(), callback, app_sid)
    }

    fn parse_command(msg: &str) -> Option<ParsedCommand<Value>> {
        super::parse_command(msg, |text| serde_json::from_str(text).ok())
    }

    fn parse_reply(data: &str) -> Option<(String, Option<Value>)> {
        super::parse_reply(data, |text| serde_json::from_str(text).ok())
    }

    #[test]
    fn window_name_good() {
        let name = parse_window_name("acme.bitrix24.com|1|9c3346a0b1");
        assert_eq!(
            name,
            Some(FrameName {
                domain: "acme.bitrix24.com".into(),
                https: true,
                app_sid: "9c3346a0b1".into()
            })
        );
        let name = parse_window_name("ACME.Bitrix24.de:8443|1|a_B-9");
        assert_eq!(
            name.as_ref().map(|n| n.domain.as_str()),
            Some("acme.bitrix24.de:8443")
        );
        assert_eq!(
            name.map(|n| n.origin()).as_deref(),
            Some("https://acme.bitrix24.de:8443")
        );
        let local = parse_window_name("localhost:8080|0|sid");
        assert_eq!(
            local.as_ref().map(|n| n.https),
            Some(false),
            "http is fine for the emulator"
        );
        assert_eq!(
            local.map(|n| n.origin()).as_deref(),
            Some("http://localhost:8080")
        );
        assert!(parse_window_name("127.0.0.1:3000|0|sid").is_some());
        let max_sid = "s".repeat(128);
        assert!(parse_window_name(&format!("a.com|1|{max_sid}")).is_some());
    }

    #[test]
    fn window_name_origin_drops_default_port() {
        let name = parse_window_name("acme.bitrix24.com:443|1|sid");
        assert_eq!(
            name.map(|n| n.origin()).as_deref(),
            Some("https://acme.bitrix24.com")
        );
    }

    #[test]
    fn window_name_bad() {
        for name in [
            "",
            "acme.bitrix24.com",
            "acme.bitrix24.com|1",
            "acme.bitrix24.com|1|",
            "|1|sid",
            "acme.bitrix24.com||sid",
            "acme.bitrix24.com|2|sid",
            "acme.bitrix24.com|true|sid",
            "acme.bitrix24.com| 1|sid",
            "acme.bitrix24.com|1|sid|extra",
            "acme.bitrix24.com|1|s:id",
            "acme.bitrix24.com|1|s id",
            "acme.bitrix24.com|1|sid\n",
            "acme.bitrix24.com|1|sïd",
            "evil.com/x|1|sid",
            "https://evil.com|1|sid",
            "evil.com@acme.bitrix24.com|1|sid",
            "acme.bitrix24.com.evil.com/|1|sid",
            "evil.com:99999|1|sid",
            "evil com|1|sid",
            "acme|1|sid",
            // http only for the local emulator
            "acme.bitrix24.com|0|sid",
            "localhost.evil.com|0|sid",
        ] {
            assert_eq!(parse_window_name(name), None, "{name:?}");
        }
        let long_sid = "s".repeat(129);
        assert_eq!(parse_window_name(&format!("a.com|1|{long_sid}")), None);
    }

    #[test]
    fn format_commands() {
        assert_eq!(
            format_command("getInitData", None, Some("lbe1"), "SID"),
            "getInitData::lbe1:SID"
        );
        assert_eq!(
            format_command(
                "refreshBlock",
                Some(&json!({"id": 996})),
                Some("lbe2"),
                "SID"
            ),
            "refreshBlock:{\"id\":996}:lbe2:SID"
        );
        assert_eq!(
            format_command("closeApplication", None, None, "SID"),
            "closeApplication:::SID"
        );
    }

    #[test]
    fn command_round_trip_with_colons_in_json() {
        let params = json!({"url": "https://a.com:8080/x", "t": "a:b::c", "n": [1, {"k": ":"}]});
        let msg = format_command("someCommand", Some(&params), Some("lbe7"), "9c33");
        assert_eq!(
            parse_command(&msg),
            Some(ParsedCommand {
                command: "someCommand".into(),
                params: Some(params),
                callback: Some("lbe7".into()),
                app_sid: "9c33".into()
            })
        );
    }

    #[test]
    fn command_round_trip_without_params_or_callback() {
        let msg = format_command("closeApplication", None, None, "sid");
        assert_eq!(
            parse_command(&msg),
            Some(ParsedCommand {
                command: "closeApplication".into(),
                params: None,
                callback: None,
                app_sid: "sid".into()
            })
        );
        let msg = format_command("refreshAuth", Some(&json!({})), Some("lbe3"), "sid");
        let parsed = parse_command(&msg);
        assert_eq!(
            parsed.as_ref().and_then(|p| p.params.clone()),
            Some(json!({}))
        );
        assert_eq!(parsed.and_then(|p| p.callback).as_deref(), Some("lbe3"));
    }

    #[test]
    fn parse_command_rejects_malformed() {
        for msg in [
            "",
            "getInitData",
            "getInitData:",
            "getInitData::",
            "getInitData::lbe1:",
            ":{}:lbe1:sid",
            "x:{bad json:lbe1:sid",
            "x:{\"a\":1:lbe1:sid",
        ] {
            assert_eq!(parse_command(msg), None, "{msg:?}");
        }
        // The minimal valid form.
        assert!(parse_command("x:::s").is_some());
    }

    #[test]
    fn replies() {
        assert_eq!(
            parse_reply("lbe1:{\"LANG\":\"en\",\"URI\":\"https://a.com:1/x\"}"),
            Some((
                "lbe1".to_string(),
                Some(json!({"LANG": "en", "URI": "https://a.com:1/x"}))
            ))
        );
        assert_eq!(parse_reply("lbe2:"), Some(("lbe2".to_string(), None)));
        assert_eq!(
            parse_reply("lbe3:true"),
            Some(("lbe3".to_string(), Some(json!(true))))
        );
        assert_eq!(
            parse_reply("lbe4:null"),
            Some(("lbe4".to_string(), Some(Value::Null)))
        );
        let id = "a".repeat(64);
        assert!(parse_reply(&format!("{id}:")).is_some());
    }

    #[test]
    fn foreign_messages_are_not_replies() {
        let long_id = "a".repeat(65);
        for data in [
            "",
            ":",
            ":{}",
            "[object Object]",
            "webpackHotUpdate5f3a",
            "webpackHotUpdate:abc",
            "setImmediate$0.1",
            "setImmediate$0.1:5",
            "lbe1",
            "lbe 1:{}",
            "lbe1:{not json",
            "lbe1:{\"a\":1}trailing",
            "lbe1: {\"unterminated\"",
            "__zone_symbol__:x",
            "{\"type\":\"x\"}",
            "lbé:1",
            &format!("{long_id}:"),
        ] {
            assert_eq!(parse_reply(data), None, "{data:?}");
        }
    }

    #[test]
    fn callback_ids_register_and_take() {
        let mut ids = CallbackIds::new(3);
        let (a, evicted) = ids.register();
        assert_eq!(a, "lbe1");
        assert_eq!(evicted, None);
        let (b, _) = ids.register();
        assert_eq!(b, "lbe2");
        assert_eq!(ids.pending(), 2);
        assert!(ids.take("lbe1"));
        assert!(!ids.take("lbe1"), "an id is answered once");
        assert!(!ids.take("lbe99"), "unknown ids are not pending");
        assert!(!ids.take(""));
        assert_eq!(ids.pending(), 1);
        ids.cancel("lbe2");
        assert_eq!(ids.pending(), 0);
        assert!(!ids.take("lbe2"), "a cancelled id ignores late answers");
        ids.cancel("nope");
        assert_eq!(ids.pending(), 0);
        // Ids keep counting: never reused.
        assert_eq!(ids.register().0, "lbe3");
    }

    #[test]
    fn callback_ids_evict_the_oldest() {
        let mut ids = CallbackIds::new(2);
        assert_eq!(ids.register(), ("lbe1".to_string(), None));
        assert_eq!(ids.register(), ("lbe2".to_string(), None));
        assert_eq!(
            ids.register(),
            ("lbe3".to_string(), Some("lbe1".to_string()))
        );
        assert_eq!(ids.pending(), 2);
        assert!(!ids.take("lbe1"), "evicted id is gone");
        // Taking one frees room: no eviction on the next register.
        assert!(ids.take("lbe2"));
        assert_eq!(ids.register(), ("lbe4".to_string(), None));
        assert_eq!(
            ids.register(),
            ("lbe5".to_string(), Some("lbe3".to_string()))
        );
        for _ in 0..1000 {
            ids.register();
        }
        assert_eq!(ids.pending(), 2);
    }

    #[test]
    fn callback_ids_zero_capacity_keeps_the_newest() {
        let mut ids = CallbackIds::new(0);
        let (a, evicted) = ids.register();
        assert_eq!(evicted, None);
        let (b, evicted) = ids.register();
        assert_eq!(evicted, Some(a));
        assert!(ids.take(&b));
    }

    #[test]
    fn registered_ids_parse_as_reply_ids() {
        let mut ids = CallbackIds::new(4);
        let (id, _) = ids.register();
        let reply = format!("{id}:{{\"ok\":1}}");
        let parsed = parse_reply(&reply);
        assert_eq!(parsed.as_ref().map(|(i, _)| i.as_str()), Some(id.as_str()));
        assert!(ids.take(&id));
    }
}
