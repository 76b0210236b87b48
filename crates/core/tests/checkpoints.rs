//! Signed checkpoints: the serverless-log notes (Ed25519) and real Rekor ones (ECDSA).

use countersign_core::note::{NoteVerifier, parse};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/fixtures/merkle/checkpoints/"
);

fn read(p: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{p}")).unwrap()
}

#[test]
fn all_sixteen_serverless_log_checkpoints_verify() {
    let v =
        NoteVerifier::from_vkey(&read("serverless-log-testdata/log.vkey")).expect("a valid vkey");
    for n in 0..=15 {
        let c = parse(&read(&format!("serverless-log-testdata/checkpoint.{n}"))).unwrap();
        assert_eq!((c.origin.as_str(), c.size), ("example.com/testdata", n));
        assert!(c.signed_by(&v), "checkpoint.{n}");
    }
}

#[test]
fn a_changed_checkpoint_no_longer_verifies() {
    let v = NoteVerifier::from_vkey(&read("serverless-log-testdata/log.vkey")).unwrap();
    let note = read("serverless-log-testdata/checkpoint.5").replacen("\n5\n", "\n6\n", 1);
    assert!(!parse(&note).unwrap().signed_by(&v));
    assert!(
        NoteVerifier::from_vkey("astra+00000000+AZJqeuyE/GnknsCNh1eCtDtwdAwKBddOlS8M2eI1Jt4b")
            .is_none(),
        "a wrong key hash is refused"
    );
}

#[test]
fn rekor_checkpoints_verify_with_the_rekor_key() {
    let v = NoteVerifier::from_ecdsa_pem("rekor.sigstore.dev", &read("rekor/rekor.0.pub")).unwrap();
    assert_eq!(hex::encode(v.hint), "c0d23d6a");
    for (file, size) in [
        ("rekor-66718601.checkpoint", 66_718_601),
        ("rekor-52393919.checkpoint", 52_393_919),
        ("rekor-52393906.checkpoint", 52_393_906),
    ] {
        let c = parse(&read(&format!("rekor/{file}"))).unwrap();
        assert_eq!(c.size, size);
        assert!(c.origin.starts_with("rekor.sigstore.dev - "));
        assert!(c.signed_by(&v), "{file}");
    }
}
