//! Flags of the client commands.

use std::path::PathBuf;

use clap::Args;

/// Where the server is and how to authenticate.
#[derive(Debug, Clone, Args)]
pub struct ConnArgs {
    /// The Countersign server, e.g. https://countersign.example.com
    #[arg(long, env = "COUNTERSIGN_SERVER")]
    pub server: String,
    /// A file holding the agent's API token (kept off the command line).
    #[arg(long, env = "COUNTERSIGN_TOKEN_FILE")]
    pub token_file: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct SubmitArgs {
    #[command(flatten)]
    pub conn: ConnArgs,
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub repository: String,
    /// The diff: a file, or `-` for standard input.
    #[arg(long)]
    pub diff: String,
    #[arg(long)]
    pub description: Option<String>,
    /// The commit the diff applies to.
    #[arg(long)]
    pub base: Option<String>,
    /// low, medium, high or critical (the policy may raise it).
    #[arg(long)]
    pub stakes: Option<String>,
    /// A JUnit / xUnit XML report; repeat for several.
    #[arg(long = "junit")]
    pub junit: Vec<PathBuf>,
    /// An Inspect AI eval log (JSON); repeat for several.
    #[arg(long = "inspect-log")]
    pub inspect_logs: Vec<PathBuf>,
    /// An attestation (JSON, or JSONL with one per line); repeat for several.
    #[arg(long = "attestation")]
    pub attestations: Vec<PathBuf>,
    /// Evals in Countersign's JSON form: a list of {name, status, score?, threshold?, details?}.
    #[arg(long)]
    pub evals: Option<PathBuf>,
    /// Makes retries safe: the same key and body return the same change.
    #[arg(long)]
    pub idempotency_key: Option<String>,
    /// Wait for the decision, at most this many seconds (default 3600 when given bare).
    #[arg(long, num_args = 0..=1, default_missing_value = "3600")]
    pub wait: Option<u64>,
}

#[derive(Debug, Clone, Args)]
pub struct WaitArgs {
    #[command(flatten)]
    pub conn: ConnArgs,
    /// The change id.
    pub id: i64,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 3600)]
    pub timeout: u64,
}
