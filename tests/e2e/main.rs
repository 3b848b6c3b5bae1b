//! End-to-end tests: the built `dsr` binary against real files (and, for
//! sending, a real SMTP server). One module per command.

#[path = "../support/mod.rs"]
mod support;

mod batch;
mod cases;
mod channels;
mod deadline;
mod evidence;
mod help;
mod import;
mod init;
mod log;
mod mail;
mod policy;
mod post;
mod render;
mod send;
mod verbose;
