//! The emulated portal's state: one page of blocks (draft + published), app bindings,
//! tokens, logs, faults and rate limiting; persisted atomically to `--state FILE`.

use crate::faults::{Bucket, Faults};
use crate::{ids, timefmt};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The one page (landing) the emulator edits; it belongs to site 1.
pub const LID: u64 = 1;
pub const SITE_ID: u64 = 1;
/// The emulated portal's member id (stable, like a real portal's).
pub const MEMBER_ID: &str = "e1a0c0f1b2d34c5e8f90a1b2c3d4e5f6";
/// Block ids are 101, 102, … in fixture order.
pub const FIRST_BLOCK_ID: u64 = 101;
/// Logs keep the newest entries only, so a long dev session cannot grow memory forever.
const LOG_CAP: usize = 2000;

/// One block fixture (see fixtures/blocks/README.md).
#[derive(Clone, Debug, PartialEq)]
pub struct SeedBlock {
    pub code: String,
    pub manifest: Value,
    pub content: String,
}

const EMBEDDED: [(&str, &str); 6] = [
    (
        "04.1.one_col_fix_with_title.json",
        include_str!("../fixtures/blocks/04.1.one_col_fix_with_title.json"),
    ),
    (
        "06.1features_3_cols.json",
        include_str!("../fixtures/blocks/06.1features_3_cols.json"),
    ),
    (
        "31.1.two_cols_text_img.json",
        include_str!("../fixtures/blocks/31.1.two_cols_text_img.json"),
    ),
    (
        "43.4.cover_with_price_text_button_bgimg.json",
        include_str!("../fixtures/blocks/43.4.cover_with_price_text_button_bgimg.json"),
    ),
    (
        "44.7.three_columns_with_img_and_price.json",
        include_str!("../fixtures/blocks/44.7.three_columns_with_img_and_price.json"),
    ),
    (
        "49.1.video_just_video.json",
        include_str!("../fixtures/blocks/49.1.video_just_video.json"),
    ),
];

fn parse_fixture(name: &str, text: &str) -> Result<SeedBlock, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("block fixture {name}: {e}"))?;
    let code = match v.get("code").and_then(Value::as_str) {
        Some(c) if !c.trim().is_empty() => c.trim().to_string(),
        _ => name.trim_end_matches(".json").to_string(),
    };
    let manifest = match v.get("manifest") {
        Some(m @ Value::Object(_)) => m.clone(),
        _ => {
            return Err(format!(
                "block fixture {name}: \"manifest\" must be an object"
            ))
        }
    };
    let content = v
        .get("content")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("block fixture {name}: \"content\" must be a string"))?
        .to_string();
    Ok(SeedBlock {
        code,
        manifest,
        content,
    })
}

/// The fixtures compiled into the binary, in file-name order.
pub fn embedded_seed() -> Result<Vec<SeedBlock>, String> {
    let mut files: Vec<(&str, &str)> = EMBEDDED.to_vec();
    files.sort_by(|a, b| a.0.cmp(b.0));
    files
        .into_iter()
        .map(|(name, text)| parse_fixture(name, text))
        .collect()
}

/// Every `*.json` in `dir`, sorted by file name.
pub fn seed_from_dir(dir: &Path) -> Result<Vec<SeedBlock>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("--blocks {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("--blocks {}: {e}", dir.display()))?;
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) == Some("json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(format!("--blocks {}: no *.json block files", dir.display()));
    }
    files
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text =
                fs::read_to_string(p).map_err(|e| format!("block fixture {}: {e}", p.display()))?;
            parse_fixture(&name, &text)
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub id: u64,
    pub code: String,
    pub manifest: Value,
    /// What the editor edits; every write goes here.
    pub draft: String,
    /// What visitors see; only `/_emulator/publish` copies the draft here.
    pub published: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Binding {
    /// `LANDING_BLOCK_*` or `LANDING_BLOCK_<CODE>` (stored upper-case, compared case-insensitively).
    pub placement: String,
    pub handler: String,
    pub title: String,
}

pub const PLACEMENT_PREFIX: &str = "LANDING_BLOCK_";

impl Binding {
    /// The part after `LANDING_BLOCK_`: `*` or a block code.
    pub fn suffix(&self) -> &str {
        self.placement.get(PLACEMENT_PREFIX.len()..).unwrap_or("")
    }

    /// Whether the item shows in the More menu of a block with this code.
    pub fn matches_block(&self, code: &str) -> bool {
        let s = self.suffix();
        s == "*" || s.eq_ignore_ascii_case(code)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Token {
    pub auth_id: String,
    pub refresh_id: String,
    pub app_sid: String,
    pub member_id: String,
    pub expires_at_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrameLogEntry {
    pub command: String,
    pub params: Value,
    pub app_sid: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RestLogEntry {
    pub method: String,
    pub status: u16,
    pub error: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AuthError {
    Invalid,
    Expired,
}

/// Version 1 files did not store the command-line binding; version 2 stores every binding.
const STATE_VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
struct Persisted {
    version: u32,
    lid: u64,
    blocks: Vec<Block>,
    #[serde(default)]
    bindings: Vec<Binding>,
    access: String,
    #[serde(default)]
    install_finished: bool,
    #[serde(default)]
    first_run_pending: bool,
    #[serde(default = "yes")]
    is_admin: bool,
    #[serde(default)]
    app_options: Map<String, Value>,
    #[serde(default)]
    page_published: bool,
    #[serde(default)]
    tokens: Vec<Token>,
}

fn yes() -> bool {
    true
}

/// The application as the portal knows it: the handler of its own page (the app list entry)
/// and its name.
#[derive(Clone, Debug, PartialEq)]
pub struct AppEntry {
    pub handler: String,
    pub title: String,
}

/// Fixed at start: what `reset` goes back to.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    pub seed: Vec<SeedBlock>,
    pub app: AppEntry,
    /// The app was just added to the portal: no bindings, installation not finished, and its
    /// page opens with `FIRST_RUN`/`INSTALL`. Otherwise it is installed and bound to
    /// `LANDING_BLOCK_*`.
    pub fresh_install: bool,
    pub is_admin: bool,
    pub access: char,
    pub token_lifetime_secs: u64,
    pub latency_ms: u64,
    pub state_file: Option<PathBuf>,
}

pub struct Store {
    pub lid: u64,
    pub blocks: Vec<Block>,
    pub bindings: Vec<Binding>,
    pub access: char,
    /// Until the app calls `setInstallFinish`, its items show in no menu.
    pub install_finished: bool,
    /// The next opening of the app's own page is its first run.
    pub first_run_pending: bool,
    /// The current user is a portal administrator.
    pub is_admin: bool,
    /// `app.option.*`: the application's own settings on the portal.
    pub app_options: Map<String, Value>,
    /// The page has never been published until `/_emulator/publish`: reads without edit
    /// mode then find nothing, as on a real unpublished page.
    pub page_published: bool,
    tokens: HashMap<String, Token>,
    pub frame_log: Vec<FrameLogEntry>,
    pub rest_log: Vec<RestLogEntry>,
    /// CORS preflights (`OPTIONS`) answered on the REST path: not calls, but round trips the
    /// browser makes before a call (the benchmark counts them).
    pub rest_preflights: u64,
    pub faults: Faults,
    /// `landing.block.uploadfile`'s files (memory only, see `uploads`).
    pub uploads: crate::uploads::Uploads,
    /// `http://<editor address>`, put before upload paths so that a `src` works from the
    /// app's own origin too; empty = relative paths (set by `server::start`).
    pub base_url: String,
    buckets: HashMap<String, Bucket>,
    opts: StoreOptions,
}

/// An installed app starts bound to every block; a freshly added one to nothing.
fn preset_bindings(opts: &StoreOptions) -> Vec<Binding> {
    if opts.fresh_install {
        return Vec::new();
    }
    vec![Binding {
        placement: format!("{PLACEMENT_PREFIX}*"),
        handler: opts.app.handler.clone(),
        title: opts.app.title.clone(),
    }]
}

fn seeded_blocks(seed: &[SeedBlock]) -> Vec<Block> {
    seed.iter()
        .enumerate()
        .map(|(i, s)| Block {
            id: FIRST_BLOCK_ID + i as u64,
            code: s.code.clone(),
            manifest: s.manifest.clone(),
            draft: s.content.clone(),
            published: s.content.clone(),
        })
        .collect()
}

impl Store {
    /// Loads `state_file` when it exists, otherwise seeds from `opts.seed`.
    pub fn new(opts: StoreOptions) -> Result<Store, String> {
        let mut store = Store {
            lid: LID,
            blocks: seeded_blocks(&opts.seed),
            bindings: preset_bindings(&opts),
            access: opts.access,
            install_finished: !opts.fresh_install,
            first_run_pending: opts.fresh_install,
            is_admin: opts.is_admin,
            app_options: Map::new(),
            page_published: false,
            tokens: HashMap::new(),
            frame_log: Vec::new(),
            rest_log: Vec::new(),
            rest_preflights: 0,
            faults: Faults::default(),
            uploads: Default::default(),
            base_url: String::new(),
            buckets: HashMap::new(),
            opts,
        };
        if let Some(path) = store.opts.state_file.clone() {
            if path.exists() {
                store.load(&path)?;
            }
            remove_stale_temp_files(&path);
        }
        Ok(store)
    }

    fn load(&mut self, path: &Path) -> Result<(), String> {
        let text =
            fs::read_to_string(path).map_err(|e| format!("--state {}: {e}", path.display()))?;
        let p: Persisted = serde_json::from_str(&text)
            .map_err(|e| format!("--state {}: not a state file: {e}", path.display()))?;
        let mut ids: Vec<u64> = p.blocks.iter().map(|b| b.id).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() != p.blocks.len() {
            return Err(format!("--state {}: duplicate block ids", path.display()));
        }
        self.lid = p.lid;
        self.blocks = p.blocks;
        if p.version < STATE_VERSION {
            self.bindings.extend(p.bindings);
        } else {
            self.bindings = p.bindings;
        }
        self.access = crate::cli::parse_access(&p.access).unwrap_or(self.opts.access);
        self.install_finished = p.install_finished;
        self.first_run_pending = p.first_run_pending;
        self.is_admin = p.is_admin;
        self.app_options = p.app_options;
        self.page_published = p.page_published;
        self.tokens = p
            .tokens
            .into_iter()
            .map(|t| (t.auth_id.clone(), t))
            .collect();
        Ok(())
    }

    /// Writes the state file (if any) atomically: temp file in the same directory + rename.
    pub fn persist(&self) -> Result<(), String> {
        let Some(path) = &self.opts.state_file else {
            return Ok(());
        };
        let p = Persisted {
            version: STATE_VERSION,
            lid: self.lid,
            blocks: self.blocks.clone(),
            bindings: self.bindings.clone(),
            access: self.access.to_string(),
            install_finished: self.install_finished,
            first_run_pending: self.first_run_pending,
            is_admin: self.is_admin,
            app_options: self.app_options.clone(),
            page_published: self.page_published,
            tokens: self.tokens.values().cloned().collect(),
        };
        let data = serde_json::to_vec_pretty(&p).map_err(|e| e.to_string())?;
        write_atomic(path, &data).map_err(|e| format!("writing {}: {e}", path.display()))
    }

    /// Persists and reports a failure on stderr: a full disk must not take the portal down.
    pub fn persist_or_warn(&self) {
        if let Err(e) = self.persist() {
            eprintln!("emulator: could not save state: {e}");
        }
    }

    pub fn block(&self, id: u64) -> Option<&Block> {
        self.blocks.iter().find(|b| b.id == id)
    }

    pub fn block_mut(&mut self, id: u64) -> Option<&mut Block> {
        self.blocks.iter_mut().find(|b| b.id == id)
    }

    pub fn token_lifetime_secs(&self) -> u64 {
        self.opts.token_lifetime_secs
    }

    pub fn latency_ms(&self) -> u64 {
        self.faults.latency_ms.unwrap_or(self.opts.latency_ms)
    }

    pub fn issue_token(&mut self, app_sid: &str) -> Token {
        let t = Token {
            auth_id: ids::hex(70),
            refresh_id: ids::hex(70),
            app_sid: app_sid.to_string(),
            member_id: MEMBER_ID.to_string(),
            expires_at_ms: timefmt::now_millis()
                .saturating_add(self.opts.token_lifetime_secs.saturating_mul(1000)),
        };
        self.tokens.insert(t.auth_id.clone(), t.clone());
        t
    }

    /// A new token for an open app. The old one stays valid until it expires, as on the portal.
    pub fn refresh_token(
        &mut self,
        app_sid: &str,
        refresh_id: Option<&str>,
    ) -> Result<Token, String> {
        let known = self.tokens.values().any(|t| {
            t.app_sid == app_sid && refresh_id.is_none_or(|r| !r.is_empty() && t.refresh_id == r)
        });
        if app_sid.is_empty() || !known {
            return Err("unknown app_sid or refresh_id".into());
        }
        Ok(self.issue_token(app_sid))
    }

    pub fn check_token(&self, auth: &str, now_ms: u64) -> Result<&Token, AuthError> {
        let t = self.tokens.get(auth).ok_or(AuthError::Invalid)?;
        if now_ms >= t.expires_at_ms {
            return Err(AuthError::Expired);
        }
        Ok(t)
    }

    /// Every token issued so far is expired (refresh still works).
    pub fn expire_all_tokens(&mut self) {
        for t in self.tokens.values_mut() {
            t.expires_at_ms = 0;
        }
    }

    /// Leaky-bucket admission for one portal member.
    pub fn admit(&mut self, member: &str) -> bool {
        let now = Instant::now();
        let cfg = self.faults.bucket;
        self.buckets
            .entry(member.to_string())
            .or_insert_with(|| Bucket::new(now))
            .admit(&cfg, now)
    }

    pub fn reset_buckets(&mut self) {
        self.buckets.clear();
    }

    /// The app's entry in the portal's application list.
    pub fn app(&self) -> &AppEntry {
        &self.opts.app
    }

    /// The app's items in the More menu of a block with this code, as the portal lists them:
    /// nothing until the installation is finished.
    pub fn menu_items(&self, code: &str) -> Vec<&Binding> {
        if !self.install_finished {
            return Vec::new();
        }
        self.bindings
            .iter()
            .filter(|b| b.matches_block(code))
            .collect()
    }

    /// Back to the seed: blocks, access, bindings, install state, app options, logs, faults,
    /// limits, uploaded files. Tokens survive, so an app that is open keeps working.
    pub fn reset(&mut self) {
        self.lid = LID;
        self.blocks = seeded_blocks(&self.opts.seed);
        self.bindings = preset_bindings(&self.opts);
        self.access = self.opts.access;
        self.install_finished = !self.opts.fresh_install;
        self.first_run_pending = self.opts.fresh_install;
        self.is_admin = self.opts.is_admin;
        self.app_options.clear();
        self.page_published = false;
        self.frame_log.clear();
        self.rest_log.clear();
        self.rest_preflights = 0;
        self.faults = Faults::default();
        self.uploads.clear();
        self.buckets.clear();
    }

    pub fn push_frame_log(&mut self, e: FrameLogEntry) {
        if self.frame_log.len() >= LOG_CAP {
            self.frame_log.remove(0);
        }
        self.frame_log.push(e);
    }

    pub fn push_rest_log(&mut self, e: RestLogEntry) {
        if self.rest_log.len() >= LOG_CAP {
            self.rest_log.remove(0);
        }
        self.rest_log.push(e);
    }

    /// `GET /_emulator/state`.
    pub fn state_json(&self) -> Value {
        json!({
            "lid": self.lid,
            "site_id": SITE_ID,
            "access": self.access.to_string(),
            "page_published": self.page_published,
            "blocks": self.blocks.iter().map(|b| json!({
                "id": b.id,
                "code": b.code,
                "content": b.draft,
                "published": b.published,
            })).collect::<Vec<_>>(),
            "frame_log": self.frame_log,
            "rest_log": self.rest_log,
            "rest_preflights": self.rest_preflights,
            "bindings": self.bindings,
            "install_finished": self.install_finished,
            "first_run_pending": self.first_run_pending,
            "is_admin": self.is_admin,
            "app_options": self.app_options,
            "faults": self.faults,
            "files": self.uploads.to_json(&self.base_url),
        })
    }
}

/// The directory of `path` and the prefix of the temp files [`write_atomic`] writes there.
fn temp_prefix(path: &Path) -> (&Path, String) {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    (dir, format!(".{name}.tmp-"))
}

/// Temp files of writes cut short by a killed process (the state file itself is whole:
/// it is only ever replaced by a rename). Best effort.
fn remove_stale_temp_files(path: &Path) {
    let (dir, prefix) = temp_prefix(path);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let (dir, prefix) = temp_prefix(path);
    let tmp = dir.join(format!("{prefix}{}-{}", std::process::id(), ids::hex(8)));
    let written = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()
    })();
    if let Err(e) = written.and_then(|_| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(state: Option<PathBuf>) -> StoreOptions {
        StoreOptions {
            seed: embedded_seed().unwrap(),
            app: AppEntry {
                handler: "http://127.0.0.1:8080/handler/".into(),
                title: "Block editor".into(),
            },
            fresh_install: false,
            is_admin: true,
            access: 'X',
            token_lifetime_secs: 3600,
            latency_ms: 0,
            state_file: state,
        }
    }

    fn temp_dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("emu-store-{tag}-{}", ids::hex(8)));
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn seeds_in_file_name_order_with_fixed_ids() {
        let s = Store::new(opts(None)).unwrap();
        let ids: Vec<u64> = s.blocks.iter().map(|b| b.id).collect();
        assert_eq!(ids, vec![101, 102, 103, 104, 105, 106]);
        assert_eq!(s.blocks[0].code, "04.1.one_col_fix_with_title");
        assert_eq!(s.blocks[5].code, "49.1.video_just_video");
        assert_eq!(s.blocks[3].draft, s.blocks[3].published);
        assert_eq!(s.bindings[0].placement, "LANDING_BLOCK_*");
    }

    #[test]
    fn binding_matching_is_case_insensitive() {
        let b = Binding {
            placement: "LANDING_BLOCK_49.1.VIDEO_JUST_VIDEO".into(),
            handler: "h".into(),
            title: "t".into(),
        };
        assert!(b.matches_block("49.1.video_just_video"));
        assert!(!b.matches_block("04.1.one_col_fix_with_title"));
    }

    #[test]
    fn tokens_expire_refresh_and_old_ones_stay_valid() {
        let mut s = Store::new(opts(None)).unwrap();
        let t = s.issue_token("sid1");
        let now = timefmt::now_millis();
        assert!(s.check_token(&t.auth_id, now).is_ok());
        assert_eq!(s.check_token("nope", now).unwrap_err(), AuthError::Invalid);
        assert_eq!(
            s.check_token(&t.auth_id, now + 3_601_000).unwrap_err(),
            AuthError::Expired
        );
        let t2 = s.refresh_token("sid1", Some(&t.refresh_id)).unwrap();
        assert_ne!(t2.auth_id, t.auth_id);
        assert!(s.check_token(&t.auth_id, now).is_ok());
        assert!(s.refresh_token("sid1", Some("wrong")).is_err());
        assert!(s.refresh_token("other", None).is_err());
        s.expire_all_tokens();
        assert_eq!(
            s.check_token(&t2.auth_id, now).unwrap_err(),
            AuthError::Expired
        );
        assert!(s.refresh_token("sid1", Some(&t2.refresh_id)).is_ok());
    }

    #[test]
    fn state_round_trip_is_atomic_and_keeps_edits() {
        let dir = temp_dir("rt");
        let path = dir.join("state.json");
        let mut s = Store::new(opts(Some(path.clone()))).unwrap();
        assert!(!path.exists(), "nothing is written before a change");
        s.block_mut(102).unwrap().draft = "<p>changed</p>".into();
        s.bindings.push(Binding {
            placement: "LANDING_BLOCK_06.1FEATURES_3_COLS".into(),
            handler: "http://127.0.0.1:1/x".into(),
            title: "X".into(),
        });
        s.app_options.insert("bindings".into(), json!("[]"));
        s.is_admin = false;
        s.access = 'W';
        let t = s.issue_token("sid");
        s.persist().unwrap();
        // Only the state file is left in the directory: the temp file was renamed over it.
        let names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["state.json".to_string()]);

        let s2 = Store::new(opts(Some(path.clone()))).unwrap();
        assert_eq!(s2.block(102).unwrap().draft, "<p>changed</p>");
        assert_eq!(s2.block(101).unwrap().draft, s.block(101).unwrap().draft);
        assert_eq!(s2.bindings, s.bindings);
        assert_eq!(s2.app_options, s.app_options);
        assert!(!s2.is_admin);
        assert_eq!(s2.access, 'W');
        assert!(s2.check_token(&t.auth_id, timefmt::now_millis()).is_ok());
        // The manifest's key order survives the round trip.
        let keys: Vec<&String> = s2
            .block(104)
            .unwrap()
            .manifest
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            keys[..4],
            ["block", "cards", "nodes", "style"]
                .iter()
                .collect::<Vec<_>>()[..]
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn corrupt_state_file_is_an_error_not_a_reseed() {
        let dir = temp_dir("bad");
        let path = dir.join("state.json");
        fs::write(&path, "{not json").unwrap();
        let e = Store::new(opts(Some(path))).err().unwrap();
        assert!(e.contains("not a state file"), "{e}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reset_restores_seed_and_clears() {
        let mut s = Store::new(opts(None)).unwrap();
        s.block_mut(101).unwrap().draft.clear();
        s.access = 'D';
        s.install_finished = true;
        s.push_rest_log(RestLogEntry {
            method: "m".into(),
            status: 200,
            error: None,
        });
        s.bindings.clear();
        s.reset();
        assert!(!s.block(101).unwrap().draft.is_empty());
        assert_eq!(s.access, 'X');
        assert!(s.install_finished);
        assert!(s.rest_log.is_empty());
        assert_eq!(s.bindings.len(), 1);
    }

    #[test]
    fn fresh_install_shows_nothing_until_bound_and_finished() {
        let mut s = Store::new(StoreOptions {
            fresh_install: true,
            ..opts(None)
        })
        .unwrap();
        assert!(s.bindings.is_empty() && !s.install_finished && s.first_run_pending);
        s.bindings.push(Binding {
            placement: "LANDING_BLOCK_*".into(),
            handler: "http://127.0.0.1:1/".into(),
            title: "Edit".into(),
        });
        assert!(s.menu_items("04.1.one_col_fix_with_title").is_empty());
        s.install_finished = true;
        assert_eq!(s.menu_items("04.1.one_col_fix_with_title").len(), 1);
        s.first_run_pending = false;
        s.reset();
        assert!(s.bindings.is_empty() && !s.install_finished && s.first_run_pending);
    }

    #[test]
    fn version_1_state_keeps_the_command_line_binding() {
        let dir = temp_dir("v1");
        let path = dir.join("state.json");
        let mut s = Store::new(opts(Some(path.clone()))).unwrap();
        s.persist().unwrap();
        let mut v: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        v["version"] = json!(1);
        v["bindings"] = json!([{"placement": "LANDING_BLOCK_X", "handler": "http://127.0.0.1:2/", "title": "X"}]);
        fs::write(&path, v.to_string()).unwrap();
        s = Store::new(opts(Some(path))).unwrap();
        let placements: Vec<&str> = s.bindings.iter().map(|b| b.placement.as_str()).collect();
        assert_eq!(placements, ["LANDING_BLOCK_*", "LANDING_BLOCK_X"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn seed_from_dir_reads_sorted_json_files() {
        let dir = temp_dir("seed");
        for name in ["b.json", "a.json"] {
            fs::write(
                dir.join(name),
                format!(r#"{{"manifest":{{"nodes":{{}}}},"content":"<p>{name}</p>"}}"#),
            )
            .unwrap();
        }
        fs::write(dir.join("notes.txt"), "x").unwrap();
        let seed = seed_from_dir(&dir).unwrap();
        assert_eq!(seed.len(), 2);
        assert_eq!(seed[0].code, "a");
        assert_eq!(seed[1].content, "<p>b.json</p>");
        fs::remove_dir_all(&dir).unwrap();
    }
}
