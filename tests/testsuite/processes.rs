//! Several qingdan processes on one folder at once, and the web server's bounds, with real
//! processes: `qingdan build` racing a served Apply, two `serve` on one folder, a sheet edited
//! on disk while the page is open, a killed build, half-sent requests against a process with
//! few file handles, and the memory of concurrent "download all"s and checks.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::server::{Reply, Server, batch_project};
use crate::common::{build_ok, copy_dir, edit_csv, repo};

/// Schools in the batch the races are run on: enough that a build lasts a few seconds.
const SCHOOLS: usize = 60;

/// `qingdan build inputs -o output` in `dir`, its standard error piped.
fn start_build(dir: &Path) -> Child {
    crate::common::command()
        .args(["build", "inputs", "-o", "output", "--no-system-fonts"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qingdan build starts")
}

/// Reads `child`'s standard error until a line holds `words`; the rest is collected on a thread
/// and returned by the handle, with what was read so far in front.
fn stderr_until(child: &mut Child, words: &str) -> std::thread::JoinHandle<String> {
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = String::new();
    for line in lines.by_ref().map_while(Result::ok) {
        seen.push_str(&line);
        seen.push('\n');
        if line.contains(words) {
            break;
        }
    }
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            seen.push_str(&line);
            seen.push('\n');
        }
        seen
    })
}

/// Waits until the output folder's lock file names a process, and returns what it says.
fn lock_owner(output: &Path) -> String {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(output.join(".qingdan-lock")).unwrap_or_default();
        if !text.trim().is_empty() {
            return text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no process ever owned {}",
            output.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The batch's master sheet with the first leader of school `school` renamed `name`.
fn renamed(sheet: &Path, school: &str, name: &str) -> Vec<u8> {
    edit_csv(sheet, |rows| {
        let row = rows.iter().position(|r| r[0] == school).unwrap();
        rows[row][1] = name.to_owned();
    })
}

/// Checks `sheet` (named `name`) for attachment 0 of project 0, from an upload page that
/// showed the data file as `loaded`.
fn check_from(server: &Server, loaded: &str, name: &str, sheet: &[u8]) -> Reply {
    server.post_multipart(
        "/p/0/a/0/check",
        &[
            ("loaded", None, loaded.as_bytes()),
            ("file", Some(name), sheet),
        ],
    )
}

/// Uploads `sheet` for attachment 0 of project 0 from its upload page and applies it: the
/// answers of the check and of the Apply.
fn check_and_apply(server: &Server, name: &str, sheet: &[u8]) -> (u16, u16) {
    let loaded = server.get("/p/0/a/0").field("loaded");
    let checked = check_from(server, &loaded, name, sheet);
    if checked.status != 200 {
        return (checked.status, 0);
    }
    let form = format!(
        "token={}&digest={}",
        checked.field("token"),
        checked.field("digest")
    );
    let applied = server.post_form("/p/0/a/0/apply", &form);
    (checked.status, applied.status)
}

/// A `qingdan build` that read the old sheet, still compiling while the page applies a new one,
/// used to write its old documents over the new ones afterwards: the page said "applied" and
/// offered the old leader's PDF. Now the Apply waits until the build is done (saying so on the
/// server's standard error), and the documents are the new ones.
#[test]
fn a_build_running_during_an_apply_does_not_write_old_documents_over_new_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("inputs/batch");
    batch_project(&project, SCHOOLS);
    let server = Server::start(tmp.path());
    // The build below must compile every document again, not find them built: the build
    // states are set aside while it plans, and put back for the server's rebuild, which then
    // compiles only the school whose leader changed.
    let states: Vec<(std::path::PathBuf, Vec<u8>)> =
        walkdir::WalkDir::new(tmp.path().join("output"))
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_name() == ".qingdan-state.json")
            .map(|e| (e.path().to_owned(), std::fs::read(e.path()).unwrap()))
            .collect();
    for (path, _) in &states {
        std::fs::remove_file(path).unwrap();
    }
    let last = format!("第{SCHOOLS}中学");
    let new_sheet = renamed(&project.join("总表.csv"), &last, "新校长");
    let mut build = start_build(tmp.path());
    // The build has read the sheet and the states, and is compiling.
    let rest = stderr_until(&mut build, "PDF ");
    for (path, state) in &states {
        std::fs::write(path, state).unwrap();
    }
    let (checked, applied) = check_and_apply(&server, "总表.csv", &new_sheet);
    assert_eq!((checked, applied), (200, 303), "{}", server.said());
    assert!(build.wait().unwrap().success(), "{}", rest.join().unwrap());
    let said = server.said();
    assert!(
        said.contains(&format!("正由进程 {}（qingdan build）写入", build.id())),
        "the Apply waited for the build:\n{said}"
    );
    let md = std::fs::read_to_string(
        tmp.path()
            .join(format!("output/batch/{last}/附件-责任清单.md")),
    )
    .unwrap();
    assert!(md.contains("新校长"), "the new document stays:\n{md}");
    assert_eq!(std::fs::read(project.join("总表.csv")).unwrap(), new_sheet);
}

/// Two builds into one output folder: the second waits for the first and says for whom.
#[test]
fn a_second_build_waits_for_the_first_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    batch_project(&tmp.path().join("inputs/batch"), SCHOOLS / 2);
    let mut first = start_build(tmp.path());
    let owner = lock_owner(&tmp.path().join("output"));
    assert_eq!(owner, format!("{} build\n", first.id()));
    let second = start_build(tmp.path());
    let second = second.wait_with_output().unwrap();
    assert!(first.wait().unwrap().success());
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{said}");
    assert!(
        said.contains(&format!("正由进程 {}（qingdan build）写入", first.id()))
            && said.contains(&format!(
                "being written by process {} (qingdan build)",
                first.id()
            )),
        "{said}"
    );
}

/// A build killed while it owns the output folder leaves its pid in the lock file; the next
/// build is not held up by it (the system released the lock with the process).
#[test]
fn a_killed_build_does_not_hold_up_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    batch_project(&tmp.path().join("inputs/batch"), SCHOOLS / 2);
    let mut first = start_build(tmp.path());
    let owner = lock_owner(&tmp.path().join("output"));
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(owner.starts_with(&first.id().to_string()), "{owner}");
    let next = build_ok(&[&tmp.path().join("inputs")], &tmp.path().join("output"));
    let said = String::from_utf8_lossy(&next.stderr);
    assert!(!said.contains("等它完成"), "nobody to wait for:\n{said}");
    assert!(
        tmp.path()
            .join(format!(
                "output/batch/第{}中学/附件-责任清单.pdf",
                SCHOOLS / 2
            ))
            .is_file()
    );
}

/// The roster of the zhuzhou example with its first leader renamed `name`.
fn zhuzhou_roster(inputs: &Path, name: &str) -> Vec<u8> {
    edit_csv(&inputs.join("zhuzhou-2019/责任清单.csv"), |rows| {
        rows[1][0] = name.to_owned();
    })
}

/// Two `serve` on one folder, or the sheet edited in Excel while the page is open: an upload
/// checked from a page loaded before the file changed is refused (409) with what changed on
/// disk, instead of being compared with the server's memory and applied over the other change
/// without a word. Loading the page again compares with the file as it is.
#[test]
fn an_upload_from_a_page_loaded_before_the_file_changed_on_disk_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("inputs");
    copy_dir(
        &repo().join("inputs/zhuzhou-2019"),
        &inputs.join("zhuzhou-2019"),
    );
    let data = inputs.join("zhuzhou-2019/责任清单.csv");
    let a = Server::start_named(tmp.path(), "a", &[]);
    let b = Server::start_named(tmp.path(), "b", &[]);
    // B's upload page is open before A applies.
    let loaded = b.get("/p/0/a/0").field("loaded");
    let first = zhuzhou_roster(&inputs, "张新");
    assert_eq!(check_and_apply(&a, "一.csv", &first), (200, 303));
    let second = zhuzhou_roster(&inputs, "李新");
    let refused = check_from(&b, &loaded, "二.csv", &second);
    assert_eq!(refused.status, 409, "{}", refused.text());
    let text = refused.text();
    assert!(
        text.contains("在打开上传页之后已被修改")
            && text.contains("has changed since the upload page was opened"),
        "{text}"
    );
    assert!(
        text.contains("接任：张新接替吴安浩"),
        "what changed on disk:\n{text}"
    );
    assert!(!text.contains("apply-form"), "{text}");
    assert_eq!(std::fs::read(&data).unwrap(), first, "A's sheet stays");
    // From a page loaded now, the upload is compared with the file as A wrote it.
    let page = b.get("/p/0/a/0");
    let checked = check_from(&b, &page.field("loaded"), "二.csv", &second);
    assert_eq!(checked.status, 200, "{}", checked.text());
    assert!(
        checked.text().contains("接任：李新接替张新"),
        "{}",
        checked.text()
    );

    // The sheet edited and saved in Excel while A's page is open.
    let loaded = a.get("/p/0/a/0").field("loaded");
    let edited = zhuzhou_roster(&inputs, "王编辑");
    std::fs::write(&data, &edited).unwrap();
    let refused = check_from(&a, &loaded, "三.csv", &second);
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(
        refused.text().contains("王编辑接替张新"),
        "{}",
        refused.text()
    );
    assert_eq!(std::fs::read(&data).unwrap(), edited);
    // A has read the file again and rebuilt: the documents are the edited ones.
    let md =
        std::fs::read_to_string(tmp.path().join("output/zhuzhou-2019/附件-责任清单.md")).unwrap();
    assert!(md.contains("王编辑"), "{md}");
}

/// Half-sent requests (headers never finished), more than the process may open files, used to
/// stop the page from answering for good. Now a request is answered within the header time
/// limit, and the half-sent ones are closed.
#[test]
fn half_sent_requests_do_not_stop_the_page_from_answering() {
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("inputs/jilin-task-division"),
        &tmp.path().join("inputs/jilin-task-division"),
    );
    let stderr = tmp.path().join("serve.stderr");
    let mut command = crate::common::command();
    command
        .args(["serve", "inputs", "--port", "0", "--no-system-fonts"])
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr).unwrap());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            // A Mac's default: 256 files per process.
            let limit = libc::rlimit {
                rlim_cur: 256,
                rlim_max: 256,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server::wait_for_address(stdout, child, stderr);
    let half = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: ", server.addr);
    let mut held: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.addr).unwrap();
            stream.write_all(half.as_bytes()).unwrap();
            stream
        })
        .collect();
    let started = Instant::now();
    let limit = qingdan::serve::HEADER_TIMEOUT + Duration::from_secs(20);
    loop {
        match status_of(&server.addr) {
            Some(200) => break,
            // Turned away while every connection is taken, or not taken yet: asked again.
            _ => assert!(
                started.elapsed() < limit,
                "the page did not answer within {limit:?}:\n{}",
                server.said()
            ),
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    // Every half-sent request has been closed by now, or is closed soon.
    std::thread::sleep(qingdan::serve::HEADER_TIMEOUT + Duration::from_secs(2));
    for stream in &mut held {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut rest = Vec::new();
        let closed = match stream.read_to_end(&mut rest) {
            Ok(_) => true,
            Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        };
        assert!(closed, "a half-sent request still open");
    }
}

/// The status of `GET /` at `addr`, if an answer comes within five seconds.
fn status_of(addr: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let head = String::from_utf8_lossy(&answer);
    head.split(' ').nth(1)?.parse().ok()
}

/// Peak memory of a process, in KiB, since it was last reset (`/proc/PID/status` VmHWM).
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Resets the peak memory of a process to what it uses now.
fn reset_peak(pid: u32) {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").unwrap();
}

/// Four "download all"s of a batch at once used to hold four whole ZIPs in memory (a
/// 2,000-school batch's 193 MB each). The ZIP is streamed now: the server's memory grows by
/// less than three ZIPs for the four (it grew by four ZIPs and more before), and each ZIP is
/// whole. The bound is three ZIPs rather than less: the allocator's heaps for the runtime's
/// threads and the chunks in flight for four readers came to 0.13–1.94 ZIPs of this 60-school
/// batch (744–11,424 KiB for 5,889 KiB ZIPs) over runs.
#[test]
fn four_download_alls_at_once_do_not_hold_the_zips_in_memory() {
    let tmp = tempfile::tempdir().unwrap();
    batch_project(&tmp.path().join("inputs/batch"), SCHOOLS);
    let server = Server::start(tmp.path());
    let pid = server.pid();
    reset_peak(pid);
    let before = peak_kib(pid);
    let zips: Vec<Vec<u8>> = std::thread::scope(|scope| {
        let downloads: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let answer = server.request(
                        "GET",
                        "/p/0/zip",
                        &[("Sec-Fetch-Site", "same-origin")],
                        b"",
                    );
                    assert_eq!(answer.status, 200, "{}", answer.text());
                    answer.body
                })
            })
            .collect();
        downloads.into_iter().map(|d| d.join().unwrap()).collect()
    });
    let grown = peak_kib(pid).saturating_sub(before);
    let size = zips[0].len() as u64 / 1024;
    for zip in &zips {
        let archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a whole ZIP");
        // Each school's 责任清单 as PDF, .docx and Markdown, and the index.
        assert_eq!(archive.len(), SCHOOLS * 3 + 1);
    }
    eprintln!("4 download-alls of {size} KiB each: the server grew by {grown} KiB");
    assert!(
        grown < 3 * size,
        "the server grew by {grown} KiB for ZIPs of {size} KiB"
    );
}

/// Eight uploads of a large sheet checked at once: at most two are checked at a time, so the
/// server's memory grows by about two checks' worth, not eight. (Each count is measured on a
/// fresh server, so that memory kept from an earlier check does not hide the growth.)
#[test]
fn many_uploads_at_once_are_checked_a_few_at_a_time() {
    // A roster of 15,000 duties: each check reads it and lays out its Markdown.
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["姓名", "职务", "工作职责"]).unwrap();
    for leader in 0..100 {
        for duty in 0..150 {
            let (name, title) = if duty == 0 {
                (format!("领导{leader}"), "副局长".to_owned())
            } else {
                (String::new(), String::new())
            };
            writer
                .write_record([
                    name,
                    title,
                    format!(
                        "负责第{leader}组第{duty}项工作的组织、协调、督促和检查，确保按时完成。"
                    ),
                ])
                .unwrap();
        }
    }
    let sheet = writer.into_inner().unwrap();
    // How much a fresh server grows while `uploads` of the sheet are checked at once.
    let growth = |uploads: usize| {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(
            &repo().join("inputs/zhuzhou-2019"),
            &tmp.path().join("inputs/zhuzhou-2019"),
        );
        let server = Server::start(tmp.path());
        let loaded = server.get("/p/0/a/0").field("loaded");
        reset_peak(server.pid());
        let before = peak_kib(server.pid());
        std::thread::scope(|scope| {
            for _ in 0..uploads {
                scope.spawn(|| {
                    let answer = check_from(&server, &loaded, "大名单.csv", &sheet);
                    assert_eq!(answer.status, 200, "{}", answer.text());
                });
            }
        });
        peak_kib(server.pid()).saturating_sub(before)
    };
    // One check's growth varies with the allocator (21–54 MB over runs): the larger of two.
    // Two checks at a time still leave each blocking thread's heap grown (mimalloc keeps its
    // pages per thread), so eight in turns came to 5.3 times one check once: the bound is six,
    // against eight and more for eight checks at once.
    let one = growth(1).max(growth(1));
    let eight = growth(8);
    eprintln!("one check: +{one} KiB; eight at once: +{eight} KiB");
    assert!(
        eight < 6 * one,
        "eight checks at once grew the server by {eight} KiB, one by {one} KiB"
    );
}
