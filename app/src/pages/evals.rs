//! The eval table: every result in one list whatever format it came in, failures first,
//! each failure's message and captured output one click away (`<details>`, so it works
//! without JavaScript).

use countersign_core::{Eval, EvalStatus, EvalSummary};
use leptos::prelude::*;

fn rank(s: EvalStatus) -> u8 {
    match s {
        EvalStatus::Error => 0,
        EvalStatus::Fail => 1,
        EvalStatus::Skip => 2,
        EvalStatus::Pass => 3,
    }
}

/// "0.98 (≥ 0.9)": the score against its threshold, when there is one.
fn score(e: &Eval) -> Option<String> {
    let s = e.score?;
    Some(match e.threshold {
        Some(t) => format!("{s} ({} {t})", if s >= t { "≥" } else { "<" }),
        None => s.to_string(),
    })
}

#[component]
pub fn EvalTable(evals: Vec<Eval>) -> impl IntoView {
    if evals.is_empty() {
        return view! { <section><h2>"Evals"</h2><p class="empty">"No evals were submitted."</p></section> }.into_any();
    }
    let summary = EvalSummary::of(&evals);
    let mut evals = evals;
    evals.sort_by_key(|e| rank(e.status));
    let rows = evals
        .into_iter()
        .map(|e| {
            let first_line = e.details.as_deref().and_then(|d| d.lines().find(|l| !l.trim().is_empty())).map(str::to_owned);
            let more = e.details.is_some() || e.output.is_some();
            let below = e.threshold.zip(e.score).is_some_and(|(t, s)| s < t);
            view! {
                <tr class=format!("eval {}", e.status.as_str())>
                    <td><span class=format!("badge {}", e.status.as_str())>{e.status.as_str()}</span></td>
                    <td class="name">{e.name.clone()}</td>
                    <td class="suite">{e.suite.clone()}</td>
                    <td class=if below { "score below" } else { "score" }>{score(&e)}</td>
                    <td class="details">
                        {more.then(|| view! {
                            <details>
                                <summary>{first_line.unwrap_or_else(|| "Output".to_owned())}</summary>
                                {e.details.clone().map(|d| view! { <pre class="message">{d}</pre> })}
                                {e.output.clone().map(|o| view! { <pre class="output">{o}</pre> })}
                            </details>
                        })}
                    </td>
                    <td class="source">{e.source.clone().unwrap_or_else(|| "json".to_owned())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section>
            <h2>"Evals"</h2>
            <p class=if summary.all_green() { "eval-summary green" } else { "eval-summary red" }>{summary.to_string()}</p>
            <table class="evals">
                <thead><tr><th>"Status"</th><th>"Name"</th><th>"Suite"</th><th>"Score"</th><th>"Message and output"</th><th>"From"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}
