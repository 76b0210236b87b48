//! Rendered diffs, cached by content digest: a revision's diff never changes, and
//! highlighting is the expensive part of a change page, so a page is rendered once and
//! then served from memory. Rendering runs on the blocking pool, never on the async
//! runtime's workers. The cache is bounded by the bytes the rendered pages hold.
//!
//! Large diffs are rendered in the background as they are stored (`prerender`), so
//! the first reviewer to open one does not wait for the highlighter: rendering the
//! 10,000-line benchmark diff takes longer than the whole page may (docs/benchmarks.md).

use std::sync::Arc;

use countersign_core::diff::{
    DiffError, parse,
    view::{Body, FileView, HunkView, RowLine, Seg},
};
use quick_cache::{OptionsBuilder, Weighter, sync::Cache};
use tokio::sync::Semaphore;

use super::{Budget, DiffPage, build};
use crate::error::{ServiceError, ServiceResult};

/// A rendered diff with its totals, or why it cannot be read.
#[derive(Debug)]
pub struct Rendered {
    pub page: Result<DiffPage, DiffError>,
    pub added: u64,
    pub removed: u64,
    /// What the page holds in memory (`heap_bytes`), which is what the cache weighs.
    bytes: u64,
}

type Key = (String, Option<usize>);

#[derive(Clone)]
struct Bytes;

impl Weighter<Key, Arc<Rendered>> for Bytes {
    fn weight(&self, k: &Key, v: &Arc<Rendered>) -> u64 {
        v.bytes + k.0.len() as u64 + size_of::<Rendered>() as u64
    }
}

/// The rendered diffs kept, in bytes of rendered page. Measured (the test below): the
/// 10,000-line benchmark diff renders to 4.0 MB of lines and segments, a 100-line diff
/// to about 40 KB, so this keeps the three or four largest diffs under review or
/// hundreds of ordinary ones. The cache used to be bounded by lines (100,000), which let
/// ten large diffs hold 40+ MB — issue 8's RSS budget is 100 MiB for the whole server.
/// Half of it is "hot" (see `with_options` below), so the largest page it admits is
/// 12 MiB: more than the 20,000 lines a page shows before folding the rest renders to.
const CAPACITY_BYTES: u64 = 24 << 20;

/// The heap a rendered page holds: every line, segment and string, each allocation
/// counted at its capacity plus a malloc header. An estimate, but one that grows with
/// exactly what makes a page big.
fn heap_bytes(page: &DiffPage) -> u64 {
    const ALLOC: usize = 16;
    let string = |s: &String| s.capacity() + ALLOC;
    let strings = |v: &Vec<String>| {
        v.iter().map(string).sum::<usize>() + v.capacity() * size_of::<String>() + ALLOC
    };
    let files = page.files.iter().map(|f| {
        let body = match &f.body {
            Body::Hunks(hunks) => {
                hunks.capacity() * size_of::<HunkView>()
                    + hunks
                        .iter()
                        .map(|h| {
                            string(&h.header)
                                + h.lines.capacity() * size_of::<RowLine>()
                                + h.lines
                                    .iter()
                                    .map(|l| {
                                        l.segs.capacity() * size_of::<Seg>()
                                            + ALLOC
                                            + l.segs.iter().map(|s| string(&s.t)).sum::<usize>()
                                    })
                                    .sum::<usize>()
                        })
                        .sum::<usize>()
            }
            Body::Folded { reason } | Body::Empty { reason } => string(reason),
        };
        let paths = [&f.old_path, &f.new_path, &f.mode_change, &f.binary]
            .iter()
            .filter_map(|p| p.as_ref())
            .map(string)
            .sum::<usize>();
        body + paths + strings(&f.notes)
    });
    (files.sum::<usize>() + page.files.capacity() * size_of::<FileView>() + strings(&page.trailing))
        as u64
}

/// Diffs with more lines than this are rendered when they are submitted.
pub const PRERENDER_LINES: usize = 2_000;

/// A submitted diff to render in the background (`DiffCache::plan_prerender`).
#[derive(Debug)]
pub struct Prerender {
    digest: String,
    diff: Vec<u8>,
}

#[derive(Clone)]
pub struct DiffCache {
    cache: Arc<Cache<Key, Arc<Rendered>, Bytes>>,
    /// One background render at a time.
    prerendering: Arc<Semaphore>,
}

impl Default for DiffCache {
    fn default() -> Self {
        DiffCache {
            // One shard: quick_cache splits its capacity between shards and refuses an
            // entry heavier than a shard's "hot" share, which would be every large diff.
            // Half hot, not quick_cache's 97 %: new entries start "cold", and with a 3 %
            // cold part a new large diff was evicted at once while the first ones stayed.
            cache: Arc::new(Cache::with_options(
                OptionsBuilder::new()
                    .estimated_items_capacity(64)
                    .weight_capacity(CAPACITY_BYTES)
                    .shards(1)
                    .hot_allocation(0.5)
                    .build()
                    .expect("valid cache options"),
                Bytes,
                Default::default(),
                Default::default(),
            )),
            prerendering: Arc::new(Semaphore::new(1)),
        }
    }
}

impl DiffCache {
    /// Whether the page for `digest` (showing `show`) is rendered and kept.
    pub fn is_cached(&self, digest: &str, show: Option<usize>) -> bool {
        self.cache.get(&(digest.to_owned(), show)).is_some()
    }

    /// A large diff (over `PRERENDER_LINES` lines) not rendered yet, copied to be rendered
    /// in the background once its change is stored (`prerender`); `None` for any other
    /// diff, so an ordinary submission copies nothing. Planned before the store takes the
    /// diff, started after it accepted the change: a refused submission costs no render.
    pub fn plan_prerender(&self, digest: &str, diff: &[u8]) -> Option<Prerender> {
        let lines = diff.iter().filter(|b| **b == b'\n').count();
        (lines > PRERENDER_LINES && !self.is_cached(digest, None)).then(|| Prerender {
            digest: digest.to_owned(),
            diff: diff.to_vec(),
        })
    }

    /// Renders a planned diff in the background, for the first page view. One at a time,
    /// and skipped while another runs, so a burst of large submissions cannot take the
    /// CPU from the requests being served.
    pub fn prerender(&self, plan: Option<Prerender>) {
        let Some(Prerender { digest, diff }) = plan else {
            return;
        };
        let Ok(permit) = self.prerendering.clone().try_acquire_owned() else {
            return;
        };
        let cache = self.clone();
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
                Rendered {
                    added: patch.added(),
                    removed: patch.removed(),
                    bytes: heap_bytes(&page),
                    page: Ok(page),
                }
            }
            Err(e) => Rendered {
                page: Err(e),
                added: 0,
                removed: 0,
                bytes: 0,
            },
        })
        .await
        .map_err(|e| ServiceError::Internal(e.into()))?;
        Ok(Arc::new(rendered))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same 10,000-line diff with one more file, so that its digest is new.
    fn variant(base: &[u8], n: usize) -> (String, Vec<u8>) {
        let mut diff = base.to_vec();
        diff.extend(
            format!("diff --git a/n{n}.txt b/n{n}.txt\nnew file mode 100644\n--- /dev/null\n+++ b/n{n}.txt\n@@ -0,0 +1 @@\n+{n}\n")
                .bytes(),
        );
        (format!("digest-{n}"), diff)
    }

    #[tokio::test]
    async fn a_large_diff_is_kept_and_the_cache_stays_within_its_byte_bound() {
        let cache = DiffCache::default();
        let base = crate::testing::fixture("diffs/13-generated-10k-lines.diff");
        let (digest, diff) = variant(&base, 0);
        let first = cache.render(&digest, diff, None).await.unwrap();
        assert!(first.page.is_ok());
        // Weighed by what it holds: far more than the diff's own 10,000 lines' worth of
        // text, and far less than the whole budget.
        assert!(first.bytes > base.len() as u64, "{} bytes", first.bytes);
        assert!(first.bytes < CAPACITY_BYTES / 2, "{} bytes", first.bytes);
        assert!(
            cache.is_cached(&digest, None),
            "a single large diff must be kept"
        );

        for n in 1..8 {
            let (digest, diff) = variant(&base, n);
            cache.render(&digest, diff, None).await.unwrap();
            assert!(
                cache.is_cached(&digest, None),
                "the newest large diff ({n}) must be kept"
            );
            assert!(
                cache.cache.weight() <= CAPACITY_BYTES,
                "{} bytes kept",
                cache.cache.weight()
            );
        }
        assert!(
            cache.cache.len() < 8,
            "eight 10,000-line diffs cannot all fit"
        );
    }
}
