//! Security for a server on a shared office PC, as one middleware every request passes:
//!
//! - **Host** must name the bound address (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`)
//!   unless `--listen` was given: a page of another site whose name was made to resolve to
//!   127.0.0.1 (DNS rebinding) sends its own name, and is refused.
//! - **Changes** are POST only (the router has no other method on them) and must come from a
//!   page of this server: the Origin header (or, when a browser sends none, the Referer) must be
//!   `http://` + the Host. Another web site open in the same browser cannot trigger an Apply.
//! - **Other sites' pages** cannot make the browser fetch anything from here as part of their
//!   own page (an `<img>`, a script: `Sec-Fetch-Site` says so), and "download all" is started
//!   only from a page of this server ([`FromThisPage`]).
//! - **Every answer**, the guard's own refusals included, forbids framing (no clickjacking of the Apply button), MIME sniffing and
//!   scripts or styles from elsewhere, and is not cached (but for the embedded font).

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::AppState;
use super::error::ErrorPage;

/// The middleware: refuses a foreign Host, a cross-origin change or a cross-site subresource,
/// and sets the headers on every answer, its own refusals included.
pub(super) async fn guard(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = match refusal(&state, &request) {
        Some(refused) => refused.into_response(),
        None => next.run(request).await,
    };
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

/// Why `request` is refused before it reaches a handler, if it is.
fn refusal(state: &AppState, request: &Request) -> Option<ErrorPage> {
    let host = host(request.headers());
    let port = state.options.addr.port();
    if state.options.check_host && !allowed_hosts(port).contains(&host) {
        return Some(
            ErrorPage::new(
                StatusCode::FORBIDDEN,
                format!("拒绝访问：地址“{host}”不是本机的 qingdan 网页"),
                format!("refused: “{host}” is not this computer's qingdan page"),
            )
            .hint(
                format!("在浏览器中打开 http://127.0.0.1:{port}/ ；要让其他电脑访问，用 --listen 启动"),
                format!("open http://127.0.0.1:{port}/ in the browser; to let other computers in, start with --listen"),
            ),
        );
    }
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    if !safe && !same_origin(request.headers(), &host) {
        return Some(
            ErrorPage::new(
                StatusCode::FORBIDDEN,
                "拒绝修改：请求不是从本网页发出的（可能来自其他网站），未做任何修改",
                "refused: the request did not come from this page (perhaps from another web site); nothing was changed",
            )
            .hint(
                "回到 qingdan 网页，在那里重新上传并应用",
                "go back to the qingdan page and upload and apply there",
            ),
        );
    }
    if safe && cross_site_subresource(request.headers()) {
        return Some(from_elsewhere());
    }
    None
}

/// The Host header, lower case (empty when missing).
fn host(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The refusal of a request another web site made the browser send.
fn from_elsewhere() -> ErrorPage {
    ErrorPage::new(
        StatusCode::FORBIDDEN,
        "拒绝：请求来自其他网站，不是本网页",
        "refused: the request came from another web site, not from this page",
    )
    .hint(
        "在 qingdan 网页上点相应的按钮",
        "use the button on the qingdan page",
    )
}

/// Whether the browser says another site made it send this request as part of its own page —
/// an `<img>`, a script, a `fetch` — rather than as a navigation to a page of ours (Fetch
/// Metadata, the resource isolation policy). Browsers that send no `Sec-Fetch-Site` are not
/// judged here.
fn cross_site_subresource(headers: &HeaderMap) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let navigation = value("sec-fetch-mode") == Some("navigate")
        && matches!(value("sec-fetch-dest"), Some("document") | None);
    !matches!(value("sec-fetch-site"), None | Some("same-origin" | "none")) && !navigation
}

/// An extractor that admits only requests from a page of this server, or typed or bookmarked
/// by the user, for GETs that cost: "download all" builds a ZIP of every file of a project, and
/// no other site may start that, not even with a link. Judged by `Sec-Fetch-Site`, or, from a
/// browser that sends none, by the Referer when there is one.
pub(super) struct FromThisPage;

impl FromRequestParts<Arc<AppState>> for FromThisPage {
    type Rejection = ErrorPage;

    async fn from_request_parts(parts: &mut Parts, _: &Arc<AppState>) -> Result<Self, ErrorPage> {
        let headers = &parts.headers;
        let ours = match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            Some(site) => matches!(site, "same-origin" | "none"),
            None => headers.get(header::REFERER).is_none() || same_origin(headers, &host(headers)),
        };
        if ours {
            Ok(Self)
        } else {
            Err(from_elsewhere())
        }
    }
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
