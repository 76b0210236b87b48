//! Applies a file's text hunks to its old content, exactly as `git apply` does without
//! fuzz: every context and removed line must be where the hunk says. It proves the reader
//! got each line, number and line ending right, and it lets a verifier check that a diff
//! really turns one file into another.

use super::{FilePatch, LineKind};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// git's "patch failed: FILE:LINE": the hunk starting at `line` does not fit.
    #[error("the hunk at old line {line} does not match the file")]
    Conflict { line: u64 },
    #[error("a binary patch cannot be applied as text")]
    Binary,
}

/// `src` split into lines, each with its own line ending (the last may have none).
fn lines(src: &[u8]) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = src.split_inclusive(|&b| b == b'\n').collect();
    if out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

fn matches(src_line: &[u8], text: &str, crlf: bool, no_newline: bool) -> bool {
    let body = src_line.strip_suffix(b"\n");
    let (body, had_nl) = match body {
        Some(b) => (b, true),
        None => (src_line, false),
    };
    let (body, had_cr) = match body.strip_suffix(b"\r") {
        Some(b) if had_nl => (b, true),
        _ => (body, false),
    };
    String::from_utf8_lossy(body) == text && had_nl != no_newline && had_cr == crlf
}

/// The new content of the file, or where it conflicts.
pub fn apply(src: &[u8], file: &FilePatch) -> Result<Vec<u8>, ApplyError> {
    if file.binary.is_some() {
        return Err(ApplyError::Binary);
    }
    let old = lines(src);
    let mut out = Vec::with_capacity(src.len());
    let mut at = 0usize;
    for h in &file.hunks {
        // A hunk that adds to an empty file starts at 0; otherwise lines are 1-based.
        let start = usize::try_from(h.old_start.saturating_sub(1)).unwrap_or(usize::MAX);
        let start = if h.old_lines == 0 {
            start + usize::from(h.old_start > 0)
        } else {
            start
        };
        if start < at || start > old.len() {
            return Err(ApplyError::Conflict { line: h.old_start });
        }
        for l in &old[at..start] {
            out.extend_from_slice(l);
        }
        at = start;
        for l in &h.lines {
            if l.kind != LineKind::Added {
                let fits = old
                    .get(at)
                    .is_some_and(|s| matches(s, &l.text, l.crlf, l.no_newline));
                if !fits {
                    return Err(ApplyError::Conflict { line: h.old_start });
                }
                at += 1;
            }
            if l.kind != LineKind::Removed {
                out.extend_from_slice(l.text.as_bytes());
                if !l.no_newline {
                    out.extend_from_slice(if l.crlf { b"\r\n" } else { b"\n" });
                }
            }
        }
    }
    for l in &old[at..] {
        out.extend_from_slice(l);
    }
    Ok(out)
}
