//! Walking a JPEG's marker segments up to the scan: the frame size (SOFn) and the EXIF
//! orientation (APP1). Every read is bounds-checked; a cut or broken file ends the walk.

/// Marker segments `(marker, payload)` from after SOI up to (not including) the scan.
struct Segments<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Segments<'a> {
    fn new(bytes: &'a [u8]) -> Segments<'a> {
        let start = if bytes.starts_with(&[0xFF, 0xD8]) {
            2
        } else {
            bytes.len()
        };
        Segments { bytes, pos: start }
    }
}

impl<'a> Iterator for Segments<'a> {
    type Item = (u8, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if *self.bytes.get(self.pos)? != 0xFF {
                return None; // not a marker: broken, stop
            }
            // Any number of 0xFF fill bytes may come before the marker code.
            let mut at = self.pos + 1;
            while *self.bytes.get(at)? == 0xFF {
                at += 1;
            }
            let marker = self.bytes[at];
            match marker {
                // Standalone markers carry no length.
                0x01 | 0xD0..=0xD8 => {
                    self.pos = at + 1;
                    continue;
                }
                // Scan or end: no more header segments.
                0xD9 | 0xDA | 0x00 => return None,
                _ => {}
            }
            let len_at = at + 1;
            let hi = *self.bytes.get(len_at)?;
            let lo = *self.bytes.get(len_at + 1)?;
            let len = usize::from(u16::from_be_bytes([hi, lo]));
            if len < 2 {
                return None;
            }
            let end = len_at.checked_add(len)?;
            let payload = self.bytes.get(len_at + 2..end)?;
            // The walk only moves forward, so it ends on every input.
            self.pos = end;
            return Some((marker, payload));
        }
    }
}

/// Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC).
fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// `(width, height)` of the first frame header.
pub(super) fn sof_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let (_, p) = Segments::new(bytes).find(|(m, _)| is_sof(*m))?;
    // precision (1), height (2), width (2)
    let h = u16::from_be_bytes([*p.get(1)?, *p.get(2)?]);
    let w = u16::from_be_bytes([*p.get(3)?, *p.get(4)?]);
    Some((u32::from(w), u32::from(h)))
}

/// The EXIF orientation (1–8) of a JPEG, from the first APP1 `Exif` segment's IFD0; `None`
/// when there is none, it is out of range, or anything on the way is cut short. Both TIFF
/// byte orders (`II` little-endian, `MM` big-endian) are read.
pub fn exif_orientation(jpeg: &[u8]) -> Option<u8> {
    let (_, app1) = Segments::new(jpeg).find(|(m, p)| *m == 0xE1 && p.starts_with(b"Exif\0\0"))?;
    let tiff = app1.get(6..)?;
    let little = match tiff.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let s = tiff.get(at..at.checked_add(2)?)?;
        Some(if little {
            u16::from_le_bytes([s[0], s[1]])
        } else {
            u16::from_be_bytes([s[0], s[1]])
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let s = tiff.get(at..at.checked_add(4)?)?;
        let b = [s[0], s[1], s[2], s[3]];
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    if u16_at(2)? != 42 {
        return None;
    }
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    for i in 0..count {
        let entry = ifd.checked_add(2)?.checked_add(i.checked_mul(12)?)?;
        // A cut entry ends the search.
        if u16_at(entry)? != 0x0112 {
            continue;
        }
        // Type SHORT (3); the value sits in the first two bytes of the value field.
        if u16_at(entry + 2)? != 3 {
            return None;
        }
        let v = u16_at(entry + 8)?;
        return u8::try_from(v).ok().filter(|o| (1..=8).contains(o));
    }
    None
}
