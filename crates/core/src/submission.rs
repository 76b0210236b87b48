//! Validation of a submitted change, as pure code: every problem is reported at once, each
//! with a JSON pointer to the field (`/evals/0/status`), so an agent can fix its request in
//! one round trip.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{eval::Eval, evalfmt, model::Stakes};

/// Limits on a submission's fields. The body-size limit is enforced before parsing.
pub const MAX_TITLE: usize = 300;
pub const MAX_REPOSITORY: usize = 500;
pub const MAX_BASE: usize = 300;
pub const MAX_DESCRIPTION: usize = 100_000;
pub const MAX_EVALS: usize = 10_000;
pub const MAX_ATTESTATIONS: usize = 100;
pub const MAX_LABELS: usize = 100;

/// A change as an agent submits it, after JSON parsing and before validation.
///
/// Attestations are kept as the exact bytes the agent sent (`RawValue`), so what is stored
/// and later verified is what was signed, not a re-serialization.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Submission {
    // Required fields default to empty so that a missing one is reported by `validate`
    // with its pointer, exactly like a blank one.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub repository: String,
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub stakes: Option<Stakes>,
    #[serde(default)]
    pub diff: String,
    /// The diff's exact bytes in standard base64, for a diff that is not UTF-8 (a JSON
    /// string cannot carry it). Give either this or `diff`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_base64: Option<String>,
    #[serde(default)]
    pub evals: Vec<Eval>,
    /// JUnit / xUnit XML reports, each as one string.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub junit_xml: Vec<String>,
    /// Inspect AI eval logs (JSON), each as one object.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub inspect_logs: Vec<Box<serde_json::value::RawValue>>,
    /// in-toto statements, DSSE envelopes or Sigstore bundles, each stored verbatim.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub attestations: Vec<Box<serde_json::value::RawValue>>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// A JSON pointer (RFC 6901) to the field.
    pub field: String,
    pub message: String,
}

fn fe(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

fn check_text(errs: &mut Vec<FieldError>, field: &str, value: &str, required: bool, max: usize) {
    if required && value.trim().is_empty() {
        errs.push(fe(field, "is required and must not be blank"));
    } else if value.chars().count() > max {
        errs.push(fe(field, format!("must be at most {max} characters")));
    }
}

impl Submission {
    /// Every problem with this submission; empty when it may be stored.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        check_text(&mut errs, "/title", &self.title, true, MAX_TITLE);
        check_text(
            &mut errs,
            "/repository",
            &self.repository,
            true,
            MAX_REPOSITORY,
        );
        if let Some(base) = &self.base {
            check_text(&mut errs, "/base", base, false, MAX_BASE);
        }
        if let Some(d) = &self.description {
            check_text(&mut errs, "/description", d, false, MAX_DESCRIPTION);
        }
        match (&self.diff_base64, self.diff.trim().is_empty()) {
            (Some(_), false) => errs.push(fe(
                "/diff_base64",
                "give either diff or diff_base64, not both",
            )),
            (None, true) => errs.push(fe("/diff", "is required and must not be blank")),
            (Some(b), true) if self.decoded_base64(b).is_none() => {
                errs.push(fe("/diff_base64", "must be standard base64"))
            }
            (field, _) => {
                if let Err(e) = crate::diff::parse(&self.diff_bytes()) {
                    let at = if field.is_some() {
                        "/diff_base64"
                    } else {
                        "/diff"
                    };
                    errs.push(fe(at, e.to_string()));
                }
            }
        }
        if self.evals.len() > MAX_EVALS {
            errs.push(fe("/evals", format!("at most {MAX_EVALS} evals")));
        }
        for (i, e) in self.evals.iter().enumerate() {
            if e.name.trim().is_empty() {
                errs.push(fe(
                    format!("/evals/{i}/name"),
                    "is required and must not be blank",
                ));
            }
            for (key, v) in [("score", e.score), ("threshold", e.threshold)] {
                if v.is_some_and(|v| !v.is_finite()) {
                    errs.push(fe(format!("/evals/{i}/{key}"), "must be a finite number"));
                }
            }
        }
        for (i, x) in self.junit_xml.iter().enumerate() {
            if let Err(e) = evalfmt::junit::read(x) {
                errs.push(fe(format!("/junit_xml/{i}"), format!("JUnit XML: {e}")));
            }
        }
        for (i, x) in self.inspect_logs.iter().enumerate() {
            if let Err(e) = evalfmt::inspect::read(x.get()) {
                errs.push(fe(format!("/inspect_logs/{i}"), e.to_string()));
            }
        }
        if errs.is_empty() && self.all_evals().len() > MAX_EVALS {
            errs.push(fe(
                "/evals",
                format!("at most {MAX_EVALS} evals in all formats together"),
            ));
        }
        if self.attestations.len() > MAX_ATTESTATIONS {
            errs.push(fe(
                "/attestations",
                format!("at most {MAX_ATTESTATIONS} attestations"),
            ));
        }
        for (i, a) in self.attestations.iter().enumerate() {
            if !a.get().trim_start().starts_with('{') {
                errs.push(fe(format!("/attestations/{i}"), "must be a JSON object"));
            }
        }
        if self.labels.len() > MAX_LABELS {
            errs.push(fe("/labels", format!("at most {MAX_LABELS} labels")));
        }
        for key in self.labels.keys() {
            if key.is_empty() || key.len() > 100 {
                errs.push(fe("/labels", "label names must be 1 to 100 characters"));
                break;
            }
        }
        errs
    }

    fn decoded_base64(&self, b: &str) -> Option<Vec<u8>> {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(b.trim())
            .ok()
            .filter(|d| !d.is_empty())
    }

    /// The diff's bytes, exactly as submitted (from `diff` or `diff_base64`).
    pub fn diff_bytes(&self) -> Vec<u8> {
        match &self.diff_base64 {
            Some(b) => self.decoded_base64(b).unwrap_or_default(),
            None => self.diff.as_bytes().to_vec(),
        }
    }

    /// Every eval in one list: the agent's own, then those read from JUnit reports, Inspect
    /// logs and in-toto test-result attestations, in that order. This list is what is
    /// stored, digested and judged. Documents that do not read are skipped here;
    /// `validate` reports them.
    pub fn all_evals(&self) -> Vec<Eval> {
        let mut out = self.evals.clone();
        for x in &self.junit_xml {
            out.extend(evalfmt::junit::read(x).unwrap_or_default());
        }
        for x in &self.inspect_logs {
            out.extend(evalfmt::inspect::read(x.get()).unwrap_or_default());
        }
        for a in self.attestation_values() {
            out.extend(evalfmt::intoto::read(&a).unwrap_or_default());
        }
        out
    }

    /// The attestations parsed (for canonical hashing); the parser already checked them.
    pub fn attestation_values(&self) -> Vec<serde_json::Value> {
        self.attestations
            .iter()
            .map(|a| serde_json::from_str(a.get()).unwrap_or(serde_json::Value::Null))
            .collect()
    }

    /// The attestations as one JSON list made of the submitted bytes, unchanged.
    pub fn attestations_verbatim(&self) -> String {
        let parts: Vec<&str> = self.attestations.iter().map(|a| a.get()).collect();
        format!("[{}]", parts.join(","))
    }

    /// The declared stakes, `medium` when the agent did not say.
    pub fn stakes(&self) -> Stakes {
        self.stakes.unwrap_or(Stakes::Medium)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::EvalStatus;

    fn ok() -> Submission {
        serde_json::from_value(serde_json::json!({
            "title": "Bump dep", "repository": "acme/app", "diff": "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"
        }))
        .unwrap()
    }

    #[test]
    fn a_minimal_submission_is_valid_with_medium_stakes() {
        assert!(ok().validate().is_empty());
        assert_eq!(ok().stakes(), Stakes::Medium);
    }

    #[test]
    fn every_problem_is_reported_with_its_pointer() {
        let mut s = ok();
        s.title = "  ".into();
        s.diff = String::new();
        s.evals.push(Eval {
            score: Some(f64::NAN),
            ..Eval::new("", EvalStatus::Pass, "")
        });
        s.attestations
            .push(serde_json::value::RawValue::from_string("\"text\"".into()).unwrap());
        let fields: Vec<_> = s.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "/title",
                "/diff",
                "/evals/0/name",
                "/evals/0/score",
                "/attestations/0"
            ]
        );
    }

    #[test]
    fn a_diff_that_cannot_be_read_is_refused_with_the_reason() {
        let mut s = ok();
        s.diff = "diff --cc x\n@@@ -1,1 -1,1 +1,1 @@@\n".into();
        let errs = s.validate();
        assert_eq!(errs[0].field, "/diff");
        assert!(
            errs[0].message.contains("combined diffs"),
            "{}",
            errs[0].message
        );
        s.diff = "--- a/x\n+++ b/x\n@@ -1,3 +1 @@\n-a\n".into();
        assert!(s.validate()[0].message.contains("ends early"));
        s.diff = "just some text".into();
        assert!(s.validate()[0].message.contains("no file changes"));
    }

    #[test]
    fn attestations_keep_their_exact_bytes() {
        let body = r#"{"title":"t","repository":"r","diff":"d","attestations":[{"b": 1,  "a":"\u00e9"}, {"x":[]}]}"#;
        let s: Submission = serde_json::from_str(body).unwrap();
        assert_eq!(
            s.attestations_verbatim(),
            r#"[{"b": 1,  "a":"\u00e9"},{"x":[]}]"#
        );
        assert_eq!(s.attestation_values()[0]["a"], "é");
    }

    #[test]
    fn unknown_fields_are_refused_by_the_parser() {
        let r: Result<Submission, _> = serde_json::from_value(serde_json::json!({
            "title": "t", "repository": "r", "diff": "d", "stakez": "high"
        }));
        assert!(r.unwrap_err().to_string().contains("stakez"));
    }
}
