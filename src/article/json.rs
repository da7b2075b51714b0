//! JSON records: one object per JSON Lines line, or a `.json` file holding
//! one object or an array of them.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{ArticleError, RawArticle};

/// The fields lupe reads; anything else in the object is ignored unparsed.
#[derive(Deserialize)]
struct Fields {
    id: Option<Value>,
    title: Option<Value>,
    body: Option<Value>,
    date: Option<Value>,
    source: Option<Value>,
    url: Option<Value>,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn string(v: Option<Value>, field: &'static str) -> Result<Option<String>, ArticleError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(ArticleError::WrongType {
            field,
            found: type_name(&other),
        }),
    }
}

impl TryFrom<Fields> for RawArticle {
    type Error = ArticleError;

    fn try_from(f: Fields) -> Result<Self, ArticleError> {
        Ok(RawArticle {
            id: string(f.id, "id")?,
            title: string(f.title, "title")?,
            body: string(f.body, "body")?,
            date: string(f.date, "date")?,
            source: string(f.source, "source")?,
            url: string(f.url, "url")?,
        })
    }
}

/// Names the JSON type that starts at the first non-blank byte.
fn leading_type(bytes: &[u8]) -> &'static str {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => "a number",
        _ => "something that is not JSON",
    }
}

fn json_error(e: &serde_json::Error) -> ArticleError {
    // serde_json counts lines within the record; the caller reports the
    // file's line, so only the column is worth keeping here.
    ArticleError::Json(e.to_string().replace(" at line 1 column ", " at column "))
}

/// Parses one JSON Lines record.
pub(crate) fn parse_line(line: &[u8]) -> Result<RawArticle, ArticleError> {
    if line.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ArticleError::NotAnObject(leading_type(line)));
    }
    let fields: Fields = serde_json::from_slice(line).map_err(|e| json_error(&e))?;
    fields.try_into()
}

/// Parses a `.json` file: an object, or an array of objects. Returns the
/// records in order; a bad element is an error entry, not the end.
pub(crate) fn parse_document(
    text: &str,
) -> Result<Vec<Result<RawArticle, ArticleError>>, ArticleError> {
    // Elements are kept as raw text and parsed one by one, so one bad (or
    // deeply nested) element rejects only itself, and fields lupe ignores
    // are skipped without being built.
    let elements: Vec<&RawValue> = match text.trim_start().as_bytes().first() {
        Some(b'[') => serde_json::from_str(text).map_err(|e| json_error(&e))?,
        Some(b'{') => vec![serde_json::from_str(text).map_err(|e| json_error(&e))?],
        _ => return Err(ArticleError::NotAnObject(leading_type(text.as_bytes()))),
    };
    Ok(elements
        .into_iter()
        .map(|raw| parse_line(raw.get().as_bytes()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_with_unknown_fields() {
        let r = parse_line(br#"{"id":"a","body":"Text","category":"x","extra":[1,2]}"#).unwrap();
        assert_eq!(r.id.as_deref(), Some("a"));
        assert_eq!(r.body.as_deref(), Some("Text"));
    }

    #[test]
    fn non_string_id() {
        assert_eq!(
            parse_line(br#"{"id":42,"body":"x"}"#).unwrap_err(),
            ArticleError::WrongType {
                field: "id",
                found: "a number"
            }
        );
    }

    #[test]
    fn malformed_line() {
        assert!(matches!(
            parse_line(br#"{"body": "x""#),
            Err(ArticleError::Json(_))
        ));
        assert_eq!(
            parse_line(b"[1,2]").unwrap_err(),
            ArticleError::NotAnObject("an array")
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let nest = |n| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let deep = format!("{{\"body\":{}}}", nest(10_000));
        assert!(matches!(
            parse_line(deep.as_bytes()),
            Err(ArticleError::Json(_))
        ));
        // Deep nesting in an ignored field is skipped without harm.
        let ignored = format!("{{\"body\":\"x\",\"n\":{}}}", nest(10_000));
        assert!(parse_line(ignored.as_bytes()).is_ok());
    }

    #[test]
    fn document_array_and_object() {
        let recs = parse_document(r#"[{"body":"a"}, 5, {"body":"b"}]"#).unwrap();
        assert_eq!(recs.len(), 3);
        assert!(recs[0].is_ok() && recs[1].is_err() && recs[2].is_ok());
        assert_eq!(parse_document(r#"{"body":"a"}"#).unwrap().len(), 1);
        assert!(parse_document("7").is_err());
    }
}
