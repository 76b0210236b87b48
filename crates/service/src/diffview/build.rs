//! Turns a parsed patch into the page's file views within the display budget.

use countersign_core::diff::{
    Binary, FileKind, FilePatch, LineKind, Patch,
    view::{Body, FileView, HunkView, RowLine, segments},
    words::hunk_changes,
};

use super::highlight::spans;

/// How much of a diff is shown before files fold.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub file_lines: usize,
    pub file_bytes: usize,
    pub total_lines: usize,
    pub total_bytes: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            file_lines: 400,
            file_bytes: 20 * 1024,
            total_lines: 20_000,
            total_bytes: 1024 * 1024,
        }
    }
}

/// All files of a diff, with the ones within budget (or asked for) rendered.
#[derive(Debug, Clone)]
pub struct DiffPage {
    pub files: Vec<FileView>,
    pub trailing: Vec<String>,
}

fn bytes(f: &FilePatch) -> usize {
    f.hunks
        .iter()
        .flat_map(|h| &h.lines)
        .map(|l| l.text.len() + 2)
        .sum()
}

fn binary_text(b: &Binary) -> String {
    match b {
        Binary::Differs => "Binary file: the diff does not include its content.".to_owned(),
        Binary::Patch { forward, .. } if forward.method == "literal" => {
            format!(
                "Binary file: its new content ({} bytes) is in the patch.",
                forward.size
            )
        }
        Binary::Patch { forward, .. } => {
            format!(
                "Binary file: changed by a {}-byte delta against its old content.",
                forward.size
            )
        }
    }
}

fn empty_reason(f: &FilePatch) -> String {
    if let Some(b) = &f.binary {
        return binary_text(b);
    }
    match f.kind {
        FileKind::Renamed | FileKind::Copied => format!(
            "{} without changes to its content.",
            if f.kind == FileKind::Renamed {
                "Renamed"
            } else {
                "Copied"
            }
        ),
        FileKind::Added => "New empty file.".to_owned(),
        FileKind::Deleted => "Deleted empty file.".to_owned(),
        FileKind::Modified if f.old_mode != f.new_mode => "Only the file mode changed.".to_owned(),
        FileKind::Modified => "No content changes.".to_owned(),
    }
}

/// Renders one file's hunks: highlighted per side, with changed words marked.
fn hunks(f: &FilePatch) -> Vec<HunkView> {
    let path = f.path();
    f.hunks
        .iter()
        .map(|h| {
            let side = |keep: LineKind| {
                let idx: Vec<usize> = (0..h.lines.len())
                    .filter(|&i| h.lines[i].kind != keep)
                    .collect();
                let texts: Vec<&str> = idx.iter().map(|&i| h.lines[i].text.as_str()).collect();
                (idx, spans(path, &texts))
            };
            let mut syntax = vec![Vec::new(); h.lines.len()];
            for (idx, sp) in [side(LineKind::Added), side(LineKind::Removed)] {
                for (i, s) in idx.into_iter().zip(sp) {
                    syntax[i] = s;
                }
            }
            let changes = hunk_changes(h);
            let lines = h
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| RowLine {
                    kind: l.kind,
                    old_no: l.old_no,
                    new_no: l.new_no,
                    segs: segments(&l.text, &syntax[i], &changes[i]),
                    crlf: l.crlf,
                    no_newline: l.no_newline,
                })
                .collect();
            let count = |n: u64| {
                if n == 1 {
                    String::new()
                } else {
                    format!(",{n}")
                }
            };
            let header = format!(
                "@@ -{}{} +{}{} @@{}{}",
                h.old_start,
                count(h.old_lines),
                h.new_start,
                count(h.new_lines),
                if h.section.is_empty() { "" } else { " " },
                h.section
            );
            HunkView { header, lines }
        })
        .collect()
}

/// Builds the page's view of `patch`; `show` names files to render whatever their size.
/// Which files fold is decided in order (the budget is cumulative); the files shown are
/// then rendered in parallel, since highlighting is most of the cost.
pub fn build(patch: &Patch, budget: Budget, show: &[usize]) -> DiffPage {
    use rayon::prelude::*;

    let (mut used_lines, mut used_bytes) = (0usize, 0usize);
    let plans: Vec<Option<Body>> = patch
        .files
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let (lines, size) = (f.line_count(), bytes(f));
            if f.hunks.is_empty() {
                Some(Body::Empty {
                    reason: empty_reason(f),
                })
            } else if show.contains(&index) {
                None
            } else if lines > budget.file_lines || size > budget.file_bytes {
                Some(Body::Folded {
                    reason: format!(
                        "This file's diff is large ({lines} lines, {} KB).",
                        size.div_ceil(1024)
                    ),
                })
            } else if used_lines + lines > budget.total_lines
                || used_bytes + size > budget.total_bytes
            {
                Some(Body::Folded {
                    reason: "This diff is large: the rest of its files are shown on request."
                        .to_owned(),
                })
            } else {
                used_lines += lines;
                used_bytes += size;
                None
            }
        })
        .collect();
    let files = patch
        .files
        .par_iter()
        .zip(plans)
        .enumerate()
        .map(|(index, (f, plan))| FileView {
            index,
            old_path: f.old_path.clone(),
            new_path: f.new_path.clone(),
            kind: f.kind,
            similarity: f.similarity,
            mode_change: match (&f.old_mode, &f.new_mode) {
                (Some(a), Some(b)) if a != b => Some(format!("{a} → {b}")),
                _ => None,
            },
            symlink: f.is_symlink(),
            binary: f.binary.as_ref().map(binary_text),
            lossy: f.lossy,
            added: f.added,
            removed: f.removed,
            lines: f.line_count(),
            notes: f.notes.clone(),
            body: plan.unwrap_or_else(|| Body::Hunks(hunks(f))),
        })
        .collect();
    DiffPage {
        files,
        trailing: patch.trailing.clone(),
    }
}
