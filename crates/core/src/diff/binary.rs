//! Decoding `GIT binary patch` blocks: git's base85 lines, zlib, and for `delta` blocks
//! git's copy/insert delta format. With it a binary change can be checked (does the patch
//! turn this file into that one?) and its new content described.

use super::BinaryBlock;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BinaryError {
    #[error("line {0} of the binary patch is not git base85")]
    Base85(usize),
    #[error("the binary patch does not inflate: {0}")]
    Inflate(String),
    #[error("the delta is malformed")]
    Delta,
    #[error("the result is {got} bytes, the patch declares {want}")]
    Size { got: u64, want: u64 },
}

/// The most a block may inflate to (a guard against decompression bombs).
const MAX_INFLATED: usize = 64 * 1024 * 1024;

const ALPHABET: &[u8; 85] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

fn digit(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Decodes the block's base85 lines into the zlib stream.
fn base85(lines: &[String]) -> Result<Vec<u8>, BinaryError> {
    let mut out = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let b = line.as_bytes();
        let len = match b.first() {
            Some(c @ b'A'..=b'Z') => usize::from(c - b'A') + 1,
            Some(c @ b'a'..=b'z') => usize::from(c - b'a') + 27,
            _ => return Err(BinaryError::Base85(n + 1)),
        };
        let chars = &b[1..];
        if chars.len() != len.div_ceil(4) * 5 {
            return Err(BinaryError::Base85(n + 1));
        }
        let mut bytes = Vec::with_capacity(chars.len() / 5 * 4);
        for group in chars.chunks(5) {
            let mut acc: u64 = 0;
            for &c in group {
                acc = acc * 85 + u64::from(digit(c).ok_or(BinaryError::Base85(n + 1))?);
            }
            let acc = u32::try_from(acc).map_err(|_| BinaryError::Base85(n + 1))?;
            bytes.extend_from_slice(&acc.to_be_bytes());
        }
        out.extend_from_slice(&bytes[..len]);
    }
    Ok(out)
}

fn varint(d: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *d.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn apply_delta(src: &[u8], d: &[u8]) -> Option<Vec<u8>> {
    let mut at = 0;
    if varint(d, &mut at)? != src.len() as u64 {
        return None;
    }
    let want = usize::try_from(varint(d, &mut at)?)
        .ok()
        .filter(|&w| w <= MAX_INFLATED)?;
    let mut out = Vec::with_capacity(want);
    while at < d.len() {
        let op = d[at];
        at += 1;
        if op & 0x80 != 0 {
            let (mut off, mut size) = (0usize, 0usize);
            for i in 0..4 {
                if op & (1 << i) != 0 {
                    off |= usize::from(*d.get(at)?) << (8 * i);
                    at += 1;
                }
            }
            for i in 0..3 {
                if op & (0x10 << i) != 0 {
                    size |= usize::from(*d.get(at)?) << (8 * i);
                    at += 1;
                }
            }
            if size == 0 {
                size = 0x10000;
            }
            out.extend_from_slice(src.get(off..off.checked_add(size)?)?);
        } else if op != 0 {
            out.extend_from_slice(d.get(at..at + usize::from(op))?);
            at += usize::from(op);
        } else {
            return None;
        }
        if out.len() > want {
            return None;
        }
    }
    (out.len() == want).then_some(out)
}

/// The content a block produces from `src` (ignored for a `literal` block).
pub fn apply(src: &[u8], block: &BinaryBlock) -> Result<Vec<u8>, BinaryError> {
    let z = base85(&block.data)?;
    let inflated = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&z, MAX_INFLATED)
        .map_err(|e| BinaryError::Inflate(format!("{:?}", e.status)))?;
    // The declared size is the inflated data's: the content for a literal, the delta
    // instructions for a delta.
    if inflated.len() as u64 != block.size {
        return Err(BinaryError::Size {
            got: inflated.len() as u64,
            want: block.size,
        });
    }
    match block.method.as_str() {
        "delta" => apply_delta(src, &inflated).ok_or(BinaryError::Delta),
        _ => Ok(inflated),
    }
}
