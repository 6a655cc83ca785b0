//! Telling a double-click from a terminal user typing `qingdan`.
//!
//! Both start the program without arguments. A terminal user gets the help, as always. A
//! clerk double-clicking it gets the web page ([`super::run`]), and what qingdan says must go
//! somewhere the clerk sees it:
//! - **Windows** opens a console window for a console program started from Explorer, and the
//!   program is the only one attached to it (from `cmd` or PowerShell the shell is attached
//!   too): the window is the program's own, and shows what it says.
//! - **Linux** file managers start a program with no terminal at all (standard input, output
//!   and error none of them a terminal) inside a graphical session: what it says goes to a log
//!   in the working folder. Without a display (a script, a service, a container) there is no
//!   browser to open, and the help is printed as from a terminal.

use std::io::IsTerminal;

use crate::cli::ShownIn;

/// What the process sees of how it was started.
#[derive(Debug, Clone, Copy, Default)]
struct Start {
    /// Whether it was given any argument.
    arguments: bool,
    /// Whether standard input, output or error is a terminal.
    terminal: bool,
    /// Whether a graphical session is there to open a browser in.
    graphical: bool,
    /// Whether the process is alone in a console window (Windows: one it was given at start).
    console_of_its_own: bool,
}

/// Where a double-clicked qingdan shows what it says; `None` when it was not double-clicked.
pub fn double_clicked() -> Option<ShownIn> {
    let standard = [
        std::io::stdin().is_terminal(),
        std::io::stdout().is_terminal(),
        std::io::stderr().is_terminal(),
    ];
    shown_in(Start {
        arguments: std::env::args_os().len() > 1,
        terminal: standard.contains(&true),
        graphical: cfg!(any(windows, target_os = "macos"))
            || ["DISPLAY", "WAYLAND_DISPLAY"]
                .iter()
                .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty())),
        console_of_its_own: console_of_its_own(),
    })
}

/// The rule, on what the process sees.
fn shown_in(start: Start) -> Option<ShownIn> {
    if start.arguments {
        None
    } else if start.console_of_its_own {
        Some(ShownIn::Window)
    } else if !start.terminal && start.graphical {
        Some(ShownIn::Log)
    } else {
        None
    }
}

/// Whether this process is the only one attached to its console: Windows gave it a console
/// window of its own because it was started from Explorer.
#[cfg(windows)]
fn console_of_its_own() -> bool {
    let mut processes = [0u32; 2];
    // SAFETY: the buffer holds the 2 process ids the call is told it may write.
    let attached = unsafe {
        windows_sys::Win32::System::Console::GetConsoleProcessList(processes.as_mut_ptr(), 2)
    };
    attached == 1
}

/// Whether this process is the only one attached to its console: only Windows gives a
/// double-clicked program a console.
#[cfg(not(windows))]
fn console_of_its_own() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_user_gets_the_help() {
        let typed = Start {
            terminal: true,
            graphical: true,
            ..Start::default()
        };
        assert_eq!(shown_in(typed), None);
        // Any argument is a command line, even without a terminal.
        let scripted = Start {
            arguments: true,
            graphical: true,
            ..Start::default()
        };
        assert_eq!(shown_in(scripted), None);
        // No terminal and no display: a script or a service, not a clerk.
        assert_eq!(shown_in(Start::default()), None);
    }

    #[test]
    fn a_double_click_serves_the_page() {
        // Linux: a file manager gives no terminal, in a graphical session.
        let file_manager = Start {
            graphical: true,
            ..Start::default()
        };
        assert_eq!(shown_in(file_manager), Some(ShownIn::Log));
        // Windows: Explorer gives a console program a console window of its own, whose
        // standard streams are terminals.
        let explorer = Start {
            terminal: true,
            graphical: true,
            console_of_its_own: true,
            ..Start::default()
        };
        assert_eq!(shown_in(explorer), Some(ShownIn::Window));
        assert_eq!(
            shown_in(Start {
                arguments: true,
                ..explorer
            }),
            None
        );
    }
}
