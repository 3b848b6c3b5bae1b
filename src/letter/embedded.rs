//! The built-in templates, compiled into the binary with `include_str!`.
//!
//! A plain list rather than a directory-embedding crate: the set is small
//! and fixed, it costs no dependency, and the unit test
//! `embedded_list_matches_templates_dir` fails when a file under
//! `templates/` is missing here (or the other way round).

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/", $path)))),*]
    };
}

/// (path below `templates/`, content) of every built-in template.
pub(super) const FILES: &[(&str, &str)] = embed![
    "de/access.hbs",
    "de/access.subject.hbs",
    "de/complaint.hbs",
    "de/complaint.subject.hbs",
    "de/erasure.hbs",
    "de/erasure.subject.hbs",
    "de/evidence-readme.hbs",
    "de/identity-verification.hbs",
    "de/partials/head.hbs",
    "de/partials/identity.hbs",
    "de/partials/notes.hbs",
    "de/partials/period.hbs",
    "de/partials/preconditions.hbs",
    "de/partials/request-title.hbs",
    "de/partials/sender.hbs",
    "de/partials/services.hbs",
    "de/partials/signature.hbs",
    "de/post/annex.hbs",
    "de/post/info.hbs",
    "de/post/not-appended.hbs",
    "de/post/page.hbs",
    "de/post/return-line.hbs",
    "de/processor-deletion.hbs",
    "de/processor-deletion.subject.hbs",
    "de/reminder.hbs",
    "de/reminder.subject.hbs",
    "de/rectification.hbs",
    "de/objection.hbs",
    "de/restriction.hbs",
    "de/portability.hbs",
    "de/rectification.subject.hbs",
    "de/objection.subject.hbs",
    "de/restriction.subject.hbs",
    "de/portability.subject.hbs",
    "en/access.hbs",
    "en/access.subject.hbs",
    "en/complaint.hbs",
    "en/complaint.subject.hbs",
    "en/erasure.hbs",
    "en/erasure.subject.hbs",
    "en/evidence-readme.hbs",
    "en/identity-verification.hbs",
    "en/partials/head.hbs",
    "en/partials/identity.hbs",
    "en/partials/notes.hbs",
    "en/partials/period.hbs",
    "en/partials/preconditions.hbs",
    "en/partials/request-title.hbs",
    "en/partials/sender.hbs",
    "en/partials/services.hbs",
    "en/partials/signature.hbs",
    "en/post/annex.hbs",
    "en/post/info.hbs",
    "en/post/not-appended.hbs",
    "en/post/page.hbs",
    "en/post/return-line.hbs",
    "en/processor-deletion.hbs",
    "en/processor-deletion.subject.hbs",
    "en/reminder.hbs",
    "en/reminder.subject.hbs",
    "en/rectification.hbs",
    "en/objection.hbs",
    "en/restriction.hbs",
    "en/portability.hbs",
    "en/rectification.subject.hbs",
    "en/objection.subject.hbs",
    "en/restriction.subject.hbs",
    "en/portability.subject.hbs",
];
