//! argon2id over working memory that each hashing thread keeps, instead of 19 MiB
//! allocated and freed per hash.
//!
//! Why: glibc serves a 19 MiB allocation with `mmap`, and when such a block is freed it
//! raises its mmap threshold to that size for the rest of the process. From then on every
//! allocation under 19 MiB — including the runtime's request buffers — comes from the
//! malloc arenas, which rarely give memory back: after a burst of sign-ins the server
//! stayed hundreds of MiB above its working set. Keeping one block per hashing thread
//! (the pool is one thread per core) costs the same 19 MiB per thread that arenas kept
//! anyway, and nothing is ever freed, so the threshold never moves.
//!
//! The argon2 crate does the hashing (`hash_password_into_with_memory`); this module only
//! supplies the memory and reads/writes PHC strings with `password-hash`.

use std::cell::RefCell;

use argon2::{
    Algorithm, Argon2, Block, Params, Version,
    password_hash::{Output, ParamsString, PasswordHash, SaltString, rand_core::OsRng},
};
use zeroize::Zeroizing;

thread_local! {
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// The OWASP parameters Countersign hashes with (19 MiB, t = 2, p = 1).
pub fn owasp(output_len: Option<usize>) -> Params {
    Params::new(19 * 1024, 2, 1, output_len).expect("OWASP argon2 parameters are valid")
}

/// Runs argon2id (v1.3) with `params` into `out`, on this thread's kept memory.
pub fn derive_into(
    params: Params,
    algorithm: Algorithm,
    version: Version,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> argon2::Result<()> {
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() < blocks {
            memory.resize(blocks, Block::new());
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
    })
}

/// A new PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) for `password`.
pub fn hash_phc(password: &[u8]) -> Result<String, argon2::password_hash::Error> {
    let params = owasp(None);
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt.decode_b64(&mut salt_bytes)?;
    let mut out = Zeroizing::new([0u8; Params::DEFAULT_OUTPUT_LEN]);
    derive_into(
        params.clone(),
        Algorithm::Argon2id,
        Version::V0x13,
        password,
        salt_raw,
        out.as_mut(),
    )?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(out.as_ref())?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `phc` (any argon2 variant and parameters it
/// names; compared in constant time). A string that does not parse never matches.
pub fn verify_phc(password: &[u8], phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_raw) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut out = Zeroizing::new(vec![0u8; expected.len()]);
    if derive_into(params, algorithm, version, password, salt_raw, &mut out).is_err() {
        return false;
    }
    // `Output`'s equality is constant-time.
    Output::new(&out).is_ok_and(|got| got == expected)
}

#[cfg(test)]
mod tests {
    use argon2::{PasswordHasher, PasswordVerifier};

    use super::*;

    #[test]
    fn our_hashes_are_standard_phc_strings_the_crate_verifies() {
        let h = hash_phc(b"correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        let parsed = PasswordHash::new(&h).unwrap();
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, owasp(None));
        assert!(
            argon
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(argon.verify_password(b"wrong", &parsed).is_err());
    }

    #[test]
    fn verifies_hashes_the_crate_made_with_other_parameters() {
        let salt = SaltString::generate(&mut OsRng);
        let argon = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        );
        let h = argon.hash_password(b"pw-one", &salt).unwrap().to_string();
        assert!(verify_phc(b"pw-one", &h));
        assert!(!verify_phc(b"pw-two", &h));
        // The bigger parameters after a smaller run: memory grows as needed.
        let ours = hash_phc(b"pw-one").unwrap();
        assert!(verify_phc(b"pw-one", &ours));
    }

    #[test]
    fn garbage_and_tampered_hashes_never_match() {
        assert!(!verify_phc(b"x", "not a hash"));
        assert!(!verify_phc(b"x", ""));
        let h = hash_phc(b"x").unwrap();
        let mut tampered = h.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        assert!(!verify_phc(b"x", &tampered));
    }

    #[test]
    fn kept_memory_gives_the_crates_own_result() {
        let params = Params::new(32, 3, 1, Some(32)).unwrap();
        let mut ours = [0u8; 32];
        derive_into(
            params.clone(),
            Algorithm::Argon2id,
            Version::V0x13,
            b"password",
            b"somesaltsomesalt",
            &mut ours,
        )
        .unwrap();
        let mut theirs = [0u8; 32];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(b"password", b"somesaltsomesalt", &mut theirs)
            .unwrap();
        assert_eq!(ours, theirs);
    }
}
