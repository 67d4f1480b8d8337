//! `landing.block.uploadfile`: one resized copy of a picture to the block's files, through
//! [`RestClient::send`] like every call (token refresh, rate-limit backoff; the token only
//! ever in the body).

use serde::Serialize;

use super::{scoped, RestClient};
use crate::answer::from_result;
use crate::core::loose::Obj;
use crate::core::rest::RestError;
use crate::core::upload::{
    absolute_src, validate_answer, UploadAnswer, UploadError, UploadParams, Uploaded,
};

/// Why an upload did not give a file.
#[derive(Clone, Debug, PartialEq)]
pub enum UploadFailure {
    /// The call failed: network, timeout, the portal's refusal.
    Rest(RestError),
    /// The portal answered, but not with a usable `{id, src}`.
    Answer(UploadError),
}

#[derive(Serialize)]
struct Params<'a> {
    #[serde(flatten)]
    upload: &'a UploadParams,
}

impl RestClient {
    /// Uploads `bytes` as `name` to block `block`; the answer's `src` comes back absolute
    /// (the portal may answer a path, which the app's own origin would not resolve).
    pub async fn upload_file(
        &self,
        block: u64,
        name: String,
        bytes: &[u8],
    ) -> Result<Uploaded, UploadFailure> {
        let params = UploadParams::new(block, name, bytes);
        let raw = self
            .send(
                "landing.block.uploadfile",
                &scoped(&Params { upload: &params }, self.scope()),
            )
            .await
            .map_err(UploadFailure::Rest)?;
        let answer: Obj<UploadAnswer> = from_result(&raw).map_err(UploadFailure::Rest)?;
        let mut uploaded = validate_answer(answer).map_err(UploadFailure::Answer)?;
        uploaded.src = absolute_src(&uploaded.src, &self.portal.origin());
        Ok(uploaded)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::rc::Rc;

    use futures::executor::block_on;
    use serde_json::{json, Value};

    use super::*;
    use crate::client::{AuthSource, Clock, HttpResponse, LocalFuture, Transport, TransportError};
    use crate::core::context::{Auth, Portal};
    use crate::core::rest::RequestBody;
    use crate::test_form::body_value;

    #[derive(Default)]
    struct Script {
        answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
        sent: RefCell<Vec<(String, Value)>>,
    }

    impl Transport for Rc<Script> {
        fn post(
            &self,
            url: &str,
            body: RequestBody,
            _timeout_ms: u32,
        ) -> LocalFuture<'static, Result<HttpResponse, TransportError>> {
            self.sent
                .borrow_mut()
                .push((url.to_string(), body_value(&body)));
            let answer = self
                .answers
                .borrow_mut()
                .pop_front()
                .unwrap_or(Err(TransportError::Network));
            Box::pin(async move { answer })
        }
    }

    struct Still;

    impl Clock for Still {
        fn now_ms(&self) -> f64 {
            0.0
        }
        fn sleep(&self, _ms: u32) -> LocalFuture<'static, ()> {
            Box::pin(async {})
        }
        fn jitter_ms(&self) -> u32 {
            0
        }
    }

    struct Fresh;

    impl AuthSource for Fresh {
        fn refresh(&self) -> LocalFuture<'static, Option<Auth>> {
            Box::pin(async {
                Some(Auth {
                    access_token: "fresh".into(),
                    refresh_token: "r".into(),
                    expires_in_secs: 3600,
                })
            })
        }
    }

    fn setup(answers: Vec<(u16, &str)>) -> (RestClient, Rc<Script>) {
        let script = Rc::new(Script::default());
        script
            .answers
            .borrow_mut()
            .extend(answers.into_iter().map(|(status, body)| {
                Ok(HttpResponse {
                    status,
                    body: body.into(),
                })
            }));
        let client = RestClient::new(
            Portal {
                https: true,
                domain: "acme.bitrix24.com".into(),
                path: "/rest".into(),
            },
            Auth {
                access_token: "old".into(),
                refresh_token: "r".into(),
                expires_in_secs: 3600,
            },
            Rc::new(script.clone()),
            Rc::new(Still),
            Rc::new(Fresh),
        );
        (client, script)
    }

    #[test]
    fn sends_block_and_picture_and_makes_the_src_absolute() {
        let (client, script) = setup(vec![(
            200,
            r#"{"result":{"id":"5001","src":"/upload/landing/a.jpg"}}"#,
        )]);
        let got = block_on(client.upload_file(101, "a.jpg".into(), b"abc"));
        assert_eq!(
            got,
            Ok(Uploaded {
                id: 5001,
                src: "https://acme.bitrix24.com/upload/landing/a.jpg".into()
            })
        );
        let sent = script.sent.borrow();
        assert_eq!(
            sent[0].0,
            "https://acme.bitrix24.com/rest/landing.block.uploadfile.json"
        );
        assert!(!sent[0].0.contains("old"), "no token in the address");
        assert_eq!(sent[0].1["block"], json!("101"), "form bodies carry text");
        assert_eq!(sent[0].1["picture"], json!(["a.jpg", "YWJj"]));
    }

    #[test]
    fn an_expired_token_is_refreshed_and_the_upload_sent_again() {
        let (client, script) = setup(vec![
            (401, r#"{"error":"expired_token","error_description":"x"}"#),
            (
                200,
                r#"{"result":{"id":7,"src":"https://cdn.example/b.png"}}"#,
            ),
        ]);
        let got = block_on(client.upload_file(101, "b.png".into(), b"png"));
        assert_eq!(got.map(|u| u.id), Ok(7));
        assert_eq!(script.sent.borrow().len(), 2);
        assert_eq!(script.sent.borrow()[1].1["auth"], json!("fresh"));
    }

    #[test]
    fn a_refusal_or_a_bad_answer_is_an_error() {
        let (client, _) = setup(vec![(
            400,
            r#"{"error":"FILE_ERROR","error_description":"File upload error."}"#,
        )]);
        assert!(matches!(
            block_on(client.upload_file(1, "a.jpg".into(), b"x")),
            Err(UploadFailure::Rest(RestError::Portal { .. }))
        ));
        let (client, _) = setup(vec![(200, r#"{"result":{"id":1,"src":"javascript:x"}}"#)]);
        assert_eq!(
            block_on(client.upload_file(1, "a.jpg".into(), b"x")),
            Err(UploadFailure::Answer(UploadError::UnsafeSrc))
        );
    }
}
