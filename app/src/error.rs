//! The typed error every `#[server]` fn returns, so the UI can match on what went wrong
//! (and show a field's message beside the field) instead of parsing strings.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in.")]
    Unauthenticated,
    #[error("Wrong username or password.")]
    BadCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("Not found.")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Wait {0} seconds and try again.")]
    RateLimited(u64),
    /// A field's problem: `field` is the form field's name.
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("Something went wrong on our side; it has been logged.")]
    Internal,
    #[error("The request could not be sent or read: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    /// The message for `field`, when this error is about it.
    pub fn for_field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid { field, message } if field == name => Some(message.clone()),
            _ => None,
        }
    }
}
