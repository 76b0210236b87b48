//! Who is calling, and typed capabilities for what they may do.
//!
//! A service that needs a role takes the capability (`Reviewer`, `Reader`) as a parameter.
//! The capability can only be obtained from an authenticated actor who holds the role, so a
//! new route cannot forget the check: it would not compile without the handle.

use countersign_core::{AgentId, Role, UserId};
use serde::{Deserialize, Serialize};

/// A signed-in person, as loaded for this request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserActor {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// The user's session epoch when loaded; a session from an older epoch is void.
    pub session_epoch: i64,
    /// Until they choose their own password, a user holds no capability at all.
    pub must_change_password: bool,
}

/// Where a request came from, for throttling and the audit trail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Client {
    pub ip: Option<std::net::IpAddr>,
}

impl Client {
    pub fn addr(&self) -> Option<String> {
        self.ip.map(|ip| ip.to_string())
    }
}

/// An agent authenticated by its bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentActor {
    pub id: AgentId,
    pub name: String,
    pub quarantined: bool,
}

/// Proof that the actor may decide on changes: reviewers, and admins (the critical tier
/// needs an admin's approval). Whether a decision counts is the policy's call.
#[derive(Debug, Clone, Copy)]
pub struct Reviewer<'a>(&'a UserActor);

/// Proof that the actor may read the queue and changes (reviewer, admin or auditor).
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a>(&'a UserActor);

/// Proof that the actor may read the audit trail (auditor or admin).
#[derive(Debug, Clone, Copy)]
pub struct AuditReader<'a>(&'a UserActor);

/// Proof that the actor may manage people, agents and policy.
#[derive(Debug, Clone, Copy)]
pub struct Admin<'a>(&'a UserActor);

impl UserActor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn as_reviewer(&self) -> Option<Reviewer<'_>> {
        let allowed = self.has(Role::Reviewer) || self.has(Role::Admin);
        (self.active() && allowed).then_some(Reviewer(self))
    }

    pub fn as_reader(&self) -> Option<Reader<'_>> {
        (self.active() && !self.roles.is_empty()).then_some(Reader(self))
    }

    pub fn as_admin(&self) -> Option<Admin<'_>> {
        (self.active() && self.has(Role::Admin)).then_some(Admin(self))
    }

    pub fn as_audit_reader(&self) -> Option<AuditReader<'_>> {
        let allowed = self.has(Role::Auditor) || self.has(Role::Admin);
        (self.active() && allowed).then_some(AuditReader(self))
    }

    fn active(&self) -> bool {
        !self.must_change_password
    }
}

impl<'a> Reviewer<'a> {
    pub fn user(&self) -> &'a UserActor {
        self.0
    }
}

impl<'a> AuditReader<'a> {
    pub fn user(&self) -> &'a UserActor {
        self.0
    }
}

impl<'a> Admin<'a> {
    pub fn user(&self) -> &'a UserActor {
        self.0
    }
}

impl<'a> Reader<'a> {
    pub fn user(&self) -> &'a UserActor {
        self.0
    }
}
