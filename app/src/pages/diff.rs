//! The diff viewer: a file tree with change kinds and counts, then each file with its
//! header (renames, modes, binary, encoding notes) and its hunks, or a link that shows a
//! folded file. Unified and side-by-side layouts render from the same data, so with
//! JavaScript switching is instant; without it the layout form posts and the page
//! reloads in the chosen layout.

use countersign_core::diff::{
    FileKind,
    view::{Body, FileView},
};
use leptos::prelude::*;

use super::diff_table::{SplitTable, UnifiedTable};
use crate::{
    api::SetDiffLayout,
    dto::{DiffLayout, DiffView},
};

fn kind_letter(k: FileKind) -> &'static str {
    match k {
        FileKind::Modified => "M",
        FileKind::Added => "A",
        FileKind::Deleted => "D",
        FileKind::Renamed => "R",
        FileKind::Copied => "C",
    }
}

fn display_path(p: &str) -> String {
    if p.is_empty() {
        "(no file name)".to_owned()
    } else {
        p.to_owned()
    }
}

#[component]
pub fn DiffSection(
    diff: DiffView,
    layout: Signal<DiffLayout>,
    set_layout: ServerAction<SetDiffLayout>,
) -> impl IntoView {
    if let Some(err) = diff.error {
        return view! {
            <section class="diff-section">
                <h2>"Diff"</h2>
                <p class="error" role="alert">"This diff cannot be shown file by file: "{err}</p>
                <pre class="raw">{diff.raw.join("\n")}</pre>
            </section>
        }
        .into_any();
    }
    let count = diff.files.len();
    view! {
        <section class="diff-section">
            <div class="diff-bar">
                <h2>"Diff"</h2>
                <span class="summary">{format!("{count} file{} changed, ", if count == 1 { "" } else { "s" })}
                    <span class="added">"+"{diff.added}</span>" "<span class="removed">"−"{diff.removed}</span>
                </span>
                <ActionForm action=set_layout attr:class="layout-form">
                    <span class="label">"View:"</span>
                    <button type="submit" name="layout" value="unified" aria-pressed=move || (layout.get() == DiffLayout::Unified).to_string()>"Unified"</button>
                    <button type="submit" name="layout" value="split" aria-pressed=move || (layout.get() == DiffLayout::Split).to_string()>"Side by side"</button>
                </ActionForm>
            </div>
            <div class="diff-body">
                <FileTree files=diff.files.clone()/>
                <div class="files">
                    {diff.files.into_iter().map(|f| view! { <FileBlock f layout/> }).collect_view()}
                    {(!diff.trailing.is_empty()).then(|| view! { <pre class="notes">{diff.trailing.join("\n")}</pre> })}
                </div>
            </div>
        </section>
    }
    .into_any()
}

/// Files grouped under their directory, in diff order (git sorts by path).
#[component]
fn FileTree(files: Vec<FileView>) -> impl IntoView {
    let mut last_dir: Option<String> = None;
    let items = files
        .into_iter()
        .map(|f| {
            let path = display_path(f.path());
            let (dir, name) = match path.rsplit_once('/') {
                Some((d, n)) => (d.to_owned(), n.to_owned()),
                None => (String::new(), path.clone()),
            };
            let heading = (last_dir.as_deref() != Some(dir.as_str()) && !dir.is_empty()).then(|| dir.clone());
            last_dir = Some(dir);
            view! {
                {heading.map(|d| view! { <li class="dir">{d}"/"</li> })}
                <li class=format!("file-link {}", f.kind.as_str())>
                    <a href=format!("#f{}", f.index) title=path>
                        <span class=format!("kind {}", f.kind.as_str()) title=f.kind.as_str()>{kind_letter(f.kind)}</span>
                        <span class="name">{name}</span>
                        <span class="added">"+"{f.added}</span>
                        <span class="removed">"−"{f.removed}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <nav class="filetree" aria-label="Files"><ul>{items}</ul></nav> }
}

#[component]
fn FileBlock(f: FileView, layout: Signal<DiffLayout>) -> impl IntoView {
    let index = f.index;
    let title = match (&f.old_path, &f.new_path) {
        (Some(o), Some(n)) if o != n => format!("{} → {}", display_path(o), display_path(n)),
        _ => display_path(f.path()),
    };
    let body = match f.body {
        Body::Hunks(hunks) => {
            let hunks = StoredValue::new(hunks);
            view! {
                {move || match layout.get() {
                    DiffLayout::Unified => view! { <UnifiedTable file=index hunks=hunks.get_value()/> }.into_any(),
                    DiffLayout::Split => view! { <SplitTable file=index hunks=hunks.get_value()/> }.into_any(),
                }}
            }
            .into_any()
        }
        Body::Folded { reason } => view! {
            <p class="folded">{reason}" "<a href=format!("?show={index}#f{index}")>"Show this file"</a></p>
        }
        .into_any(),
        Body::Empty { reason } => view! { <p class="empty">{reason}</p> }.into_any(),
    };
    view! {
        <section class="file" id=format!("f{index}")>
            <header>
                <span class=format!("kind {}", f.kind.as_str())>{f.kind.as_str()}</span>
                <a class="path" href=format!("#f{index}")>{title}</a>
                {f.similarity.map(|s| view! { <span class="tag">{format!("{s}% similar")}</span> })}
                {f.mode_change.map(|m| view! { <span class="tag">"mode "{m}</span> })}
                {f.symlink.then(|| view! { <span class="tag">"symlink"</span> })}
                <span class="added">"+"{f.added}</span>
                <span class="removed">"−"{f.removed}</span>
            </header>
            {f.lossy.then(|| view! { <p class="warning">"This file's diff contains bytes that are not UTF-8; they are shown as \u{FFFD}."</p> })}
            {(!f.notes.is_empty()).then(|| view! { <pre class="notes">{f.notes.join("\n")}</pre> })}
            {body}
        </section>
    }
}
