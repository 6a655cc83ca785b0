//! `qingdan serve` as a real process, and a small HTTP/1.1 client to talk to it: for the tests
//! of what happens when several qingdan processes work on one folder at once, and of the
//! server's bounds (connections, memory), which only a real process shows.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

/// `qingdan serve` on a free port, ended when dropped.
pub(crate) struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    pub(crate) addr: String,
    /// `http://127.0.0.1:PORT`
    pub(crate) url: String,
    /// Where its standard error goes.
    pub(crate) stderr: PathBuf,
}

impl Server {
    /// Serves the projects under `dir/inputs` (into `dir/output`), and waits for its address.
    /// What it says on standard error goes to `dir/serve.stderr`.
    pub(crate) fn start(dir: &Path) -> Server {
        Self::start_named(dir, "serve", &[])
    }

    /// Like [`Server::start`], with standard error in `dir/<name>.stderr` and `extra`
    /// arguments.
    pub(crate) fn start_named(dir: &Path, name: &str, extra: &[&str]) -> Server {
        let stderr = dir.join(format!("{name}.stderr"));
        let mut child = crate::common::command()
            .args(["serve", "inputs", "--port", "0", "--no-system-fonts"])
            .args(extra)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .expect("qingdan serve starts");
        Self::wait_for_address(child.stdout.take().unwrap(), child, stderr)
    }

    /// `child`, once it has printed its address on `stdout`.
    pub(crate) fn wait_for_address(
        stdout: std::process::ChildStdout,
        mut child: Child,
        stderr: PathBuf,
    ) -> Server {
        let mut lines = BufReader::new(stdout).lines();
        let address = lines.by_ref().map_while(Result::ok).find_map(|line| {
            let at = line.find("http://")?;
            let url = line[at..].split_whitespace().next()?;
            Some(url.trim_end_matches('/').to_owned())
        });
        // The rest is read and dropped, so that the server never waits on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let Some(url) = address else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "qingdan serve printed no address; it said:\n{}",
                std::fs::read_to_string(&stderr).unwrap_or_default()
            );
        };
        Server {
            addr: url.trim_start_matches("http://").to_owned(),
            url,
            child,
            stderr,
        }
    }

    /// The server's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server has said on standard error so far.
    pub(crate) fn said(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Sends `method path` with `headers` (Host added) and `body`; the whole answer.
    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(600)))
            .unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        Reply::parse(&answer)
    }

    pub(crate) fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }

    /// POSTs the form `fields` (already URL-encoded) from the server's own page.
    pub(crate) fn post_form(&self, path: &str, fields: &str) -> Reply {
        self.request(
            "POST",
            path,
            &[
                ("Origin", &self.url),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            fields.as_bytes(),
        )
    }

    /// POSTs a multipart form from the server's own page: each field's name, file name (for a
    /// file) and value.
    pub(crate) fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, Option<&str>, &[u8])],
    ) -> Reply {
        const BOUNDARY: &str = "qingdanProcessBoundary";
        let mut body = Vec::new();
        for (name, file, value) in fields {
            let disposition = match file {
                Some(file) => format!("form-data; name=\"{name}\"; filename=\"{file}\""),
                None => format!("form-data; name=\"{name}\""),
            };
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(value);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        self.request(
            "POST",
            path,
            &[("Origin", &self.url), ("Content-Type", &content_type)],
            &body,
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    fn parse(answer: &[u8]) -> Reply {
        let end = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(answer)));
        let head = String::from_utf8_lossy(&answer[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let rest = &answer[end + 4..];
        let chunked = headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
        let body = if chunked {
            unchunk(rest)
        } else {
            rest.to_vec()
        };
        Reply { status, body }
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The value of the hidden form field `name`.
    pub(crate) fn field(&self, name: &str) -> String {
        let text = self.text();
        let marker = format!("name=\"{name}\" value=\"");
        let start = text
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name} in:\n{text}"))
            + marker.len();
        text[start..].split('"').next().unwrap().to_owned()
    }
}

/// A chunked body, joined.
fn unchunk(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") else {
            return body;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&rest[..line_end])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        rest = &rest[line_end + 2..];
        if size == 0 || rest.len() < size {
            return body;
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[(size + 2).min(rest.len())..];
    }
}

/// A batch project of `schools` schools, each with the example's leadership five times over (a
/// four-page 责任清单 per school, as `scripts/bench.sh` makes them), in `dir`.
pub(crate) fn batch_project(dir: &Path, schools: usize) {
    let example = crate::common::repo().join("inputs/schools-batch");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(example.join("qingdan.yaml"), dir.join("qingdan.yaml")).unwrap();
    let text = std::fs::read_to_string(example.join("总表.csv")).unwrap();
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let (header, body) = rows.split_first().unwrap();
    let starts: Vec<usize> = (0..body.len())
        .filter(|&i| !body[i][0].is_empty())
        .collect();
    let block = &body[starts[0]..starts[1]];
    let names: Vec<char> = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗".chars().collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).unwrap();
    for s in 0..schools {
        for k in 0..5 {
            for (j, row) in block.iter().enumerate() {
                let mut row = row.clone();
                row[0] = if j == 0 && k == 0 {
                    format!("第{}中学", s + 1)
                } else {
                    String::new()
                };
                if !row[1].is_empty() {
                    let suffix = "甲乙丙丁戊".chars().nth(k).unwrap();
                    row[1] = format!("{}{}{suffix}", names[s % 20], names[(s / 20 + j) % 20]);
                }
                if !row[3].is_empty() {
                    let duty = row[3].trim_end_matches('。');
                    row[3] = format!("{duty}（第{}组）。", k + 1);
                }
                writer.write_record(&row).unwrap();
            }
        }
    }
    std::fs::write(dir.join("总表.csv"), writer.into_inner().unwrap()).unwrap();
}
