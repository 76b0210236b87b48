//! Signed decisions on both backends: each decision's envelope verifies with the
//! reviewer's published key for exactly its change and content; a password change keeps
//! the key (re-sealed), an admin reset retires it (old signatures still verify, the next
//! decision uses a new key); agent-only approvals are signed with the system key; and
//! every decision's envelope is in the log.

use base64::{Engine, engine::general_purpose::STANDARD};
use countersign_core::{
    ChangeId, Role, Verdict, decision, submission::Submission, tlog::entry::Entry,
};
use countersign_service::{
    AgentActor, Client, Password, Services, UserActor, accounts, admin,
    changes::{self, DecideInput},
    signin,
    store::{AuditActor, DecisionRecord},
    testing::{on_each_backend, services},
    tlog,
};
use ed25519_dalek::VerifyingKey;

async fn agent(svc: &Services) -> AgentActor {
    let (_, token) =
        accounts::create_agent(svc, "bot", None, AuditActor::System, &Client::default())
            .await
            .unwrap();
    accounts::authenticate_agent(svc, &token).await.unwrap()
}

async fn person(svc: &Services, name: &str, role: Role) -> UserActor {
    let pw = Password::new(format!("{name}-plum-orbit-cellar-42"));
    accounts::create_user(svc, name, vec![role], &pw, AuditActor::System)
        .await
        .unwrap();
    signin::login(svc, name, &pw, &Client::default())
        .await
        .unwrap()
}

fn sub(title: &str, stakes: &str) -> Submission {
    serde_json::from_value(serde_json::json!({
        "title": title, "repository": "acme/app", "stakes": stakes,
        "diff": "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
        "evals": [{"name": "unit", "status": "pass"}],
    }))
    .unwrap()
}

async fn approve(svc: &Services, who: &UserActor, id: ChangeId, pw: &str) {
    let input = DecideInput {
        opened_at: None,
        change_id: id,
        revision: 1,
        verdict: Verdict::Approve,
        comment: Some("fine".into()),
        password: Password::new(pw.into()),
    };
    changes::decide(svc, who.as_reviewer().unwrap(), input)
        .await
        .unwrap();
}

/// The reviewer key with `key_id`, as `/api/v1/keys` publishes it.
async fn published(svc: &Services, key_id: &str) -> (VerifyingKey, bool) {
    let k = svc
        .store
        .user_keys()
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.key_id == key_id)
        .unwrap();
    let bytes: [u8; 32] = STANDARD.decode(&k.public_key).unwrap().try_into().unwrap();
    (
        VerifyingKey::from_bytes(&bytes).unwrap(),
        k.retired_at.is_some(),
    )
}

async fn only_decision(svc: &Services, id: ChangeId) -> DecisionRecord {
    let mut d = svc.store.decisions(id).await.unwrap();
    assert_eq!(d.len(), 1);
    d.remove(0)
}

#[tokio::test]
async fn decisions_are_signed_with_the_reviewers_own_key_across_password_changes_and_resets() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc).await;
        let rita = person(&svc, "rita", Role::Reviewer).await;
        let boss = person(&svc, "ada", Role::Admin).await;
        let id = changes::submit(&svc, &a, sub("one", "medium"), None)
            .await
            .unwrap()
            .change
            .id;
        approve(&svc, &rita, id, "rita-plum-orbit-cellar-42").await;
        let d = only_decision(&svc, id).await;
        let (env, kid) = (d.envelope.clone().unwrap(), d.key_id.clone().unwrap());
        let (key, retired) = published(&svc, &kid).await;
        assert!(!retired);
        let c = svc.store.change(id).await.unwrap().unwrap();
        let p = decision::verify(&env, &key, id.0, &c.digest).unwrap();
        assert_eq!(
            (p.decider.as_str(), p.verdict, p.comment_sha256),
            (
                "rita",
                Verdict::Approve,
                decision::comment_digest(Some("fine"))
            )
        );
        assert!(p.policy.unwrap().starts_with("sha256:"));
        // It is in the log, and its inclusion proof checks out under the signed checkpoint.
        let inc = tlog::included(&svc, d.log_index.expect("logged"))
            .await
            .unwrap();
        assert!(inc.verified && inc.size > d.log_index.unwrap(), "{inc:?}");
        // Replayed onto another change, it fails.
        assert!(decision::verify(&env, &key, id.0 + 1, &c.digest).is_err());

        // A password change keeps the key.
        let new_pw = Password::new("rita-second-choice-9981".into());
        signin::change_password(
            &svc,
            &rita,
            &Password::new("rita-plum-orbit-cellar-42".into()),
            &new_pw,
            &Client::default(),
        )
        .await
        .unwrap();
        let two = changes::submit(&svc, &a, sub("two", "medium"), None)
            .await
            .unwrap()
            .change
            .id;
        approve(&svc, &rita, two, "rita-second-choice-9981").await;
        assert_eq!(
            only_decision(&svc, two).await.key_id.as_deref(),
            Some(kid.as_str())
        );

        // An admin reset retires it; the old signature still verifies with the retired key.
        let temp = Password::new("temp-lantern-basin-55".into());
        let admin_pw = Password::new("ada-plum-orbit-cellar-42".into());
        admin::reset_password(
            &svc,
            boss.as_admin().unwrap(),
            rita.id,
            &temp,
            Some(&admin_pw),
            &Client::default(),
        )
        .await
        .unwrap();
        let (old_key, retired) = published(&svc, &kid).await;
        assert!(retired);
        decision::verify(&env, &old_key, id.0, &c.digest).unwrap();
        let rita = signin::login(&svc, "rita", &temp, &Client::default())
            .await
            .unwrap();
        let third = Password::new("rita-third-choice-4410".into());
        signin::change_password(&svc, &rita, &temp, &third, &Client::default())
            .await
            .unwrap();
        let rita = signin::login(&svc, "rita", &third, &Client::default())
            .await
            .unwrap();
        let three = changes::submit(&svc, &a, sub("three", "medium"), None)
            .await
            .unwrap()
            .change
            .id;
        approve(&svc, &rita, three, "rita-third-choice-4410").await;
        let new_kid = only_decision(&svc, three).await.key_id.unwrap();
        assert_ne!(new_kid, kid, "a reset means a new key");
    })
    .await;
}

#[tokio::test]
async fn agent_only_approvals_are_signed_by_the_system_and_every_envelope_is_logged() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let a = agent(&svc).await;
        let low = changes::submit(&svc, &a, sub("low", "low"), None)
            .await
            .unwrap()
            .change;
        let d = only_decision(&svc, low.id).await;
        let system = tlog::system_key(&svc).await.unwrap();
        let p = decision::verify(
            d.envelope.as_deref().unwrap(),
            &system.key.verifying_key(),
            low.id.0,
            &low.digest,
        )
        .unwrap();
        assert_eq!(p.decider, "system");
        assert!(p.reason.unwrap().contains("agent-only"));

        let size = svc.store.log_size().await.unwrap();
        let entries = svc.store.log_entries(0, size).await.unwrap();
        let logged = entries
            .iter()
            .filter_map(|e| Entry::from_leaf(&e.leaf))
            .find(|e| e.action == "change.decide")
            .unwrap();
        assert_eq!(logged.details["envelope"].as_str(), d.envelope.as_deref());
    })
    .await;
}
