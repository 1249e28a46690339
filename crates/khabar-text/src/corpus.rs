//! Readers for the corpora in `../shared/data`: CoNLL-U treebanks (PUD, PADT), ANERcorp's
//! `token tag` lines, and SaudiNewsNet's gzipped JSON Lines. Malformed lines are errors
//! naming the file and line.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

fn open(path: &Path) -> Result<Box<dyn BufRead>> {
    let f = std::fs::File::open(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(f))))
    } else {
        Ok(Box::new(BufReader::new(f)))
    }
}

/// One row of a CoNLL-U sentence (multiword-token ranges and empty nodes are skipped).
#[derive(Clone, Debug)]
pub struct ConlluRow {
    /// FORM.
    pub form: String,
    /// LEMMA.
    pub lemma: String,
    /// UPOS.
    pub upos: String,
    /// FEATS.
    pub feats: String,
    /// MISC.
    pub misc: String,
}

impl ConlluRow {
    /// Whether MISC says the next row is written without a space after this one.
    pub fn no_space_after(&self) -> bool {
        self.misc.split('|').any(|m| m == "SpaceAfter=No")
    }
}

/// A CoNLL-U sentence with its comments.
#[derive(Clone, Debug, Default)]
pub struct ConlluSentence {
    /// `# key = value` comments (key, value), and bare comments with an empty key.
    pub comments: Vec<(String, String)>,
    /// The word rows.
    pub rows: Vec<ConlluRow>,
}

impl ConlluSentence {
    /// The `# text = …` comment, when present.
    pub fn text(&self) -> Option<&str> {
        self.comments.iter().find(|(k, _)| k == "text").map(|(_, v)| v.as_str())
    }
}

/// Reads every sentence of a CoNLL-U file.
///
/// # Errors
/// I/O errors, and [`Error::Corpus`] for a row without 10 tab-separated columns.
pub fn read_conllu(path: &Path) -> Result<Vec<ConlluSentence>> {
    let reader = open(path)?;
    let mut out = Vec::new();
    let mut cur = ConlluSentence::default();
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !cur.rows.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            match c.split_once('=') {
                Some((k, v)) => cur.comments.push((k.trim().to_string(), v.trim().to_string())),
                None => cur.comments.push((String::new(), c.to_string())),
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(corpus_err(path, n + 1, format!("expected 10 tab-separated columns, found {}", cols.len())));
        }
        if cols[0].contains('-') || cols[0].contains('.') {
            continue;
        }
        cur.rows.push(ConlluRow {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            feats: cols[5].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !cur.rows.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// A sentence of `(token, tag)` pairs, as in ANERcorp.
pub type TaggedSentence = Vec<(String, String)>;

/// Reads a `token<space>tag` file with blank lines between sentences (ANERcorp, CoNLL 2003).
///
/// # Errors
/// I/O errors, and [`Error::Corpus`] naming the line for a line that is not `token tag`.
pub fn read_tagged(path: &Path) -> Result<Vec<TaggedSentence>> {
    let reader = open(path)?;
    parse_tagged(reader, path)
}

/// Parses `token tag` lines from any reader; `path` names the source in errors.
///
/// # Errors
/// As [`read_tagged`].
pub fn parse_tagged(reader: impl BufRead, path: &Path) -> Result<Vec<TaggedSentence>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next(), parts.next()) {
            (Some(tok), Some(tag), None) => {
                if !(tag == "O" || tag.starts_with("B-") || tag.starts_with("I-")) {
                    return Err(corpus_err(path, n + 1, format!("tag `{tag}` is not O, B-TYPE or I-TYPE")));
                }
                cur.push((tok.to_string(), tag.to_string()))
            }
            _ => return Err(corpus_err(path, n + 1, format!("expected `token tag`, found `{line}`"))),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Streams one string field of every record in a JSON Lines file (gzip when it ends in `.gz`),
/// calling `f` with it; stops after `limit_bytes` of field text when given. Lines that do
/// not parse are skipped and counted.
///
/// # Errors
/// I/O errors only.
pub fn for_each_jsonl_field(
    path: &Path,
    field: &str,
    limit_bytes: Option<usize>,
    mut f: impl FnMut(&str),
) -> Result<usize> {
    let mut reader = open(path)?;
    let mut line = String::new();
    let mut seen = 0usize;
    let mut skipped = 0usize;
    loop {
        line.clear();
        let n = reader.read_line(&mut line).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        if n == 0 {
            break;
        }
        match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(v) => {
                if let Some(s) = v.get(field).and_then(|x| x.as_str()) {
                    f(s);
                    seen += s.len();
                }
            }
            Err(_) => skipped += 1,
        }
        if limit_bytes.is_some_and(|l| seen >= l) {
            break;
        }
    }
    Ok(skipped)
}

/// Reads a whole text file (gzip when it ends in `.gz`).
///
/// # Errors
/// I/O errors, including invalid UTF-8.
pub fn read_text(path: &Path) -> Result<String> {
    let mut s = String::new();
    open(path)?.read_to_string(&mut s).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    Ok(s)
}

fn corpus_err(path: &Path, line: usize, reason: String) -> Error {
    Error::Corpus { path: PathBuf::from(path), line, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagged_reader_names_the_bad_line() {
        let src = "كلمة O\nباريس B-LOC\n\nسطر بلا وسم خطأ\n";
        let e = parse_tagged(src.as_bytes(), Path::new("x.txt")).unwrap_err();
        assert_eq!(e.to_string(), "x.txt:4: expected `token tag`, found `سطر بلا وسم خطأ`");
        let ok = parse_tagged("a O\nb B-PERS\n\nc O\n".as_bytes(), Path::new("y")).unwrap();
        assert_eq!(ok.len(), 2);
    }
}
