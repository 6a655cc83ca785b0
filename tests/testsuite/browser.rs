//! End-to-end tests in a real browser: headless Chromium over WebDriver (`common/browser.rs`).
//! Screenshots are saved under `target/e2e-screenshots/<test>/`.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::browser::{Browser, WAIT, group_alive, processes_naming};
use crate::common::server::Server;
use crate::common::{copy_dir, repo, write_xlsx};
use fantoccini::Locator;

/// The harness itself: a page is opened, read, clicked and photographed, a file it makes is
/// downloaded into the download folder, and closing leaves no process behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_harness_drives_chromium_and_leaves_nothing_running() {
    let page_dir = tempfile::tempdir().unwrap();
    let page = page_dir.path().join("page.html");
    std::fs::write(
        &page,
        r#"<!doctype html><meta charset="utf-8"><title>清单测试</title>
<table><tr><th>姓名</th><th>职务</th></tr><tr><td id="bad" class="bad">张三</td><td></td></tr></table>
<button id="make">下载 / download</button><p id="done"></p>
<script>
document.getElementById('make').onclick = () => {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob(['姓名,职务\n张三,局长\n'], {type: 'text/csv'}));
  a.download = '清单.csv';
  document.body.append(a);
  a.click();
  document.getElementById('done').textContent = '已下载';
};
</script>"#,
    )
    .unwrap();
    let mut browser = Browser::start("harness").await;
    let group = browser.process_group();
    let profile = browser.profile().display().to_string();
    let client = browser.client().clone();
    client
        .goto(&format!("file://{}", page.display()))
        .await
        .unwrap();
    assert_eq!(client.title().await.unwrap(), "清单测试");
    let cell = client.find(Locator::Id("bad")).await.unwrap();
    assert_eq!(cell.text().await.unwrap(), "张三");
    assert_eq!(cell.attr("class").await.unwrap().as_deref(), Some("bad"));
    click(&client, Locator::Id("make")).await;
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//p[@id='done' and text()='已下载']"))
        .await
        .unwrap();
    let shot = browser.screenshot("page").await;
    assert!(std::fs::metadata(&shot).unwrap().len() > 1000);
    let file = browser.downloaded("清单.csv").await;
    assert_eq!(
        std::fs::read_to_string(file).unwrap(),
        "姓名,职务\n张三,局长\n"
    );

    assert!(group_alive(group), "chromedriver and Chromium run");
    assert!(
        processes_naming(&profile) > 0,
        "Chromium runs with the session's profile"
    );
    browser.close().await;
    // Dropped: the group is killed. Processes whose parent is gone are reaped by init, which
    // may take a moment.
    let start = std::time::Instant::now();
    let left = || group_alive(group) || processes_naming(&profile) > 0;
    while left() && start.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!left(), "no process of the browser is left");
}

/// A test that fails half-way leaves no browser behind either: the harness ends chromedriver
/// and Chromium when it is dropped during the panic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_that_panics_leaves_no_browser_running() {
    let (tell, told) = tokio::sync::oneshot::channel();
    let failing = tokio::spawn(async move {
        let browser = Browser::start("panicking").await;
        let _ = tell.send((
            browser.process_group(),
            browser.profile().display().to_string(),
        ));
        browser.client().goto("about:blank").await.unwrap();
        panic!("a failing test");
    });
    assert!(failing.await.unwrap_err().is_panic());
    let (group, profile) = told.await.unwrap();
    let start = std::time::Instant::now();
    let left = || group_alive(group) || processes_naming(&profile) > 0;
    while left() && start.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!left(), "no process of the browser is left");
}

/// The rows of the zhuzhou-2019 责任清单, as the project has them.
fn roster_rows() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(repo().join("inputs/zhuzhou-2019/责任清单.csv")).unwrap();
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Copies the example projects `names` into `dir/inputs/`.
fn copy_projects(dir: &Path, names: &[&str]) {
    for name in names {
        copy_dir(
            &repo().join("inputs").join(name),
            &dir.join("inputs").join(name),
        );
    }
}

/// `rows` under the 责任清单 header, as an .xlsx a clerk would save.
fn roster_xlsx(path: &Path, rows: &[Vec<String>]) {
    write_xlsx(path, &["姓名", "职务", "工作职责"], rows);
}

/// Runs `script` (an expression) in the page and returns its value.
async fn eval(client: &fantoccini::Client, script: &str) -> serde_json::Value {
    client
        .execute(&format!("return {script};"), vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Scrolls through the previews (they load lazily, as a clerk scrolls) until every one has
/// loaded a picture; returns their addresses.
async fn previews_loaded(client: &fantoccini::Client) -> Vec<(String, String)> {
    let start = Instant::now();
    loop {
        // The first one not loaded yet is scrolled into view; none left is `true`.
        let loaded = eval(
            client,
            "(() => { const waiting = Array.from(document.querySelectorAll('img.preview-page'))\
             .find(i => !(i.complete && i.naturalWidth > 0)); \
             if (waiting) { waiting.scrollIntoView(); return false; } \
             window.scrollTo(0, 0); return true; })()",
        )
        .await;
        if loaded == serde_json::Value::Bool(true) {
            break;
        }
        assert!(start.elapsed() < WAIT, "the previews did not load");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sources = eval(
        client,
        "Array.from(document.querySelectorAll('img.preview-page'))\
         .map(i => [i.closest('.document').dataset.document, i.getAttribute('src')])",
    )
    .await;
    serde_json::from_value(sources).unwrap()
}

/// A clerk's personnel change, in the browser: home page → project → upload a broken sheet (the
/// bad cell is highlighted with its message, nothing changes) → upload the fixed one → the
/// change report → Apply → the previews follow → download all as a ZIP holding the change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_uploads_a_new_roster_applies_it_and_downloads_the_zip() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    copy_projects(tmp.path(), &["zhuzhou-2019", "schools-batch"]);
    let project = tmp.path().join("inputs/zhuzhou-2019");
    let original = std::fs::read(project.join("责任清单.csv")).unwrap();
    let server = Server::start(tmp.path());
    let mut browser = Browser::start("personnel-change").await;
    let client = browser.client().clone();
    let served = started.elapsed();

    // Home: the project, built clean.
    client.goto(&format!("{}/", server.url)).await.unwrap();
    let link = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath(
            "//a[@class='project-link' and text()='zhuzhou-2019']",
        ))
        .await
        .unwrap();
    let status = client
        .find(Locator::XPath(
            "//li[@class='project' and a[text()='zhuzhou-2019']]/span[contains(@class, 'status')]",
        ))
        .await
        .unwrap();
    assert!(
        status
            .attr("class")
            .await
            .unwrap()
            .unwrap()
            .contains("status-clean"),
        "{}",
        status.text().await.unwrap()
    );
    browser.screenshot("home").await;

    // The project: clean, every document previewed.
    link.click().await.unwrap();
    wait_for(&client, Locator::Id("documents")).await;
    let before = previews_loaded(&client).await;
    assert!(before.len() >= 4, "{before:?}");
    let documents: Vec<String> = serde_json::from_value(
        eval(
            &client,
            "Array.from(document.querySelectorAll('.document')).map(d => d.dataset.document)",
        )
        .await,
    )
    .unwrap();
    assert!(
        documents.iter().any(|d| d.contains("责任清单")),
        "{documents:?}"
    );
    browser.screenshot("project").await;
    let project_url = client.current_url().await.unwrap();

    // A broken sheet: 毛大训 (row 8) without a 职务.
    let mut rows = roster_rows();
    let mao = rows.iter().position(|r| r[0] == "毛大训").unwrap();
    rows[mao][1].clear();
    let broken = tmp.path().join("责任清单-有错.xlsx");
    roster_xlsx(&broken, &rows);
    click(&client, Locator::Css(".upload-link[data-attachment='0']")).await;
    let upload_url = client.current_url().await.unwrap();
    upload(&client, &broken).await;
    let result = client.find(Locator::Id("check-result")).await.unwrap();
    assert_eq!(
        result.attr("data-valid").await.unwrap().as_deref(),
        Some("false")
    );
    let sheet_row = (mao + 2).to_string();
    let bad = client
        .find(Locator::Css(&format!(".bad-cell[data-row='{sheet_row}']")))
        .await
        .unwrap();
    assert_eq!(
        bad.attr("data-column").await.unwrap().as_deref(),
        Some("职务")
    );
    let message = bad.attr("title").await.unwrap().unwrap_or_default();
    assert!(message.contains("“毛大训”的职务为空"), "{message}");
    let highlighted = bad.css_value("background-color").await.unwrap();
    let plain = client
        .find(Locator::Css("#sheet tbody td:not(.bad-cell)"))
        .await
        .unwrap()
        .css_value("background-color")
        .await
        .unwrap();
    assert_ne!(highlighted, plain, "the bad cell is highlighted");
    let problem = client
        .find(Locator::Css("#problems .problem-error"))
        .await
        .unwrap();
    let problem_text = problem.text().await.unwrap();
    assert!(
        problem_text.contains("“毛大训”的职务为空") && problem_text.contains("is empty"),
        "{problem_text}"
    );
    assert!(
        client.find(Locator::Id("apply-form")).await.is_err(),
        "no Apply for errors"
    );
    browser.screenshot("broken-sheet").await;
    scroll_to(&client, &bad, "center").await;
    browser.screenshot("broken-sheet-bad-cell").await;
    assert_eq!(
        std::fs::read(project.join("责任清单.csv")).unwrap(),
        original
    );

    // The fixed sheet: 王新华 takes over 毛大训's duties (接任).
    let mut rows = roster_rows();
    rows[mao][0] = "王新华".to_owned();
    let fixed = tmp.path().join("责任清单-新.xlsx");
    roster_xlsx(&fixed, &rows);
    client.goto(upload_url.as_str()).await.unwrap();
    upload(&client, &fixed).await;
    let result = client.find(Locator::Id("check-result")).await.unwrap();
    assert_eq!(
        result.attr("data-valid").await.unwrap().as_deref(),
        Some("true")
    );
    let report = client
        .find(Locator::Id("change-report"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(report.contains("接任：王新华接替毛大训"), "{report}");
    // The documents the report names as affected: the lines that are a document's name.
    let affected: Vec<&String> = documents
        .iter()
        .filter(|d| report.lines().any(|line| line.trim() == d.as_str()))
        .collect();
    assert!(
        !affected.is_empty() && affected.len() < documents.len(),
        "{affected:?} of {documents:?}: {report}"
    );
    browser.screenshot("change-report").await;
    assert_eq!(
        std::fs::read(project.join("责任清单.csv")).unwrap(),
        original,
        "nothing is written before Apply"
    );

    // Apply: the project is rebuilt and the previews follow.
    let apply_started = Instant::now();
    click(&client, Locator::Id("apply-submit")).await;
    wait_for(&client, Locator::Id("applied-banner")).await;
    let after = previews_loaded(&client).await;
    let applied = apply_started.elapsed();
    assert_eq!(after.len(), before.len(), "{after:?}");
    // Exactly the documents the report named have new previews (the list and 全文, not the
    // notice or the rules).
    for ((document, old), (same, new)) in before.iter().zip(&after) {
        assert_eq!(document, same);
        let changed = affected.contains(&document);
        assert_eq!(old != new, changed, "{document}: {old} → {new}");
    }
    let status = client.find(Locator::Id("build-status")).await.unwrap();
    assert!(
        status
            .attr("class")
            .await
            .unwrap()
            .unwrap()
            .contains("status-clean")
    );
    browser.screenshot("applied").await;
    let list = documents.iter().find(|d| d.contains("责任清单")).unwrap();
    let section = client
        .find(Locator::Css(&format!(".document[data-document='{list}']")))
        .await
        .unwrap();
    scroll_to(&client, &section, "start").await;
    browser.screenshot("applied-list-preview").await;
    let written = std::fs::read_to_string(project.join("责任清单.csv")).unwrap();
    assert!(
        written.contains("王新华") && !written.contains("毛大训"),
        "{written}"
    );

    // Download all: one ZIP with every document in every format, the change in it.
    client.goto(project_url.as_str()).await.unwrap();
    click(&client, Locator::Id("download-all")).await;
    let zip_path = browser.downloaded("zhuzhou-2019.zip").await;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut entries: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    entries.sort();
    let mut expected: Vec<String> = documents
        .iter()
        .flat_map(|d| ["docx", "md", "pdf"].map(|ext| format!("{d}.{ext}")))
        .collect();
    expected.sort();
    assert_eq!(entries, expected);
    let mut markdown = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name(&format!("{list}.md")).unwrap(),
        &mut markdown,
    )
    .unwrap();
    assert!(markdown.contains("王新华") && !markdown.contains("毛大训"));

    // A batch's ZIP: one folder per school with its documents, and 索引.md.
    client.goto(&format!("{}/", server.url)).await.unwrap();
    let units: Vec<(String, Vec<String>)> = serde_json::from_value(
        eval(
            &client,
            "Array.from(Array.from(document.querySelectorAll('.project')).find(p => \
             p.querySelector('.project-link').textContent === 'schools-batch')\
             .querySelectorAll('.unit')).map(u => [u.querySelector('.unit-link').textContent, \
             Array.from(u.querySelectorAll('.document-name')).map(d => d.textContent)])",
        )
        .await,
    )
    .unwrap();
    assert_eq!(units.len(), 5, "{units:?}");
    client
        .find(Locator::XPath(
            "//a[@class='project-link' and text()='schools-batch']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, Locator::Id("units")).await;
    browser.screenshot("batch").await;
    click(&client, Locator::Id("download-all")).await;
    let zip_path = browser.downloaded("schools-batch.zip").await;
    let zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut entries: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    entries.sort();
    let mut expected: Vec<String> = units
        .iter()
        .flat_map(|(unit, documents)| {
            documents
                .iter()
                .flat_map(move |d| ["docx", "md", "pdf"].map(|ext| format!("{unit}/{d}.{ext}")))
        })
        .chain(["索引.md".to_owned()])
        .collect();
    expected.sort();
    assert_eq!(entries, expected);

    browser.close().await;
    drop(server);
    eprintln!(
        "browser test: server and browser up in {served:?}, Apply to previews in {applied:?}, \
         {:?} in all",
        started.elapsed()
    );
}

/// Scrolls `element` into view: `block` is `start` or `center` (of the window).
async fn scroll_to(
    client: &fantoccini::Client,
    element: &fantoccini::elements::Element,
    block: &str,
) {
    client
        .execute(
            "arguments[0].scrollIntoView({block: arguments[1]});",
            vec![serde_json::to_value(element).unwrap(), block.into()],
        )
        .await
        .unwrap();
}

/// Chooses `file` in the upload form, submits it and waits for the check result.
async fn upload(client: &fantoccini::Client, file: &Path) {
    submit_upload(client, file).await;
    wait_for(client, Locator::Id("check-result")).await;
}

/// Chooses `file` in the upload form and presses 检查.
async fn submit_upload(client: &fantoccini::Client, file: &Path) {
    let input = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("upload-file"))
        .await
        .unwrap();
    input.send_keys(&file.display().to_string()).await.unwrap();
    click(client, Locator::Id("upload-submit")).await;
}

/// Waits for the error page; its status, and the text of the element `part` of it.
async fn error_page(client: &fantoccini::Client, part: Locator<'_>) -> (String, String) {
    let error = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("error"))
        .await
        .unwrap();
    let status = error.attr("data-status").await.unwrap().unwrap_or_default();
    let text = client.find(part).await.unwrap().text().await.unwrap();
    (status, text)
}

/// Two tabs check two different sheets against the same data; the first Apply wins and the
/// second is told (409), with the file as the first wrote it — nothing merged silently.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_tabs_applying_at_once_the_second_is_told() {
    let tmp = tempfile::tempdir().unwrap();
    copy_projects(tmp.path(), &["zhuzhou-2019"]);
    let data = tmp.path().join("inputs/zhuzhou-2019/责任清单.csv");
    let server = Server::start(tmp.path());
    let mut browser = Browser::start("two-tabs").await;
    let client = browser.client().clone();
    let upload_url = format!("{}/p/0/a/0", server.url);
    let mut sheets = Vec::new();
    for (tab, new_name) in [("first", "王新华"), ("second", "李四海")] {
        let mut rows = roster_rows();
        let mao = rows.iter().position(|r| r[0] == "毛大训").unwrap();
        rows[mao][0] = new_name.to_owned();
        let path = tmp.path().join(format!("责任清单-{tab}.xlsx"));
        roster_xlsx(&path, &rows);
        sheets.push(path);
    }
    let first = client.window().await.unwrap();
    client.goto(&upload_url).await.unwrap();
    upload(&client, &sheets[0]).await;
    let second = client.new_window(true).await.unwrap().handle;
    client.switch_to_window(second.clone()).await.unwrap();
    client.goto(&upload_url).await.unwrap();
    upload(&client, &sheets[1]).await;
    let report = client.find(Locator::Id("change-report")).await.unwrap();
    assert!(report.text().await.unwrap().contains("李四海接替毛大训"));

    client.switch_to_window(first).await.unwrap();
    click(&client, Locator::Id("apply-submit")).await;
    wait_for(&client, Locator::Id("applied-banner")).await;
    client.switch_to_window(second).await.unwrap();
    click(&client, Locator::Id("apply-submit")).await;
    let (status, message) = error_page(&client, Locator::Css(".error-zh")).await;
    assert_eq!(status, "409");
    assert!(message.contains("已被修改"), "{message}");
    browser.screenshot("second-apply-refused").await;
    let written = std::fs::read_to_string(&data).unwrap();
    assert!(
        written.contains("王新华") && !written.contains("李四海"),
        "{written}"
    );
    browser.close().await;
}

/// The roster is edited on disk (saved in Excel) while the upload page is open: the upload
/// from that page is refused (409) with what changed in the file listed, and from the page
/// opened again it is checked against the file as it is now.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sheet_edited_on_disk_while_the_page_is_open_is_not_reverted() {
    let tmp = tempfile::tempdir().unwrap();
    copy_projects(tmp.path(), &["zhuzhou-2019"]);
    let data = tmp.path().join("inputs/zhuzhou-2019/责任清单.csv");
    let server = Server::start(tmp.path());
    let mut browser = Browser::start("edited-on-disk").await;
    let client = browser.client().clone();
    let upload_url = format!("{}/p/0/a/0", server.url);
    client.goto(&upload_url).await.unwrap();
    // Meanwhile, in Excel: 毛大训 is replaced by 赵编辑 and the file saved.
    let edited = std::fs::read_to_string(&data)
        .unwrap()
        .replace("毛大训", "赵编辑");
    std::fs::write(&data, &edited).unwrap();
    let mut rows = roster_rows();
    let mao = rows.iter().position(|r| r[0] == "毛大训").unwrap();
    rows[mao][0] = "李四海".to_owned();
    let sheet = tmp.path().join("责任清单-新.xlsx");
    roster_xlsx(&sheet, &rows);
    submit_upload(&client, &sheet).await;
    let (status, details) = error_page(&client, Locator::Id("error-details")).await;
    assert_eq!(status, "409");
    assert!(details.contains("赵编辑接替毛大训"), "{details}");
    browser.screenshot("changed-on-disk").await;
    assert_eq!(std::fs::read_to_string(&data).unwrap(), edited);
    client.goto(&upload_url).await.unwrap();
    upload(&client, &sheet).await;
    let report = client.find(Locator::Id("change-report")).await.unwrap();
    assert!(report.text().await.unwrap().contains("李四海接替赵编辑"));
    browser.close().await;
}

/// Clicks the element `locator` finds.
async fn click(client: &fantoccini::Client, locator: Locator<'_>) {
    client.find(locator).await.unwrap().click().await.unwrap();
}

/// Waits (up to [`WAIT`]) until the element `locator` finds is on the page.
async fn wait_for(client: &fantoccini::Client, locator: Locator<'_>) {
    client
        .wait()
        .at_most(WAIT)
        .for_element(locator)
        .await
        .unwrap();
}

/// "从已有文件开始": a clerk uploads last year's document on the home page's import page, sees
/// what was recognised and the new project's pages, creates it, and the folder written beside
/// the served projects builds the same Markdown as the document came from. Pasted text is read
/// too. Refusals on the way: nothing chosen, a file that is no document (nothing written), and
/// Create where a folder of that name has appeared meanwhile (409, the folder left as it was).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_starts_a_project_from_last_years_docx() {
    let started = Instant::now();
    let source = crate::common::examples().join("daligang-2019");
    let tmp = tempfile::tempdir().unwrap();
    copy_projects(tmp.path(), &["daligang-2019"]);
    let inputs = tmp.path().join("inputs");
    let server = Server::start(tmp.path());
    let mut browser = Browser::start("import").await;
    let client = browser.client().clone();

    // Nothing chosen: told, in both languages.
    client.goto(&format!("{}/", server.url)).await.unwrap();
    wait_for(&client, Locator::Id("import-link")).await;
    click(&client, Locator::Id("import-link")).await;
    wait_for(&client, Locator::Id("import-form")).await;
    click(&client, Locator::Id("import-submit")).await;
    wait_for(&client, Locator::Id("error")).await;
    assert_eq!(attr_of(&client, "error", "data-status").await, "400");
    let error = text_of(&client, Locator::Id("error")).await;
    assert!(error.contains("no file was chosen"), "{error}");

    // Text pasted out of the OA system: read as plain text, its table as a 安排表.
    let seed =
        std::fs::read_to_string(repo().join("tests/fixtures/seeds/004_c033ab8380c52e2a.txt"))
            .unwrap();
    client
        .goto(&format!("{}/import", server.url))
        .await
        .unwrap();
    wait_for(&client, Locator::Id("import-text")).await;
    client
        .execute(
            "document.getElementById('import-text').value = arguments[0];",
            vec![seed.into()],
        )
        .await
        .unwrap();
    click(&client, Locator::Id("import-submit")).await;
    wait_for(&client, Locator::Id("import-result")).await;
    assert_eq!(
        attr_of(&client, "import-result", "data-valid").await,
        "true"
    );
    let report = text_of(&client, Locator::Id("import-report")).await;
    assert!(report.contains("table 1 read as 安排表"), "{report}");

    // A file that is no document: the reader's message, nothing written.
    let broken = tmp.path().join("去年的通知.docx");
    std::fs::write(&broken, "这不是 Word 文件").unwrap();
    import_file(&client, &server.url, &broken).await;
    assert_eq!(
        attr_of(&client, "import-result", "data-valid").await,
        "false"
    );
    let problem = text_of(&client, Locator::Css("#problems .problem-error")).await;
    assert!(problem.contains("去年的通知.docx"), "{problem}");
    assert!(client.find(Locator::Id("create-form")).await.is_err());
    browser.screenshot("not-a-docx").await;

    // Last year's document: the report, the files, every page previewed.
    let docx = tmp.path().join("2019年全文.docx");
    std::fs::copy(source.join("全文.docx"), &docx).unwrap();
    import_file(&client, &server.url, &docx).await;
    assert_eq!(
        attr_of(&client, "import-result", "data-valid").await,
        "true",
        "{}",
        text_of(&client, Locator::Id("import-result")).await
    );
    let folder = text_of(&client, Locator::Id("import-folder")).await;
    assert!(folder.ends_with("实施意见"), "{folder}");
    let report = text_of(&client, Locator::Id("import-report")).await;
    assert!(
        report.contains("读作安排表") && report.contains("read as 安排表"),
        "{report}"
    );
    let files: Vec<String> = serde_json::from_value(
        eval(
            &client,
            "Array.from(document.querySelectorAll('.project-file')).map(f => f.dataset.file)",
        )
        .await,
    )
    .unwrap();
    assert_eq!(files[0], "qingdan.yaml", "{files:?}");
    assert!(files.iter().any(|f| f.ends_with(".csv")), "{files:?}");
    let previews = previews_loaded(&client).await;
    let documents: std::collections::BTreeSet<&str> =
        previews.iter().map(|(d, _)| d.as_str()).collect();
    assert!(documents.len() >= 3, "{previews:?}");
    browser.screenshot("import-checked").await;
    // Nothing is written before Create.
    let listing = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(listing(&inputs), ["daligang-2019"]);

    click(&client, Locator::Id("create-submit")).await;
    let created = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("import-created"))
        .await
        .unwrap();
    assert_eq!(
        created.attr("data-folder").await.unwrap().as_deref(),
        Some(folder.as_str())
    );
    browser.screenshot("import-created").await;
    let project = inputs.join(&folder);
    assert!(project.join("qingdan.yaml").is_file());
    // The new folder builds the Markdown the document was built from.
    let out = tmp.path().join("rebuilt");
    crate::common::qingdan_ok(&[
        Path::new("build"),
        &project,
        Path::new("-o"),
        &out,
        Path::new("--formats"),
        Path::new("md"),
    ]);
    assert_eq!(
        crate::import::markdown_of(&out.join(&folder)),
        crate::import::markdown_of(&source)
    );

    // The same document again gets a folder name of its own; a folder made under that name
    // before Create is never written over.
    import_file(&client, &server.url, &docx).await;
    let again = text_of(&client, Locator::Id("import-folder")).await;
    assert_eq!(again, format!("{folder}-2"));
    let taken = inputs.join(&again);
    std::fs::create_dir(&taken).unwrap();
    std::fs::write(taken.join("笔记.txt"), "别人的文件").unwrap();
    click(&client, Locator::Id("create-submit")).await;
    wait_for(&client, Locator::Id("error")).await;
    assert_eq!(attr_of(&client, "error", "data-status").await, "409");
    browser.screenshot("import-folder-taken").await;
    assert_eq!(listing(&taken), ["笔记.txt"]);
    assert_eq!(listing(&inputs), ["daligang-2019", &folder, &again]);
    browser.close().await;
    eprintln!("browser import test: {:?}", started.elapsed());
}

/// Opens the import page, chooses `file` and waits for the result.
async fn import_file(client: &fantoccini::Client, url: &str, file: &Path) {
    client.goto(&format!("{url}/import")).await.unwrap();
    let input = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Id("import-file"))
        .await
        .unwrap();
    input.send_keys(&file.display().to_string()).await.unwrap();
    click(client, Locator::Id("import-submit")).await;
    wait_for(client, Locator::Id("import-result")).await;
}

/// The text of the element `locator` finds.
async fn text_of(client: &fantoccini::Client, locator: Locator<'_>) -> String {
    client.find(locator).await.unwrap().text().await.unwrap()
}

/// Attribute `name` of the element of id `id` (empty when it has none).
async fn attr_of(client: &fantoccini::Client, id: &str, name: &str) -> String {
    let element = client.find(Locator::Id(id)).await.unwrap();
    element.attr(name).await.unwrap().unwrap_or_default()
}
