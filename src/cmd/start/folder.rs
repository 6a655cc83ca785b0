//! The clerk's working folder: where `qingdan start` finds its projects and writes their
//! documents, made with an example project the first time.
//!
//! It lives where a clerk keeps documents: 清单 in the documents folder — the one Linux's
//! `user-dirs.dirs` names (`~/文档` on a Chinese desktop), Windows' Documents folder — or in the
//! home folder where there is no documents folder. Inside it, each project is a folder (the
//! example is 示例), and the documents go to 输出 (one folder per project), so that everything
//! qingdan reads and writes is in one place the clerk can find.

use std::path::{Path, PathBuf};

use crate::cmd::init::{SCAFFOLD, write_new_files};

/// The working folder's name, in the documents folder.
const FOLDER: &str = "清单";
/// The example project made when the working folder holds no project.
pub(super) const EXAMPLE: &str = "示例";
/// The output folder, inside the working folder.
pub(super) const OUTPUT: &str = "输出";
/// What a `qingdan start` without a window says, in the working folder.
pub(super) const LOG: &str = "qingdan.log";

/// The default working folder, 清单 in the user's documents folder (or home folder); `None` on a
/// system that has neither.
pub(super) fn default_folder() -> Option<PathBuf> {
    working_folder(dirs::document_dir(), dirs::home_dir())
}

/// 清单 in `documents`, or in `home` when there is no documents folder.
fn working_folder(documents: Option<PathBuf>, home: Option<PathBuf>) -> Option<PathBuf> {
    documents.or(home).map(|dir| dir.join(FOLDER))
}

/// Makes the working folder `dir` ready to serve: creates it, and writes the example project
/// into it when it holds no project (the first start, or every project moved away). Returns
/// the example's folder when it was written. Nothing that is there is replaced.
pub(super) fn prepare(dir: &Path) -> std::io::Result<Option<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    if !crate::project::find_projects(dir).is_empty() {
        return Ok(None);
    }
    let example = dir.join(EXAMPLE);
    let files: Vec<(String, Vec<u8>)> = SCAFFOLD
        .iter()
        .map(|(name, text)| ((*name).to_owned(), text.as_bytes().to_vec()))
        .collect();
    write_new_files(&example, &files)?;
    Ok(Some(example))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_is_in_the_documents_folder_or_else_at_home() {
        let home = PathBuf::from("/home/李四");
        let documents = home.join("文档");
        assert_eq!(
            working_folder(Some(documents.clone()), Some(home.clone())),
            Some(documents.join("清单"))
        );
        assert_eq!(
            working_folder(None, Some(home.clone())),
            Some(home.join("清单"))
        );
        assert_eq!(working_folder(None, None), None);
    }

    #[test]
    fn the_first_start_writes_the_example_and_later_starts_keep_the_folder() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("文档").join("清单");
        let example = prepare(&dir).unwrap().expect("an example on first start");
        assert_eq!(example, dir.join(EXAMPLE));
        let prepared = crate::prepare_project(&example).unwrap_or_else(|d| panic!("{d}"));
        assert!(!prepared.documents.is_empty());

        // The clerk edits the example and adds a project: nothing is written again.
        let roster = example.join("责任清单.csv");
        std::fs::write(&roster, "姓名,职务,工作职责\n王五,局长,甲\n").unwrap();
        assert_eq!(prepare(&dir).unwrap(), None);
        assert!(std::fs::read_to_string(&roster).unwrap().contains("王五"));

        // A folder whose only project is elsewhere in it is not given an example either.
        let other = temp.path().join("其他");
        std::fs::create_dir_all(other.join("2024").join("安全")).unwrap();
        std::fs::write(other.join("2024/安全/qingdan.yaml"), "机关: 测试局\n").unwrap();
        assert_eq!(prepare(&other).unwrap(), None);
        assert!(!other.join(EXAMPLE).exists());
    }
}
