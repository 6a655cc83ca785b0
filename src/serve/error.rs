//! The one error type of the web layer: every refusal and failure is an [`ErrorPage`], said in
//! Chinese and English with a fix, answered as the app's own page with its status. Handlers
//! return `Result<_, ErrorPage>` and use `?`; the id extractors reject with it; requests axum
//! itself cannot read (a bad form, a bad multipart body, a path that is not UTF-8) become one
//! too, instead of axum's plain English text.
//!
//! No page names a path on the server or shows an operating system's message untranslated:
//! [`io_reason`] says what an I/O error means in both languages.

use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::{FormRejection, PathRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::pages::{ReportLine, render};

/// An error answered as a page: the status, what happened in both languages, and the fix.
/// (Boxed: handlers pass it back through every `?`.)
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub(super) struct ErrorPage(Box<Content>);

/// What the error page shows.
#[derive(Debug, Serialize)]
struct Content {
    #[serde(skip)]
    status: StatusCode,
    code: u16,
    zh: String,
    en: String,
    hint: Option<(String, String)>,
    /// Lines shown under the hint, with their title: what changed, for a conflict.
    details: Option<Details>,
}

/// Lines shown under an error's hint, under a title in both languages.
#[derive(Debug, Serialize)]
struct Details {
    zh: String,
    en: String,
    lines: Vec<ReportLine>,
}

impl ErrorPage {
    pub(super) fn new(status: StatusCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self(Box::new(Content {
            status,
            code: status.as_u16(),
            zh: zh.into(),
            en: en.into(),
            hint: None,
            details: None,
        }))
    }

    pub(super) fn hint(mut self, zh: impl Into<String>, en: impl Into<String>) -> Self {
        self.0.hint = Some((zh.into(), en.into()));
        self
    }

    /// Lines to show under the hint, titled `title` (Chinese, English).
    pub(super) fn details(mut self, title: (&str, &str), lines: Vec<ReportLine>) -> Self {
        self.0.details = Some(Details {
            zh: title.0.to_owned(),
            en: title.1.to_owned(),
            lines,
        });
        self
    }

    /// 404 for an id that names nothing the server listed.
    pub(super) fn not_found(zh_what: &str, en_what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            format!("没有这个{zh_what}"),
            format!("no such {en_what}"),
        )
        .hint(
            "链接可能已过期：请从首页重新进入",
            "the link may be outdated: start again from the home page",
        )
    }

    /// 500 for a failure of the server itself (a task that did not finish, a template bug).
    pub(super) fn internal(zh_what: &str, en_what: &str) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("{zh_what}：服务器内部错误，未做任何修改"),
            format!("{en_what}: an internal error of the server; nothing was changed"),
        )
        .hint(
            "再试一次；如果仍然出错，重新启动 qingdan serve",
            "try again; if it fails again, restart qingdan serve",
        )
    }

    /// 400 for a request the page would never send (a form without its fields, a body that is
    /// not a form): the browser's page is probably outdated.
    pub(super) fn malformed() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "请求不完整或格式不对，未做任何修改",
            "the request is incomplete or malformed; nothing was changed",
        )
        .hint(
            "回到项目页，重新上传表格",
            "go back to the project page and upload the sheet again",
        )
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        match render(self.0.status, "error.html", &self) {
            Ok(page) => page,
            // The error page's own template failed: said plainly, in both languages.
            Err(e) => (
                self.0.status,
                format!("{} / {}\n({} / {})", self.0.zh, self.0.en, e.0.zh, e.0.en),
            )
                .into_response(),
        }
    }
}

impl From<FormRejection> for ErrorPage {
    fn from(_: FormRejection) -> Self {
        Self::malformed()
    }
}

impl From<MultipartRejection> for ErrorPage {
    fn from(_: MultipartRejection) -> Self {
        Self::malformed()
    }
}

impl From<PathRejection> for ErrorPage {
    fn from(_: PathRejection) -> Self {
        Self::not_found("页面", "page")
    }
}

/// What an I/O error means, in Chinese and English, without the path or the system's own words.
pub(super) fn io_reason(e: &std::io::Error) -> (String, String) {
    use std::io::ErrorKind;
    let (zh, en) = match e.kind() {
        ErrorKind::StorageFull => ("磁盘已满", "the disk is full"),
        ErrorKind::QuotaExceeded => ("超出磁盘配额", "the disk quota is exceeded"),
        ErrorKind::PermissionDenied => ("没有写入权限", "permission denied"),
        ErrorKind::ReadOnlyFilesystem => ("磁盘是只读的", "the disk is read-only"),
        ErrorKind::NotFound => ("文件或文件夹不存在", "a file or folder does not exist"),
        ErrorKind::ResourceBusy => (
            "文件正被其他程序使用",
            "the file is in use by another program",
        ),
        ErrorKind::FileTooLarge => ("文件太大", "the file is too large"),
        ErrorKind::NotADirectory => (
            "应是文件夹的地方有一个同名文件",
            "a file is in the way where a folder should be",
        ),
        ErrorKind::IsADirectory => (
            "应是文件的地方有一个同名文件夹",
            "a folder is in the way where a file should be",
        ),
        _ => {
            return match e.raw_os_error() {
                Some(code) => (
                    format!("系统错误（代码 {code}）"),
                    format!("a system error (code {code})"),
                ),
                None => ("系统错误".to_owned(), "a system error".to_owned()),
            };
        }
    };
    (zh.to_owned(), en.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_reasons_name_no_path_and_no_english_system_text() {
        let full = std::io::Error::from_raw_os_error(28); // ENOSPC on Linux
        let (zh, en) = io_reason(&full);
        assert_eq!((zh.as_str(), en.as_str()), ("磁盘已满", "the disk is full"));
        let other = std::io::Error::other("/tmp/qingdan-serve-1/abc.csv: weird");
        let (zh, en) = io_reason(&other);
        assert!(!zh.contains("/tmp") && !en.contains("/tmp"), "{zh} {en}");
    }
}
