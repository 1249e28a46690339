use crate::{Blob, Error, Result};

/// The first bytes of every khabar artifact.
pub const MAGIC: [u8; 8] = *b"KHABAR\x00\x01";
/// Header size: magic (8) + kind (4) + version (4) + payload length (8) + CRC-32 (4).
pub const HEADER_LEN: usize = 28;

/// A validated artifact: header checked, payload checksum verified.
///
/// ```text
/// offset  0        8      12        16              24      28
///         | MAGIC  | kind | version | payload len   | crc32 | payload ...
/// ```
/// All integers little-endian.
#[derive(Debug)]
pub struct Bundle {
    blob: Blob,
    kind: [u8; 4],
    version: u32,
}

impl Bundle {
    /// Frames `payload` as an artifact of `kind` at `version`.
    pub fn encode(kind: [u8; 4], version: u32, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&kind);
        out.extend_from_slice(&version.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
        out.extend_from_slice(payload);
        out
    }

    /// Checks length, magic, kind, version, payload length and checksum, in that order.
    ///
    /// # Errors
    /// [`Error::Format`] for anything that is not an intact khabar artifact,
    /// [`Error::Kind`] for an artifact of another kind, [`Error::Version`] for another version.
    pub fn parse(blob: Blob, kind: [u8; 4], version: u32) -> Result<Bundle> {
        let b: &[u8] = &blob;
        if b.len() < HEADER_LEN {
            return Err(Error::format(format!(
                "file is {} bytes, shorter than the {HEADER_LEN}-byte header (truncated or empty)",
                b.len()
            )));
        }
        if b[0..8] != MAGIC {
            return Err(Error::format("missing the KHABAR magic bytes: this is not a khabar model file"));
        }
        let found_kind: [u8; 4] = [b[8], b[9], b[10], b[11]];
        if found_kind != kind {
            return Err(Error::Kind {
                path: None,
                expected: String::from_utf8_lossy(&kind).into_owned(),
                found: String::from_utf8_lossy(&found_kind).into_owned(),
            });
        }
        let found_version = u32::from_le_bytes([b[12], b[13], b[14], b[15]]);
        if found_version != version {
            return Err(Error::Version { path: None, expected: version, found: found_version });
        }
        let mut len8 = [0u8; 8];
        len8.copy_from_slice(&b[16..24]);
        let len = u64::from_le_bytes(len8);
        let actual = (b.len() - HEADER_LEN) as u64;
        if len != actual {
            return Err(Error::format(format!(
                "header announces {len} payload bytes but the file holds {actual} (truncated or padded)"
            )));
        }
        let crc = u32::from_le_bytes([b[24], b[25], b[26], b[27]]);
        if crc32fast::hash(&b[HEADER_LEN..]) != crc {
            return Err(Error::format("payload checksum mismatch (the file is corrupted)"));
        }
        Ok(Bundle { blob, kind, version })
    }

    /// The payload bytes after the header.
    pub fn payload(&self) -> &[u8] {
        &self.blob[HEADER_LEN..]
    }

    /// The whole artifact, header included.
    pub fn blob_bytes(&self) -> &[u8] {
        &self.blob
    }

    /// The artifact kind.
    pub fn kind(&self) -> [u8; 4] {
        self.kind
    }

    /// The format version.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Gives back the underlying storage, header included.
    pub fn into_blob(self) -> Blob {
        self.blob
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        Bundle::encode(*b"SEGM", 2, b"hello model")
    }

    #[test]
    fn round_trips() {
        let b = Bundle::parse(Blob::Owned(sample()), *b"SEGM", 2).unwrap();
        assert_eq!(b.payload(), b"hello model");
    }

    #[test]
    fn truncated_file_is_a_format_error() {
        let mut bytes = sample();
        bytes.truncate(bytes.len() - 3);
        let e = Bundle::parse(Blob::Owned(bytes), *b"SEGM", 2).unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        let e = Bundle::parse(Blob::Owned(vec![1, 2, 3]), *b"SEGM", 2).unwrap_err();
        assert!(e.to_string().contains("shorter than"), "{e}");
    }

    #[test]
    fn foreign_file_is_rejected_by_magic() {
        let e = Bundle::parse(Blob::Owned(vec![b'x'; 100]), *b"SEGM", 2).unwrap_err();
        assert!(e.to_string().contains("not a khabar model"), "{e}");
    }

    #[test]
    fn other_kind_and_version_are_named() {
        let e = Bundle::parse(Blob::Owned(sample()), *b"LEXI", 2).unwrap_err();
        assert!(matches!(e, Error::Kind { .. }), "{e}");
        let e = Bundle::parse(Blob::Owned(sample()), *b"SEGM", 3).unwrap_err();
        assert!(matches!(e, Error::Version { expected: 3, found: 2, .. }), "{e}");
    }

    #[test]
    fn flipped_payload_byte_fails_checksum() {
        let mut bytes = sample();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x40;
        let e = Bundle::parse(Blob::Owned(bytes), *b"SEGM", 2).unwrap_err();
        assert!(e.to_string().contains("checksum"), "{e}");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = Bundle::parse(Blob::Owned(bytes), *b"SEGM", 2);
        }
    }
}
