//! `Secret<T>`: a value that must never be printed, logged or serialized.
//!
//! SMTP passwords and DKIM keys are wrapped the moment they are read. The
//! type has no `Display`, no `Serialize`, and its `Debug` prints
//! `Secret([redacted])`; [`Secret::expose`] marks every place the value
//! leaves the wrapper (only the SMTP and DKIM code call it).

use std::fmt;

/// A wrapped secret value. See the module docs.
#[derive(Clone)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
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

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_does_not_show_the_value() {
        let s = Secret::new("hunter2".to_string());
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert_eq!(s.expose(), "hunter2");
    }
}
