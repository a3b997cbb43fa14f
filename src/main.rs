//! The `grade` binary: parses arguments (`cli`) and hands them to the library. On Windows it only
//! says to use WSL: the sandbox needs POSIX processes, and nothing Unix-only is compiled there.

#[cfg(unix)]
mod cli;

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(unix))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "error: grade runs on Linux and macOS; on Windows, install it inside WSL (`wsl --install`, \
         then follow the README's Linux steps in the WSL terminal)"
    );
    std::process::ExitCode::from(2)
}
