//! The X.509 facts Sigstore verification needs from a Fulcio certificate: who it was
//! issued to (the SAN URI or e-mail), by which OIDC issuer, when it was valid, its public
//! key, and whether a CA certificate signed it.

use der::{Decode, Encode, asn1::Utf8StringRef, oid::ObjectIdentifier};
use x509_cert::{
    Certificate,
    ext::pkix::{SubjectAltName, name::GeneralName},
};

use super::dsse::VerifyingKey;

const SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
/// Fulcio's OIDC issuer extensions: v2 (DER UTF8String) and the deprecated v1 (raw text).
const ISSUER_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.8");
const ISSUER_V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.1");
const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");

pub fn parse_pem(pem: &str) -> Option<Certificate> {
    use der::DecodePem;
    Certificate::from_pem(pem.trim()).ok()
}

pub fn parse_der(der: &[u8]) -> Option<Certificate> {
    Certificate::from_der(der).ok()
}

pub fn public_key(c: &Certificate) -> Option<VerifyingKey> {
    VerifyingKey::from_spki_der(&c.tbs_certificate.subject_public_key_info.to_der().ok()?)
}

/// (not before, not after) as Unix seconds.
pub fn validity(c: &Certificate) -> (i64, i64) {
    let v = &c.tbs_certificate.validity;
    let secs = |t: &x509_cert::time::Time| {
        i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
    };
    (secs(&v.not_before), secs(&v.not_after))
}

fn extension(c: &Certificate, oid: ObjectIdentifier) -> Option<&[u8]> {
    c.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id == oid)
        .map(|e| e.extn_value.as_bytes())
}

/// The identity the certificate was issued to: its SAN URI (a workflow) or e-mail.
pub fn identity(c: &Certificate) -> Option<String> {
    let san = SubjectAltName::from_der(extension(c, SAN)?).ok()?;
    san.0.iter().find_map(|n| match n {
        GeneralName::UniformResourceIdentifier(u) => Some(u.as_str().to_owned()),
        GeneralName::Rfc822Name(e) => Some(e.as_str().to_owned()),
        _ => None,
    })
}

/// The OIDC issuer that vouched for the identity.
pub fn oidc_issuer(c: &Certificate) -> Option<String> {
    if let Some(v) = extension(c, ISSUER_V2) {
        return Utf8StringRef::from_der(v)
            .ok()
            .map(|s| s.as_str().to_owned());
    }
    extension(c, ISSUER_V1)
        .and_then(|v| std::str::from_utf8(v).ok())
        .map(str::to_owned)
}

/// Whether `issuer` signed `c` (names match and the ECDSA signature verifies).
pub fn issued_by(c: &Certificate, issuer: &Certificate) -> bool {
    if c.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return false;
    }
    let alg = c.signature_algorithm.oid;
    let (Some(key), Ok(tbs), Some(sig)) = (
        public_key(issuer),
        c.tbs_certificate.to_der(),
        c.signature.as_bytes(),
    ) else {
        return false;
    };
    match (&key, alg) {
        (VerifyingKey::P384(_), a) if a == ECDSA_SHA384 => key.verify(&tbs, sig),
        (VerifyingKey::P256(_), a) if a == ECDSA_SHA256 => key.verify(&tbs, sig),
        _ => false,
    }
}
