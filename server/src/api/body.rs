//! A JSON body extractor whose every failure is a problem document naming the cause:
//! 413 over the size limit, 415 without `application/json`, 400 for malformed JSON and
//! 422 for a missing field or a bad value, with the field's JSON pointer.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{StatusCode, header},
};
use serde::de::DeserializeOwned;

use super::problem::Problem;

pub struct JsonBody<T>(pub T);

fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{key}")),
            Segment::Enum { variant } => out.push_str(&format!("/{variant}")),
            Segment::Unknown => {}
        }
    }
    out
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "about:blank",
                "Unsupported Media Type",
                "send the body as `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            let status = e.status();
            let title = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "Payload Too Large"
            } else {
                "Bad Request"
            };
            Problem::new(status, "about:blank", title, e.body_text())
        })?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(v) => Ok(JsonBody(v)),
            Err(e) => {
                let field = pointer(e.path());
                let inner = e.into_inner();
                if inner.is_syntax() || inner.is_eof() {
                    Err(Problem::new(
                        StatusCode::BAD_REQUEST,
                        "urn:countersign:problem:malformed-json",
                        "Malformed JSON",
                        inner.to_string(),
                    ))
                } else {
                    let field = if field.is_empty() {
                        "/".to_owned()
                    } else {
                        field
                    };
                    Err(Problem::field(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        &field,
                        inner.to_string(),
                    ))
                }
            }
        }
    }
}
