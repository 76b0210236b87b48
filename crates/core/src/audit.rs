//! The audit trail's vocabulary: every action an audit row can record. The console's
//! filter offers exactly these, and a test checks each one is really written.

/// Every audit action, grouped by what it is about.
pub const ACTIONS: &[&str] = &[
    "user.login",
    "user.login_failed",
    "user.logout",
    "user.create",
    "user.password_change",
    "user.password_reset",
    "user.role_grant",
    "user.role_revoke",
    "user.disable",
    "user.enable",
    "agent.create",
    "agent.token_rotate",
    "agent.token_revoke",
    "agent.owner_set",
    "agent.quarantine",
    "agent.release",
    "agent.key_add",
    "agent.key_revoke",
    "change.submit",
    "change.decide",
    "change.withdraw",
    "change.revise",
    "change.expire",
    "change.override",
    "policy.set",
    "key.create",
    "key.retire",
    "webhook.create",
    "webhook.delete",
    "webhook.replay",
    "dev.seed",
];

/// True when `action` is one of `ACTIONS`.
pub fn is_action(action: &str) -> bool {
    ACTIONS.contains(&action)
}
