//! Mentions and speakers: who could be quoted, under every name they get.
//!
//! People come from PER entities; a speaker is found again under a shorter or
//! fuller name ("Li" = "Li Keqiang"), behind a title ("Chinese Premier Li
//! Keqiang"), after an appositive ("Imran Khan, Pakistan's prime minister,"),
//! as a nominal ("the Chinese premier"; "the senator" after "Sen. Ted Cruz", by the
//! role words a nominal refers back to in `data/role_references.tsv`) and as a pronoun
//! ("he", to the nearest compatible antecedent; the narration's pronouns first, and a
//! pronoun in a quote never its speaker's). Organisations come from ORG entities (extended over
//! "in/of `<place>`" and a nationality before them) and nominals ("the embassy").
//! The canonical name is the fullest proper name seen; the role comes from
//! titles, appositives and nominals.
//!
//! Without a proper name, the text still says who spoke: a plural or a collective noun is
//! a group ("aides said", "his supporters argue", "Police said"), any noun that is the subject of a reporting verb is a
//! speaker ("a friend said", "the report said", `"…," said the parson`), and object and
//! possessive pronouns ("him", "her", "his") link like "he" and "she". A name never
//! crosses a paragraph break. Gender comes from the text (a pronoun, an honorific, a role
//! noun) and, only when it gives nothing else, from a given name (`gender_evidence`).
//!
//! Descriptions take in what describes them: an organisation or a possessor before a
//! person ("Ontario Premier Doug Ford", "a senior Liberal official", "Trudeau's office");
//! a document speaks for the author the text gives it ("The report said" after "Canadian
//! Pacific Railway released a report"); a headline's unnamed speaker is the body's named
//! one of that role; a quantifier ("Some said") speaks for the group before it; an
//! acronym ("WHO") is the organisation it spells. Every person noun ("the young man") is
//! a mention, but one that speaks nowhere is no pronoun's antecedent.

use crate::document::DocView;
use crate::lexicon::{is_role_modifier, LEXICON};
use crate::marks::MarkedSpan;
use crate::ner::EntityLabel;
use crate::pos::Pos;
use crate::span::Span;

mod salience;
mod voices;

/// How a mention names its speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A proper name, full or short ("Li Keqiang", "Li", "Xinhua").
    Name,
    /// A name with a title before it ("Chinese Premier Li Keqiang").
    TitledName,
    /// A description ("the Chinese premier", "a spokeswoman").
    Nominal,
    /// A pronoun ("he", "she", "they", "it").
    Pronoun,
}

/// What kind of speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    /// A person.
    Person,
    /// An organisation, government, embassy, company, ...
    Organization,
    /// People who speak together, named by a plural ("aides", "his supporters", "officials").
    Group,
}

/// One mention of a speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// The mention's text span (with its title, for titled names).
    pub span: Span,
    /// Its tokens: `first..end`.
    pub first_token: usize,
    /// One past its last token.
    pub end_token: usize,
    /// How it names the speaker.
    pub kind: MentionKind,
    /// The speaker it refers to.
    pub speaker: usize,
}

/// A person's gender, when the text gives it (see [`GenderEvidence`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// he
    Male,
    /// she
    Female,
}

/// What told a speaker's gender. The text's own words (a pronoun that refers to the
/// speaker, an honorific, a gendered role noun) win over a given name's usual gender,
/// which is used only when the text gives nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GenderEvidence {
    /// "he" or "she" resolved to the speaker.
    Pronoun,
    /// "Mr.", "Mrs.", "Ms." before the name.
    Honorific,
    /// A gendered role noun: "chairwoman", "spokesman".
    Role,
    /// The given name's usual gender (`data/first_names.txt`).
    GivenName,
}

/// A person or organisation in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Speaker {
    /// Span of the fullest proper name (or of the first nominal, for unnamed speakers).
    pub name: Span,
    /// Whether a proper name was seen.
    pub named: bool,
    /// Person or organisation.
    pub kind: SpeakerKind,
    /// Role text, from a title, appositive or nominal.
    pub role: Option<Span>,
    /// Gender, when the text gives it.
    pub gender: Option<Gender>,
    /// What gave the gender.
    pub gender_evidence: Option<GenderEvidence>,
    /// Indices into [`SpeakerLayer::mentions`], in text order.
    pub mentions: Vec<usize>,
    /// Lower-case name words of every name mention (for matching short names).
    name_words: Vec<String>,
    /// Honorifics it was named with, lower case without the dot ("mrs").
    honorifics: Vec<String>,
    /// Was every name mention so far after an honorific ("Mrs. Bennet")?
    only_with_honorific: bool,
    /// One-word names it was given outside quotation marks, without an honorific
    /// ("Elizabeth"): a given name used alone.
    narration_short_names: Vec<String>,
}

/// The speaker layer.
#[derive(Debug, Clone, Default)]
pub struct SpeakerLayer {
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
    /// Speakers; mentions point into this.
    pub speakers: Vec<Speaker>,
}

impl SpeakerLayer {
    /// The mention covering token `i`, if any.
    pub fn mention_at(&self, i: usize) -> Option<&Mention> {
        let k = self.mentions.partition_point(|m| m.end_token <= i);
        self.mentions.get(k).filter(|m| m.first_token <= i)
    }
}

fn name_words(view: &DocView, a: usize, b: usize) -> Vec<String> {
    // an honorific the model tagged with the name is not one of its words: "Miss
    // Rosenthal?" hands the turn to Julie Rosenthal, "GEN. ELIZABETH B. PRELOGAR" is Prelogar
    let honorific = |i: usize| i + 1 < b && LEXICON.is_honorific(view.lower(i));
    (a..b)
        .filter(|&i| view.word(i).chars().any(char::is_alphabetic) && view.lower(i) != "s" && !honorific(i))
        .map(|i| view.lower(i).to_string())
        .collect()
}

/// The gender an honorific or role word gives (`data/gendered_words.txt`).
fn gender_of_word(w: &str) -> Option<Gender> {
    LEXICON
        .gendered_word_is_male(w)
        .map(|male| if male { Gender::Male } else { Gender::Female })
}

/// How far back "the company" looks for the organisation it names, in sentences.
const ORGANISATION_SENTENCES_BACK: usize = 5;

struct Builder<'v, 'a> {
    view: &'v DocView<'a>,
    layer: SpeakerLayer,
    /// Tokens already inside a mention, title or appositive.
    covered: Vec<bool>,
    /// First token of each speaker's mentions so far, sorted.
    positions: Vec<Vec<usize>>,
    /// Tokens inside quotation marks, one range per marked span.
    quoted: Vec<std::ops::Range<usize>>,
    /// Is each token inside quotation marks (in one of `quoted`)?
    in_marks: Vec<bool>,
    /// For each of them, does it open on a capital, a whole sentence someone says (not a
    /// phrase quoted inside reported speech: `said he "had lost his way"`)?
    spoken: Vec<bool>,
    /// Speakers that are things, named by the noun before a reporting verb ("the report
    /// said"): no antecedent of a pronoun, which means someone named or described.
    things: Vec<usize>,
    /// Speakers whose mentions went to another ([`Builder::headline_nominals`]).
    merged: Vec<usize>,
    /// First tokens of person-noun mentions that speak nowhere ("the young man sprang
    /// up"): antecedents only when no other mention is in view.
    quiet: std::collections::HashSet<usize>,
}

/// Find mentions and speakers; `marked` (from [`crate::marks::find_marked`]) keeps
/// names quoted inside someone else's words from being pronoun antecedents.
pub(crate) fn find_speakers(view: &DocView, marked: &[MarkedSpan]) -> SpeakerLayer {
    let quoted: Vec<std::ops::Range<usize>> = marked
        .iter()
        .map(|m| view.token_from(m.inner.start)..view.token_until(m.inner.end))
        .collect();
    let mut in_marks = vec![false; view.len()];
    for q in &quoted {
        for t in &mut in_marks[q.start.min(view.len())..q.end.min(view.len())] {
            *t = true;
        }
    }
    let mut b = Builder {
        view,
        layer: SpeakerLayer::default(),
        covered: vec![false; view.len()],
        positions: Vec::new(),
        quoted,
        in_marks,
        spoken: marked
            .iter()
            .map(|m| m.inner.text(view.text).trim_start().starts_with(char::is_uppercase))
            .collect(),
        things: Vec::new(),
        merged: Vec::new(),
        quiet: std::collections::HashSet::new(),
    };
    b.names();
    b.acronyms();
    b.nominals();
    b.headline_nominals();
    b.ages();
    b.partitives();
    b.pronouns();
    b.relative_pronouns();
    b.first_person();
    let mut layer = b.layer;
    // (speakers merged into others leave the list; the rest keep their order)
    let kept: Vec<usize> = (0..layer.speakers.len()).filter(|s| !b.merged.contains(s)).collect();
    let mut new_index = vec![usize::MAX; layer.speakers.len()];
    for (k, &s) in kept.iter().enumerate() {
        new_index[s] = k;
    }
    let speakers = std::mem::take(&mut layer.speakers);
    layer.speakers = speakers
        .into_iter()
        .enumerate()
        .filter(|(s, _)| new_index[*s] != usize::MAX)
        .map(|(_, sp)| sp)
        .collect();
    for m in &mut layer.mentions {
        m.speaker = new_index[m.speaker];
    }
    layer.mentions.sort_by_key(|m| m.first_token);
    for s in &mut layer.speakers {
        s.mentions.clear();
    }
    for (i, m) in layer.mentions.iter().enumerate() {
        layer.speakers[m.speaker].mentions.push(i);
    }
    layer
}

impl Builder<'_, '_> {
    fn add_mention(&mut self, first: usize, end: usize, kind: MentionKind, speaker: usize) {
        let view = self.view;
        for c in &mut self.covered[first..end] {
            *c = true;
        }
        self.layer.mentions.push(Mention {
            span: view.tokens_span(first, end),
            first_token: first,
            end_token: end,
            kind,
            speaker,
        });
        if self.positions.len() <= speaker {
            self.positions.resize(speaker + 1, Vec::new());
        }
        let at = self.positions[speaker].partition_point(|&p| p < first);
        self.positions[speaker].insert(at, first);
    }

    /// First token of speaker `s`'s last mention before token `pos`.
    fn last_before(&self, s: usize, pos: usize) -> Option<usize> {
        let p = self.positions.get(s)?;
        let k = p.partition_point(|&x| x < pos);
        k.checked_sub(1).map(|k| p[k])
    }

    fn new_speaker(&mut self, name: Span, named: bool, kind: SpeakerKind, words: Vec<String>) -> usize {
        self.layer.speakers.push(Speaker {
            name,
            named,
            kind,
            role: None,
            gender: None,
            gender_evidence: None,
            mentions: Vec::new(),
            name_words: words,
            honorifics: Vec::new(),
            only_with_honorific: false,
            narration_short_names: Vec::new(),
        });
        self.layer.speakers.len() - 1
    }

    /// Token ranges of PER and ORG entities, ORG extended over "in <LOC>" and a preceding nationality.
    fn entity_ranges(&self) -> Vec<(usize, usize, EntityLabel)> {
        let view = self.view;
        let mut out: Vec<(usize, usize, EntityLabel)> = Vec::new();
        let mut i = 0;
        while i < view.len() {
            let Some(e) = view.entity_at(i) else {
                i += 1;
                continue;
            };
            let label = view.ner.entities[e].label;
            // a name never crosses a paragraph break ("N.B.\n\nVickers" is two mentions), nor
            // a run of spaces, where a text lost the dashes between names ("Mrs. Moore   Miss
            // Quested   have a drink")
            let spaced = |j: usize| {
                let gap = view.text.get(view.span(j - 1).end..view.span(j).start).unwrap_or("");
                gap.chars().filter(|c| c.is_whitespace()).count() >= 2
            };
            let mut j = i + 1;
            while j < view.len()
                && view.entity_at(j) == Some(e)
                && view.paragraph_of(j) == view.paragraph_of(i)
                && !spaced(j)
            {
                j += 1;
            }
            let mut start = i;
            // "Ah" or "Damn Aziz" tagged as a name: an interjection starts no name
            while start < j && LEXICON.is_interjection(view.lower(start)) {
                start += 1;
            }
            while start < j && view.is_punct(start) {
                start += 1;
            }
            if start == j {
                i = j;
                continue;
            }
            if label == EntityLabel::Organization {
                // "Chinese" + "Embassy": a nationality right before an organisation belongs to it.
                if start > 0 && view.label_at(start - 1) == Some(EntityLabel::Misc) {
                    while start > 0 && view.label_at(start - 1) == Some(EntityLabel::Misc) {
                        start -= 1;
                    }
                    if let Some(last) = out.last() {
                        if last.1 > start {
                            start = last.1;
                        }
                    }
                }
                // "Embassy in Pakistan", "Ministry of Foreign Affairs"
                while j + 1 < view.len()
                    && matches!(view.lower(j), "in" | "of" | "for")
                    && matches!(
                        view.label_at(j + 1),
                        Some(EntityLabel::Location | EntityLabel::Organization)
                    )
                    && view.sentence_of(j + 1) == view.sentence_of(i)
                {
                    let e2 = view.entity_at(j + 1);
                    j += 1;
                    while j < view.len() && view.entity_at(j) == e2 {
                        j += 1;
                    }
                }
            }
            // "North Korea said", "China has urged", "The White House is saying": a place that
            // speaks is its government
            let mut v = j;
            while v < view.len()
                && v < j + 3
                && matches!(view.lower(v), "has" | "had" | "also" | "again" | "later" | "is" | "was")
            {
                v += 1;
            }
            let speaking_place = label == EntityLabel::Location
                && v < view.len()
                && view.sentence_of(v) == view.sentence_of(i)
                && !LEXICON.verb_forms(view.lower(v)).is_empty()
                && view.pos(v).is_verb();
            if matches!(label, EntityLabel::Person | EntityLabel::Organization) {
                out.push((start, j, label));
            } else if speaking_place {
                out.push((start, j, EntityLabel::Organization));
            }
            i = j;
        }
        out
    }

    fn names(&mut self) {
        let view = self.view;
        let ranges = self.entity_ranges();
        for (k, &(a, b, label)) in ranges.iter().enumerate() {
            if b <= a || self.covered[a] || in_credit(view, a, b) {
                continue;
            }
            // trailing possessive "'s" is not part of a name
            let words = name_words(view, a, b);
            if words.is_empty() {
                continue;
            }
            // "Justice" + "Robert Kim", "Det. Const" + "Mark Evans" tagged as two people: the
            // first is the title of the second, which takes it as its own
            let title_word = |t: usize| view.is_punct(t) || LEXICON.is_role(view.lower(t)) || abbreviated_role(view, t);
            let title_of_next = label == EntityLabel::Person
                && (a..b).all(title_word)
                && ranges.get(k + 1).is_some_and(|&(a2, _, l2)| {
                    l2 == EntityLabel::Person && a2 >= b && (b..a2).all(|t| view.word(t) == ".")
                });
            if title_of_next {
                continue;
            }
            match label {
                EntityLabel::Person => {
                    // "Justice Anne Molloy" as one entity: the title is no part of the name,
                    // so "the judge" can refer back to it
                    let name_start = self.title_inside(a, b);
                    let words = if name_start > a {
                        name_words(view, name_start, b)
                    } else {
                        words
                    };
                    self.person(name_start, b, words)
                }
                _ => self.organization(a, b, words),
            }
        }
    }

    fn person(&mut self, a: usize, b: usize, words: Vec<String>) {
        let view = self.view;
        // "the Sams continued to shun conventional medicine" after "Thomas Sam": a family,
        // a group that "they" refers to and "he" never does
        if self.is_family(a, b, &words) {
            let s = self.new_speaker(view.tokens_span(a - 1, b), false, SpeakerKind::Group, Vec::new());
            self.add_mention(a - 1, b, MentionKind::Nominal, s);
            return;
        }
        // A gendered word just before the name ("Mrs", "Mr." as "Mr" ".", "Lady"), or an
        // honorific opening it ("Miss Quested" as one entity), gives the gender, else a given
        // name of one gender. An honorific proper ("Mrs", not "Lady") also tells family
        // members apart.
        let before = match a {
            0 => None,
            _ if view.word(a - 1) == "." && a > 1 => Some(a - 2),
            _ => Some(a - 1),
        };
        let opening = (a + 1 < b).then_some(a);
        let gender_of = |h: usize| gender_of_word(view.lower(h).trim_end_matches('.'));
        let is_honorific = |h: &usize| LEXICON.is_honorific(view.lower(*h));
        let honorific = opening.filter(is_honorific).or(before.filter(is_honorific));
        let by_honorific = opening
            .filter(is_honorific)
            .and_then(gender_of)
            .or_else(|| before.and_then(gender_of))
            .map(|g| (g, GenderEvidence::Honorific));
        let by_given_name = || {
            (words.len() >= 2)
                .then(|| LEXICON.first_name_is_male(&words[0]))
                .flatten()
                .map(|male| {
                    (
                        if male { Gender::Male } else { Gender::Female },
                        GenderEvidence::GivenName,
                    )
                })
        };
        let mut gender = by_honorific.or_else(by_given_name);
        let honorific_word = honorific.map(|h| view.lower(h).trim_end_matches('.').to_string());
        // Most recent person whose names contain these words, or whose words these contain,
        // and whom the text gives no other gender or honorific: "Mr. Bennet" is not
        // "Elizabeth Bennet", "Mrs. Miller" not "Randolph C. Miller" nor "Miss Miller".
        let surname_and_honorific = words.len() == 1 && honorific_word.is_some();
        let speaker = (0..self.layer.speakers.len())
            .filter(|&s| {
                let sp = &self.layer.speakers[s];
                let other_gender = gender.is_some_and(|(g, _)| sp.gender.is_some_and(|og| og != g));
                let other_honorific = honorific_word
                    .as_deref()
                    .is_some_and(|h| sp.honorifics.iter().any(|o| LEXICON.honorifics_exclude(h, o)));
                // (a family shares its surname: after "Elizabeth" alone in the narration,
                // "Mrs. Bennet" is her mother; after "Mr. Bennet" and "Mrs. Bennet",
                // "Elizabeth Bennet" is neither)
                let known_by_given_name = || {
                    let fullest = name_words_of_span(view, sp.name);
                    fullest.len() >= 2 && sp.narration_short_names.contains(&fullest[0])
                };
                let family = || {
                    self.layer.speakers.iter().enumerate().any(|(o, other)| {
                        o != s
                            && other.kind == SpeakerKind::Person
                            && sp.name_words.iter().all(|w| other.name_words.contains(w))
                    })
                };
                let other_family_member = (surname_and_honorific && known_by_given_name())
                    || (words.len() >= 2 && sp.name_words.len() == 1 && sp.only_with_honorific && family());
                sp.kind == SpeakerKind::Person
                    && sp.named
                    && !other_gender
                    && !other_honorific
                    && !other_family_member
                    && (words.iter().all(|w| sp.name_words.contains(w))
                        || sp.name_words.iter().all(|w| words.contains(w)))
            })
            .max_by_key(|&s| self.last_before(s, a));
        // (a surname alone keeps its honorific: "Mr. Bennet" and "Mrs. Bennet" are two)
        let name_first = match honorific {
            Some(h) if words.len() == 1 && h < a => h,
            _ => a,
        };
        let short_name = (words.len() == 1 && honorific.is_none() && !self.in_marks[a]).then(|| words[0].clone());
        let speaker = match speaker {
            Some(s) => {
                let sp = &mut self.layer.speakers[s];
                if words.len() > name_words_of_span(view, sp.name).len() {
                    sp.name = view.tokens_span(a, b);
                }
                for w in &words {
                    if !sp.name_words.contains(w) {
                        sp.name_words.push(w.clone());
                    }
                }
                sp.only_with_honorific &= honorific.is_some();
                s
            }
            None => {
                // (a given name alone that joins nobody is a new person of its usual gender:
                // "Kevin was snoring. “Here he is, babe,” she said." is not Kevin; alone it
                // gives no gender to a person already named, "Warren" for Elizabeth Warren)
                let lone_given_name = (words.len() == 1 && gender.is_none())
                    .then(|| LEXICON.first_name_is_male(&words[0]))
                    .flatten();
                if let Some(male) = lone_given_name {
                    gender = Some((
                        if male { Gender::Male } else { Gender::Female },
                        GenderEvidence::GivenName,
                    ));
                }
                let s = self.new_speaker(view.tokens_span(name_first, b), true, SpeakerKind::Person, words);
                self.layer.speakers[s].only_with_honorific = honorific.is_some();
                s
            }
        };
        if let Some(w) = short_name {
            self.layer.speakers[speaker].narration_short_names.push(w);
        }
        if let Some((g, evidence)) = gender {
            self.note_gender(speaker, g, evidence);
        }
        if let Some(h) = honorific_word {
            let honorifics = &mut self.layer.speakers[speaker].honorifics;
            if !honorifics.contains(&h) {
                honorifics.push(h);
            }
        }
        let title = self.title_before(a);
        let kind = if title.is_some() {
            MentionKind::TitledName
        } else {
            MentionKind::Name
        };
        let first = title.map_or(a, |(t, _)| t);
        if let Some((_, role_first)) = title {
            self.set_role(speaker, view.tokens_span(role_first, a));
        }
        if let Some((r0, r1)) = self.appositive_after(b) {
            self.set_role(speaker, view.tokens_span(r0, r1));
            // (an organisation named in the role keeps its own mention: "economist at CIBC")
            for t in r0..r1 {
                if view.label_at(t) != Some(EntityLabel::Organization) {
                    self.covered[t] = true;
                }
            }
        }
        self.add_mention(first, b, kind, speaker);
    }

    /// The first token of the name proper in a person entity `a..b` that opens with
    /// titles ("Justice Anne Molloy", "Sen. Ted Cruz"): after its leading role words,
    /// keeping a capitalised word at least.
    fn title_inside(&self, a: usize, b: usize) -> usize {
        let view = self.view;
        // (honorifics stay: "Mr. Henfrey" is how the text names him)
        let title_word = |t: usize| LEXICON.is_role(view.lower(t)) || abbreviated_role(view, t);
        let mut i = a;
        while i + 1 < b && title_word(i) {
            i += 1;
            if i + 1 < b && view.word(i) == "." {
                i += 1;
            }
        }
        if view.is_capitalized(i) && !view.is_punct(i) {
            i
        } else {
            a
        }
    }

    /// "the Obamas", "the Sams": "the" and one plural name whose singular names a person
    /// already seen.
    fn is_family(&self, a: usize, b: usize, words: &[String]) -> bool {
        let [word] = words else { return false };
        if a == 0 || b != a + 1 || self.view.lower(a - 1) != "the" {
            return false;
        }
        let singular = word
            .strip_suffix("es")
            .filter(|s| s.ends_with('s'))
            .or_else(|| word.strip_suffix('s'));
        let Some(singular) = singular else { return false };
        self.layer
            .speakers
            .iter()
            .any(|sp| sp.kind == SpeakerKind::Person && sp.named && sp.name_words.iter().any(|w| w == singular))
    }

    fn set_role(&mut self, speaker: usize, role: Span) {
        let view = self.view;
        let (t0, t1) = (view.token_from(role.start), view.token_until(role.end));
        if let Some(g) = (t0..t1).find_map(|i| gender_of_word(view.lower(i))) {
            self.note_gender(speaker, g, GenderEvidence::Role);
        }
        self.layer.speakers[speaker].role.get_or_insert(role);
    }

    /// Record a speaker's gender: the first the text gives stays, and the text's own words
    /// replace a given name's usual gender.
    fn note_gender(&mut self, speaker: usize, gender: Gender, evidence: GenderEvidence) {
        let sp = &mut self.layer.speakers[speaker];
        let guessed = sp.gender_evidence == Some(GenderEvidence::GivenName);
        if sp.gender.is_none() || (guessed && evidence != GenderEvidence::GivenName) {
            sp.gender = Some(gender);
            sp.gender_evidence = Some(evidence);
        }
    }

    /// A title right before a name: modifiers and role nouns, at least one role noun. Its
    /// first token, and the first of the role it gives, which may take in a name before it
    /// ("Ontario Premier Doug Ford": the role is "Ontario Premier", and Ontario keeps its
    /// own mention; "Trump's lawyer Michael Cohen").
    fn title_before(&self, name_start: usize) -> Option<(usize, usize)> {
        let view = self.view;
        let sentence = view.sentence_of(name_start);
        let mut i = name_start;
        let mut has_role = false;
        let mut role_first = None;
        while i > 0 && view.sentence_of(i - 1) == sentence {
            let t = i - 1;
            let w = view.lower(t);
            // abbreviated titles come as two tokens: "Gov" "."
            let role = LEXICON.is_role(w) || self.ends_multiword_role(t).is_some() || abbreviated_role(view, t);
            let ok = role
                || (w == "." && t > 0 && abbreviated_role(view, t - 1))
                || is_role_modifier(w)
                || matches!(
                    view.label_at(t),
                    Some(EntityLabel::Misc | EntityLabel::Location | EntityLabel::Organization)
                )
                || (w == "s" && t > 0 && view.word(t - 1) == "'")
                || w == "'"
                || w == "-"
                // (a capitalised title takes in the capitalised words before its role:
                // "Housing Minister Sean Fraser", "Conservative Leader Pierre Poilievre")
                || (has_role
                    && view.is_capitalized(t)
                    && view.is_capitalized(t + 1)
                    && matches!(view.pos(t), Pos::NN | Pos::NNS | Pos::NNP | Pos::NNPS | Pos::JJ));
            if self.covered[t] && has_role {
                role_first = self.name_modifier_ending_at(i);
            }
            if !ok || self.covered[t] {
                break;
            }
            has_role |= role;
            if let Some(start) = self.ends_multiword_role(t) {
                i = start;
                continue;
            }
            i = t;
        }
        // a title ends in its role noun; drop leading possessive marks
        while i < name_start && matches!(view.lower(i), "'" | "s" | "-") {
            i += 1;
        }
        (has_role && i < name_start).then_some((i, role_first.unwrap_or(i)))
    }

    /// If token `t` ends a multi-word role, the role's first token.
    fn ends_multiword_role(&self, t: usize) -> Option<usize> {
        let view = self.view;
        LEXICON.multiword_roles().iter().find_map(|role| {
            let n = role.len();
            (t + 1 >= n && (0..n).all(|k| view.lower(t + 1 - n + k) == role[k])).then(|| t + 1 - n)
        })
    }

    /// ", Pakistan's prime minister," after a name: the role tokens.
    fn appositive_after(&self, name_end: usize) -> Option<(usize, usize)> {
        let view = self.view;
        if name_end >= view.len() || view.word(name_end) != "," {
            return None;
        }
        let sentence = view.sentence_of(name_end);
        // (the role is the description without its article: "a tenant organizer")
        let start = name_end + 1 + usize::from(matches!(view.lower(name_end + 1), "a" | "an" | "the"));
        let mut has_role = false;
        let mut j = start;
        while j < view.len() && j < start + 12 && view.sentence_of(j) == sentence {
            let w = view.lower(j);
            // (the sentence's end closes it too: `said Benjamin Tal, deputy chief economist
            // at CIBC.`)
            let last_of_sentence = j + 1 == view.len() || view.sentence_of(j + 1) != sentence;
            if w == "," || (w == "." && last_of_sentence) {
                break;
            }
            // (nor a participle's clause: `said Katharine, taking her chair beside him.`)
            let participle_clause = j == start && view.is_verb(j);
            if view.is_finite_verb(j)
                || participle_clause
                || view.label_at(j) == Some(EntityLabel::Person)
                || view.is_quote_mark(j)
            {
                return None;
            }
            has_role |= LEXICON.is_role(w);
            j += 1;
        }
        let closed = j < view.len() && view.sentence_of(j) == sentence && matches!(view.word(j), "," | ".");
        (has_role && closed && j > start).then_some((start, j))
    }

    fn organization(&mut self, a: usize, b: usize, words: Vec<String>) {
        let view = self.view;
        let key: Vec<String> = words.iter().filter(|w| *w != "the").cloned().collect();
        let acronym: String = key.iter().filter_map(|w| w.chars().next()).collect();
        let speaker = (0..self.layer.speakers.len())
            .filter(|&s| {
                let sp = &self.layer.speakers[s];
                sp.kind == SpeakerKind::Organization && sp.named && {
                    let other = &sp.name_words;
                    let other_acronym: String = other.iter().filter_map(|w| w.chars().next()).collect();
                    *other == key
                        || contains_seq(other, &key)
                        || contains_seq(&key, other)
                        || (key.len() == 1 && key[0] == other_acronym && other.len() > 1)
                        || (other.len() == 1 && other[0] == acronym && key.len() > 1)
                }
            })
            .max_by_key(|&s| self.last_before(s, a));
        let speaker = match speaker {
            Some(s) => {
                let sp = &mut self.layer.speakers[s];
                if key.len() > sp.name_words.len() {
                    sp.name = view.tokens_span(a, b);
                    sp.name_words = key;
                }
                s
            }
            None => self.new_speaker(view.tokens_span(a, b), true, SpeakerKind::Organization, key),
        };
        self.add_mention(a, b, MentionKind::Name, speaker);
    }

    /// "the Chinese premier", "a spokeswoman", "the embassy", "officials".
    fn nominals(&mut self) {
        let view = self.view;
        let n = view.len();
        let mut i = 0;
        while i < n {
            if self.covered[i] {
                i += 1;
                continue;
            }
            let w = view.lower(i);
            // ("aides", "his supporters": people named by a plural speak as a group)
            let person_role = LEXICON.is_role(w) || self.ends_multiword_role(i).is_some() || LEXICON.is_group_noun(w);
            let org_noun = LEXICON.is_organisation_noun(w);
            // "the states say", "a friend said", "the report said": any noun that is the
            // subject of a reporting verb names who spoke
            let common_noun = matches!(view.pos(i), Pos::NN | Pos::NNS);
            // ("Democrats said", "Mexicans say": a people or a party's members the model tagged
            // as a name, at the name's end)
            let people = view.label_at(i) == Some(EntityLabel::Misc)
                && w.ends_with('s')
                && view.pos(i).is_noun()
                && view.entity_at(i + 1) != view.entity_at(i);
            let speaking_noun = !person_role
                && !org_noun
                && (common_noun || people)
                && (speaks_next(view, i) || reported_before(view, i).is_some() || according_to_before(view, i));
            // ("an architect who said …": "who" says the noun is a person; so does speech in
            // marks before an inverted cue: `"None whatever," said the stranger`)
            let after_quote = reported_before(view, i).is_some_and(|k| view.is_quote_mark(k - 1));
            // (a person noun is a mention whether or not it speaks: "the young man sprang up …
            // "Am I late?" he cried" is his)
            // (not before another noun: "parent company", "victim services")
            let compound = i + 1 < n && view.pos(i + 1).is_noun() && view.sentence_of(i + 1) == view.sentence_of(i);
            let named_person_noun = !person_role && !org_noun && common_noun && !compound && LEXICON.is_person_noun(w);
            let person_noun =
                named_person_noun || speaking_noun && ((i + 1 < n && view.lower(i + 1) == "who") || after_quote);
            if !(person_role || org_noun || speaking_noun || named_person_noun)
                || !view.pos(i).is_noun() && view.pos(i) != Pos::None
            {
                i += 1;
                continue;
            }
            // A role noun right before a name is a title, handled with the name.
            if i + 1 < n && self.covered[i + 1] && view.label_at(i + 1).is_some() {
                i += 1;
                continue;
            }
            // "the company spokesman", "police officers", "government officials": a noun
            // before a role noun modifies the person who speaks
            let names_person = |t: usize| {
                let w = view.lower(t);
                LEXICON.is_role(w) || LEXICON.is_group_noun(w) || LEXICON.is_person_noun(w)
            };
            if i + 1 < n
                && !self.covered[i + 1]
                && matches!(view.pos(i + 1), Pos::NN | Pos::NNS)
                && view.sentence_of(i + 1) == view.sentence_of(i)
                && names_person(i + 1)
            {
                i += 1;
                continue;
            }
            // Walk left over modifiers to a determiner.
            let sentence = view.sentence_of(i);
            let mut a = self.ends_multiword_role(i).unwrap_or(i);
            // the mention starts after a name it crosses, which keeps its own mention
            let mut mention_start = None;
            while a > 0 && view.sentence_of(a - 1) == sentence {
                if self.covered[a - 1] {
                    // "a senior Liberal official", "Facebook's spokesman", "Trump's lawyer": a
                    // person is described with the organisation (or the possessor) before it
                    let crossed = match self.name_modifier_ending_at(a) {
                        // ("Trudeau's office": an organisation noun after a possessor)
                        Some(m) if mention_start.is_none() && (person_role || org_noun && view.is_possessive_at(a)) => {
                            m
                        }
                        _ => break,
                    };
                    let mut start = a;
                    while start < i && matches!(view.lower(start), "'" | "’" | "s") {
                        start += 1;
                    }
                    mention_start = Some(start);
                    a = crossed;
                    continue;
                }
                let p = a - 1;
                let pw = view.lower(p);
                let modifier = is_role_modifier(pw)
                    || view.label_at(p).is_some()
                    || matches!(
                        view.pos(p),
                        Pos::JJ | Pos::NNP | Pos::NN | Pos::NNS | Pos::NNPS | Pos::CD | Pos::VBN
                    )
                    || (pw == "s" && p > 0 && matches!(view.word(p - 1), "'" | "’"))
                    || matches!(pw, "'" | "’" | "'s" | "’s");
                if !modifier {
                    break;
                }
                a = p;
            }
            let det = a > 0 && view.sentence_of(a - 1) == sentence && !self.covered[a - 1] && {
                matches!(
                    view.lower(a - 1),
                    "the" | "a" | "an" | "its" | "their" | "his" | "her" | "another" | "each" | "every"
                )
            };
            if det {
                a -= 1;
            }
            let article = det;
            // "one West Virginia official said", "one slide says": "one" (taken as a number)
            // is an article; "Connecticut’s tax commissioner": a possessor is a determiner
            let one = !det && a < i && view.lower(a) == "one";
            let possessor = !det && (a..i).any(|t| view.is_possessive_at(t));
            let det = det || one || possessor;
            while a < i && matches!(view.lower(a), "'" | "s") {
                a += 1;
            }
            // a headline's subject goes without an article: "Chinese premier urges …",
            // "'We will rebuild,' mayor says"
            let headline_subject = !det && view.seg.sentences[sentence].paragraph == 0 && {
                let (first, _) = view.sentence_tokens(sentence);
                a == first || speaks_next(view, i)
            };
            let definite = (det && !matches!(view.lower(a), "a" | "an")) || headline_subject;
            // ("Police said", "Staff say": a collective noun speaks as a group)
            let plural = (w.ends_with('s') && !w.ends_with("ss")) || LEXICON.is_collective_noun(w);
            // ("someone said": an indefinite pronoun needs no article)
            let indefinite = matches!(w, "someone" | "somebody" | "anyone" | "everyone" | "nobody");
            if !det && !plural && !headline_subject && !indefinite {
                // bare singular nouns ("government sources") are not mentions
                i += 1;
                continue;
            }
            // "the Chinese Embassy in Pakistan": a capitalised organisation noun is a name the
            // model missed; take it, with "in/of <place>", as a named organisation
            if org_noun && !person_role && !speaking_noun && view.is_capitalized(i) {
                let name_start = if det { a + 1 } else { a };
                let mut end = i + 1;
                while end + 1 < n
                    && matches!(view.lower(end), "in" | "of" | "for")
                    && matches!(
                        view.label_at(end + 1),
                        Some(EntityLabel::Location | EntityLabel::Organization)
                    )
                    && view.sentence_of(end + 1) == sentence
                {
                    let e = view.entity_at(end + 1);
                    end += 1;
                    while end < n && view.entity_at(end) == e {
                        end += 1;
                    }
                }
                let words = name_words(view, name_start, end);
                self.organization(name_start, end, words);
                i = end;
                continue;
            }
            let person_like = person_role || person_noun || (speaking_noun && plural);
            let kind = match (person_like, plural) {
                (true, true) => SpeakerKind::Group,
                (true, false) => SpeakerKind::Person,
                (false, _) => SpeakerKind::Organization,
            };
            // (a crossed name is no modifier to match: "Ronny's mother" is the mother seen before)
            let modifiers: Vec<usize> = (mention_start.unwrap_or(a)..i)
                .filter(|&k| view.label_at(k).is_some())
                .collect();
            // "John Smith, an engineer who said …": an appositive right after a person's name
            // is a mention of that person
            // (and "the organizer, Jane Doe." a description before the name it is)
            let name_of = |m: &Mention| matches!(m.kind, MentionKind::Name | MentionKind::TitledName);
            let before = (a > 1 && view.word(a - 1) == ",")
                .then(|| {
                    self.layer
                        .mentions
                        .iter()
                        .rev()
                        .find(|m| m.end_token == a - 1 && name_of(m))
                })
                .flatten();
            // (past an affiliation: "The mayor of Smalltown, Jane Doe,")
            let comma = self.affiliation_after(i + 1);
            let after = (comma + 1 < n && view.word(comma) == ",")
                .then(|| {
                    self.layer
                        .mentions
                        .iter()
                        .find(|m| m.first_token == comma + 1 && name_of(m))
                })
                .flatten()
                .filter(|m| m.end_token >= n || view.is_punct(m.end_token));
            // a predicate nominative: "Jane Doe is the mayor of Smalltown"
            let copula = (a > 1 && det && matches!(view.lower(a - 1), "is" | "was" | "became" | "remains"))
                .then(|| {
                    self.layer
                        .mentions
                        .iter()
                        .rev()
                        .find(|m| m.end_token == a - 1 && name_of(m) && salience::is_subject(view, m))
                })
                .flatten();
            let appositive = before
                .or(after)
                .or(copula)
                .map(|m| m.speaker)
                .filter(|&s| kind == SpeakerKind::Person && self.layer.speakers[s].kind == SpeakerKind::Person);
            // ("the report said" speaks for its author, when the text names one)
            let author = (speaking_noun && !person_like).then(|| self.author_of(a, i)).flatten();
            let antecedent = if let Some(s) = author.or(appositive) {
                if person_role && author.is_none() {
                    let article = matches!(view.lower(a), "the" | "a" | "an");
                    let role_start = if article { a + 1 } else { a };
                    self.set_role(s, view.tokens_span(role_start, self.affiliation_after(i + 1)));
                }
                Some(s)
            } else if definite {
                self.match_nominal(kind, i, &modifiers, headline_subject)
                    .or_else(|| self.recent_organisation(kind, i))
            } else {
                None
            };
            let speaker = match antecedent {
                Some(s) => s,
                None => {
                    // (the description without "one" or "another", as without an article)
                    let quantifier = matches!(view.lower(a), "one" | "another" | "each" | "every");
                    let from = if quantifier && a < i { a + 1 } else { a };
                    let description_end = if person_like {
                        self.affiliation_after(i + 1)
                    } else {
                        i + 1
                    };
                    let s = self.new_speaker(view.tokens_span(from, description_end), false, kind, Vec::new());
                    if person_role || person_noun {
                        let role = view.tokens_span(if article { a + 1 } else { a }.min(i), i + 1);
                        self.set_role(s, role);
                    }
                    if speaking_noun && !person_like {
                        self.things.push(s);
                    }
                    s
                }
            };
            let quiet = named_person_noun && !speaking_noun;
            // (a quiet mention leaves its possessive pronoun a mention of its own: "her
            // mother" holds "her", whom a pronoun stage resolves)
            let mut first = mention_start.unwrap_or(a);
            if quiet && first < i && is_possessive_pronoun(view.lower(first)) {
                first += 1;
            }
            self.add_mention(first, i + 1, MentionKind::Nominal, speaker);
            if quiet {
                self.quiet.insert(first);
            }
            i += 1;
        }
    }

    /// The author that a document noun at `head` (its phrase from `a`) speaks for: a named
    /// organisation or person given as its author there ("a report by Canadian Pacific
    /// Railway", "the railway's report") or at the noun's last mention a few sentences back
    /// (there also as the subject that issued it: "Canadian Pacific Railway released a
    /// report", "the ministry said in a statement").
    fn author_of(&self, a: usize, head: usize) -> Option<usize> {
        let view = self.view;
        let n = view.len();
        let word = view.lower(head);
        if !LEXICON.is_document_noun(word) {
            return None;
        }
        let named = |m: &Mention| {
            matches!(m.kind, MentionKind::Name | MentionKind::TitledName)
                && self.layer.speakers[m.speaker].kind != SpeakerKind::Group
        };
        let sentence = view.sentence_of(head);
        let named_at = |first: usize, head: usize| {
            // "by/from X" after the noun
            let mut j = head + 1;
            let by = j + 1 < n && matches!(view.lower(j), "by" | "from");
            if by {
                j += 1;
                if j + 1 < n && view.lower(j) == "the" {
                    j += 1;
                }
            }
            let after = self
                .layer
                .mentions
                .iter()
                .find(|m| by && m.first_token == j && named(m) && view.sentence_of(j) == view.sentence_of(head));
            // "X's report" (over modifiers: "the railway's annual report")
            let possessor = (first.saturating_sub(2)..head)
                .find(|&t| view.is_possessive_at(t))
                .and_then(|t| self.layer.mentions.iter().find(|m| m.end_token == t && named(m)));
            after.or(possessor).map(|m| m.speaker)
        };
        if let Some(s) = named_at(a, head) {
            return Some(s);
        }
        let floor = view
            .sentence_tokens(sentence.saturating_sub(ORGANISATION_SENTENCES_BACK))
            .0;
        let earlier = (floor..a).rev().find(|&j| view.lower(j) == word)?;
        let mut first = earlier;
        while first > floor && matches!(view.pos(first - 1), Pos::JJ | Pos::NN | Pos::VBN | Pos::CD) {
            first -= 1;
        }
        if let Some(s) = named_at(first, earlier) {
            return Some(s);
        }
        // the subject that issued it
        if first == floor || !matches!(view.lower(first - 1), "a" | "an" | "the" | "its" | "their") || first < 2 {
            return None;
        }
        let verb = first - 2;
        let issued = LEXICON.is_issuing_verb(view.lower(verb))
            || (view.lower(verb) == "in" && verb > 0 && !LEXICON.verb_forms(view.lower(verb - 1)).is_empty());
        let (sent_first, _) = view.sentence_tokens(view.sentence_of(earlier));
        if !issued {
            return None;
        }
        self.layer
            .mentions
            .iter()
            .rfind(|m| m.first_token >= sent_first && m.end_token <= verb && named(m) && salience::is_subject(view, m))
            .map(|m| m.speaker)
    }

    /// "WHO" after "The World Health Organisation" when the model tagged no entity there:
    /// an upper-case word that spells the initials of a named organisation is a mention of it.
    fn acronyms(&mut self) {
        let view = self.view;
        for i in 0..view.len() {
            let w = view.word(i);
            let upper = (2..=6).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase());
            if self.covered[i] || !upper {
                continue;
            }
            let lower = view.lower(i);
            let spelled = |words: &[String], skip_small: bool| -> bool {
                let initials: String = words
                    .iter()
                    .filter(|w| !skip_small || !matches!(w.as_str(), "the" | "of" | "and" | "for" | "on"))
                    .filter_map(|w| w.chars().next())
                    .collect();
                words.len() >= 2 && initials == lower
            };
            let org = (0..self.layer.speakers.len()).find(|&s| {
                let sp = &self.layer.speakers[s];
                sp.kind == SpeakerKind::Organization
                    && sp.named
                    && self.last_before(s, i).is_some()
                    && (spelled(&sp.name_words, true) || spelled(&sp.name_words, false))
            });
            if let Some(s) = org {
                self.add_mention(i, i + 1, MentionKind::Name, s);
            }
        }
    }

    /// The first token of a name mention ending right before token `end` that can modify a
    /// person noun after it: an organisation's or place's ("a senior Liberal official",
    /// "Ontario Premier Doug Ford") or a possessor's ("Trump's lawyer").
    fn name_modifier_ending_at(&self, end: usize) -> Option<usize> {
        let view = self.view;
        let m = self.layer.mentions.iter().rev().find(|m| m.end_token == end)?;
        let named = matches!(m.kind, MentionKind::Name | MentionKind::TitledName);
        let organisation = self.layer.speakers[m.speaker].kind == SpeakerKind::Organization;
        let possessor = end + 1 < view.len() && view.is_possessive_at(end);
        (named && (organisation || possessor) && view.sentence_of(m.first_token) == view.sentence_of(end))
            .then_some(m.first_token)
    }

    /// "'We will rebuild,' mayor says" over "The mayor of Smalltown, Jane Doe, promised …":
    /// an unnamed speaker of the headline alone is the first named speaker of the body
    /// whose role or name its head noun refers to (the body gives roles after the headline
    /// was read).
    fn headline_nominals(&mut self) {
        let view = self.view;
        if view.seg.paragraphs.len() < 2 {
            return;
        }
        for s in 0..self.layer.speakers.len() {
            let sp = &self.layer.speakers[s];
            let positions = self.positions.get(s).map(Vec::as_slice).unwrap_or(&[]);
            let headline_only = !positions.is_empty() && positions.iter().all(|&p| view.paragraph_of(p) == 0);
            if sp.named || !headline_only || !matches!(sp.kind, SpeakerKind::Person | SpeakerKind::Organization) {
                continue;
            }
            let head = view.token_until(sp.name.end).saturating_sub(1);
            let target = (0..self.layer.speakers.len())
                .filter(|&t| {
                    let other = &self.layer.speakers[t];
                    t != s
                        && other.named
                        && other.kind == sp.kind
                        && self.head_refers_to(head, t, &self.described_as(t))
                })
                .min_by_key(|&t| {
                    self.positions
                        .get(t)
                        .and_then(|p| p.first().copied())
                        .unwrap_or(usize::MAX)
                });
            let Some(t) = target else { continue };
            for m in &mut self.layer.mentions {
                if m.speaker == s {
                    m.speaker = t;
                }
            }
            let moved = std::mem::take(&mut self.positions[s]);
            if self.positions.len() <= t {
                self.positions.resize(t + 1, Vec::new());
            }
            self.positions[t].extend(moved);
            self.positions[t].sort_unstable();
            self.merged.push(s);
        }
    }

    /// "John Tory resigned. The 68-year-old said …": an age after "the", with no noun
    /// after it, refers back like "he" or "she" to the person it follows.
    fn ages(&mut self) {
        let view = self.view;
        for i in 5..view.len() {
            let age = view.lower(i) == "old"
                && view.word(i - 1) == "-"
                && view.lower(i - 2) == "year"
                && view.word(i - 3) == "-"
                && view.word(i - 4).chars().all(|c| c.is_ascii_digit())
                && view.lower(i - 5) == "the";
            // (an age before a noun describes it: "the 68-year-old mayor")
            let before_noun = i + 1 < view.len() && view.pos(i + 1).is_noun();
            if !age || before_noun || (i - 5..=i).any(|t| self.covered[t]) {
                continue;
            }
            if let Some(s) = self.antecedent(i - 5, SpeakerKind::Person, None, false) {
                self.add_mention(i - 5, i + 1, MentionKind::Nominal, s);
            }
        }
    }

    /// "Economists were divided. Some said the tax works.": a quantifier that is the
    /// subject of a reporting verb speaks for the group mentioned in its sentence or the
    /// one before ("economists"), else as a group of its own ("Many say …").
    fn partitives(&mut self) {
        let view = self.view;
        for i in 0..view.len() {
            // (before a noun it is a determiner, and the noun the mention: "Some economists said")
            if self.covered[i] || !LEXICON.is_partitive_pronoun(view.lower(i)) || !speaks_next(view, i) {
                continue;
            }
            let sentence = view.sentence_of(i);
            let group = self
                .layer
                .mentions
                .iter()
                .filter(|m| {
                    m.first_token < i
                        && view.sentence_of(m.first_token) + 1 >= sentence
                        && self.layer.speakers[m.speaker].kind == SpeakerKind::Group
                        && !self.in_marks(m.first_token)
                })
                .max_by_key(|m| m.first_token)
                .map(|m| m.speaker);
            let speaker = match group {
                Some(s) => s,
                None => self.new_speaker(view.tokens_span(i, i + 1), false, SpeakerKind::Group, Vec::new()),
            };
            self.add_mention(i, i + 1, MentionKind::Pronoun, speaker);
        }
    }

    /// The end of an unnamed speaker's description with its affiliation: "for the
    /// ministry", "at the State Department", "of Acme" after the head noun ending at `end`
    /// ("a spokeswoman for the ministry" is a "spokeswoman for the ministry"); `end` if none.
    fn affiliation_after(&self, end: usize) -> usize {
        let view = self.view;
        let n = view.len();
        if end + 1 >= n || !matches!(view.lower(end), "for" | "of" | "at" | "with") {
            return end;
        }
        let mut j = end + 1;
        if j + 1 < n && matches!(view.lower(j), "the" | "a" | "an") {
            j += 1;
        }
        let sentence = view.sentence_of(end);
        let first = j;
        // ("a spokesperson for Environment Minister Steven Guilbeault": a person's title first)
        let mut k = j;
        while k + 1 < n
            && k < j + 4
            && view.label_at(k).is_none()
            && view.pos(k) == Pos::NNP
            && view.sentence_of(k) == sentence
        {
            k += 1;
        }
        if k > j && view.label_at(k) == Some(EntityLabel::Person) {
            j = k;
        }
        if matches!(
            view.label_at(j),
            Some(EntityLabel::Organization | EntityLabel::Location | EntityLabel::Misc | EntityLabel::Person)
        ) {
            let e = view.entity_at(j);
            while j < n && view.entity_at(j) == e && view.sentence_of(j) == sentence {
                j += 1;
            }
        } else if LEXICON.is_organisation_noun(view.lower(j)) && view.sentence_of(j) == sentence {
            j += 1;
        }
        if j > first {
            j
        } else {
            end
        }
    }

    /// The most recent speaker of `kind` whose role (or name) contains the head noun and the modifiers.
    /// A headline's nominal may point forward, to a speaker named only in the body.
    fn match_nominal(&self, kind: SpeakerKind, head: usize, modifiers: &[usize], forward: bool) -> Option<usize> {
        let view = self.view;
        let stem = |w: &str| {
            w.trim_end_matches("ese")
                .trim_end_matches("ian")
                .trim_end_matches("an")
                .to_string()
        };
        let mods: Vec<String> = modifiers.iter().map(|&m| stem(view.lower(m))).collect();
        (0..self.layer.speakers.len())
            .filter(|&s| forward || self.last_before(s, head).is_some())
            // named speakers by role or name; unnamed ones ("a spokesman") by their description
            .filter(|&s| self.layer.speakers[s].kind == kind)
            .filter(|&s| {
                let described = self.described_as(s);
                self.head_refers_to(head, s, &described) && mods.iter().all(|m| described.contains(m.as_str()))
            })
            .max_by_key(|&s| self.last_before(s, head))
    }

    /// Speaker `s`'s name and role, lower case: what a nominal may describe it by.
    fn described_as(&self, s: usize) -> String {
        let view = self.view;
        let sp = &self.layer.speakers[s];
        let mut hay = sp.name.text(view.text).to_lowercase();
        if let Some(r) = sp.role {
            hay.push(' ');
            hay.push_str(&r.text(view.text).to_lowercase());
        }
        hay
    }

    /// Does the nominal's head noun at `head` refer to speaker `s` by a word of its name or
    /// role (`data/role_references.tsv`), without another gender ("the congresswoman" is no
    /// man)?
    /// `described`: [`Builder::described_as`] of `s`, made once by the caller.
    fn head_refers_to(&self, head: usize, s: usize, described: &str) -> bool {
        let head_word = self.view.lower(head);
        let gender_agrees = match (gender_of_word(head_word), self.layer.speakers[s].gender) {
            (Some(g), Some(h)) => g == h,
            _ => true,
        };
        gender_agrees
            && described
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| LEXICON.role_refers_to(head_word, w))
    }

    /// "who" after a person ("John Bentel, who told aides …") and "which" after an
    /// organisation ("the agency, which said …"), as the subject of a clause: a mention of
    /// whom it follows.
    fn relative_pronouns(&mut self) {
        let view = self.view;
        for i in 1..view.len() {
            let w = view.lower(i);
            if self.covered[i] || !matches!(w, "who" | "which" | "that") {
                continue;
            }
            let mut j = i + 1;
            while j < view.len() && j < i + 3 && matches!(view.pos(j), Pos::RB | Pos::MD) {
                j += 1;
            }
            if !view.is_verb(j) {
                continue;
            }
            // ("the agency that said": "that" without a comma only; ", that" opens a clause)
            let before = if view.word(i - 1) == "," && w != "that" {
                i - 1
            } else {
                i
            };
            // ("nervous Democrats on Capitol Hill, who have argued": past a place after the noun)
            let before = match place_phrase_before(view, before) {
                Some(p) if w == "who" && !self.layer.mentions.iter().any(|m| m.end_token == before) => p,
                _ => before,
            };
            let Some(m) = self.layer.mentions.iter().find(|m| m.end_token == before) else {
                continue;
            };
            let kind = self.layer.speakers[m.speaker].kind;
            let fits = match w {
                "who" => matches!(kind, SpeakerKind::Person | SpeakerKind::Group),
                // ("that" only as the subject of a reporting verb: "the agency that said")
                "that" => !LEXICON.verb_forms(view.lower(j)).is_empty(),
                _ => kind == SpeakerKind::Organization && !self.things.contains(&m.speaker),
            };
            if fits {
                let speaker = m.speaker;
                self.add_mention(i, i + 1, MentionKind::Pronoun, speaker);
            }
        }
    }

    /// "the company" after "Facebook": the most recent named organisation, a few sentences
    /// back at most, unless its name says it is another kind of organisation ("the company"
    /// is not the "Ministry of Foreign Affairs").
    fn recent_organisation(&self, kind: SpeakerKind, head: usize) -> Option<usize> {
        let view = self.view;
        let head_word = view.lower(head);
        if kind != SpeakerKind::Organization || !LEXICON.is_generic_organisation_noun(head_word) {
            return None;
        }
        let sentence = view.sentence_of(head);
        (0..self.layer.speakers.len())
            .filter(|&s| {
                let sp = &self.layer.speakers[s];
                let other_kind = sp.name_words.iter().any(|w| {
                    w != head_word && (LEXICON.is_organisation_noun(w) || LEXICON.is_generic_organisation_noun(w))
                });
                sp.kind == SpeakerKind::Organization && sp.named && !other_kind
            })
            .filter_map(|s| self.last_before(s, head).map(|p| (s, p)))
            .filter(|&(_, p)| sentence - view.sentence_of(p).min(sentence) <= ORGANISATION_SENTENCES_BACK)
            .max_by_key(|&(_, p)| p)
            .map(|(s, _)| s)
    }

    /// he / she (people), and it / they when they report something.
    fn pronouns(&mut self) {
        let view = self.view;
        // the narration's pronouns first, then those inside quotation marks: a quote's "she"
        // must not give its gender to the man who says it before his "he said" is resolved
        // (`Delorme said the meeting was productive. "She heard us," he said.`)
        let (narration, quoted): (Vec<usize>, Vec<usize>) = (0..view.len()).partition(|&i| !self.in_marks(i));
        for i in narration.into_iter().chain(quoted) {
            if self.covered[i] {
                continue;
            }
            let w = view.lower(i);
            // (object and possessive pronouns link too: "her", "his", "him" say who is meant
            // as much as "she" and "he" do, and give the speaker's gender)
            let gender = match w {
                "he" | "him" | "his" | "himself" => Some(Gender::Male),
                "she" | "her" | "hers" | "herself" => Some(Gender::Female),
                "they" | "it" => None,
                _ => continue,
            };
            if gender.is_none() && !reports_next(view, i) {
                continue;
            }
            let want = if gender.is_some() {
                SpeakerKind::Person
            } else if w == "it" {
                SpeakerKind::Organization
            } else {
                // "they": organisations or plural nominals
                SpeakerKind::Organization
            };
            if let Some(s) = self.antecedent(i, want, gender, w == "they") {
                if let Some(g) = gender {
                    self.note_gender(s, g, GenderEvidence::Pronoun);
                }
                self.add_mention(i, i + 1, MentionKind::Pronoun, s);
            }
        }
    }

    /// Is token `i` inside quotation marks?
    fn in_marks(&self, i: usize) -> bool {
        self.in_marks.get(i).copied().unwrap_or(false)
    }

    /// The speakers who say the quote that token `i` sits in, when it opens on a capital (a
    /// whole sentence of theirs): the subjects outside its marks in the sentences where it
    /// opens and closes ("Schwartz …, writing, "…"", `"…," he said`, already resolved).
    fn own_speakers(&self, i: usize) -> Vec<usize> {
        let view = self.view;
        if !self.in_marks(i) {
            return Vec::new();
        }
        let Some((q, _)) = self
            .quoted
            .iter()
            .zip(&self.spoken)
            .find(|(q, &spoken)| spoken && q.contains(&i))
        else {
            return Vec::new();
        };
        let sentences = [view.sentence_of(q.start), view.sentence_of(q.end.saturating_sub(1))];
        self.layer
            .mentions
            .iter()
            .filter(|m| {
                !q.contains(&m.first_token)
                    && sentences.contains(&view.sentence_of(m.first_token))
                    && salience::is_subject(view, m)
            })
            .map(|m| m.speaker)
            .collect()
    }

    /// The speaker of the most salient compatible mention before token `i` (see
    /// [`salience`]), at most [`salience::SENTENCES_BACK`] sentences back.
    fn antecedent(&self, i: usize, kind: SpeakerKind, gender: Option<Gender>, plural: bool) -> Option<usize> {
        let view = self.view;
        let inside_marks = &self.quoted;
        let own_speakers = self.own_speakers(i);
        let ok = |m: &Mention| {
            let sp = &self.layer.speakers[m.speaker];
            let plural_nominal = m.kind == MentionKind::Nominal && view.lower(m.end_token - 1).ends_with('s');
            let kind_ok = if plural {
                matches!(sp.kind, SpeakerKind::Organization | SpeakerKind::Group) || plural_nominal
            } else {
                sp.kind == kind
            };
            // "he"/"she" is one person, not "local officials"
            let number_ok = plural || gender.is_none() || !plural_nominal;
            // a name quoted inside someone else's words is not who goes on talking
            let quoted = inside_marks
                .iter()
                .any(|q| q.contains(&m.first_token) && !q.contains(&i));
            // nor is the subject who introduces the words the pronoun sits in, by any of
            // their mentions: `Schwartz gave the film a mixed review, writing, "An unknown Yul
            // Brynner, with all his hair, …"`; `Delorme said … "She heard us," he said.`
            let own_speaker = own_speakers.contains(&m.speaker);
            kind_ok
                && number_ok
                && !quoted
                && !own_speaker
                && !self.things.contains(&m.speaker)
                && m.kind != MentionKind::Pronoun
                && (gender.is_none() || sp.gender.is_none() || sp.gender == gender)
        };
        // the compatible mentions in view, once: before the pronoun, and after it in its
        // sentence (what it may refer ahead to)
        let sentence = view.sentence_of(i);
        let first_sentence = sentence.saturating_sub(salience::SENTENCES_BACK);
        let (mut candidates, ahead): (Vec<&Mention>, Vec<&Mention>) = self
            .layer
            .mentions
            .iter()
            .filter(|m| {
                (m.end_token <= i || m.first_token > i)
                    && (first_sentence..=sentence).contains(&view.sentence_of(m.first_token))
                    && ok(m)
            })
            .partition(|m| m.end_token <= i);
        let behind_in_sentence = candidates.iter().any(|m| view.sentence_of(m.first_token) == sentence);
        if let Some(m) = salience::cataphoric(view, i, behind_in_sentence, &ahead) {
            return Some(m.speaker);
        }
        // (a person noun that speaks nowhere, "the young man sprang up", is a mention for
        // coreference but no antecedent: as a fallback even in the sentence before, it took
        // 23 of PDNC's first 200,000 characters' pronouns from the right named speaker)
        candidates.retain(|m| !self.quiet.contains(&m.first_token));
        candidates.sort_by_key(|m| m.first_token);
        if let Some(m) = salience::most_salient(view, i, &candidates) {
            return Some(m.speaker);
        }
        // nobody in view: the text's topic, the compatible named speaker mentioned most so
        // far ("he" in a biography's fifth paragraph is still its subject)
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for m in self.layer.mentions.iter().filter(|m| m.end_token <= i && ok(m)) {
            if !self.layer.speakers[m.speaker].named {
                continue;
            }
            match counts.iter_mut().find(|(s, _)| *s == m.speaker) {
                Some((_, n)) => *n += 1,
                None => counts.push((m.speaker, 1)),
            }
        }
        counts
            .into_iter()
            .max_by_key(|&(s, n)| (n, self.last_before(s, i)))
            .map(|(s, _)| s)
    }
}

/// Is `a..b` inside a short parenthesis, like a photo credit "(Str/Xinhua)" or "(AP)"?
fn in_credit(view: &DocView, a: usize, b: usize) -> bool {
    let open = (a.saturating_sub(4)..a).rev().find(|&k| view.word(k) == "(");
    let close = (b..(b + 4).min(view.len())).find(|&k| view.word(k) == ")");
    matches!((open, close), (Some(o), Some(c)) if c - o <= 6)
}

/// Is mention `m` a name alone addressed to someone: after an opening mark, a comma or
/// "dear", and before a comma, a sentence's end or a closing mark (`"Hello, Jake."`,
/// `"My dear Hastings, …"`, `"Jake, listen."`)? Inside a quote it names who listens.
pub(crate) fn is_vocative(view: &DocView, m: &Mention) -> bool {
    if m.first_token == 0 || !matches!(m.kind, MentionKind::Name | MentionKind::TitledName) {
        return false;
    }
    let before = view.lower(m.first_token - 1);
    let after = view.word(m.end_token);
    (view.is_quote_mark(m.first_token - 1) || matches!(before, "," | "dear"))
        && (matches!(after, "," | "!" | "?" | ".") || view.is_quote_mark(m.end_token))
}

/// An object or possessive pronoun ("him", "his", "her", "its", "their", "them"): it
/// links to its speaker, but never is a cue's subject ("Those close to him said") nor
/// the head of a source ("his aide Jane Doe said").
pub(crate) fn is_object_or_possessive_pronoun(word: &str) -> bool {
    is_possessive_pronoun(word) || matches!(word, "him" | "them")
}

/// Is the token at `t` a role abbreviated before its dot ("Gov" ".", "Lt" ".")?
fn abbreviated_role(view: &DocView, t: usize) -> bool {
    t + 1 < view.len() && view.word(t + 1) == "." && LEXICON.is_role(&format!("{}.", view.lower(t)))
}

/// "his", "her", "its", "their" (lower case).
pub(crate) fn is_possessive_pronoun(word: &str) -> bool {
    matches!(word, "his" | "her" | "its" | "their")
}

/// Is the noun at `i` the subject of the reporting verb right after it, past adverbs
/// and auxiliaries ("the report said", "critics have long argued"; not "the band |
/// leader said")?
/// The first token of a place phrase ending right before `end` ("on Capitol Hill", "in
/// Ottawa"): a preposition and a place's name.
fn place_phrase_before(view: &DocView, end: usize) -> Option<usize> {
    let place = |t: usize| view.label_at(t) == Some(EntityLabel::Location) || view.pos(t) == Pos::NNP;
    let mut p = end;
    while p > 0 && p + 5 > end && place(p - 1) {
        p -= 1;
    }
    (p < end && p > 1 && matches!(view.lower(p - 1), "on" | "in" | "at" | "from")).then_some(p - 1)
}

fn speaks_next(view: &DocView, i: usize) -> bool {
    let mut j = i + 1;
    // "Democrats on Capitol Hill, who have argued …": past a place, to the relative clause
    if j < view.len() && matches!(view.lower(j), "on" | "in" | "at" | "from") {
        let comma = (j + 1..(j + 6).min(view.len())).find(|&k| view.word(k) == ",");
        if let Some(c) = comma.filter(|&c| place_phrase_before(view, c) == Some(j) && c + 1 < view.len()) {
            if view.lower(c + 1) == "who" {
                j = c + 1;
            }
        }
    }
    // "an architect who said he was stiffed": the noun is the subject of its relative clause
    if j < view.len() && matches!(view.lower(j), "who" | "that") {
        j += 1;
    }
    // "A leaked internal letter seen by Sky News warned": past a participle phrase
    if j < view.len() && matches!(view.pos(j), Pos::VBN | Pos::VBG) {
        let mut k = j + 1;
        while k < view.len()
            && k < j + 8
            && (view.is_np_token(k) || matches!(view.pos(k), Pos::IN | Pos::TO | Pos::VBG))
            && LEXICON.verb_forms(view.lower(k)).is_empty()
        {
            k += 1;
        }
        if k > j + 1 && k < view.len() && view.is_finite_verb(k) {
            j = k;
        }
    }
    // ("Republicans are slamming …": a progressive's auxiliary too)
    let progressive = |j: usize| {
        matches!(view.lower(j), "is" | "are" | "was" | "were") && j + 1 < view.len() && view.pos(j + 1) == Pos::VBG
    };
    let from = j;
    while j < view.len()
        && j < from + 3
        && (matches!(view.pos(j), Pos::RB | Pos::MD)
            || matches!(view.lower(j), "has" | "have" | "had")
            || progressive(j))
    {
        j += 1;
    }
    reporting_verb_at(view, j) && view.pos(j).is_verb()
}

/// Does a reporting verb's form, all its words, start at token `j` ("goes on", not "goes
/// too far")?
fn reporting_verb_at(view: &DocView, j: usize) -> bool {
    j < view.len()
        && LEXICON.verb_forms(view.lower(j)).iter().any(|f| {
            f.rest
                .iter()
                .enumerate()
                .all(|(k, r)| j + 1 + k < view.len() && view.lower(j + 1 + k) == *r)
        })
}

/// Is the noun at `i` the subject of an inverted cue: `"…," said the parson`, `…, asked a
/// young woman`? Its verb's token.
fn reported_before(view: &DocView, i: usize) -> Option<usize> {
    // (a noun before its own verb is the subject of what was said: "Moreau, said his
    // client would plead not guilty")
    if i + 1 < view.len() && view.is_finite_verb(i + 1) {
        return None;
    }
    (i.saturating_sub(4)..i).find(|&k| {
        k > 0
            && reporting_verb_at(view, k)
            && (view.word(k - 1) == "," || view.is_quote_mark(k - 1) || matches!(view.word(k - 1), "’" | "'"))
            && (k + 1..i).all(|t| matches!(view.pos(t), Pos::DT | Pos::JJ | Pos::PRPS | Pos::CD))
    })
}

/// Is the noun at `i` the head of the noun phrase after "according to" ("according to the
/// poll", "according to exit polls")?
fn according_to_before(view: &DocView, i: usize) -> bool {
    (i.saturating_sub(6)..i).any(|k| {
        k > 0
            && view.lower(k) == "to"
            && view.lower(k - 1) == "according"
            && (k + 1..i).all(|t| {
                matches!(
                    view.pos(t),
                    Pos::DT | Pos::JJ | Pos::CD | Pos::NN | Pos::NNS | Pos::NNP | Pos::NNPS | Pos::POS
                ) || view.label_at(t).is_some()
            })
    }) && !(i + 1 < view.len()
        && (view.pos(i + 1).is_noun()
            || view.is_possessive_at(i + 1)
            // ("according to a count by The Associated Press": the name after speaks)
            || matches!(view.lower(i + 1), "by" | "of" | "from")))
}

/// Does a reporting verb follow token `i` (optionally after an adverb)?
fn reports_next(view: &DocView, i: usize) -> bool {
    (i + 1..(i + 3).min(view.len())).any(|j| !LEXICON.verb_forms(view.lower(j)).is_empty())
}

fn name_words_of_span(view: &DocView, span: Span) -> Vec<String> {
    name_words(view, view.token_from(span.start), view.token_until(span.end))
}

fn contains_seq(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}
