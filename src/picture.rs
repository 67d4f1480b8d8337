//! A picture from the computer made ready for upload, in the browser: read (size first),
//! checked by the core, decoded with its EXIF orientation applied, drawn at the node's
//! sizes on an offscreen canvas and encoded as the core says (`core::upload`).

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, ImageBitmap, ImageBitmapOptions, ImageEncodeOptions, ImageOrientation, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d,
};

use crate::core::manifest::Dimensions;
use crate::core::upload::{
    check_file_size, check_image, output_type, target_sizes, upload_name, CheckedImage, ImageType,
    OutputType, TargetSizes, UploadError,
};

/// One encoded copy, ready for `landing.block.uploadfile`.
#[derive(Clone, Debug)]
pub struct Copy {
    pub name: String,
    pub bytes: Vec<u8>,
    /// As drawn.
    pub size: (u32, u32),
}

/// The 1x copy for `src`, and the 2x copy for `src2x` when the picture is large enough to
/// make one (else the 1x copy serves both).
#[derive(Clone, Debug)]
pub struct Prepared {
    pub checked: CheckedImage,
    pub x1: Copy,
    pub x2: Option<Copy>,
}

/// The file's bytes, once its size is within the limit.
pub async fn read_bytes(blob: &Blob) -> Result<Vec<u8>, UploadError> {
    // `size` is a double; a negative or absurd one cannot come from a real Blob.
    check_file_size(blob.size().max(0.0) as u64)?;
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| UploadError::Broken)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Everything before the upload, for a file called `name` and a node's `dimensions`.
pub async fn prepare(
    name: &str,
    blob: &Blob,
    dimensions: Dimensions,
) -> Result<Prepared, UploadError> {
    let bytes = read_bytes(blob).await?;
    // The header's checks come before any decoding: a bomb is refused here.
    let checked = check_image(name, &bytes)?;
    let bitmap = decode(&bytes, checked.ty).await?;
    // The decoder's size is what is drawn (it applied the orientation); the header's is
    // only a fallback should a browser report 0.
    let natural = match (bitmap.width(), bitmap.height()) {
        (w, h) if w > 0 && h > 0 => (w, h),
        _ => checked.natural,
    };
    let sizes = target_sizes(natural, dimensions);
    let copies = encode_copies(&bitmap, sizes, output_type(checked.ty), name).await;
    // The decoded pixels are released at once, not when the collector gets to them.
    bitmap.close();
    let (x1, x2) = copies?;
    Ok(Prepared { checked, x1, x2 })
}

async fn encode_copies(
    bitmap: &ImageBitmap,
    sizes: TargetSizes,
    out: OutputType,
    name: &str,
) -> Result<(Copy, Option<Copy>), UploadError> {
    let x1 = encode_copy(bitmap, sizes.x1, out, name, 1).await?;
    let x2 = if sizes.needs_2x() {
        Some(encode_copy(bitmap, sizes.x2, out, name, 2).await?)
    } else {
        None
    };
    Ok((x1, x2))
}

/// Decodes with the EXIF orientation applied (`imageOrientation: "from-image"`); a
/// picture the browser cannot decode is broken, whatever its header said.
async fn decode(bytes: &[u8], ty: ImageType) -> Result<ImageBitmap, UploadError> {
    let blob = blob_of(bytes, ty.mime()).ok_or(UploadError::Broken)?;
    let options = ImageBitmapOptions::new();
    options.set_image_orientation(ImageOrientation::FromImage);
    let window = web_sys::window().ok_or(UploadError::Broken)?;
    let promise = window
        .create_image_bitmap_with_blob_and_image_bitmap_options(&blob, &options)
        .map_err(|_| UploadError::Broken)?;
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|b| b.dyn_into::<ImageBitmap>().ok())
        .ok_or(UploadError::Broken)
}

fn blob_of(bytes: &[u8], mime: &str) -> Option<Blob> {
    let parts = js_sys::Array::of1(&Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()
}

async fn encode_copy(
    bitmap: &ImageBitmap,
    size: (u32, u32),
    out: OutputType,
    original: &str,
    scale: u8,
) -> Result<Copy, UploadError> {
    let blob = resize(bitmap, size, out).await?;
    // The blob's own type names the file: a browser that cannot encode the asked type
    // gives PNG instead.
    let ty = ImageType::from_mime(&blob.type_()).unwrap_or(out.ty);
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| UploadError::Broken)?;
    Ok(Copy {
        name: upload_name(original, ty, scale),
        bytes: Uint8Array::new(&buffer).to_vec(),
        size,
    })
}

/// `bitmap` drawn at `size` and encoded as `out`. A canvas that fails (out of memory) is
/// reported as a picture that cannot be read: nothing is uploaded either way.
pub async fn resize(
    bitmap: &ImageBitmap,
    size: (u32, u32),
    out: OutputType,
) -> Result<Blob, UploadError> {
    let canvas = OffscreenCanvas::new(size.0, size.1).map_err(|_| UploadError::Broken)?;
    let context = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<OffscreenCanvasRenderingContext2d>().ok())
        .ok_or(UploadError::Broken)?;
    let (w, h) = (f64::from(size.0), f64::from(size.1));
    if out.ty == ImageType::Jpeg {
        // JPEG has no transparency: what a WebP or PNG leaves clear would turn black.
        context.set_fill_style_str("#fff");
        context.fill_rect(0.0, 0.0, w, h);
    }
    // Not in web-sys for offscreen contexts; without it Chromium shrinks with "low".
    let _ = Reflect::set(
        &context,
        &JsValue::from_str("imageSmoothingQuality"),
        &JsValue::from_str("high"),
    );
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, w, h)
        .map_err(|_| UploadError::Broken)?;
    let options = ImageEncodeOptions::new();
    options.set_type(out.mime);
    if let Some(quality) = out.quality {
        options.set_quality(quality);
    }
    let promise = canvas
        .convert_to_blob_with_options(&options)
        .map_err(|_| UploadError::Broken)?;
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|b| b.dyn_into::<Blob>().ok())
        .ok_or(UploadError::Broken)
}
