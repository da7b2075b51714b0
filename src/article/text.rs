//! Plain-text articles: the first non-empty line is the title, the rest is
//! the body.

use super::RawArticle;

/// Parses a plain-text article.
pub(crate) fn parse(text: &str) -> RawArticle {
    let mut lines = text.lines();
    let title = lines.by_ref().map(str::trim).find(|l| !l.is_empty());
    let body: Vec<&str> = lines.collect();
    RawArticle {
        title: title.map(str::to_string),
        body: Some(body.join("\n")),
        ..RawArticle::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_then_body() {
        let raw = parse("\n\n  Titel  \n\nAbsatz eins.\n\nAbsatz zwei.\n");
        assert_eq!(raw.title.as_deref(), Some("Titel"));
        assert_eq!(raw.body.as_deref(), Some("\nAbsatz eins.\n\nAbsatz zwei."));
    }

    #[test]
    fn title_only_has_empty_body() {
        let raw = parse("Nur ein Titel\n");
        assert_eq!(raw.body.as_deref(), Some(""));
    }
}
