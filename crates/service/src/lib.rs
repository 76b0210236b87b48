//! Countersign's server-side services.
//!
//! Handlers (the agent API in `server`, the `#[server]` fns in `app`) stay thin: they find
//! out who is calling, then call one function here. Each function checks what the caller
//! may do, validates, and performs the work as one store transaction with its audit row.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod actor;
pub mod admin;
pub mod admin_agents;
pub mod audit;
pub mod changes;
pub mod dashboard;
pub mod diffview;
pub mod error;
pub mod events;
pub mod history;
pub mod kdf;
pub mod password_rules;
pub mod passwords;
pub mod provenance;
pub mod seed;
pub mod signin;
pub mod stakes;
pub mod store;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod tlog;
pub mod tokens;
pub mod userkeys;
pub mod webhooks;

use std::sync::Arc;

pub use actor::{Admin, AgentActor, AuditReader, Client, Reader, Reviewer, UserActor};
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
    pub sessions: SessionPolicy,
    /// Sign-in attempts per client address (in this process).
    pub login_limiter: Arc<governor::DefaultKeyedRateLimiter<std::net::IpAddr>>,
    /// What Sigstore-signed attestations are verified against.
    pub trusted_root: Arc<countersign_core::provenance::trust::TrustedRoot>,
    /// Rendered diffs by content digest.
    pub diffs: diffview::DiffCache,
    /// The server's log and system keys, once loaded.
    pub server_keys: tlog::KeyCache,
    /// Waits between webhook attempts (the last one given, the delivery fails).
    pub webhook_backoff: Arc<Vec<std::time::Duration>>,
    /// Wakes the webhook sender when a delivery is queued.
    pub webhook_wake: Arc<tokio::sync::Notify>,
}

/// How long a console session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Signed out after this long without a request.
    pub idle: std::time::Duration,
    /// Signed out this long after signing in, however active.
    pub absolute: std::time::Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: std::time::Duration::from_secs(30 * 60),
            absolute: std::time::Duration::from_secs(12 * 3600),
        }
    }
}

/// Sign-in attempts allowed per client address: a burst of 30, then one every 2 s.
fn login_limiter() -> governor::DefaultKeyedRateLimiter<std::net::IpAddr> {
    use std::num::NonZeroU32;
    let quota = governor::Quota::with_period(std::time::Duration::from_secs(2))
        .expect("non-zero period")
        .allow_burst(NonZeroU32::new(30).expect("non-zero burst"));
    governor::RateLimiter::keyed(quota)
}

impl Services {
    pub fn new(store: Arc<dyn Store>, public_url: String) -> Self {
        Services {
            store,
            // One argon2 thread per core, at most 4: each holds 19 MiB while it hashes.
            passwords: Passwords::new(
                std::thread::available_parallelism().map_or(2, |n| n.get().min(4)),
            ),
            events: events::ChangeEvents::default(),
            public_url: public_url.trim_end_matches('/').to_owned(),
            sessions: SessionPolicy::default(),
            login_limiter: Arc::new(login_limiter()),
            trusted_root: provenance::default_trusted_root(),
            diffs: diffview::DiffCache::default(),
            server_keys: tlog::KeyCache::default(),
            webhook_backoff: Arc::new(webhooks::default_backoff()),
            webhook_wake: Arc::new(tokio::sync::Notify::new()),
        }
    }

    pub fn change_url(&self, id: countersign_core::ChangeId) -> String {
        format!("{}/changes/{id}", self.public_url)
    }
}
