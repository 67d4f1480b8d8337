//! The emulator under load: concurrent saves from several clients end in a consistent stored
//! state, and the state file survives the process being killed at any moment.

mod common;

use common::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// 31.1.two_cols_text_img: one title.
const TEXT_IMG: u64 = 103;
/// 43.4.cover_with_price_text_button_bgimg: ten cards, each with a title.
const COVER: u64 = 104;
const TITLE: &str = ".landing-block-node-title";
const CARD_TITLE: &str = ".landing-block-node-card-title";

const CLIENTS: usize = 8;
const SAVES_PER_CLIENT: usize = 25;

/// Lifts the rate limit: every client is the same portal member, and the test is about
/// concurrent writes, not about the leaky bucket.
async fn unlimited(addr: SocketAddr) {
    let r = post_json(
        addr,
        "/_emulator/faults",
        &json!({"bucket": {"capacity": 1e9, "per_sec": 1e9}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

async fn save(addr: SocketAddr, auth: &str, block: u64, key: &str, value: &str) -> Resp {
    rest(
        addr,
        "landing.block.updatenodes",
        auth,
        json!({"lid": 1, "block": block, "data": {key: value}}),
    )
    .await
}

/// The stored draft of `block` in a state file's JSON.
fn file_draft(state: &Value, block: u64) -> Option<String> {
    state["blocks"]
        .as_array()?
        .iter()
        .find(|b| b["id"] == json!(block))?["draft"]
        .as_str()
        .map(str::to_string)
}

fn read_state_file(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("state file readable");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("state file is not JSON ({e})"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_of_one_node_leave_exactly_one_of_them_stored_and_persisted() {
    let dir = temp_dir("load-same");
    let state_file = dir.join("state.json");
    let path = state_file.clone();
    let emu = start_with(move |c| c.state_file = Some(path)).await;
    let addr = emu.editor_addr;
    unlimited(addr).await;
    let original = draft(addr, TEXT_IMG).await;

    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (_, auth, _) = open(addr, TEXT_IMG).await;
        clients.push(tokio::spawn(async move {
            for s in 0..SAVES_PER_CLIENT {
                let r = save(
                    addr,
                    &auth,
                    TEXT_IMG,
                    TITLE,
                    &format!("client {c} save {s}"),
                )
                .await;
                assert_eq!(r.status, 200, "client {c} save {s}: {}", r.body);
                assert_eq!(r.json()["result"], json!(true));
            }
        }));
    }
    for c in clients {
        c.await.expect("client task");
    }

    let stored = draft(addr, TEXT_IMG).await;
    let titles = texts_of(&stored, TITLE);
    assert_eq!(titles.len(), 1, "one title element: {stored}");
    // Each client waits for its answer before it saves again, so the write applied last
    // is the last save of one of the clients.
    let last_saves: Vec<String> = (0..CLIENTS)
        .map(|c| format!("client {c} save {}", SAVES_PER_CLIENT - 1))
        .collect();
    assert!(
        last_saves.contains(&titles[0]),
        "final title {:?} is not any client's last save",
        titles[0]
    );
    // Nothing but the title changed: put the original title back and compare.
    let original_title = texts_of(&original, TITLE).remove(0);
    let restored = stored.replacen(&titles[0], &original_title, 1);
    assert_eq!(
        texts_of(&restored, "*"),
        texts_of(&original, "*"),
        "other nodes changed"
    );
    // The state file holds exactly what the emulator serves.
    let file = read_state_file(&state_file);
    assert_eq!(
        file_draft(&file, TEXT_IMG).as_deref(),
        Some(stored.as_str())
    );
    println!(
        "concurrent saves of one node: {CLIENTS} clients x {SAVES_PER_CLIENT} saves, final {:?}",
        titles[0]
    );
    emu.stop().await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_of_different_nodes_lose_no_update() {
    let dir = temp_dir("load-diff");
    let state_file = dir.join("state.json");
    let path = state_file.clone();
    let emu = start_with(move |c| c.state_file = Some(path)).await;
    let addr = emu.editor_addr;
    unlimited(addr).await;
    let cards = texts_of(&draft(addr, COVER).await, CARD_TITLE).len();
    assert!(cards >= CLIENTS, "block {COVER} has {cards} card titles");

    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (_, auth, _) = open(addr, COVER).await;
        clients.push(tokio::spawn(async move {
            let key = format!("{CARD_TITLE}@{c}");
            for s in 0..SAVES_PER_CLIENT {
                let r = save(addr, &auth, COVER, &key, &format!("card {c} v{s}")).await;
                assert_eq!(r.status, 200, "client {c} save {s}: {}", r.body);
                // Reads in between must always see a whole block.
                let read = rest(
                    addr,
                    "landing.block.getcontent",
                    &auth,
                    json!({"lid": 1, "block": COVER, "editMode": 1}),
                )
                .await;
                assert_eq!(read.status, 200, "{}", read.body);
                let html = read.json()["result"]["content"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                assert_eq!(texts_of(&html, CARD_TITLE).len(), cards);
            }
        }));
    }
    for c in clients {
        c.await.expect("client task");
    }

    let stored = draft(addr, COVER).await;
    let titles = texts_of(&stored, CARD_TITLE);
    for (c, title) in titles.iter().enumerate().take(CLIENTS) {
        assert_eq!(
            title,
            &format!("card {c} v{}", SAVES_PER_CLIENT - 1),
            "card {c} lost an update"
        );
    }
    let file = read_state_file(&state_file);
    assert_eq!(file_draft(&file, COVER).as_deref(), Some(stored.as_str()));
    println!(
        "concurrent saves of different nodes: {CLIENTS} clients x {SAVES_PER_CLIENT} saves \
         (+ as many reads), no update lost"
    );
    emu.stop().await;
    std::fs::remove_dir_all(&dir).ok();
}

// ---------------------------------------------------------------------------------------------
// Kill -9 while saving

const KILLS: usize = 40;
const WRITERS: usize = 4;

/// A small deterministic generator, seeded from the clock (the seed is printed).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Starts the emulator binary on `state` and waits for its READY line.
async fn spawn_emulator(state: &Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_emulator"))
        .args(["--addr", "127.0.0.1:0", "--state"])
        .arg(state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("emulator starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    tokio::time::timeout(
        Duration::from_secs(20),
        BufReader::new(stdout).read_line(&mut line),
    )
    .await
    .expect("READY within 20 s")
    .expect("read READY");
    let addr = line
        .trim()
        .strip_prefix("EMULATOR_READY editor=http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("not a READY line: {line:?}"))
        .parse()
        .expect("editor address");
    (child, addr)
}

/// What a writer saw: the last value the emulator acknowledged and the one it was sending
/// when the process died (if any).
#[derive(Clone, Debug, Default)]
struct Writes {
    acknowledged: Option<String>,
    in_flight: Option<String>,
    saves: usize,
}

impl Writes {
    /// What the node may hold on disk after the kill, when it held `before` at the start
    /// of the round: the last acknowledged save (or `before` without one), or the save
    /// that was in flight (persisted, but its answer lost).
    fn allowed_on_disk(&self, before: &str) -> Vec<String> {
        let mut allowed = vec![self
            .acknowledged
            .clone()
            .unwrap_or_else(|| before.to_string())];
        allowed.extend(self.in_flight.clone());
        allowed
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_state_file_survives_kill_9_during_saves_and_keeps_every_acknowledged_save() {
    let dir = temp_dir("load-kill");
    let state = dir.join("state.json");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1)
        | 1;
    let mut rng = XorShift(seed);
    let mut total_saves = 0;
    let mut killed_mid_write = 0;
    let mut cut_file_writes = 0;
    // What each writer's card title may hold on disk, from the previous round.
    let mut allowed: HashMap<usize, Vec<String>> = HashMap::new();
    let started = Instant::now();

    for round in 0..KILLS {
        let (mut child, addr) = spawn_emulator(&state).await;
        // A restart clears the temp files of writes the last kill cut short.
        assert_eq!(temp_files(&dir), 0, "round {round}: stale temp files kept");

        // Restarted from the file: what it serves is what the file holds, and every save
        // acknowledged before the kill is there.
        if state.exists() {
            let file = read_state_file(&state);
            let served = draft(addr, COVER).await;
            assert_eq!(
                file_draft(&file, COVER).as_deref(),
                Some(served.as_str()),
                "round {round}: the restarted emulator does not serve its state file"
            );
            let titles = texts_of(&served, CARD_TITLE);
            for (w, values) in &allowed {
                assert!(
                    values.contains(&titles[*w]),
                    "round {round} (seed {seed}): writer {w} has {:?} on disk, allowed {values:?}",
                    titles[*w]
                );
            }
        }
        let before = texts_of(&draft(addr, COVER).await, CARD_TITLE);

        unlimited(addr).await;
        let (_, auth, _) = open(addr, COVER).await;
        let mut writers = Vec::new();
        let mut tasks = Vec::new();
        for w in 0..WRITERS {
            let auth = auth.clone();
            let (sender, receiver) = tokio::sync::watch::channel(Writes::default());
            writers.push(receiver);
            tasks.push(tokio::spawn(async move {
                let key = format!("{CARD_TITLE}@{w}");
                let mut writes = Writes::default();
                for s in 0.. {
                    let value = format!("round {round} writer {w} save {s}");
                    writes.in_flight = Some(value.clone());
                    let _ = sender.send(writes.clone());
                    match request_save(addr, &auth, &key, &value).await {
                        Some(200) => {
                            writes.acknowledged = Some(value);
                            writes.in_flight = None;
                            writes.saves += 1;
                            let _ = sender.send(writes.clone());
                        }
                        // The process is gone (or going): stop.
                        _ => break,
                    }
                }
            }));
        }
        let delay = 20 + rng.next() % 280;
        tokio::time::sleep(Duration::from_millis(delay)).await;
        child.start_kill().expect("SIGKILL");
        child.wait().await.expect("reaped");
        // Every writer has noticed the death before the next emulator starts (it could get
        // the same port, and a late save must not reach it).
        for task in tasks {
            tokio::time::timeout(Duration::from_secs(30), task)
                .await
                .expect("writer stops after the kill")
                .expect("writer task");
        }

        for (w, receiver) in writers.iter().enumerate() {
            let writes = receiver.borrow().clone();
            total_saves += writes.saves;
            if writes.in_flight.is_some() {
                killed_mid_write += 1;
            }
            allowed.insert(w, writes.allowed_on_disk(&before[w]));
        }
        // A temp file left behind: the kill landed inside a write of the state file.
        cut_file_writes += temp_files(&dir);
        // The file parses as a state file right after the kill.
        let file = read_state_file(&state);
        assert!(
            file_draft(&file, COVER).is_some(),
            "round {round}: no block {COVER} in the state file"
        );
    }
    // The last round's writes are checked by one more start.
    let (child, addr) = spawn_emulator(&state).await;
    let titles = texts_of(&draft(addr, COVER).await, CARD_TITLE);
    for (w, values) in &allowed {
        assert!(
            values.contains(&titles[*w]),
            "after the last kill writer {w} has {:?}, allowed {values:?}",
            titles[*w]
        );
    }
    drop(child);
    println!(
        "kill -9 during saves: {KILLS} kills (seed {seed}), {WRITERS} writers, {total_saves} \
         acknowledged saves, {killed_mid_write} writes in flight at a kill, 0 corrupt files, \
         {cut_file_writes} kills inside a state-file write (temp file left behind, cleared at \
         restart), {:.1} s",
        started.elapsed().as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Files in `dir` other than the state file: temp files of cut writes.
fn temp_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_name() != "state.json")
                .count()
        })
        .unwrap_or(0)
}

/// One save; the HTTP status, or `None` when no answer came (the process died).
async fn request_save(addr: SocketAddr, auth: &str, key: &str, value: &str) -> Option<u16> {
    let body = json!({"lid": 1, "block": COVER, "data": {key: value}, "auth": auth});
    request(
        addr,
        "POST",
        "/rest/landing.block.updatenodes.json",
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
    .await
    .ok()
    .map(|r| r.status)
}
