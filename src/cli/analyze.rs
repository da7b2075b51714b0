//! `lupe analyze`: shows the terms lupe makes of a text, and why.

use std::io::{self, Write};

use clap::Args;
use unicode_normalization::UnicodeNormalization;

use super::{EXIT_OK, Outcome};
use crate::analysis::{Analyzer, Kind, Side};

#[derive(Debug, Args)]
pub(super) struct AnalyzeArgs {
    /// Show what a query makes of the text (no hyphen-join prefixes; the
    /// compound parts become alternatives to the word).
    #[arg(long)]
    query: bool,

    /// Print one JSON object per term.
    #[arg(long)]
    json: bool,

    /// The text (several arguments are joined with spaces).
    #[arg(required = true, value_name = "TEXT")]
    text: Vec<String>,
}

#[derive(serde::Serialize)]
struct Row<'a> {
    position: u32,
    term: &'a str,
    start: usize,
    end: usize,
    word: &'a str,
    rule: &'static str,
    notes: Vec<&'static str>,
}

pub(super) fn run(args: AnalyzeArgs) -> Outcome {
    let text: String = args.text.join(" ").nfc().collect();
    let side = if args.query { Side::Query } else { Side::Index };
    let mut analyzer = Analyzer::new(side, Kind::German);
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut rows = Vec::new();
    analyzer.for_each_token(&text, |t| {
        rows.push((
            t.position,
            t.term.to_string(),
            t.from,
            t.to,
            t.rule,
            t.notes,
        ));
    });
    if !args.json {
        writeln!(
            out,
            "{:>3}  {:<24} {:>9}  {:<13} {:<24} notes",
            "pos", "term", "bytes", "rule", "word"
        )?;
    }
    for (position, term, start, end, rule, notes) in &rows {
        let row = Row {
            position: *position,
            term,
            start: *start,
            end: *end,
            word: &text[*start..*end],
            rule: rule.name(),
            notes: notes.names(),
        };
        if args.json {
            serde_json::to_writer(&mut out, &row)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{:>3}  {:<24} {:>9}  {:<13} {:<24} {}",
                row.position,
                row.term,
                format!("{}..{}", row.start, row.end),
                row.rule,
                row.word,
                row.notes.join(", ")
            )?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
