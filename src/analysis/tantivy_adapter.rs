//! Plugs the [`Analyzer`](super::Analyzer) into tantivy's tokenizer manager.
//!
//! tantivy clones a tokenizer for every segment it writes; clones are cheap
//! (the word cache lives per thread, see `Analyzer`).

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

use super::{Analyzer, GERMAN_TOKENIZER, KEYWORD_TOKENIZER, Kind, Side};

/// The index-side analyzer as a tantivy [`Tokenizer`].
pub struct IndexTokenizer {
    analyzer: Analyzer,
    tokens: Vec<Token>,
}

impl IndexTokenizer {
    /// A tokenizer running the index side of `kind`.
    pub fn new(kind: Kind) -> Self {
        IndexTokenizer {
            analyzer: Analyzer::new(Side::Index, kind),
            tokens: Vec::new(),
        }
    }
}

impl Clone for IndexTokenizer {
    fn clone(&self) -> Self {
        IndexTokenizer {
            analyzer: self.analyzer.clone(),
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
        self.analyzer.for_each_token(text, |t| {
            if len == tokens.len() {
                tokens.push(Token::default());
            }
            let slot = &mut tokens[len];
            slot.offset_from = t.from;
            slot.offset_to = t.to;
            slot.position = t.position as usize;
            slot.position_length = 1;
            slot.text.clear();
            slot.text.push_str(t.term);
            len += 1;
        });
        BufferedTokenStream {
            tokens: &mut self.tokens[..len],
            next: 0,
        }
    }
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
    manager.register(
        GERMAN_TOKENIZER,
        TextAnalyzer::from(IndexTokenizer::new(kind)),
    );
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
        let mut tok = IndexTokenizer::new(Kind::German);
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
}
