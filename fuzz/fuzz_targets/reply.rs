//! `cargo fuzz run reply`: [`dsr::fuzz::reply`] on every input libFuzzer makes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dsr::fuzz::reply(data));
