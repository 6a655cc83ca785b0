//! `qingdan init`: a new project folder with a filled-in, commented example, or (with
//! `--templates`) the built-in templates copied out for editing, or (with `--xlsx`) a blank
//! spreadsheet per attachment kind. Existing files are never overwritten.

use std::path::Path;

use crate::blank_sheets::{SheetKind, blank_sheet};
use crate::cli::InitArgs;
use crate::cmd::{errln, outln};
use crate::pdf::BUILTIN_LAYOUT;
use crate::render::BUILTIN_TEMPLATES;

/// The example project's files.
pub(super) const SCAFFOLD: &[(&str, &str)] = &[
    (
        "qingdan.yaml",
        include_str!("../../assets/init/qingdan.yaml"),
    ),
    ("实施细则.md", include_str!("../../assets/init/实施细则.md")),
    (
        "责任清单.csv",
        include_str!("../../assets/init/责任清单.csv"),
    ),
    (
        "带队检查安排表.csv",
        include_str!("../../assets/init/带队检查安排表.csv"),
    ),
];

/// Creates the example project (or copies out the templates) named by `args`; returns the exit
/// code (see [`crate::cmd`]).
pub fn run(args: &InitArgs) -> i32 {
    let text = |files: &[(&str, &str)]| -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
            .collect()
    };
    let (files, target) = if args.templates {
        let mut files = text(BUILTIN_TEMPLATES);
        files.extend(text(&[("gongwen.typ", BUILTIN_LAYOUT)]));
        (files, args.dir.join("templates"))
    } else if args.xlsx {
        let files = SheetKind::ALL
            .iter()
            .map(|&kind| (kind.file_name(), blank_sheet(kind, &[])))
            .collect();
        (files, args.dir.clone())
    } else {
        (text(SCAFFOLD), args.dir.clone())
    };
    match write_new_files(&target, &files) {
        Ok((written, kept)) => {
            for name in &kept {
                errln!(
                    "跳过已存在的文件 / kept existing file: {}",
                    target.join(name).display()
                );
            }
            outln!(
                "✓ {} 个文件已写入 {} / {} file(s) written to {}",
                written,
                target.display(),
                written,
                target.display()
            );
            if args.xlsx {
                outln!(
                    "  下一步 / next: 填好后在 qingdan.yaml 的附件“数据”中写上文件名 / \
                     fill them in and name them under 数据 in qingdan.yaml"
                );
            } else if !args.templates {
                outln!(
                    "  下一步 / next: qingdan check {0} && qingdan build {0}",
                    args.dir.display()
                );
            }
            0
        }
        Err(e) => {
            errln!(
                "{}",
                crate::diag::Diagnostic::error(
                    &target,
                    crate::diag::Location::File,
                    format!("无法写入：{e}"),
                    format!("cannot write: {e}"),
                )
            );
            1
        }
    }
}

/// Writes the files that do not exist yet; returns how many were written and which were kept.
pub(super) fn write_new_files<'a>(
    dir: &Path,
    files: &'a [(String, Vec<u8>)],
) -> std::io::Result<(usize, Vec<&'a str>)> {
    std::fs::create_dir_all(dir)?;
    let mut written = 0;
    let mut kept = Vec::new();
    for (name, bytes) in files {
        // Anything already there is kept, a link included — even one that points nowhere.
        if crate::output::write_new(&dir.join(name), bytes)? {
            written += 1;
        } else {
            kept.push(name.as_str());
        }
    }
    Ok((written, kept))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_scaffold_is_a_valid_project_and_nothing_is_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("示例");
        let args = InitArgs {
            dir: project.clone(),
            templates: false,
            xlsx: false,
        };
        assert_eq!(run(&args), 0);
        let prepared = crate::prepare_project(&project).unwrap_or_else(|d| panic!("{d}"));
        assert!(prepared.warnings.is_empty(), "{}", prepared.warnings);
        assert_eq!(prepared.documents.len(), 5);

        std::fs::write(
            project.join("责任清单.csv"),
            "姓名,职务,工作职责\n王五,局长,甲\n",
        )
        .unwrap();
        assert_eq!(run(&args), 0);
        let kept = std::fs::read_to_string(project.join("责任清单.csv")).unwrap();
        assert!(
            kept.contains("王五"),
            "an existing file must not be overwritten"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_is_kept_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("qingdan.yaml");
        std::os::unix::fs::symlink(dir.path().join("nowhere.yaml"), &link).unwrap();
        let args = InitArgs {
            dir: dir.path().to_path_buf(),
            templates: false,
            xlsx: false,
        };
        assert_eq!(run(&args), 0);
        let meta = std::fs::symlink_metadata(&link).unwrap();
        assert!(meta.file_type().is_symlink(), "the link is still a link");
        assert!(
            !dir.path().join("nowhere.yaml").exists(),
            "nothing written through it"
        );
        assert!(
            dir.path().join("责任清单.csv").is_file(),
            "the other files are written"
        );
    }

    #[test]
    fn xlsx_writes_the_blank_sheets_and_keeps_existing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let args = InitArgs {
            dir: dir.path().to_path_buf(),
            templates: false,
            xlsx: true,
        };
        assert_eq!(run(&args), 0);
        for kind in SheetKind::ALL {
            let written = std::fs::read(dir.path().join(kind.file_name())).unwrap();
            assert_eq!(written, blank_sheet(kind, &[]), "{kind:?}");
        }
        assert!(!dir.path().join("qingdan.yaml").exists(), "only the sheets");
        let filled = dir.path().join("责任清单.xlsx");
        std::fs::write(&filled, b"filled in").unwrap();
        assert_eq!(run(&args), 0);
        assert_eq!(std::fs::read(&filled).unwrap(), b"filled in");
    }

    #[test]
    fn templates_are_copied_out_for_editing() {
        let dir = tempfile::tempdir().unwrap();
        let args = InitArgs {
            dir: PathBuf::from(dir.path()),
            templates: true,
            xlsx: false,
        };
        assert_eq!(run(&args), 0);
        for name in [
            "document.md",
            "body.md",
            "responsibility-list.md",
            "task-division.md",
            "schedule.md",
            "gongwen.typ",
        ] {
            assert!(dir.path().join("templates").join(name).is_file(), "{name}");
        }
    }
}
