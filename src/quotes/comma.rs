//! The comma frame: `Y, X said` and `Y, said X` (the content before the comma), and a
//! parenthetical cue (`Y, X said, Z`: the content around it).

use super::clause::trim_range;
use super::quote::{confidence, Context, Frame, Source};
use super::subject::np_after;
use crate::lexicon::LEXICON;

impl Context<'_, '_> {
    /// "Y, X said" / "Y, said X": the content before the comma, or the whole sentence
    /// around a parenthetical cue.
    pub(super) fn comma_frame(
        &self,
        ci: usize,
        subject: Option<(usize, usize)>,
        inverted: bool,
        post_end: usize,
        source_of_subject: Source,
    ) -> Frame {
        let view = self.view;
        let cue = self.cues[ci];
        let (sent_first, _) = view.sentence_tokens(view.sentence_of(cue.first_token));
        // "Y, X said" / "Y, said X"
        let comma = match (inverted, subject) {
            (true, _) => cue.first_token - 1,
            (false, Some((s0, _))) => s0 - 1,
            (false, None) => return Frame::NoContent,
        };
        let start = self.content_start(sent_first, comma);
        let inverted_np = if inverted {
            np_after(view, self.speakers, cue.end_token, 10)
        } else {
            None
        };
        let source = match inverted_np {
            Some((s0, s1)) => Source::Tokens { first: s0, end: s1 },
            None if inverted => Source::Unknown,
            None => source_of_subject,
        };
        // "The museum, Mr. Bush said, celebrated …": the cue sits inside the content,
        // which is the whole sentence around it
        // ("The difference now, he told me on Friday, is that …": past a listener and a time)
        let mut frame_end = inverted_np.map_or(cue.end_token, |(_, s1)| s1);
        if inverted_np.is_none() && !inverted {
            let mut k = frame_end;
            if LEXICON.takes_listener(cue.lemma) {
                k = self.listener_end(k, post_end);
            }
            while k < post_end && (LEXICON.is_time_word(view.lower(k)) || matches!(view.lower(k), "on" | "in" | "at")) {
                k += 1;
            }
            if k > frame_end && k < post_end && view.word(k) == "," && !matches!(view.lower(k - 1), "on" | "in" | "at")
            {
                frame_end = k;
            }
        }
        // "Though that transition was seamless, he said, replacing Clinton would …": a
        // subordinate clause before the cue is part of the content after it
        let mut first_word = start;
        while first_word < comma && (view.is_punct(first_word) || matches!(view.lower(first_word), "but" | "and")) {
            first_word += 1;
        }
        // (a clause that opens on a cue is that cue's: "Asked whether …, Trudeau laughed")
        if self.cues.iter().any(|c| c.first_token == first_word) {
            return Frame::NoContent;
        }
        // (a clause up to its own comma: "After some challenges, …" is a phrase)
        let own_comma = (first_word..comma).find(|&t| view.word(t) == ",").unwrap_or(comma);
        let subordinate = first_word < comma
            && self.has_clause(first_word + 1, own_comma)
            && LEXICON.is_subordinator(view.lower(first_word), "clause");
        let continues = frame_end < post_end && view.word(frame_end) == "," && self.has_clause(frame_end + 1, post_end);
        // (also after a clause: "He has come up with a model, he said, for how …", "That's why,
        // he argued, the party …"; but "…, said Brian Baker, a longtime adviser who …" goes on
        // with the speaker's appositive)
        let parenthetical = continues
            && (!self.has_clause(start, comma) || subordinate || !inverted)
            && (start..comma).any(|t| !view.is_punct(t));
        if parenthetical {
            return match trim_range(view, start, post_end) {
                Some((a, b)) => Frame::Quote(self.quote(a, b, ci, source, confidence::PARENTHETICAL)),
                None => Frame::NoContent,
            };
        }
        if subordinate {
            // "But when Congress cut funding …, Mexico said": not what was said
            return Frame::NoContent;
        }
        // ("Six million jobs also depend on exports, one slide says.": when the cue ends the
        // sentence, words enough before it are the content even if the tagger missed the verb)
        let mut rest = frame_end;
        while rest < post_end && (LEXICON.is_time_word(view.lower(rest)) || view.is_punct(rest)) {
            rest += 1;
        }
        // (after an inverted cue only a known speaker: "…, declared bankruptcy." is an object)
        let ends_sentence = rest >= post_end && (!inverted || self.speakers.mention_at(cue.end_token).is_some());
        let before = trim_range(view, start, comma).filter(|&(a, b)| {
            let words = (a..b).filter(|&t| !view.is_punct(t)).count();
            b - a >= 3 && (self.has_clause(a, b) || (ends_sentence && words >= 5))
        });
        match before {
            Some((a, b)) => Frame::Quote(self.quote(a, b, ci, source, confidence::VERB_CONTENT)),
            None => Frame::NotThis,
        }
    }
}
