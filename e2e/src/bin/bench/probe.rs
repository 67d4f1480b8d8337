//! One measured open and save of one app, and the probes in the browser that time them.
//!
//! Nothing in either app is changed for this: the split comes from Resource Timing, from the
//! `message` events both ends of the frame see (a frame cannot wrap its cross-origin parent's
//! `postMessage`, so "sent" is when the editor page receives the command, on the same
//! renderer), from a MutationObserver that sees the first editable field, and from the start
//! signal each app gives anyway (the product's `TrunkApplicationStarted`, the peer's
//! `performance.mark("app-start")`).

use std::collections::BTreeMap;

use e2e::{ensure, fail, frame_commands, wait_until, Error, Fixture, Result, Session, Status};
use serde_json::{json, Value};

/// Runs in every document before its own scripts (CDP `Page.addScriptToEvaluateOnNewDocument`).
/// In the editor page: when the frame's `getInitData` and `refreshBlock` arrive (epoch ms). In
/// the app's frame: its own milestones, ms since its navigation started, except `saveClickAt`
/// (epoch ms).
pub const PROBE: &str = r##"
(() => {
  const epoch = () => performance.timeOrigin + performance.now();
  const text = (d) => { try { return typeof d === "string" ? d : JSON.stringify(d) || ""; } catch (e) { return ""; } };
  if (window === window.top) {
    const t = (window.__lbeTop = { initAt: null, refreshAt: [] });
    addEventListener("message", (e) => {
      const s = text(e.data);
      if (t.initAt === null && s.includes("getInitData")) t.initAt = epoch();
      if (s.includes("refreshBlock")) t.refreshAt.push(epoch());
    }, true);
    return;
  }
  const b = (window.__lbeBench = {
    fieldAt: null, startedAt: null, answerAt: null, saveClickAt: null, heapPeak: 0, wasm: null,
  });
  const heap = () => {
    const m = performance.memory;
    if (m && m.usedJSHeapSize > b.heapPeak) b.heapPeak = m.usedJSHeapSize;
  };
  addEventListener("message", (e) => {
    if (b.answerAt === null && e.source === window.parent) b.answerAt = performance.now();
  }, true);
  addEventListener("TrunkApplicationStarted", (e) => {
    b.startedAt = performance.now();
    b.wasm = e.detail && e.detail.wasm;
  });
  const editable =
    ".field input:not([readonly]):not([disabled]), .field textarea:not([readonly]):not([disabled])";
  new MutationObserver(() => {
    heap();
    if (b.fieldAt === null && document.querySelector(editable)) b.fieldAt = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true });
  document.addEventListener("click", (e) => {
    if (e.target.closest && e.target.closest("#save")) b.saveClickAt = epoch();
  }, true);
  setInterval(heap, 20);
})();
"##;

/// The open's milestones in the frame, or null while there is no editable field yet.
const READ_OPEN: &str = r#"
const b = window.__lbeBench;
if (!b || b.fieldAt === null) return null;
const nav = performance.getEntriesByType("navigation")[0];
const res = performance.getEntriesByType("resource");
const find = (pred) => res.find(pred) || null;
const lib = find((e) => e.name.includes("api.bitrix24.com"));
const code = find((e) => e.name.endsWith(".wasm") || e.name.includes("b24jssdk"));
const rest = find((e) => e.name.includes("/rest/"));
const mark = performance.getEntriesByName("app-start")[0];
const started = b.startedAt !== null ? b.startedAt : mark ? mark.startTime : null;
if (started === null || !rest) return null;
return {
  origin: performance.timeOrigin,
  fieldAt: b.fieldAt,
  htmlAt: nav ? nav.responseEnd : null,
  libAt: lib ? lib.responseEnd : null,
  codeAt: code ? code.responseEnd : null,
  startedAt: started,
  answerAt: b.answerAt,
  restStart: rest.startTime,
  restEnd: rest.responseEnd,
  heapPeak: b.heapPeak,
  // The release build shortens export names: the memory is found by its type.
  wasmMemory: ((m) => (m ? m.buffer.byteLength : null))(
    b.wasm && Object.values(b.wasm).find((v) => v instanceof WebAssembly.Memory)),
  loaded: [location.href.split("?")[0]].concat(res.map((e) => e.name)),
  // For LBE_BENCH_TRACE: each request's timing, ms since navigation start.
  trace: [nav].concat(res).filter(Boolean).map((e) => [
    e.name.replace(location.origin, "").slice(0, 60), e.initiatorType, e.transferSize,
    e.startTime, e.connectStart, e.secureConnectionStart, e.requestStart, e.responseStart,
    e.responseEnd,
  ].map((v) => (typeof v === "number" ? Math.round(v) : v)).join(" ")),
};
"#;

/// The save's REST request in the frame (epoch ms), once its answer is in.
const READ_SAVE: &str = r#"
const b = window.__lbeBench;
if (!b || b.saveClickAt === null) return null;
const t0 = b.saveClickAt - performance.timeOrigin;
const rest = performance.getEntriesByType("resource")
  .filter((e) => e.name.includes("/rest/") && e.startTime >= t0);
if (!rest.length) return null;
return {
  click: b.saveClickAt,
  restStart: performance.timeOrigin + rest[0].startTime,
  restEnd: performance.timeOrigin + rest[0].responseEnd,
};
"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    Product,
    Peer,
}

impl App {
    /// The More menu item that opens it.
    pub fn title(self) -> &'static str {
        match self {
            App::Product => "Block editor",
            App::Peer => "Plain JS peer",
        }
    }
}

/// The figures of an open, ms since the frame's navigation started (NaN: not applicable).
pub const OPEN_FIGURES: [&str; 9] = [
    "document received",
    "library received (stand-in)",
    "code received (wasm / SDK)",
    "app started",
    "getInitData sent",
    "getInitData answered",
    "REST batch sent",
    "REST batch answered",
    "first field = OPEN",
];
/// The figures of a save, ms since the click on Save.
pub const SAVE_FIGURES: [&str; 4] = [
    "updatenodes sent",
    "updatenodes answered",
    "refreshBlock sent",
    "block re-rendered = SAVE",
];

/// What one open and one save measured.
#[derive(Debug, Clone)]
pub struct Run {
    pub open: [f64; 9],
    pub save: [f64; 4],
    pub open_rest: usize,
    pub open_preflights: u64,
    pub open_frame_messages: usize,
    pub save_rest: usize,
    pub save_preflights: u64,
    pub save_refreshes: usize,
    pub heap_peak: u64,
    /// The renderer's JS heap just before the slider opened, after a forced GC.
    pub heap_before: u64,
    /// The product's wasm linear memory (0 for the peer).
    pub wasm_memory: u64,
    /// URL → how many times the frame fetched it while opening.
    pub loaded: BTreeMap<String, usize>,
    /// Median ms from a keystroke (`input` on the first text field) to the next frame after
    /// it, over [`KEYSTROKES`] keystrokes; the product's preview is on when the slider is wide.
    pub typing: f64,
}

impl Run {
    pub fn open_ms(&self) -> f64 {
        self.open[8]
    }
    pub fn save_ms(&self) -> f64 {
        self.save[3]
    }
}

/// Keystrokes timed per run.
const KEYSTROKES: usize = 20;

/// Types into the first editable text field one character at a time, waiting for the frame
/// after each, and answers the median time from `input` to that frame; the field is put back.
const TYPE_AND_TIME: &str = r#"
    return (async () => {
      const t = document.querySelector('.field textarea:not([readonly]), textarea:not([readonly])');
      if (!t) return null;
      const next = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const base = t.value, times = [];
      for (let i = 1; i <= KEYSTROKES; i++) {
        const t0 = performance.now();
        t.value = base + "x".repeat(i);
        t.dispatchEvent(new Event("input", { bubbles: true }));
        await next();
        times.push(performance.now() - t0);
      }
      t.value = base;
      t.dispatchEvent(new Event("input", { bubbles: true }));
      await next();
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length / 2)];
    })();
"#;

fn num(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

async fn counts(s: &Session) -> Result<(usize, u64, usize, usize)> {
    let st = s.emu.state().await?;
    let rest = st
        .get("rest_log")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let preflights = st
        .get("rest_preflights")
        .and_then(Value::as_u64)
        .ok_or_else(|| Error::new("the emulator's state has no rest_preflights"))?;
    let frame = st
        .get("frame_log")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let refreshes = frame_commands(&st, "refreshBlock").len();
    Ok((rest, preflights, frame, refreshes))
}

/// How a run is set up: the app, the peer's handler, the preflight delay, a cold cache.
pub struct Setup<'a> {
    pub app: App,
    pub peer_handler: &'a str,
    pub preflight_latency_ms: u64,
    pub cold: bool,
}

pub async fn one_run(s: &Session, block: &Fixture, setup: &Setup<'_>, n: usize) -> Result<Run> {
    s.emu
        .control("POST", "/_emulator/reset", Some(&json!({})))
        .await?;
    // reset drops bindings and faults: both again, every run.
    s.emu
        .bind("LANDING_BLOCK_*", setup.peer_handler, App::Peer.title())
        .await?;
    s.emu
        .set_faults(json!({"preflight_latency_ms": setup.preflight_latency_ms}))
        .await?;
    s.open_editor("").await?;
    // The editor page shares the renderer (and its JS heap) with the app's frame: collect the
    // garbage of earlier runs and note what is left before the app exists.
    let heap_before = s
        .js("if (window.gc) { gc(); } \
             return performance.memory ? performance.memory.usedJSHeapSize : 0;")
        .await?
        .as_u64()
        .unwrap_or(0);
    if setup.cold {
        s.browser
            .cdp("Network.clearBrowserCache", json!({}))
            .await?;
    }
    s.open_from_more_menu(block.id, setup.app.title()).await?;
    let o = wait_until("the probe to see an editable field", || async {
        let v = s.js(READ_OPEN).await?;
        Ok((!v.is_null()).then_some(v))
    })
    .await?;
    let (open_rest, open_preflights, open_frame_messages, _) = counts(s).await?;
    let mut loaded = BTreeMap::new();
    for url in o["loaded"].as_array().into_iter().flatten() {
        if let Some(u) = url.as_str() {
            *loaded.entry(u.to_string()).or_insert(0) += 1;
        }
    }
    let origin = num(&o, "origin");
    if std::env::var_os("LBE_BENCH_TRACE").is_some() {
        eprintln!(
            "[trace] {:?} (name type transfer start connect tls request response end):",
            setup.app
        );
        for line in o["trace"].as_array().into_iter().flatten() {
            eprintln!("[trace]   {}", line.as_str().unwrap_or(""));
        }
    }

    let typing = s
        .js(&TYPE_AND_TIME.replace("KEYSTROKES", &KEYSTROKES.to_string()))
        .await?
        .as_f64()
        .unwrap_or(f64::NAN);

    // Save one changed text field and wait for the block to re-render in the editor page.
    let key = s
        .js(
            "const t = document.querySelector('.field textarea:not([readonly])'); \
             return t ? t.closest('.field').dataset.key : null;",
        )
        .await?;
    let Some(key) = key.as_str().map(str::to_string) else {
        fail!("block {} has no editable text field", block.id);
    };
    let marker = format!("benchsave{n}x{}", std::process::id());
    s.type_into(&format!(".field[data-key='{key}'] textarea"), &marker)
        .await?;
    s.to_page().await?;
    let init_at = s
        .js("return window.__lbeTop.initAt;")
        .await?
        .as_f64()
        .map_or(f64::NAN, |t| t - origin);
    s.js(&format!(
        "window.__lbeRerender = null;
         new MutationObserver(() => {{
           const b = document.querySelector(\".emu-block[data-id='{id}']\");
           if (window.__lbeRerender === null && b && b.innerHTML.includes('{marker}')) {{
             window.__lbeRerender = performance.timeOrigin + performance.now();
           }}
         }}).observe(document.body, {{subtree: true, childList: true, characterData: true}});
         return true;",
        id = block.id
    ))
    .await?;
    let (rest_before, preflights_before, _, refreshes_before) = counts(s).await?;
    s.enter_app_frame().await?;
    s.click("#save").await?;
    s.to_page().await?;
    let rerendered = wait_until("the block to re-render with the saved text", || async {
        Ok(s.js("return window.__lbeRerender;").await?.as_f64())
    })
    .await?;
    let refresh_at = s
        .js("const r = window.__lbeTop.refreshAt; return r.length ? r[r.length - 1] : null;")
        .await?
        .as_f64()
        .unwrap_or(f64::NAN);
    s.enter_app_frame().await?;
    s.wait_status(Status::Ok, &[Status::Error, Status::Warning])
        .await?;
    let sv = wait_until("the probe to see the save's REST answer", || async {
        let v = s.js(READ_SAVE).await?;
        Ok((!v.is_null()).then_some(v))
    })
    .await?;
    s.to_page().await?;
    let (rest_after, preflights_after, _, refreshes_after) = counts(s).await?;
    let click = num(&sv, "click");
    ensure!(click.is_finite(), "the probe saw no click on #save");

    Ok(Run {
        open: [
            num(&o, "htmlAt"),
            num(&o, "libAt"),
            num(&o, "codeAt"),
            num(&o, "startedAt"),
            init_at,
            num(&o, "answerAt"),
            num(&o, "restStart"),
            num(&o, "restEnd"),
            num(&o, "fieldAt"),
        ],
        save: [
            num(&sv, "restStart") - click,
            num(&sv, "restEnd") - click,
            refresh_at - click,
            rerendered - click,
        ],
        open_rest,
        open_preflights,
        open_frame_messages,
        save_rest: rest_after - rest_before,
        save_preflights: preflights_after - preflights_before,
        save_refreshes: refreshes_after - refreshes_before,
        heap_peak: num(&o, "heapPeak").max(0.0) as u64,
        heap_before,
        wasm_memory: num(&o, "wasmMemory").max(0.0) as u64,
        loaded,
        typing,
    })
}
