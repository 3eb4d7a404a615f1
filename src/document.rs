//! A read-only view over the early layers (text, tokens, POS tags, entities,
//! quotation marks) with the look-ups the rule stages share.
//!
//! Every accessor is total: the rule stages read neighbours (`i + 1`, `i - 2`,
//! the token after a cue), and a text may end anywhere ("He said" ends on the
//! cue). Past the last token the view reads an empty token: no word, no tag,
//! no entity, an empty span at the text's end, in a sentence and paragraph of
//! its own after the last ones. So a frame that looks one token too far sees
//! the end of the document, never a panic.

use crate::marks::MarkedSpan;
use crate::ner::{EntityLabel, NerLayer};
use crate::pos::Pos;
use crate::segment::Segmentation;
use crate::span::Span;
use crate::typography;

/// Text + segmentation + NER, indexed by token.
pub struct DocView<'a> {
    /// The text.
    pub text: &'a str,
    /// Paragraphs, sentences, tokens.
    pub seg: &'a Segmentation,
    /// Entities and tags.
    pub ner: &'a NerLayer,
    pos: Vec<Pos>,
    lower: Vec<String>,
    /// Entity index of each token, if the token lies in an entity.
    entity_of: Vec<Option<usize>>,
    /// Tokens that are a single quotation mark of a marked span (not an apostrophe).
    single_mark: Vec<bool>,
}

impl<'a> DocView<'a> {
    /// Index the layers.
    pub fn new(
        text: &'a str,
        seg: &'a Segmentation,
        ner: &'a NerLayer,
        pos_labels: &'a [String],
        marked: &[MarkedSpan],
    ) -> Self {
        let lower = seg.tokens.iter().map(|t| t.span.text(text).to_lowercase()).collect();
        // tags parsed once, so the rules compare values
        let pos = ner
            .pos
            .iter()
            .map(|&p| pos_labels.get(p as usize).map_or(Pos::None, |l| Pos::from_label(l)))
            .collect();
        let mut entity_of = vec![None; seg.tokens.len()];
        let mut e = 0;
        for (i, t) in seg.tokens.iter().enumerate() {
            while e < ner.entities.len() && ner.entities[e].span.end <= t.span.start {
                e += 1;
            }
            if e < ner.entities.len() && ner.entities[e].span.overlaps(t.span) {
                entity_of[i] = Some(e);
            }
        }
        // (`‘We will rebuild,’ the mayor said`: the `’` closes a quote, as `”` would)
        let mut single_mark = vec![false; seg.tokens.len()];
        let token_at = |b: usize| seg.tokens.partition_point(|t| t.span.start < b);
        for m in marked.iter().filter(|m| m.single) {
            let open = token_at(m.outer.start);
            let close = seg.tokens.partition_point(|t| t.span.end < m.outer.end);
            for t in [open, close] {
                if let Some(flag) = single_mark.get_mut(t) {
                    *flag = true;
                }
            }
        }
        DocView {
            text,
            seg,
            ner,
            pos,
            lower,
            entity_of,
            single_mark,
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.seg.tokens.len()
    }

    /// Token `i`'s text ("" past the last token).
    pub fn word(&self, i: usize) -> &'a str {
        self.seg.tokens.get(i).map_or("", |t| t.span.text(self.text))
    }

    /// Token `i`, lower-cased ("" past the last token).
    pub fn lower(&self, i: usize) -> &str {
        self.lower.get(i).map_or("", String::as_str)
    }

    /// Token `i`'s span (an empty span at the text's end past the last token).
    pub fn span(&self, i: usize) -> Span {
        self.seg
            .tokens
            .get(i)
            .map_or(Span::new(self.text.len(), self.text.len()), |t| t.span)
    }

    /// Span from token `a` to token `b - 1`; empty (at token `a`) when `b <= a`, and
    /// cut at the text's end when the tokens run past it.
    pub fn tokens_span(&self, a: usize, b: usize) -> Span {
        let start = self.span(a).start;
        if b <= a {
            return Span::new(start, start);
        }
        let end = self.span(b.min(self.len()).saturating_sub(1)).end.max(start);
        Span::new(start, end)
    }

    /// Penn Treebank POS tag of token `i` (`Pos::None` if the model gave none).
    pub fn pos(&self, i: usize) -> Pos {
        self.pos.get(i).copied().unwrap_or_default()
    }

    /// Is token `i` tagged as a verb?
    pub fn is_verb(&self, i: usize) -> bool {
        self.pos(i).is_verb() || self.pos(i) == Pos::MD
    }

    /// Do tokens `i`, `i + 1` spell a possessive "'s" ("Party’s" is "Party", "’", "s")?
    pub fn is_possessive_at(&self, i: usize) -> bool {
        matches!(self.word(i), "'" | "’") && self.lower(i + 1) == "s"
    }

    /// Is token `i` a finite verb or modal (heads a clause)?
    pub fn is_finite_verb(&self, i: usize) -> bool {
        matches!(self.pos(i), Pos::VBZ | Pos::VBD | Pos::VBP | Pos::MD)
    }

    /// Sentence index of token `i` (past the last token: one past the last sentence).
    pub fn sentence_of(&self, i: usize) -> usize {
        self.seg.tokens.get(i).map_or(self.seg.sentences.len(), |t| t.sentence)
    }

    /// Token range of sentence `s` (empty, at the end, past the last sentence).
    pub fn sentence_tokens(&self, s: usize) -> (usize, usize) {
        self.seg
            .sentences
            .get(s)
            .map_or((self.len(), self.len()), |sent| (sent.first_token, sent.end_token))
    }

    /// Paragraph of token `i` (past the last token: one past the last paragraph).
    pub fn paragraph_of(&self, i: usize) -> usize {
        self.seg
            .sentences
            .get(self.sentence_of(i))
            .map_or(self.seg.paragraphs.len(), |s| s.paragraph)
    }

    /// Token range of paragraph `p` (empty, at the end, past the last paragraph).
    pub fn paragraph_tokens(&self, p: usize) -> (usize, usize) {
        // (sentences are in order and never cross a paragraph)
        let sentences = &self.seg.sentences;
        let a = sentences.partition_point(|s| s.paragraph < p);
        let b = sentences.partition_point(|s| s.paragraph <= p);
        match (sentences.get(a), b.checked_sub(1).and_then(|l| sentences.get(l))) {
            (Some(first), Some(last)) if a < b => (first.first_token, last.end_token),
            _ => (self.len(), self.len()),
        }
    }

    /// Is token `i` the first of its paragraph?
    pub fn opens_paragraph(&self, i: usize) -> bool {
        i < self.len() && self.paragraph_tokens(self.paragraph_of(i)).0 == i
    }

    /// Entity index covering token `i`.
    pub fn entity_at(&self, i: usize) -> Option<usize> {
        self.entity_of.get(i).copied().flatten()
    }

    /// Label of the entity covering token `i`.
    pub fn label_at(&self, i: usize) -> Option<EntityLabel> {
        self.entity_at(i)
            .and_then(|e| self.ner.entities.get(e))
            .map(|e| e.label)
    }

    /// First token whose span starts at or after byte `b`.
    pub fn token_from(&self, b: usize) -> usize {
        self.seg.tokens.partition_point(|t| t.span.start < b)
    }

    /// One past the last token that ends at or before byte `b`.
    pub fn token_until(&self, b: usize) -> usize {
        self.seg.tokens.partition_point(|t| t.span.end <= b)
    }

    /// Is token `i` a punctuation mark? (Not past the last token: the end is no mark.)
    pub fn is_punct(&self, i: usize) -> bool {
        i < self.len() && self.word(i).chars().all(|c| !c.is_alphanumeric())
    }

    /// Does token `i` start with a capital letter?
    pub fn is_capitalized(&self, i: usize) -> bool {
        self.word(i).chars().next().is_some_and(char::is_uppercase)
    }

    /// Is token `i` a quotation mark: a double one, or a single one that the marks
    /// stage paired (an apostrophe is none)?
    pub fn is_quote_mark(&self, i: usize) -> bool {
        typography::is_quote_mark(self.word(i)) || self.single_mark.get(i).copied().unwrap_or(false)
    }

    /// Can token `i` be part of a noun phrase (a noun, adjective, determiner, number,
    /// pronoun, "of"/"for"/"at", a possessive, or a word inside an entity)?
    pub fn is_np_token(&self, i: usize) -> bool {
        matches!(
            self.pos(i),
            Pos::NN
                | Pos::NNS
                | Pos::NNP
                | Pos::NNPS
                | Pos::JJ
                | Pos::JJR
                | Pos::JJS
                | Pos::DT
                | Pos::PRPS
                | Pos::CD
                | Pos::POS
                | Pos::PRP
        ) || matches!(self.lower(i), "'" | "s" | "-" | "of" | "for" | "at")
            || self.label_at(i).is_some()
    }

    /// Does token `i` end a clause: a comma, stop, semicolon, colon, dash or quotation mark?
    pub fn is_clause_mark(&self, i: usize) -> bool {
        // (a stop inside a name or after an abbreviation is none: "Rep. G.K. Butterfield",
        // "Ms. Epstein", "Jan. 31"; the segmenter has already ended the sentences)
        let (_, sent_end) = self.sentence_tokens(self.sentence_of(i));
        let in_name =
            self.word(i) == "." && (self.entity_at(i).is_some() || (i + 2 < sent_end && !self.is_quote_mark(i + 1)));
        (matches!(self.word(i), "," | "." | ";" | ":" | "!" | "?" | "—" | "–") && !in_name) || self.is_quote_mark(i)
    }

    /// Does token `i` end a full sentence: a stop, or a closing mark after one
    /// (headlines and datelines end without)?
    pub fn is_sentence_final(&self, i: usize) -> bool {
        matches!(self.word(i), "." | "!" | "?" | "”" | "\"" | "’" | "'")
    }
}
