//! Quotes: direct (between quotation marks) and reported (around a cue).
//!
//! Direct quotes start from the paired quotation marks ([`crate::marks`]). A
//! direct quote takes the cue right after it (`"…," she said`) or right before it
//! (`she said: "…"`); `"…," she said, "…"` gives two quotes with one cue.
//!
//! Reported speech is read off the clause around each cue:
//! * `Y, X said …` (content before the subject; what follows the cue has no
//!   clause of its own) and `Y, said X`;
//! * `X said (that) Y`, `X told Z (that) Y`, `X added he hopes Y`;
//! * `…, adding that Z` and `Noting that Y, X said Z`: the participle's
//!   speaker is its main clause's;
//! * `Y, according to X` and `According to X, Y`;
//! * `X: Y`.
//!
//! This stage says where the source should be (a token range, or "as for cue
//! N", or "the previous quote's speaker" for a floating quote); the
//! attribution stage resolves it to a speaker.
//!
//! ## Map
//! | file | what it holds |
//! |---|---|
//! | `mod.rs` | [`find_quotes`]: the steps, in order |
//! | `quote.rs` | [`Quote`], [`QuoteKind`], [`Source`]; `Context`, the layers the rules read |
//! | `direct.rs` | cues of quotes in marks: after, before, lead-in and trailing words |
//! | `subject.rs` | subjects and noun phrases around a cue |
//! | `clause.rs` | where a content, object or listener ends |
//! | `verb.rs` | the verb frame (`X said that Y`, `X told Z Y`, `X vowed to Y`), tried frame by frame |
//! | `comma.rs` | `Y, X said`, `Y, said X` and parenthetical cues |
//! | `frames.rs` | participle, noun, "according to" and colon frames |
//! | `learned.rs` | the attribution tagger's spans: confirm, re-bound, complete |
//! | `bounds.rs` | where a content may start and end: whole tokens, never across a quote in marks |

mod bounds;
mod clause;
mod comma;
mod direct;
mod frames;
mod learned;
mod quote;
mod subject;
mod verb;

pub use quote::{Quote, QuoteKind, Source};

use bounds::{kind_in, outside_crossing_marks, whole_tokens_trimmed, Crossing};
use direct::MarkCue;

use crate::cues::{Cue, CueKind};
use crate::document::DocView;
use crate::marks::MarkedSpan;
use crate::span::Span;
use crate::speakers::SpeakerLayer;
use learned::with_learned;
use quote::{confidence, Context};

/// Find quotes: direct ones from marks, reported ones from cues, then (when the model
/// has the attribution tagger) checked and completed by its spans.
pub(crate) fn find_quotes(view: &DocView, speakers: &SpeakerLayer, cues: &[Cue], marked: &[MarkedSpan]) -> Vec<Quote> {
    let f = Context { view, speakers, cues };
    let mut mark_cues: Vec<MarkCue> = marked.iter().map(|m| f.mark_cue(m)).collect();
    let reported = reported_speech(&f, marked, &mark_cues);
    let (reported, absorbed) = mix_marks_into_reported(view, marked, &mut mark_cues, reported);
    let mut quotes = direct_quotes(view, marked, &mark_cues, &absorbed, &reported);
    quotes.extend(reported);
    quotes.sort_by_key(|q| (q.content.start, q.content.end));
    float_cueless_quotes(view, cues, &mut quotes);
    let quotes = match &view.ner.attribution {
        Some(learned) => with_learned(view, cues, marked, quotes, learned),
        None => quotes,
    };
    one_quote_per_passage(view, cues, marked, quotes)
}

/// One quote per passage in marks. A quote inside the marks of a direct quote is that quote
/// again (the tagger's `“As mademoiselle pleases!”` beside the rules' quote of the same
/// marks) and goes, leaving its cue when the direct quote has none. A reported content that
/// holds a direct quote with a cue of its own keeps its longer side of it (`and then,
/// solemnly, with a bow, "As mademoiselle pleases!" he said` keeps nothing: what is left
/// leads in).
fn one_quote_per_passage(view: &DocView, cues: &[Cue], marked: &[MarkedSpan], mut quotes: Vec<Quote>) -> Vec<Quote> {
    let anchors: Vec<(usize, Span)> = quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| q.kind == QuoteKind::Direct)
        .filter_map(|(i, q)| marked.iter().find(|m| m.inner == q.content).map(|m| (i, m.outer)))
        .collect();
    let mut gone = vec![false; quotes.len()];
    for i in 0..quotes.len() {
        for &(a, outer) in &anchors {
            if a == i || gone[a] {
                continue;
            }
            let q = quotes[i];
            if outer.contains(q.content) {
                gone[i] = true;
                if quotes[a].cue.is_none() && q.cue.is_some() {
                    (quotes[a].cue, quotes[a].source) = (q.cue, q.source);
                }
                break;
            }
            if q.kind != QuoteKind::Direct
                && q.content.contains(outer)
                && quotes[a].cue.is_some()
                && quotes[a].cue != q.cue
            {
                // (the direct quote's own cue and speaker before it are not this content's:
                // `When Clinton noted that Trump has not paid … ― Trump boasted, “…”`)
                let cue_start = quotes[a].cue.map_or(outer.start, |c| cues[c].span.start);
                let speaker_start = match quotes[a].source {
                    Source::Tokens { first, .. } if first < view.len() => view.span(first).start,
                    _ => outer.start,
                };
                let own = cue_start.min(speaker_start);
                let before_end = if own > q.content.start && own < outer.start {
                    own
                } else {
                    outer.start
                };
                let before = Span::new(q.content.start, before_end);
                let after = Span::new(outer.end, q.content.end);
                let words = |s: Span| {
                    view.text[s.start..s.end]
                        .split_whitespace()
                        .filter(|w| w.chars().any(char::is_alphanumeric))
                        .count()
                };
                let side = if words(before) >= words(after) { before } else { after };
                let leads_in = side == before
                    && before_end == outer.start
                    && view.text[before.start..before.end].trim_end().ends_with([',', ':']);
                match whole_tokens_trimmed(view, side).filter(|&s| words(s) >= 3 && !leads_in) {
                    Some(s) => {
                        quotes[i].content = s;
                        quotes[i].kind = kind_in(marked, s);
                    }
                    None => {
                        gone[i] = true;
                        break;
                    }
                }
            }
        }
    }
    let mut quotes: Vec<Quote> = quotes
        .into_iter()
        .zip(gone)
        .filter(|(_, gone)| !gone)
        .map(|(q, _)| q)
        .collect();
    quotes.sort_by_key(|q| (q.content.start, q.content.end));
    quotes
}

/// Reported speech: the frame of every cue that no quote in marks took and that does
/// not lie inside marks.
fn reported_speech(f: &Context, marked: &[MarkedSpan], mark_cues: &[MarkCue]) -> Vec<Quote> {
    let mut used_cue = vec![false; f.cues.len()];
    for c in mark_cues.iter().filter_map(|m| m.cue) {
        used_cue[c.0] = true;
    }
    let inside_marks = |c: &Cue| marked.iter().any(|m| m.inner.contains(c.span));
    (0..f.cues.len())
        .filter(|&ci| !used_cue[ci] && !inside_marks(&f.cues[ci]))
        .filter_map(|ci| f.reported(ci))
        .collect()
}

/// Direct quotes inside a reported content make it mixed (those marks are absorbed); a
/// reported content that is (almost) only a direct quote yields to it, which takes its
/// cue (`she said: "…"` read as reported speech). Returns the reported quotes that stay
/// and which marks were absorbed.
fn mix_marks_into_reported(
    view: &DocView,
    marked: &[MarkedSpan],
    mark_cues: &mut [MarkCue],
    reported: Vec<Quote>,
) -> (Vec<Quote>, Vec<bool>) {
    let mut absorbed = vec![false; marked.len()];
    let mut kept = Vec::with_capacity(reported.len());
    for mut q in reported {
        match outside_crossing_marks(view, marked, q.content) {
            Crossing::None => {}
            Crossing::Moved(content) => q.content = content,
            // (`saying to herself, in a dreamy sort of way, "Do cats eat bats?"`: the cue is
            // the quote's, the words between are no content)
            Crossing::LeadIn(mark) => {
                if let Some(k) = mark.filter(|&k| mark_cues[k].cue.is_none()) {
                    mark_cues[k].cue = q.cue.map(|c| (c, q.source));
                }
                continue;
            }
        }
        let inside: Vec<usize> = (0..marked.len())
            .filter(|&k| mark_cues[k].cue.is_none() && marked[k].outer.overlaps(q.content))
            .collect();
        if inside.is_empty() {
            kept.push(q);
            continue;
        }
        let (t0, t1) = (view.token_from(q.content.start), view.token_until(q.content.end));
        let words_outside = (t0..t1)
            .filter(|&t| !view.is_punct(t) && !inside.iter().any(|&k| marked[k].outer.contains(view.span(t))))
            .count();
        if words_outside >= 1 {
            q.kind = QuoteKind::Mixed;
            for &k in &inside {
                absorbed[k] = true;
            }
            kept.push(q);
        } else {
            for &k in &inside {
                mark_cues[k].cue = q.cue.map(|c| (c, q.source));
            }
        }
    }
    (kept, absorbed)
}

/// The quotes in marks that are neither absorbed into a mixed quote nor scare quotes or
/// titles: direct, or mixed with their lead-in or trailing words.
fn direct_quotes(
    view: &DocView,
    marked: &[MarkedSpan],
    mark_cues: &[MarkCue],
    absorbed: &[bool],
    reported: &[Quote],
) -> Vec<Quote> {
    let mut quotes = Vec::new();
    for (k, m) in marked.iter().enumerate() {
        if absorbed[k] || m.inner.is_empty() {
            continue;
        }
        if reported
            .iter()
            .any(|q| q.kind == QuoteKind::Mixed && q.content.contains(m.outer))
        {
            continue;
        }
        let closed_factor = if m.closed { 1.0 } else { confidence::UNCLOSED_FACTOR };
        let MarkCue {
            cue,
            lead_in,
            trailing,
            signed,
        } = mark_cues[k];
        if let (None, Some(source)) = (cue, signed) {
            quotes.push(Quote {
                content: m.inner,
                kind: QuoteKind::Direct,
                cue: None,
                learned_cue: None,
                source,
                confidence: confidence::DIRECT_SIGNED * closed_factor,
            });
            continue;
        }
        let Some((c, source)) = cue else {
            if !m.reads_as_speech(view.text) {
                continue;
            }
            // kept, with a low confidence, unless it floats after a quote (below)
            quotes.push(Quote {
                content: m.inner,
                kind: QuoteKind::Direct,
                cue: None,
                learned_cue: None,
                source: Source::Unknown,
                confidence: confidence::DIRECT_CUELESS * closed_factor,
            });
            continue;
        };
        let (content, kind, sure) = match (trailing, lead_in) {
            (Some(last), _) => (m.outer.cover(view.span(last)), QuoteKind::Mixed, confidence::MIXED_CUED),
            (None, Some(first)) => (
                view.span(first).cover(m.outer),
                QuoteKind::Mixed,
                confidence::MIXED_CUED,
            ),
            (None, None) => (m.inner, QuoteKind::Direct, confidence::DIRECT_CUED),
        };
        quotes.push(Quote {
            content,
            kind,
            cue: Some(c),
            learned_cue: None,
            source,
            confidence: sure * closed_factor,
        });
    }
    quotes
}

/// Floating quotes: a cueless direct quote right after another quote (same or next
/// paragraph) takes its speaker; one that opens its paragraph is a turn of the dialogue,
/// whose speaker the attribution stage finds from the turns before it.
fn float_cueless_quotes(view: &DocView, cues: &[Cue], quotes: &mut [Quote]) {
    let last = view.len().saturating_sub(1);
    let paragraph = |q: &Quote| view.paragraph_of(view.token_from(q.content.start).min(last));
    for k in 0..quotes.len() {
        // (a signed quote has its source: `“…” — Jane Doe`)
        if quotes[k].cue.is_some() || quotes[k].kind != QuoteKind::Direct || quotes[k].source != Source::Unknown {
            continue;
        }
        let here = paragraph(&quotes[k]);
        let prev = k.checked_sub(1).map(|p| quotes[p]);
        let opens_paragraph = {
            let open = view.token_from(quotes[k].content.start).saturating_sub(1);
            open == 0 || view.paragraph_of(open - 1) != here
        };
        let after_own_paragraph = prev.is_some_and(|p| paragraph(&p) == here);
        // (a quote does not float after "according to a report", a document's words)
        let prev_according = prev.is_some_and(|p| p.cue.is_some_and(|c| cues[c].kind == CueKind::According));
        let floats = prev.is_some_and(|p| here - paragraph(&p).min(here) <= 1) && !prev_according;
        if floats {
            quotes[k].confidence = confidence::FLOATING;
        }
        if opens_paragraph && !after_own_paragraph && !prev_according {
            quotes[k].source = Source::Turn;
        } else if floats {
            quotes[k].source = Source::Previous;
        }
    }
}
