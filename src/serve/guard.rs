//! Security for a server on a shared office PC, as one middleware every request passes:
//!
//! - **Host** must name the bound address (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`)
//!   unless `--listen` was given: a page of another site whose name was made to resolve to
//!   127.0.0.1 (DNS rebinding) sends its own name, and is refused.
//! - **Changes** are POST only (the router has no other method on them) and must come from a
//!   page of this server: the Origin header (or, when a browser sends none, the Referer) must be
//!   `http://` + the Host. Another web site open in the same browser cannot trigger an Apply.
//! - **Every answer** forbids framing (no clickjacking of the Apply button), MIME sniffing and
//!   scripts or styles from elsewhere, and is not cached (but for the embedded font).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::AppState;
use super::pages::ErrorPage;

/// The middleware: refuses a foreign Host or a cross-origin change, sets the headers.
pub async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if state.options.check_host && !allowed_hosts(state.options.addr.port()).contains(&host) {
        return ErrorPage::new(
            StatusCode::FORBIDDEN,
            format!("拒绝访问：地址“{host}”不是本机的 qingdan 网页"),
            format!("refused: “{host}” is not this computer's qingdan page"),
        )
        .hint(
            format!(
                "在浏览器中打开 http://127.0.0.1:{}/ ；要让其他电脑访问，用 --listen 启动",
                state.options.addr.port()
            ),
            format!(
                "open http://127.0.0.1:{}/ in the browser; to let other computers in, start with --listen",
                state.options.addr.port()
            ),
        )
        .into_response();
    }
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    if !safe && !same_origin(request.headers(), &host) {
        return ErrorPage::new(
            StatusCode::FORBIDDEN,
            "拒绝修改：请求不是从本网页发出的（可能来自其他网站），未做任何修改",
            "refused: the request did not come from this page (perhaps from another web site); nothing was changed",
        )
        .hint(
            "回到 qingdan 网页，在那里重新上传并应用",
            "go back to the qingdan page and upload and apply there",
        )
        .into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Pages change with every Apply; only what says otherwise (the font) may be kept.
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// The Host values naming the bound loopback address.
fn allowed_hosts(port: u16) -> Vec<String> {
    let mut hosts = Vec::new();
    for name in ["127.0.0.1", "localhost", "[::1]"] {
        hosts.push(format!("{name}:{port}"));
        if port == 80 {
            hosts.push(name.to_owned());
        }
    }
    hosts
}

/// Whether a change request comes from a page of this server: its Origin — or its Referer,
/// from browsers that send no Origin — is `http://<host>`.
fn same_origin(headers: &HeaderMap, host: &str) -> bool {
    if host.is_empty() {
        return false;
    }
    let ours = format!("http://{host}");
    let value = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_ascii_lowercase)
    };
    match value(header::ORIGIN) {
        Some(origin) if origin != "null" => origin == ours,
        _ => {
            value(header::REFERER).is_some_and(|r| r == ours || r.starts_with(&format!("{ours}/")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_compared_whole() {
        let with = |name, value: &str| {
            let mut h = HeaderMap::new();
            h.insert(name, HeaderValue::from_str(value).unwrap());
            h
        };
        let host = "127.0.0.1:8371";
        // (header, value, same origin?)
        let cases = [
            (header::ORIGIN, "http://127.0.0.1:8371", true),
            (header::ORIGIN, "http://127.0.0.1:83710", false),
            (header::ORIGIN, "http://evil.example", false),
            (header::ORIGIN, "https://127.0.0.1:8371", false),
            (header::REFERER, "http://127.0.0.1:8371/p/0", true),
            (
                header::REFERER,
                "http://127.0.0.1:8371.evil.example/",
                false,
            ),
            (header::ORIGIN, "null", false),
        ];
        for (name, value, expected) in cases {
            assert_eq!(same_origin(&with(name, value), host), expected, "{value}");
        }
        assert!(!same_origin(&HeaderMap::new(), host));
    }
}
