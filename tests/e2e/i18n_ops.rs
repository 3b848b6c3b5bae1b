//! The interface language for messages of src/ops (issue 17 point 11):
//! each in English and in German, pinned in `tests/golden/i18n/{en,de}/`.
