//! Which words changed inside a changed line, so the page can mark them.
//!
//! Removed and added lines are paired in order within each run (`-a -b +c +d` pairs a–c
//! and b–d, as git's and GitHub's word highlighting do), each pair is split into tokens
//! (runs of word characters, runs of spaces, single other characters) and diffed with
//! `similar`'s Myers. Pairs that share too little are left unmarked: when most of a line
//! changed, marking every word only adds noise.

use std::ops::Range;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::{Hunk, LineKind};

/// Byte ranges within one line.
pub type Ranges = Vec<Range<usize>>;

/// Lines longer than this are not word-diffed (the cost is quadratic in the worst case).
const MAX_LEN: usize = 2_000;

fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            0
        } else if c.is_whitespace() {
            1
        } else {
            2
        }
    };
    let mut prev: Option<u8> = None;
    for (i, c) in s.char_indices() {
        let k = class(c);
        if i > start && (prev != Some(k) || k == 2) {
            out.push(&s[start..i]);
            start = i;
        }
        prev = Some(k);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// The changed byte ranges of `old` and `new`, or `None` when the pair should not be
/// marked (too long, or nothing in common but spaces).
pub fn changed_ranges(old: &str, new: &str) -> Option<(Ranges, Ranges)> {
    if old.len() > MAX_LEN || new.len() > MAX_LEN || old == new {
        return None;
    }
    let (a, b) = (tokens(old), tokens(new));
    let offsets = |t: &[&str]| {
        let mut o = Vec::with_capacity(t.len() + 1);
        let mut at = 0;
        o.push(0);
        for x in t {
            at += x.len();
            o.push(at);
        }
        o
    };
    let (oa, ob) = (offsets(&a), offsets(&b));
    let (mut ra, mut rb, mut shared) = (Vec::new(), Vec::new(), 0usize);
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                shared += a[old_index..old_index + len]
                    .iter()
                    .filter(|t| !t.trim().is_empty())
                    .count()
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => ra.push(oa[old_index]..oa[old_index + old_len]),
            DiffOp::Insert {
                new_index, new_len, ..
            } => rb.push(ob[new_index]..ob[new_index + new_len]),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                ra.push(oa[old_index]..oa[old_index + old_len]);
                rb.push(ob[new_index]..ob[new_index + new_len]);
            }
        }
    }
    // Re-indentation alone is not worth marking: it shows as a changed line already.
    let visible = |s: &str, r: &Vec<Range<usize>>| {
        r.iter()
            .filter(|r| !s[(*r).clone()].trim().is_empty())
            .cloned()
            .collect::<Ranges>()
    };
    (shared > 0).then(|| (visible(old, &ra), visible(new, &rb)))
}

/// For each line of the hunk, the changed byte ranges to mark (empty when none).
pub fn hunk_changes(h: &Hunk) -> Vec<Vec<Range<usize>>> {
    let mut out = vec![Vec::new(); h.lines.len()];
    let mut i = 0;
    while i < h.lines.len() {
        let del_start = i;
        while i < h.lines.len() && h.lines[i].kind == LineKind::Removed {
            i += 1;
        }
        let add_start = i;
        while i < h.lines.len() && h.lines[i].kind == LineKind::Added {
            i += 1;
        }
        let (dels, adds) = (add_start - del_start, i - add_start);
        for k in 0..dels.min(adds) {
            let (o, n) = (del_start + k, add_start + k);
            if let Some((a, b)) = changed_ranges(&h.lines[o].text, &h.lines[n].text) {
                out[o] = a;
                out[n] = b;
            }
        }
        if dels == 0 && adds == 0 {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_only_the_changed_word() {
        let old = "let total = price * count;";
        let new = "let total = price * quantity;";
        let (a, b) = changed_ranges(old, new).unwrap();
        assert_eq!(
            a.iter().map(|r| &old[r.clone()]).collect::<Vec<_>>(),
            ["count"]
        );
        assert_eq!(
            b.iter().map(|r| &new[r.clone()]).collect::<Vec<_>>(),
            ["quantity"]
        );
    }

    #[test]
    fn unrelated_lines_are_not_marked() {
        assert_eq!(changed_ranges("fn main() {}", "SELECT * FROM users"), None);
    }

    #[test]
    fn multibyte_text_keeps_char_boundaries() {
        let (a, b) = changed_ranges("café crème brûlée", "café crème glacée").unwrap();
        assert_eq!(&"café crème brûlée"[a[0].clone()], "brûlée");
        assert_eq!(&"café crème glacée"[b[0].clone()], "glacée");
    }
}
