//! Countersign's server-side services.
//!
//! Handlers (the agent API in `server`, the `#[server]` fns in `app`) stay thin: they find
//! out who is calling, then call one function here. Each function checks what the caller
//! may do, validates, and performs the work as one store transaction with its audit row.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod actor;
pub mod changes;
pub mod error;
pub mod events;
pub mod passwords;
pub mod store;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod tokens;

use std::sync::Arc;

pub use actor::{AgentActor, Reader, Reviewer, UserActor};
pub use error::{ServiceError, ServiceResult};
pub use passwords::{Password, Passwords};
pub use store::Store;

/// Everything a service function needs, cheap to clone into each request.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub passwords: Passwords,
    pub events: events::ChangeEvents,
    /// Where people reach the console, for links such as a change's `url`.
    pub public_url: String,
}

impl Services {
    pub fn new(store: Arc<dyn Store>, public_url: String) -> Self {
        Services {
            store,
            passwords: Passwords::new(4),
            events: events::ChangeEvents::default(),
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    pub fn change_url(&self, id: countersign_core::ChangeId) -> String {
        format!("{}/changes/{id}", self.public_url)
    }
}
