//! `qingdan start` and a double-click on qingdan, as a clerk's desktop starts it: no arguments,
//! no terminal, a graphical session. The browser is a stand-in (`QINGDAN_BROWSER`, a script that
//! writes down the address it is given and who gave it), and the page is fetched at that address.
#![cfg(unix)]

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::common::command;

/// A stand-in browser in `dir`: it writes "PARENT-PID URL" to `dir/opened`.
fn fake_browser(dir: &Path) -> PathBuf {
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$PPID $1\" > '{}.tmp' && mv '{0}.tmp' '{0}'\n",
            dir.join("opened").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// What the stand-in browser was given: the process that opened it and the address, once it
/// has been opened (waits up to two minutes: the debug build serves slowly on a busy machine).
fn opened(dir: &Path) -> (u32, String) {
    let file = dir.join("opened");
    let start = Instant::now();
    while !file.is_file() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the browser was never opened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(file).unwrap();
    let (pid, url) = text.trim().split_once(' ').unwrap();
    (pid.parse().unwrap(), url.to_owned())
}

/// The page at `url` (`http://127.0.0.1:PORT/`), status line and all.
fn fetch(url: &str) -> String {
    let host = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut stream = TcpStream::connect(&host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    page
}

/// Stops the server `pid` when dropped, whatever the test's outcome.
struct Stop(u32);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.0.to_string()).status();
    }
}

/// The tests that use the default port, one at a time.
static DEFAULT_PORT: Mutex<()> = Mutex::new(());

/// A clerk's home folder in `dir`: `home/`, with the `user-dirs.dirs` of a Chinese desktop,
/// which names the documents folder 文档.
fn clerk(dir: &Path) -> (PathBuf, PathBuf) {
    let home = dir.join("home");
    let config = dir.join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("user-dirs.dirs"),
        "XDG_DESKTOP_DIR=\"$HOME/桌面\"\nXDG_DOCUMENTS_DIR=\"$HOME/文档\"\n",
    )
    .unwrap();
    (home, config)
}

/// Starts qingdan as a Linux file manager does (no arguments, no terminal, a display) for the
/// clerk of [`clerk`], with the stand-in browser of `browser_dir`; it must return at once.
fn double_click(home: &Path, config: &Path, browser_dir: &Path) {
    std::fs::create_dir_all(browser_dir).unwrap();
    let status = command()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", config)
        .env("DISPLAY", ":0")
        .env("QINGDAN_BROWSER", fake_browser(browser_dir))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "the double-click returns at once");
}

#[test]
fn a_double_click_makes_the_working_folder_and_opens_the_page() {
    let _port = DEFAULT_PORT.lock().unwrap_or_else(|e| e.into_inner());
    let temp = tempfile::tempdir().unwrap();
    let (home, config) = clerk(temp.path());
    // Another program holds the default port: the page goes to a free port (the stand-in
    // answers nothing a qingdan page would).
    let _held = TcpListener::bind(("127.0.0.1", qingdan::cli::PORT))
        .ok()
        .map(|l| {
            std::thread::spawn(move || {
                for mut stream in l.incoming().map_while(Result::ok) {
                    let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\n\r\n");
                }
            })
        });
    double_click(&home, &config, temp.path());
    let (server, url) = opened(temp.path());
    let _stop = Stop(server);

    let folder = home.join("文档").join("清单");
    assert!(folder.join("示例/qingdan.yaml").is_file(), "the example");
    assert_ne!(
        url, "http://127.0.0.1:8371/",
        "the port held by another program"
    );
    let page = fetch(&url);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("示例"), "the example is served: {page}");
    assert!(
        folder.join("输出/示例/通知.pdf").is_file(),
        "built into 输出"
    );
    let log = std::fs::read_to_string(folder.join("qingdan.log")).unwrap();
    assert!(
        log.contains(&format!("kill {server}")) && log.contains(&url),
        "the log says where the page is and how to stop it:\n{log}"
    );
}

#[test]
fn a_second_double_click_opens_the_same_page_and_keeps_its_log() {
    let _port = DEFAULT_PORT.lock().unwrap_or_else(|e| e.into_inner());
    if TcpListener::bind(("127.0.0.1", qingdan::cli::PORT)).is_err() {
        eprintln!(
            "port {} is taken by another program: not tested",
            qingdan::cli::PORT
        );
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let (home, config) = clerk(temp.path());
    double_click(&home, &config, &temp.path().join("first"));
    let (server, url) = opened(&temp.path().join("first"));
    let _stop = Stop(server);
    assert_eq!(url, "http://127.0.0.1:8371/");
    assert!(fetch(&url).contains("示例"));
    let log = home.join("文档/清单/qingdan.log");
    let said = std::fs::read(&log).unwrap();

    double_click(&home, &config, &temp.path().join("second"));
    assert_eq!(opened(&temp.path().join("second")).1, url);
    assert_eq!(std::fs::read(&log).unwrap(), said, "the log is the first's");
}

#[test]
fn a_second_start_opens_the_page_already_served() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("公文");
    let port = TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let start = |browser_dir: &Path| {
        command()
            .arg("start")
            .arg(&folder)
            .args(["--port", &port.to_string(), "--no-system-fonts"])
            .env("QINGDAN_BROWSER", fake_browser(browser_dir))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let first = temp.path().join("first");
    std::fs::create_dir_all(&first).unwrap();
    let mut server = start(&first);
    let _stop = Stop(server.id());
    let (_, url) = opened(&first);
    assert_eq!(url, format!("http://127.0.0.1:{port}/"));
    assert!(fetch(&url).contains("示例"));

    let second = temp.path().join("second");
    std::fs::create_dir_all(&second).unwrap();
    let status = start(&second).wait().unwrap();
    assert!(status.success());
    assert_eq!(opened(&second).1, url, "the same page, opened again");
    assert!(
        server.try_wait().unwrap().is_none(),
        "the first still serves"
    );
}

#[test]
fn typed_in_a_terminal_without_arguments_it_prints_the_help() {
    // `script` runs qingdan on a terminal of its own (util-linux); `timeout` ends a server
    // that should not have been started.
    let Ok(output) = Command::new("timeout")
        .args([
            OsStr::new("60"),
            OsStr::new("script"),
            OsStr::new("-qec"),
            command().get_program(),
            OsStr::new("/dev/null"),
        ])
        .env("DISPLAY", ":0")
        .env("NO_COLOR", "1")
        .env("QINGDAN_BROWSER", "/bin/false")
        .stdin(Stdio::null())
        .output()
    else {
        panic!("`script` (util-linux) is needed for this test");
    };
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Usage: qingdan"), "{text}");
    assert!(text.contains("start"), "the help lists start: {text}");
    assert!(!text.contains("http://"), "no page was served: {text}");
}
