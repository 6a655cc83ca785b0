//! `qingdan serve`, in-process: the axum router driven with `oneshot`, on copies of the example
//! projects. Each page, each download, each bad upload, Apply and its conflicts, and each
//! security rule, with status and content asserted. One test starts the real binary on port 0.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use qingdan::serve::{AppState, Options, router};
use tower::ServiceExt;

use crate::common::{copy_dir, edit_csv, repo, write_xlsx};

/// The builds' findings are not needed here: the pages are what is tested.
struct Quiet;

impl qingdan::Reporter for Quiet {
    fn diagnostics(&self, _: &qingdan::diag::Diagnostics) {}
}

const HOST: &str = "127.0.0.1:8371";
const ORIGIN: &str = "http://127.0.0.1:8371";
const BOUNDARY: &str = "qingdanTestBoundary";

/// A server over copies of some example projects, built once.
struct Served {
    _tmp: tempfile::TempDir,
    inputs: PathBuf,
    state: Arc<AppState>,
    router: Router,
}

impl Served {
    fn new(projects: &[&str]) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = tmp.path().join("inputs");
        for p in projects {
            copy_dir(&repo().join("inputs").join(p), &inputs.join(p));
        }
        let options = Options {
            dir: inputs.clone(),
            output: tmp.path().join("output"),
            compile: qingdan::CompileOptions {
                font_paths: Vec::new(),
                system_fonts: false,
                jobs: None,
            },
            addr: HOST.parse().unwrap(),
            check_host: true,
        };
        let state = AppState::new(options, Box::new(Quiet))
            .unwrap()
            .expect("projects found");
        state.build_all();
        Self {
            _tmp: tmp,
            inputs,
            router: router(state.clone()),
            state,
        }
    }

    /// The id of the project named `name`.
    fn id(&self, name: &str) -> usize {
        self.state
            .projects()
            .iter()
            .position(|p| p.name == name)
            .expect("project served")
    }

    async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Answer {
            status,
            content_type: headers
                .get(header::CONTENT_TYPE)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default(),
            location: headers
                .get(header::LOCATION)
                .map(|v| v.to_str().unwrap().to_owned()),
            body,
        }
    }

    async fn get(&self, uri: &str) -> Answer {
        self.send(get(uri)).await
    }

    /// Uploads `bytes` as `file_name` for attachment `a` of project `p`.
    async fn check(&self, p: usize, a: usize, file_name: &str, bytes: &[u8]) -> Answer {
        self.send(upload(
            &format!("/p/{p}/a/{a}/check"),
            &multipart(file_name, bytes),
        ))
        .await
    }

    async fn apply(&self, p: usize, a: usize, token: &str, digest: &str) -> Answer {
        let request = Request::post(format!("/p/{p}/a/{a}/apply"))
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("token={token}&digest={digest}")))
            .unwrap();
        self.send(request).await
    }
}

struct Answer {
    status: StatusCode,
    content_type: String,
    location: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The value of the hidden form field `name`.
    fn field(&self, name: &str) -> String {
        let text = self.text();
        let marker = format!("name=\"{name}\" value=\"");
        let start = text.find(&marker).expect("field present") + marker.len();
        text[start..].split('"').next().unwrap().to_owned()
    }
}

fn get(uri: &str) -> Request<Body> {
    get_with(uri, &[])
}

/// A GET of `uri` with `headers` besides the Host.
fn get_with(uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::get(uri).header(header::HOST, HOST);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).unwrap()
}

fn multipart(file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn upload(uri: &str, body: &[u8]) -> Request<Body> {
    Request::post(uri)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body.to_vec()))
        .unwrap()
}

/// The roster of the zhuzhou example with `edit` applied to its rows (header first).
fn roster(inputs: &Path, edit: impl FnOnce(&mut Vec<Vec<String>>)) -> Vec<u8> {
    edit_csv(&inputs.join("zhuzhou-2019/责任清单.csv"), edit)
}

fn zip_entries(bytes: &[u8]) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned())
        .collect()
}

#[tokio::test]
async fn every_page_answers_with_its_content() {
    let s = Served::new(&["zhuzhou-2019", "schools-batch"]);
    let (z, b) = (s.id("zhuzhou-2019"), s.id("schools-batch"));
    let home = s.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.content_type.starts_with("text/html"));
    let text = home.text();
    for expected in [
        "zhuzhou-2019",
        "schools-batch",
        "株洲市第一中学",
        "附件-责任清单",
        "status-clean",
    ] {
        assert!(text.contains(expected), "home lacks {expected}:\n{text}");
    }
    let project = s.get(&format!("/p/{z}")).await;
    assert_eq!(project.status, StatusCode::OK);
    let text = project.text();
    for expected in [
        "data-document=\"附件-责任清单\"",
        "class=\"preview-page\"",
        "download-pdf",
        "download-docx",
        "download-md",
        "id=\"download-all\"",
        "class=\"upload-link\"",
    ] {
        assert!(text.contains(expected), "project page lacks {expected}");
    }
    let batch = s.get(&format!("/p/{b}")).await;
    assert_eq!(batch.status, StatusCode::OK);
    assert!(batch.text().contains("class=\"unit-link\""));
    assert!(
        !batch.text().contains("preview-page"),
        "a batch lists its units"
    );
    let unit = s.get(&format!("/p/{b}/u/1")).await;
    assert_eq!(unit.status, StatusCode::OK);
    assert!(unit.text().contains("株洲市第二中学") && unit.text().contains("preview-page"));
    let form = s.get(&format!("/p/{z}/a/0")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("id=\"upload-form\"") && form.text().contains("责任清单.csv"));
    for (asset, kind) in [
        ("/assets/style.css", "text/css"),
        ("/assets/app.js", "text/javascript"),
    ] {
        let answer = s.get(asset).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert!(answer.content_type.starts_with(kind), "{asset}");
    }
    let font = s.get("/assets/sans.otf").await;
    assert_eq!(font.content_type, "font/otf");
    assert!(font.body.starts_with(b"OTTO"), "an OpenType font");
}

#[tokio::test]
async fn each_download_is_the_built_file() {
    let s = Served::new(&["zhuzhou-2019", "schools-batch"]);
    let (z, b) = (s.id("zhuzhou-2019"), s.id("schools-batch"));
    let unit = &s.state.projects()[z].snapshot();
    let Ok(prepared) = &unit.units[0] else {
        panic!("zhuzhou prepared")
    };
    let d = prepared
        .documents
        .iter()
        .position(|d| d.name == "附件-责任清单")
        .unwrap();
    // (path, content type, how the body starts)
    let cases: [(String, &str, &[u8]); 4] = [
        (
            format!("/p/{z}/u/0/d/{d}/page/1"),
            "image/png",
            b"\x89PNG\r\n\x1a\n",
        ),
        (format!("/p/{z}/u/0/d/{d}/pdf"), "application/pdf", b"%PDF-"),
        (
            format!("/p/{z}/u/0/d/{d}/docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK",
        ),
        (
            format!("/p/{z}/u/0/d/{d}/md"),
            "text/markdown",
            "附件".as_bytes(),
        ),
    ];
    for (uri, content_type, start) in cases {
        let answer = s.get(&uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
        assert!(
            answer.content_type.starts_with(content_type),
            "{uri}: {}",
            answer.content_type
        );
        assert!(answer.body.starts_with(start), "{uri}");
    }
    let pdf = s.get(&format!("/p/{z}/u/0/d/{d}/pdf")).await;
    let built = std::fs::read(
        s.state
            .options()
            .output
            .join("zhuzhou-2019/附件-责任清单.pdf"),
    )
    .unwrap();
    assert_eq!(pdf.body, built, "the download is the file the build wrote");
    assert_eq!(
        s.get(&format!("/p/{z}/u/0/d/{d}/page/99")).await.status,
        StatusCode::NOT_FOUND
    );

    let zip = s.get(&format!("/p/{z}/zip")).await;
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.content_type, "application/zip");
    let entries = zip_entries(&zip.body);
    for name in ["通知.pdf", "附件-责任清单.docx", "全文.md", "实施细则.pdf"] {
        assert!(
            entries.iter().any(|e| e == name),
            "{name} not in {entries:?}"
        );
    }
    let batch = zip_entries(&s.get(&format!("/p/{b}/zip")).await.body);
    assert!(batch.contains(&"索引.md".to_owned()), "{batch:?}");
    for school in ["株洲市第一中学", "株洲市第二中学", "株洲市特殊教育学校"]
    {
        for ext in ["pdf", "docx", "md"] {
            let entry = format!("{school}/附件-责任清单.{ext}");
            assert!(batch.contains(&entry), "{entry} not in {batch:?}");
        }
    }
}

#[tokio::test]
async fn bad_uploads_are_refused_with_both_languages_and_nothing_changes() {
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    let data = s.inputs.join("zhuzhou-2019/责任清单.csv");
    let before = std::fs::read(&data).unwrap();
    let damaged = std::fs::read(repo().join("tests/fixtures/bad/xlsx-damaged/截断.xlsx")).unwrap();
    // Just over the file limit (measured while reading), and past the body limit as well.
    let too_large = vec![b'a'; qingdan::serve::UPLOAD_LIMIT + 1];
    let far_too_large = vec![b'a'; qingdan::serve::UPLOAD_LIMIT + (1 << 20)];
    // (file name, bytes, status, Chinese and English words the answer must hold)
    let cases: [(&str, &[u8], StatusCode, &str, &str); 6] = [
        (
            "名单.pdf",
            b"%PDF-1.7",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "不是表格文件",
            "is not a spreadsheet",
        ),
        (
            "名单.csv",
            b"",
            StatusCode::BAD_REQUEST,
            "空文件",
            "is empty",
        ),
        (
            "名单.csv",
            &too_large,
            StatusCode::PAYLOAD_TOO_LARGE,
            "文件太大",
            "too large",
        ),
        (
            "名单.csv",
            &far_too_large,
            StatusCode::PAYLOAD_TOO_LARGE,
            "文件太大",
            "too large",
        ),
        (
            "名单.xlsx",
            &damaged,
            StatusCode::UNPROCESSABLE_ENTITY,
            "文件已损坏或不完整",
            "damaged or incomplete",
        ),
        (
            "名单.csv",
            "姓名,职位\n张三,局长\n".as_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "缺少",
            "missing column",
        ),
    ];
    for (name, bytes, status, zh, en) in cases {
        let answer = s.check(z, 0, name, bytes).await;
        assert_eq!(answer.status, status, "{name}: {}", answer.text());
        let text = answer.text();
        assert!(text.contains(zh) && text.contains(en), "{name}:\n{text}");
    }
    // A connection that drops mid-upload: the body ends inside the file.
    let mut cut = multipart("名单.csv", &before);
    cut.truncate(cut.len() / 2);
    let answer = s.send(upload(&format!("/p/{z}/a/0/check"), &cut)).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.text().contains("上传中断") && answer.text().contains("interrupted"));
    // A form without a file.
    let answer = s
        .send(upload(
            &format!("/p/{z}/a/0/check"),
            format!("--{BOUNDARY}--\r\n").as_bytes(),
        ))
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.text().contains("没有选择文件"));
    assert_eq!(
        std::fs::read(&data).unwrap(),
        before,
        "the project's file is untouched"
    );
    assert_eq!(s.state.upload_files(), 0, "no upload is left behind");
    assert!(!s.inputs.join("zhuzhou-2019/.qingdan-history").exists());
}

#[tokio::test]
async fn a_workbook_attachment_takes_only_a_workbook_with_its_sheet() {
    let tmp_manifest = |inputs: &Path| {
        let dir = inputs.join("jilin-task-division");
        let manifest = std::fs::read_to_string(dir.join("qingdan.yaml")).unwrap();
        let manifest = manifest.replace(
            "数据: 任务分工表.csv",
            "数据: 任务分工表.xlsx\n    工作表: 分工",
        );
        std::fs::write(dir.join("qingdan.yaml"), manifest).unwrap();
        let workbook = repo().join("tests/fixtures/spreadsheets/任务分工表.xlsx");
        std::fs::copy(workbook, dir.join("任务分工表.xlsx")).unwrap();
    };
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("inputs/jilin-task-division"),
        &tmp.path().join("inputs/jilin-task-division"),
    );
    tmp_manifest(&tmp.path().join("inputs"));
    let options = Options {
        dir: tmp.path().join("inputs"),
        output: tmp.path().join("output"),
        compile: qingdan::CompileOptions::default(),
        addr: HOST.parse().unwrap(),
        check_host: true,
    };
    let state = AppState::new(options, Box::new(Quiet)).unwrap().unwrap();
    let s = Served {
        _tmp: tmp,
        inputs: PathBuf::new(),
        router: router(state.clone()),
        state,
    };
    let same = std::fs::read(repo().join("tests/fixtures/spreadsheets/任务分工表.xlsx")).unwrap();
    let other =
        std::fs::read(repo().join("tests/fixtures/spreadsheets/带队检查安排表.xlsx")).unwrap();
    // (file name, bytes, status, words the answer must hold)
    let cases: [(&str, &[u8], StatusCode, &str); 3] = [
        ("分工.xlsx", &same, StatusCode::OK, "没有变化"),
        (
            "安排.xlsx",
            &other,
            StatusCode::UNPROCESSABLE_ENTITY,
            "找不到工作表“分工”",
        ),
        (
            "分工.csv",
            b"a,b\n",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "不能用 .csv 文件替换",
        ),
    ];
    for (name, bytes, status, words) in cases {
        let answer = s.check(0, 0, name, bytes).await;
        assert_eq!(answer.status, status, "{name}: {}", answer.text());
        assert!(answer.text().contains(words), "{name}: {}", answer.text());
    }
}

#[tokio::test]
async fn a_broken_sheet_shows_every_problem_and_marks_the_cells() {
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    let sheet = roster(&s.inputs, |rows| {
        rows[1][1].clear(); // the first leader's 职务
        rows[3][0] = "<b>吴安浩</b>".into(); // a name that must print as text
    });
    let answer = s.check(z, 0, "新名单.csv", &sheet).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = answer.text();
    assert!(text.contains("data-valid=\"false\""));
    assert!(
        text.contains("“吴安浩”的职务为空") && text.contains("is empty"),
        "{text}"
    );
    assert!(
        text.contains("class=\"bad-cell\" data-row=\"2\" data-column=\"职务\""),
        "{text}"
    );
    assert!(text.contains("&lt;b&gt;吴安浩&lt;&#x2F;b&gt;") && !text.contains("<b>吴安浩"));
    assert!(
        !text.contains("apply-form"),
        "a broken sheet cannot be applied"
    );
    assert!(!text.contains(&s.state.options().output.display().to_string()));
}

#[tokio::test]
async fn a_valid_sheet_shows_the_change_report_and_apply_writes_it() {
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    let data = s.inputs.join("zhuzhou-2019/责任清单.csv");
    let before = std::fs::read(&data).unwrap();
    let page_before = s.get(&format!("/p/{z}")).await.text();
    let sheet = roster(&s.inputs, |rows| rows[1][0] = "张新".into());
    let checked = s.check(z, 0, "新名单.csv", &sheet).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.text());
    let text = checked.text();
    assert!(text.contains("接任：张新接替吴安浩"), "{text}");
    assert!(text.contains("<li class=\"report-line\">附件-责任清单</li>"));
    assert_eq!(
        std::fs::read(&data).unwrap(),
        before,
        "nothing is written before Apply"
    );

    let out = s.state.options().output.join("zhuzhou-2019");
    let modified = |name: &str| {
        std::fs::metadata(out.join(name))
            .unwrap()
            .modified()
            .unwrap()
    };
    let (rules_before, list_before) = (modified("实施细则.pdf"), modified("附件-责任清单.pdf"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (token, digest) = (checked.field("token"), checked.field("digest"));
    let applied = s.apply(z, 0, &token, &digest).await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.text());
    assert_eq!(
        applied.location.as_deref(),
        Some(format!("/p/{z}?applied=0").as_str())
    );
    assert_eq!(std::fs::read(&data).unwrap(), sheet);
    let history: Vec<_> = std::fs::read_dir(s.inputs.join("zhuzhou-2019/.qingdan-history"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(history.len(), 1);
    assert_eq!(
        std::fs::read(&history[0]).unwrap(),
        before,
        "the previous version is kept"
    );
    let md = std::fs::read_to_string(
        s.state
            .options()
            .output
            .join("zhuzhou-2019/附件-责任清单.md"),
    )
    .unwrap();
    // A two-character name is spaced to the width of three, as offices print it.
    assert!(
        md.contains("张　新") && !md.contains("吴安浩"),
        "rebuilt:\n{md}"
    );
    assert_eq!(
        modified("实施细则.pdf"),
        rules_before,
        "an unaffected document is not rewritten"
    );
    assert_ne!(
        modified("附件-责任清单.pdf"),
        list_before,
        "the affected one is"
    );
    let page_after = s.get(&format!("/p/{z}?applied=0")).await.text();
    assert!(page_after.contains("id=\"applied-banner\""));
    let versions = |page: &str| -> Vec<String> {
        page.match_indices("?v=")
            .map(|(i, _)| page[i..i + 12].to_owned())
            .collect()
    };
    assert_ne!(
        versions(&page_before),
        versions(&page_after),
        "the previews follow"
    );
    // The same upload cannot be applied twice.
    assert_eq!(
        s.apply(z, 0, &token, &digest).await.status,
        StatusCode::GONE
    );
}

#[tokio::test]
async fn a_gbk_sheet_is_read_as_excel_wrote_it() {
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    let utf8 = roster(&s.inputs, |rows| rows[1][0] = "张新".into());
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(std::str::from_utf8(&utf8).unwrap());
    assert!(!unmappable);
    let answer = s.check(z, 0, "新名单.csv", &gbk).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert!(answer.text().contains("接任：张新接替吴安浩"));
}

#[tokio::test]
async fn the_second_of_two_tabs_applying_is_told_and_changes_nothing() {
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    let data = s.inputs.join("zhuzhou-2019/责任清单.csv");
    let first = roster(&s.inputs, |rows| rows[1][0] = "张新".into());
    let second = roster(&s.inputs, |rows| rows[1][0] = "李新".into());
    let tab1 = s.check(z, 0, "一.csv", &first).await;
    let tab2 = s.check(z, 0, "二.csv", &second).await;
    let ok = s
        .apply(z, 0, &tab1.field("token"), &tab1.field("digest"))
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let late = s
        .apply(z, 0, &tab2.field("token"), &tab2.field("digest"))
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.text().contains("已被修改") && late.text().contains("has changed since"));
    assert_eq!(
        std::fs::read(&data).unwrap(),
        first,
        "the first tab's sheet stays"
    );
}

#[tokio::test]
async fn the_security_rules_hold() {
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    let sheet = roster(&s.inputs, |rows| rows[1][0] = "张新".into());
    let checked = s.check(z, 0, "新名单.csv", &sheet).await;
    let form = format!(
        "token={}&digest={}",
        checked.field("token"),
        checked.field("digest")
    );
    let post = |origin: Option<&str>, host: &str| {
        let mut request = Request::post(format!("/p/{z}/a/0/apply"))
            .header(header::HOST, host)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        request.body(Body::from(form.clone())).unwrap()
    };
    // Changes from another site, or with no origin at all, are refused.
    for origin in [
        Some("http://evil.example"),
        Some("http://127.0.0.1:9999"),
        Some("null"),
        None,
    ] {
        let answer = s.send(post(origin, HOST)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{origin:?}");
        assert!(answer.text().contains("拒绝修改") && answer.text().contains("refused"));
    }
    // A host name other than the bound address (DNS rebinding) is refused, even for a GET.
    for host in ["evil.example:8371", "127.0.0.1:9999", ""] {
        let request = Request::get("/")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        let answer = s.send(request).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{host}");
        assert!(answer.text().contains("拒绝访问"));
    }
    let localhost = Request::get("/")
        .header(header::HOST, "localhost:8371")
        .body(Body::empty())
        .unwrap();
    assert_eq!(s.send(localhost).await.status, StatusCode::OK);
    // Apply is POST only.
    let answer = s.get(&format!("/p/{z}/a/0/apply")).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    // Paths, path-like and unknown ids, directory listings: 404, and nothing read.
    for uri in [
        "/p/99",
        "/p/-1",
        "/p/0x0",
        "/p/%2E%2E",
        "/p/..%2F..%2Fetc",
        "/p/0/u/0/d/0/yaml",
        "/p/0/u/0/d/0/..%2F..%2Fqingdan.yaml",
        "/p/0/u/0/d/99/pdf",
        "/p/0/u/7/d/0/pdf",
        "/p/0/a/5",
        "/p/0/u/0/d/0/page/0",
        "/inputs/",
        "/output/zhuzhou-2019/",
        "/../../etc/passwd",
        "/assets/",
    ] {
        let answer = s.get(uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            answer.text().contains("没有这个"),
            "{uri}: {}",
            answer.text()
        );
    }
    // A built file replaced by a link is not followed.
    let pdf = s.state.options().output.join("zhuzhou-2019/通知.pdf");
    std::fs::remove_file(&pdf).unwrap();
    std::os::unix::fs::symlink(s.inputs.join("zhuzhou-2019/qingdan.yaml"), &pdf).unwrap();
    let answer = s.get(&format!("/p/{z}/u/0/d/0/pdf")).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(
        !answer.text().contains("机关"),
        "the link's target is not served"
    );
    // Every answer forbids framing and sniffing.
    let response = s.router.clone().oneshot(get("/")).await.unwrap();
    assert_eq!(response.headers()[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(
        response.headers()[header::X_CONTENT_TYPE_OPTIONS],
        "nosniff"
    );
    assert_eq!(
        std::fs::read(s.inputs.join("zhuzhou-2019/责任清单.csv")).unwrap(),
        roster(&s.inputs, |_| ())
    );
}

#[test]
fn the_binary_serves_on_the_port_it_prints() {
    use std::io::{BufRead, BufReader, Read, Write};
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("inputs/jilin-task-division"),
        &tmp.path().join("inputs/jilin-task-division"),
    );
    let mut child = crate::common::command()
        .args(["serve", "inputs", "--port", "0", "--no-system-fonts"])
        .current_dir(tmp.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let address = stdout
        .lines()
        .map(Result::unwrap)
        .find_map(|line| {
            let at = line.find("web page: http://")? + "web page: http://".len();
            Some(line[at..].split('/').next().unwrap().to_owned())
        })
        .expect("the address is printed");
    assert!(!address.ends_with(":0"), "{address}");
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("jilin-task-division"));
    assert!(
        tmp.path()
            .join("output/jilin-task-division/附件1-任务分工表.pdf")
            .is_file()
    );
}

#[tokio::test]
async fn with_listen_any_host_is_served_but_changes_stay_same_origin() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("inputs/jilin-task-division"),
        &tmp.path().join("inputs/jilin-task-division"),
    );
    let options = Options {
        dir: tmp.path().join("inputs"),
        output: tmp.path().join("output"),
        compile: qingdan::CompileOptions::default(),
        addr: "0.0.0.0:8371".parse().unwrap(),
        check_host: false,
    };
    let state = AppState::new(options, Box::new(Quiet)).unwrap().unwrap();
    let app = router(state);
    let request = |method: &str, uri: &str, origin: Option<&str>| {
        let mut r = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "office-pc.local:8371");
        if let Some(origin) = origin {
            r = r.header(header::ORIGIN, origin);
        }
        r.body(Body::empty()).unwrap()
    };
    let home = app
        .clone()
        .oneshot(request("GET", "/", None))
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let foreign = app
        .clone()
        .oneshot(request(
            "POST",
            "/p/0/a/0/apply",
            Some("http://evil.example"),
        ))
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    // From the page itself the request gets through the guard (and fails on its empty form).
    let own = app
        .oneshot(request(
            "POST",
            "/p/0/a/0/apply",
            Some("http://office-pc.local:8371"),
        ))
        .await
        .unwrap();
    assert_ne!(own.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_project_with_errors_says_so_and_shows_them() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("inputs");
    for p in ["zhuzhou-2019", "jilin-task-division"] {
        copy_dir(&repo().join("inputs").join(p), &inputs.join(p));
    }
    let bad = roster(&inputs, |rows| rows[1][1].clear());
    std::fs::write(inputs.join("zhuzhou-2019/责任清单.csv"), bad).unwrap();
    let options = Options {
        dir: inputs,
        output: tmp.path().join("output"),
        compile: qingdan::CompileOptions::default(),
        addr: HOST.parse().unwrap(),
        check_host: true,
    };
    let state = AppState::new(options, Box::new(Quiet)).unwrap().unwrap();
    state.build_all();
    let s = Served {
        _tmp: tmp,
        inputs: PathBuf::new(),
        router: router(state.clone()),
        state,
    };
    let (z, j) = (s.id("zhuzhou-2019"), s.id("jilin-task-division"));
    let home = s.get("/").await.text();
    let card = |p: usize| {
        let start = home.find(&format!("data-project=\"{p}\"")).unwrap();
        home[start..].split("</li>\n\n").next().unwrap().to_owned()
    };
    assert!(card(z).contains("status-errors"), "{}", card(z));
    assert!(card(j).contains("status-clean"), "{}", card(j));
    let page = s.get(&format!("/p/{z}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("class=\"problem problem-error\""));
    assert!(text.contains("“吴安浩”的职务为空") && text.contains("责任清单.csv"));
    assert!(
        !text.contains("preview-page"),
        "no documents for a project that failed"
    );
    // The upload form is still there: a fixed sheet is how the clerk gets out of it.
    assert!(text.contains("class=\"upload-link\""));
}

/// The upload page offers the blank sheet of its attachment's kind: an .xlsx whose header row
/// is the one the reader expects, read back with calamine; an attachment that does not exist
/// has none.
#[tokio::test]
async fn each_attachment_offers_its_blank_sheet() {
    use calamine::Reader;
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    let form = s.get(&format!("/p/{z}/a/0")).await;
    assert!(
        form.text().contains("id=\"blank-sheet\""),
        "{}",
        form.text()
    );
    let blank = s.get(&format!("/p/{z}/a/0/blank.xlsx")).await;
    assert_eq!(blank.status, StatusCode::OK, "{}", blank.text());
    assert!(
        blank
            .content_type
            .starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "{}",
        blank.content_type
    );
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(blank.body)).expect("an .xlsx");
    let first = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&first).unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, ["姓名", "职务", "工作职责"]);
    assert_eq!(range.rows().count(), 2, "the header and one example row");
    assert_eq!(
        s.get(&format!("/p/{z}/a/9/blank.xlsx")).await.status,
        StatusCode::NOT_FOUND
    );
}

/// The guard's own refusals (a foreign Host, a change from another site) carry the headers
/// every answer does: no framing, no sniffing.
#[tokio::test]
async fn the_guards_refusals_forbid_framing_too() {
    let s = Served::new(&["zhuzhou-2019"]);
    let foreign_host = Request::get("/")
        .header(header::HOST, "evil.example:8371")
        .body(Body::empty())
        .unwrap();
    let cross_origin = Request::post("/p/0/a/0/apply")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, "http://evil.example")
        .body(Body::empty())
        .unwrap();
    for request in [foreign_host, cross_origin] {
        let response = s.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let headers = response.headers();
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    }
}

/// Another web site cannot start "download all" (a ZIP of every file, costly for a batch):
/// not with an `<img>`, not with a link; the page's own button can.
#[tokio::test]
async fn another_site_cannot_start_download_all() {
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    let zip = format!("/p/{z}/zip");
    // (request headers, status)
    let cases: [(&[(&str, &str)], StatusCode); 6] = [
        // <img src=".../zip"> on another site, in a browser that sends Fetch Metadata …
        (
            &[
                ("sec-fetch-site", "cross-site"),
                ("sec-fetch-mode", "no-cors"),
                ("sec-fetch-dest", "image"),
            ],
            StatusCode::FORBIDDEN,
        ),
        // … and in one that sends only a Referer.
        (
            &[("referer", "http://evil.example/page.html")],
            StatusCode::FORBIDDEN,
        ),
        // A link on another site.
        (
            &[
                ("sec-fetch-site", "cross-site"),
                ("sec-fetch-mode", "navigate"),
                ("sec-fetch-dest", "document"),
            ],
            StatusCode::FORBIDDEN,
        ),
        // Another program on this computer, at another port: another origin.
        (
            &[
                ("sec-fetch-site", "same-site"),
                ("sec-fetch-mode", "navigate"),
                ("sec-fetch-dest", "document"),
            ],
            StatusCode::FORBIDDEN,
        ),
        // The page's own button, and the address typed in.
        (
            &[
                ("sec-fetch-site", "same-origin"),
                ("sec-fetch-mode", "navigate"),
                ("referer", "http://127.0.0.1:8371/p/0"),
            ],
            StatusCode::OK,
        ),
        (&[("sec-fetch-site", "none")], StatusCode::OK),
    ];
    for (headers, status) in cases {
        let answer = s.send(get_with(&zip, headers)).await;
        assert_eq!(answer.status, status, "{headers:?}");
        if status == StatusCode::FORBIDDEN {
            assert!(
                answer.text().contains("其他网站") && answer.text().contains("another web site")
            );
        } else {
            assert!(zip_entries(&answer.body).contains(&"全文.pdf".to_owned()));
        }
    }
    // An image on another site cannot make the server lay out a preview either; a link to
    // the project page still works.
    let cross_site = |mode, dest| {
        [
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", mode),
            ("sec-fetch-dest", dest),
        ]
    };
    let image = get_with(
        &format!("/p/{z}/u/0/d/0/page/1"),
        &cross_site("no-cors", "image"),
    );
    assert_eq!(s.send(image).await.status, StatusCode::FORBIDDEN);
    let link = get_with(&format!("/p/{z}"), &cross_site("navigate", "document"));
    assert_eq!(s.send(link).await.status, StatusCode::OK);
}

/// Requests the page would never send get the app's own page in both languages, not axum's
/// plain English text.
#[tokio::test]
async fn malformed_requests_get_the_bilingual_error_page() {
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    let post = |uri: &str, content_type: &str, body: &str| {
        Request::post(uri)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let apply = format!("/p/{z}/a/0/apply");
    let check = format!("/p/{z}/a/0/check");
    let requests = [
        // An Apply form without its fields; a body that is not a form.
        post(&apply, "application/x-www-form-urlencoded", "token=x"),
        post(&apply, "text/plain", "token=x&digest=y"),
        // A check that is not a multipart form, or has no boundary.
        post(&check, "text/plain", "名单"),
        post(&check, "multipart/form-data", "名单"),
        // Ids that are not text at all.
        get("/p/%FF"),
        get(&format!("/p/{z}/u/0/d/%FF/pdf")),
    ];
    for request in requests {
        let uri = request.uri().to_string();
        let answer = s.send(request).await;
        let text = answer.text();
        assert!(answer.status.is_client_error(), "{uri}: {}", answer.status);
        assert!(
            answer.content_type.starts_with("text/html"),
            "{uri}: {text}"
        );
        assert!(
            text.contains("id=\"error\"") && text.contains("error-zh") && text.contains("error-en"),
            "{uri}: {text}"
        );
    }
}

/// An Apply that cannot write says why in both languages, without the server's paths or the
/// operating system's own English words.
#[tokio::test]
async fn a_failed_apply_names_no_path_and_says_why_in_both_languages() {
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    // A file where the history folder should be: keeping the old version fails.
    std::fs::write(s.inputs.join("zhuzhou-2019/.qingdan-history"), "").unwrap();
    let sheet = roster(&s.inputs, |rows| rows[1][0] = "张新".into());
    let checked = s.check(z, 0, "新名单.csv", &sheet).await;
    let answer = s
        .apply(z, 0, &checked.field("token"), &checked.field("digest"))
        .await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    let text = answer.text();
    assert!(
        text.contains("保存旧版本") && text.contains("keeping the old version"),
        "{text}"
    );
    assert!(
        text.contains("原文件未改动") && text.contains("left as it was"),
        "{text}"
    );
    let temp = std::env::temp_dir().display().to_string();
    assert!(
        !text.contains(&temp) && !text.contains("os error"),
        "{text}"
    );
    assert_eq!(
        std::fs::read(s.inputs.join("zhuzhou-2019/责任清单.csv")).unwrap(),
        roster(&s.inputs, |_| ()),
        "the file is as it was"
    );
}

/// A workbook uploaded for a CSV attachment is saved as CSV with every cell a spreadsheet
/// would run as a formula made text (an apostrophe before it, every cell quoted: OWASP's CSV
/// injection guidance), and qingdan reads back exactly what was uploaded.
#[tokio::test]
async fn formula_cells_are_saved_as_text_and_read_back_as_uploaded() {
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    let formula = "=HYPERLINK(\"http://evil.example/\",\"点此查看\")";
    let mut rows: Vec<Vec<String>> = csv::Reader::from_reader(roster(&s.inputs, |_| ()).as_slice())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    rows[0][2] = formula.into();
    rows[1][2] = "+86 138 0000 0000 值班".into();
    rows[2][2] = "@某人 负责".into();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("名单.xlsx");
    write_xlsx(&xlsx, &["姓名", "职务", "工作职责"], &rows);
    let checked = s
        .check(z, 0, "名单.xlsx", &std::fs::read(&xlsx).unwrap())
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.text());
    let applied = s
        .apply(z, 0, &checked.field("token"), &checked.field("digest"))
        .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.text());
    let data = s.inputs.join("zhuzhou-2019/责任清单.csv");
    let written = std::fs::read_to_string(&data).unwrap();
    // What Excel reads: no cell starts with a formula character.
    let mut raw = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(written.as_bytes());
    for record in raw.records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "{cell:?} in\n{written}"
            );
        }
    }
    assert!(written.contains("\"'=HYPERLINK("), "{written}");
    // What qingdan reads: the cells as uploaded (the Markdown escapes a leading = and +).
    let md = std::fs::read_to_string(
        s.state
            .options()
            .output
            .join("zhuzhou-2019/附件-责任清单.md"),
    )
    .unwrap();
    for duty in [
        "\\=HYPERLINK(\"http://evil.example/\",\"点此查看\")",
        "\\+86 138 0000 0000 值班",
        "@某人 负责",
    ] {
        assert!(md.contains(duty), "{duty} not in:\n{md}");
    }
    assert!(
        !md.contains("'=") && !md.contains("'\\+") && !md.contains("'@"),
        "{md}"
    );
}

/// The change report is kept as text and escaped by the page itself: a duty with a line break,
/// a backslash and Markdown characters shows as written, not as Markdown escapes.
#[tokio::test]
async fn the_change_report_shows_the_data_as_written() {
    let s = Served::new(&["zhuzhou-2019"]);
    let z = s.id("zhuzhou-2019");
    let sheet = roster(&s.inputs, |rows| {
        rows[1][2] = "甲*乙*_丙_\n第二行 C:\\路径 <b>".into();
    });
    let answer = s.check(z, 0, "新名单.csv", &sheet).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let text = answer.text();
    let report = &text[text.find("id=\"change-report\"").unwrap()..];
    let report = &report[..report.find("</div>").unwrap()];
    assert!(report.contains("甲*乙*_丙_"), "{report}");
    assert!(report.contains("C:\\路径"), "{report}");
    assert!(report.contains("&lt;b&gt;"), "{report}");
    assert!(
        !report.contains("&lt;br&gt;") && !report.contains("\\*"),
        "{report}"
    );
}

/// 从已有文件开始, in-process: the form; an upload checked and previewed with nothing written
/// where projects are; its pages as PNG; a cross-site Create refused; Create writing a folder
/// qingdan loads, once; an upload over the limit and an expired token refused.
#[tokio::test]
async fn an_import_is_previewed_then_created_once_and_only_from_the_page() {
    let s = Served::new(&["daligang-2019"]);
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(&s.inputs)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let form = s.get("/import").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text().contains("id=\"import-form\""),
        "{}",
        form.text()
    );
    assert!(s.get("/").await.text().contains("id=\"import-link\""));

    let seed = std::fs::read(repo().join("tests/fixtures/seeds/004_c033ab8380c52e2a.txt")).unwrap();
    let checked = s
        .send(upload("/import/check", &multipart("去年.txt", &seed)))
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.text());
    assert!(checked.text().contains("data-level=\"guess\""));
    assert!(checked.text().contains("data-file=\"安排表.csv\""));
    assert_eq!(listing(), ["daligang-2019"]);
    let token = checked.field("token");
    let page = s.get(&format!("/import/{token}/d/0/page/1")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.content_type, "image/png");
    for missing in [
        format!("/import/{token}/d/0/page/999"),
        format!("/import/{token}/d/99/page/1"),
        "/import/0123456789abcdef/d/0/page/1".to_owned(),
    ] {
        assert_eq!(
            s.get(&missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }

    let create = |origin: &str| {
        Request::post("/import/create")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("token={token}")))
            .unwrap()
    };
    let foreign = s.send(create("http://evil.example")).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(listing(), ["daligang-2019"]);
    let created = s.send(create(ORIGIN)).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text());
    let folders = listing();
    assert_eq!(folders.len(), 2, "{folders:?}");
    let folder = s
        .inputs
        .join(folders.iter().find(|f| *f != "daligang-2019").unwrap());
    qingdan::prepare::prepare_project(&folder).expect("the new folder loads");
    // The token is spent: a second Create writes nothing.
    let again = s.send(create(ORIGIN)).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.text());
    assert_eq!(listing().len(), 2);

    let large = vec![b'x'; qingdan::serve::UPLOAD_LIMIT + 1];
    let refused = s
        .send(upload("/import/check", &multipart("大.txt", &large)))
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(listing().len(), 2);
}
