//! `cargo fuzz run checkpoint`: [`dsr::fuzz::checkpoint`] on every input libFuzzer makes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dsr::fuzz::checkpoint(data));
