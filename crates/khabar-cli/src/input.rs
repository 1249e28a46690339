//! Reading user input safely: size limits checked before reading, invalid UTF-8 reported
//! with its byte offset, JSONL lines read with a length cap so a file without newlines
//! cannot exhaust memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{bail, Context, Result};

/// Where input comes from: a named file or standard input (`-`).
pub fn open(name: &str) -> Result<(Box<dyn BufRead + Send>, Option<u64>)> {
    if name == "-" {
        return Ok((Box::new(BufReader::with_capacity(1 << 16, io::stdin())), None));
    }
    let path = Path::new(name);
    let f = File::open(path).with_context(|| format!("cannot open {name}"))?;
    let len = f.metadata().ok().map(|m| m.len());
    if name.ends_with(".gz") {
        Ok((Box::new(BufReader::with_capacity(1 << 16, flate2::read::MultiGzDecoder::new(f))), len))
    } else {
        Ok((Box::new(BufReader::with_capacity(1 << 16, f)), len))
    }
}

/// Reads a whole document, refusing more than `max` bytes and invalid UTF-8 (unless `lossy`).
pub fn read_document(name: &str, max: usize, lossy: bool) -> Result<String> {
    let (reader, len) = open(name)?;
    let shown = if name == "-" { "standard input" } else { name };
    if let Some(len) = len.filter(|_| !name.ends_with(".gz")) {
        if len > max as u64 {
            bail!(
                "{shown} is {} MB; the largest single document khabar analyzes is {} MB. \
                 Split it into articles, or give a JSONL corpus with --input jsonl (one article per line)",
                len / 1_000_000,
                max / 1_000_000
            );
        }
    }
    let mut bytes = Vec::new();
    reader.take(max as u64 + 1).read_to_end(&mut bytes).with_context(|| format!("cannot read {shown}"))?;
    if bytes.len() > max {
        bail!("{shown} is larger than {} MB, the largest single document khabar analyzes; split it or use --input jsonl", max / 1_000_000);
    }
    decode(bytes, shown, lossy)
}

/// UTF-8 decoding with the offending byte offset in the error.
pub fn decode(bytes: Vec<u8>, shown: &str, lossy: bool) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(strip_bom(s)),
        Err(e) if lossy => Ok(strip_bom(String::from_utf8_lossy(e.as_bytes()).into_owned())),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bad = &e.as_bytes()[at..e.as_bytes().len().min(at + 4)];
            bail!(
                "{shown}: invalid UTF-8 at byte offset {at} (bytes {}); khabar reads UTF-8 text. \
                 Convert it first, or pass --lossy to replace invalid bytes with U+FFFD",
                bad.iter().map(|b| format!("{b:#04x}")).collect::<Vec<_>>().join(" ")
            )
        }
    }
}

fn strip_bom(s: String) -> String {
    match s.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => s,
    }
}

/// One line read with a cap.
pub enum Line {
    /// The line's bytes, without the line break.
    Ok(Vec<u8>),
    /// The line was longer than the cap; its bytes were skipped.
    TooLong(u64),
    /// End of input.
    Eof,
}

/// Reads the next line into `buf`, keeping at most `max` bytes; a longer line is consumed
/// and discarded without being held in memory.
pub fn read_line_capped(r: &mut dyn BufRead, max: usize, buf: &mut Vec<u8>) -> io::Result<Line> {
    buf.clear();
    let mut total: u64 = 0;
    let mut overflow = false;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        total += take as u64;
        if !overflow {
            if buf.len() + take > max {
                overflow = true;
                buf.clear();
                buf.shrink_to(1 << 16);
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(if done { take + 1 } else { take });
        if done {
            break;
        }
    }
    if !any {
        return Ok(Line::Eof);
    }
    if overflow {
        return Ok(Line::TooLong(total));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Line::Ok(std::mem::take(buf)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_reader_skips_long_lines_and_keeps_going() {
        let data = format!("short\n{}\nafter\r\nlast", "x".repeat(100));
        let mut r = BufReader::with_capacity(7, data.as_bytes());
        let mut buf = Vec::new();
        let mut got = Vec::new();
        loop {
            match read_line_capped(&mut r, 10, &mut buf).unwrap() {
                Line::Ok(l) => got.push(String::from_utf8(l).unwrap()),
                Line::TooLong(n) => got.push(format!("<{n}>")),
                Line::Eof => break,
            }
        }
        assert_eq!(got, vec!["short", "<100>", "after", "last"]);
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let e = decode(b"abc\xffdef".to_vec(), "x.txt", false).unwrap_err();
        assert!(e.to_string().contains("x.txt: invalid UTF-8 at byte offset 3"), "{e}");
        assert_eq!(decode(b"ab\xff".to_vec(), "x", true).unwrap(), "ab\u{FFFD}");
    }
}
