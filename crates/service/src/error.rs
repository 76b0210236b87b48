//! The one error type services return. Each edge (API route, server fn, CLI) maps it to
//! its own response and logs it once there; `Internal` details never reach the client.

use countersign_core::submission::FieldError;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No valid credentials were presented.
    #[error("authentication required")]
    Unauthenticated,
    /// Wrong username or password (deliberately not saying which).
    #[error("wrong username or password")]
    BadCredentials,
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The thing does not exist, or the caller may not know it exists.
    #[error("not found")]
    NotFound,
    /// Too many attempts; try again after this many seconds. Deliberately does not say
    /// which limit was hit.
    #[error("too many attempts; wait {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    /// The request conflicts with the current state (already decided, key reused…).
    #[error("{0}")]
    Conflict(String),
    /// The request is well-formed but its content is not acceptable.
    #[error("invalid request")]
    Invalid(Vec<FieldError>),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ServiceError::NotFound,
            other => ServiceError::Internal(Box::new(other)),
        }
    }
}

impl ServiceError {
    /// A store conflict (a unique name or key already taken) as `Conflict(message)`, for
    /// the person to read; any other store error maps as usual.
    pub fn conflict_or(e: StoreError, message: impl FnOnce() -> String) -> Self {
        match e {
            StoreError::Conflict(_) => ServiceError::Conflict(message()),
            other => other.into(),
        }
    }

    pub fn invalid(field: &str, message: &str) -> Self {
        ServiceError::Invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
