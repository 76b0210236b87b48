//! `countersign verify`, `export` and `verify-decision`: checking the log and decisions
//! without trusting the server's database.
//!
//! - `verify --server URL [--trusted-checkpoint F] [--save-checkpoint F]` fetches the
//!   keys, the signed checkpoint and every entry, and checks them all (signatures, the
//!   root from every leaf, each decision's signature and change), plus consistency with
//!   a checkpoint kept from an earlier run.
//! - `export --server URL --out F` writes a bundle (checkpoint, keys, every entry);
//!   `verify --bundle F` checks it fully offline. Both carry every policy version, checked
//!   against its hash and against every version the log names.
//! - `verify-decision ID` (an agent, with its token) checks the signatures on its
//!   change's current decisions before it acts.
//!
//! Exit codes: 0 verified (for `verify-decision`, the change's status codes as `wait`:
//! 0 approved, 1 rejected, 2 pending, 3 closed), 4 usage, 5 server or network error,
//! 6 verification failed — with one line per problem on standard error.

use std::path::PathBuf;

use base64::{Engine, engine::general_purpose::STANDARD};
use clap::Args;
use countersign_core::{decision, tlog::verify as tv};
use serde_json::Value;

use super::{ConnArgs, Exit, Failure, exit_for, http::Api};

#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// The server whose log to check.
    #[arg(long, env = "COUNTERSIGN_SERVER", conflicts_with = "bundle")]
    pub server: Option<String>,
    /// An exported bundle to check offline instead.
    #[arg(long)]
    pub bundle: Option<PathBuf>,
    /// A checkpoint kept from before: the log must still extend it.
    #[arg(long)]
    pub trusted_checkpoint: Option<PathBuf>,
    /// Where to keep this run's checkpoint for the next one.
    #[arg(long)]
    pub save_checkpoint: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[arg(long, env = "COUNTERSIGN_SERVER")]
    pub server: String,
    /// The bundle file to write (JSON).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct VerifyDecisionArgs {
    #[command(flatten)]
    pub conn: ConnArgs,
    pub id: i64,
}

fn invalid(problems: &[String]) -> Failure {
    Failure {
        exit: Exit::Invalid,
        message: problems.join("\n"),
    }
}

/// Everything the verifier needs, from the server or from a bundle.
struct Snapshot {
    checkpoint: String,
    keys: Value,
    leaves: Vec<Vec<u8>>,
    /// (hash, text) of every policy version.
    policies: Vec<(String, String)>,
}

fn policies_of(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some((
                p["hash"].as_str()?.to_owned(),
                p["text"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

fn fetch(api: &Api) -> Result<Snapshot, Failure> {
    let keys = api.get("/api/v1/keys")?;
    let checkpoint = api.get_text("/api/v1/log/checkpoint")?;
    let size = countersign_core::note::parse(&checkpoint)
        .map_err(|e| invalid(&[format!("checkpoint: {e}")]))?
        .size;
    let mut leaves = Vec::with_capacity(size as usize);
    while (leaves.len() as u64) < size {
        let start = leaves.len();
        let page = api.get(&format!("/api/v1/log/entries?start={start}&end={size}"))?;
        let got = page["entries"].as_array().cloned().unwrap_or_default();
        if got.is_empty() {
            return Err(invalid(&[format!(
                "the server returned no entry at {start}"
            )]));
        }
        for e in got {
            let leaf = STANDARD
                .decode(e["leaf"].as_str().unwrap_or_default())
                .map_err(|_| invalid(&[format!("entry {}: leaf is not base64", e["index"])]))?;
            leaves.push(leaf);
        }
    }
    let policies = policies_of(&api.get("/api/v1/policies")?["policies"]);
    Ok(Snapshot {
        checkpoint,
        keys,
        leaves,
        policies,
    })
}

fn read(path: &PathBuf) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("reading {}: {e}", path.display())))
}

pub fn verify(a: &VerifyArgs) -> Result<Exit, Failure> {
    let (snap, api) = match (&a.server, &a.bundle) {
        (Some(s), None) => {
            let api = Api::public(s);
            (fetch(&api)?, Some(api))
        }
        (None, Some(b)) => (from_bundle(&read(b)?)?, None),
        _ => return Err(Failure::usage("give --server URL or --bundle FILE")),
    };
    let keys = tv::KeyRing::from_json(&snap.keys)
        .ok_or_else(|| invalid(&["the published keys cannot be read".into()]))?;
    let earlier_note = a.trusted_checkpoint.as_ref().map(read).transpose()?;
    let earlier = match (&earlier_note, &api) {
        (Some(note), Some(api)) => Some(tv::Earlier {
            note,
            proof: consistency(api, note, &snap.checkpoint)?,
        }),
        (Some(note), None) => Some(tv::Earlier {
            note,
            proof: Vec::new(),
        }),
        _ => None,
    };
    let mut f = tv::verify(&snap.checkpoint, &keys, &snap.leaves, earlier);
    f.problems
        .extend(tv::check_policies(&snap.leaves, &snap.policies));
    if !f.problems.is_empty() {
        return Err(invalid(&f.problems));
    }
    if let Some(path) = &a.save_checkpoint {
        std::fs::write(path, &snap.checkpoint)
            .map_err(|e| Failure::usage(format!("writing {}: {e}", path.display())))?;
    }
    println!(
        "verified: {} entries, {} signed decisions, checkpoint signed by {}{}",
        f.size,
        f.decisions,
        keys.log.name,
        if a.trusted_checkpoint.is_some() {
            ", consistent with the trusted checkpoint"
        } else {
            ""
        }
    );
    Ok(Exit::Approved)
}

fn consistency(api: &Api, old: &str, new: &str) -> Result<Vec<Vec<u8>>, Failure> {
    let size = |n: &str| {
        countersign_core::note::parse(n)
            .map(|c| c.size)
            .map_err(|e| invalid(&[format!("checkpoint: {e}")]))
    };
    let (o, n) = (size(old)?, size(new)?);
    if o == 0 || o >= n {
        return Ok(Vec::new());
    }
    let p = api.get(&format!("/api/v1/log/proof/consistency?old={o}&new={n}"))?;
    Ok(p["hashes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| STANDARD.decode(h.as_str()?).ok())
        .collect())
}

pub fn export(a: &ExportArgs) -> Result<Exit, Failure> {
    let snap = fetch(&Api::public(&a.server))?;
    let leaves: Vec<String> = snap.leaves.iter().map(|l| STANDARD.encode(l)).collect();
    let bundle = tv::bundle_json(&snap.checkpoint, &snap.keys, &leaves, &snap.policies);
    std::fs::write(
        &a.out,
        serde_json::to_vec_pretty(&bundle).unwrap_or_default(),
    )
    .map_err(|e| Failure::usage(format!("writing {}: {e}", a.out.display())))?;
    println!(
        "exported {} entries to {}",
        snap.leaves.len(),
        a.out.display()
    );
    Ok(Exit::Approved)
}

fn from_bundle(text: &str) -> Result<Snapshot, Failure> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| Failure::usage(format!("the bundle is not JSON: {e}")))?;
    if v["format"] != tv::BUNDLE_FORMAT {
        return Err(Failure::usage("not a countersign-log-bundle/v1 file"));
    }
    let leaves = v["entries"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            STANDARD
                .decode(e["leaf"].as_str().unwrap_or_default())
                .unwrap_or_default()
        })
        .collect();
    Ok(Snapshot {
        checkpoint: v["checkpoint"].as_str().unwrap_or_default().to_owned(),
        keys: v["keys"].clone(),
        leaves,
        policies: policies_of(&v["policies"]),
    })
}

pub fn verify_decision(a: &VerifyDecisionArgs) -> Result<Exit, Failure> {
    let api = Api::new(&a.conn)?;
    let change = api.get(&format!("/api/v1/changes/{}", a.id))?;
    let keys = tv::KeyRing::from_json(&Api::public(&a.conn.server).get("/api/v1/keys")?)
        .ok_or_else(|| invalid(&["the published keys cannot be read".into()]))?;
    let digest = change["digest"].as_str().unwrap_or_default();
    let mut problems = Vec::new();
    let mut verified = 0;
    for d in change["decisions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["stale"] != true)
    {
        let who = d["reviewer"].as_str().unwrap_or("?");
        let Some(env) = d["envelope"].as_str() else {
            problems.push(format!("the decision by {who} is not signed"));
            continue;
        };
        let kid = d["key_id"].as_str().unwrap_or_default();
        let Some(key) = keys
            .signers
            .iter()
            .find(|(id, _)| id == kid)
            .map(|(_, k)| k)
        else {
            problems.push(format!("the decision by {who} names unknown key `{kid}`"));
            continue;
        };
        match decision::verify(env, key, a.id, digest) {
            Ok(p) => {
                verified += 1;
                println!(
                    "{} by {} on revision {}: signature valid (key {kid})",
                    p.verdict, p.decider, p.revision
                );
            }
            Err(e) => problems.push(format!("the decision by {who}: {e}")),
        }
    }
    if !problems.is_empty() {
        return Err(invalid(&problems));
    }
    let status = change["status"].as_str().unwrap_or("pending");
    println!(
        "change {} is {status}; {verified} signed decision(s) verified",
        a.id
    );
    Ok(exit_for(status))
}
