//! Splits an article body into passages: the units lupe ranks and shows.
//!
//! A passage is a paragraph, or several short paragraphs, or a slice of a
//! long paragraph cut at sentence ends. Paragraphs are separated by blank
//! lines. German abbreviations ("z. B.", "Dr.", "u. a.") and ordinals
//! ("am 3. März") never end a sentence.

/// Paragraphs shorter than this (in characters) are merged with the next one:
/// a one-line quote or sub-headline is not worth a hit of its own.
pub const MIN_PASSAGE_CHARS: usize = 200;

/// Paragraphs longer than this are cut at sentence ends: a hit should fit on
/// a screen, and BM25 favours short documents less than it punishes long ones.
pub const MAX_PASSAGE_CHARS: usize = 1000;

/// One passage of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// 0-based position of the passage in its article.
    pub ordinal: u32,
    /// The passage text; merged paragraphs are joined by a blank line.
    pub text: String,
}

/// Abbreviations that end in a period inside a German sentence. Compared
/// case-sensitively with the word before the period.
const ABBREVIATIONS: &[&str] = &[
    "Abb", "Abs", "Abt", "allg", "Anm", "Art", "Aufl", "Bd", "bes", "Best", "Bsp", "bspw", "bzgl",
    "bzw", "ca", "Chr", "Co", "dgl", "Dipl", "Dir", "Dr", "dt", "ebd", "Ed", "eigtl", "entspr",
    "erg", "etc", "evtl", "exkl", "ff", "Fr", "gem", "geb", "gegr", "ggf", "ggü", "Hbf", "Hr",
    "Hrsg", "i", "Inc", "inkl", "insb", "Ing", "Jh", "Jhd", "jun", "Kap", "kath", "Kfz", "lt",
    "Ltd", "max", "Mio", "Mrd", "Mr", "Mrs", "Ms", "min", "Mag", "mind", "Nr", "od", "o", "Prof",
    "Proz", "rd", "Red", "resp", "s", "sen", "sog", "St", "Std", "Str", "Tab", "Tel", "tgl", "u",
    "usw", "v", "Verf", "vgl", "vs", "z", "zB", "Ziff", "zit", "zzgl", "zz", "zzt", "Jan", "Feb",
    "Mär", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Okt", "Nov", "Dez", "Febr", "med", "phil",
    "rer", "nat", "jur", "habil", "oec", "pol", "Fa", "Abg", "Min", "Jg", "Jgg", "Hg", "Gebr",
    "Univ", "Verw", "Vors", "Ges", "MwSt", "Mwst", "ugs", "urspr", "zw", "Pkt", "Präs", "Reg",
    "Bhf", "Mod", "Nachf", "Pf", "Zt", "zt",
];

/// Splits `body` into passages.
pub fn split(body: &str) -> Vec<Passage> {
    let mut units: Vec<String> = Vec::new();
    for paragraph in paragraphs(body) {
        if paragraph.chars().count() <= MAX_PASSAGE_CHARS {
            units.push(paragraph.to_string());
        } else {
            units.extend(pack_sentences(paragraph));
        }
    }
    let mut passages: Vec<String> = Vec::new();
    let mut buffer = String::new();
    for unit in units {
        if !buffer.is_empty() {
            buffer.push_str("\n\n");
        }
        buffer.push_str(&unit);
        if buffer.chars().count() >= MIN_PASSAGE_CHARS {
            passages.push(std::mem::take(&mut buffer));
        }
    }
    if !buffer.is_empty() {
        // A short tail belongs to the passage before it, if there is one.
        match passages.last_mut() {
            Some(last) => {
                last.push_str("\n\n");
                last.push_str(&buffer);
            }
            None => passages.push(buffer),
        }
    }
    passages
        .into_iter()
        .enumerate()
        .map(|(i, text)| Passage {
            ordinal: i as u32,
            text,
        })
        .collect()
}

/// Non-empty, trimmed paragraphs (separated by lines holding only whitespace).
fn paragraphs(body: &str) -> impl Iterator<Item = &str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(body[s..end].trim());
            }
        } else {
            if start.is_none() {
                start = Some(offset);
            }
            end = offset + line.len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.push(body[s..end].trim());
    }
    out.into_iter().filter(|p| !p.is_empty())
}

/// Byte offsets where sentences end (just after the terminal punctuation and
/// any closing quotes), not counting the end of the text.
pub fn sentence_ends(text: &str) -> Vec<usize> {
    // Walks the bytes of the text (no copy of its characters: a 50 MB
    // paragraph must not cost 800 MB).
    let is_terminal = |c: char| matches!(c, '.' | '!' | '?' | '…');
    let is_closing = |c: char| {
        matches!(
            c,
            '"' | '“' | '”' | '«' | '»' | '‹' | '›' | '\'' | '’' | ')' | ']'
        )
    };
    let mut ends = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !is_terminal(c) {
            continue;
        }
        // Include runs like "?!" or "..." and closing quotes/brackets.
        let mut single = true;
        while chars.next_if(|&(_, c)| is_terminal(c)).is_some() {
            single = false;
        }
        while chars.next_if(|&(_, c)| is_closing(c)).is_some() {
            single = false;
        }
        let Some(&(end, next)) = chars.peek() else {
            break;
        };
        if next.is_whitespace()
            && starts_sentence(&text[end..])
            && !(c == '.' && single && is_abbreviation_or_ordinal(text, at))
        {
            ends.push(end);
        }
    }
    ends
}

/// After whitespace, does a new sentence begin (capital, digit or quote)?
fn starts_sentence(rest: &str) -> bool {
    rest.chars().find(|c| !c.is_whitespace()).is_some_and(|c| {
        c.is_uppercase() || c.is_numeric() || matches!(c, '"' | '„' | '“' | '»' | '«' | '(' | '\'')
    })
}

/// Is the word before the period at `dot` an abbreviation, an initial or an
/// ordinal number?
fn is_abbreviation_or_ordinal(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    if word.chars().all(|c| c.is_ascii_digit()) {
        return word.len() <= 4; // "3. März", "20. Jahrhundert", "2025." is rare mid-text
    }
    if word.chars().count() == 1 {
        return true; // initials and "z. B.", "u. a.", "d. h."
    }
    ABBREVIATIONS.contains(&word)
}

/// Packs the sentences of a long paragraph into slices of at most
/// [`MAX_PASSAGE_CHARS`], cutting a single overlong sentence at spaces.
fn pack_sentences(paragraph: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut start = 0;
    for end in sentence_ends(paragraph) {
        sentences.push(paragraph[start..end].trim());
        start = end;
    }
    sentences.push(paragraph[start..].trim());
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    for sentence in sentences.into_iter().filter(|s| !s.is_empty()) {
        for piece in cut_at_spaces(sentence, MAX_PASSAGE_CHARS) {
            let n = piece.chars().count();
            if current_chars > 0 && current_chars + 1 + n > MAX_PASSAGE_CHARS {
                out.push(std::mem::take(&mut current));
                current_chars = 0;
            }
            if current_chars > 0 {
                current.push(' ');
                current_chars += 1;
            }
            current.push_str(piece);
            current_chars += n;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Cuts `s` into pieces of at most `max` characters at whitespace (or
/// anywhere, for a "word" longer than `max`).
fn cut_at_spaces(s: &str, max: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = s.trim();
    // Only the next `max` characters are looked at per piece: counting the
    // whole rest each time made a 50 MB paragraph quadratic.
    while let Some((limit, _)) = rest.char_indices().nth(max) {
        let cut = rest[..limit]
            .rfind(char::is_whitespace)
            .filter(|&i| i > 0)
            .unwrap_or(limit);
        pieces.push(rest[..cut].trim_end());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        for end in sentence_ends(text) {
            out.push(text[start..end].trim());
            start = end;
        }
        out.push(text[start..].trim());
        out
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text = "Das gilt z. B. für Dr. Meier und u. a. für Prof. Schulz. Am 3. März 2025 kam \
                    die Wende. Die Firma Nr. 5 (ca. 300 Leute) wuchs. Warum? Weil es ging!";
        assert_eq!(
            sentences(text),
            vec![
                "Das gilt z. B. für Dr. Meier und u. a. für Prof. Schulz.",
                "Am 3. März 2025 kam die Wende.",
                "Die Firma Nr. 5 (ca. 300 Leute) wuchs.",
                "Warum?",
                "Weil es ging!"
            ]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("Er sagte: „Das ist gut.“ Dann ging er."),
            vec!["Er sagte: „Das ist gut.“", "Dann ging er."]
        );
    }

    #[test]
    fn lowercase_after_period_is_no_sentence_end() {
        assert_eq!(
            sentences("Version 2.0 ist da. und so."),
            vec!["Version 2.0 ist da. und so."]
        );
    }

    #[test]
    fn short_paragraphs_merge_forward_and_tail_merges_back() {
        let long = "x".repeat(250);
        let body = format!("Kurz.\n\n{long}\n\n{long}\n\nEnde.");
        let p = split(&body);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].text, format!("Kurz.\n\n{long}"));
        assert_eq!(p[1].text, format!("{long}\n\nEnde."));
        assert_eq!((p[0].ordinal, p[1].ordinal), (0, 1));
    }

    #[test]
    fn long_paragraphs_split_at_sentences() {
        let sentence = "Dies ist ein Satz mit z. B. einer Abkürzung und etwas Text dazu. ";
        let paragraph = sentence.repeat(40);
        let p = split(&paragraph);
        assert!(p.len() >= 3);
        for passage in &p {
            assert!(passage.text.chars().count() <= MAX_PASSAGE_CHARS);
            assert!(passage.text.ends_with("dazu."), "{}", passage.text);
        }
    }

    #[test]
    fn overlong_word_is_cut() {
        let word = "a".repeat(2500);
        let p = split(&word);
        assert_eq!(p.len(), 3);
        assert_eq!(p.iter().map(|p| p.text.len()).sum::<usize>(), 2500);
    }

    #[test]
    fn whitespace_only_lines_separate_paragraphs() {
        let a = "a".repeat(300);
        let b = "b".repeat(300);
        let p = split(&format!("  {a}\n \t \n{b}\n"));
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].text, a);
    }

    mod properties {
        //! In-process property tests over thousands of bodies.

        use proptest::prelude::*;

        use super::super::*;

        /// Bodies built from German sentences with abbreviations, ordinals,
        /// quotes, paragraph breaks, overlong words and arbitrary Unicode.
        fn body() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                6 => prop::sample::select(vec![
                    "Die Forscherinnen veröffentlichten am 3. März ihre Ergebnisse.",
                    "Das gilt z. B. für Dr. Meier und u. a. für Prof. Schulz.",
                    "„Das ist gut.“",
                    "Warum?",
                    "Version 2.0 ist da. und so.",
                    "Sicherheitslücken in Open-Source-Software",
                    "Ein sehr langer Satz ohne Ende und ohne Punkt der einfach weiterläuft",
                    " ",
                    "\n",
                    "\n\n",
                    " \t \n",
                    "\r\n",
                ])
                .prop_map(str::to_string),
                1 => "[a-zäöüß]{100,1200}",
                1 => "\\PC{0,40}",
                1 => any::<String>().prop_map(|s| s.chars().take(40).collect()),
            ];
            prop::collection::vec(piece, 0..50).prop_map(|p| p.join(" "))
        }

        fn non_space(text: &str) -> String {
            text.chars().filter(|c| !c.is_whitespace()).collect()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]

            #[test]
            fn passages_keep_every_character_in_order(body in body()) {
                let passages = split(&body);
                let joined: String = passages.iter().map(|p| non_space(&p.text)).collect();
                prop_assert_eq!(joined, non_space(&body));
            }

            #[test]
            fn passages_are_numbered_trimmed_and_bounded(body in body()) {
                let passages = split(&body);
                prop_assert_eq!(passages.is_empty(), body.trim().is_empty());
                for (i, p) in passages.iter().enumerate() {
                    prop_assert_eq!(p.ordinal as usize, i);
                    prop_assert!(!p.text.trim().is_empty());
                    prop_assert_eq!(p.text.trim(), p.text.as_str());
                    let chars = p.text.chars().count();
                    // At most a full unit, the short paragraphs before it and a
                    // short tail after it, with the blank lines joining them.
                    prop_assert!(chars <= MAX_PASSAGE_CHARS + 2 * MIN_PASSAGE_CHARS + 4, "{chars}");
                    if passages.len() > 1 {
                        prop_assert!(chars >= MIN_PASSAGE_CHARS, "{chars}: {:?}", p.text);
                    }
                }
            }

            #[test]
            fn sentence_ends_are_increasing_inner_boundaries(body in body()) {
                let ends = sentence_ends(&body);
                let mut last = 0;
                for &end in &ends {
                    prop_assert!(end > last && end < body.len().max(1), "{ends:?}");
                    prop_assert!(body.is_char_boundary(end));
                    last = end;
                }
            }
        }
    }
}
