//! Running the tools `check --layout` reads a PDF with (poppler's, mupdf's), bounded.
//!
//! Any PDF may be measured, and a small one can be hostile: 131 KB of line drawings made
//! `pdftocairo` write a 935 MB SVG, 81 s and 5.8 GB. So every run has a [`Budget`]: a time after
//! which the tool is killed, and a number of bytes of output after which it is killed too. What a
//! tool prints is parsed as it comes ([`read`] hands the parser a stream, never the whole
//! output), so memory follows what the checks keep, not what the tool writes. A run past its
//! budget is [`Unmeasured::TooComplex`]: "too complex to measure", never a wrong verdict.
//!
//! The PDF's path is given so that no tool can take it for an option: a path starting with `-`
//! (`-h.pdf`, `-ox/a.pdf`) is passed as `./-h.pdf` ([`path_arg`]).

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// A tool and the Debian package that has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tool {
    /// The command, e.g. `pdftotext`.
    pub name: &'static str,
    /// The Debian package to install for it.
    pub package: &'static str,
}

pub(crate) const PDFINFO: Tool = Tool {
    name: "pdfinfo",
    package: "poppler-utils",
};
pub(crate) const PDFTOTEXT: Tool = Tool {
    name: "pdftotext",
    package: "poppler-utils",
};
pub(crate) const PDFTOHTML: Tool = Tool {
    name: "pdftohtml",
    package: "poppler-utils",
};
pub(crate) const MUTOOL: Tool = Tool {
    name: "mutool",
    package: "mupdf-tools",
};

/// How long one run may take and how much it may print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Budget {
    pub(crate) time: Duration,
    pub(crate) bytes: u64,
}

impl Budget {
    /// The budget of a run over `pages` pages: a base for the smallest PDF, and per page about
    /// ten times what the tools print and take for a page of qingdan's (a page of text is 9 KB of
    /// `pdftotext -bbox-layout`, 72 KB of `mutool draw -F stext`, 0.01–0.04 s), up to a ceiling
    /// that a PDF of any length cannot pass.
    pub(crate) fn for_pages(pages: usize) -> Self {
        let pages = pages as u64;
        Self {
            time: Duration::from_secs(20 + pages / 5).min(Duration::from_secs(300)),
            bytes: (16_u64 << 20)
                .saturating_add(pages.saturating_mul(512 << 10))
                .min(512 << 20),
        }
    }
}

/// Why a PDF (or one of its checks) was not measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unmeasured {
    /// The tool is not installed.
    Missing {
        /// The tool.
        tool: Tool,
    },
    /// The tool ran past its budget: the PDF draws too much to measure.
    TooComplex {
        /// The tool.
        tool: Tool,
        /// The bound it passed.
        over: Over,
    },
    /// The tool could not read the PDF.
    Failed {
        /// The tool.
        tool: Tool,
        /// Its first line of complaint.
        said: String,
    },
    /// The file cannot be opened (the system's words).
    Unreadable(String),
    /// The file does not start as a PDF does (`%PDF-` in its first kilobyte).
    NotPdf,
    /// The PDF needs a password to open.
    Encrypted,
}

/// Which bound a run passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// It ran longer than this many seconds.
    Time(u64),
    /// It printed more than this many megabytes.
    Output(u64),
}

impl fmt::Display for Unmeasured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unmeasured::Missing { tool } => write!(
                f,
                "需要 {name}（apt-get install {package}）/ {name} is needed (apt-get install {package})",
                name = tool.name,
                package = tool.package
            ),
            Unmeasured::TooComplex { tool, over } => {
                let (zh, en) = match over {
                    Over::Time(s) => (format!("{s} 秒内未读完"), format!("not read within {s} s")),
                    Over::Output(mb) => (
                        format!("输出超过 {mb} MB"),
                        format!("it printed more than {mb} MB"),
                    ),
                };
                write!(
                    f,
                    "过于复杂，无法测量（{name} {zh}）/ too complex to measure ({name}: {en})",
                    name = tool.name
                )
            }
            Unmeasured::Failed { tool, said } => write!(
                f,
                "{name} 无法读取此 PDF（文件可能已损坏）/ {name} cannot read this PDF (it may be damaged): {said}",
                name = tool.name
            ),
            Unmeasured::Unreadable(e) => write!(f, "无法打开文件 / cannot open the file: {e}"),
            Unmeasured::NotPdf => f.write_str(
                "不是 PDF 文件，无法测量 / not a PDF file, so it cannot be measured\n  \
                 提示：检查文件是否选对；Word 文件请先另存为 PDF\n  \
                 hint: check that this is the right file; save a Word file as PDF first",
            ),
            Unmeasured::Encrypted => f.write_str(
                "PDF 已加密（需要密码才能打开），无法测量\n  \
                 the PDF is encrypted (it needs a password to open), so it cannot be measured\n  \
                 提示：先解密再检查：qpdf --decrypt --password=密码 原.pdf 解密.pdf，或在原软件中另存为不加密的 PDF\n  \
                 hint: decrypt it first (qpdf --decrypt --password=PASSWORD in.pdf out.pdf), or save it again \
                 without a password, then check that copy",
            ),
        }
    }
}

/// `path` as an argument no tool takes for an option.
pub(crate) fn path_arg(path: &Path) -> OsString {
    if path.as_os_str().as_encoded_bytes().starts_with(b"-") {
        Path::new(".").join(path).into_os_string()
    } else {
        path.as_os_str().to_owned()
    }
}

/// How much of a tool's complaints is kept (the rest is read and dropped, so the tool never
/// blocks on a full pipe): a damaged PDF makes poppler print thousands of lines.
const STDERR_KEPT: u64 = 16 << 10;
/// How often the watchdog looks at the tool.
const POLL: Duration = Duration::from_millis(20);

/// Runs `tool` with `args` under `budget`, handing what it prints to `parse` as a stream.
pub(crate) fn read<T>(
    tool: Tool,
    args: &[&OsStr],
    budget: Budget,
    parse: impl FnOnce(&mut dyn BufRead) -> Result<T, String>,
) -> Result<T, Unmeasured> {
    let mut child = Command::new(tool.name)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Unmeasured::Missing { tool },
            _ => Unmeasured::Failed {
                tool,
                said: e.to_string(),
            },
        })?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Unmeasured::Failed {
            tool,
            said: "no output pipe".to_owned(),
        });
    };
    let complaints = thread::spawn(move || {
        let mut kept = Vec::new();
        let mut stderr = stderr;
        let _ = (&mut stderr).take(STDERR_KEPT).read_to_end(&mut kept);
        let _ = io::copy(&mut stderr, &mut io::sink());
        kept
    });
    let (stop, stopped) = mpsc::channel::<()>();
    let watchdog = thread::spawn(move || watch(child, budget.time, &stopped));

    let mut output = BufReader::new(Capped {
        inner: stdout,
        left: budget.bytes,
        over: false,
    });
    let parsed = parse(&mut output);
    let over_output = output.get_ref().over;
    if parsed.is_err() || over_output {
        let _ = stop.send(());
    }
    drop(output);
    drop(stop);
    let (status, timed_out) = watchdog.join().unwrap_or((None, false));
    let said = complaints.join().unwrap_or_default();

    if timed_out {
        return Err(Unmeasured::TooComplex {
            tool,
            over: Over::Time(budget.time.as_secs()),
        });
    }
    if over_output {
        return Err(Unmeasured::TooComplex {
            tool,
            over: Over::Output(budget.bytes >> 20),
        });
    }
    if status.is_some_and(|s| !s.success()) {
        return Err(Unmeasured::Failed {
            tool,
            said: first_complaint(&said),
        });
    }
    parsed.map_err(|e| Unmeasured::Failed { tool, said: e })
}

/// Waits for `child` to end; kills it at `time`, or when told to stop. Gives its exit status
/// and whether it was killed for time.
fn watch(
    mut child: Child,
    time: Duration,
    stopped: &mpsc::Receiver<()>,
) -> (Option<ExitStatus>, bool) {
    let deadline = Instant::now() + time;
    let mut reading = true;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return (Some(status), false),
            Ok(None) => {}
            Err(_) => return (None, false),
        }
        let now = Instant::now();
        if now >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return (None, true);
        }
        let wait = (deadline - now).min(POLL);
        if reading {
            match stopped.recv_timeout(wait) {
                Ok(()) => {
                    let _ = child.kill();
                    return (child.wait().ok(), false);
                }
                Err(RecvTimeoutError::Timeout) => {}
                // The output was read to its end: the tool is about to exit.
                Err(RecvTimeoutError::Disconnected) => reading = false,
            }
        } else {
            thread::sleep(wait);
        }
    }
}

/// The first line a tool complained with, without its noise ("Syntax Warning: …" lines that
/// poppler prints before the error, mupdf's "warning:" lines).
fn first_complaint(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines = || text.lines().map(str::trim).filter(|l| !l.is_empty());
    lines()
        .find(|l| l.contains("rror"))
        .or_else(|| lines().next())
        .unwrap_or("exited with an error")
        .chars()
        .take(200)
        .collect()
}

/// A reader that fails once more than `left` bytes were read, remembering that it did.
struct Capped<R> {
    inner: R,
    left: u64,
    over: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // One byte more tells a tool that stopped exactly at the cap from one that did not.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.over = true;
            return Err(io::Error::other("output past the budget"));
        }
        let room = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..room])?;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn tool(name: &'static str) -> Tool {
        Tool {
            name,
            package: "coreutils",
        }
    }

    fn lines(input: &mut dyn BufRead) -> Result<usize, String> {
        Ok(input.lines().map_while(Result::ok).count())
    }

    fn args(list: &[&'static str]) -> Vec<&'static OsStr> {
        list.iter().map(|s| OsStr::new(*s)).collect()
    }

    #[test]
    fn a_tool_past_its_time_is_killed_and_said_too_complex() {
        let budget = Budget {
            time: Duration::from_millis(300),
            bytes: 1 << 20,
        };
        let started = Instant::now();
        let result = read(tool("sleep"), &args(&["30"]), budget, lines);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(
            result,
            Err(Unmeasured::TooComplex {
                tool: tool("sleep"),
                over: Over::Time(0)
            })
        );
    }

    #[test]
    fn a_tool_printing_past_its_budget_is_killed_and_said_too_complex() {
        let budget = Budget {
            time: Duration::from_secs(30),
            bytes: 1 << 20,
        };
        // `yes` prints forever.
        let result = read(tool("yes"), &[], budget, lines);
        let err = result.unwrap_err();
        assert_eq!(
            err,
            Unmeasured::TooComplex {
                tool: tool("yes"),
                over: Over::Output(1)
            }
        );
        assert!(err.to_string().contains("过于复杂，无法测量"), "{err}");
        assert!(err.to_string().contains("too complex to measure"), "{err}");
    }

    #[test]
    fn output_within_the_budget_is_parsed_and_a_failure_gives_its_first_error_line() {
        let budget = Budget::for_pages(1);
        assert_eq!(
            read(tool("printf"), &args(&["a\\nb\\n"]), budget, lines),
            Ok(2)
        );
        let failed = read(
            tool("sh"),
            &args(&[
                "-c",
                "for i in $(seq 500); do echo 'Syntax Warning: noise' >&2; done; echo 'Syntax Error: no trailer' >&2; exit 1",
            ]),
            budget,
            lines,
        );
        assert_eq!(
            failed,
            Err(Unmeasured::Failed {
                tool: tool("sh"),
                said: "Syntax Error: no trailer".to_owned()
            })
        );
        assert_eq!(
            read(tool("qingdan-no-such-tool"), &[], budget, lines),
            Err(Unmeasured::Missing {
                tool: tool("qingdan-no-such-tool")
            })
        );
    }

    #[test]
    fn a_path_starting_with_a_dash_is_not_an_option() {
        assert_eq!(path_arg(Path::new("-h.pdf")), OsString::from("./-h.pdf"));
        assert_eq!(
            path_arg(Path::new("-ox/a.pdf")),
            OsString::from("./-ox/a.pdf")
        );
        assert_eq!(path_arg(Path::new("a/-h.pdf")), OsString::from("a/-h.pdf"));
    }
}
