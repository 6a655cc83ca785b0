//! What a body may not hold: images and HTML blocks, refused with the line they are on.

use std::path::Path;

use pulldown_cmark::{Event, Tag};

use crate::diag::{Diagnostic, Diagnostics, LineIndex, Location};
use crate::markdown::parser;

/// Images in a body are refused: a 公文 body is text, the PDF layout has no place for a figure,
/// and the Markdown an image becomes would not match the PDF (the text after it was lost).
pub(super) fn image_error(path: &Path, location: Location, image: &str) -> Diagnostic {
    let image: String = image.chars().take(60).collect();
    Diagnostic::error(
        path,
        location,
        format!("正文中不能插入图片：{image}"),
        format!("images are not supported in a body: {image}"),
    )
    .with_hint(
        "删去图片，把图中的内容写成文字",
        "remove the image and say in words what it shows",
    )
}

pub(super) fn html_block_error(path: &Path, location: Location, html: &str) -> Diagnostic {
    let first: String = html
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(60)
        .collect();
    Diagnostic::error(
        path,
        location,
        format!("正文中不支持 HTML 块：{first}"),
        format!("HTML blocks are not supported in a body: {first}"),
    )
    .with_hint(
        "删去 HTML 标记，写成普通文字（换行可用行末的 <br>）",
        "remove the HTML tags and write plain text (<br> at a line's end breaks the line)",
    )
}

/// Whether raw HTML is an `<img>` tag.
pub(super) fn is_img_tag(html: &str) -> bool {
    let lower = html.trim_start().to_lowercase();
    lower
        .strip_prefix("<img")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/'))
}

/// Reports every image in `source`, a Markdown text that is not numbered (the notice's 正文):
/// at its line in the file `path`, or, for a text written in the manifest, at its `key`.
pub(crate) fn refuse_images(path: &Path, source: &str, key: Option<&str>, diags: &mut Diagnostics) {
    let lines = LineIndex::new(source);
    let location = |offset: usize| match key {
        Some(key) => Location::Key(key.to_owned()),
        None => Location::Line(lines.line_of(offset)),
    };
    for (event, range) in parser(source).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { .. }) => {
                diags.push(image_error(path, location(range.start), &source[range]));
            }
            Event::Html(html) | Event::InlineHtml(html) if is_img_tag(&html) => {
                diags.push(image_error(path, location(range.start), html.trim()));
            }
            _ => {}
        }
    }
}
