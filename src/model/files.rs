//! Reading the manifest (with the shared `qingdan-defaults.yaml` above it) and the text files it
//! names: decoded (UTF-8 or GBK), invisible characters removed with a warning, and a manifest that
//! links out of its folder refused before it is read.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::inputs::cell_text::{describe, strip_invisible};
use crate::inputs::manifest::{Manifest, defaults_dirs, parse_with_defaults};
use crate::inputs::text::{decode, decoded_warning};
use crate::project::{DEFAULTS_FILE, MANIFEST_FILE};

/// Reads the manifest of `dir`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, Box<Diagnostic>> {
    read_manifest_with_warnings(dir).map(|(manifest, _)| manifest)
}

/// Reads the manifest of `dir`, with the warnings reading it gave (a file that was not UTF-8).
pub fn read_manifest_with_warnings(dir: &Path) -> Result<(Manifest, Diagnostics), Box<Diagnostic>> {
    let manifest_path = dir.join(MANIFEST_FILE);
    refuse_outside_link(dir, &manifest_path)?;
    let mut warnings = Diagnostics::new();
    let (text, found) = read_text(&manifest_path)?;
    for w in found {
        warnings.push(w);
    }
    let mut defaults = Vec::new();
    for shared in defaults_dirs(dir) {
        let path = shared.join(DEFAULTS_FILE);
        refuse_outside_link(&shared, &path)?;
        let (shared_text, found) = read_text(&path)?;
        for w in found {
            warnings.push(w);
        }
        defaults.push((path, shared_text));
    }
    let manifest = parse_with_defaults(&manifest_path, &text, &defaults)?;
    Ok((manifest, warnings))
}

/// A manifest that is a link out of its folder is refused before it is read: its content could
/// be any file of the machine, and a parse error would echo it.
fn refuse_outside_link(owner: &Path, manifest: &Path) -> Result<(), Box<Diagnostic>> {
    if crate::project::stays_inside(owner, manifest) {
        return Ok(());
    }
    Err(Box::new(
        Diagnostic::error(
            manifest,
            Location::File,
            "清单文件链接到项目文件夹之外，已拒绝，未读取",
            "the manifest links outside the project folder; it is refused and was not read",
        )
        .with_hint(
            "把文件本身复制到项目文件夹里，而不是放一个链接",
            "copy the file itself into the project folder instead of a link",
        ),
    ))
}

/// A text file's content, with warnings: it was not UTF-8, it held invisible characters
/// (removed, each line named).
pub(super) fn read_text(path: &Path) -> Result<(String, Vec<Diagnostic>), Box<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(Diagnostic::error(
            path,
            Location::File,
            format!("无法读取文件：{e}"),
            format!("cannot read the file: {e}"),
        ))
    })?;
    let (text, encoding) = decode(path, &bytes)?;
    let mut warnings: Vec<Diagnostic> = decoded_warning(path, encoding).into_iter().collect();
    let Some((text, lines)) = strip_invisible(&text) else {
        return Ok((text, warnings));
    };
    for (line, chars) in lines.into_iter().take(30) {
        let (zh, en) = describe(&chars);
        warnings.push(
            Diagnostic::warning(
                path,
                Location::Line(line),
                format!("此行有看不见的字符 {zh}，已删除"),
                format!("the line holds invisible characters, removed: {en}"),
            )
            .with_hint(
                "这类字符多来自从网页、微信或 PDF 复制的文字，可能使文字显示颠倒；请在原文件中删除",
                "they come with text copied from web pages, WeChat or PDFs and can make text print reversed; delete them in the file",
            ),
        );
    }
    Ok((text, warnings))
}
