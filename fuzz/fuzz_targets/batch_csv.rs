//! `cargo fuzz run batch_csv`: [`dsr::fuzz::batch_csv`] on every input libFuzzer makes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dsr::fuzz::batch_csv(data));
