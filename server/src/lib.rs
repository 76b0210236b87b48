//! The axum host: the agent API, the console (Leptos SSR and server fns), sessions, and the
//! operator CLI. Route handlers are thin; the work happens in `countersign-service`.
#![forbid(unsafe_code)]

pub mod api;
pub mod asset_cache;
pub mod audit_export;
pub mod cli;
pub mod client;
pub mod compression;
pub mod config;
pub mod health;
pub mod metrics;
pub mod router;
pub mod security;
pub mod serve;
pub mod sessions;
pub mod telemetry;

pub use router::{AppState, app};
