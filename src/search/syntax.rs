//! The lenient query reader: any text is a query.
//!
//! A search box never says no to text. Syntax is recognised only where it
//! is unambiguous, everything else is searched as words:
//!
//! - a known field directly followed by its value: `title:KI`,
//!   `text:"Open Source"`, `source:heise`, `date:2024-03-01`,
//!   `date:[2024-01-01 TO 2024-12-31]`, `date:>=2024-01-01`;
//! - a balanced quote (`"…"`, `„…“`, `»…«`), optionally followed by `~N`
//!   (slop) or `*` (the last word is a prefix);
//! - balanced parentheses, nested at most [`MAX_DEPTH`] deep;
//! - `AND`, `OR`, `NOT` between two operands;
//! - `+` and `-` glued to the operand they qualify;
//! - `word*` with at least two letters before the star, and `word^2`.
//!
//! So `Florida: Notlandung` is the words Florida and Notlandung, an
//! unclosed quote or parenthesis is read as words, and a lone `-` or `AND`
//! is ignored. What looked like syntax but was read literally is reported
//! in [`Parsed::notes`], one short phrase each.

use unicode_normalization::UnicodeNormalization;

/// Parentheses nested deeper than this are read as text: a pasted or
/// generated query with thousands of them must not exhaust the stack.
pub const MAX_DEPTH: usize = 32;

/// How a clause takes part in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// No operator: required or optional, as the ranking decides.
    Default,
    /// `+word`, or an operand of `AND`.
    Must,
    /// An operand of `OR`.
    Should,
    /// `-word`, or the operand after `NOT`.
    MustNot,
}

/// Where words are searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Passage text and title.
    Default,
    /// `title:` only.
    Title,
    /// `text:` only.
    Text,
}

/// Words to search: one whitespace-separated word as typed, or a phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    /// The text, for the analyzer.
    pub text: String,
    /// Where to search it.
    pub target: Target,
    /// Written in quotes: exactly these words, in this order.
    pub quoted: bool,
    /// `"…"~N`: words may stand up to N positions apart.
    pub slop: u32,
    /// `word*` or `"…"*`: the last word is a prefix.
    pub prefix: bool,
    /// `word^2`: weight of the clause.
    pub boost: Option<f32>,
}

/// One end of a date filter, in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    /// Open end.
    Open,
    /// At or after this instant (lower end), or before it (upper end: the
    /// first second after the last day that counts).
    Inclusive(i64),
    /// Strictly before this instant (upper end only).
    Exclusive(i64),
}

/// A node of a parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Words, searched with the German analysis.
    Words(Words),
    /// A parenthesised group or an `AND`/`OR` structure.
    Group(Vec<Clause>),
    /// `source:NAME`: a filter, as given (resolved against the index later).
    Source(String),
    /// `date:…`: a filter on the publication date.
    Date {
        /// Lower end.
        since: DateBound,
        /// Upper end.
        until: DateBound,
    },
}

/// A node with its operator.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// How it takes part.
    pub occur: Occur,
    /// What it is.
    pub node: Node,
}

/// A query as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// The top-level clauses (empty when the text has no words).
    pub clauses: Vec<Clause>,
    /// What looked like syntax but was read as words, for a note.
    pub notes: Vec<String>,
}

/// Reads query text with the syntax described in the module docs.
pub fn parse(query: &str) -> Parsed {
    let chars: Vec<char> = query.nfc().collect();
    let mut reader = Reader::new(chars);
    let clauses = reader.sequence(0, reader.chars.len(), Target::Default, 0);
    let mut notes = reader.notes;
    notes.dedup();
    Parsed { clauses, notes }
}

/// Reads query text with no syntax at all: every word is searched as typed
/// (for scripts that pass arbitrary text).
pub fn parse_literal(query: &str) -> Parsed {
    let text: String = query.nfc().collect();
    let clauses = text
        .split_whitespace()
        .map(|w| Clause {
            occur: Occur::Default,
            node: Node::Words(Words {
                text: w.to_string(),
                target: Target::Default,
                quoted: false,
                slop: 0,
                prefix: false,
                boost: None,
            }),
        })
        .collect();
    Parsed {
        clauses,
        notes: Vec::new(),
    }
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '„' | '“' | '”' | '«' | '»')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»')
}

/// A connector between operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Connector {
    And,
    Or,
    Not,
}

/// An item of a sequence before connectors are resolved.
enum Item {
    Operand(Occur, Node),
    Connector(Connector, String),
}

struct Reader {
    chars: Vec<char>,
    /// For each syntax quote or parenthesis: the index of its partner.
    partner: Vec<Option<usize>>,
    notes: Vec<String>,
}

impl Reader {
    fn new(chars: Vec<char>) -> Reader {
        let mut partner = vec![None; chars.len()];
        let mut notes = Vec::new();
        // Quotes pair left to right; an odd one out is text.
        let mut open: Option<usize> = None;
        for (i, &c) in chars.iter().enumerate() {
            match open {
                None if is_open_quote(c) => open = Some(i),
                Some(o) if is_close_quote(c) => {
                    partner[o] = Some(i);
                    partner[i] = Some(o);
                    open = None;
                }
                _ => {}
            }
        }
        if open.is_some() {
            notes.push("an unclosed quotation mark".to_string());
        }
        let mut quoted = vec![false; chars.len()];
        let mut i = 0;
        while i < chars.len() {
            if let Some(j) = partner[i] {
                quoted[i..=j].iter_mut().for_each(|q| *q = true);
                i = j + 1;
            } else {
                i += 1;
            }
        }
        // Parentheses outside quotes pair by nesting; too deep or unpaired
        // ones are text.
        let mut stack: Vec<usize> = Vec::new();
        let mut unpaired = false;
        let mut too_deep = false;
        for (i, &c) in chars.iter().enumerate() {
            if quoted[i] {
                continue;
            }
            match c {
                '(' => stack.push(i),
                ')' => match stack.pop() {
                    Some(o) if stack.len() < MAX_DEPTH => {
                        partner[o] = Some(i);
                        partner[i] = Some(o);
                    }
                    Some(_) => too_deep = true,
                    None => unpaired = true,
                },
                _ => {}
            }
        }
        if unpaired || !stack.is_empty() {
            notes.push("an unbalanced parenthesis".to_string());
        }
        if too_deep {
            notes.push(format!("parentheses nested deeper than {MAX_DEPTH}"));
        }
        Reader {
            chars,
            partner,
            notes,
        }
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Is `i` a quote or parenthesis that is syntax?
    fn is_syntax(&self, i: usize) -> bool {
        self.partner.get(i).is_some_and(|p| p.is_some())
    }

    /// Reads the clauses of `chars[from..to]`.
    fn sequence(&mut self, from: usize, to: usize, target: Target, depth: usize) -> Vec<Clause> {
        let mut items: Vec<Item> = Vec::new();
        let mut i = from;
        while i < to {
            let c = self.chars[i];
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            // + and - qualify the operand they are glued to.
            let mut occur = Occur::Default;
            if (c == '+' || c == '-') && i + 1 < to && !self.chars[i + 1].is_whitespace() {
                let next = self.chars[i + 1];
                if next != '+' && next != '-' && !(next == ')' && self.is_syntax(i + 1)) {
                    occur = if c == '+' {
                        Occur::Must
                    } else {
                        Occur::MustNot
                    };
                    i += 1;
                }
            }
            let (node, next) = self.operand(i, to, target, depth);
            i = next;
            match node {
                Some(Operand::Node(node)) => items.push(Item::Operand(occur, node)),
                Some(Operand::Connector(c, text)) if occur == Occur::Default => {
                    items.push(Item::Connector(c, text))
                }
                Some(Operand::Connector(_, text)) => {
                    items.push(Item::Operand(occur, Node::Words(plain(&text, target))))
                }
                None => {}
            }
        }
        self.resolve(items)
    }

    /// Turns operands and connectors into clauses: `a AND b` requires
    /// both, `a OR b` groups alternatives, `a NOT b` excludes b. A
    /// connector without an operand on both sides is ignored.
    fn resolve(&mut self, items: Vec<Item>) -> Vec<Clause> {
        // Drop connectors that do not stand between two operands.
        let mut cleaned: Vec<Item> = Vec::with_capacity(items.len());
        let n = items.len();
        let mut items = items.into_iter().enumerate().peekable();
        while let Some((k, item)) = items.next() {
            match item {
                Item::Connector(c, text) => {
                    let after_operand = matches!(cleaned.last(), Some(Item::Operand(..)));
                    let before_operand =
                        k + 1 < n && matches!(items.peek(), Some((_, Item::Operand(..))));
                    if after_operand && before_operand {
                        cleaned.push(Item::Connector(c, text));
                    } else {
                        self.note(format!("{text} without a word on both sides"));
                    }
                }
                operand => cleaned.push(operand),
            }
        }
        // Split at OR into alternatives; within each, AND and NOT qualify
        // their operands.
        let mut alternatives: Vec<Vec<Clause>> = vec![Vec::new()];
        let mut pending: Option<Connector> = None;
        for item in cleaned {
            match item {
                Item::Connector(Connector::Or, _) => {
                    alternatives.push(Vec::new());
                    pending = None;
                }
                Item::Connector(c, _) => pending = Some(c),
                Item::Operand(occur, node) => {
                    let current = alternatives.last_mut().expect("at least one alternative");
                    let occur = match pending.take() {
                        Some(Connector::Not) => Occur::MustNot,
                        Some(Connector::And) => {
                            if let Some(prev) = current.last_mut()
                                && prev.occur == Occur::Default
                            {
                                prev.occur = Occur::Must;
                            }
                            if occur == Occur::Default {
                                Occur::Must
                            } else {
                                occur
                            }
                        }
                        _ => occur,
                    };
                    current.push(Clause { occur, node });
                }
            }
        }
        if alternatives.len() == 1 {
            return alternatives.pop().unwrap_or_default();
        }
        alternatives
            .into_iter()
            .filter(|a| !a.is_empty())
            .map(|mut a| {
                let node = if a.len() == 1 && a[0].occur == Occur::Default {
                    a.pop().map(|c| c.node).expect("one clause")
                } else {
                    Node::Group(a)
                };
                Clause {
                    occur: Occur::Should,
                    node,
                }
            })
            .collect()
    }

    /// Reads one operand starting at `i`; returns it (if any) and where
    /// reading goes on.
    fn operand(
        &mut self,
        i: usize,
        to: usize,
        target: Target,
        depth: usize,
    ) -> (Option<Operand>, usize) {
        let c = self.chars[i];
        if self.is_syntax(i) && c == '(' {
            let close = self.partner[i].filter(|&p| p > i).unwrap_or(to).min(to);
            let inner = self.sequence(i + 1, close, target, depth + 1);
            let (boost, next) = self.boost_after(close + 1, to);
            let node = match inner.len() {
                0 => None,
                1 if inner[0].occur == Occur::Default && boost.is_none() => {
                    inner.into_iter().next().map(|c| Operand::Node(c.node))
                }
                _ => Some(Operand::Node(Node::Group(inner))),
            };
            return (node, next);
        }
        if self.is_syntax(i) && c != ')' {
            return self.phrase(i, to, target);
        }
        if self.is_syntax(i) {
            // A closing parenthesis whose partner lies outside this range
            // cannot happen; skip it defensively.
            return (None, i + 1);
        }
        // A word: up to whitespace or a syntax quote or parenthesis.
        let mut end = i;
        while end < to && !self.chars[end].is_whitespace() && !self.is_syntax(end) {
            end += 1;
        }
        let word: String = self.chars[i..end].iter().collect();
        if let Some(field) = word.strip_suffix(':').filter(|f| is_field(f))
            && end < to
            && self.is_syntax(end)
            && self.chars[end] != ')'
        {
            // title:"…" or title:(…)
            return self.field_operand(field, i + field.chars().count() + 1, end, to, depth);
        }
        if let Some((field, value)) = word.split_once(':')
            && is_field(field)
            && !value.is_empty()
        {
            return self.field_operand(field, i + field.chars().count() + 1, end, to, depth);
        }
        match word.as_str() {
            "AND" | "&&" => return (Some(Operand::Connector(Connector::And, word)), end),
            "OR" | "||" => return (Some(Operand::Connector(Connector::Or, word)), end),
            "NOT" => return (Some(Operand::Connector(Connector::Not, word)), end),
            _ => {}
        }
        if let Some((name, _)) = word.split_once(':')
            && name.chars().count() >= 2
            && name.chars().all(char::is_alphabetic)
            && !is_gender_colon(&word)
        {
            self.note(format!("{name}: (not a field)"));
        }
        (
            Some(Operand::Node(Node::Words(self.word(&word, target)))),
            end,
        )
    }

    /// `field:` followed by its value at `value_start` (the word ends at
    /// `word_end`).
    fn field_operand(
        &mut self,
        field: &str,
        value_start: usize,
        word_end: usize,
        to: usize,
        depth: usize,
    ) -> (Option<Operand>, usize) {
        let target = match field {
            "title" => Target::Title,
            "text" => Target::Text,
            "source" => {
                let (value, next) = if self.is_syntax(value_start) {
                    let close = self.partner[value_start]
                        .filter(|&p| p > value_start)
                        .unwrap_or(to)
                        .min(to);
                    (
                        self.chars[value_start + 1..close]
                            .iter()
                            .collect::<String>(),
                        close + 1,
                    )
                } else {
                    (self.chars[value_start..word_end].iter().collect(), word_end)
                };
                let value = value.trim().to_string();
                if value.is_empty() {
                    return (None, next);
                }
                return (Some(Operand::Node(Node::Source(value))), next);
            }
            _ => return self.date_operand(value_start, word_end, to),
        };
        if self.is_syntax(value_start) {
            if self.chars[value_start] == '(' {
                let close = self.partner[value_start]
                    .filter(|&p| p > value_start)
                    .unwrap_or(to)
                    .min(to);
                let inner = self.sequence(value_start + 1, close, target, depth + 1);
                let next = close + 1;
                return match inner.len() {
                    0 => (None, next),
                    _ => (Some(Operand::Node(Node::Group(inner))), next),
                };
            }
            return self.phrase(value_start, to, target);
        }
        let word: String = self.chars[value_start..word_end].iter().collect();
        (
            Some(Operand::Node(Node::Words(self.word(&word, target)))),
            word_end,
        )
    }

    /// `date:` with a day, a range in brackets, or a comparison.
    fn date_operand(
        &mut self,
        value_start: usize,
        word_end: usize,
        to: usize,
    ) -> (Option<Operand>, usize) {
        let first = self.chars.get(value_start).copied();
        let (text, next) = if matches!(first, Some('[' | '{')) {
            // A range may contain spaces: read to its closing bracket, but
            // not across a quote or parenthesis.
            let close = (value_start..to)
                .take_while(|&k| !self.is_syntax(k))
                .find(|&k| matches!(self.chars[k], ']' | '}'));
            match close {
                Some(close) => (
                    self.chars[value_start..=close].iter().collect::<String>(),
                    close + 1,
                ),
                None => (self.chars[value_start..word_end].iter().collect(), word_end),
            }
        } else {
            (self.chars[value_start..word_end].iter().collect(), word_end)
        };
        match parse_date_value(&text) {
            Ok((since, until)) => (Some(Operand::Node(Node::Date { since, until })), next),
            Err(reason) => {
                self.note(format!("date:{text} ({reason})"));
                let words = format!("date {text}");
                (
                    Some(Operand::Node(Node::Words(plain(&words, Target::Default)))),
                    next,
                )
            }
        }
    }

    /// A quoted phrase starting at the quote `i`, with `~N` or `*` after it.
    fn phrase(&mut self, i: usize, to: usize, target: Target) -> (Option<Operand>, usize) {
        let close = self.partner[i].unwrap_or(to).min(to);
        if close <= i {
            // A closing quote seen first (cannot happen with pairs read left
            // to right; skipped defensively).
            return (None, i + 1);
        }
        let text: String = self.chars[i + 1..close].iter().collect();
        let mut next = close + 1;
        let mut slop = 0;
        let mut prefix = false;
        if self.chars.get(next) == Some(&'~') {
            let digits: String = self.chars[next + 1..to]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if let Ok(n) = digits.parse::<u32>() {
                slop = n.min(100);
                next += 1 + digits.chars().count();
            }
        } else if next < to && self.chars[next] == '*' {
            prefix = true;
            next += 1;
        }
        let (boost, next) = self.boost_after(next, to);
        if text.trim().is_empty() {
            return (None, next);
        }
        let words = Words {
            text,
            target,
            quoted: true,
            slop,
            prefix,
            boost,
        };
        (Some(Operand::Node(Node::Words(words))), next)
    }

    /// `^2` right after an operand.
    fn boost_after(&self, at: usize, to: usize) -> (Option<f32>, usize) {
        if at >= to || self.chars[at] != '^' {
            return (None, at);
        }
        let number: String = self.chars[at + 1..to]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == '.')
            .collect();
        match number.parse::<f32>() {
            Ok(b) if b.is_finite() => (Some(b.min(100.0)), at + 1 + number.chars().count()),
            _ => (None, at),
        }
    }

    /// One unquoted word with its `*` and `^N`.
    fn word(&mut self, word: &str, target: Target) -> Words {
        let (word, boost) = match word.rsplit_once('^') {
            Some((w, b)) if !w.is_empty() => match b.parse::<f32>() {
                Ok(b) if b.is_finite() && b >= 0.0 => (w, Some(b.min(100.0))),
                _ => (word, None),
            },
            _ => (word, None),
        };
        let mut words = plain(word, target);
        words.boost = boost;
        if let Some(stem) = word.strip_suffix('*') {
            let letters = stem.chars().filter(|c| c.is_alphanumeric()).count();
            if letters >= 2 && !stem.ends_with('*') {
                words.text = stem.to_string();
                words.prefix = true;
            } else if letters > 0 {
                self.note(format!("{word} (a prefix needs two letters before the *)"));
            }
        }
        words
    }
}

/// A parsed operand or a connector word.
enum Operand {
    Node(Node),
    Connector(Connector, String),
}

impl Words {
    /// Exactly these words, in this order, as in quotes: how a thesaurus
    /// entry is searched (no compound parts or close spellings of it).
    pub fn exact(text: &str, target: Target) -> Words {
        Words {
            quoted: true,
            ..plain(text, target)
        }
    }
}

fn plain(text: &str, target: Target) -> Words {
    Words {
        text: text.to_string(),
        target,
        quoted: false,
        slop: 0,
        prefix: false,
        boost: None,
    }
}

fn is_field(name: &str) -> bool {
    matches!(name, "title" | "text" | "source" | "date")
}

/// `Entwickler:innen`: a gender form, not a field.
fn is_gender_colon(word: &str) -> bool {
    word.split_once(':').is_some_and(|(_, rest)| {
        let rest = rest.trim_end_matches(|c: char| !c.is_alphanumeric());
        rest == "innen" || rest == "in"
    })
}

/// The value of `date:`, with the date forms of `--since`/`--until`
/// (`2025-03-01`, `01.03.2025`, `2025-03`, `2025`): a date alone (that
/// day, month or year), `[a TO b]` (inclusive),
/// `{a TO b}` (exclusive), `*` for an open end, or `>`, `>=`, `<`, `<=`
/// before a date.
pub fn parse_date_value(text: &str) -> Result<(DateBound, DateBound), String> {
    use crate::article::date;
    let reason: std::cell::RefCell<Option<String>> = std::cell::RefCell::new(None);
    let day = |s: &str| match date::parse_period(s) {
        Ok(p) => Some(p),
        Err(e) => {
            reason.borrow_mut().get_or_insert(e.to_string());
            None
        }
    };
    let value = (|| -> Option<(DateBound, DateBound)> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix(">=") {
            return Some((DateBound::Inclusive(day(rest)?.start), DateBound::Open));
        }
        if let Some(rest) = text.strip_prefix("<=") {
            let d = day(rest)?;
            return Some((DateBound::Open, DateBound::Inclusive(d.end)));
        }
        if let Some(rest) = text.strip_prefix('>') {
            let d = day(rest)?;
            return Some((DateBound::Inclusive(d.end), DateBound::Open));
        }
        if let Some(rest) = text.strip_prefix('<') {
            return Some((DateBound::Open, DateBound::Exclusive(day(rest)?.start)));
        }
        let open = text.chars().next()?;
        if open == '[' || open == '{' {
            let close = text.chars().last()?;
            if !(close == ']' || close == '}') || text.len() < 2 {
                return None;
            }
            let inner = &text[1..text.len() - 1];
            let (a, b) = inner.split_once(" TO ")?;
            let (a, b) = (a.trim(), b.trim());
            let lower = match a {
                "*" | "" => DateBound::Open,
                a if open == '[' => DateBound::Inclusive(day(a)?.start),
                a => DateBound::Inclusive(day(a)?.end),
            };
            let upper = match b {
                "*" | "" => DateBound::Open,
                b if close == ']' => DateBound::Inclusive(day(b)?.end),
                b => DateBound::Exclusive(day(b)?.start),
            };
            if lower == DateBound::Open && upper == DateBound::Open {
                return None;
            }
            return Some((lower, upper));
        }
        let d = day(text)?;
        Some((DateBound::Inclusive(d.start), DateBound::Inclusive(d.end)))
    })();
    value.ok_or_else(|| {
        reason.into_inner().unwrap_or_else(|| {
            "not a date; write date:2025-03-01 or date:[2025-01-01 TO 2025-03-31]".into()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(parsed: &Parsed) -> Vec<String> {
        fn walk(clauses: &[Clause], out: &mut Vec<String>) {
            for c in clauses {
                match &c.node {
                    Node::Words(w) => out.push(w.text.clone()),
                    Node::Group(g) => walk(g, out),
                    Node::Source(s) => out.push(format!("source={s}")),
                    Node::Date { .. } => out.push("date".into()),
                }
            }
        }
        let mut out = Vec::new();
        walk(&parsed.clauses, &mut out);
        out
    }

    #[test]
    fn headline_colons_are_words() {
        let p = parse("Florida: Notlandung auf dreispuriger Straße");
        assert_eq!(
            words(&p),
            ["Florida:", "Notlandung", "auf", "dreispuriger", "Straße"]
        );
        assert_eq!(p.notes, ["Florida: (not a field)"]);
        assert!(parse("Entwickler:innen").notes.is_empty());
        assert!(parse("um 4:51 Uhr").notes.is_empty());
    }

    #[test]
    fn unbalanced_quotes_and_parentheses_are_text() {
        let p = parse("KI (künstliche Intelligenz");
        assert_eq!(words(&p), ["KI", "(künstliche", "Intelligenz"]);
        assert_eq!(p.notes, ["an unbalanced parenthesis"]);
        let p = parse("Was kostet \"GPT-4");
        assert_eq!(words(&p), ["Was", "kostet", "\"GPT-4"]);
        assert_eq!(p.notes, ["an unclosed quotation mark"]);
    }

    #[test]
    fn connectors_need_two_operands() {
        assert!(parse("AND").clauses.is_empty());
        let p = parse("a AND b");
        assert!(p.clauses.iter().all(|c| c.occur == Occur::Must));
        let p = parse("a NOT b");
        assert_eq!(p.clauses[1].occur, Occur::MustNot);
        let p = parse("a b OR c");
        assert_eq!(p.clauses.len(), 2);
        assert!(matches!(p.clauses[0].node, Node::Group(_)));
        let p = parse("nicht nötig - Discovery landet");
        assert_eq!(words(&p), ["nicht", "nötig", "-", "Discovery", "landet"]);
    }

    #[test]
    fn operators() {
        let p = parse("+KI -\"Open Source\" title:Chip source:\"Der Standard\" Sicher*");
        assert_eq!(p.clauses[0].occur, Occur::Must);
        assert_eq!(p.clauses[1].occur, Occur::MustNot);
        assert!(matches!(&p.clauses[1].node, Node::Words(w) if w.quoted));
        assert!(matches!(&p.clauses[2].node, Node::Words(w) if w.target == Target::Title));
        assert_eq!(p.clauses[3].node, Node::Source("Der Standard".into()));
        assert!(matches!(&p.clauses[4].node, Node::Words(w) if w.prefix && w.text == "Sicher"));
        let p = parse("Google date:[2010-01-01 TO 2012-12-31]");
        assert!(matches!(p.clauses[1].node, Node::Date { .. }));
        let p = parse("date:gestern KI");
        assert_eq!(words(&p), ["date gestern", "KI"]);
        assert_eq!(p.notes.len(), 1);
    }

    #[test]
    fn deep_nesting_is_text() {
        let deep = format!("{}KI{}", "(".repeat(10_000), ")".repeat(10_000));
        let p = parse(&deep);
        assert!(p.notes.iter().any(|n| n.contains("deeper")));
        let shallow = format!("{}KI{}", "(".repeat(5), ")".repeat(5));
        assert_eq!(words(&parse(&shallow)), ["KI"]);
    }
}
