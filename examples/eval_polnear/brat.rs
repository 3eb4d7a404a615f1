//! Reading PolNeAR's BRAT standoff annotations (`.ann` files) into gold attributions, and
//! which of them count as speech.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Speech reporting-verb forms (lemma, -s, -ed/irregular, -ing), matched as whole words of
/// the lowercased cue; entries with a space match consecutive words. One form per line of
/// `speech_forms.txt` (its header says more).
static SPEECH_FORMS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    include_str!("speech_forms.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|form| form.split(' ').collect())
        .collect()
});

/// Half-open character ranges; a discontinuous BRAT span has several.
pub type Pieces = Vec<(usize, usize)>;

/// One gold attribution.
#[derive(Debug, Default)]
pub struct Gold {
    pub content: Pieces,
    pub cue: Pieces,
    pub source: Pieces,
    pub cue_text: String,
    pub source_text: String,
}

/// The gold attributions of one article.
pub struct Annotations {
    /// Every attribution with a content.
    pub all: usize,
    /// Speech attributions.
    pub speech: Vec<Gold>,
    /// Cue texts of the attributions left out (lowercased).
    pub other_cues: Vec<String>,
    /// The attributions left out (belief, findings, colon cues, ...).
    pub other: Vec<Gold>,
}

/// Is this cue a speech cue?
fn is_speech_cue(cue: &str) -> bool {
    let lower = cue.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    SPEECH_FORMS
        .iter()
        .any(|f| words.windows(f.len()).any(|w| w == f.as_slice()))
}

/// Parse a BRAT `.ann` file. `T` lines are `id \t Type s e[;s e...] \t text`, `E` lines
/// `id \t Attribution:T4 Content:T3 Cue:T2 Source:T1` in any order, with Source and Cue
/// optional and extra roles such as `Content2` (a second content piece).
pub fn parse_ann(ann: &str) -> Annotations {
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
