//! `cargo fuzz run log`: [`dsr::fuzz::log`] on every input libFuzzer makes,
//! in one scratch directory of this process (removed at exit by the OS's
//! temp cleaning; each input overwrites the last).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dsr-fuzz-log-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| dsr::fuzz::log(data, scratch()));
