//! `cargo fuzz run config`: [`dsr::fuzz::config`] on every input libFuzzer makes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dsr::fuzz::config(data));
