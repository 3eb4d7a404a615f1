//! `--learned FILE --policy P`: experiments that combine the rules' quotes with the spans of a
//! learned tagger (`training/train_attribution.py --dump`).

use std::str::FromStr;

use whosaid::json::{DocumentJson, QuoteJson, QuoteKind, TextSpan};

/// The policies `--policy` accepts, as the usage message lists them.
pub const POLICIES: &str = "learned, filter, union, snap, cover[:T], cover-indirect[:T], cover-low[:T]";

/// How [`apply_learned`] combines the rules' quotes with the learned spans.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Policy {
    /// `learned`: only the learned contents (cue and source: the nearest learned ones).
    Learned,
    /// `filter`: rule quotes that a learned content overlaps, plus learned contents no rule
    /// quote has.
    Filter,
    /// `union`: all rule quotes plus learned contents no rule quote overlaps.
    Union,
    /// `snap`: rule quotes take the boundaries of a learned content they overlap.
    Snap,
    /// `cover:T` keeps rule quotes of which learned contents cover at least T (default 0.3)
    /// of the characters; `cover-indirect:T` also keeps every direct quote; `cover-low:T`
    /// also keeps every direct quote and every quote of confidence 0.8 or more.
    Cover {
        min: f64,
        keep_direct: bool,
        keep_confident: bool,
    },
}

impl FromStr for Policy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "learned" => Policy::Learned,
            "filter" => Policy::Filter,
            "union" => Policy::Union,
            "snap" => Policy::Snap,
            _ => {
                let (name, threshold) = match s.split_once(':') {
                    Some((name, t)) => (name, Some(t)),
                    None => (s, None),
                };
                let (keep_direct, keep_confident) = match name {
                    "cover" => (false, false),
                    "cover-indirect" => (true, false),
                    "cover-low" => (true, true),
                    _ => return Err(format!("unknown --policy {s:?} (valid policies: {POLICIES})")),
                };
                let min = match threshold {
                    None => 0.3,
                    Some(t) => t
                        .parse::<f64>()
                        .map_err(|e| format!("--policy {s}: threshold {t:?}: {e}"))?,
                };
                Policy::Cover {
                    min,
                    keep_direct,
                    keep_confident,
                }
            }
        })
    }
}

/// Experiment: combine the rules' quotes with a learned tagger's spans, as `policy` says.
pub fn apply_learned(doc: &mut DocumentJson, text: &str, spans: &[(String, usize, usize)], policy: Policy) {
    let chars: Vec<char> = text.chars().collect();
    let mk = |s: usize, e: usize| TextSpan {
        text: chars[s.min(chars.len())..e.min(chars.len())].iter().collect(),
        start: s,
        end: e,
    };
    fn of<'a>(spans: &'a [(String, usize, usize)], kind: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
        spans.iter().filter(move |(k, _, _)| k == kind).map(|&(_, s, e)| (s, e))
    }
    let near = |kind: &str, s: usize, e: usize| {
        of(spans, kind)
            .map(|(a, b)| {
                let d = s.saturating_sub(b) + a.saturating_sub(e);
                (d, a, b)
            })
            .filter(|&(d, _, _)| d < 200)
            .min()
            .map(|(_, a, b)| mk(a, b))
    };
    let ov = |a: (usize, usize), b: (usize, usize)| a.1.min(b.1).saturating_sub(a.0.max(b.0));
    let matches = |a: (usize, usize), b: (usize, usize)| {
        let o = ov(a, b);
        o > 0 && 10 * o >= 3 * (a.1 - a.0) && 10 * o >= 3 * (b.1 - b.0)
    };
    let learned_quote = |s: usize, e: usize| QuoteJson {
        kind: QuoteKind::Indirect,
        content: mk(s, e),
        cue: near("CUE", s, e),
        speaker: None,
        speaker_mention: near("SOURCE", s, e),
        confidence: 0.5,
    };
    let contents: Vec<(usize, usize)> = of(spans, "CONTENT").collect();
    match policy {
        Policy::Learned => doc.quotes = contents.iter().map(|&(s, e)| learned_quote(s, e)).collect(),
        Policy::Filter | Policy::Union => {
            if policy == Policy::Filter {
                doc.quotes
                    .retain(|q| contents.iter().any(|&c| matches(c, (q.content.start, q.content.end))));
            }
            for &(s, e) in &contents {
                if !doc
                    .quotes
                    .iter()
                    .any(|q| ov((s, e), (q.content.start, q.content.end)) > 0)
                {
                    doc.quotes.push(learned_quote(s, e));
                }
            }
            doc.quotes.sort_by_key(|q| q.content.start);
        }
        Policy::Cover {
            min: t,
            keep_direct,
            keep_confident,
        } => {
            doc.quotes.retain(|q| {
                let (s, e) = (q.content.start, q.content.end);
                let covered: usize = contents.iter().map(|&c| ov(c, (s, e))).sum();
                (keep_direct && q.kind == QuoteKind::Direct)
                    || (keep_confident && q.confidence >= 0.8)
                    || covered as f64 >= t * (e - s).max(1) as f64
            });
        }
        Policy::Snap => {
            for q in &mut doc.quotes {
                if let Some(&(s, e)) = contents.iter().find(|&&c| matches(c, (q.content.start, q.content.end))) {
                    q.content = mk(s, e);
                }
            }
        }
    }
}
