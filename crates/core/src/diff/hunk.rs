//! One hunk: its header (`@@ -a,b +c,d @@ section`), read as hostile input, and its lines,
//! read until the header's counts are used up.

use super::{
    DiffError, Hunk, Line, LineKind,
    lines::{Lines, bare},
    path::text,
};

/// The largest line number or count accepted (git's own limit is far below this); larger
/// values are rejected rather than wrapped.
const MAX: u64 = u32::MAX as u64;

fn number(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 10 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s)
        .ok()?
        .parse()
        .ok()
        .filter(|n| *n <= MAX)
}

/// `12,3` or `12` (count 1).
fn range(s: &[u8]) -> Option<(u64, u64)> {
    match s.iter().position(|&b| b == b',') {
        Some(i) => Some((number(&s[..i])?, number(&s[i + 1..])?)),
        None => Some((number(s)?, 1)),
    }
}

/// Parses `@@ -a,b +c,d @@ section`.
pub(crate) fn header(line: &[u8]) -> Option<(u64, u64, u64, u64, String)> {
    let rest = line.strip_prefix(b"@@ -")?;
    let sp = rest.iter().position(|&b| b == b' ')?;
    let (old_start, old_lines) = range(&rest[..sp])?;
    let rest = rest[sp + 1..].strip_prefix(b"+")?;
    let end = rest.windows(3).position(|w| w == b" @@")?;
    let (new_start, new_lines) = range(&rest[..end])?;
    let section = rest[end + 3..]
        .strip_prefix(b" ")
        .unwrap_or(&rest[end + 3..]);
    Some((old_start, old_lines, new_start, new_lines, text(section).0))
}

/// Reads the hunk at the cursor. `lossy` is set when a line is not UTF-8.
pub(crate) fn read(lines: &mut Lines, lossy: &mut bool) -> Result<Hunk, DiffError> {
    let at = lines.number();
    let raw = bare(lines.peek().unwrap_or_default());
    let (old_start, old_lines, new_start, new_lines, section) =
        header(raw).ok_or_else(|| DiffError::BadHunkHeader {
            line: at,
            header: text(&raw[..raw.len().min(80)]).0,
        })?;
    lines.at += 1;
    let (mut old_left, mut new_left) = (old_lines, new_lines);
    let (mut old_no, mut new_no) = (old_start, new_start);
    let mut out: Vec<Line> = Vec::new();
    loop {
        let next = lines.peek();
        // A no-newline marker belongs to the line before it, even after the counts end.
        if let Some(m) = next.filter(|l| l.starts_with(b"\\")) {
            if let Some(last) = out.last_mut() {
                last.no_newline = true;
            }
            let _ = m;
            lines.at += 1;
            continue;
        }
        if old_left == 0 && new_left == 0 {
            break;
        }
        let truncated = DiffError::TruncatedHunk {
            line: lines.number(),
            old: old_left,
            new: new_left,
        };
        let Some(raw) = next else {
            return Err(truncated);
        };
        let (kind, body) = match raw.first() {
            Some(b' ') => (LineKind::Context, &raw[1..]),
            // Some tools strip the space from an empty context line.
            None => (LineKind::Context, raw),
            Some(b'\r') if raw.len() == 1 => (LineKind::Context, &raw[..0]),
            Some(b'-') => (LineKind::Removed, &raw[1..]),
            Some(b'+') => (LineKind::Added, &raw[1..]),
            _ => return Err(truncated),
        };
        let fits = match kind {
            LineKind::Context => old_left > 0 && new_left > 0,
            LineKind::Removed => old_left > 0,
            LineKind::Added => new_left > 0,
        };
        if !fits {
            return Err(truncated);
        }
        let crlf = body.ends_with(b"\r");
        let (t, l) = text(if crlf { &body[..body.len() - 1] } else { body });
        *lossy |= l;
        let line = match kind {
            LineKind::Context => {
                old_left -= 1;
                new_left -= 1;
                old_no += 1;
                new_no += 1;
                (Some(old_no - 1), Some(new_no - 1))
            }
            LineKind::Removed => {
                old_left -= 1;
                old_no += 1;
                (Some(old_no - 1), None)
            }
            LineKind::Added => {
                new_left -= 1;
                new_no += 1;
                (None, Some(new_no - 1))
            }
        };
        out.push(Line {
            kind,
            old_no: line.0,
            new_no: line.1,
            text: t,
            crlf,
            no_newline: false,
        });
        lines.at += 1;
    }
    Ok(Hunk {
        old_start,
        old_lines,
        new_start,
        new_lines,
        section,
        lines: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunk_headers() {
        assert_eq!(
            header(b"@@ -1 +1 @@").map(|h| (h.0, h.1, h.2, h.3)),
            Some((1, 1, 1, 1))
        );
        assert_eq!(
            header(b"@@ -0,0 +1,3 @@ fn main() {").map(|h| h.4),
            Some("fn main() {".to_owned())
        );
        assert_eq!(header(b"@@ -99999999999999999999,1 +1 @@"), None);
        assert_eq!(header(b"@@ -4294967296 +1 @@"), None);
        assert_eq!(header(b"@@ -1,-1 +1 @@"), None);
        assert_eq!(header(b"@@ -1 +1"), None);
    }
}
