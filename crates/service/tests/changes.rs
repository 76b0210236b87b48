//! The change lifecycle on both backends: submit, idempotency, decide with
//! compare-and-set, withdraw, keyset pages and queue order.

use countersign_core::{ChangeStatus, Role, Stakes, Verdict, submission::Submission};
use countersign_service::{
    AgentActor, Client, Password, ServiceError, Services, UserActor, accounts,
    changes::{self, DecideInput},
    signin,
    store::{AuditActor, QueueFilter},
    testing::{self, on_each_backend, services},
};

async fn agent(svc: &Services, name: &str, owner: Option<&str>) -> AgentActor {
    let (_, token) =
        accounts::create_agent(svc, name, owner, AuditActor::System, &Client::default())
            .await
            .unwrap();
    accounts::authenticate_agent(svc, &token).await.unwrap()
}

async fn reviewer(svc: &Services, name: &str) -> UserActor {
    let pw = Password::new(format!("{name}-plum-orbit-cellar-42"));
    accounts::create_user(svc, name, vec![Role::Reviewer], &pw, AuditActor::System)
        .await
        .unwrap();
    signin::login(svc, name, &pw, &Client::default())
        .await
        .unwrap()
}

fn submission(title: &str, stakes: &str) -> Submission {
    serde_json::from_value(serde_json::json!({
        "title": title, "repository": "acme/app", "stakes": stakes,
        "diff": "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
        "evals": [{"name": "unit", "status": "pass"}],
    }))
    .unwrap()
}

fn decide_input(r: &UserActor, id: countersign_core::ChangeId, verdict: Verdict) -> DecideInput {
    DecideInput {
        opened_at: None,
        change_id: id,
        revision: 1,
        verdict,
        comment: Some("looked at it".into()),
        password: Password::new(format!("{}-plum-orbit-cellar-42", r.username)),
    }
}

#[tokio::test]
async fn idempotent_submit_returns_the_same_change_and_refuses_a_different_body() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc, "bot", None).await;
        let key = Some("k1".to_owned());
        let first = changes::submit(&svc, &a, submission("t", "high"), key.clone())
            .await
            .unwrap();
        let again = changes::submit(&svc, &a, submission("t", "high"), key.clone())
            .await
            .unwrap();
        assert!(first.created && !again.created);
        assert_eq!(first.change.id, again.change.id);
        let err = changes::submit(&svc, &a, submission("other", "high"), key)
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Conflict(_)), "{err:?}");
        // The same key from another agent is that agent's own key.
        let b = agent(&svc, "bot2", None).await;
        let theirs = changes::submit(&svc, &b, submission("t", "high"), Some("k1".into()))
            .await
            .unwrap();
        assert!(theirs.created);
    })
    .await;
}

#[tokio::test]
async fn concurrent_decisions_record_exactly_one() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc, "bot", None).await;
        let (r1, r2) = (reviewer(&svc, "alice").await, reviewer(&svc, "bob").await);
        let id = changes::submit(&svc, &a, submission("t", "medium"), None)
            .await
            .unwrap()
            .change
            .id;
        let (x, y) = tokio::join!(
            changes::decide(
                &svc,
                r1.as_reviewer().unwrap(),
                decide_input(&r1, id, Verdict::Approve)
            ),
            changes::decide(
                &svc,
                r2.as_reviewer().unwrap(),
                decide_input(&r2, id, Verdict::Reject)
            ),
        );
        assert_eq!(
            [x.is_ok(), y.is_ok()].iter().filter(|ok| **ok).count(),
            1,
            "{x:?} {y:?}"
        );
        let loser = if x.is_ok() { y } else { x };
        assert!(matches!(loser, Err(ServiceError::Conflict(_))));
        let detail = changes::agent_change(&svc, &a, id).await.unwrap();
        assert_eq!(detail.decisions.len(), 1);
        assert!(detail.change.status.is_final());
        assert_eq!(detail.decisions[0].digest, detail.change.digest);
    })
    .await;
}

#[tokio::test]
async fn decide_checks_password_comment_revision_and_owner() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let r = reviewer(&svc, "carol").await;
        let a = agent(&svc, "bot", Some("carol")).await;
        let id = changes::submit(&svc, &a, submission("t", "medium"), None)
            .await
            .unwrap()
            .change
            .id;
        let rv = r.as_reviewer().unwrap();

        let mut bad_pw = decide_input(&r, id, Verdict::Approve);
        bad_pw.password = Password::new("not my password".into());
        assert!(matches!(
            changes::decide(&svc, rv, bad_pw).await,
            Err(ServiceError::BadCredentials)
        ));

        let mut no_comment = decide_input(&r, id, Verdict::Reject);
        no_comment.comment = Some("   ".into());
        assert!(matches!(
            changes::decide(&svc, rv, no_comment).await,
            Err(ServiceError::Invalid(_))
        ));

        let mut stale = decide_input(&r, id, Verdict::Approve);
        stale.revision = 7;
        assert!(matches!(
            changes::decide(&svc, rv, stale).await,
            Err(ServiceError::Conflict(_))
        ));

        let owner = changes::decide(&svc, rv, decide_input(&r, id, Verdict::Approve)).await;
        assert!(
            matches!(owner, Err(ServiceError::Forbidden(_))),
            "{owner:?}"
        );
        let detail = changes::agent_change(&svc, &a, id).await.unwrap();
        assert_eq!(detail.change.status, ChangeStatus::Pending);
        assert!(detail.decisions.is_empty(), "nothing half-written");
    })
    .await;
}

#[tokio::test]
async fn agents_page_their_own_changes_and_the_queue_puts_high_stakes_first() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc, "bot", None).await;
        let other = agent(&svc, "other", None).await;
        let mut ids = Vec::new();
        for (i, stakes) in ["low", "critical", "medium", "high", "critical"]
            .iter()
            .enumerate()
        {
            let s = submission(&format!("c{i}"), stakes);
            ids.push(changes::submit(&svc, &a, s, None).await.unwrap().change.id);
        }
        changes::submit(&svc, &other, submission("theirs", "high"), None)
            .await
            .unwrap();

        let page1 = changes::agent_changes(&svc, &a, None, None, 2)
            .await
            .unwrap();
        let page2 = changes::agent_changes(&svc, &a, None, page1.last().map(|c| c.id), 10)
            .await
            .unwrap();
        let seen: Vec<_> = page1.iter().chain(&page2).map(|c| c.id).collect();
        let mut newest_first = ids.clone();
        newest_first.reverse();
        assert_eq!(seen, newest_first);
        assert!(matches!(
            changes::agent_change(&svc, &other, ids[0]).await,
            Err(ServiceError::NotFound)
        ));

        changes::withdraw(&svc, &a, ids[2]).await.unwrap();
        let r = reviewer(&svc, "dave").await;
        let filter = QueueFilter {
            status: Some(ChangeStatus::Pending),
            ..Default::default()
        };
        let q = changes::queue(&svc, r.as_reader().unwrap(), filter)
            .await
            .unwrap();
        let order: Vec<(Stakes, &str)> = q.iter().map(|c| (c.stakes, c.title.as_str())).collect();
        assert_eq!(
            order,
            [
                (Stakes::Critical, "c1"),
                (Stakes::Critical, "c4"),
                (Stakes::High, "c3"),
                (Stakes::High, "theirs"),
            ]
        );
        // The low-stakes change with passing evals went through on the agent's word,
        // recorded as a decision by the system with its reason.
        let c0 = changes::agent_change(&svc, &a, ids[0]).await.unwrap();
        assert_eq!(c0.change.status, ChangeStatus::Approved);
        assert_eq!(c0.decisions.len(), 1);
        assert_eq!(c0.decisions[0].reviewer_id, None);
        assert!(
            c0.decisions[0]
                .reason
                .as_deref()
                .unwrap_or("")
                .contains("agent-only"),
            "{:?}",
            c0.decisions[0].reason
        );
        // Each filter alone and both together (each is its own indexed query).
        let titles = |q: Vec<countersign_service::store::QueueItem>| {
            q.into_iter().map(|c| c.title).collect::<Vec<_>>()
        };
        let critical = QueueFilter {
            stakes: Some(Stakes::Critical),
            ..Default::default()
        };
        let q = changes::queue(&svc, r.as_reader().unwrap(), critical)
            .await
            .unwrap();
        assert_eq!(titles(q), ["c1", "c4"]);
        let withdrawn_medium = QueueFilter {
            status: Some(ChangeStatus::Withdrawn),
            stakes: Some(Stakes::Medium),
            ..Default::default()
        };
        let q = changes::queue(&svc, r.as_reader().unwrap(), withdrawn_medium)
            .await
            .unwrap();
        assert_eq!(titles(q), ["c2"]);
        let everything = changes::queue(&svc, r.as_reader().unwrap(), QueueFilter::default())
            .await
            .unwrap();
        assert_eq!(everything.len(), 6);
        assert_eq!(everything.last().map(|c| c.title.as_str()), Some("c0"));
    })
    .await;
}

#[tokio::test]
async fn duplicate_names_are_a_conflict_not_an_internal_error() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        reviewer(&svc, "erin").await;
        let pw = Password::new("another-plum-orbit-cellar-43".into());
        let again =
            accounts::create_user(&svc, "erin", vec![Role::Auditor], &pw, AuditActor::System).await;
        assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");
        agent(&svc, "bot", None).await;
        let twin =
            accounts::create_agent(&svc, "bot", None, AuditActor::System, &Client::default()).await;
        assert!(matches!(twin, Err(ServiceError::Conflict(_))), "{twin:?}");
        let short = Password::new("short".into());
        let weak = accounts::create_user(
            &svc,
            "frank",
            vec![Role::Reviewer],
            &short,
            AuditActor::System,
        )
        .await;
        assert!(matches!(weak, Err(ServiceError::Invalid(_))), "{weak:?}");
    })
    .await;
}

#[tokio::test]
async fn the_queue_pages_by_keyset_each_change_once_in_order() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc, "pager", None).await;
        // Mixed stakes, so pages cross from one stakes rank to the next.
        let mut expected = Vec::new();
        for i in 0..23 {
            let stakes = ["critical", "high", "medium"][i % 3];
            let c = changes::submit(&svc, &a, submission(&format!("p{i}"), stakes), None)
                .await
                .unwrap();
            expected.push((c.change.stakes, c.change.id));
        }
        // Queue order: highest stakes first, then oldest (submission order), then id.
        expected.sort_by_key(|(s, id)| (std::cmp::Reverse(s.rank()), id.0));
        let r = reviewer(&svc, "paula").await;
        let reader = r.as_reader().unwrap();
        let (mut seen, mut after) = (Vec::new(), None);
        loop {
            let filter = QueueFilter {
                status: Some(ChangeStatus::Pending),
                after: after.clone(),
                limit: 5,
                ..Default::default()
            };
            let page = changes::queue(&svc, reader, filter).await.unwrap();
            assert!(page.len() <= 5);
            let Some(last) = page.last() else { break };
            after = changes::queue_cursor(&svc, reader, last.id).await.unwrap();
            assert!(after.is_some());
            seen.extend(page.iter().map(|c| (c.stakes, c.id)));
        }
        assert_eq!(seen, expected, "every pending change once, in queue order");
        // A cursor for a change that does not exist starts nowhere.
        let none = changes::queue_cursor(&svc, reader, countersign_core::ChangeId(999_999))
            .await
            .unwrap();
        assert!(none.is_none());
    })
    .await;
}

/// The 10,000-line benchmark diff, as a submission carries it.
fn ten_thousand_lines() -> String {
    String::from_utf8(testing::fixture("diffs/13-generated-10k-lines.diff")).unwrap()
}

/// Waits (up to 60 s) for the background render of the diff with this digest.
async fn until_rendered(svc: &Services, digest: &str, what: &str) {
    for _ in 0..600 {
        if svc.diffs.is_cached(digest, None) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{what} was not rendered in the background");
}

/// The background render starts once the change is stored: a submission refused (here an
/// idempotency conflict) costs no render; the same diff accepted is rendered.
#[tokio::test]
async fn a_refused_submission_starts_no_background_render() {
    on_each_backend(|_, url| async move {
        use sha2::Digest as _;
        let svc = services(&url).await;
        let a = agent(&svc, "big-bot", None).await;
        let big = ten_thousand_lines();
        let big_digest = format!(
            "sha256:{}",
            hex::encode(sha2::Sha256::digest(big.as_bytes()))
        );
        let key = || Some("retry-7".to_owned());
        changes::submit(&svc, &a, submission("first", "high"), key())
            .await
            .unwrap();
        let mut sub = submission("ten thousand lines", "high");
        sub.diff = big;
        let refused = changes::submit(&svc, &a, sub.clone(), key()).await;
        assert!(
            matches!(refused, Err(ServiceError::Conflict(_))),
            "{refused:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(
            !svc.diffs.is_cached(&big_digest, None),
            "refused, yet rendered"
        );

        let accepted = changes::submit(&svc, &a, sub, None).await.unwrap();
        let stored = svc
            .store
            .revision(accepted.change.id, 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            stored.digest.diff, big_digest,
            "the digest a render is kept under"
        );
        until_rendered(&svc, &big_digest, "the accepted diff").await;
    })
    .await;
}

#[tokio::test]
async fn a_large_diff_is_rendered_as_it_is_submitted_a_small_one_on_first_view() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc, "big-bot", None).await;
        let big = ten_thousand_lines();
        let mut sub = submission("ten thousand lines", "high");
        sub.diff = big;
        let c = changes::submit(&svc, &a, sub, None).await.unwrap();
        let digest = |id| {
            let svc = svc.clone();
            async move {
                svc.store
                    .revision(id, 1)
                    .await
                    .unwrap()
                    .unwrap()
                    .digest
                    .diff
            }
        };
        let big_digest = digest(c.change.id).await;
        until_rendered(&svc, &big_digest, "the large diff").await;
        let small = changes::submit(&svc, &a, submission("small", "high"), None)
            .await
            .unwrap();
        let small_digest = digest(small.change.id).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!svc.diffs.is_cached(&small_digest, None));
    })
    .await;
}
