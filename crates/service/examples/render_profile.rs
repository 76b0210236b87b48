//! Where the change page's diff time goes: `cargo run --release -p countersign-service --example render_profile`.
use std::time::Instant;

use countersign_core::diff::{LineKind, parse, words::hunk_changes};
use countersign_service::diffview::highlight;

fn main() {
    let input = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/diffs/13-generated-10k-lines.diff"
    ))
    .unwrap();
    highlight::warm_up();
    let p = parse(&input).unwrap();
    let t = Instant::now();
    for f in &p.files {
        for h in &f.hunks {
            let new: Vec<&str> = h
                .lines
                .iter()
                .filter(|l| l.kind != LineKind::Removed)
                .map(|l| l.text.as_str())
                .collect();
            let _ = highlight::spans(f.path(), &new);
        }
    }
    println!(
        "highlight new side (tree-sitter for .rs, as the page does): {:?}",
        t.elapsed()
    );
    // The same lines through syntect's parser only (no scope-to-class matching): what the
    // page used for every language before tree-sitter, kept here for comparison.
    for (name, syntaxes) in [
        (
            "two-face (bat) syntaxes",
            two_face::syntax::extra_newlines(),
        ),
        (
            "syntect default syntaxes",
            syntect::parsing::SyntaxSet::load_defaults_newlines(),
        ),
    ] {
        let t = Instant::now();
        let mut n = 0;
        for f in &p.files {
            let Some(syntax) =
                syntaxes.find_syntax_by_extension(f.path().rsplit('.').next().unwrap_or(""))
            else {
                continue;
            };
            for h in &f.hunks {
                let mut state = syntect::parsing::ParseState::new(syntax);
                for l in h.lines.iter().filter(|l| l.kind != LineKind::Removed) {
                    let line = format!("{}\n", l.text);
                    let _ = state.parse_line(&line, &syntaxes);
                    n += 1;
                }
            }
        }
        println!(
            "parse only, new side ({n} lines), {name}: {:?}",
            t.elapsed()
        );
    }
    let t = Instant::now();
    for f in &p.files {
        for h in &f.hunks {
            let _ = hunk_changes(h);
        }
    }
    println!("word changes: {:?}", t.elapsed());
}
