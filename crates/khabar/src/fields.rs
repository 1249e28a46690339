//! Which top-level fields of the contract a caller asked for, and which pipeline stages
//! those fields need: a user who wants the entities and quotes of a million articles should
//! pay neither for the amounts stage nor for writing every token's norm, segments and stem.
//!
//! `schema` and `text` are always written; every other top-level field can be chosen.
//! A stage runs when a chosen field needs it, directly or through a stage after it:
//!
//! | field          | stages it needs                                             |
//! |----------------|-------------------------------------------------------------|
//! | `date`         | none                                                        |
//! | `tokens`, `repairs` | text                                                   |
//! | `sentences`, `articles` | text, articles (stories re-split sentences at headlines) |
//! | `times`        | text, articles, times                                       |
//! | `quotes`       | text, articles, ner, link, quotes                           |
//! | `entities`     | text, articles, ner, link, quotes (speakers are mentions), subtype |
//! | `entity_index` | as `entities`, and places                                   |
//! | `amounts`      | text, articles, ner, link, quotes, times, amounts           |
//!
//! Skipping a stage never changes a chosen field: each field's value is the same as in
//! the full analysis (`tests/fields.rs` checks every field alone against it).

use std::fmt;

/// One top-level field of the contract that a caller can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `date`.
    Date,
    /// `articles`.
    Articles,
    /// `sentences`.
    Sentences,
    /// `tokens`.
    Tokens,
    /// `repairs`.
    Repairs,
    /// `entities`.
    Entities,
    /// `entity_index`.
    EntityIndex,
    /// `quotes`.
    Quotes,
    /// `times`.
    Times,
    /// `amounts`.
    Amounts,
}

impl Field {
    /// Every choosable field, in the contract's order.
    pub const ALL: [Field; 10] = [
        Field::Date,
        Field::Articles,
        Field::Sentences,
        Field::Tokens,
        Field::Repairs,
        Field::Entities,
        Field::EntityIndex,
        Field::Quotes,
        Field::Times,
        Field::Amounts,
    ];

    /// The field's name in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Articles => "articles",
            Field::Sentences => "sentences",
            Field::Tokens => "tokens",
            Field::Repairs => "repairs",
            Field::Entities => "entities",
            Field::EntityIndex => "entity_index",
            Field::Quotes => "quotes",
            Field::Times => "times",
            Field::Amounts => "amounts",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// The stages this field needs, by [`crate::Annotator::name`].
    fn stages(self) -> &'static [&'static str] {
        match self {
            Field::Date => &[],
            Field::Tokens | Field::Repairs => &["text"],
            Field::Sentences | Field::Articles => &["text", "articles"],
            Field::Times => &["text", "articles", "times"],
            Field::Quotes => &["text", "articles", "ner", "link", "quotes"],
            Field::Entities => &["text", "articles", "ner", "link", "quotes", "subtype"],
            Field::EntityIndex => &["text", "articles", "ner", "link", "places", "quotes", "subtype"],
            Field::Amounts => &["text", "articles", "ner", "link", "quotes", "times", "amounts"],
        }
    }
}

/// A set of [`Field`]s: what a surface writes, and what the pipeline computes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fields(u16);

impl Fields {
    /// Every field: the default everywhere, and the contract's full shape.
    pub const ALL: Fields = Fields((1 << Field::ALL.len()) - 1);
    /// No field but `schema` and `text`.
    pub const NONE: Fields = Fields(0);

    /// Parses a comma-separated list of field names (`entities,quotes,times`). `text` and
    /// `schema` may be named and change nothing (they are always written); `all` means
    /// every field.
    ///
    /// # Errors
    /// An unknown name, with the list of valid ones; an empty list.
    pub fn parse(list: &str) -> crate::Result<Fields> {
        let mut set = Fields::NONE;
        let mut any = false;
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            any = true;
            match name {
                "text" | "schema" => {}
                "all" => set = Fields::ALL,
                _ => match Field::ALL.iter().find(|f| f.as_str() == name) {
                    Some(&f) => set = set.with(f),
                    None => {
                        return Err(crate::Error::Invalid(format!(
                            "unknown field `{name}` (fields: {}, or all)",
                            Field::ALL.map(Field::as_str).join(", ")
                        )))
                    }
                },
            }
        }
        if !any {
            return Err(crate::Error::Invalid(format!(
                "no field named (fields: {}, or all)",
                Field::ALL.map(Field::as_str).join(", ")
            )));
        }
        Ok(set)
    }

    /// This set and `field`.
    pub const fn with(self, field: Field) -> Fields {
        Fields(self.0 | 1 << (field as u16))
    }

    /// Whether `field` is in the set.
    pub fn contains(self, field: Field) -> bool {
        self.0 & field.bit() != 0
    }

    /// Whether this is every field.
    pub fn is_all(self) -> bool {
        self == Fields::ALL
    }

    /// The fields in the set, in the contract's order.
    pub fn iter(self) -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(move |&f| self.contains(f))
    }

    /// Whether the stage named `stage` must run for these fields. A stage this table does
    /// not know (one a caller added) always runs.
    pub fn need_stage(self, stage: &str) -> bool {
        let known = Field::ALL.iter().any(|f| f.stages().contains(&stage));
        !known || self.iter().any(|f| f.stages().contains(&stage))
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::ALL
    }
}

impl fmt::Debug for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(Field::as_str)).finish()
    }
}

impl fmt::Display for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<_> = self.iter().map(Field::as_str).collect();
        f.write_str(&names.join(","))
    }
}

impl std::str::FromStr for Fields {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Fields> {
        Fields::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_into_a_set_and_unknown_ones_are_refused_by_name() {
        let f = Fields::parse("entities, quotes,text").unwrap();
        assert!(f.contains(Field::Entities) && f.contains(Field::Quotes));
        assert!(!f.contains(Field::Tokens));
        assert_eq!(f.to_string(), "entities,quotes");
        assert_eq!(Fields::parse("all").unwrap(), Fields::ALL);
        let e = Fields::parse("entities,speakers").unwrap_err().to_string();
        assert!(e.contains("`speakers`") && e.contains("entity_index"), "{e}");
        assert!(Fields::parse(" , ").is_err());
    }

    #[test]
    fn a_stage_runs_only_for_a_field_that_needs_it() {
        let f = Fields::parse("entities,quotes").unwrap();
        assert!(f.need_stage("ner") && f.need_stage("subtype") && f.need_stage("articles"));
        assert!(!f.need_stage("places") && !f.need_stage("times") && !f.need_stage("amounts"));
        let t = Fields::parse("tokens").unwrap();
        assert!(t.need_stage("text") && !t.need_stage("articles") && !t.need_stage("ner"));
        assert!(Fields::parse("date").unwrap().iter().all(|f| f.stages().is_empty()));
        assert!(Fields::NONE.need_stage("a-stage-of-the-caller"));
        assert!(Field::ALL.iter().all(|f| Fields::ALL.contains(*f)));
    }
}
