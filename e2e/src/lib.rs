//! End-to-end test harness: starts the emulator (the local stand-in for the Bitrix24 Sites
//! editor) and a fresh Chromium through chromedriver, and drives the editor page and the app
//! inside the slider's iframe like a user would.
//!
//! Everything waits on conditions with a deadline ([`TIMEOUT`]); nothing sleeps for a fixed
//! time. Child processes run in their own process groups and are killed when their guard is
//! dropped, also while a failing test unwinds.
//!
//! Environment: `LBE_EMULATOR` (emulator binary), `LBE_DIST` (the app's release build),
//! `LBE_CHROMIUM` (browser binary), `LBE_CHROMEDRIVER` (driver binary).

pub mod nginx;

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::time::Instant;

/// How long any single condition may take to become true. Generous: the machine has two
/// cores shared with builds.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// Interval between two looks at a condition.
const POLL: Duration = Duration::from_millis(100);

// ---------------------------------------------------------------------------------------------
// Errors

/// A test failure with a readable message (`Debug` prints the message as is, so a test that
/// returns `Err` shows it verbatim).
#[derive(Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl Error {
    pub fn new(msg: impl Into<String>) -> Self {
        Error(msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<fantoccini::error::CmdError> for Error {
    fn from(e: fantoccini::error::CmdError) -> Self {
        Error(format!("webdriver: {e}"))
    }
}

impl From<fantoccini::error::NewSessionError> for Error {
    fn from(e: fantoccini::error::NewSessionError) -> Self {
        Error(format!("webdriver session: {e}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error(format!("io: {e}"))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error(format!("json: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// `Err(Error)` with a formatted message.
#[macro_export]
macro_rules! fail {
    ($($arg:tt)*) => {
        return Err($crate::Error(format!($($arg)*)))
    };
}

/// Like `assert!`, but returns `Err` so the session can save its diagnostics first.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($arg:tt)*) => {
        if !$cond {
            return Err($crate::Error(format!($($arg)*)));
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Waiting

/// Polls `probe` until it yields `Some`, for at most [`TIMEOUT`]. A probe's `Err` counts as
/// "not yet" (elements go stale while Leptos re-renders); the last one is reported on timeout.
pub async fn wait_until<T, F, Fut>(what: &str, probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    wait_until_for(what, TIMEOUT, probe).await
}

/// [`wait_until`] with an explicit deadline.
pub async fn wait_until_for<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let started = Instant::now();
    let deadline = started + timeout;
    let mut last: Option<String> = None;
    loop {
        match tokio::time::timeout_at(deadline, probe()).await {
            Ok(Ok(Some(v))) => return Ok(v),
            Ok(Ok(None)) => last = None,
            Ok(Err(e)) => last = Some(e.0),
            // Cut at the deadline: the previous observation is the informative one.
            Err(_) => {
                if last.is_none() {
                    last = Some("the last check itself did not finish in time".to_string());
                }
            }
        }
        if Instant::now() >= deadline {
            let why = last.map(|l| format!(" (last: {l})")).unwrap_or_default();
            fail!(
                "timed out after {}s waiting for {what}{why}",
                timeout.as_secs()
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Paths and files

/// The Cargo workspace (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// The cargo target directory (`CARGO_TARGET_DIR`, else the workspace's `target/`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                workspace_root().join(d)
            }
        }
        None => workspace_root().join("target"),
    }
}

/// The app's release build: `LBE_DIST` or `<workspace>/dist`; it must hold `index.html`.
pub fn dist_dir() -> Result<PathBuf> {
    let dir = std::env::var_os("LBE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("dist"));
    if !dir.join("index.html").is_file() {
        fail!(
            "the app's release build is missing: {} has no index.html. Run `scripts/build.sh` \
             in {} first (or point LBE_DIST at a build)",
            dir.display(),
            workspace_root().display()
        );
    }
    Ok(dir)
}

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

static TEMP_SEQ: AtomicU32 = AtomicU32::new(0);

impl TempDir {
    pub fn new(prefix: &str) -> Result<Self> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let seq = TEMP_SEQ.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "lbe-e2e-{prefix}-{}-{nanos}-{seq}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies a directory tree (files and directories only).
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let dest = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Processes

/// A child process in its own process group; the whole group is killed on drop, so that
/// Chromium (started by chromedriver) never outlives a test, even a panicking one.
pub struct Proc {
    child: Child,
    name: String,
}

impl Proc {
    pub fn spawn(name: &str, cmd: &mut Command) -> Result<Self> {
        cmd.process_group(0).kill_on_drop(true);
        let child = cmd
            .spawn()
            .map_err(|e| Error(format!("cannot start {name}: {e}")))?;
        Ok(Proc {
            child,
            name: name.to_string(),
        })
    }

    /// `Err` when the process has already exited (it should be running).
    pub fn check_running(&mut self) -> Result<()> {
        match self.child.try_wait() {
            Ok(Some(status)) => fail!("{} exited early: {status}", self.name),
            Ok(None) => Ok(()),
            Err(e) => fail!("cannot query {}: {e}", self.name),
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        // `id()` is None once the child has been reaped: then its group id may be reused.
        if let Some(pid) = self.child.id() {
            if let Ok(pgid) = i32::try_from(pid) {
                // SAFETY: kill(2) with a negative pid signals the process group we created with
                // process_group(0); it touches no memory of ours.
                unsafe {
                    libc::kill(-pgid, libc::SIGKILL);
                }
            }
        }
        let _ = self.child.start_kill();
    }
}

/// A port that was free a moment ago (for chromedriver, which cannot report an ephemeral one).
pub fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

// ---------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 client for loopback JSON endpoints (the emulator's control API, chromedriver).

/// An HTTP response: status code and body text.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub body: String,
}

impl HttpResponse {
    pub fn json(&self) -> Result<Value> {
        serde_json::from_str(&self.body).map_err(|e| {
            Error(format!(
                "response (HTTP {}) is not JSON: {e}: {}",
                self.status,
                clip(&self.body, 300)
            ))
        })
    }
}

/// Sends one request over a fresh connection (`addr` is `host:port`), waiting at most
/// [`TIMEOUT`] for the answer.
pub async fn http(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<HttpResponse> {
    http_within(TIMEOUT, addr, method, path, body).await
}

/// [`http`] with its own time limit.
pub async fn http_within(
    limit: Duration,
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<HttpResponse> {
    let fut = async {
        let mut stream = TcpStream::connect(addr).await?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             Accept: application/json\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        // Some servers (chromedriver) keep the connection open despite `Connection: close`:
        // stop as soon as the response is complete.
        let mut raw = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return parse_http_response(&raw);
            }
            raw.extend_from_slice(&chunk[..n]);
            if response_complete(&raw) {
                return parse_http_response(&raw);
            }
        }
    };
    match tokio::time::timeout(limit, fut).await {
        Ok(r) => r.map_err(|e| Error(format!("{method} http://{addr}{path}: {e}"))),
        Err(_) => fail!(
            "{method} http://{addr}{path}: no answer in {}s",
            limit.as_secs()
        ),
    }
}

/// Whether `raw` holds a whole response (by Content-Length or the last chunk).
fn response_complete(raw: &[u8]) -> bool {
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let body = &raw[split + 4..];
    for line in head.split("\r\n") {
        if let Some(v) = line.strip_prefix("content-length:") {
            return v.trim().parse::<usize>().is_ok_and(|n| body.len() >= n);
        }
        if line.starts_with("transfer-encoding:") && line.contains("chunked") {
            return dechunk(body).is_ok();
        }
    }
    false
}

fn parse_http_response(raw: &[u8]) -> Result<HttpResponse> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| Error::new("incomplete HTTP response"))?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| Error(format!("bad status line {status_line:?}")))?;
    let mut chunked = false;
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            if k.trim().eq_ignore_ascii_case("transfer-encoding")
                && v.to_ascii_lowercase().contains("chunked")
            {
                chunked = true;
            }
        }
    }
    if chunked {
        body = dechunk(&body)?;
    }
    Ok(HttpResponse {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| Error::new("bad chunked body"))?;
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| Error(format!("bad chunk size {size_text:?}")))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size {
            fail!("truncated chunk");
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
}

/// At most `n` characters of `s`, for error messages.
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n).collect();
        format!("{cut}…")
    }
}

// ---------------------------------------------------------------------------------------------
// The emulator

/// How to start the emulator.
#[derive(Debug, Clone, Default)]
pub struct EmuOptions {
    /// Served on the app address; `None` = the app's release build ([`dist_dir`]).
    pub app_dir: Option<PathBuf>,
    /// Further command-line flags, e.g. `["--token-lifetime", "5"]`.
    pub extra_args: Vec<String>,
}

/// A running emulator on ephemeral ports.
pub struct Emulator {
    _proc: Proc,
    /// `host:port` of the editor (page, REST and control endpoint).
    pub addr: String,
    /// The editor page's URL, e.g. `http://127.0.0.1:41234/`.
    pub editor_url: String,
    /// The app host's URL (serves the app directory).
    pub app_url: String,
}

/// The emulator binary: `LBE_EMULATOR`, or `<target>/debug/emulator`, built with
/// `cargo build -p emulator` when it is missing or older than the emulator's sources.
pub fn emulator_binary() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("LBE_EMULATOR") {
        let p = PathBuf::from(p);
        ensure!(p.is_file(), "LBE_EMULATOR={} is not a file", p.display());
        return Ok(p);
    }
    let bin = target_dir().join("debug").join("emulator");
    let built = std::fs::metadata(&bin).and_then(|m| m.modified()).ok();
    let sources = newest_mtime(&workspace_root().join("emulator"));
    let stale = match (built, sources) {
        (Some(b), Some(s)) => s > b,
        (Some(_), None) => false,
        (None, _) => true,
    };
    if stale {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let status = std::process::Command::new(cargo)
            .args(["build", "-p", "emulator", "--bin", "emulator"])
            .current_dir(workspace_root())
            .stdout(Stdio::null())
            .status()
            .map_err(|e| Error(format!("cannot run cargo build -p emulator: {e}")))?;
        ensure!(
            status.success(),
            "`cargo build -p emulator` failed ({status}); the e2e tests need the emulator binary"
        );
    }
    ensure!(bin.is_file(), "no emulator binary at {}", bin.display());
    Ok(bin)
}

/// Newest modification time among the emulator's sources (src, assets, fixtures, Cargo.toml).
fn newest_mtime(crate_dir: &Path) -> Option<SystemTime> {
    fn walk(p: &Path, best: &mut Option<SystemTime>) {
        let Ok(meta) = std::fs::metadata(p) else {
            return;
        };
        if meta.is_dir() {
            if let Ok(rd) = std::fs::read_dir(p) {
                for e in rd.flatten() {
                    walk(&e.path(), best);
                }
            }
        } else if let Ok(m) = meta.modified() {
            if best.is_none_or(|b| m > b) {
                *best = Some(m);
            }
        }
    }
    let mut best = None;
    for part in ["src", "assets", "fixtures", "Cargo.toml"] {
        walk(&crate_dir.join(part), &mut best);
    }
    best
}

impl Emulator {
    /// Starts the emulator and waits for its `EMULATOR_READY` line. Its output goes to
    /// `<log_dir>/emulator.log`.
    pub async fn start(log_dir: &Path, opts: &EmuOptions) -> Result<Self> {
        let bin = emulator_binary()?;
        let app_dir = match &opts.app_dir {
            Some(d) => d.clone(),
            None => dist_dir()?,
        };
        let log_path = log_dir.join("emulator.log");
        let log = std::fs::File::create(&log_path)?;
        let mut cmd = Command::new(&bin);
        cmd.arg("--addr")
            .arg("127.0.0.1:0")
            .arg("--app-addr")
            .arg("127.0.0.1:0")
            .arg("--app-dir")
            .arg(&app_dir)
            .args(&opts.extra_args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log.try_clone()?));
        let mut proc = Proc::spawn("emulator", &mut cmd)?;
        let stdout = proc
            .child
            .stdout
            .take()
            .ok_or_else(|| Error::new("emulator: no stdout pipe"))?;
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(TIMEOUT, async {
            while let Some(line) = lines.next_line().await? {
                log_line(&log, &line);
                if let Some(rest) = line.trim().strip_prefix("EMULATOR_READY") {
                    return Ok(Some(rest.to_string()));
                }
            }
            Ok::<_, std::io::Error>(None)
        })
        .await;
        let rest = match ready {
            Ok(Ok(Some(rest))) => rest,
            Ok(Ok(None)) => fail!(
                "the emulator exited before it was ready; see {}",
                log_path.display()
            ),
            Ok(Err(e)) => fail!("reading the emulator's stdout: {e}"),
            Err(_) => fail!(
                "the emulator printed no EMULATOR_READY line in {}s; see {}",
                TIMEOUT.as_secs(),
                log_path.display()
            ),
        };
        // Keep draining stdout so the emulator never blocks on a full pipe.
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                log_line(&log, &line);
            }
        });
        let field = |name: &str| {
            rest.split_whitespace()
                .find_map(|kv| kv.strip_prefix(name))
                .map(str::to_string)
        };
        let editor_url = field("editor=")
            .ok_or_else(|| Error(format!("EMULATOR_READY line without editor=: {rest}")))?;
        let app_url = field("app=")
            .ok_or_else(|| Error(format!("EMULATOR_READY line without app=: {rest}")))?;
        let addr = host_port(&editor_url)
            .ok_or_else(|| Error(format!("cannot read host:port from {editor_url}")))?;
        Ok(Emulator {
            _proc: proc,
            addr,
            editor_url,
            app_url,
        })
    }

    /// A control-endpoint call; `Err` unless the answer is 2xx JSON (or empty).
    pub async fn control(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let r = http(&self.addr, method, path, body).await?;
        ensure!(
            (200..300).contains(&r.status),
            "{method} {path} answered HTTP {}: {}",
            r.status,
            clip(&r.body, 300)
        );
        if r.body.trim().is_empty() {
            return Ok(Value::Null);
        }
        r.json()
    }

    /// `GET /_emulator/state`.
    pub async fn state(&self) -> Result<Value> {
        self.control("GET", "/_emulator/state", None).await
    }

    /// `POST /_emulator/faults`.
    pub async fn set_faults(&self, faults: Value) -> Result<()> {
        self.control("POST", "/_emulator/faults", Some(&faults))
            .await
            .map(drop)
    }

    /// `DELETE /_emulator/faults`.
    pub async fn clear_faults(&self) -> Result<()> {
        self.control("DELETE", "/_emulator/faults", None)
            .await
            .map(drop)
    }

    /// `POST /_emulator/expire-tokens`.
    pub async fn expire_tokens(&self) -> Result<()> {
        self.control("POST", "/_emulator/expire-tokens", Some(&json!({})))
            .await
            .map(drop)
    }

    /// `POST /_emulator/bind`.
    pub async fn bind(&self, placement: &str, handler: &str, title: &str) -> Result<()> {
        let body = json!({"placement": placement, "handler": handler, "title": title});
        self.control("POST", "/_emulator/bind", Some(&body))
            .await
            .map(drop)
    }

    /// The stored draft HTML of a block, from the state.
    pub async fn block_content(&self, id: u64) -> Result<String> {
        let state = self.state().await?;
        state_block(&state, id)
            .and_then(|b| b.get("content"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error(format!("no block {id} with content in /_emulator/state")))
    }
}

fn log_line(mut log: &std::fs::File, line: &str) {
    use std::io::Write;
    let _ = writeln!(log, "{line}");
}

/// `http://127.0.0.1:8090/x` → `127.0.0.1:8090`.
pub fn host_port(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let hp = rest.split('/').next()?;
    (!hp.is_empty()).then(|| hp.to_string())
}

/// The block with this id in a `/_emulator/state` answer.
pub fn state_block(state: &Value, id: u64) -> Option<&Value> {
    state
        .get("blocks")?
        .as_array()?
        .iter()
        .find(|b| json_id(b.get("id")) == Some(id))
}

/// A JSON number or numeric string as an id.
pub fn json_id(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Entries of `state.frame_log` with this command.
pub fn frame_commands<'a>(state: &'a Value, command: &str) -> Vec<&'a Value> {
    log_entries(state, "frame_log")
        .into_iter()
        .filter(|e| e.get("command").and_then(Value::as_str) == Some(command))
        .collect()
}

/// Entries of `state.rest_log` for this method (compared case-insensitively).
pub fn rest_calls<'a>(state: &'a Value, method: &str) -> Vec<&'a Value> {
    log_entries(state, "rest_log")
        .into_iter()
        .filter(|e| {
            e.get("method")
                .and_then(Value::as_str)
                .is_some_and(|m| m.trim_end_matches(".json").eq_ignore_ascii_case(method))
        })
        .collect()
}

fn log_entries<'a>(state: &'a Value, key: &str) -> Vec<&'a Value> {
    state
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// A REST log entry's HTTP status.
pub fn rest_status(entry: &Value) -> Option<u64> {
    entry.get("status").and_then(Value::as_u64)
}

// ---------------------------------------------------------------------------------------------
// Fixtures

/// One block fixture as the emulator seeds it.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Block id on page 1: 101.. in file-name order.
    pub id: u64,
    pub file: String,
    pub code: String,
    pub manifest: Value,
    pub content: String,
}

/// The emulator's block fixtures, in the order (and with the ids) it seeds them.
pub fn fixtures() -> Result<Vec<Fixture>> {
    let dir = workspace_root().join("emulator/fixtures/blocks");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| Error(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for (i, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path)?;
        let v: Value =
            serde_json::from_str(&text).map_err(|e| Error(format!("{}: {e}", path.display())))?;
        let s = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| Error(format!("{}: no string {k:?}", path.display())))
        };
        out.push(Fixture {
            id: 101 + i as u64,
            file: path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            code: s("code")?,
            content: s("content")?,
            manifest: v.get("manifest").cloned().unwrap_or(Value::Null),
        });
    }
    ensure!(!out.is_empty(), "no fixtures in {}", dir.display());
    Ok(out)
}

/// The fixture with this block code.
pub fn fixture(code: &str) -> Result<Fixture> {
    fixtures()?
        .into_iter()
        .find(|f| f.code == code)
        .ok_or_else(|| Error(format!("no fixture with code {code}")))
}

// ---------------------------------------------------------------------------------------------
// The browser

/// Chromium driven through a chromedriver of our own, with a fresh profile.
pub struct Browser {
    client: Option<Client>,
    /// `host:port` of our chromedriver (for its vendor endpoints, see [`Browser::cdp`]).
    driver_addr: String,
    _driver: Proc,
    _profile: TempDir,
}

impl Browser {
    pub async fn start(log_dir: &Path) -> Result<Self> {
        Browser::start_with_args(log_dir, &[]).await
    }

    /// [`Browser::start`] with further Chromium flags, e.g. `--enable-precise-memory-info`.
    pub async fn start_with_args(log_dir: &Path, extra_args: &[&str]) -> Result<Self> {
        let profile = TempDir::new("profile")?;
        let port = free_port()?;
        let driver_bin =
            std::env::var("LBE_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_string());
        let chromium = std::env::var("LBE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut cmd = Command::new(&driver_bin);
        cmd.arg(format!("--port={port}"))
            .arg(format!(
                "--log-path={}",
                log_dir.join("chromedriver.log").display()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut driver = Proc::spawn("chromedriver", &mut cmd)?;
        let addr = format!("127.0.0.1:{port}");
        wait_until("chromedriver to answer /status", || {
            let running = driver.check_running();
            let addr = addr.clone();
            async move {
                running?;
                let r = http_within(Duration::from_secs(5), &addr, "GET", "/status", None).await?;
                let ready = r.json()?.pointer("/value/ready").and_then(Value::as_bool);
                Ok((r.status == 200 && ready == Some(true)).then_some(()))
            }
        })
        .await?;
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let args: Vec<String> = args
            .into_iter()
            .chain(extra_args.iter().map(|a| a.to_string()))
            .collect();
        let caps = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            // Keeps the console of every frame for `console_entries`.
            "goog:loggingPrefs": {"browser": "ALL"},
        });
        let caps = match caps {
            Value::Object(m) => m,
            _ => fail!("capabilities are not an object"),
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let connect = async {
            ClientBuilder::new(connector)
                .capabilities(caps)
                .connect(&format!("http://{addr}"))
                .await
        };
        let client = match tokio::time::timeout(Duration::from_secs(90), connect).await {
            Ok(c) => c?,
            Err(_) => fail!("chromedriver did not start a Chromium session in 90s"),
        };
        Ok(Browser {
            client: Some(client),
            driver_addr: addr,
            _driver: driver,
            _profile: profile,
        })
    }

    /// A chromedriver endpoint of this session that fantoccini has no call for.
    async fn session_path(&self, endpoint: &str) -> Result<String> {
        let session = self
            .client()?
            .session_id()
            .await?
            .ok_or_else(|| Error::new("no WebDriver session"))?;
        Ok(format!("/session/{session}/{endpoint}"))
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver (`goog/cdp/execute`) and
    /// returns its result, e.g. `Page.addScriptToEvaluateOnNewDocument`, which runs a script
    /// in every frame before the frame's own scripts.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        let path = self.session_path("goog/cdp/execute").await?;
        let body = json!({"cmd": cmd, "params": params});
        let r = http(&self.driver_addr, "POST", &path, Some(&body)).await?;
        let v = r.json()?;
        ensure!(
            r.status == 200,
            "CDP {cmd} answered HTTP {}: {}",
            r.status,
            clip(&r.body, 300)
        );
        Ok(v.get("value").cloned().unwrap_or(Value::Null))
    }

    /// The browser console's entries (every frame, errors and warnings included, CSP
    /// violations and failed loads among them) since the last call: chromedriver's log
    /// endpoint, which hands each entry out once.
    pub async fn console_entries(&self) -> Result<Vec<Value>> {
        let path = self.session_path("se/log").await?;
        let r = http(
            &self.driver_addr,
            "POST",
            &path,
            Some(&json!({"type": "browser"})),
        )
        .await?;
        ensure!(
            r.status == 200,
            "the browser log answered HTTP {}: {}",
            r.status,
            clip(&r.body, 300)
        );
        Ok(r.json()?
            .get("value")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default())
    }

    pub fn client(&self) -> Result<&Client> {
        self.client
            .as_ref()
            .ok_or_else(|| Error::new("the browser session is closed"))
    }

    /// Ends the WebDriver session (Chromium quits); the driver is killed on drop.
    pub async fn close(&mut self) {
        if let Some(c) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(15), c.close()).await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A test session: emulator + browser + page helpers

/// Which status the app shows after a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warning,
    Error,
}

impl Status {
    fn class(self) -> &'static str {
        match self {
            Status::Ok => "status-ok",
            Status::Warning => "status-warning",
            Status::Error => "status-error",
        }
    }
}

/// One test's world. Create with [`Session::start`], end with [`Session::finish`].
pub struct Session {
    pub name: String,
    pub log_dir: PathBuf,
    pub emu: Emulator,
    pub browser: Browser,
}

impl Session {
    /// Starts an emulator and a browser; logs go to `<target>/e2e-logs/<name>/`.
    pub async fn start(name: &str, opts: EmuOptions) -> Result<Self> {
        Session::start_with_browser_args(name, opts, &[]).await
    }

    /// [`Session::start`] with further Chromium flags.
    pub async fn start_with_browser_args(
        name: &str,
        opts: EmuOptions,
        browser_args: &[&str],
    ) -> Result<Self> {
        let log_dir = target_dir().join("e2e-logs").join(name);
        let _ = std::fs::remove_dir_all(&log_dir);
        std::fs::create_dir_all(&log_dir)?;
        let emu = Emulator::start(&log_dir, &opts).await?;
        let browser = Browser::start_with_args(&log_dir, browser_args).await?;
        Ok(Session {
            name: name.to_string(),
            log_dir,
            emu,
            browser,
        })
    }

    /// Ends the session. On `Err` it first saves a screenshot, both documents and the
    /// emulator's state into the log directory, and names it in the error.
    pub async fn finish(mut self, result: Result<()>) -> Result<()> {
        let result = match result {
            Ok(()) => Ok(()),
            Err(e) => {
                self.save_diagnostics().await;
                Err(Error(format!(
                    "{e}\n(diagnostics: {})",
                    self.log_dir.display()
                )))
            }
        };
        self.browser.close().await;
        result
    }

    async fn save_diagnostics(&self) {
        let dir = &self.log_dir;
        if let Ok(state) = self.emu.state().await {
            let text = serde_json::to_string_pretty(&state).unwrap_or_default();
            let _ = std::fs::write(dir.join("state.json"), text);
        }
        let Ok(c) = self.client() else { return };
        let _ = self.to_page().await;
        if let Ok(Ok(png)) = tokio::time::timeout(Duration::from_secs(10), c.screenshot()).await {
            let _ = std::fs::write(dir.join("screenshot.png"), png);
        }
        if let Ok(Ok(src)) = tokio::time::timeout(Duration::from_secs(10), c.source()).await {
            let _ = std::fs::write(dir.join("page.html"), src);
        }
        if tokio::time::timeout(Duration::from_secs(10), self.enter_app_frame())
            .await
            .is_ok_and(|r| r.is_ok())
        {
            if let Ok(Ok(src)) = tokio::time::timeout(Duration::from_secs(10), c.source()).await {
                let _ = std::fs::write(dir.join("app.html"), src);
            }
            let _ = self.to_page().await;
        }
    }

    pub fn client(&self) -> Result<&Client> {
        self.browser.client()
    }

    // ----- navigation and frames

    /// Opens the editor page (`query` like `"?lang=ru"` or `""`) and waits for its blocks.
    pub async fn open_editor(&self, query: &str) -> Result<()> {
        let c = self.client()?;
        let url = format!("{}{query}", self.emu.editor_url);
        c.goto(&url).await?;
        wait_until("the editor page to show its blocks", || async {
            Ok((!c.find_all(Locator::Css(".emu-block")).await?.is_empty()).then_some(()))
        })
        .await
    }

    /// Back to the editor page's document (the slider's iframe is one level deep; switching to
    /// the parent at the top level is a no-op).
    pub async fn to_page(&self) -> Result<()> {
        self.client()?.enter_parent_frame().await?;
        Ok(())
    }

    /// Switches into the slider's iframe (from the editor page's document).
    pub async fn enter_app_frame(&self) -> Result<()> {
        let c = self.client()?;
        self.to_page().await?;
        let frame = wait_until("the slider's iframe", || async {
            let f = c.find(Locator::Css("iframe#emu-slider-frame")).await?;
            Ok(Some(f))
        })
        .await?;
        frame.enter_frame().await?;
        Ok(())
    }

    /// In the editor page: hovers block `id` and clicks More; returns once its menu shows.
    async fn open_more_menu(&self, id: u64) -> Result<()> {
        let c = self.client()?;
        self.to_page().await?;
        let block_css = format!(".emu-block[data-id='{id}']");
        let block = c
            .find(Locator::Css(&block_css))
            .await
            .map_err(|e| Error(format!("no block {id} on the editor page: {e}")))?;
        // Centred, the block's middle is inside the viewport even for blocks taller than it,
        // and clear of the editor's sticky top bar.
        c.execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&block)?],
        )
        .await?;
        let hover = MouseActions::new("mouse".to_string()).then(PointerAction::MoveToElement {
            element: block.clone(),
            duration: None,
            x: 0.0,
            y: 0.0,
        });
        c.perform_actions(hover).await?;
        let more_css = format!("{block_css} button.emu-more");
        let more = wait_until("the block's More button to show on hover", || async {
            let b = c.find(Locator::Css(&more_css)).await?;
            Ok(b.is_displayed().await?.then_some(b))
        })
        .await?;
        more.click().await?;
        let menu_css = format!("{block_css} .emu-menu");
        wait_until("the More menu to open", || async {
            let m = c.find(Locator::Css(&menu_css)).await?;
            Ok(m.is_displayed().await?.then_some(()))
        })
        .await
    }

    /// The item titles in block `id`'s More menu as the editor shows them now (none when it
    /// says "No applications"). Closes the menu again.
    pub async fn more_menu_titles(&self, id: u64) -> Result<Vec<String>> {
        self.open_more_menu(id).await?;
        let c = self.client()?;
        let mut titles = Vec::new();
        let items_css = format!(".emu-block[data-id='{id}'] .emu-menu a.emu-menu-item");
        for a in c.find_all(Locator::Css(&items_css)).await? {
            titles.push(a.text().await?.trim().to_string());
        }
        c.execute(
            "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}));",
            vec![],
        )
        .await?;
        Ok(titles)
    }

    /// In the editor page: hovers block `id`, clicks More, then the menu item `title`, and
    /// waits for the slider. Ends inside the slider's iframe.
    pub async fn open_from_more_menu(&self, id: u64, title: &str) -> Result<()> {
        let c = self.client()?;
        self.open_more_menu(id).await?;
        let item = wait_until(&format!("the More menu item {title:?}"), || async {
            let mut seen = Vec::new();
            for a in c
                .find_all(Locator::Css(".emu-menu a.emu-menu-item"))
                .await?
            {
                if !a.is_displayed().await? {
                    continue;
                }
                let t = a.text().await?;
                if t.trim() == title {
                    return Ok(Some(a));
                }
                seen.push(t);
            }
            fail!("visible items: {seen:?}")
        })
        .await?;
        item.click().await?;
        wait_until("the slider to open", || async {
            let s = c.find(Locator::Css("#emu-slider")).await?;
            Ok(s.is_displayed().await?.then_some(()))
        })
        .await?;
        self.enter_app_frame().await
    }

    /// Opens the app's own page from the editor's application list and waits until it shows
    /// its title. Ends inside the app's frame.
    pub async fn open_app_page(&self) -> Result<()> {
        let c = self.client()?;
        self.to_page().await?;
        self.click("#emu-app-open").await?;
        wait_until("the slider to open", || async {
            let s = c.find(Locator::Css("#emu-slider")).await?;
            Ok(s.is_displayed().await?.then_some(()))
        })
        .await?;
        self.enter_app_frame().await?;
        self.wait_app_form().await
    }

    /// Opens the app for block `id` from the More menu ("Block editor") and waits until it
    /// shows the form. Ends inside the app's frame.
    pub async fn open_app(&self, id: u64) -> Result<()> {
        self.open_from_more_menu(id, "Block editor").await?;
        self.wait_app_form().await
    }

    /// Inside the app: waits for the editor form; fails at once on `.screen-problem`.
    pub async fn wait_app_form(&self) -> Result<()> {
        let c = self.client()?;
        let problem = wait_until("the app to show its form", || async {
            if let Ok(p) = c.find(Locator::Css(".screen-problem")).await {
                return Ok(Some(Some(p.text().await?)));
            }
            let names = c.find_all(Locator::Css(".block-name")).await?;
            Ok((!names.is_empty()).then_some(None))
        })
        .await?;
        if let Some(text) = problem {
            fail!("the app shows a problem screen: {}", clip(&text, 400));
        }
        Ok(())
    }

    /// Waits until the slider is closed (editor page context afterwards).
    pub async fn wait_slider_closed(&self) -> Result<()> {
        let c = self.client()?;
        self.to_page().await?;
        wait_until("the slider to close", || async {
            let open = match c.find(Locator::Css("#emu-slider")).await {
                Ok(s) => s.is_displayed().await?,
                Err(_) => false,
            };
            Ok((!open).then_some(()))
        })
        .await
    }

    /// Whether the slider is open now (editor page context).
    pub async fn slider_open(&self) -> Result<bool> {
        let c = self.client()?;
        match c.find(Locator::Css("#emu-slider")).await {
            Ok(s) => Ok(s.is_displayed().await?),
            Err(_) => Ok(false),
        }
    }

    // ----- elements

    /// Waits for a displayed element matching `css` in the current document.
    pub async fn wait_visible(&self, css: &str) -> Result<Element> {
        let c = self.client()?;
        wait_until(&format!("{css} to be visible"), || async {
            let e = c.find(Locator::Css(css)).await?;
            Ok(e.is_displayed().await?.then_some(e))
        })
        .await
    }

    /// Waits until nothing matching `css` is displayed in the current document.
    pub async fn wait_hidden(&self, css: &str) -> Result<()> {
        let c = self.client()?;
        wait_until(&format!("{css} to go away"), || async {
            for e in c.find_all(Locator::Css(css)).await? {
                if e.is_displayed().await? {
                    return Ok(None);
                }
            }
            Ok(Some(()))
        })
        .await
    }

    /// All elements matching `css` now.
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        Ok(self.client()?.find_all(Locator::Css(css)).await?)
    }

    /// Waits until `css` is visible and enabled, then clicks it.
    pub async fn click(&self, css: &str) -> Result<()> {
        let c = self.client()?;
        let e = wait_until(&format!("{css} to be clickable"), || async {
            let e = c.find(Locator::Css(css)).await?;
            Ok((e.is_displayed().await? && e.is_enabled().await?).then_some(e))
        })
        .await?;
        e.click().await?;
        Ok(())
    }

    /// Clears the control matching `css` and types `text` into it (real key events), then
    /// waits until the control holds exactly `text`.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let c = self.client()?;
        let e = wait_until(&format!("{css} to be editable"), || async {
            let e = c.find(Locator::Css(css)).await?;
            Ok((e.is_displayed().await? && e.is_enabled().await?).then_some(e))
        })
        .await?;
        e.clear().await?;
        e.send_keys(text).await?;
        wait_until(&format!("{css} to hold the typed text"), || async {
            let e = c.find(Locator::Css(css)).await?;
            let v = e.prop("value").await?.unwrap_or_default();
            if v == text {
                Ok(Some(()))
            } else {
                fail!("value is {:?}", clip(&v, 200))
            }
        })
        .await
    }

    /// The `value` property of the control matching `css`.
    pub async fn value_of(&self, css: &str) -> Result<String> {
        let e = self.client()?.find(Locator::Css(css)).await?;
        Ok(e.prop("value").await?.unwrap_or_default())
    }

    /// The text of the element matching `css`.
    pub async fn text_of(&self, css: &str) -> Result<String> {
        let e = self.client()?.find(Locator::Css(css)).await?;
        Ok(e.text().await?)
    }

    /// Runs a script in the current document and returns its value.
    pub async fn js(&self, script: &str) -> Result<Value> {
        Ok(self.client()?.execute(script, vec![]).await?)
    }

    /// Formatted text fields show their HTML from the start (the expert toggle on, as a user
    /// can leave it), for tests that type markup into text nodes: set in every frame's
    /// storage before its scripts run.
    pub async fn text_as_html(&self) -> Result<()> {
        let source = "try { localStorage.setItem('lbe-text-expert', 'on'); } catch (e) {}";
        self.browser
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": source }),
            )
            .await
            .map(|_| ())
    }

    /// The outer HTML of block `id` on the editor page (editor page context).
    pub async fn page_block_html(&self, id: u64) -> Result<String> {
        let e = self
            .client()?
            .find(Locator::Css(&format!(".emu-block[data-id='{id}']")))
            .await?;
        Ok(e.html(false).await?)
    }

    /// Inside the app: waits for a final save status. Fails at once when a status from
    /// `fail_on` shows instead.
    pub async fn wait_status(&self, want: Status, fail_on: &[Status]) -> Result<String> {
        let c = self.client()?;
        let all = [Status::Ok, Status::Warning, Status::Error];
        let (got, text) = wait_until(&format!("the app's .{} status", want.class()), || async {
            let mut seen = None;
            for s in all {
                let els = c
                    .find_all(Locator::Css(&format!(".status .{}", s.class())))
                    .await?;
                for e in els {
                    if e.is_displayed().await? {
                        let t = e.text().await?;
                        if s == want {
                            return Ok(Some((s, t)));
                        }
                        seen = Some((s, t));
                    }
                }
            }
            match seen {
                Some((s, t)) if fail_on.contains(&s) => Ok(Some((s, t))),
                Some((s, t)) => fail!("status is .{}: {}", s.class(), clip(&t, 200)),
                None => Ok(None),
            }
        })
        .await?;
        ensure!(
            got == want,
            "the app shows .{} ({}) instead of .{}",
            got.class(),
            clip(&text, 300),
            want.class()
        );
        Ok(text)
    }
}

/// A CSS selector for the field with this data-key, e.g. `field_css(".x", 0)`.
pub fn field_css(selector: &str, n: usize) -> String {
    format!(".field[data-key='{selector}@{n}']")
}

/// Polls the emulator state until `pred` holds (returns that state). `pred` says why not.
pub async fn wait_state<F>(emu: &Emulator, what: &str, pred: F) -> Result<Value>
where
    F: Fn(&Value) -> std::result::Result<(), String>,
{
    let pred = &pred;
    wait_until(what, move || async move {
        let state = emu.state().await?;
        match pred(&state) {
            Ok(()) => Ok(Some(state)),
            Err(why) => Err(Error(why)),
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_chunked_responses() {
        let r = parse_http_response(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}").unwrap();
        assert_eq!((r.status, r.body.as_str()), (200, "{}"));
        let raw = b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
        let r = parse_http_response(raw).unwrap();
        assert_eq!((r.status, r.body.as_str()), (404, "abcde"));
        assert!(parse_http_response(b"HTTP/1.1 200").is_err());
        assert!(response_complete(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
        ));
        assert!(!response_complete(
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n{}"
        ));
        assert!(response_complete(raw));
        assert!(!response_complete(&raw[..raw.len() - 5]));
        assert!(!response_complete(b"HTTP/1.1 200 OK\r\n\r\nxx"));
    }

    #[test]
    fn reads_host_port_and_ids() {
        assert_eq!(
            host_port("http://127.0.0.1:4000/x?y").as_deref(),
            Some("127.0.0.1:4000")
        );
        assert_eq!(host_port("ftp://x"), None);
        assert_eq!(json_id(Some(&json!("12"))), Some(12));
        assert_eq!(json_id(Some(&json!(7))), Some(7));
        assert_eq!(json_id(Some(&json!(null))), None);
    }

    #[test]
    fn fixtures_get_ids_in_file_name_order() {
        let f = fixtures().unwrap();
        let ids: Vec<(u64, &str)> = f.iter().map(|f| (f.id, f.code.as_str())).collect();
        assert_eq!(ids[0], (101, "04.1.one_col_fix_with_title"));
        assert_eq!(ids[2], (103, "31.1.two_cols_text_img"));
        assert_eq!(ids[4], (105, "44.7.three_columns_with_img_and_price"));
        assert_eq!(ids.len(), 6);
    }
}
