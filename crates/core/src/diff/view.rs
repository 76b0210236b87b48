//! What the change page shows of a diff: files already cut into highlighted segments,
//! folded when large, and the pairing of old and new lines for the side-by-side view.
//!
//! The server builds these (it has the highlighter); the page renders them, on the server
//! and again in the browser, so the two views can be switched without a round trip.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{FileKind, LineKind};

/// Syntax classes, as short CSS class names (`hl-k` …). Index 0 is plain text.
pub const CLASSES: [&str; 7] = ["", "k", "s", "c", "n", "f", "t"];

/// A run of text with one syntax class; `x` marks a changed word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seg {
    pub t: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub c: u8,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub x: bool,
}

fn is_zero(v: &u8) -> bool {
    *v == 0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowLine {
    pub kind: LineKind,
    pub old_no: Option<u64>,
    pub new_no: Option<u64>,
    pub segs: Vec<Seg>,
    pub crlf: bool,
    pub no_newline: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HunkView {
    /// `@@ -a,b +c,d @@ section`
    pub header: String,
    pub lines: Vec<RowLine>,
}

/// A file's body as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Body {
    Hunks(Vec<HunkView>),
    /// Too large to show by default: shown on request.
    Folded {
        reason: String,
    },
    /// Nothing to show line by line (binary, mode-only, pure rename, empty file).
    Empty {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileView {
    /// Position in the diff; the anchor is `f{index}`.
    pub index: usize,
    pub old_path: Option<String>,
    pub new_path: Option<String>,
    pub kind: FileKind,
    pub similarity: Option<u8>,
    /// `100755 → 100644`, when the mode changed.
    pub mode_change: Option<String>,
    pub symlink: bool,
    pub binary: Option<String>,
    pub lossy: bool,
    pub added: u32,
    pub removed: u32,
    pub lines: usize,
    pub notes: Vec<String>,
    pub body: Body,
}

impl FileView {
    pub fn path(&self) -> &str {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or("")
    }
}

/// Cuts `text` into segments by syntax spans (sorted, non-overlapping byte ranges with a
/// class) and changed ranges. Ranges that do not fall on char boundaries are ignored.
pub fn segments(text: &str, syntax: &[(Range<usize>, u8)], changed: &[Range<usize>]) -> Vec<Seg> {
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for r in syntax.iter().map(|s| &s.0).chain(changed) {
        cuts.push(r.start.min(text.len()));
        cuts.push(r.end.min(text.len()));
    }
    cuts.retain(|&c| text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    let class_at = |at: usize| {
        syntax
            .iter()
            .find(|(r, _)| r.contains(&at))
            .map_or(0, |s| s.1)
    };
    let changed_at = |at: usize| changed.iter().any(|r| r.contains(&at));
    let mut out: Vec<Seg> = Vec::new();
    for w in cuts.windows(2) {
        let (c, x) = (class_at(w[0]), changed_at(w[0]));
        match out.last_mut() {
            Some(last) if last.c == c && last.x == x => last.t.push_str(&text[w[0]..w[1]]),
            _ => out.push(Seg {
                t: text[w[0]..w[1]].to_owned(),
                c,
                x,
            }),
        }
    }
    out
}

/// One row of the side-by-side view: the old line on the left, the new on the right.
pub type SplitRow<'a> = (Option<&'a RowLine>, Option<&'a RowLine>);

/// Pairs a hunk's lines for the side-by-side view: context on both sides, each run of
/// removed lines beside the run of added lines that follows it.
pub fn split_rows(lines: &[RowLine]) -> Vec<SplitRow<'_>> {
    let mut rows = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if lines[i].kind == LineKind::Context {
            rows.push((Some(&lines[i]), Some(&lines[i])));
            i += 1;
            continue;
        }
        let d = i;
        while i < lines.len() && lines[i].kind == LineKind::Removed {
            i += 1;
        }
        let a = i;
        while i < lines.len() && lines[i].kind == LineKind::Added {
            i += 1;
        }
        let (dels, adds) = (&lines[d..a], &lines[a..i]);
        for k in 0..dels.len().max(adds.len()) {
            rows.push((dels.get(k), adds.get(k)));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: LineKind, t: &str) -> RowLine {
        RowLine {
            kind,
            old_no: None,
            new_no: None,
            segs: vec![Seg {
                t: t.into(),
                c: 0,
                x: false,
            }],
            crlf: false,
            no_newline: false,
        }
    }

    #[test]
    fn segments_merge_syntax_and_changes() {
        let changed = std::iter::once(8..9).collect::<Vec<_>>();
        let segs = segments("let x = 1;", &[(0..3, 1), (8..9, 4)], &changed);
        let v: Vec<_> = segs.iter().map(|s| (s.t.as_str(), s.c, s.x)).collect();
        assert_eq!(
            v,
            [
                ("let", 1, false),
                (" x = ", 0, false),
                ("1", 4, true),
                (";", 0, false)
            ]
        );
        assert_eq!(segments("", &[], &[]), []);
    }

    #[test]
    fn split_pairs_runs_and_pads_the_shorter_side() {
        use LineKind::*;
        let lines = [
            line(Context, "a"),
            line(Removed, "b"),
            line(Removed, "c"),
            line(Added, "B"),
            line(Added, "x"),
            line(Added, "y"),
            line(Context, "z"),
        ];
        let rows = split_rows(&lines);
        let text = |l: Option<&RowLine>| l.map(|l| l.segs[0].t.clone());
        let v: Vec<_> = rows.iter().map(|(a, b)| (text(*a), text(*b))).collect();
        let s = |x: &str| Some(x.to_owned());
        assert_eq!(
            v,
            [
                (s("a"), s("a")),
                (s("b"), s("B")),
                (s("c"), s("x")),
                (None, s("y")),
                (s("z"), s("z"))
            ]
        );
    }
}
