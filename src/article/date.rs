//! Article dates: ISO 8601 dates and date-times, in and out.

use std::sync::LazyLock;

use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

type Format = Vec<BorrowedFormatItem<'static>>;

static DATE: LazyLock<Format> = LazyLock::new(|| {
    time::format_description::parse_borrowed::<2>("[year]-[month]-[day]")
        .expect("a valid format description")
});

static DATETIME: LazyLock<Format> = LazyLock::new(|| {
    time::format_description::parse_borrowed::<2>("[year]-[month]-[day]T[hour]:[minute]:[second]")
        .expect("a valid format description")
});

static DATETIME_FRACTION: LazyLock<Format> = LazyLock::new(|| {
    time::format_description::parse_borrowed::<2>(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]",
    )
    .expect("a valid format description")
});

/// A publication date as given (normalised) plus its instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDate {
    /// The date as lupe shows it: `2025-03-01` or `2025-03-01T09:30:00+01:00`.
    pub text: String,
    /// Seconds since the Unix epoch (UTC); a plain date is its midnight UTC.
    pub timestamp: i64,
}

/// tantivy stores dates as nanoseconds in an `i64`: about 1677-09-21 to
/// 2262-04-11. Dates outside are rejected rather than silently wrapped.
const MAX_SECONDS: i64 = i64::MAX / 1_000_000_000 - 1;

/// Parses `2025-03-01`, `2025-03-01T09:30:00+01:00`, `…Z`, and date-times
/// without an offset (taken as UTC), with `T` or a space between the parts.
/// Dates tantivy cannot store (before 1678 or after 2261) are `None`.
pub fn parse(input: &str) -> Option<ArticleDate> {
    parse_any(input).filter(|d| (-MAX_SECONDS..=MAX_SECONDS).contains(&d.timestamp))
}

fn parse_any(input: &str) -> Option<ArticleDate> {
    let s = input.trim();
    if let Ok(date) = Date::parse(s, &*DATE) {
        let dt = date.midnight().assume_utc();
        return Some(ArticleDate {
            text: date.format(&*DATE).ok()?,
            timestamp: dt.unix_timestamp(),
        });
    }
    let with_t = s.replacen(' ', "T", 1);
    if let Ok(dt) = OffsetDateTime::parse(&with_t, &Rfc3339) {
        return Some(ArticleDate {
            text: dt.format(&Rfc3339).ok()?,
            timestamp: dt.unix_timestamp(),
        });
    }
    let dt = PrimitiveDateTime::parse(&with_t, &*DATETIME)
        .or_else(|_| PrimitiveDateTime::parse(&with_t, &*DATETIME_FRACTION))
        .ok()?
        .assume_offset(UtcOffset::UTC);
    Some(ArticleDate {
        text: dt.format(&Rfc3339).ok()?,
        timestamp: dt.unix_timestamp(),
    })
}

/// The first second of the day after `date`'s day, for inclusive `--until`.
pub fn end_of_day(date: &ArticleDate) -> i64 {
    if date.text.len() == 10 {
        date.timestamp + 86_400
    } else {
        date.timestamp + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_datetimes() {
        let d = parse("2025-03-01").unwrap();
        assert_eq!(d.text, "2025-03-01");
        assert_eq!(d.timestamp, 1_740_787_200);
        let t = parse("2025-03-01T09:30:00+01:00").unwrap();
        assert_eq!(t.text, "2025-03-01T09:30:00+01:00");
        assert_eq!(t.timestamp, 1_740_817_800);
        assert_eq!(
            parse("2025-03-01T08:30:00Z").unwrap().timestamp,
            t.timestamp
        );
        assert_eq!(parse("2025-03-01 08:30:00").unwrap().timestamp, t.timestamp);
        assert_eq!(
            parse("2025-03-01T08:30:00").unwrap().text,
            "2025-03-01T08:30:00Z"
        );
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "gestern",
            "2025-13-01",
            "2025-02-30",
            "01.03.2025",
            "2025",
            "2300-01-01",
            "1600-01-01",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn until_is_inclusive() {
        let d = parse("2025-03-01").unwrap();
        assert_eq!(end_of_day(&d) - d.timestamp, 86_400);
    }
}
