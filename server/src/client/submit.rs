//! `countersign submit`: reads the diff and the result files, submits, prints the change's
//! URL, and with `--wait` blocks until it is decided.

use std::io::Read;

use base64::Engine;
use serde_json::{Value, json};

use super::{Exit, Failure, SubmitArgs, http::Api, wait::wait_for};

fn read(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::usage(format!("reading {}: {e}", path.display())))
}

fn text(path: &std::path::Path) -> Result<String, Failure> {
    String::from_utf8(read(path)?)
        .map_err(|_| Failure::usage(format!("{} is not UTF-8 text", path.display())))
}

fn json_doc(path: &std::path::Path, what: &str) -> Result<Value, Failure> {
    serde_json::from_str(&text(path)?)
        .map_err(|e| Failure::usage(format!("{} is not a JSON {what}: {e}", path.display())))
}

/// Each attestation file holds one JSON document, or one per line (JSONL).
fn attestations(paths: &[std::path::PathBuf]) -> Result<Vec<Value>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        let t = text(p)?;
        match serde_json::from_str::<Value>(&t) {
            Ok(v) => out.push(v),
            Err(_) => {
                for (i, line) in t.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                    out.push(serde_json::from_str(line).map_err(|e| {
                        Failure::usage(format!("{} line {}: not JSON: {e}", p.display(), i + 1))
                    })?);
                }
            }
        }
    }
    Ok(out)
}

/// Builds the request body from the flags and files.
pub fn body(a: &SubmitArgs) -> Result<Value, Failure> {
    let diff = if a.diff == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| Failure::usage(format!("reading the diff from standard input: {e}")))?;
        b
    } else {
        read(std::path::Path::new(&a.diff))?
    };
    let mut body = json!({ "title": a.title, "repository": a.repository });
    match String::from_utf8(diff) {
        Ok(d) => body["diff"] = d.into(),
        Err(e) => {
            body["diff_base64"] = base64::engine::general_purpose::STANDARD
                .encode(e.into_bytes())
                .into()
        }
    }
    for (key, v) in [
        ("description", &a.description),
        ("base", &a.base),
        ("stakes", &a.stakes),
    ] {
        if let Some(v) = v {
            body[key] = v.clone().into();
        }
    }
    if let Some(p) = &a.evals {
        body["evals"] = json_doc(p, "list of evals")?;
    }
    if !a.junit.is_empty() {
        body["junit_xml"] = a
            .junit
            .iter()
            .map(|p| text(p))
            .collect::<Result<Vec<_>, _>>()?
            .into();
    }
    if !a.inspect_logs.is_empty() {
        body["inspect_logs"] = a
            .inspect_logs
            .iter()
            .map(|p| json_doc(p, "Inspect log"))
            .collect::<Result<Vec<_>, _>>()?
            .into();
    }
    if !a.attestations.is_empty() {
        body["attestations"] = attestations(&a.attestations)?.into();
    }
    Ok(body)
}

pub fn submit(a: &SubmitArgs) -> Result<Exit, Failure> {
    let body = body(a)?;
    let api = Api::new(&a.conn)?;
    let (_, created) = api.post("/api/v1/changes", &body, a.idempotency_key.as_deref())?;
    let id = created["id"]
        .as_i64()
        .ok_or_else(|| Failure::server("the server's answer has no change id"))?;
    println!("{}", created["url"].as_str().unwrap_or_default());
    match a.wait {
        None => Ok(Exit::Approved),
        Some(secs) => wait_for(&api, id, secs),
    }
}
