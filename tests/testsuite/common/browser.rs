//! A real browser for the end-to-end tests: Debian's headless Chromium driven over WebDriver
//! (chromedriver, with the fantoccini client).
//!
//! [`Browser::start`] runs chromedriver on a free loopback port, in a process group of its own,
//! and opens one headless Chromium session with a fresh profile and a download folder. The
//! session is closed and the whole group (chromedriver and every Chromium process it started)
//! killed when the [`Browser`] is dropped, whether the test passed or panicked, so no process
//! outlives a test. Screenshots go to `target/e2e-screenshots/<test>/` for a reviewer to look
//! at. Without Chromium or chromedriver the test fails, saying what to install.
//!
//! Chromium gets the bundled CJK fonts (assets/fonts) through a fontconfig file of its own, so
//! screenshots show Chinese without a system font, and the machine's fonts (which the .docx
//! tests measure LibreOffice with) stay as they are.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

/// Where Debian's packages put them; `QINGDAN_CHROMIUM` / `QINGDAN_CHROMEDRIVER` override.
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long chromedriver may take to listen, and a page element to appear: generous, since the
/// browser tests run beside every other test of the suite on two cores.
const STARTUP: Duration = Duration::from_secs(60);
pub(crate) const WAIT: Duration = Duration::from_secs(60);

pub(crate) struct Browser {
    client: Option<Client>,
    driver: Child,
    /// The files the browser downloaded land here.
    pub(crate) downloads: tempfile::TempDir,
    _profile: tempfile::TempDir,
    shots: PathBuf,
    shot_count: usize,
}

fn tool(env: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.is_file(),
        "{} not found: the browser tests need Debian's chromium and chromium-driver \
         (`apt-get install chromium chromium-driver`; scripts/test installs them), or {env} \
         set to the program",
        path.display()
    );
    path
}

/// A loopback port nobody listens on now.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Waits until something listens on `port` (at most `limit`).
pub(crate) fn wait_for_port(port: u16, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// The folder screenshots of test `test` are saved in: `<target>/e2e-screenshots/<test>/`.
pub(crate) fn screenshot_dir(test: &str) -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp for integration tests.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder")
        .join("e2e-screenshots")
        .join(test)
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session for test `test` (which names the
    /// screenshot folder, emptied first).
    pub(crate) async fn start(test: &str) -> Browser {
        let chromium = tool("QINGDAN_CHROMIUM", CHROMIUM);
        let chromedriver = tool("QINGDAN_CHROMEDRIVER", CHROMEDRIVER);
        let port = free_port();
        let profile = tempfile::tempdir().unwrap();
        let fonts_conf = profile.path().join("fonts.conf");
        std::fs::write(
            &fonts_conf,
            format!(
                "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig>\
                 <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include><dir>{}</dir>\
                 <cachedir>{}</cachedir></fontconfig>",
                super::repo().join("assets/fonts").display(),
                profile.path().join("fontcache").display()
            ),
        )
        .unwrap();
        let mut command = Command::new(&chromedriver);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .env("FONTCONFIG_FILE", &fonts_conf)
            // Its own group: at the end the whole group is killed, Chromium included.
            .process_group(0);
        let driver = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let downloads = tempfile::tempdir().unwrap();
        let shots = screenshot_dir(test);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).unwrap();
        let mut browser = Browser {
            client: None,
            driver,
            downloads,
            _profile: profile,
            shots,
            shot_count: 0,
        };
        assert!(
            wait_for_port(port, STARTUP),
            "chromedriver did not listen on port {port} within {STARTUP:?}"
        );
        // As root Chromium needs --no-sandbox; the network flags keep it from calling out (the
        // machine's network is closed, and each refused connection costs time).
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--window-size=1280,1000",
            "--lang=zh-CN",
        ]
        .map(String::from)
        .into_iter()
        .chain([format!(
            "--user-data-dir={}",
            browser._profile.path().join("chromium").display()
        )])
        .collect::<Vec<_>>();
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": args,
                "prefs": {
                    "download.default_directory": browser.downloads.path(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                    "safebrowsing.enabled": false,
                },
            },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("cannot open a Chromium session: {e}"));
        browser.client = Some(client);
        browser
    }

    pub(crate) fn client(&self) -> &Client {
        self.client.as_ref().expect("the session is open")
    }

    /// Saves a PNG of the window as `NN-<name>.png` in the test's screenshot folder, and
    /// returns its path.
    pub(crate) async fn screenshot(&mut self, name: &str) -> PathBuf {
        self.shot_count += 1;
        let png = self.client().screenshot().await.expect("a screenshot");
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
        let path = self
            .shots
            .join(format!("{:02}-{name}.png", self.shot_count));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Waits for a file named `name` to be fully downloaded (Chromium writes `*.crdownload`
    /// first) and returns its path.
    pub(crate) async fn downloaded(&self, name: &str) -> PathBuf {
        let path = self.downloads.path().join(name);
        let start = Instant::now();
        while start.elapsed() < WAIT {
            let partial = std::fs::read_dir(self.downloads.path())
                .unwrap()
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"));
            if path.is_file() && !partial {
                return path;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let found: Vec<_> = std::fs::read_dir(self.downloads.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        panic!("{name} was not downloaded within {WAIT:?}; the folder has {found:?}");
    }

    /// Closes the session (Chromium quits), then ends chromedriver's whole process group.
    pub(crate) async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }

    /// The process group of chromedriver and the Chromium it started.
    pub(crate) fn process_group(&self) -> i32 {
        self.driver.id() as i32
    }

    /// The session's own profile folder, which every Chromium process it starts names on its
    /// command line.
    pub(crate) fn profile(&self) -> PathBuf {
        self._profile.path().to_path_buf()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A session still open here belongs to a test that panicked: killing the group ends
        // Chromium as well.
        kill_group(self.driver.id() as i32);
        let _ = self.driver.wait();
    }
}

/// Sends SIGKILL to every process of group `group`.
fn kill_group(group: i32) {
    // SAFETY: kill(2) takes plain integers; a negative pid names a process group.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}

/// Whether any process (other than zombies waiting to be reaped) is left in group `group`.
pub(crate) fn group_alive(group: i32) -> bool {
    // /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.filter_map(Result::ok).any(|entry| {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            return false;
        };
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            return false;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        fields.len() > 2 && fields[0] != "Z" && fields[2] == group.to_string()
    })
}

/// How many live processes name `text` on their command line.
pub(crate) fn processes_naming(text: &str) -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                return false;
            };
            let zombie = stat
                .rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('Z'));
            let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            !zombie && String::from_utf8_lossy(&cmdline).contains(text)
        })
        .count()
}
