//! First person outside quotation marks: the writer, or the speaker of the turn.
//!
//! "I" in a text's own words is whoever writes or speaks there: the byline's author ("By
//! Arash Javanbakht"), a letter's signature ("Yours,\n\nBill", "Respectfully, George Chriss"), someone who names
//! themselves ("I'm your host as always, Dave", "my name is …"), or the person a turn was
//! handed to by name ("… Miss Rosenthal?" ends the judge's turn; "I will be addressing …"
//! begins hers). A narrator the others address by one name (`"Hello, Jake," Brett said.`
//! next to `"Hello," I said.`) is that person, not the author on the title page ("by Ernest
//! Hemingway"). When the text names nobody, "I" is still one person, an unnamed speaker
//! named as the text names them ("I"), so a quote of theirs has a speaker.
//! Inside quotation marks "I" is the quote's speaker, which the quote stage decides.

use crate::lexicon::LEXICON;

use crate::ner::EntityLabel;
use crate::pos::Pos;

use super::{Builder, MentionKind, SpeakerKind};

/// How many paragraphs before the last a letter's closing may stand (a title, "encl:"
/// and "cc:" lines follow a signature).
const SIGNATURE_PARAGRAPHS: usize = 3;

/// How many times the others must address a first-person narrator by one name for the
/// narrator to be that person.
const NARRATOR_ADDRESSES: usize = 3;

impl Builder<'_, '_> {
    /// Link every first-person word outside quotation marks to its voice.
    pub(super) fn first_person(&mut self) {
        let view = self.view;
        let paragraphs = self.paragraph_tokens();
        let writer = self.byline(&paragraphs).or_else(|| self.signature(&paragraphs));
        // (a novel's "I" is its narrator, not the author on its title page)
        let addressed_narrator = self.narrator_by_address(&paragraphs);
        let mut voice = addressed_narrator.or(writer);
        let mut handed_to: Option<usize> = None;
        let mut narrator: Option<usize> = addressed_narrator;
        // the voices of the last two turns that spoke in the first person; once a turn has
        // been handed to someone by name the text is a dialogue, and an unnamed turn goes
        // back to the voice before the last (the judge asks, counsel answers, the judge asks)
        let mut turns: [Option<usize>; 2] = [None, None];
        let mut dialogue = false;
        // whom each paragraph addresses by name ("General, is this a waiver?"; "It's both,
        // Justice Thomas."): the turn before it was theirs, and "you" in it is them
        let mut addressed = self.addressees(&paragraphs);
        // the speakers of a transcript's labelled turns ("JUSTICE THOMAS: …"), the last two
        let mut labels: [Option<usize>; 2] = [None, None];
        for (k, &(first, end)) in paragraphs.iter().enumerate() {
            let label = self.turn_label(first, end);
            if let Some(l) = label {
                if labels[0] != Some(l) {
                    labels = [Some(l), labels[0]];
                }
                // ("So you say …" in Justice Thomas's turn is the counsel who spoke before)
                if addressed[k].is_none() {
                    addressed[k] = labels[1];
                }
            }
            let named = label.or_else(|| self.self_named(first, end));
            if named.is_some() {
                voice = named;
            }
            let alternate = (dialogue && turns[0] != turns[1]).then_some(turns[1]).flatten();
            let answered = addressed
                .get(k + 1)
                .copied()
                .flatten()
                .filter(|&x| addressed[k] != Some(x));
            let mut turn = named.or(handed_to).or(answered).or(alternate).or(voice);
            if turn.is_some() && turn == addressed[k] {
                turn = None;
            }
            let mut spoke = false;
            for i in first..end {
                if self.covered[i] || !LEXICON.is_first_person(view.lower(i)) || self.in_marks(i) {
                    continue;
                }
                if !self.first_person_pronoun(i) {
                    continue;
                }
                let speaker = match turn.or(narrator) {
                    Some(s) => s,
                    None => {
                        let s = self.new_speaker(view.tokens_span(i, i + 1), false, SpeakerKind::Person, Vec::new());
                        narrator = Some(s);
                        s
                    }
                };
                turn = Some(speaker);
                spoke = true;
                self.add_mention(i, i + 1, MentionKind::Pronoun, speaker);
            }
            if let Some(you) = addressed[k] {
                self.second_person(first, end, you);
            }
            if spoke {
                turns = [turn, turns[0]];
            }
            // a heading between the hand-off and the turn ("ORAL ARGUMENT OF GEN. ELIZABETH
            // B. PRELOGAR") keeps the floor where it was handed
            let heading = !spoke && !matches!(view.word(end - 1), "." | "?" | "!" | ":" | "\"" | "”");
            if !heading {
                handed_to = self.hand_off(first, end);
            }
            dialogue |= handed_to.is_some() || addressed[k].is_some();
        }
    }

    /// Is token `i` a first-person pronoun? "I" as a letter ("Part I", "World War I") is
    /// capitalised and not a pronoun.
    fn first_person_pronoun(&self, i: usize) -> bool {
        let view = self.view;
        LEXICON.is_first_person(view.lower(i))
            && !(view.lower(i) == "i" && (view.word(i) != "I" || !matches!(view.pos(i), Pos::PRP | Pos::None)))
    }

    /// The person a first-person narrator is, by how the others address them: a name
    /// alone as a vocative in a quote (`"Hello, Jake," Brett said.`, `"My dear Hastings,"`)
    /// in a paragraph next to one where the narration says "I" and that does not itself.
    /// The person addressed so at least `NARRATOR_ADDRESSES` times, and at least twice as
    /// often as anyone else.
    fn narrator_by_address(&self, paragraphs: &[(usize, usize)]) -> Option<usize> {
        let view = self.view;
        let narrates: Vec<bool> = paragraphs
            .iter()
            .map(|&(first, end)| (first..end).any(|i| !self.in_marks(i) && self.first_person_pronoun(i)))
            .collect();
        let mut votes: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for m in &self.layer.mentions {
            let person = self.layer.speakers[m.speaker].kind == SpeakerKind::Person;
            if !person || !self.in_marks(m.first_token) {
                continue;
            }
            let vocative = super::is_vocative(view, m);
            let Some(k) = paragraphs.partition_point(|&(f, _)| f <= m.first_token).checked_sub(1) else {
                continue;
            };
            let next_to_narration = (k > 0 && narrates[k - 1]) || narrates.get(k + 1).copied().unwrap_or(false);
            if vocative && !narrates[k] && next_to_narration {
                *votes.entry(m.speaker).or_default() += 1;
            }
        }
        let (&top, &n) = votes.iter().max_by_key(|&(&s, &n)| (n, std::cmp::Reverse(s)))?;
        let runner_up = votes
            .iter()
            .filter(|&(&s, _)| s != top)
            .map(|(_, &n)| n)
            .max()
            .unwrap_or(0);
        (n >= NARRATOR_ADDRESSES && n >= 2 * runner_up).then_some(top)
    }

    /// Link "you", "your" outside quotation marks in `first..end` to `you`.
    fn second_person(&mut self, first: usize, end: usize, you: usize) {
        for i in first..end {
            if !self.covered[i] && LEXICON.is_second_person(self.view.lower(i)) && !self.in_marks(i) {
                self.add_mention(i, i + 1, MentionKind::Pronoun, you);
            }
        }
    }

    /// Whom each paragraph addresses by name, outside quotation marks: a name before a
    /// comma at a sentence's start ("General Prelogar, is this a waiver?") or after one at
    /// its end ("It's both a waiver and a modification, Justice Thomas."); the first such
    /// name of the paragraph. One pass over the mentions.
    fn addressees(&self, paragraphs: &[(usize, usize)]) -> Vec<Option<usize>> {
        let view = self.view;
        // (first token, speaker) of the first vocative in each paragraph
        let mut first_vocative: Vec<Option<(usize, usize)>> = vec![None; paragraphs.len()];
        for m in &self.layer.mentions {
            let person = matches!(m.kind, MentionKind::Name | MentionKind::TitledName)
                && self.layer.speakers[m.speaker].kind == SpeakerKind::Person;
            if !person || self.in_marks(m.first_token) {
                continue;
            }
            let Some(p) = paragraphs.partition_point(|&(f, _)| f <= m.first_token).checked_sub(1) else {
                continue;
            };
            if m.end_token > paragraphs[p].1 || first_vocative[p].is_some_and(|(t, _)| t < m.first_token) {
                continue;
            }
            let (s0, s1) = view.sentence_tokens(view.sentence_of(m.first_token));
            // not "Smith, 52, said …" nor "its chief, Jane Doe.": a question opens with
            // the name, and a name that closes a sentence has a title ("Justice Thomas")
            let opens = m.first_token == s0 && view.word(m.end_token) == "," && view.word(s1 - 1) == "?";
            let title = view.lower(m.first_token);
            let titled = m.kind == MentionKind::TitledName || LEXICON.is_honorific(title) || LEXICON.is_role(title);
            let closes = titled
                && m.first_token > s0
                && view.word(m.first_token - 1) == ","
                && m.end_token + 1 == s1
                && matches!(view.word(m.end_token), "." | "?" | "!");
            if opens || closes {
                first_vocative[p] = Some((m.first_token, m.speaker));
            }
        }
        paragraphs
            .iter()
            .zip(first_vocative)
            // a turn of an unlabelled transcript has no quotation marks of its own
            .map(|(&(first, end), vocative)| {
                vocative
                    .filter(|_| !(first..end).any(|i| view.is_quote_mark(i)))
                    .map(|(_, s)| s)
            })
            .collect()
    }

    /// Token ranges of the paragraphs, in order.
    fn paragraph_tokens(&self) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut last_paragraph = usize::MAX;
        for s in &self.view.seg.sentences {
            match out.last_mut() {
                Some(p) if s.paragraph == last_paragraph => p.1 = s.end_token,
                _ => out.push((s.first_token, s.end_token)),
            }
            last_paragraph = s.paragraph;
        }
        out
    }

    /// The speaker of the person mention that starts in `from..to`, the first one.
    fn person_in(&self, from: usize, to: usize) -> Option<usize> {
        self.layer
            .mentions
            .iter()
            .filter(|m| m.first_token >= from && m.first_token < to)
            .filter(|m| matches!(m.kind, MentionKind::Name | MentionKind::TitledName))
            .filter(|m| self.layer.speakers[m.speaker].kind == SpeakerKind::Person)
            .min_by_key(|m| m.first_token)
            .map(|m| m.speaker)
    }

    /// "By Arash Javanbakht" as one of the first three paragraphs.
    fn byline(&self, paragraphs: &[(usize, usize)]) -> Option<usize> {
        let view = self.view;
        paragraphs.iter().take(3).find_map(|&(first, end)| {
            (view.lower(first) == "by" && end - first <= 8)
                .then(|| self.person_in(first + 1, end))
                .flatten()
        })
    }

    /// A letter's signature: a short capitalised name after a closing, on the closing's
    /// line ("Respectfully, George Chriss") or as the next paragraph ("Yours,\n\nBill"),
    /// near the end (a title, "encl:" or "cc:" lines may follow). A name the model did not
    /// tag becomes a named person.
    fn signature(&mut self, paragraphs: &[(usize, usize)]) -> Option<usize> {
        let view = self.view;
        let last = paragraphs.len().checked_sub(1)?;
        for c in (last.saturating_sub(SIGNATURE_PARAGRAPHS)..=last).rev() {
            let (c0, c1) = paragraphs[c];
            let comma = (c0..c1).find(|&i| view.word(i) == ",").unwrap_or(c1);
            let closing: Vec<&str> = (c0..comma)
                .filter(|&i| !view.is_punct(i))
                .map(|i| view.lower(i))
                .collect();
            if !LEXICON.is_letter_closing(&closing.join(" ")) {
                continue;
            }
            let (s0, s1) = match paragraphs.get(c + 1) {
                _ if (comma + 1..c1).any(|i| !view.is_punct(i)) => (comma + 1, c1),
                Some(&next) => next,
                None => return None,
            };
            return self.signed_name(s0, s1);
        }
        None
    }

    /// The person a signature `s0..s1` names: a tagged person, else up to four
    /// capitalised words.
    fn signed_name(&mut self, s0: usize, s1: usize) -> Option<usize> {
        let view = self.view;
        if let Some(s) = self.person_in(s0, s1) {
            return Some(s);
        }
        let words: Vec<usize> = (s0..s1).filter(|&i| !view.is_punct(i)).collect();
        let signed = !words.is_empty() && words.len() <= 4 && words.iter().all(|&i| view.is_capitalized(i));
        if !signed || self.covered[s0..s1].iter().any(|&c| c) {
            return None;
        }
        let (a, b) = (words[0], words[words.len() - 1] + 1);
        let name_words = super::name_words(view, a, b);
        let s = self.new_speaker(view.tokens_span(a, b), true, SpeakerKind::Person, name_words);
        self.add_mention(a, b, MentionKind::Name, s);
        Some(s)
    }

    /// The person a transcript's turn label names ("JUSTICE THOMAS: …", "GENERAL PRELOGAR:
    /// …"), when paragraph `first..end` opens with one: the label's person mention, or a
    /// named person made of its words after their titles when the model tagged none.
    fn turn_label(&mut self, first: usize, end: usize) -> Option<usize> {
        let view = self.view;
        let colon = (first + 1..(first + 6).min(end)).find(|&k| view.word(k) == ":")?;
        if !crate::cues::transcript_turn(view, colon) {
            return None;
        }
        if let Some(s) = self.person_in(first, colon) {
            return Some(s);
        }
        let title = |k: usize| {
            let w = view.lower(k).trim_end_matches('.');
            LEXICON.is_role(w) || LEXICON.is_honorific(w) || view.is_punct(k)
        };
        let a = (first..colon).find(|&k| !title(k))?;
        let words: Vec<usize> = (a..colon).filter(|&k| !view.is_punct(k)).collect();
        let capitalised = words.iter().all(|&k| view.is_capitalized(k));
        if words.is_empty() || !capitalised || self.covered[a..colon].iter().any(|&c| c) {
            return None;
        }
        let name_words = super::name_words(view, a, colon);
        self.person(a, colon, name_words);
        self.person_in(first, colon)
    }

    /// "I'm Mario J. Lucero", "I am X", "my name is X", "this is X" (at a turn's start).
    fn self_named(&self, first: usize, end: usize) -> Option<usize> {
        let view = self.view;
        (first..end).find_map(|i| {
            let w = view.lower(i);
            let after = match w {
                // I + am / 'm / ’m
                "i" if view.lower(i + 1) == "am" => i + 2,
                "i" if view.lower(i + 1) == "'m" || view.lower(i + 1) == "’m" => i + 2,
                "i" if matches!(view.word(i + 1), "'" | "’") && view.lower(i + 2) == "m" => i + 3,
                "my" if view.lower(i + 1) == "name" && view.lower(i + 2) == "is" => i + 3,
                "this" if i == first && view.lower(i + 1) == "is" => i + 2,
                _ => return None,
            };
            if self.in_marks(i) {
                return None;
            }
            // the name, after at most a few words of a noun phrase ("I'm your host as always,
            // Dave"), ends its clause: not "I'm rereading Johnson's Lives", "I'm sorry, Jonathan Bell"
            let between_ok = |k: usize| {
                matches!(
                    view.pos(k),
                    Pos::DT | Pos::PRPS | Pos::NN | Pos::RB | Pos::IN | Pos::Comma
                ) || view.label_at(k) == Some(EntityLabel::Person)
            };
            let sentence = view.sentence_of(i);
            let name = (after..(after + 7).min(end))
                .take_while(|&k| view.sentence_of(k) == sentence && between_ok(k))
                .find(|&k| view.label_at(k) == Some(EntityLabel::Person))?;
            let m = self
                .layer
                .mentions
                .iter()
                .find(|m| m.first_token <= name && name < m.end_token)?;
            let ends_clause =
                matches!(view.word(m.end_token), "," | "." | "!" | "?" | ";" | "") || view.lower(m.end_token) == "and";
            (ends_clause && self.layer.speakers[m.speaker].kind == SpeakerKind::Person).then_some(m.speaker)
        })
    }

    /// A paragraph whose last sentence is a name alone ("Miss Rosenthal?", "General
    /// Prelogar."): the next turn is that person's.
    fn hand_off(&self, first: usize, end: usize) -> Option<usize> {
        let view = self.view;
        let (s0, s1) = view.sentence_tokens(view.sentence_of(end.checked_sub(1)?));
        let s0 = s0.max(first);
        let words: Vec<usize> = (s0..s1).filter(|&i| !view.is_punct(i)).collect();
        if words.is_empty() || words.len() > 5 {
            return None;
        }
        let speaker = self.person_in(s0, s1)?;
        // every word is the name or its title: a mention of that speaker
        let named = words.iter().all(|&i| {
            self.layer
                .mentions
                .iter()
                .any(|m| m.speaker == speaker && m.first_token <= i && i < m.end_token)
                || LEXICON.is_honorific(view.lower(i))
                || view.label_at(i) == Some(EntityLabel::Person)
        });
        named.then_some(speaker)
    }
}
