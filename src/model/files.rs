//! Reading the manifest (with the shared `qingdan-defaults.yaml` above it) and the text files it
//! names: decoded (UTF-8 or GBK), invisible characters removed with a warning, and a manifest that
//! links out of its folder refused before it is read.

use std::io::Read;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::inputs::cell_text::{control_error, describe, is_refused_control, strip_invisible};
use crate::inputs::manifest::{Manifest, defaults_dirs, parse_with_defaults};
use crate::inputs::text::{decode, decoded_warning};
use crate::project::{DEFAULTS_FILE, MANIFEST_FILE};

/// Reads the manifest of `dir`.
pub(crate) fn read_manifest(dir: &Path) -> Result<Manifest, Box<Diagnostic>> {
    read_manifest_with_warnings(dir).map(|(manifest, _)| manifest)
}

/// Reads the manifest of `dir`, with the warnings reading it gave (a file that was not UTF-8).
pub(crate) fn read_manifest_with_warnings(
    dir: &Path,
) -> Result<(Manifest, Diagnostics), Box<Diagnostic>> {
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

/// The largest manifest or Markdown file read, in bytes: about 1,500 pages of body text, as
/// many as the largest table ([`crate::model::checks::MAX_TABLE_CHARS`]); a real 实施细则 is
/// 10–50 KB.
pub(crate) const MAX_TEXT_BYTES: u64 = 2 << 20;

/// A text file's content, with warnings: it was not UTF-8, it held invisible characters
/// (removed, each line named). A file past [`MAX_TEXT_BYTES`] or holding a control character
/// (a damaged file, or not text at all) is an error naming the file and line.
pub(super) fn read_text(path: &Path) -> Result<(String, Vec<Diagnostic>), Box<Diagnostic>> {
    let unreadable = |e: std::io::Error| {
        Box::new(Diagnostic::error(
            path,
            Location::File,
            format!("无法读取文件：{e}"),
            format!("cannot read the file: {e}"),
        ))
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_TEXT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(too_large(path));
    }
    let (text, encoding) = decode(path, &bytes)?;
    drop(bytes);
    if let Some(found) = control_characters(path, &text) {
        return Err(Box::new(found));
    }
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

fn too_large(path: &Path) -> Box<Diagnostic> {
    let mb = MAX_TEXT_BYTES >> 20;
    Box::new(
        Diagnostic::error(
            path,
            Location::File,
            format!("文件超过 {mb} MB（约 1500 页正文），不能读取"),
            format!("the file is larger than {mb} MB (about 1,500 pages of text) and is not read"),
        )
        .with_hint(
            "确认选对了文件；正文确实这么长时请拆成几个文件",
            "check that this is the right file; split a text that is really this long into several documents",
        ),
    )
}

/// The first line of `text` holding a control character (NUL, BEL, U+0001 …; a tab, a line
/// break and a carriage return are text), as an error: such a character prints as nothing in
/// one output and as a box in another, and means the file is damaged or not text, as in a
/// sheet's cell ([`crate::inputs::cell_text`]).
pub(crate) fn control_characters(path: &Path, text: &str) -> Option<Diagnostic> {
    let is_control = |c: char| c != '\r' && is_refused_control(c);
    let mut lines = text
        .split('\n')
        .enumerate()
        .filter_map(|(i, line)| line.chars().find(|&c| is_control(c)).map(|c| (i + 1, c)));
    let (line, c) = lines.next()?;
    let more = lines.count();
    let (zh_more, en_more) = if more == 0 {
        (String::new(), String::new())
    } else {
        (
            format!("（另有 {more} 行也有）"),
            format!(
                " (and {more} more line{})",
                if more == 1 { "" } else { "s" }
            ),
        )
    };
    Some(control_error(
        path,
        Location::Line(line),
        c,
        &zh_more,
        &en_more,
    ))
}
