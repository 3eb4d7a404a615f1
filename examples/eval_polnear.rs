//! Quote attribution scores on PolNeAR (BRAT standoff):
//!
//! `cargo run --release --example eval_polnear -- ../shared/data/polnear/dev [--limit N] [--misses FILE] [--model DIR] [--min-confidence 0.2] [--rules-only]`
//!
//! By default quotes come from the rules checked and completed by the model's attribution
//! tagger (when `models/` has `attribution.safetensors`); `--rules-only` scores the rules alone.
//!
//! Quotes whose confidence is under `--min-confidence` (default 0.2) are not counted: that
//! leaves out direct quotes with neither a cue nor a previous quote to float after (0.15).
//!
//! `DIR/text/<stem>.txt` are the articles and `DIR/attributions/<stem>_<ANNOTATOR>.ann` their
//! annotations. Some articles were annotated by several annotators; we use only the first
//! annotator file in sorted order for each article. All BRAT offsets are character (Unicode
//! scalar) offsets, as are the offsets of whosaid's JSON output.
//!
//! Gold: only *speech* attributions count, i.e. those whose cue text (lowercased) contains a
//! reporting-verb form of [`SPEECH_FORMS`] as whole words, or "according to". Attributions
//! of belief, polls, findings, colon or dash cues, etc. are left out.
//!
//! Matching: a predicted content matches a gold content when their overlap in characters is
//! at least 30% of the gold content's length AND at least 30% of the predicted content's
//! length; pairs are matched one to one, greedily by decreasing overlap. "Exact" matching
//! compares spans after trimming whitespace, quotation marks, commas and full stops from both
//! ends (for a discontinuous gold content, its trimmed hull).
//!
//! Predictions are scored as attributions: quotes that share a cue (`"A," she said, "B."`)
//! and cueless quotes that float after a quote of the same speaker form one predicted
//! attribution with several pieces, as PolNeAR annotates them.
//!
//! Lines are printed as `key  value...`, one figure per key, so they can be grepped.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use whosaid::json::{DocumentJson, QuoteJson, QuoteKind, TextSpan};

/// Speech reporting-verb forms (lemma, -s, -ed/irregular, -ing), matched as whole words of
/// the lowercased cue; entries with a space match consecutive words.
#[rustfmt::skip]
const SPEECH_FORMS: &[&str] = &[
    "according to",
    "say", "says", "said", "saying",
    "tell", "tells", "told", "telling",
    "add", "adds", "added", "adding",
    "note", "notes", "noted", "noting",
    "stress", "stresses", "stressed", "stressing",
    "claim", "claims", "claimed", "claiming",
    "state", "states", "stated", "stating",
    "announce", "announces", "announced", "announcing",
    "explain", "explains", "explained", "explaining",
    "argue", "argues", "argued", "arguing",
    "insist", "insists", "insisted", "insisting",
    "warn", "warns", "warned", "warning",
    "urge", "urges", "urged", "urging",
    "confirm", "confirms", "confirmed", "confirming",
    "deny", "denies", "denied", "denying",
    "acknowledge", "acknowledges", "acknowledged", "acknowledging",
    "admit", "admits", "admitted", "admitting",
    "ask", "asks", "asked", "asking",
    "reply", "replies", "replied", "replying",
    "respond", "responds", "responded", "responding",
    "write", "writes", "wrote", "written", "writing",
    "declare", "declares", "declared", "declaring",
    "assert", "asserts", "asserted", "asserting",
    "suggest", "suggests", "suggested", "suggesting",
    "point out", "points out", "pointed out", "pointing out",
    "describe", "describes", "described", "describing",
    "report", "reports", "reported", "reporting",
    "comment", "comments", "commented", "commenting",
    "remark", "remarks", "remarked", "remarking",
    "repeat", "repeats", "repeated", "repeating",
    "reiterate", "reiterates", "reiterated", "reiterating",
    "recall", "recalls", "recalled", "recalling",
    "predict", "predicts", "predicted", "predicting",
    "promise", "promises", "promised", "promising",
    "complain", "complains", "complained", "complaining",
    "testify", "testifies", "testified", "testifying",
    "tweet", "tweets", "tweeted", "tweeting",
    "agree", "agrees", "agreed", "agreeing",
    "estimate", "estimates", "estimated", "estimating",
    "reveal", "reveals", "revealed", "revealing",
    "emphasize", "emphasizes", "emphasized", "emphasizing",
    "emphasise", "emphasises", "emphasised", "emphasising",
    "call", "calls", "called", "calling",
    "accuse", "accuses", "accused", "accusing",
    "allege", "alleges", "alleged", "alleging",
    "praise", "praises", "praised", "praising",
    "criticize", "criticizes", "criticized", "criticizing",
    "criticise", "criticises", "criticised", "criticising",
    "condemn", "condemns", "condemned", "condemning",
    "blast", "blasts", "blasted", "blasting",
    "slam", "slams", "slammed", "slamming",
    "dismiss", "dismisses", "dismissed", "dismissing",
    "concede", "concedes", "conceded", "conceding",
    "contend", "contends", "contended", "contending",
    "maintain", "maintains", "maintained", "maintaining",
    "observe", "observes", "observed", "observing",
    "mention", "mentions", "mentioned", "mentioning",
    "indicate", "indicates", "indicated", "indicating",
    "continue", "continues", "continued", "continuing",
    "conclude", "concludes", "concluded", "concluding",
    "boast", "boasts", "boasted", "boasting",
    "joke", "jokes", "joked", "joking",
    "quip", "quips", "quipped", "quipping",
    "vow", "vows", "vowed", "vowing",
    "pledge", "pledges", "pledged", "pledging",
    "threaten", "threatens", "threatened", "threatening",
    "propose", "proposes", "proposed", "proposing",
    "question", "questions", "questioned", "questioning",
    "echo", "echoes", "echoed", "echoing",
    "cite", "cites", "cited", "citing",
    "chant", "chants", "chanted", "chanting",
    "shout", "shouts", "shouted", "shouting",
    "demand", "demands", "demanded", "demanding",
    "counter", "counters", "countered", "countering",
    "retort", "retorts", "retorted", "retorting",
    "assure", "assures", "assured", "assuring",
    "caution", "cautions", "cautioned", "cautioning",
    "inform", "informs", "informed", "informing",
    "tout", "touts", "touted", "touting",
    "lament", "laments", "lamented", "lamenting",
    "disclose", "discloses", "disclosed", "disclosing",
];

/// Characters trimmed from both ends of a content before exact comparison.
const TRIM: &[char] = &['\'', '"', '“', '”', '‘', '’', ',', '.'];

/// The minimum overlap, in percent of both the gold and the predicted length.
const MIN_OVERLAP_PCT: usize = 30;

/// Half-open character ranges; a discontinuous BRAT span has several.
type Pieces = Vec<(usize, usize)>;

/// One gold attribution.
#[derive(Debug, Default)]
struct Gold {
    content: Pieces,
    cue: Pieces,
    source: Pieces,
    cue_text: String,
    source_text: String,
}

/// The gold attributions of one article.
struct Annotations {
    /// Every attribution with a content.
    all: usize,
    /// Speech attributions.
    speech: Vec<Gold>,
    /// Cue texts of the attributions left out (lowercased).
    other_cues: Vec<String>,
    /// The attributions left out (belief, findings, colon cues, ...).
    other: Vec<Gold>,
}

/// Is this cue a speech cue?
fn is_speech_cue(cue: &str) -> bool {
    let lower = cue.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    SPEECH_FORMS.iter().any(|form| {
        let f: Vec<&str> = form.split(' ').collect();
        words.windows(f.len()).any(|w| w == f.as_slice())
    })
}

/// Parse a BRAT `.ann` file. `T` lines are `id \t Type s e[;s e...] \t text`, `E` lines
/// `id \t Attribution:T4 Content:T3 Cue:T2 Source:T1` in any order, with Source and Cue
/// optional and extra roles such as `Content2` (a second content piece).
fn parse_ann(ann: &str) -> Annotations {
    let mut spans: HashMap<&str, (Pieces, &str)> = HashMap::new();
    let mut events = Vec::new();
    for line in ann.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        if line.starts_with('T') && fields.len() >= 2 {
            let Some((_, offsets)) = fields[1].split_once(' ') else {
                continue;
            };
            let pieces: Option<Pieces> = offsets
                .split(';')
                .map(|p| {
                    let mut it = p.split_whitespace().map(str::parse::<usize>);
                    match (it.next(), it.next()) {
                        (Some(Ok(s)), Some(Ok(e))) if s <= e => Some((s, e)),
                        _ => None,
                    }
                })
                .collect();
            if let Some(pieces) = pieces {
                spans.insert(fields[0], (pieces, fields.get(2).copied().unwrap_or("")));
            }
        } else if line.starts_with('E') && fields.len() >= 2 {
            events.push(fields[1]);
        }
    }
    let mut out = Annotations {
        all: 0,
        speech: Vec::new(),
        other_cues: Vec::new(),
        other: Vec::new(),
    };
    for event in events {
        let mut gold = Gold::default();
        for arg in event.split_whitespace() {
            let Some((role, id)) = arg.split_once(':') else {
                continue;
            };
            let Some((pieces, text)) = spans.get(id) else { continue };
            let (target, text_out) = if role.starts_with("Content") {
                (&mut gold.content, None)
            } else if role.starts_with("Cue") {
                (&mut gold.cue, Some(&mut gold.cue_text))
            } else if role.starts_with("Source") {
                (&mut gold.source, Some(&mut gold.source_text))
            } else {
                continue;
            };
            target.extend_from_slice(pieces);
            if let Some(t) = text_out {
                if !t.is_empty() {
                    t.push_str(" … ");
                }
                t.push_str(text);
            }
        }
        if gold.content.is_empty() {
            continue;
        }
        gold.content.sort_unstable();
        out.all += 1;
        if is_speech_cue(&gold.cue_text) {
            out.speech.push(gold);
        } else {
            out.other_cues.push(gold.cue_text.to_lowercase());
            out.other.push(gold);
        }
    }
    out
}

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
struct Counts {
    pred: usize,
    tp: usize,
    exact_tp: usize,
    /// Exact matches when a leading "that" is ignored on both sides.
    exact_that_tp: usize,
    cue_ok: usize,
    src_n: usize,
    src_strict: usize,
    src_lenient: usize,
    /// Unmatched predictions that match a non-speech attribution instead.
    fp_other: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
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

fn pct(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        100.0 * num as f64 / den as f64
    }
}

fn prf(tp: usize, pred: usize, gold: usize) -> String {
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
fn by_kind<T: Default>() -> BTreeMap<String, T> {
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
struct Scored {
    counts: BTreeMap<String, Counts>,
    /// Gold kind -> (gold, matched at 30%, matched exactly).
    gold_by_kind: BTreeMap<String, (usize, usize, usize)>,
    /// Predicted cue (lowercased) -> (predicted, matched at 30%).
    by_cue: BTreeMap<String, (usize, usize)>,
    misses: String,
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
fn score(stem: &str, chars: &[char], gold: &[Gold], other: &[Gold], doc: &DocumentJson) -> Scored {
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

struct Args {
    dir: PathBuf,
    /// Quotes below this confidence are not counted (unattributed quotes sit at 0.3).
    min_confidence: f32,
    limit: Option<usize>,
    misses: Option<PathBuf>,
    model: Option<PathBuf>,
    /// Spans of a learned tagger (`training/train_attribution.py --dump`) and how to use them.
    learned: Option<(PathBuf, String)>,
    /// Quotes from the rules alone, without the model's attribution tagger.
    rules_only: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut dir, mut limit, mut misses, mut model) = (None, None, None, None);
    let (mut learned, mut policy) = (None, "learned".to_string());
    let mut min_confidence = 0.2;
    let mut rules_only = false;
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--limit" => {
                let v = value("--limit")?;
                limit = Some(v.parse::<usize>().map_err(|e| format!("--limit {v}: {e}"))?);
            }
            "--misses" => misses = Some(PathBuf::from(value("--misses")?)),
            "--min-confidence" => {
                let v = value("--min-confidence")?;
                min_confidence = v.parse::<f32>().map_err(|e| format!("--min-confidence {v}: {e}"))?;
            }
            "--model" => model = Some(PathBuf::from(value("--model")?)),
            "--learned" => learned = Some(PathBuf::from(value("--learned")?)),
            "--policy" => policy = value("--policy")?,
            "--rules-only" => rules_only = true,
            _ if a.starts_with("--") => return Err(format!("unknown option {a}")),
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    let dir = dir.ok_or("missing DIR")?;
    Ok(Args {
        dir,
        min_confidence,
        limit,
        misses,
        model,
        learned: learned.map(|l| (l, policy)),
        rules_only,
    })
}

/// `(stem, text path, ann path, annotator)` for every article with annotations, sorted.
fn articles(dir: &Path) -> std::io::Result<Vec<(String, PathBuf, PathBuf, String)>> {
    let mut anns: BTreeMap<String, Vec<(String, PathBuf)>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir.join("attributions"))? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some((stem, annotator)) = name.strip_suffix(".ann").and_then(|s| s.rsplit_once('_')) else {
            continue;
        };
        anns.entry(stem.to_string())
            .or_default()
            .push((annotator.to_string(), path.clone()));
    }
    let mut texts: Vec<PathBuf> = std::fs::read_dir(dir.join("text"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    texts.sort();
    let mut out = Vec::new();
    for text in texts {
        let Some(stem) = text.file_stem().and_then(|s| s.to_str()).map(str::to_string) else {
            continue;
        };
        match anns.get_mut(&stem) {
            Some(files) => {
                // Several annotators may have annotated this article: use the first file in
                // sorted order (by annotator id), ignore the others.
                files.sort();
                let (annotator, ann) = files[0].clone();
                out.push((stem, text, ann, annotator));
            }
            None => eprintln!("warning: no annotations for {}, skipped", text.display()),
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("usage: eval_polnear DIR [--limit N] [--misses FILE] [--model DIR]");
            return ExitCode::from(2);
        }
    };
    let pipeline = match &args.model {
        Some(dir) => whosaid::Pipeline::load(dir),
        None => whosaid::Pipeline::load_bundled(),
    };
    let mut pipeline = match pipeline {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot load the model: {e}");
            return ExitCode::FAILURE;
        }
    };
    // (spans from a file replace the model's own tagger)
    pipeline.set_learned_attribution(!args.rules_only && args.learned.is_none());
    println!(
        "attribution   {}",
        if pipeline.uses_learned_attribution() {
            "rules + learned tagger"
        } else {
            "rules only"
        }
    );
    let mut list = match articles(&args.dir) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot list {}: {e}", args.dir.display());
            return ExitCode::FAILURE;
        }
    };
    if let Some(n) = args.limit {
        list.truncate(n);
    }

    let learned: HashMap<String, Vec<(String, usize, usize)>> = match &args.learned {
        Some((path, _)) => match std::fs::read_to_string(path).map(|s| serde_json::from_str(&s)) {
            Ok(Ok(m)) => m,
            _ => {
                eprintln!("error: cannot read learned spans {}", path.display());
                return ExitCode::FAILURE;
            }
        },
        None => HashMap::new(),
    };
    let (mut n_articles, mut skipped, mut all_attr, mut n_gold) = (0usize, 0usize, 0usize, 0usize);
    let mut counts: BTreeMap<String, Counts> = by_kind();
    let mut gold_by_kind: BTreeMap<String, (usize, usize, usize)> = by_kind();
    let mut other_cues: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_cue: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = String::new();
    let mut seconds = 0.0;
    let started = Instant::now();
    for (stem, text_path, ann_path, annotator) in &list {
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| eprintln!("warning: {}: {e}, skipped", p.display()));
        let (Ok(text), Ok(ann)) = (read(text_path), read(ann_path)) else {
            skipped += 1;
            continue;
        };
        let t0 = Instant::now();
        let analysis = match pipeline.analyze(&text) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("warning: {stem}: {e}, skipped");
                skipped += 1;
                continue;
            }
        };
        let mut doc = DocumentJson::from_analysis(&analysis, None);
        doc.quotes.retain(|q| q.confidence >= args.min_confidence);
        seconds += t0.elapsed().as_secs_f64();
        if let Some((_, policy)) = &args.learned {
            let spans = learned.get(stem).cloned().unwrap_or_default();
            apply_learned(&mut doc, &text, &spans, policy);
        }

        let annotations = parse_ann(&ann);
        let chars: Vec<char> = text.chars().collect();
        let scored = score(
            &format!("{stem} ({annotator})"),
            &chars,
            &annotations.speech,
            &annotations.other,
            &doc,
        );
        n_articles += 1;
        all_attr += annotations.all;
        n_gold += annotations.speech.len();
        for cue in annotations.other_cues {
            *other_cues.entry(cue).or_default() += 1;
        }
        for (k, c) in &scored.counts {
            counts.entry(k.clone()).or_default().add(c);
        }
        for (k, (n, hit, exact)) in scored.gold_by_kind {
            let entry = gold_by_kind.entry(k).or_default();
            entry.0 += n;
            entry.1 += hit;
            entry.2 += exact;
        }
        for (cue, (n, tp)) in scored.by_cue {
            let entry = by_cue.entry(cue).or_default();
            entry.0 += n;
            entry.1 += tp;
        }
        misses.push_str(&scored.misses);
        misses.push('\n');
    }

    let mut total = Counts::default();
    for c in counts.values() {
        total.add(c);
    }
    println!(
        "articles      {n_articles} (skipped {skipped}; first annotator file per article; min confidence {})",
        args.min_confidence
    );
    println!(
        "attributions  all {all_attr} speech {n_gold} other {}",
        all_attr - n_gold
    );
    println!("gold          {n_gold}");
    println!("predicted     {}", total.pred);
    println!("content@30%   {}", prf(total.tp, total.pred, n_gold));
    println!("content@exact {}", prf(total.exact_tp, total.pred, n_gold));
    println!(
        "content@exact-but-that {}",
        prf(total.exact_that_tp, total.pred, n_gold)
    );
    // Predictions that match an annotated attribution whose cue is not a speech cue
    // ("shows", "believes", a colon) are not errors of finding attributions: figures
    // with them left out of the predictions.
    println!(
        "content@30%-other-left-out {} ({} predictions match a non-speech attribution)",
        prf(total.tp, total.pred - total.fp_other, n_gold),
        total.fp_other
    );
    println!(
        "cue@30%       acc {:.1} ({}/{})",
        pct(total.cue_ok, total.tp),
        total.cue_ok,
        total.tp
    );
    println!(
        "source@30%    strict {:.1} ({}/{}) lenient {:.1} ({}/{})",
        pct(total.src_strict, total.src_n),
        total.src_strict,
        total.src_n,
        pct(total.src_lenient, total.src_n),
        total.src_lenient,
        total.src_n
    );
    for (k, c) in &counts {
        println!(
            "pred-kind {:<8} pred {} P@30% {:.1} P@exact {:.1} cue {:.1} source strict {:.1} lenient {:.1}",
            k,
            c.pred,
            pct(c.tp, c.pred),
            pct(c.exact_tp, c.pred),
            pct(c.cue_ok, c.tp),
            pct(c.src_strict, c.src_n),
            pct(c.src_lenient, c.src_n)
        );
    }
    // Gold has no kind: it is guessed from quotation marks in the gold content.
    for (k, &(n, hit, exact)) in &gold_by_kind {
        println!(
            "gold-kind {:<8} gold {n} R@30% {:.1} R@exact {:.1}",
            k,
            pct(hit, n),
            pct(exact, n)
        );
    }
    println!(
        "timing        {n_articles} articles {seconds:.2} s analyze {:.2} articles/s (wall {:.2} s)",
        if seconds > 0.0 {
            n_articles as f64 / seconds
        } else {
            0.0
        },
        started.elapsed().as_secs_f64()
    );

    if let Some(path) = &args.misses {
        let mut out = String::from("# Speech cues are matched by reporting verbs; attributions left out, by cue:\n");
        let mut cues: Vec<_> = other_cues.into_iter().collect();
        cues.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for (cue, n) in cues.iter().take(40) {
            let _ = writeln!(out, "#   {n:>4} {cue:?}");
        }
        out.push_str("# Predicted cues with at least 3 unmatched predictions: predicted, matched, precision\n");
        let mut cues: Vec<_> = by_cue.into_iter().filter(|(_, (n, tp))| n - tp >= 3).collect();
        cues.sort_by(|a, b| (b.1 .0 - b.1 .1).cmp(&(a.1 .0 - a.1 .1)).then_with(|| a.0.cmp(&b.0)));
        for (cue, (n, tp)) in cues {
            let _ = writeln!(out, "#   {n:>5} {tp:>5} {:>5.1} {cue:?}", pct(tp, n));
        }
        out.push('\n');
        out.push_str(&misses);
        if let Err(e) = std::fs::write(path, out) {
            eprintln!("warning: cannot write {}: {e}", path.display());
        }
    }
    ExitCode::SUCCESS
}

/// Experiment: combine the rules' quotes with a learned tagger's spans.
/// `learned`: only the learned contents (cue and source: the nearest learned ones);
/// `filter`: rule quotes that a learned content overlaps, plus learned contents no rule quote has;
/// `union`: all rule quotes plus learned contents no rule quote overlaps;
/// `snap`: rule quotes take the boundaries of a learned content they overlap.
fn apply_learned(doc: &mut DocumentJson, text: &str, spans: &[(String, usize, usize)], policy: &str) {
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
        "learned" => doc.quotes = contents.iter().map(|&(s, e)| learned_quote(s, e)).collect(),
        "filter" | "union" => {
            if policy == "filter" {
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
        p if p.starts_with("cover") => {
            // "cover:T" keeps rule quotes of which learned contents cover at least T;
            // "cover-indirect:T" keeps every direct quote
            let t: f64 = p.split(':').nth(1).and_then(|v| v.parse().ok()).unwrap_or(0.3);
            let keep_direct = p.starts_with("cover-indirect") || p.starts_with("cover-low");
            // "cover-low:T": only quotes of confidence under 0.8 need the learned cover
            let keep_confident = p.starts_with("cover-low");
            doc.quotes.retain(|q| {
                let (s, e) = (q.content.start, q.content.end);
                let covered: usize = contents.iter().map(|&c| ov(c, (s, e))).sum();
                (keep_direct && q.kind == QuoteKind::Direct)
                    || (keep_confident && q.confidence >= 0.8)
                    || covered as f64 >= t * (e - s).max(1) as f64
            });
        }
        "snap" => {
            for q in &mut doc.quotes {
                if let Some(&(s, e)) = contents.iter().find(|&&c| matches(c, (q.content.start, q.content.end))) {
                    q.content = mk(s, e);
                }
            }
        }
        _ => {}
    }
}
