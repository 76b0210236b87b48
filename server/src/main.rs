//! The `countersign` binary: serve the console and the agent API, run an operator command
//! (migrate, add a user or an agent), or act as an agent's client (submit, wait, status).
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use server::{
    cli::Cli,
    client::{Exit, Failure},
};

/// jemalloc, configured at build time (`.cargo/config.toml`) to hand freed pages back to
/// the system within a second; the background thread that does it is started below. With
/// glibc's malloc every thread that rendered a large diff or hashed a password kept its
/// own arena of freed memory: the server stayed ~70 MiB above what it used
/// (docs/benchmarks.md, Memory).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version are not errors; anything else is a usage error (exit 4).
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if let Some(result) = cli.command.as_ref().and_then(|c| c.run_client()) {
        return match result {
            Ok(exit) => exit.into(),
            Err(Failure { exit, message }) => {
                eprintln!("error: {message}");
                exit.into()
            }
        };
    }
    server::telemetry::init(cli.log_format);
    start_background_purge();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(server::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Starts jemalloc's purging thread, here rather than in the compiled-in options. Those
/// reach every process that links the server crate, its test binaries included, since
/// jemalloc is also `malloc` for the linked C code; only the server needs the thread. And
/// starting it as `malloc` initialises is the risky moment: the first allocation can come
/// from inside pthreads while it holds a lock that `pthread_create` needs (a jemalloc
/// maintainer, jemalloc#2069). A CI run hung in a test binary after the options went in.
#[cfg(not(target_env = "msvc"))]
fn start_background_purge() {
    if let Err(e) = tikv_jemalloc_ctl::background_thread::write(true) {
        tracing::warn!(error = %e, "jemalloc's background purge did not start; freed memory returns to the system more slowly");
    }
}

#[cfg(target_env = "msvc")]
fn start_background_purge() {}
