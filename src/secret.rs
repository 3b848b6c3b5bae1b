//! `Secret<T>`: a value that must never be printed, logged or serialized,
//! and is wiped from memory when dropped.
//!
//! SMTP passwords and DKIM keys are wrapped the moment they are read. The
//! type has no `Display`, no `Serialize`, and its `Debug` prints
//! `Secret([redacted])`; [`Secret::expose`] marks every place the value
//! leaves the wrapper (only the SMTP and DKIM code call it).
//!
//! Dropping a `Secret` overwrites its value with zeros first
//! ([`zeroize`]: volatile writes the compiler may not optimize away, over
//! a `String`'s or `Vec`'s whole capacity), so a password does not linger
//! in freed memory after the mailer is done. What this cannot reach:
//! copies made outside the wrapper (lettre's `Credentials` and the AUTH
//! commands it encodes, the parsed DKIM key inside lettre), and buffers
//! that were reallocated before the value was wrapped. Keep such copies
//! few; `mail::smtp` documents the ones it makes.

use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A wrapped secret value. See the module docs.
#[derive(Clone)]
pub struct Secret<T: Zeroize>(T);

impl<T: Zeroize> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// Returns the secret value. Every call site is a place where the secret
    /// leaves dsr's control; keep them few.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Wipes the value now (it stays wrapped, empty).
impl<T: Zeroize> Zeroize for Secret<T> {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> Drop for Secret<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// A `Secret` is wiped on drop (see the `Drop` impl).
impl<T: Zeroize> ZeroizeOnDrop for Secret<T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn debug_does_not_show_the_value() {
        let s = Secret::new("hunter2".to_string());
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert_eq!(s.expose(), "hunter2");
    }

    /// Counts how often it was wiped.
    struct Probe(Arc<AtomicUsize>);

    impl Zeroize for Probe {
        fn zeroize(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn dropping_a_secret_wipes_its_value() {
        let wiped = Arc::new(AtomicUsize::new(0));
        let s = Secret::new(Probe(wiped.clone()));
        let other = Secret::new(Probe(wiped.clone()));
        assert_eq!(wiped.load(Ordering::SeqCst), 0);
        drop(s);
        assert_eq!(wiped.load(Ordering::SeqCst), 1);
        drop(other);
        assert_eq!(wiped.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn wiping_overwrites_the_whole_buffer_of_a_string() {
        // Reading freed memory after a drop would be undefined behaviour;
        // what drop calls, `zeroize`, can be watched on a live buffer.
        let mut s = Secret::new(String::from("hunter2-Pässwort"));
        let (ptr, cap) = (s.expose().as_ptr(), s.expose().capacity());
        s.zeroize();
        assert_eq!(s.expose(), "");
        assert_eq!((s.expose().as_ptr(), s.expose().capacity()), (ptr, cap), "the same buffer");
        // SAFETY: `ptr` is the live allocation of `s.0` with `cap` bytes,
        // all of which zeroize has just written.
        let bytes = unsafe { std::slice::from_raw_parts(ptr, cap) };
        assert!(bytes.iter().all(|b| *b == 0), "{bytes:?}");
    }

    #[test]
    fn a_list_of_secrets_is_wiped_element_by_element() {
        let mut list = Secret::new(vec!["hunter2".to_string(), "aHVudGVyMg==".to_string()]);
        list.zeroize();
        assert!(list.expose().is_empty());
    }
}
