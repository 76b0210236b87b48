//! Highlighting with syntect and the syntaxes `bat` ships (via `two-face`: TOML,
//! Dockerfile, YAML, shell … beyond syntect's defaults), for every language that has no
//! tree-sitter grammar here (`tree.rs`).
//!
//! The page needs only a handful of classes, not a colour theme, so the scopes are mapped
//! to the classes of `view::CLASSES` through a theme whose "colours" are class numbers:
//! syntect's highlighter then does the selector matching (and its caching) for us.

use std::{str::FromStr, sync::OnceLock};

use syntect::{
    highlighting::{
        Color, HighlightIterator, HighlightState, Highlighter, ScopeSelectors, StyleModifier,
        Theme, ThemeItem,
    },
    parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet},
};

use super::Spans;

/// Lines longer than this are not highlighted (minified code makes regexes crawl).
const MAX_LINE: usize = 4_000;

struct Engine {
    syntaxes: SyntaxSet,
    theme: Theme,
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        // Class numbers index `countersign_core::diff::view::CLASSES`.
        let rules: [(&str, u8); 6] = [
            ("keyword, storage, keyword.operator.word", 1),
            ("string, constant.character", 2),
            ("comment, punctuation.definition.comment", 3),
            ("constant.numeric, constant.language", 4),
            ("entity.name.function, support.function, meta.function-call variable.function", 5),
            ("entity.name.type, entity.name.class, support.type, support.class, storage.type.primitive", 6),
        ];
        let scopes = rules
            .iter()
            .map(|(sel, class)| ThemeItem {
                scope: ScopeSelectors::from_str(sel).expect("valid selector"),
                style: StyleModifier {
                    foreground: Some(Color { r: *class, g: 0, b: 0, a: 255 }),
                    background: None,
                    font_style: None,
                },
            })
            .collect();
        Engine {
            syntaxes: two_face::syntax::extra_newlines(),
            theme: Theme { scopes, ..Theme::default() },
        }
    })
}

/// Loads the syntaxes now rather than on the first page view.
pub(super) fn warm_up() {
    let _ = engine();
}

/// The syntax for a path, by file name then extension; `None` for plain text.
pub(super) fn syntax_for(path: &str) -> Option<&'static SyntaxReference> {
    let e = engine();
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|x| x.1);
    e.syntaxes
        .find_syntax_by_extension(name)
        .or_else(|| ext.and_then(|x| e.syntaxes.find_syntax_by_extension(x)))
        .filter(|s| s.name != "Plain Text")
}

/// Class spans for each line of one continuous run of a file's lines (one side of one
/// hunk), `None` for plain text. Lines that cannot be highlighted get no spans.
pub(super) fn spans(path: &str, lines: &[&str]) -> Option<Vec<Spans>> {
    let syntax = syntax_for(path)?;
    let e = engine();
    let highlighter = Highlighter::new(&e.theme);
    let mut parse = ParseState::new(syntax);
    let mut state = HighlightState::new(&highlighter, ScopeStack::new());
    let mut buf = String::new();
    let spans = lines
        .iter()
        .map(|line| {
            if line.len() > MAX_LINE {
                return Vec::new();
            }
            buf.clear();
            buf.push_str(line);
            buf.push('\n');
            let Ok(ops) = parse.parse_line(&buf, &e.syntaxes) else {
                return Vec::new();
            };
            let mut at = 0;
            let mut out = Vec::new();
            for (style, text) in HighlightIterator::new(&mut state, &ops, &buf, &highlighter) {
                let end = (at + text.len()).min(line.len());
                let class = style.foreground.r;
                if class != 0 && class < 7 && style.foreground.g == 0 && end > at {
                    out.push((at..end, class));
                }
                at += text.len();
            }
            out
        })
        .collect();
    Some(spans)
}
