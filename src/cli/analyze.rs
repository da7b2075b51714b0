//! `lupe analyze`: shows the terms lupe makes of a text, and why.

use std::io::{self, Write};

use clap::Args;
use unicode_normalization::UnicodeNormalization;

use super::{EXIT_OK, Outcome};
use crate::analysis::{Analyzer, Kind, Side, tokenizer, word};
use crate::search::{
    self,
    thesaurus::{self, Thesaurus, Unit},
};

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
    /// With `--query`: the synonyms of the run of words this term is in.
    #[serde(skip_serializing_if = "<[&str]>::is_empty")]
    synonyms: &'a [&'a str],
}

pub(super) fn run(args: AnalyzeArgs) -> Outcome {
    let text: String = args.text.join(" ").nfc().collect();
    let side = if args.query { Side::Query } else { Side::Index };
    let rows = analysed(&text, side);
    let mut out = io::BufWriter::new(io::stdout().lock());
    // With --query: the runs of words a synonym group covers, as byte
    // ranges of the text, with the entries they also match.
    let thesaurus = if args.query {
        args.synonyms
            .thesaurus(Some(args.index.path()), Kind::German)?
    } else {
        None
    };
    let expansions: Vec<(std::ops::Range<usize>, Vec<&str>)> = match &thesaurus {
        Some(t) => synonym_runs(&text, t),
        None => Vec::new(),
    };
    let synonyms_at = |start: usize| -> &[&str] {
        expansions
            .iter()
            .find(|(r, _)| r.contains(&start))
            .map_or(&[], |(_, s)| s.as_slice())
    };
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
            synonyms: synonyms_at(*start),
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
    if thesaurus.is_some() && !args.json {
        print_synonyms(&mut out, &text, &expansions)?;
    }
    if args.query && !args.json {
        print_separable_verbs(&mut out, &text)?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// One analysed term: position, term, byte range, rule, notes.
type Analysed = (u32, String, usize, usize, &'static str, Vec<&'static str>);

/// The terms of `text` as `side` analyses it, in position order, with the
/// stop words (which make no term) at their positions under the rule
/// `stop`: they answer "why didn't that match?" too.
fn analysed(text: &str, side: Side) -> Vec<Analysed> {
    let mut analyzer = Analyzer::new(side, Kind::German);
    let mut rows = Vec::new();
    analyzer.for_each_token(text, |t| {
        rows.push((
            t.position,
            t.term.to_string(),
            t.from,
            t.to,
            t.rule.name(),
            t.notes.names(),
        ));
    });
    let mut position = 0u32;
    for group in tokenizer::groups(text) {
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
    rows
}

/// The human listing of the synonym runs under the terms.
fn print_synonyms(
    out: &mut impl Write,
    text: &str,
    expansions: &[(std::ops::Range<usize>, Vec<&str>)],
) -> io::Result<()> {
    if expansions.is_empty() {
        return writeln!(out, "\nsynonyms: none");
    }
    writeln!(
        out,
        "\nsynonyms (weight {} of the words typed):",
        search::SYNONYM_WEIGHT
    )?;
    for (range, synonyms) in expansions {
        writeln!(out, "  {} → {}", &text[range.clone()], synonyms.join(" | "))?;
    }
    Ok(())
}

/// The verb forms a sentence-final separable particle adds ("Schleppen …
/// ein?" also finds "einschleppen"), when the query ends in one.
fn print_separable_verbs(out: &mut impl Write, text: &str) -> io::Result<()> {
    let parsed = search::syntax::parse(text);
    let mut analyzer = Analyzer::new(Side::Query, Kind::German);
    let Some((particle, verbs)) = search::query::separable_verbs(&mut analyzer, &parsed.clauses)
    else {
        return Ok(());
    };
    writeln!(
        out,
        "\nseparable verb particle {particle:?}, also searched:"
    )?;
    for (word, terms) in verbs {
        writeln!(out, "  {word} → {}", terms.join(" | "))?;
    }
    Ok(())
}

/// The runs of words of `text` that a group of `thesaurus` covers, as the
/// query builder finds them (each word or hyphen group is one unit).
fn synonym_runs<'t>(
    text: &str,
    thesaurus: &'t Thesaurus,
) -> Vec<(std::ops::Range<usize>, Vec<&'t str>)> {
    let mut analyzer = Analyzer::new(Side::Query, thesaurus.kind());
    let spans: Vec<std::ops::Range<usize>> = tokenizer::groups(text)
        .filter_map(|g| Some(g.parts.first()?.span.start..g.parts.last()?.span.end))
        .collect();
    let units: Vec<Unit<'_>> = spans
        .iter()
        .map(|r| Unit {
            text: &text[r.clone()],
            terms: thesaurus::key(&mut analyzer, &text[r.clone()]).into_vec(),
        })
        .collect();
    thesaurus
        .spans(&units, &mut analyzer)
        .into_iter()
        .map(|s| {
            (
                spans[s.units.start].start..spans[s.units.end - 1].end,
                s.synonyms,
            )
        })
        .collect()
}
