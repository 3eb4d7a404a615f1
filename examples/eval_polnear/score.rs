//! Scoring one article's predicted quotes against its gold attributions: character overlap,
//! one-to-one greedy matching, counts, and the helpers that print figures and errors.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use whosaid::json::{DocumentJson, QuoteJson, QuoteKind, TextSpan};

use crate::brat::Gold;

/// Characters trimmed from both ends of a content before exact comparison.
const TRIM: &[char] = &['\'', '"', '“', '”', '‘', '’', ',', '.'];

/// The minimum overlap, in percent of both the gold and the predicted length.
const MIN_OVERLAP_PCT: usize = 30;

fn overlap(pieces: &[(usize, usize)], start: usize, end: usize) -> usize {
    pieces
        .iter()
        .map(|&(s, e)| e.min(end).saturating_sub(s.max(start)))
        .sum()
}

fn len(pieces: &[(usize, usize)]) -> usize {
    pieces.iter().map(|&(s, e)| e - s).sum()
}

/// `[start, end)` without surrounding whitespace, quotation marks, commas and full stops.
fn trimmed(chars: &[char], mut start: usize, mut end: usize) -> (usize, usize) {
    end = end.min(chars.len());
    let skip = |c: char| c.is_whitespace() || TRIM.contains(&c);
    while start < end && skip(chars[start]) {
        start += 1;
    }
    while end > start && skip(chars[end - 1]) {
        end -= 1;
    }
    (start, end)
}

/// `trimmed`, then without a leading complementizer "that" (PolNeAR's contents keep it,
/// whosaid's do not: "said | that …").
fn trimmed_that(chars: &[char], start: usize, end: usize) -> (usize, usize) {
    let (s, e) = trimmed(chars, start, end);
    let word: String = chars[s..e.min(s + 5)].iter().collect::<String>().to_lowercase();
    if word == "that " {
        trimmed(chars, s + 5, e)
    } else {
        (s, e)
    }
}

/// One-to-one greedy matching of `(pred, gold, score)` candidates by decreasing score.
fn greedy(mut cands: Vec<(usize, usize, usize)>, n_pred: usize, n_gold: usize) -> Vec<Option<usize>> {
    cands.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    let mut pred_to_gold = vec![None; n_pred];
    let mut gold_used = vec![false; n_gold];
    for (p, g, _) in cands {
        if pred_to_gold[p].is_none() && !gold_used[g] {
            pred_to_gold[p] = Some(g);
            gold_used[g] = true;
        }
    }
    pred_to_gold
}

/// Counts for one slice of the predictions (all, or one kind).
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub pred: usize,
    pub tp: usize,
    pub exact_tp: usize,
    /// Exact matches when a leading "that" is ignored on both sides.
    pub exact_that_tp: usize,
    pub cue_ok: usize,
    pub src_n: usize,
    pub src_strict: usize,
    pub src_lenient: usize,
    /// Unmatched predictions that match a non-speech attribution instead.
    pub fp_other: usize,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.pred += o.pred;
        self.tp += o.tp;
        self.exact_tp += o.exact_tp;
        self.exact_that_tp += o.exact_that_tp;
        self.cue_ok += o.cue_ok;
        self.src_n += o.src_n;
        self.src_strict += o.src_strict;
        self.src_lenient += o.src_lenient;
        self.fp_other += o.fp_other;
    }
}

pub fn pct(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        100.0 * num as f64 / den as f64
    }
}

pub fn prf(tp: usize, pred: usize, gold: usize) -> String {
    let (p, r) = (pct(tp, pred), pct(tp, gold));
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    format!("P {p:.1} R {r:.1} F1 {f:.1} (tp {tp} pred {pred} gold {gold})")
}

/// "direct", "indirect", "mixed" (from the Debug name, so new kinds need no change here).
fn kind_name(kind: QuoteKind) -> String {
    format!("{kind:?}").to_lowercase()
}

/// The kinds always reported, even when nothing of that kind was predicted.
const KINDS: [&str; 3] = ["direct", "indirect", "mixed"];

/// Per-kind figures, keyed by kind name.
pub fn by_kind<T: Default>() -> BTreeMap<String, T> {
    KINDS.iter().map(|k| (k.to_string(), T::default())).collect()
}

/// A rough kind for a gold content, from its quotation marks (gold has no kind).
fn gold_kind(chars: &[char], gold: &Gold) -> &'static str {
    let is_quote = |c: char| matches!(c, '"' | '“' | '”');
    let (s, e) = trimmed(chars, gold.content[0].0, gold.content[gold.content.len() - 1].1);
    let text = &chars[s.min(e)..e];
    let opens = gold.content[0].0 < s && chars[gold.content[0].0..s].iter().any(|&c| is_quote(c));
    if opens {
        "direct"
    } else if text.iter().any(|&c| is_quote(c)) {
        "mixed"
    } else {
        "indirect"
    }
}

fn slice(chars: &[char], start: usize, end: usize) -> String {
    let end = end.min(chars.len());
    chars[start.min(end)..end]
        .iter()
        .map(|&c| if c == '\n' { ' ' } else { c })
        .collect()
}

fn pieces_text(chars: &[char], pieces: &[(usize, usize)]) -> String {
    pieces
        .iter()
        .map(|&(s, e)| slice(chars, s, e))
        .collect::<Vec<_>>()
        .join(" … ")
}

fn span_text(span: Option<&TextSpan>) -> String {
    span.map_or_else(|| "-".to_string(), |s| format!("{:?} [{}-{}]", s.text, s.start, s.end))
}

/// The per-article result of scoring.
pub struct Scored {
    pub counts: BTreeMap<String, Counts>,
    /// Gold kind -> (gold, matched at 30%, matched exactly).
    pub gold_by_kind: BTreeMap<String, (usize, usize, usize)>,
    /// Predicted cue (lowercased) -> (predicted, matched at 30%).
    pub by_cue: BTreeMap<String, (usize, usize)>,
    pub misses: String,
}

/// One predicted attribution: the quotes that share a cue (an interrupted quote,
/// `"A," she said, "B."`) or that float after it with the same speaker. PolNeAR
/// annotates such pieces as one attribution with a discontinuous content, so
/// they are scored as one.
struct Predicted<'d> {
    first: &'d QuoteJson,
    pieces: Vec<(usize, usize)>,
    cue: Option<&'d TextSpan>,
    mention: Option<&'d TextSpan>,
}

fn group(quotes: &[QuoteJson]) -> Vec<Predicted<'_>> {
    let mut out: Vec<Predicted> = Vec::new();
    for q in quotes {
        if let Some(last) = out.last_mut() {
            let same_cue = q.cue.is_some() && q.cue.as_ref().map(|c| c.start) == last.cue.map(|c| c.start);
            let floats = q.cue.is_none() && q.speaker.is_some() && q.speaker == last.first.speaker;
            if same_cue || floats {
                last.pieces.push((q.content.start, q.content.end));
                last.mention = last.mention.or(q.speaker_mention.as_ref());
                continue;
            }
        }
        out.push(Predicted {
            first: q,
            pieces: vec![(q.content.start, q.content.end)],
            cue: q.cue.as_ref(),
            mention: q.speaker_mention.as_ref(),
        });
    }
    out
}

fn pieces_overlap(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    b.iter().map(|&(s, e)| overlap(a, s, e)).sum()
}

/// Score one article's predictions against its gold, and describe the errors.
pub fn score(stem: &str, chars: &[char], gold: &[Gold], other: &[Gold], doc: &DocumentJson) -> Scored {
    let quotes = group(&doc.quotes);
    let mut cands = Vec::new();
    let mut exact_cands = Vec::new();
    let mut that_cands = Vec::new();
    for (p, q) in quotes.iter().enumerate() {
        let plen = len(&q.pieces);
        let pt = trimmed(chars, q.pieces[0].0, q.pieces[q.pieces.len() - 1].1);
        let pt_that = trimmed_that(chars, q.pieces[0].0, q.pieces[q.pieces.len() - 1].1);
        for (g, gd) in gold.iter().enumerate() {
            let ov = pieces_overlap(&gd.content, &q.pieces);
            let glen = len(&gd.content);
            if ov > 0 && 100 * ov >= MIN_OVERLAP_PCT * glen && 100 * ov >= MIN_OVERLAP_PCT * plen {
                cands.push((p, g, ov));
            }
            let gt = trimmed(chars, gd.content[0].0, gd.content[gd.content.len() - 1].1);
            if pt == gt && pt.0 < pt.1 {
                exact_cands.push((p, g, 1));
            }
            let gt_that = trimmed_that(chars, gd.content[0].0, gd.content[gd.content.len() - 1].1);
            if pt_that == gt_that && pt_that.0 < pt_that.1 {
                that_cands.push((p, g, 1));
            }
        }
    }
    let matched = greedy(cands, quotes.len(), gold.len());
    let exact = greedy(exact_cands, quotes.len(), gold.len());
    let exact_that = greedy(that_cands, quotes.len(), gold.len());

    let mut counts: BTreeMap<String, Counts> = by_kind();
    let mut gold_hit = vec![None; gold.len()];
    let mut gold_exact = vec![false; gold.len()];
    let mut fp = String::new();
    let mut errors = String::new();
    let mut by_cue: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (p, pred) in quotes.iter().enumerate() {
        let q = pred.first;
        let cue_entry = by_cue
            .entry(pred.cue.map_or("-".to_string(), |c| c.text.to_lowercase()))
            .or_default();
        cue_entry.0 += 1;
        cue_entry.1 += usize::from(matched[p].is_some());
        let c = counts.entry(kind_name(q.kind)).or_default();
        c.pred += 1;
        if let Some(g) = exact[p] {
            c.exact_tp += 1;
            gold_exact[g] = true;
        }
        c.exact_that_tp += usize::from(exact_that[p].is_some());
        let Some(g) = matched[p] else {
            let plen = len(&pred.pieces);
            let other_match = other.iter().any(|o| {
                let ov = pieces_overlap(&o.content, &pred.pieces);
                ov > 0 && 100 * ov >= MIN_OVERLAP_PCT * len(&o.content) && 100 * ov >= MIN_OVERLAP_PCT * plen
            });
            c.fp_other += usize::from(other_match);
            let _ = writeln!(
                fp,
                "  FP{} {} [{}-{}] {:?}\n      cue {}  mention {}",
                if other_match { "o" } else { " " },
                kind_name(q.kind),
                pred.pieces[0].0,
                pred.pieces[pred.pieces.len() - 1].1,
                pieces_text(chars, &pred.pieces),
                span_text(pred.cue),
                span_text(pred.mention)
            );
            continue;
        };
        gold_hit[g] = Some(p);
        c.tp += 1;
        let gd = &gold[g];
        let cue_ok = pred.cue.is_some_and(|cue| overlap(&gd.cue, cue.start, cue.end) > 0);
        if cue_ok {
            c.cue_ok += 1;
        }
        let mut src_ok = true;
        let mut speaker_desc = String::from("-");
        if !gd.source.is_empty() {
            c.src_n += 1;
            let strict = pred.mention.is_some_and(|m| overlap(&gd.source, m.start, m.end) > 0);
            let speaker = q.speaker.and_then(|id| doc.speakers.get(id));
            if let Some(s) = speaker {
                speaker_desc = format!("{:?}", s.name);
            }
            let lenient =
                strict || speaker.is_some_and(|s| s.mentions.iter().any(|m| overlap(&gd.source, m.start, m.end) > 0));
            c.src_strict += usize::from(strict);
            c.src_lenient += usize::from(lenient);
            src_ok = strict;
        }
        if !src_ok || !cue_ok {
            let what = match (cue_ok, src_ok) {
                (false, false) => "CUE+SRC",
                (false, true) => "CUE",
                _ => "SRC",
            };
            let _ = writeln!(
                errors,
                "  {what} {} [{}-{}] {:?}\n      gold cue {:?} source {:?}\n      pred cue {}  mention {}  speaker {}",
                kind_name(q.kind),
                pred.pieces[0].0,
                pred.pieces[pred.pieces.len() - 1].1,
                pieces_text(chars, &pred.pieces),
                gd.cue_text,
                gd.source_text,
                span_text(pred.cue),
                span_text(pred.mention),
                speaker_desc
            );
        }
    }

    let mut gold_by_kind: BTreeMap<String, (usize, usize, usize)> = by_kind();
    let mut fn_text = String::new();
    for (g, gd) in gold.iter().enumerate() {
        let k = gold_kind(chars, gd);
        let entry = gold_by_kind.entry(k.to_string()).or_default();
        entry.0 += 1;
        entry.1 += usize::from(gold_hit[g].is_some());
        entry.2 += usize::from(gold_exact[g]);
        if gold_hit[g].is_none() {
            let (s, e) = (gd.content[0].0, gd.content[gd.content.len() - 1].1);
            let _ = writeln!(
                fn_text,
                "  FN  {} [{s}-{e}] {:?}\n      cue {:?}  source {:?}\n      context …{}⟦{}⟧{}…",
                k,
                pieces_text(chars, &gd.content),
                gd.cue_text,
                gd.source_text,
                slice(chars, s.saturating_sub(60), s),
                slice(chars, s, e),
                slice(chars, e, e + 60)
            );
        }
    }
    let tp: usize = counts.values().map(|c| c.tp).sum();
    let mut misses = format!("=== {stem}  gold {} pred {} tp {tp}\n", gold.len(), quotes.len());
    misses.push_str(&fn_text);
    misses.push_str(&fp);
    misses.push_str(&errors);
    Scored {
        counts,
        gold_by_kind,
        by_cue,
        misses,
    }
}
