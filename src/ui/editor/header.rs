//! The editor's header: the block's name, code, ids and access in words.

use std::rc::Rc;

use leptos::prelude::*;

use super::super::{use_lang, Loaded, Session};
use crate::core::health::Finding;
use crate::core::i18n::{tr, trf, Msg};
use crate::messages;

#[component]
pub fn Header(
    session: Rc<Session>,
    loaded: Rc<Loaded>,
    findings: Memo<Vec<Finding>>,
) -> impl IntoView {
    let lang = use_lang();
    let ctx = &session.ctx;
    let access = messages::access(lang, loaded.access).to_string();
    let can_edit = loaded.access.can_edit_content();
    view! {
        <header class="app-header">
            <h1 class="block-name">{loaded.form.block_name.clone()}</h1>
            {move || {
                let count = findings.with(Vec::len);
                (count > 0 && can_edit).then(|| {
                    view! {
                        <a class="health-badge" href="#health-title" id="health-badge">
                            {trf(lang, Msg::HealthCount, &[&count.to_string()])}
                        </a>
                    }
                })
            }}
            <dl class="block-meta">
                <MetaEntry label=Msg::CodeLabel value=ctx.block_code.clone()/>
                <MetaEntry label=Msg::BlockIdLabel value=ctx.block_id.to_string()/>
                <MetaEntry label=Msg::PageLabel value=ctx.page_id.to_string()/>
                <MetaEntry label=Msg::AccessLabel value=access class="access"/>
            </dl>
        </header>
    }
}

/// One term of the header's list; `class` marks the value for styling.
#[component]
fn MetaEntry(
    label: Msg,
    value: String,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div>
            <dt>{tr(lang, label)}</dt>
            <dd class=class>{value}</dd>
        </div>
    }
}
