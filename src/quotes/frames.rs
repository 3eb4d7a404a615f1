//! The other frames of reported speech: participles (`…, adding that Z`), speech nouns
//! (`the statement said`, `in a statement, X …`), `according to X`, and `X: Y`.

use super::clause::trim_range;
use super::quote::{confidence, Context, Quote, Source};
use super::subject::{np_after, subject_before};
use crate::cues::{interview_turn, transcript_turn, Cue, CueKind};
use crate::lexicon::{VerbFrames, LEXICON};
use crate::ner::EntityLabel;
use crate::pos::Pos;
use crate::speakers::is_possessive_pronoun;

impl Context<'_, '_> {
    /// The reported-speech frame of cue `ci`.
    pub(super) fn reported(&self, ci: usize) -> Option<Quote> {
        let cue = self.cues[ci];
        match cue.kind {
            CueKind::Verb => self.verb_frame(ci),
            CueKind::Participle => self.participle_frame(ci),
            CueKind::According => self.according_frame(ci),
            CueKind::Colon => self.colon_frame(ci),
            CueKind::Noun => self.noun_frame(ci),
        }
    }

    pub(super) fn participle_frame(&self, ci: usize) -> Option<Quote> {
        let view = self.view;
        let cue = self.cues[ci];
        let sentence = view.sentence_of(cue.first_token);
        let (sent_first, sent_end) = view.sentence_tokens(sentence);
        let mut start = cue.end_token;
        if LEXICON.takes_listener(cue.lemma) {
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
            return Some(self.quote(a, b, ci, Source::SameAsCue(main_idx), confidence::PARTICIPLE));
        }
        // ", adding that Z": the speaker of the closest verb cue before it in the sentence,
        // else the subject of the sentence's first verb ("She spoke …, arguing that Z")
        let mut end = self.clause_end(start);
        // ("calling him a “nice guy” and he didn't …": an object and its complement)
        if LEXICON.verb_frames(cue.lemma) == VerbFrames::ObjectComplement {
            end = self.object_end(start, end, true);
        }
        let (a, b) = trim_range(view, start, end)?;
        // (not a cue inside a relative clause: "… an architect who said he was stiffed …,
        // saying" is Trump's participle, the sentence's subject, not the architect's)
        let relative = |c: &Cue| c.first_token > 0 && matches!(view.lower(c.first_token - 1), "who" | "which" | "that");
        if let Some(main) = self.cues[..ci].iter().rposition(|c| in_sentence(&c) && !relative(c)) {
            // (the main verb's own subject when it has one: "Obama responded … by saying", else
            // the sentence's: "Dean, a medical doctor, then appeared on MSNBC and began by
            // saying", else the main cue's speaker: "…," said Trump, adding)
            let main_first = self.cues[main].first_token;
            let sentence_subject = || {
                let verb = (sent_first..main_first).find(|&t| view.is_finite_verb(t))?;
                subject_before(view, self.speakers, verb)
            };
            let source = match subject_before(view, self.speakers, main_first).or_else(sentence_subject) {
                Some((s0, s1)) => Source::Tokens { first: s0, end: s1 },
                None => Source::SameAsCue(main),
            };
            return Some(self.quote(a, b, ci, source, confidence::PARTICIPLE));
        }
        let verb = (sent_first..cue.first_token).find(|&t| view.is_finite_verb(t))?;
        // "The idea was embraced by Central European leaders …, warning that": the agent
        let mut by = verb + 1;
        while by < cue.first_token && matches!(view.pos(by), Pos::VBN | Pos::RB) {
            by += 1;
        }
        if by > verb + 1 && by < cue.first_token && view.lower(by) == "by" && view.pos(by - 1) == Pos::VBN {
            if let Some((s0, s1)) = np_after(view, self.speakers, by + 1, 10) {
                return Some(self.quote(
                    a,
                    b,
                    ci,
                    Source::Tokens { first: s0, end: s1 },
                    confidence::PARTICIPLE_OWN_SUBJECT,
                ));
            }
        }
        let (s0, s1) = subject_before(view, self.speakers, verb)?;
        Some(self.quote(
            a,
            b,
            ci,
            Source::Tokens { first: s0, end: s1 },
            confidence::PARTICIPLE_OWN_SUBJECT,
        ))
    }

    /// "Trump's claim that Y" / "his warning that Y": Y, from the possessor.
    pub(super) fn noun_frame(&self, ci: usize) -> Option<Quote> {
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
        if !self.has_clause(a, b) && !(a..b).any(|t| view.is_quote_mark(t)) {
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
        } else if n >= 1 && is_possessive_pronoun(view.lower(n - 1)) {
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
        Some(self.quote(a, b, ci, source, confidence::NOUN))
    }

    pub(super) fn according_frame(&self, ci: usize) -> Option<Quote> {
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
                && (c.end_token..b).all(|t| view.is_punct(t) || LEXICON.is_time_word(view.lower(t)))
        });
        if own_cue && b <= cue.first_token {
            return None;
        }
        Some(self.quote(a, b, ci, source, confidence::ACCORDING))
    }

    pub(super) fn colon_frame(&self, ci: usize) -> Option<Quote> {
        let view = self.view;
        let cue = self.cues[ci];
        let (sent_first, sent_end) = view.sentence_tokens(view.sentence_of(cue.first_token));
        // (a transcript's or an interview's turn runs to its paragraph's end, over sentences)
        let (_, paragraph_end) = view.paragraph_tokens(view.paragraph_of(cue.first_token));
        // (after a person's or an organisation's name, a transcript's capitals or an
        // interview's "Q"/"A"; a place before a colon is a section's heading)
        let is_name = (sent_first..cue.first_token)
            .any(|t| matches!(view.label_at(t), Some(EntityLabel::Person | EntityLabel::Organization)));
        let transcript = transcript_turn(view, cue.first_token);
        let interview = interview_turn(view, cue.first_token);
        if !(is_name || transcript || interview.is_some()) {
            return None;
        }
        let (end, source) = match interview {
            Some(answer) => (paragraph_end, Source::Interview { answer }),
            None => (
                if transcript { paragraph_end } else { sent_end },
                Source::Tokens {
                    first: sent_first,
                    end: cue.first_token,
                },
            ),
        };
        let (a, b) = trim_range(view, cue.end_token, end)?;
        Some(self.quote(a, b, ci, source, confidence::COLON))
    }
}
