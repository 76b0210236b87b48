//! A plain split of a unified or git diff into files, for the change page.
//!
//! Deliberately small: it finds file boundaries and counts added and removed lines. The
//! rich diff reader (renames, binary patches, hostile hunk headers) replaces it in the
//! review-page issue. It never panics and never drops a line: text before the first file
//! header is kept as a preamble file.

use serde::{Deserialize, Serialize};

/// One file's part of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDiff {
    /// The path as shown to a person (new path, or old path for a deletion).
    pub path: String,
    pub added: u32,
    pub removed: u32,
    /// The file's lines, headers included, exactly as submitted.
    pub lines: Vec<String>,
}

fn path_from_git_header(line: &str) -> String {
    // `diff --git a/x b/x`: take the b-side when it is unambiguous, else the whole rest.
    let rest = line.trim_start_matches("diff --git ");
    match rest.rfind(" b/") {
        Some(i) => rest[i + 3..].to_owned(),
        None => rest.to_owned(),
    }
}

fn path_from_marker(line: &str) -> Option<String> {
    let p = line.get(4..)?.split('\t').next()?.trim();
    if p == "/dev/null" {
        return None;
    }
    Some(
        p.strip_prefix("b/")
            .or_else(|| p.strip_prefix("a/"))
            .unwrap_or(p)
            .to_owned(),
    )
}

/// Splits `diff` into files.
pub fn split_files(diff: &str) -> Vec<FileDiff> {
    let mut files: Vec<FileDiff> = Vec::new();
    let mut in_git_header = false;
    let lines: Vec<&str> = diff.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end_matches(['\n', '\r']);
        let starts_plain = line.starts_with("--- ")
            && !in_git_header
            && lines.get(i + 1).is_some_and(|n| n.starts_with("+++ "));
        if line.starts_with("diff --git ") || starts_plain {
            let path = if starts_plain {
                let next = lines[i + 1].trim_end_matches(['\n', '\r']);
                path_from_marker(next)
                    .or_else(|| path_from_marker(line))
                    .unwrap_or_default()
            } else {
                path_from_git_header(line)
            };
            files.push(FileDiff {
                path,
                added: 0,
                removed: 0,
                lines: Vec::new(),
            });
            in_git_header = line.starts_with("diff --git ");
        } else if line.starts_with("@@") {
            in_git_header = false;
        }
        if files.is_empty() {
            files.push(FileDiff {
                path: String::new(),
                added: 0,
                removed: 0,
                lines: Vec::new(),
            });
        }
        let file = files.last_mut().expect("a file was pushed above");
        if !in_git_header && !line.starts_with("+++ ") && !line.starts_with("--- ") {
            if line.starts_with('+') {
                file.added += 1;
            } else if line.starts_with('-') {
                file.removed += 1;
            }
        }
        file.lines.push(line.to_owned());
        i += 1;
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_diff_with_two_files_is_split_and_counted() {
        let d = "diff --git a/src/a.rs b/src/a.rs\nindex 1..2 100644\n--- a/src/a.rs\n+++ b/src/a.rs\n@@ -1,2 +1,2 @@\n-old\n+new\n+more\n ctx\ndiff --git a/b.txt b/b.txt\ndeleted file mode 100644\n--- a/b.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n";
        let files = split_files(d);
        assert_eq!(files.len(), 2);
        assert_eq!(
            (files[0].path.as_str(), files[0].added, files[0].removed),
            ("src/a.rs", 2, 1)
        );
        assert_eq!(
            (files[1].path.as_str(), files[1].added, files[1].removed),
            ("b.txt", 0, 1)
        );
        let total: usize = files.iter().map(|f| f.lines.len()).sum();
        assert_eq!(total, d.lines().count(), "no line is dropped");
    }

    #[test]
    fn plain_unified_diff_uses_the_new_path() {
        let d = "--- old/x.c\t2020-01-01\n+++ new/x.c\t2020-01-02\n@@ -1 +1 @@\n-a\n+b\n";
        let files = split_files(d);
        assert_eq!(files[0].path, "new/x.c");
        assert_eq!((files[0].added, files[0].removed), (1, 1));
    }
}
