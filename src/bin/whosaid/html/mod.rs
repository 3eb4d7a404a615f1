//! `--format html`: one self-contained page (inline CSS and script, no network).
//!
//! Each document gets a table of its speakers and its text, paragraphs kept, with
//! each quote highlighted in its speaker's colour, its cue underlined and the
//! mentions of quoted speakers marked. Documents are written as they arrive; the
//! list to jump between them is written at the end (the stylesheet places it).
//!
//! Attributes for machines: `<article class="doc" data-doc="N" data-source=…>`,
//! `<mark class="quote" data-quote="N" data-speaker="ID|none" data-speaker-name=…>`
//! (a quote cut by other spans comes out as several marks with the same
//! `data-quote`), `<span class="cue" data-cue-of="N M">`, `<span class="mention"
//! data-speaker="ID" data-mention-of="N">`, and `<tr data-speaker="ID">` rows.

mod markup;

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;
use whosaid::json::{DocumentJson, QuoteJson};

use crate::output::Analysed;
use markup::{escape, escape_attr, Element};

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");
/// Speaker colours: `sp-0` … in the stylesheet, by speaker id.
const PALETTE: usize = 12;

const PARAGRAPH: u8 = 0;
const QUOTE: u8 = 1;
const CUE: u8 = 2;
const MENTION: u8 = 3;

/// A page being written: a header, one article per document, the list of documents.
pub struct HtmlPage<W: Write> {
    out: W,
    /// Each document's title and number of quotes, for the list at the end.
    documents: Vec<(String, usize)>,
}

impl<W: Write> HtmlPage<W> {
    pub fn new(out: W) -> Self {
        HtmlPage {
            out,
            documents: Vec::new(),
        }
    }

    pub fn begin(&mut self) -> io::Result<()> {
        write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"whosaid {}\">\n\
             <title>whosaid: who said what</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
             <header class=\"page-head\"><h1><span class=\"logo\">whosaid</span> who said what</h1>\n\
             <p class=\"legend\"><mark class=\"quote sp-0\">quote</mark> in its speaker's colour · \
             <span class=\"cue sp-0\">cue</span> · <span class=\"mention sp-0 attributed\">speaker</span> \
             at the quote · <span class=\"mention sp-0\">other mentions</span> · \
             <mark class=\"quote sp-none\">speaker unknown</mark> · hover, tap or tab to a quote for details</p>\n\
             </header>\n<main id=\"documents\">\n",
            env!("CARGO_PKG_VERSION")
        )
    }

    pub fn document(&mut self, a: &Analysed) -> io::Result<()> {
        let n = self.documents.len();
        let doc = a.doc;
        let title = match a.id {
            Some(Value::String(id)) => id.clone(),
            Some(id) => id.to_string(),
            None => a.source.to_string(),
        };
        self.documents.push((title.clone(), doc.quotes.len()));
        let quoted = doc
            .quotes
            .iter()
            .filter_map(|q| q.speaker)
            .collect::<std::collections::BTreeSet<_>>();
        write!(
            self.out,
            "<article class=\"doc\" id=\"doc-{}\" data-doc=\"{n}\" data-source=\"{}\" aria-labelledby=\"doc-{}-title\">\n\
             <header class=\"doc-head\"><h2 id=\"doc-{}-title\">{}</h2>\n<p class=\"meta\">{}{} · {} · {} characters</p></header>\n",
            n + 1,
            escape_attr(a.source),
            n + 1,
            n + 1,
            escape(&title),
            if a.id.is_some() { format!("{} · ", escape(a.source)) } else { String::new() },
            count(doc.quotes.len(), "quote"),
            count(quoted.len(), "quoted speaker"),
            a.text.chars().count()
        )?;
        write_speakers(&mut self.out, doc)?;
        writeln!(
            self.out,
            "<div class=\"doc-text\">{}</div>\n</article>",
            markup::render(a.text, &elements(a.text, doc))
        )
    }

    pub fn end(&mut self) -> io::Result<()> {
        writeln!(self.out, "</main>")?;
        if self.documents.is_empty() {
            writeln!(self.out, "<p class=\"empty\">No documents.</p>")?;
        }
        if self.documents.len() > 1 {
            let quotes: usize = self.documents.iter().map(|d| d.1).sum();
            writeln!(
                self.out,
                "<nav id=\"jump\" aria-label=\"Documents\"><details open><summary>{} · {}</summary>\n<ol>",
                count(self.documents.len(), "document"),
                count(quotes, "quote")
            )?;
            for (i, (title, quotes)) in self.documents.iter().enumerate() {
                writeln!(
                    self.out,
                    "<li><a href=\"#doc-{}\">{}</a> <span class=\"count\">{}</span></li>",
                    i + 1,
                    escape(title),
                    count(*quotes, "quote")
                )?;
            }
            writeln!(self.out, "</ol></details></nav>")?;
        }
        writeln!(
            self.out,
            "<div id=\"tip\" role=\"tooltip\" hidden></div>\n<script>\n{SCRIPT}</script>\n</body>\n</html>"
        )?;
        self.out.flush()
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The speakers table: quoted speakers by number of quotes, an unknown speaker's
/// quotes, then the speakers who are only mentioned, dimmed on one line.
fn write_speakers(out: &mut impl Write, doc: &DocumentJson) -> io::Result<()> {
    let mut quotes: BTreeMap<Option<usize>, usize> = BTreeMap::new();
    for q in &doc.quotes {
        *quotes.entry(q.speaker).or_default() += 1;
    }
    let mut quoted: Vec<(Option<usize>, usize)> = quotes.into_iter().collect();
    // most quoted first; the unknown speaker last; ids in order among equals
    quoted.sort_by_key(|&(s, n)| (s.is_none(), std::cmp::Reverse(n), s));
    writeln!(
        out,
        "<table class=\"speakers\">\n<thead><tr><th scope=\"col\">Speaker</th><th scope=\"col\">Role</th>\
         <th scope=\"col\" class=\"kind\">Kind</th><th scope=\"col\" class=\"num\">Quotes</th></tr></thead>\n<tbody>"
    )?;
    if quoted.is_empty() {
        writeln!(out, "<tr class=\"none\"><td colspan=\"4\">No quotes found.</td></tr>")?;
    }
    for (speaker, n) in &quoted {
        match speaker.and_then(|s| doc.speakers.get(s)) {
            Some(s) => writeln!(
                out,
                "<tr class=\"{}\" data-speaker=\"{}\"><th scope=\"row\"><span class=\"swatch\"></span>{}</th>\
                 <td>{}</td><td class=\"kind\">{}</td><td class=\"num\">{n}</td></tr>",
                colour(Some(s.id)),
                s.id,
                escape(&s.name),
                s.role.as_deref().map(escape).unwrap_or_default(),
                label(&s.kind)
            )?,
            None => writeln!(
                out,
                "<tr class=\"sp-none\" data-speaker=\"none\"><th scope=\"row\"><span class=\"swatch\"></span>\
                 <i>unknown</i></th><td></td><td class=\"kind\"></td><td class=\"num\">{n}</td></tr>"
            )?,
        }
    }
    writeln!(out, "</tbody>")?;
    let others: Vec<String> = doc
        .speakers
        .iter()
        .filter(|s| !quoted.iter().any(|&(q, _)| q == Some(s.id)))
        .map(|s| {
            format!(
                "<span class=\"other\" data-speaker=\"{}\">{}</span>",
                s.id,
                escape(&s.name)
            )
        })
        .collect();
    if !others.is_empty() {
        writeln!(
            out,
            "<tfoot><tr class=\"unquoted\"><td colspan=\"4\">Mentioned, not quoted: {}</td></tr></tfoot>",
            others.join(", ")
        )?;
    }
    writeln!(out, "</table>")
}

/// The elements over a document's text: paragraphs, quotes, cues, mentions.
fn elements(text: &str, doc: &DocumentJson) -> Vec<Element> {
    let mut out: Vec<Element> = markup::paragraphs(text)
        .into_iter()
        .map(|(start, end)| Element {
            start,
            end,
            layer: PARAGRAPH,
            tag: "p",
            attrs: String::new(),
            first_attrs: "",
        })
        .collect();
    // cues and mentions shared by several quotes are one element listing them all
    let mut cues: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    let mut mentions: BTreeMap<(usize, usize), (Option<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, q) in doc.quotes.iter().enumerate() {
        out.push(quote_element(doc, i, q));
        if let Some(c) = &q.cue {
            cues.entry((c.start, c.end)).or_default().push(i);
        }
        if let Some(m) = &q.speaker_mention {
            mentions
                .entry((m.start, m.end))
                .or_insert((q.speaker, Vec::new()))
                .1
                .push(i);
        }
    }
    // every other mention of a quoted speaker, not attributed to a quote
    for s in &doc.speakers {
        if doc.quotes.iter().any(|q| q.speaker == Some(s.id)) {
            for m in &s.mentions {
                mentions.entry((m.start, m.end)).or_insert((Some(s.id), Vec::new()));
            }
        }
    }
    for ((start, end), of) in cues {
        let speaker = doc.quotes[of[0]].speaker;
        out.push(Element {
            start,
            end,
            layer: CUE,
            tag: "span",
            attrs: format!(" class=\"cue {}\" data-cue-of=\"{}\"", colour(speaker), join(&of)),
            first_attrs: "",
        });
    }
    for ((start, end), (speaker, of)) in mentions {
        let attributed = if of.is_empty() { "" } else { " attributed" };
        let of = if of.is_empty() {
            String::new()
        } else {
            format!(" data-mention-of=\"{}\"", join(&of))
        };
        out.push(Element {
            start,
            end,
            layer: MENTION,
            tag: "span",
            attrs: format!(
                " class=\"mention {}{attributed}\" data-speaker=\"{}\"{of}",
                colour(speaker),
                speaker_id(speaker)
            ),
            first_attrs: "",
        });
    }
    out
}

/// A quote's mark, with everything the tooltip shows.
fn quote_element(doc: &DocumentJson, i: usize, q: &QuoteJson) -> Element {
    let speaker = q.speaker.and_then(|s| doc.speakers.get(s));
    let mut attrs = format!(
        " class=\"quote {}\" data-quote=\"{i}\" data-speaker=\"{}\" data-speaker-name=\"{}\" data-quote-kind=\"{}\" \
         data-confidence=\"{}\"",
        colour(q.speaker),
        speaker_id(q.speaker),
        escape_attr(speaker.map_or("", |s| s.name.as_str())),
        label(&q.kind),
        q.confidence
    );
    if let Some(s) = speaker {
        attrs += &format!(" data-kind=\"{}\"", label(&s.kind));
        if let Some(role) = &s.role {
            attrs += &format!(" data-role=\"{}\"", escape_attr(role));
        }
    }
    if let Some(c) = &q.cue {
        attrs += &format!(" data-cue=\"{}\"", escape_attr(&c.text));
    }
    if let Some(m) = &q.speaker_mention {
        attrs += &format!(" data-mention=\"{}\"", escape_attr(&m.text));
    }
    Element {
        start: q.content.start,
        end: q.content.end,
        layer: QUOTE,
        tag: "mark",
        attrs,
        // one tab stop per quote, on its first piece
        first_attrs: " tabindex=\"0\"",
    }
}

/// The colour class of a speaker (grey when unknown).
fn colour(speaker: Option<usize>) -> String {
    match speaker {
        Some(s) => format!("sp-{}", s % PALETTE),
        None => "sp-none".to_string(),
    }
}

fn speaker_id(speaker: Option<usize>) -> String {
    speaker.map_or("none".to_string(), |s| s.to_string())
}

/// A field's JSON name ("person", "indirect").
fn label(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

fn join(ids: &[usize]) -> String {
    ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
}

/// "1 quote", "3 quotes".
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
