//! The stakes policy at work, on both backends: one scenario per default tier, the rules
//! that always hold (the owner never counts, once per reviewer, quarantine, stale
//! approvals after a revision, identical content keeps them), concurrent approvals
//! judged together, a policy edit that never lowers the bar, and expiry.

use chrono::{Duration, Utc};
use countersign_core::{ChangeId, ChangeStatus, Role, Stakes, Verdict, submission::Submission};
use countersign_service::{
    AgentActor, Client, Password, ServiceError, Services, UserActor, accounts,
    changes::{self, DecideInput},
    signin, stakes,
    store::AuditActor,
    testing::{on_each_backend, services},
};

async fn agent(svc: &Services, name: &str, owner: Option<&str>) -> AgentActor {
    let (_, token) =
        accounts::create_agent(svc, name, owner, AuditActor::System, &Client::default())
            .await
            .unwrap();
    accounts::authenticate_agent(svc, &token).await.unwrap()
}

async fn person(svc: &Services, name: &str, roles: Vec<Role>) -> UserActor {
    let pw = Password::new(format!("{name}-plum-orbit-cellar-42"));
    accounts::create_user(svc, name, roles, &pw, AuditActor::System)
        .await
        .unwrap();
    signin::login(svc, name, &pw, &Client::default())
        .await
        .unwrap()
}

fn submission(title: &str, stakes: &str, eval: &str) -> Submission {
    serde_json::from_value(serde_json::json!({
        "title": title, "repository": "acme/app", "stakes": stakes,
        "diff": "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
        "evals": [{"name": "unit", "status": eval}],
    }))
    .unwrap()
}

async fn submit(svc: &Services, a: &AgentActor, s: Submission) -> ChangeId {
    changes::submit(svc, a, s, None).await.unwrap().change.id
}

async fn decide(
    svc: &Services,
    who: &UserActor,
    id: ChangeId,
    verdict: Verdict,
) -> Result<ChangeStatus, ServiceError> {
    let revision = svc.store.change(id).await.unwrap().unwrap().revision;
    let input = DecideInput {
        opened_at: None,
        change_id: id,
        revision,
        verdict,
        comment: Some("looked at it".into()),
        password: Password::new(format!("{}-plum-orbit-cellar-42", who.username)),
    };
    changes::decide(svc, who.as_reviewer().unwrap(), input).await
}

async fn progress(svc: &Services, id: ChangeId) -> (ChangeStatus, String) {
    let c = svc.store.change(id).await.unwrap().unwrap();
    (c.status, c.progress.unwrap_or_default())
}

#[tokio::test]
async fn each_default_tier_needs_what_it_says() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc, "bot", None).await;
        let r1 = person(&svc, "rita", vec![Role::Reviewer]).await;
        let r2 = person(&svc, "ravi", vec![Role::Reviewer]).await;
        let r3 = person(&svc, "rosa", vec![Role::Reviewer]).await;
        let boss = person(&svc, "ada", vec![Role::Admin]).await;

        // low, evals pass: the agent's word; low with a failing eval: one person.
        let low = submit(&svc, &a, submission("low", "low", "pass")).await;
        assert_eq!(progress(&svc, low).await.0, ChangeStatus::Approved);
        let low_fail = submit(&svc, &a, submission("low-fail", "low", "fail")).await;
        let c = svc.store.change(low_fail).await.unwrap().unwrap();
        assert_eq!(
            (c.status, c.stakes, c.declared_stakes),
            (ChangeStatus::Pending, Stakes::Medium, Stakes::Low)
        );
        assert!(
            c.tier_reasons
                .iter()
                .any(|r| r.contains("eval `unit` failed")),
            "{:?}",
            c.tier_reasons
        );
        assert_eq!(
            decide(&svc, &r1, low_fail, Verdict::Approve).await.unwrap(),
            ChangeStatus::Approved
        );

        // high: two distinct reviewers; the same one twice is refused and counts once.
        let high = submit(&svc, &a, submission("high", "high", "pass")).await;
        assert_eq!(
            progress(&svc, high).await,
            (ChangeStatus::Pending, "0 of 2 approvals".into())
        );
        assert_eq!(
            decide(&svc, &r1, high, Verdict::Approve).await.unwrap(),
            ChangeStatus::Pending
        );
        assert_eq!(progress(&svc, high).await.1, "1 of 2 approvals");
        assert!(matches!(
            decide(&svc, &r1, high, Verdict::Approve).await,
            Err(ServiceError::Conflict(_))
        ));
        assert_eq!(progress(&svc, high).await.1, "1 of 2 approvals");
        assert_eq!(
            decide(&svc, &r2, high, Verdict::Approve).await.unwrap(),
            ChangeStatus::Approved
        );

        // high: one rejection vetoes, even after an approval.
        let vetoed = submit(&svc, &a, submission("vetoed", "high", "pass")).await;
        decide(&svc, &r1, vetoed, Verdict::Approve).await.unwrap();
        assert_eq!(
            decide(&svc, &r2, vetoed, Verdict::Reject).await.unwrap(),
            ChangeStatus::Rejected
        );
        assert_eq!(progress(&svc, vetoed).await.1, "vetoed");

        // critical: three people, one of them an admin.
        let crit = submit(&svc, &a, submission("crit", "critical", "pass")).await;
        for r in [&r1, &r2, &r3] {
            assert_eq!(
                decide(&svc, r, crit, Verdict::Approve).await.unwrap(),
                ChangeStatus::Pending
            );
        }
        assert!(
            progress(&svc, crit)
                .await
                .1
                .contains("0 of 1 from an admin")
        );
        assert_eq!(
            decide(&svc, &boss, crit, Verdict::Approve).await.unwrap(),
            ChangeStatus::Approved
        );

        // critical with a failing eval: blocked however many approve, with no override.
        let blocked = submit(&svc, &a, submission("blocked", "critical", "fail")).await;
        for r in [&r1, &r2, &boss] {
            decide(&svc, r, blocked, Verdict::Approve).await.unwrap();
        }
        assert_eq!(
            progress(&svc, blocked).await,
            (ChangeStatus::Pending, "blocked: eval `unit` failed".into())
        );
    })
    .await;
}

#[tokio::test]
async fn the_owner_never_counts_and_a_quarantined_agent_is_never_approved() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let owner = person(&svc, "olga", vec![Role::Reviewer]).await;
        let a = agent(&svc, "bot", Some("olga")).await;
        let r1 = person(&svc, "rita", vec![Role::Reviewer]).await;
        let r2 = person(&svc, "ravi", vec![Role::Reviewer]).await;
        let id = submit(&svc, &a, submission("t", "high", "pass")).await;
        assert!(matches!(
            decide(&svc, &owner, id, Verdict::Approve).await,
            Err(ServiceError::Forbidden(_))
        ));
        decide(&svc, &r1, id, Verdict::Approve).await.unwrap();
        svc.store
            .set_agent_quarantined(a.id, true, AuditActor::System, None)
            .await
            .unwrap();
        assert!(matches!(
            decide(&svc, &r2, id, Verdict::Approve).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert_eq!(progress(&svc, id).await.0, ChangeStatus::Pending);
    })
    .await;
}

#[tokio::test]
async fn concurrent_approvals_are_judged_together() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc, "bot", None).await;
        let r1 = person(&svc, "rita", vec![Role::Reviewer]).await;
        let r2 = person(&svc, "ravi", vec![Role::Reviewer]).await;
        for i in 0..3 {
            let id = submit(&svc, &a, submission(&format!("t{i}"), "high", "pass")).await;
            let (x, y) = tokio::join!(
                decide(&svc, &r1, id, Verdict::Approve),
                decide(&svc, &r2, id, Verdict::Approve)
            );
            assert!(x.is_ok() && y.is_ok(), "{x:?} {y:?}");
            assert_eq!(
                progress(&svc, id).await,
                (ChangeStatus::Approved, "2 of 2 approvals".into()),
                "round {i}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_revision_makes_earlier_approvals_stale_unless_the_content_is_identical() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc, "bot", None).await;
        let r1 = person(&svc, "rita", vec![Role::Reviewer]).await;
        let r2 = person(&svc, "ravi", vec![Role::Reviewer]).await;
        let id = submit(&svc, &a, submission("t", "high", "pass")).await;
        decide(&svc, &r1, id, Verdict::Approve).await.unwrap();

        // Identical content: the approval still counts.
        changes::revise(&svc, &a, id, submission("t", "high", "pass"))
            .await
            .unwrap();
        let c = svc.store.change(id).await.unwrap().unwrap();
        assert_eq!(
            (c.revision, c.progress.as_deref()),
            (2, Some("1 of 2 approvals"))
        );

        // New content: it is stale, and the change needs two approvals of the new digest.
        let mut changed = submission("t", "high", "pass");
        changed.title = "t, take two".into();
        let c = changes::revise(&svc, &a, id, changed).await.unwrap();
        assert_eq!(
            (c.revision, c.progress.as_deref()),
            (3, Some("0 of 2 approvals"))
        );
        assert_eq!(
            decide(&svc, &r2, id, Verdict::Approve).await.unwrap(),
            ChangeStatus::Pending
        );
        assert_eq!(
            decide(&svc, &r1, id, Verdict::Approve).await.unwrap(),
            ChangeStatus::Approved
        );

        // A revision cannot lower the bar: declaring low afterwards keeps high.
        let id = submit(&svc, &a, submission("u", "high", "pass")).await;
        let c = changes::revise(&svc, &a, id, submission("u2", "low", "pass"))
            .await
            .unwrap();
        assert_eq!((c.status, c.stakes), (ChangeStatus::Pending, Stakes::High));
        // Another agent's change is not found; a decided one is a conflict.
        let other = agent(&svc, "other", None).await;
        assert!(matches!(
            changes::revise(&svc, &other, id, submission("x", "low", "pass")).await,
            Err(ServiceError::NotFound)
        ));
        let low = submit(&svc, &a, submission("low", "low", "pass")).await;
        assert!(matches!(
            changes::revise(&svc, &a, low, submission("x", "low", "pass")).await,
            Err(ServiceError::Conflict(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn a_new_policy_never_lowers_what_a_pending_change_needs() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc, "bot", None).await;
        let admin = person(&svc, "ada", vec![Role::Admin]).await;
        let r1 = person(&svc, "rita", vec![Role::Reviewer]).await;
        let high = submit(&svc, &a, submission("high", "high", "pass")).await;
        let medium = submit(&svc, &a, submission("medium", "medium", "pass")).await;
        let loose = countersign_core::policy::DEFAULT_TOML
            .replace("[tiers.high]\napprovals = 2", "[tiers.high]\napprovals = 1")
            .replace(
                "[tiers.medium]\napprovals = 1",
                "[tiers.medium]\napprovals = 2",
            );
        assert_ne!(loose, countersign_core::policy::DEFAULT_TOML);

        let preview = stakes::preview(&svc, admin.as_admin().unwrap(), &loose)
            .await
            .unwrap();
        let row = |id| preview.rows.iter().find(|r| r.id == id).unwrap().clone();
        assert!(!row(high).changed, "looser for high: nothing changes");
        assert!(
            row(medium).changed && row(medium).after.starts_with("medium: 2 approvals"),
            "{:?}",
            row(medium)
        );

        let pw = Password::new("ada-plum-orbit-cellar-42".into());
        let bad = stakes::save(
            &svc,
            admin.as_admin().unwrap(),
            "[tiers.low]\napprovals = 0\n",
            Some(&pw),
        )
        .await;
        assert!(matches!(bad, Err(ServiceError::Invalid(_))), "{bad:?}");
        let unconfirmed = stakes::save(&svc, admin.as_admin().unwrap(), &loose, None).await;
        assert!(
            matches!(unconfirmed, Err(ServiceError::Invalid(_))),
            "{unconfirmed:?}"
        );
        let wrong = Password::new("not-adas-password-at-all".into());
        let wrong = stakes::save(&svc, admin.as_admin().unwrap(), &loose, Some(&wrong)).await;
        assert!(
            matches!(wrong, Err(ServiceError::BadCredentials)),
            "{wrong:?}"
        );
        let v = stakes::save(&svc, admin.as_admin().unwrap(), &loose, Some(&pw))
            .await
            .unwrap();
        assert_eq!(stakes::current(&svc).await.unwrap().version, v);

        assert_eq!(
            decide(&svc, &r1, high, Verdict::Approve).await.unwrap(),
            ChangeStatus::Pending,
            "still two"
        );
        assert_eq!(
            decide(&svc, &r1, medium, Verdict::Approve).await.unwrap(),
            ChangeStatus::Pending,
            "now two"
        );
        // A change submitted after the edit gets the new rule.
        let after = submit(&svc, &a, submission("after", "high", "pass")).await;
        assert_eq!(
            decide(&svc, &r1, after, Verdict::Approve).await.unwrap(),
            ChangeStatus::Approved
        );
        let d = svc.store.decisions(after).await.unwrap();
        assert_eq!(
            d[0].policy_hash.as_deref(),
            Some(countersign_core::policy::Policy::hash(&loose).as_str())
        );
    })
    .await;
}

#[tokio::test]
async fn pending_changes_expire_when_their_tier_says() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc, "bot", None).await;
        let id = submit(&svc, &a, submission("t", "high", "pass")).await;
        let c = svc.store.change(id).await.unwrap().unwrap();
        let expires = c.expires_at.expect("high expires");
        assert!(
            (expires - c.created_at - Duration::hours(72))
                .num_seconds()
                .abs()
                < 2
        );
        assert!(
            stakes::expire_at(&svc, Utc::now())
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            stakes::expire_at(&svc, expires + Duration::seconds(1))
                .await
                .unwrap(),
            vec![id]
        );
        assert_eq!(progress(&svc, id).await.0, ChangeStatus::Expired);
        // The expiry is signed by the system key and carried in the log.
        let size = svc.store.log_size().await.unwrap();
        let entry = svc
            .store
            .log_entries(0, size)
            .await
            .unwrap()
            .iter()
            .filter_map(|e| countersign_core::tlog::entry::Entry::from_leaf(&e.leaf))
            .find(|e| e.action == "change.expire")
            .unwrap();
        let system = countersign_service::tlog::system_key(&svc).await.unwrap();
        let p = countersign_core::decision::verify_expiry(
            entry.details["envelope"].as_str().unwrap(),
            &system.key.verifying_key(),
            id.0,
            &c.digest,
        )
        .unwrap();
        assert_eq!((p.change_id, p.revision), (id.0, 1));
    })
    .await;
}

#[tokio::test]
async fn needs_my_review_leaves_out_what_i_decided_and_my_own_agents_changes() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let olga = person(&svc, "olga", vec![Role::Reviewer]).await;
        let mine = agent(&svc, "olgas-bot", Some("olga")).await;
        let a = agent(&svc, "bot", None).await;
        let r1 = person(&svc, "rita", vec![Role::Reviewer]).await;
        let auditor = person(&svc, "aude", vec![Role::Auditor]).await;
        let high = submit(&svc, &a, submission("high", "high", "pass")).await;
        let owned = submit(&svc, &mine, submission("owned", "medium", "pass")).await;
        decide(&svc, &r1, high, Verdict::Approve).await.unwrap();
        let needs = |who: &UserActor| {
            let svc = svc.clone();
            let who = who.clone();
            async move {
                let filter = countersign_service::store::QueueFilter {
                    needs_review_by: Some(countersign_core::UserId(0)),
                    ..Default::default()
                };
                let rows = changes::queue(&svc, who.as_reader().unwrap(), filter)
                    .await
                    .unwrap();
                rows.into_iter().map(|c| c.id).collect::<Vec<_>>()
            }
        };
        assert_eq!(
            needs(&r1).await,
            vec![owned],
            "rita already approved `high`"
        );
        assert_eq!(needs(&olga).await, vec![high], "olga owns the other agent");
        assert!(needs(&auditor).await.is_empty(), "auditors decide nothing");
    })
    .await;
}

#[tokio::test]
async fn an_admin_override_with_a_justification_lifts_a_failing_required_eval() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc, "bot", None).await;
        let admin = person(&svc, "ada", vec![Role::Admin]).await;
        let r1 = person(&svc, "rita", vec![Role::Reviewer]).await;
        let r2 = person(&svc, "ravi", vec![Role::Reviewer]).await;
        let pw = Password::new("ada-plum-orbit-cellar-42".into());
        let text = countersign_core::policy::DEFAULT_TOML.replace(
            "[tiers.high]\napprovals = 2",
            "[tiers.high]\napprovals = 2\nrequired_evals = [\"unit\"]",
        );
        stakes::save(&svc, admin.as_admin().unwrap(), &text, Some(&pw))
            .await
            .unwrap();
        let id = submit(&svc, &a, submission("t", "high", "fail")).await;
        decide(&svc, &r1, id, Verdict::Approve).await.unwrap();
        decide(&svc, &r2, id, Verdict::Approve).await.unwrap();
        assert_eq!(
            progress(&svc, id).await,
            (ChangeStatus::Pending, "blocked: eval `unit` failed".into())
        );

        let ov = |j: &'static str, pw: Option<Password>| {
            let (svc, admin) = (svc.clone(), admin.clone());
            async move {
                changes::override_evals(&svc, admin.as_admin().unwrap(), id, j, pw.as_ref()).await
            }
        };
        assert!(
            matches!(
                ov(
                    "because",
                    Some(Password::new("ada-plum-orbit-cellar-42".into()))
                )
                .await,
                Err(ServiceError::Invalid(_))
            ),
            "too short"
        );
        assert!(
            matches!(
                ov("flaky upstream test, tracked in OPS-12", None).await,
                Err(ServiceError::Invalid(_))
            ),
            "unconfirmed"
        );
        assert_eq!(
            ov(
                "flaky upstream test, tracked in OPS-12",
                Some(Password::new("ada-plum-orbit-cellar-42".into()))
            )
            .await
            .unwrap(),
            ChangeStatus::Approved
        );
        let c = svc.store.change(id).await.unwrap().unwrap();
        assert_eq!(
            (c.override_by, c.override_reason.as_deref()),
            (
                Some(admin.id),
                Some("flaky upstream test, tracked in OPS-12")
            )
        );

        // The default critical tier allows no override.
        let crit = submit(&svc, &a, submission("c", "critical", "fail")).await;
        assert!(matches!(
            ov_on(&svc, &admin, crit, &pw).await,
            Err(ServiceError::Forbidden(_))
        ));
        // Nothing failing: nothing to override.
        let fine = submit(&svc, &a, submission("f", "high", "pass")).await;
        assert!(matches!(
            ov_on(&svc, &admin, fine, &pw).await,
            Err(ServiceError::Conflict(_))
        ));
    })
    .await;
}

async fn ov_on(
    svc: &Services,
    admin: &UserActor,
    id: ChangeId,
    pw: &Password,
) -> Result<ChangeStatus, ServiceError> {
    let j = "a long enough justification for the record";
    changes::override_evals(svc, admin.as_admin().unwrap(), id, j, Some(pw)).await
}
