//! Workflows: the only place where requests, letters, mail, evidence and
//! case state meet.
//!
//! Each submodule is one workflow the CLI calls. Write-ahead order for
//! anything that sends (DESIGN §2, §6): validate everything, store every
//! object, log `prepared`, hand the stored bytes to SMTP (or the outbox),
//! log the outcome. Everything from "log `prepared`" on is one pipeline,
//! [`deliver`], shared by `send`, `batch`, `retry` and `followup`.

pub mod batch;
pub mod cases;
pub mod compose;
pub mod coverage;
pub mod deliver;
pub mod dispatched;
pub mod export;
pub mod followup;
pub mod guard;
pub mod ics;
pub mod parallel;
pub mod post;
pub mod preview;
pub mod purge;
pub mod readdress;
pub mod reply;
pub mod report;
pub mod retry;
pub mod salt;
pub mod send;
pub mod timestamp;
pub mod witness_mail;
