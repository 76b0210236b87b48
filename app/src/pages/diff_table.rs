//! The two layouts of a file's hunks. Every line has anchors on both sides
//! (`#f3-L10` old, `#f3-R12` new) so a file and a line can be linked.

use countersign_core::diff::{
    LineKind,
    view::{CLASSES, HunkView, RowLine, split_rows},
};
use leptos::prelude::*;

fn kind_class(k: LineKind) -> &'static str {
    match k {
        LineKind::Context => "ctx",
        LineKind::Added => "add",
        LineKind::Removed => "del",
    }
}

/// The line's text: syntax classes, changed words, and visible line-ending markers.
fn code(l: &RowLine) -> impl IntoView + use<> {
    let segs = l
        .segs
        .iter()
        .map(|s| {
            let mut class = String::new();
            if s.c != 0 {
                class.push_str("hl-");
                class.push_str(CLASSES.get(usize::from(s.c)).copied().unwrap_or(""));
            }
            if s.x {
                class.push_str(if class.is_empty() { "x" } else { " x" });
            }
            view! { <span class=class>{s.t.clone()}</span> }
        })
        .collect_view();
    let crlf = l
        .crlf
        .then(|| view! { <span class="eol" title="CRLF line ending">"␍"</span> });
    let nonl = l
        .no_newline
        .then(|| view! { <span class="eol" title="No newline at end of file">"⊘"</span> });
    (segs, crlf, nonl)
}

fn number(file: usize, side: char, n: Option<u64>) -> impl IntoView + use<> {
    n.map(|n| view! { <a href=format!("#f{file}-{side}{n}")>{n}</a> })
}

fn anchor(file: usize, l: &RowLine) -> String {
    match (l.new_no, l.old_no) {
        (Some(n), _) => format!("f{file}-R{n}"),
        (None, Some(o)) => format!("f{file}-L{o}"),
        (None, None) => String::new(),
    }
}

#[component]
pub fn UnifiedTable(file: usize, hunks: Vec<HunkView>) -> impl IntoView {
    let rows = hunks
        .into_iter()
        .map(|h| {
            let lines = h
                .lines
                .iter()
                .map(|l| {
                    view! {
                        <tr class=kind_class(l.kind) id=anchor(file, l)>
                            <td class="num">{number(file, 'L', l.old_no)}</td>
                            <td class="num">{number(file, 'R', l.new_no)}</td>
                            <td class="code">{code(l)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! { <tr class="hunk"><td colspan="3">{h.header.clone()}</td></tr>{lines} }
        })
        .collect_view();
    view! {
        <table class="diff unified">
            <colgroup><col class="num"/><col class="num"/><col/></colgroup>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
pub fn SplitTable(file: usize, hunks: Vec<HunkView>) -> impl IntoView {
    let side = move |l: Option<&RowLine>, which: char| match l {
        Some(l) => {
            let n = if which == 'L' { l.old_no } else { l.new_no };
            let id = format!("f{file}-{which}{}", n.unwrap_or(0));
            view! {
                <td class=format!("num {}", kind_class(l.kind)) id=id>{number(file, which, n)}</td>
                <td class=format!("code {}", kind_class(l.kind))>{code(l)}</td>
            }
            .into_any()
        }
        None => view! { <td class="num none"></td><td class="code none"></td> }.into_any(),
    };
    let rows = hunks
        .into_iter()
        .map(|h| {
            let lines = split_rows(&h.lines)
                .into_iter()
                .map(|(old, new)| view! { <tr>{side(old, 'L')}{side(new, 'R')}</tr> })
                .collect_view();
            view! { <tr class="hunk"><td colspan="4">{h.header.clone()}</td></tr>{lines} }
        })
        .collect_view();
    view! {
        <table class="diff split">
            <colgroup><col class="num"/><col/><col class="num"/><col/></colgroup>
            <tbody>{rows}</tbody>
        </table>
    }
}
