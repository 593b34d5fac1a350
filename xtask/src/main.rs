//! `cargo xtask <command>`: see `USAGE`.

use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{Result, add_version, check, diff, export, parse_minor, regen, repo_root, v1_24};

const USAGE: &str = "\
usage: cargo xtask <command>

  check                     verify the repository offline (specs against the lock, v1.24
                            derivation, features, README, golden snapshots, type identity
                            table, version diffs, availability table, deterministic
                            generation); prints each problem and its fix
  regen                     rewrite every derived file (specs/v1.24.yaml, version features,
                            README range, golden snapshots, specs/type-identity.txt,
                            docs/api-diffs/, docs/availability.{json,md})
  derive-v1.24              rewrite specs/v1.24.yaml (and its lock line) only
  export [--out DIR] [V..]  write the OpenAPI 3.0 document of each version (or of V..) after
                            our fixes, keys sorted, to DIR (default target/openapi)
  export --unified [--out DIR]
                            write DIR/unified.json: one OpenAPI 3.0 document of every version,
                            each element with the versions that have it (docs/unified-spec.md)
  diff A B [--json]         what changed from version A to B (Markdown, or JSON)
  add-version SOURCE [--version 1.XX] [--commit SHA] [--repo OWNER/NAME]
              [--upstream-path PATH] [--no-regen]
                            vendor a released spec from a file, a moby checkout or a URL,
                            update the lock, the version table, the features and the README,
                            and regenerate (commit `unknown` unless given or found)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Takes the value of `--name VALUE` out of `args`.
fn take_value(args: &mut Vec<String>, name: &str) -> Result<Option<String>> {
    let Some(i) = args.iter().position(|a| a == name) else {
        return Ok(None);
    };
    if i + 1 >= args.len() {
        return Err(format!("{name} needs a value"));
    }
    let value = args.remove(i + 1);
    args.remove(i);
    Ok(Some(value))
}

/// Takes the flag `name` out of `args`.
fn take_flag(args: &mut Vec<String>, name: &str) -> bool {
    let before = args.len();
    args.retain(|a| a != name);
    args.len() != before
}

fn no_more(args: &[String]) -> Result<()> {
    match args.first() {
        Some(a) => Err(format!("unexpected argument `{a}`\n\n{USAGE}")),
        None => Ok(()),
    }
}

fn run(args: &[String]) -> Result<ExitCode> {
    let root = repo_root();
    let Some((command, rest)) = args.split_first() else {
        println!("{USAGE}");
        return Ok(ExitCode::FAILURE);
    };
    let mut rest = rest.to_vec();
    match command.as_str() {
        "check" => {
            no_more(&rest)?;
            let problems = check::check(&root, &mut |step| eprintln!("checking {step}..."));
            if problems.is_empty() {
                println!("check: all good");
                return Ok(ExitCode::SUCCESS);
            }
            for p in &problems {
                println!("{p}\n");
            }
            println!("check: {} problem(s)", problems.len());
            Ok(ExitCode::FAILURE)
        }
        "regen" => {
            no_more(&rest)?;
            for file in regen::regen(&root)? {
                let done = if root.join(&file).exists() {
                    "wrote"
                } else {
                    "removed"
                };
                println!("{done} {file}");
            }
            Ok(ExitCode::SUCCESS)
        }
        "derive-v1.24" => {
            no_more(&rest)?;
            let (text, entry) = regen::derived_v1_24(&root)?;
            let lock_rel = format!("specs/{}", docker_engine_api_codegen::provenance::LOCK);
            let lock = xtask::read(&root, &lock_rel)?;
            for (rel, text) in [
                (format!("specs/{}", v1_24::SPEC), text),
                (
                    lock_rel,
                    docker_engine_api_codegen::provenance::upsert(&lock, &entry),
                ),
            ] {
                if xtask::write_if_changed(&root, &rel, &text)? {
                    println!("wrote {rel}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        "export" => {
            let out = take_value(&mut rest, "--out")?.map_or(root.join(export::DEFAULT_DIR), PathBuf::from);
            if take_flag(&mut rest, "--unified") {
                no_more(&rest)?;
                let path = export::export_unified(&root, &out)?;
                println!("wrote {}", path.display());
                return Ok(ExitCode::SUCCESS);
            }
            let minors = rest.iter().map(|v| parse_minor(v)).collect::<Result<Vec<_>>>()?;
            let written = export::export(&root, &out, &minors)?;
            println!("wrote {} documents to {}", written.len(), out.display());
            Ok(ExitCode::SUCCESS)
        }
        "diff" => {
            let json = take_flag(&mut rest, "--json");
            take_flag(&mut rest, "--markdown");
            let [a, b] = &rest[..] else {
                return Err(format!("diff takes two versions\n\n{USAGE}"));
            };
            let version = |s: &str| {
                parse_minor(s).and_then(|m| {
                    docker_engine_api_codegen::SpecVersion::find(m)
                        .ok_or(format!("v1.{m} is not in the version table"))
                })
            };
            let (a, b) = (version(a)?, version(b)?);
            let d = diff::diff(
                &a.name(),
                &export::document(&root, a)?,
                &b.name(),
                &export::document(&root, b)?,
            );
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&d.to_json()).map_err(|e| e.to_string())?
                );
            } else {
                print!("{}", d.to_markdown());
            }
            Ok(ExitCode::SUCCESS)
        }
        "add-version" => {
            let minor = take_value(&mut rest, "--version")?
                .map(|v| parse_minor(&v))
                .transpose()?;
            let commit = take_value(&mut rest, "--commit")?;
            let repo = take_value(&mut rest, "--repo")?;
            let upstream_path = take_value(&mut rest, "--upstream-path")?;
            let regen = !take_flag(&mut rest, "--no-regen");
            let [source] = &rest[..] else {
                return Err(format!(
                    "add-version takes one source (file, moby checkout or URL)\n\n{USAGE}"
                ));
            };
            let mut opts = add_version::Options::new(source.clone());
            opts.minor = minor;
            opts.commit = commit;
            opts.upstream_path = upstream_path;
            opts.regen = regen;
            if let Some(repo) = repo {
                opts.repo = repo;
            }
            let added = add_version::add_version(&root, &opts)?;
            for file in &added.changed {
                println!("wrote {file}");
            }
            println!(
                "added v1.{} (fixes: {}); next: `cargo xtask check`, review `git diff`, and read the \
                 new version's section of specs/CHANGELOG.md for behaviour the facade may need",
                added.minor,
                if added.fixes.is_empty() {
                    "none".to_string()
                } else {
                    added.fixes.join(", ")
                }
            );
            if !regen {
                println!("(--no-regen: run `cargo xtask regen` before committing)");
            }
            Ok(ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}
