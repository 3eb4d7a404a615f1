//! Text with elements over character spans, written as properly nested HTML.
//!
//! Spans may nest or overlap in any way (a cue inside a quote, two quotes that
//! overlap, a quote over paragraphs). The text is cut at every span boundary;
//! each piece is written once, inside the elements that cover it, opened in one
//! fixed order (outer layers first). An element that cannot stay open across a
//! boundary is closed and reopened, so a span may come out as several elements
//! with the same attributes.

use std::collections::BTreeSet;
use std::fmt::Write as _;

/// One element over the characters `start..end` of the text.
pub struct Element {
    pub start: usize,
    pub end: usize,
    /// Lower layers are opened outside higher ones (paragraph < quote < cue < mention).
    pub layer: u8,
    /// The tag name.
    pub tag: &'static str,
    /// The attributes, each with its leading space (already escaped).
    pub attrs: String,
    /// Attributes only the first piece gets (` tabindex="0"`: one stop per quote).
    pub first_attrs: &'static str,
}

/// `text` as HTML with `elements` over it; text outside every element is written bare.
/// Spans past the text's end are cut there, empty ones left out.
pub fn render(text: &str, elements: &[Element]) -> String {
    let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    let len = bytes.len() - 1;
    let mut elements: Vec<&Element> = elements.iter().filter(|e| e.start < e.end.min(len)).collect();
    // the fixed opening order: layer, then the earlier and longer span outside
    elements.sort_by_key(|e| (e.layer, e.start, std::cmp::Reverse(e.end)));
    let mut starts: Vec<(usize, usize)> = elements.iter().enumerate().map(|(i, e)| (e.start, i)).collect();
    let mut ends: Vec<(usize, usize)> = elements.iter().enumerate().map(|(i, e)| (e.end.min(len), i)).collect();
    starts.sort_unstable();
    ends.sort_unstable();
    let mut cuts: Vec<usize> = starts.iter().chain(&ends).map(|&(at, _)| at).chain([0, len]).collect();
    cuts.sort_unstable();
    cuts.dedup();

    let mut out = String::with_capacity(text.len() * 2);
    let mut open: Vec<usize> = Vec::new(); // the elements open now, outermost first
    let mut active: BTreeSet<usize> = BTreeSet::new(); // the elements covering the next piece
    let mut opened = vec![false; elements.len()];
    let (mut s, mut e) = (0, 0);
    for pair in cuts.windows(2) {
        let (at, next) = (pair[0], pair[1]);
        while e < ends.len() && ends[e].0 <= at {
            active.remove(&ends[e].1);
            e += 1;
        }
        while s < starts.len() && starts[s].0 <= at {
            active.insert(starts[s].1);
            s += 1;
        }
        // keep the open elements that are a prefix of the wanted order, close the rest
        let keep = open.iter().zip(&active).take_while(|(a, b)| a == b).count();
        for &i in open[keep..].iter().rev() {
            let _ = write!(out, "</{}>", elements[i].tag);
        }
        open.truncate(keep);
        for &i in active.iter().skip(keep) {
            let el = elements[i];
            let first = if opened[i] { "" } else { el.first_attrs };
            let _ = write!(out, "<{}{}{}>", el.tag, el.attrs, first);
            opened[i] = true;
            open.push(i);
        }
        escape_text(&mut out, &text[bytes[at]..bytes[next]]);
    }
    for &i in open.iter().rev() {
        let _ = write!(out, "</{}>", elements[i].tag);
    }
    out
}

/// The paragraphs of a text: runs of lines that are not blank, as character spans
/// (the blank lines between them belong to none).
pub fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let mut at = 0;
    for line in text.split('\n') {
        let n = line.chars().count();
        if line.trim().is_empty() {
            out.extend(current.take());
        } else {
            let start = current.map_or(at, |(s, _)| s);
            current = Some((start, at + n));
        }
        at += n + 1;
    }
    out.extend(current);
    out
}

/// Text for an element's content: `&`, `<` and `>` escaped; characters HTML does
/// not allow in a document (controls other than whitespace, noncharacters) become U+FFFD,
/// so the page keeps one character per character of the input.
pub fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// An attribute value (to go between double quotes).
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Text only: the escaped string.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_text(&mut out, s);
    out
}

/// Characters that are parse errors in HTML text (the parser drops or changes them).
fn forbidden(c: char) -> bool {
    let u = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}'))
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(start: usize, end: usize, layer: u8, name: &str) -> Element {
        Element {
            start,
            end,
            layer,
            tag: "b",
            attrs: format!(" n=\"{name}\""),
            first_attrs: " first",
        }
    }

    /// The text back from the markup (tags removed, entities decoded), and whether
    /// every close tag matches the open one.
    fn strip(html: &str) -> (String, bool) {
        let mut text = String::new();
        let mut depth = 0i32;
        let mut nested = true;
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            text.push_str(&rest[..i]);
            let close = rest[i..].find('>').unwrap() + i;
            if rest[i + 1..].starts_with('/') {
                depth -= 1;
            } else {
                depth += 1;
            }
            nested &= depth >= 0;
            rest = &rest[close + 1..];
        }
        text.push_str(rest);
        let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        (text, nested && depth == 0)
    }

    #[test]
    fn a_cue_and_a_mention_inside_a_quote_nest() {
        let text = "The bridge, Ruiz said, would cut delays.";
        // quote 0..40 without its last character, cue "said", mention "Ruiz"
        let html = render(text, &[el(17, 21, 2, "cue"), el(0, 39, 1, "q"), el(12, 16, 3, "m")]);
        assert_eq!(
            html,
            "<b n=\"q\" first>The bridge, <b n=\"m\" first>Ruiz</b> <b n=\"cue\" first>said</b>, would cut delays</b>."
        );
    }

    #[test]
    fn overlapping_quotes_are_split_and_keep_the_text_once() {
        let text = "one two three four";
        let html = render(text, &[el(0, 13, 1, "a"), el(4, 18, 1, "b")]);
        assert_eq!(
            html,
            "<b n=\"a\" first>one <b n=\"b\" first>two three</b></b><b n=\"b\"> four</b>"
        );
        assert_eq!(strip(&html), (text.to_string(), true));
    }

    #[test]
    fn a_quote_over_paragraphs_is_cut_at_the_paragraph_break() {
        let text = "“First part.\n\nSecond part,” she said.";
        let paras = paragraphs(text);
        assert_eq!(paras, vec![(0, 12), (14, 37)]);
        let mut elements: Vec<Element> = paras.iter().map(|&(s, e)| el(s, e, 0, "p")).collect();
        elements.push(el(1, 26, 1, "q"));
        let html = render(text, &elements);
        assert_eq!(
            html,
            "<b n=\"p\" first>“<b n=\"q\" first>First part.</b></b><b n=\"q\">\n\n</b>\
             <b n=\"p\" first><b n=\"q\">Second part,</b>” she said.</b>"
        );
        assert_eq!(strip(&html), (text.to_string(), true));
    }

    #[test]
    fn markup_in_the_text_is_escaped_and_spans_count_characters() {
        let text = "Zoë <b>&</b> “ok”";
        let html = render(text, &[el(4, 12, 1, "q"), el(14, 16, 1, "r")]);
        assert_eq!(
            html,
            "Zoë <b n=\"q\" first>&lt;b&gt;&amp;&lt;/b&gt;</b> “<b n=\"r\" first>ok</b>”"
        );
        assert_eq!(escape_attr("a\"b<"), "a&quot;b&lt;");
        assert_eq!(escape("nul\u{0}"), "nul\u{FFFD}");
    }

    #[test]
    fn spans_past_the_end_or_empty_are_left_out() {
        let html = render("abc", &[el(1, 99, 1, "q"), el(2, 2, 1, "e"), el(5, 9, 1, "x")]);
        assert_eq!(html, "a<b n=\"q\" first>bc</b>");
    }

    #[test]
    fn many_random_overlaps_stay_nested_and_lossless() {
        // a fixed pseudo-random walk over spans of every layer
        let text = "abcdefghijklmnopqrstuvwxyz0123456789";
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for _ in 0..200 {
            let elements: Vec<Element> = (0..6)
                .map(|_| {
                    let a = next(37);
                    let b = next(37);
                    el(a.min(b), a.max(b), next(4) as u8, "x")
                })
                .collect();
            let (back, nested) = strip(&render(text, &elements));
            assert_eq!(back, text);
            assert!(nested);
        }
    }

    #[test]
    fn blank_lines_with_spaces_separate_paragraphs() {
        assert_eq!(paragraphs("a\n \nb\nc\n\n"), vec![(0, 1), (4, 7)]);
        assert_eq!(paragraphs("\n\n"), Vec::<(usize, usize)>::new());
    }
}
