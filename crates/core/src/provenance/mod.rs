//! Provenance a reviewer can trust: read in-toto statements, SLSA provenance and
//! verification summaries in DSSE envelopes and Sigstore bundles, and verify them offline.

pub mod dsse;
