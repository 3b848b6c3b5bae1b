//! `cargo fuzz run proofs`: [`dsr::fuzz::proofs`] on every input libFuzzer makes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dsr::fuzz::proofs(data));
