//! Files qingdan does not read itself: a Word 97–2003 `.doc` or a WPS `.wps` is converted to
//! .docx by LibreOffice when it is installed (`soffice --headless --convert-to docx`, with a
//! profile of its own and a time limit), a `.pdf` is read as text laid out by poppler's
//! `pdftotext -layout` when that is installed. Without the tool the message says how to save the
//! file as .docx in Word or WPS. Each conversion is told in the report.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::report::Note;
use crate::diag::{Diagnostic, Location};

/// How long LibreOffice or pdftotext may take on one file.
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// Why a file was not converted, with the way to do it by hand.
fn save_as_docx(path: &Path, zh_kind: &str, en_kind: &str, tool: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            path,
            Location::File,
            format!("qingdan 不能直接读取{zh_kind}，也没有找到可用来转换的 {tool}"),
            format!("qingdan cannot read {en_kind} itself, and {tool} (to convert it) was not found"),
        )
        .with_hint(
            "用 Word 或 WPS 打开它，“文件 → 另存为”选 Word 文档（*.docx），再导入 .docx",
            "open it in Word or WPS, “File → Save As” a Word document (*.docx), and import the .docx",
        ),
    )
}

/// Runs `command` to its end within [`TIME_LIMIT`], killing it after; its standard output.
fn run(mut command: Command, path: &Path, tool: &str) -> Result<Vec<u8>, Box<Diagnostic>> {
    let failed = |detail: String| {
        Box::new(
            Diagnostic::error(
                path,
                Location::File,
                format!("用 {tool} 转换失败"),
                format!("converting with {tool} failed"),
            )
            .with_detail(detail)
            .with_hint(
                "用 Word 或 WPS 打开它，另存为 .docx 后再导入",
                "open it in Word or WPS, save it as .docx and import that",
            ),
        )
    };
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(e.to_string()))?;
    let started = Instant::now();
    // The output is read on threads, so a large one cannot block the child.
    let stdout = child.stdout.take().map(|mut out| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = std::io::Read::read_to_end(&mut out, &mut bytes);
            bytes
        })
    });
    let stderr = child.stderr.take().map(|mut err| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut err, &mut text);
            text
        })
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!(
                    "no result after {} s",
                    TIME_LIMIT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(failed(e.to_string())),
        }
    };
    let out = stdout.and_then(|t| t.join().ok()).unwrap_or_default();
    let err = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    if !status.success() {
        return Err(failed(err.trim().to_owned()));
    }
    Ok(out)
}

/// Whether `tool` can be run (it answers `--version`).
fn available(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// A temporary folder for a conversion, removed when dropped.
fn work_folder(path: &Path) -> Result<tempfile::TempDir, Box<Diagnostic>> {
    tempfile::tempdir().map_err(|e| {
        Box::new(Diagnostic::error(
            path,
            Location::File,
            format!("无法创建临时文件夹：{e}"),
            format!("cannot create a temporary folder: {e}"),
        ))
    })
}

/// Writes the input's bytes to `to`, for a tool that reads files.
fn write_input(path: &Path, to: &Path, bytes: &[u8]) -> Result<(), Box<Diagnostic>> {
    std::fs::write(to, bytes).map_err(|e| {
        Box::new(Diagnostic::error(
            path,
            Location::File,
            format!("无法写入临时文件：{e}"),
            format!("cannot write a temporary file: {e}"),
        ))
    })
}

/// A .doc or .wps converted to .docx by LibreOffice: the .docx's bytes.
pub(crate) fn office_to_docx(
    path: &Path,
    bytes: &[u8],
    notes: &mut Vec<Note>,
) -> Result<Vec<u8>, Box<Diagnostic>> {
    let tool = ["soffice", "libreoffice"]
        .into_iter()
        .find(|t| available(t))
        .ok_or_else(|| {
            save_as_docx(
                path,
                "旧版 Word（.doc）或 WPS 文件",
                "an old Word (.doc) or WPS file",
                "LibreOffice",
            )
        })?;
    let work = work_folder(path)?;
    // The bytes already read (a file, standard input or an upload) under a plain name:
    // LibreOffice names its output after its input.
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("doc");
    let input = work.path().join(format!("input.{ext}"));
    write_input(path, &input, bytes)?;
    let profile = work.path().join("profile");
    let mut command = Command::new(tool);
    command
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "docx", "--outdir"])
        .arg(work.path())
        .arg(&input)
        .env("HOME", work.path());
    run(command, path, "LibreOffice")?;
    let converted = work.path().join("input.docx");
    let bytes = std::fs::read(&converted).map_err(|_| {
        Box::new(
            Diagnostic::error(
                path,
                Location::File,
                "LibreOffice 没能把它转换为 .docx（文件损坏或格式不受支持）",
                "LibreOffice did not convert it to .docx (a damaged file, or a format it does not read)",
            )
            .with_hint(
                "用 Word 或 WPS 打开它，另存为 .docx 后再导入",
                "open it in Word or WPS, save it as .docx and import that",
            ),
        )
    })?;
    notes.push(Note::guess(
        None,
        format!("{} 已用 LibreOffice 转换为 .docx 后读取", path.display()),
        format!(
            "{} was converted to .docx by LibreOffice, then read",
            path.display()
        ),
    ));
    Ok(bytes)
}

/// A PDF's text as `pdftotext -layout` lays it out.
pub(crate) fn pdf_to_text(
    path: &Path,
    bytes: &[u8],
    notes: &mut Vec<Note>,
) -> Result<Vec<u8>, Box<Diagnostic>> {
    if !available("pdftotext") {
        return Err(save_as_docx(
            path,
            "PDF 文件",
            "a PDF",
            "pdftotext (poppler-utils)",
        ));
    }
    let work = work_folder(path)?;
    let input = work.path().join("input.pdf");
    write_input(path, &input, bytes)?;
    let mut command = Command::new("pdftotext");
    command
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&input)
        .arg("-");
    let text = run(command, path, "pdftotext")?;
    if text.iter().all(|b| b.is_ascii_whitespace() || *b == 0x0c) {
        return Err(Box::new(
            Diagnostic::error(
                path,
                Location::File,
                "PDF 中没有文字（可能是扫描件的图片）",
                "the PDF holds no text (a scan, perhaps)",
            )
            .with_hint(
                "扫描件需先用文字识别（OCR）软件转成 Word 文档，再导入 .docx",
                "a scan must go through text recognition (OCR) into a Word document first; then import the .docx",
            ),
        ));
    }
    notes.push(Note::guess(
        None,
        format!(
            "{} 的文字已用 pdftotext 取出（表格无法从 PDF 还原，请尽量导入 .docx）",
            path.display()
        ),
        format!(
            "the text of {} was taken out with pdftotext (tables cannot be read back from a PDF: import the .docx where you can)",
            path.display()
        ),
    ));
    Ok(text)
}
