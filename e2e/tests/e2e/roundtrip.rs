//! Round trip of every editable field of every fixture block: the app's fields → its
//! `updatenodes` payload → the emulator's applied HTML → the app's fields again (reopened,
//! read with the browser's DOMParser) give back exactly the values that were typed.

use e2e::{ensure, fixtures, rest_calls, EmuOptions, Fixture, Result, Session, Status};
use scraper::{Html, Selector};
use serde_json::{json, Value};

/// Reads (or, with `values`, first sets) every field of the open app. Each field is
/// `{key, kind, parts: {name: value}}`; the kind is told by the inputs a field has.
const FIELDS_JS: &str = r#"
const values = arguments[0];
const out = [];
for (const field of document.querySelectorAll(".field")) {
  const key = field.getAttribute("data-key");
  const q = (css) => field.querySelector(css);
  let kind, inputs;
  if (q("textarea")) {
    kind = "text"; inputs = { html: q("textarea") };
  } else if (q("input[type=checkbox]")) {
    kind = "link";
    inputs = { text: q("input[id$='-text']"), href: q("input[id$='-url']"), new_tab: q("input[type=checkbox]") };
  } else if (q("input[id$='-src']")) {
    kind = "img";
    inputs = { src: q("input[id$='-src']"), alt: q("input[id$='-alt']"), src2x: q("input[id$='-src2x']") };
  } else if (q("input[type=url]")) {
    kind = "embed"; inputs = { url: q("input[type=url]") };
  } else {
    kind = "icon"; inputs = { classes: q("input") };
  }
  // A part the field does not offer (a background image has no alternative text) is absent.
  for (const part of Object.keys(inputs)) if (!inputs[part]) delete inputs[part];
  const wanted = values && values[key];
  if (wanted) {
    for (const [part, value] of Object.entries(wanted)) {
      const input = inputs[part];
      if (input.type === "checkbox") {
        if (input.checked !== value) input.click();
      } else {
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
  }
  const parts = {};
  for (const [part, input] of Object.entries(inputs)) {
    parts[part] = input.type === "checkbox" ? input.checked : input.value;
  }
  out.push({ key, kind, parts });
}
return out;
"#;

/// New values for one field, different for every field (`n` is unique across the blocks).
fn new_values(kind: &str, n: usize, current: &Value) -> Value {
    match kind {
        "text" => json!({"html": format!("RT{n} <b>bold</b> &amp; “quoted” ü")}),
        "link" => json!({
            "text": format!("Link {n} <x> & \"q\""),
            "href": format!("https://example.com/rt/{n}?a=1&b=2"),
            "new_tab": !current["new_tab"].as_bool().unwrap_or(false),
        }),
        "img" => {
            let mut img = json!({
                "src": format!("https://cdn.example.com/rt/{n}.png"),
                "src2x": format!("https://cdn.example.com/rt/{n}@2x.png"),
            });
            if current.get("alt").is_some() {
                img["alt"] = json!(format!("Alt {n} \"q\" & <b>"));
            }
            img
        }
        "icon" => json!({
            "classes": format!("{} rt-icon-{n}", current["classes"].as_str().unwrap_or("")),
        }),
        // A YouTube page address: the app derives player and preview addresses from it.
        "embed" => json!({"url": format!("https://www.youtube.com/watch?v=rtvideo{n:04}")}),
        other => json!({"unknown": other}),
    }
}

async fn fields(s: &Session, values: Value) -> Result<Vec<Value>> {
    let out = s
        .client()?
        .execute(FIELDS_JS, vec![values])
        .await
        .map_err(|e| e2e::Error(format!("reading the fields: {e}")))?;
    Ok(out.as_array().cloned().unwrap_or_default())
}

#[tokio::test]
async fn every_field_of_every_fixture_round_trips_through_the_emulator() -> Result<()> {
    let s = Session::start(
        "every_field_of_every_fixture_round_trips_through_the_emulator",
        EmuOptions::default(),
    )
    .await?;
    let r = body(&s).await;
    s.finish(r).await
}

async fn body(s: &Session) -> Result<()> {
    // Text nodes are typed as HTML: the expert toggle on.
    s.text_as_html().await?;
    s.open_editor("").await?;
    let mut n = 0;
    let mut checked = 0;
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    let all = fixtures()?;
    for f in &all {
        s.open_app(f.id).await?;
        let before = fields(s, Value::Null).await?;
        ensure!(!before.is_empty(), "{}: no fields", f.code);
        check_alt_inputs(f, &before)?;
        let mut wanted = serde_json::Map::new();
        for field in &before {
            let key = field["key"].as_str().unwrap_or_default().to_string();
            let kind = field["kind"].as_str().unwrap_or_default();
            wanted.insert(key, new_values(kind, n, &field["parts"]));
            n += 1;
        }
        let wanted = Value::Object(wanted);
        let typed = fields(s, wanted.clone()).await?;
        let changed = s.find_all(".field.field-changed").await?.len();
        ensure!(
            changed == before.len(),
            "{}: {changed} of {} fields marked changed after the edit",
            f.code,
            before.len()
        );
        s.click("#save").await?;
        s.wait_status(Status::Ok, &[Status::Error, Status::Warning])
            .await
            .map_err(|e| e2e::Error(format!("{}: saving every field: {e}", f.code)))?;
        // Reopened from the portal's copy only: no kept draft can fill the form.
        s.js("localStorage.clear(); return null;").await?;
        s.click("#close").await?;
        s.wait_slider_closed().await?;

        s.open_app(f.id).await?;
        ensure!(
            s.find_all("#draft-restored").await?.is_empty(),
            "{}: the reopened form restored a draft",
            f.code
        );
        let after = fields(s, Value::Null).await?;
        ensure!(
            after.len() == before.len(),
            "{}: {} fields after the save, {} before",
            f.code,
            after.len(),
            before.len()
        );
        for (field, typed_field) in after.iter().zip(&typed) {
            let key = field["key"].as_str().unwrap_or_default();
            ensure!(
                key == typed_field["key"].as_str().unwrap_or_default(),
                "{}: field order changed at {key}",
                f.code
            );
            let want = &wanted[key];
            let got = &field["parts"];
            for (part, value) in want.as_object().into_iter().flatten() {
                ensure!(
                    &got[part] == value,
                    "{} {key} ({}): {part} came back as {}, typed {}",
                    f.code,
                    field["kind"],
                    got[part],
                    value
                );
                checked += 1;
            }
            *kinds
                .entry(field["kind"].as_str().unwrap_or_default().to_string())
                .or_default() += 1;
        }
        // The embed's hidden parts follow the address: the stored block plays that video.
        let stored = s.emu.block_content(f.id).await?;
        for field in &after {
            if field["kind"] == "embed" {
                let url = field["parts"]["url"].as_str().unwrap_or_default();
                let id = url.rsplit('=').next().unwrap_or_default();
                ensure!(
                    stored.contains(&format!("//www.youtube.com/embed/{id}")),
                    "{}: the stored block does not play {id}",
                    f.code
                );
            }
        }
        s.click("#close").await?;
        s.wait_slider_closed().await?;
    }
    // One updatenodes per block, each carrying all of that block's fields.
    let state = s.emu.state().await?;
    let saves = rest_calls(&state, "landing.block.updatenodes").len();
    ensure!(
        saves == all.len(),
        "{saves} updatenodes calls for {} blocks",
        all.len()
    );
    println!(
        "round trip: {} fixture blocks, {n} fields ({kinds:?}), {checked} values typed, saved, \
         reopened and read back exactly",
        all.len()
    );
    Ok(())
}

/// An image field offers alternative text exactly when its node is an `<img>` (the portal
/// saves none for a CSS background, so an input there would lose what is typed).
fn check_alt_inputs(f: &Fixture, fields: &[Value]) -> Result<()> {
    let doc = Html::parse_fragment(&f.content);
    for field in fields.iter().filter(|field| field["kind"] == "img") {
        let key = field["key"].as_str().unwrap_or_default();
        let (selector, n) = key.rsplit_once('@').unwrap_or((key, "0"));
        let css = Selector::parse(selector)
            .map_err(|e| e2e::Error(format!("{}: selector {selector}: {e:?}", f.code)))?;
        let n: usize = n.parse().unwrap_or(0);
        let tag = doc
            .select(&css)
            .nth(n)
            .map(|e| e.value().name().to_string())
            .unwrap_or_default();
        let has_alt = field["parts"].get("alt").is_some();
        ensure!(
            has_alt == (tag == "img"),
            "{} {key}: a <{tag}> node {} an alternative text input",
            f.code,
            if has_alt { "has" } else { "lacks" }
        );
    }
    Ok(())
}
