//! A structured generator of news-like texts for robustness checks, and the
//! invariants every analysed document must keep.
//!
//! Texts are built from whosaid's own vocabulary (every inflection of its
//! reporting verbs, given names, role nouns, honorifics, "according to",
//! transcript names, datelines) mixed with every quotation mark the project
//! knows and some it doesn't, apostrophes, paragraph and line breaks,
//! abbreviations, emoji, combining marks, zero-width and control characters.
//! A text may stop anywhere, mid-sentence or right after a cue ("He said").
//!
//! Shared by `tests/main.rs` (a few thousand documents in CI) and
//! `examples/robustness.rs` (the long run). Deterministic: a seed gives a text.
#![allow(dead_code)]

use whosaid::json::{DocumentJson, TextSpan};

static VERBS_TSV: &str = include_str!("../../data/reporting_verbs.tsv");
static ROLES_TXT: &str = include_str!("../../data/roles.txt");
static FIRST_NAMES_TXT: &str = include_str!("../../data/first_names.txt");

/// splitmix64: small, fast, and the same on every machine.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    /// One of `items`.
    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

/// The words the generator draws from.
pub struct Vocabulary {
    verb_forms: Vec<&'static str>,
    given_names: Vec<&'static str>,
    roles: Vec<&'static str>,
}

const SURNAMES: &[&str] = &[
    "Li",
    "Khan",
    "Smith",
    "Trudeau",
    "Ford",
    "Keqiang",
    "O'Brien",
    "McDonald",
    "van der Berg",
    "Nguyen",
    "García",
    "Müller",
    "Dodds",
    "Vickers",
    "Wallace",
    "Jones",
];
const HONORIFICS: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sen.", "Gov.", "Gen.", "Sir", "Lady", "Rev.",
];
const PRONOUNS: &[&str] = &["he", "she", "they", "it", "He", "She", "They", "It", "we", "I", "You"];
const NOMINALS: &[&str] = &[
    "the company",
    "the premier",
    "a spokesman",
    "officials",
    "the report",
    "aides",
    "the 56-year-old",
    "a justice official",
    "his supporters",
    "the parson",
    "Reporters",
    "the ministry",
    "Facebook",
    "the DUP",
];
const MARKS: &[&str] = &[
    "\"", "“", "”", "‘", "’", "'", "«", "»", "„", "‚", "‹", "›", "「", "」", "`", "´", "″", "〝", "〞", "＂",
];
const PAIRS: &[(&str, &str)] = &[
    ("“", "”"),
    ("\"", "\""),
    ("‘", "’"),
    ("'", "'"),
    ("«", "»"),
    ("„", "“"),
    ("‹", "›"),
    ("「", "」"),
    ("``", "''"),
    ("“", ""),
    ("", "”"),
    ("«\u{a0}", "\u{a0}»"),
];
const WORDS: &[&str] = &[
    // apostrophes that are no quotation marks, beside the marks above
    "don’t",
    "rock 'n' roll",
    "the ’90s",
    "the Joneses' house",
    "'em",
    "‘em",
    "O'Brien's",
    "goin'",
    "\n\n‘",
    "\n\n— ",
    "\n\n—",
    "\n\n“",
    "the",
    "that",
    "to",
    "a",
    "of",
    "in",
    "on",
    "as",
    "who",
    "which",
    "and",
    "but",
    "if",
    "whether",
    "what",
    "when",
    "after",
    "before",
    "while",
    "because",
    "would",
    "will",
    "has",
    "had",
    "was",
    "is",
    "not",
    "also",
    "adding",
    "according",
    "told",
    "reporters",
    "asked",
    "by",
    "Friday",
    "on Monday",
    "last week",
    "government",
    "plan",
    "called",
    "so-called",
    "reforms",
    "Beijing",
    "Pakistan",
    "Premier",
    "Prime Minister",
    "Chinese",
    "U.S.",
    "U.N.",
    "Ltd.",
    "Inc.",
    "a.m.",
    "Jan.",
    "No.",
    "e.g.",
    "St.",
    "don't",
    "rock 'n' roll",
    "the ’90s",
    "Joneses'",
    "isn't",
    "it's",
    "Party’s",
    "1,200",
    "3.5%",
    "$40",
    "2021",
    "(Xinhua)",
    "--",
    "—",
    "–",
    "-",
    "...",
    "…",
    ";",
    ":",
    "(",
    ")",
    "[",
    "]",
    "/",
    "&",
    "@user",
    "#tag",
    "http://x.org/a?b=c",
    "e-mail",
    "co-operation",
];
const ODD: &[&str] = &[
    "😀",
    "👩\u{200d}⚕\u{fe0f}",
    "e\u{301}",
    "\u{200b}",
    "\u{feff}",
    "\u{0}",
    "\u{7}",
    "\u{1b}[0m",
    "\u{202e}",
    "习近平说",
    "قال",
    "\u{a0}",
    "\u{2009}",
    "\u{85}",
    "ﬁ",
    "İ",
    "ß",
    "\u{fffd}",
    "\u{10ffff}",
    "Ⅻ",
    "①",
    "\u{301}",
    "\u{200d}",
    "\u{e000}",
    "ǅ",
];
const BREAKS: &[&str] = &[
    " ", " ", " ", "\n", "\r\n", "\n\n", "\u{2028}", "\u{2029}", "\t", "\r", "  ", "\n \n",
];
const STOPS: &[&str] = &[".", ",", "!", "?", "", "", ":", ";", " --", "…", ".\"", ",”", "?’"];

impl Vocabulary {
    /// The project's own lists (`data/`).
    pub fn load() -> Self {
        let lines = |s: &'static str| s.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        let verb_forms = lines(VERBS_TSV)
            .flat_map(|l| {
                let mut cols = l.split('\t');
                let lemma = cols.next().into_iter();
                lemma.chain(cols.next().into_iter().flat_map(|f| f.split('|')))
            })
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .collect();
        let roles = lines(ROLES_TXT).map(str::trim).collect();
        let given_names = lines(FIRST_NAMES_TXT)
            .filter_map(|l| l.split_whitespace().nth(1))
            .collect();
        Vocabulary {
            verb_forms,
            given_names,
            roles,
        }
    }

    fn verb(&self, rng: &mut Rng) -> String {
        let v = self.verb_forms[rng.below(self.verb_forms.len())];
        if rng.chance(0.1) {
            capitalized(v)
        } else {
            v.to_string()
        }
    }

    fn name(&self, rng: &mut Rng) -> String {
        let given = capitalized(self.given_names[rng.below(self.given_names.len())]);
        let surname = rng.pick(SURNAMES);
        match rng.below(9) {
            0 => format!("{} {surname}", rng.pick(HONORIFICS)),
            1 => format!(
                "{} {given} {surname}",
                capitalized(self.roles[rng.below(self.roles.len())])
            ),
            2 => format!("{}. {}. {surname}", &given[..1], rng.pick(&["R", "J", "W"])),
            3 => surname.to_string(),
            4 => rng.pick(PRONOUNS).to_string(),
            5 => rng.pick(NOMINALS).to_string(),
            6 => format!(
                "{given} {surname}, the {} of Acme,",
                self.roles[rng.below(self.roles.len())]
            ),
            7 => format!("{given} {surname} of the DUP"),
            _ => format!("{given} {surname}"),
        }
    }

    fn words(&self, rng: &mut Rng, n: usize) -> String {
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            match rng.below(20) {
                0 => out.push_str(&self.verb(rng)),
                1 => out.push_str(&self.name(rng)),
                2 => out.push_str(rng.pick(ODD)),
                3 => out.push_str(rng.pick(MARKS)),
                _ => out.push_str(rng.pick(WORDS)),
            }
        }
        out
    }

    fn quoted(&self, rng: &mut Rng, n: usize) -> String {
        let (open, close) = PAIRS[rng.below(PAIRS.len())];
        let inner = if rng.chance(0.15) {
            // a quote inside a quote
            let (o2, c2) = PAIRS[rng.below(PAIRS.len())];
            format!(
                "{} {o2}{}{c2} {}",
                self.words(rng, n),
                self.words(rng, 2),
                self.words(rng, 2)
            )
        } else {
            self.words(rng, n)
        };
        format!("{open}{inner}{}{close}", rng.pick(STOPS))
    }

    /// One sentence-like piece: a news pattern, or a soup of pieces.
    fn sentence(&self, rng: &mut Rng) -> String {
        let n = 1 + rng.below(10);
        match rng.below(16) {
            0 => format!("{} {} {}.", self.quoted(rng, n), self.name(rng), self.verb(rng)),
            1 => format!("{} {} that {}.", self.name(rng), self.verb(rng), self.words(rng, n)),
            2 => format!(
                "{} {}, adding that {}",
                self.name(rng),
                self.verb(rng),
                self.words(rng, n)
            ),
            3 => format!("{} {}: {}", self.name(rng), self.verb(rng), self.quoted(rng, n)),
            4 => format!("According to {}, {}.", self.name(rng), self.words(rng, n)),
            5 => format!(
                "{}: {}",
                rng.pick(&["WALLACE", "Q", "A", "TRUMP", "MR. LI"]),
                self.words(rng, n)
            ),
            6 => format!("BEIJING, July 16 (Xinhua) -- {}", self.words(rng, n)),
            7 => format!("{} {}", rng.pick(PRONOUNS), self.verb(rng)),
            8 => format!(
                "{} {} {} {}",
                self.quoted(rng, n),
                self.verb(rng),
                self.name(rng),
                self.quoted(rng, 3)
            ),
            9 => format!("{} -{}", self.quoted(rng, n), self.name(rng)),
            10 => format!(
                "{} {} {} to {}",
                self.name(rng),
                self.verb(rng),
                self.name(rng),
                self.words(rng, n)
            ),
            11 => format!("{} was asked whether {}", self.name(rng), self.words(rng, n)),
            12 => format!("— {}", self.words(rng, n)),
            _ => self.words(rng, n),
        }
    }

    /// A document: a few sentences and paragraphs, sometimes cut anywhere.
    pub fn document(&self, rng: &mut Rng) -> String {
        let mut text = String::new();
        let parts = 1 + rng.below(8);
        for i in 0..parts {
            if i > 0 {
                text.push_str(rng.pick(BREAKS));
            }
            text.push_str(&self.sentence(rng));
            if rng.chance(0.3) {
                text.push_str(rng.pick(STOPS));
            }
        }
        if rng.chance(0.25) {
            // stop anywhere: mid-word, right after a cue, on a lone mark
            let cut = rng.below(text.len() + 1);
            let cut = (0..=cut).rev().find(|&c| text.is_char_boundary(c)).unwrap_or(0);
            text.truncate(cut);
        }
        text
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// What must hold for every analysed document; the first violation, if any.
pub fn violation(text: &str, doc: &DocumentJson) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let span_ok = |what: &str, s: &TextSpan| -> Result<(), String> {
        if s.start > s.end || s.end > chars.len() {
            return Err(format!(
                "{what} {}..{} is off the text ({} chars)",
                s.start,
                s.end,
                chars.len()
            ));
        }
        let covered: String = chars[s.start..s.end].iter().collect();
        if covered != s.text {
            return Err(format!(
                "{what} {}..{} covers {covered:?}, says {:?}",
                s.start, s.end, s.text
            ));
        }
        Ok(())
    };
    let check = || -> Result<(), String> {
        for e in &doc.entities {
            span_ok(
                "entity",
                &TextSpan {
                    text: e.text.clone(),
                    start: e.start,
                    end: e.end,
                },
            )?;
            if !(0.0..=1.0).contains(&e.score) {
                return Err(format!("entity score {}", e.score));
            }
        }
        for (id, s) in doc.speakers.iter().enumerate() {
            if s.id != id {
                return Err(format!("speaker {id} has id {}", s.id));
            }
            for m in &s.mentions {
                span_ok("mention", m)?;
            }
        }
        for q in &doc.quotes {
            span_ok("content", &q.content)?;
            if let Some(c) = &q.cue {
                span_ok("cue", c)?;
            }
            if let Some(m) = &q.speaker_mention {
                span_ok("speaker mention", m)?;
            }
            if q.speaker.is_some_and(|s| s >= doc.speakers.len()) {
                return Err(format!("speaker id {:?} of {} speakers", q.speaker, doc.speakers.len()));
            }
            if !(0.0..=1.0).contains(&q.confidence) {
                return Err(format!("confidence {}", q.confidence));
            }
        }
        Ok(())
    };
    check().err()
}

/// A tag layer for `text` without the model, for long runs over the rule stages:
/// tags a tagger might give (verbs, names, pronouns, punctuation) mixed with any tag at
/// all, entities over runs of capitalised words, learned spans anywhere. The rule
/// stages must hold for every layer, not only the model's likely ones.
pub fn layer(rng: &mut Rng, text: &str, pos_labels: &[String]) -> whosaid::ner::NerLayer {
    use whosaid::ner::{LearnedLabel, LearnedSpan, NerLayer};
    use whosaid::{Entity, EntityLabel, Span};
    let seg = whosaid::segment::segment(text);
    let tag = |name: &str| pos_labels.iter().position(|p| p == name).unwrap_or(0) as u16;
    let words: Vec<&str> = seg.tokens.iter().map(|t| &text[t.span.start..t.span.end]).collect();
    let pos = words
        .iter()
        .map(|w| {
            if rng.chance(0.3) {
                return rng.below(pos_labels.len()) as u16;
            }
            let lower = w.to_lowercase();
            let first = w.chars().next().unwrap_or(' ');
            if !first.is_alphanumeric() {
                tag(if matches!(*w, "," | "." | ":" | "(" | ")" | "''" | "``") {
                    w
                } else {
                    "."
                })
            } else if PRONOUNS.iter().any(|p| p.eq_ignore_ascii_case(w)) {
                tag("PRP")
            } else if lower.ends_with("ed") || lower == "said" || lower == "told" {
                tag("VBD")
            } else if lower.ends_with('s') && rng.chance(0.5) {
                tag("VBZ")
            } else if first.is_uppercase() {
                tag("NNP")
            } else if first.is_numeric() {
                tag("CD")
            } else {
                tag(rng.pick(&["NN", "DT", "IN", "JJ", "RB", "VB", "VBG", "VBN", "TO", "MD", "CC", "WP"]))
            }
        })
        .collect();
    let labels = [
        EntityLabel::Person,
        EntityLabel::Organization,
        EntityLabel::Location,
        EntityLabel::Misc,
    ];
    let mut entities = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let capital = words[i].chars().next().is_some_and(char::is_uppercase);
        if (capital && rng.chance(0.6)) || rng.chance(0.03) {
            let mut j = i + 1;
            while j < words.len() && rng.chance(0.5) {
                j += 1;
            }
            entities.push(Entity {
                span: Span::new(seg.tokens[i].span.start, seg.tokens[j - 1].span.end),
                label: labels[rng.below(4)],
                score: 0.5 + rng.below(50) as f32 / 100.0,
            });
            i = j;
        } else {
            i += 1;
        }
    }
    let attribution = rng.chance(0.7).then(|| {
        let mut spans = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if rng.chance(0.15) {
                let j = (i + 1 + rng.below(12)).min(words.len());
                let (start, end) = (seg.tokens[i].span.start, seg.tokens[j - 1].span.end);
                // the tagger labels word-pieces: sometimes a span starts or ends inside a word
                let inner = |b: usize| (b..end).find(|&k| text.is_char_boundary(k) && k > start);
                let end = if rng.chance(0.1) {
                    inner(start + 1).unwrap_or(end)
                } else {
                    end
                };
                spans.push(LearnedSpan {
                    span: Span::new(start, end),
                    label: [LearnedLabel::Content, LearnedLabel::Source, LearnedLabel::Cue][rng.below(3)],
                    score: rng.below(101) as f32 / 100.0,
                });
                i = j;
            } else {
                i += 1;
            }
        }
        spans
    });
    NerLayer {
        entities,
        pos,
        chunk: Vec::new(),
        attribution,
    }
}

/// The model's layer of a whole text, cut to its first `end` bytes (which end a token, so
/// the prefix has the same tokens up to there): every prefix of a real article can run
/// through the rule stages with the tags the model gave the article.
pub fn prefix_layer(full: &whosaid::Analysis, end: usize) -> whosaid::ner::NerLayer {
    let tokens = whosaid::segment::segment(&full.text[..end]).tokens.len();
    let inside = |s: whosaid::Span| s.end <= end;
    let mut pos: Vec<u16> = full.ner.pos.iter().take(tokens).copied().collect();
    pos.resize(tokens, 0);
    whosaid::ner::NerLayer {
        entities: full.ner.entities.iter().filter(|e| inside(e.span)).cloned().collect(),
        pos,
        chunk: Vec::new(),
        attribution: full
            .ner
            .attribution
            .as_ref()
            .map(|spans| spans.iter().filter(|s| inside(s.span)).cloned().collect()),
    }
}
