//! The oversight dashboard's numbers against known histories: a hand-built one for every
//! chart and signal, and a real one on both backends (agent-only and human approvals,
//! decisions per reviewer, pending now, a fast decision on a large diff).

use chrono::{Duration, Utc};
use countersign_core::{ChangeId, ChangeStatus, Role, Stakes, Verdict, submission::Submission};
use countersign_service::{
    Client, Password, accounts,
    changes::{self, DecideInput},
    dashboard::{self, summarize},
    signin,
    store::{AuditActor, ChangeFact, DecisionFact},
    testing::{on_each_backend, services},
};

fn decision(
    id: i64,
    who: Option<&str>,
    verdict: Verdict,
    mins_after_submit: i64,
    days_ago: i64,
    agent: &str,
) -> DecisionFact {
    let at = Utc::now() - Duration::days(days_ago);
    DecisionFact {
        change_id: ChangeId(id),
        title: format!("c{id}"),
        reviewer: who.map(str::to_owned),
        verdict,
        at,
        opened_at: None,
        submitted_at: at - Duration::minutes(mins_after_submit),
        agent: agent.into(),
        overridden: false,
        lines_changed: 10,
    }
}

#[test]
fn every_chart_and_signal_from_a_known_history() {
    let now = Utc::now();
    let mut ds = vec![
        decision(1, None, Verdict::Approve, 0, 1, "bot"),
        decision(2, Some("rita"), Verdict::Reject, 30, 1, "bot"),
    ];
    // Olga approves 12, peers 2 each: olga stands out.
    for i in 0..12 {
        ds.push(decision(
            100 + i,
            Some("olga"),
            Verdict::Approve,
            5,
            2,
            "bot",
        ));
    }
    for (j, who) in ["rita", "ravi", "rosa"].iter().enumerate() {
        for i in 0..2 {
            ds.push(decision(
                200 + 10 * j as i64 + i,
                Some(who),
                Verdict::Approve,
                90,
                3,
                "bot",
            ));
        }
    }
    // A large diff decided 5 s after opening; an approval over an override.
    let mut fast = decision(300, Some("ravi"), Verdict::Approve, 10, 0, "bot");
    fast.lines_changed = 2_000;
    fast.opened_at = Some(fast.at - Duration::seconds(5));
    let mut over = decision(301, Some("rosa"), Verdict::Approve, 10, 0, "bot");
    over.overridden = true;
    ds.extend([fast, over]);
    // Agent "rogue": 0 of 6 rejected before, 5 of 6 in the last week.
    for i in 0..6 {
        ds.push(decision(
            400 + i,
            Some("rick"),
            Verdict::Approve,
            10,
            20,
            "rogue",
        ));
        ds.push(decision(
            500 + i,
            Some("ravi"),
            if i < 5 {
                Verdict::Reject
            } else {
                Verdict::Approve
            },
            10,
            2,
            "rogue",
        ));
    }
    let changes = vec![
        ChangeFact {
            id: ChangeId(900),
            title: "old".into(),
            stakes: Stakes::High,
            status: ChangeStatus::Pending,
            created_at: now - Duration::days(5),
            updated_at: now,
        },
        ChangeFact {
            id: ChangeId(901),
            title: "new".into(),
            stakes: Stakes::Low,
            status: ChangeStatus::Pending,
            created_at: now - Duration::hours(1),
            updated_at: now,
        },
        ChangeFact {
            id: ChangeId(902),
            title: "closed".into(),
            stakes: Stakes::Medium,
            status: ChangeStatus::Approved,
            created_at: now - Duration::days(10),
            updated_at: now - Duration::days(3),
        },
    ];
    let d = summarize(&ds, &changes, now);
    assert_eq!(d.pending_now, [1, 0, 1, 0]);
    assert_eq!(d.oldest_pending.as_ref().map(|o| o.0), Some(ChangeId(900)));
    assert_eq!(d.pending_by_day.len(), 14);
    let four_days_ago = &d.pending_by_day[14 - 5].1;
    assert_eq!(
        *four_days_ago,
        [0, 1, 1, 0],
        "on that day: the medium one still open, the high one submitted"
    );
    assert_eq!(d.pending_by_day[13].1, [1, 0, 1, 0]);
    assert_eq!(
        (d.agent_only_approvals, d.by_reviewer["olga"]),
        (1, (12, 0))
    );
    assert_eq!(
        d.time_to_decision.iter().sum::<u64>(),
        ds.len() as u64,
        "one bucket per decided change"
    );
    assert_eq!(d.time_to_decision[0], 1, "the agent-only approval, at once");
    let kinds: Vec<&str> = d.signals.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        ["fast", "override", "reviewer", "agent"],
        "{:?}",
        d.signals
    );
    assert_eq!(d.signals[0].changes, [ChangeId(300)]);
    assert_eq!(d.signals[1].changes, [ChangeId(301)]);
    assert!(d.signals[2].text.starts_with("olga approved 12"));
    assert!(
        d.signals[3].text.contains("rogue") && d.signals[3].text.contains("from 0% to 83%"),
        "{}",
        d.signals[3].text
    );
}

#[tokio::test]
async fn the_dashboard_counts_a_real_history() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let (_, token) =
            accounts::create_agent(&svc, "bot", None, AuditActor::System, &Client::default())
                .await
                .unwrap();
        let a = accounts::authenticate_agent(&svc, &token).await.unwrap();
        let pw = Password::new("rita-plum-orbit-cellar-42".into());
        accounts::create_user(&svc, "rita", vec![Role::Reviewer], &pw, AuditActor::System)
            .await
            .unwrap();
        accounts::create_user(
            &svc,
            "aude",
            vec![Role::Auditor],
            &Password::new("aude-plum-orbit-cellar-42".into()),
            AuditActor::System,
        )
        .await
        .unwrap();
        let rita = signin::login(&svc, "rita", &pw, &Client::default())
            .await
            .unwrap();
        let aude = signin::login(
            &svc,
            "aude",
            &Password::new("aude-plum-orbit-cellar-42".into()),
            &Client::default(),
        )
        .await
        .unwrap();
        let big: String = (0..600).map(|i| format!("+line {i}\n")).collect();
        let sub = |t: &str, stakes: &str, diff: String| -> Submission {
            serde_json::from_value(serde_json::json!({
                "title": t, "repository": "acme/app", "stakes": stakes, "diff": diff,
                "evals": [{"name": "unit", "status": "pass"}],
            }))
            .unwrap()
        };
        changes::submit(
            &svc,
            &a,
            sub(
                "low",
                "low",
                "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n".into(),
            ),
            None,
        )
        .await
        .unwrap();
        let large = changes::submit(
            &svc,
            &a,
            sub(
                "large",
                "medium",
                format!("--- /dev/null\n+++ b/big\n@@ -0,0 +1,600 @@\n{big}"),
            ),
            None,
        )
        .await
        .unwrap()
        .change
        .id;
        changes::submit(
            &svc,
            &a,
            sub(
                "waiting",
                "high",
                "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+c\n".into(),
            ),
            None,
        )
        .await
        .unwrap();
        let input = DecideInput {
            change_id: large,
            revision: 1,
            verdict: Verdict::Approve,
            comment: None,
            password: pw,
            opened_at: Some(Utc::now().timestamp() - 3),
        };
        changes::decide(&svc, rita.as_reviewer().unwrap(), input)
            .await
            .unwrap();
        let d = dashboard::dashboard(&svc, aude.as_audit_reader().unwrap())
            .await
            .unwrap();
        assert_eq!((d.agent_only_approvals, d.human_approvals), (1, 1));
        assert_eq!(d.by_reviewer["rita"], (1, 0));
        assert_eq!(d.pending_now, [0, 0, 1, 0]);
        assert_eq!(d.signals.len(), 1, "{:?}", d.signals);
        assert_eq!(
            (d.signals[0].kind, d.signals[0].changes.clone()),
            ("fast", vec![large])
        );
    })
    .await;
}
