//! `qingdan serve [DIR] [--port N] [--listen ADDR]`: the local web page (see [`crate::serve`]).
//! This file only turns the arguments into options and prints where the page is.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use crate::cli::{ProjectArgs, ServeArgs};
use crate::cmd::{errln, no_projects, outln};
use crate::serve::{AppState, Options};

/// Runs `qingdan serve`: the local web page until Ctrl+C; the exit code as the other commands'.
pub fn run(args: &ServeArgs) -> i32 {
    run_then(args, |_| {})
}

/// [`run`], calling `listening` with the page's address as soon as the port is bound, before
/// the projects are built (`qingdan start` opens the browser there: it waits for the page).
pub(crate) fn run_then(args: &ServeArgs, listening: impl FnOnce(&str)) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            errln!("错误 / error: 无法启动服务 / cannot start the server: {e}");
            return 1;
        }
    };
    runtime.block_on(serve(args, listening))
}

/// The default output folder: `output` beside DIR, where `qingdan build` run beside `inputs/`
/// writes.
fn default_output(dir: &Path) -> PathBuf {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute
        .parent()
        .map_or_else(|| PathBuf::from("output"), |parent| parent.join("output"))
}

async fn serve(args: &ServeArgs, listening: impl FnOnce(&str)) -> i32 {
    let ip = args.listen.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let listener = match tokio::net::TcpListener::bind(SocketAddr::new(ip, args.port)).await {
        Ok(listener) => listener,
        Err(e) => {
            errln!(
                "错误 / error: 无法在 {ip}:{} 上监听 / cannot listen on {ip}:{}: {e}",
                args.port,
                args.port
            );
            errln!(
                "  提示：换一个端口，例如 --port 8372 / hint: try another port, e.g. --port 8372"
            );
            return 1;
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            errln!("错误 / error: {e}");
            return 1;
        }
    };
    let shown = if ip.is_unspecified() {
        format!("http://127.0.0.1:{}/", addr.port())
    } else {
        format!("http://{addr}/")
    };
    listening(&shown);
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| default_output(&args.dir));
    let options = Options {
        dir: args.dir.clone(),
        output: output.clone(),
        compile: args.fonts.compile_options(None),
        addr,
        check_host: args.listen.is_none(),
    };
    errln!("正在读取并生成项目… / reading and building the projects…");
    let state = match tokio::task::spawn_blocking(move || {
        let state = AppState::new(options, Box::new(crate::cmd::report::Printer::new()))?;
        if let Some(state) = &state {
            state.build_all();
        }
        Ok::<_, std::io::Error>(state)
    })
    .await
    {
        Ok(Ok(Some(state))) => state,
        Ok(Ok(None)) => {
            return no_projects(&ProjectArgs {
                projects: vec![args.dir.clone()],
            });
        }
        Ok(Err(e)) => {
            errln!("错误 / error: {e}");
            return 1;
        }
        Err(e) => {
            errln!("错误 / error: {e}");
            return 1;
        }
    };
    outln!("qingdan 网页已启动：{shown}  （在浏览器中打开；按 Ctrl+C 停止）");
    outln!("qingdan web page: {shown}  (open it in a browser; Ctrl+C stops it)");
    outln!(
        "项目 / projects: {}；输出 / output: {}",
        args.dir.display(),
        output.display()
    );
    if args.listen.is_some() {
        outln!(
            "注意：已在 {ip} 上监听，网络中的其他电脑也能打开此网页 / note: listening on {ip}: other computers on the network can open this page"
        );
    }
    match crate::serve::serve(listener, state).await {
        Ok(()) => {
            outln!("qingdan 网页已停止 / qingdan web page stopped");
            0
        }
        Err(e) => {
            errln!("错误 / error: {e}");
            1
        }
    }
}
