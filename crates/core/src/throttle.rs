//! How long an account name must wait before its next sign-in attempt.
//!
//! A few mistakes are free; after that each failure doubles the wait (1 s, 2 s, 4 s … up
//! to 15 minutes), and 100 failures in an hour shut the name out for the rest of the hour.
//! A success resets the count. The same rule applies to names that do not exist, so the
//! throttle does not reveal which accounts are real.

/// The window failures are counted in.
pub const WINDOW_SECS: u64 = 3600;
/// Failures within the window before any wait applies.
pub const FREE_FAILURES: u64 = 5;
/// The longest wait between two attempts.
pub const MAX_DELAY_SECS: u64 = 900;
/// Failures within the window after which the name is shut out for the window.
pub const MAX_FAILURES: u64 = 100;

/// Seconds to wait before the next attempt, given `failures` since the window start (or
/// the last success) and the seconds since the most recent one. Zero: try now.
pub fn wait_seconds(failures: u64, secs_since_last: u64) -> u64 {
    if failures >= MAX_FAILURES {
        return WINDOW_SECS.saturating_sub(secs_since_last).max(1);
    }
    if failures < FREE_FAILURES {
        return 0;
    }
    let exponent = (failures - FREE_FAILURES).min(20) as u32;
    let delay = 2u64.saturating_pow(exponent).min(MAX_DELAY_SECS);
    delay.saturating_sub(secs_since_last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_mistakes_are_free_then_the_wait_doubles_up_to_a_cap() {
        assert_eq!(wait_seconds(0, 0), 0);
        assert_eq!(wait_seconds(FREE_FAILURES - 1, 0), 0);
        let waits: Vec<u64> = (FREE_FAILURES..FREE_FAILURES + 12)
            .map(|f| wait_seconds(f, 0))
            .collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    }

    #[test]
    fn time_already_waited_counts() {
        assert_eq!(wait_seconds(FREE_FAILURES + 3, 5), 3);
        assert_eq!(wait_seconds(FREE_FAILURES + 3, 8), 0);
        assert_eq!(wait_seconds(FREE_FAILURES + 3, u64::MAX), 0);
    }

    #[test]
    fn a_hundred_failures_shut_the_name_out_for_the_hour() {
        assert_eq!(wait_seconds(MAX_FAILURES, 0), WINDOW_SECS);
        assert_eq!(wait_seconds(MAX_FAILURES, 600), WINDOW_SECS - 600);
        assert!(wait_seconds(u64::MAX, u64::MAX) >= 1);
    }
}
