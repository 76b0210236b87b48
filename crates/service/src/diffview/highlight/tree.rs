//! Highlighting with tree-sitter for the languages agents write most (Rust, Python, Go,
//! JavaScript, TypeScript/TSX).
//!
//! Why not syntect for these too: syntect runs a grammar's regexes line by line, and on the
//! 10,000-line benchmark diff that was 91 % of the page's render time. Tree-sitter parses a
//! hunk side once, in linear time, and its highlight queries name the same kinds of tokens;
//! measured on the same lines it is about four times faster (docs/benchmarks.md).
//!
//! A hunk side is a fragment of a file, not a whole one. Tree-sitter recovers from the
//! syntax errors that cutting makes (a hunk that starts inside a block, say) and still
//! highlights the tokens it can place, much as syntect did from an empty state.

use std::{cell::RefCell, sync::OnceLock};

use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

use super::Spans;

/// Capture names the page colours, each with its class in `view::CLASSES`. A capture such
/// as `function.method` takes the class of its longest listed prefix (`function`); one
/// with no listed prefix (`variable`, `operator`, `constant` for SCREAMING_CASE names) is
/// left plain, as syntect's mapping leaves those scopes plain.
const NAMES: [(&str, u8); 8] = [
    ("keyword", 1),
    ("string", 2),
    ("comment", 3),
    ("number", 4),
    ("constant.builtin", 4),
    ("function", 5),
    ("type", 6),
    ("constructor", 6),
];

/// The languages with a grammar here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    Rust,
    Python,
    Go,
    JavaScript,
    TypeScript,
    Tsx,
}

impl Lang {
    /// By extension; `None` leaves the file to syntect.
    pub(super) fn for_path(path: &str) -> Option<Lang> {
        let name = path.rsplit('/').next().unwrap_or(path);
        Some(match name.rsplit_once('.')?.1 {
            "rs" => Lang::Rust,
            "py" | "pyi" => Lang::Python,
            "go" => Lang::Go,
            "js" | "mjs" | "cjs" | "jsx" => Lang::JavaScript,
            "ts" | "mts" | "cts" => Lang::TypeScript,
            "tsx" => Lang::Tsx,
            _ => return None,
        })
    }
}

/// One configuration per language, in the order of `Lang`'s variants (`get` indexes by it).
struct Configs([HighlightConfiguration; 6]);

fn configs() -> &'static Configs {
    static CONFIGS: OnceLock<Configs> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        use tree_sitter_typescript as ts;
        // TypeScript's queries add to JavaScript's; listed first so that their more
        // specific captures (type names) win over JavaScript's general ones.
        let ts_queries = format!(
            "{}\n{}",
            ts::HIGHLIGHTS_QUERY,
            tree_sitter_javascript::HIGHLIGHT_QUERY
        );
        let tsx_queries = format!(
            "{ts_queries}\n{}",
            tree_sitter_javascript::JSX_HIGHLIGHT_QUERY
        );
        let jsx_queries = format!(
            "{}\n{}",
            tree_sitter_javascript::HIGHLIGHT_QUERY,
            tree_sitter_javascript::JSX_HIGHLIGHT_QUERY
        );
        let make = |lang: tree_sitter_language::LanguageFn, name: &str, hl: &str| {
            let mut c = HighlightConfiguration::new(lang.into(), name, hl, "", "")
                .expect("the grammar crate's own queries compile");
            c.configure(&NAMES.map(|(n, _)| n));
            c
        };
        Configs([
            make(
                tree_sitter_rust::LANGUAGE,
                "rust",
                tree_sitter_rust::HIGHLIGHTS_QUERY,
            ),
            make(
                tree_sitter_python::LANGUAGE,
                "python",
                tree_sitter_python::HIGHLIGHTS_QUERY,
            ),
            make(
                tree_sitter_go::LANGUAGE,
                "go",
                tree_sitter_go::HIGHLIGHTS_QUERY,
            ),
            make(tree_sitter_javascript::LANGUAGE, "javascript", &jsx_queries),
            make(ts::LANGUAGE_TYPESCRIPT, "typescript", &ts_queries),
            make(ts::LANGUAGE_TSX, "tsx", &tsx_queries),
        ])
    })
}

impl Configs {
    fn get(&self, lang: Lang) -> &HighlightConfiguration {
        &self.0[lang as usize]
    }
}

/// Compiles every grammar's queries now rather than on the first page view.
pub(super) fn warm_up() {
    let _ = configs();
}

thread_local! {
    /// A highlighter per rendering thread: it keeps its parser and query cursors.
    static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::new());
}

/// Class spans for each line of one continuous run of a file's lines (one side of one
/// hunk); `None` if tree-sitter gave up (the caller then shows the lines plain).
pub(super) fn spans(lang: Lang, lines: &[&str]) -> Option<Vec<Spans>> {
    let mut src = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    let mut starts = Vec::with_capacity(lines.len());
    for l in lines {
        starts.push(src.len());
        src.push_str(l);
        src.push('\n');
    }
    let cfgs = configs();
    let config = cfgs.get(lang);
    HIGHLIGHTER.with_borrow_mut(|hl| {
        // No injections: re-parsing each Rust macro body as Rust cost a third of the time
        // (measured). Without it, the tokens inside a macro keep their classes (keywords,
        // literals, capitalised names as types); only calls inside one are not marked.
        let events = hl.highlight(config, src.as_bytes(), None, |_| None).ok()?;
        let mut out = vec![Spans::new(); lines.len()];
        let mut stack: Vec<u8> = Vec::new();
        let mut line = 0;
        for event in events {
            match event.ok()? {
                HighlightEvent::HighlightStart(h) => stack.push(NAMES[h.0].1),
                HighlightEvent::HighlightEnd => {
                    stack.pop();
                }
                HighlightEvent::Source { start, end } => {
                    let Some(&class) = stack.last() else {
                        continue;
                    };
                    // Split the range at line ends; each line's span is relative to it.
                    while line + 1 < starts.len() && starts[line + 1] <= start {
                        line += 1;
                    }
                    let mut at = line;
                    while at < lines.len() && starts[at] < end {
                        let (from, to) =
                            (start.max(starts[at]), end.min(starts[at] + lines[at].len()));
                        if to > from {
                            push(&mut out[at], from - starts[at]..to - starts[at], class);
                        }
                        at += 1;
                    }
                }
            }
        }
        Some(out)
    })
}

/// Appends a span, joined to the previous one when they touch and share a class.
fn push(spans: &mut Spans, range: std::ops::Range<usize>, class: u8) {
    if let Some((last, c)) = spans.last_mut()
        && *c == class
        && last.end == range.start
    {
        last.end = range.end;
        return;
    }
    spans.push((range, class));
}
