//! The stakes policy: scenario tests for each default tier and the rules that always hold,
//! and property tests of the evaluation function.

use countersign_core::{
    Eval, EvalStatus,
    model::{Role, Stakes, Verdict},
    policy::{Facts, Gates, Outcome, Policy, Requirement, Vote, evaluate, tier},
    provenance::report::Status,
};
use proptest::prelude::*;

fn facts<'a>(declared: Stakes, evals: &'a [Eval], paths: &'a [String]) -> Facts<'a> {
    Facts {
        declared,
        agent: "bot",
        repository: "acme/app",
        paths,
        lines_changed: 10,
        files_changed: 1,
        evals,
        provenance: None,
    }
}

fn pass(name: &str) -> Eval {
    Eval::new(name, EvalStatus::Pass, "json")
}

fn fail(name: &str) -> Eval {
    Eval::new(name, EvalStatus::Fail, "json")
}

fn vote(person: i64, verdict: Verdict) -> Vote {
    Vote {
        person,
        roles: vec![Role::Reviewer],
        verdict,
        current: true,
        owner: false,
    }
}

fn gates(evals: &[Eval]) -> Gates {
    Gates {
        evals: evals.to_vec(),
        quarantined: false,
        overridden: false,
        provenance_ok: true,
    }
}

fn req(t: Stakes) -> Requirement {
    Requirement::new(&Policy::default_policy(), t)
}

#[test]
fn the_default_policy_parses_and_has_a_stable_hash() {
    let p = Policy::default_policy();
    assert_eq!(p.tiers.high.approvals, 2);
    assert_eq!(Policy::hash("x"), Policy::hash("x"));
    assert_ne!(
        Policy::hash(countersign_core::policy::DEFAULT_TOML),
        Policy::hash("x")
    );
}

#[test]
fn invalid_policies_say_what_is_wrong() {
    let base = countersign_core::policy::DEFAULT_TOML;
    for (edit, needle) in [
        (
            base.replacen("approvals = 2\nveto", "approvals = 0\nveto", 1),
            "approvals must be at least 1",
        ),
        (
            base.replacen("admin_approvals = 1", "admin_approvals = 9", 1),
            "admin_approvals cannot exceed",
        ),
        (
            format!("{base}\n[[rules]]\nname = \"x\"\npaths = [\"a[\"]\ntier = \"high\"\n"),
            "rule `x`",
        ),
        (format!("{base}\nsurprise = 1\n"), "unknown field"),
        (
            base.replacen("tier = \"high\"", "tier = \"severe\"", 1),
            "severe",
        ),
    ] {
        let err = Policy::parse(&edit).unwrap_err().to_string();
        assert!(err.contains(needle), "{needle}: {err}");
    }
}

#[test]
fn low_tier_goes_through_on_the_agents_word_only_when_every_gate_is_green() {
    let evals = [pass("unit")];
    let t = tier(&Policy::default_policy(), &facts(Stakes::Low, &evals, &[]));
    assert_eq!(t.tier, Stakes::Low);
    assert_eq!(
        evaluate(&req(t.tier), &gates(&evals), &[]).outcome,
        Outcome::ApprovedBySystem
    );
    let mut g = gates(&evals);
    g.provenance_ok = false;
    assert_eq!(
        evaluate(&req(Stakes::Low), &g, &[]).outcome,
        Outcome::Pending,
        "unverified provenance needs a person"
    );
    let failing = [fail("unit")];
    let t = tier(
        &Policy::default_policy(),
        &facts(Stakes::Low, &failing, &[]),
    );
    assert_eq!(
        t.tier,
        Stakes::Medium,
        "a failing eval raises the tier: one approval, never the agent's word"
    );
    assert_eq!(
        Requirement::new(&Policy::default_policy(), t.tier)
            .rule
            .approvals,
        1
    );
    assert!(
        t.reasons.iter().any(|r| r.contains("eval `unit` failed")),
        "{:?}",
        t.reasons
    );
}

#[test]
fn medium_needs_one_approval_and_the_owner_never_counts() {
    let r = req(Stakes::Medium);
    let g = gates(&[pass("unit")]);
    let owner = Vote {
        owner: true,
        ..vote(1, Verdict::Approve)
    };
    let p = evaluate(&r, &g, &[owner]);
    assert_eq!(
        (p.outcome, p.summary.as_str()),
        (Outcome::Pending, "0 of 1 approvals")
    );
    assert_eq!(
        evaluate(&r, &g, &[vote(2, Verdict::Approve)]).outcome,
        Outcome::Approved
    );
}

#[test]
fn high_needs_two_distinct_reviewers_and_one_rejection_vetoes() {
    let r = req(Stakes::High);
    let g = gates(&[]);
    let once = evaluate(
        &r,
        &g,
        &[vote(1, Verdict::Approve), vote(1, Verdict::Approve)],
    );
    assert_eq!(
        (once.outcome, once.approvals, once.summary.as_str()),
        (Outcome::Pending, 1, "1 of 2 approvals")
    );
    assert_eq!(
        evaluate(
            &r,
            &g,
            &[vote(1, Verdict::Approve), vote(2, Verdict::Approve)]
        )
        .outcome,
        Outcome::Approved
    );
    let vetoed = evaluate(
        &r,
        &g,
        &[
            vote(1, Verdict::Approve),
            vote(2, Verdict::Reject),
            vote(3, Verdict::Approve),
        ],
    );
    assert_eq!(
        (vetoed.outcome, vetoed.summary.as_str()),
        (Outcome::Rejected, "vetoed")
    );
}

#[test]
fn critical_needs_an_admin_and_passing_evals_with_no_override() {
    let r = req(Stakes::Critical);
    let three = [
        vote(1, Verdict::Approve),
        vote(2, Verdict::Approve),
        vote(3, Verdict::Approve),
    ];
    let p = evaluate(&r, &gates(&[pass("unit")]), &three);
    assert_eq!(p.outcome, Outcome::Pending);
    assert!(p.summary.contains("0 of 1 from an admin"), "{}", p.summary);
    let admin = Vote {
        roles: vec![Role::Admin],
        ..vote(4, Verdict::Approve)
    };
    let with_admin = [vote(1, Verdict::Approve), vote(2, Verdict::Approve), admin];
    assert_eq!(
        evaluate(&r, &gates(&[pass("unit")]), &with_admin).outcome,
        Outcome::Approved
    );
    let mut g = gates(&[fail("unit")]);
    g.overridden = true;
    let p = evaluate(&r, &g, &with_admin);
    assert_eq!(p.outcome, Outcome::Pending, "no override at critical");
    assert_eq!(p.summary, "blocked: eval `unit` failed");
}

#[test]
fn an_override_unblocks_where_the_tier_allows_it() {
    let mut policy = Policy::default_policy();
    policy.tiers.high.required_evals = vec!["unit".into()];
    let r = Requirement::new(&policy, Stakes::High);
    let two = [vote(1, Verdict::Approve), vote(2, Verdict::Approve)];
    let mut g = gates(&[fail("unit")]);
    assert_eq!(evaluate(&r, &g, &two).outcome, Outcome::Pending);
    g.overridden = true;
    assert_eq!(evaluate(&r, &g, &two).outcome, Outcome::Approved);
}

#[test]
fn stale_approvals_do_not_count() {
    let stale = Vote {
        current: false,
        ..vote(1, Verdict::Approve)
    };
    let p = evaluate(&req(Stakes::Medium), &gates(&[]), &[stale]);
    assert_eq!(
        (p.outcome, p.stale.as_slice()),
        (Outcome::Pending, &[1][..])
    );
}

#[test]
fn a_quarantined_agents_change_can_be_rejected_not_approved() {
    let mut g = gates(&[]);
    g.quarantined = true;
    let p = evaluate(&req(Stakes::Medium), &g, &[vote(1, Verdict::Approve)]);
    assert_eq!(p.outcome, Outcome::Pending);
    assert!(p.summary.contains("quarantined"));
    assert_eq!(
        evaluate(&req(Stakes::Medium), &g, &[vote(1, Verdict::Reject)]).outcome,
        Outcome::Rejected
    );
    assert_eq!(
        evaluate(&req(Stakes::Low), &g, &[]).outcome,
        Outcome::Pending,
        "not even on the agent's word"
    );
}

#[test]
fn rules_sizes_agents_and_provenance_raise_the_tier_with_reasons() {
    let mut p = Policy::parse(&format!(
        "{}\n[[rules]]\nname = \"payments\"\nrepository = \"acme/*\"\npaths = [\"src/pay/**\"]\ntier = \"critical\"\n\n[agents]\nrisky-bot = \"high\"\n",
        countersign_core::policy::DEFAULT_TOML
    ))
    .unwrap();
    let paths = vec!["README.md".to_owned(), "src/pay/limits.rs".to_owned()];
    let t = tier(&p, &facts(Stakes::Low, &[], &paths));
    assert_eq!(t.tier, Stakes::Critical);
    assert!(
        t.reasons
            .iter()
            .any(|r| r.contains("rule `payments` matches src/pay/limits.rs"))
    );
    let mut f = facts(Stakes::Low, &[], &[]);
    f.agent = "risky-bot";
    assert_eq!(tier(&p, &f).tier, Stakes::High);
    f.agent = "bot";
    f.lines_changed = 5_000;
    assert_eq!(tier(&p, &f).tier, Stakes::High);
    f.lines_changed = 1;
    f.provenance = Some(Status::Invalid);
    assert_eq!(tier(&p, &f).tier, Stakes::Critical);
    f.provenance = Some(Status::UnknownKey);
    assert_eq!(tier(&p, &f).tier, Stakes::Medium);
    p.tiers.medium.required_evals = vec!["security".into()];
    let t = tier(&p, &f);
    assert_eq!(
        t.tier,
        Stakes::High,
        "a missing required eval raises the tier"
    );
}

#[test]
fn a_policy_change_mid_flight_keeps_the_stricter_requirement() {
    let recorded = req(Stakes::High);
    let loosened = req(Stakes::Medium);
    let kept = recorded.stricter(&loosened);
    assert_eq!(
        (kept.tier, kept.rule.approvals, kept.rule.veto),
        (Stakes::High, 2, true)
    );
    let tightened = req(Stakes::Critical);
    let now = recorded.stricter(&tightened);
    assert_eq!(
        (now.tier, now.rule.approvals, now.rule.admin_approvals),
        (Stakes::Critical, 3, 1)
    );
}

fn any_vote() -> impl Strategy<Value = Vote> {
    (
        0i64..6,
        prop::sample::subsequence(vec![Role::Reviewer, Role::Admin, Role::Auditor], 0..=3),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(person, roles, approve, current, owner)| Vote {
            person,
            roles,
            verdict: if approve {
                Verdict::Approve
            } else {
                Verdict::Reject
            },
            current,
            owner,
        })
}

fn any_stakes() -> impl Strategy<Value = Stakes> {
    prop::sample::select(Stakes::ALL.to_vec())
}

fn any_gates() -> impl Strategy<Value = Gates> {
    (
        prop::collection::vec(
            prop::sample::select(vec![EvalStatus::Pass, EvalStatus::Fail, EvalStatus::Skip]),
            0..3,
        ),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(st, quarantined, overridden, provenance_ok)| Gates {
            evals: st
                .into_iter()
                .enumerate()
                .map(|(i, s)| Eval::new(format!("e{i}"), s, "json"))
                .collect(),
            quarantined,
            overridden,
            provenance_ok,
        })
}

proptest! {
    #[test]
    fn more_approvals_never_turn_approved_into_pending(t in any_stakes(), g in any_gates(), votes in prop::collection::vec(any_vote(), 0..8), extra in 10i64..20) {
        let r = req(t);
        let before = evaluate(&r, &g, &votes).outcome;
        let mut more = votes.clone();
        more.push(Vote { person: extra, roles: vec![Role::Reviewer, Role::Admin], verdict: Verdict::Approve, current: true, owner: false });
        let after = evaluate(&r, &g, &more).outcome;
        if matches!(before, Outcome::Approved | Outcome::ApprovedBySystem) {
            prop_assert!(matches!(after, Outcome::Approved | Outcome::ApprovedBySystem), "{before:?} -> {after:?}");
        }
    }

    #[test]
    fn a_counted_rejection_always_rejects_where_veto_is_set(t in any_stakes(), g in any_gates(), votes in prop::collection::vec(any_vote(), 0..8)) {
        let mut r = req(t);
        r.rule.veto = true;
        let mut all = votes.clone();
        all.insert(0, Vote { person: 99, roles: vec![Role::Reviewer], verdict: Verdict::Reject, current: true, owner: false });
        prop_assert_eq!(evaluate(&r, &g, &all).outcome, Outcome::Rejected);
    }

    #[test]
    fn stakes_never_drop_below_the_declaration(d in any_stakes(), lines in 0u64..20_000, failing in any::<bool>(), prov in prop::option::of(prop::sample::select(vec![Status::Verified, Status::UnknownKey, Status::Unsigned, Status::Invalid]))) {
        let evals = if failing { vec![fail("x")] } else { vec![pass("x")] };
        let mut f = facts(d, &evals, &[]);
        f.lines_changed = lines;
        f.provenance = prov;
        prop_assert!(tier(&Policy::default_policy(), &f).tier.rank() >= d.rank());
    }

    #[test]
    fn tightening_the_requirement_never_approves_anything(a in any_stakes(), b in any_stakes(), g in any_gates(), votes in prop::collection::vec(any_vote(), 0..8)) {
        let (ra, rb) = (req(a), req(b));
        let strict = ra.stricter(&rb);
        let approved = |o: Outcome| matches!(o, Outcome::Approved | Outcome::ApprovedBySystem);
        if approved(evaluate(&strict, &g, &votes).outcome) {
            prop_assert!(approved(evaluate(&ra, &g, &votes).outcome));
            prop_assert!(approved(evaluate(&rb, &g, &votes).outcome));
        }
    }
}
