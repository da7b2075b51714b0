//! Markdown articles: optional YAML front matter, then Markdown rendered to
//! plain paragraphs (markup is not indexed; link texts are, URLs are not).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use yaml_rust2::Event as YamlEvent;
use yaml_rust2::{Yaml, YamlLoader};

use super::{ArticleError, RawArticle};

/// Front matter longer than this is refused: a handful of `key: value`
/// lines never comes near it, and YAML parsing is not bounded otherwise.
pub const MAX_FRONT_MATTER: usize = 64 << 10;

/// Splits `---\n…\n---` front matter from the rest.
fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return (None, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return (Some(&rest[..offset]), &rest[offset + line.len()..]);
        }
        offset += line.len();
    }
    // An opening fence without a closing one is not front matter.
    (None, text)
}

fn scalar(y: &Yaml, field: &'static str) -> Result<Option<String>, ArticleError> {
    match y {
        Yaml::BadValue | Yaml::Null => Ok(None),
        Yaml::String(s) | Yaml::Real(s) => Ok(Some(s.clone())),
        Yaml::Integer(i) => Ok(Some(i.to_string())),
        Yaml::Boolean(b) => Ok(Some(b.to_string())),
        Yaml::Array(_) | Yaml::Hash(_) | Yaml::Alias(_) => Err(ArticleError::WrongType {
            field,
            found: "a list or mapping",
        }),
    }
}

/// Refuses front matter that YAML could blow up: more than
/// [`MAX_FRONT_MATTER`] bytes, or aliases (`*name`), which the loader
/// expands by copying, so nine nested ones in 384 bytes grow to gigabytes
/// ("billion laughs"). An article's fields are plain strings; no front
/// matter of lupe's needs an alias.
fn refuse_bombs(yaml: &str) -> Result<(), ArticleError> {
    if yaml.len() > MAX_FRONT_MATTER {
        return Err(ArticleError::FrontMatter(format!(
            "the front matter is longer than {} KiB",
            MAX_FRONT_MATTER >> 10
        )));
    }
    let mut parser = yaml_rust2::parser::Parser::new_from_str(yaml);
    loop {
        match parser.next_token() {
            Ok((YamlEvent::Alias(_), mark)) => {
                return Err(ArticleError::FrontMatter(format!(
                    "YAML aliases (`*name`) are not allowed in front matter (line {})",
                    mark.line() + 1
                )));
            }
            Ok((YamlEvent::StreamEnd, _)) => return Ok(()),
            Ok(_) => {}
            // The loader reports syntax errors with their place.
            Err(_) => return Ok(()),
        }
    }
}

fn parse_front_matter(yaml: &str, raw: &mut RawArticle) -> Result<(), ArticleError> {
    refuse_bombs(yaml)?;
    let docs =
        YamlLoader::load_from_str(yaml).map_err(|e| ArticleError::FrontMatter(e.to_string()))?;
    let Some(doc) = docs.into_iter().next() else {
        return Ok(());
    };
    if matches!(doc, Yaml::Null) {
        return Ok(());
    }
    if !matches!(doc, Yaml::Hash(_)) {
        return Err(ArticleError::FrontMatter(
            "expected `key: value` lines".into(),
        ));
    }
    let get = |key: &'static str| scalar(&doc[key], key);
    raw.id = get("id")?;
    raw.title = get("title")?;
    raw.date = get("date")?;
    raw.source = get("source")?;
    raw.url = get("url")?;
    Ok(())
}

/// Renders Markdown to paragraphs of plain text separated by blank lines.
/// Returns the text of the first level-1 heading separately when `take_title`
/// is set (it then does not appear in the body).
fn render(markdown: &str, take_title: bool) -> (Option<String>, String) {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut title = None;
    let mut in_title = false;
    let mut list_depth = 0usize;
    let mut skip_depth = 0usize; // inside images and HTML blocks
    let flush = |current: &mut String, blocks: &mut Vec<String>| {
        let block = current.trim();
        if !block.is_empty() {
            blocks.push(block.to_string());
        }
        current.clear();
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Image { .. } | Tag::HtmlBlock) => skip_depth += 1,
            Event::End(TagEnd::Image | TagEnd::HtmlBlock) => {
                skip_depth = skip_depth.saturating_sub(1)
            }
            _ if skip_depth > 0 => {}
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut current, &mut blocks);
                in_title =
                    take_title && title.is_none() && level == pulldown_cmark::HeadingLevel::H1;
            }
            Event::End(TagEnd::Heading(_)) => {
                if in_title {
                    title = Some(current.trim().to_string());
                    current.clear();
                    in_title = false;
                } else {
                    flush(&mut current, &mut blocks);
                }
            }
            Event::Start(Tag::List(_)) => {
                if list_depth == 0 {
                    flush(&mut current, &mut blocks);
                }
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                if list_depth == 0 {
                    flush(&mut current, &mut blocks);
                }
            }
            Event::End(TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead) => {
                let trimmed = current.trim_end().len();
                current.truncate(trimmed);
                current.push('\n');
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::BlockQuote(_) | TagEnd::Table,
            ) => {
                if list_depth > 0 {
                    current.push('\n');
                } else {
                    flush(&mut current, &mut blocks);
                }
            }
            Event::End(TagEnd::TableCell) => current.push(' '),
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak => current.push(' '),
            Event::HardBreak => current.push('\n'),
            _ => {}
        }
    }
    flush(&mut current, &mut blocks);
    (title.filter(|t| !t.is_empty()), blocks.join("\n\n"))
}

/// Parses a Markdown article.
pub(crate) fn parse(text: &str) -> Result<RawArticle, ArticleError> {
    let (front, markdown) = split_front_matter(text);
    let mut raw = RawArticle::default();
    if let Some(yaml) = front {
        parse_front_matter(yaml, &mut raw)?;
    }
    let (heading, body) = render(markdown, raw.title.is_none());
    if raw.title.is_none() {
        raw.title = heading;
    }
    raw.body = Some(body);
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_markup() {
        let md = "---\nid: md-1\ntitle: \"Titel: mit Doppelpunkt\"\ndate: 2025-02-02\ntags: [a, b]\n---\n\n\
                  Erster **fetter** Absatz mit [Link](https://x.example).\n\n## Zwischentitel\n\n\
                  - eins\n- zwei\n\n![Bild](b.png)\n\n<div>html</div>\n";
        let raw = parse(md).unwrap();
        assert_eq!(raw.id.as_deref(), Some("md-1"));
        assert_eq!(raw.title.as_deref(), Some("Titel: mit Doppelpunkt"));
        assert_eq!(raw.date.as_deref(), Some("2025-02-02"));
        assert_eq!(
            raw.body.as_deref(),
            Some("Erster fetter Absatz mit Link.\n\nZwischentitel\n\neins\nzwei")
        );
    }

    #[test]
    fn first_heading_is_the_title_when_none_given() {
        let raw = parse("# Die Überschrift\n\nText hier.\n\n# Noch eine\n").unwrap();
        assert_eq!(raw.title.as_deref(), Some("Die Überschrift"));
        assert_eq!(raw.body.as_deref(), Some("Text hier.\n\nNoch eine"));
    }

    #[test]
    fn title_in_front_matter_keeps_heading_in_body() {
        let raw = parse("---\ntitle: T\n---\n# H\n\nText\n").unwrap();
        assert_eq!(raw.title.as_deref(), Some("T"));
        assert_eq!(raw.body.as_deref(), Some("H\n\nText"));
    }

    #[test]
    fn broken_front_matter_is_reported() {
        assert!(matches!(
            parse("---\ntitle: [unclosed\n---\nText\n"),
            Err(ArticleError::FrontMatter(_))
        ));
        assert!(matches!(
            parse("---\ntitle:\n  - a\n---\nText\n"),
            Err(ArticleError::WrongType { field: "title", .. })
        ));
    }

    /// `levels` nested aliases, each repeating the one below nine times.
    fn laughs(levels: usize) -> String {
        let mut yaml = String::from("---\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..levels {
            let below = format!("*l{}", i - 1);
            yaml += &format!("l{i}: &l{i} [{}]\n", vec![below; 9].join(", "));
        }
        yaml + "title: Lachen\n---\nText\n"
    }

    #[test]
    fn aliases_in_front_matter_are_refused_not_expanded() {
        for levels in [2, 4, 9] {
            match parse(&laughs(levels)) {
                Err(ArticleError::FrontMatter(message)) => {
                    assert!(message.contains("alias"), "{message}")
                }
                other => panic!("{levels} levels: {other:?}"),
            }
        }
    }

    #[test]
    fn front_matter_over_the_limit_is_refused() {
        let big = format!("---\ntitle: {}\n---\nText\n", "x".repeat(MAX_FRONT_MATTER));
        match parse(&big) {
            Err(ArticleError::FrontMatter(message)) => {
                assert!(message.contains("KiB"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_closing_fence_is_plain_markdown() {
        let raw = parse("---\nkein Front Matter\n").unwrap();
        assert!(raw.title.is_none());
        assert_eq!(raw.body.as_deref(), Some("kein Front Matter"));
    }
}
