//! The project's word lists, embedded at compile time and parsed once. Each file in
//! `data/` says in its header what it holds:
//!
//! - `reporting_verbs.tsv`: speech verbs, their inflections and frames;
//! - `roles.txt`, `role_modifiers.txt`: role nouns ("premier", "spokeswoman") and the
//!   words that modify them ("deputy", "foreign");
//! - `first_names.txt`: given names of one gender, for pronoun agreement;
//! - `honorifics.txt`, `abbreviations.txt`: "Mr.", "Sen." and the dots that end no sentence;
//! - `name_abbreviations.txt`: "Fla.", "Bros.": a name ending on one keeps its dot;
//! - `time_words.txt`, `subject_verb_fillers.txt`, `subordinators.tsv`: words the clause
//!   rules skip or stop at;
//! - `organisation_nouns.txt`, `speech_nouns.txt`: "the company", "his claim that";
//! - `generic_organisation_nouns.txt`: "the company" after "Facebook" is Facebook;
//! - `question_openers.txt`: "was asked whether …";
//! - `gendered_words.txt`, `group_nouns.txt`, `person_nouns.txt`: "chairwoman", "Mrs.";
//!   "aides", "supporters"; "a friend", "someone";
//! - `first_person.txt`, `letter_closings.txt`: "I", "my"; "Yours," before a signature;
//! - `elisions.txt`: "'n'", "'em", "'tis": a single mark before them is an apostrophe;
//! - `second_person.txt`: "you", "your": in a dialogue, the person a turn addresses;
//! - `interjections.txt`: "Ah", "Damn": never the first word of a name;
//! - `interview_turns.txt`: "Q:", "A:": an interview's turns;
//! - `exclusive_honorifics.txt`: "Mrs." and "Miss" never name the same person.

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
    /// Sets of honorifics (lower case, no dot) that name different people.
    exclusive_honorifics: Vec<Vec<&'static str>>,
    /// Role nouns, lower case; multi-word roles keyed by their last word.
    roles: HashSet<&'static str>,
    multiword_roles: Vec<Vec<&'static str>>,
    /// Given name (lower case) -> true for male, false for female.
    first_names: HashMap<&'static str, bool>,
    /// Lemmas whose listener comes before the content ("told reporters that").
    listener_verbs: HashSet<&'static str>,
    /// Lemmas whose content may be an infinitive ("vowed to form a task force").
    infinitive_verbs: HashSet<&'static str>,
    role_modifiers: HashSet<&'static str>,
    honorifics: HashSet<&'static str>,
    abbreviations: HashSet<&'static str>,
    name_abbreviations: HashSet<&'static str>,
    time_words: HashSet<&'static str>,
    subject_verb_fillers: HashSet<&'static str>,
    organisation_nouns: HashSet<&'static str>,
    generic_organisation_nouns: HashSet<&'static str>,
    speech_nouns: HashSet<&'static str>,
    question_openers: HashSet<&'static str>,
    /// Honorific or role word (lower case) -> true for male, false for female.
    gendered_words: HashMap<&'static str, bool>,
    group_nouns: HashSet<&'static str>,
    collective_nouns: HashSet<&'static str>,
    document_nouns: HashSet<&'static str>,
    issuing_verbs: HashSet<&'static str>,
    partitive_pronouns: HashSet<&'static str>,
    /// Nominal head noun -> title and role words it refers back to ("senator" -> "sen").
    role_references: HashMap<&'static str, HashSet<&'static str>>,
    person_nouns: HashSet<&'static str>,
    first_person: HashSet<&'static str>,
    interjections: HashSet<&'static str>,
    second_person: HashSet<&'static str>,
    letter_closings: HashSet<&'static str>,
    elisions: HashSet<&'static str>,
    /// Interview turn word (lower case) -> true for the interviewee's ("a"), false for the interviewer's.
    interview_turns: HashMap<&'static str, bool>,
    /// Subordinator -> its uses (`clause`, `after-object`, `before-verb`).
    subordinators: HashMap<&'static str, Vec<&'static str>>,
}

static VERBS_TSV: &str = include_str!("../data/reporting_verbs.tsv");
static ROLES_TXT: &str = include_str!("../data/roles.txt");
static FIRST_NAMES_TXT: &str = include_str!("../data/first_names.txt");
static ROLE_MODIFIERS_TXT: &str = include_str!("../data/role_modifiers.txt");
static HONORIFICS_TXT: &str = include_str!("../data/honorifics.txt");
static ABBREVIATIONS_TXT: &str = include_str!("../data/abbreviations.txt");
static NAME_ABBREVIATIONS_TXT: &str = include_str!("../data/name_abbreviations.txt");
static TIME_WORDS_TXT: &str = include_str!("../data/time_words.txt");
static SUBJECT_VERB_FILLERS_TXT: &str = include_str!("../data/subject_verb_fillers.txt");
static ORGANISATION_NOUNS_TXT: &str = include_str!("../data/organisation_nouns.txt");
static GENERIC_ORGANISATION_NOUNS_TXT: &str = include_str!("../data/generic_organisation_nouns.txt");
static SPEECH_NOUNS_TXT: &str = include_str!("../data/speech_nouns.txt");
static FIRST_PERSON_TXT: &str = include_str!("../data/first_person.txt");
static INTERJECTIONS_TXT: &str = include_str!("../data/interjections.txt");
static SECOND_PERSON_TXT: &str = include_str!("../data/second_person.txt");
static LETTER_CLOSINGS_TXT: &str = include_str!("../data/letter_closings.txt");
static ELISIONS_TXT: &str = include_str!("../data/elisions.txt");
static INTERVIEW_TURNS_TXT: &str = include_str!("../data/interview_turns.txt");
static SUBORDINATORS_TSV: &str = include_str!("../data/subordinators.tsv");
static QUESTION_OPENERS_TXT: &str = include_str!("../data/question_openers.txt");
static GENDERED_WORDS_TXT: &str = include_str!("../data/gendered_words.txt");
static GROUP_NOUNS_TXT: &str = include_str!("../data/group_nouns.txt");
static COLLECTIVE_NOUNS_TXT: &str = include_str!("../data/collective_nouns.txt");
static DOCUMENT_NOUNS_TXT: &str = include_str!("../data/document_nouns.txt");
static ISSUING_VERBS_TXT: &str = include_str!("../data/issuing_verbs.txt");
static PARTITIVE_PRONOUNS_TXT: &str = include_str!("../data/partitive_pronouns.txt");
static ROLE_REFERENCES_TSV: &str = include_str!("../data/role_references.tsv");
static PERSON_NOUNS_TXT: &str = include_str!("../data/person_nouns.txt");
static EXCLUSIVE_HONORIFICS_TXT: &str = include_str!("../data/exclusive_honorifics.txt");

/// The entries of a list file: one per line, without `#` comments and blank lines.
fn entries(file: &'static str) -> impl Iterator<Item = &'static str> {
    file.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.is_empty())
}

/// The lexicon, parsed on first use.
pub static LEXICON: Lazy<Lexicon> = Lazy::new(Lexicon::parse);

impl Lexicon {
    fn parse() -> Self {
        let mut verbs: HashMap<&'static str, Vec<VerbForm>> = HashMap::new();
        let mut frames = HashMap::new();
        let mut listener_verbs = HashSet::new();
        let mut infinitive_verbs = HashSet::new();
        for line in entries(VERBS_TSV) {
            let mut columns = line.split('\t');
            let (Some(lemma), Some(forms)) = (columns.next(), columns.next()) else {
                continue;
            };
            for note in columns.next().into_iter().flat_map(|c| c.split(',')) {
                match note.trim() {
                    "that" => _ = frames.insert(lemma, VerbFrames::ThatClause),
                    "object-complement" => _ = frames.insert(lemma, VerbFrames::ObjectComplement),
                    "listener" => _ = listener_verbs.insert(lemma),
                    "infinitive" => _ = infinitive_verbs.insert(lemma),
                    _ => {}
                }
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
        for line in entries(ROLES_TXT) {
            if line.contains(' ') {
                multiword_roles.push(line.split(' ').collect());
            } else {
                roles.insert(line);
            }
        }
        let first_names = entries(FIRST_NAMES_TXT)
            .filter_map(|l| l.split_once(' '))
            .map(|(g, name)| (name.trim(), g == "m"))
            .collect();
        let subordinators = entries(SUBORDINATORS_TSV)
            .filter_map(|l| l.split_once('\t'))
            .map(|(word, uses)| (word, uses.split(',').map(str::trim).collect()))
            .collect();
        Lexicon {
            verbs,
            frames,
            roles,
            multiword_roles,
            first_names,
            listener_verbs,
            infinitive_verbs,
            role_modifiers: entries(ROLE_MODIFIERS_TXT).collect(),
            honorifics: entries(HONORIFICS_TXT).collect(),
            abbreviations: entries(ABBREVIATIONS_TXT).collect(),
            name_abbreviations: entries(NAME_ABBREVIATIONS_TXT).collect(),
            time_words: entries(TIME_WORDS_TXT).collect(),
            subject_verb_fillers: entries(SUBJECT_VERB_FILLERS_TXT).collect(),
            organisation_nouns: entries(ORGANISATION_NOUNS_TXT).collect(),
            generic_organisation_nouns: entries(GENERIC_ORGANISATION_NOUNS_TXT).collect(),
            speech_nouns: entries(SPEECH_NOUNS_TXT).collect(),
            question_openers: entries(QUESTION_OPENERS_TXT).collect(),
            gendered_words: entries(GENDERED_WORDS_TXT)
                .filter_map(|l| l.split_once(' '))
                .map(|(g, word)| (word.trim(), g == "m"))
                .collect(),
            group_nouns: entries(GROUP_NOUNS_TXT).chain(entries(COLLECTIVE_NOUNS_TXT)).collect(),
            collective_nouns: entries(COLLECTIVE_NOUNS_TXT).collect(),
            document_nouns: entries(DOCUMENT_NOUNS_TXT).collect(),
            issuing_verbs: entries(ISSUING_VERBS_TXT).collect(),
            partitive_pronouns: entries(PARTITIVE_PRONOUNS_TXT).collect(),
            role_references: entries(ROLE_REFERENCES_TSV)
                .filter_map(|l| l.split_once('\t'))
                .map(|(head, words)| (head, words.split(' ').map(str::trim).collect()))
                .collect(),
            person_nouns: entries(PERSON_NOUNS_TXT).collect(),
            first_person: entries(FIRST_PERSON_TXT).collect(),
            interjections: entries(INTERJECTIONS_TXT).collect(),
            second_person: entries(SECOND_PERSON_TXT).collect(),
            letter_closings: entries(LETTER_CLOSINGS_TXT).collect(),
            elisions: entries(ELISIONS_TXT).collect(),
            interview_turns: entries(INTERVIEW_TURNS_TXT)
                .filter_map(|l| l.split_once(' '))
                .map(|(side, word)| (word.trim(), side == "a"))
                .collect(),
            subordinators,
            exclusive_honorifics: entries(EXCLUSIVE_HONORIFICS_TXT)
                .map(|l| l.split_whitespace().collect())
                .collect(),
        }
    }

    /// Does `lemma`'s listener come before its content ("told reporters that")?
    pub fn takes_listener(&self, lemma: &str) -> bool {
        self.listener_verbs.contains(lemma)
    }

    /// May `lemma`'s content be an infinitive ("vowed to form a task force")?
    pub fn takes_infinitive(&self, lemma: &str) -> bool {
        self.infinitive_verbs.contains(lemma)
    }

    /// Is `word` (lower case) a singular first-person pronoun ("i", "my")?
    pub fn is_first_person(&self, word: &str) -> bool {
        self.first_person.contains(word)
    }

    /// Is `word` (lower case) an interjection or oath ("ah", "damn")?
    pub fn is_interjection(&self, word: &str) -> bool {
        self.interjections.contains(word)
    }

    /// Is `word` (lower case) a second-person pronoun ("you", "your")?
    pub fn is_second_person(&self, word: &str) -> bool {
        self.second_person.contains(word)
    }

    /// Does `word` (lower case) open an interview's turn before a colon: `Some(true)` for
    /// the interviewee's ("A:"), `Some(false)` for the interviewer's ("Q:")?
    pub fn interview_turn(&self, word: &str) -> Option<bool> {
        self.interview_turns.get(word).copied()
    }

    /// Is `word` (lower case) cut by an apostrophe before it ("n" of "rock 'n' roll", "em")?
    pub fn is_elision(&self, word: &str) -> bool {
        self.elisions.contains(word)
    }

    /// Are `words` (lower case, without the comma) a letter's closing ("yours truly")?
    pub fn is_letter_closing(&self, words: &str) -> bool {
        self.letter_closings.contains(words)
    }

    /// Is `word` (lower case) an honorific, with or without its dot ("mr", "sen.")?
    pub fn is_honorific(&self, word: &str) -> bool {
        self.honorifics.contains(word.trim_end_matches('.'))
    }

    /// Do honorifics `a` and `b` (lower case, with or without the dot) name different
    /// people though of one gender ("mrs", "miss")?
    pub fn honorifics_exclude(&self, a: &str, b: &str) -> bool {
        let (a, b) = (a.trim_end_matches('.'), b.trim_end_matches('.'));
        a != b
            && self
                .exclusive_honorifics
                .iter()
                .any(|set| set.contains(&a) && set.contains(&b))
    }

    /// Is `word` (lower case, without its final dot) an abbreviation ("corp", "u.s")?
    pub fn is_abbreviation(&self, word: &str) -> bool {
        self.abbreviations.contains(word)
    }

    /// Is `word` (lower case, without its final dot) an abbreviation that ends a name
    /// with its dot though it may end a sentence too ("fla", "bros")? (Those of
    /// [`Lexicon::is_abbreviation`] keep their dot as well.)
    pub fn is_name_abbreviation(&self, word: &str) -> bool {
        self.name_abbreviations.contains(word)
    }

    /// Is `word` (lower case) a word of a time adjunct ("friday", "last", "week")?
    pub fn is_time_word(&self, word: &str) -> bool {
        self.time_words.contains(word)
    }

    /// May `word` (lower case) stand between a subject and its verb ("also", "has")?
    pub fn is_subject_verb_filler(&self, word: &str) -> bool {
        self.subject_verb_fillers.contains(word)
    }

    /// Does `word` (lower case) name an organisation ("company", "white house")?
    pub fn is_organisation_noun(&self, word: &str) -> bool {
        self.organisation_nouns.contains(word)
    }

    /// Does "the `word`" (lower case) refer back to any named organisation ("the company")?
    pub fn is_generic_organisation_noun(&self, word: &str) -> bool {
        self.generic_organisation_nouns.contains(word)
    }

    /// The speech noun `word` (lower case) is, if it is one ("claim", "warning").
    pub fn speech_noun(&self, word: &str) -> Option<&'static str> {
        self.speech_nouns.get(word).copied()
    }

    /// Is the honorific or role word `word` (lower case) male (`Some(true)`), female, or neither?
    pub fn gendered_word_is_male(&self, word: &str) -> Option<bool> {
        self.gendered_words.get(word).copied()
    }

    /// Does the plural `word` (lower case) name a group of people ("aides", "supporters")?
    pub fn is_group_noun(&self, word: &str) -> bool {
        let singular = word.strip_suffix('s').filter(|_| !word.ends_with("ss"));
        self.group_nouns.contains(word) || singular.is_some_and(|s| self.is_role(s))
    }

    /// Can a nominal headed by `head` refer back to a person titled or described by
    /// `word` ("the senator" to "Sen. Ted Cruz")? Both lower case, without dots.
    pub fn role_refers_to(&self, head: &str, word: &str) -> bool {
        head == word || self.role_references.get(head).is_some_and(|words| words.contains(word))
    }

    /// Is `word` (lower case) a singular that names a group of people ("police", "staff")?
    pub fn is_collective_noun(&self, word: &str) -> bool {
        self.collective_nouns.contains(word)
    }

    /// Is `word` (lower case) a document someone wrote or issued ("report", "statement")?
    pub fn is_document_noun(&self, word: &str) -> bool {
        self.document_nouns.contains(word)
    }

    /// Is `word` (lower case) a verb form whose subject is the author of the document
    /// after it ("released a report")?
    pub fn is_issuing_verb(&self, word: &str) -> bool {
        self.issuing_verbs.contains(word)
    }

    /// Is `word` (lower case) a quantifier that stands for a group of people ("Some said")?
    pub fn is_partitive_pronoun(&self, word: &str) -> bool {
        self.partitive_pronouns.contains(word)
    }

    /// Does `word` (lower case) name a person without naming a role ("friend", "someone")?
    pub fn is_person_noun(&self, word: &str) -> bool {
        self.person_nouns.contains(word)
    }

    /// Does `word` (lower case) open the question after a passive "asked" ("whether")?
    pub fn opens_question(&self, word: &str) -> bool {
        self.question_openers.contains(word)
    }

    /// Does `word` (lower case) have this use as a subordinator (`clause`,
    /// `after-object`, `before-verb`: see `data/subordinators.tsv`)?
    pub fn is_subordinator(&self, word: &str, used_as: &str) -> bool {
        self.subordinators.get(word).is_some_and(|uses| uses.contains(&used_as))
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
    LEXICON.role_modifiers.contains(word)
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

    /// Forms of `data/reporting_verbs.tsv` that the spelling rules below cannot derive.
    static IRREGULAR_TXT: &str = include_str!("../data/irregular_verb_forms.txt");

    fn is_vowel(c: u8) -> bool {
        matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
    }

    /// Vowel groups of `word` ("u" after "q" is not a vowel, a final "e" after a consonant is
    /// silent, "y" after a consonant is a vowel): a count of syllables good enough to tell
    /// "brag" from "murmur".
    fn syllables(word: &str) -> usize {
        let w = word.as_bytes();
        let vowel_at = |i: usize| {
            let c = w[i];
            if c == b'u' && i > 0 && w[i - 1] == b'q' {
                return false;
            }
            is_vowel(c) || (c == b'y' && i > 0 && !is_vowel(w[i - 1]))
        };
        let mut n = 0;
        for i in 0..w.len() {
            let silent_e = i == w.len() - 1 && w[i] == b'e' && i > 0 && !vowel_at(i - 1) && n > 0;
            if vowel_at(i) && !silent_e && (i == 0 || !vowel_at(i - 1)) {
                n += 1;
            }
        }
        n
    }

    /// Does `word` end in consonant-vowel-consonant, the final consonant not w, x or y
    /// ("brag", "quip", "signal"; not "plead", "chant", "vow")?
    fn ends_cvc(word: &str) -> bool {
        let w = word.as_bytes();
        let n = w.len();
        if n < 2 {
            return false;
        }
        let (v, c) = (w[n - 2], w[n - 1]);
        if is_vowel(c) || matches!(c, b'w' | b'x' | b'y') || !is_vowel(v) {
            return false;
        }
        // "qu" is a consonant: "quip" is CVC
        n == 2 || !is_vowel(w[n - 3]) || (w[n - 3] == b'u' && n >= 4 && w[n - 4] == b'q')
    }

    /// The regular inflections of a one-word verb: -s, -ed and -ing forms, with every spelling
    /// English allows.
    fn regular_forms(lemma: &str) -> Vec<String> {
        let w = lemma.as_bytes();
        let last = w[w.len() - 1];
        let before_last = if w.len() >= 2 { w[w.len() - 2] } else { b' ' };
        let mut out = Vec::new();
        // third person singular
        if ["s", "x", "z", "ch", "sh"].iter().any(|e| lemma.ends_with(e)) {
            out.push(format!("{lemma}es"));
        } else if last == b'y' && !is_vowel(before_last) {
            out.push(format!("{}ies", &lemma[..lemma.len() - 1]));
        } else if last == b'o' && !is_vowel(before_last) {
            out.push(format!("{lemma}es")); // "echoes", "goes"
        } else {
            out.push(format!("{lemma}s"));
        }
        // past and participle, present participle
        if last == b'e' {
            out.push(format!("{lemma}d"));
            let stem = &lemma[..lemma.len() - 1];
            if matches!(before_last, b'e' | b'o' | b'y') {
                out.push(format!("{lemma}ing")); // "agreeing", "hoeing", "dyeing"
            } else if before_last == b'i' {
                out.push(format!("{}ying", &lemma[..lemma.len() - 2])); // "lying"
            } else {
                out.push(format!("{stem}ing"));
            }
        } else if last == b'y' && !is_vowel(before_last) {
            out.push(format!("{}ied", &lemma[..lemma.len() - 1]));
            out.push(format!("{lemma}ing"));
        } else if ends_cvc(lemma) && syllables(lemma) == 1 {
            // "brag" -> "bragged": a stressed final CVC doubles its consonant
            let c = last as char;
            out.push(format!("{lemma}{c}ed"));
            out.push(format!("{lemma}{c}ing"));
        } else {
            out.push(format!("{lemma}ed"));
            out.push(format!("{lemma}ing"));
            // "cancel": British English doubles a final l after one vowel, stressed or not
            if last == b'l' && ends_cvc(lemma) {
                out.push(format!("{lemma}led"));
                out.push(format!("{lemma}ling"));
            }
        }
        out
    }

    #[test]
    fn regular_forms_follow_english_spelling() {
        let has = |lemma: &str, form: &str| regular_forms(lemma).iter().any(|f| f == form);
        for (lemma, form) in [
            ("say", "says"),
            ("stress", "stresses"),
            ("preach", "preaches"),
            ("deny", "denies"),
            ("deny", "denied"),
            ("deny", "denying"),
            ("relay", "relayed"),
            ("echo", "echoes"),
            ("note", "noted"),
            ("note", "noting"),
            ("agree", "agreeing"),
            ("guarantee", "guaranteeing"),
            ("brag", "bragged"),
            ("brag", "bragging"),
            ("quip", "quipped"),
            ("put", "putting"),
            ("murmur", "murmured"),
            ("posit", "posited"),
            ("cancel", "canceled"),
            ("cancel", "cancelled"),
            ("cancel", "cancelling"),
            ("plead", "pleaded"),
            ("vow", "vowed"),
            ("tell", "telling"),
        ] {
            assert!(has(lemma, form), "{lemma} -> {form}");
        }
        for (lemma, form) in [
            ("agree", "agreing"),
            ("guarantee", "guaranteing"),
            ("brag", "braged"),
            ("brag", "braging"),
            ("echo", "echos"),
            ("note", "noteing"),
            ("deny", "denyed"),
            ("plead", "pleadded"),
            ("murmur", "murmurred"),
            ("vow", "vowwed"),
            ("tell", "tellled"),
        ] {
            assert!(!has(lemma, form), "{lemma} -/-> {form}");
        }
    }

    /// Every listed form of `data/reporting_verbs.tsv` is a regular inflection of its lemma or
    /// one of the forms of `data/irregular_verb_forms.txt`: catches misspellings ("agreing").
    #[test]
    fn listed_forms_are_regular_inflections() {
        let mut irregular: HashMap<&str, Vec<&str>> = HashMap::new();
        for line in IRREGULAR_TXT
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut words = line.split_whitespace();
            let lemma = words.next().unwrap();
            irregular.entry(lemma).or_default().extend(words);
        }
        let mut used: HashSet<(&str, &str)> = HashSet::new();
        let mut bad = Vec::new();
        for line in entries(VERBS_TSV) {
            let mut columns = line.split('\t');
            let (Some(lemma), Some(forms)) = (columns.next(), columns.next()) else {
                panic!("line without forms: {line:?}");
            };
            let (verb, rest) = lemma.split_once(' ').map_or((lemma, ""), |(v, r)| (v, r));
            let mut regular = regular_forms(verb);
            // a verb whose doubled past is listed as irregular is stressed on its last
            // syllable ("admit" -> "admitted"): its undoubled forms are misspellings
            let last = verb.chars().last().unwrap();
            if irregular
                .get(verb)
                .is_some_and(|f| f.contains(&format!("{verb}{last}ed").as_str()))
            {
                regular.retain(|r| *r != format!("{verb}ed") && *r != format!("{verb}ing"));
            }
            for form in forms.split('|') {
                let (first, form_rest) = form.split_once(' ').map_or((form, ""), |(v, r)| (v, r));
                let irregular_ok = irregular.get(verb).is_some_and(|f| f.contains(&first));
                if irregular_ok {
                    used.insert((verb, first));
                }
                if form_rest != rest || !(regular.iter().any(|r| r == first) || irregular_ok) {
                    bad.push(format!("{lemma}: {form}"));
                }
            }
        }
        assert!(
            bad.is_empty(),
            "forms that are no regular inflection of their lemma: {bad:?}"
        );
        for (lemma, forms) in &irregular {
            for form in forms {
                assert!(
                    used.contains(&(*lemma, *form)),
                    "{lemma} {form}: irregular form not in reporting_verbs.tsv"
                );
            }
        }
    }
}
