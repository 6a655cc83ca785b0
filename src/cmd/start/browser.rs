//! Opening the default browser at the page, the way each system's desktop does it for a link:
//! `xdg-open` on Linux (统信 UOS and 银河麒麟 included), `cmd /c start` on Windows, `open` on
//! macOS. `QINGDAN_BROWSER`, when set, names the program to run instead (with the address as
//! its one argument): a browser of the clerk's choice, or a test's stand-in.

use std::ffi::OsString;
use std::process::{Command, Stdio};

use crate::cmd::errln;

/// The environment variable naming another program to open the page with.
const BROWSER_VARIABLE: &str = "QINGDAN_BROWSER";

/// Opens the default browser at `url`, without waiting for it; says so when it cannot.
pub(super) fn open(url: &str) {
    let mut command = command(url, std::env::var_os(BROWSER_VARIABLE));
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match command.spawn() {
        // Waited for on a thread of its own, so that it leaves no zombie behind; xdg-open and
        // `start` return as soon as the browser has the address.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => {
            errln!(
                "无法打开浏览器（{}：{e}），请在浏览器中打开 {url} / cannot open the browser ({}: {e}); open {url} in a browser",
                command.get_program().display(),
                command.get_program().display(),
            );
        }
    }
}

/// The command that opens `url` in the default browser, or in `chosen` (`QINGDAN_BROWSER`)
/// when that is set.
fn command(url: &str, chosen: Option<OsString>) -> Command {
    if let Some(program) = chosen.filter(|p| !p.is_empty()) {
        let mut command = Command::new(program);
        command.arg(url);
        return command;
    }
    if cfg!(windows) {
        // `start` is a command of cmd.exe; its first quoted argument is a window title, hence
        // the empty one. The address holds no character cmd.exe would read (only digits, dots,
        // colons and slashes).
        let mut command = Command::new("cmd");
        command.args(["/c", "start", "", url]);
        command
    } else if cfg!(target_os = "macos") {
        let mut command = Command::new("open");
        command.arg(url);
        command
    } else {
        let mut command = Command::new("xdg-open");
        command.arg(url);
        command
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program_and_args(command: &Command) -> (String, Vec<String>) {
        (
            command.get_program().to_string_lossy().into_owned(),
            command
                .get_args()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
        )
    }

    #[test]
    fn the_default_browser_is_opened_the_system_s_way() {
        let url = "http://127.0.0.1:8371/";
        let (program, args) = program_and_args(&command(url, None));
        if cfg!(windows) {
            assert_eq!(program, "cmd");
            assert_eq!(args, ["/c", "start", "", url]);
        } else if cfg!(target_os = "macos") {
            assert_eq!(program, "open");
            assert_eq!(args, [url]);
        } else {
            assert_eq!(program, "xdg-open");
            assert_eq!(args, [url]);
        }
    }

    #[test]
    fn a_chosen_program_is_run_with_the_address() {
        let url = "http://127.0.0.1:8372/";
        let chosen = Some(OsString::from("/opt/浏览器/browser"));
        assert_eq!(
            program_and_args(&command(url, chosen)),
            ("/opt/浏览器/browser".to_owned(), vec![url.to_owned()])
        );
        // Set but empty is not set.
        let (program, _) = program_and_args(&command(url, Some(OsString::new())));
        assert_ne!(program, "");
    }
}
