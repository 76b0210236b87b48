//! Configuration from flags and `COUNTERSIGN_*` environment variables. The database URL
//! may hold a password, so `Debug` prints it redacted.

use std::{fmt, net::SocketAddr};

use countersign_service::store::redact_url;

/// Where the database is; the backend is chosen by the URL's scheme.
#[derive(Clone, clap::Args)]
pub struct DbArgs {
    /// `sqlite://PATH` (created if missing) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "COUNTERSIGN_DATABASE_URL",
        default_value = "sqlite://data/countersign.db",
        global = true,
        hide_env_values = true
    )]
    pub database_url: String,
}

impl fmt::Debug for DbArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbArgs")
            .field("database_url", &redact_url(&self.database_url))
            .finish()
    }
}

#[derive(Clone, Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "COUNTERSIGN_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// The URL people use to reach the console (links, cookie security). Default: http://ADDR.
    #[arg(long, env = "COUNTERSIGN_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Mark cookies `Secure` with the `__Host-` prefix. Default: on when the public URL is https.
    #[arg(long, env = "COUNTERSIGN_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "COUNTERSIGN_MAX_BODY_BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Sign a console session out after this many minutes without a request.
    #[arg(long, env = "COUNTERSIGN_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: u64,
    /// Sign a console session out this many hours after signing in, however active.
    #[arg(long, env = "COUNTERSIGN_SESSION_ABSOLUTE_HOURS", default_value_t = 12)]
    pub session_absolute_hours: u64,
    /// A Sigstore `trusted_root.json` to verify bundles against instead of the shipped
    /// public-good root (for a private Sigstore, or a newer root).
    #[arg(long, env = "COUNTERSIGN_SIGSTORE_TRUSTED_ROOT")]
    pub sigstore_trusted_root: Option<std::path::PathBuf>,
    /// A bearer token that lets remote Prometheus servers scrape `/metrics` (without one,
    /// only loopback clients may).
    #[arg(long, env = "COUNTERSIGN_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Where the built site (wasm, CSS, assets) is served from.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
}

impl ServeArgs {
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
    }

    pub fn session_policy(&self) -> countersign_service::SessionPolicy {
        countersign_service::SessionPolicy {
            idle: std::time::Duration::from_secs(self.session_idle_minutes.max(1) * 60),
            absolute: std::time::Duration::from_secs(self.session_absolute_hours.max(1) * 3600),
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies
            .unwrap_or_else(|| self.public_url().starts_with("https://"))
    }
}

/// Settings the router needs.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    pub secure_cookies: bool,
    pub max_body_bytes: usize,
    pub site_root: String,
    /// Bearer token for `/metrics`; without one only loopback clients may scrape.
    pub metrics_token: Option<String>,
}
