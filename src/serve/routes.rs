//! The URL table. Every id in a URL is an index into a list the server made (projects, a
//! project's units, a unit's documents, a project's attachments), digits only, read by the
//! extractors of [`super::ids`]: anything else, or an index past the end, is the app's 404 page.
//!
//! | route | what |
//! |---|---|
//! | `GET /` | every project and unit, its documents, whether its last build was clean |
//! | `GET /p/{p}` | a project: status, attachments, problems; its documents (or, for a batch, its units) |
//! | `GET /p/{p}/u/{u}` | one unit: each document with its page previews and downloads |
//! | `GET /p/{p}/u/{u}/d/{d}/page/{n}` | page `n` (from 1) of a document, PNG |
//! | `GET /p/{p}/u/{u}/d/{d}/{pdf,docx,md}` | a built file |
//! | `GET /p/{p}/zip` | every built file of the project, ZIP (from this server's pages only) |
//! | `GET /p/{p}/a/{a}` | the upload form for attachment `a` |
//! | `GET /p/{p}/a/{a}/blank.xlsx` | a blank sheet of the attachment's kind |
//! | `POST /p/{p}/a/{a}/check` | check an upload (multipart fields `file`, `loaded`); writes nothing |
//! | `POST /p/{p}/a/{a}/apply` | apply a checked upload (form fields `token`, `digest`) |
//! | `GET /import` | start from an existing document: the form (a file, or pasted text) |
//! | `POST /import/check` | import it in memory (multipart field `file` or `text`): report, files, previews |
//! | `GET /import/{token}/d/{d}/page/{n}` | page `n` of a document of a checked import, PNG |
//! | `POST /import/create` | write the checked import as a new project folder (form field `token`) |
//! | `GET /assets/style.css`, `/assets/app.js`, `/assets/sans.otf` | the embedded style sheet, script and Chinese font |

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::error::ErrorPage;
use super::{
    AppState, UPLOAD_LIMIT, browse, changes, downloads, guard, import, pages, preview, zip,
};

/// The server's routes, behind the security guard.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(browse::home))
        .route(
            "/assets/style.css",
            get(|| async { asset(pages::STYLE, "text/css; charset=utf-8") }),
        )
        .route(
            "/assets/app.js",
            get(|| async { asset(pages::SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/assets/sans.otf",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "font/otf"),
                        // Three and a half megabytes, the same in every page: kept a day.
                        (header::CACHE_CONTROL, "max-age=86400"),
                    ],
                    crate::pdf::fonts::bundled_sans(),
                )
            }),
        )
        .route("/p/{p}", get(browse::project))
        .route("/p/{p}/zip", get(zip::zip))
        .route("/p/{p}/u/{u}", get(browse::unit))
        .route("/p/{p}/u/{u}/d/{d}/page/{n}", get(preview::page))
        .route("/p/{p}/u/{u}/d/{d}/{kind}", get(downloads::document))
        .route("/p/{p}/a/{a}", get(changes::upload_form))
        .route("/p/{p}/a/{a}/blank.xlsx", get(changes::blank_sheet))
        .route(
            "/p/{p}/a/{a}/check",
            // Room for the form's own bytes around a file of the limit; the file itself is
            // measured in `upload::receive`.
            post(changes::check_upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT + (64 << 10))),
        )
        .route("/p/{p}/a/{a}/apply", post(changes::apply_upload))
        .route("/import", get(import::form))
        .route(
            "/import/check",
            post(import::check).layer(DefaultBodyLimit::max(2 * UPLOAD_LIMIT + (64 << 10))),
        )
        .route("/import/{token}/d/{d}/page/{n}", get(import::page_png))
        .route("/import/create", post(import::create))
        .fallback(|| async { ErrorPage::not_found("页面", "page") })
        .method_not_allowed_fallback(|| async {
            ErrorPage::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "不允许这种请求方式（修改只能通过页面上的按钮提交）",
                "method not allowed (changes are made only with the page's buttons)",
            )
        })
        .layer(middleware::from_fn_with_state(state.clone(), guard::guard))
        .with_state(state)
}

fn asset(text: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], text).into_response()
}
