//! Build contexts: a directory sent as a tar stream, honouring `.dockerignore`.
//!
//! The archive is written on a blocking thread into a bounded channel that is the request
//! body, so a context of any size is streamed with a few chunks in memory.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Chunks of tar in flight between the writing thread and the request body.
const CHANNEL_CHUNKS: usize = 4;

/// `.dockerignore` rules, as the docker CLI applies them: later lines win, `!` re-includes,
/// a pattern that matches a directory excludes everything below it, `**` spans directories.
#[derive(Debug, Clone, Default)]
pub struct DockerIgnore {
    rules: Vec<(String, bool)>,
}

impl DockerIgnore {
    /// Parses the contents of a `.dockerignore` file.
    pub fn parse(text: &str) -> DockerIgnore {
        let rules = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (pattern, include) = match l.strip_prefix('!') {
                    Some(p) => (p.trim(), true),
                    None => (l, false),
                };
                (clean(pattern), include)
            })
            .filter(|(p, _)| !p.is_empty())
            .collect();
        DockerIgnore { rules }
    }

    /// Whether `path` (relative to the context, `/`-separated) is left out of the context.
    pub fn excludes(&self, path: &str) -> bool {
        let mut excluded = false;
        for (pattern, include) in &self.rules {
            // A pattern matches the path itself or one of its parent directories.
            let mut prefix = path;
            let matched = loop {
                if glob_match(pattern.as_bytes(), prefix.as_bytes()) {
                    break true;
                }
                match prefix.rfind('/') {
                    Some(i) => prefix = &prefix[..i],
                    None => break false,
                }
            };
            if matched {
                excluded = !include;
            }
        }
        excluded
    }
}

/// Like Go's `filepath.Clean` on a relative pattern: no `./`, no leading `/`, no `//`.
fn clean(pattern: &str) -> String {
    let parts: Vec<&str> = pattern
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    parts.join("/")
}

/// Go `filepath.Match` semantics (`*` and `?` stay within a path segment, `[...]` classes,
/// `\` escapes) plus `**`, which matches any number of whole segments.
fn glob_match(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => {
            let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
            // `**` consumes zero or more whole segments.
            let mut i = 0;
            loop {
                if glob_match(rest, &s[i..]) {
                    return true;
                }
                match s[i..].iter().position(|c| *c == b'/') {
                    Some(j) => i += j + 1,
                    None => return rest.is_empty() || glob_match(rest, b""),
                }
            }
        }
        Some(b'*') => (0..=s.len())
            .take_while(|i| *i == 0 || s[i - 1] != b'/')
            .any(|i| glob_match(&p[1..], &s[i..])),
        Some(b'?') => s.first().is_some_and(|c| *c != b'/') && glob_match(&p[1..], &s[1..]),
        Some(b'[') => {
            let Some(c) = s.first().copied().filter(|c| *c != b'/') else {
                return false;
            };
            let Some(end) = p.iter().skip(2).position(|b| *b == b']').map(|i| i + 2) else {
                return false;
            };
            let (negated, class) = match p[1] {
                b'^' | b'!' => (true, &p[2..end]),
                _ => (false, &p[1..end]),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    hit |= class[i] <= c && c <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negated && glob_match(&p[end + 1..], &s[1..])
        }
        Some(b'\\') if p.len() > 1 => s.first() == Some(&p[1]) && glob_match(&p[2..], &s[1..]),
        Some(c) => s.first() == Some(c) && glob_match(&p[1..], &s[1..]),
    }
}

/// The files of `dir` that go into its build context, relative and sorted. `Dockerfile` and
/// `.dockerignore` are always sent, as the docker CLI does.
pub fn context_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let ignore = match std::fs::read_to_string(dir.join(".dockerignore")) {
        Ok(text) => DockerIgnore::parse(&text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DockerIgnore::default(),
        Err(e) => return Err(io_error(&dir.join(".dockerignore"), e)),
    };
    let mut files = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        let abs = dir.join(&rel);
        let entries = std::fs::read_dir(&abs).map_err(|e| io_error(&abs, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&abs, e))?;
            let rel = rel.join(entry.file_name());
            let name = rel.to_string_lossy().replace('\\', "/");
            let always = name == "Dockerfile" || name == ".dockerignore";
            let kind = entry.file_type().map_err(|e| io_error(&entry.path(), e))?;
            if kind.is_dir() {
                // Descend even into excluded directories: a later `!` may re-include a file.
                pending.push(rel.clone());
            }
            if always || !ignore.excludes(&name) {
                files.push(rel);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Config(format!("build context {}: {e}", path.display()))
}

/// A request body streaming the build context of `dir` as a tar archive.
pub fn tar_body(dir: &Path) -> Result<reqwest::Body> {
    let files = context_files(dir)?;
    let dir = dir.to_path_buf();
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<bytes::Bytes>>(CHANNEL_CHUNKS);
    tokio::task::spawn_blocking(move || {
        let mut tar = tar::Builder::new(ChannelWriter(tx.clone()));
        tar.follow_symlinks(false);
        for rel in &files {
            if let Err(e) = tar.append_path_with_name(dir.join(rel), rel) {
                let _ = tx.blocking_send(Err(e));
                return;
            }
        }
        if let Err(e) = tar.finish() {
            let _ = tx.blocking_send(Err(e));
        }
    });
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    Ok(reqwest::Body::wrap_stream(stream))
}

/// A `Write` that hands each write to the body channel (blocking the tar thread while the
/// channel is full: that is the backpressure).
struct ChannelWriter(tokio::sync::mpsc::Sender<std::io::Result<bytes::Bytes>>);

impl std::io::Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .blocking_send(Ok(bytes::Bytes::copy_from_slice(buf)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the request was dropped"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_follows_filepath_match_and_double_star() {
        assert!(glob_match(b"*.log", b"a.log"));
        assert!(!glob_match(b"*.log", b"dir/a.log"), "* stays in one segment");
        assert!(glob_match(b"**/*.log", b"dir/sub/a.log"));
        assert!(glob_match(b"**/*.log", b"a.log"), "** may match no segment");
        assert!(glob_match(b"dir/**", b"dir/x/y"));
        assert!(glob_match(b"a?c", b"abc") && !glob_match(b"a?c", b"a/c"));
        assert!(glob_match(b"[a-c]x", b"bx") && !glob_match(b"[^a-c]x", b"bx"));
        assert!(glob_match(b"\\*", b"*") && !glob_match(b"\\*", b"a"));
    }

    #[test]
    fn later_rules_win_and_directories_exclude_their_content() {
        let ignore = DockerIgnore::parse("# comment\n\n/target\n*.md\n!README.md\n./secret/\n");
        assert!(ignore.excludes("target"));
        assert!(
            ignore.excludes("target/debug/x"),
            "a matched directory excludes its content"
        );
        assert!(ignore.excludes("NOTES.md"));
        assert!(!ignore.excludes("README.md"), "`!` re-includes");
        assert!(ignore.excludes("secret/key"));
        assert!(!ignore.excludes("src/main.rs"));
        assert!(!ignore.excludes("docs/a.md"), "`*.md` matches at the top only");
    }
}
