//! JUnit / xUnit XML as pytest, unittest-xml-reporting, jest-junit, Maven Surefire and
//! cargo-nextest write it: `<testsuites>` or a bare `<testsuite>`, suites nested or not,
//! each `<testcase>` with an optional `<failure>`, `<error>`, `<skipped>`,
//! `<system-out>` / `<system-err>`, and Surefire's flaky and rerun elements.

use quick_xml::{Reader, events::Event};

use super::{FormatError, join};
use crate::eval::{Eval, EvalStatus};

#[derive(Default)]
struct Case {
    name: String,
    suite: Option<String>,
    status: Option<EvalStatus>,
    message: String,
    body: String,
    output: String,
}

/// Which text the reader is collecting.
#[derive(Clone, Copy, PartialEq)]
enum Collect {
    Nothing,
    Body,
    Output,
}

fn line_of(xml: &str, pos: u64) -> usize {
    let end = usize::try_from(pos).unwrap_or(usize::MAX).min(xml.len());
    xml.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn attr(e: &quick_xml::events::BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// Reads a JUnit XML document into evals, one per test case.
pub fn read(xml: &str) -> Result<Vec<Eval>, FormatError> {
    let mut reader = Reader::from_str(xml);
    let mut suites: Vec<Option<String>> = Vec::new();
    let mut case: Option<Case> = None;
    let mut into = Collect::Nothing;
    let mut out = Vec::new();
    let mut saw_root = false;
    loop {
        let ev = reader.read_event().map_err(|e| {
            FormatError::new(format!(
                "line {}: {e}",
                line_of(xml, reader.error_position())
            ))
        })?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let name = e.name();
                match name.as_ref() {
                    b"testsuites" => saw_root = true,
                    b"testsuite" => {
                        saw_root = true;
                        if !empty {
                            suites.push(attr(e, b"name"));
                        }
                    }
                    b"testcase" => {
                        let c = Case {
                            name: attr(e, b"name").unwrap_or_default(),
                            suite: attr(e, b"classname")
                                .filter(|s| !s.is_empty())
                                .or_else(|| suites.iter().rev().flatten().next().cloned()),
                            ..Case::default()
                        };
                        if empty {
                            out.push(finish(c));
                        } else {
                            case = Some(c);
                        }
                    }
                    tag => {
                        if let Some(c) = case.as_mut() {
                            let status = match tag {
                                b"failure" | b"rerunFailure" => Some(EvalStatus::Fail),
                                b"error" | b"rerunError" => Some(EvalStatus::Error),
                                b"skipped" => Some(EvalStatus::Skip),
                                _ => None,
                            };
                            if let Some(s) = status {
                                c.status = Some(worse(c.status, s));
                                if let Some(m) = attr(e, b"message") {
                                    if !c.message.is_empty() {
                                        c.message.push('\n');
                                    }
                                    c.message.push_str(&m);
                                }
                            }
                            if !empty {
                                into = match tag {
                                    b"system-out" | b"system-err" => Collect::Output,
                                    _ => Collect::Body,
                                };
                            }
                        }
                    }
                }
            }
            Event::End(ref e) => match e.name().as_ref() {
                b"testsuite" => {
                    suites.pop();
                }
                b"testcase" => {
                    if let Some(c) = case.take() {
                        out.push(finish(c));
                    }
                    into = Collect::Nothing;
                }
                _ => into = Collect::Nothing,
            },
            Event::Text(t) => push(&mut case, into, &t.xml_content().unwrap_or_default()),
            Event::CData(t) => push(&mut case, into, &String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(ch)) => ch.to_string(),
                    _ => {
                        let name = r.decode().unwrap_or_default();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_default()
                            .to_owned()
                    }
                };
                push(&mut case, into, &s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(FormatError::new(
            "not a JUnit report: no <testsuites> or <testsuite> element",
        ));
    }
    if case.is_some() || !suites.is_empty() {
        return Err(FormatError::new(
            "the document ends before its test suite is closed (truncated?)",
        ));
    }
    Ok(out)
}

fn push(case: &mut Option<Case>, into: Collect, text: &str) {
    if let Some(c) = case.as_mut() {
        match into {
            Collect::Body => c.body.push_str(text),
            Collect::Output => c.output.push_str(text),
            Collect::Nothing => {}
        }
    }
}

fn worse(a: Option<EvalStatus>, b: EvalStatus) -> EvalStatus {
    let rank = |s: EvalStatus| match s {
        EvalStatus::Pass => 0,
        EvalStatus::Skip => 1,
        EvalStatus::Fail => 2,
        EvalStatus::Error => 3,
    };
    match a {
        Some(a) if rank(a) >= rank(b) => a,
        _ => b,
    }
}

fn finish(c: Case) -> Eval {
    Eval {
        suite: c.suite,
        details: join(&[&c.message, &c.body]),
        output: join(&[&c.output]),
        ..Eval::new(c.name, c.status.unwrap_or(EvalStatus::Pass), "junit")
    }
}
