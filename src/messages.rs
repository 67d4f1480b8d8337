//! Turns the core's errors and states into the user's language.

use crate::core::context::ContextError;
use crate::core::i18n::{tr, trf, Lang, Msg};
use crate::core::model::{Access, NodeKind};
use crate::core::rest::RestError;

pub fn rest_error(lang: Lang, err: &RestError) -> String {
    let plain = |msg| tr(lang, msg).to_string();
    match err {
        RestError::ExpiredToken => plain(Msg::ErrExpiredToken),
        RestError::NoAuthFound => plain(Msg::ErrNoAuth),
        RestError::InsufficientScope => plain(Msg::ErrInsufficientScope),
        RestError::AccessDenied => plain(Msg::ErrAccessDenied),
        RestError::InvalidRequest => plain(Msg::ErrInvalidRequest),
        RestError::QueryLimitExceeded => plain(Msg::ErrQueryLimit),
        RestError::OverloadLimit => plain(Msg::ErrOverload),
        RestError::OperationTimeLimit => plain(Msg::ErrOperationTimeLimit),
        RestError::InternalServerError => plain(Msg::ErrInternal),
        RestError::BlockNotFound => plain(Msg::ErrBlockNotFound),
        RestError::LandingNotExist => plain(Msg::ErrLandingNotExist),
        RestError::NodesNotFound => trf(lang, Msg::ErrPortal, &["NODES_NOT_FOUND", ""]),
        RestError::MissingParams => trf(lang, Msg::ErrPortal, &["MISSING_PARAMS", ""]),
        RestError::TypeError => trf(lang, Msg::ErrPortal, &["TYPE_ERROR", ""]),
        RestError::Portal { code, description } => {
            trf(lang, Msg::ErrPortal, &[code.as_str(), description.as_str()])
        }
        RestError::Http(status) => trf(lang, Msg::ErrHttp, &[&status.to_string()]),
        RestError::Transport => plain(Msg::ErrTransport),
        RestError::Timeout => plain(Msg::ErrTimeout),
        RestError::BadResponse(_) => plain(Msg::ErrBadResponse),
    }
}

pub fn context_error(lang: Lang, err: &ContextError) -> String {
    match err {
        ContextError::InvalidOptionsJson => tr(lang, Msg::CtxInvalidOptionsJson).into(),
        ContextError::MissingField(field) => trf(lang, Msg::CtxMissingField, &[field]),
        ContextError::InvalidId { field, value } => {
            trf(lang, Msg::CtxInvalidId, &[field, &shorten(value, 40)])
        }
        ContextError::InvalidCode => tr(lang, Msg::CtxInvalidCode).into(),
        ContextError::NotBlockPlacement(placement) => {
            trf(lang, Msg::CtxNotBlockPlacement, &[&shorten(placement, 60)])
        }
        ContextError::InvalidDomain(domain) => {
            trf(lang, Msg::CtxInvalidDomain, &[&shorten(domain, 80)])
        }
        ContextError::InsecureProtocol(domain) => {
            trf(lang, Msg::CtxInsecureProtocol, &[&shorten(domain, 80)])
        }
        ContextError::MissingAuth => tr(lang, Msg::CtxMissingAuth).into(),
    }
}

pub fn access(lang: Lang, access: Access) -> &'static str {
    tr(
        lang,
        match access {
            Access::Full => Msg::AccessFull,
            Access::Write => Msg::AccessWrite,
            Access::DesignOnly => Msg::AccessDesignOnly,
            Access::Denied => Msg::AccessDenied,
            Access::Closed => Msg::AccessClosed,
        },
    )
}

/// Why a node is listed read-only.
pub fn read_only_reason(lang: Lang, kind: &NodeKind) -> String {
    match kind {
        NodeKind::Map => tr(lang, Msg::ReasonMap).into(),
        NodeKind::Component => tr(lang, Msg::ReasonComponent).into(),
        NodeKind::StyleImg => tr(lang, Msg::ReasonStyleImage).into(),
        NodeKind::Other(name) => trf(lang, Msg::ReasonUnknownType, &[&shorten(name, 30)]),
        _ => trf(lang, Msg::ReasonUnknownType, &["?"]),
    }
}

/// A read-only node's name: the manifest's, else what the node is (design
/// backgrounds the portal adds come without a name).
pub fn read_only_name(lang: Lang, name: &str, kind: &NodeKind) -> String {
    if !name.is_empty() {
        name.to_string()
    } else if *kind == NodeKind::StyleImg {
        tr(lang, Msg::BlockBackground).into()
    } else {
        tr(lang, Msg::UnnamedNode).into()
    }
}

pub fn kind_name(lang: Lang, kind: &NodeKind) -> &'static str {
    tr(
        lang,
        match kind {
            NodeKind::Text => Msg::FieldText,
            NodeKind::Link => Msg::FieldLink,
            NodeKind::Img => Msg::FieldImage,
            NodeKind::Icon => Msg::FieldIcon,
            NodeKind::Embed => Msg::FieldEmbed,
            _ => Msg::UnnamedNode,
        },
    )
}

/// Cuts untrusted text shown in messages to a readable length.
pub fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(max_chars).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rest_error_has_a_non_empty_message_in_every_language() {
        let errors = [
            RestError::ExpiredToken,
            RestError::NoAuthFound,
            RestError::InsufficientScope,
            RestError::AccessDenied,
            RestError::InvalidRequest,
            RestError::QueryLimitExceeded,
            RestError::OverloadLimit,
            RestError::OperationTimeLimit,
            RestError::InternalServerError,
            RestError::BlockNotFound,
            RestError::LandingNotExist,
            RestError::NodesNotFound,
            RestError::MissingParams,
            RestError::TypeError,
            RestError::Portal {
                code: "X_CODE".into(),
                description: "desc".into(),
            },
            RestError::Http(502),
            RestError::Transport,
            RestError::Timeout,
            RestError::BadResponse("x".into()),
        ];
        for lang in Lang::ALL {
            for err in &errors {
                let text = rest_error(lang, err);
                assert!(
                    !text.is_empty() && !text.contains("{0}"),
                    "{lang:?} {err:?}"
                );
            }
        }
        assert!(rest_error(Lang::En, &RestError::Http(502)).contains("502"));
        let portal = rest_error(
            Lang::Ru,
            &RestError::Portal {
                code: "X_CODE".into(),
                description: "desc".into(),
            },
        );
        assert!(portal.contains("X_CODE") && portal.contains("desc"));
    }

    #[test]
    fn context_errors_carry_the_offending_value_shortened() {
        let long = "x".repeat(500);
        let text = context_error(Lang::En, &ContextError::InvalidDomain(long));
        assert!(text.contains(&"x".repeat(80)));
        assert!(!text.contains(&"x".repeat(81)));
        let text = context_error(
            Lang::De,
            &ContextError::InvalidId {
                field: "ID",
                value: "-4".into(),
            },
        );
        assert!(text.contains("ID") && text.contains("-4"));
    }

    #[test]
    fn access_levels_have_distinct_words() {
        let all = [
            Access::Full,
            Access::Write,
            Access::DesignOnly,
            Access::Denied,
            Access::Closed,
        ];
        for lang in Lang::ALL {
            let words: std::collections::HashSet<_> =
                all.iter().map(|a| access(lang, *a)).collect();
            assert_eq!(words.len(), all.len(), "{lang:?}");
        }
    }
}
