//! Sign-in must not reveal which usernames exist: a wrong password for a real account and
//! any password for a missing one take the same time (within 10%), because both run one
//! argon2id verification. Alone in its own test binary, so nothing else competes for the
//! CPU while it measures; samples are interleaved and compared by median.

use std::time::{Duration, Instant};

use countersign_core::Role;
use countersign_service::{
    Client, Password, Services, accounts, signin,
    store::AuditActor,
    testing::{on_each_backend, services},
};

const SAMPLES: usize = 21;

async fn time_failed_login(svc: &Services, name: &str) -> Duration {
    let started = Instant::now();
    let r = signin::login(
        svc,
        name,
        &Password::new("not-the-password-1".into()),
        &Client::default(),
    )
    .await;
    assert!(r.is_err());
    started.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::test]
async fn unknown_and_known_usernames_fail_in_the_same_time() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        // One account per sample, so the per-name throttle never kicks in.
        for i in 0..SAMPLES {
            let pw = Password::new(format!("user{i}-plum-orbit-cellar-42"));
            accounts::create_user(
                &svc,
                &format!("user{i}"),
                vec![Role::Reviewer],
                &pw,
                AuditActor::System,
            )
            .await
            .unwrap();
        }
        time_failed_login(&svc, "warm-up").await;
        let (mut known, mut unknown) = (Vec::new(), Vec::new());
        for i in 0..SAMPLES {
            known.push(time_failed_login(&svc, &format!("user{i}")).await);
            unknown.push(time_failed_login(&svc, &format!("ghost{i}")).await);
        }
        let (k, u) = (median(known), median(unknown));
        let ratio = u.as_secs_f64() / k.as_secs_f64();
        eprintln!("sign-in failure: known {k:?}, unknown {u:?}, ratio {ratio:.3}");
        assert!(
            (0.9..=1.1).contains(&ratio),
            "known {k:?} vs unknown {u:?} (ratio {ratio:.3})"
        );
    })
    .await;
}
