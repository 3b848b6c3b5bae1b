//! Every parser of untrusted input, on arbitrary bytes: the entry points
//! of dsr's fuzz targets.
//!
//! Each function takes bytes as a file would hold them, runs the parser
//! (and what follows it on success: a policy's lint, a subject checked
//! against a policy, a log folded into cases) and ignores the outcome. An
//! error is a fine result; a panic, a hang or unbounded memory is a bug.
//! Text parsers get the bytes as UTF-8 where they are, lossily converted
//! where not, as `file::read_text` would have refused them first.
//!
//! Two harnesses call them: bounded property tests in the normal suite
//! (`cargo test fuzz::`, 256 cases each over arbitrary bytes and over
//! mutations of valid files; `DSR_FUZZ_CASES=N` for more), and
//! `cargo fuzz` targets in `fuzz/` for long runs (docs/reliability.md
//! says how to run them).
//!
//! Like [`crate::cli`], this module may use every other one; nothing
//! imports it.

use crate::case::event::Event;
use crate::kind::LetterKind;
use std::borrow::Cow;
use std::path::Path;

fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// A policy file: parsed, linted, and for a clean one checked against
/// the example subject for every initial letter kind.
pub fn policy(bytes: &[u8]) {
    let report = crate::policy::check::check_text("fuzz.toml", &text(bytes));
    let _ = report.problems.len();
    if let Ok(policy) = crate::toml_file::parse::<crate::policy::Policy>(Path::new("fuzz.toml"), &text(bytes)) {
        let _ = crate::policy::check::problems(&policy, None);
        for kind in [LetterKind::Erasure, LetterKind::ProcessorDeletion, LetterKind::Access] {
            let _ = policy.check_kind(kind);
        }
    }
}

/// A subject file: parsed and checked.
pub fn subject(bytes: &[u8]) {
    let _ = crate::subject::Subject::parse(Path::new("subject.toml"), &text(bytes));
}

/// A configuration file `dsr.toml`.
pub fn config(bytes: &[u8]) {
    let _ = crate::config::Config::parse(Path::new("dsr.toml"), &text(bytes));
}

/// A batch file in CSV.
pub fn batch_csv(bytes: &[u8]) {
    let _ = crate::ops::batch::parse_text(Path::new("fuzz/requests.csv"), &text(bytes));
}

/// A batch file in TOML.
pub fn batch_toml(bytes: &[u8]) {
    let _ = crate::ops::batch::parse_text(Path::new("fuzz/requests.toml"), &text(bytes));
}

/// A received reply (`.eml`): its headers.
pub fn reply(bytes: &[u8]) {
    if let Ok(h) = crate::mail::parse::headers(bytes) {
        let _ = h.referenced_ids();
    }
}

/// A delivery report or read receipt (`dsr mail import`): parsed.
pub fn report(bytes: &[u8]) {
    let _ = crate::mailbox::report::parse(bytes);
}

/// A signed checkpoint (`--checkpoint FILE`, a bundle's `checkpoint.txt`),
/// a public key (`--key`) and a key file: parsed; a parsed checkpoint is
/// verified against a fixed key, and its body parsed again.
pub fn checkpoint(bytes: &[u8]) {
    use crate::evidence::note::{Checkpoint, SignedCheckpoint, Signer, Verifier};
    let t = text(bytes);
    if let Ok(cp) = SignedCheckpoint::parse(&t)
        && let Ok(signer) = Signer::from_seed("fuzz", [9; 32])
    {
        let _ = cp.signed.verify(&signer.verifier());
        let _ = Checkpoint::parse(&cp.checkpoint.body());
    }
    let _ = Verifier::parse(t.trim());
    let _ = Signer::parse(t.trim());
}

/// A bundle's `proofs.json`, parsed; and inclusion and consistency proofs
/// checked with the sizes, indices and hashes taken from the bytes (the
/// first 24 bytes: index or old size, size, new size; then 32-byte
/// hashes), where a bundle's arithmetic could go wrong.
pub fn proofs(bytes: &[u8]) {
    use crate::evidence::Sha256;
    use crate::evidence::merkle::{verify_consistency, verify_inclusion};
    let _ = serde_json::from_slice::<crate::ops::export::BundleProofs>(bytes);
    let number = |i: usize| {
        let mut b = [0u8; 8];
        for (j, x) in bytes.iter().skip(i * 8).take(8).enumerate() {
            b[j] = *x;
        }
        // Small numbers too, or every case is a tree of 2^60 lines.
        let n = u64::from_le_bytes(b);
        if b[7] & 1 == 0 { n % 64 } else { n }
    };
    let hashes: Vec<Sha256> = bytes
        .get(24..)
        .unwrap_or_default()
        .chunks_exact(32)
        .map(|c| Sha256::from_bytes(c.try_into().expect("a chunk of 32")))
        .collect();
    let (first, proof) = hashes.split_first().map_or((Sha256::ZERO, &[][..]), |(f, rest)| (*f, rest));
    let root = proof.last().copied().unwrap_or(Sha256::ZERO);
    let _ = verify_inclusion(number(0), number(1), &first, proof, &root);
    let _ = verify_consistency(number(0), number(2), proof, &first, &root);
}

/// A sent copy (`dsr dispatched --via email --eml`): summarized, and
/// compared with a message dsr wrote.
pub fn sent_copy(bytes: &[u8]) {
    const OUTBOXED: &[u8] = b"From: A <a@b.example>\r\nTo: p@zendesk.example\r\nSubject: Request\r\n\
        Message-ID: <m1@b.example>\r\nDate: Mon, 30 Nov 2026 09:15:00 +0000\r\nMIME-Version: 1.0\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\r\nPlease erase.\r\n";
    let _ = crate::mail::compare::summarize(bytes);
    let _ = crate::mail::compare::compare(OUTBOXED, bytes);
}

/// An evidence log: `bytes` become `scratch/log.jsonl` (an empty
/// directory the caller owns, reused between calls), which is verified,
/// read entry by entry with every case event decoded, opened for writing
/// (the torn-tail check) and folded into cases.
pub fn log(bytes: &[u8], scratch: &Path) {
    let path = scratch.join(crate::evidence::LOG_FILE);
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    let _ = crate::evidence::verify(scratch, &crate::evidence::VerifyOptions::default());
    if let Ok(entries) = crate::evidence::read_entries(scratch) {
        for entry in entries {
            match entry {
                Ok(e) => {
                    let _ = Event::decode_entry(&e);
                }
                Err(_) => break,
            }
        }
    }
    drop(crate::evidence::Log::open(scratch));
    let _ = crate::ops::cases::load(scratch);
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(scratch.join(crate::evidence::LOCK_FILE));
}

#[cfg(test)]
mod tests {
    //! The bounded property tests: no parser panics on arbitrary bytes, or
    //! on a valid file with a few bytes changed, inserted or removed.

    use super::*;
    use proptest::prelude::*;

    /// Cases per property: 256, or `DSR_FUZZ_CASES` for a longer run
    /// (`DSR_FUZZ_CASES=100000 cargo test --release --lib fuzz::`).
    fn cases() -> u32 {
        std::env::var("DSR_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
    }

    fn sample(rel: &str) -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("sample file")
    }

    /// `base` with up to 8 edits at arbitrary positions: a byte replaced,
    /// inserted or removed.
    fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..8).prop_map(move |edits| {
            let mut b = base.clone();
            for (at, byte, how) in edits {
                let i = if b.is_empty() { 0 } else { at % b.len() };
                match how {
                    0 if !b.is_empty() => b[i] = byte,
                    1 => b.insert(i, byte),
                    _ if !b.is_empty() => {
                        b.remove(i);
                    }
                    _ => b.push(byte),
                }
            }
            b
        })
    }

    /// A checkpoint as dsr signs it, by the key [`checkpoint`] verifies with.
    fn signed_checkpoint() -> Vec<u8> {
        use crate::evidence::merkle::{CompactRange, leaf_hash};
        use crate::evidence::note::{Checkpoint, Signer};
        let mut range = CompactRange::default();
        range.append(leaf_hash(b"line"));
        let cp = Checkpoint { origin: "dsr-evidence-log/fuzz".into(), size: 1, root: range.root() };
        Signer::from_seed("fuzz", [9; 32]).unwrap().sign(&cp.body()).into_bytes()
    }

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..2048)
    }

    const CSV: &str = "key,policy,kind,lang,subject,attach,confirm,ground,calendar,confirm_by,cc_self,subject.name\n\
        a,zendesk,erasure,de,subject-person.toml,a.pdf;b.pdf,export-data,a;b,DE-BE,2026-12-01,true,\n\
        b,1blu,access,en,,,,,,,false,Erika Mustermann\n";
    const TOML: &str = "[[request]]\nkey = \"a\"\npolicy = \"zendesk\"\nkind = \"erasure\"\nsubject = \"s.toml\"\n\
        attach = [\"a.pdf\"]\n\n[[request]]\npolicy = \"1blu\"\nkind = \"access\"\n[request.subject]\n\
        capacity = \"data_subject\"\nname = \"Erika\"\nemail = \"e@example.org\"\n";
    const EML: &str = "From: Privacy <privacy@zendesk.com>\r\nTo: a@b.example\r\nSubject: Re: Request\r\n\
        Message-ID: <reply-1@zendesk.com>\r\nIn-Reply-To: <abc@beispiel.example>\r\nReferences: <x@y>\r\n <abc@b>\r\n\
        Date: Mon, 30 Nov 2026 09:15:00 +0000 (UTC)\r\n\r\nBody\r\n";
    const REPORT: &str = "From: MAILER-DAEMON@relay.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; \
        report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B\r\n\
        Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay.example\r\nOriginal-Envelope-Id: \
        r_aaaabbbbccccdddd\r\nArrival-Date: Wed, 2 Dec 2026 04:40:01 +0000 (UTC)\r\n\r\nFinal-Recipient: rfc822; \
        a@b.example\r\nAction: failed\r\nStatus: 5.1.1\r\nLast-Attempt-Date: Wed, 2 Dec 2026 04:40:02 +0000\r\n\r\n\
        --B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <m@b.example>\r\n--B--\r\n";

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn policy_never_panics(b in bytes()) { policy(&b) }
        #[test]
        fn policy_mutated_never_panics(b in mutated(sample("policies/zendesk.toml"))) { policy(&b) }
        #[test]
        fn subject_never_panics(b in bytes()) { subject(&b) }
        #[test]
        fn subject_mutated_never_panics(b in mutated(sample("examples/subject-org.toml"))) { subject(&b) }
        #[test]
        fn config_never_panics(b in bytes()) { config(&b) }
        #[test]
        fn config_mutated_never_panics(b in mutated(sample("examples/dsr.toml"))) { config(&b) }
        #[test]
        fn batch_csv_never_panics(b in bytes()) { batch_csv(&b) }
        #[test]
        fn batch_csv_mutated_never_panics(b in mutated(CSV.as_bytes().to_vec())) { batch_csv(&b) }
        #[test]
        fn batch_toml_never_panics(b in bytes()) { batch_toml(&b) }
        #[test]
        fn batch_toml_mutated_never_panics(b in mutated(TOML.as_bytes().to_vec())) { batch_toml(&b) }
        #[test]
        fn reply_never_panics(b in bytes()) { reply(&b) }
        #[test]
        fn report_mutated_never_panics(b in mutated(REPORT.as_bytes().to_vec())) { report(&b) }
        #[test]
        fn reply_mutated_never_panics(b in mutated(EML.as_bytes().to_vec())) { reply(&b) }
        #[test]
        fn checkpoint_never_panics(b in bytes()) { checkpoint(&b) }
        #[test]
        fn checkpoint_mutated_never_panics(b in mutated(signed_checkpoint())) { checkpoint(&b) }
        #[test]
        fn proofs_never_panics(b in bytes()) { proofs(&b) }
        #[test]
        fn sent_copy_never_panics(b in bytes()) { sent_copy(&b) }
        #[test]
        fn sent_copy_mutated_never_panics(b in mutated(EML.as_bytes().to_vec())) { sent_copy(&b) }
    }

    proptest! {
        // Each case writes a file: fewer of them.
        #![proptest_config(ProptestConfig { cases: cases() / 2, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn log_never_panics(b in bytes()) {
            let dir = tempfile::tempdir().unwrap();
            log(&b, dir.path());
        }
        #[test]
        fn log_mutated_never_panics(b in mutated(sample("tests/fixtures/golden-log/log.jsonl"))) {
            let dir = tempfile::tempdir().unwrap();
            log(&b, dir.path());
        }
    }
}
