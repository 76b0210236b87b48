//! Standard Webhooks signatures (standardwebhooks.com): the receiver checks
//! `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>` with the
//! secret it was shown once (`whsec_<base64 key>`), and rejects stale timestamps. Pure, so
//! the sender and any receiver written in Rust share it.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far a timestamp may be from now, in seconds (the scheme's recommendation).
pub const TOLERANCE_SECS: i64 = 300;

fn key(secret: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()
}

fn mac(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Option<Hmac<Sha256>> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).ok()?;
    m.update(format!("{id}.{timestamp}.").as_bytes());
    m.update(body);
    Some(m)
}

/// The `webhook-signature` header value.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let m = mac(&key(secret)?, id, timestamp, body)?;
    Some(format!("v1,{}", STANDARD.encode(m.finalize().into_bytes())))
}

/// Checks a delivery as a receiver would: one of the space-separated `v1,` signatures
/// holds (compared in constant time), and the timestamp is within the tolerance of `now`.
pub fn verify(secret: &str, id: &str, timestamp: i64, body: &[u8], header: &str, now: i64) -> bool {
    if (now - timestamp).abs() > TOLERANCE_SECS {
        return false;
    }
    let Some(key) = key(secret) else { return false };
    header.split(' ').any(|sig| {
        let Some(b64) = sig.strip_prefix("v1,") else {
            return false;
        };
        let (Ok(expected), Some(m)) = (STANDARD.decode(b64), mac(&key, id, timestamp, body)) else {
            return false;
        };
        m.verify_slice(&expected).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_webhooks_test_vector_verifies() {
        // From the Standard Webhooks reference libraries' tests.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        let sig = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert!(verify(
            secret,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            body,
            &sig,
            1614265330 + 10
        ));
        assert!(
            !verify(
                secret,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                body,
                &sig,
                1614265330 + 400
            ),
            "stale"
        );
        assert!(
            !verify(secret, "msg_other", 1614265330, body, &sig, 1614265330),
            "another message"
        );
        assert!(!verify(
            "whsec_AAAAAAAAAAAAAAAAAAAAAAAA",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            body,
            &sig,
            1614265330
        ));
    }
}
