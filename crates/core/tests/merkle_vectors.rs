//! Every transparency-dev/merkle inclusion and consistency vector, and the serverless-log
//! leaves against its checkpoints' roots.

use base64::{Engine, engine::general_purpose::STANDARD as B64};
use countersign_core::merkle::{leaf_hash, root_of, verify_consistency, verify_inclusion};
use serde_json::Value;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/fixtures/merkle/"
);

fn files(sub: &str) -> Vec<(String, Value)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out)
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p)
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &std::path::Path::new(DIR)
            .join("transparency-dev-merkle/testdata")
            .join(sub),
        &mut paths,
    );
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap(),
            )
        })
        .collect()
}

fn b64(v: &Value) -> Vec<u8> {
    v.as_str()
        .map(|s| B64.decode(s).unwrap())
        .unwrap_or_default()
}

fn list(v: &Value) -> Vec<Vec<u8>> {
    v.as_array()
        .map(|a| a.iter().map(b64).collect())
        .unwrap_or_default()
}

#[test]
fn every_inclusion_vector() {
    let all = files("inclusion");
    assert_eq!(all.len(), 98);
    for (name, v) in all {
        let got = verify_inclusion(
            v["leafIdx"].as_u64().unwrap(),
            v["treeSize"].as_u64().unwrap(),
            &b64(&v["leafHash"]),
            &list(&v["proof"]),
            &b64(&v["root"]),
        );
        assert_eq!(
            got.is_err(),
            v["wantErr"].as_bool().unwrap(),
            "{name}: {got:?}"
        );
    }
}

#[test]
fn every_consistency_vector() {
    let all = files("consistency");
    assert_eq!(all.len(), 98);
    for (name, v) in all {
        let got = verify_consistency(
            v["size1"].as_u64().unwrap(),
            v["size2"].as_u64().unwrap(),
            &b64(&v["root1"]),
            &b64(&v["root2"]),
            &list(&v["proof"]),
        );
        assert_eq!(
            got.is_err(),
            v["wantErr"].as_bool().unwrap(),
            "{name}: {got:?}"
        );
    }
}

#[test]
fn serverless_log_roots_match_their_leaves() {
    let dir = std::path::Path::new(DIR).join("checkpoints/serverless-log-testdata");
    let leaves: Vec<_> = (0..15)
        .map(|i| leaf_hash(&std::fs::read(dir.join(format!("leaves/{i:02}"))).unwrap()))
        .collect();
    for n in 1..=15 {
        let note = std::fs::read_to_string(dir.join(format!("checkpoint.{n}"))).unwrap();
        let mut lines = note.lines();
        let (_origin, size, root) = (lines.next(), lines.next().unwrap(), lines.next().unwrap());
        assert_eq!(size.parse::<usize>().unwrap(), n);
        assert_eq!(
            B64.decode(root).unwrap(),
            root_of(&leaves[..n]),
            "checkpoint.{n}"
        );
    }
}
