//! `countersign wait` and `status`, and the waiting behind `submit --wait`: long polls of
//! the decision endpoint until the change is decided or the time is up. On a terminal a
//! progress line counts the seconds; in a pipe only the outcome is printed.

use std::{
    io::{IsTerminal, Write},
    time::{Duration, Instant},
};

use serde_json::Value;

use super::{Exit, Failure, WaitArgs, exit_for, http::Api};

fn outcome_line(v: &Value) -> String {
    let status = v["status"].as_str().unwrap_or("unknown");
    let mut line = format!("change {} is {status}", v["id"]);
    if let Some(d) = v["decisions"].as_array().and_then(|d| d.last()) {
        line.push_str(&format!(
            " ({} by {}",
            d["verdict"].as_str().unwrap_or(""),
            d["reviewer"].as_str().unwrap_or("")
        ));
        if let Some(c) = d["comment"].as_str().filter(|c| !c.is_empty()) {
            line.push_str(&format!(": {c}"));
        }
        line.push(')');
    }
    line
}

/// Polls until decided or `timeout_secs` pass.
pub fn wait_for(api: &Api, id: i64, timeout_secs: u64) -> Result<Exit, Failure> {
    let start = Instant::now();
    let deadline = start + Duration::from_secs(timeout_secs);
    let tty = std::io::stderr().is_terminal();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let secs = left.as_millis().div_ceil(1000).min(60);
        let v = api.get(&format!("/api/v1/changes/{id}/decision?wait={secs}"))?;
        let status = v["status"].as_str().unwrap_or("pending");
        if status != "pending" || Instant::now() >= deadline {
            if tty {
                eprint!("\r\x1b[K");
            }
            println!("{}", outcome_line(&v));
            return Ok(exit_for(status));
        }
        if tty {
            eprint!(
                "\rwaiting for a decision on change {id}… {} s",
                start.elapsed().as_secs()
            );
            let _ = std::io::stderr().flush();
        }
    }
}

pub fn wait(a: &WaitArgs) -> Result<Exit, Failure> {
    wait_for(&Api::new(&a.conn)?, a.id, a.timeout)
}

/// Prints the change's status now, with the same exit codes.
pub fn status(conn: &super::ConnArgs, id: i64) -> Result<Exit, Failure> {
    let v = Api::new(conn)?.get(&format!("/api/v1/changes/{id}"))?;
    println!("{}", outcome_line(&v));
    Ok(exit_for(v["status"].as_str().unwrap_or("pending")))
}
