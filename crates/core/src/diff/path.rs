//! File names in diff headers: git's C-style quoting (`"a/na\303\257ve"`), the `a/` and
//! `b/` prefixes, and the tab-separated timestamps of `diff -u`, SVN and Mercurial.

/// Reads one path token at the start of `s`: a C-quoted string, or everything up to the
/// first tab (git puts a trailing tab after names with spaces; other tools a timestamp).
/// Returns the raw bytes and the rest of `s` after the token.
pub(crate) fn token(s: &[u8]) -> (Vec<u8>, &[u8]) {
    if s.first() == Some(&b'"')
        && let Some((bytes, used)) = unquote(s)
    {
        return (bytes, &s[used..]);
    }
    let end = s.iter().position(|&b| b == b'\t').unwrap_or(s.len());
    (s[..end].to_vec(), &s[end..])
}

/// Decodes a C-quoted string starting at `s[0] == b'"'`; returns the bytes and how many
/// input bytes it used, or `None` if the closing quote is missing.
pub(crate) fn unquote(s: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut i = 1;
    while i < s.len() {
        match s[i] {
            b'"' => return Some((out, i + 1)),
            b'\\' => {
                let c = *s.get(i + 1)?;
                i += 2;
                match c {
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b't' => out.push(b'\t'),
                    b'n' => out.push(b'\n'),
                    b'v' => out.push(11),
                    b'f' => out.push(12),
                    b'r' => out.push(b'\r'),
                    b'0'..=b'7' => {
                        let mut v: u32 = u32::from(c - b'0');
                        for _ in 0..2 {
                            match s.get(i) {
                                Some(d @ b'0'..=b'7') => {
                                    v = v * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push((v & 0xff) as u8);
                    }
                    other => out.push(other),
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    None
}

/// A path as read from a `---`/`+++` line: `None` for `/dev/null`.
pub(crate) fn marker_path(rest: &[u8]) -> Option<Vec<u8>> {
    let (p, _) = token(rest);
    let p = trim_end(&p).to_vec();
    (p != b"/dev/null").then_some(p)
}

fn trim_end(p: &[u8]) -> &[u8] {
    let end = p
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &p[..end]
}

/// Removes git's `a/` or `b/` prefix when present.
pub(crate) fn strip_prefix(p: Vec<u8>, prefix: &[u8]) -> Vec<u8> {
    match p.strip_prefix(prefix) {
        Some(rest) if !rest.is_empty() => rest.to_vec(),
        _ => p,
    }
}

/// Bytes as text; the flag says whether anything had to be replaced.
pub(crate) fn text(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), false),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_escapes_decode_to_utf8_bytes() {
        let (b, used) = unquote(br#""a/na\303\257ve file.txt"	"#).unwrap();
        assert_eq!(String::from_utf8(b).unwrap(), "a/naïve file.txt");
        assert_eq!(used, 25);
    }

    #[test]
    fn escaped_quote_and_backslash() {
        let (b, _) = unquote(br#""a/quote\"and\\ttab.txt""#).unwrap();
        assert_eq!(b, br#"a/quote"and\ttab.txt"#);
    }

    #[test]
    fn unterminated_quote_is_not_a_quoted_token() {
        assert_eq!(unquote(br#""a/b\"#), None);
        assert_eq!(token(b"\"a b\tx").0, b"\"a b");
    }

    #[test]
    fn timestamps_and_dev_null() {
        assert_eq!(marker_path(b"/dev/null\tThu Jan 01"), None);
        assert_eq!(
            marker_path(b"modified_file\t(revision 191)").unwrap(),
            b"modified_file"
        );
    }
}
