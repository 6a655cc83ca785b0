//! The day a document was issued, from its own furniture: the 成文日期 of its first part, else
//! the 印发日期 of its 版记. The PDF carries it as its creation date, so a clerk's archive shows
//! the document's day and the same inputs still give the same bytes.

use serde::Serialize;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Day {
    /// The year, e.g. 2019.
    pub year: i32,
    /// The month, 1–12.
    pub month: u8,
    /// The day of the month, 1–31.
    pub day: u8,
}

/// The moment a PDF says it was created, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Created {
    /// The day.
    pub day: Day,
    /// The time of day: hours, minutes, seconds.
    pub time: (u8, u8, u8),
}

impl Created {
    /// The creation date of a document issued on `issued`: that day, so the same inputs give
    /// the same bytes; else `SOURCE_DATE_EPOCH` (reproducible builds' convention); else now, the
    /// time of the build (2000-01-01 told a clerk's archive nothing).
    pub fn of(issued: Option<Day>) -> Self {
        if let Some(day) = issued {
            return Self {
                day,
                time: (0, 0, 0),
            };
        }
        let epoch = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok());
        let at = epoch.unwrap_or_else(time::OffsetDateTime::now_utc);
        Self {
            day: Day {
                year: at.year(),
                month: at.month().into(),
                day: at.day(),
            },
            time: (at.hour(), at.minute(), at.second()),
        }
    }
}

/// The day `text` names, when it is a real day written as GB/T 9704 writes dates
/// (`2019年7月1日`; `check` says how to write any other).
pub(crate) fn parse_day(text: &str) -> Option<Day> {
    use crate::model::checks::{date_problem, read_date};
    if date_problem(text).is_some() {
        return None;
    }
    let (year, month, day) = read_date(text.trim())?;
    Some(Day {
        year: i32::try_from(year).ok()?,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_the_standard_writes_them() {
        assert_eq!(
            parse_day("2019年7月1日"),
            Some(Day {
                year: 2019,
                month: 7,
                day: 1
            })
        );
        assert_eq!(parse_day("2019年2月29日"), None);
        assert_eq!(parse_day("二〇一九年七月一日"), None);
        assert_eq!(parse_day("2019年7月1日印发"), None);
    }
}
