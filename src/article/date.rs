//! Dates: article dates (ISO 8601 dates and date-times, in and out), and the
//! dates of filters (`--since`, `--until`, `date:[…]`, batch, `delete
//! --until`), which also take German forms and whole months or years.
//!
//! One range holds everywhere: 1678-01-01 to 2261-12-31 (UTC), the whole
//! years inside what tantivy can store (nanoseconds in an `i64`, about
//! 1677-09-21 to 2262-04-11).

use std::sync::LazyLock;

use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

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

/// The first year lupe accepts.
pub const FIRST_YEAR: i32 = 1678;
/// The last year lupe accepts.
pub const LAST_YEAR: i32 = 2261;

/// 1678-01-01T00:00:00Z, the first instant lupe accepts.
const MIN_SECONDS: i64 = -9_214_560_000;
/// 2262-01-01T00:00:00Z, the first instant after the accepted range.
const END_SECONDS: i64 = 9_214_646_400;

// The range fits what tantivy stores (nanoseconds in an i64).
const _: () =
    assert!(END_SECONDS < i64::MAX / 1_000_000_000 && MIN_SECONDS > i64::MIN / 1_000_000_000);

fn in_range(timestamp: i64) -> bool {
    (MIN_SECONDS..END_SECONDS).contains(&timestamp)
}

/// Parses `2025-03-01`, `2025-03-01T09:30:00+01:00`, `…Z`, and date-times
/// without an offset (taken as UTC), with `T` or a space between the parts.
/// Dates outside 1678–2261 are `None`.
pub fn parse(input: &str) -> Option<ArticleDate> {
    parse_any(input).filter(|d| in_range(d.timestamp))
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

/// The instants a filter date stands for: `start` is its first second,
/// `end` the first second after it. A day, a month or a year spans all of
/// it, so `--since 2010` starts on 1 January and `--until 2010` ends with
/// 31 December; a date-time is one second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first second (inclusive), Unix seconds.
    pub start: i64,
    /// The first second after the period (exclusive), Unix seconds.
    pub end: i64,
}

/// Why a filter date was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not a date in any accepted form.
    #[error(
        "{0:?} is not a date; write 2025-03-01, 01.03.2025, 2025-03, 2025 or \
         2025-03-01T09:30:00+01:00"
    )]
    NotADate(String),
    /// A date outside the range lupe can store.
    #[error("{0:?} is outside the dates lupe can store ({FIRST_YEAR} to {LAST_YEAR})")]
    OutOfRange(String),
}

/// Parses a filter date: an article date (ISO 8601 date or date-time), a
/// German date (`31.12.2010`, `1.3.2025`), a month (`2010-12`) or a year
/// (`2010`), within 1678–2261.
pub fn parse_period(input: &str) -> Result<Period, DateError> {
    let s = input.trim();
    let not_a_date = || DateError::NotADate(s.to_string());
    let period = if let Some(date) = german_date(s) {
        day_period(date)
    } else if let Some((year, month)) = year_month(s) {
        let first = Date::from_calendar_date(year, month, 1).map_err(|_| not_a_date())?;
        let next = match month {
            Month::December => Date::from_calendar_date(year + 1, Month::January, 1),
            _ => Date::from_calendar_date(year, month.next(), 1),
        }
        .map_err(|_| not_a_date())?;
        Period {
            start: seconds(first),
            end: seconds(next),
        }
    } else if let Some(year) = year_only(s) {
        let first = Date::from_calendar_date(year, Month::January, 1).map_err(|_| not_a_date())?;
        let next =
            Date::from_calendar_date(year + 1, Month::January, 1).map_err(|_| not_a_date())?;
        Period {
            start: seconds(first),
            end: seconds(next),
        }
    } else {
        let d = parse_any(s).ok_or_else(not_a_date)?;
        let length = if d.text.len() == 10 { 86_400 } else { 1 };
        Period {
            start: d.timestamp,
            end: d.timestamp + length,
        }
    };
    if !in_range(period.start) || period.end > END_SECONDS {
        return Err(DateError::OutOfRange(s.to_string()));
    }
    Ok(period)
}

/// The first second of a filter date (for `--since`).
pub fn parse_since(input: &str) -> Result<i64, DateError> {
    parse_period(input).map(|p| p.start)
}

/// The first second after a filter date (for an inclusive `--until`: the
/// whole day, month or year counts).
pub fn parse_until(input: &str) -> Result<i64, DateError> {
    parse_period(input).map(|p| p.end)
}

fn seconds(date: Date) -> i64 {
    date.midnight().assume_utc().unix_timestamp()
}

fn day_period(date: Date) -> Period {
    let start = seconds(date);
    Period {
        start,
        end: start + 86_400,
    }
}

fn digits(s: &str, lengths: std::ops::RangeInclusive<usize>) -> Option<u32> {
    (lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `TT.MM.JJJJ`, also with one-digit day or month (`1.3.2025`).
fn german_date(s: &str) -> Option<Date> {
    let mut parts = s.split('.');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let day = u8::try_from(digits(day, 1..=2)?).ok()?;
    let month = Month::try_from(u8::try_from(digits(month, 1..=2)?).ok()?).ok()?;
    let year = i32::try_from(digits(year, 4..=4)?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// `JJJJ-MM`.
fn year_month(s: &str) -> Option<(i32, Month)> {
    let (year, month) = s.split_once('-')?;
    let year = i32::try_from(digits(year, 4..=4)?).ok()?;
    let month = Month::try_from(u8::try_from(digits(month, 2..=2)?).ok()?).ok()?;
    Some((year, month))
}

/// `JJJJ`.
fn year_only(s: &str) -> Option<i32> {
    i32::try_from(digits(s, 4..=4)?).ok()
}

/// A date as a page shows it to its readers, in German.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShownDate {
    /// `2026-11-27`, or `2026-11-27T14:03:00+01:00` when a time is shown.
    pub text: String,
    /// Labelled as an update ("Aktualisiert am …", "Stand: …") rather than
    /// as the first publication.
    pub updated: bool,
}

/// `27.11.2026`, `27. November 2026` or `27. Nov. 2026`, each with an
/// optional time (`14:03`, `14.03 Uhr`, `, um 14:03`).
static SHOWN: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?xi)
        \b(?P<d>\d{1,2})\.\s*
        (?: (?P<m>\d{1,2})\.\s*
          | (?P<mn>jan(?:uar)?|feb(?:ruar)?|mär(?:z)?|maerz|mrz|apr(?:il)?|mai|jun(?:i)?|jul(?:i)?
              |aug(?:ust)?|sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dez(?:ember)?)\.?\s+ )
        (?P<y>\d{4})\b
        (?: \s*(?:,|\||-|–|/)?\s*(?:um\s+)?(?P<h>\d{1,2})[:.](?P<min>\d{2})\b(?:\s*uhr)? )?",
    )
    .expect("a valid pattern")
});

/// Words that mark the date after them as a page's update, not its first
/// publication.
const UPDATE_LABELS: [&str; 5] = ["aktualisiert", "update", "geändert", "zuletzt", "stand"];

/// The dates a German text shows, in order. A shown time is the publisher's
/// local time, which for German-language news is Central European Time
/// (+01:00, +02:00 in summer).
pub(crate) fn shown_dates(text: &str) -> Vec<ShownDate> {
    let mut out = Vec::new();
    let mut from = 0;
    for c in SHOWN.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let before = text[from..whole.start()].to_lowercase();
        from = whole.end();
        let number = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
        let month = match (number("m"), c.name("mn")) {
            (Some(m), _) => u8::try_from(m).ok().and_then(|m| Month::try_from(m).ok()),
            (None, Some(name)) => month_by_name(name.as_str()),
            _ => None,
        };
        let (Some(day), Some(month), Some(year)) = (number("d"), month, number("y")) else {
            continue;
        };
        let Ok(date) = Date::from_calendar_date(year as i32, month, day as u8) else {
            continue;
        };
        let time = match (number("h"), number("min")) {
            (Some(h), Some(m)) => time::Time::from_hms(h as u8, m as u8, 0).ok(),
            _ => None,
        };
        let text = match time {
            Some(t) => {
                let local = PrimitiveDateTime::new(date, t);
                local
                    .assume_offset(central_european_offset(local))
                    .format(&Rfc3339)
                    .ok()
            }
            None => date.format(&*DATE).ok(),
        };
        let Some(text) = text.filter(|t| parse(t).is_some()) else {
            continue;
        };
        out.push(ShownDate {
            text,
            // Whole words ("Stand:", "Update"), not "Standort" or "Anstand".
            updated: before.split(|c: char| !c.is_alphanumeric()).any(|w| {
                UPDATE_LABELS
                    .iter()
                    .any(|l| w == *l || (l.len() > 5 && w.starts_with(l)))
            }),
        });
    }
    out
}

/// Whether a text is nothing but a date as a page shows it, perhaps with
/// its weekday and time: "Mittwoch, 25.11.2026, 13:12 Uhr".
pub(crate) fn is_dateline(text: &str) -> bool {
    let t = text.trim();
    if t.len() > 60 {
        return false;
    }
    let Some(m) = SHOWN.find(t) else {
        return false;
    };
    let word = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let before = word(&t[..m.start()]);
    let weekday = before.is_empty()
        || WEEKDAYS
            .iter()
            .any(|d| before == *d || (before.len() == 2 && d.starts_with(before.as_str())));
    weekday && word(&t[m.end()..]).is_empty()
}

/// Whether a text opens with a date as a page shows it ("26. November
/// 2026, 9:18 Uhr | Aktualisiert …").
pub(crate) fn starts_with_date(text: &str) -> bool {
    let t = text.trim_start();
    SHOWN.find(t).is_some_and(|m| m.start() == 0)
}

const WEEKDAYS: [&str; 7] = [
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
];

fn month_by_name(name: &str) -> Option<Month> {
    let name = name.to_lowercase();
    let prefix: String = name.chars().take(3).collect();
    Some(match prefix.as_str() {
        "jan" => Month::January,
        "feb" => Month::February,
        "mär" | "mae" | "mrz" => Month::March,
        "apr" => Month::April,
        "mai" => Month::May,
        "jun" => Month::June,
        "jul" => Month::July,
        "aug" => Month::August,
        "sep" => Month::September,
        "okt" => Month::October,
        "nov" => Month::November,
        "dez" => Month::December,
        _ => return None,
    })
}

/// Central European Time's offset at a local time: summer time (+02:00)
/// runs from the last Sunday of March, 02:00, to the last Sunday of
/// October, 03:00 (EU rules since 1996).
fn central_european_offset(local: PrimitiveDateTime) -> UtcOffset {
    let last_sunday = |month: Month| {
        let next = match month {
            Month::March => Month::April,
            _ => Month::November,
        };
        let mut d = Date::from_calendar_date(local.year(), next, 1)
            .ok()?
            .previous_day()?;
        while d.weekday() != time::Weekday::Sunday {
            d = d.previous_day()?;
        }
        Some(d)
    };
    let at = (local.date(), local.hour());
    let summer = match (last_sunday(Month::March), last_sunday(Month::October)) {
        (Some(start), Some(end)) => (start, 2) <= at && at < (end, 3),
        _ => false,
    };
    UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).unwrap_or(UtcOffset::UTC)
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
    fn filter_dates_take_german_forms_months_and_years() {
        let day =
            |y, m, d| seconds(Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap());
        assert_eq!(parse_since("31.12.2010"), Ok(day(2010, 12, 31)));
        assert_eq!(parse_until("31.12.2010"), Ok(day(2011, 1, 1)));
        assert_eq!(parse_since("1.3.2025"), Ok(day(2025, 3, 1)));
        assert_eq!(parse_since("2010"), Ok(day(2010, 1, 1)));
        assert_eq!(parse_until("2010"), Ok(day(2011, 1, 1)));
        assert_eq!(parse_since("2024-02"), Ok(day(2024, 2, 1)));
        assert_eq!(parse_until("2024-02"), Ok(day(2024, 3, 1)));
        assert_eq!(parse_until("2024-12"), Ok(day(2025, 1, 1)));
        assert_eq!(parse_until("2025-03-01"), Ok(day(2025, 3, 2)));
        let t = parse("2025-03-01T09:30:00+01:00").unwrap().timestamp;
        assert_eq!(parse_until("2025-03-01T09:30:00+01:00"), Ok(t + 1));
        for bad in [
            "31.02.2010",
            "2010-13",
            "10",
            "31.12.10",
            "gestern",
            "",
            "2010-1-1x",
        ] {
            assert!(
                matches!(parse_period(bad), Err(DateError::NotADate(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn one_range_everywhere() {
        assert!(parse("1678-01-01").is_some());
        assert!(parse("2261-12-31T23:59:59Z").is_some());
        assert_eq!(parse("2262-04-11"), None);
        assert_eq!(parse("2262-01-01"), None);
        assert_eq!(parse("1677-12-31"), None);
        assert_eq!(parse_until("2261"), Ok(END_SECONDS));
        assert_eq!(parse_since("1678"), Ok(MIN_SECONDS));
        for out in [
            "2262-04-11",
            "2262",
            "2262-01",
            "01.01.2262",
            "1677",
            "31.12.1677",
        ] {
            assert_eq!(
                parse_period(out),
                Err(DateError::OutOfRange(out.into())),
                "{out}"
            );
        }
    }
    #[test]
    fn dates_as_pages_show_them() {
        let shown = |s: &str| {
            shown_dates(s)
                .into_iter()
                .map(|d| (d.text, d.updated))
                .collect::<Vec<_>>()
        };
        assert_eq!(shown("27.11.2026"), [("2026-11-27".into(), false)]);
        assert_eq!(
            shown("Von Eva Muster | 27.11.2026, 14:03 Uhr"),
            [("2026-11-27T14:03:00+01:00".into(), false)]
        );
        assert_eq!(
            shown("Veröffentlicht am 3. Juli 2026 um 9.30 Uhr"),
            [("2026-07-03T09:30:00+02:00".into(), false)]
        );
        assert_eq!(shown("Mo., 2. Nov. 2026"), [("2026-11-02".into(), false)]);
        assert_eq!(shown("1. März 2026"), [("2026-03-01".into(), false)]);
        assert_eq!(
            shown("Erschienen 26.11.2026 – Aktualisiert am 28.11.2026, 08:15"),
            [
                ("2026-11-26".into(), false),
                ("2026-11-28T08:15:00+01:00".into(), true)
            ]
        );
        assert!(shown("Stand: 12.10.2026 18:00 Uhr")[0].1);
        assert!(shown("Updated: 12.10.2026")[0].1);
        assert!(!shown("Am Standort Bonn, 12.10.2026")[0].1);
        // Summer time ends on the last Sunday of October.
        assert_eq!(shown("24.10.2026 12:00")[0].0, "2026-10-24T12:00:00+02:00");
        assert_eq!(shown("25.10.2026 12:00")[0].0, "2026-10-25T12:00:00+01:00");
        assert_eq!(shown("29.03.2026 12:00")[0].0, "2026-03-29T12:00:00+02:00");
        assert!(is_dateline("Mittwoch, 25.11.2026, 13:12 Uhr"));
        assert!(is_dateline("Mi., 25. Nov. 2026"));
        assert!(is_dateline("25.11.2026"));
        assert!(!is_dateline("Am 25.11.2026 beschloss das Kabinett"));
        assert!(!is_dateline("Bewerbungen bis 31. Januar 2027"));
        for none in [
            "vor 2 Stunden",
            "31.02.2026",
            "Version 1.2.2026a",
            "12.5 Prozent",
            "Seite 3. 2026 Zeilen",
        ] {
            assert_eq!(shown(none), [], "{none}");
        }
    }

    proptest::proptest! {
        /// Every date a page may show, in each German spelling, with or
        /// without a weekday and a time, amid other text, is read as that
        /// date (and time); arbitrary text never panics.
        #[test]
        fn shown_dates_read_every_spelling(
            year in 1990i32..2100,
            month in 1u8..=12,
            day in 1u8..=28,
            time in proptest::option::of((0u8..24, 0u8..60)),
            spelling in 0usize..3,
            before in "[a-zA-ZäöüÄÖÜß ,|]{0,30}",
            noise in "\\PC{0,40}",
        ) {
            const MONTHS: [&str; 12] = [
                "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                "September", "Oktober", "November", "Dezember",
            ];
            let name = MONTHS[usize::from(month - 1)];
            let date = match spelling {
                0 => format!("{day:02}.{month:02}.{year}"),
                1 => format!("{day}. {name} {year}"),
                _ => format!("{day}. {}. {year}", name.chars().take(3).collect::<String>()),
            };
            let shown_time = time.map(|(h, m)| format!(", {h:02}:{m:02} Uhr")).unwrap_or_default();
            let text = format!("{before} {date}{shown_time}");
            let found = shown_dates(&text);
            proptest::prop_assert!(!found.is_empty(), "{text}");
            let want = format!("{year}-{month:02}-{day:02}");
            proptest::prop_assert!(found[0].text.starts_with(&want), "{text}: {found:?}");
            if let Some((h, m)) = time {
                let hm = format!("T{h:02}:{m:02}:00+0");
                proptest::prop_assert!(found[0].text.contains(&hm), "{text}: {found:?}");
            }
            let _ = shown_dates(&noise);
            let _ = is_dateline(&noise);
        }
    }
}
