//! `-` for standard input: at most one option of a command may name it,
//! since there is only one standard input ([`one_reader`]).

use crate::Error;
use std::path::PathBuf;

/// Checks that at most one of the `(option, paths)` pairs names `-`, and it
/// at most once.
///
/// # Errors
/// `-` given twice, naming both options.
pub(super) fn one_reader(options: &[(&str, &[PathBuf])]) -> Result<(), Error> {
    let readers: Vec<&str> = options
        .iter()
        .flat_map(|(option, paths)| paths.iter().filter(|p| crate::file::is_stdin(p)).map(|_| *option))
        .collect();
    if let [first, second, ..] = readers.as_slice() {
        let message = if first == second {
            crate::t!("cli.misc.stdin-twice", flag = first)
        } else {
            crate::t!("cli.misc.stdin-two", first = first, second = second)
        };
        return Err(Error::usage(message, crate::t!("cli.misc.stdin-hint")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_dash_is_fine_two_are_refused_naming_the_options() {
        let dash = vec![PathBuf::from("-")];
        let two = vec![PathBuf::from("-"), PathBuf::from("a.pdf"), PathBuf::from("-")];
        let file = vec![PathBuf::from("a.toml")];
        assert!(one_reader(&[("--subject", &dash), ("--attach", &file)]).is_ok());
        let e = one_reader(&[("--subject", &dash), ("--attach", &dash)]).unwrap_err();
        assert!(e.to_string().contains("given for --subject and --attach"), "{e}");
        let e = one_reader(&[("--attach", &two)]).unwrap_err();
        assert!(e.to_string().contains("given twice for --attach"), "{e}");
    }
}
