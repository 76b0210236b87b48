//! In-process notice that a change's status moved, so long-poll waiters wake at once
//! instead of polling the database.
//!
//! With several app instances a waiter only hears its own instance; the waiter therefore
//! also rechecks the database on a slow timer (see `changes::wait`). A PostgreSQL
//! LISTEN/NOTIFY bridge is the planned replacement for that timer.

use countersign_core::ChangeId;
use tokio::sync::broadcast;

#[derive(Clone)]
pub struct ChangeEvents(broadcast::Sender<ChangeId>);

impl Default for ChangeEvents {
    fn default() -> Self {
        ChangeEvents(broadcast::channel(1024).0)
    }
}

impl ChangeEvents {
    pub fn moved(&self, id: ChangeId) {
        // No receivers is fine: nobody is waiting.
        let _ = self.0.send(id);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<ChangeId> {
        self.0.subscribe()
    }
}
