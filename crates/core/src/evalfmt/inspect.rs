//! Inspect AI eval logs (the JSON log format, schema version 1 or 2): the task, the model,
//! whether the run finished, and each scorer's metrics. Samples are only looked at for
//! errors, so a large log costs little beyond parsing.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{FormatError, join};
use crate::eval::{Eval, EvalStatus};

#[derive(Deserialize)]
struct Log {
    version: u32,
    status: String,
    eval: EvalSpec,
    #[serde(default)]
    results: Option<Results>,
    #[serde(default)]
    error: Option<LogError>,
    #[serde(default)]
    samples: Vec<Sample>,
}

#[derive(Deserialize)]
struct EvalSpec {
    task: String,
    model: String,
}

#[derive(Deserialize)]
struct Results {
    #[serde(default)]
    total_samples: u64,
    #[serde(default)]
    scores: Vec<Score>,
}

#[derive(Deserialize)]
struct Score {
    name: String,
    #[serde(default)]
    scored_samples: Option<u64>,
    #[serde(default)]
    metrics: BTreeMap<String, Metric>,
}

#[derive(Deserialize)]
struct Metric {
    value: f64,
}

#[derive(Deserialize)]
struct LogError {
    message: String,
    #[serde(default)]
    traceback: Option<String>,
}

#[derive(Deserialize)]
struct Sample {
    id: serde_json::Value,
    #[serde(default)]
    error: Option<LogError>,
}

/// The metric shown as the score: accuracy when the scorer has it, else the first one
/// that is not a spread (stderr, std).
fn headline(metrics: &BTreeMap<String, Metric>) -> Option<f64> {
    metrics
        .get("accuracy")
        .or_else(|| {
            metrics
                .iter()
                .find(|(k, _)| !matches!(k.as_str(), "stderr" | "std" | "var"))
                .map(|x| x.1)
        })
        .map(|m| m.value)
        .filter(|v| v.is_finite())
}

/// Reads one Inspect log into evals: one per scorer, and one per errored sample or run.
pub fn read(json: &str) -> Result<Vec<Eval>, FormatError> {
    let log: Log = serde_json::from_str(json)
        .map_err(|e| FormatError::new(format!("not an Inspect eval log: {e}")))?;
    if !(1..=2).contains(&log.version) {
        return Err(FormatError::new(format!(
            "Inspect log schema version {} is not supported (1 or 2)",
            log.version
        )));
    }
    let task = log.eval.task;
    let model = log.eval.model;
    let mut out = Vec::new();
    let finished = log.status == "success";
    if let Some(r) = &log.results {
        for s in &r.scores {
            let metrics: Vec<String> = s
                .metrics
                .iter()
                .map(|(k, m)| format!("{k} {:.4}", m.value))
                .collect();
            let scored = s
                .scored_samples
                .map(|n| format!("{n} of {} samples scored", r.total_samples));
            out.push(Eval {
                suite: Some(model.clone()),
                score: headline(&s.metrics),
                details: join(&[&metrics.join(", "), scored.as_deref().unwrap_or("")]),
                ..Eval::new(
                    format!("{task} · {}", s.name),
                    if finished {
                        EvalStatus::Pass
                    } else {
                        EvalStatus::Error
                    },
                    "inspect",
                )
            });
        }
    }
    for s in &log.samples {
        if let Some(e) = &s.error {
            let id =
                s.id.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| s.id.to_string());
            out.push(Eval {
                suite: Some(model.clone()),
                details: Some(e.message.clone()),
                output: e.traceback.clone(),
                ..Eval::new(
                    format!("{task} · sample {id}"),
                    EvalStatus::Error,
                    "inspect",
                )
            });
        }
    }
    if !finished {
        let (message, traceback) = match &log.error {
            Some(e) => (e.message.clone(), e.traceback.clone()),
            None => (
                format!("the run did not finish (status `{}`)", log.status),
                None,
            ),
        };
        out.insert(
            0,
            Eval {
                suite: Some(model),
                details: Some(message),
                output: traceback,
                ..Eval::new(task, EvalStatus::Error, "inspect")
            },
        );
    }
    Ok(out)
}
