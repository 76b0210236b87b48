//! Password hashing cost (issue 8: argon2id at the OWASP parameters — 19 MiB, t = 2,
//! p = 1 — in ≤ 60 ms per hash on one core). Measures the code the server runs: a new
//! PHC hash (account creation, password change) and a verification (every sign-in and
//! every decision's password confirmation), each on the calling thread's kept memory.
//! Results in docs/benchmarks.md.

use countersign_service::kdf::{hash_phc, verify_phc};
use criterion::{Criterion, criterion_group, criterion_main};

fn argon2(c: &mut Criterion) {
    let stored = hash_phc(b"correct horse battery staple").expect("hashing works");
    let mut g = c.benchmark_group("argon2id 19 MiB t=2 p=1");
    g.sample_size(20);
    g.bench_function("hash a new password", |b| {
        b.iter(|| hash_phc(b"correct horse battery staple").expect("hashing works"))
    });
    g.bench_function("verify a password", |b| {
        b.iter(|| assert!(verify_phc(b"correct horse battery staple", &stored)))
    });
    g.finish();
}

criterion_group!(benches, argon2);
criterion_main!(benches);
