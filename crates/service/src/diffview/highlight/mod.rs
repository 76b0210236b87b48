//! Syntax highlighting of diff lines: tree-sitter where a grammar is compiled in (`tree`),
//! syntect for everything else (`syntect`). Both give the same thing: for each line, the
//! byte ranges to colour and their class in `countersign_core::diff::view::CLASSES`.

mod syntect;
mod tree;

use std::ops::Range;

/// One line's coloured ranges, in order, each with its class.
pub type Spans = Vec<(Range<usize>, u8)>;

/// Loads the grammars and syntaxes now rather than on the first page view.
pub fn warm_up() {
    tree::warm_up();
    syntect::warm_up();
}

/// Class spans for each line of one continuous run of a file's lines (one side of one
/// hunk). Plain text, and lines that cannot be highlighted, get no spans.
pub fn spans(path: &str, lines: &[&str]) -> Vec<Spans> {
    let spans = match tree::Lang::for_path(path) {
        Some(lang) => tree::spans(lang, lines),
        None => syntect::spans(path, lines),
    };
    spans.unwrap_or_else(|| vec![Spans::new(); lines.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text and class of each span of `line` (highlighted as a one-line hunk of `path`).
    fn classes(path: &str, line: &str) -> Vec<(String, u8)> {
        spans(path, &[line])[0]
            .iter()
            .map(|(r, c)| (line[r.clone()].to_owned(), *c))
            .collect()
    }

    /// Asserts that each `(text, class)` of `want` is one of `line`'s spans.
    fn assert_classes(path: &str, line: &str, want: &[(&str, u8)]) {
        let c = classes(path, line);
        for (text, class) in want {
            assert!(
                c.contains(&((*text).to_owned(), *class)),
                "{path}: {:?} in {c:?}",
                (text, class)
            );
        }
    }

    #[test]
    fn rust_keywords_strings_comments_numbers_functions_and_types() {
        assert_classes(
            "src/main.rs",
            "fn main() { let s: String = \"hi\".into(); let n = 42; } // done",
            &[
                ("fn", 1),
                ("let", 1),
                ("\"hi\"", 2),
                ("// done", 3),
                ("42", 4),
                ("main", 5),
                ("String", 6),
            ],
        );
    }

    #[test]
    fn spans_are_per_line_across_a_multi_line_comment() {
        let lines = ["/* one", "two */ fn f() {}"];
        let s = spans("a.rs", &lines);
        assert_eq!(s[0], vec![(0..6, 3)], "the whole first line is comment");
        assert_eq!(s[1][0], (0..6, 3), "the comment ends on the second line");
        assert!(
            s[1].contains(&(7..9, 1)),
            "then `fn` is a keyword: {:?}",
            s[1]
        );
    }

    #[test]
    fn a_hunk_that_starts_inside_a_block_is_still_highlighted() {
        let lines = ["        let total = items.len();", "    }", "}"];
        let s = spans("src/lib.rs", &lines);
        assert!(s[0].contains(&(8..11, 1)), "{:?}", s[0]);
    }

    #[test]
    fn tokens_inside_a_rust_macro_keep_their_classes() {
        assert_classes(
            "m.rs",
            "assert!(matches!(x, Some(1)), \"{}\", Vec::<u8>::new() as u32);",
            &[
                ("\"{}\"", 2),
                ("1", 4),
                ("Vec", 6),
                ("u8", 6),
                ("as", 1),
                ("Some", 6),
            ],
        );
    }

    #[test]
    fn every_grammar_highlights_its_language() {
        for (path, line, want) in [
            ("app.py", "def f(): return None  # x", ("def", 1)),
            ("main.go", "func main() { return }", ("func", 1)),
            ("web/app.js", "const x = 'a';", ("const", 1)),
            ("web/app.mjs", "// note", ("// note", 3)),
            ("web/app.ts", "let n: number = 1;", ("number", 6)),
            ("web/App.tsx", "const e = <div>{1}</div>;", ("const", 1)),
        ] {
            assert_classes(path, line, &[want]);
        }
    }

    #[test]
    fn other_languages_come_from_syntect_and_unknown_ones_are_plain() {
        let toml = classes("Cargo.toml", "name = \"x\"");
        assert!(
            toml.iter().any(|(t, c)| t.contains('x') && *c == 2),
            "{toml:?}"
        );
        assert_classes("Dockerfile", "FROM debian", &[("FROM", 1)]);
        assert_eq!(classes("notes.unknownext", "fn main() {}"), vec![]);
    }
}
