//! Quotation marks, paired: a stage of its own, below speakers (which skip names inside
//! marks) and quotes (which start from them). It reads the text and its paragraphs.
//!
//! Two families of marks pair on their own: double (“…” "…" „…“ «…» and typewriter
//! ''…'') and single (‘…’ '…' ‹…›). A quote of one family inside a quote of the other
//! is nested and stays inside it: American “… ‘…’ …” and British ‘… “…” …’ alike.
//! Marks pair within a paragraph; a paragraph that opens a quote without closing it
//! continues into the next paragraph when that one opens with a mark (each paragraph of
//! a long quote reopens it, only the last closes it), and otherwise an unclosed double
//! quote ends at its paragraph, so an unbalanced mark never swallows the rest of the
//! text. A single mark is more often an apostrophe (don't, rock 'n' roll, the ’90s, the
//! Joneses' house): it opens a quote only before a word's start, closes one only after
//! a word's end, and an unclosed single quote is no quote.

use crate::lexicon::LEXICON;
use crate::segment::Segmentation;
use crate::span::Span;
use crate::typography::{closes_quote, closes_single_quote, opens_quote, opens_single_quote};

/// A span between quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MarkedSpan {
    /// Including the marks.
    pub outer: Span,
    /// Inside the marks, trimmed.
    pub inner: Span,
    /// False when the closing mark was missing.
    pub closed: bool,
    /// True for single marks (‘…’, '…').
    pub single: bool,
}

impl MarkedSpan {
    /// Does the passage read as speech without a cue? A short one does when it is a
    /// sentence of its own ("Yes.", "I may have.", "Yes, sir," with the comma the span
    /// leaves out, "_Ow!_" in italics); else it is a scare quote ("was at Geneva
    /// “studying.”") or a title ("The Art of the Deal").
    pub fn reads_as_speech(&self, text: &str) -> bool {
        let inner = self.inner.text(text);
        let words = inner.split_whitespace().count();
        let written = text[self.inner.start..self.outer.end]
            .trim_end_matches(|c: char| c.is_whitespace() || "\"'”’»«“‘›‹".contains(c))
            .trim_matches(['_', '*']);
        let sentence = written.ends_with(['.', '!', '?', ',', '—', '–', '…', '-'])
            && written.trim_start().starts_with(char::is_uppercase);
        (words >= 4 || sentence) && !is_title(inner) && !self.is_title_with_stop(text)
    }

    /// A title in running text with the full stop that American style puts inside the
    /// marks: `signed the “Contract with America.”`, `he had read "The Purple Land."`; two
    /// or more capitalised words without a comma or a dash, after a word of the sentence (`"Oh,
    /// Brett."` and `"Boulevard Montparnasse."` alone are turns).
    fn is_title_with_stop(&self, text: &str) -> bool {
        let Some(head) = self.inner.text(text).trim().strip_suffix('.') else {
            return false;
        };
        let in_running_text = text[..self.outer.start]
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == ',');
        in_running_text
            && head.split_whitespace().count() >= 2
            && !head.contains(['.', ',', '—'])
            && !head.contains("--")
            && is_title(head)
    }
}

/// The longest a quote may run on over paragraphs that each open with a mark.
const MAX_QUOTE_PARAGRAPHS: usize = 5;

/// Pair quotation marks, paragraph by paragraph: the outermost quotes of either family,
/// in text order.
pub(crate) fn find_marked(text: &str, seg: &Segmentation) -> Vec<MarkedSpan> {
    let double = pair_double(text, seg);
    let single = pair_single(text, seg);
    let strictly_inside = |a: &MarkedSpan, b: &MarkedSpan| b.outer.contains(a.outer) && a.outer != b.outer;
    // British style nests doubles in singles; a single quote that is only sure of its
    // closing mark by elimination (a weak one) does not take a double quote in
    let doubles: Vec<MarkedSpan> = double
        .into_iter()
        .filter(|d| !single.iter().any(|(s, sure)| *sure && strictly_inside(d, s)))
        .collect();
    let mut out: Vec<MarkedSpan> = single
        .into_iter()
        .map(|(s, _)| s)
        .filter(|s| !doubles.iter().any(|d| d.outer.overlaps(s.outer)))
        .collect();
    out.extend(doubles);
    // a dialogue dash's turn is a quote unless it holds quotation marks of its own
    let dashes: Vec<MarkedSpan> = pair_dash(text, seg)
        .into_iter()
        .filter(|d| !out.iter().any(|m| m.outer.overlaps(d.outer)))
        .collect();
    out.extend(dashes);
    out.sort_by_key(|m| m.outer.start);
    out
}

/// Dialogue dashes, where a text uses them: a paragraph that opens with a dash is a turn
/// ("—Introibo ad altare Dei, he said." / "— We'll go tomorrow."), which runs to the
/// paragraph's end, to the next dash, or to the comma before its cue; after the cue's
/// sentence a dash opens another turn ("…, he said. — Come up, Kinch."). A text uses
/// them when at least one turn has a cue after its comma: a list of dashed items has none.
fn pair_dash(text: &str, seg: &Segmentation) -> Vec<MarkedSpan> {
    // (an en dash or "--" opens a turn, but only the long dashes are read as the next
    // turn's inside a paragraph: "Paris–Berlin" is no turn)
    const LONG_DASHES: [char; 2] = ['—', '―'];
    let dash_len = |s: &str| {
        ['—', '―', '–']
            .iter()
            .find(|&&d| s.starts_with(d))
            .map(|d| d.len_utf8())
            .or_else(|| s.starts_with("--").then_some(2))
    };
    let mut turns = Vec::new();
    let mut cued_any = false;
    for para in &seg.paragraphs {
        let (mut at, end) = (para.span.start, para.span.end);
        while at < end {
            let rest = &text[at..end];
            let dash_at = at + (rest.len() - rest.trim_start().len());
            let Some(len) = dash_len(&text[dash_at..end]) else {
                break;
            };
            let start = dash_at + len;
            let next_dash = text[start..end].find(LONG_DASHES).map_or(end, |i| start + i);
            let cue_comma = cue_comma(text, seg, start, next_dash);
            cued_any |= cue_comma.is_some();
            let stop = cue_comma.map_or(next_dash, |c| c + 1);
            if text[start..stop].chars().any(char::is_alphanumeric) {
                turns.push(marked(text, (dash_at, len), (stop, 0), true, false));
            }
            at = match cue_comma {
                // the cue's sentence goes on to its end, or to a dash that opens the next turn
                Some(c) => {
                    let sentence = seg.sentences.partition_point(|s| s.span.end <= c);
                    let sentence_end = seg.sentences.get(sentence).map_or(end, |s| s.span.end.min(end));
                    text[c..end]
                        .find(LONG_DASHES)
                        .map_or(sentence_end, |i| sentence_end.min(c + i))
                }
                None => next_dash,
            };
        }
    }
    if cued_any {
        turns
    } else {
        Vec::new()
    }
}

/// The first comma in `from..to` followed by a cue: a reporting verb ("…, said
/// Stephen"), or a pronoun or capitalised name and then one ("…, he said", "…, Buck
/// Mulligan called"); or a question or exclamation mark followed by one in lower case
/// ("…? asked Tom").
fn cue_comma(text: &str, seg: &Segmentation, from: usize, to: usize) -> Option<usize> {
    let first = seg.tokens.partition_point(|t| t.span.start < from);
    let words: Vec<(usize, &str)> = seg.tokens[first..]
        .iter()
        .take_while(|t| t.span.start < to)
        .map(|t| (t.span.start, t.span.text(text)))
        .collect();
    let reports = |w: &str| !LEXICON.verb_forms(&w.to_lowercase()).is_empty();
    let subject =
        |w: &str| matches!(w, "he" | "she" | "they" | "I" | "we") || w.chars().next().is_some_and(char::is_uppercase);
    words.iter().enumerate().find_map(|(k, &(at, w))| {
        let next = |n: usize| seg.tokens.get(first + k + n).map_or("", |t| t.span.text(text));
        let cued = reports(next(1))
            || (subject(next(1)) && reports(next(2)))
            || (subject(next(1)) && subject(next(2)) && reports(next(3)));
        // ("— Are you coming? asked Tom.": after a question or an exclamation, a cue in
        // lower case)
        let lower_after = next(1).chars().next().is_some_and(char::is_lowercase);
        ((w == "," || matches!(w, "?" | "!") && lower_after) && cued).then_some(at)
    })
}

/// Double marks, paragraph by paragraph.
fn pair_double(text: &str, seg: &Segmentation) -> Vec<MarkedSpan> {
    let paragraphs = &seg.paragraphs;
    let mut out = Vec::new();
    // byte of the opening mark, its length, and the mark
    let mut open: Option<(usize, usize, char)> = None;
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
                    open = Some((at, mark_len, c));
                    depth = 0;
                }
                None if c == '"' => {
                    let before_ok = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/‘'".contains(p));
                    let after_ok = next.is_some_and(|n| !n.is_whitespace());
                    if before_ok && after_ok {
                        open = Some((at, mark_len, c));
                        depth = 0;
                    }
                }
                // German „…“ closes with the mark that opens English quotes
                Some((start, open_len, '„')) if c == '“' && depth == 0 => {
                    out.push(marked(text, (start, open_len), (at, mark_len), true, false));
                    open = None;
                }
                // a typo'd closing mark: `“It's unusual,“ said Larry Noble`
                Some((start, open_len, o))
                    if o != '"'
                        && c == '“'
                        && depth == 0
                        && prev.is_some_and(|p| !p.is_whitespace())
                        && next.is_none_or(char::is_whitespace) =>
                {
                    out.push(marked(text, (start, open_len), (at, mark_len), true, false));
                    open = None;
                }
                Some(_) if opens_quote(c) => depth += 1,
                Some(_) if closes_quote(c) && depth > 0 => depth -= 1,
                Some((start, open_len, o)) if closes_quote(c) || c == '"' => {
                    // a straight mark closes a curly quote only where it looks like a closing one
                    let looks_closing = prev.is_some_and(|p| !p.is_whitespace())
                        && next.is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation());
                    // (and a curly one a straight quote: `"Nothing we could do …,” Kagan said`)
                    let closing = if o == '"' {
                        c == '"' || (closes_quote(c) && looks_closing)
                    } else {
                        closes_quote(c) || looks_closing
                    };
                    if closing {
                        out.push(marked(text, (start, open_len), (at, mark_len), true, false));
                        open = None;
                    }
                }
                _ => {}
            }
        }
        if let Some((start, open_len, _)) = open {
            if !continues(text, seg, p, continued, |c| opens_quote(c) || c == '"') {
                out.push(marked(text, (start, open_len), (para.span.end, 0), false, false));
                open = None;
            }
        }
    }
    out
}

/// What a single mark can be where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SingleMark {
    /// Before a word's start: `‘We`, ` 'Yes`.
    Opens,
    /// After a word's end, sure: `rebuild,’`, `done’ he`.
    Closes,
    /// After a word's end that may be a possessive or a cut word: `Joneses' house`,
    /// `goin' home`; it closes a quote only if no sure closing mark follows in the paragraph.
    MayClose,
}

/// Single marks, paragraph by paragraph, each with whether its closing mark was sure.
fn pair_single(text: &str, seg: &Segmentation) -> Vec<(MarkedSpan, bool)> {
    let paragraphs = &seg.paragraphs;
    let mut out = Vec::new();
    // byte of the opening mark and its length
    let mut open: Option<(usize, usize)> = None;
    let mut continued = 0usize;
    for (p, para) in paragraphs.iter().enumerate() {
        let body = para.span.text(text);
        let chars = mark_chars(body);
        let marks: Vec<(usize, SingleMark)> = (0..chars.len())
            .filter_map(|k| single_mark(&chars, k).map(|m| (k, m)))
            .collect();
        let reopened = open.is_some();
        continued = if reopened { continued + 1 } else { 0 };
        for (n, &(k, mark)) in marks.iter().enumerate() {
            let (i, _, len) = chars[k];
            let at = para.span.start + i;
            // the mark that reopens a quote running on from the paragraph before
            if reopened && k == 0 && mark == SingleMark::Opens {
                continue;
            }
            match (open, mark) {
                (None, SingleMark::Opens) => open = Some((at, len)),
                (Some(start), SingleMark::Closes) => {
                    out.push((marked(text, start, (at, len), true, true), true));
                    open = None;
                }
                (Some(start), SingleMark::MayClose)
                    if !marks[n + 1..].iter().any(|&(_, m)| m == SingleMark::Closes) =>
                {
                    out.push((marked(text, start, (at, len), true, true), false));
                    open = None;
                }
                _ => {}
            }
        }
        if open.is_some() && !continues(text, seg, p, continued, |c| opens_single_quote(c) || c == '\'') {
            // (an unclosed single mark was an apostrophe: `'em`, `o' the`)
            open = None;
        }
    }
    out
}

/// Does a quote still open at the end of paragraph `p` run on into the next paragraph,
/// which opens with a mark (`opens`), for a few paragraphs at most?
fn continues(text: &str, seg: &Segmentation, p: usize, continued: usize, opens: impl Fn(char) -> bool) -> bool {
    continued < MAX_QUOTE_PARAGRAPHS
        && seg
            .paragraphs
            .get(p + 1)
            .and_then(|next| next.span.text(text).chars().next())
            .is_some_and(opens)
}

/// What the single mark at `chars[k]`, if it is one, can be: an apostrophe inside a
/// word (don’t, O'Brien) or before a cut word ('em, the ’90s) is none.
fn single_mark(chars: &[(usize, char, usize)], k: usize) -> Option<SingleMark> {
    let c = chars[k].1;
    if !(opens_single_quote(c) || closes_single_quote(c) || c == '\'') {
        return None;
    }
    let prev = k.checked_sub(1).map(|j| chars[j].1);
    let next = chars.get(k + 1).map(|x| x.1);
    if prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric) {
        return None;
    }
    let word_after: String = chars[k + 1..]
        .iter()
        .map(|x| x.1)
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let opens = (opens_single_quote(c) || c == '\'')
        && prev.is_none_or(|p| p.is_whitespace() || "([{—–-/“\"„«".contains(p))
        && next.is_some_and(|n| !n.is_whitespace());
    if opens {
        let cut = LEXICON.is_elision(&word_after.to_lowercase())
            || (word_after.len() == 2 && word_after.chars().all(|d| d.is_ascii_digit()))
            || (word_after.len() == 3
                && word_after.ends_with('s')
                && word_after.starts_with(|d: char| d.is_ascii_digit()));
        return (!cut).then_some(SingleMark::Opens);
    }
    let closes = (closes_single_quote(c) || c == '\'')
        && prev.is_some_and(|p| !p.is_whitespace())
        && next.is_none_or(|n| n.is_whitespace() || !n.is_alphanumeric());
    if !closes {
        return None;
    }
    // `the Joneses' house`, `goin' home`, `rock 'n' roll`: the mark may belong to the word
    let may_belong = prev.is_some_and(|p| matches!(p, 's' | 'n' | 'S' | 'N')) && next.is_none_or(char::is_whitespace);
    Some(if may_belong {
        SingleMark::MayClose
    } else {
        SingleMark::Closes
    })
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
fn marked(
    text: &str,
    (start, open_len): (usize, usize),
    (at, close_len): (usize, usize),
    closed: bool,
    single: bool,
) -> MarkedSpan {
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
        single,
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
    use crate::segment::segment;

    fn marked_texts(text: &str) -> Vec<(String, bool)> {
        let seg = segment(text);
        find_marked(text, &seg)
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
        assert!(marked_texts("Don’t tell ’em about the ’90s or the Joneses’ house, O'Brien.").is_empty());
        assert!(marked_texts("‘Twas the night, and the players' union won. Give 'em hell.").is_empty());
    }

    fn texts(text: &str) -> Vec<String> {
        marked_texts(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn single_marks_are_quotation_marks() {
        assert_eq!(texts("‘We will rebuild,’ the mayor said."), vec!["We will rebuild"]);
        assert_eq!(texts("'We will rebuild,' mayor says"), vec!["We will rebuild"]);
        assert_eq!(
            texts("‘I don’t love rock 'n' roll or the Joneses' dog,’ he said. ‘Not in the ’90s.’"),
            vec!["I don’t love rock 'n' roll or the Joneses' dog", "Not in the ’90s."]
        );
        // a possessive closes a quote only when no sure closing mark follows
        assert_eq!(
            texts("She said 'go to the Joneses' and left."),
            vec!["go to the Joneses"]
        );
    }

    #[test]
    fn nested_quotes_stay_inside_whichever_family_is_outside() {
        assert_eq!(
            texts("“He called it ‘a farce,’ today,” she said."),
            vec!["He called it ‘a farce,’ today"]
        );
        assert_eq!(
            texts("‘He called it “a farce”, today,’ she said."),
            vec!["He called it “a farce”, today"]
        );
    }

    #[test]
    fn single_quotes_run_over_paragraphs_and_unclosed_ones_are_apostrophes() {
        assert_eq!(
            texts("‘First part.\n\n‘Second part,’ she said."),
            vec!["First part.\n\n‘Second part"]
        );
        assert!(texts("He left ‘em there.\n\nThen went home.").is_empty());
    }

    #[test]
    fn low_and_guillemet_marks_pair() {
        assert_eq!(
            texts("„Wir schaffen das“, sagte sie. «Oui», dit-il."),
            vec!["Wir schaffen das", "Oui"]
        );
    }
}
