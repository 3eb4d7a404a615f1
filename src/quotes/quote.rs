//! The quote layer's types, and the context every quote rule reads.

use serde::Serialize;

use crate::cues::Cue;
use crate::document::DocView;
use crate::span::Span;
use crate::speakers::SpeakerLayer;

/// How a quote is given.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Inside quotation marks.
    Direct,
    /// Reported speech, no quotation marks.
    Indirect,
    /// Reported speech that contains a quoted part.
    Mixed,
}

/// Where the quote's source is to be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Among tokens `first..end` (the subject of the cue, or the NP after it).
    Tokens {
        /// First token.
        first: usize,
        /// One past the last token.
        end: usize,
    },
    /// Same speaker as the quote introduced by this cue (index into the cue layer).
    SameAsCue(usize),
    /// Same speaker as the previous quote (a floating quote).
    Previous,
    /// A cueless quote that opens its paragraph after no quote of its own paragraph: the
    /// turns of the text decide (the attribution stage: a two-person exchange alternates,
    /// a quote paragraph continues the previous one's speaker or takes the person the
    /// paragraph before it introduced).
    Turn,
    /// An interview's turn after "A:" (`answer`, the interviewee's) or "Q:" (the
    /// interviewer's): the attribution stage takes the person the interview is with.
    Interview {
        /// True for the interviewee's answer.
        answer: bool,
    },
    /// Someone the text leaves unnamed: a question put to the subject (`Asked whether …,
    /// Trudeau laughed`, `was asked whether …`); no other stage names a source for it.
    Unnamed,
    /// Unknown.
    Unknown,
}

/// One quote.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quote {
    /// What was said (inside the marks for a direct quote).
    pub content: Span,
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// Index of its cue in the cue layer.
    pub cue: Option<usize>,
    /// The cue's words when only the attribution tagger marks them (`cue` is then `None`).
    pub learned_cue: Option<Span>,
    /// Where to look for the source.
    pub source: Source,
    /// How sure the pattern is, in [0, 1].
    pub confidence: f32,
}

/// How sure each pattern is that it found a quote, in [0, 1]: the quote's confidence
/// before its speaker's (the attribution stage multiplies the two). Set by hand from how
/// often each pattern was right when PolNeAR dev misses were read; they order patterns,
/// they are not calibrated probabilities.
pub(super) mod confidence {
    /// `"…," she said`: quotation marks with a cue.
    pub(crate) const DIRECT_CUED: f32 = 0.95;
    /// A partial quote with the words that lead into it or trail after it, with a cue
    /// (`Not paying taxes “makes me smart,” Trump said`).
    pub(crate) const MIXED_CUED: f32 = 0.85;
    /// Quotation marks signed by the speaker without a verb (`“…” — Jane Doe, CEO`).
    pub(crate) const DIRECT_SIGNED: f32 = 0.85;
    /// Quotation marks without a cue: kept, but barely sure.
    pub(crate) const DIRECT_CUELESS: f32 = 0.3;
    /// A cueless quote right after another quote, taking its speaker.
    pub(crate) const FLOATING: f32 = 0.7;
    /// An unclosed quotation mark scales its quote's confidence.
    pub(crate) const UNCLOSED_FACTOR: f32 = 0.7;
    /// `X said (that) Y`, `Y, X said`: the verb frame's content.
    pub(crate) const VERB_CONTENT: f32 = 0.85;
    /// `Y, X said, Z` / `…, said X, a longtime adviser`: the content around a parenthetical cue.
    pub(crate) const PARENTHETICAL: f32 = 0.8;
    /// `Hawaii, as one of Mr. Obama's advisers pointed out, normally …`: the sentence around an "as" clause.
    pub(crate) const AS_CLAUSE: f32 = 0.75;
    /// `It does not show whether …, as police have said.`: the clause before a closing "as" clause.
    pub(crate) const BEFORE_AS_CLAUSE: f32 = 0.7;
    /// `He vowed to form a task force`, `X is questioning the integrity of …`, `was asked
    /// whether …`: an infinitive, a noun phrase or a question as the content.
    pub(crate) const OBJECT_CONTENT: f32 = 0.6;
    /// `…, adding that Z`: a participle's content, its speaker the main clause's.
    pub(crate) const PARTICIPLE: f32 = 0.8;
    /// `Noting that Y, X said Z` and participles with their own subject or agent.
    pub(crate) const PARTICIPLE_OWN_SUBJECT: f32 = 0.7;
    /// `the statement said …`, `a White House statement that …`: a speech noun's content.
    pub(crate) const NOUN: f32 = 0.6;
    /// `Y, according to X`, `According to X, Y`.
    pub(crate) const ACCORDING: f32 = 0.8;
    /// `X: Y`, a transcript's turn.
    pub(crate) const COLON: f32 = 0.7;
}

/// What one frame of a cue found.
pub(super) enum Frame {
    /// The content.
    Quote(Quote),
    /// The cue reports nothing: try no other frame.
    NoContent,
    /// Not this frame: try the next one.
    NotThis,
}

/// The layers every quote rule reads: the document view, the speakers, the cues. The
/// rules are methods on it, one file per kind of frame (see the module's map).
pub(super) struct Context<'v, 'a> {
    pub(super) view: &'v DocView<'a>,
    pub(super) speakers: &'v SpeakerLayer,
    pub(super) cues: &'v [Cue],
}

impl Context<'_, '_> {
    pub(super) fn quote(&self, a: usize, b: usize, cue: usize, source: Source, confidence: f32) -> Quote {
        Quote {
            content: self.view.tokens_span(a, b),
            kind: QuoteKind::Indirect,
            cue: Some(cue),
            learned_cue: None,
            source,
            confidence,
        }
    }
}
