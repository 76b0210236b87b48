//! Closed sets of the domain as enums: stakes, statuses, verdicts and roles.
//!
//! Each has one spelling on the wire, in the database and in the UI (`as_str`/`parse`), so
//! a stored value that no longer parses is an error, never a silent default.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The one spelling used on the wire, in storage and in the UI.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(UnknownValue {
                        kind: stringify!($name),
                        value: other.to_owned(),
                        expected: &[$($text),+],
                    }),
                }
            }
        }
    };
}

/// A string that is not one of an enum's spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{value}`: expected one of {}", expected.join(", "))]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
    pub expected: &'static [&'static str],
}

string_enum!(
    /// How much harm a change could do; ordered from least to most.
    Stakes { Low => "low", Medium => "medium", High => "high", Critical => "critical" }
);
string_enum!(
    /// Where a change stands. Only `Pending` can move; the others are final.
    ChangeStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Withdrawn => "withdrawn",
        Expired => "expired",
    }
);
string_enum!(
    /// What a reviewer (or, later, the system) decided.
    Verdict { Approve => "approve", Reject => "reject" }
);
string_enum!(
    /// What a person may do. A user may hold any combination.
    Role { Reviewer => "reviewer", Admin => "admin", Auditor => "auditor" }
);

impl Stakes {
    /// Rank for ordering the queue: higher stakes first.
    pub fn rank(self) -> u8 {
        match self {
            Stakes::Low => 0,
            Stakes::Medium => 1,
            Stakes::High => 2,
            Stakes::Critical => 3,
        }
    }
}

impl ChangeStatus {
    /// A final status never changes again.
    pub fn is_final(self) -> bool {
        self != ChangeStatus::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_round_trips() {
        for s in Stakes::ALL {
            assert_eq!(s.as_str().parse::<Stakes>(), Ok(*s));
        }
        for s in ChangeStatus::ALL {
            assert_eq!(s.as_str().parse::<ChangeStatus>(), Ok(*s));
        }
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(*r));
        }
    }

    #[test]
    fn unknown_values_name_the_choices() {
        let err = "urgent".parse::<Stakes>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown Stakes `urgent`: expected one of low, medium, high, critical"
        );
    }

    #[test]
    fn serde_uses_the_same_spelling() {
        assert_eq!(
            serde_json::to_string(&Stakes::Critical).unwrap(),
            "\"critical\""
        );
        assert_eq!(
            serde_json::from_str::<ChangeStatus>("\"withdrawn\"").unwrap(),
            ChangeStatus::Withdrawn
        );
    }
}
