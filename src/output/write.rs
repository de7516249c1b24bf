//! The one place that writes result files. A run's files are built in a
//! hidden temporary folder beside the target and moved into place only when
//! all of them are written, so a failed run never leaves a half-written
//! folder and never destroys the previous results. A single file is written
//! the same way (temporary file, then rename).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Makes sure `dir` can hold outputs: creates it if missing, and fails if it
/// is not a writable folder. Call before a run so a bad `--out` costs nothing.
pub fn prepare_out_dir(dir: &Path) -> io::Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(io::Error::other(format!(
            "{} exists and is not a folder",
            dir.display()
        )));
    }
    fs::create_dir_all(dir)?;
    let probe = dir.join(format!(".gatesim-probe-{}", std::process::id()));
    fs::write(&probe, b"")?;
    fs::remove_file(&probe)
}

/// Checks that a single output file can be written at `path`: its folder
/// exists and `path` is not a folder. Call before a run.
pub fn check_out_file(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        return Err(io::Error::other(format!("{} is a folder", path.display())));
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(io::Error::other(format!("folder {} does not exist", parent.display())));
    }
    Ok(())
}

/// Writes `files` (name, bytes; a name may hold a subfolder, as in
/// `charts/a.png`) as the folder `target`, replacing any previous one only
/// once every file is written.
pub fn write_dir_atomically(target: &Path, files: &[(&str, Vec<u8>)]) -> io::Result<()> {
    let tmp = sibling(target, "tmp");
    let _ = fs::remove_dir_all(&tmp);
    let result = (|| {
        fs::create_dir_all(&tmp)?;
        for (name, bytes) in files {
            let path = tmp.join(name);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(path, bytes)?;
        }
        swap_into_place(&tmp, target)
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

fn swap_into_place(tmp: &Path, target: &Path) -> io::Result<()> {
    if target.exists() {
        let old = sibling(target, "old");
        let _ = fs::remove_dir_all(&old);
        fs::rename(target, &old)?;
        if let Err(e) = fs::rename(tmp, target) {
            // Put the previous results back.
            let _ = fs::rename(&old, target);
            return Err(e);
        }
        let _ = fs::remove_dir_all(&old);
        Ok(())
    } else {
        fs::rename(tmp, target)
    }
}

/// Writes one file atomically (temporary sibling, then rename).
pub fn write_file_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = sibling(target, "tmp");
    let result = fs::write(&tmp, bytes).and_then(|_| fs::rename(&tmp, target));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_folder_replaces_the_old_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        write_dir_atomically(&target, &[("a.txt", b"1".to_vec()), ("b.txt", b"2".to_vec())]).unwrap();
        write_dir_atomically(&target, &[("a.txt", b"3".to_vec())]).unwrap();
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"3");
        assert!(!target.join("b.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folder is left behind");
    }

    #[test]
    fn a_failed_write_keeps_the_previous_results() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        write_dir_atomically(&target, &[("a.txt", b"1".to_vec())]).unwrap();
        // A file where a folder must go makes the write fail midway.
        let bad = write_dir_atomically(&target, &[("a.txt", b"2".to_vec()), ("a.txt/b.txt", b"x".to_vec())]);
        assert!(bad.is_err());
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"1");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_out_path_that_is_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, b"").unwrap();
        assert!(prepare_out_dir(&file).is_err());
        assert!(prepare_out_dir(&dir.path().join("new/sub")).is_ok());
    }
}
