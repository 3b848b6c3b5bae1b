//! `cargo fuzz run subject`: [`dsr::fuzz::subject`] on every input libFuzzer makes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dsr::fuzz::subject(data));
