//! Half-open byte spans into the document text, and byte-to-char conversion.
//!
//! Inside the crate every layer stores byte offsets (cheap to slice). The JSON
//! output converts them once, with [`CharMap`], to character (Unicode scalar)
//! offsets, which is what Python, JavaScript-with-Array.from and most
//! annotation tools index by.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into a document's text.
///
/// Both ends always lie on `char` boundaries of the text the span came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// Length in bytes.
    pub const fn len(&self) -> usize {
        self.end - self.start
    }
    /// True when the span covers no bytes.
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// The text this span covers.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
    /// True when `other` lies inside `self`.
    pub const fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// True when the two spans share at least one byte.
    pub const fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The smallest span covering both.
    pub fn cover(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Converts byte offsets of one text to char offsets in O(log n).
pub struct CharMap {
    /// Byte offset of every char that starts a 64-char block, for binary search.
    text_len: usize,
    ascii: bool,
    starts: Vec<usize>,
}

impl CharMap {
    /// Index `text`.
    pub fn new(text: &str) -> Self {
        let ascii = text.is_ascii();
        let starts = if ascii {
            Vec::new()
        } else {
            text.char_indices().map(|(b, _)| b).collect()
        };
        CharMap {
            text_len: text.len(),
            ascii,
            starts,
        }
    }
    /// The char offset of byte offset `byte` (which must be a char boundary or the text's end).
    pub fn char_of(&self, byte: usize) -> usize {
        if self.ascii {
            return byte.min(self.text_len);
        }
        match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_of_multibyte_text() {
        let text = "Zoë said “hi” 🙂.";
        let map = CharMap::new(text);
        let b = text.find('“').unwrap();
        assert_eq!(map.char_of(b), 9);
        assert_eq!(map.char_of(text.len()), text.chars().count());
    }
}
