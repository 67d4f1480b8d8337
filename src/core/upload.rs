//! Pictures from the computer, before and after `landing.block.uploadfile`: what a file is
//! (by its bytes, never by its name), how big its header says it is (so a decompression bomb
//! is refused before anything decodes it), its EXIF orientation, the sizes to resize to for
//! a node's manifest `dimensions`, the output type and file name, the call's params and a
//! lenient, checked reading of its answer. Nothing here panics on any input.

use std::fmt;

use super::manifest::Dimensions;

mod call;
mod ids;
mod jpeg;
mod text;

pub use call::{
    absolute_src, encode_base64, validate_answer, UploadAnswer, UploadParams, Uploaded,
};
pub use ids::{remember_upload, uploaded_id, uploads_among};
pub use jpeg::exif_orientation;
pub use text::{max_file_mib, upload_error_text, Stage};

/// The largest file taken (checked on the file's size, before it is read). The portal's
/// landing upload sets no limit of its own (`Manager::savePicture` checks the image with a
/// max size of 0, "any"), so the portal's request limits decide; 10 MiB holds any camera
/// JPEG, and its base64 (13.4 MiB) still fits a request the emulator takes.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// The most pixels a picture may have, from its header: decoded as RGBA it takes 4 bytes a
/// pixel, so 40 MP is 160 MiB in the frame's memory, about what a tab can spare on an office
/// machine. Phone and camera photos (12–24 MP by default) pass; a bomb whose header claims
/// 100000×100000 does not.
pub const MAX_PIXELS: u64 = 40_000_000;
/// The longest side taken: the largest canvas side browsers draw (32767 in Chromium and
/// Firefox), so a 1×40M strip is refused too.
pub const MAX_SIDE: u32 = 32_767;
/// The longer side at 1x when the manifest gives no dimensions: full HD, the widest slot the
/// fixture blocks declare (covers are 1920×1080); the 2x copy is then at most 3840.
pub const FREE_MAX_SIDE: u32 = 1920;
/// JPEG quality of the resized copies (canvas `toBlob`): below the browsers' default 0.92,
/// which makes files about a third larger for no visible gain at these sizes, and above
/// 0.8, where edges in banners and text in pictures start to ring.
pub const JPEG_QUALITY: f64 = 0.86;
/// Longest stem of an upload name, so that the portal's path stays short.
const MAX_STEM_CHARS: usize = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageType {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl ImageType {
    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Jpeg => "image/jpeg",
            ImageType::Png => "image/png",
            ImageType::Gif => "image/gif",
            ImageType::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageType::Jpeg => "jpg",
            ImageType::Png => "png",
            ImageType::Gif => "gif",
            ImageType::Webp => "webp",
        }
    }

    /// The type a MIME type names (what a canvas blob says it is).
    pub fn from_mime(mime: &str) -> Option<ImageType> {
        [
            ImageType::Jpeg,
            ImageType::Png,
            ImageType::Gif,
            ImageType::Webp,
        ]
        .into_iter()
        .find(|t| mime.trim().eq_ignore_ascii_case(t.mime()))
    }

    /// Whether a file name's extension names this type (`.jpeg`, `.JPG`, … for JPEG).
    pub fn matches_name(self, name: &str) -> bool {
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let ext = ext.to_ascii_lowercase();
        match self {
            ImageType::Jpeg => matches!(ext.as_str(), "jpg" | "jpeg" | "jpe" | "jfif"),
            other => ext == other.extension(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UploadError {
    /// A file of zero bytes.
    Empty,
    /// SVG: the portal does not take it (it may carry scripts).
    Svg,
    /// No signature of a picture we take.
    NotAnImage,
    /// The signature is there but the header is cut short or broken.
    Broken,
    TooLarge {
        bytes: u64,
        max: u64,
    },
    TooManyPixels {
        width: u32,
        height: u32,
        max: u64,
    },
    /// The answer to `landing.block.uploadfile` is not `{id, src}` as it must be.
    BadAnswer(String),
    /// The answer's `src` is a `javascript:`, `data:` or similar address.
    UnsafeSrc,
}

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadError::Empty => f.write_str("The file is empty."),
            UploadError::Svg => f.write_str("SVG pictures cannot be uploaded."),
            UploadError::NotAnImage => {
                f.write_str("The file is not a JPEG, PNG, GIF or WebP picture.")
            }
            UploadError::Broken => f.write_str("The picture is damaged or cut short."),
            UploadError::TooLarge { max, .. } => {
                write!(f, "The file is larger than {} MiB.", max / (1024 * 1024))
            }
            UploadError::TooManyPixels { width, height, max } => write!(
                f,
                "The picture is {width}×{height} pixels; at most {} megapixels can be used.",
                max / 1_000_000
            ),
            UploadError::BadAnswer(why) => {
                write!(f, "The portal's answer to the upload is wrong: {why}.")
            }
            UploadError::UnsafeSrc => {
                f.write_str("The portal answered with an unsafe picture address.")
            }
        }
    }
}

/// Refuses a file by its size alone, before it is read.
pub fn check_file_size(bytes: u64) -> Result<(), UploadError> {
    match bytes {
        0 => Err(UploadError::Empty),
        n if n > MAX_FILE_BYTES => Err(UploadError::TooLarge {
            bytes: n,
            max: MAX_FILE_BYTES,
        }),
        _ => Ok(()),
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// True when `bytes` are a proper prefix of `sig` (a signature cut short).
fn cut_signature(bytes: &[u8], sig: &[u8]) -> bool {
    bytes.len() < sig.len() && sig.starts_with(bytes)
}

/// The picture type by its signature and fixed header. The name is not consulted.
pub fn sniff(bytes: &[u8]) -> Result<ImageType, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageType::Jpeg);
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        // The IHDR chunk must follow the signature at once.
        return match bytes.get(12..16) {
            Some(b"IHDR") if bytes.len() >= 33 => Ok(ImageType::Png),
            Some(b"IHDR") | None => Err(UploadError::Broken),
            Some(_) => Err(UploadError::Broken),
        };
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return if bytes.len() >= 13 {
            Ok(ImageType::Gif)
        } else {
            Err(UploadError::Broken)
        };
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return if bytes.len() >= 30 {
            Ok(ImageType::Webp)
        } else {
            Err(UploadError::Broken)
        };
    }
    let cut = [&[0xFF, 0xD8, 0xFF][..], PNG_SIGNATURE, b"GIF87a", b"GIF89a"]
        .iter()
        .any(|sig| cut_signature(bytes, sig))
        || (bytes.starts_with(b"RIFF") && bytes.len() < 12)
        || cut_signature(bytes, b"RIFF");
    if cut {
        return Err(UploadError::Broken);
    }
    if looks_like_svg(bytes) {
        return Err(UploadError::Svg);
    }
    Err(UploadError::NotAnImage)
}

/// Markup whose first element is `<svg`, after an optional BOM, XML declaration, comments
/// and doctype (only the first 4 KiB are looked at).
fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with('<') && text.contains("<svg")
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(3)?)?;
    Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
}

/// The pixel size the header gives (before any EXIF rotation); `None` when it is missing,
/// cut short or zero.
pub fn header_size(bytes: &[u8], ty: ImageType) -> Option<(u32, u32)> {
    let (w, h) = match ty {
        ImageType::Png => {
            if bytes.get(12..16) != Some(b"IHDR") {
                return None;
            }
            (be32(bytes, 16)?, be32(bytes, 20)?)
        }
        ImageType::Gif => (u32::from(le16(bytes, 6)?), u32::from(le16(bytes, 8)?)),
        ImageType::Webp => webp_size(bytes)?,
        ImageType::Jpeg => jpeg::sof_size(bytes)?,
    };
    (w > 0 && h > 0).then_some((w, h))
}

fn webp_size(b: &[u8]) -> Option<(u32, u32)> {
    match b.get(12..16)? {
        b"VP8 " => {
            // A key frame: 3-byte tag, start code, then 14-bit sizes (2 bits of scale).
            if b.get(23..26)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            Some((
                u32::from(le16(b, 26)? & 0x3FFF),
                u32::from(le16(b, 28)? & 0x3FFF),
            ))
        }
        b"VP8L" => {
            if *b.get(20)? != 0x2F {
                return None;
            }
            let s = b.get(21..25)?;
            let bits = u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
        _ => None,
    }
}

/// The size as the picture shows: EXIF orientations 5–8 turn it a quarter, so its sides swap.
pub fn display_size(header: (u32, u32), orientation: Option<u8>) -> (u32, u32) {
    match orientation {
        Some(5..=8) => (header.1, header.0),
        _ => header,
    }
}

/// What the checks found out about a picture that may be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedImage {
    pub ty: ImageType,
    /// As the header gives it.
    pub header: (u32, u32),
    /// EXIF orientation 1–8 (JPEG only).
    pub orientation: Option<u8>,
    /// As it shows, after the orientation: what to resize from.
    pub natural: (u32, u32),
    /// The name's extension names another type (a JPEG called `.png`): the bytes win; the
    /// UI may say so.
    pub extension_mismatch: bool,
}

/// Every check on a file's bytes, in order: size, type, header, pixel count.
pub fn check_image(name: &str, bytes: &[u8]) -> Result<CheckedImage, UploadError> {
    check_file_size(bytes.len() as u64)?;
    let ty = sniff(bytes)?;
    let header = header_size(bytes, ty).ok_or(UploadError::Broken)?;
    let pixels = u64::from(header.0) * u64::from(header.1);
    if pixels > MAX_PIXELS || header.0 > MAX_SIDE || header.1 > MAX_SIDE {
        return Err(UploadError::TooManyPixels {
            width: header.0,
            height: header.1,
            max: MAX_PIXELS,
        });
    }
    let orientation = match ty {
        ImageType::Jpeg => exif_orientation(bytes),
        _ => None,
    };
    Ok(CheckedImage {
        ty,
        header,
        orientation,
        natural: display_size(header, orientation),
        extension_mismatch: !ty.matches_name(name),
    })
}

/// The two copies to make: `x1` for `src`, `x2` for `src2x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetSizes {
    pub x1: (u32, u32),
    pub x2: (u32, u32),
}

impl TargetSizes {
    /// A picture no larger than its slot gives the same copy twice: one upload serves both.
    pub fn needs_2x(&self) -> bool {
        self.x2 != self.x1
    }
}

/// Fits `natural` (as shown, see [`display_size`]) into the node's `dimensions`, keeping the
/// aspect ratio and never upscaling: with both sides it fits inside the box (as the portal's
/// proportional resize does); with one side it takes that side; with none the longer side is
/// at most [`FREE_MAX_SIDE`]. The 2x copy is the same at twice the scale, again never above
/// the natural size. No side is ever 0.
pub fn target_sizes(natural: (u32, u32), dimensions: Dimensions) -> TargetSizes {
    let (w, h) = (f64::from(natural.0.max(1)), f64::from(natural.1.max(1)));
    let side = |d: Option<u32>| d.filter(|n| *n > 0).map(f64::from);
    let scale = match (side(dimensions.width), side(dimensions.height)) {
        (Some(dw), Some(dh)) => (dw / w).min(dh / h),
        (Some(dw), None) => dw / w,
        (None, Some(dh)) => dh / h,
        (None, None) => f64::from(FREE_MAX_SIDE) / w.max(h),
    };
    let at = |s: f64| {
        let s = s.min(1.0);
        let px = |n: f64| (n * s).round().clamp(1.0, f64::from(u32::MAX)) as u32;
        (px(w), px(h))
    };
    TargetSizes {
        x1: at(scale),
        x2: at(scale * 2.0),
    }
}

/// How a resized copy is encoded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OutputType {
    pub ty: ImageType,
    pub mime: &'static str,
    pub extension: &'static str,
    /// For `toBlob`; `None` for lossless types.
    pub quality: Option<f64>,
}

/// JPEG stays JPEG and PNG stays PNG. WebP stays WebP (the portal takes it), at the JPEG
/// quality; a browser that encodes no WebP (Safari gives PNG instead) is followed: name the
/// copy by the type the blob has ([`ImageType::from_mime`]). GIF becomes PNG: a canvas keeps
/// only the first frame anyway, and PNG keeps its colours and transparency without loss.
pub fn output_type(ty: ImageType) -> OutputType {
    let out = match ty {
        ImageType::Gif => ImageType::Png,
        other => other,
    };
    OutputType {
        ty: out,
        mime: out.mime(),
        extension: out.extension(),
        quality: match out {
            ImageType::Jpeg | ImageType::Webp => Some(JPEG_QUALITY),
            ImageType::Png | ImageType::Gif => None,
        },
    }
}

/// Russian letters in Latin, as the portal's own transliteration spells most of them.
fn translit(c: char) -> Option<&'static str> {
    const RU: [(char, &str); 33] = [
        ('а', "a"),
        ('б', "b"),
        ('в', "v"),
        ('г', "g"),
        ('д', "d"),
        ('е', "e"),
        ('ё', "e"),
        ('ж', "zh"),
        ('з', "z"),
        ('и', "i"),
        ('й', "y"),
        ('к', "k"),
        ('л', "l"),
        ('м', "m"),
        ('н', "n"),
        ('о', "o"),
        ('п', "p"),
        ('р', "r"),
        ('с', "s"),
        ('т', "t"),
        ('у', "u"),
        ('ф', "f"),
        ('х', "kh"),
        ('ц', "ts"),
        ('ч', "ch"),
        ('ш', "sh"),
        ('щ', "sch"),
        ('ъ', ""),
        ('ы', "y"),
        ('ь', ""),
        ('э', "e"),
        ('ю', "yu"),
        ('я', "ya"),
    ];
    let lower = c.to_lowercase().next()?;
    RU.iter().find(|(k, _)| *k == lower).map(|(_, v)| *v)
}

/// The name to upload a copy under: the original's last path part without its extension,
/// in ASCII letters, digits, `-` and `_` (Russian transliterated, other runs as `_`), at most
/// 60 characters (`image` when nothing is left), `@2x` for the 2x copy, and the extension of
/// the type it is encoded in.
pub fn upload_name(original: &str, ty: ImageType, scale: u8) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let mut clean = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            clean.push(c);
        } else if let Some(latin) = translit(c) {
            // Keep a capital: "Фото" is "Foto".
            let mut letters = latin.chars();
            if let Some(first) = letters.next() {
                clean.push(if c.is_uppercase() {
                    first.to_ascii_uppercase()
                } else {
                    first
                });
            }
            clean.extend(letters);
        } else if !clean.ends_with('_') {
            clean.push('_');
        }
    }
    let clean: String = clean
        .trim_matches('_')
        .chars()
        .take(MAX_STEM_CHARS)
        .collect();
    let clean = clean.trim_end_matches('_');
    let stem = if clean.is_empty() { "image" } else { clean };
    let marker = if scale >= 2 { "@2x" } else { "" };
    format!("{stem}{marker}.{}", ty.extension())
}

#[cfg(test)]
mod tests;
