//! Sigstore's trusted root (`trusted_root.json`): the Fulcio certificate chains and the
//! Rekor log keys, each with the period it was valid for. It is the only trust anchor a
//! Sigstore bundle is checked against; nothing is fetched.

use serde::Deserialize;
use x509_cert::{Certificate, der::Decode};

use super::dsse::b64;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RootJson {
    #[serde(default)]
    tlogs: Vec<TlogJson>,
    #[serde(default)]
    certificate_authorities: Vec<CaJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TlogJson {
    base_url: String,
    public_key: KeyJson,
    log_id: LogIdJson,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyJson {
    raw_bytes: String,
    #[serde(default)]
    valid_for: Option<Period>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogIdJson {
    key_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CaJson {
    cert_chain: ChainJson,
    #[serde(default)]
    valid_for: Option<Period>,
}

#[derive(Deserialize)]
struct ChainJson {
    certificates: Vec<RawJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawJson {
    raw_bytes: String,
}

#[derive(Deserialize, Clone, Default)]
struct Period {
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    end: Option<String>,
}

fn unix(t: &Option<String>) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(t.as_deref()?)
        .ok()
        .map(|d| d.timestamp())
}

/// A certificate authority: its chain (issuing certificate first) and validity.
pub struct Ca {
    pub chain: Vec<Certificate>,
    pub start: Option<i64>,
    pub end: Option<i64>,
}

/// A transparency log: its signing key (DER SPKI), id and checkpoint signer name.
pub struct Tlog {
    pub name: String,
    pub key_id: Vec<u8>,
    pub spki_der: Vec<u8>,
    pub start: Option<i64>,
    pub end: Option<i64>,
}

pub struct TrustedRoot {
    pub cas: Vec<Ca>,
    pub tlogs: Vec<Tlog>,
}

impl TrustedRoot {
    pub fn from_json(json: &str) -> Result<Self, String> {
        let r: RootJson =
            serde_json::from_str(json).map_err(|e| format!("not a Sigstore trusted root: {e}"))?;
        let cas = r
            .certificate_authorities
            .into_iter()
            .map(|ca| {
                let chain = ca
                    .cert_chain
                    .certificates
                    .iter()
                    .map(|c| {
                        b64(&c.raw_bytes)
                            .and_then(|d| Certificate::from_der(&d).ok())
                            .ok_or("a CA certificate does not parse")
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let p = ca.valid_for.unwrap_or_default();
                Ok(Ca {
                    chain,
                    start: unix(&p.start),
                    end: unix(&p.end),
                })
            })
            .collect::<Result<Vec<_>, &str>>()?;
        let tlogs = r
            .tlogs
            .into_iter()
            .filter_map(|t| {
                let p = t.public_key.valid_for.clone().unwrap_or_default();
                let name = t
                    .base_url
                    .trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_owned();
                Some(Tlog {
                    name,
                    key_id: b64(&t.log_id.key_id)?,
                    spki_der: b64(&t.public_key.raw_bytes)?,
                    start: unix(&p.start),
                    end: unix(&p.end),
                })
            })
            .collect();
        Ok(TrustedRoot { cas, tlogs })
    }
}
