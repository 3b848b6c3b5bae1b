//! `cargo fuzz run policy`: [`dsr::fuzz::policy`] on every input libFuzzer makes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dsr::fuzz::policy(data));
