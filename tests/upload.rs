//! Pictures from the computer in a real browser: resized to the node's slot at 1x and 2x
//! (the produced blobs decoded and measured), uploaded with `landing.block.uploadfile`,
//! saved with their file ids; hostile files refused in words with nothing sent; a failed
//! upload offered again; a cancelled or overtaken one applied nowhere.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use landing_block_editor::core::manifest::Dimensions;
use landing_block_editor::picture::prepare;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::Blob;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

#[wasm_bindgen(inline_js = r##"
export function make_picture(w, h, mime) {
  const canvas = new OffscreenCanvas(w, h);
  const c = canvas.getContext("2d");
  c.fillStyle = "#2a6"; c.fillRect(0, 0, w, h);
  c.fillStyle = "#c33"; c.fillRect(0, 0, w / 2, h / 2);
  return canvas.convertToBlob({ type: mime, quality: 0.9 });
}
export function bytes_blob(bytes, mime) { return new Blob([bytes], { type: mime }); }
export async function blob_bytes(blob) { return new Uint8Array(await blob.arrayBuffer()); }
export async function size_of_base64(text) {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const bitmap = await createImageBitmap(new Blob([bytes]));
  return [bitmap.width, bitmap.height];
}
export function drop_or_paste(target, blob, name, kind) {
  const transfer = new DataTransfer();
  transfer.items.add(new File([blob], name, { type: blob.type }));
  const event = kind === "paste"
    ? new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true })
    : new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event.defaultPrevented;
}
export function pick(input, blob, name) {
  const file = new File([blob], name, { type: blob.type });
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event("change", { bubbles: true }));
}
"##)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn make_picture(w: u32, h: u32, mime: &str) -> Result<js_sys::Promise, JsValue>;
    fn bytes_blob(bytes: &[u8], mime: &str) -> Blob;
    fn blob_bytes(blob: &Blob) -> js_sys::Promise;
    fn size_of_base64(text: &str) -> js_sys::Promise;
    fn pick(input: &web_sys::Element, blob: &Blob, name: &str);
    fn drop_or_paste(target: &web_sys::Element, blob: &Blob, name: &str, kind: &str) -> bool;
}

async fn picture(w: u32, h: u32, mime: &str) -> Blob {
    let promise = make_picture(w, h, mime).expect("a canvas");
    JsFuture::from(promise)
        .await
        .expect("encoded")
        .unchecked_into()
}

async fn bytes_of(blob: &Blob) -> Vec<u8> {
    let bytes = JsFuture::from(blob_bytes(blob)).await.expect("bytes");
    js_sys::Uint8Array::new(&bytes).to_vec()
}

async fn decoded_size(base64: &str) -> (u32, u32) {
    let size = JsFuture::from(size_of_base64(base64))
        .await
        .expect("the upload decodes as a picture");
    let size: js_sys::Array = size.unchecked_into();
    let side = |i| size.get(i).as_f64().unwrap_or(0.0) as u32;
    (side(0), side(1))
}

async fn size_of_bytes(bytes: &[u8]) -> (u32, u32) {
    decoded_size(&landing_block_editor::core::upload::encode_base64(bytes)).await
}

const KEY: &str = ".landing-block-node-img@0";
const OLD: &str = "https://portal.example.com/upload/old.jpg";

/// A block with one picture whose slot is `dimensions`, opened with `then` scripted after.
async fn open(dimensions: Value, then: Vec<Answer>) -> (Mounted, Rc<StubTransport>) {
    install_bx24_double(&init_data("test.img", "LANDING_BLOCK_*").to_string(), true);
    let manifest = json!({
        "block": {"name": "Picture"},
        "nodes": {".landing-block-node-img": {"type": "img", "name": "Picture",
                                              "dimensions": dimensions}},
    });
    let html =
        format!(r#"<section><img class="landing-block-node-img" src="{OLD}" alt="Old"></section>"#);
    let mut answers = vec![block_answer(&manifest, &html, "X", &[])];
    answers.extend(then);
    let transport = StubTransport::new(answers);
    let app = mount(platform_with_bx24(transport.clone()));
    app.wait_for("the fields", |a| !a.all(".field").is_empty())
        .await;
    (app, transport)
}

type Answer = Result<
    landing_block_editor::client::HttpResponse,
    landing_block_editor::client::TransportError,
>;

fn uploaded(id: u64, name: &str) -> Answer {
    ok(json!({"result": {"id": id, "src": format!("/upload/landing/{id}/{name}")}}).to_string())
}

fn file_input(app: &Mounted) -> web_sys::Element {
    app.one(&format!("[data-key='{KEY}'] input[type=file]"))
        .expect("a file input")
}

fn src_value(app: &Mounted) -> String {
    app.value(&format!("[data-key='{KEY}'] input[type=url]"))
}

fn uploads(transport: &StubTransport) -> Vec<Value> {
    transport
        .requests()
        .into_iter()
        .filter(|(url, _)| url.ends_with("/landing.block.uploadfile.json"))
        .map(|(_, body)| body)
        .collect()
}

#[wasm_bindgen_test]
async fn jpeg_and_png_are_resized_to_the_slot_at_1x_and_2x_never_upscaled() {
    let jpeg = picture(800, 600, "image/jpeg").await;
    let slot = Dimensions {
        width: Some(200),
        height: Some(100),
    };
    let got = prepare("Фото отпуска.jpeg", &jpeg, slot)
        .await
        .expect("prepared");
    assert_eq!(got.x1.size, (133, 100));
    assert_eq!(size_of_bytes(&got.x1.bytes).await, (133, 100));
    assert_eq!(got.x1.name, "Foto_otpuska.jpg");
    assert_eq!(&got.x1.bytes[..3], &[0xFF, 0xD8, 0xFF], "JPEG stays JPEG");
    let x2 = got.x2.expect("a 2x copy");
    assert_eq!(size_of_bytes(&x2.bytes).await, (267, 200));
    assert_eq!(x2.name, "Foto_otpuska@2x.jpg");

    // Smaller than the slot: one copy at its own size serves both densities.
    let png = picture(300, 150, "image/png").await;
    let wide = Dimensions {
        width: Some(400),
        height: None,
    };
    let got = prepare("logo.png", &png, wide).await.expect("prepared");
    assert_eq!(size_of_bytes(&got.x1.bytes).await, (300, 150));
    assert_eq!(&got.x1.bytes[1..4], b"PNG", "PNG stays PNG");
    assert!(got.x2.is_none());

    // A JPEG called .png: the bytes decide the type and the name.
    let got = prepare("photo.png", &jpeg, wide).await.expect("prepared");
    assert_eq!(got.x1.name, "photo.jpg");
    assert!(got.checked.extension_mismatch);
}

#[wasm_bindgen_test]
async fn a_picked_file_is_uploaded_at_both_sizes_and_saved_with_its_ids() {
    let (app, transport) = open(
        json!({"width": 200}),
        vec![
            uploaded(5001, "photo.jpg"),
            uploaded(5002, "photo@2x.jpg"),
            ok(r#"{"result":true}"#),
        ],
    )
    .await;
    assert!(app.one(".upload-choose").is_some(), "a choose button");
    pick(
        &file_input(&app),
        &picture(800, 400, "image/jpeg").await,
        "photo.jpg",
    );
    app.wait_for("the upload", |a| a.one(".upload-done").is_some())
        .await;

    let sent = uploads(&transport);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0]["block"], "101");
    assert_eq!(sent[0]["auth"], "token-1", "the token travels in the body");
    assert_eq!(sent[0]["picture"][0], "photo.jpg");
    assert_eq!(
        decoded_size(sent[0]["picture"][1].as_str().unwrap_or("")).await,
        (200, 100)
    );
    assert_eq!(sent[1]["picture"][0], "photo@2x.jpg");
    assert_eq!(
        decoded_size(sent[1]["picture"][1].as_str().unwrap_or("")).await,
        (400, 200)
    );

    let src = "https://portal.example.com/upload/landing/5001/photo.jpg";
    let src2x = "https://portal.example.com/upload/landing/5002/photo@2x.jpg";
    assert_eq!(src_value(&app), src);
    app.type_into(&format!("[data-key='{KEY}'] input[id$='-alt']"), "A photo");
    app.wait_for("save enabled", |a| !a.disabled("#save")).await;
    app.click("#save");
    app.wait_for("the saved state", |a| a.text(".status").contains("Saved."))
        .await;
    let (url, body) = transport.requests().last().cloned().expect("a save");
    assert!(url.ends_with("/landing.block.updatenodes.json"), "{url}");
    assert_eq!(
        body["data"][KEY],
        json!({"src": src, "alt": "A photo", "src2x": src2x, "id": "5001", "id2x": "5002"})
    );
}

#[wasm_bindgen_test]
async fn hostile_files_are_refused_in_words_and_nothing_is_sent() {
    let (app, transport) = open(json!({"width": 200}), vec![]).await;
    let jpeg = bytes_of(&picture(64, 64, "image/jpeg").await).await;
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bomb.extend(100_000u32.to_be_bytes());
    bomb.extend(100_000u32.to_be_bytes());
    bomb.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    // A header that promises a picture, then noise: only the decoder can tell.
    let mut noise = jpeg[..jpeg.len().min(200)].to_vec();
    noise.extend(std::iter::repeat_n(0x5Au8, 400));
    // A sound PNG header (10×10) over junk: it passes every check, the decoder refuses it.
    let mut junk_png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    junk_png.extend(10u32.to_be_bytes());
    junk_png.extend(10u32.to_be_bytes());
    junk_png.extend([8, 6, 0, 0, 0, 0x12, 0x34, 0x56, 0x78]);
    junk_png.extend(std::iter::repeat_n(0xA5u8, 300));
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("junk.png", junk_png, "image/png", "damaged or cut short"),
        ("empty.jpg", vec![], "image/jpeg", "The file is empty."),
        (
            "cut.jpg",
            jpeg[..24].to_vec(),
            "image/jpeg",
            "damaged or cut short",
        ),
        ("noise.jpg", noise, "image/jpeg", "damaged or cut short"),
        ("bomb.png", bomb, "image/png", "100000×100000 pixels"),
        (
            "notes.jpg",
            b"just some text\n".to_vec(),
            "image/jpeg",
            "is not a JPEG, PNG",
        ),
        (
            "drawing.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
            "image/svg+xml",
            "SVG pictures cannot",
        ),
        (
            "notes.txt",
            b"hello".to_vec(),
            "text/plain",
            "is not a JPEG, PNG",
        ),
    ];
    for (name, bytes, mime, says) in cases {
        pick(&file_input(&app), &bytes_blob(&bytes, mime), name);
        app.wait_for(name, |a| a.text(".upload-error").contains(says))
            .await;
        assert!(
            app.one(".upload-retry").is_none(),
            "{name}: a file error is not retried"
        );
        assert_eq!(src_value(&app), OLD, "{name}: nothing else changed");
    }
    assert!(uploads(&transport).is_empty(), "no request sent");
    assert!(app.disabled("#save"));
}

#[wasm_bindgen_test]
async fn a_failed_upload_says_so_and_is_tried_again() {
    let failed = Ok(landing_block_editor::client::HttpResponse {
        status: 500,
        body: r#"{"error":"INTERNAL_SERVER_ERROR","error_description":"x"}"#.into(),
    });
    let (app, transport) = open(
        json!({"width": 100, "height": 100}),
        vec![failed, uploaded(5003, "a.png")],
    )
    .await;
    // 80×80 fits the slot: one upload serves 1x and 2x.
    pick(
        &file_input(&app),
        &picture(80, 80, "image/png").await,
        "a.png",
    );
    app.wait_for("the failure", |a| a.one(".upload-retry").is_some())
        .await;
    assert!(app.text(".upload-error").contains("could not be uploaded"));
    assert_eq!(src_value(&app), OLD);
    app.click(".upload-retry");
    app.wait_for("the upload", |a| a.one(".upload-done").is_some())
        .await;
    assert_eq!(uploads(&transport).len(), 2);
    assert_eq!(
        src_value(&app),
        "https://portal.example.com/upload/landing/5003/a.png"
    );
    // Another address typed: the note about the upload goes with the picture.
    app.type_into(
        &format!("[data-key='{KEY}'] input[type=url]"),
        "https://example.com/other.png",
    );
    app.wait_for("the note to go", |a| a.one(".upload-done").is_none())
        .await;
}

#[wasm_bindgen_test]
async fn a_cancelled_or_overtaken_upload_is_applied_nowhere() {
    let (app, _transport) = open(
        json!({"width": 200}),
        vec![
            uploaded(5004, "a.jpg"),
            uploaded(5005, "a@2x.jpg"),
            uploaded(5006, "b.jpg"),
            uploaded(5007, "b@2x.jpg"),
        ],
    )
    .await;
    let big = picture(2400, 1600, "image/jpeg").await;
    pick(&file_input(&app), &big, "a.jpg");
    app.wait_for("the progress bar", |a| {
        a.one(".upload-progress progress").is_some()
    })
    .await;
    app.click(".upload-cancel");
    landing_block_editor::browser::sleep(600).await;
    assert!(app.one(".upload-progress").is_none());
    assert!(app.one(".upload-done").is_none());
    assert_eq!(src_value(&app), OLD);
    assert!(app.disabled("#save"), "nothing to save");

    // Typed over while it runs: the typed address stays.
    pick(&file_input(&app), &big, "b.jpg");
    app.wait_for("the progress bar", |a| a.one(".upload-progress").is_some())
        .await;
    let typed = "https://example.com/typed.jpg";
    app.type_into(&format!("[data-key='{KEY}'] input[type=url]"), typed);
    landing_block_editor::browser::sleep(600).await;
    assert_eq!(src_value(&app), typed);
    assert!(app.one(".upload-done").is_none());
}

#[wasm_bindgen_test]
async fn a_picture_dropped_on_the_field_or_pasted_into_it_is_uploaded() {
    let (app, transport) = open(
        json!({"width": 100, "height": 100}),
        vec![uploaded(5010, "dropped.png"), uploaded(5011, "image.png")],
    )
    .await;
    let small = picture(60, 40, "image/png").await;
    let field = app
        .one(&format!("[data-key='{KEY}'] .image-field"))
        .expect("the image field");
    assert!(
        drop_or_paste(&field, &small, "dropped.png", "drop"),
        "the drop is taken"
    );
    app.wait_for("the dropped upload", |a| {
        src_value(a).ends_with("/5010/dropped.png")
    })
    .await;
    // Pasted into the address input: the picture, not its name, is what the user meant.
    let input = app
        .one(&format!("[data-key='{KEY}'] input[type=url]"))
        .expect("the address input");
    assert!(
        drop_or_paste(&input, &small, "image.png", "paste"),
        "the paste is taken"
    );
    app.wait_for("the pasted upload", |a| {
        src_value(a).ends_with("/5011/image.png")
    })
    .await;
    let sent = uploads(&transport);
    assert_eq!(sent.len(), 2, "one upload each: 60×40 fits the slot");
    assert_eq!(sent[0]["picture"][0], "dropped.png");
    assert_eq!(sent[1]["picture"][0], "image.png");
    assert_eq!(
        decoded_size(sent[1]["picture"][1].as_str().unwrap_or("")).await,
        (60, 40)
    );
}
