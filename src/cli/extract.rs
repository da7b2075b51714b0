//! `lupe extract`: what lupe would ingest from pages, feeds and files,
//! printed with every field, without touching the index.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::{EXIT_ERROR, EXIT_OK, Outcome};
use crate::article::{Article, Input, Item, Reader};
use crate::fetch;

#[derive(Debug, Args)]
pub(super) struct ExtractArgs {
    /// Web pages, feeds or article files (folders are walked).
    #[arg(required = true, value_name = "PAGE|FEED|FILE|URL")]
    paths: Vec<PathBuf>,

    /// Print a JSON array of articles (id, title, date, source, url, body).
    #[arg(long)]
    json: bool,

    /// For feed URLs: fetch each item's page and extract its full text.
    #[arg(long)]
    full_text: bool,

    /// Give up on a URL after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,

    /// A busy server (429, 503) that asks to come back after at most this
    /// many seconds is asked again then (twice at most); 0: never.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    max_retry_wait: f64,
}

fn to_json(a: &Article, location: &str) -> serde_json::Value {
    json!({
        "id": a.id,
        "title": a.title,
        "date": a.date.as_ref().map(|d| d.text.as_str()),
        "source": a.source,
        "url": a.url,
        "body": a.body,
        "location": location,
    })
}

fn write_human(out: &mut impl Write, a: &Article, location: &str) -> io::Result<()> {
    let field = |v: Option<&str>| v.unwrap_or("-").to_string();
    writeln!(out, "id:     {}", a.id)?;
    writeln!(out, "title:  {}", a.title)?;
    writeln!(
        out,
        "date:   {}",
        field(a.date.as_ref().map(|d| d.text.as_str()))
    )?;
    writeln!(out, "source: {}", field(a.source.as_deref()))?;
    writeln!(out, "url:    {}", field(a.url.as_deref()))?;
    writeln!(out, "from:   {location}")?;
    writeln!(out)?;
    writeln!(out, "{}", a.body)?;
    writeln!(out)
}

pub(super) fn run(args: ExtractArgs) -> Outcome {
    let (urls, paths): (Vec<&PathBuf>, Vec<&PathBuf>) = args
        .paths
        .iter()
        .partition(|p| p.to_str().is_some_and(fetch::is_url));
    let inputs: Vec<Input> = paths.iter().map(|p| Input::from_arg(p)).collect();
    let mut fetched = Vec::new();
    if !urls.is_empty() {
        let options = super::ingest::fetch_options(&super::ingest::FetchArgs {
            timeout: args.timeout,
            delay: 1.0,
            max_size: 10 << 20,
            full_text: args.full_text,
            max_retry_wait: args.max_retry_wait,
        })?;
        // Nothing is remembered: extract always shows the whole page.
        let mut fetcher = fetch::Fetcher::new(options, None);
        for url in urls.iter().filter_map(|u| u.to_str()) {
            fetched.extend(fetcher.items(url, &mut |event| {
                if let fetch::Event::Retrying { url, status, wait } = event {
                    let line = super::ingest::retrying(url, *status, *wait);
                    let line = crate::printer::sanitize::printable(&line).into_owned();
                    let _ = writeln!(io::stderr(), "{line}");
                }
            }));
        }
    }
    let mut out = io::stdout().lock();
    let mut articles = Vec::new();
    let mut rejected = 0;
    for item in fetched.into_iter().chain(Reader::new(&inputs)) {
        match item {
            Item::Article(r) => {
                let location = r.location.to_string();
                if args.json {
                    articles.push(to_json(&r.article, &location));
                } else {
                    super::ignore_broken_pipe(write_human(&mut out, &r.article, &location))?;
                }
            }
            Item::Rejected(r) => {
                rejected += 1;
                let _ = writeln!(io::stderr(), "lupe: skipped {}: {}", r.location, r.error);
            }
        }
    }
    if args.json {
        let written = serde_json::to_writer_pretty(&mut out, &articles)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out));
        super::ignore_broken_pipe(written)?;
    }
    super::ignore_broken_pipe(out.flush())?;
    Ok(if rejected > 0 { EXIT_ERROR } else { EXIT_OK })
}
