//! RFC 9457 problem details: every API error has `type`, `title`, `status`, `detail`, and
//! validation errors list each field by JSON pointer. Internal errors are logged here,
//! once, and the client sees only that something failed.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use countersign_core::submission::FieldError;
use countersign_service::ServiceError;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:countersign:problem:…` or `about:blank`).
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    /// The HTTP status code.
    #[serde(serialize_with = "status_code")]
    #[schema(value_type = u16)]
    pub status: StatusCode,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Sent as `Retry-After` with a 429.
    #[serde(skip)]
    pub retry_after_secs: Option<u64>,
}

fn status_code<S: serde::Serializer>(s: &StatusCode, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_u16(s.as_u16())
}

impl Problem {
    pub fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Problem {
            kind,
            title,
            status,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
        }
    }

    pub fn validation(
        status: StatusCode,
        detail: impl Into<String>,
        errors: Vec<FieldError>,
    ) -> Self {
        Problem {
            errors,
            ..Problem::new(
                status,
                "urn:countersign:problem:validation",
                "Invalid request",
                detail,
            )
        }
    }

    pub fn field(status: StatusCode, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let errors = vec![FieldError {
            field: field.into(),
            message: message.clone(),
        }];
        Problem::validation(status, format!("{field}: {message}"), errors)
    }
}

impl From<ServiceError> for Problem {
    fn from(e: ServiceError) -> Self {
        use StatusCode as S;
        match e {
            ServiceError::Unauthenticated | ServiceError::BadCredentials => Problem::new(
                S::UNAUTHORIZED,
                "urn:countersign:problem:unauthenticated",
                "Authentication required",
                "send `Authorization: Bearer <agent token>`",
            ),
            ServiceError::Forbidden(m) => Problem::new(
                S::FORBIDDEN,
                "urn:countersign:problem:forbidden",
                "Forbidden",
                m,
            ),
            ServiceError::NotFound => {
                Problem::new(S::NOT_FOUND, "about:blank", "Not Found", "no such change")
            }
            ServiceError::RateLimited { retry_after_secs } => Problem {
                retry_after_secs: Some(retry_after_secs),
                ..Problem::new(
                    S::TOO_MANY_REQUESTS,
                    "about:blank",
                    "Too Many Requests",
                    format!("try again in {retry_after_secs} seconds"),
                )
            },
            ServiceError::Conflict(m) => Problem::new(
                S::CONFLICT,
                "urn:countersign:problem:conflict",
                "Conflict",
                m,
            ),
            ServiceError::Invalid(errors) => {
                let detail = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                Problem::validation(S::UNPROCESSABLE_ENTITY, detail, errors)
            }
            ServiceError::Internal(source) => {
                tracing::error!(error = %source, "agent API request failed");
                Problem::new(
                    S::INTERNAL_SERVER_ERROR,
                    "about:blank",
                    "Internal Server Error",
                    "the error has been logged",
                )
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status;
        let mut res = (status, Json(&self)).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.retry_after_secs {
            h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            h.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"countersign\""),
            );
        }
        res
    }
}
