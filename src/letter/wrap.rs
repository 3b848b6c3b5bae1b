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

/// Words after which a line must not break: short articles and
/// prepositions (German and English), and the abbreviations that precede a
/// number (`Art.`, `Abs.`, `Nr.`, `lit.`, `Article`, `§`).
const GLUE_AFTER: &[&str] = &[
    // German articles and prepositions
    "am", "an", "auf", "aus", "bei", "bis", "das", "dem", "den", "der", "des", "die", "ein", "eine", "einem", "einen",
    "einer", "eines", "für", "im", "in", "mit", "nach", "seit", "um", "vom", "von", "vor", "zu", "zum", "zur", "über",
    "Am", "Im", "Vom", "Zum", "Bis", "Seit", // English articles and prepositions
    "a", "an", "at", "by", "for", "from", "of", "on", "the", "to", "A", "An", "The", "On", "By",
    // abbreviations before a number
    "Art.", "Abs.", "Nr.", "lit.", "UAbs.", "S.", "Article", "Articles", "Art", "§", "§§", "Ziffer", "Ziff.", "clause",
    "Clause", "section", "Section",
];

/// Month names in German and English (a date is not broken before its year).
const MONTHS: &[&str] = &[
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
    "January",
    "February",
    "March",
    "May",
    "June",
    "July",
    "October",
    "December",
];

/// Weekdays followed by a comma (`Montag, 4. Januar 2027`): kept with the date.
const WEEKDAYS: &[&str] = &[
    "Montag,",
    "Dienstag,",
    "Mittwoch,",
    "Donnerstag,",
    "Freitag,",
    "Samstag,",
    "Sonntag,",
    "Monday,",
    "Tuesday,",
    "Wednesday,",
    "Thursday,",
    "Friday,",
    "Saturday,",
    "Sunday,",
];

/// True when a line must not break between `last` (the last word of a
/// line) and `next` (the first word of the following one): after a short
/// article or preposition; inside a date (`4.` | `Januar`, `Januar` |
/// `2027`, `4` | `January`, `Montag,` | `4.`); inside a citation (`12` |
/// `Abs.`, `3` | `lit.`).
fn glued(last: &str, next: &str) -> bool {
    let is_day = |w: &str| {
        let digits = w.strip_suffix('.').unwrap_or(w);
        (1..=2).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let is_year = |w: &str| {
        let w = w.trim_end_matches([',', '.', ';', ':', ')']);
        w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit())
    };
    let month = |w: &str| MONTHS.contains(&w.trim_end_matches([',', '.', ';', ':']));
    let number = |w: &str| w.chars().next().is_some_and(|c| c.is_ascii_digit());
    // `(Art. 15 …)`: the bracket does not change the word.
    GLUE_AFTER.contains(&last.trim_start_matches(['(', '„', '"']))
        || (is_day(last) && month(next))
        || (month(last) && is_year(next))
        || (WEEKDAYS.contains(&last) && is_day(next))
        || (number(last) && ["Abs.", "lit.", "UAbs.", "Satz", "S."].contains(&next))
}

/// Whether `line` begins a list item (`- `, `* `, `• `, `1. `, `a) `) or a
/// field of a record (`Verified by: …`, `Date: …`: a short capitalised
/// label and a colon).
fn starts_item(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("• ") {
        return true;
    }
    if let Some(p) = t.find(": ") {
        let label = &t[..p];
        let capital = label.chars().next().is_some_and(char::is_uppercase);
        if capital
            && label.chars().count() <= 32
            && label.split_whitespace().count() <= 4
            && !label.contains(['.', ',', ';', '('])
        {
            return true;
        }
    }
    let head: String = t.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let rest = &t[head.len()..];
    // `1. Dezember 2026` is a date, not an item.
    let date = rest.strip_prefix(". ").is_some_and(|r| MONTHS.iter().any(|m| r.starts_with(m)));
    let numeral = head.len() <= 2 && head.bytes().all(|b| b.is_ascii_digit()) || head.len() == 1;
    !head.is_empty() && numeral && !date && (rest.starts_with(". ") || rest.starts_with(") "))
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Rewraps, at `width`, each paragraph of a rendered text that has a line
/// break where [`glued`] says it must not be (after "am", inside "einen
/// Antrag", a date or a citation), keeping such pairs on one line; every
/// other paragraph stays exactly as the template wrapped it. A paragraph
/// is a run of consecutive lines with the same indentation (a list item
/// and its indented continuation lines are one): blank lines, list items
/// and a change of indentation end it, so headings, address blocks and
/// displayed dates stay as they are. A word longer than a line is kept
/// whole.
pub fn keep_together(text: &str, width: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let continues = |a: &str, b: &str| {
        !a.trim().is_empty() && !b.trim().is_empty() && !starts_item(b) && indent_of(b) == continuation_indent(a)
    };
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let mut j = i + 1;
        while j < lines.len() && continues(lines[j - 1], lines[j]) {
            j += 1;
        }
        let para = &lines[i..j];
        let bad = para.windows(2).any(|w| {
            let last = w[0].split_whitespace().last().unwrap_or_default();
            let first = w[1].split_whitespace().next().unwrap_or_default();
            glued(last, first)
        });
        if bad {
            out.extend(reflow(para, width));
        } else {
            out.extend(para.iter().map(|l| (*l).to_string()));
        }
        i = j;
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

/// One paragraph's words, greedily filled to `width`, the glued pairs
/// kept together; the first line keeps its indentation (and list bullet),
/// the others get the paragraph's continuation indentation.
fn reflow(para: &[&str], width: usize) -> Vec<String> {
    let first_indent = indent_of(para[0]);
    let hang = continuation_indent(para[0]);
    let words: Vec<&str> = para.iter().flat_map(|l| l.split_whitespace()).collect();
    // Units that must stay on one line: a word and the words glued to it.
    let mut units: Vec<String> = Vec::new();
    for (n, w) in words.iter().enumerate() {
        match units.last_mut() {
            Some(u) if n > 0 && glued(words[n - 1], w) => {
                u.push(' ');
                u.push_str(w);
            }
            _ => units.push((*w).to_string()),
        }
    }
    let mut lines = Vec::new();
    let mut line = " ".repeat(first_indent);
    let mut empty = true;
    for u in units {
        // A unit longer than a line is split back into words, never broken
        // inside a word.
        let pieces: Vec<String> =
            if hang + u.chars().count() > width { u.split(' ').map(str::to_string).collect() } else { vec![u] };
        for p in pieces {
            let len = p.chars().count();
            if !empty && line.chars().count() + 1 + len > width {
                lines.push(std::mem::replace(&mut line, " ".repeat(hang)));
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(&p);
            empty = false;
        }
    }
    lines.push(line);
    lines
}

/// The indentation a continuation of `line` has: a list item's text
/// column (`- `: 2 more; `c) `, `1. `: the marker's width and a space),
/// else the line's own.
fn continuation_indent(line: &str) -> usize {
    let ind = indent_of(line);
    let t = line.trim_start();
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("• ") {
        return ind + 2;
    }
    let marker = t.chars().take_while(|c| c.is_ascii_alphanumeric()).count();
    let numbered = (1..=2).contains(&marker) && (t[marker..].starts_with(". ") || t[marker..].starts_with(") "));
    if numbered && starts_item(line) {
        return ind + marker + 2;
    }
    ind
}

/// Folds every line longer than `width` at a space: a continuation starts
/// under the line's value (after `Label: `) or, without a label, under
/// its first word; a word longer than a line is kept whole.
pub fn fold_long_lines(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if line.chars().count() <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let ind = indent_of(line);
        let hang = match line[ind..].find(": ") {
            Some(p) if p < 40 => ind + p + 2,
            _ => continuation_indent(line),
        };
        let hang = if hang >= width / 2 { ind + 2 } else { hang };
        let first_end = line.len();
        let (head, rest) = line.split_at(ind.min(first_end));
        out.push_str(head);
        out.push_str(&wrap(rest, width, hang, ind));
        out.push('\n');
    }
    if !text.ends_with('\n') {
        out.pop();
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
                    .ok_or_else(|| RenderErrorReason::Other(crate::t!("letter.helper.wrap-number", index = i))),
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

    #[test]
    fn no_break_after_a_preposition_or_inside_a_date_or_citation() {
        let t =
            "Der Antrag ging Ihnen am\n1. Dezember 2026 zu; ich stelle hiermit einen\nAntrag nach Art.\n15 DSGVO.\n";
        let k = keep_together(t, 40);
        assert_eq!(
            k,
            "Der Antrag ging Ihnen\nam 1. Dezember 2026 zu; ich stelle\nhiermit einen Antrag nach Art. 15 DSGVO.\n"
        );
        // Inside a date and a citation: the paragraph is filled again.
        assert_eq!(keep_together("Frist bis Montag, 4.\nJanuar 2027.\n", 76), "Frist bis Montag, 4. Januar 2027.\n");
        assert_eq!(keep_together("endet am 4. Januar\n2027.\n", 20), "endet\nam 4. Januar 2027.\n");
        assert_eq!(keep_together("nach Art. 12\nAbs. 3 DSGVO\n", 20), "nach Art. 12 Abs. 3\nDSGVO\n");
        assert_eq!(keep_together("ended on\n4 January 2027\n", 18), "ended\non 4 January 2027\n");
        // A paragraph without such a break is left as it was wrapped.
        let fine = "Der Antrag geht Ihnen heute zu.\nDie Frist endet bald.\n";
        assert_eq!(keep_together(fine, 76), fine);
        // A blank line, a list item or an indented display ends the paragraph.
        let kept = "sie endet am\n\n    Montag, 4. Januar 2027.\n- eine\n- Liste\nam\n";
        assert_eq!(keep_together(kept, 76), kept);
        assert_eq!(keep_together("(Art.\n46 DSGVO).\n", 76), "(Art. 46 DSGVO).\n");
        // A record's fields stay one per line.
        let record = "  Method: given by the contracting party (the\n  controller).\n  Verified by: the officer\n  Date: 27 November 2026\n";
        assert_eq!(
            keep_together(record, 76),
            "  Method: given by the contracting party (the controller).\n  Verified by: the officer\n  Date: 27 November 2026\n"
        );
        // A lettered item and its continuation lines are one paragraph.
        let item =
            "c) the recipients to whom the data are disclosed, in\n   particular recipients in third countries\n";
        assert_eq!(
            keep_together(item, 50),
            "c) the recipients to whom the data are disclosed,\n   in particular recipients in third countries\n"
        );
        // Lines stay within the width; a list item's continuation is indented.
        let list = "- Tickets, Berichte und Nutzerdaten sind am\n  1. Dezember 2026 exportiert.\n";
        let k = keep_together(list, 44);
        assert_eq!(k, "- Tickets, Berichte und Nutzerdaten sind\n  am 1. Dezember 2026 exportiert.\n");
        let long = "Wort Wort Wort Wort Wort Wort Wort Wort am\n4. Januar 2027 Wort Wort Wort Wort Wort\nEnde.\n";
        for line in keep_together(long, 40).lines() {
            assert!(line.chars().count() <= 40, "{line}");
        }
    }

    #[test]
    fn long_lines_fold_under_their_value() {
        let t =
            "  Geprüft von: die betroffene Person selbst, durch eine Antwort von der Adresse jana@example.org\nkurz\n";
        let f = fold_long_lines(t, 60);
        assert_eq!(
            f,
            "  Geprüft von: die betroffene Person selbst, durch eine\n                Antwort von der Adresse jana@example.org\nkurz\n"
        );
        for line in f.lines() {
            assert!(line.chars().count() <= 60, "{line}");
        }
    }
}
