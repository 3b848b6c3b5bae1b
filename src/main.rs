//! The `dsr` binary: everything lives in the library; see `dsr::cli`.

fn main() -> std::process::ExitCode {
    dsr::cli::main()
}
