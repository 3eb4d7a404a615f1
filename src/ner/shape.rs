//! Case shapes: the casing the uncased encoder cannot see.
//!
//! The encoder lower-cases its input, yet capitals are the strongest NER cue in
//! news. The model adds a learned embedding of each word-piece's shape and of
//! its whole word's shape to the input. These ids must match
//! `training/train_ner.py::shape_of` exactly.

/// Shape id of special tokens (`[CLS]`, `[SEP]`, padding).
pub const SPECIAL: u32 = 0;
const LOWER: u32 = 1;
const TITLE: u32 = 2;
const UPPER: u32 = 3;
const MIXED: u32 = 4;
pub(crate) const NON_ALPHA: u32 = 5;
const SINGLE_UPPER: u32 = 6;

/// The shape id of `s`: lower, Title, UPPER, mixed, no letters, or one capital.
pub fn shape_of(s: &str) -> u32 {
    let mut letters = s.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return NON_ALPHA;
    };
    let rest: Vec<char> = letters.collect();
    if rest.is_empty() && first.is_uppercase() {
        return SINGLE_UPPER;
    }
    let all_lower = first.is_lowercase() && rest.iter().all(|c| c.is_lowercase());
    if all_lower {
        return LOWER;
    }
    let all_upper = first.is_uppercase() && rest.iter().all(|c| c.is_uppercase());
    if all_upper {
        return UPPER;
    }
    if first.is_uppercase() && rest.iter().all(|c| c.is_lowercase()) {
        return TITLE;
    }
    MIXED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape_of("premier"), LOWER);
        assert_eq!(shape_of("Li"), TITLE);
        assert_eq!(shape_of("NATO"), UPPER);
        assert_eq!(shape_of("McDonald"), MIXED);
        assert_eq!(shape_of("2021"), NON_ALPHA);
        assert_eq!(shape_of("X"), SINGLE_UPPER);
        assert_eq!(shape_of("x"), LOWER);
        assert_eq!(shape_of("Zoë"), TITLE);
    }
}
