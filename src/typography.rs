//! What a character is to the stages: quotation marks (which open, which close, which
//! may do either) and the marks that may follow a sentence's stop. The one place that
//! knows quotation-mark characters; segmentation, marks, speakers, cues and quotes ask
//! here.

/// A curly or guillemet mark that opens a quote: “ „ «.
pub(crate) fn opens_quote(c: char) -> bool {
    matches!(c, '“' | '„' | '«')
}

/// A curly or guillemet mark that closes a quote: ” ».
pub(crate) fn closes_quote(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// A curly or guillemet single mark that opens a quote: ‘ ‚ ‹ (the straight `'` may
/// do either, and is more often an apostrophe: see `marks`).
pub(crate) fn opens_single_quote(c: char) -> bool {
    matches!(c, '‘' | '‚' | '‹')
}

/// A curly or guillemet single mark that closes a quote (or is an apostrophe): ’ ›.
pub(crate) fn closes_single_quote(c: char) -> bool {
    matches!(c, '’' | '›')
}

/// Is this token a double quotation mark (straight, curly, low or guillemet)?
pub(crate) fn is_quote_mark(token: &str) -> bool {
    matches!(token, "\"" | "“" | "”" | "„" | "«" | "»")
}

/// Is this token a mark that may close a quote right before a cue: `”`, `"`, `’`, `'`
/// (`… policy,’ he said`)?
pub(crate) fn is_closing_mark_token(token: &str) -> bool {
    matches!(token, "”" | "\"" | "’" | "'")
}

/// A mark that may stand after a sentence's stop and still end the sentence: `."`, `.)`.
pub(crate) fn closes_after_stop(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '›')
}

/// A mark that may open the next sentence after a stop: `. "`, `. (`.
pub(crate) fn opens_after_stop(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '„' | '‚' | '(' | '[' | '«' | '‹')
}
