//! `qingdan import FILE... [-o DIR] [--dry-run]`: reads the files (standard input for `-`, every
//! read bounded), recognises the document, checks the project by loading it as `build` would,
//! prints the report in Chinese and English, and moves the folder into place — or, with
//! `--dry-run`, prints what would be written and writes nothing.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::cli::ImportArgs;
use crate::cmd::{errln, outln};
use crate::diag::Diagnostic;
use crate::import::{self, Input, MAX_INPUT_BYTES};

/// Reads one named input, refusing more than [`MAX_INPUT_BYTES`] before reading it all.
fn read_input(path: &Path) -> Result<Input, Box<Diagnostic>> {
    let unreadable = |e: std::io::Error| crate::inputs::sheet::unreadable(path, &e);
    let limit = MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
    } else {
        std::fs::File::open(path)
            .map_err(unreadable)?
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
    }
    Ok(Input {
        name: path.to_path_buf(),
        bytes,
    })
}

/// Runs `qingdan import`; returns the exit code (see [`crate::cmd`]).
pub fn run(args: &ImportArgs) -> i32 {
    let mut inputs = Vec::new();
    for path in &args.files {
        match read_input(path) {
            Ok(input) => inputs.push(input),
            Err(d) => {
                errln!("{d}");
                return 1;
            }
        }
    }
    let imported = match import::recognise(&inputs) {
        Ok(i) => i,
        Err(d) => {
            errln!("{d}");
            return 1;
        }
    };
    let target = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("inputs").join(imported.folder_name()));
    // A dry run is checked in a temporary folder of its own, so nothing beside the target is
    // touched.
    let scratch = match args.dry_run.then(tempfile::tempdir).transpose() {
        Ok(s) => s,
        Err(e) => {
            errln!(
                "{}",
                Diagnostic::general_error(
                    format!("无法创建临时文件夹：{e}"),
                    format!("cannot create a temporary folder: {e}")
                )
            );
            return 1;
        }
    };
    if !args.dry_run && target.symlink_metadata().is_ok() {
        errln!("{}", crate::import::write::exists(&target));
        return 1;
    }
    let check_at = match &scratch {
        Some(dir) => dir.path().join(imported.folder_name()),
        None => target.clone(),
    };
    let checked = match imported.check_as(&check_at, &target) {
        Ok(c) => c,
        Err(diags) => {
            errln!("{diags}");
            errln!("导入失败，没有写入任何文件 / the import failed; nothing was written");
            return 1;
        }
    };
    outln!("{}", checked.report);
    for warning in checked.prepared.warnings.iter() {
        errln!("{warning}");
    }
    if args.dry_run {
        outln!(
            "试运行：将写入 {} / dry run: would write {}",
            target.display(),
            target.display()
        );
        for (name, bytes) in &checked.files.files {
            outln!("  {name}（{} 字节 / bytes）", bytes.len());
        }
        return 0;
    }
    let warnings = checked.report.warnings();
    match checked.place() {
        Ok(dir) => {
            outln!(
                "已创建项目 {} / created the project {}{}",
                dir.display(),
                dir.display(),
                if warnings > 0 {
                    format!("（{warnings} 个警告，见上 / {warnings} warning(s), above）")
                } else {
                    String::new()
                }
            );
            outln!("下一步 / next: qingdan build {}", dir.display());
            0
        }
        Err(d) => {
            errln!("{d}");
            1
        }
    }
}
