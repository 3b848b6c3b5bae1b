//! Two SHA-256 digests computed side by side.
//!
//! Reading the log costs two SHA-256 per line (the chain hash of the line
//! and its RFC 9162 leaf hash) and the tree's node hashes. One SHA-256 is a
//! chain of dependent compression rounds: on a CPU with the SHA extensions
//! each `sha256rnds2` waits for the one before, and the SHA unit idles
//! between them. Two independent messages interleaved round by round keep
//! it busy: on the 2-vCPU Xeon and EPYC machines of `BENCHMARKS.md` a pair
//! costs little more than one (figures there).
//!
//! [`digest_pair`] is that, with the `sha2` crate as the fallback wherever
//! the CPU lacks the extensions (checked at run time) or the target is not
//! x86-64. The results are plain SHA-256: the tests hold both paths to
//! `sha2` on every length around the block boundaries and on random
//! messages.

use super::Sha256;

/// A message to hash: an optional first byte (the RFC 9162 domain
/// separator, `0x00` for a leaf, `0x01` for a node) and the bytes after
/// it, so that a leaf is hashed without copying the line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Message<'a> {
    pub prefix: Option<u8>,
    pub bytes: &'a [u8],
}

impl<'a> Message<'a> {
    /// The bytes alone.
    pub(crate) fn plain(bytes: &'a [u8]) -> Message<'a> {
        Message { prefix: None, bytes }
    }

    /// `prefix ‖ bytes`.
    pub(crate) fn prefixed(prefix: u8, bytes: &'a [u8]) -> Message<'a> {
        Message { prefix: Some(prefix), bytes }
    }

    /// Length in bytes, the prefix included.
    fn len(&self) -> usize {
        usize::from(self.prefix.is_some()) + self.bytes.len()
    }

    /// Number of 64-byte blocks after SHA-256 padding (FIPS 180-4 §5.1.1:
    /// a `0x80` byte, zeros, and the bit length as 8 bytes).
    fn blocks(&self) -> usize {
        (self.len() + 9).div_ceil(64)
    }

    /// Block `j` (< [`Message::blocks`]) of the padded message.
    #[inline]
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    fn block(&self, j: usize) -> [u8; 64] {
        let skip = usize::from(self.prefix.is_some());
        let start = 64 * j;
        let mut out = [0u8; 64];
        if start >= skip && start + 64 <= self.len() {
            // Message bytes only: every block but the first of a prefixed
            // message and the last one or two.
            out.copy_from_slice(&self.bytes[start - skip..start - skip + 64]);
            return out;
        }
        self.edge_block(j, out)
    }

    /// [`Message::block`] for a block with the prefix or padding in it.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    fn edge_block(&self, j: usize, mut out: [u8; 64]) -> [u8; 64] {
        let len = self.len();
        let skip = usize::from(self.prefix.is_some());
        let end = 64 * j + 64;
        // `pos`: the message position that `out[k]` holds.
        let (mut pos, mut k) = (64 * j, 0);
        if let (0, Some(p)) = (pos, self.prefix) {
            out[0] = p;
            (pos, k) = (1, 1);
        }
        if pos < len {
            let take = end.min(len) - pos;
            out[k..k + take].copy_from_slice(&self.bytes[pos - skip..pos - skip + take]);
            (pos, k) = (pos + take, k + take);
        }
        if pos == len && pos < end {
            out[k] = 0x80;
        }
        if j + 1 == self.blocks() {
            // A message this tool hashes is far below 2^61 bytes.
            let bits = (len as u64).wrapping_mul(8);
            out[56..].copy_from_slice(&bits.to_be_bytes());
        }
        out
    }
}

/// SHA-256 of one message (the `sha2` crate).
pub(crate) fn digest(m: Message<'_>) -> Sha256 {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    if let Some(p) = m.prefix {
        h.update([p]);
    }
    h.update(m.bytes);
    Sha256::from_bytes(h.finalize().into())
}

/// SHA-256 of `a` and of `b`, interleaved where the CPU allows.
pub(crate) fn digest_pair(a: Message<'_>, b: Message<'_>) -> (Sha256, Sha256) {
    #[cfg(target_arch = "x86_64")]
    if ni::available() {
        // SAFETY: the CPU has the features `ni::pair` is compiled for.
        return unsafe { ni::pair(&a, &b) };
    }
    (digest(a), digest(b))
}

/// The SHA extensions (`sha256rnds2`, `sha256msg1`, `sha256msg2`) with
/// SSE4.1 and SSSE3, two messages at a time (Intel's "SHA Extensions"
/// white paper, 2013, gives the one-message sequence this doubles).
#[cfg(target_arch = "x86_64")]
mod ni {
    use super::{Message, Sha256};
    use std::arch::x86_64::{
        __m128i, _mm_add_epi32, _mm_alignr_epi8, _mm_blend_epi16, _mm_loadu_si128, _mm_set_epi64x,
        _mm_sha256msg1_epu32, _mm_sha256msg2_epu32, _mm_sha256rnds2_epu32, _mm_shuffle_epi8, _mm_shuffle_epi32,
        _mm_storeu_si128,
    };

    /// True if this CPU can run [`pair`] (std caches the `cpuid` answer).
    pub(super) fn available() -> bool {
        std::arch::is_x86_feature_detected!("sha")
            && std::arch::is_x86_feature_detected!("sse4.1")
            && std::arch::is_x86_feature_detected!("ssse3")
    }

    /// FIPS 180-4 §4.2.2.
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];

    /// FIPS 180-4 §5.3.3.
    const IV: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    /// The state as the instructions want it: (ABEF, CDGH).
    type State = (__m128i, __m128i);

    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn initial() -> State {
        // SAFETY: `IV` is 8 words; both loads read 16 bytes inside it.
        let (dcba, hgfe) = unsafe {
            let p = IV.as_ptr().cast::<__m128i>();
            (_mm_loadu_si128(p), _mm_loadu_si128(p.add(1)))
        };
        let cdab = _mm_shuffle_epi32(dcba, 0xB1);
        let efgh = _mm_shuffle_epi32(hgfe, 0x1B);
        (_mm_alignr_epi8(cdab, efgh, 8), _mm_blend_epi16(efgh, cdab, 0xF0))
    }

    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn finish((abef, cdgh): State) -> Sha256 {
        let feba = _mm_shuffle_epi32(abef, 0x1B);
        let dchg = _mm_shuffle_epi32(cdgh, 0xB1);
        let mut words = [0u32; 8];
        // SAFETY: `words` is 32 bytes; the stores write 16 bytes each
        // inside it.
        unsafe {
            let p = words.as_mut_ptr().cast::<__m128i>();
            _mm_storeu_si128(p, _mm_blend_epi16(feba, dchg, 0xF0));
            _mm_storeu_si128(p.add(1), _mm_alignr_epi8(dchg, feba, 8));
        }
        let mut out = [0u8; 32];
        for (o, w) in out.chunks_exact_mut(4).zip(words) {
            o.copy_from_slice(&w.to_be_bytes());
        }
        Sha256::from_bytes(out)
    }

    /// The 16 big-endian words of `block`, four to a vector.
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn words(block: &[u8; 64]) -> [__m128i; 4] {
        let swap = _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203);
        let p = block.as_ptr().cast::<__m128i>();
        // SAFETY: `block` is 64 bytes; load `i` reads bytes 16 i..16 i + 16.
        std::array::from_fn(|i| _mm_shuffle_epi8(unsafe { _mm_loadu_si128(p.add(i)) }, swap))
    }

    /// The round constants `K[4 i..4 i + 4]`.
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn k(i: usize) -> __m128i {
        assert!(i < 16);
        // SAFETY: i < 16, so the load reads words 4 i..4 i + 4 of `K`.
        unsafe { _mm_loadu_si128(K.as_ptr().add(4 * i).cast::<__m128i>()) }
    }

    /// Message schedule: the next four words from the last sixteen, which
    /// `w` holds from `w[i]` on, cyclically (`w[i]` is overwritten,
    /// FIPS 180-4 §6.2.2 step 1).
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn schedule(w: &mut [__m128i; 4], i: usize) {
        let t = _mm_add_epi32(
            _mm_sha256msg1_epu32(w[i], w[(i + 1) % 4]),
            _mm_alignr_epi8(w[(i + 3) % 4], w[(i + 2) % 4], 4),
        );
        w[i] = _mm_sha256msg2_epu32(t, w[(i + 3) % 4]);
    }

    /// Four rounds with four scheduled words plus their constants.
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn rounds(s: &mut State, wk: __m128i) {
        s.1 = _mm_sha256rnds2_epu32(s.1, s.0, wk);
        s.0 = _mm_sha256rnds2_epu32(s.0, s.1, _mm_shuffle_epi32(wk, 0x0E));
    }

    /// One block into one state.
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn compress(s: &mut State, block: &[u8; 64]) {
        let before = *s;
        let mut w = words(block);
        // Rounds 16 r + 4 i..16 r + 4 i + 4; the loops are short enough
        // for the compiler to unroll, which keeps `w` in registers.
        for r in 0..4 {
            for i in 0..4 {
                if r > 0 {
                    schedule(&mut w, i);
                }
                rounds(s, _mm_add_epi32(w[i], k(4 * r + i)));
            }
        }
        *s = (_mm_add_epi32(s.0, before.0), _mm_add_epi32(s.1, before.1));
    }

    /// One block into each of two states, the rounds interleaved.
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn compress_two(a: &mut State, block_a: &[u8; 64], b: &mut State, block_b: &[u8; 64]) {
        let (before_a, before_b) = (*a, *b);
        let (mut wa, mut wb) = (words(block_a), words(block_b));
        for r in 0..4 {
            for i in 0..4 {
                if r > 0 {
                    schedule(&mut wa, i);
                    schedule(&mut wb, i);
                }
                let k = k(4 * r + i);
                rounds(a, _mm_add_epi32(wa[i], k));
                rounds(b, _mm_add_epi32(wb[i], k));
            }
        }
        *a = (_mm_add_epi32(a.0, before_a.0), _mm_add_epi32(a.1, before_a.1));
        *b = (_mm_add_epi32(b.0, before_b.0), _mm_add_epi32(b.1, before_b.1));
    }

    /// SHA-256 of `a` and of `b`: their common blocks two at a time, the
    /// longer one's rest alone.
    ///
    /// # Safety
    /// The CPU must have the SHA extensions, SSE4.1 and SSSE3
    /// ([`available`]).
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) unsafe fn pair(a: &Message<'_>, b: &Message<'_>) -> (Sha256, Sha256) {
        let (na, nb) = (a.blocks(), b.blocks());
        let (mut sa, mut sb) = (initial(), initial());
        for j in 0..na.min(nb) {
            compress_two(&mut sa, &a.block(j), &mut sb, &b.block(j));
        }
        for j in nb..na {
            compress(&mut sa, &a.block(j));
        }
        for j in na..nb {
            compress(&mut sb, &b.block(j));
        }
        (finish(sa), finish(sb))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(prefix: Option<u8>, bytes: &[u8]) -> Sha256 {
        let mut all = prefix.map(|p| vec![p]).unwrap_or_default();
        all.extend_from_slice(bytes);
        Sha256::digest(&all)
    }

    #[test]
    fn the_padded_blocks_are_those_of_fips_180_4() {
        // "abc": one block, 0x80 after it, the bit length 24 at the end.
        let b = Message::plain(b"abc").block(0);
        assert_eq!(&b[..4], b"abc\x80");
        assert!(b[4..63].iter().all(|&x| x == 0));
        assert_eq!(b[63], 24);
        // 55 bytes fit one block; 56 need a second for the length.
        assert_eq!(Message::plain(&[7; 55]).blocks(), 1);
        assert_eq!(Message::plain(&[7; 56]).blocks(), 2);
        assert_eq!(Message::prefixed(0, &[7; 55]).blocks(), 2);
        // The 0x80 of a message of 64 bytes opens the second block.
        let m = Message::prefixed(1, &[7; 63]);
        assert_eq!(m.block(0)[0], 1);
        assert_eq!(m.block(1)[0], 0x80);
        assert_eq!(&m.block(1)[56..], &512u64.to_be_bytes());
    }

    #[test]
    fn every_length_around_the_block_boundaries_matches_sha2() {
        let data: Vec<u8> = (0..400u32).map(|i| (i * 151 + 7) as u8).collect();
        for n in 0..=260 {
            for prefix in [None, Some(0u8), Some(1u8)] {
                let m = Message { prefix, bytes: &data[..n] };
                assert_eq!(digest(m), reference(prefix, &data[..n]), "length {n}, prefix {prefix:?}");
                // Paired with the same message, a longer one, a shorter one.
                for other in [n, n + 1, n + 70, n.saturating_sub(65)] {
                    let o = Message::prefixed(0, &data[..other]);
                    let (x, y) = digest_pair(m, o);
                    assert_eq!(x, reference(prefix, &data[..n]), "length {n}, prefix {prefix:?}, paired with {other}");
                    assert_eq!(y, reference(Some(0), &data[..other]), "paired length {other} with {n}");
                }
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_sha_extension_path_is_the_one_tested_where_the_cpu_has_it() {
        // On such a CPU `digest_pair` above ran `ni::pair`; say so, so
        // that a CI machine without it is visible in the test output.
        if !ni::available() {
            eprintln!("this CPU lacks the SHA extensions: only the sha2 fallback was tested");
            return;
        }
        let (a, b) = unsafe { ni::pair(&Message::plain(b"abc"), &Message::plain(b"")) };
        assert_eq!(a.to_string(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(b.to_string(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    proptest! {
        #[test]
        fn a_pair_of_random_messages_hashes_as_two_sha2_digests(
            a in proptest::collection::vec(any::<u8>(), 0..2000),
            b in proptest::collection::vec(any::<u8>(), 0..2000),
            pa in proptest::option::of(any::<u8>()),
            pb in proptest::option::of(any::<u8>()),
        ) {
            let (x, y) = digest_pair(Message { prefix: pa, bytes: &a }, Message { prefix: pb, bytes: &b });
            prop_assert_eq!(x, reference(pa, &a));
            prop_assert_eq!(y, reference(pb, &b));
        }
    }
}
