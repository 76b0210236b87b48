//! The reader: a single pass over the lines of a diff, driven by what each line starts
//! with and by the line counts in each hunk header (which is what tells a removed line
//! `--- x` apart from a file header).

use super::{
    Binary, BinaryBlock, DiffError, FileKind, FilePatch, LineKind, Patch,
    header::{GitHeader, git_line_paths},
    hunk,
    lines::{Lines, bare},
    path::{marker_path, strip_prefix, text},
};

/// Parses a unified or git diff (or a `git format-patch` mail series).
pub fn parse(input: &[u8]) -> Result<Patch, DiffError> {
    let mut lines = Lines::new(input);
    let mut patch = Patch::default();
    let mut notes: Vec<String> = Vec::new();
    while let Some(raw) = lines.peek() {
        let line = bare(raw);
        if line.starts_with(b"diff --cc ")
            || line.starts_with(b"diff --combined ")
            || line.starts_with(b"@@@ ")
        {
            return Err(DiffError::Combined {
                line: lines.number(),
            });
        }
        let file = if let Some(rest) = line.strip_prefix(b"diff --git ") {
            lines.at += 1;
            Some(git_file(&mut lines, rest)?)
        } else if line.starts_with(b"--- ")
            && lines.peek_at(1).is_some_and(|l| l.starts_with(b"+++ "))
            && lines.peek_at(2).is_some_and(|l| l.starts_with(b"@@ "))
        {
            Some(plain_file(&mut lines)?)
        } else if line.starts_with(b"@@ ") {
            Some(file_from(GitHeader::default(), &mut lines, true)?)
        } else {
            lines.at += 1;
            notes.push(text(line).0);
            None
        };
        if let Some(mut f) = file {
            f.notes = std::mem::take(&mut notes);
            patch.files.push(f);
        }
    }
    patch.trailing = notes;
    if patch.files.is_empty() {
        return Err(DiffError::Empty);
    }
    Ok(patch)
}

fn git_file(lines: &mut Lines, rest: &[u8]) -> Result<FilePatch, DiffError> {
    let (a, b) = git_line_paths(rest);
    let mut h = GitHeader::default();
    while let Some(raw) = lines.peek() {
        let line = bare(raw);
        if h.apply(line) {
            lines.at += 1;
        } else if line == b"GIT binary patch" {
            lines.at += 1;
            h.binary = Some(binary_patch(lines));
        } else if let Some(v) = line.strip_prefix(b"--- ") {
            if !lines.peek_at(1).is_some_and(|l| l.starts_with(b"+++ ")) {
                break;
            }
            let new = bare(lines.peek_at(1).unwrap_or_default());
            let (old, new) = (marker_path(v), marker_path(&new[4..]));
            h.old_null = old.is_none();
            h.new_null = new.is_none();
            h.old = h.old.take().or(old.map(|p| strip_prefix(p, b"a/")));
            h.new = h.new.take().or(new.map(|p| strip_prefix(p, b"b/")));
            lines.at += 2;
            break;
        } else {
            break;
        }
    }
    if h.old.is_none() && !h.old_null {
        h.old = Some(a);
    }
    if h.new.is_none() && !h.new_null {
        h.new = Some(b);
    }
    file_from(h, lines, false)
}

fn plain_file(lines: &mut Lines) -> Result<FilePatch, DiffError> {
    let old = marker_path(&bare(lines.peek().unwrap_or_default())[4..]);
    let new = marker_path(&bare(lines.peek_at(1).unwrap_or_default())[4..]);
    lines.at += 2;
    // Strip `a/` and `b/` only when both sides (or the one that exists) carry them.
    let prefixed = old.as_ref().is_none_or(|p| p.starts_with(b"a/"))
        && new.as_ref().is_none_or(|p| p.starts_with(b"b/"));
    let strip =
        |p: Option<Vec<u8>>, pre: &[u8]| p.map(|p| if prefixed { strip_prefix(p, pre) } else { p });
    let h = GitHeader {
        old_null: old.is_none(),
        new_null: new.is_none(),
        old: strip(old, b"a/"),
        new: strip(new, b"b/"),
        ..GitHeader::default()
    };
    file_from(h, lines, true)
}

/// `literal N` / `delta N` blocks of base85 lines, each block ended by an empty line.
fn binary_patch(lines: &mut Lines) -> Binary {
    let mut blocks: Vec<BinaryBlock> = Vec::new();
    while let Some(line) = lines.peek().map(bare) {
        let block = [&b"literal "[..], b"delta "].iter().find_map(|m| {
            let size = std::str::from_utf8(line.strip_prefix(*m)?)
                .ok()?
                .trim()
                .parse()
                .ok()?;
            let method = String::from_utf8_lossy(&m[..m.len() - 1]).into_owned();
            Some(BinaryBlock {
                method,
                size,
                data: Vec::new(),
            })
        });
        let Some(mut block) = block else { break };
        lines.at += 1;
        while let Some(data) = lines.peek().map(bare) {
            lines.at += 1;
            if data.is_empty() {
                break;
            }
            block.data.push(String::from_utf8_lossy(data).into_owned());
        }
        blocks.push(block);
    }
    let mut it = blocks.into_iter();
    match it.next() {
        Some(forward) => Binary::Patch {
            forward,
            reverse: it.next(),
        },
        None => Binary::Differs,
    }
}

/// Builds the file from its header and reads its hunks. With `needs_hunk`, a file that
/// has none is malformed (a plain diff is nothing but its hunks).
fn file_from(h: GitHeader, lines: &mut Lines, needs_hunk: bool) -> Result<FilePatch, DiffError> {
    let h_plain = needs_hunk;
    let mut lossy = false;
    let mut path = |p: Option<Vec<u8>>| {
        p.map(|p| {
            let (s, l) = text(&p);
            lossy |= l;
            s
        })
    };
    let (old_path, new_path) = (path(h.old), path(h.new));
    let kind = h.kind.unwrap_or(match (&old_path, &new_path) {
        (None, Some(_)) => FileKind::Added,
        (Some(_), None) => FileKind::Deleted,
        _ => FileKind::Modified,
    });
    let mut f = FilePatch {
        old_path: if kind == FileKind::Added {
            None
        } else {
            old_path
        },
        new_path: if kind == FileKind::Deleted {
            None
        } else {
            new_path
        },
        kind,
        similarity: h.similarity,
        old_mode: h.old_mode,
        new_mode: h.new_mode,
        binary: h.binary,
        hunks: Vec::new(),
        notes: Vec::new(),
        lossy,
        added: 0,
        removed: 0,
    };
    while lines.peek().is_some_and(|l| l.starts_with(b"@@ ")) {
        let hunk = hunk::read(lines, &mut f.lossy)?;
        for l in &hunk.lines {
            match l.kind {
                LineKind::Added => f.added = f.added.saturating_add(1),
                LineKind::Removed => f.removed = f.removed.saturating_add(1),
                LineKind::Context => {}
            }
        }
        f.hunks.push(hunk);
    }
    // Without git's headers (SVN, `diff -N`), a file whose one hunk starts at line 0 on a
    // side did not exist on that side.
    if h_plain
        && f.kind == FileKind::Modified
        && let [only] = f.hunks.as_slice()
    {
        if only.old_start == 0 && only.old_lines == 0 {
            f.kind = FileKind::Added;
            f.old_path = None;
        } else if only.new_start == 0 && only.new_lines == 0 {
            f.kind = FileKind::Deleted;
            f.new_path = None;
        }
    }
    if needs_hunk && f.hunks.is_empty() {
        return Err(DiffError::BadHunkHeader {
            line: lines.number(),
            header: String::new(),
        });
    }
    Ok(f)
}
