//! Cues of quotes in marks: the cue after (`"…," she said`) or before (`she said: "…"`),
//! the words that lead into a partial quote or trail after it.

use super::quote::{Context, Source};
use super::subject::{np_after, subject_or_shared};
use crate::cues::{Cue, CueKind};
use crate::lexicon::LEXICON;
use crate::marks::{is_title, MarkedSpan};
use crate::pos::Pos;

/// What the rules found around one quote in marks.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct MarkCue {
    /// Its cue (index into the cue layer) and where the cue's source is.
    pub(super) cue: Option<(usize, Source)>,
    /// First token of the words that lead into a partial quote and join it into a mixed
    /// content (`Not paying taxes “makes me smart,” Trump said`).
    pub(super) lead_in: Option<usize>,
    /// Last token of the words after the closing mark, up to the comma before the
    /// speaker, that join a mixed content (`“You squeezed employees” to drive up the
    /// stock price, she said`).
    pub(super) trailing: Option<usize>,
    /// Where the speaker signs a quote that has no cue (`“…” — Jane Doe, CEO of Acme`).
    pub(super) signed: Option<Source>,
}

impl Context<'_, '_> {
    /// The cue of the quote in marks `m`, and its lead-in or trailing words.
    pub(super) fn mark_cue(&self, m: &MarkedSpan) -> MarkCue {
        let view = self.view;
        // A short quote inside a clause ("called it “outrageous” and") is a scare quote: it
        // takes no cue of its own and may become part of a mixed quote.
        let words = m.inner.text(view.text).split_whitespace().count();
        // ... but `chanted “What curfew?” and kept going` quotes an utterance: it ends as one
        // and follows its speech verb
        let inner = m.inner.text(view.text);
        // (also `repeatedly says, "Don't you do it," until …`)
        let utterance = self.follows_verb_cue(m)
            && (inner.ends_with(['?', '!', '.'])
                || (view.text.get(m.inner.end..).is_some_and(|r| r.starts_with(',')) && self.cue_after(m).is_none()));
        // `Not paying taxes “makes me smart,” Trump said`: a partial quote that ends its clause
        // before a cue takes the words before it into a mixed content
        let partial = !self.opens_clause(m);
        // (`had “been friends for some time,” he claimed they had never met`: a cue with a
        // content of its own after it is not a partial quote's)
        let after =
            if utterance { None } else { self.cue_after(m) }.filter(|&(c, _)| !(partial && self.has_own_content(c)));
        // (`On ABC News's “This Week,” Rubio said`: a title, not a partial quote)
        let title = is_title(inner.trim_end_matches([',', ' ']));
        let lead_in = if partial && after.is_some() && !title {
            self.lead_in(m)
        } else {
            None
        };
        let cue = if utterance {
            self.cue_before(m, true)
        } else if lead_in.is_some() {
            after
        } else if (words < 4 || title) && partial {
            None
        } else {
            after.or_else(|| self.cue_before(m, false))
        };
        // `“You squeezed employees” to drive up the stock price, she said`: words after the
        // closing mark, up to the comma before the speaker, belong to a mixed content
        let trailing = match (cue, lead_in) {
            (Some((c, _)), None) if !partial => self.trailing_words(m, c),
            _ => None,
        };
        let signed = if cue.is_none() { self.signature(m) } else { None };
        MarkCue {
            cue,
            lead_in,
            trailing,
            signed,
        }
    }

    /// A quote signed after it, without a verb: by a dash and the speaker to the paragraph's
    /// end (a press release's `“…” -Commissioner Jane Doe`, `“…” — Jane Doe, CEO of
    /// Acme`), or by the speaker alone on the line after a quote that fills its paragraph
    /// (`"We will rebuild the town."` / `Mayor Tom Brown`). The signature is short, has no
    /// verb and no marks, and opens with a mention.
    pub(super) fn signature(&self, m: &MarkedSpan) -> Option<Source> {
        let view = self.view;
        let open = view.token_from(m.outer.start);
        let after = view.token_from(m.outer.end);
        if !m.closed || after >= view.len() {
            return None;
        }
        let para = view.paragraph_of(open);
        let paragraph_end = |p: usize| view.paragraph_tokens(p).1;
        let dash = |t: usize| matches!(view.word(t), "—" | "–" | "-" | "―" | "~");
        let (mut first, end) = if view.paragraph_of(after) == para {
            if !dash(after) {
                return None;
            }
            (after, paragraph_end(para))
        } else {
            if !view.opens_paragraph(open) || view.paragraph_of(after) != para + 1 {
                return None;
            }
            let end = paragraph_end(para + 1);
            // (a line of its own: one sentence that asks and exclaims nothing)
            if view.sentence_of(after) != view.sentence_of(end.saturating_sub(1))
                || matches!(view.word(end - 1), "?" | "!")
            {
                return None;
            }
            (after, end)
        };
        while first < end && dash(first) {
            first += 1;
        }
        if first >= end || end - first > 14 {
            return None;
        }
        if (first..end).any(|t| view.is_finite_verb(t) || view.is_quote_mark(t)) {
            return None;
        }
        let opens_with_mention = self.speakers.mention_at(first).is_some_and(|mm| mm.end_token <= end)
            || self
                .speakers
                .mentions
                .iter()
                .any(|mm| mm.first_token > first && mm.first_token <= first + 2 && mm.end_token <= end);
        opens_with_mention.then_some(Source::Tokens { first, end })
    }

    /// Does the marked span open a clause (sentence start, after ":" or ",")?
    pub(super) fn opens_clause(&self, m: &MarkedSpan) -> bool {
        let view = self.view;
        let open = view.token_from(m.outer.start);
        if open >= view.len() {
            return false;
        }
        let (first, _) = view.sentence_tokens(view.sentence_of(open));
        open == first || matches!(view.word(open - 1), ":" | "," | "(" | "—" | "–")
    }

    /// Does the sentence go on with words after the closing mark (a partial quote)?
    pub(super) fn continues_after(&self, m: &MarkedSpan) -> bool {
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
    pub(super) fn cue_after(&self, m: &MarkedSpan) -> Option<(usize, Source)> {
        let view = self.view;
        if !m.closed {
            return None;
        }
        let after = view.token_from(m.outer.end);
        // (the paragraph of the closing mark: a quote over paragraphs has its cue after the last)
        let last_inside = view.token_until(m.outer.end).saturating_sub(1);
        if after >= view.len() || view.paragraph_of(after) != view.paragraph_of(last_inside) {
            return None;
        }
        // `"… escapades." The agency said`: a new sentence after a full stop has its own cue
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
                    .any(|t| view.is_quote_mark(t) || (view.is_finite_verb(t) && relative.is_none_or(|r| t < r)));
            ok.then_some((m.first_token, m.end_token))
        });
        if let Some((a, b)) = appositive {
            return Some((ci, Source::Tokens { first: a, end: b }));
        }
        // (`“…,” but he said that …` starts a new clause with its own content; `“…,” when asked
        // whether …` is a question put to the speaker)
        let conjunction = gap.first().is_some_and(|&t| {
            matches!(view.lower(t), "but" | "and" | "while" | "although")
                || LEXICON.is_subordinator(view.lower(t), "clause")
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
                .any(|&t| view.is_quote_mark(t) || (view.is_finite_verb(t) && !aux(t) && !possessive_s(t)))
        {
            return None;
        }
        if view.paragraph_of(cue.first_token) != view.paragraph_of(after) {
            return None;
        }
        // (the words between are the speaker's before a verb, never before "according to":
        // `“walk-in” at 2,000 schools, according to the organizer` is the organizer's)
        let source_words: Vec<usize> = if cue.kind == CueKind::According {
            Vec::new()
        } else {
            gap.iter().copied().filter(|&t| !aux(t)).collect()
        };
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
    pub(super) fn has_own_content(&self, ci: usize) -> bool {
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
    pub(super) fn trailing_words(&self, m: &MarkedSpan, ci: usize) -> Option<usize> {
        let view = self.view;
        let after = view.token_from(m.outer.end);
        let cue = &self.cues[ci];
        if after >= cue.first_token || view.word(after) == "," {
            return None;
        }
        let comma = (after..cue.first_token).rev().find(|&t| view.word(t) == ",")?;
        let words: Vec<usize> = (after..comma).filter(|&t| !view.is_punct(t)).collect();
        let clean = !(after..comma).any(|t| view.is_finite_verb(t) || view.is_quote_mark(t));
        // what lies between the comma and the cue is the speaker
        let speaker = self
            .speakers
            .mention_at(comma + 1)
            .is_some_and(|m| m.first_token == comma + 1 && m.end_token == cue.first_token);
        (words.len() >= 2 && clean && speaker).then(|| comma - 1)
    }

    /// Where the clause of a partial quote starts, when words of the same sentence come
    /// before its opening mark and none of them is a cue (that frame would be the cue's).
    pub(super) fn lead_in(&self, m: &MarkedSpan) -> Option<usize> {
        let view = self.view;
        let open = view.token_from(m.outer.start);
        if open == 0 || open >= view.len() {
            return None;
        }
        let (sent_first, _) = view.sentence_tokens(view.sentence_of(open));
        let start = (sent_first..open)
            .rev()
            .find(|&t| matches!(view.word(t), ":" | ";" | "(" | "—" | "–" | "--") || view.is_quote_mark(t))
            .map_or(sent_first, |t| t + 1);
        let words = (start..open).filter(|&t| !view.is_punct(t)).count();
        let cue_inside = self.cues.iter().any(|c| c.first_token >= start && c.first_token < open);
        (words >= 1 && !cue_inside).then_some(start)
    }

    /// Does a verb cue end right before the opening mark (`chanted, “…”`)?
    pub(super) fn follows_verb_cue(&self, m: &MarkedSpan) -> bool {
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
    pub(super) fn cue_before(&self, m: &MarkedSpan, sentence_may_go_on: bool) -> Option<(usize, Source)> {
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
        let only_marks = between
            .iter()
            .all(|&t| matches!(view.lower(t), "," | ":" | ";" | "that"));
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
        // "said Li Keqiang: "…"", and in fiction `"But it is," returned she; "for Mrs. Long …"`
        let last = *between.last()?;
        if matches!(view.word(last), ":" | "," | ";")
            && between[..between.len() - 1]
                .iter()
                .all(|&t| view.is_np_token(t) && !view.is_quote_mark(t))
        {
            // ("Limbaugh told his radio audience, “…”": after a tell-like verb the noun phrase
            // is the listener, and the speaker the verb's subject)
            // (nor is a phrase after a preposition: "who joked of the museum, “…”")
            let not_inverted = LEXICON.takes_listener(cue.lemma) || view.pos(cue.end_token) == Pos::IN;
            let subject = not_inverted
                .then(|| subject_or_shared(view, self.speakers, cue.first_token))
                .flatten();
            let (first, end) = subject.unwrap_or((cue.end_token, last));
            return Some((ci, Source::Tokens { first, end }));
        }
        None
    }
}
