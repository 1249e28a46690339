//! The index schema and the tokenizer registration every opened index needs.

use tantivy::schema::{DateOptions, DateTimePrecision, FacetOptions, NumericOptions};
use tantivy::schema::{
    Field, FieldType, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::Index;

use crate::analyzer::{ArabicTokenizer, TOKENIZER_NAME};

/// The fields of a khabar index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Article id: its line number in the input (1-based), unique in the index.
    pub id: Field,
    /// Title (analyzed, stored).
    pub title: Field,
    /// Body text, stored (what snippets and the API show).
    pub text: Field,
    /// Body text, indexed with positions (not stored): filled from the pipeline's tokens
    /// when the article was analyzed (no second pass), else tokenized by tantivy.
    pub body: Field,
    /// Publication (or crawl) time, seconds; fast field for ranges and timelines.
    pub date: Field,
    /// Newspaper id (raw string, fast).
    pub source: Field,
    /// Article URL (raw string).
    pub url: Field,
    /// Entities as facets `/TYPE/normalized name` (e.g. `/PERS/فايز السراج`).
    pub entity: Field,
    /// Every surface form of every entity (analyzed, not stored), for `--entity` by part of a name.
    pub entity_names: Field,
    /// Near-duplicate cluster: the id of the first article of the cluster (its own id if unique).
    pub cluster: Field,
    /// The kinds of the article's amounts (`money`, `percent`, `count`, `number`) and its
    /// currencies (`money:USD`), raw strings; `None` in an index written before amounts.
    pub amount: Option<Field>,
}

impl Fields {
    /// Builds the schema.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let analyzed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let id = b.add_u64_field(
            "id",
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        );
        let title = b.add_text_field("title", analyzed.clone().set_stored());
        let text = b.add_text_field("text", STORED);
        let body = b.add_text_field("body", analyzed.clone());
        let date = b.add_date_field(
            "date",
            DateOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        );
        let source = b.add_text_field("source", STRING | STORED | FAST);
        let url = b.add_text_field("url", STRING | STORED);
        let entity = b.add_facet_field("entity", FacetOptions::default().set_stored());
        let entity_names = b.add_text_field("entity_names", analyzed);
        let cluster = b.add_u64_field("cluster", INDEXED | STORED | FAST);
        let amount = b.add_text_field("amount", STRING);
        (
            b.build(),
            Fields {
                id,
                title,
                text,
                body,
                date,
                source,
                url,
                entity,
                entity_names,
                cluster,
                amount: Some(amount),
            },
        )
    }

    /// The fields of an opened index, checked against the schema khabar writes.
    ///
    /// # Errors
    /// [`crate::Error::Schema`] when the index was not written by khabar.
    pub fn of(schema: &Schema) -> crate::Result<Fields> {
        let f = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| crate::Error::Schema(format!("no field `{name}`: not a khabar index")))
        };
        let title = f("title")?;
        // An index analyzed by other rules would answer queries analyzed by these with
        // silent misses: refuse it by name instead.
        if let FieldType::Str(options) = schema.get_field_entry(title).field_type() {
            let name = options.get_indexing_options().map(|o| o.tokenizer());
            if let Some(name) = name.filter(|n| *n != TOKENIZER_NAME) {
                return Err(crate::Error::Schema(format!(
                    "its words were analyzed by `{name}`, an earlier khabar analyzer (this one is \
                     `{TOKENIZER_NAME}`); rebuild the index with `khabar index`"
                )));
            }
        }
        Ok(Fields {
            id: f("id")?,
            title,
            text: f("text")?,
            body: f("body")?,
            date: f("date")?,
            source: f("source")?,
            url: f("url")?,
            entity: f("entity")?,
            entity_names: f("entity_names")?,
            cluster: f("cluster")?,
            amount: schema.get_field("amount").ok(),
        })
    }
}

/// Registers khabar's Arabic tokenizer on `index` (needed after every open, for indexing,
/// query parsing and snippets alike).
pub fn register(index: &Index, tokenizer: ArabicTokenizer) {
    index.tokenizers().register(TOKENIZER_NAME, tokenizer);
}
