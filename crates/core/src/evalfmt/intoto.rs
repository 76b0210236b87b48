//! in-toto `test-result` statements (predicate type
//! `https://in-toto.io/attestation/test-result/v0.1`), found among a change's
//! attestations: bare statements, or inside a DSSE envelope or a Sigstore bundle. The
//! attestation itself is verified with the provenance; here only its results are read.

use base64::Engine;
use serde::Deserialize;
use serde_json::Value;

use super::join;
use crate::eval::{Eval, EvalStatus};

pub const TEST_RESULT: &str = "https://in-toto.io/attestation/test-result/v0.1";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Predicate {
    result: String,
    #[serde(default)]
    configuration: Vec<Value>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    passed_tests: Vec<String>,
    #[serde(default)]
    warned_tests: Vec<String>,
    #[serde(default)]
    failed_tests: Vec<String>,
}

/// The in-toto statement inside an attestation document, if there is one.
pub fn statement(doc: &Value) -> Option<Value> {
    if doc.get("predicateType").is_some() {
        return Some(doc.clone());
    }
    let envelope = doc.get("dsseEnvelope").unwrap_or(doc);
    let payload = envelope.get("payload")?.as_str()?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(payload))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Evals from a test-result statement; `None` when the document is not one.
pub fn read(doc: &Value) -> Option<Vec<Eval>> {
    let st = statement(doc)?;
    if st.get("predicateType")?.as_str()? != TEST_RESULT {
        return None;
    }
    let p: Predicate = serde_json::from_value(st.get("predicate")?.clone()).ok()?;
    let suite = p
        .configuration
        .first()
        .and_then(|c| c.get("name").and_then(Value::as_str))
        .map(str::to_owned);
    let url = p.url.clone().unwrap_or_default();
    let one = |name: &str, status, note: &str| Eval {
        suite: suite.clone(),
        details: join(&[note, &url]),
        ..Eval::new(name, status, "in-toto")
    };
    let mut out: Vec<Eval> = p
        .failed_tests
        .iter()
        .map(|t| one(t, EvalStatus::Fail, "failed"))
        .collect();
    out.extend(
        p.warned_tests
            .iter()
            .map(|t| one(t, EvalStatus::Pass, "passed with warnings")),
    );
    out.extend(p.passed_tests.iter().map(|t| one(t, EvalStatus::Pass, "")));
    if out.is_empty() {
        let status = match p.result.as_str() {
            "PASSED" | "WARNED" => EvalStatus::Pass,
            "FAILED" => EvalStatus::Fail,
            _ => EvalStatus::Error,
        };
        out.push(one("test-result", status, &format!("result {}", p.result)));
    }
    Some(out)
}
