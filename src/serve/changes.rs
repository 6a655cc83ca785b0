//! The pages of a personnel change: the upload form, the check of an uploaded sheet (problems,
//! the sheet with its bad cells, the change report) and Apply. See [`super::routes`] for the
//! URLs.

use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::browse::AttachmentView;
use super::check::{Outcome, SheetView};
use super::error::ErrorPage;
use super::ids::AttachmentPath;
use super::pages::{ProblemView, ReportLine, render};
use super::projects::Snapshot;
use super::rebuild::reread;
use super::{AppState, UPLOAD_LIMIT, apply, check, upload};

#[derive(Serialize)]
struct UploadView<'a> {
    id: usize,
    name: &'a str,
    attachment: AttachmentView<'a>,
    limit_mb: usize,
    limit_bytes: usize,
    /// The digest of the data file as this page shows it; the check compares it with the disk.
    loaded: &'a str,
}

#[derive(Serialize)]
struct CheckView<'a> {
    id: usize,
    name: &'a str,
    attachment: AttachmentView<'a>,
    /// The uploaded file's name, as the browser gave it.
    upload: &'a str,
    valid: bool,
    /// What Apply hands back: the upload kept, and the digest of the data file it was checked
    /// against.
    token: &'a str,
    digest: &'a str,
    problems: Vec<ProblemView>,
    error_count: usize,
    sheet: Option<SheetView>,
    report: Vec<ReportLine>,
}

/// `GET /p/{p}/a/{a}`: the upload form.
pub(super) async fn upload_form(
    State(state): State<Arc<AppState>>,
    at: AttachmentPath,
) -> Result<Response, ErrorPage> {
    let p = at.project.id;
    let view = UploadView {
        id: p,
        name: &state.projects[p].name,
        attachment: AttachmentView::new(at.id, at.attachment()),
        limit_mb: UPLOAD_LIMIT >> 20,
        limit_bytes: UPLOAD_LIMIT,
        loaded: &at.attachment().digest,
    };
    render(StatusCode::OK, "upload.html", &view)
}

/// `GET /p/{p}/a/{a}/blank.xlsx`: the blank .xlsx to fill in for the attachment: its kind's
/// header row (frozen), one example row, and for a 安排表 the project's leaders as the 带队领导
/// list.
pub(super) async fn blank_sheet(at: AttachmentPath) -> Result<Response, ErrorPage> {
    let kind = crate::model::AttachmentKind::named(&at.attachment().kind)
        .ok_or_else(|| ErrorPage::not_found("附件类型", "attachment kind"))?;
    let sheet = crate::blank_sheets::SheetKind::of(kind);
    let leaders = at
        .project
        .snapshot
        .units
        .iter()
        .find_map(|u| u.as_ref().ok())
        .map(|set| crate::blank_sheets::project_leaders(&set.set))
        .unwrap_or_default();
    Ok(super::downloads::attachment(
        crate::blank_sheets::blank_sheet(sheet, &leaders),
        &sheet.file_name(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ))
}

/// `POST /p/{p}/a/{a}/check`: checks an upload against the project; writes nothing. A valid
/// upload is kept for Apply.
pub(super) async fn check_upload(
    State(state): State<Arc<AppState>>,
    at: AttachmentPath,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ErrorPage> {
    let (_turn, received) = upload::in_turn(
        &state,
        ("无法检查上传的文件", "cannot check the upload"),
        upload::receive(multipart?),
    )
    .await?;
    let (p, a) = (at.project.id, at.id);
    let target = crate::inputs::sheet::lowercase_extension(&at.attachment().path);
    let (upload_family, target_family) = (upload::family(received.ext), upload::family(&target));
    if upload_family != target_family && target_family != "csv" {
        return Err(ErrorPage::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("这个附件的数据文件是 .{target}，不能用 .{} 文件替换，未做任何修改", received.ext),
            format!("this attachment's data file is .{target}; it cannot be replaced by a .{} file; nothing was changed", received.ext),
        )
        .hint(format!("在 Excel / WPS 中另存为 .{target} 后上传"), format!("save it as .{target} in Excel / WPS and upload that")));
    }
    // The upload is compared with the data file as it is on disk, not as the server read it.
    let digest = upload::file_digest(&at.attachment().path);
    let shown = received
        .loaded
        .clone()
        .unwrap_or_else(|| at.attachment().digest.clone());
    let mut snapshot = at.project.snapshot.clone();
    if at.attachment().digest != digest {
        snapshot = reread(&state, p).await?;
    }
    // A manifest edited meanwhile may have dropped the attachment.
    let attachment = snapshot
        .attachments
        .get(a)
        .ok_or_else(|| ErrorPage::not_found("附件", "attachment"))?;
    if shown != digest {
        return Err(changed_on_disk(
            &at.project.snapshot,
            &snapshot,
            &attachment.file,
        ));
    }
    let (token, path) = state.uploads.place(&received.bytes, received.ext);
    let waiting = upload::Waiting {
        token,
        project: p,
        attachment: a,
        path,
        name: received.name,
    };
    let worker = state.clone();
    let checked = snapshot.clone();
    let (outcome, waiting) = tokio::task::spawn_blocking(move || {
        std::fs::write(&waiting.path, &received.bytes)?;
        let outcome = check::check(
            &worker.projects[p].folder,
            &checked,
            &checked.attachments[a],
            &waiting.path,
            &waiting.name,
        );
        Ok::<_, std::io::Error>((outcome, waiting))
    })
    .await
    .map_err(|_| ErrorPage::internal("无法检查上传的文件", "cannot check the upload"))?
    .map_err(|e| {
        let (zh, en) = super::error::io_reason(&e);
        ErrorPage::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("无法暂存上传的文件（{zh}），未做任何修改"),
            format!("cannot keep the upload ({en}); nothing was changed"),
        )
    })?;
    let Outcome {
        problems,
        error_count,
        sheet,
        report,
    } = outcome;
    let valid = error_count == 0;
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = render(
        status,
        "check.html",
        &CheckView {
            id: p,
            name: &state.projects[p].name,
            attachment: AttachmentView::new(a, attachment),
            upload: &waiting.name,
            valid,
            token: &waiting.token,
            digest: &digest,
            problems,
            error_count,
            sheet,
            report,
        },
    )?;
    if valid {
        state.uploads.keep(waiting);
    }
    Ok(page)
}

/// The 409 for a data file that changed on disk since the upload page was loaded (edited in
/// Excel, or applied from another window or another `serve`): what changed, from the version
/// the page showed (`shown`) to the one on disk (`now`).
fn changed_on_disk(shown: &Snapshot, now: &Snapshot, file: &str) -> ErrorPage {
    let changes = check::report(shown, &now.units);
    ErrorPage::new(
        StatusCode::CONFLICT,
        format!("“{file}”在打开上传页之后已被修改（在 Excel 中编辑，或从另一个窗口应用），这次上传没有检查，未做任何修改"),
        format!("“{file}” has changed since the upload page was opened (edited in Excel, or applied from another window); the upload was not checked and nothing was changed"),
    )
    .hint(
        "重新打开上传页再上传：表格会与现在的数据比较。下面是文件中已有的变化，上传的表格若没有这些变化，应用后会被撤销",
        "open the upload page again and upload there: the sheet is then compared with the data as it is now. Below is what changed in the file; a sheet without these changes would undo them",
    )
    .details(
        ("文件中已有的变化", "What changed in the file"),
        changes,
    )
}

/// The Apply form: the upload to apply and the digest of the data file it was checked against.
#[derive(Deserialize)]
pub(super) struct ApplyForm {
    token: String,
    digest: String,
}

/// `POST /p/{p}/a/{a}/apply`: writes a checked upload into the project and rebuilds it.
pub(super) async fn apply_upload(
    State(state): State<Arc<AppState>>,
    at: AttachmentPath,
    form: Result<Form<ApplyForm>, FormRejection>,
) -> Result<Response, ErrorPage> {
    let Form(form) = form?;
    apply::apply(state, at.project.id, at.id, &form.token, &form.digest).await
}
