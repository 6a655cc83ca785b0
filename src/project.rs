//! Finding project folders and the files a manifest names inside them.
//!
//! A project folder is one issuing body's document set: a `qingdan.yaml` with its CSV, spreadsheet
//! and Markdown files beside it. Files named by the manifest must stay inside the folder: a
//! manifest can never make qingdan read `/etc/passwd` or a neighbour's data.

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

/// The file name of a project's manifest.
pub const MANIFEST_FILE: &str = "qingdan.yaml";

/// Settings shared by the project folders below it (e.g. one folder per school): any key of a
/// manifest, overridden by each project's own `qingdan.yaml`. Its `templates/` folder is shared
/// too.
pub const DEFAULTS_FILE: &str = "qingdan-defaults.yaml";

/// How many folders up qingdan looks for shared settings.
const DEFAULTS_DEPTH: usize = 3;

/// The folders above `dir` holding shared settings, nearest first.
pub fn defaults_dirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(dir) = dir.canonicalize() else {
        return Vec::new();
    };
    dir.ancestors()
        .skip(1)
        .take(DEFAULTS_DEPTH)
        .filter(|d| d.join(DEFAULTS_FILE).is_file())
        .map(Path::to_path_buf)
        .collect()
}

/// One project folder, resolved once and passed along: where it is, the name of its output
/// folder, and the folders with shared settings above it, whose `templates/` and `fonts/` it
/// uses after its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub dir: PathBuf,
    /// The output folder's name: the project folder's own name.
    pub name: String,
    /// Folders above `dir` holding a `qingdan-defaults.yaml`, nearest first.
    pub shared: Vec<PathBuf>,
}

impl Project {
    /// The project in `dir`.
    pub fn open(dir: &Path) -> Self {
        let name = dir
            .canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "project".to_owned());
        Self {
            dir: dir.to_path_buf(),
            name,
            shared: defaults_dirs(dir),
        }
    }

    /// The folders whose `templates/` and `fonts/` the project uses: its own, then the shared
    /// ones, nearest first.
    pub fn owners(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(self.dir.as_path()).chain(self.shared.iter().map(PathBuf::as_path))
    }

    /// Each folder owning templates, with its `templates/` folder.
    pub fn template_folders(&self) -> Vec<(PathBuf, PathBuf)> {
        self.owned("templates")
    }

    /// Each folder owning fonts, with its `fonts/` folder.
    pub fn font_folders(&self) -> Vec<(PathBuf, PathBuf)> {
        self.owned("fonts")
    }

    fn owned(&self, folder: &str) -> Vec<(PathBuf, PathBuf)> {
        self.owners()
            .map(|owner| (owner.to_path_buf(), owner.join(folder)))
            .collect()
    }
}

/// Every folder under `root` (or `root` itself) holding a manifest, in sorted order.
pub fn find_projects(root: &Path) -> Vec<PathBuf> {
    if root.join(MANIFEST_FILE).is_file() {
        return vec![root.to_path_buf()];
    }
    WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() == MANIFEST_FILE)
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect()
}

/// Resolves `name` (as written in the manifest) inside `project`, refusing anything that would
/// leave the folder. Returns a bilingual reason on refusal.
pub fn resolve_in_project(project: &Path, name: &str) -> Result<PathBuf, (String, String)> {
    let relative = Path::new(name.trim());
    let escapes = relative.is_absolute()
        || relative.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        });
    if escapes {
        return Err((
            format!("文件“{name}”不在项目文件夹内；只能引用项目文件夹中的文件"),
            format!("“{name}” is outside the project folder; only files inside it can be used"),
        ));
    }
    let path = project.join(relative);
    if !path.is_file() {
        return Err((
            format!("找不到文件“{name}”（应位于 {}）", project.display()),
            format!("file “{name}” not found (looked in {})", project.display()),
        ));
    }
    // A symbolic link could still point outside.
    let inside = match (path.canonicalize(), project.canonicalize()) {
        (Ok(file), Ok(dir)) => file.starts_with(dir),
        _ => false,
    };
    if !inside {
        return Err((
            format!("文件“{name}”链接到项目文件夹之外，已拒绝"),
            format!("“{name}” links outside the project folder and is refused"),
        ));
    }
    Ok(path)
}

/// Whether `path` (a file or folder of `owner`, which need not exist) resolves inside `owner`
/// once links are followed. A path that does not exist is inside.
pub fn stays_inside(owner: &Path, path: &Path) -> bool {
    if std::fs::symlink_metadata(path).is_err() {
        return true;
    }
    match (path.canonicalize(), owner.canonicalize()) {
        (Ok(real), Ok(owner)) => real.starts_with(owner),
        // A dangling link: it points nowhere we could read, but not inside either.
        _ => false,
    }
}

/// `path` itself, or the links under it, that lead out of `owner` — for folders such as
/// `templates/` and `fonts/`, whose files are read without being named in the manifest.
pub fn links_leaving(owner: &Path, path: &Path) -> Vec<PathBuf> {
    if !stays_inside(owner, path) {
        return vec![path.to_path_buf()];
    }
    if !path.is_dir() {
        return Vec::new();
    }
    WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path_is_symlink() && !stays_inside(owner, e.path()))
        .map(|e| e.path().to_path_buf())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_project() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "x").unwrap();
        assert!(resolve_in_project(dir.path(), "a.csv").is_ok());
        for bad in ["../a.csv", "/etc/passwd", "sub/../../a.csv"] {
            let (zh, _) = resolve_in_project(dir.path(), bad).unwrap_err();
            assert!(zh.contains("不在项目文件夹内"), "{bad}: {zh}");
        }
        assert!(
            resolve_in_project(dir.path(), "missing.csv")
                .unwrap_err()
                .0
                .contains("找不到")
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_pointing_outside() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.csv"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.csv"), dir.path().join("a.csv"))
            .unwrap();
        assert!(
            resolve_in_project(dir.path(), "a.csv")
                .unwrap_err()
                .0
                .contains("链接到项目文件夹之外")
        );
    }
}
