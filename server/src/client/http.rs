//! The HTTP calls, with API problems (RFC 9457) turned into readable failures: a `4xx` is
//! the caller's mistake (exit 4), anything else the server's or the network's (exit 5).

use std::time::Duration;

use serde_json::Value;

use super::{ConnArgs, Failure};

pub struct Api {
    agent: ureq::Agent,
    base: String,
    token: String,
}

fn problem_text(status: u16, body: &Value) -> String {
    let mut text = format!("{status} {}", body["title"].as_str().unwrap_or("error"));
    if let Some(d) = body["detail"].as_str() {
        text.push_str(&format!(": {d}"));
    }
    for e in body["errors"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "\n  {}: {}",
            e["field"].as_str().unwrap_or(""),
            e["message"].as_str().unwrap_or("")
        ));
    }
    text
}

impl Api {
    pub fn new(conn: &ConnArgs) -> Result<Api, Failure> {
        let token = std::fs::read_to_string(&conn.token_file)
            .map_err(|e| {
                Failure::usage(format!(
                    "reading the token file {}: {e}",
                    conn.token_file.display()
                ))
            })?
            .trim()
            .to_owned();
        if token.is_empty() {
            return Err(Failure::usage(format!(
                "the token file {} is empty",
                conn.token_file.display()
            )));
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Ok(Api {
            agent,
            base: conn.server.trim_end_matches('/').to_owned(),
            token,
        })
    }

    /// For the public endpoints (the log and the keys): no token.
    pub fn public(server: &str) -> Api {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Api {
            agent,
            base: server.trim_end_matches('/').to_owned(),
            token: String::new(),
        }
    }

    /// A text body (the checkpoint note).
    pub fn get_text(&self, path: &str) -> Result<String, Failure> {
        let mut r = self
            .agent
            .get(format!("{}{path}", self.base))
            .call()
            .map_err(|e| Failure::server(format!("cannot reach {}: {e}", self.base)))?;
        let status = r.status().as_u16();
        let text = r
            .body_mut()
            .read_to_string()
            .map_err(|e| Failure::server(format!("reading {path}: {e}")))?;
        match status {
            200..=299 => Ok(text),
            400..=499 => Err(Failure::usage(format!("{status} from {path}: {text}"))),
            _ => Err(Failure::server(format!("{status} from {path}: {text}"))),
        }
    }

    fn finish(
        &self,
        r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(u16, Value), Failure> {
        let mut r = r.map_err(|e| Failure::server(format!("cannot reach {}: {e}", self.base)))?;
        let status = r.status().as_u16();
        let body: Value = r.body_mut().read_json().unwrap_or(Value::Null);
        match status {
            200..=299 => Ok((status, body)),
            400..=499 => Err(Failure::usage(problem_text(status, &body))),
            _ => Err(Failure::server(problem_text(status, &body))),
        }
    }

    pub fn post(
        &self,
        path: &str,
        body: &Value,
        idempotency_key: Option<&str>,
    ) -> Result<(u16, Value), Failure> {
        let mut req = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {}", self.token));
        if let Some(k) = idempotency_key {
            req = req.header("idempotency-key", k);
        }
        self.finish(req.send_json(body))
    }

    pub fn get(&self, path: &str) -> Result<Value, Failure> {
        let req = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {}", self.token));
        self.finish(req.call()).map(|x| x.1)
    }
}
