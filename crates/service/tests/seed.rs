//! `dev seed` makes a realistic history on both backends: the requested number of
//! changes, every status and stakes represented, decided ones with their decision.

use countersign_core::{ChangeStatus, Stakes};
use countersign_service::{
    seed::seed,
    store::QueueFilter,
    testing::{on_each_backend, services},
};

#[tokio::test]
async fn seeding_makes_a_mixed_history_with_decisions() {
    on_each_backend(|_, url| async move {
        let svc = services(&url).await;
        assert_eq!(seed(&svc, 2_500, 7).await.unwrap(), 2_500);
        let mut by_status = std::collections::BTreeMap::new();
        for status in ChangeStatus::ALL {
            let f = QueueFilter {
                status: Some(*status),
                limit: 10_000,
                ..Default::default()
            };
            by_status.insert(status.as_str(), svc.store.queue(&f).await.unwrap().len());
        }
        assert_eq!(by_status.values().sum::<usize>(), 2_500, "{by_status:?}");
        assert!(
            by_status.values().all(|n| *n > 0),
            "every status occurs: {by_status:?}"
        );
        let pending = svc.store.pending_by_stakes().await.unwrap();
        assert_eq!(
            pending.len(),
            Stakes::ALL.len(),
            "every stakes level is pending somewhere"
        );
        let approved = svc
            .store
            .queue(&QueueFilter {
                status: Some(ChangeStatus::Approved),
                limit: 1,
                ..Default::default()
            })
            .await
            .unwrap();
        let d = svc.store.decisions(approved[0].id).await.unwrap();
        assert_eq!(d.len(), 1, "a decided change has its decision");
        // Seeding again adds to the history with the same cast.
        assert_eq!(seed(&svc, 10, 8).await.unwrap(), 10);
    })
    .await;
}
