//! Plugs the [`Analyzer`](super::Analyzer) into tantivy's tokenizer manager.
//!
//! tantivy clones a tokenizer for every segment it writes; clones are cheap
//! (the word cache lives per thread, see `Analyzer`).

use tantivy::tokenizer::{
    PreTokenizedString, TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager,
};

use super::{
    Analyzer, GERMAN_PARTS_TOKENIZER, GERMAN_TOKENIZER, GERMAN_WORDS_TOKENIZER, KEYWORD_TOKENIZER,
    Kind, Rule, Side, TokenRef,
};

/// Which of the analyzer's terms a tokenizer passes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Select {
    /// Every term (the title).
    All,
    /// All but compound parts (the passage text).
    Words,
    /// Only compound parts (the passage's parts field).
    Parts,
}

impl Select {
    fn keeps(self, rule: Rule) -> bool {
        match self {
            Select::All => true,
            Select::Words => rule != Rule::CompoundPart,
            Select::Parts => rule == Rule::CompoundPart,
        }
    }
}

/// The index-side analyzer as a tantivy [`Tokenizer`].
pub struct IndexTokenizer {
    analyzer: Analyzer,
    select: Select,
    tokens: Vec<Token>,
}

impl IndexTokenizer {
    /// A tokenizer running the index side of `kind`, passing on the terms
    /// `select` keeps.
    pub fn new(kind: Kind, select: Select) -> Self {
        IndexTokenizer {
            analyzer: Analyzer::new(Side::Index, kind),
            select,
            tokens: Vec::new(),
        }
    }
}

impl Clone for IndexTokenizer {
    fn clone(&self) -> Self {
        IndexTokenizer {
            analyzer: self.analyzer.clone(),
            select: self.select,
            tokens: Vec::new(),
        }
    }
}

/// Tokens of one text, produced eagerly into a reused buffer.
pub struct BufferedTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for IndexTokenizer {
    type TokenStream<'a> = BufferedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufferedTokenStream<'a> {
        let tokens = &mut self.tokens;
        let mut len = 0;
        let select = self.select;
        self.analyzer.for_each_token(text, |t| {
            if !select.keeps(t.rule) {
                return;
            }
            if len == tokens.len() {
                tokens.push(Token::default());
            }
            fill(&mut tokens[len], &t, 0);
            len += 1;
        });
        BufferedTokenStream {
            tokens: &mut self.tokens[..len],
            next: 0,
        }
    }
}

/// `slot` as tantivy's token for `t`, its position moved by `shift`.
fn fill(slot: &mut Token, t: &TokenRef<'_>, shift: usize) {
    slot.offset_from = t.from;
    slot.offset_to = t.to;
    slot.position = t.position as usize + shift;
    slot.position_length = 1;
    slot.text.clear();
    slot.text.push_str(t.term);
}

/// `text` as the tokenizers of `selects` emit it, from one analysis, at
/// positions from `first_position` on: for a text indexed into several
/// fields at once (a passage's title, in its `text` and `parts` fields).
pub fn pre_tokenized<const N: usize>(
    analyzer: &mut Analyzer,
    text: &str,
    selects: [Select; N],
    first_position: usize,
) -> [PreTokenizedString; N] {
    let mut out: [PreTokenizedString; N] = std::array::from_fn(|_| PreTokenizedString {
        text: text.to_string(),
        tokens: Vec::new(),
    });
    analyzer.for_each_token(text, |t| {
        for (select, pre) in selects.iter().zip(&mut out) {
            if select.keeps(t.rule) {
                let mut token = Token::default();
                fill(&mut token, &t, first_position);
                pre.tokens.push(token);
            }
        }
    });
    out
}

impl TokenStream for BufferedTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The whole text as one [`super::keyword`] term (for `source`).
#[derive(Clone, Default)]
pub struct KeywordTokenizer {
    token: [Token; 1],
}

impl Tokenizer for KeywordTokenizer {
    type TokenStream<'a> = BufferedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufferedTokenStream<'a> {
        let token = &mut self.token[0];
        token.offset_from = 0;
        token.offset_to = text.len();
        token.position = 0;
        token.position_length = 1;
        token.text = super::keyword(text);
        let len = usize::from(!token.text.is_empty());
        BufferedTokenStream {
            tokens: &mut self.token[..len],
            next: 0,
        }
    }
}

/// Registers lupe's analyzers under their names. Must run after every
/// `Index::open`/`create`: tantivy stores only the names.
pub fn register(manager: &TokenizerManager, kind: Kind) {
    for (name, select) in [
        (GERMAN_TOKENIZER, Select::All),
        (GERMAN_WORDS_TOKENIZER, Select::Words),
        (GERMAN_PARTS_TOKENIZER, Select::Parts),
    ] {
        manager.register(name, TextAnalyzer::from(IndexTokenizer::new(kind, select)));
    }
    manager.register(
        KEYWORD_TOKENIZER,
        TextAnalyzer::from(KeywordTokenizer::default()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_matches_analyzer() {
        let text = "Sicherheitslücken in Open-Source-Modellen";
        let mut tok = IndexTokenizer::new(Kind::German, Select::All);
        let mut got = Vec::new();
        let mut stream = tok.token_stream(text);
        while let Some(t) = stream.next() {
            got.push((t.text.clone(), t.position));
        }
        let want: Vec<_> = Analyzer::index()
            .tokens(text)
            .into_iter()
            .map(|t| (t.term, t.position as usize))
            .collect();
        assert_eq!(got, want);
        // A second, shorter text reuses the buffer without leaking old tokens.
        let mut stream = tok.token_stream("KI");
        assert_eq!(stream.next().map(|t| t.text.clone()), Some("ki".into()));
        assert_eq!(stream.next().map(|t| t.text.clone()), Some("KI".into()));
        assert!(stream.next().is_none());
    }

    #[test]
    fn pre_tokenized_is_what_the_tokenizers_emit_shifted() {
        let text = "Die Sicherheitslücke im KI-Rechenzentrum";
        let mut analyzer = Analyzer::new(Side::Index, Kind::German);
        let [words, parts] =
            pre_tokenized(&mut analyzer, text, [Select::Words, Select::Parts], 100);
        for (select, pre) in [(Select::Words, words), (Select::Parts, parts)] {
            let mut tok = IndexTokenizer::new(Kind::German, select);
            let mut expected = Vec::new();
            let mut stream = tok.token_stream(text);
            while let Some(t) = stream.next() {
                let mut t = t.clone();
                t.position += 100;
                expected.push(t);
            }
            assert!(!expected.is_empty());
            assert_eq!(pre.tokens, expected, "{select:?}");
            assert_eq!(pre.text, text);
        }
    }

    #[test]
    fn words_and_parts_split_the_terms_at_the_same_positions() {
        let text = "Die Sicherheitslücke im Rechenzentrum";
        let run = |select| {
            let mut tok = IndexTokenizer::new(Kind::German, select);
            let mut got = Vec::new();
            let mut stream = tok.token_stream(text);
            while let Some(t) = stream.next() {
                got.push((t.text.clone(), t.position));
            }
            got
        };
        let all = run(Select::All);
        let words = run(Select::Words);
        let parts = run(Select::Parts);
        assert!(words.contains(&("sicherheitsluck".into(), 1)), "{words:?}");
        assert!(parts.contains(&("sicherheit".into(), 1)), "{parts:?}");
        assert!(parts.contains(&("luck".into(), 1)), "{parts:?}");
        assert!(!words.iter().any(|w| parts.contains(w)));
        let mut both: Vec<_> = words.into_iter().chain(parts).collect();
        let mut all = all;
        both.sort();
        all.sort();
        assert_eq!(both, all);
    }
}
