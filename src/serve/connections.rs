//! Accepting connections, with the bounds `axum::serve` does not have: a cap on open
//! connections and time limits, so that half-sent requests cannot keep the page from
//! answering (300 of them used to, where a process may open 256 files, as on a Mac).
//!
//! - At most [`MAX_CONNECTIONS`] are served at once; a connection past them is answered at once
//!   with 503 ("reload in a moment") and closed, instead of taking the file handles the server
//!   needs for its own work or waiting behind half-sent requests.
//! - A request's headers must arrive within [`HEADER_TIMEOUT`], and a kept-alive connection
//!   that sends no next request is closed after as long (hyper's header read timeout covers
//!   both).
//! - A connection whose client stops reading the answer for [`WRITE_STALL`] is closed (a
//!   download nobody takes would otherwise hold its turn for ever).
//! - An upload's body must arrive within [`super::changes`]' own time limit.
//!
//! HTTP/1 only, as before. On Ctrl+C no new connection is taken, requests under way finish
//! (an Apply is never cut off) and idle connections are closed.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::Sleep;

/// Connections open at the same time. A browser opens at most six to one server.
pub const MAX_CONNECTIONS: usize = 100;

/// How long a client may take to send a request's headers, or to send the next request on a
/// kept-alive connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a client may leave the answer unread before the connection is closed.
pub const WRITE_STALL: Duration = Duration::from_secs(60);

/// Serves `app` on `listener` until `stop` resolves; then lets the requests under way finish.
pub(super) async fn serve(
    listener: TcpListener,
    app: Router,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let open = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let mut stop = std::pin::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file handles, or a connection reset before it was taken: try again
                // shortly rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(turn) = open.clone().try_acquire_owned() else {
            tokio::spawn(turn_away(stream));
            continue;
        };
        let connection = http.serve_connection(
            TokioIo::new(Stalling::new(stream)),
            TowerToHyperService::new(app.clone()),
        );
        let watched = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection that ends with an error (a timeout, a reset) needs nothing more.
            let _ = watched.await;
            drop(turn);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The answer to a connection past [`MAX_CONNECTIONS`], sent without reading its request:
/// in both languages, with the headers every answer carries.
const TURNED_AWAY: &str = "HTTP/1.1 503 Service Unavailable\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Retry-After: 10\r\n\
X-Content-Type-Options: nosniff\r\n\
X-Frame-Options: DENY\r\n\
Content-Security-Policy: default-src 'self'; frame-ancestors 'none'\r\n\
Cache-Control: no-store\r\n\
Connection: close\r\n\
\r\n\
qingdan 网页的连接数已满，请稍后刷新页面。\n\
The qingdan page has too many connections open; reload the page in a moment.\n";

/// Answers a connection there is no room for, and closes it.
async fn turn_away(stream: TcpStream) {
    let mut rest = TURNED_AWAY.as_bytes();
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        while !rest.is_empty() && stream.writable().await.is_ok() {
            match stream.try_write(rest) {
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => break,
            }
        }
    })
    .await;
}

/// A connection whose writes fail once the client has read nothing for [`WRITE_STALL`].
struct Stalling {
    stream: TcpStream,
    stalled_since: Option<Pin<Box<Sleep>>>,
}

impl Stalling {
    fn new(stream: TcpStream) -> Self {
        Self {
            stream,
            stalled_since: None,
        }
    }

    /// What a write gave: passed on when it went somewhere (the stall is over); when it is
    /// still pending, an error once the stall has lasted [`WRITE_STALL`].
    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        written: Poll<std::io::Result<usize>>,
    ) -> Poll<std::io::Result<usize>> {
        if written.is_ready() {
            self.stalled_since = None;
            return written;
        }
        let timer = self
            .stalled_since
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_STALL)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::ErrorKind::TimedOut.into())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for Stalling {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Stalling {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.after_write(cx, written)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.after_write(cx, written)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
