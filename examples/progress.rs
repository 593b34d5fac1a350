//! Pull and build progress as the docker CLI draws it: one bar per layer (indicatif), from the
//! typed JSON-lines items of the selected module; other lines (build output, digests, status)
//! are printed above the bars. When stderr is not a terminal the bars are hidden; in every case
//! each layer's last status is printed to stdout when the stream ends.
//!
//! `cargo run --example progress -- pull IMAGE` or `cargo run --example progress -- build DIR [TAG]`

use docker_engine_api::{Docker, RegistryAuth, build_context, streams, with_api};
use futures_util::TryStreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// The bars, one per layer id, in the order the daemon first named them.
struct Layers {
    multi: MultiProgress,
    bars: Vec<(String, ProgressBar)>,
}

impl Layers {
    fn new() -> Self {
        Layers {
            multi: MultiProgress::new(),
            bars: Vec::new(),
        }
    }

    /// One progress item: a layer's status and byte counts, or (no id) a line of its own.
    fn show(&mut self, id: Option<&str>, status: Option<&str>, current: Option<i64>, total: Option<i64>) {
        let status = status.unwrap_or_default();
        let Some(id) = id else {
            return self.text(&format!("{status}\n"));
        };
        let bar = match self.bars.iter().find(|(known, _)| known == id) {
            Some((_, bar)) => bar,
            None => {
                let bar = self.multi.add(ProgressBar::new(0).with_prefix(id.to_owned()));
                self.bars.push((id.to_owned(), bar));
                &self.bars.last().unwrap().1
            }
        };
        // A bar only while bytes move ("Downloading", "Extracting"), as the CLI does.
        let template = match total.filter(|t| *t > 0) {
            Some(total) => {
                bar.set_length(total as u64);
                bar.set_position(current.unwrap_or(0).max(0) as u64);
                "{prefix}: {msg} [{bar:40}] {bytes}/{total_bytes}"
            }
            None => "{prefix}: {msg}",
        };
        bar.set_style(
            ProgressStyle::with_template(template)
                .unwrap()
                .progress_chars("=> "),
        );
        bar.set_message(status.trim_end().to_owned());
    }

    /// Text above the bars, as it comes (build output brings its own line ends).
    fn text(&self, text: &str) {
        self.multi.suspend(|| print!("{text}"));
    }

    fn finish(self) {
        for (id, bar) in self.bars {
            bar.finish();
            println!("{id}: {}", bar.message());
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: progress pull IMAGE | progress build DIR [TAG]";
    let (task, target, tag) = match &args[..] {
        [task, target] if task == "pull" => (task.as_str(), target, None),
        [task, target, tag @ ..] if task == "build" && tag.len() <= 1 => (task.as_str(), target, tag.first()),
        _ => return Err(usage.into()),
    };
    let docker = Docker::connect().await?;
    let mut layers = Layers::new();
    with_api!(docker.api(), async |client, api| {
        match task {
            "pull" => {
                let image = target;
                let auth = RegistryAuth::from_docker_config(image)?.unwrap_or_default();
                let pull = client
                    .image_create()
                    .from_image(image)
                    .x_registry_auth(auth.header());
                let body = docker.call(pull.send()).await?;
                let mut items = streams::pull_progress::<api::types::CreateImageInfo>(body);
                while let Some(p) = items.try_next().await? {
                    let (current, total) = p.progress_detail.map_or((None, None), |d| (d.current, d.total));
                    layers.show(p.id.as_deref(), p.status.as_deref(), current, total);
                }
            }
            _ => {
                let build = client
                    .image_build()
                    .t(tag.map_or("dockerapi-example/built", String::as_str));
                let body = docker
                    .call(build.body(build_context::tar_body(target.as_ref())?).send())
                    .await?;
                let mut items = streams::build_progress::<api::types::BuildInfo>(body);
                while let Some(b) = items.try_next().await? {
                    let (current, total) = b.progress_detail.map_or((None, None), |d| (d.current, d.total));
                    match b.stream {
                        Some(text) => layers.text(&text),
                        None => layers.show(b.id.as_deref(), b.status.as_deref(), current, total),
                    }
                }
            }
        }
        Ok(())
    })?;
    layers.finish();
    Ok(())
}
