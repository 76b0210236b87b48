//! Rendered diffs, cached by content digest: a revision's diff never changes, and
//! highlighting is the expensive part of a change page, so a page is rendered once and
//! then served from memory. Rendering runs on the blocking pool, never on the async
//! runtime's workers. The cache is bounded by the number of lines it holds.

use std::sync::Arc;

use countersign_core::diff::{DiffError, parse};
use quick_cache::{Weighter, sync::Cache};

use super::{Budget, DiffPage, build};
use crate::error::{ServiceError, ServiceResult};

/// A rendered diff with its totals, or why it cannot be read.
#[derive(Debug)]
pub struct Rendered {
    pub page: Result<DiffPage, DiffError>,
    pub added: u64,
    pub removed: u64,
    lines: u64,
}

type Key = (String, Option<usize>);

#[derive(Clone)]
struct Lines;

impl Weighter<Key, Arc<Rendered>> for Lines {
    fn weight(&self, _: &Key, v: &Arc<Rendered>) -> u64 {
        v.lines + 1
    }
}

/// At most this many rendered lines are kept (about 30 MB of page data).
const CAPACITY_LINES: u64 = 100_000;

#[derive(Clone)]
pub struct DiffCache(Arc<Cache<Key, Arc<Rendered>, Lines>>);

impl Default for DiffCache {
    fn default() -> Self {
        DiffCache(Arc::new(Cache::with_weighter(64, CAPACITY_LINES, Lines)))
    }
}

impl DiffCache {
    /// The page for `diff` (whose content digest is `digest`), showing file `show` in full.
    pub async fn render(
        &self,
        digest: &str,
        diff: Vec<u8>,
        show: Option<usize>,
    ) -> ServiceResult<Arc<Rendered>> {
        let key = (digest.to_owned(), show);
        if let Some(hit) = self.0.get(&key) {
            return Ok(hit);
        }
        let rendered = tokio::task::spawn_blocking(move || match parse(&diff) {
            Ok(patch) => {
                let page = build(&patch, Budget::default(), show.as_slice());
                let lines = page
                    .files
                    .iter()
                    .filter(|f| matches!(f.body, countersign_core::diff::view::Body::Hunks(_)))
                    .map(|f| f.lines as u64)
                    .sum();
                Rendered {
                    added: patch.added(),
                    removed: patch.removed(),
                    page: Ok(page),
                    lines,
                }
            }
            Err(e) => Rendered {
                page: Err(e),
                added: 0,
                removed: 0,
                lines: 0,
            },
        })
        .await
        .map_err(|e| ServiceError::Internal(e.into()))?;
        let rendered = Arc::new(rendered);
        self.0.insert(key, rendered.clone());
        Ok(rendered)
    }
}
