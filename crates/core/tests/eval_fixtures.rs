//! Every JUnit, Inspect and in-toto test-result fixture through the readers, with the
//! counts and messages `SOURCES.md` gives.

use countersign_core::{
    EvalSummary,
    eval::{Eval, EvalStatus},
    evalfmt::{inspect, intoto, junit},
};

fn fixture(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/");
    std::fs::read_to_string(format!("{path}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn counts(evals: &[Eval]) -> (u32, u32, u32, u32) {
    let s = EvalSummary::of(evals);
    (s.passed, s.failed, s.errored, s.skipped)
}

#[test]
fn python_unittest_report_with_failure_error_and_skips() {
    let e = junit::read(&fixture(
        "junit/dorny-test-reporter/python-xunit-unittest.xml",
    ))
    .unwrap();
    assert_eq!(e.len(), 8);
    assert_eq!(counts(&e), (4, 1, 1, 2));
    let fail = e.iter().find(|x| x.status == EvalStatus::Fail).unwrap();
    assert_eq!(fail.name, "test_always_fail");
    assert_eq!(fail.suite.as_deref(), Some("TestAcme"));
    assert!(
        fail.details
            .as_deref()
            .unwrap()
            .contains("AssertionError: failed"),
        "the CDATA traceback is kept"
    );
    let xfail = e
        .iter()
        .filter(|x| x.status == EvalStatus::Skip)
        .find_map(|x| x.details.clone().filter(|d| d.contains('<')))
        .expect("the XFAIL message");
    assert!(
        xfail.contains('<') && xfail.contains('>'),
        "entities are decoded: {xfail}"
    );
}

#[test]
fn jest_report_with_nested_suites() {
    let e = junit::read(&fixture("junit/dorny-test-reporter/jest-junit.xml")).unwrap();
    assert_eq!(e.len(), 6);
    assert_eq!(counts(&e), (1, 4, 0, 1));
    assert!(
        e.iter()
            .any(|x| x.suite.as_deref().is_some_and(|s| s.contains('›')))
    );
}

#[test]
fn nextest_report_keeps_system_out_and_err() {
    let e = junit::read(&fixture(
        "junit/mikepenz-action-junit-report/nextest-basic.xml",
    ))
    .unwrap();
    assert_eq!(e.len(), 3);
    assert_eq!(counts(&e), (2, 1, 0, 0));
    let fail = e.iter().find(|x| x.status == EvalStatus::Fail).unwrap();
    assert!(fail.output.is_some(), "per-case output is kept");
    assert!(
        e.iter()
            .flat_map(|x| [&x.details, &x.output])
            .flatten()
            .any(|t| t.contains('\'')),
        "&apos; is decoded"
    );
}

#[test]
fn surefire_report_with_non_ascii_text() {
    let e = junit::read(&fixture(
        "junit/mikepenz-action-junit-report/TEST-action.surefire.report.email.EmailAddressTest.xml",
    ))
    .unwrap();
    assert_eq!(e.len(), 9);
    assert_eq!(counts(&e), (2, 2, 5, 0));
    let text: String = e
        .iter()
        .flat_map(|x| [&x.details, &x.output])
        .flatten()
        .cloned()
        .collect();
    assert!(text.contains('ñ') && text.contains('😋'));
}

#[test]
fn a_truncated_report_is_refused_with_its_line() {
    let err = junit::read(&fixture(
        "junit/mikepenz-action-junit-report/corrupt-TEST-test.CorruptTest.xml",
    ))
    .unwrap_err();
    assert!(err.to_string().starts_with("line "), "{err}");
    assert!(junit::read("{\"not\": \"xml\"}").is_err());
    assert!(junit::read("<html></html>").is_err());
}

#[test]
fn inspect_log_of_a_successful_run() {
    let e = inspect::read(&fixture(
        "inspect/2026-11-28T22-16-59-00-00_tiny-match_9QqkNX4jD9x2WtMfYch2dn.json",
    ))
    .unwrap();
    assert_eq!(e.len(), 1);
    let m = &e[0];
    assert_eq!(
        (m.name.as_str(), m.suite.as_deref(), m.status),
        (
            "tiny_match · match",
            Some("mockllm/model"),
            EvalStatus::Pass
        )
    );
    assert_eq!(m.score, Some(0.6));
    let d = m.details.as_deref().unwrap();
    assert!(
        d.contains("accuracy 0.6000")
            && d.contains("stderr 0.2449")
            && d.contains("5 of 5 samples"),
        "{d}"
    );
}

#[test]
fn inspect_log_of_a_failed_run_names_the_error_and_the_sample() {
    let e = inspect::read(&fixture(
        "inspect/2026-11-28T22-17-11-00-00_tiny-match-with-error_eb3HWhmucxD3Zk5p4S9mpd.json",
    ))
    .unwrap();
    assert_eq!(counts(&e), (0, 0, 2, 0));
    assert_eq!(e[0].name, "tiny_match_with_error");
    assert!(
        e[0].details
            .as_deref()
            .unwrap()
            .contains("deliberate solver failure on sample s4")
    );
    assert!(e[0].output.as_deref().unwrap().starts_with("Traceback"));
    assert!(e[1].name.ends_with("sample s4"));
    assert!(inspect::read("{\"version\": 2}").is_err());
}

#[test]
fn in_toto_test_result_statement() {
    let doc: serde_json::Value = serde_json::from_str(&fixture(
        "provenance/in-toto-attestation-spec/test-result-v0.1.example.json",
    ))
    .unwrap();
    let e = intoto::read(&doc).expect("a test-result statement");
    assert_eq!(counts(&e), (13, 0, 0, 0));
    assert_eq!(e[0].suite.as_deref(), Some(".github/workflows/ci.yml"));
    assert!(
        e[0].details
            .as_deref()
            .unwrap()
            .contains("actions/runs/4425592351")
    );
    let provenance: serde_json::Value = serde_json::from_str(&fixture(
        "provenance/slsa-verifier/gha_go/v1.10.0/binary-linux-amd64-push-v14.intoto.jsonl",
    ))
    .unwrap();
    assert!(
        intoto::read(&provenance).is_none(),
        "provenance is not a test result"
    );
}
