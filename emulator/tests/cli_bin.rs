//! The `emulator` binary: flag errors exit with 2, the READY line, clean stop on SIGTERM.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_emulator");

#[test]
fn non_loopback_addresses_are_refused_with_exit_code_2() {
    for args in [
        ["--addr", "0.0.0.0:8090"],
        ["--app-addr", "192.168.0.10:8091"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("non-loopback"), "{err}");
        assert!(out.stdout.is_empty());
    }
    let out = Command::new(BIN).args(["--frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(unix)]
#[tokio::test]
async fn prints_ready_serves_and_stops_on_sigterm() {
    let dir = common::temp_dir("bin");
    std::fs::write(dir.join("index.html"), "<p>app</p>").unwrap();
    let mut child = Command::new(BIN)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--app-addr",
            "127.0.0.1:0",
            "--app-dir",
        ])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .unwrap()
    .unwrap();
    let line = line.trim_end();
    let parts: Vec<&str> = line.split(' ').collect();
    assert_eq!(parts.len(), 3, "{line}");
    assert_eq!(parts[0], "EMULATOR_READY");
    let editor = parts[1]
        .strip_prefix("editor=http://127.0.0.1:")
        .and_then(|s| s.strip_suffix('/'))
        .expect(line);
    let app = parts[2]
        .strip_prefix("app=http://127.0.0.1:")
        .and_then(|s| s.strip_suffix('/'))
        .expect(line);
    let editor: std::net::SocketAddr = format!("127.0.0.1:{editor}").parse().unwrap();
    let app: std::net::SocketAddr = format!("127.0.0.1:{app}").parse().unwrap();
    assert_eq!(common::get(editor, "/").await.status, 200);
    assert_eq!(common::get(app, "/").await.body, "<p>app</p>");

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
