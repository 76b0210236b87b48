//! What makes a password acceptable: at least 12 characters, and not easy to guess.
//!
//! "Easy to guess" is zxcvbn's judgement (score 3 of 4 or better), which checks the
//! password against lists of common passwords, words, names and keyboard patterns, and
//! against the username itself.

use crate::error::{ServiceError, ServiceResult};

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 256;

/// Checks a new password for `username`; the error names the `field` of the form.
pub fn check(field: &str, password: &str, username: &str) -> ServiceResult<()> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(ServiceError::invalid(
            field,
            &format!("Use at least {MIN_LEN} characters."),
        ));
    }
    if len > MAX_LEN {
        return Err(ServiceError::invalid(
            field,
            &format!("Use at most {MAX_LEN} characters."),
        ));
    }
    let estimate = zxcvbn::zxcvbn(password, &[username, "countersign"]);
    if u8::from(estimate.score()) < 3 {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        return Err(ServiceError::invalid(
            field,
            &format!(
                "This password is too easy to guess{hint}; try a longer mix of unrelated words."
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: ServiceResult<()>) -> String {
        match r {
            Err(ServiceError::Invalid(f)) => f[0].message.clone(),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn short_common_and_self_referential_passwords_are_refused() {
        assert!(message(check("password", "short", "rita")).contains("at least 12"));
        assert!(message(check("password", "password1234", "rita")).contains("too easy"));
        assert!(message(check("password", "qwertyuiop123", "rita")).contains("too easy"));
        assert!(message(check("password", "rita-rita-rita", "rita")).contains("too easy"));
    }

    #[test]
    fn long_unpredictable_passwords_pass() {
        assert!(check("password", "plum-orbit-cellar-42", "rita").is_ok());
        assert!(check("password", "Tq8#vLz2!mWp", "rita").is_ok());
    }
}
