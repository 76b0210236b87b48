//! The CLI: `serve` (default), `migrate`, `user add`, `agent add` for operators, and
//! `submit`, `wait`, `status` for agents (see `client`).

use std::io::Read;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use countersign_core::Role;
use countersign_service::{Password, Services, accounts, store::AuditActor};

use crate::{
    config::{DbArgs, ServeArgs},
    serve,
};

#[derive(Debug, Parser)]
#[command(
    name = "countersign",
    version,
    about = "Human sign-off for high-stakes changes made by AI agents"
)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    /// Log as human-readable text (default) or one JSON object per line.
    #[arg(
        long,
        env = "COUNTERSIGN_LOG_FORMAT",
        value_enum,
        default_value_t,
        global = true
    )]
    pub log_format: crate::telemetry::LogFormat,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the console and the agent API (the default).
    Serve(ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Manage people.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage agents.
    #[command(subcommand)]
    Agent(AgentCommand),
    /// Development helpers.
    #[command(subcommand)]
    Dev(DevCommand),
    /// Submit a change for review (as an agent) and print its URL.
    Submit(crate::client::SubmitArgs),
    /// Wait for the decision on a change.
    Wait(crate::client::WaitArgs),
    /// Print a change's status.
    Status {
        #[command(flatten)]
        conn: crate::client::ConnArgs,
        id: i64,
    },
    /// Verify the transparency log (live, or an exported bundle offline).
    Verify(crate::client::VerifyArgs),
    /// Export the log with its checkpoint and keys, for offline verification.
    Export(crate::client::ExportArgs),
    /// Verify the signatures on a change's decisions (as its agent), then exit like `status`.
    VerifyDecision(crate::client::VerifyDecisionArgs),
}

impl Command {
    /// Client commands talk to a server over HTTP; they need no database or runtime.
    pub fn run_client(&self) -> Option<Result<crate::client::Exit, crate::client::Failure>> {
        match self {
            Command::Submit(a) => Some(crate::client::submit(a)),
            Command::Wait(a) => Some(crate::client::wait(a)),
            Command::Status { conn, id } => Some(crate::client::status(conn, *id)),
            Command::Verify(a) => Some(crate::client::verify(a)),
            Command::Export(a) => Some(crate::client::export(a)),
            Command::VerifyDecision(a) => Some(crate::client::verify_decision(a)),
            _ => None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a person. The password is read from standard input (first line).
    Add {
        name: String,
        /// reviewer, admin or auditor; repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Insert a realistic made-up history (agents, reviewers, changes, decisions) for
    /// development and load tests. Never run it against a production database.
    Seed {
        /// How many changes to insert.
        #[arg(long, default_value_t = 1_000)]
        changes: usize,
        /// The same seed makes the same history.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Add an agent and print its API token, once.
    Add {
        name: String,
        /// The user responsible for the agent; they may never approve its changes.
        #[arg(long)]
        owner: Option<String>,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli
        .command
        .unwrap_or_else(|| Command::Serve(ServeArgs::parse_from_env()));
    match command {
        Command::Serve(args) => serve::serve(cli.db, args).await,
        Command::Migrate => {
            let store = serve::open(&cli.db).await?;
            println!("database is migrated ({})", store.backend());
            Ok(())
        }
        Command::User(UserCommand::Add {
            name,
            roles,
            password_stdin,
        }) => {
            if !password_stdin {
                bail!("pass --password-stdin and the password on standard input");
            }
            let mut line = String::new();
            std::io::stdin()
                .read_to_string(&mut line)
                .context("reading the password")?;
            let password = Password::new(line.lines().next().unwrap_or_default().to_owned());
            let svc = services(&cli.db).await?;
            let id = accounts::create_user(&svc, &name, roles, &password, AuditActor::System)
                .await
                .map_err(explain)?;
            println!("created user {name} (id {id})");
            Ok(())
        }
        Command::Agent(AgentCommand::Add { name, owner }) => {
            let svc = services(&cli.db).await?;
            let (id, token) = accounts::create_agent(
                &svc,
                &name,
                owner.as_deref(),
                AuditActor::System,
                &Default::default(),
            )
            .await
            .map_err(explain)?;
            eprintln!("created agent {name} (id {id}); its API token is shown once:");
            println!("{token}");
            Ok(())
        }
        Command::Dev(DevCommand::Seed { changes, seed }) => {
            let svc = services(&cli.db).await?;
            let started = std::time::Instant::now();
            let n = countersign_service::seed::seed(&svc, changes, seed)
                .await
                .map_err(explain)?;
            println!(
                "seeded {n} changes in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Submit(_)
        | Command::Wait(_)
        | Command::Status { .. }
        | Command::Verify(_)
        | Command::Export(_)
        | Command::VerifyDecision(_) => {
            bail!("client commands run without the server runtime")
        }
    }
}

async fn services(db: &DbArgs) -> anyhow::Result<Services> {
    Ok(Services::new(serve::open(db).await?, String::new()))
}

fn explain(e: countersign_service::ServiceError) -> anyhow::Error {
    match e {
        countersign_service::ServiceError::Invalid(fields) => {
            anyhow::anyhow!(
                fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
        other => anyhow::anyhow!(other.to_string()),
    }
}

impl ServeArgs {
    /// Serve's flags when no subcommand was given (environment and defaults only).
    fn parse_from_env() -> Self {
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            serve: ServeArgs,
        }
        Only::parse_from(["countersign"]).serve
    }
}
