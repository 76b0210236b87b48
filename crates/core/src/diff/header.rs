//! A git file header: the `diff --git a/x b/y` line and the extended header lines after
//! it (modes, renames, copies, similarity, index, binary markers).

use super::{
    Binary, FileKind,
    path::{strip_prefix, token, unquote},
};

/// What a git header says about one file, before its hunks.
#[derive(Debug, Default)]
pub(crate) struct GitHeader {
    pub old: Option<Vec<u8>>,
    pub new: Option<Vec<u8>>,
    pub kind: Option<FileKind>,
    pub similarity: Option<u8>,
    pub old_mode: Option<String>,
    pub new_mode: Option<String>,
    pub binary: Option<Binary>,
    /// `---`/`+++` named `/dev/null` on that side.
    pub old_null: bool,
    pub new_null: bool,
}

/// Splits the rest of a `diff --git ` line into the two paths, without their prefixes.
/// Unquoted names may contain spaces, so `a/x y b/x y` is split where both halves name
/// the same file; the `---`/`+++` or rename lines, when present, override this guess.
pub(crate) fn git_line_paths(rest: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (a, b) = if rest.first() == Some(&b'"') {
        match unquote(rest) {
            Some((a, used)) => {
                let tail = rest.get(used + 1..).unwrap_or_default();
                (a, token(tail).0)
            }
            None => split_unquoted(rest),
        }
    } else if let Some(q) = find(rest, b" \"").filter(|&q| unquote(&rest[q + 1..]).is_some()) {
        (
            rest[..q].to_vec(),
            unquote(&rest[q + 1..]).map(|x| x.0).unwrap_or_default(),
        )
    } else {
        split_unquoted(rest)
    };
    (strip_prefix(a, b"a/"), strip_prefix(b, b"b/"))
}

fn split_unquoted(rest: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let n = rest.len();
    if n % 2 == 1 {
        let mid = n / 2;
        let (a, b) = (&rest[..mid], &rest[mid + 1..]);
        if rest[mid] == b' ' && a.get(2..) == b.get(2..) {
            return (a.to_vec(), b.to_vec());
        }
    }
    match rfind(rest, b" b/") {
        Some(i) => (rest[..i].to_vec(), rest[i + 1..].to_vec()),
        None => (rest.to_vec(), rest.to_vec()),
    }
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

fn rfind(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).rposition(|w| w == n)
}

fn mode(v: &[u8]) -> Option<String> {
    let v = std::str::from_utf8(v).ok()?.trim();
    (!v.is_empty() && v.len() <= 6 && v.bytes().all(|b| (b'0'..=b'7').contains(&b)))
        .then(|| v.to_owned())
}

impl GitHeader {
    /// Applies one extended header line; `false` if the line is not one.
    pub(crate) fn apply(&mut self, line: &[u8]) -> bool {
        let field = |p: &[u8]| line.strip_prefix(p);
        if let Some(v) = field(b"old mode ") {
            self.old_mode = mode(v);
        } else if let Some(v) = field(b"new mode ") {
            self.new_mode = mode(v);
        } else if let Some(v) = field(b"deleted file mode ") {
            self.kind = Some(FileKind::Deleted);
            self.old_mode = mode(v);
        } else if let Some(v) = field(b"new file mode ") {
            self.kind = Some(FileKind::Added);
            self.new_mode = mode(v);
        } else if let Some(v) = field(b"rename from ").or(field(b"rename old ")) {
            self.kind = Some(FileKind::Renamed);
            self.old = Some(token(v).0);
        } else if let Some(v) = field(b"rename to ").or(field(b"rename new ")) {
            self.kind = Some(FileKind::Renamed);
            self.new = Some(token(v).0);
        } else if let Some(v) = field(b"copy from ") {
            self.kind = Some(FileKind::Copied);
            self.old = Some(token(v).0);
        } else if let Some(v) = field(b"copy to ") {
            self.kind = Some(FileKind::Copied);
            self.new = Some(token(v).0);
        } else if let Some(v) = field(b"similarity index ").or(field(b"dissimilarity index ")) {
            self.similarity = std::str::from_utf8(v)
                .ok()
                .and_then(|s| s.trim().trim_end_matches('%').parse::<u8>().ok())
                .filter(|p| *p <= 100);
        } else if let Some(v) = field(b"index ") {
            // `index abc..def 100644`: the mode, when present, is the file's unchanged mode.
            if let Some(m) = v.split(|&b| b == b' ').nth(1).and_then(mode) {
                self.old_mode.get_or_insert(m.clone());
                self.new_mode.get_or_insert(m);
            }
        } else if line.starts_with(b"Binary files ") && line.ends_with(b" differ") {
            self.binary = Some(Binary::Differs);
        } else {
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquoted_names_with_spaces_split_in_the_middle() {
        let (a, b) = git_line_paths(b"a/new file with text b/new file with text");
        assert_eq!(
            (a.as_slice(), b.as_slice()),
            (&b"new file with text"[..], &b"new file with text"[..])
        );
    }

    #[test]
    fn quoted_second_name() {
        let (a, b) =
            git_line_paths(br#"a/existing file with spaces "b/new \"complicated\" filename""#);
        assert_eq!(a, b"existing file with spaces");
        assert_eq!(b, br#"new "complicated" filename"#);
    }

    #[test]
    fn quoted_first_name_plain_second() {
        let (a, b) =
            git_line_paths(br#""a/existing \"complicated\" filename" b/new, simpler filename"#);
        assert_eq!(a, br#"existing "complicated" filename"#);
        assert_eq!(b, b"new, simpler filename");
    }
}
