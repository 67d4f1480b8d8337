//! UI languages and every message the app shows, in each language.
//!
//! Bitrix24 passes its own language codes (`la` is Spanish, `br` Portuguese,
//! `ua` Ukrainian); anything unknown falls back to English.

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
    ErrBadManifest,
    // Header
    BlockLabel,
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
    LinkText,
    LinkUrl,
    LinkNewTab,
    ImageUrl,
    ImageAlt,
    ImageSrc2x,
    ImagePreviewAlt,
    IconClasses,
    IconHint,
    EmbedUrl,
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
    InstallBody,
    InstallBind,
    InstallDone,
    InstallNeedsAdmin,
    DraftRestored,
    BlockBackground,
    UnsafeUrl,
}

impl Msg {
    /// Every variant once, in declaration order (checked by a test).
    pub const ALL: [Msg; 95] = [
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
        Msg::ErrBadManifest,
        Msg::BlockLabel,
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
        Msg::LinkText,
        Msg::LinkUrl,
        Msg::LinkNewTab,
        Msg::ImageUrl,
        Msg::ImageAlt,
        Msg::ImageSrc2x,
        Msg::ImagePreviewAlt,
        Msg::IconClasses,
        Msg::IconHint,
        Msg::EmbedUrl,
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
        Msg::InstallBody,
        Msg::InstallBind,
        Msg::InstallDone,
        Msg::InstallNeedsAdmin,
        Msg::DraftRestored,
        Msg::BlockBackground,
        Msg::UnsafeUrl,
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
        Msg::ErrBadManifest => "The block's description could not be read: {0}",
        Msg::BlockLabel => "Block",
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
        Msg::LinkText => "Link text",
        Msg::LinkUrl => "Address (URL)",
        Msg::LinkNewTab => "Open in a new tab",
        Msg::ImageUrl => "Image address (URL)",
        Msg::ImageAlt => "Alternative text",
        Msg::ImageSrc2x => "Image for high-density screens (2x)",
        Msg::ImagePreviewAlt => "Preview of {0}",
        Msg::IconClasses => "Icon classes",
        Msg::IconHint => "Space-separated CSS classes, for example “fa fa-star”.",
        Msg::EmbedUrl => "Video address (URL)",
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
        Msg::InstallBody => "Adds “{0}” to the More menu of every block in the Sites editor.",
        Msg::InstallBind => "Add to every block",
        Msg::InstallDone => "Done: open a page in the Sites editor, point at a block and choose More → {0}.",
        Msg::InstallNeedsAdmin => "Only a portal administrator can add the app to the blocks.",
        Msg::DraftRestored => "Your unsaved edits from the last time were restored ({0}). Save them, or discard them to go back to the block as it is.",
        Msg::BlockBackground => "Block background",
        Msg::UnsafeUrl => "This address would run a script on the page, so it cannot be saved. Use a web address (https://…) or a page path.",
    }
}

// Every translation below is an exhaustive `match` without a wildcard arm, so a
// new `Msg` does not compile until each language has its text.

/// Russian. Terms follow the Russian Bitrix24 UI («Сайты», «Ещё», «Сохранить»).
fn ru(msg: Msg) -> &'static str {
    match msg {
        Msg::Loading => "Загрузка блока…",
        Msg::NotInFrameTitle => "Откройте это приложение из редактора сайтов",
        Msg::NotInFrameBody => "Это приложение редактирует один блок страницы в разделе «Сайты» Битрикс24. Откройте страницу в редакторе сайтов, наведите указатель на блок, нажмите «Ещё» и выберите это приложение.",
        Msg::NotInFrameDev => "Идёт разработка? Запустите scripts/dev.sh и откройте эмулятор редактора, адрес которого он выведет (по умолчанию {0}).",
        Msg::BridgeTimeout => "Редактор Битрикс24 не ответил. Закройте приложение и откройте его снова.",
        Msg::BridgeFailed => "Не удалось связаться с редактором Битрикс24: {0}",
        Msg::ContextErrorTitle => "Приложение открыто с данными, которые оно не может использовать",
        Msg::CtxInvalidOptionsJson => "Параметры места встраивания не являются корректным JSON.",
        Msg::CtxMissingField => "В данных места встраивания нет поля {0}.",
        Msg::CtxInvalidId => "Значение {0} должно быть целым положительным числом, а не «{1}».",
        Msg::CtxInvalidCode => "Код блока пустой или слишком длинный.",
        Msg::CtxNotBlockPlacement => "Это приложение редактирует блоки, но его открыли из «{0}», а не из меню «Ещё» блока.",
        Msg::CtxInvalidDomain => "Адрес портала «{0}» не является допустимым именем хоста; на него ничего не отправлялось.",
        Msg::CtxInsecureProtocol => "Портал {0} работает не по HTTPS; приложение не будет передавать ему вашу авторизацию.",
        Msg::CtxMissingAuth => "Редактор не передал приложению данные авторизации.",
        Msg::LoadErrorTitle => "Не удалось загрузить блок",
        Msg::ErrExpiredToken => "Сеанс истёк, и продлить его не удалось. Закройте приложение и откройте его снова.",
        Msg::ErrNoAuth => "Портал не принял авторизацию приложения.",
        Msg::ErrInsufficientScope => "У приложения нет права «landing» на этом портале. Попросите администратора переустановить его.",
        Msg::ErrAccessDenied => "У вас нет прав на изменение этого блока.",
        Msg::ErrInvalidRequest => "Портал отклонил запрос (требуется HTTPS).",
        Msg::ErrQueryLimit => "Портал получает слишком много запросов. Подождите немного и повторите попытку.",
        Msg::ErrOverload => "Портал перегружен. Подождите немного и повторите попытку.",
        Msg::ErrOperationTimeLimit => "Лимит времени портала на эту операцию исчерпан. Повторите попытку позже.",
        Msg::ErrInternal => "На портале произошла внутренняя ошибка. Повторите попытку.",
        Msg::ErrBlockNotFound => "Этого блока больше нет в черновике страницы. Возможно, он был удалён.",
        Msg::ErrLandingNotExist => "Страница больше не существует.",
        Msg::ErrPortal => "Портал вернул ошибку {0}: {1}",
        Msg::ErrHttp => "Портал ответил с HTTP-статусом {0}.",
        Msg::ErrTransport => "Не удалось связаться с порталом. Проверьте подключение и повторите попытку.",
        Msg::ErrTimeout => "Портал не ответил вовремя. Повторите попытку.",
        Msg::ErrBadResponse => "Портал прислал ответ, который приложение не смогло прочитать.",
        Msg::ErrBadManifest => "Не удалось прочитать описание блока: {0}",
        Msg::BlockLabel => "Блок",
        Msg::CodeLabel => "Код",
        Msg::BlockIdLabel => "ID блока",
        Msg::PageLabel => "Страница",
        Msg::AccessLabel => "Ваш доступ",
        Msg::AccessFull => "полный доступ",
        Msg::AccessWrite => "редактирование содержимого и дизайна",
        Msg::AccessDesignOnly => "только изменение дизайна",
        Msg::AccessDenied => "нет доступа",
        Msg::AccessClosed => "закрыт для редактирования",
        Msg::ReadOnlyNotice => "Вы можете просматривать содержимое этого блока, но не изменять его: ваш доступ — «{0}».",
        Msg::BlockContent => "Содержимое блока",
        Msg::CardTitle => "{0} №\u{a0}{1}",
        Msg::FieldText => "Текст",
        Msg::FieldLink => "Ссылка",
        Msg::FieldImage => "Изображение",
        Msg::FieldIcon => "Иконка",
        Msg::FieldEmbed => "Видео",
        Msg::TextHint => "HTML: форматирование, например <b>, <br> и ссылки, сохраняется.",
        Msg::LinkText => "Текст ссылки",
        Msg::LinkUrl => "Адрес (URL)",
        Msg::LinkNewTab => "Открывать в новой вкладке",
        Msg::ImageUrl => "Адрес изображения (URL)",
        Msg::ImageAlt => "Альтернативный текст",
        Msg::ImageSrc2x => "Изображение для экранов высокой плотности (2x)",
        Msg::ImagePreviewAlt => "Предпросмотр: {0}",
        Msg::IconClasses => "Классы иконки",
        Msg::IconHint => "CSS-классы через пробел, например «fa fa-star».",
        Msg::EmbedUrl => "Адрес видео (URL)",
        Msg::EmbedHint => "Адрес страницы на YouTube или Vimeo либо адрес для встраивания.",
        Msg::Changed => "изменено",
        Msg::NoEditableNodes => "В этом блоке нет содержимого, которое можно редактировать здесь.",
        Msg::ReadOnlyNodesTitle => "Здесь не редактируется",
        Msg::ReasonMap => "карты редактируются в редакторе сайтов",
        Msg::ReasonComponent => "динамическое содержимое формируется компонентом",
        Msg::ReasonStyleImage => "фон задаётся в настройках дизайна блока",
        Msg::ReasonUnknownType => "этот тип содержимого ({0}) не поддерживается",
        Msg::UnnamedNode => "Элемент без названия",
        Msg::Save => "Сохранить",
        Msg::Saving => "Сохранение…",
        Msg::Discard => "Отменить изменения",
        Msg::Close => "Закрыть",
        Msg::Retry => "Повторить",
        Msg::Saved => "Сохранено.",
        Msg::SavedUnconfirmed => "Сохранено, но редактор не подтвердил обновление блока. Перезагрузите страницу, чтобы увидеть изменения.",
        Msg::SaveFailed => "Не сохранено.",
        Msg::SaveDeniedKeepEdits => "У вас нет прав на изменение этого блока. Ваши правки не потеряны.",
        Msg::EditsKept => "Ваши правки не потеряны.",
        Msg::ChangesCount => "Несохранённых изменений: {0}",
        Msg::NoChanges => "Нет изменений",
        Msg::ConfirmClose => "Есть несохранённые изменения. Закрыть без сохранения?",
        Msg::Retrying => "Портал занят, повторная попытка…",
        Msg::KeepEditing => "Продолжить редактирование",
        Msg::CloseWithoutSaving => "Закрыть без сохранения",
        Msg::InstallTitle => "Редактор блоков",
        Msg::InstallBody => "Добавляет «{0}» в меню «Ещё» каждого блока в редакторе сайтов.",
        Msg::InstallBind => "Добавить во все блоки",
        Msg::InstallDone => "Готово: откройте страницу в редакторе сайтов, наведите на блок и выберите «Ещё» → «{0}».",
        Msg::InstallNeedsAdmin => "Добавить приложение в блоки может только администратор портала.",
        Msg::DraftRestored => "Восстановлены ваши несохранённые изменения с прошлого раза ({0}). Сохраните их или отмените, чтобы вернуться к текущему виду блока.",
        Msg::BlockBackground => "Фон блока",
        Msg::UnsafeUrl => "Этот адрес запустил бы сценарий на странице, поэтому его нельзя сохранить. Укажите веб-адрес (https://…) или путь страницы.",
    }
}

/// German, formal address („Sie“). Terms follow the German Bitrix24 UI
/// („Websites“, „Mehr“, „Speichern“).
fn de(msg: Msg) -> &'static str {
    match msg {
        Msg::Loading => "Block wird geladen …",
        Msg::NotInFrameTitle => "Öffnen Sie diese App aus dem Websites-Editor",
        Msg::NotInFrameBody => "Diese App bearbeitet einen Block einer Bitrix24-Website. Öffnen Sie die Seite im Websites-Editor, zeigen Sie auf einen Block, klicken Sie auf „Mehr“ und wählen Sie diese App.",
        Msg::NotInFrameDev => "Sie entwickeln? Führen Sie scripts/dev.sh aus und öffnen Sie den Editor-Emulator, dessen Adresse das Skript ausgibt (standardmäßig {0}).",
        Msg::BridgeTimeout => "Der Bitrix24-Editor hat nicht geantwortet. Schließen Sie die App und öffnen Sie sie erneut.",
        Msg::BridgeFailed => "Die Verbindung zum Bitrix24-Editor ist fehlgeschlagen: {0}",
        Msg::ContextErrorTitle => "Die App wurde mit Daten geöffnet, die sie nicht verwenden kann",
        Msg::CtxInvalidOptionsJson => "Die Einbettungsoptionen sind kein gültiges JSON.",
        Msg::CtxMissingField => "In den Einbettungsdaten fehlt {0}.",
        Msg::CtxInvalidId => "{0} muss eine positive ganze Zahl sein, nicht „{1}“.",
        Msg::CtxInvalidCode => "Der Blockcode ist leer oder zu lang.",
        Msg::CtxNotBlockPlacement => "Diese App bearbeitet Blöcke, wurde aber über „{0}“ geöffnet und nicht über das Menü „Mehr“ eines Blocks.",
        Msg::CtxInvalidDomain => "Die Portaladresse „{0}“ ist kein gültiger Hostname; es wurde nichts dorthin gesendet.",
        Msg::CtxInsecureProtocol => "Das Portal {0} wird nicht über HTTPS bereitgestellt; die App sendet Ihre Autorisierung nicht dorthin.",
        Msg::CtxMissingAuth => "Der Editor hat der App keine Autorisierung übergeben.",
        Msg::LoadErrorTitle => "Der Block konnte nicht geladen werden",
        Msg::ErrExpiredToken => "Ihre Sitzung ist abgelaufen und konnte nicht erneuert werden. Schließen Sie die App und öffnen Sie sie erneut.",
        Msg::ErrNoAuth => "Das Portal hat die Autorisierung der App nicht akzeptiert.",
        Msg::ErrInsufficientScope => "Der App fehlt auf diesem Portal die Berechtigung „landing“. Bitten Sie einen Administrator, sie neu zu installieren.",
        Msg::ErrAccessDenied => "Sie haben keine Berechtigung, diesen Block zu ändern.",
        Msg::ErrInvalidRequest => "Das Portal hat die Anfrage abgelehnt (HTTPS ist erforderlich).",
        Msg::ErrQueryLimit => "Das Portal erhält zu viele Anfragen. Warten Sie einen Moment und versuchen Sie es erneut.",
        Msg::ErrOverload => "Das Portal ist überlastet. Warten Sie einen Moment und versuchen Sie es erneut.",
        Msg::ErrOperationTimeLimit => "Das Zeitlimit des Portals für diesen Vorgang ist ausgeschöpft. Versuchen Sie es später erneut.",
        Msg::ErrInternal => "Im Portal ist ein interner Fehler aufgetreten. Versuchen Sie es erneut.",
        Msg::ErrBlockNotFound => "Der Block ist nicht mehr im Entwurf dieser Seite. Möglicherweise wurde er gelöscht.",
        Msg::ErrLandingNotExist => "Die Seite existiert nicht mehr.",
        Msg::ErrPortal => "Das Portal hat mit dem Fehler {0} geantwortet: {1}",
        Msg::ErrHttp => "Das Portal hat mit dem HTTP-Status {0} geantwortet.",
        Msg::ErrTransport => "Das Portal ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
        Msg::ErrTimeout => "Das Portal hat nicht rechtzeitig geantwortet. Versuchen Sie es erneut.",
        Msg::ErrBadResponse => "Das Portal hat eine Antwort gesendet, die die App nicht lesen konnte.",
        Msg::ErrBadManifest => "Die Blockbeschreibung konnte nicht gelesen werden: {0}",
        Msg::BlockLabel => "Block",
        Msg::CodeLabel => "Code",
        Msg::BlockIdLabel => "Block-ID",
        Msg::PageLabel => "Seite",
        Msg::AccessLabel => "Ihr Zugriff",
        Msg::AccessFull => "Vollzugriff",
        Msg::AccessWrite => "darf Inhalt und Design bearbeiten",
        Msg::AccessDesignOnly => "darf nur das Design ändern",
        Msg::AccessDenied => "kein Zugriff",
        Msg::AccessClosed => "für die Bearbeitung gesperrt",
        Msg::ReadOnlyNotice => "Sie können den Inhalt dieses Blocks ansehen, aber nicht ändern: Ihr Zugriff ist „{0}“.",
        Msg::BlockContent => "Blockinhalt",
        Msg::CardTitle => "{0} Nr.\u{a0}{1}",
        Msg::FieldText => "Text",
        Msg::FieldLink => "Link",
        Msg::FieldImage => "Bild",
        Msg::FieldIcon => "Symbol",
        Msg::FieldEmbed => "Video",
        Msg::TextHint => "HTML: Formatierungen wie <b>, <br> und Links bleiben erhalten.",
        Msg::LinkText => "Linktext",
        Msg::LinkUrl => "Adresse (URL)",
        Msg::LinkNewTab => "In neuem Tab öffnen",
        Msg::ImageUrl => "Bildadresse (URL)",
        Msg::ImageAlt => "Alternativtext",
        Msg::ImageSrc2x => "Bild für Bildschirme mit hoher Pixeldichte (2x)",
        Msg::ImagePreviewAlt => "Vorschau von {0}",
        Msg::IconClasses => "Symbolklassen",
        Msg::IconHint => "Durch Leerzeichen getrennte CSS-Klassen, zum Beispiel „fa fa-star“.",
        Msg::EmbedUrl => "Videoadresse (URL)",
        Msg::EmbedHint => "Die Adresse einer YouTube- oder Vimeo-Seite oder eine Einbettungsadresse.",
        Msg::Changed => "geändert",
        Msg::NoEditableNodes => "Dieser Block enthält keine Inhalte, die hier bearbeitet werden können.",
        Msg::ReadOnlyNodesTitle => "Hier nicht bearbeitbar",
        Msg::ReasonMap => "Karten werden im Websites-Editor bearbeitet",
        Msg::ReasonComponent => "dynamische Inhalte stammen aus einer Komponente",
        Msg::ReasonStyleImage => "der Hintergrund wird in den Designeinstellungen des Blocks festgelegt",
        Msg::ReasonUnknownType => "diese Art von Inhalt ({0}) wird nicht unterstützt",
        Msg::UnnamedNode => "Unbenanntes Element",
        Msg::Save => "Speichern",
        Msg::Saving => "Wird gespeichert …",
        Msg::Discard => "Änderungen verwerfen",
        Msg::Close => "Schließen",
        Msg::Retry => "Erneut versuchen",
        Msg::Saved => "Gespeichert.",
        Msg::SavedUnconfirmed => "Gespeichert, aber der Editor hat nicht bestätigt, dass er den Block aktualisiert hat. Laden Sie die Seite neu, um die Änderung zu sehen.",
        Msg::SaveFailed => "Nicht gespeichert.",
        Msg::SaveDeniedKeepEdits => "Sie haben keine Berechtigung, diesen Block zu ändern. Ihre Änderungen sind noch vorhanden.",
        Msg::EditsKept => "Ihre Änderungen sind noch vorhanden.",
        Msg::ChangesCount => "Nicht gespeicherte Änderungen: {0}",
        Msg::NoChanges => "Keine Änderungen",
        Msg::ConfirmClose => "Sie haben nicht gespeicherte Änderungen. Ohne Speichern schließen?",
        Msg::Retrying => "Das Portal ist ausgelastet, neuer Versuch …",
        Msg::KeepEditing => "Weiter bearbeiten",
        Msg::CloseWithoutSaving => "Ohne Speichern schließen",
        Msg::InstallTitle => "Block-Editor",
        Msg::InstallBody => "Fügt „{0}“ dem Menü „Mehr“ jedes Blocks im Website-Editor hinzu.",
        Msg::InstallBind => "Allen Blöcken hinzufügen",
        Msg::InstallDone => "Fertig: Öffnen Sie eine Seite im Website-Editor, zeigen Sie auf einen Block und wählen Sie „Mehr“ → „{0}“.",
        Msg::InstallNeedsAdmin => "Nur ein Portaladministrator kann die App den Blöcken hinzufügen.",
        Msg::DraftRestored => "Ihre nicht gespeicherten Änderungen vom letzten Mal wurden wiederhergestellt ({0}). Speichern Sie sie oder verwerfen Sie sie, um zum aktuellen Stand des Blocks zurückzukehren.",
        Msg::BlockBackground => "Blockhintergrund",
        Msg::UnsafeUrl => "Diese Adresse würde ein Skript auf der Seite ausführen und kann daher nicht gespeichert werden. Verwenden Sie eine Webadresse (https://…) oder einen Seitenpfad.",
    }
}

/// Spanish (Bitrix24's `la`, Latin American), formal address (usted).
/// Terms follow the Spanish Bitrix24 UI (“Sitios”, “Más”, “Guardar”).
fn la(msg: Msg) -> &'static str {
    match msg {
        Msg::Loading => "Cargando el bloque…",
        Msg::NotInFrameTitle => "Abra esta aplicación desde el editor de Sitios",
        Msg::NotInFrameBody => "Esta aplicación edita un bloque de una página de Sitios de Bitrix24. Abra la página en el editor de Sitios, coloque el puntero sobre un bloque, haga clic en “Más” y elija esta aplicación.",
        Msg::NotInFrameDev => "¿Está desarrollando? Ejecute scripts/dev.sh y abra el emulador del editor cuya dirección muestra (por defecto, {0}).",
        Msg::BridgeTimeout => "El editor de Bitrix24 no respondió. Cierre la aplicación y vuelva a abrirla.",
        Msg::BridgeFailed => "Falló la conexión con el editor de Bitrix24: {0}",
        Msg::ContextErrorTitle => "La aplicación se abrió con datos que no puede usar",
        Msg::CtxInvalidOptionsJson => "Las opciones de integración no son un JSON válido.",
        Msg::CtxMissingField => "A los datos de integración les falta {0}.",
        Msg::CtxInvalidId => "{0} debe ser un número entero positivo, no “{1}”.",
        Msg::CtxInvalidCode => "El código del bloque está vacío o es demasiado largo.",
        Msg::CtxNotBlockPlacement => "Esta aplicación edita bloques, pero se abrió desde “{0}” y no desde el menú “Más” de un bloque.",
        Msg::CtxInvalidDomain => "La dirección del portal “{0}” no es un nombre de host válido; no se le envió nada.",
        Msg::CtxInsecureProtocol => "El portal {0} no funciona con HTTPS; la aplicación no le enviará su autorización.",
        Msg::CtxMissingAuth => "El editor no pasó ninguna autorización a la aplicación.",
        Msg::LoadErrorTitle => "No se pudo cargar el bloque",
        Msg::ErrExpiredToken => "Su sesión expiró y no se pudo renovar. Cierre la aplicación y vuelva a abrirla.",
        Msg::ErrNoAuth => "El portal no aceptó la autorización de la aplicación.",
        Msg::ErrInsufficientScope => "La aplicación no tiene el permiso “landing” en este portal. Pida a un administrador que la reinstale.",
        Msg::ErrAccessDenied => "No tiene permiso para modificar este bloque.",
        Msg::ErrInvalidRequest => "El portal rechazó la solicitud (requiere HTTPS).",
        Msg::ErrQueryLimit => "El portal está recibiendo demasiadas solicitudes. Espere un momento e inténtelo de nuevo.",
        Msg::ErrOverload => "El portal está sobrecargado. Espere un momento e inténtelo de nuevo.",
        Msg::ErrOperationTimeLimit => "Se agotó el límite de tiempo del portal para esta operación. Inténtelo de nuevo más tarde.",
        Msg::ErrInternal => "Se produjo un error interno en el portal. Inténtelo de nuevo.",
        Msg::ErrBlockNotFound => "El bloque ya no está en el borrador de esta página. Es posible que se haya eliminado.",
        Msg::ErrLandingNotExist => "La página ya no existe.",
        Msg::ErrPortal => "El portal respondió con el error {0}: {1}",
        Msg::ErrHttp => "El portal respondió con el estado HTTP {0}.",
        Msg::ErrTransport => "No se pudo conectar con el portal. Verifique su conexión e inténtelo de nuevo.",
        Msg::ErrTimeout => "El portal no respondió a tiempo. Inténtelo de nuevo.",
        Msg::ErrBadResponse => "El portal envió una respuesta que la aplicación no pudo leer.",
        Msg::ErrBadManifest => "No se pudo leer la descripción del bloque: {0}",
        Msg::BlockLabel => "Bloque",
        Msg::CodeLabel => "Código",
        Msg::BlockIdLabel => "ID del bloque",
        Msg::PageLabel => "Página",
        Msg::AccessLabel => "Su acceso",
        Msg::AccessFull => "acceso completo",
        Msg::AccessWrite => "puede editar contenido y diseño",
        Msg::AccessDesignOnly => "solo puede cambiar el diseño",
        Msg::AccessDenied => "sin acceso",
        Msg::AccessClosed => "cerrado para edición",
        Msg::ReadOnlyNotice => "Puede ver el contenido de este bloque, pero no modificarlo: su acceso es “{0}”.",
        Msg::BlockContent => "Contenido del bloque",
        Msg::CardTitle => "{0} #{1}",
        Msg::FieldText => "Texto",
        Msg::FieldLink => "Enlace",
        Msg::FieldImage => "Imagen",
        Msg::FieldIcon => "Ícono",
        Msg::FieldEmbed => "Video",
        Msg::TextHint => "HTML: se conserva el formato, como <b>, <br> y los enlaces.",
        Msg::LinkText => "Texto del enlace",
        Msg::LinkUrl => "Dirección (URL)",
        Msg::LinkNewTab => "Abrir en una pestaña nueva",
        Msg::ImageUrl => "Dirección de la imagen (URL)",
        Msg::ImageAlt => "Texto alternativo",
        Msg::ImageSrc2x => "Imagen para pantallas de alta densidad (2x)",
        Msg::ImagePreviewAlt => "Vista previa de {0}",
        Msg::IconClasses => "Clases del ícono",
        Msg::IconHint => "Clases CSS separadas por espacios, por ejemplo “fa fa-star”.",
        Msg::EmbedUrl => "Dirección del video (URL)",
        Msg::EmbedHint => "La dirección de una página de YouTube o Vimeo, o una dirección para insertar.",
        Msg::Changed => "modificado",
        Msg::NoEditableNodes => "Este bloque no tiene contenido que se pueda editar aquí.",
        Msg::ReadOnlyNodesTitle => "No editable aquí",
        Msg::ReasonMap => "los mapas se editan en el editor de Sitios",
        Msg::ReasonComponent => "el contenido dinámico proviene de un componente",
        Msg::ReasonStyleImage => "el fondo se define en la configuración de diseño del bloque",
        Msg::ReasonUnknownType => "este tipo de contenido ({0}) no es compatible",
        Msg::UnnamedNode => "Elemento sin nombre",
        Msg::Save => "Guardar",
        Msg::Saving => "Guardando…",
        Msg::Discard => "Descartar cambios",
        Msg::Close => "Cerrar",
        Msg::Retry => "Reintentar",
        Msg::Saved => "Guardado.",
        Msg::SavedUnconfirmed => "Guardado, pero el editor no confirmó que actualizó el bloque. Vuelva a cargar la página para ver el cambio.",
        Msg::SaveFailed => "No se guardó.",
        Msg::SaveDeniedKeepEdits => "No tiene permiso para modificar este bloque. Sus cambios siguen aquí.",
        Msg::EditsKept => "Sus cambios siguen aquí.",
        Msg::ChangesCount => "Cambios sin guardar: {0}",
        Msg::NoChanges => "Sin cambios",
        Msg::ConfirmClose => "Tiene cambios sin guardar. ¿Cerrar sin guardarlos?",
        Msg::Retrying => "El portal está ocupado, reintentando…",
        Msg::KeepEditing => "Seguir editando",
        Msg::CloseWithoutSaving => "Cerrar sin guardar",
        Msg::InstallTitle => "Editor de bloques",
        Msg::InstallBody => "Añade “{0}” al menú Más de cada bloque en el editor de sitios.",
        Msg::InstallBind => "Añadir a todos los bloques",
        Msg::InstallDone => "Listo: abra una página en el editor de sitios, señale un bloque y elija Más → “{0}”.",
        Msg::InstallNeedsAdmin => "Solo un administrador del portal puede añadir la aplicación a los bloques.",
        Msg::DraftRestored => "Se restauraron sus cambios sin guardar de la última vez ({0}). Guárdelos o descártelos para volver al bloque tal como está.",
        Msg::BlockBackground => "Fondo del bloque",
        Msg::UnsafeUrl => "Esta dirección ejecutaría un script en la página, por lo que no se puede guardar. Use una dirección web (https://…) o una ruta de página.",
    }
}

/// Portuguese (Brazil). Terms follow the Brazilian Bitrix24 UI
/// (“Sites”, “Mais”, “Salvar”).
fn br(msg: Msg) -> &'static str {
    match msg {
        Msg::Loading => "Carregando o bloco…",
        Msg::NotInFrameTitle => "Abra este aplicativo pelo editor de Sites",
        Msg::NotInFrameBody => "Este aplicativo edita um bloco de uma página de Sites do Bitrix24. Abra a página no editor de Sites, aponte para um bloco, clique em “Mais” e escolha este aplicativo.",
        Msg::NotInFrameDev => "Está desenvolvendo? Execute scripts/dev.sh e abra o emulador do editor cujo endereço ele exibe (por padrão, {0}).",
        Msg::BridgeTimeout => "O editor do Bitrix24 não respondeu. Feche o aplicativo e abra-o novamente.",
        Msg::BridgeFailed => "A conexão com o editor do Bitrix24 falhou: {0}",
        Msg::ContextErrorTitle => "O aplicativo foi aberto com dados que ele não pode usar",
        Msg::CtxInvalidOptionsJson => "As opções de integração não são um JSON válido.",
        Msg::CtxMissingField => "Os dados de integração não contêm {0}.",
        Msg::CtxInvalidId => "{0} deve ser um número inteiro positivo, não “{1}”.",
        Msg::CtxInvalidCode => "O código do bloco está vazio ou é longo demais.",
        Msg::CtxNotBlockPlacement => "Este aplicativo edita blocos, mas foi aberto a partir de “{0}”, e não do menu “Mais” de um bloco.",
        Msg::CtxInvalidDomain => "O endereço do portal “{0}” não é um nome de host válido; nada foi enviado a ele.",
        Msg::CtxInsecureProtocol => "O portal {0} não usa HTTPS; o aplicativo não enviará sua autorização a ele.",
        Msg::CtxMissingAuth => "O editor não passou nenhuma autorização ao aplicativo.",
        Msg::LoadErrorTitle => "Não foi possível carregar o bloco",
        Msg::ErrExpiredToken => "Sua sessão expirou e não pôde ser renovada. Feche o aplicativo e abra-o novamente.",
        Msg::ErrNoAuth => "O portal não aceitou a autorização do aplicativo.",
        Msg::ErrInsufficientScope => "O aplicativo não tem a permissão “landing” neste portal. Peça a um administrador que o reinstale.",
        Msg::ErrAccessDenied => "Você não tem permissão para alterar este bloco.",
        Msg::ErrInvalidRequest => "O portal recusou a solicitação (ele exige HTTPS).",
        Msg::ErrQueryLimit => "O portal está recebendo solicitações demais. Aguarde um momento e tente novamente.",
        Msg::ErrOverload => "O portal está sobrecarregado. Aguarde um momento e tente novamente.",
        Msg::ErrOperationTimeLimit => "O limite de tempo do portal para esta operação se esgotou. Tente novamente mais tarde.",
        Msg::ErrInternal => "Ocorreu um erro interno no portal. Tente novamente.",
        Msg::ErrBlockNotFound => "O bloco não está mais no rascunho desta página. Talvez tenha sido excluído.",
        Msg::ErrLandingNotExist => "A página não existe mais.",
        Msg::ErrPortal => "O portal respondeu com o erro {0}: {1}",
        Msg::ErrHttp => "O portal respondeu com o status HTTP {0}.",
        Msg::ErrTransport => "Não foi possível acessar o portal. Verifique sua conexão e tente novamente.",
        Msg::ErrTimeout => "O portal não respondeu a tempo. Tente novamente.",
        Msg::ErrBadResponse => "O portal enviou uma resposta que o aplicativo não conseguiu ler.",
        Msg::ErrBadManifest => "Não foi possível ler a descrição do bloco: {0}",
        Msg::BlockLabel => "Bloco",
        Msg::CodeLabel => "Código",
        Msg::BlockIdLabel => "ID do bloco",
        Msg::PageLabel => "Página",
        Msg::AccessLabel => "Seu acesso",
        Msg::AccessFull => "acesso total",
        Msg::AccessWrite => "pode editar conteúdo e design",
        Msg::AccessDesignOnly => "pode alterar apenas o design",
        Msg::AccessDenied => "sem acesso",
        Msg::AccessClosed => "fechado para edição",
        Msg::ReadOnlyNotice => "Você pode ver o conteúdo deste bloco, mas não alterá-lo: seu acesso é “{0}”.",
        Msg::BlockContent => "Conteúdo do bloco",
        Msg::CardTitle => "{0} #{1}",
        Msg::FieldText => "Texto",
        Msg::FieldLink => "Link",
        Msg::FieldImage => "Imagem",
        Msg::FieldIcon => "Ícone",
        Msg::FieldEmbed => "Vídeo",
        Msg::TextHint => "HTML: formatações como <b>, <br> e links são mantidas.",
        Msg::LinkText => "Texto do link",
        Msg::LinkUrl => "Endereço (URL)",
        Msg::LinkNewTab => "Abrir em uma nova aba",
        Msg::ImageUrl => "Endereço da imagem (URL)",
        Msg::ImageAlt => "Texto alternativo",
        Msg::ImageSrc2x => "Imagem para telas de alta densidade (2x)",
        Msg::ImagePreviewAlt => "Pré-visualização de {0}",
        Msg::IconClasses => "Classes do ícone",
        Msg::IconHint => "Classes CSS separadas por espaços, por exemplo “fa fa-star”.",
        Msg::EmbedUrl => "Endereço do vídeo (URL)",
        Msg::EmbedHint => "O endereço de uma página do YouTube ou do Vimeo, ou um endereço de incorporação.",
        Msg::Changed => "alterado",
        Msg::NoEditableNodes => "Este bloco não tem conteúdo que possa ser editado aqui.",
        Msg::ReadOnlyNodesTitle => "Não editável aqui",
        Msg::ReasonMap => "mapas são editados no editor de Sites",
        Msg::ReasonComponent => "o conteúdo dinâmico vem de um componente",
        Msg::ReasonStyleImage => "o fundo é definido nas configurações de design do bloco",
        Msg::ReasonUnknownType => "este tipo de conteúdo ({0}) não é compatível",
        Msg::UnnamedNode => "Elemento sem nome",
        Msg::Save => "Salvar",
        Msg::Saving => "Salvando…",
        Msg::Discard => "Descartar alterações",
        Msg::Close => "Fechar",
        Msg::Retry => "Tentar novamente",
        Msg::Saved => "Salvo.",
        Msg::SavedUnconfirmed => "Salvo, mas o editor não confirmou que atualizou o bloco. Recarregue a página para ver a alteração.",
        Msg::SaveFailed => "Não salvo.",
        Msg::SaveDeniedKeepEdits => "Você não tem permissão para alterar este bloco. Suas edições continuam aqui.",
        Msg::EditsKept => "Suas edições continuam aqui.",
        Msg::ChangesCount => "Alterações não salvas: {0}",
        Msg::NoChanges => "Nenhuma alteração",
        Msg::ConfirmClose => "Você tem alterações não salvas. Fechar sem salvá-las?",
        Msg::Retrying => "O portal está ocupado, tentando novamente…",
        Msg::KeepEditing => "Continuar editando",
        Msg::CloseWithoutSaving => "Fechar sem salvar",
        Msg::InstallTitle => "Editor de blocos",
        Msg::InstallBody => "Adiciona “{0}” ao menu Mais de cada bloco no editor de sites.",
        Msg::InstallBind => "Adicionar a todos os blocos",
        Msg::InstallDone => "Pronto: abra uma página no editor de sites, aponte para um bloco e escolha Mais → “{0}”.",
        Msg::InstallNeedsAdmin => "Somente um administrador do portal pode adicionar o aplicativo aos blocos.",
        Msg::DraftRestored => "Suas alterações não salvas da última vez foram restauradas ({0}). Salve-as ou descarte-as para voltar ao bloco como está.",
        Msg::BlockBackground => "Fundo do bloco",
        Msg::UnsafeUrl => "Este endereço executaria um script na página, por isso não pode ser salvo. Use um endereço da web (https://…) ou um caminho de página.",
    }
}

/// Polish. Terms follow the Polish Bitrix24 UI („Strony”, „Więcej”, „Zapisz”).
fn pl(msg: Msg) -> &'static str {
    match msg {
        Msg::Loading => "Wczytywanie bloku…",
        Msg::NotInFrameTitle => "Otwórz tę aplikację z edytora stron",
        Msg::NotInFrameBody => "Ta aplikacja edytuje jeden blok strony w module „Strony” Bitrix24. Otwórz stronę w edytorze stron, wskaż blok, kliknij „Więcej” i wybierz tę aplikację.",
        Msg::NotInFrameDev => "Pracujesz nad aplikacją? Uruchom scripts/dev.sh i otwórz emulator edytora, którego adres wyświetli skrypt (domyślnie {0}).",
        Msg::BridgeTimeout => "Edytor Bitrix24 nie odpowiedział. Zamknij aplikację i otwórz ją ponownie.",
        Msg::BridgeFailed => "Nie udało się połączyć z edytorem Bitrix24: {0}",
        Msg::ContextErrorTitle => "Aplikację otwarto z danymi, których nie może użyć",
        Msg::CtxInvalidOptionsJson => "Opcje osadzenia nie są poprawnym JSON-em.",
        Msg::CtxMissingField => "W danych osadzenia brakuje pola {0}.",
        Msg::CtxInvalidId => "{0} musi być dodatnią liczbą całkowitą, a nie „{1}”.",
        Msg::CtxInvalidCode => "Kod bloku jest pusty lub zbyt długi.",
        Msg::CtxNotBlockPlacement => "Ta aplikacja edytuje bloki, ale otwarto ją z „{0}”, a nie z menu „Więcej” bloku.",
        Msg::CtxInvalidDomain => "Adres portalu „{0}” nie jest prawidłową nazwą hosta; nic do niego nie wysłano.",
        Msg::CtxInsecureProtocol => "Portal {0} nie działa przez HTTPS; aplikacja nie wyśle do niego Twoich danych autoryzacji.",
        Msg::CtxMissingAuth => "Edytor nie przekazał aplikacji danych autoryzacji.",
        Msg::LoadErrorTitle => "Nie udało się wczytać bloku",
        Msg::ErrExpiredToken => "Sesja wygasła i nie udało się jej odnowić. Zamknij aplikację i otwórz ją ponownie.",
        Msg::ErrNoAuth => "Portal nie zaakceptował autoryzacji aplikacji.",
        Msg::ErrInsufficientScope => "Aplikacja nie ma uprawnienia „landing” w tym portalu. Poproś administratora o jej ponowną instalację.",
        Msg::ErrAccessDenied => "Nie masz uprawnień do zmiany tego bloku.",
        Msg::ErrInvalidRequest => "Portal odrzucił żądanie (wymaga HTTPS).",
        Msg::ErrQueryLimit => "Portal otrzymuje zbyt wiele żądań. Odczekaj chwilę i spróbuj ponownie.",
        Msg::ErrOverload => "Portal jest przeciążony. Odczekaj chwilę i spróbuj ponownie.",
        Msg::ErrOperationTimeLimit => "Limit czasu portalu na tę operację został wyczerpany. Spróbuj ponownie później.",
        Msg::ErrInternal => "W portalu wystąpił błąd wewnętrzny. Spróbuj ponownie.",
        Msg::ErrBlockNotFound => "Tego bloku nie ma już w wersji roboczej strony. Mógł zostać usunięty.",
        Msg::ErrLandingNotExist => "Strona już nie istnieje.",
        Msg::ErrPortal => "Portal zwrócił błąd {0}: {1}",
        Msg::ErrHttp => "Portal odpowiedział kodem HTTP {0}.",
        Msg::ErrTransport => "Nie można połączyć się z portalem. Sprawdź połączenie i spróbuj ponownie.",
        Msg::ErrTimeout => "Portal nie odpowiedział na czas. Spróbuj ponownie.",
        Msg::ErrBadResponse => "Portal przesłał odpowiedź, której aplikacja nie potrafi odczytać.",
        Msg::ErrBadManifest => "Nie udało się odczytać opisu bloku: {0}",
        Msg::BlockLabel => "Blok",
        Msg::CodeLabel => "Kod",
        Msg::BlockIdLabel => "ID bloku",
        Msg::PageLabel => "Strona",
        Msg::AccessLabel => "Twój dostęp",
        Msg::AccessFull => "pełny dostęp",
        Msg::AccessWrite => "edycja treści i wyglądu",
        Msg::AccessDesignOnly => "tylko zmiana wyglądu",
        Msg::AccessDenied => "brak dostępu",
        Msg::AccessClosed => "zamknięte do edycji",
        Msg::ReadOnlyNotice => "Możesz przeglądać zawartość tego bloku, ale nie możesz jej zmieniać: Twój dostęp to „{0}”.",
        Msg::BlockContent => "Zawartość bloku",
        Msg::CardTitle => "{0} nr\u{a0}{1}",
        Msg::FieldText => "Tekst",
        Msg::FieldLink => "Link",
        Msg::FieldImage => "Obraz",
        Msg::FieldIcon => "Ikona",
        Msg::FieldEmbed => "Wideo",
        Msg::TextHint => "HTML: formatowanie, takie jak <b>, <br> i linki, zostaje zachowane.",
        Msg::LinkText => "Tekst linku",
        Msg::LinkUrl => "Adres (URL)",
        Msg::LinkNewTab => "Otwórz w nowej karcie",
        Msg::ImageUrl => "Adres obrazu (URL)",
        Msg::ImageAlt => "Tekst alternatywny",
        Msg::ImageSrc2x => "Obraz dla ekranów o wysokiej gęstości pikseli (2x)",
        Msg::ImagePreviewAlt => "Podgląd: {0}",
        Msg::IconClasses => "Klasy ikony",
        Msg::IconHint => "Klasy CSS oddzielone spacjami, na przykład „fa fa-star”.",
        Msg::EmbedUrl => "Adres wideo (URL)",
        Msg::EmbedHint => "Adres strony w YouTube lub Vimeo albo adres do osadzenia.",
        Msg::Changed => "zmieniono",
        Msg::NoEditableNodes => "Ten blok nie ma zawartości, którą można tu edytować.",
        Msg::ReadOnlyNodesTitle => "Nie do edycji tutaj",
        Msg::ReasonMap => "mapy edytuje się w edytorze stron",
        Msg::ReasonComponent => "treść dynamiczna pochodzi z komponentu",
        Msg::ReasonStyleImage => "tło ustawia się w ustawieniach wyglądu bloku",
        Msg::ReasonUnknownType => "ten rodzaj zawartości ({0}) nie jest obsługiwany",
        Msg::UnnamedNode => "Element bez nazwy",
        Msg::Save => "Zapisz",
        Msg::Saving => "Zapisywanie…",
        Msg::Discard => "Odrzuć zmiany",
        Msg::Close => "Zamknij",
        Msg::Retry => "Spróbuj ponownie",
        Msg::Saved => "Zapisano.",
        Msg::SavedUnconfirmed => "Zapisano, ale edytor nie potwierdził odświeżenia bloku. Wczytaj stronę ponownie, aby zobaczyć zmianę.",
        Msg::SaveFailed => "Nie zapisano.",
        Msg::SaveDeniedKeepEdits => "Nie masz uprawnień do zmiany tego bloku. Twoje zmiany nadal tu są.",
        Msg::EditsKept => "Twoje zmiany nadal tu są.",
        Msg::ChangesCount => "Niezapisane zmiany: {0}",
        Msg::NoChanges => "Brak zmian",
        Msg::ConfirmClose => "Masz niezapisane zmiany. Zamknąć bez zapisywania?",
        Msg::Retrying => "Portal jest zajęty, ponawianie próby…",
        Msg::KeepEditing => "Kontynuuj edycję",
        Msg::CloseWithoutSaving => "Zamknij bez zapisywania",
        Msg::InstallTitle => "Edytor bloków",
        Msg::InstallBody => "Dodaje „{0}” do menu Więcej każdego bloku w edytorze stron.",
        Msg::InstallBind => "Dodaj do wszystkich bloków",
        Msg::InstallDone => "Gotowe: otwórz stronę w edytorze stron, wskaż blok i wybierz Więcej → „{0}”.",
        Msg::InstallNeedsAdmin => "Tylko administrator portalu może dodać aplikację do bloków.",
        Msg::DraftRestored => "Przywrócono niezapisane zmiany z poprzedniego razu ({0}). Zapisz je lub odrzuć, aby wrócić do bieżącej wersji bloku.",
        Msg::BlockBackground => "Tło bloku",
        Msg::UnsafeUrl => "Ten adres uruchomiłby skrypt na stronie, więc nie można go zapisać. Użyj adresu internetowego (https://…) lub ścieżki strony.",
    }
}

/// French, formal address (vous). Guillemets and the high punctuation
/// (`:` `;` `?`) take a no-break space (U+00A0) as French typography requires.
/// Terms follow the French Bitrix24 UI (« Sites », « Plus », « Enregistrer »).
fn fr(msg: Msg) -> &'static str {
    match msg {
        Msg::Loading => "Chargement du bloc…",
        Msg::NotInFrameTitle => "Ouvrez cette application depuis l’éditeur de Sites",
        Msg::NotInFrameBody => "Cette application modifie un bloc d’une page Sites de Bitrix24. Ouvrez la page dans l’éditeur de Sites, pointez sur un bloc, cliquez sur «\u{a0}Plus\u{a0}» et choisissez cette application.",
        Msg::NotInFrameDev => "Vous développez\u{a0}? Lancez scripts/dev.sh et ouvrez l’émulateur d’éditeur dont il affiche l’adresse (par défaut {0}).",
        Msg::BridgeTimeout => "L’éditeur Bitrix24 n’a pas répondu. Fermez l’application et rouvrez-la.",
        Msg::BridgeFailed => "La connexion à l’éditeur Bitrix24 a échoué\u{a0}: {0}",
        Msg::ContextErrorTitle => "L’application a été ouverte avec des données qu’elle ne peut pas utiliser",
        Msg::CtxInvalidOptionsJson => "Les options d’intégration ne sont pas un JSON valide.",
        Msg::CtxMissingField => "Les données d’intégration ne contiennent pas {0}.",
        Msg::CtxInvalidId => "{0} doit être un nombre entier positif, et non «\u{a0}{1}\u{a0}».",
        Msg::CtxInvalidCode => "Le code du bloc est vide ou trop long.",
        Msg::CtxNotBlockPlacement => "Cette application modifie des blocs, mais elle a été ouverte depuis «\u{a0}{0}\u{a0}» et non depuis le menu «\u{a0}Plus\u{a0}» d’un bloc.",
        Msg::CtxInvalidDomain => "L’adresse du portail «\u{a0}{0}\u{a0}» n’est pas un nom d’hôte valide\u{a0}; rien n’y a été envoyé.",
        Msg::CtxInsecureProtocol => "Le portail {0} n’est pas servi en HTTPS\u{a0}; l’application ne lui enverra pas votre autorisation.",
        Msg::CtxMissingAuth => "L’éditeur n’a transmis aucune autorisation à l’application.",
        Msg::LoadErrorTitle => "Impossible de charger le bloc",
        Msg::ErrExpiredToken => "Votre session a expiré et n’a pas pu être renouvelée. Fermez l’application et rouvrez-la.",
        Msg::ErrNoAuth => "Le portail n’a pas accepté l’autorisation de l’application.",
        Msg::ErrInsufficientScope => "L’application n’a pas l’autorisation «\u{a0}landing\u{a0}» sur ce portail. Demandez à un administrateur de la réinstaller.",
        Msg::ErrAccessDenied => "Vous n’avez pas l’autorisation de modifier ce bloc.",
        Msg::ErrInvalidRequest => "Le portail a refusé la requête (HTTPS est obligatoire).",
        Msg::ErrQueryLimit => "Le portail reçoit trop de requêtes. Patientez un instant et réessayez.",
        Msg::ErrOverload => "Le portail est surchargé. Patientez un instant et réessayez.",
        Msg::ErrOperationTimeLimit => "Le délai accordé par le portail pour cette opération est épuisé. Réessayez plus tard.",
        Msg::ErrInternal => "Le portail a rencontré une erreur interne. Réessayez.",
        Msg::ErrBlockNotFound => "Le bloc ne figure plus dans le brouillon de cette page. Il a peut-être été supprimé.",
        Msg::ErrLandingNotExist => "La page n’existe plus.",
        Msg::ErrPortal => "Le portail a répondu par l’erreur {0}\u{a0}: {1}",
        Msg::ErrHttp => "Le portail a répondu avec le statut HTTP {0}.",
        Msg::ErrTransport => "Impossible de joindre le portail. Vérifiez votre connexion et réessayez.",
        Msg::ErrTimeout => "Le portail n’a pas répondu à temps. Réessayez.",
        Msg::ErrBadResponse => "Le portail a envoyé une réponse que l’application n’a pas pu lire.",
        Msg::ErrBadManifest => "Impossible de lire la description du bloc\u{a0}: {0}",
        Msg::BlockLabel => "Bloc",
        Msg::CodeLabel => "Code",
        Msg::BlockIdLabel => "ID du bloc",
        Msg::PageLabel => "Page",
        Msg::AccessLabel => "Votre accès",
        Msg::AccessFull => "accès complet",
        Msg::AccessWrite => "peut modifier le contenu et le design",
        Msg::AccessDesignOnly => "peut modifier le design uniquement",
        Msg::AccessDenied => "aucun accès",
        Msg::AccessClosed => "fermé à la modification",
        Msg::ReadOnlyNotice => "Vous pouvez consulter le contenu de ce bloc, mais pas le modifier\u{a0}: votre accès est «\u{a0}{0}\u{a0}».",
        Msg::BlockContent => "Contenu du bloc",
        Msg::CardTitle => "{0} nº\u{a0}{1}",
        Msg::FieldText => "Texte",
        Msg::FieldLink => "Lien",
        Msg::FieldImage => "Image",
        Msg::FieldIcon => "Icône",
        Msg::FieldEmbed => "Vidéo",
        Msg::TextHint => "HTML\u{a0}: la mise en forme, comme <b>, <br> et les liens, est conservée.",
        Msg::LinkText => "Texte du lien",
        Msg::LinkUrl => "Adresse (URL)",
        Msg::LinkNewTab => "Ouvrir dans un nouvel onglet",
        Msg::ImageUrl => "Adresse de l’image (URL)",
        Msg::ImageAlt => "Texte alternatif",
        Msg::ImageSrc2x => "Image pour écrans haute densité (2x)",
        Msg::ImagePreviewAlt => "Aperçu de {0}",
        Msg::IconClasses => "Classes de l’icône",
        Msg::IconHint => "Classes CSS séparées par des espaces, par exemple «\u{a0}fa fa-star\u{a0}».",
        Msg::EmbedUrl => "Adresse de la vidéo (URL)",
        Msg::EmbedHint => "L’adresse d’une page YouTube ou Vimeo, ou une adresse d’intégration.",
        Msg::Changed => "modifié",
        Msg::NoEditableNodes => "Ce bloc n’a aucun contenu modifiable ici.",
        Msg::ReadOnlyNodesTitle => "Non modifiable ici",
        Msg::ReasonMap => "les cartes se modifient dans l’éditeur de Sites",
        Msg::ReasonComponent => "le contenu dynamique provient d’un composant",
        Msg::ReasonStyleImage => "l’arrière-plan est défini dans les paramètres de design du bloc",
        Msg::ReasonUnknownType => "ce type de contenu ({0}) n’est pas pris en charge",
        Msg::UnnamedNode => "Élément sans nom",
        Msg::Save => "Enregistrer",
        Msg::Saving => "Enregistrement…",
        Msg::Discard => "Annuler les modifications",
        Msg::Close => "Fermer",
        Msg::Retry => "Réessayer",
        Msg::Saved => "Enregistré.",
        Msg::SavedUnconfirmed => "Enregistré, mais l’éditeur n’a pas confirmé l’actualisation du bloc. Rechargez la page pour voir la modification.",
        Msg::SaveFailed => "Non enregistré.",
        Msg::SaveDeniedKeepEdits => "Vous n’avez pas l’autorisation de modifier ce bloc. Vos modifications sont conservées.",
        Msg::EditsKept => "Vos modifications sont conservées.",
        Msg::ChangesCount => "Modifications non enregistrées\u{a0}: {0}",
        Msg::NoChanges => "Aucune modification",
        Msg::ConfirmClose => "Vous avez des modifications non enregistrées. Fermer sans les enregistrer\u{a0}?",
        Msg::Retrying => "Le portail est occupé, nouvelle tentative…",
        Msg::KeepEditing => "Continuer la modification",
        Msg::CloseWithoutSaving => "Fermer sans enregistrer",
        Msg::InstallTitle => "Éditeur de blocs",
        Msg::InstallBody => "Ajoute « {0} » au menu Plus de chaque bloc dans l’éditeur de sites.",
        Msg::InstallBind => "Ajouter à tous les blocs",
        Msg::InstallDone => "C’est fait : ouvrez une page dans l’éditeur de sites, pointez un bloc et choisissez Plus → « {0} ».",
        Msg::InstallNeedsAdmin => "Seul un administrateur du portail peut ajouter l’application aux blocs.",
        Msg::DraftRestored => "Vos modifications non enregistrées de la dernière fois ont été restaurées ({0}). Enregistrez-les ou annulez-les pour revenir au bloc tel qu’il est.",
        Msg::BlockBackground => "Arrière-plan du bloc",
        Msg::UnsafeUrl => "Cette adresse exécuterait un script sur la page, elle ne peut donc pas être enregistrée. Utilisez une adresse web (https://…) ou un chemin de page.",
    }
}

/// Ukrainian. Terms follow the Ukrainian Bitrix24 UI («Сайти», «Ще», «Зберегти»).
fn ua(msg: Msg) -> &'static str {
    match msg {
        Msg::Loading => "Завантаження блока…",
        Msg::NotInFrameTitle => "Відкрийте цей застосунок із редактора сайтів",
        Msg::NotInFrameBody => "Цей застосунок редагує один блок сторінки в розділі «Сайти» Бітрікс24. Відкрийте сторінку в редакторі сайтів, наведіть вказівник на блок, натисніть «Ще» й виберіть цей застосунок.",
        Msg::NotInFrameDev => "Розробляєте? Запустіть scripts/dev.sh і відкрийте емулятор редактора, адресу якого він виведе (типово {0}).",
        Msg::BridgeTimeout => "Редактор Бітрікс24 не відповів. Закрийте застосунок і відкрийте його знову.",
        Msg::BridgeFailed => "Не вдалося з’єднатися з редактором Бітрікс24: {0}",
        Msg::ContextErrorTitle => "Застосунок відкрито з даними, які він не може використати",
        Msg::CtxInvalidOptionsJson => "Параметри місця вбудовування не є коректним JSON.",
        Msg::CtxMissingField => "У даних місця вбудовування немає поля {0}.",
        Msg::CtxInvalidId => "Значення {0} має бути цілим додатним числом, а не «{1}».",
        Msg::CtxInvalidCode => "Код блока порожній або задовгий.",
        Msg::CtxNotBlockPlacement => "Цей застосунок редагує блоки, але його відкрито з «{0}», а не з меню «Ще» блока.",
        Msg::CtxInvalidDomain => "Адреса порталу «{0}» не є допустимим ім’ям хоста; на неї нічого не надсилалося.",
        Msg::CtxInsecureProtocol => "Портал {0} працює не через HTTPS; застосунок не передаватиме йому вашу авторизацію.",
        Msg::CtxMissingAuth => "Редактор не передав застосунку даних авторизації.",
        Msg::LoadErrorTitle => "Не вдалося завантажити блок",
        Msg::ErrExpiredToken => "Сеанс завершився, і поновити його не вдалося. Закрийте застосунок і відкрийте його знову.",
        Msg::ErrNoAuth => "Портал не прийняв авторизацію застосунку.",
        Msg::ErrInsufficientScope => "Застосунок не має дозволу «landing» на цьому порталі. Попросіть адміністратора перевстановити його.",
        Msg::ErrAccessDenied => "У вас немає прав на зміну цього блока.",
        Msg::ErrInvalidRequest => "Портал відхилив запит (потрібен HTTPS).",
        Msg::ErrQueryLimit => "Портал отримує забагато запитів. Зачекайте трохи й повторіть спробу.",
        Msg::ErrOverload => "Портал перевантажений. Зачекайте трохи й повторіть спробу.",
        Msg::ErrOperationTimeLimit => "Ліміт часу порталу на цю операцію вичерпано. Повторіть спробу пізніше.",
        Msg::ErrInternal => "На порталі сталася внутрішня помилка. Повторіть спробу.",
        Msg::ErrBlockNotFound => "Цього блока більше немає в чернетці сторінки. Можливо, його видалено.",
        Msg::ErrLandingNotExist => "Сторінки більше не існує.",
        Msg::ErrPortal => "Портал повернув помилку {0}: {1}",
        Msg::ErrHttp => "Портал відповів зі статусом HTTP {0}.",
        Msg::ErrTransport => "Не вдалося зв’язатися з порталом. Перевірте з’єднання та повторіть спробу.",
        Msg::ErrTimeout => "Портал не відповів вчасно. Повторіть спробу.",
        Msg::ErrBadResponse => "Портал надіслав відповідь, яку застосунок не зміг прочитати.",
        Msg::ErrBadManifest => "Не вдалося прочитати опис блока: {0}",
        Msg::BlockLabel => "Блок",
        Msg::CodeLabel => "Код",
        Msg::BlockIdLabel => "ID блока",
        Msg::PageLabel => "Сторінка",
        Msg::AccessLabel => "Ваш доступ",
        Msg::AccessFull => "повний доступ",
        Msg::AccessWrite => "редагування вмісту й дизайну",
        Msg::AccessDesignOnly => "лише зміна дизайну",
        Msg::AccessDenied => "немає доступу",
        Msg::AccessClosed => "закрито для редагування",
        Msg::ReadOnlyNotice => "Ви можете переглядати вміст цього блока, але не змінювати його: ваш доступ — «{0}».",
        Msg::BlockContent => "Вміст блока",
        Msg::CardTitle => "{0} №\u{a0}{1}",
        Msg::FieldText => "Текст",
        Msg::FieldLink => "Посилання",
        Msg::FieldImage => "Зображення",
        Msg::FieldIcon => "Іконка",
        Msg::FieldEmbed => "Відео",
        Msg::TextHint => "HTML: форматування, як-от <b>, <br> і посилання, зберігається.",
        Msg::LinkText => "Текст посилання",
        Msg::LinkUrl => "Адреса (URL)",
        Msg::LinkNewTab => "Відкривати в новій вкладці",
        Msg::ImageUrl => "Адреса зображення (URL)",
        Msg::ImageAlt => "Альтернативний текст",
        Msg::ImageSrc2x => "Зображення для екранів високої щільності (2x)",
        Msg::ImagePreviewAlt => "Попередній перегляд: {0}",
        Msg::IconClasses => "Класи іконки",
        Msg::IconHint => "CSS-класи через пробіл, наприклад «fa fa-star».",
        Msg::EmbedUrl => "Адреса відео (URL)",
        Msg::EmbedHint => "Адреса сторінки на YouTube чи Vimeo або адреса для вбудовування.",
        Msg::Changed => "змінено",
        Msg::NoEditableNodes => "У цьому блоці немає вмісту, який можна редагувати тут.",
        Msg::ReadOnlyNodesTitle => "Тут не редагується",
        Msg::ReasonMap => "карти редагуються в редакторі сайтів",
        Msg::ReasonComponent => "динамічний вміст формує компонент",
        Msg::ReasonStyleImage => "фон задається в налаштуваннях дизайну блока",
        Msg::ReasonUnknownType => "цей тип вмісту ({0}) не підтримується",
        Msg::UnnamedNode => "Елемент без назви",
        Msg::Save => "Зберегти",
        Msg::Saving => "Збереження…",
        Msg::Discard => "Скасувати зміни",
        Msg::Close => "Закрити",
        Msg::Retry => "Повторити",
        Msg::Saved => "Збережено.",
        Msg::SavedUnconfirmed => "Збережено, але редактор не підтвердив оновлення блока. Перезавантажте сторінку, щоб побачити зміни.",
        Msg::SaveFailed => "Не збережено.",
        Msg::SaveDeniedKeepEdits => "У вас немає прав на зміну цього блока. Ваші правки не втрачено.",
        Msg::EditsKept => "Ваші правки не втрачено.",
        Msg::ChangesCount => "Незбережених змін: {0}",
        Msg::NoChanges => "Змін немає",
        Msg::ConfirmClose => "Є незбережені зміни. Закрити без збереження?",
        Msg::Retrying => "Портал зайнятий, повторна спроба…",
        Msg::KeepEditing => "Продовжити редагування",
        Msg::CloseWithoutSaving => "Закрити без збереження",
        Msg::InstallTitle => "Редактор блоків",
        Msg::InstallBody => "Додає «{0}» до меню «Ще» кожного блоку в редакторі сайтів.",
        Msg::InstallBind => "Додати до всіх блоків",
        Msg::InstallDone => "Готово: відкрийте сторінку в редакторі сайтів, наведіть на блок і виберіть «Ще» → «{0}».",
        Msg::InstallNeedsAdmin => "Додати застосунок до блоків може лише адміністратор порталу.",
        Msg::DraftRestored => "Відновлено ваші незбережені зміни з минулого разу ({0}). Збережіть їх або скасуйте, щоб повернутися до поточного вигляду блоку.",
        Msg::BlockBackground => "Тло блоку",
        Msg::UnsafeUrl => "Ця адреса запустила б сценарій на сторінці, тому її не можна зберегти. Вкажіть вебадресу (https://…) або шлях сторінки.",
    }
}

/// The message in `lang`.
pub fn tr(lang: Lang, msg: Msg) -> &'static str {
    match lang {
        Lang::En => en(msg),
        Lang::Ru => ru(msg),
        Lang::De => de(msg),
        Lang::La => la(msg),
        Lang::Br => br(msg),
        Lang::Pl => pl(msg),
        Lang::Fr => fr(msg),
        Lang::Ua => ua(msg),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
            ErrBadManifest,
            BlockLabel,
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
            LinkText,
            LinkUrl,
            LinkNewTab,
            ImageUrl,
            ImageAlt,
            ImageSrc2x,
            ImagePreviewAlt,
            IconClasses,
            IconHint,
            EmbedUrl,
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
            InstallBody,
            InstallBind,
            InstallDone,
            InstallNeedsAdmin,
            DraftRestored,
            BlockBackground,
            UnsafeUrl,
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
