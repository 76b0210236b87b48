//! People management on both backends: the last-admin guard, no self-lockout, password
//! re-confirmation for power, and a reset that forces a new password and ends sessions.

use countersign_core::Role;
use countersign_service::{
    Client, Password, ServiceError, Services, UserActor, accounts,
    admin::{self, NewPerson},
    signin,
    store::AuditActor,
    testing::{on_each_backend, services},
};

const PW: &str = "adam-plum-orbit-cellar-42";

async fn sign_in(svc: &Services, name: &str, pw: &str) -> UserActor {
    signin::login(svc, name, &Password::new(pw.into()), &Client::default())
        .await
        .unwrap()
}

async fn setup(svc: &Services) -> UserActor {
    let pw = Password::new(PW.into());
    accounts::create_user(svc, "adam", vec![Role::Admin], &pw, AuditActor::System)
        .await
        .unwrap();
    sign_in(svc, "adam", PW).await
}

fn pw(s: &str) -> Password {
    Password::new(s.into())
}

#[tokio::test]
async fn the_last_admin_cannot_be_removed_and_admins_cannot_lock_themselves_out() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let me = setup(&svc).await;
        let a = me.as_admin().unwrap();
        let c = Client::default();
        let r = admin::set_roles(&svc, a, me.id, vec![Role::Reviewer], None, &c).await;
        assert!(matches!(r, Err(ServiceError::Forbidden(_))), "{r:?}");
        let r = admin::set_disabled(&svc, a, me.id, true, &c).await;
        assert!(matches!(r, Err(ServiceError::Forbidden(_))), "{r:?}");

        let other = admin::create_person(
            &svc,
            a,
            NewPerson {
                username: "eve",
                display_name: "Eve",
                roles: vec![Role::Admin],
                initial_password: &pw("eve-initial-pass-2931"),
            },
            Some(&pw(PW)),
            &c,
        )
        .await
        .unwrap();
        // With two admins, eve can be demoted; disabling adam would then leave none.
        admin::set_roles(&svc, a, other, vec![Role::Auditor], None, &c)
            .await
            .unwrap();
        let people = admin::list_people(&svc, me.as_audit_reader().unwrap())
            .await
            .unwrap();
        let eve = people.iter().find(|p| p.username == "eve").unwrap();
        assert_eq!(eve.roles, vec![Role::Auditor]);
        assert!(eve.must_change_password);
        assert_eq!(
            svc.store.count_users_with_role(Role::Admin).await.unwrap(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_disabled_person_cannot_sign_in_and_after_re_enabling_must_still_choose_a_password() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let me = setup(&svc).await;
        let a = me.as_admin().unwrap();
        let c = Client::default();
        let eve = admin::create_person(
            &svc,
            a,
            NewPerson {
                username: "eve",
                display_name: "Eve",
                roles: vec![Role::Admin],
                initial_password: &pw("eve-initial-pass-2931"),
            },
            Some(&pw(PW)),
            &c,
        )
        .await
        .unwrap();
        admin::set_disabled(&svc, a, eve, true, &c).await.unwrap();
        // Eve is refused while disabled.
        let r = signin::login(&svc, "eve", &pw("eve-initial-pass-2931"), &c).await;
        assert!(matches!(r, Err(ServiceError::BadCredentials)));
        admin::set_disabled(&svc, a, eve, false, &c).await.unwrap();
        let eve_actor = sign_in(&svc, "eve", "eve-initial-pass-2931").await;
        assert!(eve_actor.must_change_password);
        assert!(
            eve_actor.as_admin().is_none(),
            "no capability before choosing a password"
        );
    })
    .await;
}

#[tokio::test]
async fn granting_admin_and_resetting_passwords_need_the_admins_own_password() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let me = setup(&svc).await;
        let a = me.as_admin().unwrap();
        let c = Client::default();
        let rita = admin::create_person(
            &svc,
            a,
            NewPerson {
                username: "rita",
                display_name: "Rita",
                roles: vec![Role::Reviewer],
                initial_password: &pw("rita-initial-pass-8812"),
            },
            None,
            &c,
        )
        .await
        .unwrap();
        for confirm in [None, Some(pw("wrong-password-here"))] {
            let r = admin::set_roles(
                &svc,
                a,
                rita,
                vec![Role::Reviewer, Role::Admin],
                confirm.as_ref(),
                &c,
            )
            .await;
            assert!(
                matches!(
                    r,
                    Err(ServiceError::Invalid(_) | ServiceError::BadCredentials)
                ),
                "{r:?}"
            );
            let r = admin::reset_password(
                &svc,
                a,
                rita,
                &pw("temp-lantern-basin-55"),
                confirm.as_ref(),
                &c,
            )
            .await;
            assert!(
                matches!(
                    r,
                    Err(ServiceError::Invalid(_) | ServiceError::BadCredentials)
                ),
                "{r:?}"
            );
        }
        // Rita chooses her password, then an admin resets it: she must choose again.
        let first = sign_in(&svc, "rita", "rita-initial-pass-8812").await;
        assert!(first.as_reviewer().is_none());
        signin::change_password(
            &svc,
            &first,
            &pw("rita-initial-pass-8812"),
            &pw("rita-own-choice-7731"),
            &c,
        )
        .await
        .unwrap();
        let chosen = sign_in(&svc, "rita", "rita-own-choice-7731").await;
        assert!(chosen.as_reviewer().is_some());
        admin::reset_password(
            &svc,
            a,
            rita,
            &pw("temp-lantern-basin-55"),
            Some(&pw(PW)),
            &c,
        )
        .await
        .unwrap();
        let after = sign_in(&svc, "rita", "temp-lantern-basin-55").await;
        assert!(after.must_change_password && after.as_reviewer().is_none());
        assert!(
            after.session_epoch > chosen.session_epoch,
            "her old sessions ended"
        );
        admin::set_roles(
            &svc,
            a,
            rita,
            vec![Role::Reviewer, Role::Admin],
            Some(&pw(PW)),
            &c,
        )
        .await
        .unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_person_reads_back_with_all_their_roles_or_none() {
    use countersign_service::store::NewUser;
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        let new = |name: &str, roles: Vec<Role>| NewUser {
            username: name.into(),
            display_name: name.into(),
            password_hash: "not-a-real-hash".into(),
            roles,
            must_change_password: false,
            client_addr: None,
        };
        let all = vec![Role::Admin, Role::Auditor, Role::Reviewer];
        let three = svc
            .store
            .create_user(new("tri", all.clone()), AuditActor::System)
            .await
            .unwrap();
        let none = svc
            .store
            .create_user(new("nil", vec![]), AuditActor::System)
            .await
            .unwrap();
        let by_id = svc.store.user_by_id(three).await.unwrap().unwrap();
        assert_eq!((by_id.username.as_str(), by_id.roles.len()), ("tri", 3));
        for role in &all {
            assert!(by_id.roles.contains(role), "{role:?} in {:?}", by_id.roles);
        }
        let by_name = svc.store.user_by_username("nil").await.unwrap().unwrap();
        assert_eq!((by_name.id, by_name.roles), (none, vec![]));
        assert!(
            svc.store
                .user_by_username("nobody")
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}
