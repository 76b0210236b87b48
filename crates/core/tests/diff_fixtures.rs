//! Every diff in `../shared/fixtures/diffs` through the reader, with the conclusion
//! `SOURCES.md` says a correct reader reaches.

use countersign_core::diff::{Binary, DiffError, FileKind, LineKind, Patch, parse};

fn read(name: &str) -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/diffs/"
    );
    std::fs::read(format!("{path}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ok(name: &str) -> Patch {
    parse(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

type Shape<'a> = (FileKind, Option<&'a str>, Option<&'a str>, u32, u32);

/// (kind, old path, new path, added, removed) of every file.
fn shape(p: &Patch) -> Vec<Shape<'_>> {
    p.files
        .iter()
        .map(|f| {
            (
                f.kind,
                f.old_path.as_deref(),
                f.new_path.as_deref(),
                f.added,
                f.removed,
            )
        })
        .collect()
}

#[test]
fn rename_with_similarity_and_two_hunks() {
    let p = ok("01-rename-similarity.diff");
    let f = &p.files[0];
    assert_eq!(
        shape(&p),
        [(
            FileKind::Renamed,
            Some("docs/guide.txt"),
            Some("docs/handbook.txt"),
            2,
            2
        )]
    );
    assert_eq!((f.similarity, f.hunks.len()), (Some(97), 2));
}

#[test]
fn pure_rename_without_hunks_and_a_copy() {
    let p = ok("02-copy-and-pure-rename.diff");
    assert_eq!(
        shape(&p),
        [
            (
                FileKind::Renamed,
                Some("data/table.txt"),
                Some("data/table-renamed.txt"),
                0,
                0
            ),
            (
                FileKind::Copied,
                Some("docs/notes.txt"),
                Some("docs/notes-copy.txt"),
                1,
                1
            ),
        ]
    );
    assert_eq!(
        (p.files[0].similarity, p.files[0].hunks.len()),
        (Some(100), 0)
    );
    assert_eq!(p.files[1].similarity, Some(97));
}

#[test]
fn mode_changes_with_and_without_content() {
    let p = ok("03-mode-change.diff");
    let modes: Vec<_> = p
        .files
        .iter()
        .map(|f| (f.old_mode.as_deref(), f.new_mode.as_deref(), f.hunks.len()))
        .collect();
    assert_eq!(
        modes,
        [
            (Some("100755"), Some("100644"), 1),
            (Some("100644"), Some("100755"), 0)
        ]
    );
}

#[test]
fn new_deleted_empty_and_symlink() {
    let p = ok("04-new-deleted-empty.diff");
    let kinds: Vec<_> = p
        .files
        .iter()
        .map(|f| (f.kind, f.path(), f.hunks.len(), f.is_symlink()))
        .collect();
    assert_eq!(
        kinds,
        [
            (FileKind::Deleted, "data/retired.txt", 1, false),
            (FileKind::Added, "docs/added.txt", 1, false),
            (FileKind::Added, "docs/empty-new.txt", 0, false),
            (FileKind::Added, "link-to-added", 1, true),
        ]
    );
    let link = &p.files[3].hunks[0].lines[0];
    assert!(link.no_newline, "a symlink target has no final newline");
}

#[test]
fn binary_files_differ_in_three_forms() {
    let p = ok("05-binary-files-differ.diff");
    let v: Vec<_> = p.files.iter().map(|f| (f.kind, f.binary.clone())).collect();
    assert_eq!(
        v,
        [
            (FileKind::Modified, Some(Binary::Differs)),
            (FileKind::Deleted, Some(Binary::Differs)),
            (FileKind::Added, Some(Binary::Differs)),
        ]
    );
}

#[test]
fn git_binary_patches_delta_and_literal() {
    let p = ok("06-git-binary-patch.diff");
    let forward = |b: &Option<Binary>| match b {
        Some(Binary::Patch { forward, .. }) => Some((forward.method.clone(), forward.size)),
        _ => None,
    };
    let v: Vec<_> = p
        .files
        .iter()
        .map(|f| (f.kind, forward(&f.binary), f.hunks.len()))
        .collect();
    let patch = |m: &str, size: u64| Some((m.to_owned(), size));
    assert_eq!(
        v,
        [
            (FileKind::Modified, patch("delta", 21), 0),
            (FileKind::Deleted, patch("literal", 0), 0),
            (FileKind::Added, patch("literal", 1500), 0),
        ]
    );
}

#[test]
fn no_newline_markers_attach_to_their_line() {
    let p = ok("07a-no-newline-at-eof.diff");
    for f in &p.files {
        let marked: Vec<_> = f
            .hunks
            .iter()
            .flat_map(|h| &h.lines)
            .filter(|l| l.no_newline)
            .map(|l| l.kind)
            .collect();
        match f.kind {
            FileKind::Added => assert_eq!(marked, [LineKind::Added]),
            // The unchanged last line lacks its newline on both sides.
            _ => assert_eq!(marked, [LineKind::Context]),
        }
    }
    let p = ok("07b-newline-added-at-eof.diff");
    let marked: Vec<_> = p.files[0].hunks[0]
        .lines
        .iter()
        .filter(|l| l.no_newline)
        .map(|l| l.kind)
        .collect();
    assert_eq!(
        marked,
        [LineKind::Removed],
        "only the old last line lacked a newline"
    );
}

#[test]
fn crlf_is_kept_apart_from_the_text() {
    let p = ok("08-crlf.diff");
    let converted = p
        .files
        .iter()
        .find(|f| f.added == 40 && f.removed == 40)
        .expect("the LF→CRLF file");
    let lines = &converted.hunks[0].lines;
    let (removed, added): (Vec<_>, Vec<_>) =
        lines.iter().partition(|l| l.kind == LineKind::Removed);
    assert!(removed.iter().all(|l| !l.crlf) && added.iter().all(|l| l.crlf));
    for (r, a) in removed.iter().zip(&added) {
        assert_eq!(r.text, a.text, "only the line ending differs");
    }
    assert!(
        p.files
            .iter()
            .flat_map(|f| &f.hunks)
            .flat_map(|h| &h.lines)
            .all(|l| !l.text.contains('\r'))
    );
}

#[test]
fn bare_cr_inside_a_line_does_not_split_it() {
    let p = ok("public/python-unidiff/git_cr.diff");
    let lines: Vec<_> = p.files[0].hunks[0].lines.iter().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines.iter().any(|l| l.text.contains('\r')),
        "the bare CR stays inside the line"
    );
}

#[test]
fn non_utf8_bytes_and_quoted_paths() {
    let p = ok("09-non-utf8-and-quoted-paths.diff");
    let paths: Vec<_> = p.files.iter().map(|f| (f.path(), f.lossy)).collect();
    assert_eq!(
        paths,
        [
            ("data/latin1.txt", true),
            ("docs/naïve file name.txt", false),
            ("docs/quote\"and\\ttab.txt", false),
        ]
    );
    let latin1 = &p.files[0].hunks[0].lines;
    assert!(latin1.iter().any(|l| l.text.contains('\u{FFFD}')));
    let tab = &p.files[2].hunks[0].lines[0];
    assert_eq!(tab.text, "tab\there");
}

#[test]
fn combined_diffs_are_refused_with_a_reason() {
    for name in ["10a-combined-diff-cc.diff", "10b-combined-diff-c.diff"] {
        let err = parse(&read(name)).unwrap_err();
        assert_eq!(err, DiffError::Combined { line: 1 }, "{name}");
        assert!(err.to_string().contains("against one parent"));
    }
}

#[test]
fn huge_generated_diff_reads_whole() {
    let p = ok("11-huge-generated.diff");
    assert_eq!(p.files.len(), 151);
    assert_eq!(p.files.iter().map(|f| f.hunks.len()).sum::<usize>(), 4_595);
    let csv = p.files.iter().find(|f| f.path().ends_with(".csv")).unwrap();
    assert_eq!(csv.hunks.len(), 4_445);
}

#[test]
fn ten_thousand_line_benchmark_diff_matches_its_description() {
    let p = ok("13-generated-10k-lines.diff");
    assert_eq!(p.files.len(), 62);
    assert_eq!((p.added(), p.removed()), (5_596, 4_614));
    let count = |k| p.files.iter().filter(|f| f.kind == k).count();
    assert_eq!(
        [
            count(FileKind::Modified),
            count(FileKind::Added),
            count(FileKind::Deleted),
            count(FileKind::Renamed)
        ],
        [47, 8, 5, 2]
    );
}

#[test]
fn format_patch_series_keeps_the_mail_as_notes() {
    let p = ok("12-format-patch-series.mbox.patch");
    assert_eq!(p.files.len(), 5);
    assert!(
        p.files[0]
            .notes
            .iter()
            .any(|n| n.contains("[PATCH 1/3] rename with edits"))
    );
    assert!(p.files[1].notes.iter().any(|n| n.contains("[PATCH 2/3]")));
    assert_eq!(p.files[0].kind, FileKind::Renamed);
    assert_eq!(p.trailing.first().map(String::as_str), Some("-- "));
}

#[test]
fn svn_and_mercurial_headers() {
    for name in [
        "public/python-unidiff/svn.diff",
        "public/python-unidiff/hg.diff",
    ] {
        let p = ok(name);
        let mut v: Vec<_> = p
            .files
            .iter()
            .map(|f| (f.path(), f.kind, f.added, f.removed))
            .collect();
        v.sort_by_key(|x| x.0);
        assert_eq!(
            v,
            [
                ("added_file", FileKind::Added, 4, 0),
                ("modified_file", FileKind::Modified, 3, 1),
                ("removed_file", FileKind::Deleted, 0, 3),
            ],
            "{name}"
        );
    }
}

#[test]
fn quoted_and_complicated_file_names() {
    let p = ok("public/python-unidiff/git_quoted_filename_with_spaces.diff");
    assert_eq!(p.files[0].path(), "docs/develop/Bug 排查.md");
    let p = ok("public/go-diff/complicated_filenames.diff");
    let names: Vec<_> = p.files.iter().map(|f| f.path()).collect();
    assert_eq!(
        names,
        [
            "new empty file with spaces",
            "new file with text",
            "new file with spaces",
            "new, complicated\nfilenøme",
            "new \"complicated\" filename",
            "new, simpler filename",
        ]
    );
    assert_eq!(
        p.files[5].old_path.as_deref(),
        Some("existing \"complicated\" filename")
    );
}

#[test]
fn binary_rename_and_text_around_files() {
    let p = ok("public/go-diff/sample_file_extended_binary_rename.diff");
    let f = &p.files[0];
    assert_eq!(
        (f.kind, f.similarity, f.binary.clone()),
        (FileKind::Renamed, Some(51), Some(Binary::Differs))
    );
    let p = ok("public/go-diff/sample_multi_file_trailing_content.diff");
    assert_eq!(
        shape(&p),
        [
            (
                FileKind::Modified,
                Some("comment-last-line.sql"),
                Some("comment-last-line.sql"),
                1,
                1
            ),
            (
                FileKind::Modified,
                Some("query.sql"),
                Some("query.sql"),
                1,
                2
            ),
        ]
    );
    assert_eq!(p.files[0].notes, ["some leading content"]);
    assert_eq!(p.files[1].notes, ["some content between diffs"]);
    assert_eq!(p.trailing, ["some trailing content"]);
    let texts: Vec<_> = p.files[0].hunks[0]
        .lines
        .iter()
        .map(|l| (l.kind, l.text.as_str()))
        .collect();
    assert!(texts.contains(&(LineKind::Added, "++ invalid SQL comment")));
    assert!(texts.contains(&(LineKind::Removed, "-- end of three queries")));
}

#[test]
fn headerless_hunk_of_lines_starting_with_minuses() {
    let p = ok("public/go-diff/sample_hunk_lines_start_with_minuses.diff");
    assert_eq!((p.files[0].added, p.files[0].removed), (0, 2));
    assert_eq!(p.files[0].path(), "");
}

#[test]
fn go_gitdiff_patches() {
    let p = ok("public/go-gitdiff/bin_fragment_delta_modify.patch");
    let Some(Binary::Patch { forward, reverse }) = &p.files[0].binary else {
        panic!("a binary patch")
    };
    assert_eq!((forward.method.as_str(), forward.size), ("delta", 172));
    assert_eq!(reverse.as_ref().map(|r| r.size), Some(112));
    let p = ok("public/go-gitdiff/text_fragment_add_end_noeol.patch");
    let lines = &p.files[0].hunks[0].lines;
    assert!(
        lines
            .iter()
            .any(|l| l.kind == LineKind::Removed && l.no_newline)
    );
    assert_eq!((p.files[0].added, p.files[0].removed), (3, 1));
}

#[test]
fn go_gitdiff_apply_triples_give_their_output_and_the_conflict_its_line() {
    use countersign_core::diff::apply::{ApplyError, apply};
    let p = ok("public/go-gitdiff/text_fragment_add_end_noeol.patch");
    let out = apply(
        &read("public/go-gitdiff/text_fragment_add_end_noeol.src"),
        &p.files[0],
    )
    .unwrap();
    assert_eq!(
        out,
        read("public/go-gitdiff/text_fragment_add_end_noeol.out")
    );
    let p = ok("public/go-gitdiff/text_fragment_error_context_conflict.patch");
    let err = apply(
        &read("public/go-gitdiff/text_fragment_error.src"),
        &p.files[0],
    )
    .unwrap_err();
    assert_eq!(
        err,
        ApplyError::Conflict { line: 4 },
        "git apply --check fails at line 4"
    );
}

#[test]
fn applying_then_reading_back_round_trips_crlf_and_missing_newlines() {
    use countersign_core::diff::apply::apply;
    let d = "--- a/w.txt\n+++ b/w.txt\n@@ -1,2 +1,2 @@\n-one\r\n+ONE\r\n two\n\\ No newline at end of file\n";
    let p = parse(d.as_bytes()).unwrap();
    assert_eq!(apply(b"one\r\ntwo", &p.files[0]).unwrap(), b"ONE\r\ntwo");
    assert!(
        apply(b"one\ntwo", &p.files[0]).is_err(),
        "a line ending is content too"
    );
}

#[test]
fn binary_delta_goes_forward_to_the_output_and_back_to_the_source() {
    use countersign_core::diff::binary::apply;
    let p = ok("public/go-gitdiff/bin_fragment_delta_modify.patch");
    let Some(Binary::Patch {
        forward,
        reverse: Some(reverse),
    }) = &p.files[0].binary
    else {
        panic!("a binary patch with both blocks")
    };
    let (src, out) = (
        read("public/go-gitdiff/bin_fragment_delta_modify.src"),
        read("public/go-gitdiff/bin_fragment_delta_modify.out"),
    );
    assert_eq!(apply(&src, forward).unwrap(), out);
    assert_eq!(apply(&out, reverse).unwrap(), src);
    assert!(
        apply(&out, forward).is_err(),
        "a delta checks its source's size"
    );
}

#[test]
fn binary_literals_inflate_to_their_declared_size() {
    use countersign_core::diff::binary::apply;
    let p = ok("06-git-binary-patch.diff");
    for f in &p.files {
        let Some(Binary::Patch { forward, .. }) = &f.binary else {
            panic!()
        };
        if forward.method == "literal" {
            assert_eq!(
                apply(&[], forward).unwrap().len() as u64,
                forward.size,
                "{}",
                f.path()
            );
        }
    }
}
