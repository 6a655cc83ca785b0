//! End-to-end tests in a real browser: headless Chromium over WebDriver (tests/common/browser.rs).
//! Screenshots are saved under `target/e2e-screenshots/<test>/`.

#[path = "common/browser.rs"]
mod browser;

use std::time::Duration;

use browser::{Browser, WAIT, group_alive, processes_naming};
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
    client
        .find(Locator::Id("make"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
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
