//! The verb frame: `X said (that) Y`, `X told Z (that) Y`, `Y, X said`, `Y, said X`,
//! `X vowed to Y`, `X called Y Z`.

use super::clause::{starts_object, trim_range};
use super::quote::{confidence, Context, Frame, Quote, Source};
use super::subject::{before_adverbs, skip_between_subject_and_verb, subject_or_shared};
use crate::cues::{transcript_turn, Cue, CueKind};
use crate::lexicon::{VerbFrames, LEXICON};
use crate::pos::Pos;

/// What the verb frame reads around one verb cue, computed once; the frames of
/// [`Context::verb_frame`] try it in turn.
struct VerbSite {
    ci: usize,
    cue: Cue,
    /// The frames the verb takes (`data/reporting_verbs.tsv`).
    frames: VerbFrames,
    sent_first: usize,
    sent_end: usize,
    /// The cue's subject, a token range.
    subject: Option<(usize, usize)>,
    /// The source the subject gives.
    source: Source,
    /// First token after the cue, its listener and a "that" ("told reporters that | …").
    after_cue: usize,
    /// True when a "that" was skipped to reach `after_cue`.
    after_that: bool,
    /// Where the clause after the cue ends.
    clause_end: usize,
    /// Where a clause content starts: `after_cue`, or past a time or fronted phrase
    /// ("said after the convention | he would …").
    content_start: usize,
    /// Where an object content starts: `after_cue`, or past a time phrase ("announced on
    /// Friday | the arrest of …").
    object_start: usize,
    /// A clause follows the cue: "X said (that) Y".
    clause_follows: bool,
    /// An object follows the cue: "X is questioning the integrity of …".
    object_follows: bool,
    /// The cue sits in a relative clause whose rest is the content ("which he said were …").
    wh_relative: bool,
    /// The subject follows a comma: "Y, X said".
    subject_after_comma: bool,
    /// No subject, and a comma before the cue: "Y, said X".
    inverted: bool,
    /// "he would ask …", "she declined to comment": no report.
    hypothetical: bool,
    /// The "as" of "as X pointed out" before the subject.
    as_at: Option<usize>,
}

impl Context<'_, '_> {
    /// Reported speech around a verb cue: the question after a passive "asked", then the
    /// frames in order (the first that finds a content, or says there is none, decides).
    pub(super) fn verb_frame(&self, ci: usize) -> Option<Quote> {
        if let Some(question) = self.asked_question(ci) {
            return question;
        }
        let site = self.verb_site(ci);
        if !self.reports_speech(&site) {
            return None;
        }
        let frames: [fn(&Self, &VerbSite) -> Frame; 6] = [
            Self::clause_after_cue,
            Self::around_as_clause,
            Self::before_closing_as_clause,
            Self::around_comma,
            Self::infinitive_after_cue,
            Self::object_after_cue,
        ];
        for frame in frames {
            match frame(self, &site) {
                Frame::Quote(q) => return Some(q),
                Frame::NoContent => return None,
                Frame::NotThis => {}
            }
        }
        None
    }

    /// "was asked whether …", "when asked what …", "Asked whether …, Trudeau laughed": the
    /// question is the content, its asker unnamed. `None` when the cue is no passive
    /// "asked"; `Some(None)` when it is but no question follows.
    fn asked_question(&self, ci: usize) -> Option<Option<Quote>> {
        let view = self.view;
        let cue = self.cues[ci];
        let (sent_first, _) = view.sentence_tokens(view.sentence_of(cue.first_token));
        let before = before_adverbs(view, cue.first_token, sent_first);
        let opener = cue.first_token == sent_first && view.lower(cue.first_token) == "asked";
        let passive_ask = cue.lemma == "ask"
            && (opener
                || before > sent_first
                    && matches!(
                        view.lower(before - 1),
                        "was" | "were" | "is" | "are" | "been" | "being" | "be" | "when" | "if" | "once"
                    ));
        if !passive_ask {
            return None;
        }
        let after = cue.end_token;
        let question = after < view.len() && LEXICON.opens_question(view.lower(after));
        if !question {
            return Some(None);
        }
        Some(
            trim_range(view, after, self.clause_end(after))
                .map(|(a, b)| self.quote(a, b, ci, Source::Unnamed, confidence::OBJECT_CONTENT)),
        )
    }

    /// Read the sentence around verb cue `ci`.
    fn verb_site(&self, ci: usize) -> VerbSite {
        let view = self.view;
        let cue = self.cues[ci];
        let (sent_first, sent_end) = view.sentence_tokens(view.sentence_of(cue.first_token));
        // (a transcript turn's label is no part of its first sentence: "GENERAL PRELOGAR:
        // Justice Thomas, as you suggested, …")
        let sent_first = self
            .cues
            .iter()
            .find(|c| {
                c.kind == CueKind::Colon
                    && c.first_token >= sent_first
                    && c.first_token < (sent_first + 6).min(cue.first_token)
                    && transcript_turn(view, c.first_token)
            })
            .map_or(sent_first, |c| c.end_token);
        let subject = subject_or_shared(view, self.speakers, cue.first_token);
        let mut clause_end = self.clause_end(cue.end_token);
        // "Cruz, who has proposed repealing the mandate, said": a relative clause closes at its comma
        let r = skip_between_subject_and_verb(view, sent_first, cue.first_token);
        if r > sent_first + 1 && matches!(view.lower(r - 1), "who" | "which") && view.word(r - 2) == "," {
            if let Some(comma) = (cue.end_token..clause_end).find(|&t| view.word(t) == ",") {
                clause_end = comma;
            }
        }
        let (after_cue, after_that) = self.skip_to_content(cue, clause_end);
        // "said Friday afternoon, as they bristled …": time, then an adverbial clause, is no content
        let mut past_phrase = after_cue;
        while past_phrase < clause_end
            && (LEXICON.is_time_word(view.lower(past_phrase)) || matches!(view.lower(past_phrase), "on" | "in" | "at"))
        {
            past_phrase += 1;
        }
        // "said after the convention he would …": a prepositional phrase, then the content
        let mut content_start =
            if past_phrase > after_cue && past_phrase < clause_end && view.pos(past_phrase) == Pos::PRP {
                past_phrase
            } else {
                after_cue
            };
        if !after_that && matches!(view.lower(past_phrase), "after" | "before" | "during") {
            let mut t = past_phrase + 1;
            while t < clause_end
                && matches!(
                    view.pos(t),
                    Pos::DT | Pos::NN | Pos::NNS | Pos::NNP | Pos::JJ | Pos::CD | Pos::PRPS | Pos::POS
                )
            {
                t += 1;
            }
            let subject_next = t < clause_end && (view.pos(t) == Pos::PRP || view.lower(t) == "that");
            if t > past_phrase + 1 && subject_next {
                past_phrase = t + usize::from(view.lower(t) == "that");
                content_start = past_phrase;
            }
        }
        // (after "that" it is the content's own: "said that, if elected, he would …")
        let adverbial = !after_that
            && past_phrase < clause_end
            && (view.word(past_phrase) == ","
                || matches!(
                    view.lower(past_phrase),
                    "as" | "while" | "when" | "after" | "before" | "because" | "since"
                ));
        // "acknowledged the reality of climate change, which makes him …": the only verb is
        // a relative clause's, so what follows is an object
        let first_verb = (after_cue..clause_end).find(|&t| view.is_finite_verb(t) && view.label_at(t).is_none());
        let relative_only = first_verb.is_some_and(|v| {
            (after_cue + 1..v)
                .any(|t| view.word(t - 1) == "," && matches!(view.lower(t), "which" | "who" | "whose" | "where"))
        });
        // "is promising lower taxes …, but he has …": the first verb is a later clause's
        let verb_after_but = first_verb.is_some_and(|v| (after_cue..v).any(|t| matches!(view.lower(t), "but" | "yet")));
        // "condemned the missile launch as Pyongyang fired …", "shouting profanities as she
        // hurries …": the first verb is a subordinate clause's, what precedes it an object
        let verb_after_subordinator = !after_that
            && starts_object(view, after_cue)
            && first_verb.is_some_and(|v| {
                // (the subordinator's own subject then the verb: not "such as that generated")
                (after_cue + 1..v).any(|t| {
                    LEXICON.is_subordinator(view.lower(t), "before-verb")
                        && v > t + 1
                        && (t + 1..v).all(|k| view.is_np_token(k) && !matches!(view.lower(k), "of" | "for" | "at"))
                })
            });
        // "which he said were accompanied by …", "what Trump says his plan would do and how …":
        // the cue sits in a relative clause, whose rest is the content
        let wh_relative = subject.is_some_and(|(s0, _)| {
            s0 > sent_first && matches!(view.lower(s0 - 1), "what" | "which" | "how" | "who" | "whom")
        });
        let relative_subject_gap = wh_relative
            && subject.is_some_and(|(s0, _)| matches!(view.lower(s0 - 1), "which" | "who"))
            && content_start < clause_end
            && view.is_finite_verb(content_start);
        // "asked for help", "comment on the letter because …": a preposition starts no content;
        // "Anything Trump says is a lie": a verb right after the cue is the sentence's, the cue
        // sits in a relative clause
        // ("noted that at one of his first meetings, he …": after "that" a phrase may lead)
        // ("asked Trump about statements he had made": what was asked)
        let asked_about = cue.lemma == "ask" && content_start < clause_end && view.lower(content_start) == "about";
        let no_content_start = content_start < clause_end
            && !asked_about
            && ((!after_that
                && matches!(
                    view.lower(content_start),
                    "for" | "about" | "on" | "of" | "with" | "to" | "at" | "from" | "up" | "into" | "by"
                ))
                || (view.is_finite_verb(content_start) && !after_that && !relative_subject_gap));
        let frames = LEXICON.verb_frames(cue.lemma);
        // ("called X Y" reads its own frame: no clause follows)
        let clause_follows = after_cue < clause_end
            && !adverbial
            && !relative_only
            && !verb_after_but
            && !verb_after_subordinator
            && !no_content_start
            && frames != VerbFrames::ObjectComplement
            && self.has_clause(after_cue, clause_end);
        // "called for reducing the corporate tax rate": a phrasal cue's gerund object
        // ("has mentioned refinancing student loans", "denied taking the money")
        let gerund = (cue.lemma.contains(' ')
            || matches!(
                cue.lemma,
                "mention" | "propose" | "suggest" | "recommend" | "advocate" | "deny" | "admit" | "acknowledge"
            ))
            && after_cue < clause_end
            && (view.pos(after_cue) == Pos::VBG
                || (view.pos(after_cue) == Pos::RB
                    && after_cue + 1 < clause_end
                    && view.pos(after_cue + 1) == Pos::VBG));
        // "announced on Friday the arrest of …": a time phrase before the object
        let object_start = if !starts_object(view, after_cue)
            && past_phrase > after_cue
            && past_phrase < clause_end
            && starts_object(view, past_phrase)
            && (after_cue..past_phrase).any(|t| LEXICON.is_time_word(view.lower(t)))
        {
            past_phrase
        } else {
            after_cue
        };
        // ("called it a common ailment": "it" is an object of "call")
        let called_it =
            object_start < clause_end && view.lower(object_start) == "it" && frames == VerbFrames::ObjectComplement;
        let object_follows = object_start < clause_end && (starts_object(view, object_start) || gerund || called_it);
        // "he would ask the auditor to …" / "she declined to comment" is no report
        // ("continued to call for …", "began to criticize …" are no hypotheses)
        let ongoing = cue.first_token > 1
            && view.pos(cue.first_token - 1) == Pos::TO
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
        let hypothetical =
            cue.first_token > 0 && matches!(view.pos(cue.first_token - 1), Pos::MD | Pos::TO) && !ongoing;
        // (the "as" clause closes with a comma right after its cue: "as X called them …" is not one)
        let as_at = subject.and_then(|(s0, _)| {
            (s0.saturating_sub(7).max(sent_first)..s0)
                .rev()
                .find(|&t| view.lower(t) == "as")
                .filter(|&t| (t == sent_first || view.word(t - 1) == ",") && !(t + 1..s0).any(|k| view.is_verb(k)))
        });
        VerbSite {
            ci,
            cue,
            frames,
            sent_first,
            sent_end,
            subject,
            source: match subject {
                Some((s0, s1)) => Source::Tokens { first: s0, end: s1 },
                None => Source::Unknown,
            },
            after_cue,
            after_that,
            clause_end,
            content_start,
            object_start,
            clause_follows,
            object_follows,
            wh_relative,
            subject_after_comma: subject.is_some_and(|(a, _)| a > sent_first && view.word(a - 1) == ","),
            inverted: subject.is_none() && cue.first_token > sent_first && view.word(cue.first_token - 1) == ",",
            hypothetical,
            as_at,
        }
    }

    /// Does the cue report speech at all? Not a participle modifying a noun, not a
    /// that-only verb without "that", not "called" without an object and complement.
    fn reports_speech(&self, site: &VerbSite) -> bool {
        let view = self.view;
        let first = site.cue.first_token;
        // "the aggressive laws proposed during Nixon's term": a participle modifying a noun
        let modifier =
            view.pos(first) == Pos::VBN && first > site.sent_first && matches!(view.pos(first - 1), Pos::NN | Pos::NNS);
        // direct quotes take these as they come; reported speech needs "that"
        let that_missing = site.frames == VerbFrames::ThatClause && !site.after_that;
        let no_call = site.frames == VerbFrames::ObjectComplement
            && !self.calls_x_y(site.cue, site.after_cue, site.clause_end, site.subject.is_some());
        !modifier && !that_missing && !no_call
    }

    /// A content of the token range `(a, b)`, or none at all when it trims away.
    fn content(&self, site: &VerbSite, range: Option<(usize, usize)>, sure: f32) -> Frame {
        match range {
            Some((a, b)) => Frame::Quote(self.quote(a, b, site.ci, site.source, sure)),
            None => Frame::NoContent,
        }
    }

    /// "X said (that) Y".
    fn clause_after_cue(&self, site: &VerbSite) -> Frame {
        // "Y, said Brian Baker, an adviser who oversees …": what follows the cue is the source
        let speaker_follows = site.inverted && self.speakers.mention_at(site.cue.end_token).is_some();
        if !site.clause_follows || speaker_follows {
            return Frame::NotThis;
        }
        let end = if site.wh_relative {
            self.relative_clause_end(site.content_start, site.clause_end)
        } else {
            site.clause_end
        };
        self.content(
            site,
            trim_range(self.view, site.content_start, end),
            confidence::VERB_CONTENT,
        )
    }

    /// "Hawaii, as one of Mr. Obama's advisers pointed out, normally does not …": the
    /// sentence around the "as" clause is the content.
    fn around_as_clause(&self, site: &VerbSite) -> Frame {
        let view = self.view;
        let as_clause =
            site.as_at.is_some() && site.cue.end_token < site.clause_end && view.word(site.cue.end_token) == ",";
        if !as_clause || site.hypothetical {
            return Frame::NotThis;
        }
        self.content(
            site,
            trim_range(view, site.sent_first, site.sent_end),
            confidence::AS_CLAUSE,
        )
    }

    /// "It does not show whether Scott had a gun, as police have said.": the clause before
    /// a closing "as" clause.
    fn before_closing_as_clause(&self, site: &VerbSite) -> Frame {
        let view = self.view;
        let as_clause_last = site.as_at.is_some_and(|t| t > site.sent_first + 2)
            && (site.cue.end_token..site.sent_end).all(|t| view.is_punct(t) || LEXICON.is_time_word(view.lower(t)));
        if !as_clause_last || site.hypothetical {
            return Frame::NotThis;
        }
        match trim_range(view, site.sent_first, site.as_at.unwrap_or(site.sent_first)) {
            None => Frame::NoContent,
            Some((a, b)) if self.has_clause(a, b) => {
                Frame::Quote(self.quote(a, b, site.ci, site.source, confidence::BEFORE_AS_CLAUSE))
            }
            Some(_) => Frame::NotThis,
        }
    }

    /// "Y, X said" and "Y, said X" ([`Context::comma_frame`]), unless an object follows the
    /// cue: "Though she called …, Warren did not say more" (a tell-like verb's object is its
    /// listener).
    fn around_comma(&self, site: &VerbSite) -> Frame {
        let object_after_cue = site.subject_after_comma
            && !LEXICON.takes_listener(site.cue.lemma)
            && site.after_cue < site.clause_end
            && starts_object(self.view, site.after_cue);
        if !(site.subject_after_comma || site.inverted) || site.hypothetical || object_after_cue {
            return Frame::NotThis;
        }
        self.comma_frame(site.ci, site.subject, site.inverted, site.clause_end, site.source)
    }

    /// "He also vowed to form a joint task force …": the infinitive is what was promised
    /// (a quoted verb counts: `is promising to "bomb the hell" out of …`; and a split
    /// infinitive: "vowed to harshly punish …").
    fn infinitive_after_cue(&self, site: &VerbSite) -> Frame {
        let view = self.view;
        let (after, end) = (site.after_cue, site.clause_end);
        let verb_at = if after + 2 < end && (view.is_quote_mark(after + 1) || view.pos(after + 1) == Pos::RB) {
            after + 2
        } else {
            after + 1
        };
        let infinitive = verb_at < end && view.lower(after) == "to" && view.pos(verb_at) == Pos::VB;
        if !infinitive || !LEXICON.takes_infinitive(site.cue.lemma) || site.subject.is_none() || site.hypothetical {
            return Frame::NotThis;
        }
        let object_end = self.object_end(after, end, false);
        self.content(site, trim_range(view, after, object_end), confidence::OBJECT_CONTENT)
    }

    /// "X is questioning the integrity of …": a noun-phrase content, of three words at least
    /// ("rejected that view" names no content; two words do for "called him divisive").
    fn object_after_cue(&self, site: &VerbSite) -> Frame {
        let view = self.view;
        // (headlines, without a final stop, are too telegraphic for this, except "X urges Y to …")
        let full_sentence = view.is_sentence_final(site.sent_end - 1);
        let object_then_to = (site.after_cue..site.clause_end.min(site.after_cue + 6))
            .any(|t| view.lower(t) == "to" && view.pos(t + 1) == Pos::VB);
        if !site.object_follows || site.subject.is_none() || !(full_sentence || object_then_to) || site.hypothetical {
            return Frame::NotThis;
        }
        let end = self.object_end(site.object_start, site.clause_end, object_then_to);
        let Some((a, b)) = trim_range(view, site.object_start, end) else {
            return Frame::NoContent;
        };
        let min_words = if site.frames == VerbFrames::ObjectComplement {
            2
        } else {
            3
        };
        if (a..b).filter(|&t| !view.is_punct(t)).count() < min_words {
            return Frame::NoContent;
        }
        Frame::Quote(self.quote(a, b, site.ci, site.source, confidence::OBJECT_CONTENT))
    }

    /// Where the content after a verb cue may start: past a tell-like verb's listener
    /// ("told reporters"), and past "that" when it is the complementizer (then `true`).
    pub(super) fn skip_to_content(&self, cue: Cue, post_end: usize) -> (usize, bool) {
        let view = self.view;
        // What follows the cue: object for tell-like verbs, adjuncts up to "that".
        let mut post = cue.end_token;
        if LEXICON.takes_listener(cue.lemma) {
            let obj_end = self.listener_end(post, post_end);
            // "urges Pakistan to strengthen …": the object belongs to what is urged
            let infinitive = obj_end + 1 < post_end && view.lower(obj_end) == "to" && view.pos(obj_end + 1) == Pos::VB;
            if !infinitive {
                post = obj_end;
            }
        }
        let mut via_that = false;
        // "said on Friday that …": skip to the complementizer (not the determiner: "rejected that view")
        // (not across a comma: "said, since most of them accept that …" is an adjunct's "that")
        if let Some(that) = (post..post_end.min(post + 12)).find(|&t| view.lower(t) == "that") {
            // ("dresses that showed more cleavage": a relative "that" after a noun, before its verb)
            let relative =
                that > post && that + 1 < post_end && view.pos(that - 1).is_noun() && view.is_finite_verb(that + 1);
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
                || (that + 1..post_end).any(|t| view.pos(t) == Pos::VB || view.is_quote_mark(t));
            if !comma_between && (as_did || !self.has_clause(post, that)) && content_follows {
                post = that + 1;
                via_that = true;
            }
        }
        (post, via_that)
    }

    /// "call" reports only as "called X Y" ("called the charges fabricated"), not "called
    /// the hearing because …", "called into a show", "a program called EB-5".
    pub(super) fn calls_x_y(&self, cue: Cue, post: usize, post_end: usize, has_subject: bool) -> bool {
        let view = self.view;
        let next_ok = post < post_end && !matches!(view.pos(post), Pos::IN | Pos::TO | Pos::RP | Pos::Comma);
        // ("a program called EB-5" is a participle; "Trump has called climate change a hoax" a perfect)
        let p = before_adverbs(view, cue.first_token, 0);
        let perfect = p > 0 && matches!(view.lower(p - 1), "has" | "have" | "had");
        // (a participle after a common noun: "a program called EB-5"; the tagger's VBN after a
        // name is the verb: "Sanders called her fallen son her hero")
        let participle = view.pos(cue.first_token) == Pos::VBN
            && !perfect
            && cue.first_token > 0
            && (matches!(view.pos(cue.first_token - 1), Pos::NN | Pos::NNS | Pos::Comma)
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
                while t < post_end
                    && matches!(
                        view.pos(t),
                        Pos::PRP | Pos::DT | Pos::PRPS | Pos::NNP | Pos::NNPS | Pos::POS
                    )
                {
                    t += 1;
                }
                t
            }
        };
        let complement = object_end > post
            && object_end < post_end
            && !matches!(view.pos(object_end), Pos::IN | Pos::TO | Pos::Comma | Pos::CC);
        // (a name as the object needs its complement; a plain noun phrase may be the complement)
        self.speakers.mention_at(post).is_none() || complement
    }
}
