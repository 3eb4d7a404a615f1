//! Attribution: the speaker of each quote.
//!
//! A quote's source region (from the quote stage) is resolved to the mention
//! in it closest to the cue; the mention's speaker is the quote's speaker. A
//! participle takes its main clause's speaker; a floating quote the previous
//! quote's. A region without a known mention still names its text (e.g.
//! "officials") with no speaker.

use crate::document::DocView;
use crate::quotes::{Quote, QuoteKind, Source};
use crate::span::Span;
use crate::speakers::{is_object_or_possessive_pronoun, is_vocative, Mention, MentionKind, SpeakerKind, SpeakerLayer};

/// Who said one quote.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attribution {
    /// The speaker (index into the speaker layer), if known.
    pub speaker: Option<usize>,
    /// The words that name the speaker at this quote.
    pub mention: Option<Span>,
    /// Confidence in [0, 1]: the quote pattern's times the mention's.
    pub confidence: f32,
}

/// Attribute every quote (same order as `quotes`).
pub(crate) fn attribute(view: &DocView, speakers: &SpeakerLayer, quotes: &[Quote]) -> Vec<Attribution> {
    let mut out: Vec<Attribution> = Vec::with_capacity(quotes.len());
    // how sure each speaker resolution is, before the quote pattern's confidence
    let mut resolved: Vec<Attribution> = Vec::with_capacity(quotes.len());
    // (does the text report much of its speech, as news does? once, not at every turn)
    let indirect = quotes.iter().filter(|q| q.kind == QuoteKind::Indirect).count();
    let reporting_text = 10 * indirect >= NEWS_INDIRECT_TENTHS * quotes.len();
    for (k, q) in quotes.iter().enumerate() {
        let a = match q.source {
            Source::Tokens { first, end } => resolve_region(view, speakers, first, end),
            Source::SameAsCue(c) => {
                // the quote introduced by cue `c`, already attributed if it comes first
                let main = quotes.iter().position(|o| o.cue == Some(c) && o.source != q.source);
                match main {
                    Some(m) if m < k => resolved[m],
                    Some(m) => match quotes[m].source {
                        Source::Tokens { first, end } => resolve_region(view, speakers, first, end),
                        _ => unknown(),
                    },
                    None => unknown(),
                }
            }
            Source::Previous => match k.checked_sub(1).map(|p| resolved[p]) {
                Some(prev) => Attribution {
                    speaker: prev.speaker,
                    mention: None,
                    confidence: prev.confidence,
                },
                None => unknown(),
            },
            Source::Turn => turn(view, speakers, quotes, &resolved, k, reporting_text),
            Source::Interview { answer: true } => interviewee(view, speakers, quotes),
            // (an interviewer is rarely named by the text; "Q:" is all it says)
            Source::Interview { answer: false } => unknown(),
            Source::Unnamed | Source::Unknown => unknown(),
        };
        resolved.push(a);
        out.push(Attribution {
            confidence: (a.confidence * q.confidence).clamp(0.0, 1.0),
            ..a
        });
    }
    out
}

/// The speaker of a cueless quote that opens a paragraph, from the turns before it:
/// - after a quote paragraph of A that followed one of B, B (a two-person exchange
///   alternates: `"Hello," said Tom.` / `"Hi," said Ann.` / `"How are you?"` is Tom),
///   unless B is a group, which takes no turns (`Aides said …` / `"…," Ford told
///   reporters.` / `"We will appeal."` is Ford's);
/// - after a quote paragraph of A alone, A (a quote goes on over paragraphs), except in a
///   novel (a text that reports little of its speech), where the conversation goes on
///   over narration to A's partner: the last other speaker a cue named within a few
///   paragraphs, with no heading between;
/// - never a person the quote addresses by name (`"No; listen, Jake."` is not Jake's);
/// - after a paragraph without a quote, the first person it mentions, who was introduced
///   just before speaking ("Jane Doe has worked at the plant for 20 years." / "It's hard.").
fn turn(
    view: &DocView,
    speakers: &SpeakerLayer,
    quotes: &[Quote],
    resolved: &[Attribution],
    k: usize,
    reporting_text: bool,
) -> Attribution {
    let last = view.len().saturating_sub(1);
    let paragraph = |q: &Quote| view.paragraph_of(view.token_from(q.content.start).min(last));
    let here = paragraph(&quotes[k]);
    let Some(previous_paragraph) = here.checked_sub(1) else {
        return unknown();
    };
    // the last quote of a paragraph, with its speaker
    let last_of = |p: usize| {
        (0..k)
            .rev()
            .find(|&j| paragraph(&quotes[j]) == p)
            .and_then(|j| resolved[j].speaker)
    };
    let inherited = |speaker: usize| Attribution {
        speaker: Some(speaker),
        mention: None,
        confidence: 0.8,
    };
    // (in a text that reports much of its speech, as news does, reported speech in a
    // paragraph makes it narration, not a turn: `Khan … said more cyclists stop now.` /
    // `"I've never been busier."` is Khan's; a novel's dialogue alternates over it)
    let reports = |p: usize| {
        reporting_text && (0..k).any(|j| paragraph(&quotes[j]) == p && quotes[j].kind == QuoteKind::Indirect)
    };
    if let Some(a) = last_of(previous_paragraph) {
        let before = previous_paragraph
            .checked_sub(1)
            .filter(|&p| !reports(p) && !reports(previous_paragraph))
            .and_then(last_of)
            .filter(|&b| speakers.speakers[b].kind != SpeakerKind::Group);
        // (a novel's narration between turns names who answers: `"Do not you want to know?"
        // cried his wife.` / `Mr. Bennet made no answer.` … then the cueless turn is his)
        let quiet_before = previous_paragraph
            .checked_sub(1)
            .filter(|&p| !reporting_text && !(0..k).any(|j| paragraph(&quotes[j]) == p));
        let addressee = quiet_before.and_then(|p| {
            speakers
                .mentions
                .iter()
                .rfind(|m| {
                    view.paragraph_of(m.first_token) == p
                        && m.speaker != a
                        && matches!(m.kind, MentionKind::Name | MentionKind::TitledName)
                        && speakers.speakers[m.speaker].kind == SpeakerKind::Person
                })
                .map(|m| m.speaker)
        });
        // (a novel's conversation goes on over narration: `"Do you know any dirt?" I
        // asked.` after a paragraph of narration is answered by whoever spoke with the
        // narrator before it; not over a heading, "CHAPTER 6", which starts a new scene)
        let heading_after = |from: usize| {
            (from + 1..here).any(|p| {
                let (first, end) = view.paragraph_tokens(p);
                end > first && !view.is_sentence_final(end - 1)
            })
        };
        let partner = (!reporting_text && before.is_none() && addressee.is_none())
            .then(|| {
                (0..k)
                    .rev()
                    .take_while(|&j| {
                        let p = paragraph(&quotes[j]);
                        p + PARTNER_PARAGRAPHS >= here && !heading_after(p)
                    })
                    // (one a cue named: a turn given by these rules may be wrong already)
                    .filter(|&j| matches!(quotes[j].source, Source::Tokens { .. } | Source::SameAsCue(_)))
                    .filter_map(|j| resolved[j].speaker)
                    .find(|&s| s != a && speakers.speakers[s].kind == SpeakerKind::Person)
            })
            .flatten();
        let chosen = match (before, addressee) {
            (Some(b), _) if b != a => b,
            (None, Some(x)) => x,
            _ => partner.unwrap_or(a),
        };
        // (whom the quote addresses by name is not who says it: `"No; listen, Jake."`)
        let content = quotes[k].content;
        let first_inside = speakers.mentions.partition_point(|m| m.span.start < content.start);
        let addressed: Vec<usize> = speakers.mentions[first_inside..]
            .iter()
            .take_while(|m| m.span.start < content.end)
            .filter(|m| content.contains(m.span) && is_vocative(view, m))
            .map(|m| m.speaker)
            .collect();
        let speaker = [Some(chosen), before, addressee, partner, Some(a)]
            .into_iter()
            .flatten()
            .find(|s| !addressed.contains(s))
            .unwrap_or(chosen);
        return inherited(speaker);
    }
    let introduced = speakers.mentions.iter().find(|m| {
        view.paragraph_of(m.first_token) == previous_paragraph
            && speakers.speakers[m.speaker].kind == SpeakerKind::Person
            && !(quotes.iter().any(|q| q.content.contains(m.span)))
    });
    match introduced {
        Some(m) => Attribution {
            speaker: Some(m.speaker),
            mention: None,
            confidence: 0.7,
        },
        None => unknown(),
    }
}

/// The person an interview is with: the one its introduction (the text before the first
/// "Q:" or "A:") mentions most, the first of them on a tie ("Wikinews interviews Jane Doe,
/// … Doe said …"); with no introduction, the person the whole text mentions most.
fn interviewee(view: &DocView, speakers: &SpeakerLayer, quotes: &[Quote]) -> Attribution {
    let first_turn = quotes
        .iter()
        .filter(|q| matches!(q.source, Source::Interview { .. }))
        .map(|q| view.token_from(q.content.start))
        .min()
        .unwrap_or(0);
    let most_mentioned = |before: usize| {
        let mut counts: Vec<(usize, usize, usize)> = Vec::new(); // (speaker, mentions, first token)
                                                                 // (not the people the turns themselves mention: "A: I told Smith …")
        let in_quote = |m: &Mention| quotes.iter().any(|q| q.content.contains(m.span));
        for m in speakers
            .mentions
            .iter()
            .filter(|m| m.first_token < before && !in_quote(m))
        {
            if speakers.speakers[m.speaker].kind != SpeakerKind::Person {
                continue;
            }
            match counts.iter_mut().find(|c| c.0 == m.speaker) {
                Some(c) => c.1 += 1,
                None => counts.push((m.speaker, 1, m.first_token)),
            }
        }
        counts
            .into_iter()
            .max_by_key(|&(_, n, first)| (n, std::cmp::Reverse(first)))
            .map(|c| c.0)
    };
    match most_mentioned(first_turn).or_else(|| most_mentioned(view.len())) {
        Some(speaker) => Attribution {
            speaker: Some(speaker),
            mention: None,
            confidence: 0.8,
        },
        None => unknown(),
    }
}

/// The share of reported speech (in tenths of the quotes) from which a text reads as news,
/// whose quote paragraphs continue a speaker rather than alternate: PolNeAR's news has
/// about six in ten, PDNC's novels one in ten.
const NEWS_INDIRECT_TENTHS: usize = 3;

/// How many paragraphs back a novel's cueless turn looks for the narrator's or the last
/// speaker's partner in the conversation.
const PARTNER_PARAGRAPHS: usize = 8;

fn unknown() -> Attribution {
    Attribution {
        speaker: None,
        mention: None,
        confidence: 0.5,
    }
}

fn resolve_region(view: &DocView, speakers: &SpeakerLayer, first: usize, end: usize) -> Attribution {
    if first >= end || end > view.len() {
        return unknown();
    }
    // The first mention in the region is its head ("Imran Khan, Pakistan's prime minister,").
    let inside = |m: &&Mention| m.first_token >= first && m.end_token <= end;
    let mut pick = speakers.mentions.iter().find(inside);
    // ... unless it is a possessor before a name: "the party's Nachman Shai", "Clinton's
    // campaign manager Robby Mook"
    if let Some(m) = pick {
        // ("his aide Jane Doe", "her lawyer"): a possessive or object pronoun yields to the next mention
        let possessive_pronoun =
            m.kind == MentionKind::Pronoun && is_object_or_possessive_pronoun(view.lower(m.first_token));
        let possessor = m.end_token + 1 < end && view.is_possessive_at(m.end_token);
        // ("Ontario Premier Doug Ford", "a senior Liberal official"): an organisation's name
        // right before a person's mention describes that person
        let describes = |n: &&Mention| {
            n.first_token == m.end_token && speakers.speakers[n.speaker].kind != SpeakerKind::Organization
        };
        let organisation_before_person = m.kind == MentionKind::Name
            && speakers.speakers[m.speaker].kind == SpeakerKind::Organization
            && speakers.mentions.iter().filter(inside).any(|n| describes(&n));
        if organisation_before_person {
            pick = speakers.mentions.iter().filter(inside).find(describes);
        } else if possessive_pronoun && m.end_token < end {
            pick = speakers
                .mentions
                .iter()
                .filter(inside)
                .find(|n| n.first_token >= m.end_token);
        } else if possessor {
            let after = |n: &&Mention| n.first_token > m.end_token;
            let named = speakers
                .mentions
                .iter()
                .filter(inside)
                .filter(after)
                .find(|n| matches!(n.kind, MentionKind::Name | MentionKind::TitledName));
            // ("Trudeau's office dismissed …": the possessed noun's own mention)
            let possessed = speakers
                .mentions
                .iter()
                .filter(inside)
                .find(|n| n.first_token == m.end_token + 2 && n.kind == MentionKind::Nominal);
            if named.is_some() {
                pick = named;
            } else if possessed.is_some() {
                pick = possessed;
            }
        }
    }
    if let Some(m) = pick {
        let confidence = match m.kind {
            MentionKind::Name | MentionKind::TitledName => 1.0,
            MentionKind::Nominal => 0.9,
            MentionKind::Pronoun => 0.85,
        };
        return Attribution {
            speaker: Some(m.speaker),
            mention: Some(m.span),
            confidence,
        };
    }
    // No known mention: name the region's words ("officials", "critics").
    let mut a = first;
    let mut b = end;
    while a < b && (view.is_punct(a) || matches!(view.lower(a), "and" | "but")) {
        a += 1;
    }
    while b > a && view.is_punct(b - 1) {
        b -= 1;
    }
    Attribution {
        speaker: None,
        mention: (a < b).then(|| view.tokens_span(a, b)),
        confidence: 0.7,
    }
}
