//! `cargo fuzz run batch_toml`: [`dsr::fuzz::batch_toml`] on every input libFuzzer makes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dsr::fuzz::batch_toml(data));
