//! `lupe analyze`: shows the terms lupe makes of a text, and why.

use std::io::{self, Write};

use clap::Args;
use unicode_normalization::UnicodeNormalization;

use super::{EXIT_OK, Outcome};
use crate::analysis::{Analyzer, Kind, Side, tokenizer, word};
use crate::search;

#[derive(Debug, Args)]
pub(super) struct AnalyzeArgs {
    /// Show what a query makes of the text (no hyphen-join prefixes; the
    /// compound parts become alternatives to the word), and the synonyms
    /// it expands to (lupe's thesaurus, `synonyms.txt` in the index folder
    /// and --synonyms files).
    #[arg(long)]
    query: bool,

    /// Print one JSON object per term.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    index: super::IndexArg,

    #[command(flatten)]
    synonyms: super::SynonymArgs,

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
            t.rule.name(),
            t.notes.names(),
        ));
    });
    // Stop words make no term, but they answer "why didn't that match?"
    // too: show them, at their position, with the rule `stop`.
    let mut position = 0u32;
    for group in tokenizer::groups(&text) {
        for part in &group.parts {
            let surface = &text[part.word.clone()];
            if !rows.iter().any(|r| r.0 == position)
                && let Some(stop) = word::stop_word(surface)
            {
                let at = rows.partition_point(|r| r.0 < position);
                rows.insert(
                    at,
                    (
                        position,
                        stop,
                        part.span.start,
                        part.span.end,
                        "stop",
                        vec!["dropped"],
                    ),
                );
            }
            position = position.saturating_add(1);
        }
    }
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
            rule,
            notes: notes.clone(),
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
    if args.query {
        let thesaurus = args
            .synonyms
            .thesaurus(Some(args.index.path()), Kind::German)?;
        if let Some(thesaurus) = thesaurus {
            // The query reader decides which words a group may cover (not
            // those in quotes, or after -), as `lupe query` does.
            let expansions =
                search::query::synonym_expansions(&text, false, &thesaurus, Kind::German);
            write_synonyms(&mut out, &expansions, args.json)?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

#[derive(serde::Serialize)]
struct SynonymRow<'a> {
    words: &'a str,
    synonyms: &'a [String],
    weight: f32,
}

/// The synonyms each run of query words also matches, with their weight.
fn write_synonyms(
    out: &mut impl Write,
    expansions: &[(String, Vec<String>)],
    json: bool,
) -> io::Result<()> {
    let weight = search::SYNONYM_WEIGHT;
    if json {
        for (words, synonyms) in expansions {
            serde_json::to_writer(
                &mut *out,
                &SynonymRow {
                    words,
                    synonyms,
                    weight,
                },
            )?;
            writeln!(out)?;
        }
        return Ok(());
    }
    if expansions.is_empty() {
        return writeln!(out, "\nsynonyms: none");
    }
    writeln!(out, "\nsynonyms (weight {weight} of the words typed):")?;
    for (words, synonyms) in expansions {
        writeln!(out, "  {words} → {}", synonyms.join(" | "))?;
    }
    Ok(())
}
