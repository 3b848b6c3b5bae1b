//! `cargo fuzz run sent_copy`: [`dsr::fuzz::sent_copy`] on every input libFuzzer makes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dsr::fuzz::sent_copy(data));
