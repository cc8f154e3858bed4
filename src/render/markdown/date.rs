//! The record's date: `SOURCE_DATE_EPOCH` for reproducible records, else today in UTC.

use std::time::{SystemTime, UNIX_EPOCH};

/// What a record says about when and with what it was made; everything else comes from the
/// recommendation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordContext {
    /// The record's date, YYYY-MM-DD.
    pub date: String,
    pub tool_version: String,
}

impl RecordContext {
    /// The date from `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 UTC, for reproducible
    /// records), else today's date in UTC. An unset or empty `SOURCE_DATE_EPOCH` means today;
    /// any other value that is not a whole number of seconds up to the year 9999 is an error,
    /// as the reproducible-builds specification asks: falling back to today would silently
    /// break the reproducibility the variable was set for.
    pub fn from_environment() -> Result<Self, String> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let value = std::env::var_os("SOURCE_DATE_EPOCH").map(|value| value.to_string_lossy().into_owned());
        Ok(Self {
            date: record_date(value.as_deref(), now)?,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
        })
    }
}

/// The record date for a `SOURCE_DATE_EPOCH` value (if any) and the current time in seconds.
pub fn record_date(source_date_epoch: Option<&str>, now_seconds: u64) -> Result<String, String> {
    match source_date_epoch.map(str::trim).filter(|value| !value.is_empty()) {
        None => Ok(utc_date(now_seconds).unwrap_or_else(|| "1970-01-01".to_string())),
        Some(value) => value.parse::<u64>().ok().and_then(utc_date).ok_or_else(|| {
            format!(
                "SOURCE_DATE_EPOCH is `{}`: it must be a whole number of seconds since 1970-01-01 UTC, \
                 from 0 to 253402300799 (the end of the year 9999); correct it or unset it",
                crate::sanitize::for_message(value)
            )
        }),
    }
}

/// The UTC calendar date (YYYY-MM-DD) of a moment given in seconds since the Unix epoch, or
/// `None` past the year 9999.
pub fn utc_date(seconds: u64) -> Option<String> {
    let days = i64::try_from(seconds / 86_400).ok()?;
    let (year, month, day) = civil_from_days(days);
    (year <= 9999).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); Howard Hinnant's
/// `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_computed_in_utc() {
        assert_eq!(utc_date(0).as_deref(), Some("1970-01-01"));
        assert_eq!(utc_date(951_782_400).as_deref(), Some("2000-02-29"));
        assert_eq!(utc_date(1_767_225_599).as_deref(), Some("2025-12-31"));
        assert_eq!(utc_date(1_767_225_600).as_deref(), Some("2026-01-01"));
        assert_eq!(utc_date(253_402_300_799).as_deref(), Some("9999-12-31"));
        assert_eq!(utc_date(253_402_300_800), None);
        assert_eq!(utc_date(u64::MAX), None);
    }

    #[test]
    fn source_date_epoch_wins_and_an_invalid_one_is_an_error() {
        let now = 1_767_225_600;
        assert_eq!(record_date(Some("0"), now).as_deref(), Ok("1970-01-01"));
        assert_eq!(record_date(Some(" 86400 "), now).as_deref(), Ok("1970-01-02"));
        assert_eq!(record_date(None, now).as_deref(), Ok("2026-01-01"));
        assert_eq!(
            record_date(Some(" "), now).as_deref(),
            Ok("2026-01-01"),
            "empty is unset"
        );
        for invalid in ["-1", "1.5", "yesterday", "253402300800", "99999999999999999999"] {
            let error = record_date(Some(invalid), now).unwrap_err();
            assert!(error.contains(&format!("SOURCE_DATE_EPOCH is `{invalid}`")), "{error}");
        }
    }
}
