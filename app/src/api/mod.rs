//! The console's `#[server]` fns. Each is a public endpoint: it finds out who is calling,
//! calls one service function, and maps the result. Nothing here decides anything.

mod admin;
mod agents;
mod audit;
mod change;
mod dashboard;
mod decide;
mod diff_layout;
mod history;
mod override_evals;
mod policy;
mod queue;
mod session;
mod webhooks;

pub use admin::{
    AdminCreatePerson, AdminPeople, AdminResetPassword, AdminSetDisabled, AdminSetRoles,
    admin_people,
};
pub use agents::{
    AdminAddAgent, AdminAddAgentKey, AdminAgents, AdminRevokeAgentKey, AdminRevokeTokens,
    AdminRotateToken, AdminSetAgentOwner, AdminSetQuarantined, admin_agents,
};
pub use audit::{
    AUDIT_PAGE, AuditEvents, LogBundle as GetLogBundle, LogStatus as GetLogStatus, audit_events,
    log_bundle, log_status,
};
pub use change::{ChangeView as GetChangeView, change_view};
pub use dashboard::{Oversight, oversight};
pub use decide::{Decide, decide};
pub use diff_layout::{SetDiffLayout, set_diff_layout};
pub use history::{AuditHistory, HISTORY_PAGE, audit_history};
pub use override_evals::{OverrideEvals, override_evals};
pub use policy::{
    DiscardPolicyDraft, PolicyPage as GetPolicyPage, PreviewPolicy, SavePolicy,
    discard_policy_draft, policy_page, preview_policy, save_policy,
};
pub use queue::{Queue, queue};
pub use session::{ChangePassword, Login, Logout, Me as GetMe, change_password, login, logout, me};
pub use webhooks::{ReplayDelivery, WebhookDeliveries, replay_delivery, webhook_deliveries};
