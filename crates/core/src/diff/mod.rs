//! Reading unified and git diffs, as pure code shared by the server, the browser and the
//! CLI.
//!
//! A reviewer must see exactly what a change does, so the reader is strict where a wrong
//! guess would mislead (a combined merge diff, a hunk whose line counts do not add up, a
//! hunk header whose numbers overflow: each is an error naming the line) and lenient where
//! nothing can be misread (text before, between and after file diffs is kept as notes;
//! bytes that are not UTF-8 are shown replaced and flagged). It reads bytes, never
//! splits a line on a bare CR, and never panics (property tests and a fuzz target).
//!
//! No maintained crate covers git's extended headers, binary patches, quoted paths and
//! SVN / Mercurial headers together (`diffy` and `patch` read plain unified hunks only,
//! `git2` is C and cannot run in the browser), so this one is written here.

pub mod apply;
pub mod binary;
mod header;
mod hunk;
mod lines;
mod parse;
mod path;
pub mod view;
pub mod words;

use serde::{Deserialize, Serialize};

pub use parse::parse;

/// Why a diff cannot be read. The line number is 1-based in the submitted text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DiffError {
    #[error(
        "line {line}: combined diffs of merges (`diff --cc`, `diff --combined`) are not supported; submit the diff against one parent (`git diff <parent> <merge>`)"
    )]
    Combined { line: usize },
    #[error("line {line}: malformed hunk header `{header}`")]
    BadHunkHeader { line: usize, header: String },
    #[error(
        "line {line}: the hunk ends early: its header promised {old} old and {new} new lines more than it has"
    )]
    TruncatedHunk { line: usize, old: u64, new: u64 },
    #[error("the diff contains no file changes")]
    Empty,
}

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Modified,
    Added,
    Deleted,
    Renamed,
    Copied,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Modified => "modified",
            FileKind::Added => "added",
            FileKind::Deleted => "deleted",
            FileKind::Renamed => "renamed",
            FileKind::Copied => "copied",
        }
    }
}

/// A binary change: git says only that it differs, or carries a binary patch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Binary {
    /// `Binary files a/x and b/x differ`: no content in the diff.
    Differs,
    /// `GIT binary patch`: the forward block (old → new) and, usually, the reverse one.
    Patch {
        forward: BinaryBlock,
        reverse: Option<BinaryBlock>,
    },
}

/// One `literal N` or `delta N` block of a binary patch: its method, the size it declares
/// for its result, and its base85 lines (decoded by `binary::apply`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BinaryBlock {
    pub method: String,
    pub size: u64,
    pub data: Vec<String>,
}

/// One file's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilePatch {
    /// The old path; `None` for a new file.
    pub old_path: Option<String>,
    /// The new path; `None` for a deleted file.
    pub new_path: Option<String>,
    pub kind: FileKind,
    /// `similarity index` of a rename or copy, in percent.
    pub similarity: Option<u8>,
    pub old_mode: Option<String>,
    pub new_mode: Option<String>,
    pub binary: Option<Binary>,
    pub hunks: Vec<Hunk>,
    /// Text before this file's header that belongs to no file (a commit message, a
    /// diffstat, an `Index:` line), kept so nothing submitted is hidden.
    pub notes: Vec<String>,
    /// A path or line held bytes that are not UTF-8; they are shown as U+FFFD.
    pub lossy: bool,
    pub added: u32,
    pub removed: u32,
}

impl FilePatch {
    /// The path a person knows the file by: the new one, or the old one if it was deleted.
    pub fn path(&self) -> &str {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or("")
    }

    /// Whether this file is a symbolic link (mode 120000 on either side).
    pub fn is_symlink(&self) -> bool {
        [&self.old_mode, &self.new_mode]
            .iter()
            .any(|m| m.as_deref() == Some("120000"))
    }

    /// Number of diff lines in the file's hunks.
    pub fn line_count(&self) -> usize {
        self.hunks.iter().map(|h| h.lines.len()).sum()
    }
}

/// One `@@ -a,b +c,d @@ section` hunk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hunk {
    pub old_start: u64,
    pub old_lines: u64,
    pub new_start: u64,
    pub new_lines: u64,
    /// The text after the closing `@@` (often the enclosing function).
    pub section: String,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineKind {
    Context,
    Added,
    Removed,
}

/// One line of a hunk, without its prefix and line ending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub kind: LineKind,
    pub old_no: Option<u64>,
    pub new_no: Option<u64>,
    pub text: String,
    /// The line ended in CRLF; the CR is not part of `text`.
    pub crlf: bool,
    /// `\ No newline at end of file` followed this line.
    pub no_newline: bool,
}

/// A whole diff: its files, and any text after the last one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Patch {
    pub files: Vec<FilePatch>,
    pub trailing: Vec<String>,
}

impl Patch {
    pub fn added(&self) -> u64 {
        self.files.iter().map(|f| u64::from(f.added)).sum()
    }
    pub fn removed(&self) -> u64 {
        self.files.iter().map(|f| u64::from(f.removed)).sum()
    }
}
