//! Build contexts: a directory sent as a tar stream, honouring `.dockerignore`.
//!
//! The archive is written on a blocking thread into a bounded channel that is the request
//! body, so a context of any size is streamed with a few chunks in memory. Special files are
//! archived as the docker CLI does: symlinks as links (never followed), FIFOs and devices as
//! headers without content (never opened), sockets left out with a warning.

mod ignore;

pub use ignore::DockerIgnore;

use crate::error::{Error, Result};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Chunks of tar in flight between the writing thread and the request body.
const CHANNEL_CHUNKS: usize = 4;

/// The files of `dir` that go into its build context, relative and sorted. `Dockerfile` and
/// `.dockerignore` are always sent, as the docker CLI does. Every regular file is opened once
/// (and closed), so that an unreadable one fails here, named, before any request; a malformed
/// `.dockerignore` pattern fails too, as the CLI refuses it.
pub fn context_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let ignore = match std::fs::read(dir.join(".dockerignore")) {
        Ok(bytes) => DockerIgnore::try_parse(&String::from_utf8_lossy(&bytes))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DockerIgnore::default(),
        Err(e) => return Err(named(Path::new(".dockerignore"), e).into()),
    };
    let mut files = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        let abs = dir.join(&rel);
        let entries = std::fs::read_dir(&abs).map_err(|e| {
            if rel.as_os_str().is_empty() {
                Error::Io(std::io::Error::new(
                    e.kind(),
                    format!("build context {}: {e}", dir.display()),
                ))
            } else {
                named(&rel, e).into()
            }
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| named(&rel, e))?;
            let rel = rel.join(entry.file_name());
            let name = rel.to_string_lossy().replace('\\', "/");
            let always = name == "Dockerfile" || name == ".dockerignore";
            let excluded = !always && ignore.excludes(&name);
            let kind = Kind::of(&entry.file_type().map_err(|e| named(&rel, e))?);
            match kind {
                Kind::Dir => {
                    // An excluded directory is walked only if a `!` rule names something in it.
                    if !excluded || ignore.may_reinclude_below(&name) {
                        pending.push(rel.clone());
                    }
                }
                _ if excluded => continue,
                Kind::File => drop(open_regular(&dir.join(&rel)).map_err(|e| named(&rel, e))?),
                Kind::Symlink | Kind::Special => {}
                Kind::Socket | Kind::Unknown => {
                    eprintln!("warning: build context: skipping {name}: {}", kind.what());
                    continue;
                }
            }
            if !excluded {
                files.push(rel);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// What an entry of the context is, to archive it.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    File,
    Dir,
    Symlink,
    /// A FIFO, a character or a block device: a header, no content.
    Special,
    Socket,
    Unknown,
}

impl Kind {
    fn of(t: &std::fs::FileType) -> Kind {
        #[cfg(unix)]
        use std::os::unix::fs::FileTypeExt;
        match t {
            t if t.is_file() => Kind::File,
            t if t.is_dir() => Kind::Dir,
            t if t.is_symlink() => Kind::Symlink,
            #[cfg(unix)]
            t if t.is_fifo() || t.is_char_device() || t.is_block_device() => Kind::Special,
            #[cfg(unix)]
            t if t.is_socket() => Kind::Socket,
            _ => Kind::Unknown,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::Socket => "a socket cannot be archived",
            _ => "a file of unknown type",
        }
    }
}

/// Opens a regular file to read it. Where the flag is known it is opened non-blocking: a file
/// swapped for a FIFO after it was listed then opens at once (and is refused) instead of
/// waiting forever for a writer.
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(all(
        any(target_os = "linux", target_os = "android"),
        any(
            target_arch = "x86_64",
            target_arch = "x86",
            target_arch = "aarch64",
            target_arch = "arm",
            target_arch = "riscv64"
        )
    ))]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, 0o4000); // O_NONBLOCK
    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, 0x0004); // O_NONBLOCK
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("it is no longer a regular file"));
    }
    Ok(file)
}

/// The error of the context file `rel`, naming it (relative to the context) before the OS reason.
fn named(rel: &Path, e: std::io::Error) -> std::io::Error {
    let file = FileError {
        path: rel.to_path_buf(),
        reason: e.to_string(),
    };
    std::io::Error::new(e.kind(), file)
}

/// A file of a build context that could not be read or archived; a request whose context
/// stream fails on it is [`Error::Io`] with this as its inner error, naming the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// Relative to the context directory.
    pub path: PathBuf,
    /// The operating system's reason.
    pub reason: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "build context file `{}`: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for FileError {}

/// The context file whose failure `e` carries (a request body's error comes back from reqwest
/// wrapped several times).
pub(crate) fn failed_file(e: &(dyn std::error::Error + 'static)) -> Option<std::io::Error> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && let Some(file) = io.get_ref().and_then(|i| i.downcast_ref::<FileError>())
        {
            return Some(std::io::Error::new(io.kind(), file.clone()));
        }
        cur = err.source();
    }
    None
}

/// A request body streaming the build context of `dir` as a tar archive.
///
/// A file that cannot be read while the archive streams (removed, or made unreadable, since it
/// was listed) fails the request; the error's source chain names the file.
pub fn tar_body(dir: &Path) -> Result<reqwest::Body> {
    let files = context_files(dir)?;
    let dir = dir.to_path_buf();
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<bytes::Bytes>>(CHANNEL_CHUNKS);
    tokio::task::spawn_blocking(move || {
        let mut tar = tar::Builder::new(ChannelWriter(Some(tx)));
        if let Err(e) = write_context(&dir, &files, &mut tar).and_then(|()| tar.finish()) {
            tar.get_mut().fail(e);
        }
    });
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    Ok(reqwest::Body::wrap_stream(stream))
}

/// Appends the entries `files` of `dir` to `tar`; an error names the file.
fn write_context<W: Write>(dir: &Path, files: &[PathBuf], tar: &mut tar::Builder<W>) -> std::io::Result<()> {
    for rel in files {
        append(tar, &dir.join(rel), rel).map_err(|e| named(rel, e))?;
    }
    Ok(())
}

/// Appends one entry, by what it is now (it may have changed since it was listed).
fn append<W: Write>(tar: &mut tar::Builder<W>, abs: &Path, rel: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(abs)?;
    let mut header = tar::Header::new_gnu();
    header.set_metadata(&meta);
    header.set_size(0);
    match Kind::of(&meta.file_type()) {
        Kind::File => {
            let file = open_regular(abs)?;
            let opened = file.metadata()?;
            header.set_metadata(&opened);
            let size = opened.len();
            tar.append_data(
                &mut header,
                rel,
                Exactly {
                    file: file.take(size),
                    left: size,
                },
            )
        }
        Kind::Symlink => tar.append_link(&mut header, rel, std::fs::read_link(abs)?),
        Kind::Dir => tar.append_data(&mut header, rel, std::io::empty()),
        Kind::Special => {
            #[cfg(any(target_os = "linux", target_os = "android"))]
            {
                // glibc's `major`/`minor` of a Linux device number.
                let dev = std::os::unix::fs::MetadataExt::rdev(&meta);
                header.set_device_major((((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0xfff)) as u32)?;
                header.set_device_minor((((dev >> 12) & 0xffff_ff00) | (dev & 0xff)) as u32)?;
            }
            tar.append_data(&mut header, rel, std::io::empty())
        }
        // Became a socket since it was listed: left out, as when listed.
        Kind::Socket | Kind::Unknown => Ok(()),
    }
}

/// The content of a regular file, exactly as long as its header says: a file that shrinks
/// while it is archived fails (the archive would be corrupt), one that grows is cut.
struct Exactly {
    file: std::io::Take<std::fs::File>,
    left: u64,
}

impl Read for Exactly {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        if n == 0 && self.left > 0 && !buf.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("the file shrank by {} bytes while it was archived", self.left),
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// A `Write` that hands each write to the body channel (blocking the tar thread while the
/// channel is full: that is the backpressure). `None` once the body has failed.
struct ChannelWriter(Option<tokio::sync::mpsc::Sender<std::io::Result<bytes::Bytes>>>);

impl ChannelWriter {
    /// Ends the body with `e`; the end-of-archive blocks the builder writes on drop go nowhere.
    fn fail(&mut self, e: std::io::Error) {
        if let Some(tx) = self.0.take() {
            let _ = tx.blocking_send(Err(e));
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let dropped = || std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the request was dropped");
        let tx = self.0.as_ref().ok_or_else(dropped)?;
        tx.blocking_send(Ok(bytes::Bytes::copy_from_slice(buf)))
            .map_err(|_| dropped())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dockerapi-unit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// The archive of `files` of `dir`, on a thread that may not stall the test.
    fn archive(dir: &Path, files: Vec<PathBuf>) -> std::io::Result<Vec<u8>> {
        let dir = dir.to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut tar = tar::Builder::new(Vec::new());
            let result = write_context(&dir, &files, &mut tar).and_then(|()| tar.into_inner());
            let _ = tx.send(result);
        });
        rx.recv_timeout(std::time::Duration::from_secs(30))
            .expect("the archive writer stalled")
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_archived_without_being_opened() {
        let dir = temp_dir("special");
        std::fs::write(dir.join("a.txt"), "abc").unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(dir.join("fifo"))
            .status()
            .unwrap();
        assert!(status.success());
        std::os::unix::fs::symlink("fifo", dir.join("link")).unwrap();
        std::os::unix::fs::symlink("/nowhere", dir.join("dangling")).unwrap();
        let _socket = std::os::unix::net::UnixListener::bind(dir.join("sock")).unwrap();
        std::fs::create_dir(dir.join("sub")).unwrap();

        let files = context_files(&dir).unwrap();
        let names: Vec<_> = files.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["a.txt", "dangling", "fifo", "link", "sub"]);

        let bytes = archive(&dir, files).unwrap();
        let mut read = tar::Archive::new(&bytes[..]);
        let entries: Vec<(String, tar::EntryType, u64, Option<String>)> = read
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let link = e.link_name().unwrap().map(|l| l.to_string_lossy().into_owned());
                (
                    e.path().unwrap().to_string_lossy().into_owned(),
                    e.header().entry_type(),
                    e.size(),
                    link,
                )
            })
            .collect();
        assert_eq!(
            entries,
            [
                ("a.txt".into(), tar::EntryType::Regular, 3, None),
                (
                    "dangling".into(),
                    tar::EntryType::Symlink,
                    0,
                    Some("/nowhere".into())
                ),
                ("fifo".into(), tar::EntryType::Fifo, 0, None),
                ("link".into(), tar::EntryType::Symlink, 0, Some("fifo".into())),
                ("sub".into(), tar::EntryType::Directory, 0, None),
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Root reads any file whatever its mode, but the kernel refuses everyone a read of the
    /// write-only sysctls: what the writer hits when a file became unreadable after the listing.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_writer_names_a_file_it_cannot_read() {
        let e = archive(Path::new("/proc/sys/vm"), vec!["drop_caches".into()]).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("`drop_caches`") && text.contains("Permission denied"),
            "{text}"
        );
        assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied);
    }

    #[test]
    fn the_writer_names_a_file_removed_after_the_listing() {
        let dir = temp_dir("removed");
        std::fs::create_dir(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/gone.txt"), "x").unwrap();
        let files = context_files(&dir).unwrap();
        std::fs::remove_file(dir.join("sub/gone.txt")).unwrap();
        let text = archive(&dir, files).unwrap_err().to_string();
        assert!(text.contains("`sub/gone.txt`"), "{text}");
        assert!(!text.contains(&*dir.to_string_lossy()), "not relative: {text}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn excluded_directories_are_not_walked_unless_a_rule_reincludes_below() {
        let dir = temp_dir("prune");
        for f in ["logs/keep.txt", "logs/x.log", "cache/keep.txt", "Dockerfile"] {
            let path = dir.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, f).unwrap();
        }
        std::fs::write(dir.join(".dockerignore"), "*\n!logs/keep.txt\n!**/keep.txt\n").unwrap();
        let files = context_files(&dir).unwrap();
        let names: Vec<_> = files.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        assert_eq!(names, [".dockerignore", "Dockerfile", "logs/keep.txt"]);

        std::fs::write(dir.join(".dockerignore"), "logs\n[\n").unwrap();
        let e = context_files(&dir).unwrap_err().to_string();
        assert!(e.contains(".dockerignore line 2"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
