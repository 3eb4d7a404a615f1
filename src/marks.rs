//! Quotation marks, paired: a stage of its own, below speakers (which skip names inside
//! marks) and quotes (which start from them).
//!
//! Marks pair within a paragraph, straight or curly; a paragraph that opens a quote
//! without closing it continues into the next paragraph when that one opens with a
//! mark (the news convention), and otherwise ends at its paragraph, so an unbalanced
//! mark never swallows the rest of the text.

use crate::document::DocView;
use crate::span::Span;
use crate::typography::{closes_quote, opens_quote};

/// A span between quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MarkedSpan {
    /// Including the marks.
    pub outer: Span,
    /// Inside the marks, trimmed.
    pub inner: Span,
    /// False when the closing mark was missing.
    pub closed: bool,
}

/// The longest a quote may run on over paragraphs that each open with a mark.
const MAX_QUOTE_PARAGRAPHS: usize = 5;

/// Pair quotation marks, paragraph by paragraph.
pub(crate) fn find_marked(view: &DocView) -> Vec<MarkedSpan> {
    let text = view.text;
    let paragraphs = &view.seg.paragraphs;
    let mut out = Vec::new();
    // byte of the opening mark, its length, and whether it was a straight one
    let mut open: Option<(usize, usize, bool)> = None;
    // curly quotes nested inside the open quote
    let mut depth = 0usize;
    // paragraphs the open quote has already run through
    let mut continued = 0usize;
    // Text scraped from the web marks a block quote with a lone straight `"` opening each
    // of its paragraphs, while its own quotes are curly: that `"` is no quotation mark.
    let curly_text = text.contains('“') && text.contains('”');
    for (p, para) in paragraphs.iter().enumerate() {
        let body = para.span.text(text);
        let chars = mark_chars(body);
        let block_marker = curly_text
            && body.starts_with('"')
            && chars.iter().filter(|&&(_, c, len)| c == '"' && len == 1).count() == 1;
        let mut skip_first_mark = open.is_some() || block_marker;
        if open.is_some() {
            continued += 1;
        } else {
            continued = 0;
        }
        for (k, &(i, c, mark_len)) in chars.iter().enumerate() {
            let at = para.span.start + i;
            if skip_first_mark {
                skip_first_mark = false;
                if opens_quote(c) || c == '"' {
                    continue;
                }
            }
            let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
            let next = chars.get(k + 1).map(|x| x.1);
            match open {
                None if opens_quote(c) => {
                    open = Some((at, mark_len, false));
                    depth = 0;
                }
                None if c == '"' => {
                    let before_ok = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
                    let after_ok = next.is_some_and(|n| !n.is_whitespace());
                    if before_ok && after_ok {
                        open = Some((at, mark_len, true));
                        depth = 0;
                    }
                }
                // a typo'd closing mark: `“It's unusual,“ said Larry Noble`
                Some((start, open_len, false))
                    if c == '“'
                        && depth == 0
                        && prev.is_some_and(|p| !p.is_whitespace())
                        && next.is_none_or(char::is_whitespace) =>
                {
                    out.push(marked(text, (start, open_len), (at, mark_len), true));
                    open = None;
                }
                Some(_) if opens_quote(c) => depth += 1,
                Some(_) if closes_quote(c) && depth > 0 => depth -= 1,
                Some((start, open_len, straight)) if closes_quote(c) || c == '"' => {
                    // a straight mark closes a curly quote only where it looks like a closing one
                    let looks_closing = prev.is_some_and(|p| !p.is_whitespace())
                        && next.is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation());
                    // (and a curly one a straight quote: `"Nothing we could do …,” Kagan said`)
                    let closing = if straight {
                        c == '"' || (closes_quote(c) && looks_closing)
                    } else {
                        closes_quote(c) || looks_closing
                    };
                    if closing {
                        out.push(marked(text, (start, open_len), (at, mark_len), true));
                        open = None;
                    }
                }
                _ => {}
            }
        }
        if let Some((start, open_len, _)) = open {
            // a quote runs on into a paragraph that opens with a mark, for a few paragraphs at most
            let continues = continued < MAX_QUOTE_PARAGRAPHS
                && paragraphs
                    .get(p + 1)
                    .and_then(|next| next.span.text(text).chars().next())
                    .is_some_and(|c| opens_quote(c) || c == '"');
            if !continues {
                out.push(marked(text, (start, open_len), (para.span.end, 0), false));
                open = None;
            }
        }
    }
    out
}

/// Chars of a paragraph with their byte offsets; `''` and ``` `` ``` (typewriter
/// double quotes) come out as one `"` of length 2.
fn mark_chars(body: &str) -> Vec<(usize, char, usize)> {
    let mut out: Vec<(usize, char, usize)> = Vec::new();
    let mut iter = body.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if matches!(c, '\'' | '`') && iter.peek().is_some_and(|&(_, n)| n == c) {
            iter.next();
            out.push((i, '"', 2));
        } else {
            out.push((i, c, c.len_utf8()));
        }
    }
    out
}

/// The quote between an opening mark at `(start, open_len)` and a closing one at `(at, close_len)`.
fn marked(text: &str, (start, open_len): (usize, usize), (at, close_len): (usize, usize), closed: bool) -> MarkedSpan {
    let end = at + close_len;
    let inner_raw = Span::new(start + open_len, (end - close_len).max(start + open_len));
    let s = inner_raw.text(text);
    let lead = s.len() - s.trim_start().len();
    // the comma before a closing mark belongs to the sentence around the quote
    let body = s.trim().trim_end_matches(',').trim_end();
    let inner = Span::new(inner_raw.start + lead, inner_raw.start + lead + body.len());
    MarkedSpan {
        outer: Span::new(start, end),
        inner,
        closed,
    }
}

/// "Growth and Opportunity Project", "The Art of the Deal": capitalised words without a
/// sentence's end are a title.
pub(crate) fn is_title(inner: &str) -> bool {
    let inner = inner.trim();
    if inner.ends_with(['.', '?', '!', ',']) {
        return false;
    }
    inner.split_whitespace().all(|w| {
        w.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
            || matches!(
                w,
                "a" | "an" | "the" | "and" | "of" | "for" | "in" | "on" | "to" | "at" | "or" | "with"
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::NerLayer;
    use crate::segment::segment;

    fn marked_texts(text: &str) -> Vec<(String, bool)> {
        let seg = segment(text);
        let ner = NerLayer::default();
        let view = DocView::new(text, &seg, &ner, &[]);
        find_marked(&view)
            .iter()
            .map(|m| (m.inner.text(text).to_string(), m.closed))
            .collect()
    }

    #[test]
    fn pairs_straight_curly_and_typewriter_marks() {
        let got = marked_texts("“A b,” he said. \"C d.\" ''E f,'' she said.");
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, vec!["A b", "C d.", "E f"]);
    }

    #[test]
    fn nested_marks_stay_inside() {
        let got = marked_texts("He said: “They called it ‘a “farce”’ today.”");
        assert_eq!(got, vec![("They called it ‘a “farce”’ today.".to_string(), true)]);
    }

    #[test]
    fn unclosed_mark_ends_at_its_paragraph() {
        let got = marked_texts("“We will win, he said.\n\nThe rest is not quoted.");
        assert_eq!(got, vec![("We will win, he said.".to_string(), false)]);
    }

    #[test]
    fn quote_continues_into_a_paragraph_opening_with_a_mark() {
        let got = marked_texts("“First part.\n\n“Second part,” she said.");
        assert_eq!(got, vec![("First part.\n\n“Second part".to_string(), true)]);
    }

    #[test]
    fn lone_straight_mark_opening_a_paragraph_of_curly_text_is_no_quote() {
        let got = marked_texts("“A,” he said.\n\n\"Block text. “Inner,” she said.\n\nAfter.");
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, vec!["A", "Inner"]);
    }

    #[test]
    fn titles_are_told_from_sentences() {
        assert!(is_title("Growth and Opportunity Project"));
        assert!(is_title("The Art of the Deal"));
        assert!(!is_title("We will win this election."));
        assert!(!is_title("Building it? Not negotiable."));
        assert!(!is_title("more than a few"));
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert!(marked_texts("Pakistan's side and the 1990s' boom, rock 'n' roll.").is_empty());
    }
}
