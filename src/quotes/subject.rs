//! Subjects: the noun phrase before a cue ("Imran Khan, Pakistan's prime minister,
//! said"), after an inverted cue ("said Li"), or shared with a first verb ("He joined …
//! and criticized …").

use crate::document::DocView;
use crate::lexicon::LEXICON;
use crate::ner::EntityLabel;
use crate::pos::Pos;
use crate::speakers::{is_object_or_possessive_pronoun, Mention, MentionKind, SpeakerKind, SpeakerLayer};

/// Words that may stand between a subject and its verb ("Li also said", "he has said").
pub(super) fn is_aux_or_adverb(view: &DocView, i: usize) -> bool {
    LEXICON.is_subject_verb_filler(view.lower(i))
        || matches!(view.pos(i), Pos::RB | Pos::RBR | Pos::RBS) && !view.is_punct(i)
}

/// Walk left from a verb over what may stand between it and its subject: auxiliaries,
/// adverbs, negation ("isn’t"), time ("on Friday", "this month") and a controlling
/// verb ("appeared to suggest", "declined to").
pub(super) fn skip_between_subject_and_verb(view: &DocView, sent_first: usize, verb: usize) -> usize {
    let mut i = verb;
    loop {
        let before = i;
        while i > sent_first && (is_aux_or_adverb(view, i - 1) || LEXICON.is_time_word(view.lower(i - 1))) {
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

/// The subject of the verb at `cue_first`: a token range ending right before it.
pub(super) fn subject_before(view: &DocView, speakers: &SpeakerLayer, cue_first: usize) -> Option<(usize, usize)> {
    let (sent_first, _) = view.sentence_tokens(view.sentence_of(cue_first));
    let mut i = skip_between_subject_and_verb(view, sent_first, cue_first);
    let end = i;
    if i == sent_first {
        return None;
    }
    // "Mr. Holtz-Eakin, who emphasized …": the relative pronoun is the subject, a mention of
    // its antecedent when the speaker stage linked it (the source mention is the clause's
    // subject, as annotators mark it); else the antecedent
    if matches!(view.lower(i - 1), "who" | "which" | "that") && speakers.mention_at(i - 1).is_some() {
        return Some((i - 1, i));
    }
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
            .any(|t| view.is_quote_mark(t) || (view.is_finite_verb(t) && relative.is_none_or(|r| t < r)));
        let named_before = k > sent_first
            && speakers
                .mention_at(k - 1)
                .is_some_and(|m| matches!(m.kind, MentionKind::Name | MentionKind::TitledName));
        // "Schiff, 56, who has served on the committee for a decade, told": a relative clause
        // (and an age) between subject and verb
        if matches!(view.lower(k + 1), "who" | "which") && k > sent_first {
            let mut before = k;
            if before >= sent_first + 3 && view.pos(before - 1) == Pos::CD && view.word(before - 2) == "," {
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
    // "A Toronto man accused of defrauding seniors told": the noun a participle phrase
    // modifies is the subject, not the phrase's object
    if let Some(head) = participle_head(view, speakers, sent_first, i) {
        return Some(head);
    }
    // (an object or possessive pronoun is no subject: "Those close to him said")
    let subject_form = |m: &&Mention| !is_object_or_possessive_pronoun(view.lower(m.first_token));
    if let Some(m) = speakers.mention_at(i - 1).filter(subject_form) {
        // "Protesters marching through Ferguson chanted" / "A spokesman for the embassy said":
        // a name inside a post-modifier is not the subject; the noun it modifies is
        if let Some(head) = modified_head(view, speakers, sent_first, m.first_token) {
            return Some(head);
        }
        // "Nigel Dodds of the DUP said", "the chairman of the committee said": the
        // affiliation after "of" or "from" is not who spoke; the person before it is
        let mut of = m.first_token;
        if of > sent_first && view.lower(of - 1) == "the" {
            of -= 1;
        }
        if of > sent_first + 1 && matches!(view.lower(of - 1), "of" | "from") {
            let head = speakers.mention_at(of - 2).filter(|h| {
                h.kind != MentionKind::Pronoun && speakers.speakers[h.speaker].kind != SpeakerKind::Organization
            });
            if let Some(h) = head {
                return Some((h.first_token.max(sent_first), end));
            }
        }
        let mut a = m.first_token.max(sent_first);
        if a > sent_first && view.lower(a - 1) == "the" {
            a -= 1;
        }
        // "Mr. Bush": the honorific belongs to the subject
        if a > sent_first && view.word(a - 1) == "." && a - 1 > sent_first && LEXICON.is_honorific(view.lower(a - 2)) {
            a -= 2;
        } else if a > sent_first && LEXICON.is_honorific(view.lower(a - 1)) {
            a -= 1;
        }
        return Some((a, end));
    }
    if view.pos(i - 1) == Pos::PRP || matches!(view.lower(i - 1), "he" | "she" | "they" | "we" | "i" | "it") {
        return Some((i - 1, end));
    }
    let head_ok = view.pos(i - 1).is_noun() || view.label_at(i - 1).is_some();
    if !head_ok {
        return None;
    }
    let mut a = i;
    while a > sent_first && a + 8 > end && view.is_np_token(a - 1) && !view.is_quote_mark(a - 1) {
        a -= 1;
    }
    // an NP does not start with a preposition
    while a < end && matches!(view.lower(a), "of" | "for" | "at" | "'" | "s" | "-") {
        a += 1;
    }
    (a < end).then_some((a, end))
}

/// The noun phrase a participle phrase ending before `end` modifies ("a man | accused of
/// defrauding seniors", "the woman | charged with fraud", "officials | investigating the
/// crash"): a participle right after a noun, then prepositions, gerunds and noun phrase
/// words only.
fn participle_head(view: &DocView, speakers: &SpeakerLayer, sent_first: usize, end: usize) -> Option<(usize, usize)> {
    let phrase_word = |t: usize| view.is_np_token(t) || matches!(view.pos(t), Pos::IN | Pos::TO | Pos::VBG);
    let mut p = end;
    while p > sent_first + 1 && p + 8 > end && !view.is_quote_mark(p - 1) {
        let t = p - 1;
        if matches!(view.pos(t), Pos::VBN | Pos::VBG) && view.pos(t - 1).is_noun() && t + 1 < end {
            break;
        }
        if !phrase_word(t) {
            return None;
        }
        p = t;
    }
    let participle = p.checked_sub(1)?;
    let gerund = view.pos(participle) == Pos::VBG;
    if participle <= sent_first || !(gerund || view.pos(participle) == Pos::VBN) || !view.pos(participle - 1).is_noun()
    {
        return None;
    }
    let head_end = participle;
    if let Some(m) = speakers.mention_at(head_end - 1) {
        let mut a = m.first_token.max(sent_first);
        if a > sent_first && matches!(view.lower(a - 1), "the" | "a" | "an") {
            a -= 1;
        }
        return Some((a, head_end));
    }
    let mut a = head_end;
    while a > sent_first && a + 6 > head_end && view.is_np_token(a - 1) && !view.is_quote_mark(a - 1) {
        a -= 1;
    }
    (a < head_end).then_some((a, head_end))
}

/// The first of the adverbs right before token `i` ("and repeatedly | says"), not before `floor`.
pub(super) fn before_adverbs(view: &DocView, mut i: usize, floor: usize) -> usize {
    while i > floor && matches!(view.pos(i - 1), Pos::RB | Pos::RBR) {
        i -= 1;
    }
    i
}

/// The subject of the verb at `cue_first`, or, for a second verb ("He joined the ranks …,
/// and criticized …", "and repeatedly says"), the subject of the sentence's first verb.
pub(super) fn subject_or_shared(view: &DocView, speakers: &SpeakerLayer, cue_first: usize) -> Option<(usize, usize)> {
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
pub(super) fn modified_head(
    view: &DocView,
    speakers: &SpeakerLayer,
    sent_first: usize,
    pp_object: usize,
) -> Option<(usize, usize)> {
    let mut prep = pp_object;
    // "advisers to Mr. Obama"
    if prep > sent_first + 1 && view.word(prep - 1) == "." && LEXICON.is_honorific(view.lower(prep - 2)) {
        prep -= 2;
    } else if prep > sent_first && LEXICON.is_honorific(view.lower(prep - 1)) {
        prep -= 1;
    }
    // ("a spokesperson for Environment | Minister Steven Guilbeault": a title's modifiers)
    while prep > sent_first + 1 && prep + 3 > pp_object && matches!(view.pos(prep - 1), Pos::NNP | Pos::NNPS | Pos::JJ)
    {
        prep -= 1;
    }
    if prep > sent_first && matches!(view.lower(prep - 1), "the" | "a" | "an") {
        prep -= 1;
    }
    if prep <= sent_first + 1 || !matches!(view.pos(prep - 1), Pos::IN | Pos::TO) || view.lower(prep - 1) == "of" {
        return None;
    }
    let mut head_end = prep - 1;
    let participle = view.pos(head_end - 1) == Pos::VBG;
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
    if !view.pos(head).is_noun() || named || view.label_at(head).is_some() {
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
    while a > sent_first && a + 6 > head_end && view.is_np_token(a - 1) && !view.is_quote_mark(a - 1) {
        a -= 1;
    }
    (a < head_end).then_some((a, head_end))
}

/// The noun phrase right after `from` (inverted "said Li", "according to X"), up to a clause mark.
pub(super) fn np_after(view: &DocView, speakers: &SpeakerLayer, from: usize, limit: usize) -> Option<(usize, usize)> {
    let (_, sent_end) = view.sentence_tokens(view.sentence_of(from.min(view.len().saturating_sub(1))));
    if from >= sent_end {
        return None;
    }
    if let Some(m) = speakers.mention_at(from) {
        let mut end = m.end_token;
        // keep an appositive / "of X" attached: stop at the clause mark
        while end < sent_end && end < from + limit && !view.is_clause_mark(end) && !view.is_finite_verb(end) {
            end += 1;
        }
        return Some((from, end.min(sent_end)));
    }
    // (a relative clause is not part of it: "leaders who have been …")
    let mut end = from;
    while end < sent_end
        && end < from + limit
        && !view.is_clause_mark(end)
        && !view.is_finite_verb(end)
        && !matches!(view.lower(end), "who" | "which" | "whose")
    {
        end += 1;
    }
    (end > from).then_some((from, end))
}
