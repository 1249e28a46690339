//! Hijri dates: the Umm al-Qura calendar, and the arithmetical calendar outside its table.
//!
//! Saudi and Gulf news date by the official Umm al-Qura calendar (KACST), whose months
//! start by an astronomical rule at Mecca and follow no cycle, so it is a table:
//! [`ummalqura_table`] holds 1300–1500 AH (12 November 1882 – 16 November 2077), taken
//! from ICU4X/ICU4C's copy of the official table by `scripts/ummalqura_table.py`. It is
//! what [`to_gregorian`] and [`from_gregorian`] use inside that range; the tests pin it
//! to published dates (1 رمضان 1440 = 2019-05-06, 1 شوال 1441 = 2020-05-24).
//!
//! Outside the table the arithmetical (tabular) calendar of the "Kuwaiti algorithm" is
//! used ([`tabular_to_gregorian`]): years run in 30-year cycles of 10 631 days; years 2,
//! 5, 7, 10, 13, 15, 18, 21, 24, 26 and 29 of each cycle are leap years (355 days, the
//! extra day closing ذو الحجة); months alternate 30 and 29 days, starting with 30 for
//! محرم. The epoch is 1 محرم 1 AH = Thursday 15 July 622 (Julian) = 18 July 622
//! (proleptic Gregorian). Inside the table the two differ by a day in about half the
//! months (1 رمضان 1438 is 2017-05-26 in the tabular calendar, 2017-05-27 in Umm al-Qura).
//!
//! Local sightings (the feasts in Egypt or Morocco) can still differ from Umm al-Qura by a
//! day; a date written in a text is converted with the table exactly, never guessed at.

#[path = "hijri/ummalqura_table.rs"]
mod ummalqura_table;

use chrono::NaiveDate;

/// Days in one 30-year cycle.
const CYCLE_DAYS: i64 = 10_631;

/// Whether Hijri year `y` (1-based) is a leap year of the tabular calendar.
pub fn is_leap(y: i64) -> bool {
    (15 + 11 * y).rem_euclid(30) < 11
}

/// Days in Hijri month `m` (1..=12) of year `y` in the tabular calendar.
pub fn tabular_month_days(y: i64, m: u32) -> u32 {
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

/// The Gregorian date of Hijri `d` `m` `y` in the tabular calendar, or `None` when the
/// day does not exist (month outside 1..=12, day outside the month, year before 1).
pub fn tabular_to_gregorian(y: i64, m: u32, d: u32) -> Option<NaiveDate> {
    if y < 1 || y > 9_999 || !(1..=12).contains(&m) || d < 1 || d > tabular_month_days(y, m) {
        return None;
    }
    let n = days_before(y, m) + i64::from(d) - 1;
    epoch().checked_add_signed(chrono::Duration::days(n))
}

/// The tabular Hijri `(year, month, day)` of a Gregorian date (on or after the epoch).
pub fn tabular_from_gregorian(date: NaiveDate) -> Option<(i64, u32, u32)> {
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

/// Whether Hijri year `y` is inside the Umm al-Qura table.
pub fn in_table(y: i64) -> bool {
    (ummalqura_table::FIRST_YEAR..ummalqura_table::FIRST_YEAR + ummalqura_table::MONTHS.len() as i64).contains(&y)
}

fn table_mask(y: i64) -> Option<u16> {
    let i = usize::try_from(y - ummalqura_table::FIRST_YEAR).ok()?;
    ummalqura_table::MONTHS.get(i).copied()
}

fn table_year_days(mask: u16) -> i64 {
    354 + i64::from((mask & 0xfff).count_ones()) - 6
}

/// Days of the table's months before month `m` of year `y`, counted from 1 محرم of the
/// table's first year. Years are summed from the start: 200 additions at most, cheaper
/// than a second table and only run for a date written in a text.
fn table_days_before(y: i64, m: u32) -> Option<i64> {
    let mut n = 0;
    for yy in ummalqura_table::FIRST_YEAR..y {
        n += table_year_days(table_mask(yy)?);
    }
    let mask = table_mask(y)?;
    for mm in 1..m {
        n += 29 + i64::from((mask >> (mm - 1)) & 1);
    }
    Some(n)
}

fn table_epoch() -> NaiveDate {
    let (y, m, d) = ummalqura_table::FIRST_DAY;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Days in Hijri month `m` (1..=12) of year `y`: Umm al-Qura inside its table, tabular outside.
pub fn month_days(y: i64, m: u32) -> u32 {
    match table_mask(y) {
        Some(mask) if (1..=12).contains(&m) => 29 + u32::from((mask >> (m - 1)) & 1),
        _ => tabular_month_days(y, m),
    }
}

/// The Gregorian date of Hijri `d` `m` `y` (Umm al-Qura inside its table, tabular outside),
/// or `None` when the day does not exist (month outside 1..=12, day outside the month,
/// year before 1).
pub fn to_gregorian(y: i64, m: u32, d: u32) -> Option<NaiveDate> {
    if !in_table(y) {
        return tabular_to_gregorian(y, m, d);
    }
    if !(1..=12).contains(&m) || d < 1 || d > month_days(y, m) {
        return None;
    }
    let n = table_days_before(y, m)? + i64::from(d) - 1;
    table_epoch().checked_add_signed(chrono::Duration::days(n))
}

/// The Hijri `(year, month, day)` of a Gregorian date: Umm al-Qura inside its table,
/// tabular outside (on or after the epoch).
pub fn from_gregorian(date: NaiveDate) -> Option<(i64, u32, u32)> {
    let mut n = (date - table_epoch()).num_days();
    if n < 0 {
        return tabular_from_gregorian(date);
    }
    let mut y = ummalqura_table::FIRST_YEAR;
    loop {
        let Some(mask) = table_mask(y) else { return tabular_from_gregorian(date) };
        let len = table_year_days(mask);
        if n < len {
            for m in 1..=12u32 {
                let days = 29 + i64::from((mask >> (m - 1)) & 1);
                if n < days {
                    return Some((y, m, n as u32 + 1));
                }
                n -= days;
            }
        }
        n -= len;
        y += 1;
    }
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
        assert_eq!(tabular_to_gregorian(1, 1, 1), Some(g(622, 7, 18)));
        assert_eq!(tabular_to_gregorian(1400, 1, 1), Some(g(1979, 11, 20)));
        assert_eq!(tabular_to_gregorian(1439, 1, 1), Some(g(2017, 9, 21)));
        assert_eq!(tabular_to_gregorian(1438, 9, 1), Some(g(2017, 5, 26)));
        assert_eq!(tabular_to_gregorian(1445, 9, 1), Some(g(2024, 3, 10)));
        assert_eq!(tabular_to_gregorian(1420, 1, 1), Some(g(1999, 4, 16)));
        assert_eq!(tabular_to_gregorian(1441, 12, 10), Some(g(2020, 7, 30)));
        assert_eq!(tabular_from_gregorian(g(2017, 9, 20)), Some((1438, 12, 29)));
    }

    #[test]
    fn published_umm_al_qura_dates() {
        // Dates announced by the Saudi authorities / printed in the Umm al-Qura calendar.
        assert_eq!(to_gregorian(1440, 9, 1), Some(g(2019, 5, 6)));
        assert_eq!(to_gregorian(1441, 10, 1), Some(g(2020, 5, 24)));
        assert_eq!(to_gregorian(1438, 9, 1), Some(g(2017, 5, 27)));
        assert_eq!(to_gregorian(1436, 10, 1), Some(g(2015, 7, 17)));
        assert_eq!(to_gregorian(1439, 1, 1), Some(g(2017, 9, 21)));
        assert_eq!(to_gregorian(1445, 9, 1), Some(g(2024, 3, 11)));
        assert_eq!(to_gregorian(1443, 12, 10), Some(g(2022, 7, 9)));
        assert_eq!(to_gregorian(1444, 10, 1), Some(g(2023, 4, 21)));
        assert_eq!(to_gregorian(1356, 1, 1), Some(g(1937, 3, 14)));
        assert_eq!(to_gregorian(1500, 12, 30), Some(g(2077, 11, 16)));
        assert_eq!(from_gregorian(g(2019, 5, 6)), Some((1440, 9, 1)));
        assert_eq!(from_gregorian(g(2015, 8, 1)), Some((1436, 10, 16)));
    }

    #[test]
    fn outside_the_table_the_tabular_calendar_answers() {
        assert!(!in_table(1501) && !in_table(1299) && in_table(1356) && in_table(1500));
        assert_eq!(to_gregorian(1, 1, 1), Some(g(622, 7, 18)));
        assert_eq!(to_gregorian(1600, 1, 1), tabular_to_gregorian(1600, 1, 1));
        assert_eq!(from_gregorian(g(1800, 1, 1)), tabular_from_gregorian(g(1800, 1, 1)));
        assert_eq!(from_gregorian(g(2100, 1, 1)), tabular_from_gregorian(g(2100, 1, 1)));
    }

    #[test]
    fn table_years_hold_354_or_355_days_and_follow_each_other() {
        for y in 1300..1500 {
            let days = table_year_days(table_mask(y).unwrap());
            assert!(days == 354 || days == 355, "{y}: {days}");
            let last = to_gregorian(y, 12, month_days(y, 12)).unwrap();
            assert_eq!(last.succ_opt(), to_gregorian(y + 1, 1, 1), "{y}");
        }
    }

    #[test]
    fn leap_years_follow_the_30_year_pattern() {
        let leaps: Vec<i64> = (1..=30).filter(|&y| is_leap(y)).collect();
        assert_eq!(leaps, vec![2, 5, 7, 10, 13, 15, 18, 21, 24, 26, 29]);
        let total: i64 = (1..=30)
            .map(|y| (1..=12).map(|m| i64::from(tabular_month_days(y, m))).sum::<i64>())
            .sum();
        assert_eq!(total, CYCLE_DAYS);
        let _ = month_days;
    }

    #[test]
    fn impossible_days_are_refused() {
        assert_eq!(to_gregorian(1438, 13, 1), None);
        assert_eq!(to_gregorian(1438, 0, 1), None);
        assert_eq!(to_gregorian(1438, 2, 31), None);
        assert_eq!(to_gregorian(1438, 2, 0), None);
        assert_eq!(to_gregorian(0, 1, 1), None);
        assert_eq!(to_gregorian(i64::MAX, 1, 1), None);
        assert_eq!(from_gregorian(NaiveDate::MIN), None);
        // The far end of chrono's range converts (tabular) without overflow.
        assert!(from_gregorian(NaiveDate::MAX).is_some());
    }

    #[test]
    fn round_trip_over_the_whole_table() {
        let mut d = g(1882, 11, 12);
        while d < g(2077, 11, 17) {
            let (y, m, dd) = from_gregorian(d).unwrap();
            assert_eq!(to_gregorian(y, m, dd), Some(d), "{d}");
            d += chrono::Duration::days(1);
        }
    }
}
