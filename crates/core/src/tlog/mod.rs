//! Countersign's own transparency log: an append-only RFC 6962 Merkle tree over canonical
//! entries (signed decisions and lifecycle events), with checkpoints in the C2SP
//! signed-note format. `tree` serves proofs from stored subtree hashes; `crate::merkle`
//! and `crate::note` verify them — the same code on the server, in the CLI and in wasm.

pub mod checkpoint;
pub mod entry;
pub mod replay;
pub mod tree;
pub mod verify;
