//! Sign-in must not reveal which usernames exist: a wrong password for a real account and
//! any password for a missing one take the same time (within 10%), because both run one
//! argon2id verification. Alone in its own test binary, so nothing else competes for the
//! CPU while it measures; samples are interleaved and compared by their minimum.

use std::time::{Duration, Instant};

use countersign_core::Role;
use countersign_service::{
    Client, Password, Services, accounts, signin,
    store::AuditActor,
    testing::{on_each_backend, services},
};

const SAMPLES: usize = 21;
const ROUNDS: usize = 3;

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

/// The fastest of the samples: scheduling noise only ever adds time, so the minimum of
/// interleaved samples estimates the intrinsic cost of each path.
fn fastest(v: &[Duration]) -> Duration {
    *v.iter().min().expect("samples")
}

#[tokio::test]
async fn unknown_and_known_usernames_fail_in_the_same_time() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        // One account per sample, so the per-name throttle never kicks in.
        for i in 0..SAMPLES * ROUNDS {
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
        // A leak (no hash for unknown names) shows as a ratio near 0.05 in every round; a
        // busy machine can spoil one round, so up to ROUNDS are measured before failing.
        let mut ratios = Vec::new();
        for round in 0..ROUNDS {
            let (mut known, mut unknown) = (Vec::new(), Vec::new());
            for i in 0..SAMPLES {
                let n = round * SAMPLES + i;
                known.push(time_failed_login(&svc, &format!("user{n}")).await);
                unknown.push(time_failed_login(&svc, &format!("ghost{n}")).await);
            }
            let (k, u) = (fastest(&known), fastest(&unknown));
            let ratio = u.as_secs_f64() / k.as_secs_f64();
            eprintln!(
                "sign-in failure, round {round}: known {k:?}, unknown {u:?}, ratio {ratio:.3}"
            );
            if (0.9..=1.1).contains(&ratio) {
                return;
            }
            ratios.push(ratio);
        }
        panic!("unknown vs known sign-in time ratios {ratios:?}, outside 0.9..=1.1 in every round");
    })
    .await;
}
