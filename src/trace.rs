//! `-v` details: what the library did, handed to whoever wants to show it.
//! The same channel carries the few warnings that apply at a moment inside
//! a workflow ([`Trace::warn`]: shown with or without `-v`).
//!
//! The library never prints (STYLE.md: only `cli` prints). Workflows that
//! have something worth showing with `-v` — which files were read, the
//! steps and replies of an SMTP dialogue, which evidence files were
//! written — hand a line of text to a [`Tracer`]. The CLI passes one that
//! writes to stderr when `-v` is given; everything else passes [`quiet`].
//!
//! A detail must never contain a secret (SMTP password, DKIM key) or the
//! message's content; it may name files, servers, reply codes and hashes.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! struct Collect(Mutex<Vec<String>>);
//! impl dsr::trace::Trace for Collect {
//!     fn detail(&self, text: &str) {
//!         self.0.lock().unwrap().push(text.to_string());
//!     }
//!     fn warn(&self, text: &str) {
//!         self.detail(text);
//!     }
//! }
//! let seen = Arc::new(Collect(Mutex::new(Vec::new())));
//! let tracer: dsr::trace::Tracer = seen.clone();
//! tracer.detail("config: ./dsr.toml");
//! dsr::trace::quiet().detail("shown to nobody");
//! assert_eq!(*seen.0.lock().unwrap(), ["config: ./dsr.toml"]);
//! ```

use std::sync::Arc;

/// Receives `-v` details, one line of text each.
pub trait Trace: Send + Sync {
    /// One detail, without a trailing newline.
    fn detail(&self, text: &str);

    /// False when every detail would be dropped, so a caller on a hot path
    /// (one line per SMTP reply in a batch) can skip formatting it.
    fn enabled(&self) -> bool {
        true
    }

    /// A warning the user must see whether or not `-v` was given, at the
    /// moment it applies (an SMTP session without encryption is about to
    /// open), without a trailing newline.
    fn warn(&self, text: &str);
}

/// A shared [`Trace`], cheap to clone into every part of a run (the SMTP
/// session, a batch's staging thread).
pub type Tracer = Arc<dyn Trace>;

/// Drops every detail.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Trace for Quiet {
    fn detail(&self, _text: &str) {}

    fn warn(&self, _text: &str) {}

    fn enabled(&self) -> bool {
        false
    }
}

/// A [`Tracer`] that shows nothing.
pub fn quiet() -> Tracer {
    Arc::new(Quiet)
}
