//! The printed report: downloads, requests, the side-by-side table, memory; and the budgets.

use std::collections::BTreeMap;
use std::path::Path;

use e2e::{ensure, Error, Result};

use crate::probe::{Run, OPEN_FIGURES, SAVE_FIGURES};

/// Everything the editor page downloads, gzip-compressed, at most (issue #11: the named stack
/// as its authors meant it, within 160 KiB).
const GZIP_BUDGET: u64 = 160 * 1024;
const OPEN_REST_BUDGET: usize = 1;
const SAVE_REST_BUDGET: usize = 1;
const SAVE_REFRESH_BUDGET: usize = 1;

/// One network × cache condition: the product's and the peer's runs, pair by pair.
pub struct Condition {
    pub label: String,
    pub product: Vec<Run>,
    pub peer: Vec<Run>,
}

/// Linear-interpolated quantile of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// (median, min, max) of the finite values.
fn spread(values: impl Iterator<Item = f64>) -> (f64, f64, f64) {
    let mut v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    (quantile(&v, 0.5), quantile(&v, 0.0), quantile(&v, 1.0))
}

fn ms(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.0}")
    } else {
        "-".into()
    }
}

fn cell(values: impl Iterator<Item = f64>) -> String {
    let (med, min, max) = spread(values);
    if med.is_finite() {
        format!("{} ({}-{})", ms(med), ms(min), ms(max))
    } else {
        "-".into()
    }
}

/// The median over pairs of product / peer.
fn ratio(c: &Condition, f: impl Fn(&Run) -> f64) -> String {
    let (med, _, _) = spread(c.product.iter().zip(&c.peer).map(|(a, b)| {
        let (a, b) = (f(a), f(b));
        if b > 0.0 {
            a / b
        } else {
            f64::NAN
        }
    }));
    if med.is_finite() {
        format!("{med:.2}")
    } else {
        "-".into()
    }
}

pub fn print_table(conditions: &[Condition]) {
    println!();
    println!("Product and peer side by side (ms; median (min-max); ratio: median of per-pair product/peer)");
    println!("open: ms since the frame's navigation started; save: ms since the click on Save");
    for c in conditions {
        println!();
        println!(
            "{:<38} {:>22} {:>22} {:>7}",
            format!("{} ({} pairs)", c.label, c.product.len().min(c.peer.len())),
            "product",
            "peer",
            "ratio"
        );
        for (i, name) in OPEN_FIGURES.iter().enumerate() {
            println!(
                "{:<38} {:>22} {:>22} {:>7}",
                format!("open: {name}"),
                cell(c.product.iter().map(|r| r.open[i])),
                cell(c.peer.iter().map(|r| r.open[i])),
                ratio(c, |r| r.open[i])
            );
        }
        for (i, name) in SAVE_FIGURES.iter().enumerate() {
            println!(
                "{:<38} {:>22} {:>22} {:>7}",
                format!("save: {name}"),
                cell(c.product.iter().map(|r| r.save[i])),
                cell(c.peer.iter().map(|r| r.save[i])),
                ratio(c, |r| r.save[i])
            );
        }
        println!(
            "{:<38} {:>22} {:>22} {:>7}",
            "typing: keystroke to next frame",
            cell(c.product.iter().map(|r| r.typing)),
            cell(c.peer.iter().map(|r| r.typing)),
            ratio(c, |r| r.typing)
        );
    }
}

fn size_of(path: &Path) -> Result<u64> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| Error(format!("{}: {e}", path.display())))
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// The product's downloads (from its own origin, sized by the build's precompressed copies)
/// against the budget; `over` collects what is exceeded.
pub fn print_downloads(
    www: &Path,
    app_url: &str,
    loaded: &BTreeMap<String, usize>,
    over: &mut Vec<String>,
) -> Result<()> {
    println!();
    println!("Files the product's page loads (release build, precompressed by the build)");
    println!(
        "{:<60} {:>9} {:>9} {:>9}",
        "file", "raw B", "gzip B", "brotli B"
    );
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    let mut foreign = Vec::new();
    for (url, times) in loaded {
        let Some(rel) = url.strip_prefix(app_url) else {
            foreign.push(url.clone());
            continue;
        };
        let rel = rel.split(['?', '#']).next().unwrap_or("");
        let name = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        let file = www.join(&name);
        ensure!(
            file.is_file(),
            "the page loaded {url}, which is not in the build"
        );
        let (g, b) = (
            www.join(format!("{name}.gz")),
            www.join(format!("{name}.br")),
        );
        ensure!(
            g.is_file() && b.is_file(),
            "{name} has no .gz/.br: run `scripts/build.sh` (its post-build hook writes them)"
        );
        let (r, g, b) = (size_of(&file)?, size_of(&g)?, size_of(&b)?);
        let note = if *times > 1 {
            format!("  fetched {times}x")
        } else {
            String::new()
        };
        println!("{name:<60} {r:>9} {g:>9} {b:>9}{note}");
        raw += r;
        gz += g;
        br += b;
    }
    let verdict = if gz <= GZIP_BUDGET {
        "within budget".to_string()
    } else {
        over.push(format!(
            "download: {gz} B gzip ({}) > budget {GZIP_BUDGET} B ({}), over by {} B",
            kib(gz),
            kib(GZIP_BUDGET),
            gz - GZIP_BUDGET
        ));
        format!("OVER BUDGET by {} B", gz - GZIP_BUDGET)
    };
    println!("{:<60} {raw:>9} {gz:>9} {br:>9}", "total");
    println!(
        "gzip total {} / budget {} ({verdict}); brotli total {}",
        kib(gz),
        kib(GZIP_BUDGET),
        kib(br)
    );
    for url in foreign.iter().filter(|u| !u.contains("/rest/")) {
        println!("also requested, not counted (another host): {url}");
    }
    Ok(())
}

/// A line of the requests table: label, what a run counted, the product's budget.
type RequestRow = (&'static str, fn(&Run) -> u64, Option<usize>);

/// Requests counted by the emulator, worst run, for both apps; budgets for the product.
pub fn print_requests(product: &[&Run], peer: &[&Run], over: &mut Vec<String>) {
    let worst = |runs: &[&Run], f: fn(&Run) -> u64| runs.iter().map(|r| f(r)).max().unwrap_or(0);
    let rows: [RequestRow; 6] = [
        (
            "REST requests to open",
            |r| r.open_rest as u64,
            Some(OPEN_REST_BUDGET),
        ),
        (
            "  CORS preflights (OPTIONS) while opening",
            |r| r.open_preflights,
            None,
        ),
        (
            "  frame messages to the editor while opening",
            |r| r.open_frame_messages as u64,
            None,
        ),
        (
            "REST requests to save",
            |r| r.save_rest as u64,
            Some(SAVE_REST_BUDGET),
        ),
        (
            "  CORS preflights (OPTIONS) while saving",
            |r| r.save_preflights,
            None,
        ),
        (
            "refreshBlock messages on save",
            |r| r.save_refreshes as u64,
            Some(SAVE_REFRESH_BUDGET),
        ),
    ];
    println!();
    println!(
        "{:<52} {:>8} {:>8} {:>8}",
        "Requests, counted by the emulator (worst run)", "product", "budget", "peer"
    );
    for (label, f, budget) in rows {
        let (a, b) = (worst(product, f), worst(peer, f));
        let shown = budget.map_or("-".to_string(), |b| b.to_string());
        println!("{label:<52} {a:>8} {shown:>8} {b:>8}");
        if let Some(budget) = budget {
            if a > budget as u64 {
                over.push(format!("{}: {a} > budget {budget}", label.trim()));
            }
        }
    }
}

/// Memory while opening, median of the given runs.
pub fn print_memory(label: &str, product: &[&Run], peer: &[&Run]) {
    let med = |runs: &[&Run], f: fn(&Run) -> u64| spread(runs.iter().map(|r| f(r) as f64)).0;
    let grown = |r: &Run| r.heap_peak.saturating_sub(r.heap_before);
    println!();
    println!("Memory opening the block, {label} (median)   product       peer");
    println!(
        "{:<44} {:>10} {:>10}",
        "JS heap growth: peak while opening - before",
        kib(med(product, grown) as u64),
        kib(med(peer, grown) as u64)
    );
    println!(
        "{:<44} {:>10} {:>10}",
        "wasm linear memory (only grows: its peak)",
        kib(med(product, |r| r.wasm_memory) as u64),
        "-"
    );
}
