//! Injected faults and the REST rate limiter (leaky bucket), both set through `/_emulator/faults`.

use serde::{Deserialize, Serialize};
use std::time::Instant;

/// What a matching REST call gets instead of its normal answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// 500 INTERNAL_SERVER_ERROR.
    Http500,
    /// 503 QUERY_LIMIT_EXCEEDED.
    Http503,
    /// 401 expired_token.
    ExpiredToken,
    /// The connection is closed without any HTTP answer.
    Drop,
    /// 200 with a body that is not valid JSON.
    MalformedJson,
    /// 403 ACCESS_DENIED.
    AccessDenied,
    /// 503 OVERLOAD_LIMIT.
    Overload,
    /// The call runs and its change is stored, but it answers 400 INCORRECT_AFFECTED, as the
    /// portal does when its strict update check fails after saving (`Block::updateNodes`
    /// records the error, then `PublicAction\Block::updateCards` saves the block anyway).
    IncorrectAffected,
    /// For `batch`: the batch runs, but its first command answers 500 INTERNAL_SERVER_ERROR
    /// in `result_error`. Any other method gets a plain 500.
    BatchCommandError,
    /// For `batch`: every command but the last runs; the last answers 500 in
    /// `result_error` (a write half done). Any other method gets a plain 500.
    BatchLastCommandError,
    /// The call is held `delay_ms` (default [`SLOW_DEFAULT_MS`]) before its body is read,
    /// then runs and answers normally: a slow link or portal for one method (an upload).
    Slow,
}

/// How long a `slow` fault holds its call when it names no `delay_ms`.
pub const SLOW_DEFAULT_MS: u64 = 5000;

fn one() -> u32 {
    1
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RestFault {
    /// Top-level REST method (`landing.block.updatenodes`, `batch`); `None` matches any.
    #[serde(default)]
    pub method: Option<String>,
    pub kind: FaultKind,
    /// How many calls it hits before it is used up.
    #[serde(default = "one")]
    pub times: u32,
    /// How many matching calls it lets through before it hits (the second batch of a
    /// save, say).
    #[serde(default)]
    pub skip: u32,
    /// For `slow`: how long the call is held (at most 120 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshBlock {
    #[default]
    Answer,
    /// The editor neither re-renders nor answers `refreshBlock`.
    Ignore,
}

/// Whether the editor page answers a frame command (`getInitData`, `refreshAuth`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    #[default]
    Answer,
    /// Never answered, as when the portal drops the command.
    Ignore,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BucketCfg {
    pub capacity: f64,
    pub per_sec: f64,
}

impl Default for BucketCfg {
    /// The portal's documented limit: burst 50, drains 2 requests per second.
    fn default() -> Self {
        BucketCfg {
            capacity: 50.0,
            per_sec: 2.0,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Faults {
    /// Overrides `--latency-ms` while set.
    pub latency_ms: Option<u64>,
    /// Holds each CORS preflight (`OPTIONS`) answer this long. Chromium's network emulation
    /// (CDP `Network.emulateNetworkConditions`) delays the requests a page makes but not the
    /// preflights its network service sends for them, so the benchmark's emulated link adds
    /// their round trip here (`latency_ms` delays the other REST requests, not these).
    #[serde(default)]
    pub preflight_latency_ms: Option<u64>,
    pub rest: Vec<RestFault>,
    pub refresh_block: RefreshBlock,
    #[serde(default)]
    pub init_data: Reply,
    #[serde(default)]
    pub refresh_auth: Reply,
    pub bucket: BucketCfg,
}

/// Body of `POST /_emulator/faults`: any subset; `rest` entries are appended.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultsPatch {
    #[serde(default)]
    pub latency_ms: Option<u64>,
    #[serde(default)]
    pub preflight_latency_ms: Option<u64>,
    #[serde(default)]
    pub rest: Option<Vec<RestFault>>,
    #[serde(default)]
    pub refresh_block: Option<RefreshBlock>,
    #[serde(default)]
    pub init_data: Option<Reply>,
    #[serde(default)]
    pub refresh_auth: Option<Reply>,
    #[serde(default)]
    pub bucket: Option<BucketCfg>,
}

impl Faults {
    pub fn apply(&mut self, patch: FaultsPatch) -> Result<(), String> {
        if let Some(b) = patch.bucket {
            if !(b.capacity.is_finite() && b.capacity >= 1.0) {
                return Err("bucket.capacity must be a number >= 1".into());
            }
            if !(b.per_sec.is_finite() && b.per_sec >= 0.0) {
                return Err("bucket.per_sec must be a number >= 0".into());
            }
            self.bucket = b;
        }
        if let Some(ms) = patch.latency_ms {
            self.latency_ms = Some(ms.min(120_000));
        }
        if let Some(ms) = patch.preflight_latency_ms {
            self.preflight_latency_ms = Some(ms.min(120_000));
        }
        if let Some(rb) = patch.refresh_block {
            self.refresh_block = rb;
        }
        if let Some(r) = patch.init_data {
            self.init_data = r;
        }
        if let Some(r) = patch.refresh_auth {
            self.refresh_auth = r;
        }
        if let Some(rest) = patch.rest {
            self.rest.extend(rest.into_iter().filter(|f| f.times > 0));
        }
        Ok(())
    }

    /// Uses up one hit of the first fault that matches `method` (case-insensitive).
    pub fn take_rest_fault(&mut self, method: &str) -> Option<FaultKind> {
        self.take_rest_fault_delay(method).map(|(kind, _)| kind)
    }

    /// [`Self::take_rest_fault`] with the delay of a `slow` fault (0 for other kinds).
    pub fn take_rest_fault_delay(&mut self, method: &str) -> Option<(FaultKind, u64)> {
        let pos = self.rest.iter().position(|f| {
            f.method
                .as_deref()
                .is_none_or(|m| m.trim().eq_ignore_ascii_case(method))
        })?;
        if self.rest[pos].skip > 0 {
            self.rest[pos].skip -= 1;
            return None;
        }
        let kind = self.rest[pos].kind;
        let delay = match kind {
            FaultKind::Slow => self.rest[pos]
                .delay_ms
                .unwrap_or(SLOW_DEFAULT_MS)
                .min(120_000),
            _ => 0,
        };
        self.rest[pos].times -= 1;
        if self.rest[pos].times == 0 {
            self.rest.remove(pos);
        }
        Some((kind, delay))
    }
}

/// One portal member's leaky bucket.
#[derive(Clone, Debug)]
pub struct Bucket {
    level: f64,
    last: Instant,
}

impl Bucket {
    pub fn new(now: Instant) -> Self {
        Bucket {
            level: 0.0,
            last: now,
        }
    }

    /// Drains what leaked since the last call, then admits the request if it fits.
    pub fn admit(&mut self, cfg: &BucketCfg, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.level = (self.level - elapsed * cfg.per_sec).max(0.0);
        if self.level + 1.0 > cfg.capacity {
            return false;
        }
        self.level += 1.0;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bucket_bursts_then_drains() {
        let cfg = BucketCfg {
            capacity: 3.0,
            per_sec: 2.0,
        };
        let t0 = Instant::now();
        let mut b = Bucket::new(t0);
        assert!(b.admit(&cfg, t0));
        assert!(b.admit(&cfg, t0));
        assert!(b.admit(&cfg, t0));
        assert!(!b.admit(&cfg, t0));
        // Half a second drains one request.
        assert!(b.admit(&cfg, t0 + Duration::from_millis(500)));
        assert!(!b.admit(&cfg, t0 + Duration::from_millis(500)));
    }

    #[test]
    fn faults_match_method_and_run_out() {
        let mut f = Faults::default();
        f.apply(
            serde_json::from_str(
                r#"{"rest":[{"method":"Batch","kind":"http500","times":2},{"kind":"drop"}],
                    "refresh_block":"ignore","latency_ms":5,"preflight_latency_ms":40}"#,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(f.refresh_block, RefreshBlock::Ignore);
        assert_eq!(f.latency_ms, Some(5));
        assert_eq!(f.preflight_latency_ms, Some(40));
        assert_eq!(
            f.take_rest_fault("landing.block.getlist"),
            Some(FaultKind::Drop)
        );
        assert_eq!(f.take_rest_fault("landing.block.getlist"), None);
        assert_eq!(f.take_rest_fault("batch"), Some(FaultKind::Http500));
        assert_eq!(f.take_rest_fault("batch"), Some(FaultKind::Http500));
        assert_eq!(f.take_rest_fault("batch"), None);
    }

    #[test]
    fn slow_faults_carry_their_delay() {
        let mut f = Faults::default();
        f.apply(
            serde_json::from_str(
                r#"{"rest":[{"method":"landing.block.uploadfile","kind":"slow"},
                            {"kind":"slow","delay_ms":999999},{"kind":"drop"}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
        let m = "landing.block.uploadfile";
        assert_eq!(
            f.take_rest_fault_delay(m),
            Some((FaultKind::Slow, SLOW_DEFAULT_MS))
        );
        assert_eq!(f.take_rest_fault_delay(m), Some((FaultKind::Slow, 120_000)));
        assert_eq!(f.take_rest_fault_delay(m), Some((FaultKind::Drop, 0)));
    }

    #[test]
    fn bad_patches_are_rejected() {
        let mut f = Faults::default();
        assert!(serde_json::from_str::<FaultsPatch>(r#"{"rest":[{"kind":"nope"}]}"#).is_err());
        assert!(serde_json::from_str::<FaultsPatch>(r#"{"typo":1}"#).is_err());
        let p: FaultsPatch =
            serde_json::from_str(r#"{"bucket":{"capacity":0,"per_sec":1}}"#).unwrap();
        assert!(f.apply(p).is_err());
        assert_eq!(f.bucket, BucketCfg::default());
    }
}
