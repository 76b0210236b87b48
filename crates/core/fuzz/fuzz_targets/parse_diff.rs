//! The diff reader on arbitrary bytes: it must never panic, and whatever it accepts must
//! render into the page's view model (word changes, segments, side-by-side pairing).
#![no_main]

use countersign_core::diff::{parse, view, words};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(patch) = parse(data) {
        for f in &patch.files {
            for h in &f.hunks {
                let changes = words::hunk_changes(h);
                let rows: Vec<view::RowLine> = h
                    .lines
                    .iter()
                    .zip(&changes)
                    .map(|(l, c)| view::RowLine {
                        kind: l.kind,
                        old_no: l.old_no,
                        new_no: l.new_no,
                        segs: view::segments(&l.text, &[], c),
                        crlf: l.crlf,
                        no_newline: l.no_newline,
                    })
                    .collect();
                let _ = view::split_rows(&rows);
            }
        }
    }
});
