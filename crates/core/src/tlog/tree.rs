//! Proofs *served* from a stored tree, the other half of `crate::merkle` (which checks
//! them). The log stores the hash of every complete, aligned subtree — node `(level, i)`
//! covers leaves `i·2^level .. (i+1)·2^level` — written once when its last leaf is
//! appended. Any root, inclusion proof or consistency proof (RFC 6962 §2.1) is then a
//! combination of O(log n) stored nodes: no request rebuilds the tree.
//!
//! The recursions follow RFC 6962's MTH, PATH and SUBPROOF definitions literally over
//! absolute leaf ranges. Their shape depends only on the sizes, so the nodes a request
//! needs are known before any is read ([`needed`]) and the store fetches them in one query.

use std::collections::{BTreeMap, BTreeSet};

use crate::merkle::{Hash, node_hash};

/// A stored node's position: `(level, index)`.
pub type NodeId = (u32, u64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    #[error("node {0:?} is missing from the store")]
    Missing(NodeId),
    #[error("index {index} is outside a tree of size {size}")]
    OutOfRange { index: u64, size: u64 },
    #[error("sizes {old} and {new} cannot be proven consistent")]
    BadSizes { old: u64, new: u64 },
    #[error("the empty tree has no root to prove against")]
    Empty,
}

/// Where node hashes come from.
pub trait Nodes {
    fn node(&self, id: NodeId) -> Option<Hash>;
}

impl Nodes for BTreeMap<NodeId, Hash> {
    fn node(&self, id: NodeId) -> Option<Hash> {
        self.get(&id).copied()
    }
}

/// Records which nodes a computation reads (answering with zeros).
#[derive(Default)]
struct Recorder(std::cell::RefCell<BTreeSet<NodeId>>);

impl Nodes for Recorder {
    fn node(&self, id: NodeId) -> Option<Hash> {
        self.0.borrow_mut().insert(id);
        Some([0; 32])
    }
}

fn split(n: u64) -> u64 {
    // The largest power of two strictly below n (n ≥ 2).
    1 << (63 - (n - 1).leading_zeros())
}

/// MTH over leaves `start..end`.
fn mth(src: &impl Nodes, start: u64, end: u64) -> Result<Hash, TreeError> {
    let n = end - start;
    if n.is_power_of_two() && start.is_multiple_of(n) {
        let id = (n.trailing_zeros(), start / n);
        return src.node(id).ok_or(TreeError::Missing(id));
    }
    let k = split(n);
    Ok(node_hash(
        &mth(src, start, start + k)?,
        &mth(src, start + k, end)?,
    ))
}

fn path(
    src: &impl Nodes,
    m: u64,
    start: u64,
    end: u64,
    out: &mut Vec<Hash>,
) -> Result<(), TreeError> {
    let n = end - start;
    if n == 1 {
        return Ok(());
    }
    let k = split(n);
    if m < k {
        path(src, m, start, start + k, out)?;
        out.push(mth(src, start + k, end)?);
    } else {
        path(src, m - k, start + k, end, out)?;
        out.push(mth(src, start, start + k)?);
    }
    Ok(())
}

fn subproof(
    src: &impl Nodes,
    m: u64,
    start: u64,
    end: u64,
    whole: bool,
    out: &mut Vec<Hash>,
) -> Result<(), TreeError> {
    let n = end - start;
    if m == n {
        if !whole {
            out.push(mth(src, start, end)?);
        }
        return Ok(());
    }
    let k = split(n);
    if m <= k {
        subproof(src, m, start, start + k, whole, out)?;
        out.push(mth(src, start + k, end)?);
    } else {
        subproof(src, m - k, start + k, end, false, out)?;
        out.push(mth(src, start, start + k)?);
    }
    Ok(())
}

/// The root of the first `size` leaves.
pub fn root(src: &impl Nodes, size: u64) -> Result<Hash, TreeError> {
    if size == 0 {
        return Err(TreeError::Empty);
    }
    mth(src, 0, size)
}

/// The audit path for leaf `index` in the tree of `size` (RFC 6962 PATH).
pub fn inclusion_proof(src: &impl Nodes, index: u64, size: u64) -> Result<Vec<Hash>, TreeError> {
    if index >= size {
        return Err(TreeError::OutOfRange { index, size });
    }
    let mut out = Vec::new();
    path(src, index, 0, size, &mut out)?;
    Ok(out)
}

/// The consistency proof from `old` to `new` leaves (RFC 6962 PROOF); `0 < old ≤ new`.
pub fn consistency_proof(src: &impl Nodes, old: u64, new: u64) -> Result<Vec<Hash>, TreeError> {
    if old == 0 || old > new {
        return Err(TreeError::BadSizes { old, new });
    }
    let mut out = Vec::new();
    subproof(src, old, 0, new, true, &mut out)?;
    Ok(out)
}

/// What a request will read, so the store can fetch exactly that.
pub enum Request {
    Root(u64),
    Inclusion { index: u64, size: u64 },
    Consistency { old: u64, new: u64 },
}

pub fn needed(req: &Request) -> Result<BTreeSet<NodeId>, TreeError> {
    let rec = Recorder::default();
    match *req {
        Request::Root(size) => root(&rec, size).map(|_| ()),
        Request::Inclusion { index, size } => inclusion_proof(&rec, index, size).map(|_| ()),
        Request::Consistency { old, new } => consistency_proof(&rec, old, new).map(|_| ()),
    }?;
    Ok(rec.0.into_inner())
}

/// The left siblings appending leaf `index` combines with.
pub fn append_needs(index: u64) -> Vec<NodeId> {
    let (mut level, mut i, mut out) = (0u32, index, Vec::new());
    while i & 1 == 1 {
        out.push((level, i - 1));
        level += 1;
        i >>= 1;
    }
    out
}

/// The nodes to store when leaf `index` (with hash `leaf`) is appended: the leaf itself
/// and every subtree it completes.
pub fn appended(
    src: &impl Nodes,
    index: u64,
    leaf: Hash,
) -> Result<Vec<(NodeId, Hash)>, TreeError> {
    let (mut level, mut i, mut cur) = (0u32, index, leaf);
    let mut out = vec![((0, index), leaf)];
    while i & 1 == 1 {
        let left = src
            .node((level, i - 1))
            .ok_or(TreeError::Missing((level, i - 1)))?;
        cur = node_hash(&left, &cur);
        level += 1;
        i >>= 1;
        out.push(((level, i), cur));
    }
    Ok(out)
}
