//! Rendered diffs, cached by content digest: a revision's diff never changes, and
//! highlighting is the expensive part of a change page, so a page is rendered once and
//! then served from memory. Rendering runs on the blocking pool, never on the async
//! runtime's workers. The cache is bounded by the number of lines it holds.
//!
//! Large diffs are rendered in the background as they are submitted (`prerender`), so
//! the first reviewer to open one does not wait for the highlighter: rendering the
//! 10,000-line benchmark diff takes longer than the whole page may (docs/benchmarks.md).

use std::sync::Arc;

use countersign_core::diff::{DiffError, parse};
use quick_cache::{Weighter, sync::Cache};
use tokio::sync::Semaphore;

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

/// At most this many rendered lines are kept. Measured (bench/change.sh): ten renders of
/// the 10,000-line benchmark diff left the server at 166 MiB, over issue 8's 100 MiB;
/// a 20,000- or 40,000-line bound kept memory lower but the cache then often did not keep
/// a diff that large at all (quick_cache admits new entries into a small "cold" part
/// first), so views rendered again. Left at 100,000 until it is weighed in bytes.
const CAPACITY_LINES: u64 = 100_000;

/// Diffs with more lines than this are rendered when they are submitted.
pub const PRERENDER_LINES: usize = 2_000;

#[derive(Clone)]
pub struct DiffCache {
    cache: Arc<Cache<Key, Arc<Rendered>, Lines>>,
    /// One background render at a time.
    prerendering: Arc<Semaphore>,
}

impl Default for DiffCache {
    fn default() -> Self {
        DiffCache {
            cache: Arc::new(Cache::with_weighter(64, CAPACITY_LINES, Lines)),
            prerendering: Arc::new(Semaphore::new(1)),
        }
    }
}

impl DiffCache {
    /// Whether the page for `digest` (showing `show`) is rendered and kept.
    pub fn is_cached(&self, digest: &str, show: Option<usize>) -> bool {
        self.cache.get(&(digest.to_owned(), show)).is_some()
    }

    /// Renders a large diff (over `PRERENDER_LINES` lines) in the background, for the
    /// first page view. One at a time, and skipped while another runs, so a burst of
    /// large submissions cannot take the CPU from the requests being served.
    pub fn prerender(&self, digest: &str, diff: &[u8]) {
        let lines = diff.iter().filter(|b| **b == b'\n').count();
        if lines <= PRERENDER_LINES || self.is_cached(digest, None) {
            return;
        }
        let Ok(permit) = self.prerendering.clone().try_acquire_owned() else {
            return;
        };
        let (cache, digest, diff) = (self.clone(), digest.to_owned(), diff.to_vec());
        tokio::spawn(async move {
            let _permit = permit;
            if let Err(e) = cache.render(&digest, diff, None).await {
                tracing::warn!(error = %e, "rendering a submitted diff in the background failed");
            }
        });
    }

    /// The page for `diff` (whose content digest is `digest`), showing file `show` in full.
    pub async fn render(
        &self,
        digest: &str,
        diff: Vec<u8>,
        show: Option<usize>,
    ) -> ServiceResult<Arc<Rendered>> {
        let key = (digest.to_owned(), show);
        // One render per key: a view that arrives while the same diff is being rendered
        // (the background render just after submission, or a second reviewer) waits for
        // that render instead of starting another.
        self.cache
            .get_or_insert_async(&key, Self::render_now(diff, show))
            .await
    }

    async fn render_now(diff: Vec<u8>, show: Option<usize>) -> ServiceResult<Arc<Rendered>> {
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
        Ok(Arc::new(rendered))
    }
}
