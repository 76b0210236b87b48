//! What a reviewer needs from an in-toto statement (v0.1 or v1), whatever its predicate:
//! SLSA provenance v0.1 (Cloud Build), v0.2 and v1, SLSA verification summaries, and
//! test results — builder, build type, source, parameters, dependencies and subjects.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub name: String,
    /// (algorithm, hex value)
    pub digests: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub statement: String,
    pub predicate_type: String,
    /// A readable name for the predicate ("SLSA provenance v1").
    pub kind: String,
    pub builder_id: Option<String>,
    pub build_type: Option<String>,
    pub source: Option<String>,
    pub commit: Option<String>,
    /// Parameters as pretty JSON (truncated when long).
    pub parameters: Option<String>,
    /// Resolved dependencies or materials: "uri (alg:digest)".
    pub dependencies: Vec<String>,
    pub subjects: Vec<Subject>,
    /// For a verification summary or a test result: its outcome in words.
    pub result: Option<String>,
}

fn s(v: &Value) -> Option<String> {
    v.as_str().filter(|x| !x.is_empty()).map(str::to_owned)
}

fn pretty(v: &Value) -> Option<String> {
    if v.is_null() || v.as_object().is_some_and(|o| o.is_empty()) {
        return None;
    }
    let mut t = serde_json::to_string_pretty(v).ok()?;
    if t.len() > 4_000 {
        let cut = (0..=4_000)
            .rev()
            .find(|&i| t.is_char_boundary(i))
            .unwrap_or(0);
        t.truncate(cut);
        t.push_str("\n…");
    }
    Some(t)
}

fn digests(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), s(v)?)))
                .collect()
        })
        .unwrap_or_default()
}

fn dependency(d: &Value) -> Option<String> {
    let uri = s(&d["uri"]).or_else(|| s(&d["name"]))?;
    let dg: Vec<String> = digests(&d["digest"])
        .into_iter()
        .map(|(a, v)| format!("{a}:{v}"))
        .collect();
    Some(if dg.is_empty() {
        uri
    } else {
        format!("{uri} ({})", dg.join(", "))
    })
}

/// Reads a statement; `None` if it is not an in-toto statement.
pub fn read(st: &Value) -> Option<Summary> {
    let statement = s(&st["_type"])?;
    let predicate_type = s(&st["predicateType"])?;
    let p = &st["predicate"];
    let subjects = st["subject"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| Subject {
                    name: s(&x["name"]).unwrap_or_default(),
                    digests: digests(&x["digest"]),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut m = Summary {
        statement,
        predicate_type: predicate_type.clone(),
        subjects,
        ..Summary::default()
    };
    match predicate_type.as_str() {
        "https://slsa.dev/provenance/v1" => {
            m.kind = "SLSA provenance v1".into();
            let bd = &p["buildDefinition"];
            m.builder_id = s(&p["runDetails"]["builder"]["id"]);
            m.build_type = s(&bd["buildType"]);
            m.parameters = pretty(&bd["externalParameters"]);
            let deps = bd["resolvedDependencies"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            m.dependencies = deps.iter().filter_map(dependency).collect();
            if let Some(src) = deps.iter().find(|d| d["digest"]["gitCommit"].is_string()) {
                m.source = s(&src["uri"]);
                m.commit = s(&src["digest"]["gitCommit"]);
            }
        }
        "https://slsa.dev/provenance/v0.2" | "https://slsa.dev/provenance/v0.1" => {
            m.kind = format!(
                "SLSA provenance {}",
                predicate_type.rsplit('/').next().unwrap_or("")
            );
            m.builder_id = s(&p["builder"]["id"]);
            m.build_type = s(&p["buildType"]).or_else(|| s(&p["recipe"]["type"]));
            m.parameters = pretty(&p["invocation"]["parameters"])
                .or_else(|| pretty(&p["recipe"]["arguments"]));
            let cs = &p["invocation"]["configSource"];
            m.source = s(&cs["uri"]);
            m.commit = s(&cs["digest"]["sha1"]).or_else(|| s(&cs["digest"]["gitCommit"]));
            m.dependencies = p["materials"]
                .as_array()
                .map(|a| a.iter().filter_map(dependency).collect())
                .unwrap_or_default();
            if m.source.is_none() {
                m.source = p["materials"]
                    .as_array()
                    .and_then(|a| a.first())
                    .and_then(|d| s(&d["uri"]));
            }
        }
        "https://slsa.dev/verification_summary/v1" => {
            m.kind = "SLSA verification summary v1".into();
            m.builder_id = s(&p["verifier"]["id"]);
            let levels: Vec<String> = p["verifiedLevels"]
                .as_array()
                .map(|a| a.iter().filter_map(s).collect())
                .unwrap_or_default();
            m.result = Some(
                format!(
                    "{} {}",
                    s(&p["verificationResult"]).unwrap_or_else(|| "no result".into()),
                    levels.join(", ")
                )
                .trim()
                .to_owned(),
            );
            m.source = s(&p["resourceUri"]);
            m.parameters = pretty(&p["policy"]);
        }
        crate::evalfmt::intoto::TEST_RESULT => {
            m.kind = "test result v0.1".into();
            m.result = s(&p["result"]);
            m.source = s(&p["url"]);
        }
        other => m.kind = other.to_owned(),
    }
    Some(m)
}
