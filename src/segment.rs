//! First stage: paragraphs, sentences and tokens, as byte spans.
//!
//! Paragraphs are lines (news files put one paragraph on a line, often with a
//! blank line between). Sentences end at `.`, `!` or `?` (plus any closing
//! quote or bracket) before a capital, digit or opening quote, unless the
//! word before the stop is an abbreviation or an initial. Tokens follow the
//! BERT pre-tokenizer: runs of letters and digits, each other symbol alone,
//! so POS tags from the model line up with them one to one.

use crate::lexicon::LEXICON;
use crate::span::Span;
use crate::typography::{closes_after_stop, opens_after_stop};

/// A paragraph: one non-empty line of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    /// Its bytes, without the line break and without outer white space.
    pub span: Span,
}

/// A sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Its bytes, trimmed.
    pub span: Span,
    /// Index of its paragraph.
    pub paragraph: usize,
    /// Its tokens: `tokens[first_token..end_token]`.
    pub first_token: usize,
    /// One past its last token.
    pub end_token: usize,
    /// True for a dateline ("BEIJING, July 16 (Xinhua) --"), which is a sentence of its own.
    pub dateline: bool,
}

/// A token: a word, a number, or a single punctuation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Its bytes.
    pub span: Span,
    /// Index of its sentence.
    pub sentence: usize,
}

/// The segmentation layer.
#[derive(Debug, Clone, Default)]
pub struct Segmentation {
    /// Paragraphs in order.
    pub paragraphs: Vec<Paragraph>,
    /// Sentences in order; they never cross a paragraph.
    pub sentences: Vec<Sentence>,
    /// Tokens in order.
    pub tokens: Vec<Token>,
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace() && !is_joiner(c))
}

// Combining marks and joiners stay with the word they modify.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}' | '\u{0300}'..='\u{036f}' | '\u{fe0f}')
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF)
}

/// Split `text` into paragraphs, sentences and tokens.
pub fn segment(text: &str) -> Segmentation {
    let mut seg = Segmentation::default();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let span = Span::new(start + lead, start + lead + trimmed.len());
        let paragraph = seg.paragraphs.len();
        seg.paragraphs.push(Paragraph { span });
        // A dateline ("BEIJING, July 16 (Xinhua) --") is a sentence of its own.
        let (dateline, body) = match dateline_end(span.text(text)) {
            Some(end) => (
                Some(Span::new(span.start, span.start + end)),
                Span::new(span.start + end, span.end),
            ),
            None => (None, span),
        };
        for s in dateline.into_iter().chain(split_sentences(text, body)) {
            let sentence = seg.sentences.len();
            let first_token = seg.tokens.len();
            tokenize_into(text, s, sentence, &mut seg.tokens);
            seg.sentences.push(Sentence {
                span: s,
                paragraph,
                first_token,
                end_token: seg.tokens.len(),
                dateline: Some(s) == dateline,
            });
        }
    }
    seg
}

fn tokenize_into(text: &str, span: Span, sentence: usize, out: &mut Vec<Token>) {
    let mut word_start: Option<usize> = None;
    for (i, c) in span.text(text).char_indices() {
        let at = span.start + i;
        if c.is_whitespace() || is_punct(c) || is_cjk(c) {
            if let Some(ws) = word_start.take() {
                out.push(Token {
                    span: Span::new(ws, at),
                    sentence,
                });
            }
            if !c.is_whitespace() {
                out.push(Token {
                    span: Span::new(at, at + c.len_utf8()),
                    sentence,
                });
            }
        } else if word_start.is_none() {
            word_start = Some(at);
        }
    }
    if let Some(ws) = word_start {
        out.push(Token {
            span: Span::new(ws, span.end),
            sentence,
        });
    }
}

fn split_sentences(text: &str, para: Span) -> Vec<Span> {
    let s = para.text(text);
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            // extend over repeated stops and closing quotes/brackets
            let mut j = i + 1;
            while j < chars.len() && (matches!(chars[j].1, '.' | '!' | '?') || closes_after_stop(chars[j].1)) {
                j += 1;
            }
            // need white space, then a sentence opener
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let boundary = k > j
                && k < chars.len()
                && (chars[k].1.is_uppercase() || chars[k].1.is_numeric() || opens_after_stop(chars[k].1))
                && !(c == '.' && is_abbreviation(s, chars[i].0));
            if boundary {
                let end = if j < chars.len() { chars[j].0 } else { s.len() };
                push_trimmed(para.start, &s[start..end], start, &mut out);
                start = chars[k].0;
                i = k;
                continue;
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    if start < s.len() {
        push_trimmed(para.start, &s[start..], start, &mut out);
    }
    out
}

/// Byte length of a dateline opening `para`, dash included: an all-capitals
/// place, then at most ten words without a sentence stop, then "--", "—", "–" or "-".
fn dateline_end(para: &str) -> Option<usize> {
    let head: String = para.chars().take(100).collect();
    let first_word: String = head.chars().take_while(|c| c.is_alphabetic()).collect();
    if first_word.chars().count() < 2 || !first_word.chars().all(char::is_uppercase) {
        return None;
    }
    for dash in [" -- ", " — ", " – ", " ― ", " - ", " —", " --"] {
        if let Some(at) = head.find(dash) {
            let prefix = &head[..at];
            let words = prefix.split_whitespace().count();
            let stops = prefix.contains(['!', '?', '"', '“']);
            // every word outside the parentheses is capitalised or a number ("July 16")
            let outside_parens = prefix.split('(').next().unwrap_or(prefix);
            let capitalised = outside_parens
                .split_whitespace()
                .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric()));
            if words <= 10 && !stops && capitalised {
                let end = at + dash.trim_end().len();
                return (end < para.len()).then_some(end);
            }
        }
    }
    None
}

/// The words of `text`, as byte spans: the units a name starts and ends on, so an
/// entity never ends inside a word ("Queensland" in "Queenslander") nor without an
/// abbreviation's dot ("U.S." and "Acme Ltd.", even at a sentence's end: the stop
/// after an abbreviation is its own dot, as news corpora annotate it).
///
/// A word is a run of letters and digits, with inner dots, apostrophes and
/// ampersands ("U.S", "O'Neill", "AT&T", "3.5"), and a currency's "$" after letters
/// ("C$"); hyphens, dashes and slashes
/// separate words ("ex-England", "U.S.-based"), and so does a possessive ("Pakistan"
/// of "Pakistan's", "Jones" of "Jones'"). Other punctuation belongs to no word.
pub fn words(text: &str) -> Vec<Span> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let is_word = |i: usize| i < chars.len() && is_word_char(chars[i].1);
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_word(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        loop {
            while is_word(j) {
                j += 1;
            }
            let inner = j < chars.len() && matches!(chars[j].1, '.' | '\'' | '’' | '&') && is_word(j + 1);
            // a possessive 's ends the name before it
            let possessive =
                inner && matches!(chars[j].1, '\'' | '’') && matches!(chars[j + 1].1, 's' | 'S') && !is_word(j + 2);
            if !inner || possessive {
                break;
            }
            j += 1;
        }
        // a currency's sign after its country's letters: "C$", "US$", "HK$"
        if j < chars.len() && chars[j].1 == '$' && chars[j - 1].1.is_alphabetic() {
            j += 1;
        }
        let (a, b) = (byte(start), byte(j));
        // an abbreviation's final dot is part of it
        let end = if j < chars.len() && chars[j].1 == '.' && !is_word(j + 1) && name_abbreviation(&text[a..b]) {
            byte(j + 1)
        } else {
            b
        };
        out.push(Span::new(a, end));
        i = j;
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_joiner(c)
}

fn push_trimmed(base: usize, piece: &str, offset: usize, out: &mut Vec<Span>) {
    let t = piece.trim();
    if t.is_empty() {
        return;
    }
    let lead = piece.len() - piece.trim_start().len();
    let start = base + offset + lead;
    out.push(Span::new(start, start + t.len()));
}

/// Is the word ending just before byte `dot` of `s` an abbreviation or initial?
fn is_abbreviation(s: &str, dot: usize) -> bool {
    let before = &s[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '\''))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    abbreviation_word(&before[word_start..])
}

/// Is `word` (without its final dot) an abbreviation or initial that takes a dot?
fn abbreviation_word(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    // a single capital ("J. Smith") or dotted initials ("U.S.")
    if word.chars().count() == 1 && first.is_uppercase() {
        return true;
    }
    // dotted initials of a name: "J.R. Smith", "Rep. G.K. Butterfield"
    if word.contains('.')
        && word
            .split('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase))
    {
        return true;
    }
    let lower = word.to_lowercase();
    LEXICON.is_abbreviation(&lower)
}

/// Does `word` (without its final dot) end a name with its dot: an initial, dotted
/// initials, or an abbreviation ("Ltd.", "Fla.")?
fn name_abbreviation(word: &str) -> bool {
    abbreviation_word(word) || LEXICON.is_name_abbreviation(&word.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        segment(text).sentences.iter().map(|s| s.span.text(text)).collect()
    }

    #[test]
    fn splits_sentences_and_keeps_abbreviations() {
        let t = "Mr. Li arrived in the U.S. on Friday. \"We are ready,\" he said. Talks went on.\n\nNext paragraph!";
        assert_eq!(
            sents(t),
            vec![
                "Mr. Li arrived in the U.S. on Friday.",
                "\"We are ready,\" he said.",
                "Talks went on.",
                "Next paragraph!"
            ]
        );
    }

    #[test]
    fn dotted_initials_do_not_end_a_sentence() {
        let t = "Rep. G.K. Butterfield spoke. J.R. Smith said he was tired.";
        assert_eq!(
            sents(t),
            vec!["Rep. G.K. Butterfield spoke.", "J.R. Smith said he was tired."]
        );
    }

    #[test]
    fn tokens_follow_bert_pre_tokenizer() {
        let t = "Pakistan's “all-weather” ties";
        let seg = segment(t);
        let toks: Vec<&str> = seg.tokens.iter().map(|x| x.span.text(t)).collect();
        assert_eq!(
            toks,
            vec!["Pakistan", "'", "s", "“", "all", "-", "weather", "”", "ties"]
        );
    }

    #[test]
    fn dateline_is_its_own_sentence() {
        let t = "BEIJING, July 16 (Xinhua) -- The Pakistani side should act, Li said.";
        assert_eq!(
            sents(t),
            vec![
                "BEIJING, July 16 (Xinhua) --",
                "The Pakistani side should act, Li said."
            ]
        );
        assert_eq!(
            sents("WASHINGTON (Reuters) - Talks resumed."),
            vec!["WASHINGTON (Reuters) -", "Talks resumed."]
        );
        assert_eq!(
            sents("US officials - not all - agreed."),
            vec!["US officials - not all - agreed."]
        );
    }

    #[test]
    fn words_keep_abbreviation_dots_and_split_hyphens_and_possessives() {
        let t =
            "Acme Ltd. rose in the U.S. (Queenslander O'Neill's ex-England AT&T, 3.5 U.S.-based Jones' C$5 Tampa, Fla.";
        let w: Vec<&str> = words(t).iter().map(|s| s.text(t)).collect();
        assert_eq!(
            w,
            vec![
                "Acme",
                "Ltd.",
                "rose",
                "in",
                "the",
                "U.S.",
                "Queenslander",
                "O'Neill",
                "s",
                "ex",
                "England",
                "AT&T",
                "3.5",
                "U.S.",
                "based",
                "Jones",
                "C$",
                "5",
                "Tampa",
                "Fla."
            ]
        );
    }

    #[test]
    fn empty_and_blank_text() {
        assert!(segment("").sentences.is_empty());
        assert!(segment(" \n\n\t").tokens.is_empty());
    }
}
