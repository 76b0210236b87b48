//! The input as lines: split on `\n` only, so a bare CR stays inside its line.

/// The lines of the input, split on `\n` only (a bare CR stays inside its line).
pub(crate) struct Lines<'a> {
    lines: Vec<&'a [u8]>,
    pub at: usize,
}

impl<'a> Lines<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        let mut lines: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
        if input.ends_with(b"\n") {
            lines.pop();
        }
        Lines { lines, at: 0 }
    }
    pub fn peek(&self) -> Option<&'a [u8]> {
        self.lines.get(self.at).copied()
    }
    pub fn peek_at(&self, ahead: usize) -> Option<&'a [u8]> {
        self.lines.get(self.at + ahead).copied()
    }
    /// The line number (1-based) of the next line.
    pub fn number(&self) -> usize {
        self.at + 1
    }
}

/// A header line without its line ending.
pub(crate) fn bare(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}
