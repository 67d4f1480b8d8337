//! The performance benchmark (not a test): the product and a plain-JavaScript peer that does
//! the same job on the official SDK (bench/peer/), opened and saved side by side in one run of
//! headless Chromium against one emulator, both apps served by one nginx, alternating product
//! and peer, with a cold and a warm cache, on loopback and on an emulated office link.
//!
//! `scripts/bench.sh` builds and installs what it needs and runs this; `--runs N` (default 5)
//! pairs per condition after one warm-up pair. Prints one report and exits 1 when a budget of
//! the product is exceeded (download size, REST requests, refreshBlock messages), 2 when the
//! benchmark itself could not run or its emulated link is not what it claims.
//!
//! The office link: CDP `Network.emulateNetworkConditions` (40 ms latency, 20 Mbit/s down,
//! 5 up) delays every request the frame makes, but Chromium sends CORS preflights from its
//! network service past that throttle, so the emulator holds each preflight answer one more
//! round trip (`preflight_latency_ms`). Checked in every run: a peer request that needed a
//! preflight must take at least two round trips, else the benchmark stops with an error.

mod hosts;
mod probe;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use e2e::{dist_dir, ensure, fail, fixtures, EmuOptions, Error, Fixture, Result, Session};
use serde_json::json;

use hosts::Hosts;
use probe::{one_run, App, Run, Setup};
use report::Condition;

/// An emulated network: CDP latency and throughput (bytes/s; -1 = unthrottled).
struct Net {
    label: &'static str,
    latency_ms: u64,
    down: f64,
    up: f64,
}

const NETS: [Net; 2] = [
    Net {
        label: "loopback",
        latency_ms: 0,
        down: -1.0,
        up: -1.0,
    },
    Net {
        label: "office link (40 ms, 20/5 Mbit/s)",
        latency_ms: 40,
        down: 20e6 / 8.0,
        up: 5e6 / 8.0,
    },
];

/// The 1-minute load average (Linux), to read the timings against.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

fn chromium_version() -> String {
    let bin = std::env::var("LBE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    std::process::Command::new(bin)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "Chromium (version unknown)".into())
}

/// `--runs N`; `--undelayed-preflights` leaves the emulator's preflight delay off, to see the
/// benchmark refuse its own office link (the check in [`check_preflight_delay`]).
struct Args {
    runs: usize,
    delay_preflights: bool,
}

fn args() -> Result<Args> {
    let mut args = std::env::args().skip(1);
    let mut runs = 5;
    let mut delay_preflights = true;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--undelayed-preflights" => delay_preflights = false,
            "--runs" => {
                let v = args.next().unwrap_or_default();
                runs = v
                    .parse()
                    .map_err(|_| Error(format!("--runs wants a number, got {v:?}")))?;
            }
            other => fail!(
                "unknown argument {other:?} (usage: bench [--runs N] [--undelayed-preflights])"
            ),
        }
    }
    ensure!(runs >= 1, "--runs must be at least 1");
    Ok(Args {
        runs,
        delay_preflights,
    })
}

/// The SDK's browser build, which scripts/bench.sh installs outside the repository.
fn sdk_umd() -> Result<PathBuf> {
    let p = std::env::var_os("LBE_PEER_SDK")
        .map(PathBuf::from)
        .ok_or_else(|| Error::new("LBE_PEER_SDK is not set: run scripts/bench.sh"))?;
    ensure!(
        p.is_file(),
        "LBE_PEER_SDK={} is not a file: run scripts/bench.sh",
        p.display()
    );
    Ok(p)
}

async fn bench() -> Result<Vec<String>> {
    let Args {
        runs,
        delay_preflights,
    } = args()?;
    let dist = dist_dir()?;
    let sdk = sdk_umd()?;
    let largest = fixtures()?
        .into_iter()
        .max_by_key(|f| f.content.len())
        .ok_or_else(|| Error::new("no fixtures"))?;
    let load_before = load_average();
    // Any loopback port may frame the apps: the emulator's port is not known yet.
    let hosts = Hosts::start(&dist, &sdk, "http://127.0.0.1:*").await?;
    let mut browser_args = hosts.browser_args();
    browser_args.extend([
        "--enable-precise-memory-info".into(),
        "--js-flags=--expose-gc".into(),
    ]);
    let args: Vec<&str> = browser_args.iter().map(String::as_str).collect();
    let opts = EmuOptions {
        extra_args: vec!["--app-handler".into(), hosts.app_url.clone()],
        ..EmuOptions::default()
    };
    let s = Session::start_with_browser_args("bench", opts, &args).await?;
    let measured = measure(&s, &hosts, &largest, runs, delay_preflights).await;
    let conditions = match measured {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::write(s.log_dir.join("nginx-access.log"), hosts.access_log());
            return Err(s
                .finish(Err(e))
                .await
                .err()
                .unwrap_or_else(|| Error::new("the measurement failed")));
        }
    };
    s.finish(Ok(())).await?;

    println!(
        "Landing block editor: performance benchmark, the product against a plain-JavaScript peer"
    );
    println!(
        "machine: {} cores, load average {load_before} before, {} after; {}; headless",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load_average(),
        chromium_version(),
    );
    println!(
        "block: {} (id {}, {} B of HTML), the largest fixture; {runs} pairs per condition after 1 warm-up pair",
        largest.code,
        largest.id,
        largest.content.len()
    );
    println!(
        "served by one nginx: the product by deploy/nginx, the peer beside it; BX24 library stand-in {} B ({} B gzip) from https://{}/ on its own port",
        hosts.library_sizes.0,
        hosts.library_sizes.1,
        hosts::LIBRARY_HOST
    );
    let mut over = Vec::new();
    let first = conditions
        .first()
        .and_then(|c| c.product.first())
        .ok_or_else(|| Error::new("no runs"))?;
    report::print_downloads(&hosts.www, &hosts.app_url, &first.loaded, &mut over)?;
    let all = |f: fn(&Condition) -> &Vec<Run>| -> Vec<&Run> {
        conditions.iter().flat_map(|c| f(c).iter()).collect()
    };
    report::print_requests(&all(|c| &c.product), &all(|c| &c.peer), &mut over);
    report::print_table(&conditions);
    if let Some(c) = conditions.get(1) {
        let (a, b): (Vec<&Run>, Vec<&Run>) = (c.product.iter().collect(), c.peer.iter().collect());
        report::print_memory(&c.label, &a, &b);
    }
    Ok(over)
}

async fn set_network(s: &Session, net: &Net) -> Result<()> {
    s.browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": net.latency_ms,
                "downloadThroughput": net.down,
                "uploadThroughput": net.up,
            }),
        )
        .await
        .map(drop)
}

/// A request that needed a CORS preflight on the emulated link takes two round trips; fewer
/// means the preflight went undelayed and the peer's figures would flatter it.
fn check_preflight_delay(run: &Run, net: &Net) -> Result<()> {
    let rtt = net.latency_ms as f64;
    let took = run.open[7] - run.open[6];
    if net.latency_ms > 0 && run.open_preflights > 0 && took < 2.0 * rtt - 1.0 {
        fail!(
            "on the {}, the peer's REST batch with {} preflight took {took:.0} ms, less than \
             two round trips ({:.0} ms): the preflight was not delayed",
            net.label,
            run.open_preflights,
            2.0 * rtt
        );
    }
    Ok(())
}

async fn measure(
    s: &Session,
    hosts: &Hosts,
    block: &Fixture,
    runs: usize,
    delay_preflights: bool,
) -> Result<Vec<Condition>> {
    s.browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": probe::PROBE}),
        )
        .await?;
    s.browser.cdp("Network.enable", json!({})).await?;
    let peer_handler = format!("{}peer/", hosts.app_url);
    let setup = |app, net: &Net, cold| Setup {
        app,
        peer_handler: &peer_handler,
        preflight_latency_ms: if delay_preflights { net.latency_ms } else { 0 },
        cold,
    };
    // The browser's first opens warm it up and are not timed.
    for app in [App::Product, App::Peer] {
        one_run(s, block, &setup(app, &NETS[0], true), 0).await?;
    }
    let mut out = Vec::new();
    let mut n = 1;
    for net in &NETS {
        set_network(s, net).await?;
        for cold in [true, false] {
            let mut c = Condition {
                label: format!("{}, {}", net.label, if cold { "cold" } else { "warm" }),
                product: Vec::new(),
                peer: Vec::new(),
            };
            if !cold {
                // The last cold open cleared the cache: one untimed open each fills it again.
                for app in [App::Product, App::Peer] {
                    one_run(s, block, &setup(app, net, false), n).await?;
                    n += 1;
                }
            }
            for _ in 0..runs {
                for app in [App::Product, App::Peer] {
                    let run = one_run(s, block, &setup(app, net, cold), n).await?;
                    n += 1;
                    eprintln!(
                        "[bench] {} {:?}: open {:.0} ms, save {:.0} ms, preflights {}+{}",
                        c.label,
                        app,
                        run.open_ms(),
                        run.save_ms(),
                        run.open_preflights,
                        run.save_preflights
                    );
                    if app == App::Peer {
                        check_preflight_delay(&run, net)?;
                        c.peer.push(run);
                    } else {
                        c.product.push(run);
                    }
                }
            }
            out.push(c);
        }
    }
    set_network(s, &NETS[0]).await?;
    Ok(out)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match bench().await {
        Ok(over) if over.is_empty() => {
            println!("\nall budgets met (ratios are reported, not budgeted yet)");
            ExitCode::SUCCESS
        }
        Ok(over) => {
            eprintln!();
            for o in &over {
                eprintln!("BUDGET EXCEEDED: {o}");
            }
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::from(2)
        }
    }
}
