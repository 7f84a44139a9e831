//! The `wick` binary: parse the command line, run it, print the error chain, map it to an exit code.
//! Exit codes: 0 success, 1 a user-facing error (message on stderr), 2 a usage error (clap).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = wick::cli::Cli::parse();
    match wick::app::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}
