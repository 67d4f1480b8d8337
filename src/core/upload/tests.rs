use super::*;

// ---------------------------------------------------------------------------------------------
// Hand-built headers (only what the readers look at; nothing here needs to decode)

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = PNG_SIGNATURE.to_vec();
    b.extend_from_slice(&13u32.to_be_bytes());
    b.extend_from_slice(b"IHDR");
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0]);
    b.extend_from_slice(&[0; 4]); // CRC, not checked
    b
}

fn gif(w: u16, h: u16) -> Vec<u8> {
    let mut b = b"GIF89a".to_vec();
    b.extend_from_slice(&w.to_le_bytes());
    b.extend_from_slice(&h.to_le_bytes());
    b.extend_from_slice(&[0, 0, 0]);
    b
}

fn riff(chunk: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut b = b"RIFF".to_vec();
    b.extend_from_slice(&((data.len() + 12) as u32).to_le_bytes());
    b.extend_from_slice(b"WEBP");
    b.extend_from_slice(chunk);
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(data);
    b
}

fn webp_lossy(w: u16, h: u16) -> Vec<u8> {
    let mut d = vec![0x9D, 0x01, 0x2A];
    d.splice(0..0, [0x30, 0x01, 0x00]); // frame tag
    d.extend_from_slice(&w.to_le_bytes());
    d.extend_from_slice(&h.to_le_bytes());
    d.extend_from_slice(&[0; 4]);
    riff(b"VP8 ", &d)
}

fn webp_lossless(w: u32, h: u32) -> Vec<u8> {
    let bits = (w - 1) | (h - 1) << 14;
    let mut d = vec![0x2F];
    d.extend_from_slice(&bits.to_le_bytes());
    d.extend_from_slice(&[0; 5]);
    riff(b"VP8L", &d)
}

fn webp_extended(w: u32, h: u32) -> Vec<u8> {
    let mut d = vec![0x10, 0, 0, 0];
    d.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
    d.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
    riff(b"VP8X", &d)
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// An EXIF APP1 payload with IFD0 holding `tags` (tag, type, value).
fn exif(little: bool, tags: &[(u16, u16, u16)]) -> Vec<u8> {
    let w16 = |v: u16| {
        if little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        }
    };
    let w32 = |v: u32| {
        if little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        }
    };
    let mut t = if little {
        b"II".to_vec()
    } else {
        b"MM".to_vec()
    };
    t.extend_from_slice(&w16(42));
    t.extend_from_slice(&w32(8));
    t.extend_from_slice(&w16(tags.len() as u16));
    for &(tag, ty, value) in tags {
        t.extend_from_slice(&w16(tag));
        t.extend_from_slice(&w16(ty));
        t.extend_from_slice(&w32(1));
        t.extend_from_slice(&w16(value));
        t.extend_from_slice(&[0, 0]);
    }
    t.extend_from_slice(&w32(0));
    let mut p = b"Exif\0\0".to_vec();
    p.extend_from_slice(&t);
    p
}

/// SOI, APP0, optional APP1, a DQT, SOF `sof` of w×h, SOS and some scan bytes, EOI.
fn jpeg_with(app1: Option<Vec<u8>>, sof: u8, w: u16, h: u16) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8];
    b.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    if let Some(p) = app1 {
        b.extend(segment(0xE1, &p));
    }
    b.extend(segment(0xDB, &[0; 65]));
    let mut f = vec![8];
    f.extend_from_slice(&h.to_be_bytes());
    f.extend_from_slice(&w.to_be_bytes());
    f.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    b.extend(segment(sof, &f));
    b.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
    b.extend_from_slice(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]);
    b
}

fn jpeg(w: u16, h: u16) -> Vec<u8> {
    jpeg_with(None, 0xC0, w, h)
}

// ---------------------------------------------------------------------------------------------
// sniff / header_size / check_image

#[test]
fn sniffs_each_type_by_its_bytes() {
    assert_eq!(sniff(&jpeg(4, 3)), Ok(ImageType::Jpeg));
    assert_eq!(sniff(&png(4, 3)), Ok(ImageType::Png));
    assert_eq!(sniff(&gif(4, 3)), Ok(ImageType::Gif));
    assert_eq!(sniff(&webp_lossy(4, 3)), Ok(ImageType::Webp));
    assert_eq!(sniff(&webp_lossless(4, 3)), Ok(ImageType::Webp));
    assert_eq!(sniff(&webp_extended(4, 3)), Ok(ImageType::Webp));
}

#[test]
fn refuses_empty_svg_unknown_and_cut_files_distinctly() {
    assert_eq!(sniff(b""), Err(UploadError::Empty));
    for svg in [
        &b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"[..],
        b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- x --><SVG></SVG>",
        b"  \n<!DOCTYPE svg><svg onload=\"alert(1)\">",
    ] {
        assert_eq!(sniff(svg), Err(UploadError::Svg));
    }
    for other in [
        &b"BM\x36\0\0\0"[..],
        b"just text",
        b"<html><body>no</body></html>",
        b"\x1f\x8b\x08\0 gzip",
        b"RIFF\0\0\0\0WAVEfmt ",
        b"%PDF-1.7",
    ] {
        assert_eq!(sniff(other), Err(UploadError::NotAnImage), "{other:?}");
    }
    for cut in [
        &[0xFF, 0xD8][..],
        &PNG_SIGNATURE[..5],
        &png(4, 3)[..20],
        b"GIF8",
        b"GIF89a\x04\0",
        b"RIFF\0\0",
        &webp_lossy(4, 3)[..20],
    ] {
        assert_eq!(sniff(cut), Err(UploadError::Broken), "{cut:?}");
    }
}

#[test]
fn header_sizes_of_every_type() {
    assert_eq!(
        header_size(&png(640, 480), ImageType::Png),
        Some((640, 480))
    );
    assert_eq!(
        header_size(&gif(300, 200), ImageType::Gif),
        Some((300, 200))
    );
    assert_eq!(
        header_size(&webp_lossy(1000, 16383), ImageType::Webp),
        Some((1000, 16383))
    );
    assert_eq!(
        header_size(&webp_lossless(16384, 2), ImageType::Webp),
        Some((16384, 2))
    );
    assert_eq!(
        header_size(&webp_extended(20000, 9), ImageType::Webp),
        Some((20000, 9))
    );
    assert_eq!(
        header_size(&jpeg(1920, 1080), ImageType::Jpeg),
        Some((1920, 1080))
    );
    // Progressive and arithmetic-coded frames count; DHT (C4) is not a frame.
    assert_eq!(
        header_size(&jpeg_with(None, 0xC2, 8, 9), ImageType::Jpeg),
        Some((8, 9))
    );
    assert_eq!(
        header_size(&jpeg_with(None, 0xC4, 8, 9), ImageType::Jpeg),
        None
    );
    // A zero side (JPEG's "height in DNL") is no size.
    assert_eq!(header_size(&jpeg(8, 0), ImageType::Jpeg), None);
    assert_eq!(header_size(&png(0, 5), ImageType::Png), None);
    // Fill bytes before a marker are allowed.
    let mut filled = jpeg(5, 6);
    filled.splice(2..2, [0xFF, 0xFF]);
    assert_eq!(header_size(&filled, ImageType::Jpeg), Some((5, 6)));
}

#[test]
fn truncated_jpeg_has_no_size() {
    let full = jpeg(1920, 1080);
    let sof = full
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("SOF in the fixture");
    // Cut anywhere before the frame segment is whole: no size, never a wrong one.
    let sof_end = sof + 4 + 15;
    for cut in 0..sof_end {
        assert_eq!(
            header_size(&full[..cut], ImageType::Jpeg),
            None,
            "cut at {cut}"
        );
    }
    assert_eq!(
        header_size(&full[..sof_end], ImageType::Jpeg),
        Some((1920, 1080))
    );
    assert_eq!(
        check_image("a.jpg", &full[..sof + 4]),
        Err(UploadError::Broken)
    );
    // A segment length pointing past the end, or below 2.
    let mut bad = full.clone();
    bad[4] = 0xFF;
    assert_eq!(header_size(&bad, ImageType::Jpeg), None);
    let mut bad = full;
    bad[4..6].copy_from_slice(&[0, 1]);
    assert_eq!(header_size(&bad, ImageType::Jpeg), None);
}

#[test]
fn bombs_are_refused_by_their_header() {
    let bomb = png(100_000, 100_000);
    assert_eq!(
        check_image("bomb.png", &bomb),
        Err(UploadError::TooManyPixels {
            width: 100_000,
            height: 100_000,
            max: MAX_PIXELS
        })
    );
    // A strip within the pixel count but wider than any canvas.
    assert!(matches!(
        check_image("strip.png", &png(40_000, 10)),
        Err(UploadError::TooManyPixels { .. })
    ));
    assert!(matches!(
        check_image("w.webp", &webp_extended(8000, 6000)),
        Err(UploadError::TooManyPixels { .. })
    ));
    // 40 MP exactly passes.
    assert!(check_image("ok.png", &png(8000, 5000)).is_ok());
}

#[test]
fn sizes_and_empty_files() {
    assert_eq!(check_file_size(0), Err(UploadError::Empty));
    assert_eq!(check_file_size(MAX_FILE_BYTES), Ok(()));
    assert_eq!(
        check_file_size(MAX_FILE_BYTES + 1),
        Err(UploadError::TooLarge {
            bytes: MAX_FILE_BYTES + 1,
            max: MAX_FILE_BYTES
        })
    );
    assert_eq!(check_image("zero.jpg", b""), Err(UploadError::Empty));
    assert!(UploadError::TooLarge {
        bytes: 1,
        max: MAX_FILE_BYTES
    }
    .to_string()
    .contains("10 MiB"));
}

#[test]
fn the_name_is_not_trusted() {
    let c = check_image("photo.png", &jpeg(10, 20)).unwrap();
    assert_eq!(c.ty, ImageType::Jpeg);
    assert!(c.extension_mismatch);
    assert!(
        !check_image("photo.JPEG", &jpeg(10, 20))
            .unwrap()
            .extension_mismatch
    );
    assert!(
        !check_image("a.b.png", &png(1, 1))
            .unwrap()
            .extension_mismatch
    );
    assert!(check_image("noext", &gif(1, 1)).unwrap().extension_mismatch);
    assert_eq!(check_image("evil.png", b"<svg/>"), Err(UploadError::Svg));
}

/// Files Chromium decodes (checked by drawing them on a canvas): a 16×8 grey baseline JPEG
/// and a 1×1 RGB PNG, as hex.
const REAL_JPEG: &str = "ffd8ffe000104a46494600010100000100010000ffdb00430001010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101ffc0000b080008001001011100ffc40014000100000000000000000000000000000000ffc40014100100000000000000000000000000000000ffda0008010100003f000fffd9";
const REAL_PNG: &str = "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000f494441547801010400fbff00e0402003440141a59812e00000000049454e44ae426082";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[test]
fn real_files_pass_every_check() {
    let j = check_image("grey.jpg", &unhex(REAL_JPEG)).unwrap();
    assert_eq!(
        (j.ty, j.header, j.orientation),
        (ImageType::Jpeg, (16, 8), None)
    );
    let p = check_image("dot.png", &unhex(REAL_PNG)).unwrap();
    assert_eq!((p.ty, p.natural), (ImageType::Png, (1, 1)));
}

// ---------------------------------------------------------------------------------------------
// EXIF

#[test]
fn exif_orientation_in_both_byte_orders() {
    for little in [true, false] {
        for o in 1..=8u16 {
            let j = jpeg_with(
                Some(exif(little, &[(0x010F, 2, 0), (0x0112, 3, o)])),
                0xC0,
                4,
                3,
            );
            assert_eq!(exif_orientation(&j), Some(o as u8), "little={little} o={o}");
            let c = check_image("r.jpg", &j).unwrap();
            assert_eq!(c.header, (4, 3));
            assert_eq!(c.natural, if o >= 5 { (3, 4) } else { (4, 3) });
        }
    }
}

#[test]
fn exif_oddities_give_none() {
    let with = |p: Vec<u8>| jpeg_with(Some(p), 0xC0, 4, 3);
    assert_eq!(exif_orientation(&jpeg(4, 3)), None);
    assert_eq!(exif_orientation(&with(exif(true, &[(0x0112, 3, 0)]))), None);
    assert_eq!(exif_orientation(&with(exif(true, &[(0x0112, 3, 9)]))), None);
    assert_eq!(
        exif_orientation(&with(exif(false, &[(0x0112, 4, 6)]))),
        None
    );
    assert_eq!(exif_orientation(&with(exif(true, &[(0x0110, 2, 6)]))), None);
    let mut bad_order = exif(true, &[(0x0112, 3, 6)]);
    bad_order[6..8].copy_from_slice(b"IM");
    assert_eq!(exif_orientation(&with(bad_order)), None);
    assert_eq!(exif_orientation(&png(1, 1)), None);
    // An IFD offset far past the segment.
    let mut far = exif(false, &[(0x0112, 3, 6)]);
    far[10..14].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(exif_orientation(&with(far)), None);
}

#[test]
fn truncated_exif_never_reads_past_the_end() {
    let full = jpeg_with(Some(exif(true, &[(0x0112, 3, 6)])), 0xC0, 4, 3);
    for cut in 0..full.len() {
        let o = exif_orientation(&full[..cut]);
        assert!(o.is_none() || o == Some(6), "cut at {cut}: {o:?}");
    }
    // A count larger than the entries present.
    let mut p = exif(true, &[(0x010F, 2, 0)]);
    p[14..16].copy_from_slice(&500u16.to_le_bytes());
    assert_eq!(exif_orientation(&jpeg_with(Some(p), 0xC0, 4, 3)), None);
}

// ---------------------------------------------------------------------------------------------
// Target sizes

fn dims(width: Option<u32>, height: Option<u32>) -> Dimensions {
    Dimensions { width, height }
}

#[test]
fn target_sizes_follow_the_manifest() {
    // Width only.
    let t = target_sizes((4000, 3000), dims(Some(800), None));
    assert_eq!((t.x1, t.x2), ((800, 600), (1600, 1200)));
    // Height only (31.1's image: height 1080).
    let t = target_sizes((4000, 3000), dims(None, Some(1080)));
    assert_eq!((t.x1, t.x2), ((1440, 1080), (2880, 2160)));
    // Both: fits inside the box.
    let t = target_sizes((4000, 3000), dims(Some(1920), Some(1080)));
    assert_eq!((t.x1, t.x2), ((1440, 1080), (2880, 2160)));
    let t = target_sizes((3000, 4000), dims(Some(1920), Some(1080)));
    assert_eq!((t.x1, t.x2), ((810, 1080), (1620, 2160)));
    // No dimensions: natural, the longer side capped.
    let t = target_sizes((6000, 4000), dims(None, None));
    assert_eq!((t.x1, t.x2), ((1920, 1280), (3840, 2560)));
    let t = target_sizes((800, 600), dims(None, None));
    assert_eq!((t.x1, t.x2), ((800, 600), (800, 600)));
}

#[test]
fn never_upscales_never_zero() {
    let t = target_sizes((300, 200), dims(Some(800), None));
    assert_eq!((t.x1, t.x2), ((300, 200), (300, 200)));
    assert!(!t.needs_2x());
    // Between 1x and 2x: the 2x copy is the natural size.
    let t = target_sizes((1000, 500), dims(Some(800), None));
    assert_eq!((t.x1, t.x2), ((800, 400), (1000, 500)));
    assert!(t.needs_2x());
    // Extreme aspect: the thin side stays at least 1.
    let t = target_sizes((30_000, 1), dims(Some(100), None));
    assert_eq!((t.x1, t.x2), ((100, 1), (200, 1)));
    let t = target_sizes((0, 0), dims(Some(0), Some(0)));
    assert_eq!((t.x1, t.x2), ((1, 1), (1, 1)));
}

#[test]
fn orientation_6_and_8_swap_before_fitting() {
    // A portrait phone photo stored landscape with orientation 6 (or 8).
    for o in [6, 8] {
        let natural = display_size((4032, 3024), Some(o));
        assert_eq!(natural, (3024, 4032));
        let t = target_sizes(natural, dims(Some(600), None));
        assert_eq!(t.x1, (600, 800));
    }
    assert_eq!(display_size((4032, 3024), Some(3)), (4032, 3024));
    assert_eq!(display_size((4032, 3024), None), (4032, 3024));
}

// ---------------------------------------------------------------------------------------------
// Output, names, params, answers

#[test]
fn output_types() {
    let j = output_type(ImageType::Jpeg);
    assert_eq!(
        (j.mime, j.extension, j.quality),
        ("image/jpeg", "jpg", Some(JPEG_QUALITY))
    );
    let p = output_type(ImageType::Png);
    assert_eq!((p.mime, p.extension, p.quality), ("image/png", "png", None));
    assert_eq!(output_type(ImageType::Gif).ty, ImageType::Png);
    assert_eq!(output_type(ImageType::Webp).mime, "image/webp");
    assert_eq!(ImageType::from_mime(" IMAGE/PNG"), Some(ImageType::Png));
    assert_eq!(ImageType::from_mime("image/svg+xml"), None);
}

#[test]
fn upload_names_are_safe() {
    let n = |s: &str, ty, scale| upload_name(s, ty, scale);
    assert_eq!(
        n("Holiday photo (1).JPG", ImageType::Jpeg, 1),
        "Holiday_photo_1.jpg"
    );
    assert_eq!(
        n("Holiday photo (1).JPG", ImageType::Jpeg, 2),
        "Holiday_photo_1@2x.jpg"
    );
    assert_eq!(n("../../etc/passwd", ImageType::Png, 1), "passwd.png");
    assert_eq!(
        n("C:\\Users\\me\\Фото лета.gif", ImageType::Png, 1),
        "Foto_leta.png"
    );
    assert_eq!(n("", ImageType::Webp, 2), "image@2x.webp");
    assert_eq!(n(".png", ImageType::Png, 1), "png.png");
    assert_eq!(n("日本.jpg", ImageType::Jpeg, 1), "image.jpg");
    assert_eq!(n("a.tar.gz.png", ImageType::Png, 1), "a_tar_gz.png");
    let long = n(&"x".repeat(500), ImageType::Jpeg, 2);
    assert_eq!(long.len(), 60 + "@2x.jpg".len());
    for name in [long, n("\u{0}<script>.png", ImageType::Png, 1)] {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.@".contains(c)),
            "{name}"
        );
    }
}

#[test]
fn params_serialize_as_the_portal_reads_them() {
    let p = UploadParams::new(103, "a.png".into(), b"hello");
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        serde_json::json!({"block": 103, "picture": ["a.png", "aGVsbG8="]})
    );
    assert_eq!(encode_base64(b""), "");
    assert_eq!(encode_base64(b"a"), "YQ==");
    assert_eq!(encode_base64(b"ab"), "YWI=");
    assert_eq!(encode_base64(&[0xFB, 0xFF]), "+/8=");
}

fn answer(v: serde_json::Value) -> Result<Uploaded, UploadError> {
    validate_answer(serde_json::from_value(v).unwrap())
}

#[test]
fn answers_are_read_leniently_and_checked() {
    let src = "https://cdn.example/b1/landing/fda/x/nature.jpg";
    let ok = Uploaded {
        id: 33873,
        src: src.into(),
    };
    assert_eq!(
        answer(serde_json::json!({"id": 33873, "src": src})),
        Ok(ok.clone())
    );
    assert_eq!(
        answer(serde_json::json!({"id": "33873", "src": format!(" {src} ")})),
        Ok(ok)
    );
    for bad in [
        serde_json::json!(false),
        serde_json::json!([1, "x"]),
        serde_json::json!({"src": src}),
        serde_json::json!({"id": 0, "src": src}),
        serde_json::json!({"id": -4, "src": src}),
        serde_json::json!({"id": "12a", "src": src}),
        serde_json::json!({"id": 1.5, "src": src}),
        serde_json::json!({"id": 1}),
        serde_json::json!({"id": 1, "src": ""}),
        serde_json::json!({"id": 1, "src": ["x"]}),
    ] {
        assert!(
            matches!(answer(bad.clone()), Err(UploadError::BadAnswer(_))),
            "{bad}"
        );
    }
    for unsafe_src in [
        "javascript:alert(1)",
        " JaVa\tScript:x",
        "data:image/png;base64,AAAA",
        "DATA:text/html,x",
        "vbscript:x",
    ] {
        assert_eq!(
            answer(serde_json::json!({"id": 1, "src": unsafe_src})),
            Err(UploadError::UnsafeSrc),
            "{unsafe_src}"
        );
    }
}

#[test]
fn relative_srcs_become_absolute() {
    let o = "https://portal.example/";
    assert_eq!(
        absolute_src("/upload/a.jpg", o),
        "https://portal.example/upload/a.jpg"
    );
    assert_eq!(
        absolute_src("//cdn.example/a.jpg", o),
        "https://cdn.example/a.jpg"
    );
    assert_eq!(
        absolute_src("//h/a.jpg", "http://127.0.0.1:8090"),
        "http://h/a.jpg"
    );
    assert_eq!(absolute_src("https://x/a.jpg", o), "https://x/a.jpg");
}

// ---------------------------------------------------------------------------------------------
// Properties: no input panics the readers, and target sizes keep their promises

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;

    /// Arbitrary bytes, and real headers with random bytes spliced in or cut off.
    fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
        let seeds = prop_oneof![
            Just(jpeg_with(
                Some(exif(true, &[(0x0112, 3, 6)])),
                0xC0,
                640,
                480
            )),
            Just(jpeg_with(Some(exif(false, &[(0x0112, 3, 8)])), 0xC2, 7, 9)),
            Just(png(100_000, 100_000)),
            Just(gif(1, 1)),
            Just(webp_lossy(9, 9)),
            Just(webp_lossless(9, 9)),
            Just(webp_extended(9, 9)),
        ];
        prop_oneof![
            vec(any::<u8>(), 0..256),
            (seeds, any::<usize>(), vec(any::<u8>(), 0..8), any::<bool>()).prop_map(
                |(mut b, at, junk, cut)| {
                    let at = at % (b.len() + 1);
                    if cut {
                        b.truncate(at);
                    } else {
                        let end = (at + junk.len()).min(b.len());
                        b.splice(at..end, junk);
                    }
                    b
                }
            ),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn readers_never_panic(bytes in hostile_bytes()) {
            let _ = sniff(&bytes);
            for ty in [ImageType::Jpeg, ImageType::Png, ImageType::Gif, ImageType::Webp] {
                if let Some((w, h)) = header_size(&bytes, ty) {
                    prop_assert!(w > 0 && h > 0);
                }
            }
            if let Some(o) = exif_orientation(&bytes) {
                prop_assert!((1..=8).contains(&o));
            }
            if let Ok(c) = check_image("x.jpg", &bytes) {
                prop_assert!(u64::from(c.header.0) * u64::from(c.header.1) <= MAX_PIXELS);
            }
        }

        #[test]
        fn target_sizes_are_bounded(
            w in 0u32..=u32::MAX, h in 0u32..=u32::MAX,
            dw in proptest::option::of(0u32..100_000), dh in proptest::option::of(0u32..100_000),
        ) {
            let t = target_sizes((w, h), Dimensions { width: dw, height: dh });
            for (x, y) in [t.x1, t.x2] {
                prop_assert!(x >= 1 && y >= 1);
                prop_assert!(x <= w.max(1) && y <= h.max(1), "upscaled: {t:?}");
            }
            prop_assert!(t.x2.0 >= t.x1.0 && t.x2.1 >= t.x1.1);
            let dw = dw.filter(|n| *n > 0);
            let dh = dh.filter(|n| *n > 0);
            if let Some(dw) = dw {
                prop_assert!(t.x1.0 <= dw.max(1) && t.x2.0 <= 2 * dw.max(1), "{t:?}");
            }
            if let Some(dh) = dh {
                prop_assert!(t.x1.1 <= dh.max(1) && t.x2.1 <= 2 * dh.max(1), "{t:?}");
            }
            if dw.is_none() && dh.is_none() {
                prop_assert!(t.x1.0.max(t.x1.1) <= FREE_MAX_SIDE);
            }
        }
    }
}
