//! The pages of a personnel change: the upload form, the check of an uploaded sheet (problems,
//! the sheet with its bad cells, the change report) and Apply. See [`super::routes`] for the
//! URLs.

use std::sync::Arc;

use axum::extract::{Form, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::pages::{ErrorPage, render};
use super::projects::Snapshot;
use super::routes::{Shared, find, id};
use super::{AppState, UPLOAD_LIMIT, apply, check, upload};

/// The project and attachment `p` / `a` name.
fn find_attachment(
    state: &AppState,
    p: &str,
    a: &str,
) -> Result<(usize, usize, Arc<Snapshot>), ErrorPage> {
    let (p, snapshot) = find(state, p)?;
    let a = id(a)
        .filter(|&a| a < snapshot.attachments.len())
        .ok_or_else(|| ErrorPage::not_found("附件", "attachment"))?;
    Ok((p, a, snapshot))
}

fn attachment_view(snapshot: &Snapshot, a: usize) -> serde_json::Value {
    let att = &snapshot.attachments[a];
    json!({"id": a, "kind": att.kind, "title": att.title, "file": att.file})
}

pub(super) async fn upload_form(
    State(state): Shared,
    Path((p, a)): Path<(String, String)>,
) -> Response {
    match find_attachment(&state, &p, &a) {
        Ok((p, a, snapshot)) => render(
            StatusCode::OK,
            "upload.html",
            &json!({"id": p, "name": state.projects[p].name,
            "attachment": attachment_view(&snapshot, a), "limit_mb": UPLOAD_LIMIT >> 20, "limit_bytes": UPLOAD_LIMIT}),
        ),
        Err(e) => e.into_response(),
    }
}

/// The blank .xlsx to fill in for attachment `a`: its kind's header row (frozen), one example
/// row, and for a 安排表 the project's leaders as the 带队领导 list.
pub(super) async fn blank_sheet(
    State(state): Shared,
    Path((p, a)): Path<(String, String)>,
) -> Response {
    let (_, a, snapshot) = match find_attachment(&state, &p, &a) {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    let Some(kind) = crate::model::AttachmentKind::named(&snapshot.attachments[a].kind) else {
        return ErrorPage::not_found("附件类型", "attachment kind").into_response();
    };
    let sheet = crate::blank_sheets::SheetKind::of(kind);
    let leaders = snapshot
        .units
        .iter()
        .find_map(|u| u.as_ref().ok())
        .map(|set| crate::blank_sheets::project_leaders(&set.set))
        .unwrap_or_default();
    super::downloads::attachment(
        crate::blank_sheets::blank_sheet(sheet, &leaders),
        &sheet.file_name(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
}

pub(super) async fn check_upload(
    State(state): Shared,
    Path((p, a)): Path<(String, String)>,
    multipart: Multipart,
) -> Response {
    let (p, a, snapshot) = match find_attachment(&state, &p, &a) {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    let received = match upload::receive(multipart).await {
        Ok(received) => received,
        Err(e) => return e.into_response(),
    };
    let target = check::ext_of(&snapshot.attachments[a].path);
    let (upload_family, target_family) = (upload::family(received.ext), upload::family(&target));
    if upload_family != target_family && target_family != "csv" {
        return ErrorPage::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("这个附件的数据文件是 .{target}，不能用 .{} 文件替换，未做任何修改", received.ext),
            format!("this attachment's data file is .{target}; it cannot be replaced by a .{} file; nothing was changed", received.ext),
        )
        .hint(format!("在 Excel / WPS 中另存为 .{target} 后上传"), format!("save it as .{target} in Excel / WPS and upload that"))
        .into_response();
    }
    let digest = upload::file_digest(&snapshot.attachments[a].path);
    let (token, path) = state.uploads.place(&received.bytes, received.ext);
    let waiting = upload::Waiting {
        token: token.clone(),
        project: p,
        attachment: a,
        path,
        name: received.name.clone(),
    };
    let worker = state.clone();
    let checked = tokio::task::spawn_blocking(move || {
        std::fs::write(&waiting.path, &received.bytes).map_err(|e| e.to_string())?;
        let outcome = check::check(
            &worker.projects[p].folder,
            &snapshot,
            &snapshot.attachments[a],
            &waiting.path,
            &waiting.name,
        );
        Ok::<_, String>((outcome, waiting, snapshot))
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let (outcome, waiting, snapshot) = match checked {
        Ok(checked) => checked,
        Err(e) => {
            return ErrorPage::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("无法检查上传的文件：{e}"),
                format!("cannot check the upload: {e}"),
            )
            .into_response();
        }
    };
    let valid = outcome.error_count == 0;
    let view = json!({"id": p, "name": state.projects[p].name, "attachment": attachment_view(&snapshot, a),
        "upload": waiting.name, "valid": valid, "token": token, "digest": digest,
        "problems": outcome.problems, "error_count": outcome.error_count, "sheet": outcome.sheet, "report": outcome.report});
    if valid {
        state.uploads.keep(waiting);
    }
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(status, "check.html", &view)
}

#[derive(Deserialize)]
pub(super) struct ApplyForm {
    token: String,
    digest: String,
}

pub(super) async fn apply_upload(
    State(state): Shared,
    Path((p, a)): Path<(String, String)>,
    Form(form): Form<ApplyForm>,
) -> Response {
    match find_attachment(&state, &p, &a) {
        Ok((p, a, _)) => apply::apply(state, p, a, &form.token, &form.digest).await,
        Err(e) => e.into_response(),
    }
}
