//! Where a content may start and end: on whole tokens, without trailing commas, and never
//! cutting a quote in marks in two. Read by the rules' steps and by the tagger's spans alike.

use super::quote::QuoteKind;
use crate::document::DocView;
use crate::marks::MarkedSpan;
use crate::span::Span;

/// Without trailing commas, dashes and the like (closing marks and stops stay, as in the
/// rules' contents): "The vote is on Monday|, officials said"; widened to whole tokens (the
/// tagger labels word-pieces).
pub(super) fn whole_tokens_trimmed(view: &DocView, span: Span) -> Option<Span> {
    let tokens = &view.seg.tokens;
    let first = tokens.partition_point(|k| k.span.end <= span.start);
    let span = match tokens.get(first) {
        Some(k) if k.span.start < span.start => Span::new(k.span.start, span.end),
        _ => span,
    };
    let last = tokens.partition_point(|k| k.span.start < span.end);
    let span = match last.checked_sub(1).map(|l| &tokens[l]) {
        Some(k) if k.span.end > span.end => Span::new(span.start, k.span.end),
        _ => span,
    };
    let mut end = tokens.partition_point(|k| k.span.start < span.end);
    // (a hyphenated word stays whole: "near Lac-Mégantic", not "near Lac")
    let glued = |a: usize| tokens[a + 1].span.start == tokens[a].span.end;
    let hyphen = |t: usize| matches!(view.word(t), "-" | "‑");
    let alphanumeric = |t: usize| view.word(t).chars().all(char::is_alphanumeric);
    while end > 0 && end < tokens.len() && glued(end - 1) {
        if hyphen(end - 1) && alphanumeric(end) {
            end += 1;
        } else if end + 1 < tokens.len() && hyphen(end) && glued(end) && alphanumeric(end + 1) {
            end += 2;
        } else {
            break;
        }
    }
    let span = match end.checked_sub(1) {
        Some(l) => Span::new(span.start, span.end.max(tokens[l].span.end)),
        None => span,
    };
    while end > 0
        && tokens[end - 1].span.start >= span.start
        && view.is_punct(end - 1)
        && !view.is_quote_mark(end - 1)
        && !matches!(view.word(end - 1), "." | "!" | "?" | ")" | "…")
    {
        end -= 1;
    }
    let end = if end > 0 && tokens[end - 1].span.start >= span.start {
        tokens[end - 1].span.end.min(span.end)
    } else {
        span.start
    };
    (span.start < end).then(|| Span::new(span.start, end))
}

/// Direct inside quotation marks, mixed when it holds some, else indirect.
pub(super) fn kind_in(marked: &[MarkedSpan], content: Span) -> QuoteKind {
    let mut in_marks = marked.iter().filter(|m| m.outer.overlaps(content)).peekable();
    if in_marks.peek().is_none() {
        QuoteKind::Indirect
    } else if in_marks.any(|m| m.outer.contains(content)) {
        QuoteKind::Direct
    } else {
        QuoteKind::Mixed
    }
}

/// How a reported content lies against the quotes in marks.
pub(super) enum Crossing {
    /// It cuts none in two.
    None,
    /// It did, and now holds that quote whole or stops before it.
    Moved(Span),
    /// Only its lead-in words stay, up to the comma or colon before the quote in marks
    /// that opens inside it (its index): the cue belongs to that quote. `None`: no word is
    /// left.
    LeadIn(Option<usize>),
}

/// A reported content never cuts a quote in marks in two. When a quote opens inside it and
/// closes after it, the content runs on to the closing mark (`said that the country has
/// spent "hundreds of years … . They're way beyond that."`), unless the words before the
/// mark end a sentence (`she could not grieve. "Sir Thomas, …"`: it stops there) or lead
/// in to it with a comma or colon (`saying to herself, in a dreamy sort of way, "Do cats
/// eat bats?"`: the cue is the quote's, also when that quote ends the content). When a quote closes inside it, it starts after
/// the closing mark (`"What," he repeated, "would Mr. Bounderby say?"  All the way home, …`
/// starts at "All").
pub(super) fn outside_crossing_marks(view: &DocView, marked: &[MarkedSpan], content: Span) -> Crossing {
    let mut span = content;
    let mut lead_in = None;
    // (a content that stops just short of a closing mark, or of the stop before it, holds
    // that quote whole: `he had fought in Vietnam ''for the nation's rights.''`)
    let has_word = |a: usize, b: usize| a < b && view.text[a..b].chars().any(char::is_alphanumeric);
    let paragraph = |b: usize| view.paragraph_of(view.token_from(b).min(view.len().saturating_sub(1)));
    for (k, m) in marked.iter().enumerate() {
        // (a quote that ends the content and follows a comma or colon is the speech the
        // words before it lead in to, inside the content as much as across its end)
        let ends_content = span.contains(m.outer) && !has_word(m.outer.end, span.end);
        if ends_content && m.outer.start > span.start {
            if view.text[span.start..m.outer.start].trim_end().ends_with([',', ':']) {
                span.end = m.outer.start;
                lead_in = Some(k);
            }
            continue;
        }
        if !m.outer.overlaps(span) || m.outer.contains(span) || span.contains(m.outer) {
            continue;
        }
        if !has_word(span.end, m.outer.end) && !has_word(m.outer.start, span.start) {
            continue;
        }
        if m.outer.start <= span.start {
            span.start = m.outer.end;
            continue;
        }
        let before = view.text[span.start..m.outer.start].trim_end();
        let runs_on = m.closed && paragraph(m.outer.start) == paragraph(m.outer.end.saturating_sub(1));
        if before.ends_with([',', ':']) {
            span.end = m.outer.start;
            lead_in = Some(k);
        } else if before.ends_with(['.', '!', '?']) || !runs_on {
            span.end = m.outer.start;
        } else {
            span.end = m.outer.end;
        }
    }
    if span == content {
        return Crossing::None;
    }
    if span.is_empty() {
        return Crossing::LeadIn(None);
    }
    let (t0, t1) = (view.token_from(span.start), view.token_until(span.end));
    let words = (t0..t1).filter(|&t| !view.is_punct(t)).count();
    if words == 0 || lead_in.is_some() {
        return Crossing::LeadIn(lead_in);
    }
    let first = (t0..t1)
        .find(|&t| !view.is_punct(t) || view.is_quote_mark(t))
        .unwrap_or(t0);
    match whole_tokens_trimmed(view, Span::new(view.span(first).start, span.end)) {
        Some(s) => Crossing::Moved(s),
        None => Crossing::LeadIn(None),
    }
}

/// `content` as [`outside_crossing_marks`] leaves it, or `None` when only words leading in
/// to a quote in marks are left (the tagger's spans, which carry no cue to hand on).
pub(super) fn outside_marks_or_none(view: &DocView, marked: &[MarkedSpan], content: Span) -> Option<Span> {
    match outside_crossing_marks(view, marked, content) {
        Crossing::None => Some(content),
        Crossing::Moved(s) => Some(s),
        Crossing::LeadIn(_) => None,
    }
}
