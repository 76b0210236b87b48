//! The transparency log as the server runs it: its keys, its signed checkpoints and the
//! proofs it serves. Entries are appended by the store inside each audited write; the
//! tree arithmetic is `countersign_core::tlog`.

mod keys;
mod publish;
mod read;
mod signers;

pub use keys::{KeyCache, ServerKey, log_key, system_key};
pub use publish::{Bundle, PublicKeyInfo, PublishedKeys, ReviewerKeyInfo, bundle, published_keys};
pub use read::{
    Inclusion, MAX_ENTRIES, checkpoint, consistency, entries, included, inclusion, root,
};
pub use signers::{Signers, signers};
