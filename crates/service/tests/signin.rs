//! Signing in on both backends: the throttle per account name and per client address,
//! and password changes that end other sessions.

use countersign_core::{Role, throttle};
use countersign_service::{
    Client, Password, ServiceError, Services, accounts, signin,
    store::AuditActor,
    testing::{on_each_backend, services},
};

const GOOD: &str = "rita-plum-orbit-cellar-42";

async fn rita(svc: &Services) {
    let pw = Password::new(GOOD.into());
    accounts::create_user(svc, "rita", vec![Role::Reviewer], &pw, AuditActor::System)
        .await
        .unwrap();
}

async fn attempt(
    svc: &Services,
    name: &str,
    pw: &str,
    client: &Client,
) -> Result<(), ServiceError> {
    signin::login(svc, name, &Password::new(pw.into()), client)
        .await
        .map(|_| ())
}

#[tokio::test]
async fn repeated_failures_make_the_account_name_wait_even_with_the_right_password() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        rita(&svc).await;
        let client = Client::default();
        for _ in 0..throttle::FREE_FAILURES {
            let r = attempt(&svc, "rita", "wrong-guess-000", &client).await;
            assert!(matches!(r, Err(ServiceError::BadCredentials)), "{r:?}");
        }
        let r = attempt(&svc, "RITA", GOOD, &client).await;
        assert!(
            matches!(
                r,
                Err(ServiceError::RateLimited {
                    retry_after_secs: 1
                })
            ),
            "{r:?}"
        );
        // Another name is not affected, and unknown names are throttled the same way.
        for _ in 0..throttle::FREE_FAILURES {
            assert!(matches!(
                attempt(&svc, "ghost", "x", &client).await,
                Err(ServiceError::BadCredentials)
            ));
        }
        assert!(matches!(
            attempt(&svc, "ghost", "x", &client).await,
            Err(ServiceError::RateLimited { .. })
        ));
        // After the wait, the right password gets in, and that resets the count.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        attempt(&svc, "rita", GOOD, &client).await.unwrap();
        let r = attempt(&svc, "rita", "wrong-guess-001", &client).await;
        assert!(
            matches!(r, Err(ServiceError::BadCredentials)),
            "the count restarted: {r:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn one_client_address_cannot_spray_many_accounts() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let client = Client {
            ip: Some("203.0.113.9".parse().unwrap()),
        };
        let mut limited = 0;
        for i in 0..40 {
            if let Err(ServiceError::RateLimited { .. }) =
                attempt(&svc, &format!("user{i}"), "x", &client).await
            {
                limited += 1;
            }
        }
        assert!(
            limited >= 5,
            "a burst of 30 per address, then throttled ({limited} limited)"
        );
        let other = Client {
            ip: Some("203.0.113.10".parse().unwrap()),
        };
        assert!(matches!(
            attempt(&svc, "user0", "x", &other).await,
            Err(ServiceError::BadCredentials)
        ));
    })
    .await;
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_bumps_the_session_epoch() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        rita(&svc).await;
        let c = Client::default();
        let me = signin::login(&svc, "rita", &Password::new(GOOD.into()), &c)
            .await
            .unwrap();
        let change = |cur: &str, new: &str| {
            let (cur, new) = (Password::new(cur.into()), Password::new(new.into()));
            let (svc, me) = (svc.clone(), me.clone());
            async move { signin::change_password(&svc, &me, &cur, &new, &c).await }
        };
        let field = |r: Result<i64, ServiceError>| match r {
            Err(ServiceError::Invalid(f)) => f[0].field.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(change("not-it-at-all-1", "fresh-lantern-basin-77").await),
            "current"
        );
        assert_eq!(field(change(GOOD, "password12345").await), "new");
        assert_eq!(field(change(GOOD, GOOD).await), "new");
        let epoch = change(GOOD, "fresh-lantern-basin-77").await.unwrap();
        assert_eq!(epoch, me.session_epoch + 1);
        assert!(matches!(
            attempt(&svc, "rita", GOOD, &c).await,
            Err(ServiceError::BadCredentials)
        ));
        attempt(&svc, "rita", "fresh-lantern-basin-77", &c)
            .await
            .unwrap();
    })
    .await;
}
