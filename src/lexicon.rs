//! The project's word lists, embedded at compile time and parsed once.
//!
//! `data/reporting_verbs.tsv`: speech verbs and their inflections;
//! `data/roles.txt`: role nouns ("premier", "spokeswoman");
//! `data/first_names.txt`: given names of one gender, for pronoun agreement.

use std::collections::{HashMap, HashSet};

use once_cell::sync::Lazy;

/// A reporting-verb form: its lemma and how many words it spans.
#[derive(Debug, Clone)]
pub struct VerbForm {
    /// Lemma ("say" for "said", "point out" for "pointed out").
    pub lemma: &'static str,
    /// The form's words after the first ("out" for "pointed out").
    pub rest: Vec<&'static str>,
}

/// Which reported-speech frames a verb takes (third column of `data/reporting_verbs.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VerbFrames {
    /// Every frame: "X said (that) Y", "Y, X said", objects.
    #[default]
    All,
    /// Only with a "that" clause ("continued that …").
    ThatClause,
    /// Only "called X Y".
    ObjectComplement,
}

/// Lexicons used by the rule stages.
pub struct Lexicon {
    /// First word of a form (lower case) -> candidate forms.
    verbs: HashMap<&'static str, Vec<VerbForm>>,
    /// Lemmas with restricted frames.
    frames: HashMap<&'static str, VerbFrames>,
    /// Role nouns, lower case; multi-word roles keyed by their last word.
    roles: HashSet<&'static str>,
    multiword_roles: Vec<Vec<&'static str>>,
    /// Given name (lower case) -> true for male, false for female.
    first_names: HashMap<&'static str, bool>,
}

static VERBS_TSV: &str = include_str!("../data/reporting_verbs.tsv");
static ROLES_TXT: &str = include_str!("../data/roles.txt");
static FIRST_NAMES_TXT: &str = include_str!("../data/first_names.txt");

/// The lexicon, parsed on first use.
pub static LEXICON: Lazy<Lexicon> = Lazy::new(Lexicon::parse);

impl Lexicon {
    fn parse() -> Self {
        let mut verbs: HashMap<&'static str, Vec<VerbForm>> = HashMap::new();
        let mut frames = HashMap::new();
        for line in VERBS_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut columns = line.split('\t');
            let (Some(lemma), Some(forms)) = (columns.next(), columns.next()) else {
                continue;
            };
            match columns.next() {
                Some("that") => _ = frames.insert(lemma, VerbFrames::ThatClause),
                Some("object-complement") => _ = frames.insert(lemma, VerbFrames::ObjectComplement),
                _ => {}
            }
            let lemma_form = std::iter::once(lemma);
            for form in lemma_form.chain(forms.split('|')) {
                let mut words = form.split(' ');
                let first = words.next().unwrap_or(form);
                let rest: Vec<&'static str> = words.collect();
                let entry = verbs.entry(first).or_default();
                if !entry.iter().any(|f| f.lemma == lemma && f.rest == rest) {
                    entry.push(VerbForm { lemma, rest });
                }
            }
        }
        let mut roles = HashSet::new();
        let mut multiword_roles = Vec::new();
        for line in ROLES_TXT
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            if line.contains(' ') {
                multiword_roles.push(line.split(' ').collect());
            } else {
                roles.insert(line);
            }
        }
        let first_names = FIRST_NAMES_TXT
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(' '))
            .map(|(g, name)| (name.trim(), g == "m"))
            .collect();
        Lexicon {
            verbs,
            frames,
            roles,
            multiword_roles,
            first_names,
        }
    }

    /// Is the given name `word` (lower case) male (`Some(true)`), female, or unknown?
    pub fn first_name_is_male(&self, word: &str) -> Option<bool> {
        self.first_names.get(word).copied()
    }

    /// The reported-speech frames `lemma` takes.
    pub fn verb_frames(&self, lemma: &str) -> VerbFrames {
        self.frames.get(lemma).copied().unwrap_or_default()
    }

    /// Reporting-verb forms starting with `word` (lower case).
    pub fn verb_forms(&self, word: &str) -> &[VerbForm] {
        self.verbs.get(word).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Is `word` (lower case) a one-word role noun?
    pub fn is_role(&self, word: &str) -> bool {
        self.roles.contains(word)
    }

    /// Multi-word roles, as word lists.
    pub fn multiword_roles(&self) -> &[Vec<&'static str>] {
        &self.multiword_roles
    }
}

/// Words that modify a role without naming one ("deputy", "foreign", "former").
pub fn is_role_modifier(word: &str) -> bool {
    matches!(
        word,
        "deputy"
            | "vice"
            | "foreign"
            | "former"
            | "acting"
            | "interim"
            | "senior"
            | "chief"
            | "top"
            | "prime"
            | "state"
            | "executive"
            | "assistant"
            | "associate"
            | "general"
            | "first"
            | "defense"
            | "defence"
            | "finance"
            | "interior"
            | "trade"
            | "health"
            | "education"
            | "justice"
            | "press"
            | "communications"
            | "campaign"
            | "government"
            | "embassy"
            | "ministry"
            | "party"
            | "white"
            | "house"
            | "u.s."
            | "us"
            | "federal"
            | "national"
            | "regional"
            | "local"
            | "police"
            | "military"
            | "army"
            | "security"
            | "presidential"
            | "republican"
            | "democratic"
            | "new"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_parses_forms_and_roles() {
        let said = LEXICON.verb_forms("said");
        assert!(said.iter().any(|f| f.lemma == "say" && f.rest.is_empty()));
        let pointed = LEXICON.verb_forms("pointed");
        assert!(pointed.iter().any(|f| f.lemma == "point out" && f.rest == ["out"]));
        assert!(LEXICON.verb_forms("adding").iter().any(|f| f.lemma == "add"));
        assert!(LEXICON.verb_forms("believes").is_empty(), "beliefs are not speech cues");
        assert!(LEXICON.is_role("premier"));
        assert!(LEXICON.multiword_roles().iter().any(|r| r == &["prime", "minister"]));
    }
}
