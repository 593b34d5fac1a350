//! `docker build -t TAG DIR` with bollard: bollard takes a finished tar, so the context is
//! archived here, with a small `.dockerignore` matcher (`*`, `?`, `!` exceptions, a matching
//! directory excludes its contents; not `**` nor character classes).

use bollard::query_parameters::BuildImageOptionsBuilder;
use bollard::{Docker, body_full};
use futures_util::TryStreamExt;
use std::path::{Path, PathBuf};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: build DIR [TAG]")?);
    let tag = args
        .next()
        .unwrap_or_else(|| "dockerapi-example/built:latest".into());
    let ignore = std::fs::read_to_string(dir.join(".dockerignore")).unwrap_or_default();
    let patterns: Vec<&str> = ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut tar = tar::Builder::new(Vec::new());
    archive(&mut tar, &dir, Path::new(""), &patterns)?;
    let docker = Docker::connect_with_defaults()?.negotiate_version().await?;
    let options = BuildImageOptionsBuilder::default().t(&tag).rm(true).build();
    let mut progress = docker.build_image(options, None, Some(body_full(tar.into_inner()?.into())));
    while let Some(item) = progress.try_next().await? {
        print!(
            "{}",
            item.stream
                .as_deref()
                .or(item.status.as_deref())
                .unwrap_or_default()
        );
        if let Some(id) = item.aux.and_then(|aux| aux.id) {
            println!("image id: {id}");
        }
    }
    Ok(())
}

/// Appends the files of `dir/rel` that `.dockerignore` keeps.
fn archive(
    tar: &mut tar::Builder<Vec<u8>>,
    dir: &Path,
    rel: &Path,
    patterns: &[&str],
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir.join(rel))? {
        let rel = rel.join(entry?.file_name());
        let name = rel.to_string_lossy();
        if name != "Dockerfile" && name != ".dockerignore" && ignored(&name, patterns) {
            continue;
        }
        if dir.join(&rel).is_dir() {
            tar.append_dir(&rel, dir.join(&rel))?;
            archive(tar, dir, &rel, patterns)?;
        } else {
            tar.append_path_with_name(dir.join(&rel), &rel)?;
        }
    }
    Ok(())
}

/// Whether the last pattern matching `name` (or one of its parent directories) excludes it.
fn ignored(name: &str, patterns: &[&str]) -> bool {
    let mut ignored = false;
    for pattern in patterns {
        let (exclude, pattern) = match pattern.strip_prefix('!') {
            Some(p) => (false, p.trim_start_matches('/')),
            None => (true, pattern.trim_start_matches('/')),
        };
        let mut prefixes = name.match_indices('/').map(|(i, _)| &name[..i]).chain([name]);
        if prefixes.any(|prefix| glob(pattern.as_bytes(), prefix.as_bytes())) {
            ignored = exclude;
        }
    }
    ignored
}

/// `*` (any run of characters but `/`) and `?` (one character but `/`).
fn glob(pattern: &[u8], name: &[u8]) -> bool {
    match (pattern.first(), name.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            glob(&pattern[1..], name)
                || (name.first().is_some_and(|c| *c != b'/') && glob(pattern, &name[1..]))
        }
        (Some(b'?'), Some(c)) if *c != b'/' => glob(&pattern[1..], &name[1..]),
        (Some(p), Some(c)) if p == c => glob(&pattern[1..], &name[1..]),
        _ => false,
    }
}
