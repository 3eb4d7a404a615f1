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

mod clause;
mod comma;
mod direct;
mod frames;
mod learned;
mod quote;
mod subject;
mod verb;

pub use quote::{Quote, QuoteKind, Source};

use direct::MarkCue;

use crate::cues::{Cue, CueKind};
use crate::document::DocView;
use crate::marks::{is_title, MarkedSpan};
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
    match &view.ner.attribution {
        Some(learned) => with_learned(view, cues, marked, quotes, learned),
        None => quotes,
    }
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
            let inner = m.inner.text(view.text);
            let words = inner.split_whitespace().count();
            // a short passage reads as speech when it is a sentence of its own ("Yes.", "I may
            // have."); else it is a scare quote ("was at Geneva “studying.”") or a title
            let sentence = inner.trim_end().ends_with(['.', '!', '?', ',', '—', '–', '…'])
                && inner.trim_start().starts_with(char::is_uppercase);
            if (words < 4 && !sentence) || is_title(inner) {
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
