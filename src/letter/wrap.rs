//! Word-wrapping user-supplied text in plain-text letters.
//!
//! Template text is wrapped by hand at 76 columns; values that come from
//! policies or the user (precondition texts, notes, complaint details) are
//! not, so the `wrap` helper folds them: `{{wrap this 2}}` wraps at 76
//! columns and indents continuation lines by 2 spaces (for a `- ` list
//! item); `{{wrap details 0 14}}` says the first line already has 14
//! characters before it (`Im Einzelnen: `).

use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason};

/// The letters' line width.
pub const WIDTH: usize = 76;

/// Wraps `text` at `width` columns (in characters). Continuation lines start
/// with `indent` spaces; the first line has `first` characters before it.
/// Words longer than a line (URLs) are kept whole. Existing line breaks
/// are kept.
pub fn wrap(text: &str, width: usize, indent: usize, first: usize) -> String {
    let mut out = String::new();
    for (n, paragraph) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
        }
        let mut col = if n == 0 { first } else { indent };
        let mut line_start = true;
        for word in paragraph.split_whitespace() {
            let len = word.chars().count();
            if !line_start && col + 1 + len > width {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                col = indent;
                line_start = true;
            }
            if !line_start {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += len;
            line_start = false;
        }
    }
    out
}

/// The `wrap` handlebars helper. See the module docs.
pub struct WrapHelper;

impl HelperDef for WrapHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let param = h.param(0).ok_or(RenderErrorReason::ParamNotFoundForIndex("wrap", 0))?;
        if param.is_value_missing() {
            return Err(RenderErrorReason::MissingVariable(param.relative_path().cloned()).into());
        }
        let number = |i: usize, default: usize| -> Result<usize, RenderErrorReason> {
            match h.param(i) {
                None => Ok(default),
                Some(p) => p
                    .value()
                    .as_u64()
                    .map(|n| n as usize)
                    .ok_or_else(|| RenderErrorReason::Other(format!("wrap: parameter {i} must be a number"))),
            }
        };
        let indent = number(1, 0)?;
        let first = number(2, indent)?;
        let text = match param.value() {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.write(&wrap(&text, WIDTH, indent, first))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_indents() {
        let text = "Tickets, Berichte und Nutzerdaten, die aufbewahrt werden müssen, sind exportiert: Die Löschung ist endgültig.";
        let w = wrap(text, 40, 2, 2);
        assert_eq!(
            w,
            "Tickets, Berichte und Nutzerdaten, die\n  aufbewahrt werden müssen, sind\n  exportiert: Die Löschung ist\n  endgültig."
        );
        for line in w.lines() {
            assert!(line.chars().count() + 2 <= 40, "{line}");
        }
        assert_eq!(wrap("short", 76, 2, 2), "short");
        assert_eq!(
            wrap("a https://very-long-url.example/with/a/path b", 10, 0, 0),
            "a\nhttps://very-long-url.example/with/a/path\nb"
        );
        assert_eq!(wrap("one\ntwo", 76, 4, 0), "one\n    two");
    }
}
