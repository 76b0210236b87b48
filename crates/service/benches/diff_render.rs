//! Parse and render `fixtures/diffs/13-generated-10k-lines.diff` (62 files, 10,210 changed
//! lines): the figure issue 8 compares with other review tools. `all files` renders every
//! line (highlighting, word changes); `default budget` is what the page does by default.
//! Run: `cargo bench -p countersign-service --bench diff_render`.

use countersign_service::diffview::{Budget, build, highlight};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/diffs/13-generated-10k-lines.diff"
    );
    let input = std::fs::read(path).expect("the fixture is beside the repository");
    highlight::warm_up();
    let mut g = c.benchmark_group("diff 10k lines");
    g.sample_size(20);
    g.bench_function("parse", |b| {
        b.iter(|| countersign_core::diff::parse(&input).unwrap())
    });
    g.bench_function("parse + render, all files", |b| {
        b.iter(|| {
            let p = countersign_core::diff::parse(&input).unwrap();
            let all: Vec<usize> = (0..p.files.len()).collect();
            build(&p, Budget::default(), &all)
        })
    });
    g.bench_function("parse + render, default budget", |b| {
        b.iter(|| {
            build(
                &countersign_core::diff::parse(&input).unwrap(),
                Budget::default(),
                &[],
            )
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
