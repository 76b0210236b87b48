//! Newtype ids, so a user id can never be passed where a change id is expected.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// A change submitted by an agent.
    ChangeId
);
id_type!(
    /// A person who signs in to the console.
    UserId
);
id_type!(
    /// An agent (or CI pipeline) that submits changes with a bearer token.
    AgentId
);
id_type!(
    /// One recorded decision on a change.
    DecisionId
);
