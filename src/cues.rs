//! Cues: the words that introduce speech.
//!
//! Reporting verbs in any inflection ("said", "stresses", "pointed out"),
//! participles after a comma or at a sentence start ("…, adding that",
//! "Noting that …"), "according to", and a colon after a speaker ("Li: …").
//! The POS head of the model tells the verb "claims" from the noun.

use crate::document::DocView;
use crate::lexicon::LEXICON;
use crate::ner::EntityLabel;
use crate::pos::Pos;
use crate::span::Span;
use crate::typography::is_closing_mark_token;

/// How a cue introduces speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A finite reporting verb ("said", "has stressed").
    Verb,
    /// A participle that opens a clause ("adding that", "Noting that").
    Participle,
    /// "according to X".
    According,
    /// "X: …".
    Colon,
    /// A speech noun before "that" ("Trump's claim that …", "his warning that …").
    Noun,
}

/// One cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cue {
    /// The cue's text ("pointed out", "according to").
    pub span: Span,
    /// First token.
    pub first_token: usize,
    /// One past the last token.
    pub end_token: usize,
    /// Lemma ("say"); "according to" and ":" for those kinds.
    pub lemma: &'static str,
    /// Kind of cue.
    pub kind: CueKind,
}

/// Find every cue, in text order.
pub(crate) fn find_cues(view: &DocView) -> Vec<Cue> {
    let mut cues = Vec::new();
    let n = view.len();
    let mut i = 0;
    while i < n {
        let w = view.lower(i);
        if w == "according" && i + 1 < n && view.lower(i + 1) == "to" {
            cues.push(Cue {
                span: view.tokens_span(i, i + 2),
                first_token: i,
                end_token: i + 2,
                lemma: "according to",
                kind: CueKind::According,
            });
            i += 2;
            continue;
        }
        if w == ":" && colon_after_speaker(view, i) {
            cues.push(Cue {
                span: view.span(i),
                first_token: i,
                end_token: i + 1,
                lemma: ":",
                kind: CueKind::Colon,
            });
            i += 1;
            continue;
        }
        let speech_noun = LEXICON.speech_noun(w);
        if let Some(noun) = speech_noun.filter(|_| i + 1 < n && view.lower(i + 1) == "that" && view.pos(i).is_noun()) {
            cues.push(Cue {
                span: view.span(i),
                first_token: i,
                end_token: i + 1,
                lemma: noun,
                kind: CueKind::Noun,
            });
            i += 1;
            continue;
        }
        let forms = LEXICON.verb_forms(w);
        // longest matching form first ("pointed out" before "pointed")
        let matched = forms
            .iter()
            .filter(|f| {
                f.rest
                    .iter()
                    .enumerate()
                    .all(|(k, r)| i + 1 + k < n && view.lower(i + 1 + k) == *r)
            })
            .max_by_key(|f| f.rest.len());
        if let Some(form) = matched {
            let end = i + 1 + form.rest.len();
            if is_verb_use(view, i) {
                // "…, adding that", "Noting that", and "tweets saying that …"
                let participle = w.ends_with("ing")
                    && (opens_clause(view, i)
                        || after_by(view, i, form.lemma)
                        || (end < n && view.lower(end) == "that"));
                if !w.ends_with("ing") || participle || follows_auxiliary(view, i) {
                    cues.push(Cue {
                        span: view.tokens_span(i, end),
                        first_token: i,
                        end_token: end,
                        lemma: form.lemma,
                        kind: if participle { CueKind::Participle } else { CueKind::Verb },
                    });
                }
            }
            i = end;
            continue;
        }
        i += 1;
    }
    cues
}

/// The POS head decides between verb and noun; forms that are only verbs pass.
fn is_verb_use(view: &DocView, i: usize) -> bool {
    let w = view.lower(i);
    // "self-described", "so-called": half of a compound adjective
    if i > 0 && view.word(i - 1) == "-" && view.span(i - 1).end == view.span(i).start {
        return false;
    }
    if matches!(w, "said" | "told" | "says") {
        // "Said" as a name ("Edward Said") is capitalised mid-sentence
        let (first, _) = view.sentence_tokens(view.sentence_of(i));
        return !(view.is_capitalized(i) && i > first && view.label_at(i).is_some());
    }
    let pos = view.pos(i);
    // "was asked whether …", "when asked what …": a question, its asker unnamed
    if w == "asked" && i + 1 < view.len() && LEXICON.opens_question(view.lower(i + 1)) {
        return true;
    }
    // "Mr. McKinley notes that …": a noun tag between a name or pronoun and a clause is a
    // verb the tagger missed
    if matches!(pos, Pos::NNS | Pos::NN) && w.ends_with('s') && i > 0 && i + 1 < view.len() {
        let subject_before = matches!(
            view.label_at(i - 1),
            Some(EntityLabel::Person | EntityLabel::Organization)
        ) || matches!(view.lower(i - 1), "he" | "she" | "they" | "it");
        if subject_before && (view.lower(i + 1) == "that" || view.pos(i + 1) == Pos::PRP) {
            return true;
        }
    }
    // `"Yes, sir," stammered Mary`: right after a quote's closing mark (and its comma) a
    // reporting verb is one, whatever its tag (the tagger read an adjective before a name)
    let after_quote =
        (i >= 1 && view.is_quote_mark(i - 1)) || (i >= 2 && view.word(i - 1) == "," && view.is_quote_mark(i - 2));
    if after_quote && matches!(pos, Pos::JJ | Pos::NN | Pos::NNP) {
        return true;
    }
    // "271 pledged delegates", "the stated goal", "the states' asserted harms": a participle
    // before its noun
    let possessor_before = i >= 2
        && (matches!(view.word(i - 1), "'" | "’") && view.lower(i - 2).ends_with('s') || view.is_possessive_at(i - 2));
    if (matches!(pos, Pos::VBN | Pos::JJ) || pos == Pos::VBD && possessor_before)
        && i > 0
        && i + 1 < view.len()
        && (matches!(view.pos(i - 1), Pos::CD | Pos::DT | Pos::JJ | Pos::PRPS) || possessor_before)
        && matches!(view.pos(i + 1), Pos::NN | Pos::NNS)
    {
        return false;
    }
    if pos == Pos::VBN {
        // a participle is a cue ("has warned", "Li noted" tagged VBN), but not in a
        // passive or a reduced relative ("was written by", "the letter written by")
        let mut p = i;
        while p > 0 && matches!(view.pos(p - 1), Pos::RB | Pos::RBR) {
            p -= 1;
        }
        let passive = p > 0
            && matches!(
                view.lower(p - 1),
                "was" | "were" | "is" | "are" | "be" | "been" | "being"
            );
        let after_by = i + 1 < view.len() && view.lower(i + 1) == "by";
        return !(passive || after_by);
    }
    pos == Pos::None || pos.is_verb()
}

/// An adverb between the comma and a participle cue: ", now saying …", ", even suggesting …".
pub(crate) fn is_participle_adverb(w: &str) -> bool {
    matches!(w, "now" | "again" | "also" | "later" | "then" | "even")
}

/// A participle opens a clause after a comma, at a sentence start, or after "and".
fn opens_clause(view: &DocView, i: usize) -> bool {
    let (first, _) = view.sentence_tokens(view.sentence_of(i));
    // a comma inside closing marks counts: `was "temporary," adding that`
    let mut p = i;
    while p > first && is_closing_mark_token(view.word(p - 1)) {
        p -= 1;
    }
    if p > first + 1 && is_participle_adverb(view.lower(p - 1)) && view.word(p - 2) == "," {
        p -= 1;
    }
    p == first
        || matches!(
            view.lower(p - 1),
            "," | "and" | "while" | "before" | "after" | ";" | "—" | "–"
        )
}

/// "responded by saying …", "began by noting …": "by" opens a clause for verbs of saying
/// ("by putting it to rest", "by asking Congress to …" are not reports).
fn after_by(view: &DocView, i: usize, lemma: &str) -> bool {
    i > 0
        && view.lower(i - 1) == "by"
        && matches!(
            lemma,
            "say"
                | "tell"
                | "note"
                | "argue"
                | "claim"
                | "insist"
                | "point out"
                | "state"
                | "declare"
                | "suggest"
                | "stress"
                | "emphasize"
                | "emphasise"
                | "explain"
                | "write"
                | "announce"
                | "warn"
                | "add"
        )
}

/// "is saying", "was quoted as saying", "has been telling".
fn follows_auxiliary(view: &DocView, i: usize) -> bool {
    // look back over adverbs and negation: "is once again questioning", "isn't saying"
    let mut p = i;
    while p > 0
        && i - p < 4
        && (matches!(view.pos(p - 1), Pos::RB | Pos::RBR) || matches!(view.lower(p - 1), "’" | "'" | "t"))
    {
        p -= 1;
    }
    let w = if p > 0 { view.lower(p - 1) } else { "" };
    matches!(
        w,
        "is" | "was" | "are" | "were" | "been" | "be" | "as" | "keeps" | "kept" | "isn" | "wasn" | "aren" | "weren"
    )
}

/// "Li: …" — a colon right after a short run of capitalised words opening a sentence.
fn colon_after_speaker(view: &DocView, i: usize) -> bool {
    let sentence = view.sentence_of(i);
    let (first, end) = view.sentence_tokens(sentence);
    // a headline "X: Y" names a topic, not a speaker (unless the text is a transcript that
    // opens on a turn: "JUSTICE THOMAS: General, …")
    if i == first || i - first > 6 || i + 1 >= end {
        return false;
    }
    if view.seg.sentences[sentence].paragraph == 0 {
        return transcript_turn(view, i);
    }
    let named = (first..i).any(|k| view.label_at(k).is_some())
        && (first..i).all(|k| view.is_capitalized(k) || view.is_punct(k));
    named || interview_turn(view, i).is_some() || transcript_turn(view, i)
}

/// "WALLACE: …", "MR. SMITH: …": a transcript names its speaker in capitals at a
/// paragraph's start, whether or not the model knows the name; a text is a transcript
/// when another paragraph opens so too ("UPDATE:" alone is no speaker). An interview
/// printed with names ("Jane Doe: …", "**Jane Doe:** …" in Markdown's bold) is one too.
pub(crate) fn transcript_turn(view: &DocView, i: usize) -> bool {
    let capitals_before = |colon: usize| {
        let (first, _) = view.sentence_tokens(view.sentence_of(colon));
        let words = || (first..colon).filter(|&k| !view.is_punct(k));
        let capitals = words().all(|k| view.word(k).chars().all(|c| c.is_uppercase() || !c.is_alphabetic()));
        let name = words().all(|k| view.is_capitalized(k) && view.label_at(k) == Some(EntityLabel::Person));
        view.opens_paragraph(first)
            && colon > first
            && colon - first <= 6
            && (capitals || name)
            && words().any(|k| view.word(k).chars().filter(|c| c.is_alphabetic()).count() >= 2)
    };
    capitals_before(i)
        && view.seg.paragraphs.iter().any(|p| {
            let first = view.token_from(p.span.start);
            (first + 1..(first + 5).min(view.len()))
                .find(|&k| view.word(k) == ":")
                .is_some_and(|colon| colon != i && capitals_before(colon))
        })
}

/// "Q: When will it open?" / "A: In March.": the colon at token `i` opens an interview's
/// turn, the interviewee's (`Some(true)`) or the interviewer's (`Some(false)`).
pub(crate) fn interview_turn(view: &DocView, i: usize) -> Option<bool> {
    let (first, _) = view.sentence_tokens(view.sentence_of(i));
    (view.opens_paragraph(first) && i == first + 1 && view.word(i) == ":" && view.is_capitalized(first))
        .then(|| LEXICON.interview_turn(view.lower(first)))
        .flatten()
}
