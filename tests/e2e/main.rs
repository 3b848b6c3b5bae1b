//! End-to-end tests: the built `dsr` binary against real files (and, for
//! sending, a real SMTP server). One module per command.

#[path = "../support/mod.rs"]
mod support;

mod batch;
mod cases;
mod channels;
mod completions;
mod confirm;
mod conventions;
mod crash;
mod deadline;
mod dsn;
mod evidence;
mod faults;
mod guard;
mod hardening;
mod help;
mod i18n;
mod i18n_cli;
mod i18n_evidence;
mod i18n_evidence2;
mod i18n_input;
mod i18n_mail;
mod i18n_ops;
mod i18n_policy;
mod import;
mod init;
mod key;
mod labels;
mod log;
mod mail;
mod mailbox;
mod policy;
mod post;
mod purge;
mod readdress;
mod render;
mod send;
mod stdio;
mod tamper;
mod timestamp;
mod upgrade;
mod verbose;
mod witness;
