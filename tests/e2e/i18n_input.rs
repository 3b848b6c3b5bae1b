//! The interface language (issue 17 point 11): input messages, each in
//! English and in German, pinned in `tests/golden/i18n/{en,de}/`.
