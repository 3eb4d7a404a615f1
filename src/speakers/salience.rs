//! Which earlier mention a pronoun refers to: the most salient compatible one.
//!
//! Salience in the manner of Lappin and Leass (1994), with the weights news asks for:
//! recency (halved for each sentence back, less across a paragraph break), the subject of a clause, the subject of a
//! reporting verb (the person being quoted goes on being "he" in news: "Smith said …. He
//! added …"), and against a mention that is the object of a preposition. A pronoun that is the subject of a trailing cue never takes
//! a mention from the words before its comma, which are what was said:
//! "Jones's plan will fail, he said" is not Jones speaking. A pronoun in a relative clause
//! is the mention its "who" hangs on, and one in a sentence's opening phrase refers ahead
//! to the subject after the phrase's comma ([`cataphoric`]).

use crate::document::DocView;
use crate::lexicon::LEXICON;
use crate::pos::Pos;

use super::{is_possessive_pronoun, Mention};

/// How far back a pronoun looks, in sentences.
pub(super) const SENTENCES_BACK: usize = 3;

/// The weights of the salience score.
const RECENCY: f32 = 100.0;
const SUBJECT: f32 = 80.0;
const REPORTING_SUBJECT: f32 = 20.0;
/// Per paragraph break between the mention and the pronoun: a paragraph is a topic.
const PARAGRAPH: f32 = -30.0;
const OBLIQUE: f32 = -30.0;

/// The longest opening clause a pronoun refers ahead from, in tokens.
const CLAUSE_TOKENS: usize = 20;

/// For the mention a relative "who" that the pronoun's clause hangs on refers to: that
/// clause speaks of it.
const RELATIVE: f32 = 120.0;

/// For the name a possessive pronoun is coordinated with: "X and her husband" is X's.
const CONJUNCT: f32 = 200.0;

/// Per token between the mention and the pronoun in the same sentence: the nearer wins a tie.
const NEAR: f32 = 0.5;

/// The grammatical position of a span of tokens `a..b`, as far as tags tell it.
struct Position {
    subject: bool,
    reporting_subject: bool,
    oblique: bool,
}

fn position(view: &DocView, a: usize, b: usize) -> Position {
    let sentence = view.sentence_of(a);
    let (first, _) = view.sentence_tokens(sentence);
    let mut clause_start = first;
    while clause_start < a && (view.is_quote_mark(clause_start) || view.pos(clause_start) == Pos::CC) {
        clause_start += 1;
    }
    // past adverbs, auxiliaries and a short appositive: "Smith, 52, said", "he also said"
    let mut j = b;
    while j < view.len() && j < b + 3 && matches!(view.pos(j), Pos::RB | Pos::MD) {
        j += 1;
    }
    let verb_after = view.is_finite_verb(j) || (view.is_verb(j) && view.pos(j) != Pos::VBG && view.pos(j) != Pos::VBN);
    let reports = |k: usize| !LEXICON.verb_forms(view.lower(k)).is_empty() && view.is_verb(k);
    let prev = a.checked_sub(1);
    let oblique = prev.is_some_and(|p| view.sentence_of(p) == sentence && matches!(view.pos(p), Pos::IN | Pos::TO));
    // `"…," said Smith`: the subject of an inverted cue (not "…, said his client would
    // plead": that is the subject of what was said)
    let inverted = prev.is_some_and(|p| reports(p) && p > 0 && (view.word(p - 1) == "," || view.is_quote_mark(p - 1)))
        && !(b < view.len() && view.is_finite_verb(b));
    // "Smith said Jones would attend": the subject of the reported clause is not the
    // sentence's subject
    let reported_clause =
        prev.is_some_and(|p| reports(p) || (view.lower(p) == "that" && p > 0 && reports(p - 1))) && !inverted;
    // "In January 2009, Ruth Deller, of television website Lowculture, included …": the
    // first word after an opening phrase and its comma
    let opener = (first..a).find(|&t| !view.is_quote_mark(t));
    let after_opening_phrase = prev.is_some_and(|p| view.word(p) == ",")
        && opener.is_some_and(|o| o < a - 1 && matches!(view.pos(o), Pos::IN | Pos::WRB | Pos::RB))
        && !(first..a - 1).any(|t| view.word(t) == ",");
    let subject = !oblique && !reported_clause && (verb_after || a == clause_start || inverted || after_opening_phrase);
    Position {
        subject,
        reporting_subject: (subject && reports(j)) || inverted,
        oblique,
    }
}

/// Is `m` the subject of its clause ("Smith said", "Schwartz gave", `"…," said Smith`)?
pub(super) fn is_subject(view: &DocView, m: &Mention) -> bool {
    position(view, m.first_token, m.end_token).subject
}

/// Does the pronoun at `i` sit in a relative clause on `m`, in its sentence? "disputes
/// with Murnau who had to finish the movie on his own" ("his" is Murnau, not the
/// sentence's subject).
fn relative_clause_of(view: &DocView, m: &Mention, i: usize) -> bool {
    let mut who = m.end_token;
    if who < i && view.word(who) == "," {
        who += 1;
    }
    who < i
        && view.lower(who) == "who"
        && view.sentence_of(who) == view.sentence_of(i)
        && !(who + 1..i).any(|t| matches!(view.word(t), "," | ";" | "—"))
}

/// Is the pronoun at `i` the subject of a cue after a comma: "…, he said", "…," she added?
/// Then what comes before it in its sentence was said, not who said it.
fn trailing_cue_subject(view: &DocView, i: usize) -> bool {
    let after_comma = i > 0 && (matches!(view.word(i - 1), "," | "—" | "–") || view.is_quote_mark(i - 1));
    let mut j = i + 1;
    while j < view.len() && j < i + 3 && view.pos(j) == Pos::RB {
        j += 1;
    }
    after_comma && !LEXICON.verb_forms(view.lower(j)).is_empty()
}

/// The most salient of `candidates` (mentions before the pronoun at `i`, each already
/// compatible with it in kind, number and gender), or `None`.
pub(super) fn most_salient<'m>(view: &DocView, i: usize, candidates: &[&'m Mention]) -> Option<&'m Mention> {
    let sentence = view.sentence_of(i);
    let skip_own_sentence = trailing_cue_subject(view, i);
    // "Chen's lawyer, David Moreau, said": when both the possessor and the person it
    // determines could be meant, the noun phrase's position is the person's
    let possessed_by = |m: &Mention| {
        candidates
            .iter()
            .find(|p| p.end_token + 2 == m.first_token && view.is_possessive_at(p.end_token))
    };
    let possesses =
        |m: &Mention| view.is_possessive_at(m.end_token) && candidates.iter().any(|n| n.first_token == m.end_token + 2);
    let score = |m: &Mention| {
        let back = sentence - view.sentence_of(m.first_token).min(sentence);
        let phrase_first = possessed_by(m).map_or(m.first_token, |p| p.first_token);
        let mut at = position(view, phrase_first, m.end_token);
        if possesses(m) {
            at.subject = false;
            at.reporting_subject = false;
        }
        let mut s = RECENCY / (1u32 << back.min(8)) as f32;
        if at.subject {
            s += SUBJECT;
        }
        if at.reporting_subject {
            s += REPORTING_SUBJECT;
        }
        if at.oblique {
            s += OBLIQUE;
        }
        if relative_clause_of(view, m, i) {
            s += RELATIVE;
        }
        // "Joan Lois Coburn and her husband", "Harriet Housel and her parents"
        if m.end_token + 1 == i && view.lower(m.end_token) == "and" && is_possessive_pronoun(view.lower(i)) {
            s += CONJUNCT;
        }
        s += PARAGRAPH * (view.paragraph_of(i) - view.paragraph_of(m.first_token).min(view.paragraph_of(i))) as f32;
        if back == 0 {
            s -= NEAR * (i - m.end_token.min(i)) as f32;
        }
        s
    };
    candidates
        .iter()
        .copied()
        .filter(|m| {
            let back = sentence - view.sentence_of(m.first_token).min(sentence);
            back <= SENTENCES_BACK && !(skip_own_sentence && back == 0)
        })
        .map(|m| (score(m), m))
        .fold(None, |best: Option<(f32, &Mention)>, (s, m)| match best {
            Some((b, _)) if b > s => best,
            _ => Some((s, m)),
        })
        .map(|(_, m)| m)
}

/// A pronoun in a clause that opens its sentence, before its comma, refers ahead to the
/// subject right after that comma: "In her tenure as president, Adele Chatfield-Taylor
/// helped …", "After her exit from All My Children, Singh returned …", "Discussing her
/// contract, Shirley stated …". `after`: the
/// compatible mentions after `i` in its sentence; none counts when one before `i` in the
/// clause could be meant ("After Smith left his job, Jones …").
pub(super) fn cataphoric<'m>(
    view: &DocView,
    i: usize,
    before_in_sentence: bool,
    after: &[&'m Mention],
) -> Option<&'m Mention> {
    if before_in_sentence {
        return None;
    }
    let (first, end) = view.sentence_tokens(view.sentence_of(i));
    // the pronoun's own phrase, after the commas of phrases before it ("Then in 2005,
    // auditioning alongside her sister, Brooke reached …"), none of them a main clause
    let phrase = (first..i).rev().find(|&t| view.word(t) == ",").map_or(first, |c| c + 1);
    let opener = (phrase..i).find(|&t| !view.is_quote_mark(t) && view.pos(t) != Pos::RB)?;
    let opens = matches!(view.pos(opener), Pos::IN | Pos::WRB | Pos::VBG | Pos::VBN);
    if !opens || (first..i).any(|t| view.is_finite_verb(t)) {
        return None;
    }
    let comma = (i + 1..end.min(i + CLAUSE_TOKENS)).find(|&t| view.word(t) == ",")?;
    after
        .iter()
        .copied()
        .find(|m| m.first_token == comma + 1 && position(view, m.first_token, m.end_token).subject)
}
