//! Prints what the diff reader makes of a file: `cargo run -p countersign-core --example diffdump FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: diffdump FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    match countersign_core::diff::parse(&bytes) {
        Err(e) => println!("error: {e}"),
        Ok(p) => {
            for f in &p.files {
                println!(
                    "{:?} {:?} -> {:?} sim={:?} mode={:?}->{:?} bin={:?} hunks={} +{} -{} lossy={} notes={}",
                    f.kind,
                    f.old_path,
                    f.new_path,
                    f.similarity,
                    f.old_mode,
                    f.new_mode,
                    f.binary,
                    f.hunks.len(),
                    f.added,
                    f.removed,
                    f.lossy,
                    f.notes.len()
                );
            }
            println!("trailing: {:?}", p.trailing);
        }
    }
}
