//! Public keys that agents sign their attestations with: Ed25519 or ECDSA P-256, as PEM
//! SubjectPublicKeyInfo ("-----BEGIN PUBLIC KEY-----"), parsed by RustCrypto/dalek.
//!
//! A key is identified by its fingerprint, `sha256:<hex>` of its DER encoding, so the
//! same key pasted with different line breaks or comments is recognised as the same key.

use ed25519_dalek::pkcs8::{DecodePublicKey, EncodePublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The signature algorithms Countersign verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyAlgorithm {
    Ed25519,
    EcdsaP256,
}

impl KeyAlgorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyAlgorithm::Ed25519 => "ed25519",
            KeyAlgorithm::EcdsaP256 => "ecdsa-p256",
        }
    }
}

/// A parsed public key, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyInfo {
    pub algorithm: KeyAlgorithm,
    /// The key re-encoded as PEM (canonical line breaks, no surrounding text).
    pub pem: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("not a PEM public key (expected -----BEGIN PUBLIC KEY-----)")]
    NotPem,
    #[error("not an Ed25519 or ECDSA P-256 public key")]
    Unsupported,
}

fn fingerprint(der: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(der)))
}

/// Parses a PEM public key; surrounding whitespace is ignored.
pub fn parse_public_key(pem: &str) -> Result<PublicKeyInfo, KeyError> {
    let pem = pem.trim();
    if !pem.starts_with("-----BEGIN PUBLIC KEY-----") {
        return Err(KeyError::NotPem);
    }
    let lf = p256::pkcs8::LineEnding::LF;
    if let Ok(key) = ed25519_dalek::VerifyingKey::from_public_key_pem(pem) {
        let der = key.to_public_key_der().map_err(|_| KeyError::Unsupported)?;
        let pem = key
            .to_public_key_pem(lf)
            .map_err(|_| KeyError::Unsupported)?;
        return Ok(PublicKeyInfo {
            algorithm: KeyAlgorithm::Ed25519,
            pem,
            fingerprint: fingerprint(der.as_bytes()),
        });
    }
    if let Ok(key) = p256::PublicKey::from_public_key_pem(pem) {
        let der = key.to_public_key_der().map_err(|_| KeyError::Unsupported)?;
        let pem = key
            .to_public_key_pem(lf)
            .map_err(|_| KeyError::Unsupported)?;
        return Ok(PublicKeyInfo {
            algorithm: KeyAlgorithm::EcdsaP256,
            pem,
            fingerprint: fingerprint(der.as_bytes()),
        });
    }
    Err(KeyError::Unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> String {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/");
        std::fs::read_to_string(format!("{root}{path}")).expect("fixtures beside the repository")
    }

    #[test]
    fn the_fixture_keys_are_p256_and_fingerprint_stably() {
        for path in [
            "dsse/protocol-example/public-key.derived.pem",
            "provenance/slsa-verifier/vsa/gce/v1/vsa_signing_public_key.pem",
        ] {
            let text = fixture(path);
            let key = parse_public_key(&text).unwrap();
            assert_eq!(key.algorithm, KeyAlgorithm::EcdsaP256, "{path}");
            let reflowed = format!("\n  {}\n", text.trim());
            assert_eq!(
                parse_public_key(&reflowed).unwrap().fingerprint,
                key.fingerprint
            );
            assert_eq!(
                parse_public_key(&key.pem).unwrap(),
                key,
                "the normal form parses to itself"
            );
        }
    }

    #[test]
    fn ed25519_keys_are_recognised() {
        let signing = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
        let pem = signing
            .verifying_key()
            .to_public_key_pem(p256::pkcs8::LineEnding::LF)
            .unwrap();
        let key = parse_public_key(&pem).unwrap();
        assert_eq!(key.algorithm, KeyAlgorithm::Ed25519);
        assert!(key.fingerprint.starts_with("sha256:") && key.fingerprint.len() == 71);
    }

    #[test]
    fn other_input_is_refused_with_a_reason() {
        assert_eq!(parse_public_key("ssh-ed25519 AAAA"), Err(KeyError::NotPem));
        let rsa = "-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf\n9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\n-----END PUBLIC KEY-----";
        assert_eq!(parse_public_key(rsa), Err(KeyError::Unsupported));
        assert_eq!(
            parse_public_key("-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----"),
            Err(KeyError::Unsupported)
        );
    }
}
