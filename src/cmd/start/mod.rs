//! `qingdan start`, and what a double-click on qingdan does: the web page of `qingdan serve` on
//! the clerk's working folder, opened in the default browser.
//!
//! Clerks have no terminal: they start a program from the file manager, the desktop's menu or
//! Windows Explorer. [`double_clicked`] tells such a start from a terminal user typing
//! `qingdan` (who gets the help, as before). Then:
//! - the working folder is 清单 in the documents folder ([`folder`]), given an example project
//!   when it holds none (the first start);
//! - the page is served on port 8371 or, when a qingdan page already answers there (a second
//!   double-click), the browser is opened at that one ([`port`]);
//! - the browser is opened ([`browser`]) as soon as the port is bound, before the projects are
//!   built: it waits for the page;
//! - what qingdan says goes to a window of its own — the console Windows opens for it, the
//!   terminal of the Linux desktop entry — where closing the window stops the page, or, started
//!   from a Linux file manager, which gives a program no window, to `qingdan.log` in the
//!   working folder, which says how to stop it.

mod browser;
mod folder;
mod launch;
mod port;

use std::path::Path;
use std::process::{Command, Stdio};

pub use launch::double_clicked;

use crate::cli::{FontArgs, PORT, ServeArgs, ShownIn, StartArgs};
use crate::cmd::{errln, outln};
use crate::diag::{Diagnostic, Location};

/// Runs `qingdan start`: the page until it is stopped; the exit code as the other commands'.
/// In a window of its own, an error waits for Enter: the window would close with the message.
pub fn run(args: &StartArgs) -> i32 {
    let code = start(args);
    if code != 0 && args.shown_in == Some(ShownIn::Window) {
        errln!("按回车键关闭此窗口 / press Enter to close this window");
        let _ = std::io::stdin().read_line(&mut String::new());
    }
    code
}

/// What a double-click does ([`double_clicked`] says where it is shown): `qingdan start` on the
/// default working folder, in the window Windows gave it, or, without a window, in the
/// background with its log in the working folder.
pub fn run_double_clicked(shown_in: ShownIn) -> i32 {
    match shown_in {
        ShownIn::Window => run(&StartArgs {
            dir: None,
            port: PORT,
            no_browser: false,
            shown_in: Some(ShownIn::Window),
            fonts: FontArgs::default(),
        }),
        ShownIn::Log => {
            // Already served: the page is opened again, and its log left as it is.
            if let port::Choice::Served(url) = port::choose(PORT) {
                browser::open(&url);
                return 0;
            }
            match folder::default_folder().map(|dir| with_log(&dir)) {
                Some(Ok(())) => 0,
                // There is no one to tell: no window, and no folder for a log.
                Some(Err(_)) | None => 1,
            }
        }
    }
}

/// Starts `qingdan start DIR` again with what it says going to `DIR/qingdan.log` (made anew),
/// and returns.
fn with_log(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let log = std::fs::File::create(dir.join(folder::LOG))?;
    Command::new(std::env::current_exe()?)
        .arg("start")
        .arg(dir)
        .args(["--shown-in", "log"])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()?;
    Ok(())
}

fn start(args: &StartArgs) -> i32 {
    let Some(dir) = args.dir.clone().or_else(folder::default_folder) else {
        errln!(
            "{}",
            Diagnostic::general_error(
                "找不到本用户的文档文件夹或主文件夹",
                "cannot find this user's documents or home folder",
            )
            .with_hint(
                "指定一个工作文件夹，例如 qingdan start D:\\公文",
                "name a working folder, e.g. qingdan start ~/公文",
            )
        );
        return 1;
    };
    match folder::prepare(&dir) {
        Ok(Some(example)) => outln!(
            "已新建示例项目：{} / an example project was made: {}",
            example.display(),
            example.display()
        ),
        Ok(None) => {}
        Err(e) => {
            errln!(
                "{}",
                Diagnostic::error(
                    &dir,
                    Location::File,
                    format!("无法创建工作文件夹：{e}"),
                    format!("cannot make the working folder: {e}"),
                )
            );
            return 1;
        }
    }
    let port = match port::choose(args.port) {
        port::Choice::Free(port) => port,
        port::Choice::Served(url) => {
            outln!("qingdan 网页已在运行：{url} / the qingdan web page is already running: {url}");
            if !args.no_browser {
                browser::open(&url);
            }
            return 0;
        }
    };
    how_to_stop(args.shown_in);
    let serve = ServeArgs {
        dir: dir.clone(),
        output: Some(dir.join(folder::OUTPUT)),
        port,
        listen: None,
        fonts: args.fonts.clone(),
    };
    super::serve::run_then(&serve, |url| {
        if !args.no_browser {
            browser::open(url);
        }
    })
}

/// Says how to stop the page, where the clerk reads it (from a terminal, `serve` says it).
fn how_to_stop(shown_in: Option<ShownIn>) {
    match shown_in {
        Some(ShownIn::Window) => outln!(
            "关闭此窗口即停止网页；再次启动 qingdan 会重新打开它 / closing this window stops the page; start qingdan again to open it again"
        ),
        Some(ShownIn::Log) => {
            let pid = std::process::id();
            outln!("这是 qingdan 网页的记录 / this is the log of the qingdan web page");
            outln!(
                "停止网页：注销或重启电脑，或在终端中运行 kill {pid}；再次双击 qingdan 会打开同一个网页 / to stop the page: log out or restart, or run kill {pid} in a terminal; double-click qingdan again to open the same page"
            );
        }
        None => {}
    }
}
