//! A realistic made-up history, fast, for development and load tests: `countersign dev
//! seed --changes N`. Mixed stakes and statuses over the last 180 days, small real diffs
//! with evals, decisions by a few reviewers — bulk-inserted a thousand per transaction.

use chrono::{Duration, Utc};
use countersign_core::{
    ChangeStatus, ContentDigest, Eval, EvalStatus, EvalSummary, Role, Stakes, UserId, Verdict,
    digest::ContentParts,
};
use rand::{Rng, SeedableRng, rngs::StdRng};

use crate::{
    Password, Services, accounts,
    error::ServiceResult,
    stakes,
    store::{AuditActor, NewChange, SeedChange},
};

const BATCH: usize = 1_000;

fn pick<T: Copy>(rng: &mut StdRng, weighted: &[(T, u32)]) -> T {
    let total: u32 = weighted.iter().map(|w| w.1).sum();
    let mut at = rng.gen_range(0..total);
    for (v, w) in weighted {
        if at < *w {
            return *v;
        }
        at -= w;
    }
    weighted[0].0
}

fn diff(rng: &mut StdRng, n: usize) -> String {
    let file = format!("src/module_{}.rs", rng.gen_range(0..500));
    let lines = rng.gen_range(3..40);
    let mut d = format!(
        "diff --git a/{file} b/{file}\n--- a/{file}\n+++ b/{file}\n@@ -1,{lines} +1,{lines} @@\n"
    );
    for i in 0..lines {
        if i % 4 == 1 {
            d.push_str(&format!(
                "-    let limit_{i} = {};\n+    let limit_{i} = {};\n",
                n % 97,
                n % 89
            ));
        } else {
            d.push_str(&format!("     total += step_{i}(value, {i});\n"));
        }
    }
    d
}

/// Makes (or reuses) the seed agents and reviewers; returns their ids.
async fn cast(svc: &Services) -> ServiceResult<(Vec<countersign_core::AgentId>, Vec<UserId>)> {
    let known = svc.store.list_agents().await?;
    let mut agents = Vec::new();
    for i in 1..=5 {
        let name = format!("seed-bot-{i}");
        agents.push(match known.iter().find(|a| a.name == name) {
            Some(a) => a.id,
            None => {
                accounts::create_agent(svc, &name, None, AuditActor::System, &Default::default())
                    .await?
                    .0
            }
        });
    }
    let mut reviewers = Vec::new();
    for i in 1..=3 {
        let name = format!("seed-reviewer-{i}");
        reviewers.push(match svc.store.user_by_username(&name).await? {
            Some(u) => u.id,
            None => {
                let password =
                    Password::new(format!("{name}-quartz-lantern-{}", rand::random::<u32>()));
                accounts::create_user(
                    svc,
                    &name,
                    vec![Role::Reviewer],
                    &password,
                    AuditActor::System,
                )
                .await?
            }
        });
    }
    Ok((agents, reviewers))
}

/// Inserts `count` changes; the same `seed` gives the same history.
pub async fn seed(svc: &Services, count: usize, seed: u64) -> ServiceResult<usize> {
    let (agents, reviewers) = cast(svc).await?;
    let cur = stakes::current(svc).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let now = Utc::now();
    let mut done = 0;
    while done < count {
        let mut batch = Vec::with_capacity(BATCH.min(count - done));
        for _ in 0..BATCH.min(count - done) {
            let n = done + batch.len();
            let stakes = pick(
                &mut rng,
                &[
                    (Stakes::Low, 40),
                    (Stakes::Medium, 35),
                    (Stakes::High, 20),
                    (Stakes::Critical, 5),
                ],
            );
            let status = pick(
                &mut rng,
                &[
                    (ChangeStatus::Pending, 10),
                    (ChangeStatus::Approved, 60),
                    (ChangeStatus::Rejected, 20),
                    (ChangeStatus::Withdrawn, 7),
                    (ChangeStatus::Expired, 3),
                ],
            );
            let created = now - Duration::seconds(rng.gen_range(60..180 * 86_400));
            let evals: Vec<Eval> = (0..rng.gen_range(1..6))
                .map(|i| {
                    Eval::new(
                        format!("suite-{i}"),
                        pick(
                            &mut rng,
                            &[
                                (EvalStatus::Pass, 90),
                                (EvalStatus::Fail, 6),
                                (EvalStatus::Skip, 4),
                            ],
                        ),
                        "json",
                    )
                })
                .collect();
            let (title, repository, diff) = (
                format!("Seeded change {n}"),
                format!("acme/service-{}", rng.gen_range(0..20)),
                diff(&mut rng, n),
            );
            let digest = ContentDigest::compute(&ContentParts {
                title: &title,
                repository: &repository,
                base: Some("main"),
                diff: diff.as_bytes(),
                evals: &evals,
                attestations: &[],
            });
            let decision = match status {
                ChangeStatus::Approved | ChangeStatus::Rejected => {
                    let verdict = if status == ChangeStatus::Approved {
                        Verdict::Approve
                    } else {
                        Verdict::Reject
                    };
                    let at = created + Duration::seconds(rng.gen_range(30..3 * 86_400));
                    Some((
                        reviewers[rng.gen_range(0..reviewers.len())],
                        verdict,
                        at.min(now),
                    ))
                }
                _ => None,
            };
            let facts = stakes::facts_of(stakes, "seed", &repository, diff.as_bytes(), &evals, &[]);
            let assessment = facts.assess(&cur.policy);
            let mut policy =
                stakes::new_standing(&cur, facts, assessment, &digest.digest, false, created);
            // Seeded pending changes never expire: their made-up ages reach back months.
            policy.expires_at = None;
            policy.status = status;
            policy.system_reason = None;
            batch.push(SeedChange {
                change: NewChange {
                    policy,
                    agent_id: agents[rng.gen_range(0..agents.len())],
                    description: Some("Made up by `countersign dev seed`.".into()),
                    base: Some("main".into()),
                    stakes,
                    labels_json: "{}".into(),
                    evals: EvalSummary::of(&evals),
                    evals_json: serde_json::to_string(&evals).unwrap_or_else(|_| "[]".into()),
                    attestations_json: "[]".into(),
                    idempotency_key: None,
                    request_hash: None,
                    now: created,
                    digest,
                    title,
                    repository,
                    diff: diff.into_bytes(),
                },
                status,
                decision,
            });
        }
        done += batch.len();
        svc.store.seed_changes(batch).await?;
    }
    Ok(done)
}
