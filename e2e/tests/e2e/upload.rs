//! A picture from the computer, through the emulator: a generated JPEG and PNG picked in
//! the image field, resized to the node's slot, uploaded at 1x and 2x, saved with their file
//! ids, the block re-rendered with the new picture, and the field showing it on reopening.

use e2e::{ensure, field_css, fixture, wait_until, EmuOptions, Result, Session, Status};
use scraper::{Html, Selector};
use serde_json::{json, Value};

#[tokio::test]
async fn upload_a_jpeg_and_a_png_then_save_and_reopen() -> Result<()> {
    let s = Session::start("upload_jpeg_and_png", EmuOptions::default()).await?;
    let r = body(&s).await;
    s.finish(r).await
}

/// Inside the app: a `w`×`h` picture drawn on a canvas, encoded as `mime`, set as the file
/// of the field's file input as a user's choice would, and `change` sent.
pub async fn pick_generated(
    s: &Session,
    field: &str,
    (w, h): (u32, u32),
    mime: &str,
    name: &str,
) -> Result<()> {
    let input = json!(format!("{field} input[type=file]"));
    let (mime, name) = (json!(mime), json!(name));
    let picked = s
        .js(&format!(
            "const canvas = new OffscreenCanvas({w}, {h});
             const c = canvas.getContext('2d');
             c.fillStyle = '#48c'; c.fillRect(0, 0, {w}, {h});
             c.fillStyle = '#fc3'; c.fillRect(0, 0, {w} / 2, {h} / 2);
             return canvas.convertToBlob({{type: {mime}, quality: 0.9}}).then(blob => {{
               const input = document.querySelector({input});
               if (!input) return false;
               const t = new DataTransfer();
               t.items.add(new File([blob], {name}, {{type: {mime}}}));
               input.files = t.files;
               input.dispatchEvent(new Event('change', {{bubbles: true}}));
               return true;
             }});"
        ))
        .await?;
    ensure!(picked == json!(true), "no file input in {field}");
    Ok(())
}

/// The size a served picture decodes to (editor page context: same origin as the files).
async fn served_size(s: &Session, src: &str) -> Result<(u64, u64)> {
    let size = s
        .js(&format!(
            "const i = new Image(); i.src = {};
             return i.decode().then(() => [i.naturalWidth, i.naturalHeight], () => null);",
            json!(src)
        ))
        .await?;
    let side = |n: usize| size.get(n).and_then(Value::as_u64).unwrap_or(0);
    Ok((side(0), side(1)))
}

fn attr(html: &str, css: &str, name: &str) -> Result<String> {
    let sel = Selector::parse(css).map_err(|e| e2e::Error(format!("selector {css}: {e:?}")))?;
    let doc = Html::parse_fragment(html);
    let found = doc
        .select(&sel)
        .next()
        .ok_or_else(|| e2e::Error(format!("no {css} in the stored HTML")))?;
    Ok(found.value().attr(name).unwrap_or_default().to_string())
}

/// The emulator's stored files for `block`, newest last.
fn files_of(state: &Value, block: u64) -> Vec<Value> {
    state["files"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|f| e2e::json_id(f.get("block")) == Some(block))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

struct Case {
    code: &'static str,
    node: &'static str,
    picture: (u32, u32),
    mime: &'static str,
    name: &'static str,
    want_1x: (u64, u64),
    want_2x: (u64, u64),
    /// The node is a CSS background (no `alt`; the picture lives in `style`).
    background: bool,
}

async fn body(s: &Session) -> Result<()> {
    let cases = [
        // `dimensions: {width: 540}`.
        Case {
            code: "44.7.three_columns_with_img_and_price",
            node: ".landing-block-node-card-img",
            picture: (1600, 1200),
            mime: "image/jpeg",
            name: "team photo.jpg",
            want_1x: (540, 405),
            want_2x: (1080, 810),
            background: false,
        },
        // `dimensions: {height: 1080}`, a background picture.
        Case {
            code: "31.1.two_cols_text_img",
            node: ".landing-block-node-img",
            picture: (1000, 2400),
            mime: "image/png",
            name: "chart.png",
            want_1x: (450, 1080),
            want_2x: (900, 2160),
            background: true,
        },
    ];
    s.open_editor("").await?;
    for case in &cases {
        upload_one(s, case).await?;
    }
    // A normal upload leaves the console clean (failed loads of hosts outside loopback, on
    // a machine without a network, are the only entries expected).
    let noise: Vec<Value> = s
        .browser
        .console_entries()
        .await?
        .into_iter()
        .filter(|e| e["level"] == json!("SEVERE") || e["level"] == json!("WARNING"))
        .filter(|e| {
            !e["message"]
                .as_str()
                .is_some_and(|m| m.contains("net::ERR_NAME_NOT_RESOLVED"))
        })
        .collect();
    ensure!(
        noise.is_empty(),
        "the console has errors or warnings: {noise:?}"
    );
    Ok(())
}

async fn upload_one(s: &Session, case: &Case) -> Result<()> {
    let block = fixture(case.code)?;
    let field = field_css(case.node, 0);
    s.open_app(block.id).await?;
    pick_generated(s, &field, case.picture, case.mime, case.name).await?;
    s.wait_visible(&format!("{field} .upload-done")).await?;
    let src = s.value_of(&format!("{field} input[id$='-src']")).await?;
    let src2x = s.value_of(&format!("{field} input[id$='-src2x']")).await?;
    // A background picture has no alternative text to ask for.
    if !case.background {
        s.type_into(
            &format!("{field} input[id$='-alt']"),
            "Uploaded in the e2e test",
        )
        .await?;
    }
    s.click("#save").await?;
    s.wait_status(Status::Ok, &[Status::Error, Status::Warning])
        .await?;

    // Both copies stored for this block, at the slot's sizes.
    let state = s.emu.state().await?;
    let files = files_of(&state, block.id);
    ensure!(files.len() == 2, "block {} has files {files:?}", block.id);
    let ext = if case.mime == "image/png" {
        "png"
    } else {
        "jpg"
    };
    let stem = case
        .name
        .rsplit_once('.')
        .map(|(a, _)| a)
        .unwrap_or(case.name);
    let stem = stem.replace(' ', "_");
    ensure!(
        files[0]["name"] == json!(format!("{stem}.{ext}"))
            // The portal's name cleaning turns the app's `@2x` into `_2x`.
            && files[1]["name"] == json!(format!("{stem}_2x.{ext}"))
            && files.iter().all(|f| f["type"] == json!(case.mime)),
        "stored files {files:?}"
    );
    ensure!(
        files[0]["src"] == json!(src) && files[1]["src"] == json!(src2x),
        "the field holds {src} / {src2x}, the files are {files:?}"
    );
    s.to_page().await?;
    let x1 = served_size(s, &src).await?;
    let x2 = served_size(s, &src2x).await?;
    ensure!(
        x1 == case.want_1x && x2 == case.want_2x,
        "{}: served sizes {x1:?} and {x2:?}, want {:?} and {:?}",
        case.name,
        case.want_1x,
        case.want_2x
    );

    // The stored markup carries the files' ids; the page shows the new picture.
    let stored = s.emu.block_content(block.id).await?;
    let id = attr(&stored, case.node, "data-fileid")?;
    let id2x = attr(&stored, case.node, "data-fileid2x")?;
    ensure!(
        json!(id) == json!(e2e::json_id(files[0].get("id")).unwrap_or(0).to_string())
            && json!(id2x) == json!(e2e::json_id(files[1].get("id")).unwrap_or(0).to_string()),
        "stored ids {id} / {id2x}, files {files:?}"
    );
    let shows_both = if case.background {
        let style = attr(&stored, case.node, "style")?;
        style.contains(&src) && style.contains(&src2x)
    } else {
        attr(&stored, case.node, "src")? == src
            && attr(&stored, case.node, "srcset")?.contains(&src2x)
    };
    ensure!(shows_both, "stored node: {}", e2e::clip(&stored, 900));
    wait_until("the page to show the uploaded picture", || async {
        Ok(s.page_block_html(block.id)
            .await?
            .contains(&src)
            .then_some(()))
    })
    .await?;

    // Closed (nothing unsaved) and reopened, the field shows the uploaded picture.
    s.enter_app_frame().await?;
    s.click("#close").await?;
    s.wait_slider_closed().await?;
    s.open_app(block.id).await?;
    let shown = s.value_of(&format!("{field} input[id$='-src']")).await?;
    ensure!(shown == src, "reopened, the field shows {shown}");
    s.click("#close").await?;
    s.wait_slider_closed().await?;
    Ok(())
}
