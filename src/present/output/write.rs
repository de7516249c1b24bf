//! The one place that writes result files. A run's files are built in a
//! hidden temporary folder beside the target (removed on every exit path,
//! panics and errors included, by [`tempfile::TempDir`]), each file and
//! folder is synced to disk, and the finished folder is exchanged with the
//! target in one step (`renameat2(RENAME_EXCHANGE)` on Linux), so at every
//! moment the target holds either the previous results or the new ones,
//! whole, and is never absent. The previous results, now in the temporary
//! folder, are then removed. Writers of the same folder take turns (an
//! advisory lock on the parent folder, released by the system even when a
//! process is killed), and each removes the temporary folders left by
//! killed runs. Elsewhere than Linux, or on a file system without the
//! exchange, the swap falls back to two renames. A single file is written
//! the same way (synced temporary file, then rename).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Marks the temporary folders of this writer: `.<target>.gatesim-tmp-XXXXXX`.
const TMP_TAG: &str = "gatesim-tmp-";
/// Marks a previous result set being removed by the fallback swap.
const OLD_TAG: &str = "gatesim-old-";
/// Marks the probe file of [`prepare_out_dir`].
const PROBE_PREFIX: &str = ".gatesim-probe-";

/// Makes sure `dir` can hold outputs: creates it if missing, and fails if it
/// is not a writable folder. Call before a run so a bad `--out` costs nothing.
pub(crate) fn prepare_out_dir(dir: &Path) -> io::Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(io::Error::other(format!(
            "{} exists and is not a folder",
            dir.display()
        )));
    }
    fs::create_dir_all(dir)?;
    // Removed when dropped, whatever happens.
    let probe = tempfile::Builder::new().prefix(PROBE_PREFIX).tempfile_in(dir)?;
    drop(probe);
    Ok(())
}

/// Checks that a single output file can be written at `path`: its folder
/// exists and `path` is not a folder. Call before a run.
pub(crate) fn check_out_file(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        return Err(io::Error::other(format!("{} is a folder", path.display())));
    }
    let parent = parent_of(path);
    if !parent.is_dir() {
        return Err(io::Error::other(format!("folder {} does not exist", parent.display())));
    }
    Ok(())
}

/// Writes `files` (name, bytes; a name may hold a subfolder, as in
/// `charts/a.png`) as the folder `target`, replacing any previous one only
/// once every file is written and synced.
#[cfg(test)]
pub(crate) fn write_dir_atomically(target: &Path, files: &[(&str, Vec<u8>)]) -> io::Result<()> {
    write_dir_atomically_unless(target, files, &|| false)
}

/// [`write_dir_atomically`], giving up (with an error of kind
/// [`io::ErrorKind::Interrupted`], the previous results untouched) if
/// `cancelled` says so once the files are written, just before the swap.
pub(crate) fn write_dir_atomically_unless(
    target: &Path,
    files: &[(&str, Vec<u8>)],
    cancelled: &dyn Fn() -> bool,
) -> io::Result<()> {
    let name = target_name(target)?;
    let parent = parent_of(target);
    fs::create_dir_all(&parent)?;
    if let Ok(meta) = fs::symlink_metadata(target)
        && !meta.is_dir()
        && !meta.file_type().is_symlink()
    {
        return Err(io::Error::other(format!(
            "{} exists and is not a folder",
            target.display()
        )));
    }
    let lock = lock::DirLock::acquire(&parent);
    if lock.is_some() {
        // Under the lock no other writer is at work here: whatever
        // temporary folder remains was left by a run that was killed.
        remove_stale(&parent, &name);
    }
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.{TMP_TAG}"))
        .tempdir_in(&parent)?;
    write_tree(tmp.path(), files)?;
    hooks::pause("before-swap", target);
    if cancelled() {
        return Err(io::Error::new(
            io::ErrorKind::Interrupted,
            "interrupted before the swap",
        ));
    }
    let placed = swap::into_place(tmp.path(), target)?;
    sync_dir(&parent)?;
    hooks::pause("after-swap", target);
    match placed {
        // The temporary folder became the target: nothing to remove.
        swap::Placed::Moved => drop(tmp.keep()),
        // Dropping `tmp` removes the previous results, now in its place.
        swap::Placed::Exchanged => drop(tmp),
    }
    drop(lock);
    Ok(())
}

/// Writes one file atomically (synced temporary sibling, then rename).
pub(crate) fn write_file_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = target_name(target)?;
    let parent = parent_of(target);
    let prefix = format!(".{name}.{TMP_TAG}");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    // Readable like any other output (the umask still applies), not the
    // owner-only mode of a temporary file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(&parent)?;
    hooks::write_check()?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    sync_dir(&parent)
}

/// The folder holding `path` (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn target_name(target: &Path) -> io::Result<String> {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| io::Error::other(format!("{} does not name a file or folder", target.display())))
}

/// Removes what killed runs left beside `name` in `parent`: temporary
/// folders, previous results the fallback swap had set aside, probe files.
fn remove_stale(parent: &Path, name: &str) {
    let tmp = format!(".{name}.{TMP_TAG}");
    let old = format!(".{name}.{OLD_TAG}");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let n = file_name.to_string_lossy();
        let path = entry.path();
        if n.starts_with(&tmp) || n.starts_with(&old) {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = fs::remove_dir_all(&path);
            } else {
                let _ = fs::remove_file(&path);
            }
        } else if n.starts_with(PROBE_PREFIX) {
            let _ = fs::remove_file(&path);
        }
    }
}

/// Writes every file under `root`, syncing each, then syncs every folder
/// created (deepest first) so their entries are on disk too.
fn write_tree(root: &Path, files: &[(&str, Vec<u8>)]) -> io::Result<()> {
    let mut dirs = vec![root.to_path_buf()];
    for (name, bytes) in files {
        let path = root.join(name);
        if let Some(dir) = path.parent()
            && !dirs.iter().any(|d| d == dir)
        {
            fs::create_dir_all(dir)?;
            let mut d = dir.to_path_buf();
            while d != root && !dirs.contains(&d) {
                dirs.push(d.clone());
                if !d.pop() {
                    break;
                }
            }
        }
        hooks::write_check()?;
        let mut f = File::create(&path)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in &dirs {
        sync_dir(d)?;
    }
    Ok(())
}

/// Syncs a folder's entries to disk (a no-op where folders cannot be opened).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Exchanging the finished folder with the target.
mod swap {
    use super::OLD_TAG;
    use std::fs;
    use std::io;
    use std::path::Path;

    /// What became of the temporary folder.
    #[derive(Debug, PartialEq)]
    pub(super) enum Placed {
        /// It was exchanged with the previous results, which are now in its place.
        Exchanged,
        /// There were no previous results; it was moved to the target.
        Moved,
    }

    /// Puts `tmp` at `target`, never leaving `target` absent if it exists.
    pub(super) fn into_place(tmp: &Path, target: &Path) -> io::Result<Placed> {
        for _ in 0..8 {
            match exchange(tmp, target) {
                Ok(true) => return Ok(Placed::Exchanged),
                Ok(false) if fs::symlink_metadata(target).is_ok() => return fallback(tmp, target),
                // No previous results: move the new ones in.
                Ok(false) => return fs::rename(tmp, target).map(|()| Placed::Moved),
                Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::rename(tmp, target) {
                    Ok(()) => return Ok(Placed::Moved),
                    // Created meanwhile by a writer that holds no lock: exchange after all.
                    Err(e)
                        if matches!(
                            e.kind(),
                            io::ErrorKind::DirectoryNotEmpty | io::ErrorKind::AlreadyExists
                        ) => {}
                    Err(e) => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other(format!(
            "{} keeps changing under another writer",
            target.display()
        )))
    }

    /// Exchanges `a` and `b` atomically; `Ok(false)` where the system or
    /// the file system cannot.
    #[cfg(target_os = "linux")]
    fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let c =
            |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(|_| io::Error::other("a path holds a NUL byte"));
        let (a, b) = (c(a)?, c(b)?);
        // SAFETY: both paths are NUL-terminated strings that outlive the call.
        let r = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            return Ok(true);
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP) => Ok(false),
            _ => Err(e),
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
        Ok(false)
    }

    /// Two renames: the previous results are set aside, the new ones moved
    /// in, and the previous ones removed (or put back if the move fails).
    fn fallback(tmp: &Path, target: &Path) -> io::Result<Placed> {
        let tmp_name = tmp
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let old = tmp.with_file_name(tmp_name.replacen(super::TMP_TAG, OLD_TAG, 1));
        fs::rename(target, &old)?;
        if let Err(e) = fs::rename(tmp, target) {
            let _ = fs::rename(&old, target);
            return Err(e);
        }
        let _ = fs::remove_dir_all(&old);
        Ok(Placed::Moved)
    }
}

/// An advisory lock on a folder, so writers into it take turns.
mod lock {
    use std::path::Path;

    /// Held until dropped; the system releases it if the process dies.
    pub(super) struct DirLock {
        #[cfg(unix)]
        _file: std::fs::File,
    }

    impl DirLock {
        /// Waits for the lock on `dir`; `None` where folders cannot be
        /// locked (then writers do not wait and leave others' folders alone).
        #[cfg(unix)]
        pub(super) fn acquire(dir: &Path) -> Option<DirLock> {
            use std::os::unix::io::AsRawFd;
            let file = std::fs::File::open(dir).ok()?;
            loop {
                // SAFETY: flock on a descriptor this function owns.
                let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
                if r == 0 {
                    return Some(DirLock { _file: file });
                }
                if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                    return None;
                }
            }
        }

        #[cfg(not(unix))]
        pub(super) fn acquire(_dir: &Path) -> Option<DirLock> {
            None
        }
    }
}

/// Hooks for the tests of crash safety, read from the environment; they do
/// nothing unless set, and are not part of gatesim's interface.
///
/// - `GATESIM_TEST_PAUSE_BEFORE_SWAP=FILE` / `GATESIM_TEST_PAUSE_AFTER_SWAP=FILE`:
///   print `gatesim-test: paused <moment> <target>` on standard error and
///   wait until FILE exists, right before / after the exchange, so a test
///   can kill the process there or let it go on.
/// - `GATESIM_TEST_FAIL_WRITE=N`: the N-th file written (1-based) fails as
///   on a full disk.
mod hooks {
    use std::io;
    use std::path::Path;
    use std::sync::atomic::{AtomicU64, Ordering};

    static WRITES: AtomicU64 = AtomicU64::new(0);

    pub(super) fn pause(moment: &str, target: &Path) {
        let var = format!("GATESIM_TEST_PAUSE_{}", moment.replace('-', "_").to_uppercase());
        let Some(gate) = std::env::var_os(var) else {
            return;
        };
        eprintln!("gatesim-test: paused {moment} {}", target.display());
        while !Path::new(&gate).exists() {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    pub(super) fn write_check() -> io::Result<()> {
        let n = WRITES.fetch_add(1, Ordering::SeqCst) + 1;
        match std::env::var("GATESIM_TEST_FAIL_WRITE")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            Some(k) if k == n => Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "No space left on device (simulated)",
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_new_folder_replaces_the_old_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        write_dir_atomically(&target, &[("a.txt", b"1".to_vec()), ("b.txt", b"2".to_vec())]).unwrap();
        write_dir_atomically(&target, &[("a.txt", b"3".to_vec()), ("c/d/e.txt", b"4".to_vec())]).unwrap();
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"3");
        assert_eq!(fs::read(target.join("c/d/e.txt")).unwrap(), b"4");
        assert!(!target.join("b.txt").exists());
        assert_eq!(names(dir.path()), ["run"], "no temporary folder is left behind");
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
        assert_eq!(names(dir.path()), ["run"]);
    }

    #[test]
    fn a_cancelled_write_keeps_the_previous_results_and_no_temporary_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        write_dir_atomically(&target, &[("a.txt", b"1".to_vec())]).unwrap();
        let e = write_dir_atomically_unless(&target, &[("a.txt", b"2".to_vec())], &|| true).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::Interrupted);
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"1");
        assert_eq!(names(dir.path()), ["run"]);
    }

    #[test]
    fn folders_left_by_killed_runs_are_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        for stale in [".run.gatesim-tmp-abc123", ".run.gatesim-old-def456"] {
            fs::create_dir_all(dir.path().join(stale).join("charts")).unwrap();
            fs::write(dir.path().join(stale).join("charts/x.png"), b"x").unwrap();
        }
        fs::write(dir.path().join(".gatesim-probe-xyz"), b"").unwrap();
        // Another target's temporary folder is not this writer's business
        // unless it matches this target's name.
        fs::create_dir(dir.path().join("other")).unwrap();
        write_dir_atomically(&target, &[("a.txt", b"1".to_vec())]).unwrap();
        assert_eq!(names(dir.path()), ["other", "run"]);
    }

    #[test]
    fn a_target_that_is_a_file_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        fs::write(&target, b"mine").unwrap();
        assert!(write_dir_atomically(&target, &[("a.txt", b"1".to_vec())]).is_err());
        assert_eq!(fs::read(&target).unwrap(), b"mine");
        assert_eq!(names(dir.path()), ["run"]);
    }

    #[test]
    fn a_single_file_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.csv");
        write_file_atomically(&target, b"1").unwrap();
        write_file_atomically(&target, b"22").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"22");
        assert_eq!(names(dir.path()), ["t.csv"]);
    }

    #[test]
    fn an_out_path_that_is_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, b"").unwrap();
        assert!(prepare_out_dir(&file).is_err());
        assert!(prepare_out_dir(&dir.path().join("new/sub")).is_ok());
        assert_eq!(names(&dir.path().join("new/sub")).len(), 0, "the probe is removed");
    }
}
