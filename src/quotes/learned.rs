//! How the attribution tagger's spans confirm, re-bound and complete the rules'
//! quotes. Measured on PolNeAR dev against the rules alone (README).

use super::bounds::{kind_in, outside_marks_or_none, whole_tokens_trimmed};
use super::quote::{Quote, QuoteKind, Source};
use crate::cues::{Cue, CueKind};
use crate::document::DocView;
use crate::lexicon::LEXICON;
use crate::marks::MarkedSpan;
use crate::ner::{LearnedLabel, LearnedSpan};
use crate::pos::Pos;
use crate::span::Span;

/// Two spans match when their overlap is at least 30% of each (PolNeAR's scoring rule).
pub(super) fn spans_match(a: Span, b: Span) -> bool {
    let overlap = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    overlap > 0 && 10 * overlap >= 3 * a.len() && 10 * overlap >= 3 * b.len()
}

/// The learned boundaries of a rule content: the cover of the learned contents that lie
/// mostly inside it ("The museum | , Mr. Obama said, | would make …" is one), kept to the
/// rule content's paragraphs (no photo credit before it), without a leading "that" or
/// dash (the annotators keep "that"; the rules' contents, and users, do not).
pub(super) fn snapped(view: &DocView, rule: Span, contents: &[&LearnedSpan]) -> Option<Span> {
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
        && (view.is_punct(t) && !view.is_quote_mark(t) || view.lower(t) == "that")
    {
        t += 1;
    }
    let start = tokens.get(t).map_or(span.end, |k| k.span.start.max(span.start));
    whole_tokens_trimmed(view, Span::new(start, span.end))
}

/// How far a learned source or cue may sit from its content, in bytes.
pub(super) const LEARNED_REACH: usize = 200;

/// Combine the rules' quotes with the attribution tagger's spans: a rule quote stays
/// when a learned content matches it (the tagger, trained on PolNeAR, knows which
/// cue-shaped sentences report speech: "posted a photo", "the letter reads" do not),
/// and a learned content that no rule quote touches becomes a quote of its own,
/// sourced and cued by the nearest learned source and cue. Measured on PolNeAR dev
/// against the rules alone (README).
pub(super) fn with_learned(
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
    // The tagger learned from annotations that leave cueless quotes out, so it never removes
    // a quote in marks: the rules kept only those that read as speech (titles and scare
    // quotes are out), and "I may have." in a dialogue is as much a quote as one with a cue.
    let colon = |q: &Quote| q.cue.is_some_and(|c| cues[c].kind == CueKind::Colon);
    let direct = |q: &Quote| q.kind == QuoteKind::Direct;
    let kept =
        |q: &Quote| contents.iter().any(|c| spans_match(c.span, q.content)) || covered(q) || colon(q) || direct(q);
    // (a mixed quote the tagger takes for no speech gives its passages in marks back, when
    // they read as speech: `Mary went on saying to herself, "Do cats eat bats?"`)
    let given_back: Vec<Quote> = quotes
        .iter()
        .filter(|q| q.kind == QuoteKind::Mixed && !kept(q))
        .flat_map(|q| {
            marked
                .iter()
                .filter(|m| q.content.contains(m.outer) && m.reads_as_speech(view.text))
                .map(|m| Quote {
                    content: m.inner,
                    kind: QuoteKind::Direct,
                    ..*q
                })
        })
        .collect();
    quotes.retain(kept);
    quotes.extend(given_back);
    let rule_contents: Vec<Span> = quotes.iter().map(|q| q.content).collect();
    // (a learned source names someone: a noun, a pronoun ("his", "which", "all") or a name,
    // not "when", "Having" or a lone "The")
    let names_someone = |l: &LearnedSpan| {
        l.label != LearnedLabel::Source || {
            let first = view.seg.tokens.partition_point(|t| t.span.end <= l.span.start);
            let end = view.seg.tokens.partition_point(|t| t.span.start < l.span.end);
            (first..end).any(|t| {
                let pos = view.pos(t);
                let determiner = pos == Pos::DT && !matches!(view.lower(t), "the" | "a" | "an");
                pos.is_noun()
                    || determiner
                    || matches!(pos, Pos::PRP | Pos::PRPS | Pos::CD | Pos::WP | Pos::WDT)
                    || view.label_at(t).is_some()
            })
        }
    };
    // (checked once here, not at every quote's search)
    let usable: Vec<&LearnedSpan> = learned.iter().filter(|l| names_someone(l)).collect();
    let nearest = |label: LearnedLabel, content: Span| {
        usable
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
        if matches!(q.source, Source::Unknown | Source::Turn) {
            let near = q.cue.map_or(q.content, |c| cues[c].span);
            // (a turn of a dialogue takes a source of its own paragraph only: the tagger,
            // trained on news, places one near any quote, and in the next paragraph it is
            // the other speaker)
            let paragraph = |s: Span| view.paragraph_of(view.token_from(s.start));
            let in_reach = |s: &Span| q.source != Source::Turn || paragraph(*s) == paragraph(q.content);
            if let Some(s) = nearest(LearnedLabel::Source, near).filter(|s| !s.overlaps(q.content) && in_reach(s)) {
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
            if let Some(span) = snapped(view, q.content, &contents)
                .filter(|&s| !over_cue(s))
                .and_then(|s| outside_marks_or_none(view, marked, s))
            {
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
        let full_sentence = view.is_sentence_final(last);
        if sentence.dateline || !full_sentence {
            continue;
        }
        let paragraph_end = view.seg.paragraphs[view.paragraph_of(t)].span.end;
        let Some(content) = whole_tokens_trimmed(view, Span::new(c.span.start, c.span.end.min(paragraph_end))) else {
            continue;
        };
        let Some(content) = outside_marks_or_none(view, marked, content) else {
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
        // (a reporting verb's participle that the cue stage read as an adjective before its
        // noun is no cue for the tagger either: "the states' asserted harms … are
        // self-inflicted")
        // ("his repeated emphasis that …" names speech by its noun)
        let adjective_cue = cue.is_none()
            && view.lower(t) != "that"
            && learned_cue.is_some_and(|s| {
                let v = view.token_from(s.start);
                v + 1 < view.len()
                    && !LEXICON.verb_forms(view.lower(v)).is_empty()
                    && view.lower(v).ends_with("ed")
                    && matches!(view.pos(v + 1), Pos::NN | Pos::NNS)
            });
        if adjective_cue {
            continue;
        }
        // (a cue that already reports a quote in marks is followed by narration when a
        // conjunction opens the content: `"You winning?" she said, but Kevin was drifting
        // off again`)
        let cue_has_direct_quote = cue.is_some_and(|k| {
            quotes
                .iter()
                .any(|q| q.cue == Some(k) && q.kind == QuoteKind::Direct && q.content.end <= content.start)
        });
        let first = view.token_from(content.start);
        let opens_on_conjunction = view.pos(first) == Pos::CC || first > 0 && view.pos(first - 1) == Pos::CC;
        if cue_has_direct_quote && opens_on_conjunction {
            continue;
        }
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
