//! What the image field says about an upload: its errors in the user's language and the
//! progress bar's stages.

use super::{UploadError, MAX_FILE_BYTES};
use crate::core::i18n::{tr, trf, Lang, Msg};

/// The refused file or answer, in words; the limits are stated.
pub fn upload_error_text(lang: Lang, err: &UploadError) -> String {
    match err {
        UploadError::Empty => tr(lang, Msg::UploadEmpty).to_string(),
        UploadError::Svg => tr(lang, Msg::UploadSvg).to_string(),
        UploadError::NotAnImage => tr(lang, Msg::UploadNotImage).to_string(),
        UploadError::Broken => tr(lang, Msg::UploadBroken).to_string(),
        UploadError::TooLarge { max, .. } => {
            trf(lang, Msg::UploadTooLarge, &[&mebibytes(*max).to_string()])
        }
        UploadError::TooManyPixels { width, height, max } => trf(
            lang,
            Msg::UploadTooManyPixels,
            &[&format!("{width}×{height}"), &(max / 1_000_000).to_string()],
        ),
        UploadError::BadAnswer(_) | UploadError::UnsafeSrc => {
            tr(lang, Msg::UploadBadAnswer).to_string()
        }
    }
}

/// The announced size limit in whole MiB, for the hint.
pub fn max_file_mib() -> u64 {
    mebibytes(MAX_FILE_BYTES)
}

fn mebibytes(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// Where an upload is; the progress bar shows one step per stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading, checking, decoding and resizing the file.
    Preparing,
    Sending1x,
    Sending2x,
}

impl Stage {
    /// `(value, max)` for `<progress>`: the stages done so far out of all of them (two
    /// uploads, or one when the picture needs no 2x copy).
    pub fn progress(self, needs_2x: bool) -> (u8, u8) {
        let max = if needs_2x { 3 } else { 2 };
        let done = match self {
            Stage::Preparing => 0,
            Stage::Sending1x => 1,
            Stage::Sending2x => 2,
        };
        (done.min(max), max)
    }

    pub fn label(self) -> Msg {
        match self {
            Stage::Preparing => Msg::UploadPreparing,
            Stage::Sending1x => Msg::UploadSending,
            Stage::Sending2x => Msg::UploadSending2x,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::upload::check_file_size;

    #[test]
    fn too_large_states_the_limit() {
        let err = check_file_size(MAX_FILE_BYTES + 1).unwrap_err();
        assert_eq!(
            upload_error_text(Lang::En, &err),
            "The file is larger than 10 MiB, the most that can be uploaded."
        );
        assert_eq!(max_file_mib(), 10);
    }

    #[test]
    fn every_refusal_has_its_own_words() {
        let errs = [
            UploadError::Empty,
            UploadError::Svg,
            UploadError::NotAnImage,
            UploadError::Broken,
            UploadError::TooManyPixels {
                width: 100_000,
                height: 100_000,
                max: 40_000_000,
            },
            UploadError::BadAnswer("x".into()),
        ];
        let texts: Vec<String> = errs
            .iter()
            .map(|e| upload_error_text(Lang::En, e))
            .collect();
        for (i, a) in texts.iter().enumerate() {
            assert!(!a.contains('{'), "{a}");
            for b in &texts[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert!(texts[4].contains("100000×100000") && texts[4].contains("40 megapixels"));
    }

    #[test]
    fn progress_counts_the_uploads_there_are() {
        assert_eq!(Stage::Preparing.progress(true), (0, 3));
        assert_eq!(Stage::Sending2x.progress(true), (2, 3));
        assert_eq!(Stage::Sending1x.progress(false), (1, 2));
        assert_eq!(Stage::Sending2x.progress(false), (2, 2));
    }
}
