//! UI languages and every message the app shows, in each language.
//!
//! Bitrix24 passes its own language codes (`la` is Spanish, `br` Portuguese,
//! `ua` Ukrainian); anything unknown falls back to English.

use std::cell::RefCell;

use serde::{Deserialize, Deserializer};

use super::loose::{AnyShape, Loose};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ru,
    De,
    La,
    Br,
    Pl,
    Fr,
    Ua,
}

impl Lang {
    pub const ALL: [Lang; 8] = [
        Lang::En,
        Lang::Ru,
        Lang::De,
        Lang::La,
        Lang::Br,
        Lang::Pl,
        Lang::Fr,
        Lang::Ua,
    ];

    /// Maps a Bitrix24 `LANG` code (case-insensitive, surrounding blanks ignored).
    pub fn from_code(code: &str) -> Lang {
        match code.trim().to_ascii_lowercase().as_str() {
            "ru" => Lang::Ru,
            "de" => Lang::De,
            "la" => Lang::La,
            "br" => Lang::Br,
            "pl" => Lang::Pl,
            "fr" => Lang::Fr,
            "ua" => Lang::Ua,
            _ => Lang::En,
        }
    }

    /// The Bitrix24 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::De => "de",
            Lang::La => "la",
            Lang::Br => "br",
            Lang::Pl => "pl",
            Lang::Fr => "fr",
            Lang::Ua => "ua",
        }
    }

    /// The BCP 47 tag for the document's `lang` attribute.
    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::De => "de",
            Lang::La => "es",
            Lang::Br => "pt-BR",
            Lang::Pl => "pl",
            Lang::Fr => "fr",
            Lang::Ua => "uk",
        }
    }
}

/// Every message of the UI. `{0}`, `{1}` are placeholders filled by [`trf`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    // Start-up
    Loading,
    NotInFrameTitle,
    NotInFrameBody,
    NotInFrameDev,
    BridgeTimeout,
    BridgeFailed,
    // Placement context errors
    ContextErrorTitle,
    CtxInvalidOptionsJson,
    CtxMissingField,
    CtxInvalidId,
    CtxInvalidCode,
    CtxNotBlockPlacement,
    CtxInvalidDomain,
    CtxInsecureProtocol,
    CtxMissingAuth,
    // REST errors
    LoadErrorTitle,
    ErrExpiredToken,
    ErrNoAuth,
    ErrInsufficientScope,
    ErrAccessDenied,
    ErrInvalidRequest,
    ErrQueryLimit,
    ErrOverload,
    ErrOperationTimeLimit,
    ErrInternal,
    ErrBlockNotFound,
    ErrLandingNotExist,
    ErrPortal,
    ErrHttp,
    ErrTransport,
    ErrTimeout,
    ErrBadResponse,
    // Header
    CodeLabel,
    BlockIdLabel,
    PageLabel,
    AccessLabel,
    AccessFull,
    AccessWrite,
    AccessDesignOnly,
    AccessDenied,
    AccessClosed,
    ReadOnlyNotice,
    // Fields
    BlockContent,
    CardTitle,
    FieldText,
    FieldLink,
    FieldImage,
    FieldIcon,
    FieldEmbed,
    TextHint,
    TextToolbar,
    TextBold,
    TextItalic,
    TextUnderline,
    TextStrike,
    TextLink,
    TextLinkAddress,
    TextLinkApply,
    TextLinkRemove,
    TextLinkCancel,
    TextBullets,
    TextNumbers,
    TextClear,
    TextExpert,
    TextNoDrop,
    LinkText,
    LinkUrl,
    LinkNewTab,
    LinkChoose,
    LinkPickerTitle,
    LinkPickPage,
    LinkPickBlock,
    LinkPickUrl,
    LinkPickPhone,
    LinkPickEmail,
    LinkSearch,
    LinkListLoading,
    LinkListFailed,
    LinkNoPages,
    LinkNoBlocks,
    LinkNoMatch,
    LinkShowMore,
    LinkUse,
    LinkClose,
    LinkTargetPage,
    LinkTargetBlock,
    LinkTargetPageId,
    LinkTargetBlockId,
    LinkTargetUrl,
    LinkTargetPhone,
    LinkTargetEmail,
    LinkTargetNone,
    LinkPageHidden,
    LinkErrEmpty,
    LinkErrUnsafe,
    LinkErrBlank,
    LinkErrNoDigits,
    LinkErrBadEmail,
    ImageUrl,
    ImageAlt,
    ImageSrc2x,
    ImagePreviewAlt,
    UploadChoose,
    UploadHint,
    UploadPreparing,
    UploadSending,
    UploadSending2x,
    UploadCancel,
    UploadRetry,
    UploadDone,
    UploadEmpty,
    UploadSvg,
    UploadNotImage,
    UploadBroken,
    UploadTooLarge,
    UploadTooManyPixels,
    UploadFailed,
    UploadBadAnswer,
    IconHint,
    EmbedHint,
    Changed,
    NoEditableNodes,
    ReadOnlyNodesTitle,
    ReasonMap,
    ReasonComponent,
    ReasonStyleImage,
    ReasonUnknownType,
    UnnamedNode,
    // Actions and their results
    Save,
    Saving,
    Discard,
    Close,
    Retry,
    Saved,
    SavedUnconfirmed,
    SaveFailed,
    SaveDeniedKeepEdits,
    EditsKept,
    ChangesCount,
    NoChanges,
    ConfirmClose,
    Retrying,
    KeepEditing,
    CloseWithoutSaving,
    InstallTitle,
    InstallBind,
    InstallDone,
    InstallNeedsAdmin,
    DraftRestored,
    BlockBackground,
    UnsafeUrl,
    SettingsIntro,
    SettingsAdminOnly,
    BindingsTitle,
    BindingsEmpty,
    TargetAll,
    TargetBlock,
    StateAdopted,
    StateMissing,
    MenuTitleLabel,
    HandlerLabel,
    HandlerHint,
    Rename,
    Unbind,
    BindAgain,
    Forget,
    AddTitle,
    AddWhereLabel,
    AddWhereHint,
    AddButton,
    CodeEmpty,
    TooLong,
    CodeBadChar,
    CodeBadRepo,
    HandlerNotAbsolute,
    HandlerNotHttps,
    HandlerBadHost,
    HandlerCredentials,
    HandlerFragment,
    TitleEmpty,
    BoundDone,
    AlreadyBound,
    UnboundDone,
    RenamedDone,
    ForgottenDone,
    RecordSaveFailed,
    CatalogueFailed,
    Working,
    SettingsLoadFailed,
    // Health check findings
    HealthTemplateText,
    HealthEmptyText,
    HealthEmptyLinkText,
    HealthLinkNowhere,
    HealthLinkInsecure,
    HealthLinkScript,
    HealthBadEmail,
    HealthBadPhone,
    HealthMissingAlt,
    HealthImageHeavy,
    HealthImageBlurry,
    HealthBadVideo,
    HealthDuplicateText,
    HealthTitle,
    HealthCount,
    HealthClean,
    PreviewTitle,
    ViewForm,
    PreviewHint,
    CardAdd,
    CardDuplicate,
    CardRemove,
    CardMoveUp,
    CardMoveDown,
    CardDrag,
    CardLastStays,
    CardNew,
    CardActions,
    CardsSavedReloaded,
    CardsSavedUnconfirmed,
    CardsChangedElsewhere,
}

impl Msg {
    /// The key of each message in the translation files, in declaration order.
    pub const NAMES: [&'static str; 220] = [
        "Loading",
        "NotInFrameTitle",
        "NotInFrameBody",
        "NotInFrameDev",
        "BridgeTimeout",
        "BridgeFailed",
        "ContextErrorTitle",
        "CtxInvalidOptionsJson",
        "CtxMissingField",
        "CtxInvalidId",
        "CtxInvalidCode",
        "CtxNotBlockPlacement",
        "CtxInvalidDomain",
        "CtxInsecureProtocol",
        "CtxMissingAuth",
        "LoadErrorTitle",
        "ErrExpiredToken",
        "ErrNoAuth",
        "ErrInsufficientScope",
        "ErrAccessDenied",
        "ErrInvalidRequest",
        "ErrQueryLimit",
        "ErrOverload",
        "ErrOperationTimeLimit",
        "ErrInternal",
        "ErrBlockNotFound",
        "ErrLandingNotExist",
        "ErrPortal",
        "ErrHttp",
        "ErrTransport",
        "ErrTimeout",
        "ErrBadResponse",
        "CodeLabel",
        "BlockIdLabel",
        "PageLabel",
        "AccessLabel",
        "AccessFull",
        "AccessWrite",
        "AccessDesignOnly",
        "AccessDenied",
        "AccessClosed",
        "ReadOnlyNotice",
        "BlockContent",
        "CardTitle",
        "FieldText",
        "FieldLink",
        "FieldImage",
        "FieldIcon",
        "FieldEmbed",
        "TextHint",
        "TextToolbar",
        "TextBold",
        "TextItalic",
        "TextUnderline",
        "TextStrike",
        "TextLink",
        "TextLinkAddress",
        "TextLinkApply",
        "TextLinkRemove",
        "TextLinkCancel",
        "TextBullets",
        "TextNumbers",
        "TextClear",
        "TextExpert",
        "TextNoDrop",
        "LinkText",
        "LinkUrl",
        "LinkNewTab",
        "LinkChoose",
        "LinkPickerTitle",
        "LinkPickPage",
        "LinkPickBlock",
        "LinkPickUrl",
        "LinkPickPhone",
        "LinkPickEmail",
        "LinkSearch",
        "LinkListLoading",
        "LinkListFailed",
        "LinkNoPages",
        "LinkNoBlocks",
        "LinkNoMatch",
        "LinkShowMore",
        "LinkUse",
        "LinkClose",
        "LinkTargetPage",
        "LinkTargetBlock",
        "LinkTargetPageId",
        "LinkTargetBlockId",
        "LinkTargetUrl",
        "LinkTargetPhone",
        "LinkTargetEmail",
        "LinkTargetNone",
        "LinkPageHidden",
        "LinkErrEmpty",
        "LinkErrUnsafe",
        "LinkErrBlank",
        "LinkErrNoDigits",
        "LinkErrBadEmail",
        "ImageUrl",
        "ImageAlt",
        "ImageSrc2x",
        "ImagePreviewAlt",
        "UploadChoose",
        "UploadHint",
        "UploadPreparing",
        "UploadSending",
        "UploadSending2x",
        "UploadCancel",
        "UploadRetry",
        "UploadDone",
        "UploadEmpty",
        "UploadSvg",
        "UploadNotImage",
        "UploadBroken",
        "UploadTooLarge",
        "UploadTooManyPixels",
        "UploadFailed",
        "UploadBadAnswer",
        "IconHint",
        "EmbedHint",
        "Changed",
        "NoEditableNodes",
        "ReadOnlyNodesTitle",
        "ReasonMap",
        "ReasonComponent",
        "ReasonStyleImage",
        "ReasonUnknownType",
        "UnnamedNode",
        "Save",
        "Saving",
        "Discard",
        "Close",
        "Retry",
        "Saved",
        "SavedUnconfirmed",
        "SaveFailed",
        "SaveDeniedKeepEdits",
        "EditsKept",
        "ChangesCount",
        "NoChanges",
        "ConfirmClose",
        "Retrying",
        "KeepEditing",
        "CloseWithoutSaving",
        "InstallTitle",
        "InstallBind",
        "InstallDone",
        "InstallNeedsAdmin",
        "DraftRestored",
        "BlockBackground",
        "UnsafeUrl",
        "SettingsIntro",
        "SettingsAdminOnly",
        "BindingsTitle",
        "BindingsEmpty",
        "TargetAll",
        "TargetBlock",
        "StateAdopted",
        "StateMissing",
        "MenuTitleLabel",
        "HandlerLabel",
        "HandlerHint",
        "Rename",
        "Unbind",
        "BindAgain",
        "Forget",
        "AddTitle",
        "AddWhereLabel",
        "AddWhereHint",
        "AddButton",
        "CodeEmpty",
        "TooLong",
        "CodeBadChar",
        "CodeBadRepo",
        "HandlerNotAbsolute",
        "HandlerNotHttps",
        "HandlerBadHost",
        "HandlerCredentials",
        "HandlerFragment",
        "TitleEmpty",
        "BoundDone",
        "AlreadyBound",
        "UnboundDone",
        "RenamedDone",
        "ForgottenDone",
        "RecordSaveFailed",
        "CatalogueFailed",
        "Working",
        "SettingsLoadFailed",
        "HealthTemplateText",
        "HealthEmptyText",
        "HealthEmptyLinkText",
        "HealthLinkNowhere",
        "HealthLinkInsecure",
        "HealthLinkScript",
        "HealthBadEmail",
        "HealthBadPhone",
        "HealthMissingAlt",
        "HealthImageHeavy",
        "HealthImageBlurry",
        "HealthBadVideo",
        "HealthDuplicateText",
        "HealthTitle",
        "HealthCount",
        "HealthClean",
        "PreviewTitle",
        "ViewForm",
        "PreviewHint",
        "CardAdd",
        "CardDuplicate",
        "CardRemove",
        "CardMoveUp",
        "CardMoveDown",
        "CardDrag",
        "CardLastStays",
        "CardNew",
        "CardActions",
        "CardsSavedReloaded",
        "CardsSavedUnconfirmed",
        "CardsChangedElsewhere",
    ];

    /// Every variant once, in declaration order (checked by a test).
    pub const ALL: [Msg; 220] = [
        Msg::Loading,
        Msg::NotInFrameTitle,
        Msg::NotInFrameBody,
        Msg::NotInFrameDev,
        Msg::BridgeTimeout,
        Msg::BridgeFailed,
        Msg::ContextErrorTitle,
        Msg::CtxInvalidOptionsJson,
        Msg::CtxMissingField,
        Msg::CtxInvalidId,
        Msg::CtxInvalidCode,
        Msg::CtxNotBlockPlacement,
        Msg::CtxInvalidDomain,
        Msg::CtxInsecureProtocol,
        Msg::CtxMissingAuth,
        Msg::LoadErrorTitle,
        Msg::ErrExpiredToken,
        Msg::ErrNoAuth,
        Msg::ErrInsufficientScope,
        Msg::ErrAccessDenied,
        Msg::ErrInvalidRequest,
        Msg::ErrQueryLimit,
        Msg::ErrOverload,
        Msg::ErrOperationTimeLimit,
        Msg::ErrInternal,
        Msg::ErrBlockNotFound,
        Msg::ErrLandingNotExist,
        Msg::ErrPortal,
        Msg::ErrHttp,
        Msg::ErrTransport,
        Msg::ErrTimeout,
        Msg::ErrBadResponse,
        Msg::CodeLabel,
        Msg::BlockIdLabel,
        Msg::PageLabel,
        Msg::AccessLabel,
        Msg::AccessFull,
        Msg::AccessWrite,
        Msg::AccessDesignOnly,
        Msg::AccessDenied,
        Msg::AccessClosed,
        Msg::ReadOnlyNotice,
        Msg::BlockContent,
        Msg::CardTitle,
        Msg::FieldText,
        Msg::FieldLink,
        Msg::FieldImage,
        Msg::FieldIcon,
        Msg::FieldEmbed,
        Msg::TextHint,
        Msg::TextToolbar,
        Msg::TextBold,
        Msg::TextItalic,
        Msg::TextUnderline,
        Msg::TextStrike,
        Msg::TextLink,
        Msg::TextLinkAddress,
        Msg::TextLinkApply,
        Msg::TextLinkRemove,
        Msg::TextLinkCancel,
        Msg::TextBullets,
        Msg::TextNumbers,
        Msg::TextClear,
        Msg::TextExpert,
        Msg::TextNoDrop,
        Msg::LinkText,
        Msg::LinkUrl,
        Msg::LinkNewTab,
        Msg::LinkChoose,
        Msg::LinkPickerTitle,
        Msg::LinkPickPage,
        Msg::LinkPickBlock,
        Msg::LinkPickUrl,
        Msg::LinkPickPhone,
        Msg::LinkPickEmail,
        Msg::LinkSearch,
        Msg::LinkListLoading,
        Msg::LinkListFailed,
        Msg::LinkNoPages,
        Msg::LinkNoBlocks,
        Msg::LinkNoMatch,
        Msg::LinkShowMore,
        Msg::LinkUse,
        Msg::LinkClose,
        Msg::LinkTargetPage,
        Msg::LinkTargetBlock,
        Msg::LinkTargetPageId,
        Msg::LinkTargetBlockId,
        Msg::LinkTargetUrl,
        Msg::LinkTargetPhone,
        Msg::LinkTargetEmail,
        Msg::LinkTargetNone,
        Msg::LinkPageHidden,
        Msg::LinkErrEmpty,
        Msg::LinkErrUnsafe,
        Msg::LinkErrBlank,
        Msg::LinkErrNoDigits,
        Msg::LinkErrBadEmail,
        Msg::ImageUrl,
        Msg::ImageAlt,
        Msg::ImageSrc2x,
        Msg::ImagePreviewAlt,
        Msg::UploadChoose,
        Msg::UploadHint,
        Msg::UploadPreparing,
        Msg::UploadSending,
        Msg::UploadSending2x,
        Msg::UploadCancel,
        Msg::UploadRetry,
        Msg::UploadDone,
        Msg::UploadEmpty,
        Msg::UploadSvg,
        Msg::UploadNotImage,
        Msg::UploadBroken,
        Msg::UploadTooLarge,
        Msg::UploadTooManyPixels,
        Msg::UploadFailed,
        Msg::UploadBadAnswer,
        Msg::IconHint,
        Msg::EmbedHint,
        Msg::Changed,
        Msg::NoEditableNodes,
        Msg::ReadOnlyNodesTitle,
        Msg::ReasonMap,
        Msg::ReasonComponent,
        Msg::ReasonStyleImage,
        Msg::ReasonUnknownType,
        Msg::UnnamedNode,
        Msg::Save,
        Msg::Saving,
        Msg::Discard,
        Msg::Close,
        Msg::Retry,
        Msg::Saved,
        Msg::SavedUnconfirmed,
        Msg::SaveFailed,
        Msg::SaveDeniedKeepEdits,
        Msg::EditsKept,
        Msg::ChangesCount,
        Msg::NoChanges,
        Msg::ConfirmClose,
        Msg::Retrying,
        Msg::KeepEditing,
        Msg::CloseWithoutSaving,
        Msg::InstallTitle,
        Msg::InstallBind,
        Msg::InstallDone,
        Msg::InstallNeedsAdmin,
        Msg::DraftRestored,
        Msg::BlockBackground,
        Msg::UnsafeUrl,
        Msg::SettingsIntro,
        Msg::SettingsAdminOnly,
        Msg::BindingsTitle,
        Msg::BindingsEmpty,
        Msg::TargetAll,
        Msg::TargetBlock,
        Msg::StateAdopted,
        Msg::StateMissing,
        Msg::MenuTitleLabel,
        Msg::HandlerLabel,
        Msg::HandlerHint,
        Msg::Rename,
        Msg::Unbind,
        Msg::BindAgain,
        Msg::Forget,
        Msg::AddTitle,
        Msg::AddWhereLabel,
        Msg::AddWhereHint,
        Msg::AddButton,
        Msg::CodeEmpty,
        Msg::TooLong,
        Msg::CodeBadChar,
        Msg::CodeBadRepo,
        Msg::HandlerNotAbsolute,
        Msg::HandlerNotHttps,
        Msg::HandlerBadHost,
        Msg::HandlerCredentials,
        Msg::HandlerFragment,
        Msg::TitleEmpty,
        Msg::BoundDone,
        Msg::AlreadyBound,
        Msg::UnboundDone,
        Msg::RenamedDone,
        Msg::ForgottenDone,
        Msg::RecordSaveFailed,
        Msg::CatalogueFailed,
        Msg::Working,
        Msg::SettingsLoadFailed,
        Msg::HealthTemplateText,
        Msg::HealthEmptyText,
        Msg::HealthEmptyLinkText,
        Msg::HealthLinkNowhere,
        Msg::HealthLinkInsecure,
        Msg::HealthLinkScript,
        Msg::HealthBadEmail,
        Msg::HealthBadPhone,
        Msg::HealthMissingAlt,
        Msg::HealthImageHeavy,
        Msg::HealthImageBlurry,
        Msg::HealthBadVideo,
        Msg::HealthDuplicateText,
        Msg::HealthTitle,
        Msg::HealthCount,
        Msg::HealthClean,
        Msg::PreviewTitle,
        Msg::ViewForm,
        Msg::PreviewHint,
        Msg::CardAdd,
        Msg::CardDuplicate,
        Msg::CardRemove,
        Msg::CardMoveUp,
        Msg::CardMoveDown,
        Msg::CardDrag,
        Msg::CardLastStays,
        Msg::CardNew,
        Msg::CardActions,
        Msg::CardsSavedReloaded,
        Msg::CardsSavedUnconfirmed,
        Msg::CardsChangedElsewhere,
    ];
}

/// English, the reference and the fallback.
fn en(msg: Msg) -> &'static str {
    match msg {
        Msg::Loading => "Loading the block…",
        Msg::NotInFrameTitle => "Open this app from the Sites editor",
        Msg::NotInFrameBody => "This app edits one block of a Bitrix24 Sites page. Open the page in the Sites editor, point at a block, click More and choose this app.",
        Msg::NotInFrameDev => "Developing? Run scripts/dev.sh and open the editor emulator it prints (by default {0}).",
        Msg::BridgeTimeout => "The Bitrix24 editor did not answer. Close the app and open it again.",
        Msg::BridgeFailed => "The connection to the Bitrix24 editor failed: {0}",
        Msg::ContextErrorTitle => "The app was opened with data it cannot use",
        Msg::CtxInvalidOptionsJson => "The placement options are not valid JSON.",
        Msg::CtxMissingField => "The placement data has no {0}.",
        Msg::CtxInvalidId => "{0} must be a positive whole number, not “{1}”.",
        Msg::CtxInvalidCode => "The block code is empty or too long.",
        Msg::CtxNotBlockPlacement => "This app edits blocks, but it was opened from “{0}”, not from a block's More menu.",
        Msg::CtxInvalidDomain => "The portal address “{0}” is not a valid host name; nothing was sent to it.",
        Msg::CtxInsecureProtocol => "The portal {0} is not served over HTTPS; the app will not send your authorization to it.",
        Msg::CtxMissingAuth => "The editor passed no authorization to the app.",
        Msg::LoadErrorTitle => "The block could not be loaded",
        Msg::ErrExpiredToken => "Your session expired and could not be renewed. Close the app and open it again.",
        Msg::ErrNoAuth => "The portal did not accept the app's authorization.",
        Msg::ErrInsufficientScope => "The app lacks the “landing” permission on this portal. Ask an administrator to reinstall it.",
        Msg::ErrAccessDenied => "You do not have permission to change this block.",
        Msg::ErrInvalidRequest => "The portal refused the request (it requires HTTPS).",
        Msg::ErrQueryLimit => "The portal is receiving too many requests. Wait a moment and try again.",
        Msg::ErrOverload => "The portal is overloaded. Wait a moment and try again.",
        Msg::ErrOperationTimeLimit => "The portal's time limit for this operation is used up. Try again later.",
        Msg::ErrInternal => "The portal had an internal error. Try again.",
        Msg::ErrBlockNotFound => "The block is not on this page's draft any more. It may have been deleted.",
        Msg::ErrLandingNotExist => "The page does not exist any more.",
        Msg::ErrPortal => "The portal answered with error {0}: {1}",
        Msg::ErrHttp => "The portal answered with HTTP status {0}.",
        Msg::ErrTransport => "The portal could not be reached. Check your connection and try again.",
        Msg::ErrTimeout => "The portal did not answer in time. Try again.",
        Msg::ErrBadResponse => "The portal sent an answer the app could not read.",
        Msg::CodeLabel => "Code",
        Msg::BlockIdLabel => "Block ID",
        Msg::PageLabel => "Page",
        Msg::AccessLabel => "Your access",
        Msg::AccessFull => "full access",
        Msg::AccessWrite => "can edit content and design",
        Msg::AccessDesignOnly => "can change design only",
        Msg::AccessDenied => "no access",
        Msg::AccessClosed => "closed for editing",
        Msg::ReadOnlyNotice => "You can look at this block's content but not change it: your access is “{0}”.",
        Msg::BlockContent => "Block content",
        Msg::CardTitle => "{0} #{1}",
        Msg::FieldText => "Text",
        Msg::FieldLink => "Link",
        Msg::FieldImage => "Image",
        Msg::FieldIcon => "Icon",
        Msg::FieldEmbed => "Video",
        Msg::TextHint => "HTML: formatting such as <b>, <br> and links is kept.",
        Msg::TextToolbar => "Formatting",
        Msg::TextBold => "Bold",
        Msg::TextItalic => "Italic",
        Msg::TextUnderline => "Underline",
        Msg::TextStrike => "Strikethrough",
        Msg::TextLink => "Link",
        Msg::TextLinkAddress => "Link address",
        Msg::TextLinkApply => "Apply",
        Msg::TextLinkRemove => "Remove link",
        Msg::TextLinkCancel => "Cancel",
        Msg::TextBullets => "Bulleted list",
        Msg::TextNumbers => "Numbered list",
        Msg::TextClear => "Clear formatting",
        Msg::TextExpert => "Edit as HTML",
        Msg::TextNoDrop => "Files and pictures cannot be dropped into text; replace a picture in its image field.",
        Msg::LinkText => "Link text",
        Msg::LinkUrl => "Address (URL)",
        Msg::LinkNewTab => "Open in a new tab",
        Msg::LinkChoose => "Choose a link…",
        Msg::LinkPickerTitle => "Link to",
        Msg::LinkPickPage => "Page of this site",
        Msg::LinkPickBlock => "Block of this page",
        Msg::LinkPickUrl => "Web address",
        Msg::LinkPickPhone => "Phone",
        Msg::LinkPickEmail => "E-mail",
        Msg::LinkSearch => "Search",
        Msg::LinkListLoading => "Loading the site's pages and blocks…",
        Msg::LinkListFailed => "Could not load the pages and blocks: {0}",
        Msg::LinkNoPages => "This site has no pages to link to.",
        Msg::LinkNoBlocks => "This page has no blocks to link to.",
        Msg::LinkNoMatch => "Nothing matches “{0}”.",
        Msg::LinkShowMore => "Show more ({0} left)",
        Msg::LinkUse => "Use",
        Msg::LinkClose => "Close",
        Msg::LinkTargetPage => "Page: {0}",
        Msg::LinkTargetBlock => "Block: {0}",
        Msg::LinkTargetPageId => "Page #{0}",
        Msg::LinkTargetBlockId => "Block #{0}",
        Msg::LinkTargetUrl => "Address: {0}",
        Msg::LinkTargetPhone => "Phone: {0}",
        Msg::LinkTargetEmail => "E-mail: {0}",
        Msg::LinkTargetNone => "No link yet",
        Msg::LinkPageHidden => "not published",
        Msg::LinkErrEmpty => "Type it in first.",
        Msg::LinkErrUnsafe => "Addresses starting with javascript:, vbscript: or data: run code on the page and are refused.",
        Msg::LinkErrBlank => "An address cannot contain spaces.",
        Msg::LinkErrNoDigits => "A phone number needs digits.",
        Msg::LinkErrBadEmail => "This is not an e-mail address.",
        Msg::ImageUrl => "Image address (URL)",
        Msg::ImageAlt => "Alternative text",
        Msg::ImageSrc2x => "Image for high-density screens (2x)",
        Msg::ImagePreviewAlt => "Preview of {0}",
        Msg::UploadChoose => "Choose a file…",
        Msg::UploadHint => "or drop a picture on this field, or paste one: JPEG, PNG, GIF or WebP, at most {0} MiB",
        Msg::UploadPreparing => "Preparing the picture…",
        Msg::UploadSending => "Uploading the picture…",
        Msg::UploadSending2x => "Uploading the picture for high-density screens…",
        Msg::UploadCancel => "Cancel upload",
        Msg::UploadRetry => "Try again",
        Msg::UploadDone => "The picture is uploaded. Save to put it in the block.",
        Msg::UploadEmpty => "The file is empty.",
        Msg::UploadSvg => "SVG pictures cannot be uploaded. Use a JPEG, PNG, GIF or WebP picture.",
        Msg::UploadNotImage => "The file is not a JPEG, PNG, GIF or WebP picture.",
        Msg::UploadBroken => "The picture is damaged or cut short and cannot be read.",
        Msg::UploadTooLarge => "The file is larger than {0} MiB, the most that can be uploaded.",
        Msg::UploadTooManyPixels => "The picture is {0} pixels; at most {1} megapixels can be used.",
        Msg::UploadFailed => "The picture could not be uploaded: {0}",
        Msg::UploadBadAnswer => "The portal's answer to the upload could not be used.",
        Msg::IconHint => "Space-separated CSS classes, for example “fa fa-star”.",
        Msg::EmbedHint => "A YouTube or Vimeo page address, or an embed address.",
        Msg::Changed => "changed",
        Msg::NoEditableNodes => "This block has no content that can be edited here.",
        Msg::ReadOnlyNodesTitle => "Not editable here",
        Msg::ReasonMap => "maps are edited in the Sites editor",
        Msg::ReasonComponent => "dynamic content comes from a component",
        Msg::ReasonStyleImage => "background set in the block's design settings",
        Msg::ReasonUnknownType => "this kind of content ({0}) is not supported",
        Msg::UnnamedNode => "Unnamed element",
        Msg::Save => "Save",
        Msg::Saving => "Saving…",
        Msg::Discard => "Discard changes",
        Msg::Close => "Close",
        Msg::Retry => "Try again",
        Msg::Saved => "Saved.",
        Msg::SavedUnconfirmed => "Saved, but the editor did not confirm that it refreshed the block. Reload the page to see the change.",
        Msg::SaveFailed => "Not saved.",
        Msg::SaveDeniedKeepEdits => "You do not have permission to change this block. Your edits are still here.",
        Msg::EditsKept => "Your edits are still here.",
        Msg::ChangesCount => "Unsaved changes: {0}",
        Msg::NoChanges => "No changes",
        Msg::ConfirmClose => "You have unsaved changes. Close without saving them?",
        Msg::Retrying => "The portal is busy, trying again…",
        Msg::KeepEditing => "Keep editing",
        Msg::CloseWithoutSaving => "Close without saving",
        Msg::InstallTitle => "Block editor",
        Msg::InstallBind => "Add to every block",
        Msg::InstallDone => "Done: open a page in the Sites editor, point at a block and choose More → {0}.",
        Msg::InstallNeedsAdmin => "Only a portal administrator can add the app to the blocks.",
        Msg::DraftRestored => "Your unsaved edits from the last time were restored ({0}). Save them, or discard them to go back to the block as it is.",
        Msg::BlockBackground => "Block background",
        Msg::UnsafeUrl => "This address would run a script on the page, so it cannot be saved. Use a web address (https://…) or a page path.",
        Msg::SettingsIntro => "Choose in which blocks' More menu the app appears in the Sites editor.",
        Msg::SettingsAdminOnly => "Only a portal administrator can change where the app appears.",
        Msg::BindingsTitle => "Where the app appears",
        Msg::BindingsEmpty => "The app is not in any block's More menu yet.",
        Msg::TargetAll => "Every block",
        Msg::TargetBlock => "Block {0}",
        Msg::StateAdopted => "added outside the app",
        Msg::StateMissing => "removed outside the app: not in the menu now",
        Msg::MenuTitleLabel => "Menu item title",
        Msg::HandlerLabel => "Handler address (URL)",
        Msg::HandlerHint => "The page the portal opens. It is where this app is served from; change it only when you host the app elsewhere.",
        Msg::Rename => "Rename",
        Msg::Unbind => "Remove from the menu",
        Msg::BindAgain => "Add again",
        Msg::Forget => "Forget",
        Msg::AddTitle => "Add to blocks",
        Msg::AddWhereLabel => "Block code",
        Msg::AddWhereHint => "* for every block, a block code such as 04.1.one_col_fix_with_title, or repo_<ID> for a custom block. Start typing to pick from the block catalogue.",
        Msg::AddButton => "Add",
        Msg::CodeEmpty => "Enter a block code, or * for every block.",
        Msg::TooLong => "This is too long.",
        Msg::CodeBadChar => "A block code has only Latin letters, digits, dots, hyphens and underscores; “{0}” is not allowed.",
        Msg::CodeBadRepo => "A custom block is repo_ followed by its number, for example repo_1132.",
        Msg::HandlerNotAbsolute => "Enter a full address that starts with https://.",
        Msg::HandlerNotHttps => "The address must use https:// (http:// only for 127.0.0.1 or localhost while developing).",
        Msg::HandlerBadHost => "The address's host name is not valid.",
        Msg::HandlerCredentials => "The address must not contain a user name or password.",
        Msg::HandlerFragment => "The address must not contain #.",
        Msg::TitleEmpty => "Enter the menu item title.",
        Msg::BoundDone => "Added “{0}”: {1}.",
        Msg::AlreadyBound => "It was already in the menu: {0}.",
        Msg::UnboundDone => "Removed from the menu: {0}.",
        Msg::RenamedDone => "Renamed to “{0}”.",
        Msg::ForgottenDone => "Forgotten: {0}.",
        Msg::RecordSaveFailed => "The app could not save its list of bindings: {0}",
        Msg::CatalogueFailed => "The block catalogue could not be loaded, but you can still type a block code. {0}",
        Msg::Working => "Working…",
        Msg::SettingsLoadFailed => "The app's settings page could not be loaded. Check your connection and try again.",
        Msg::HealthTemplateText => "This is still the template's placeholder text (such as “Lorem ipsum”). Replace it with your own.",
        Msg::HealthEmptyText => "This text is empty, but the block had text here.",
        Msg::HealthEmptyLinkText => "The link has no text, so visitors cannot see what it leads to.",
        Msg::HealthLinkNowhere => "The link goes nowhere: its address is empty or just “#”.",
        Msg::HealthLinkInsecure => "The link uses http:// while the portal uses https://. Browsers may warn about it; use https:// if the site supports it.",
        Msg::HealthLinkScript => "The link address runs a script or holds data (javascript:, vbscript:, data:) instead of opening a page.",
        Msg::HealthBadEmail => "The e-mail link has no valid address: “{0}”.",
        Msg::HealthBadPhone => "The phone link is not a valid number: “{0}”. Use digits, +, spaces, dashes and brackets.",
        Msg::HealthMissingAlt => "The image has no alternative text, so screen readers and search engines cannot describe it.",
        Msg::HealthImageHeavy => "The image is {0} pixels, far larger than its place needs, so the page loads slower than it has to. About {1} is enough, even for high-density screens.",
        Msg::HealthImageBlurry => "The image is {0} pixels, smaller than its place needs ({1}), so it will look blurry.",
        Msg::HealthBadVideo => "The video address is not a YouTube or Vimeo video that can be embedded.",
        Msg::HealthDuplicateText => "The same text is in all {0} cards, though each card should have its own.",
        Msg::HealthTitle => "Health check",
        Msg::HealthCount => "{0} to check",
        Msg::HealthClean => "Nothing left to fix: no template text, dead links or missing alternative texts.",
        Msg::PreviewTitle => "Preview",
        Msg::ViewForm => "Fields",
        Msg::PreviewHint => "The block with your unsaved changes, which are outlined. Click a part to edit it.",
        Msg::CardAdd => "Add a card",
        Msg::CardDuplicate => "Duplicate",
        Msg::CardRemove => "Remove",
        Msg::CardMoveUp => "Move up",
        Msg::CardMoveDown => "Move down",
        Msg::CardDrag => "Drag to reorder",
        Msg::CardLastStays => "The last card cannot be removed: a block keeps at least one.",
        Msg::CardNew => "new",
        Msg::CardActions => "Actions for {0}",
        Msg::CardsSavedReloaded => "Saved. The block was loaded again with its new cards.",
        Msg::CardsSavedUnconfirmed => "Saved and loaded again here, but the Sites editor did not confirm that it redrew the block: reopen the page there to see it.",
        Msg::CardsChangedElsewhere => "Nothing was saved: the block was changed somewhere else since you opened it. It has been loaded again as it is now. Your text edits were kept wherever they still fit; redo your card changes on the block as it is.",
    }
}

// ---------------------------------------------------------------- other languages
//
// The other languages live in `static/i18n/<code>.json` (`{"MessageName": "text"}`), so the
// wasm carries English only and the browser fetches the one file the user needs. Native
// builds (tests, the end-to-end tests' expected texts) embed every file instead. Notes for
// translators:
// - `ru`: Russian. Terms follow the Russian Bitrix24 UI («Сайты», «Ещё», «Сохранить»).
// - `de`: German, formal address („Sie“). Terms follow the German Bitrix24 UI („Websites“, „Mehr“, „Speichern“).
// - `la`: Spanish (Bitrix24's `la`, Latin American), formal address (usted). Terms follow the Spanish Bitrix24 UI (“Sitios”, “Más”, “Guardar”).
// - `br`: Portuguese (Brazil). Terms follow the Brazilian Bitrix24 UI (“Sites”, “Mais”, “Salvar”).
// - `pl`: Polish. Terms follow the Polish Bitrix24 UI („Strony”, „Więcej”, „Zapisz”).
// - `fr`: French, formal address (vous). Guillemets and the high punctuation (`:` `;` `?`) take a no-break space (U+00A0) as French typography requires. Terms follow the French Bitrix24 UI (« Sites », « Plus », « Enregistrer »).
// - `ua`: Ukrainian. Terms follow the Ukrainian Bitrix24 UI («Сайти», «Ще», «Зберегти»).

/// One installed language: a text per `Msg` (by position), `None` where the file has none.
type Table = &'static [Option<&'static str>];

thread_local! {
    static INSTALLED: RefCell<Vec<(Lang, Table)>> = const { RefCell::new(Vec::new()) };
}

/// A translation file as it arrives: `{"MessageName": "text"}` (values that are not
/// strings count as missing); anything but an object is refused.
pub struct Translations(pub Vec<(String, Loose)>);

impl<'de> Deserialize<'de> for Translations {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Translations, D::Error> {
        match AnyShape::<Loose>::deserialize(d)? {
            AnyShape::Map(entries) => Ok(Translations(entries)),
            _ => Err(serde::de::Error::custom("a translation file is an object")),
        }
    }
}

/// Makes `lang` speak from a translation file. Keys it does not know are ignored and messages
/// it lacks stay English. Installing a language again replaces it.
pub fn install(lang: Lang, texts: &Translations) {
    // Each language is installed once per page, so leaking gives `&'static str` cheaply.
    let table: Vec<Option<&'static str>> = Msg::NAMES
        .iter()
        .map(|name| {
            texts
                .0
                .iter()
                .find(|(key, _)| key == name)
                .and_then(|(_, text)| text.as_str())
                .filter(|t| !t.trim().is_empty())
                .map(|t| &*Box::leak(t.to_owned().into_boxed_str()))
        })
        .collect();
    let table: Table = Box::leak(table.into_boxed_slice());
    INSTALLED.with(|installed| {
        let mut installed = installed.borrow_mut();
        installed.retain(|(l, _)| *l != lang);
        installed.push((lang, table));
    });
}

/// Whether `lang` needs no file (English) or has one installed.
pub fn is_ready(lang: Lang) -> bool {
    lang == Lang::En || INSTALLED.with(|i| i.borrow().iter().any(|(l, _)| *l == lang))
}

fn installed(lang: Lang, msg: Msg) -> Option<&'static str> {
    INSTALLED.with(|i| {
        i.borrow()
            .iter()
            .find(|(l, _)| *l == lang)
            .and_then(|(_, table)| table.get(msg as usize).copied().flatten())
    })
}

/// The translation files, embedded in native builds only.
#[cfg(not(target_arch = "wasm32"))]
pub const FILES: [(Lang, &str); 7] = [
    (Lang::Ru, include_str!("../../static/i18n/ru.json")),
    (Lang::De, include_str!("../../static/i18n/de.json")),
    (Lang::La, include_str!("../../static/i18n/la.json")),
    (Lang::Br, include_str!("../../static/i18n/br.json")),
    (Lang::Pl, include_str!("../../static/i18n/pl.json")),
    (Lang::Fr, include_str!("../../static/i18n/fr.json")),
    (Lang::Ua, include_str!("../../static/i18n/ua.json")),
];

/// Native builds speak every language without being told to.
#[cfg(not(target_arch = "wasm32"))]
fn ensure_embedded(lang: Lang) {
    if !is_ready(lang) {
        if let Some((_, file)) = FILES.iter().find(|(l, _)| *l == lang) {
            // Native only (the wasm fetches its file and reads it through the browser).
            if let Ok(texts) = serde_json::from_str::<Translations>(file) {
                install(lang, &texts);
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn ensure_embedded(_lang: Lang) {}

/// The message in `lang`, or in English until that language's file is installed.
pub fn tr(lang: Lang, msg: Msg) -> &'static str {
    if lang != Lang::En {
        ensure_embedded(lang);
        if let Some(text) = installed(lang, msg) {
            return text;
        }
    }
    en(msg)
}

/// The message in `lang` with `{0}`, `{1}`, … replaced by `args`.
///
/// One pass over the template: text coming from an argument is never scanned
/// again, so an argument that itself contains `{1}` stays literal. A
/// placeholder without a matching argument is left as written.
pub fn trf(lang: Lang, msg: Msg, args: &[&str]) -> String {
    let template = tr(lang, msg);
    let mut out =
        String::with_capacity(template.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        // `{` and ASCII digits are one byte each, so these slices stay on char boundaries.
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let arg = if digits > 0 && after.as_bytes().get(digits) == Some(&b'}') {
            after[..digits]
                .parse::<usize>()
                .ok()
                .and_then(|i| args.get(i))
        } else {
            None
        };
        match arg {
            Some(arg) => {
                out.push_str(arg);
                rest = &after[digits + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

// Native only: the wasm build carries English alone (plain #[test]s do not run there anyway).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde_json::{Map, Value};

    /// A file read as the browser edge reads it (serde_json here).
    fn install(lang: Lang, file: &str) -> Result<(), String> {
        let texts: Translations = serde_json::from_str(file).map_err(|e| e.to_string())?;
        super::install(lang, &texts);
        Ok(())
    }

    /// Lists every variant once. The generated exhaustive `match` stops
    /// compiling when a variant is missing here, and a repeated one is an
    /// unreachable pattern (denied below).
    macro_rules! every_variant {
        ($($v:ident),* $(,)?) => {{
            #[deny(unreachable_patterns)]
            fn _exhaustive(m: Msg) {
                match m {
                    $(Msg::$v => {})*
                }
            }
            vec![$(Msg::$v),*]
        }};
    }

    fn every_msg() -> Vec<Msg> {
        every_variant![
            Loading,
            NotInFrameTitle,
            NotInFrameBody,
            NotInFrameDev,
            BridgeTimeout,
            BridgeFailed,
            ContextErrorTitle,
            CtxInvalidOptionsJson,
            CtxMissingField,
            CtxInvalidId,
            CtxInvalidCode,
            CtxNotBlockPlacement,
            CtxInvalidDomain,
            CtxInsecureProtocol,
            CtxMissingAuth,
            LoadErrorTitle,
            ErrExpiredToken,
            ErrNoAuth,
            ErrInsufficientScope,
            ErrAccessDenied,
            ErrInvalidRequest,
            ErrQueryLimit,
            ErrOverload,
            ErrOperationTimeLimit,
            ErrInternal,
            ErrBlockNotFound,
            ErrLandingNotExist,
            ErrPortal,
            ErrHttp,
            ErrTransport,
            ErrTimeout,
            ErrBadResponse,
            CodeLabel,
            BlockIdLabel,
            PageLabel,
            AccessLabel,
            AccessFull,
            AccessWrite,
            AccessDesignOnly,
            AccessDenied,
            AccessClosed,
            ReadOnlyNotice,
            BlockContent,
            CardTitle,
            FieldText,
            FieldLink,
            FieldImage,
            FieldIcon,
            FieldEmbed,
            TextHint,
            TextToolbar,
            TextBold,
            TextItalic,
            TextUnderline,
            TextStrike,
            TextLink,
            TextLinkAddress,
            TextLinkApply,
            TextLinkRemove,
            TextLinkCancel,
            TextBullets,
            TextNumbers,
            TextClear,
            TextExpert,
            TextNoDrop,
            LinkText,
            LinkUrl,
            LinkNewTab,
            LinkChoose,
            LinkPickerTitle,
            LinkPickPage,
            LinkPickBlock,
            LinkPickUrl,
            LinkPickPhone,
            LinkPickEmail,
            LinkSearch,
            LinkListLoading,
            LinkListFailed,
            LinkNoPages,
            LinkNoBlocks,
            LinkNoMatch,
            LinkShowMore,
            LinkUse,
            LinkClose,
            LinkTargetPage,
            LinkTargetBlock,
            LinkTargetPageId,
            LinkTargetBlockId,
            LinkTargetUrl,
            LinkTargetPhone,
            LinkTargetEmail,
            LinkTargetNone,
            LinkPageHidden,
            LinkErrEmpty,
            LinkErrUnsafe,
            LinkErrBlank,
            LinkErrNoDigits,
            LinkErrBadEmail,
            ImageUrl,
            ImageAlt,
            ImageSrc2x,
            ImagePreviewAlt,
            UploadChoose,
            UploadHint,
            UploadPreparing,
            UploadSending,
            UploadSending2x,
            UploadCancel,
            UploadRetry,
            UploadDone,
            UploadEmpty,
            UploadSvg,
            UploadNotImage,
            UploadBroken,
            UploadTooLarge,
            UploadTooManyPixels,
            UploadFailed,
            UploadBadAnswer,
            IconHint,
            EmbedHint,
            Changed,
            NoEditableNodes,
            ReadOnlyNodesTitle,
            ReasonMap,
            ReasonComponent,
            ReasonStyleImage,
            ReasonUnknownType,
            UnnamedNode,
            Save,
            Saving,
            Discard,
            Close,
            Retry,
            Saved,
            SavedUnconfirmed,
            SaveFailed,
            SaveDeniedKeepEdits,
            EditsKept,
            ChangesCount,
            NoChanges,
            ConfirmClose,
            Retrying,
            KeepEditing,
            CloseWithoutSaving,
            InstallTitle,
            InstallBind,
            InstallDone,
            InstallNeedsAdmin,
            DraftRestored,
            BlockBackground,
            UnsafeUrl,
            SettingsIntro,
            SettingsAdminOnly,
            BindingsTitle,
            BindingsEmpty,
            TargetAll,
            TargetBlock,
            StateAdopted,
            StateMissing,
            MenuTitleLabel,
            HandlerLabel,
            HandlerHint,
            Rename,
            Unbind,
            BindAgain,
            Forget,
            AddTitle,
            AddWhereLabel,
            AddWhereHint,
            AddButton,
            CodeEmpty,
            TooLong,
            CodeBadChar,
            CodeBadRepo,
            HandlerNotAbsolute,
            HandlerNotHttps,
            HandlerBadHost,
            HandlerCredentials,
            HandlerFragment,
            TitleEmpty,
            BoundDone,
            AlreadyBound,
            UnboundDone,
            RenamedDone,
            ForgottenDone,
            RecordSaveFailed,
            CatalogueFailed,
            Working,
            SettingsLoadFailed,
            HealthTemplateText,
            HealthEmptyText,
            HealthEmptyLinkText,
            HealthLinkNowhere,
            HealthLinkInsecure,
            HealthLinkScript,
            HealthBadEmail,
            HealthBadPhone,
            HealthMissingAlt,
            HealthImageHeavy,
            HealthImageBlurry,
            HealthBadVideo,
            HealthDuplicateText,
            HealthTitle,
            HealthCount,
            HealthClean,
            PreviewTitle,
            ViewForm,
            PreviewHint,
            CardAdd,
            CardDuplicate,
            CardRemove,
            CardMoveUp,
            CardMoveDown,
            CardDrag,
            CardLastStays,
            CardNew,
            CardActions,
            CardsSavedReloaded,
            CardsSavedUnconfirmed,
            CardsChangedElsewhere,
        ]
    }

    /// The placeholder indices of `text` in order of appearance.
    fn placeholders(text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && after.as_bytes().get(digits) == Some(&b'}') {
                if let Ok(i) = after[..digits].parse() {
                    found.push(i);
                }
            }
            rest = after;
        }
        found
    }

    fn sorted(mut v: Vec<usize>) -> Vec<usize> {
        v.sort_unstable();
        v
    }

    #[test]
    fn all_lists_every_variant_exactly_once() {
        let every = every_msg();
        for (i, a) in Msg::ALL.iter().enumerate() {
            for b in &Msg::ALL[i + 1..] {
                assert_ne!(a, b, "Msg::ALL lists {a:?} twice");
            }
        }
        for m in &every {
            assert!(Msg::ALL.contains(m), "Msg::ALL misses {m:?}");
        }
        assert_eq!(Msg::ALL.len(), every.len());
    }

    #[test]
    fn names_and_positions_follow_the_declaration() {
        for (i, msg) in Msg::ALL.into_iter().enumerate() {
            assert_eq!(msg as usize, i);
            assert_eq!(Msg::NAMES[i], format!("{msg:?}"));
        }
    }

    #[test]
    fn every_file_has_exactly_every_message() {
        let names: Vec<&str> = Msg::NAMES.to_vec();
        let covered: Vec<Lang> = FILES.iter().map(|(l, _)| *l).collect();
        let others: Vec<Lang> = Lang::ALL.into_iter().filter(|l| *l != Lang::En).collect();
        assert_eq!(covered, others, "one file per language but English");
        for (lang, file) in FILES {
            let texts: Map<String, Value> = serde_json::from_str(file).expect("valid JSON");
            let keys: Vec<&str> = texts.keys().map(String::as_str).collect();
            let missing: Vec<&&str> = names.iter().filter(|n| !keys.contains(n)).collect();
            let unknown: Vec<&&str> = keys.iter().filter(|k| !names.contains(k)).collect();
            assert!(
                missing.is_empty() && unknown.is_empty(),
                "{}: missing {missing:?}, unknown {unknown:?}",
                lang.code()
            );
            assert!(texts.values().all(Value::is_string), "{}", lang.code());
        }
    }

    #[test]
    fn an_installed_file_replaces_and_falls_back_per_message() {
        // Its own thread: the table is per thread and other tests use the real files.
        std::thread::spawn(|| {
            let file = r#"{"Save": "Speichern!", "Unknown": "x", "Close": "  ", "Retry": 5}"#;
            install(Lang::De, file).expect("installs");
            assert_eq!(tr(Lang::De, Msg::Save), "Speichern!");
            assert_eq!(tr(Lang::De, Msg::Close), "Close", "blank falls back");
            assert_eq!(tr(Lang::De, Msg::Retry), "Try again", "non-text falls back");
            assert_eq!(
                tr(Lang::De, Msg::Discard),
                "Discard changes",
                "missing falls back"
            );
            assert!(install(Lang::Ru, "{not json").is_err());
            assert!(install(Lang::Ru, "[]").is_err());
        })
        .join()
        .expect("the check thread");
    }

    #[test]
    fn lang_all_lists_each_language_once() {
        for (i, a) in Lang::ALL.iter().enumerate() {
            for b in &Lang::ALL[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn every_message_is_non_empty_in_every_language() {
        for lang in Lang::ALL {
            for msg in Msg::ALL {
                assert!(
                    !tr(lang, msg).trim().is_empty(),
                    "{msg:?} is empty in {}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn translations_keep_exactly_the_english_placeholders() {
        for lang in Lang::ALL {
            for msg in Msg::ALL {
                let english = en(msg);
                let text = tr(lang, msg);
                assert_eq!(
                    sorted(placeholders(text)),
                    sorted(placeholders(english)),
                    "{msg:?} in {}: {text:?}",
                    lang.code()
                );
                // A mistyped placeholder such as `{0` would leave a stray brace.
                for brace in ['{', '}'] {
                    assert_eq!(
                        text.matches(brace).count(),
                        english.matches(brace).count(),
                        "{msg:?} in {}: {text:?}",
                        lang.code()
                    );
                }
            }
        }
    }

    #[test]
    fn placeholder_scanner_finds_indices() {
        assert_eq!(placeholders("{1} a {0} b {12}"), vec![1, 0, 12]);
        assert_eq!(placeholders("{x} {} {0"), Vec::<usize>::new());
    }

    #[test]
    fn each_language_is_actually_translated() {
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
            let same: Vec<Msg> = Msg::ALL
                .into_iter()
                .filter(|m| tr(lang, *m) == en(*m))
                .collect();
            assert!(
                same.len() * 10 <= Msg::ALL.len(),
                "{} leaves {} of {} messages in English: {same:?}",
                lang.code(),
                same.len(),
                Msg::ALL.len()
            );
        }
    }

    #[test]
    fn tr_picks_the_requested_language() {
        assert_eq!(tr(Lang::En, Msg::Save), "Save");
        assert_eq!(tr(Lang::Ru, Msg::Save), "Сохранить");
        assert_eq!(tr(Lang::Ru, Msg::Close), "Закрыть");
        assert_eq!(tr(Lang::De, Msg::Save), "Speichern");
        assert_eq!(tr(Lang::La, Msg::Save), "Guardar");
        assert_eq!(tr(Lang::Br, Msg::Save), "Salvar");
        assert_eq!(tr(Lang::Pl, Msg::Save), "Zapisz");
        assert_eq!(tr(Lang::Fr, Msg::Save), "Enregistrer");
        assert_eq!(tr(Lang::Ua, Msg::Save), "Зберегти");
    }

    #[test]
    fn from_code_maps_all_codes_case_insensitively() {
        for lang in Lang::ALL {
            let code = lang.code();
            assert_eq!(Lang::from_code(code), lang);
            assert_eq!(Lang::from_code(&code.to_ascii_uppercase()), lang);
            assert_eq!(Lang::from_code(&format!(" {code}\n")), lang);
        }
        assert_eq!(Lang::from_code("Ru"), Lang::Ru);
        assert_eq!(Lang::from_code("uA"), Lang::Ua);
        assert_eq!(Lang::from_code("LA"), Lang::La);
        assert_eq!(Lang::from_code("bR"), Lang::Br);
    }

    #[test]
    fn from_code_falls_back_to_english() {
        for code in ["", "xx", "it", "kz", "  ", "es", "pt", "uk", "ru-RU"] {
            assert_eq!(Lang::from_code(code), Lang::En, "code {code:?}");
        }
    }

    #[test]
    fn html_tags_are_bcp47() {
        assert_eq!(Lang::La.html_tag(), "es");
        assert_eq!(Lang::Br.html_tag(), "pt-BR");
        assert_eq!(Lang::Ua.html_tag(), "uk");
        assert_eq!(Lang::En.html_tag(), "en");
    }

    #[test]
    fn trf_fills_placeholders() {
        assert_eq!(
            trf(Lang::En, Msg::ErrPortal, &["ACCESS_DENIED", "No access"]),
            "The portal answered with error ACCESS_DENIED: No access"
        );
        assert_eq!(
            trf(Lang::Ru, Msg::ChangesCount, &["3"]),
            "Несохранённых изменений: 3"
        );
        assert_eq!(
            trf(Lang::Fr, Msg::ChangesCount, &["3"]),
            "Modifications non enregistrées\u{a0}: 3"
        );
    }

    #[test]
    fn trf_substitutes_in_one_pass() {
        // The first argument looks like the second placeholder; it must stay literal.
        assert_eq!(trf(Lang::En, Msg::CardTitle, &["{1}", "2"]), "{1} #2");
        assert_eq!(trf(Lang::En, Msg::CardTitle, &["a", "{0}"]), "a #{0}");
        assert_eq!(
            trf(Lang::En, Msg::CtxInvalidId, &["{1}", "{0}"]),
            "{1} must be a positive whole number, not “{0}”."
        );
    }

    #[test]
    fn trf_keeps_placeholders_without_arguments() {
        assert_eq!(trf(Lang::En, Msg::CardTitle, &["Text"]), "Text #{1}");
        assert_eq!(trf(Lang::En, Msg::CardTitle, &[]), "{0} #{1}");
        assert_eq!(trf(Lang::En, Msg::Save, &["unused"]), "Save");
    }

    #[test]
    fn trf_fills_every_placeholder_in_every_language() {
        for lang in Lang::ALL {
            for msg in Msg::ALL {
                let out = trf(lang, msg, &["ARG_ZERO", "ARG_ONE"]);
                assert!(
                    placeholders(&out).is_empty(),
                    "{msg:?} in {}: {out}",
                    lang.code()
                );
                for i in placeholders(en(msg)) {
                    let arg = ["ARG_ZERO", "ARG_ONE"][i];
                    assert!(out.contains(arg), "{msg:?} in {} lost {arg}", lang.code());
                }
            }
        }
    }
}
