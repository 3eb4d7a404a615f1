//! Speakers: who is quoted, by name, and which mentions the speaker layer links.
//!
//! `cargo run --release --example eval_speakers -- [--gum DIR] [--split dev|train] [--gap FILE] [--rules-only] [--misses FILE] [--layer-cache DIR]`
//!
//! - `--gum DIR` (`../shared/data/gum`): GUM's **dev** documents, or with `--split train`
//!   its train documents, a check on text the rules were not tuned on (never its test split).
//!   (a) speaker accuracy: for each quote whosaid finds whose speaker mention overlaps a gold
//!   mention, is the speaker's `name` a name of that mention's gold cluster? (A name matches
//!   a gold mention's text, without a leading article, case-insensitively, or its words are
//!   all in one gold mention of the cluster; for an unnamed cluster any description counts, and
//!   for a cluster of pronouns alone a speaker named by a pronoun or a description.
//!   A quote without a speaker is wrong.) (b) CoNLL coreference F1 (mean of MUC, B³, CEAFe)
//!   of the speaker layer's mentions against GUM's person and organization clusters. A
//!   predicted mention is the gold mention with its exact span, else the shortest gold
//!   person/organization mention that contains it and ends where it ends (the head of an
//!   English noun phrase is mostly its last word), else it is a mention of its own.
//! - `--gap FILE` (`../shared/data/gap/gap-development.tsv`): for each pronoun, A and B are
//!   coreferent when the speaker the pronoun's mention belongs to has a mention overlapping
//!   them; F1 over the A/B decisions (the GAP paper's measure), by gender of the pronoun.
//! - `--layer-cache DIR` (e.g. `target/layer-cache`): keep the model's layers, so a second
//!   run after a change to the rule stages takes seconds (`common/layer_cache.rs`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use whosaid::json::DocumentJson;
use whosaid::Pipeline;

#[path = "common/layer_cache.rs"]
mod layer_cache;

fn main() -> ExitCode {
    let mut gum = PathBuf::from("../shared/data/gum");
    let mut gap = PathBuf::from("../shared/data/gap/gap-development.tsv");
    let mut rules_only = false;
    let mut split = "dev".to_string();
    let mut misses: Option<PathBuf> = None;
    let mut cache: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--rules-only" {
            rules_only = true;
            continue;
        }
        match (a.as_str(), args.next()) {
            ("--gum", Some(v)) => gum = v.into(),
            ("--gap", Some(v)) => gap = v.into(),
            ("--misses", Some(v)) => misses = Some(v.into()),
            ("--layer-cache", Some(v)) => cache = Some(v.into()),
            ("--split", Some(v)) if v == "dev" || v == "train" => split = v,
            _ => {
                eprintln!(
                    "usage: eval_speakers [--gum DIR] [--split dev|train] [--gap FILE] [--rules-only] [--misses FILE] [--layer-cache DIR]"
                );
                return ExitCode::from(2);
            }
        }
    }
    let mut pipeline = match Pipeline::load_bundled() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    pipeline.set_learned_attribution(!rules_only);
    let mut report = String::new();
    if let Err(e) = eval_gum(&pipeline, cache.as_deref(), &gum, &split, &mut report) {
        eprintln!("error: {}: {e}", gum.display());
        return ExitCode::from(1);
    }
    if let Err(e) = eval_gap(&pipeline, cache.as_deref(), &gap, &mut report) {
        eprintln!("error: {}: {e}", gap.display());
        return ExitCode::from(1);
    }
    if let Some(path) = misses {
        if let Err(e) = std::fs::write(&path, report) {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

#[derive(serde::Deserialize)]
struct GumDoc {
    doc: String,
    split: String,
    file: String,
    mentions: Vec<GumMention>,
}

#[derive(serde::Deserialize)]
struct GumMention {
    start: usize,
    end: usize,
    text: String,
    entity: String,
    cluster: String,
}

/// Lower case, without a leading article or possessive.
fn normal(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let lower = ["the ", "a ", "an "]
        .iter()
        .find_map(|a| lower.strip_prefix(a))
        .unwrap_or(&lower)
        .to_string();
    lower.trim_end_matches("'s").trim_end_matches("’s").to_string()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

const PRONOUNS: &[&str] = &[
    "he",
    "she",
    "it",
    "they",
    "him",
    "her",
    "them",
    "his",
    "hers",
    "its",
    "their",
    "theirs",
    "i",
    "me",
    "my",
    "we",
    "us",
    "our",
    "you",
    "your",
    "who",
    "whom",
    "whose",
    "which",
    "that",
    "himself",
    "herself",
    "itself",
    "themselves",
    "myself",
    "ourselves",
    "yourself",
];

/// Does `name` name the gold cluster made of `mentions`?
fn names_cluster(name: &str, mentions: &[&GumMention]) -> bool {
    let n = normal(name);
    let nw = words(&n);
    !nw.is_empty()
        && mentions.iter().any(|m| {
            let g = normal(&m.text);
            !PRONOUNS.contains(&g.as_str())
                && (g == n || {
                    let gw = words(&g);
                    nw.iter().all(|w| gw.contains(w))
                })
        })
}

/// A gold cluster of pronouns alone ("I", "my", "me": an essay's unnamed writer) has no
/// name or description to match: a predicted speaker named by a pronoun or a
/// description (not capitalised, or "I") names it; a proper name ("Robert Pangborn")
/// does not.
fn names_unnamed_cluster(name: &str, mentions: &[&GumMention]) -> bool {
    let all_pronouns = mentions.iter().all(|m| PRONOUNS.contains(&normal(&m.text).as_str()));
    let n = normal(name);
    all_pronouns && (PRONOUNS.contains(&n.as_str()) || name.chars().next().is_some_and(char::is_lowercase))
}

fn eval_gum(
    pipeline: &Pipeline,
    cache: Option<&std::path::Path>,
    dir: &std::path::Path,
    split: &str,
    report: &mut String,
) -> std::io::Result<()> {
    let docs: Vec<GumDoc> = std::fs::read_to_string(dir.join("gum.jsonl"))?
        .lines()
        .filter_map(|l| serde_json::from_str::<GumDoc>(l).ok())
        .filter(|d| d.split == split)
        .collect();
    let (mut scored, mut right, mut no_speaker, mut right_strict) = (0usize, 0usize, 0usize, 0usize);
    let mut by_genre: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut coref = [Prf::default(), Prf::default(), Prf::default()];
    for d in &docs {
        let text = std::fs::read_to_string(dir.join(&d.file))?;
        let analysis = match layer_cache::analyze(pipeline, cache, &text) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("error: {}: {e}", d.doc);
                continue;
            }
        };
        let doc = DocumentJson::from_analysis(&analysis, None);
        let genre = d.doc.split('_').nth(1).unwrap_or("?").to_string();
        let mut clusters: HashMap<&str, Vec<&GumMention>> = HashMap::new();
        for m in &d.mentions {
            clusters.entry(m.cluster.as_str()).or_default().push(m);
        }
        // (a) speaker accuracy
        for q in &doc.quotes {
            let Some(sm) = &q.speaker_mention else { continue };
            let gold = d
                .mentions
                .iter()
                .filter(|m| m.start < sm.end && sm.start < m.end)
                .min_by_key(|m| (m.end - m.start, m.start));
            let Some(gold) = gold else { continue };
            scored += 1;
            let name = q.speaker.map(|s| doc.speakers[s].name.as_str());
            let cluster = &clusters[gold.cluster.as_str()];
            let strict = name.is_some_and(|n| names_cluster(n, cluster));
            let ok = strict || name.is_some_and(|n| names_unnamed_cluster(n, cluster));
            right_strict += usize::from(strict);
            no_speaker += usize::from(name.is_none());
            right += usize::from(ok);
            let g = by_genre.entry(genre.clone()).or_default();
            g.0 += 1;
            g.1 += usize::from(ok);
            if !ok {
                let _ = writeln!(
                    report,
                    "{}\t{}\tpredicted {:?} (mention {:?})\tgold cluster {} {:?}\t{:?}",
                    d.doc,
                    if name.is_some() { "wrong" } else { "none" },
                    name,
                    sm.text,
                    gold.cluster,
                    clusters[gold.cluster.as_str()]
                        .iter()
                        .map(|m| m.text.as_str())
                        .take(6)
                        .collect::<Vec<_>>(),
                    q.content.text.chars().take(80).collect::<String>()
                );
            }
        }
        // (b) coreference of person and organization mentions
        let gold_mentions: Vec<&GumMention> = d
            .mentions
            .iter()
            .filter(|m| matches!(m.entity.as_str(), "person" | "organization"))
            .collect();
        let gold_clusters: Vec<Vec<(usize, usize)>> = {
            let mut c: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
            for m in &gold_mentions {
                c.entry(m.cluster.as_str()).or_default().push((m.start, m.end));
            }
            c.into_values().collect()
        };
        let exact: HashSet<(usize, usize)> = gold_mentions.iter().map(|m| (m.start, m.end)).collect();
        let map = |s: usize, e: usize| -> (usize, usize) {
            if exact.contains(&(s, e)) {
                return (s, e);
            }
            gold_mentions
                .iter()
                .filter(|m| m.start <= s && m.end == e)
                .min_by_key(|m| m.end - m.start)
                .map_or((s, e), |m| (m.start, m.end))
        };
        let predicted: Vec<Vec<(usize, usize)>> = doc
            .speakers
            .iter()
            .map(|s| {
                let mut ms: Vec<(usize, usize)> = s.mentions.iter().map(|m| map(m.start, m.end)).collect();
                ms.sort();
                ms.dedup();
                ms
            })
            .collect();
        let scores = [
            muc(&gold_clusters, &predicted),
            b_cubed(&gold_clusters, &predicted),
            ceaf_e(&gold_clusters, &predicted),
        ];
        for (total, s) in coref.iter_mut().zip(scores) {
            total.add(s);
        }
    }
    println!(
        "GUM {split} ({} documents): speaker accuracy {:.1}% ({right}/{scored} quotes whose speaker mention overlaps a gold mention; {no_speaker} without a speaker); {:.1}% ({right_strict}) when a gold cluster of pronouns alone can never be named",
        docs.len(),
        pct(right, scored),
        pct(right_strict, scored)
    );
    let genres: Vec<String> = by_genre
        .iter()
        .map(|(g, (n, ok))| format!("{g} {:.0}% ({ok}/{n})", pct(*ok, *n)))
        .collect();
    println!("  by genre: {}", genres.join(", "));
    let f: Vec<f64> = coref.iter().map(Prf::f1).collect();
    println!(
        "GUM {split} coreference (person + organization): CoNLL F1 {:.1} (MUC {:.1}, B3 {:.1}, CEAFe {:.1})",
        (f[0] + f[1] + f[2]) / 3.0,
        f[0],
        f[1],
        f[2]
    );
    Ok(())
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// Numerators and denominators of recall and precision, summed over documents.
#[derive(Default, Clone, Copy)]
struct Prf {
    r_num: f64,
    r_den: f64,
    p_num: f64,
    p_den: f64,
}

impl Prf {
    fn add(&mut self, o: Prf) {
        self.r_num += o.r_num;
        self.r_den += o.r_den;
        self.p_num += o.p_num;
        self.p_den += o.p_den;
    }
    fn f1(&self) -> f64 {
        let r = if self.r_den > 0.0 { self.r_num / self.r_den } else { 0.0 };
        let p = if self.p_den > 0.0 { self.p_num / self.p_den } else { 0.0 };
        if r + p > 0.0 {
            100.0 * 2.0 * r * p / (r + p)
        } else {
            0.0
        }
    }
}

type Cluster = Vec<(usize, usize)>;

/// Mention -> index of the cluster it is in.
fn owners(clusters: &[Cluster]) -> HashMap<(usize, usize), usize> {
    clusters
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.iter().map(move |&m| (m, i)))
        .collect()
}

/// Recall from `side(gold, pred)`, precision from `side(pred, gold)`.
fn both_ways(gold: &[Cluster], pred: &[Cluster], side: impl Fn(&[Cluster], &[Cluster]) -> (f64, f64)) -> Prf {
    let (r_num, r_den) = side(gold, pred);
    let (p_num, p_den) = side(pred, gold);
    Prf {
        r_num,
        r_den,
        p_num,
        p_den,
    }
}

/// MUC: links recovered (Vilain et al. 1995).
fn muc(gold: &[Cluster], pred: &[Cluster]) -> Prf {
    let side = |key: &[Cluster], response: &[Cluster]| -> (f64, f64) {
        let owner = owners(response);
        let (mut num, mut den) = (0.0, 0.0);
        for c in key {
            let parts: HashSet<Option<usize>> = c.iter().map(|m| owner.get(m).copied()).collect();
            let singles = c.iter().filter(|m| !owner.contains_key(m)).count();
            let partitions = parts.iter().filter(|p| p.is_some()).count() + singles;
            num += (c.len() - partitions.min(c.len())) as f64;
            den += (c.len().saturating_sub(1)) as f64;
        }
        (num, den)
    };
    both_ways(gold, pred, side)
}

/// B³: per-mention overlap of its two clusters (Bagga and Baldwin 1998).
fn b_cubed(gold: &[Cluster], pred: &[Cluster]) -> Prf {
    let side = |key: &[Cluster], response: &[Cluster]| -> (f64, f64) {
        let owner = owners(response);
        let (mut num, mut den) = (0.0, 0.0);
        for c in key {
            for m in c {
                den += 1.0;
                if let Some(&r) = owner.get(m) {
                    let shared = c.iter().filter(|x| response[r].contains(x)).count();
                    num += shared as f64 / c.len() as f64;
                }
            }
        }
        (num, den)
    };
    both_ways(gold, pred, side)
}

/// CEAFe: the best one-to-one alignment of clusters by their entity similarity (Luo 2005),
/// found by the Hungarian method.
fn ceaf_e(gold: &[Cluster], pred: &[Cluster]) -> Prf {
    let sim = |a: &Cluster, b: &Cluster| {
        let shared = a.iter().filter(|m| b.contains(m)).count();
        2.0 * shared as f64 / (a.len() + b.len()) as f64
    };
    let n = gold.len().max(pred.len());
    let mut cost = vec![vec![0.0; n]; n];
    for (i, g) in gold.iter().enumerate() {
        for (j, p) in pred.iter().enumerate() {
            cost[i][j] = -sim(g, p);
        }
    }
    let total: f64 = -hungarian(&cost);
    Prf {
        r_num: total,
        r_den: gold.len() as f64,
        p_num: total,
        p_den: pred.len() as f64,
    }
}

/// The minimum total cost of a perfect assignment in a square matrix.
fn hungarian(cost: &[Vec<f64>]) -> f64 {
    let n = cost.len();
    if n == 0 {
        return 0.0;
    }
    let inf = f64::INFINITY;
    let (mut u, mut v) = (vec![0.0; n + 1], vec![0.0; n + 1]);
    let (mut p, mut way) = (vec![0usize; n + 1], vec![0usize; n + 1]);
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![inf; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0;
            for j in 1..=n {
                if !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    (1..=n)
        .map(|j| if p[j] > 0 { cost[p[j] - 1][j - 1] } else { 0.0 })
        .sum()
}

fn eval_gap(
    pipeline: &Pipeline,
    cache: Option<&std::path::Path>,
    path: &std::path::Path,
    report: &mut String,
) -> std::io::Result<()> {
    let text = std::fs::read_to_string(path)?;
    // (true positives, predicted positives, gold positives) by gender
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split('\t').collect()).collect();
    let texts: Vec<&str> = rows.iter().filter(|r| r.len() >= 10).map(|r| r[1]).collect();
    let analyses = layer_cache::analyze_each(pipeline, cache, &texts);
    for (r, analysis) in rows.iter().filter(|r| r.len() >= 10).zip(analyses) {
        let Ok(a) = analysis else { continue };
        let doc = DocumentJson::from_analysis(&a, None);
        let pronoun = r[2].to_lowercase();
        let gender = if matches!(pronoun.as_str(), "she" | "her" | "hers") {
            "female"
        } else {
            "male"
        };
        let at = |s: &str| s.parse::<usize>().unwrap_or(0);
        let p_at = at(r[3]);
        let p_end = p_at + r[2].chars().count();
        let speaker = doc
            .speakers
            .iter()
            .find(|s| s.mentions.iter().any(|m| m.start < p_end && p_at < m.end));
        for (name, offset, gold) in [(r[4], r[5], r[6]), (r[7], r[8], r[9])] {
            let start = at(offset);
            let end = start + name.chars().count();
            let predicted = speaker.is_some_and(|s| s.mentions.iter().any(|m| m.start < end && start < m.end));
            let gold = gold.eq_ignore_ascii_case("true");
            if predicted != gold {
                let _ = writeln!(
                    report,
                    "GAP {}\t{}\t{} {:?}@{start}\tpronoun {:?}@{p_at} -> {:?}\t{}",
                    r[0],
                    if gold { "missed" } else { "wrong" },
                    if gold { "gold" } else { "not" },
                    name,
                    r[2],
                    speaker.map(|s| s.name.as_str()),
                    r[1]
                );
            }
            for key in [gender, "all"] {
                let c = counts.entry(key).or_default();
                c.0 += usize::from(predicted && gold);
                c.1 += usize::from(predicted);
                c.2 += usize::from(gold);
            }
        }
    }
    let f1 = |(tp, pred, gold): (usize, usize, usize)| {
        let p = pct(tp, pred);
        let r = pct(tp, gold);
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    };
    let all = counts.get("all").copied().unwrap_or_default();
    let female = f1(counts.get("female").copied().unwrap_or_default());
    let male = f1(counts.get("male").copied().unwrap_or_default());
    println!(
        "GAP {} ({} pronouns): F1 {:.1} (P {:.1} R {:.1}); female {:.1}, male {:.1}, female/male {:.2}",
        path.file_name().and_then(|f| f.to_str()).unwrap_or("?"),
        texts.len(),
        f1(all),
        pct(all.0, all.1),
        pct(all.0, all.2),
        female,
        male,
        if male > 0.0 { female / male } else { 0.0 }
    );
    Ok(())
}
