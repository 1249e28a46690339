//! Output formats. [`v1`] is the JSON contract (`CONTRACT.md`, schema 1) that every
//! surface returns; [`text`] and [`conll`] are renderings for people and for tools.

pub mod conll;
pub mod text;
pub mod v1;
