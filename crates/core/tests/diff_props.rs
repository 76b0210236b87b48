//! Property tests of the diff reader: it never panics on any input, it reads back exactly
//! what a generated diff says, and hostile hunk headers are errors, not overflows.

use countersign_core::diff::{LineKind, parse};
use proptest::prelude::*;

/// A generated file: path and hunks of (kind, text) lines.
#[derive(Debug, Clone)]
struct GenFile {
    path: String,
    hunks: Vec<Vec<(LineKind, String)>>,
}

fn line_text() -> impl Strategy<Value = String> {
    // Anything printable, including text that looks like diff syntax.
    prop_oneof![
        "[ -~]{0,40}",
        Just("--- a/looks-like-a-header".to_owned()),
        Just("+++ b/looks-like-a-header".to_owned()),
        Just("@@ -1 +1 @@".to_owned()),
        Just("diff --git a/x b/x".to_owned()),
        "[a-zé€😋 ]{0,12}",
    ]
}

fn gen_line() -> impl Strategy<Value = (LineKind, String)> {
    (
        prop_oneof![
            Just(LineKind::Context),
            Just(LineKind::Added),
            Just(LineKind::Removed)
        ],
        line_text(),
    )
}

fn gen_file() -> impl Strategy<Value = GenFile> {
    (
        "[a-z]{1,8}(/[a-z0-9_.]{1,8}){0,2}",
        prop::collection::vec(prop::collection::vec(gen_line(), 1..12), 1..4),
    )
        .prop_map(|(path, hunks)| GenFile { path, hunks })
}

/// Writes the files as a git diff, numbering hunks the way git does.
fn render(files: &[GenFile]) -> String {
    let mut out = String::new();
    for f in files {
        out += &format!(
            "diff --git a/{p} b/{p}\nindex 1111111..2222222 100644\n--- a/{p}\n+++ b/{p}\n",
            p = f.path
        );
        let (mut old, mut new) = (1u64, 1u64);
        for h in &f.hunks {
            let o = h.iter().filter(|l| l.0 != LineKind::Added).count() as u64;
            let n = h.iter().filter(|l| l.0 != LineKind::Removed).count() as u64;
            out += &format!("@@ -{old},{o} +{new},{n} @@\n");
            for (k, t) in h {
                let c = match k {
                    LineKind::Context => ' ',
                    LineKind::Added => '+',
                    LineKind::Removed => '-',
                };
                out += &format!("{c}{t}\n");
            }
            old += o + 3;
            new += n + 3;
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn never_panics_on_diff_shaped_noise(lines in prop::collection::vec(prop_oneof![
        Just("diff --git a/x b/x".to_owned()), Just("--- a/x".to_owned()), Just("+++ b/x".to_owned()),
        "@@ -[0-9]{1,25}(,[0-9]{1,25})? \\+[0-9]{1,25}(,[0-9]{1,25})? @@.{0,5}",
        "[ +\\-\\\\][ -~]{0,10}", Just("GIT binary patch".to_owned()), "(literal|delta) [0-9]{1,22}",
        Just("rename from \"a\\3".to_owned()), Just("similarity index 250%".to_owned()), Just(String::new()),
    ], 0..40)) {
        let _ = parse(lines.join("\n").as_bytes());
    }

    #[test]
    fn reads_back_what_was_written(files in prop::collection::vec(gen_file(), 1..5)) {
        let patch = parse(render(&files).as_bytes()).expect("a well-formed diff parses");
        prop_assert_eq!(patch.files.len(), files.len());
        for (got, want) in patch.files.iter().zip(&files) {
            prop_assert_eq!(got.path(), want.path.as_str());
            prop_assert_eq!(got.hunks.len(), want.hunks.len());
            for (gh, wh) in got.hunks.iter().zip(&want.hunks) {
                let lines: Vec<_> = gh.lines.iter().map(|l| (l.kind, l.text.clone())).collect();
                prop_assert_eq!(&lines, wh);
            }
            let added = want.hunks.iter().flatten().filter(|l| l.0 == LineKind::Added).count() as u32;
            prop_assert_eq!(got.added, added);
        }
        prop_assert!(patch.trailing.is_empty());
    }

    #[test]
    fn line_numbers_follow_the_hunk_header(file in gen_file()) {
        let patch = parse(render(std::slice::from_ref(&file)).as_bytes()).unwrap();
        for h in &patch.files[0].hunks {
            let (mut o, mut n) = (h.old_start, h.new_start);
            for l in &h.lines {
                if l.kind != LineKind::Added { prop_assert_eq!(l.old_no, Some(o)); o += 1; }
                if l.kind != LineKind::Removed { prop_assert_eq!(l.new_no, Some(n)); n += 1; }
            }
        }
    }

    #[test]
    fn hunk_counts_that_lie_are_errors(extra in 2u64..u64::MAX) {
        let d = format!("--- a/x\n+++ b/x\n@@ -1,{extra} +1 @@\n-a\n+b\n");
        prop_assert!(parse(d.as_bytes()).is_err());
    }
}

/// Writes `text` to a fresh temporary file and returns its path.
fn temp_file(tag: &str, text: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let p = std::env::temp_dir().join(format!(
        "cs-diffprop-{}-{}-{tag}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&p, text).unwrap();
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// git's own diff of two random texts reads back and applies to the new text, byte
    /// for byte: every line, number, empty line and missing final newline is right.
    #[test]
    fn a_diff_made_by_git_applies_back_to_the_new_text(
        old in prop::collection::vec("[a-d]{0,3}", 0..30),
        edits in prop::collection::vec((0usize..30, "[a-d]{0,3}", any::<bool>()), 1..8),
        old_nl in any::<bool>(), new_nl in any::<bool>(),
    ) {
        let mut new = old.clone();
        for (at, text, insert) in edits {
            let at = at.min(new.len());
            if insert || at == new.len() { new.insert(at, text) } else { new[at] = text }
        }
        let join = |v: &[String], nl: bool| { let mut s = v.join("\n"); if nl && !v.is_empty() { s.push('\n') } s };
        let (a, b) = (join(&old, old_nl), join(&new, new_nl));
        prop_assume!(a != b);
        let (pa, pb) = (temp_file("a", &a), temp_file("b", &b));
        let out = std::process::Command::new("git").args(["diff", "--no-index", "--no-color", "--"]).arg(&pa).arg(&pb).output().expect("git runs");
        let _ = (std::fs::remove_file(&pa), std::fs::remove_file(&pb));
        let patch = parse(&out.stdout).expect("git's diff parses");
        let applied = countersign_core::diff::apply::apply(a.as_bytes(), &patch.files[0]).expect("it applies");
        prop_assert_eq!(String::from_utf8(applied).unwrap(), b);
    }
}
