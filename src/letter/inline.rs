//! Partials copied into the templates that use them, before registration.
//!
//! Handlebars renders `{{> partials/x}}` by cloning the whole current
//! context into a new block (`merge_json`), for every partial, on every
//! render: with six partials per letter that was a fifth of a letter's
//! rendering time. A partial reference that stands alone on a line, at
//! column 0, renders exactly as the partial's text put in place of that
//! line (the Handlebars spec's "standalone" rule removes the line and its
//! newline), provided the partial's text ends with a newline. Such lines
//! are expanded here, recursively; every other reference (indented, inline
//! in text, with parameters or whitespace control, a partial without a
//! final newline, an unknown name, a cycle) is left to handlebars as is.
//!
//! The one difference: inside a copied partial, block parameters of the
//! enclosing block (`{{#each xs as |x|}}`) stay visible, where handlebars
//! would hide them; a template that renders with handlebars' partials
//! renders the same way here.
//!
//! A render error reports a line of the expanded text; [`LineMap`] turns it
//! back into the file and line the user wrote.

/// How deep partials may nest before expansion stops (handlebars then
/// renders the rest).
const MAX_DEPTH: usize = 8;

/// Where the lines of an expanded template came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct LineMap {
    /// Runs of lines: (first line in the expanded text, template name,
    /// its line there), sorted by the first.
    runs: Vec<(usize, String, usize)>,
}

impl LineMap {
    /// The template and line that `line` (1-based, expanded text) came from.
    pub(super) fn origin(&self, line: usize) -> Option<(&str, usize)> {
        let i = self.runs.partition_point(|(start, _, _)| *start <= line).checked_sub(1)?;
        let (start, name, first) = &self.runs[i];
        Some((name.as_str(), first + (line - start)))
    }
}

/// `name`'s text with standalone partial lines replaced by the partials'
/// (expanded) text; `None` when nothing was expanded. `partials` gives a
/// template's text by name.
pub(super) fn expand<'a>(
    name: &str,
    text: &'a str,
    partials: &dyn Fn(&str) -> Option<&'a str>,
) -> Option<(String, LineMap)> {
    let mut out = Expanded { line: 1, ..Expanded::default() };
    let mut stack = vec![name.to_string()];
    out.push(name, text, partials, &mut stack);
    out.any.then_some((out.text, out.map))
}

#[derive(Default)]
struct Expanded {
    text: String,
    map: LineMap,
    /// The 1-based line the next pushed line gets.
    line: usize,
    /// Whether a partial was copied in.
    any: bool,
}

impl Expanded {
    fn push<'a>(
        &mut self,
        name: &str,
        text: &'a str,
        partials: &dyn Fn(&str) -> Option<&'a str>,
        stack: &mut Vec<String>,
    ) {
        let mut run_open = false;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            let inner = standalone_partial(line)
                .filter(|p| stack.len() < MAX_DEPTH && !stack.iter().any(|s| s == p))
                .and_then(|p| partials(p).filter(|t| t.is_empty() || t.ends_with('\n')).map(|t| (p, t)));
            match inner {
                Some((p, t)) => {
                    self.any = true;
                    stack.push(p.to_string());
                    self.push(p, t, partials, stack);
                    stack.pop();
                    run_open = false;
                }
                None => {
                    if !run_open {
                        self.map.runs.push((self.line, name.to_string(), i + 1));
                        run_open = true;
                    }
                    self.text.push_str(line);
                    self.line += 1;
                }
            }
        }
    }
}

/// The partial name of a line that is exactly `{{> name}}` (or
/// `{{>name}}`) plus its line end.
fn standalone_partial(line: &str) -> Option<&str> {
    let body = line.strip_suffix('\n').unwrap_or(line);
    let body = body.strip_suffix('\r').unwrap_or(body);
    let inner = body.strip_prefix("{{>")?.strip_suffix("}}")?;
    let name = inner.strip_prefix(' ').unwrap_or(inner);
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "_-/.".contains(c));
    ok.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partials(name: &str) -> Option<&'static str> {
        match name {
            "p/a" => Some("A1\n{{> p/b}}\nA3\n"),
            "p/b" => Some("B1\nB2 {{x}}\n"),
            "p/loop" => Some("L\n{{> p/loop}}\n"),
            "p/open" => Some("no final newline"),
            _ => None,
        }
    }

    #[test]
    fn standalone_lines_are_replaced_recursively_and_lines_map_back() {
        let (text, map) = expand("top", "T1\n{{> p/a}}\nT3 {{> p/b}}\n{{> p/b}}\n", &partials).unwrap();
        assert_eq!(text, "T1\nA1\nB1\nB2 {{x}}\nA3\nT3 {{> p/b}}\nB1\nB2 {{x}}\n");
        let origins: Vec<_> = (1..=8).map(|l| map.origin(l).unwrap()).collect();
        assert_eq!(
            origins,
            [("top", 1), ("p/a", 1), ("p/b", 1), ("p/b", 2), ("p/a", 3), ("top", 3), ("p/b", 1), ("p/b", 2)]
        );
    }

    #[test]
    fn other_references_are_left_alone() {
        for text in [
            "x\n  {{> p/a}}\n",  // indented: handlebars indents each output line
            "{{~> p/a}}\n",      // whitespace control
            "{{> p/a ctx}}\n",   // a context parameter
            "{{> p/a x=1}}\n",   // hash
            "{{> p/open}}\n",    // the partial has no final newline
            "{{> p/missing}}\n", // unknown: handlebars reports it
            "a {{> p/a}} b\n",   // not standalone
        ] {
            assert_eq!(expand("top", text, &partials), None, "{text:?}");
        }
    }

    #[test]
    fn cycles_stop_and_are_left_to_handlebars() {
        let (text, _) = expand("top", "{{> p/loop}}\n", &partials).unwrap();
        assert_eq!(text, "L\n{{> p/loop}}\n");
    }

    #[test]
    fn crlf_lines_and_a_last_line_without_newline() {
        let (text, map) = expand("top", "{{> p/b}}\r\nend", &partials).unwrap();
        assert_eq!(text, "B1\nB2 {{x}}\nend");
        assert_eq!(map.origin(3), Some(("top", 2)));
        assert_eq!(map.origin(0), None);
    }
}
