//! `ExitKind`: the classes of failure and their process exit codes.
//!
//! A leaf: every module's error type says which class it belongs to
//! (`fn exit_kind(&self) -> ExitKind`), so no module needs the top-level
//! [`crate::Error`] to name one, and [`crate::Error::exit_kind`] only
//! delegates. The codes are part of the interface (README,
//! docs/exit-codes.md) and never renumbered.

/// The classes of failure, each with its own process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    /// 1: an unexpected failure (I/O error, bug).
    Unexpected = 1,
    /// 2: bad usage or bad input; nothing was sent or logged.
    BadInput = 2,
    /// 3: delivery failed; nothing was marked as sent.
    DeliveryFailed = 3,
    /// 4: the evidence does not verify, or the log is damaged.
    EvidenceInvalid = 4,
    /// 5: the evidence log is locked by another dsr process.
    Locked = 5,
}

impl ExitKind {
    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

#[cfg(test)]
mod tests {
    use super::ExitKind;

    #[test]
    fn codes_are_never_renumbered() {
        let codes = [
            ExitKind::Unexpected,
            ExitKind::BadInput,
            ExitKind::DeliveryFailed,
            ExitKind::EvidenceInvalid,
            ExitKind::Locked,
        ]
        .map(ExitKind::code);
        assert_eq!(codes, [1, 2, 3, 4, 5]);
    }
}
