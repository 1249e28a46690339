//! The Arabic text layer of khabar.
//!
//! Everything here works on the original text and reports **byte** spans into it
//! ([`Span`]); conversion to the code point offsets of the output contract happens once,
//! at the output boundary (see the `khabar` crate). Normalized forms always live beside
//! the original, with an exact map back ([`NormalizedText`]).
//!
//! ```
//! use khabar_text::{normalize, tokenize, Profile, TokenKind};
//! let text = "قالت الأُمم المتحدة إن 70% من السكان…";
//! let tokens = tokenize(text);
//! assert_eq!(&text[tokens[1].span.range()], "الأُمم");
//! assert_eq!(normalize("الأُمم", Profile::Search), "الامم");
//! assert!(tokens.iter().any(|t| t.kind == TokenKind::Number && &text[t.span.range()] == "70%"));
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod chars;
mod error;
pub mod lexicon;
pub mod normalize;
pub mod repair;
pub mod segment;
pub mod sentence;
mod span;
pub mod stem;
pub mod tokenize;

#[cfg(feature = "train")]
pub mod agreement;
#[cfg(feature = "train")]
pub mod corpus;

pub use error::{Error, Result};
pub use normalize::{normalize, NormalizedText, Profile};
pub use sentence::split_sentences;
pub use span::Span;
pub use tokenize::{tokenize, RawToken, TokenKind};
