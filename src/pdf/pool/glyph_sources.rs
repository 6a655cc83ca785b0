//! Where a character came from: the input file, and its line or cell, that holds it. A character
//! no font has is found in the rendered Markdown; the clerk must fix it where it was written
//! (the 责任清单's row, the manifest's line, the body's line), not in a generated file. Inputs
//! are read again only when some character is missing, and each once.

use std::path::{Path, PathBuf};

use crate::diag::Location;
use crate::inputs::read_sheet;
use crate::inputs::sheet::{Sheet, lowercase_extension};
use crate::inputs::text::decode;

/// An input file as read for the search.
enum Content {
    Text(String),
    Sheet(Sheet),
    Unreadable,
}

/// The inputs of a project, read as needed.
pub(super) struct Sources<'a> {
    files: &'a [PathBuf],
    read: Vec<Option<Content>>,
}

impl<'a> Sources<'a> {
    pub(super) fn new(files: &'a [PathBuf]) -> Self {
        Self {
            files,
            read: files.iter().map(|_| None).collect(),
        }
    }

    /// The first input (in the order the project names them: manifest, bodies, sheets) that
    /// holds `c`, and where in it.
    pub(super) fn find(&mut self, c: char) -> Option<(PathBuf, Location)> {
        for (i, path) in self.files.iter().enumerate() {
            let content = self.read[i].get_or_insert_with(|| read(path));
            if let Some(location) = locate(content, c) {
                return Some((path.clone(), location));
            }
        }
        None
    }
}

fn read(path: &Path) -> Content {
    // The manifest and Markdown bodies are text; a data file of any name is a sheet.
    match lowercase_extension(path).as_str() {
        "yaml" | "yml" | "md" | "markdown" => std::fs::read(path)
            .ok()
            .and_then(|bytes| decode(path, &bytes).ok())
            .map_or(Content::Unreadable, |(text, _)| Content::Text(text)),
        _ => read_sheet(path, None).map_or(Content::Unreadable, Content::Sheet),
    }
}

fn locate(content: &Content, c: char) -> Option<Location> {
    match content {
        Content::Text(text) => text
            .lines()
            .position(|line| line.contains(c))
            .map(|i| Location::Line(i + 1)),
        Content::Sheet(sheet) => sheet.rows.iter().find_map(|row| {
            let i = row.cells.iter().position(|cell| cell.contains(c))?;
            Some(Location::Cell {
                row: row.row,
                column: sheet
                    .headers
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| (i + 1).to_string()),
            })
        }),
        Content::Unreadable => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_is_found_in_the_first_input_that_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("qingdan.yaml");
        let sheet = dir.path().join("清单.csv");
        std::fs::write(&manifest, "机关: 测试局\n署名: 测试局\n").unwrap();
        std::fs::write(&sheet, "姓名,职务,工作职责\n张三,局长,负责\u{2A6D6}工作\n").unwrap();
        let files = [manifest.clone(), sheet.clone()];
        let mut sources = Sources::new(&files);
        assert_eq!(sources.find('署'), Some((manifest, Location::Line(2))));
        assert_eq!(
            sources.find('\u{2A6D6}'),
            Some((
                sheet,
                Location::Cell {
                    row: 2,
                    column: "工作职责".into()
                }
            ))
        );
        assert_eq!(sources.find('龘'), None);
    }
}
