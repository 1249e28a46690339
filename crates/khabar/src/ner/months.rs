//! A month in a date is not a name, nor a weekday after an organization.
//!
//! The Levantine month names are also names: `نيسان` is Nissan, `تموز` a god, `أيار` and
//! `حزيران` are written where a tagger trained on 2000s news seldom saw them. Written in a
//! date, `أبريل (نيسان) الماضي`, `في 12 نيسان 2015`, `شهر حزيران`, they are months: the
//! whole SaudiNewsNet index listed `نيسان` among its top organizations (228 articles), most
//! of them dates. On the 20 MiB SaudiNewsNet sample this drops 90 names, all of them months
//! (`أبريل (نيسان) الماضي`, `منذ 23 من ابريل نيسان`); ANERcorp and NewsFANE dev are unchanged
//! and the own 42-document set goes from 0.882 to 0.887. A one-token name that is a month name of the calendar the times layer
//! reads ([`crate::times::is_month_name`]) is dropped when the words next to it make a date
//! of it: a number, another month name (`أبريل/نيسان`), `شهر` before it, or a relative
//! word after it (`الماضي`, `المقبل`).

//!
//! News dates a statement by its weekday right after the body that made it: `أعلنت وزارة
//! الصحة الأحد أن …`، `أكدت وزارة الدفاع الأمريكية البنتاغون الخميس`. The tagger sometimes runs
//! the organization on into the day (3 of the 6 names ending in a weekday on 3,000
//! SaudiNewsNet and ANT articles, all three organizations, all three wrong; the other three a
//! person's surname `الخميس` and a market `سوق الخميس`, which stay). A weekday that ends a
//! multi-word organization is cut off it ([`untag_trailing_weekdays`]).

use super::features::TokInfo;
use super::score::chunks;

/// Words after a month that date it relative to the article (`search`-normalized).
const RELATIVE_AFTER: &[&str] = &["الماضي", "المقبل", "الجاري", "الحالي", "المنصرم", "القادم"];

/// Words before a month that make it one (`search`-normalized).
const MONTH_BEFORE: &[&str] = &["شهر", "شهري"];

/// Brackets and marks between a month and its other name (`أبريل (نيسان)`, `أبريل/نيسان`).
fn is_between_mark(n: &str) -> bool {
    matches!(n, "(" | ")" | "/" | "-" | "،" | ",")
}

fn is_number(t: &TokInfo) -> bool {
    !t.norm.is_empty() && t.norm.chars().all(|c| c.is_ascii_digit())
}

/// Untags the one-token names of the sentence that are months in a date.
pub(crate) fn untag_months(infos: &[TokInfo], tags: &mut [usize]) {
    for (s, e, _) in chunks(tags) {
        if e - s != 1 || !crate::times::is_month_name(&infos[s].core) && !crate::times::is_month_name(&infos[s].norm) {
            continue;
        }
        // The nearest words on each side, past brackets and slashes.
        let before = infos[..s].iter().rev().find(|t| !is_between_mark(&t.norm));
        let after = infos[e..].iter().find(|t| !is_between_mark(&t.norm));
        let month = |t: Option<&TokInfo>| t.is_some_and(|t| crate::times::is_month_name(&t.norm) || crate::times::is_month_name(&t.core));
        let dated = before.is_some_and(is_number)
            || after.is_some_and(is_number)
            || month(before)
            || month(after)
            || before.is_some_and(|t| MONTH_BEFORE.contains(&&*t.norm))
            || after.is_some_and(|t| RELATIVE_AFTER.contains(&&*t.norm));
        if dated {
            tags[s] = 0;
        }
    }
}

/// Weekdays with the article (`search`-normalized).
const WEEKDAYS: &[&str] = &["الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت"];

/// Cuts a weekday off the end of a multi-word organization (see the module's notes).
pub(crate) fn untag_trailing_weekdays(infos: &[TokInfo], tags: &mut [usize]) {
    for (s, e, ty) in chunks(tags) {
        if ty == 3 && e - s >= 2 && WEEKDAYS.contains(&&*infos[e - 1].norm) {
            tags[e - 1] = 0;
        }
    }
}

#[cfg(all(test, feature = "embedded-model"))]
mod tests {
    use super::*;
    use crate::ner::Model;

    /// Tags as an organization (B-ORG) the word at `at`, then untags the months.
    fn after_untagging(words: &[&str], at: usize) -> usize {
        let model = Model::from_blob(khabar_model::Blob::Static(crate::models::NER)).expect("built-in model");
        let infos = model.infos(words.iter().copied());
        let mut tags = vec![0; words.len()];
        tags[at] = 5;
        untag_months(&infos, &mut tags);
        tags[at]
    }

    #[test]
    fn a_month_in_a_date_is_not_a_name() {
        assert_eq!(after_untagging(&["في", "أبريل", "(", "نيسان", ")", "الماضي"], 3), 0);
        assert_eq!(after_untagging(&["منذ", "23", "نيسان", "2015"], 2), 0);
        assert_eq!(after_untagging(&["خلال", "شهر", "حزيران"], 2), 0);
        assert_eq!(after_untagging(&["في", "نيسان", "المقبل"], 1), 0);
    }

    #[test]
    fn a_weekday_is_cut_off_the_end_of_an_organization_only() {
        let model = Model::from_blob(khabar_model::Blob::Static(crate::models::NER)).expect("built-in model");
        let cut = |words: &[&str], tags: &[usize]| {
            let infos = model.infos(words.iter().copied());
            let mut tags = tags.to_vec();
            untag_trailing_weekdays(&infos, &mut tags);
            tags
        };
        assert_eq!(cut(&["أعلنت", "وزارة", "الصحة", "الأحد", "أن"], &[0, 5, 6, 6, 0]), [0, 5, 6, 0, 0]);
        // A surname and a one-word name keep it.
        assert_eq!(cut(&["قال", "محمد", "الخميس"], &[0, 1, 2]), [0, 1, 2]);
        assert_eq!(cut(&["قال", "الخميس"], &[0, 5]), [0, 5]);
    }

    #[test]
    fn a_month_name_outside_a_date_stays_a_name() {
        // Nissan, the carmaker.
        assert_eq!(after_untagging(&["وقالت", "«", "نيسان", "»", "إن", "مبيعاتها", "ارتفعت"], 2), 5);
        assert_eq!(after_untagging(&["سيارة", "نيسان", "الجديدة"], 1), 5);
    }
}
