//! Quotes: direct (between quotation marks) and reported (around a cue).
//!
//! Direct quotes are paired marks, straight or curly, within a paragraph; a
//! paragraph that opens a quote without closing it continues into the next
//! paragraph when that one opens with a mark (the news convention), and
//! otherwise ends at its paragraph, so an unbalanced mark never swallows the
//! rest of the text. A direct quote takes the cue right after it (`"…," she
//! said`) or right before it (`she said: "…"`); `"…," she said, "…"` gives two
//! quotes with one cue.
//!
//! Reported speech is read off the clause around each cue:
//! * `Y, X said …` (content before the subject; what follows the cue has no
//!   clause of its own) and `Y, said X`;
//! * `X said (that) Y`, `X told Z (that) Y`, `X added he hopes Y`;
//! * `…, adding that Z` and `Noting that Y, X said Z`: the participle's
//!   speaker is its main clause's;
//! * `Y, according to X` and `According to X, Y`;
//! * `X: Y`.
//!
//! This stage says where the source should be (a token range, or "as for cue
//! N", or "the previous quote's speaker" for a floating quote); the
//! attribution stage resolves it to a speaker.

use serde::Serialize;

use crate::cues::{is_participle_adverb, Cue, CueKind};
use crate::document::DocView;
use crate::lexicon::{VerbFrames, LEXICON};
use crate::ner::{EntityLabel, LearnedLabel, LearnedSpan};
use crate::span::Span;
use crate::speakers::{MentionKind, SpeakerLayer};

/// How a quote is given.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Inside quotation marks.
    Direct,
    /// Reported speech, no quotation marks.
    Indirect,
    /// Reported speech that contains a quoted part.
    Mixed,
}

/// Where the quote's source is to be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Among tokens `first..end` (the subject of the cue, or the NP after it).
    Tokens {
        /// First token.
        first: usize,
        /// One past the last token.
        end: usize,
    },
    /// Same speaker as the quote introduced by this cue (index into the cue layer).
    SameAsCue(usize),
    /// Same speaker as the previous quote (a floating quote).
    Previous,
    /// Unknown.
    Unknown,
}

/// One quote.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quote {
    /// What was said (inside the marks for a direct quote).
    pub content: Span,
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// Index of its cue in the cue layer.
    pub cue: Option<usize>,
    /// The cue's words when only the attribution tagger marks them (`cue` is then `None`).
    pub learned_cue: Option<Span>,
    /// Where to look for the source.
    pub source: Source,
    /// How sure the pattern is, in [0, 1].
    pub confidence: f32,
}

/// A span between quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkedSpan {
    /// Including the marks.
    pub outer: Span,
    /// Inside the marks, trimmed.
    pub inner: Span,
    /// False when the closing mark was missing.
    pub closed: bool,
}

fn opens(c: char) -> bool {
    matches!(c, '“' | '„' | '«')
}
fn closes(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// The longest a quote may run on over paragraphs that each open with a mark.
const MAX_QUOTE_PARAGRAPHS: usize = 5;

/// Pair quotation marks, paragraph by paragraph.
pub fn find_marked(view: &DocView) -> Vec<MarkedSpan> {
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
                if opens(c) || c == '"' {
                    continue;
                }
            }
            let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
            let next = chars.get(k + 1).map(|x| x.1);
            match open {
                None if opens(c) => {
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
                Some(_) if opens(c) => depth += 1,
                Some(_) if closes(c) && depth > 0 => depth -= 1,
                Some((start, open_len, straight)) if closes(c) || c == '"' => {
                    // a straight mark closes a curly quote only where it looks like a closing one
                    let looks_closing = prev.is_some_and(|p| !p.is_whitespace())
                        && next.is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation());
                    // (and a curly one a straight quote: `"Nothing we could do …,” Kagan said`)
                    let closing = if straight {
                        c == '"' || (closes(c) && looks_closing)
                    } else {
                        closes(c) || looks_closing
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
                    .is_some_and(|c| opens(c) || c == '"');
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

/// Words that may stand between a subject and its verb ("Li also said", "he has said").
fn is_aux_or_adverb(view: &DocView, i: usize) -> bool {
    matches!(
        view.lower(i),
        "has"
            | "have"
            | "had"
            | "also"
            | "further"
            | "was"
            | "is"
            | "are"
            | "am"
            | "been"
            | "were"
            | "would"
            | "will"
            | "did"
            | "does"
            | "again"
            | "later"
            | "earlier"
            | "then"
            | "first"
            | "once"
            | "reportedly"
            | "repeatedly"
            | "previously"
            | "recently"
            | "publicly"
            | "privately"
            | "separately"
            | "quickly"
            | "simply"
            | "often"
            | "already"
            | "never"
            | "frequently"
            | "flatly"
            | "strongly"
    ) || matches!(view.pos(i), "RB" | "RBR" | "RBS") && !view.is_punct(i)
}

fn is_np_token(view: &DocView, i: usize) -> bool {
    matches!(
        view.pos(i),
        "NN" | "NNS" | "NNP" | "NNPS" | "JJ" | "JJR" | "JJS" | "DT" | "PRP$" | "CD" | "POS" | "PRP"
    ) || matches!(view.lower(i), "'" | "s" | "-" | "of" | "for" | "at")
        || view.label_at(i).is_some()
}

fn is_quote_token(view: &DocView, i: usize) -> bool {
    crate::speakers::is_quote_mark(view.word(i))
}

/// Walk left from a verb over what may stand between it and its subject: auxiliaries,
/// adverbs, negation ("isn’t"), time ("on Friday", "this month") and a controlling
/// verb ("appeared to suggest", "declined to").
fn skip_between_subject_and_verb(view: &DocView, sent_first: usize, verb: usize) -> usize {
    let mut i = verb;
    loop {
        let before = i;
        while i > sent_first && (is_aux_or_adverb(view, i - 1) || is_time_word(view.lower(i - 1))) {
            i -= 1;
        }
        if i > sent_first
            && matches!(
                view.lower(i - 1),
                "t" | "’" | "'" | "isn" | "wasn" | "doesn" | "didn" | "won" | "don"
            )
        {
            i -= 1;
            continue;
        }
        if i > sent_first + 1 && view.lower(i - 1) == "to" && view.is_verb(i - 2) {
            i -= 2;
            continue;
        }
        if i > sent_first + 1 && matches!(view.lower(i - 1), "on" | "in" | "at") && i < before {
            i -= 1;
            continue;
        }
        if i == before {
            return i;
        }
    }
}

/// Words of a time adjunct ("on Friday", "last week", "in March").
fn is_time_word(w: &str) -> bool {
    const TIME: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "tonight",
        "week",
        "month",
        "year",
        "morning",
        "afternoon",
        "evening",
        "night",
        "weekend",
        "this",
        "last",
        "next",
        "earlier",
        "later",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    TIME.contains(&w)
}

fn is_honorific(w: &str) -> bool {
    matches!(
        w.trim_end_matches('.'),
        "mr" | "mrs" | "ms" | "miss" | "dr" | "prof" | "sen" | "rep" | "gov" | "gen" | "sir" | "rev" | "lt" | "col"
    )
}

/// The subject of the verb at `cue_first`: a token range ending right before it.
fn subject_before(view: &DocView, speakers: &SpeakerLayer, cue_first: usize) -> Option<(usize, usize)> {
    let (sent_first, _) = view.sentence_tokens(view.sentence_of(cue_first));
    let mut i = skip_between_subject_and_verb(view, sent_first, cue_first);
    let end = i;
    if i == sent_first {
        return None;
    }
    // "Mr. Holtz-Eakin, who emphasized …": a relative pronoun's antecedent is the subject
    if matches!(view.lower(i - 1), "who" | "which") && i - 1 > sent_first + 1 && view.word(i - 2) == "," {
        let mut before = i - 2;
        if view.word(before - 1) == ")" {
            if let Some(open) = (before.saturating_sub(8).max(sent_first)..before - 1)
                .rev()
                .find(|&t| view.word(t) == "(")
            {
                before = open;
            }
        }
        return speakers
            .mention_at(before - 1)
            .map(|m| (m.first_token.max(sent_first), before));
    }
    // "Gov. Mike Pence (R-IN) said": a parenthesis after the subject
    if view.word(i - 1) == ")" {
        if let Some(open) = (i.saturating_sub(8).max(sent_first)..i - 1)
            .rev()
            .find(|&k| view.word(k) == "(")
        {
            i = open;
            if i == sent_first {
                return None;
            }
        }
    }
    // "Imran Khan, Pakistan's prime minister, said" / "The campaign chairman, Phil Lovas, said"
    if view.word(i - 1) == "," {
        let lo = (i - 1).saturating_sub(24).max(sent_first);
        let mut k = (lo..i - 1).rev().find(|&k| view.word(k) == ",")?;
        // "Johnnie Wilson, of Springfield, Va., said": a place's state is no appositive of its own
        let place_only = (k + 1..i - 1).all(|t| view.label_at(t) == Some(EntityLabel::Location) || view.is_punct(t));
        if place_only && k > lo {
            if let Some(k2) = (lo..k).rev().find(|&t| view.word(t) == ",") {
                if matches!(view.lower(k2 + 1), "of" | "from" | "in") {
                    k = k2;
                }
            }
        }
        let block = k + 1..i - 1;
        // a relative clause may describe the name: "Douglas Brinkley, a historian who attended …,"
        let relative = block
            .clone()
            .find(|&t| matches!(view.lower(t), "who" | "which" | "whose"));
        let clean = !block
            .clone()
            .any(|t| is_quote_token(view, t) || (view.is_finite_verb(t) && relative.is_none_or(|r| t < r)));
        let named_before = k > sent_first
            && speakers
                .mention_at(k - 1)
                .is_some_and(|m| matches!(m.kind, MentionKind::Name | MentionKind::TitledName));
        // "Schiff, 56, who has served on the committee for a decade, told": a relative clause
        // (and an age) between subject and verb
        if matches!(view.lower(k + 1), "who" | "which") && k > sent_first {
            let mut before = k;
            if before >= sent_first + 3 && view.pos(before - 1) == "CD" && view.word(before - 2) == "," {
                before -= 2;
            }
            if let Some(m) = speakers.mention_at(before - 1) {
                return Some((m.first_token.max(sent_first), before));
            }
        }
        // "Judge Jane Stranch, in her dissent, said": a phrase set off between subject and verb
        let set_off_phrase = clean
            && matches!(
                view.lower(k + 1),
                "in" | "for" | "at" | "on" | "during" | "after" | "like" | "of" | "from"
            )
            && k > sent_first
            && speakers.mention_at(k - 1).is_some();
        if set_off_phrase {
            if let Some(m) = speakers.mention_at(k - 1) {
                let mut a = m.first_token.max(sent_first);
                if a > sent_first && view.lower(a - 1) == "the" {
                    a -= 1;
                }
                return Some((a, k));
            }
        }
        let described = block.clone().any(|t| LEXICON.is_role(view.lower(t)))
            || matches!(view.lower(k + 1), "a" | "an" | "the")
            || named_before;
        if clean && described && k > sent_first {
            // the name before the appositive; skip its own parenthesis ("Butterfield (D-N.C.), head of …")
            let mut before = k;
            if view.word(before - 1) == ")" {
                if let Some(open) = (before.saturating_sub(8).max(sent_first)..before - 1)
                    .rev()
                    .find(|&t| view.word(t) == "(")
                {
                    before = open;
                }
            }
            if before > sent_first {
                if let Some(m) = speakers.mention_at(before - 1) {
                    return Some((m.first_token, end));
                }
            }
        }
        if clean {
            // a name in the commas, after a description of it
            if let Some(m) = speakers.mentions.iter().find(|m| m.first_token > k && m.end_token < i) {
                if m.first_token == k + 1 && m.end_token == i - 1 {
                    return Some((m.first_token, end));
                }
            }
        }
        return None;
    }
    if let Some(m) = speakers.mention_at(i - 1) {
        // "Protesters marching through Ferguson chanted" / "A spokesman for the embassy said":
        // a name inside a post-modifier is not the subject; the noun it modifies is
        if let Some(head) = modified_head(view, speakers, sent_first, m.first_token) {
            return Some(head);
        }
        let mut a = m.first_token.max(sent_first);
        if a > sent_first && view.lower(a - 1) == "the" {
            a -= 1;
        }
        // "Mr. Bush": the honorific belongs to the subject
        if a > sent_first && view.word(a - 1) == "." && a - 1 > sent_first && is_honorific(view.lower(a - 2)) {
            a -= 2;
        } else if a > sent_first && is_honorific(view.lower(a - 1)) {
            a -= 1;
        }
        return Some((a, end));
    }
    if view.pos(i - 1) == "PRP" || matches!(view.lower(i - 1), "he" | "she" | "they" | "we" | "i" | "it") {
        return Some((i - 1, end));
    }
    let head_ok = view.pos(i - 1).starts_with("NN") || view.label_at(i - 1).is_some();
    if !head_ok {
        return None;
    }
    let mut a = i;
    while a > sent_first && a + 8 > end && is_np_token(view, a - 1) && !is_quote_token(view, a - 1) {
        a -= 1;
    }
    // an NP does not start with a preposition
    while a < end && matches!(view.lower(a), "of" | "for" | "at" | "'" | "s" | "-") {
        a += 1;
    }
    (a < end).then_some((a, end))
}

/// The first of the adverbs right before token `i` ("and repeatedly | says"), not before `floor`.
fn before_adverbs(view: &DocView, mut i: usize, floor: usize) -> usize {
    while i > floor && matches!(view.pos(i - 1), "RB" | "RBR") {
        i -= 1;
    }
    i
}

/// The subject of the verb at `cue_first`, or, for a second verb ("He joined the ranks …,
/// and criticized …", "and repeatedly says"), the subject of the sentence's first verb.
fn subject_or_shared(view: &DocView, speakers: &SpeakerLayer, cue_first: usize) -> Option<(usize, usize)> {
    let subject = subject_before(view, speakers, cue_first);
    let (sent_first, _) = view.sentence_tokens(view.sentence_of(cue_first));
    let conj = before_adverbs(view, cue_first, sent_first + 1);
    if subject.is_some() || conj <= sent_first || !matches!(view.lower(conj - 1), "and" | "but") {
        return subject;
    }
    let first_verb = (sent_first..conj - 1).find(|&t| view.is_finite_verb(t))?;
    subject_before(view, speakers, first_verb)
}

/// The noun phrase that a prepositional phrase starting before `pp_object` modifies
/// ("protesters marching through | Ferguson", "a spokesman for | the embassy").
fn modified_head(
    view: &DocView,
    speakers: &SpeakerLayer,
    sent_first: usize,
    pp_object: usize,
) -> Option<(usize, usize)> {
    let mut prep = pp_object;
    // "advisers to Mr. Obama"
    if prep > sent_first + 1 && view.word(prep - 1) == "." && is_honorific(view.lower(prep - 2)) {
        prep -= 2;
    } else if prep > sent_first && is_honorific(view.lower(prep - 1)) {
        prep -= 1;
    }
    if prep > sent_first && matches!(view.lower(prep - 1), "the" | "a" | "an") {
        prep -= 1;
    }
    if prep <= sent_first + 1 || !matches!(view.pos(prep - 1), "IN" | "TO") || view.lower(prep - 1) == "of" {
        return None;
    }
    let mut head_end = prep - 1;
    let participle = view.pos(head_end - 1) == "VBG";
    if participle {
        head_end -= 1;
    }
    if head_end == sent_first {
        return None;
    }
    let head = head_end - 1;
    // the modified word is a plain noun, not a name (those are mentions) or a verb
    let named = speakers
        .mention_at(head)
        .is_some_and(|m| matches!(m.kind, MentionKind::Name | MentionKind::TitledName));
    if !view.pos(head).starts_with("NN") || named || view.label_at(head).is_some() {
        return None;
    }
    // ("said Friday at the White House" has no subject here; "officials in Kabul" does)
    // ("advisers to Mr. Obama": "to" only after a role noun, "the letter to Mr. Obama" is no speaker's)
    let role_to = view.lower(prep - 1) == "to" && {
        let w = view.lower(head);
        LEXICON.is_role(w) || w.strip_suffix('s').is_some_and(|w| LEXICON.is_role(w))
    };
    if !participle && !role_to && !matches!(view.lower(prep - 1), "for" | "at" | "with" | "from" | "in") {
        return None;
    }
    let mut a = head_end;
    while a > sent_first && a + 6 > head_end && is_np_token(view, a - 1) && !is_quote_token(view, a - 1) {
        a -= 1;
    }
    (a < head_end).then_some((a, head_end))
}

/// The noun phrase right after `from` (inverted "said Li", "according to X"), up to a clause mark.
fn np_after(view: &DocView, speakers: &SpeakerLayer, from: usize, limit: usize) -> Option<(usize, usize)> {
    let (_, sent_end) = view.sentence_tokens(view.sentence_of(from.min(view.len().saturating_sub(1))));
    if from >= sent_end {
        return None;
    }
    if let Some(m) = speakers.mention_at(from) {
        let mut end = m.end_token;
        // keep an appositive / "of X" attached: stop at the clause mark
        while end < sent_end && end < from + limit && !is_clause_mark(view, end) && !view.is_finite_verb(end) {
            end += 1;
        }
        return Some((from, end.min(sent_end)));
    }
    // (a relative clause is not part of it: "leaders who have been …")
    let mut end = from;
    while end < sent_end
        && end < from + limit
        && !is_clause_mark(view, end)
        && !view.is_finite_verb(end)
        && !matches!(view.lower(end), "who" | "which" | "whose")
    {
        end += 1;
    }
    (end > from).then_some((from, end))
}

/// "Growth and Opportunity Project", "The Art of the Deal": capitalised words without a
/// sentence's end are a title.
fn is_title(inner: &str) -> bool {
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

fn is_clause_mark(view: &DocView, i: usize) -> bool {
    // (a stop inside a name or after an abbreviation is none: "Rep. G.K. Butterfield",
    // "Ms. Epstein", "Jan. 31"; the segmenter has already ended the sentences)
    let (_, sent_end) = view.sentence_tokens(view.sentence_of(i));
    let in_name =
        view.word(i) == "." && (view.entity_at(i).is_some() || (i + 2 < sent_end && !is_quote_token(view, i + 1)));
    (matches!(view.word(i), "," | "." | ";" | ":" | "!" | "?" | "—" | "–") && !in_name) || is_quote_token(view, i)
}

/// Trim punctuation and quote-less clutter from both ends of a token range.
fn trim_range(view: &DocView, mut a: usize, mut b: usize) -> Option<(usize, usize)> {
    // (a leading complementizer goes, a demonstrative stays: "That's why, he argued, …")
    while a < b
        && (matches!(view.word(a), "," | ";" | ":" | "—" | "–" | "-")
            || view.lower(a) == "that"
                && a + 1 < b
                && !matches!(view.lower(a + 1), "'s" | "’s" | "'" | "’" | "is" | "was"))
    {
        a += 1;
    }
    while b > a && matches!(view.word(b - 1), "," | "." | ";" | ":" | "—" | "–" | "-") {
        b -= 1;
    }
    (b > a).then_some((a, b))
}

/// Does the content after a cue start here, as an object ("lower taxes", "why she …",
/// "supporters to …") rather than an adjunct ("here Friday", "in a telephone call")?
fn starts_object(view: &DocView, i: usize) -> bool {
    let w = view.lower(i);
    // "praised Thursday's protests"
    let possessive = i + 1 < view.len() && view.pos(i + 1) == "POS";
    if !possessive && (is_time_word(w) || matches!(w, "here" | "there" | "tomorrow" | "again" | "so")) {
        return false; // "said Friday", "said here", "said last week"
    }
    if is_quote_token(view, i) || matches!(w, "why" | "whether" | "if" | "how" | "what" | "who" | "when") {
        return true;
    }
    // ("blasted him for …"; "said it" is no object)
    matches!(
        view.pos(i),
        "DT" | "NN" | "NNS" | "NNP" | "NNPS" | "JJ" | "JJS" | "JJR" | "PRP$" | "CD"
    ) || matches!(w, "him" | "her" | "them" | "us" | "me")
        || possessive
}

/// Verbs whose object comes before the content ("told reporters that").
fn takes_object(lemma: &str) -> bool {
    matches!(
        lemma,
        "tell"
            | "inform"
            | "assure"
            | "reassure"
            | "remind"
            | "warn"
            | "advise"
            | "notify"
            | "urge"
            | "caution"
            | "ask"
            | "promise"
            | "convince"
            | "persuade"
    )
}

/// Conjunctions that open a subordinate clause ("when pressed on why …", "though that was …").
fn is_subordinator(w: &str) -> bool {
    matches!(
        w,
        "when" | "while" | "if" | "after" | "before" | "as" | "since" | "because" | "though" | "although" | "unless"
    )
}

/// Verbs whose content may be an infinitive ("vowed to form a task force").
fn takes_infinitive(lemma: &str) -> bool {
    matches!(
        lemma,
        "vow" | "pledge" | "promise" | "threaten" | "agree" | "offer" | "demand" | "propose" | "swear"
    )
}

/// What one frame of a cue found.
enum Frame {
    /// The content.
    Quote(Quote),
    /// The cue reports nothing: try no other frame.
    NoContent,
    /// Not this frame: try the next one.
    NotThis,
}

struct Finder<'v, 'a> {
    view: &'v DocView<'a>,
    speakers: &'v SpeakerLayer,
    cues: &'v [Cue],
}

/// Find quotes: direct ones from marks, reported ones from cues.
pub fn find_quotes(view: &DocView, speakers: &SpeakerLayer, cues: &[Cue], marked: &[MarkedSpan]) -> Vec<Quote> {
    let f = Finder { view, speakers, cues };
    let mut used_cue = vec![false; cues.len()];
    let mut quotes = Vec::new();
    let mut direct_cue: Vec<Option<(usize, Source)>> = Vec::new();
    let mut lead_in: Vec<Option<usize>> = Vec::new();
    let mut trail: Vec<Option<usize>> = Vec::new();
    for m in marked {
        // A short quote inside a clause ("called it “outrageous” and") is a scare quote: it
        // takes no cue of its own and may become part of a mixed quote.
        let words = m.inner.text(view.text).split_whitespace().count();
        // ... but `chanted “What curfew?” and kept going` quotes an utterance: it ends as one
        // and follows its speech verb
        let inner = m.inner.text(view.text);
        // (also `repeatedly says, "Don't you do it," until …`)
        let utterance = f.follows_verb_cue(m)
            && (inner.ends_with(['?', '!', '.'])
                || (view.text.get(m.inner.end..).is_some_and(|r| r.starts_with(',')) && f.cue_after(m).is_none()));
        // `Not paying taxes “makes me smart,” Trump said`: a partial quote that ends its clause
        // before a cue takes the words before it into a mixed content
        let partial = !f.opens_clause(m);
        // (`had “been friends for some time,” he claimed they had never met`: a cue with a
        // content of its own after it is not a partial quote's)
        let after = if utterance { None } else { f.cue_after(m) }.filter(|&(c, _)| !(partial && f.has_own_content(c)));
        // (`On ABC News's “This Week,” Rubio said`: a title, not a partial quote)
        let title = is_title(inner.trim_end_matches([',', ' ']));
        let lead = if partial && after.is_some() && !title {
            f.lead_in(m)
        } else {
            None
        };
        let found = if utterance {
            f.cue_before(m, true)
        } else if lead.is_some() {
            after
        } else if (words < 4 || title) && partial {
            None
        } else {
            after.or_else(|| f.cue_before(m, false))
        };
        if let Some((c, _)) = found {
            used_cue[c] = true;
        }
        // `“You squeezed employees” to drive up the stock price, she said`: words after the
        // closing mark, up to the comma before the speaker, belong to a mixed content
        let trailing = match (found, lead) {
            (Some((c, _)), None) if !partial => f.trailing_words(m, c),
            _ => None,
        };
        direct_cue.push(found);
        lead_in.push(lead);
        trail.push(trailing);
    }
    let inside_marks = |c: &Cue| marked.iter().any(|m| m.inner.contains(c.span));
    // Reported speech.
    let mut reported: Vec<Quote> = Vec::new();
    for (ci, cue) in cues.iter().enumerate() {
        if used_cue[ci] || inside_marks(cue) {
            continue;
        }
        if let Some(q) = f.reported(ci) {
            reported.push(q);
        }
    }
    // Direct quotes inside a reported content make it mixed; a reported content that is
    // (almost) only a direct quote yields to it.
    let mut absorbed = vec![false; marked.len()];
    for q in &mut reported {
        let inside: Vec<usize> = (0..marked.len())
            .filter(|&k| direct_cue[k].is_none() && marked[k].outer.overlaps(q.content))
            .collect();
        if inside.is_empty() {
            continue;
        }
        let (t0, t1) = (view.token_from(q.content.start), view.token_until(q.content.end));
        let words_outside = (t0..t1)
            .filter(|&t| !view.is_punct(t) && !inside.iter().any(|&k| marked[k].outer.contains(view.span(t))))
            .count();
        if words_outside >= 1 {
            q.kind = QuoteKind::Mixed;
            for &k in &inside {
                absorbed[k] = true;
            }
        } else {
            // `she said: "…"` read as reported speech: the direct quote takes its cue
            for &k in &inside {
                direct_cue[k] = q.cue.map(|c| (c, q.source));
            }
            q.confidence = -1.0;
        }
    }
    reported.retain(|q| q.confidence >= 0.0);
    // Direct quotes.
    for (k, m) in marked.iter().enumerate() {
        if absorbed[k] || m.inner.is_empty() {
            continue;
        }
        if reported
            .iter()
            .any(|q| q.kind == QuoteKind::Mixed && q.content.contains(m.outer))
        {
            continue;
        }
        let closed_factor = if m.closed { 1.0 } else { 0.7 };
        match direct_cue[k] {
            Some((c, source)) if trail[k].is_some() => quotes.push(Quote {
                content: m.outer.cover(view.span(trail[k].unwrap_or(0))),
                kind: QuoteKind::Mixed,
                cue: Some(c),
                learned_cue: None,
                source,
                confidence: 0.85 * closed_factor,
            }),
            Some((c, source)) if lead_in[k].is_some() => quotes.push(Quote {
                content: view.span(lead_in[k].unwrap_or(0)).cover(m.outer),
                kind: QuoteKind::Mixed,
                cue: Some(c),
                learned_cue: None,
                source,
                confidence: 0.85 * closed_factor,
            }),
            Some((c, source)) => quotes.push(Quote {
                content: m.inner,
                kind: QuoteKind::Direct,
                cue: Some(c),
                learned_cue: None,
                source,
                confidence: 0.95 * closed_factor,
            }),
            None => {
                let inner = m.inner.text(view.text);
                let words = inner.split_whitespace().count();
                if words < 4 || is_title(inner) {
                    continue; // a scare quote or a title, not speech
                }
                // kept, with a low confidence, unless it floats after a quote (below)
                quotes.push(Quote {
                    content: m.inner,
                    kind: QuoteKind::Direct,
                    cue: None,
                    learned_cue: None,
                    source: Source::Unknown,
                    confidence: 0.3 * closed_factor,
                });
            }
        }
    }
    quotes.extend(reported);
    quotes.sort_by_key(|q| (q.content.start, q.content.end));
    // Floating quotes: a cueless direct quote right after another quote (same or next
    // paragraph) takes its speaker.
    for k in 0..quotes.len() {
        if quotes[k].cue.is_none() && k > 0 {
            let prev = quotes[k - 1];
            let gap_paragraphs = view.paragraph_of(view.token_from(quotes[k].content.start).min(view.len() - 1))
                - view.paragraph_of(view.token_from(prev.content.start).min(view.len() - 1));
            // (a quote does not float after "according to a report", a document's words)
            let prev_according = prev.cue.is_some_and(|c| cues[c].kind == CueKind::According);
            if gap_paragraphs <= 1 && !prev_according {
                quotes[k].source = Source::Previous;
                quotes[k].confidence = 0.7;
            }
        }
    }
    match &view.ner.attribution {
        Some(learned) => with_learned(view, cues, marked, quotes, learned),
        None => quotes,
    }
}

/// Two spans match when their overlap is at least 30% of each (PolNeAR's scoring rule).
fn spans_match(a: Span, b: Span) -> bool {
    let overlap = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    overlap > 0 && 10 * overlap >= 3 * a.len() && 10 * overlap >= 3 * b.len()
}

/// The learned boundaries of a rule content: the cover of the learned contents that lie
/// mostly inside it ("The museum | , Mr. Obama said, | would make …" is one), kept to the
/// rule content's paragraphs (no photo credit before it), without a leading "that" or
/// dash (the annotators keep "that"; the rules' contents, and users, do not).
fn snapped(view: &DocView, rule: Span, contents: &[&LearnedSpan]) -> Option<Span> {
    let inside = |c: &&&LearnedSpan| {
        let overlap = c.span.end.min(rule.end).saturating_sub(c.span.start.max(rule.start));
        2 * overlap >= c.span.len() && overlap > 0
    };
    let mut span = contents
        .iter()
        .filter(inside)
        .map(|c| c.span)
        .reduce(|a, b| a.cover(b))?;
    if !spans_match(span, rule) {
        return None;
    }
    let paragraphs = &view.seg.paragraphs;
    let first = paragraphs
        .iter()
        .find(|p| p.span.end > rule.start)
        .map_or(0, |p| p.span.start);
    let last = paragraphs
        .iter()
        .rev()
        .find(|p| p.span.start < rule.end)
        .map_or(view.text.len(), |p| p.span.end);
    span = Span::new(span.start.max(first), span.end.min(last));
    let tokens = &view.seg.tokens;
    let mut t = tokens.partition_point(|k| k.span.end <= span.start);
    while t < tokens.len()
        && tokens[t].span.start < span.end
        && (view.is_punct(t) && !is_quote_token(view, t) || view.lower(t) == "that")
    {
        t += 1;
    }
    let start = tokens.get(t).map_or(span.end, |k| k.span.start.max(span.start));
    whole_tokens_trimmed(view, Span::new(start, span.end))
}

/// Without trailing commas, dashes and the like (closing marks and stops stay, as in the
/// rules' contents): "The vote is on Monday|, officials said"; widened to whole tokens (the
/// tagger labels word-pieces).
fn whole_tokens_trimmed(view: &DocView, span: Span) -> Option<Span> {
    let tokens = &view.seg.tokens;
    let first = tokens.partition_point(|k| k.span.end <= span.start);
    let span = match tokens.get(first) {
        Some(k) if k.span.start < span.start => Span::new(k.span.start, span.end),
        _ => span,
    };
    let last = tokens.partition_point(|k| k.span.start < span.end);
    let span = match last.checked_sub(1).map(|l| &tokens[l]) {
        Some(k) if k.span.end > span.end => Span::new(span.start, k.span.end),
        _ => span,
    };
    let mut end = tokens.partition_point(|k| k.span.start < span.end);
    while end > 0
        && tokens[end - 1].span.start >= span.start
        && view.is_punct(end - 1)
        && !is_quote_token(view, end - 1)
        && !matches!(view.word(end - 1), "." | "!" | "?" | ")" | "…")
    {
        end -= 1;
    }
    let end = if end > 0 && tokens[end - 1].span.start >= span.start {
        tokens[end - 1].span.end.min(span.end)
    } else {
        span.start
    };
    (span.start < end).then(|| Span::new(span.start, end))
}

/// Direct inside quotation marks, mixed when it holds some, else indirect.
fn kind_in(marked: &[MarkedSpan], content: Span) -> QuoteKind {
    let mut in_marks = marked.iter().filter(|m| m.outer.overlaps(content)).peekable();
    if in_marks.peek().is_none() {
        QuoteKind::Indirect
    } else if in_marks.any(|m| m.outer.contains(content)) {
        QuoteKind::Direct
    } else {
        QuoteKind::Mixed
    }
}

/// How far a learned source or cue may sit from its content, in bytes.
const LEARNED_REACH: usize = 200;

/// Combine the rules' quotes with the attribution tagger's spans: a rule quote stays
/// when a learned content matches it (the tagger, trained on PolNeAR, knows which
/// cue-shaped sentences report speech: "posted a photo", "the letter reads" do not),
/// and a learned content that no rule quote touches becomes a quote of its own,
/// sourced and cued by the nearest learned source and cue. Measured on PolNeAR dev
/// against the rules alone (README).
fn with_learned(
    view: &DocView,
    cues: &[Cue],
    marked: &[MarkedSpan],
    mut quotes: Vec<Quote>,
    learned: &[LearnedSpan],
) -> Vec<Quote> {
    let contents: Vec<_> = learned.iter().filter(|l| l.label == LearnedLabel::Content).collect();
    // (a long direct quote the tagger cuts into sentences stays when they cover half of it)
    let covered = |q: &Quote| {
        let inside: usize = contents
            .iter()
            .map(|c| {
                c.span
                    .end
                    .min(q.content.end)
                    .saturating_sub(c.span.start.max(q.content.start))
            })
            .sum();
        q.kind == QuoteKind::Direct && 2 * inside >= q.content.len()
    };
    // (the tagger learned speech from verbs and "according to" only, so a transcript's
    // "NAME: …" turn is no content to it, nor is a quotation after "as he put it": a colon
    // cue keeps its quote, and so does a direct quote with a cue, the rules' surest kind)
    let colon = |q: &Quote| q.cue.is_some_and(|c| cues[c].kind == CueKind::Colon);
    let direct_cued = |q: &Quote| q.kind == QuoteKind::Direct && q.cue.is_some();
    quotes.retain(|q| {
        contents.iter().any(|c| spans_match(c.span, q.content)) || covered(q) || colon(q) || direct_cued(q)
    });
    let rule_contents: Vec<Span> = quotes.iter().map(|q| q.content).collect();
    let nearest = |label: LearnedLabel, content: Span| {
        learned
            .iter()
            .filter(|l| l.label == label)
            .map(|l| {
                (
                    content.start.saturating_sub(l.span.end) + l.span.start.saturating_sub(content.end),
                    l.span,
                )
            })
            .filter(|&(d, _)| d < LEARNED_REACH)
            .min_by_key(|&(d, s)| (d, s.start))
            .map(|(_, s)| s)
    };
    let tokens_of = |s: Span| Source::Tokens {
        first: view.seg.tokens.partition_point(|t| t.span.end <= s.start),
        end: view.seg.tokens.partition_point(|t| t.span.start < s.end),
    };
    // A rule quote whose source the rules could not place takes the tagger's source nearest
    // its cue ("… led Stumpf | to admit that …").
    for q in &mut quotes {
        if q.source == Source::Unknown {
            let near = q.cue.map_or(q.content, |c| cues[c].span);
            if let Some(s) = nearest(LearnedLabel::Source, near).filter(|s| !s.overlaps(q.content)) {
                q.source = tokens_of(s);
            }
        }
    }
    // Reported speech takes the tagger's boundaries, which follow the annotators'; a
    // direct quote keeps its marks.
    for q in &mut quotes {
        if q.kind != QuoteKind::Direct {
            // (never over the quote's own cue: "it underscores that | Trump is …")
            let cue = q.cue.map(|c| cues[c].span);
            let over_cue = |span: Span| cue.is_some_and(|c| span.overlaps(c) && !q.content.overlaps(c));
            if let Some(span) = snapped(view, q.content, &contents).filter(|&s| !over_cue(s)) {
                q.content = span;
                q.kind = kind_in(marked, span);
            }
        }
    }
    let tokens = &view.seg.tokens;
    let mut added = Vec::new();
    for c in &contents {
        if rule_contents
            .iter()
            .chain(quotes.iter().map(|q| &q.content))
            .any(|r| r.overlaps(c.span))
        {
            continue;
        }
        // (a headline or dateline, without a final stop, is too telegraphic: "Germany and
        // France pledge joint push on energy prices"; a content stays in its paragraph)
        let t = tokens.partition_point(|k| k.span.end <= c.span.start);
        if t >= tokens.len() {
            continue;
        }
        let sentence = &view.seg.sentences[view.sentence_of(t)];
        let last = sentence.end_token.saturating_sub(1).max(sentence.first_token);
        let full_sentence = matches!(view.word(last), "." | "!" | "?" | "”" | "\"" | "’" | "'");
        if sentence.dateline || !full_sentence {
            continue;
        }
        let paragraph_end = view.seg.paragraphs[view.paragraph_of(t)].span.end;
        let Some(content) = whole_tokens_trimmed(view, Span::new(c.span.start, c.span.end.min(paragraph_end))) else {
            continue;
        };
        // (a lone word is rarely a content of its own: "although")
        let words = (t..tokens.len())
            .take_while(|&k| tokens[k].span.start < content.end)
            .filter(|&k| !view.is_punct(k))
            .count();
        if words < 2 {
            continue;
        }
        // (the source nearest the cue: "Proponents … have urged Congress | to leave the
        // program intact, although they say …")
        let learned_cue = nearest(LearnedLabel::Cue, c.span);
        let source = nearest(LearnedLabel::Source, learned_cue.unwrap_or(c.span)).map_or(Source::Unknown, tokens_of);
        let cue = learned_cue.and_then(|s| cues.iter().position(|k| k.span.overlaps(s)));
        let learned_cue = learned_cue.filter(|_| cue.is_none());
        added.push(Quote {
            content,
            kind: kind_in(marked, content),
            cue,
            learned_cue,
            source,
            confidence: c.score.clamp(0.0, 1.0),
        });
    }
    quotes.extend(added);
    quotes.sort_by_key(|q| (q.content.start, q.content.end));
    quotes
}

impl Finder<'_, '_> {
    /// Does the marked span open a clause (sentence start, after ":" or ",")?
    fn opens_clause(&self, m: &MarkedSpan) -> bool {
        let view = self.view;
        let open = view.token_from(m.outer.start);
        if open >= view.len() {
            return false;
        }
        let (first, _) = view.sentence_tokens(view.sentence_of(open));
        open == first || matches!(view.word(open - 1), ":" | "," | "(" | "—" | "–")
    }

    /// Does the sentence go on with words after the closing mark (a partial quote)?
    fn continues_after(&self, m: &MarkedSpan) -> bool {
        let view = self.view;
        let after = view.token_from(m.outer.end);
        if after >= view.len() {
            return false;
        }
        let last_inside = view.token_until(m.outer.end).saturating_sub(1);
        let sentence = view.sentence_of(last_inside);
        let (_, end) = view.sentence_tokens(sentence);
        (after..end).any(|t| !view.is_punct(t))
    }

    /// `"…," she said` / `"…," said Li` : the first verb cue within a few tokens after the closing mark.
    fn cue_after(&self, m: &MarkedSpan) -> Option<(usize, Source)> {
        let view = self.view;
        if !m.closed {
            return None;
        }
        let after = view.token_from(m.outer.end);
        if after >= view.len() || view.paragraph_of(after) != view.paragraph_of(view.token_from(m.outer.start)) {
            return None;
        }
        // `"… escapades." The agency said`: a new sentence after a full stop has its own cue
        let last_inside = view.token_until(m.outer.end).saturating_sub(1);
        if view.sentence_of(after) != view.sentence_of(last_inside) && m.inner.text(view.text).ends_with('.') {
            return None;
        }
        // (a long appositive may come between)
        let limit = (after + 32).min(view.len());
        // (not a verb inside the speaker's relative clause: `"…," Cruz, who has proposed …, said`)
        let in_relative = |c: &Cue| {
            let rel = (after..c.first_token)
                .rev()
                .find(|&t| matches!(view.lower(t), "who" | "which" | "whose"));
            rel.is_some_and(|r| !(r..c.first_token).any(|t| view.word(t) == ","))
        };
        let ci = self.cues.iter().position(|c| {
            c.first_token >= after
                && c.first_token < limit
                && matches!(c.kind, CueKind::Verb | CueKind::According)
                && !in_relative(c)
        })?;
        let cue = &self.cues[ci];
        let gap = (after..cue.first_token).filter(|&t| !matches!(view.word(t), "," | "." | "!" | "?"));
        let gap: Vec<usize> = gap.collect();
        // (`a "grave threat" to stability. He said …`: words of another sentence between)
        if gap
            .iter()
            .any(|&t| view.sentence_of(t) != view.sentence_of(cue.first_token))
        {
            return None;
        }
        // `"…," Malkia Cyril, the executive director at …, told`: a name and its appositive
        let appositive = self.speakers.mention_at(after).and_then(|m| {
            let close = cue.first_token.checked_sub(1)?;
            let relative = (m.end_token..close).find(|&t| matches!(view.lower(t), "who" | "whose" | "which"));
            let ok = view.word(m.end_token) == ","
                && view.word(close) == ","
                && close - m.end_token <= 24
                && !(m.end_token..close)
                    .any(|t| is_quote_token(view, t) || (view.is_finite_verb(t) && relative.is_none_or(|r| t < r)));
            ok.then_some((m.first_token, m.end_token))
        });
        if let Some((a, b)) = appositive {
            return Some((ci, Source::Tokens { first: a, end: b }));
        }
        // (`“…,” but he said that …` starts a new clause with its own content; `“…,” when asked
        // whether …` is a question put to the speaker)
        let conjunction = gap.first().is_some_and(|&t| {
            matches!(view.lower(t), "but" | "and" | "while" | "although") || is_subordinator(view.lower(t))
        });
        // (an auxiliary right before the cue is the cue's: `“…,” she has said`)
        let aux =
            |t: usize| t + 1 == cue.first_token && matches!(view.lower(t), "has" | "have" | "had" | "would" | "will");
        // (a possessive "s" is no verb: `the Zionist Union Party’s Nachman Shai told`)
        let possessive_s = |t: usize| t > 0 && view.is_possessive_at(t - 1);
        if gap.len() > 10
            || conjunction
            || gap
                .iter()
                .any(|&t| is_quote_token(view, t) || (view.is_finite_verb(t) && !aux(t) && !possessive_s(t)))
        {
            return None;
        }
        if view.paragraph_of(cue.first_token) != view.paragraph_of(after) {
            return None;
        }
        let source_words: Vec<usize> = gap.iter().copied().filter(|&t| !aux(t)).collect();
        let source = match (source_words.first(), source_words.last()) {
            (Some(&a), Some(&b)) => Source::Tokens { first: a, end: b + 1 },
            _ => match np_after(view, self.speakers, cue.end_token, 10) {
                Some((a, b)) => Source::Tokens { first: a, end: b },
                None => Source::Unknown,
            },
        };
        Some((ci, source))
    }

    /// Does a clause of its own follow verb cue `ci` in its sentence (`he claimed they had …`)?
    fn has_own_content(&self, ci: usize) -> bool {
        let view = self.view;
        let cue = &self.cues[ci];
        let end = self.clause_end(cue.end_token);
        let next = cue.end_token;
        next < end
            && matches!(view.lower(next), "he" | "she" | "they" | "it" | "we" | "i" | "that")
            && self.has_clause(next, end)
    }

    /// The last word of what follows a closing mark up to the comma before the speaker of
    /// cue `ci` (`“…” to drive up the stock price, she said`), if words do.
    fn trailing_words(&self, m: &MarkedSpan, ci: usize) -> Option<usize> {
        let view = self.view;
        let after = view.token_from(m.outer.end);
        let cue = &self.cues[ci];
        if after >= cue.first_token || view.word(after) == "," {
            return None;
        }
        let comma = (after..cue.first_token).rev().find(|&t| view.word(t) == ",")?;
        let words: Vec<usize> = (after..comma).filter(|&t| !view.is_punct(t)).collect();
        let clean = !(after..comma).any(|t| view.is_finite_verb(t) || is_quote_token(view, t));
        // what lies between the comma and the cue is the speaker
        let speaker = self
            .speakers
            .mention_at(comma + 1)
            .is_some_and(|m| m.first_token == comma + 1 && m.end_token == cue.first_token);
        (words.len() >= 2 && clean && speaker).then(|| comma - 1)
    }

    /// Where the clause of a partial quote starts, when words of the same sentence come
    /// before its opening mark and none of them is a cue (that frame would be the cue's).
    fn lead_in(&self, m: &MarkedSpan) -> Option<usize> {
        let view = self.view;
        let open = view.token_from(m.outer.start);
        if open == 0 || open >= view.len() {
            return None;
        }
        let (sent_first, _) = view.sentence_tokens(view.sentence_of(open));
        let start = (sent_first..open)
            .rev()
            .find(|&t| matches!(view.word(t), ":" | ";" | "(" | "—" | "–" | "--") || is_quote_token(view, t))
            .map_or(sent_first, |t| t + 1);
        let words = (start..open).filter(|&t| !view.is_punct(t)).count();
        let cue_inside = self.cues.iter().any(|c| c.first_token >= start && c.first_token < open);
        (words >= 1 && !cue_inside).then_some(start)
    }

    /// Does a verb cue end right before the opening mark (`chanted, “…”`)?
    fn follows_verb_cue(&self, m: &MarkedSpan) -> bool {
        let view = self.view;
        let mut open = view.token_from(m.outer.start);
        if open >= view.len() {
            return false;
        }
        if open > 0 && view.word(open - 1) == "," {
            open -= 1;
        }
        self.cues.iter().any(|c| c.end_token == open && c.kind == CueKind::Verb)
    }

    /// `she said: "…"` / `said Li, "…"` : a verb cue ending right before the opening mark.
    /// With `sentence_may_go_on`, words may follow the closing mark (`chanted “…” and left`).
    fn cue_before(&self, m: &MarkedSpan, sentence_may_go_on: bool) -> Option<(usize, Source)> {
        let view = self.view;
        let open = view.token_from(m.outer.start);
        if open == 0 || open >= view.len() {
            return None;
        }
        let para = view.paragraph_of(open);
        let ci = self
            .cues
            .iter()
            .rposition(|c| c.end_token <= open && matches!(c.kind, CueKind::Verb | CueKind::Colon))?;
        let cue = &self.cues[ci];
        // "Caddell continued:" may close the paragraph before the quote
        let cue_para = view.paragraph_of(cue.first_token);
        let colon_before = cue_para + 1 == para && view.word(open - 1) == ":";
        if (cue_para != para && !colon_before) || open - cue.end_token > 10 {
            return None;
        }
        // `he said "budget reforms" and taxes would pay`: the quote is part of a reported clause
        if !sentence_may_go_on && self.continues_after(m) {
            return None;
        }
        let between: Vec<usize> = (cue.end_token..open).collect();
        let only_marks = between.iter().all(|&t| matches!(view.lower(t), "," | ":" | "that"));
        if cue.kind == CueKind::Colon {
            let (first, _) = view.sentence_tokens(view.sentence_of(cue.first_token));
            return only_marks.then_some((
                ci,
                Source::Tokens {
                    first,
                    end: cue.first_token,
                },
            ));
        }
        if only_marks {
            let source = match subject_or_shared(view, self.speakers, cue.first_token) {
                Some((a, b)) => Source::Tokens { first: a, end: b },
                None => match np_after(view, self.speakers, cue.end_token, 10) {
                    Some((a, b)) if b < open => Source::Tokens { first: a, end: b },
                    _ => Source::Unknown,
                },
            };
            return Some((ci, source));
        }
        // "said Li Keqiang: "…""
        let last = *between.last()?;
        if matches!(view.word(last), ":" | ",")
            && between[..between.len() - 1]
                .iter()
                .all(|&t| is_np_token(view, t) && !is_quote_token(view, t))
        {
            return Some((
                ci,
                Source::Tokens {
                    first: cue.end_token,
                    end: last,
                },
            ));
        }
        None
    }

    /// The reported-speech frame of cue `ci`.
    fn reported(&self, ci: usize) -> Option<Quote> {
        let cue = self.cues[ci];
        match cue.kind {
            CueKind::Verb => self.verb_frame(ci),
            CueKind::Participle => self.participle_frame(ci),
            CueKind::According => self.according_frame(ci),
            CueKind::Colon => self.colon_frame(ci),
            CueKind::Noun => self.noun_frame(ci),
        }
    }

    /// End of the clause the content after `from` belongs to: the sentence end, or
    /// right before ", <participle cue>", ";", or the subject of a later verb cue
    /// (", while the French president noted that …").
    fn clause_end(&self, from: usize) -> usize {
        let view = self.view;
        let (_, mut sent_end) = view.sentence_tokens(view.sentence_of(from.min(view.len() - 1)));
        if let Some(next) = self
            .cues
            .iter()
            .find(|c| c.first_token > from && c.first_token < sent_end)
        {
            // "called X “outrageous” and called for …": a coordinated verb cue starts its own content
            // ("and repeatedly says, …")
            let conj = before_adverbs(view, next.first_token, from + 2) - 1;
            let coordinated = matches!(next.kind, CueKind::Verb | CueKind::Participle)
                && conj > from
                && matches!(view.lower(conj), "and" | "but")
                && subject_before(view, self.speakers, next.first_token).is_none();
            if coordinated {
                let mut cut = conj;
                if cut > from && view.word(cut - 1) == "," {
                    cut -= 1;
                }
                sent_end = cut;
            } else if next.kind == CueKind::Verb {
                if let Some((s0, _)) = subject_before(view, self.speakers, next.first_token) {
                    let mut cut = s0;
                    // (`had “been friends for some time,” he claimed`: the closing mark stays)
                    let after_mark = cut > from + 1 && is_quote_token(view, cut - 1) && view.word(cut - 2) == ",";
                    while cut > from
                        && matches!(
                            view.lower(cut - 1),
                            "," | "while" | "and" | "but" | "whereas" | "though" | "although"
                        )
                    {
                        cut -= 1;
                    }
                    if (cut < s0 || after_mark) && cut > from {
                        sent_end = cut;
                    }
                }
            }
        }
        let mut i = from;
        while i < sent_end {
            if view.word(i) == ";" {
                return i;
            }
            // "… on Twitter before claiming that …": a participle cue after a subordinator
            if matches!(view.lower(i), "before" | "after" | "while" | "by")
                && self
                    .cues
                    .iter()
                    .any(|c| c.first_token == i + 1 && c.kind == CueKind::Participle)
            {
                return i;
            }
            // "…, and when pressed on why …, she replied": a new clause after the content;
            // "…, although it may take several days to …": the writer's concession
            if view.word(i) == ","
                && i + 1 < sent_end
                && (view.lower(i + 1) == "although"
                    || (i + 2 < sent_end
                        && matches!(view.lower(i + 1), "and" | "but")
                        && is_subordinator(view.lower(i + 2))))
            {
                return i;
            }
            if view.word(i) == "," {
                let mut next = i + 1;
                while next < sent_end && is_quote_token(view, next) {
                    next += 1;
                }
                // (", even suggesting …")
                let mut cue_at = next;
                while cue_at < sent_end && is_participle_adverb(view.lower(cue_at)) {
                    cue_at += 1;
                }
                if let Some(c) = self.cues.iter().find(|c| c.first_token == cue_at) {
                    if c.kind == CueKind::Participle {
                        // keep closing marks that follow the comma with the content
                        return if next > i + 1 { next } else { i };
                    }
                }
            }
            i += 1;
        }
        sent_end
    }

    /// Where a clause inside a relative ends: after its first verb group and what follows,
    /// at a comma, at "and how …", or at the next finite verb (the main clause's:
    /// "how experts say it would shape tax law | has endured").
    fn relative_clause_end(&self, from: usize, end: usize) -> usize {
        let view = self.view;
        let Some(verb) = (from..end).find(|&t| view.is_finite_verb(t)) else {
            return end;
        };
        let mut t = verb + 1;
        while t < end && (view.pos(t).starts_with("VB") || matches!(view.pos(t), "RB" | "TO")) {
            t += 1;
        }
        while t < end {
            let w = view.lower(t);
            if matches!(w, "," | ";" | "—" | "–" | "--") || view.is_finite_verb(t) {
                return t;
            }
            if matches!(w, "and" | "but" | "or")
                && t + 1 < end
                && matches!(view.lower(t + 1), "what" | "how" | "which" | "who" | "why")
            {
                return t;
            }
            t += 1;
        }
        end
    }

    fn has_clause(&self, a: usize, b: usize) -> bool {
        (a..b).any(|t| self.view.is_finite_verb(t) && self.view.label_at(t).is_none())
    }

    fn verb_frame(&self, ci: usize) -> Option<Quote> {
        let view = self.view;
        let cue = self.cues[ci];
        let sentence = view.sentence_of(cue.first_token);
        let (sent_first, _) = view.sentence_tokens(sentence);
        // "was asked whether …", "when asked what …": the question is the content, its asker unnamed
        let before = before_adverbs(view, cue.first_token, sent_first);
        let passive_ask = cue.lemma == "ask"
            && before > sent_first
            && matches!(
                view.lower(before - 1),
                "was" | "were" | "is" | "are" | "been" | "being" | "be" | "when" | "if" | "once"
            );
        if passive_ask {
            let post = cue.end_token;
            let question = post < view.len()
                && matches!(
                    view.lower(post),
                    "whether" | "if" | "what" | "how" | "why" | "who" | "when" | "where" | "about"
                );
            if !question {
                return None;
            }
            let (a, b) = trim_range(view, post, self.clause_end(post))?;
            return Some(self.quote(a, b, ci, Source::Unknown, 0.6));
        }
        let subject = subject_or_shared(view, self.speakers, cue.first_token);
        let mut post_end = self.clause_end(cue.end_token);
        // "Cruz, who has proposed repealing the mandate, said": a relative clause closes at its comma
        let r = skip_between_subject_and_verb(view, sent_first, cue.first_token);
        if r > sent_first + 1 && matches!(view.lower(r - 1), "who" | "which") && view.word(r - 2) == "," {
            if let Some(comma) = (cue.end_token..post_end).find(|&t| view.word(t) == ",") {
                post_end = comma;
            }
        }
        let (post, via_that) = self.skip_to_content(cue, post_end);
        // "said Friday afternoon, as they bristled …": time, then an adverbial clause, is no content
        let mut lead = post;
        while lead < post_end && (is_time_word(view.lower(lead)) || matches!(view.lower(lead), "on" | "in" | "at")) {
            lead += 1;
        }
        // "said after the convention he would …": a prepositional phrase, then the content
        let mut content_from = if lead > post && lead < post_end && view.pos(lead) == "PRP" {
            lead
        } else {
            post
        };
        if !via_that && matches!(view.lower(lead), "after" | "before" | "during") {
            let mut t = lead + 1;
            while t < post_end && matches!(view.pos(t), "DT" | "NN" | "NNS" | "NNP" | "JJ" | "CD" | "PRP$" | "POS") {
                t += 1;
            }
            let subject_next = t < post_end && (view.pos(t) == "PRP" || view.lower(t) == "that");
            if t > lead + 1 && subject_next {
                lead = t + usize::from(view.lower(t) == "that");
                content_from = lead;
            }
        }
        // (after "that" it is the content's own: "said that, if elected, he would …")
        let adverbial = !via_that
            && lead < post_end
            && (view.word(lead) == ","
                || matches!(
                    view.lower(lead),
                    "as" | "while" | "when" | "after" | "before" | "because" | "since"
                ));
        // "acknowledged the reality of climate change, which makes him …": the only verb is
        // a relative clause's, so what follows is an object
        let first_verb = (post..post_end).find(|&t| view.is_finite_verb(t) && view.label_at(t).is_none());
        let relative_only = first_verb.is_some_and(|v| {
            (post + 1..v)
                .any(|t| view.word(t - 1) == "," && matches!(view.lower(t), "which" | "who" | "whose" | "where"))
        });
        // "is promising lower taxes …, but he has …": the first verb is a later clause's
        let verb_after_but = first_verb.is_some_and(|v| (post..v).any(|t| matches!(view.lower(t), "but" | "yet")));
        // "condemned the missile launch as Pyongyang fired …", "shouting profanities as she
        // hurries …": the first verb is a subordinate clause's, what precedes it an object
        let verb_after_subordinator = !via_that
            && starts_object(view, post)
            && first_verb.is_some_and(|v| {
                // (the subordinator's own subject then the verb: not "such as that generated")
                (post + 1..v).any(|t| {
                    matches!(
                        view.lower(t),
                        "as" | "until" | "since" | "when" | "after" | "before" | "unless" | "whereas" | "because"
                    ) && v > t + 1
                        && (t + 1..v).all(|k| is_np_token(view, k) && !matches!(view.lower(k), "of" | "for" | "at"))
                })
            });
        // "which he said were accompanied by …", "what Trump says his plan would do and how …":
        // the cue sits in a relative clause, whose rest is the content
        let wh_relative = subject.is_some_and(|(s0, _)| {
            s0 > sent_first && matches!(view.lower(s0 - 1), "what" | "which" | "how" | "who" | "whom")
        });
        let relative_subject_gap = wh_relative
            && subject.is_some_and(|(s0, _)| matches!(view.lower(s0 - 1), "which" | "who"))
            && content_from < post_end
            && view.is_finite_verb(content_from);
        // "asked for help", "comment on the letter because …": a preposition starts no content;
        // "Anything Trump says is a lie": a verb right after the cue is the sentence's, the cue
        // sits in a relative clause
        // ("noted that at one of his first meetings, he …": after "that" a phrase may lead)
        // ("asked Trump about statements he had made": what was asked)
        let asked_about = cue.lemma == "ask" && content_from < post_end && view.lower(content_from) == "about";
        let no_content_start = content_from < post_end
            && !asked_about
            && ((!via_that
                && matches!(
                    view.lower(content_from),
                    "for" | "about" | "on" | "of" | "with" | "to" | "at" | "from" | "up" | "into" | "by"
                ))
                || (view.is_finite_verb(content_from) && !via_that && !relative_subject_gap));
        let mut after_clause = post < post_end
            && !adverbial
            && !relative_only
            && !verb_after_but
            && !verb_after_subordinator
            && !no_content_start
            && self.has_clause(post, post_end);
        // "called for reducing the corporate tax rate": a phrasal cue's gerund object
        // ("has mentioned refinancing student loans", "denied taking the money")
        let gerund = (cue.lemma.contains(' ')
            || matches!(
                cue.lemma,
                "mention" | "propose" | "suggest" | "recommend" | "advocate" | "deny" | "admit" | "acknowledge"
            ))
            && post < post_end
            && (view.pos(post) == "VBG"
                || (view.pos(post) == "RB" && post + 1 < post_end && view.pos(post + 1) == "VBG"));
        // "announced on Friday the arrest of …": a time phrase before the object
        let object_from = if !starts_object(view, post)
            && lead > post
            && lead < post_end
            && starts_object(view, lead)
            && (post..lead).any(|t| is_time_word(view.lower(t)))
        {
            lead
        } else {
            post
        };
        // ("called it a common ailment": "it" is an object of "call")
        let called_it = object_from < post_end
            && view.lower(object_from) == "it"
            && LEXICON.verb_frames(cue.lemma) == VerbFrames::ObjectComplement;
        let after_object = object_from < post_end && (starts_object(view, object_from) || gerund || called_it);
        let subject_after_comma = subject.is_some_and(|(a, _)| a > sent_first && view.word(a - 1) == ",");
        let inverted = subject.is_none() && cue.first_token > sent_first && view.word(cue.first_token - 1) == ",";
        let source_of_subject = match subject {
            Some((s0, s1)) => Source::Tokens { first: s0, end: s1 },
            None => Source::Unknown,
        };
        // direct quotes take these as they come; reported speech needs "that"
        let frames = LEXICON.verb_frames(cue.lemma);
        // "the aggressive laws proposed during Nixon's term": a participle modifying a noun
        let modifier = view.pos(cue.first_token) == "VBN"
            && cue.first_token > sent_first
            && matches!(view.pos(cue.first_token - 1), "NN" | "NNS");
        if modifier {
            return None;
        }
        if frames == VerbFrames::ThatClause && !via_that {
            return None;
        }
        if frames == VerbFrames::ObjectComplement {
            if !self.calls_x_y(cue, post, post_end, subject.is_some()) {
                return None;
            }
            after_clause = false;
        }
        // "Y, said Brian Baker, an adviser who oversees …": what follows the cue is the source
        let speaker_follows = inverted && self.speakers.mention_at(cue.end_token).is_some();
        if after_clause && !speaker_follows {
            // "X said (that) Y"
            let end = if wh_relative {
                self.relative_clause_end(content_from, post_end)
            } else {
                post_end
            };
            let (a, b) = trim_range(view, content_from, end)?;
            return Some(self.quote(a, b, ci, source_of_subject, 0.85));
        }
        // "he would ask the auditor to …" / "she declined to comment" is no report
        // ("continued to call for …", "began to criticize …" are no hypotheses)
        let ongoing = cue.first_token > 1
            && view.pos(cue.first_token - 1) == "TO"
            && matches!(
                view.lower(cue.first_token - 2),
                "continue"
                    | "continues"
                    | "continued"
                    | "continuing"
                    | "began"
                    | "begins"
                    | "begin"
                    | "started"
                    | "starts"
            );
        let hypothetical = cue.first_token > 0 && matches!(view.pos(cue.first_token - 1), "MD" | "TO") && !ongoing;
        // "Though she called …, Warren did not say more": an object after the cue means the
        // clause before the comma is no content (a tell-like verb's object is its listener)
        let object_follows =
            subject_after_comma && !takes_object(cue.lemma) && post < post_end && starts_object(view, post);
        // "Hawaii, as one of Mr. Obama's advisers pointed out, normally does not …": the
        // sentence around the "as" clause is the content
        // (the "as" clause closes with a comma right after its cue: "as X called them …" is not one)
        let as_at = subject.and_then(|(s0, _)| {
            (s0.saturating_sub(7).max(sent_first)..s0)
                .rev()
                .find(|&t| view.lower(t) == "as")
                .filter(|&t| (t == sent_first || view.word(t - 1) == ",") && !(t + 1..s0).any(|k| view.is_verb(k)))
        });
        let as_clause = as_at.is_some() && cue.end_token < post_end && view.word(cue.end_token) == ",";
        let (_, sent_end) = view.sentence_tokens(sentence);
        if as_clause && !hypothetical {
            let (a, b) = trim_range(view, sent_first, sent_end)?;
            return Some(self.quote(a, b, ci, source_of_subject, 0.75));
        }
        // "It does not show whether Scott had a gun, as police have said.": the clause before
        let as_clause_last = as_at.is_some_and(|t| t > sent_first + 2)
            && (cue.end_token..sent_end).all(|t| view.is_punct(t) || is_time_word(view.lower(t)));
        if as_clause_last && !hypothetical {
            let as_at = as_at.unwrap_or(sent_first);
            let (a, b) = trim_range(view, sent_first, as_at)?;
            if self.has_clause(a, b) {
                return Some(self.quote(a, b, ci, source_of_subject, 0.7));
            }
        }
        if (subject_after_comma || inverted) && !hypothetical && !object_follows {
            match self.comma_frame(ci, subject, inverted, post_end, source_of_subject) {
                Frame::Quote(q) => return Some(q),
                Frame::NoContent => return None,
                Frame::NotThis => {}
            }
        }
        // "He also vowed to form a joint task force …": the infinitive is what was promised
        // (a quoted verb counts: `is promising to "bomb the hell" out of …`)
        // ("vowed to harshly punish …": a split infinitive)
        let verb_at = if post + 2 < post_end && (is_quote_token(view, post + 1) || view.pos(post + 1) == "RB") {
            post + 2
        } else {
            post + 1
        };
        let infinitive = verb_at < post_end && view.lower(post) == "to" && view.pos(verb_at) == "VB";
        if infinitive && takes_infinitive(cue.lemma) && subject.is_some() && !hypothetical {
            let end = self.object_end(post, post_end, false);
            let (a, b) = trim_range(view, post, end)?;
            return Some(self.quote(a, b, ci, source_of_subject, 0.6));
        }
        // (headlines, without a final stop, are too telegraphic for this, except "X urges Y to …")
        let full_sentence = matches!(view.word(sent_end - 1), "." | "!" | "?" | "”" | "\"" | "’");
        let object_then_to = (post..post_end.min(post + 6)).any(|t| view.lower(t) == "to" && view.pos(t + 1) == "VB");
        if after_object && subject.is_some() && (full_sentence || object_then_to) && !hypothetical {
            // "X is questioning the integrity of …": a noun-phrase content, of three words at least
            // ("rejected that view" names no content)
            let end = self.object_end(object_from, post_end, object_then_to);
            let (a, b) = trim_range(view, object_from, end)?;
            // (two words do for "called him divisive", "called Trump “unhinged.”")
            let min_words = if frames == VerbFrames::ObjectComplement { 2 } else { 3 };
            if (a..b).filter(|&t| !view.is_punct(t)).count() < min_words {
                return None;
            }
            return Some(self.quote(a, b, ci, source_of_subject, 0.6));
        }
        None
    }

    /// "Y, X said" / "Y, said X": the content before the comma, or the whole sentence
    /// around a parenthetical cue.
    fn comma_frame(
        &self,
        ci: usize,
        subject: Option<(usize, usize)>,
        inverted: bool,
        post_end: usize,
        source_of_subject: Source,
    ) -> Frame {
        let view = self.view;
        let cue = self.cues[ci];
        let (sent_first, _) = view.sentence_tokens(view.sentence_of(cue.first_token));
        // "Y, X said" / "Y, said X"
        let comma = match (inverted, subject) {
            (true, _) => cue.first_token - 1,
            (false, Some((s0, _))) => s0 - 1,
            (false, None) => return Frame::NoContent,
        };
        let start = self.content_start(sent_first, comma);
        let inverted_np = if inverted {
            np_after(view, self.speakers, cue.end_token, 10)
        } else {
            None
        };
        let source = match inverted_np {
            Some((s0, s1)) => Source::Tokens { first: s0, end: s1 },
            None if inverted => Source::Unknown,
            None => source_of_subject,
        };
        // "The museum, Mr. Bush said, celebrated …": the cue sits inside the content,
        // which is the whole sentence around it
        // ("The difference now, he told me on Friday, is that …": past a listener and a time)
        let mut frame_end = inverted_np.map_or(cue.end_token, |(_, s1)| s1);
        if inverted_np.is_none() && !inverted {
            let mut k = frame_end;
            if takes_object(cue.lemma) {
                k = self.listener_end(k, post_end);
            }
            while k < post_end && (is_time_word(view.lower(k)) || matches!(view.lower(k), "on" | "in" | "at")) {
                k += 1;
            }
            if k > frame_end && k < post_end && view.word(k) == "," && !matches!(view.lower(k - 1), "on" | "in" | "at")
            {
                frame_end = k;
            }
        }
        // "Though that transition was seamless, he said, replacing Clinton would …": a
        // subordinate clause before the cue is part of the content after it
        let mut first_word = start;
        while first_word < comma && (view.is_punct(first_word) || matches!(view.lower(first_word), "but" | "and")) {
            first_word += 1;
        }
        // (a clause up to its own comma: "After some challenges, …" is a phrase)
        let own_comma = (first_word..comma).find(|&t| view.word(t) == ",").unwrap_or(comma);
        let subordinate =
            first_word < comma && self.has_clause(first_word + 1, own_comma) && is_subordinator(view.lower(first_word));
        let continues = frame_end < post_end && view.word(frame_end) == "," && self.has_clause(frame_end + 1, post_end);
        // (also after a clause: "He has come up with a model, he said, for how …", "That's why,
        // he argued, the party …"; but "…, said Brian Baker, a longtime adviser who …" goes on
        // with the speaker's appositive)
        let parenthetical = continues
            && (!self.has_clause(start, comma) || subordinate || !inverted)
            && (start..comma).any(|t| !view.is_punct(t));
        if parenthetical {
            return match trim_range(view, start, post_end) {
                Some((a, b)) => Frame::Quote(self.quote(a, b, ci, source, 0.8)),
                None => Frame::NoContent,
            };
        }
        if subordinate {
            // "But when Congress cut funding …, Mexico said": not what was said
            return Frame::NoContent;
        }
        // ("Six million jobs also depend on exports, one slide says.": when the cue ends the
        // sentence, words enough before it are the content even if the tagger missed the verb)
        let mut rest = frame_end;
        while rest < post_end && (is_time_word(view.lower(rest)) || view.is_punct(rest)) {
            rest += 1;
        }
        // (after an inverted cue only a known speaker: "…, declared bankruptcy." is an object)
        let ends_sentence = rest >= post_end && (!inverted || self.speakers.mention_at(cue.end_token).is_some());
        let before = trim_range(view, start, comma).filter(|&(a, b)| {
            let words = (a..b).filter(|&t| !view.is_punct(t)).count();
            b - a >= 3 && (self.has_clause(a, b) || (ends_sentence && words >= 5))
        });
        match before {
            Some((a, b)) => Frame::Quote(self.quote(a, b, ci, source, 0.85)),
            None => Frame::NotThis,
        }
    }

    /// The end of a tell-like verb's listener starting at `from` ("told reporters | that").
    fn listener_end(&self, from: usize, end: usize) -> usize {
        let view = self.view;
        let mut obj_end = from;
        if let Some(m) = self.speakers.mention_at(from) {
            obj_end = m.end_token;
            // "told USA TODAY's weekly video newsmaker series | it is clear …"
            if obj_end + 1 < end && view.is_possessive_at(obj_end) {
                obj_end += 2;
                while obj_end < end && matches!(view.pos(obj_end), "NN" | "NNS" | "NNP" | "JJ") {
                    obj_end += 1;
                }
            }
            return obj_end;
        }
        // (a pronoun only as the whole object: "told the forum | he was …"; a name ends it:
        // "told host Sean Hannity | a Clinton loss is …")
        while obj_end < end
            && (matches!(view.pos(obj_end), "NNS" | "NN" | "NNP" | "DT" | "JJ")
                || (obj_end == from && view.pos(obj_end) == "PRP"))
        {
            if let Some(m) = self.speakers.mention_at(obj_end).filter(|_| obj_end > from) {
                return m.end_token;
            }
            obj_end += 1;
            if view.pos(obj_end - 1) == "PRP" {
                break;
            }
        }
        obj_end
    }

    /// Where the content after a verb cue may start: past a tell-like verb's listener
    /// ("told reporters"), and past "that" when it is the complementizer (then `true`).
    fn skip_to_content(&self, cue: Cue, post_end: usize) -> (usize, bool) {
        let view = self.view;
        // What follows the cue: object for tell-like verbs, adjuncts up to "that".
        let mut post = cue.end_token;
        if takes_object(cue.lemma) {
            let obj_end = self.listener_end(post, post_end);
            // "urges Pakistan to strengthen …": the object belongs to what is urged
            let infinitive = obj_end + 1 < post_end && view.lower(obj_end) == "to" && view.pos(obj_end + 1) == "VB";
            if !infinitive {
                post = obj_end;
            }
        }
        let mut via_that = false;
        // "said on Friday that …": skip to the complementizer (not the determiner: "rejected that view")
        // (not across a comma: "said, since most of them accept that …" is an adjunct's "that")
        if let Some(that) = (post..post_end.min(post + 12)).find(|&t| view.lower(t) == "that") {
            // ("dresses that showed more cleavage": a relative "that" after a noun, before its verb)
            let relative = that > post
                && that + 1 < post_end
                && view.pos(that - 1).starts_with("NN")
                && view.is_finite_verb(that + 1);
            // ("says at a campaign stop in Toledo, Ohio, that …": commas inside a place phrase)
            let place_phrase = matches!(view.lower(post), "at" | "in" | "on") && !self.has_clause(post, that);
            // ("Sources told POLITICO, however, that …": an adverb set off by commas)
            let aside = (post..that).all(|t| {
                matches!(
                    view.lower(t),
                    "," | "however"
                        | "though"
                        | "too"
                        | "also"
                        | "meanwhile"
                        | "moreover"
                        | "again"
                        | "then"
                        | "instead"
                )
            });
            // ("cautioned, as did the Clinton campaign itself, that …")
            let as_did = that > post + 3
                && view.word(post) == ","
                && view.lower(post + 1) == "as"
                && matches!(view.lower(post + 2), "did" | "does" | "do" | "has" | "have")
                && view.word(that - 1) == ","
                && !(post + 3..that - 1).any(|t| view.word(t) == "," || view.is_finite_verb(t));
            let comma_between =
                relative || (!place_phrase && !aside && !as_did && (post..that).any(|t| view.word(t) == ","));
            // (a quoted or subjunctive content counts: insisted that Pyongyang "stop …")
            let content_follows = self.has_clause(that + 1, post_end)
                || (that + 1..post_end).any(|t| view.pos(t) == "VB" || is_quote_token(view, t));
            if !comma_between && (as_did || !self.has_clause(post, that)) && content_follows {
                post = that + 1;
                via_that = true;
            }
        }
        (post, via_that)
    }

    /// "call" reports only as "called X Y" ("called the charges fabricated"), not "called
    /// the hearing because …", "called into a show", "a program called EB-5".
    fn calls_x_y(&self, cue: Cue, post: usize, post_end: usize, has_subject: bool) -> bool {
        let view = self.view;
        let next_ok = post < post_end && !matches!(view.pos(post), "IN" | "TO" | "RP" | ",");
        // ("a program called EB-5" is a participle; "Trump has called climate change a hoax" a perfect)
        let p = before_adverbs(view, cue.first_token, 0);
        let perfect = p > 0 && matches!(view.lower(p - 1), "has" | "have" | "had");
        // (a participle after a common noun: "a program called EB-5"; the tagger's VBN after a
        // name is the verb: "Sanders called her fallen son her hero")
        let participle = view.pos(cue.first_token) == "VBN"
            && !perfect
            && cue.first_token > 0
            && (matches!(view.pos(cue.first_token - 1), "NN" | "NNS" | ",")
                || self.speakers.mention_at(cue.first_token - 1).is_none());
        if !next_ok || participle || !has_subject {
            return false;
        }
        // "called Alicia Machado on Friday to express …" is a telephone call: after the
        // object comes no complement
        let object_end = match self.speakers.mention_at(post) {
            Some(m) => m.end_token,
            None => {
                let mut t = post;
                while t < post_end && matches!(view.pos(t), "PRP" | "DT" | "PRP$" | "NNP" | "NNPS" | "POS") {
                    t += 1;
                }
                t
            }
        };
        let complement =
            object_end > post && object_end < post_end && !matches!(view.pos(object_end), "IN" | "TO" | "," | "CC");
        // (a name as the object needs its complement; a plain noun phrase may be the complement)
        self.speakers.mention_at(post).is_none() || complement
    }

    /// An object ends at its first comma outside quotation marks (", encouraging …"),
    /// unless `past_commas` (the object of "urges X to …" runs to the clause end).
    fn object_end(&self, from: usize, clause_end: usize, past_commas: bool) -> usize {
        let view = self.view;
        let mut inside = false;
        let mut skip_to = from;
        for t in from..clause_end {
            if t <= skip_to && t > from {
                continue;
            }
            // "questioning the integrity of the voting system, encouraging his supporters …": a
            // participial clause; "condemned the launch as Pyongyang fired …": a subordinate
            // clause (not "condemned the test as provocative")
            let participial = (view.word(t) == "," && t + 1 < clause_end && view.pos(t + 1) == "VBG")
                || (t > from && matches!(view.word(t), "—" | "–" | "--")); // an aside follows a dash
            let subordinate = t > from
                && matches!(
                    view.lower(t),
                    "as" | "until" | "since" | "when" | "after" | "before" | "if" | "unless" | "whereas"
                )
                && (t + 1..clause_end.min(t + 7))
                    .find(|&k| !is_np_token(view, k) || view.is_finite_verb(k))
                    .is_some_and(|k| (k > t + 1 && view.is_finite_verb(k)) || (k == t + 1 && view.pos(k) == "VBG"));
            if !inside && (participial || subordinate) {
                let mut end = t;
                while end > from && view.word(end - 1) == "," {
                    end -= 1;
                }
                return end;
            }
            // "what she called a “rant,” a series of …": a comma inside a closing mark is the
            // sentence's
            if inside && !past_commas && view.word(t) == "," && t + 2 < clause_end && is_quote_token(view, t + 1) {
                return t + 2;
            }
            if is_quote_token(view, t) {
                inside = !inside;
            } else if view.word(t) == "," && !inside && !past_commas {
                // "criticized Tulsa, Okla., police officer Betty Shelby": commas inside a place name
                let place_comma = t > from
                    && t + 1 < clause_end
                    && view.label_at(t - 1) == Some(EntityLabel::Location)
                    && view.label_at(t + 1) == Some(EntityLabel::Location);
                let p = if t > from && view.word(t - 1) == "." { t - 1 } else { t };
                let after_place =
                    p >= from + 2 && view.label_at(p - 1) == Some(EntityLabel::Location) && view.word(p - 2) == ",";
                // "called him a kind, loving and admirable person": a list of adjectives
                let adjectives = t > from
                    && t + 1 < clause_end
                    && view.pos(t - 1).starts_with("JJ")
                    && view.pos(t + 1).starts_with("JJ");
                if place_comma || after_place || adjectives {
                    continue;
                }
                // "accused the North's leader, Kim Jong Un, of …": a name in apposition
                let appositive = t > from
                    && self.speakers.mention_at(t + 1).is_some_and(|m| {
                        m.first_token == t + 1
                            && matches!(m.kind, MentionKind::Name | MentionKind::TitledName)
                            && m.end_token < clause_end
                            && view.word(m.end_token) == ","
                    });
                if appositive {
                    skip_to = self.speakers.mention_at(t + 1).map_or(t, |m| m.end_token);
                    continue;
                }
                return t;
            } else if !inside
                && (matches!(
                    view.lower(t),
                    "but" | "yet" | "while" | "although" | "though" | "because"
                ) || (view.lower(t) == "and"
                    && t + 2 < clause_end
                    && matches!(view.pos(t + 1), "PRP" | "NNP")
                    && (t + 2..clause_end.min(t + 4)).any(|k| view.is_finite_verb(k))))
            {
                // ("calling him a “nice guy” and he didn't provide …": a new clause)
                // "lower taxes and “jobs, jobs, jobs,” but he has …": a new clause
                let mut end = t;
                while end > from && view.word(end - 1) == "," {
                    end -= 1;
                }
                return end;
            }
        }
        clause_end
    }

    /// A reported content before a comma starts at the sentence start, or after an
    /// earlier "according to X," / participial clause that has its own cue.
    fn content_start(&self, sent_first: usize, comma: usize) -> usize {
        let view = self.view;
        let mut start = sent_first;
        for c in self
            .cues
            .iter()
            .filter(|c| c.first_token >= sent_first && c.end_token <= comma)
        {
            if matches!(c.kind, CueKind::Participle | CueKind::According) && c.first_token == sent_first {
                // "Noting that Y, X said Z": Y is the participle's
                if let Some(k) = (c.end_token..comma).find(|&t| view.word(t) == ",") {
                    start = k + 1;
                }
            }
        }
        start
    }

    fn participle_frame(&self, ci: usize) -> Option<Quote> {
        let view = self.view;
        let cue = self.cues[ci];
        let sentence = view.sentence_of(cue.first_token);
        let (sent_first, sent_end) = view.sentence_tokens(sentence);
        let mut start = cue.end_token;
        if takes_object(cue.lemma) {
            start = self.listener_end(start, sent_end);
        }
        let that_only = LEXICON.verb_frames(cue.lemma) == VerbFrames::ThatClause;
        if that_only && (start >= sent_end || view.lower(start) != "that") {
            return None;
        }
        let in_sentence = |c: &&Cue| view.sentence_of(c.first_token) == sentence && c.kind == CueKind::Verb;
        if cue.first_token == sent_first {
            // "Noting that Y, X said Z": Y ends at the comma before the main verb's subject.
            let (main_idx, main) = self
                .cues
                .iter()
                .enumerate()
                .skip(ci + 1)
                .find(|(_, c)| in_sentence(c))?;
            let subj = subject_before(view, self.speakers, main.first_token)?;
            let end = if subj.0 > 0 && view.word(subj.0 - 1) == "," {
                subj.0 - 1
            } else {
                subj.0
            };
            let (a, b) = trim_range(view, start, end)?;
            return Some(self.quote(a, b, ci, Source::SameAsCue(main_idx), 0.8));
        }
        // ", adding that Z": the speaker of the closest verb cue before it in the sentence,
        // else the subject of the sentence's first verb ("She spoke …, arguing that Z")
        let mut end = self.clause_end(start);
        // ("calling him a “nice guy” and he didn't …": an object and its complement)
        if LEXICON.verb_frames(cue.lemma) == VerbFrames::ObjectComplement {
            end = self.object_end(start, end, true);
        }
        let (a, b) = trim_range(view, start, end)?;
        if let Some(main) = self.cues[..ci].iter().rposition(|c| in_sentence(&c)) {
            // (the main verb's own subject when it has one: "Obama responded … by saying")
            let source = match subject_before(view, self.speakers, self.cues[main].first_token) {
                Some((s0, s1)) => Source::Tokens { first: s0, end: s1 },
                None => Source::SameAsCue(main),
            };
            return Some(self.quote(a, b, ci, source, 0.8));
        }
        let verb = (sent_first..cue.first_token).find(|&t| view.is_finite_verb(t))?;
        // "The idea was embraced by Central European leaders …, warning that": the agent
        let mut by = verb + 1;
        while by < cue.first_token && matches!(view.pos(by), "VBN" | "RB") {
            by += 1;
        }
        if by > verb + 1 && by < cue.first_token && view.lower(by) == "by" && view.pos(by - 1) == "VBN" {
            if let Some((s0, s1)) = np_after(view, self.speakers, by + 1, 10) {
                return Some(self.quote(a, b, ci, Source::Tokens { first: s0, end: s1 }, 0.7));
            }
        }
        let (s0, s1) = subject_before(view, self.speakers, verb)?;
        Some(self.quote(a, b, ci, Source::Tokens { first: s0, end: s1 }, 0.7))
    }

    /// "Trump's claim that Y" / "his warning that Y": Y, from the possessor.
    fn noun_frame(&self, ci: usize) -> Option<Quote> {
        let view = self.view;
        let cue = self.cues[ci];
        let that = cue.end_token;
        // "said in a statement that …": the verb's content
        let verb_near = self
            .cues
            .iter()
            .any(|c| c.kind == CueKind::Verb && c.end_token <= cue.first_token && c.end_token + 4 >= cue.first_token);
        if verb_near {
            return None;
        }
        let mut end = self.clause_end(that + 1);
        // "Contrary to his claim that people would learn nothing, there would be …": a cue in a
        // fronted phrase; its content ends at the comma before the main clause
        let (sent_first, _) = view.sentence_tokens(view.sentence_of(cue.first_token));
        if !(sent_first..cue.first_token).any(|t| view.is_finite_verb(t)) {
            if let Some(k) = (that + 1..end).find(|&k| view.word(k) == "," && self.has_clause(k + 1, end)) {
                end = k;
            }
        }
        let (a, b) = trim_range(view, that + 1, end)?;
        if !self.has_clause(a, b) && !(a..b).any(|t| is_quote_token(view, t)) {
            return None;
        }
        let n = cue.first_token;
        let possessive_s = n >= 3 && view.is_possessive_at(n - 2);
        let source = if possessive_s {
            match self.speakers.mention_at(n - 3) {
                Some(m) => Source::Tokens {
                    first: m.first_token,
                    end: m.end_token,
                },
                None => Source::Tokens {
                    first: n - 3,
                    end: n - 2,
                },
            }
        } else if n >= 1 && matches!(view.lower(n - 1), "his" | "her" | "their" | "its") {
            Source::Tokens { first: n - 1, end: n }
        } else if let Some(m) = (n >= 1).then(|| self.speakers.mention_at(n - 1)).flatten() {
            // "a New York Times report that …", "a White House statement that …"
            Source::Tokens {
                first: m.first_token,
                end: m.end_token,
            }
        } else {
            Source::Unknown
        };
        Some(self.quote(a, b, ci, source, 0.6))
    }

    fn according_frame(&self, ci: usize) -> Option<Quote> {
        let view = self.view;
        let cue = self.cues[ci];
        let (sent_first, sent_end) = view.sentence_tokens(view.sentence_of(cue.first_token));
        let (s0, s1) = np_after(view, self.speakers, cue.end_token, 12)?;
        let source = Source::Tokens { first: s0, end: s1 };
        let (a, b) = if cue.first_token == sent_first {
            trim_range(view, s1, sent_end)?
        } else {
            let before = trim_range(view, sent_first, cue.first_token);
            let after = trim_range(view, s1, sent_end);
            match (before, after) {
                (Some(x), Some(y)) => {
                    if x.1 - x.0 >= y.1 - y.0 {
                        x
                    } else {
                        y
                    }
                }
                (Some(x), None) | (None, Some(x)) => x,
                (None, None) => return None,
            }
        };
        // `“…,” Conason wrote, according to the Times`: a quote with its own cue, which the
        // source passes on; that quote is the attribution
        let own_cue = self.cues.iter().any(|c| {
            c.kind == CueKind::Verb
                && c.first_token >= a
                && c.end_token <= b
                && (c.end_token..b).all(|t| view.is_punct(t) || is_time_word(view.lower(t)))
        });
        if own_cue && b <= cue.first_token {
            return None;
        }
        Some(self.quote(a, b, ci, source, 0.8))
    }

    fn colon_frame(&self, ci: usize) -> Option<Quote> {
        let view = self.view;
        let cue = self.cues[ci];
        let (sent_first, sent_end) = view.sentence_tokens(view.sentence_of(cue.first_token));
        let (a, b) = trim_range(view, cue.end_token, sent_end)?;
        let is_name = (sent_first..cue.first_token)
            .any(|t| matches!(view.label_at(t), Some(EntityLabel::Person | EntityLabel::Organization)));
        is_name.then(|| {
            self.quote(
                a,
                b,
                ci,
                Source::Tokens {
                    first: sent_first,
                    end: cue.first_token,
                },
                0.7,
            )
        })
    }

    fn quote(&self, a: usize, b: usize, cue: usize, source: Source, confidence: f32) -> Quote {
        Quote {
            content: self.view.tokens_span(a, b),
            kind: QuoteKind::Indirect,
            cue: Some(cue),
            learned_cue: None,
            source,
            confidence,
        }
    }
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
