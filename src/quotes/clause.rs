//! Where a content, an object or a listener ends: clause ends, relative clauses,
//! objects before a content, the content before a subject.

use super::quote::Context;
use super::subject::{before_adverbs, subject_before};
use crate::cues::{is_participle_adverb, CueKind};
use crate::document::DocView;
use crate::lexicon::{VerbFrames, LEXICON};
use crate::ner::EntityLabel;
use crate::pos::Pos;
use crate::speakers::{Mention, MentionKind};

/// Trim punctuation and quote-less clutter from both ends of a token range.
pub(super) fn trim_range(view: &DocView, mut a: usize, mut b: usize) -> Option<(usize, usize)> {
    // (a leading complementizer goes, a demonstrative stays: "That's why, he argued, …")
    // (Markdown's emphasis marks around a turn's name: "**Jane Doe:** …")
    let emphasis = |t: usize| !view.word(t).is_empty() && view.word(t).chars().all(|c| c == '*' || c == '_');
    while a < b
        && (matches!(view.word(a), "," | ";" | ":" | "—" | "–" | "-")
            || emphasis(a)
            || view.lower(a) == "that"
                && a + 1 < b
                && !matches!(view.lower(a + 1), "'s" | "’s" | "'" | "’" | "is" | "was"))
    {
        a += 1;
    }
    while b > a && (matches!(view.word(b - 1), "," | "." | ";" | ":" | "—" | "–" | "-") || emphasis(b - 1)) {
        b -= 1;
    }
    (b > a).then_some((a, b))
}

/// Does the content after a cue start here, as an object ("lower taxes", "why she …",
/// "supporters to …") rather than an adjunct ("here Friday", "in a telephone call")?
pub(super) fn starts_object(view: &DocView, i: usize) -> bool {
    let w = view.lower(i);
    // "praised Thursday's protests"
    let possessive = i + 1 < view.len() && view.pos(i + 1) == Pos::POS;
    if !possessive && (LEXICON.is_time_word(w) || matches!(w, "here" | "there" | "tomorrow" | "again" | "so")) {
        return false; // "said Friday", "said here", "said last week"
    }
    if view.is_quote_mark(i) || matches!(w, "why" | "whether" | "if" | "how" | "what" | "who" | "when") {
        return true;
    }
    // ("blasted him for …"; "said it" is no object)
    matches!(
        view.pos(i),
        Pos::DT | Pos::NN | Pos::NNS | Pos::NNP | Pos::NNPS | Pos::JJ | Pos::JJS | Pos::JJR | Pos::PRPS | Pos::CD
    ) || matches!(w, "him" | "her" | "them" | "us" | "me")
        || possessive
}

impl Context<'_, '_> {
    /// End of the clause the content after `from` belongs to: the sentence end, or
    /// right before ", <participle cue>", ";", or the subject of a later verb cue
    /// (", while the French president noted that …").
    pub(super) fn clause_end(&self, from: usize) -> usize {
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
            // (a that-only verb without "that" reports nothing: "he should resign and
            // return his pay")
            let reports = LEXICON.verb_frames(next.lemma) != VerbFrames::ThatClause
                || next.end_token < view.len() && view.lower(next.end_token) == "that";
            let coordinated = reports
                && matches!(next.kind, CueKind::Verb | CueKind::Participle)
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
                    let after_mark = cut > from + 1 && view.is_quote_mark(cut - 1) && view.word(cut - 2) == ",";
                    // (a determiner before the subject is its own: "…, while both unions report")
                    while cut > from + 1 && matches!(view.pos(cut - 1), Pos::DT | Pos::PDT) {
                        cut -= 1;
                    }
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
                        && LEXICON.is_subordinator(view.lower(i + 2), "clause")))
            {
                return i;
            }
            if view.word(i) == "," {
                let mut next = i + 1;
                while next < sent_end && view.is_quote_mark(next) {
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
    pub(super) fn relative_clause_end(&self, from: usize, end: usize) -> usize {
        let view = self.view;
        let Some(verb) = (from..end).find(|&t| view.is_finite_verb(t)) else {
            return end;
        };
        let mut t = verb + 1;
        while t < end && (view.pos(t).is_verb() || matches!(view.pos(t), Pos::RB | Pos::TO)) {
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

    pub(super) fn has_clause(&self, a: usize, b: usize) -> bool {
        (a..b).any(|t| self.view.is_finite_verb(t) && self.view.label_at(t).is_none())
    }

    /// The end of a tell-like verb's listener starting at `from` ("told reporters | that").
    pub(super) fn listener_end(&self, from: usize, end: usize) -> usize {
        let view = self.view;
        let mut obj_end = from;
        // (a possessive pronoun starts a longer object: "urged her husband to …")
        let whole = |m: &&Mention| {
            !(m.kind == MentionKind::Pronoun
                && matches!(
                    view.pos(m.end_token),
                    Pos::NN | Pos::NNS | Pos::NNP | Pos::NNPS | Pos::JJ
                ))
        };
        if let Some(m) = self.speakers.mention_at(from).filter(whole) {
            obj_end = m.end_token;
            // "told USA TODAY's weekly video newsmaker series | it is clear …"
            if obj_end + 1 < end && view.is_possessive_at(obj_end) {
                obj_end += 2;
                while obj_end < end && matches!(view.pos(obj_end), Pos::NN | Pos::NNS | Pos::NNP | Pos::JJ) {
                    obj_end += 1;
                }
            }
            return obj_end;
        }
        // (a pronoun only as the whole object: "told the forum | he was …"; a name ends it:
        // "told host Sean Hannity | a Clinton loss is …")
        while obj_end < end
            && (matches!(view.pos(obj_end), Pos::NNS | Pos::NN | Pos::NNP | Pos::DT | Pos::JJ)
                || (obj_end == from && view.pos(obj_end) == Pos::PRP))
        {
            if let Some(m) = self.speakers.mention_at(obj_end).filter(|m| obj_end > from && whole(m)) {
                return m.end_token;
            }
            obj_end += 1;
            if view.pos(obj_end - 1) == Pos::PRP {
                break;
            }
        }
        obj_end
    }

    /// An object ends at its first comma outside quotation marks (", encouraging …"),
    /// unless `past_commas` (the object of "urges X to …" runs to the clause end).
    pub(super) fn object_end(&self, from: usize, clause_end: usize, past_commas: bool) -> usize {
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
            let participial = (view.word(t) == "," && t + 1 < clause_end && view.pos(t + 1) == Pos::VBG)
                || (t > from && matches!(view.word(t), "—" | "–" | "--")); // an aside follows a dash
            let subordinate = t > from
                && LEXICON.is_subordinator(view.lower(t), "after-object")
                && (t + 1..clause_end.min(t + 7))
                    .find(|&k| !view.is_np_token(k) || view.is_finite_verb(k))
                    .is_some_and(|k| (k > t + 1 && view.is_finite_verb(k)) || (k == t + 1 && view.pos(k) == Pos::VBG));
            if !inside && (participial || subordinate) {
                let mut end = t;
                while end > from && view.word(end - 1) == "," {
                    end -= 1;
                }
                return end;
            }
            // "what she called a “rant,” a series of …": a comma inside a closing mark is the
            // sentence's
            if inside && !past_commas && view.word(t) == "," && t + 2 < clause_end && view.is_quote_mark(t + 1) {
                return t + 2;
            }
            if view.is_quote_mark(t) {
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
                let adjectives =
                    t > from && t + 1 < clause_end && view.pos(t - 1).is_adjective() && view.pos(t + 1).is_adjective();
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
                    && matches!(view.pos(t + 1), Pos::PRP | Pos::NNP)
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
    pub(super) fn content_start(&self, sent_first: usize, comma: usize) -> usize {
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
}
