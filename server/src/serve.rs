//! Startup: open and migrate the database, make sure an admin exists, build the router,
//! serve until Ctrl-C or SIGTERM, and let in-flight requests finish.

use anyhow::Context;
use countersign_service::{Password, Services, accounts, store};

use crate::{
    config::{DbArgs, HttpConfig, ServeArgs},
    router::{AppState, app, leptos_options},
    sessions::AnySessionStore,
};

/// Opens (creating the SQLite file's folder if needed) and migrates the database.
pub async fn open(db: &DbArgs) -> anyhow::Result<std::sync::Arc<dyn store::Store>> {
    if let Some(path) = db
        .database_url
        .strip_prefix("sqlite://")
        .or_else(|| db.database_url.strip_prefix("sqlite:"))
    {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    let store = store::connect(&db.database_url)
        .await
        .with_context(|| format!("opening {}", store::redact_url(&db.database_url)))?;
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

pub async fn serve(db: DbArgs, args: ServeArgs) -> anyhow::Result<()> {
    let store = open(&db).await?;
    let backend = store.backend();
    let mut services = Services::new(store, args.public_url());
    services.sessions = args.session_policy();
    if let Some(path) = &args.sigstore_trusted_root {
        let json =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let root = countersign_core::provenance::trust::TrustedRoot::from_json(&json)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        services.trusted_root = std::sync::Arc::new(root);
    }
    let given = std::env::var("COUNTERSIGN_ADMIN_PASSWORD")
        .ok()
        .map(Password::new);
    if let Some(password) = accounts::ensure_first_admin(&services, given).await? {
        // Printed once, to the terminal only: never logged.
        println!(
            "\nCreated the first admin account.\n  username: admin\n  password: {password}\nKeep it safe; it is not shown again.\n"
        );
    }
    let sessions = AnySessionStore::open(&db.database_url)
        .await
        .context("opening the session store")?;
    sessions.purge_in_background();
    // The policy in force is stored (the shipped default on a fresh database) before the
    // first request, and pending changes past their tier's expiry are expired each minute.
    countersign_service::stakes::current(&services).await?;
    countersign_service::stakes::spawn_expiry(services.clone(), std::time::Duration::from_secs(60));
    countersign_service::webhooks::spawn_sender(services.clone());
    let http = HttpConfig {
        secure_cookies: args.secure_cookies(),
        max_body_bytes: args.max_body_bytes,
        site_root: args.site_root.clone(),
        metrics_token: args.metrics_token.clone(),
    };
    let state = AppState {
        leptos_options: leptos_options(&http.site_root),
        services,
    };
    let router = app(state, sessions, &http);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    tracing::info!(addr = %args.addr, public_url = %args.public_url(), backend, "Countersign is serving");
    println!("Countersign is running at {}", args.public_url());
    // Connection info gives sign-in throttling and the audit trail the client's address.
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
