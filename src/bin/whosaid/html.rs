//! `--format html`: one self-contained page (inline CSS, no network) with each
//! document's text and its quotes highlighted.

use std::io::{self, Write};

use crate::output::Analysed;

/// A page being written: a header, one section per document, a footer.
pub struct HtmlPage<W: Write> {
    out: W,
    documents: usize,
}

impl<W: Write> HtmlPage<W> {
    pub fn new(out: W) -> Self {
        HtmlPage { out, documents: 0 }
    }

    pub fn begin(&mut self) -> io::Result<()> {
        writeln!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>whosaid</title></head><body>"
        )
    }

    pub fn document(&mut self, a: &Analysed) -> io::Result<()> {
        self.documents += 1;
        let chars: Vec<char> = a.text.chars().collect();
        writeln!(
            self.out,
            "<section id=\"doc-{}\"><h2>{}</h2><p>",
            self.documents,
            escape(a.source)
        )?;
        let mut at = 0;
        for (i, q) in a.doc.quotes.iter().enumerate() {
            let (start, end) = (q.content.start.max(at), q.content.end.max(at));
            let before: String = chars[at..start].iter().collect();
            let quoted: String = chars[start..end].iter().collect();
            let speaker = q.speaker.map(|s| a.doc.speakers[s].name.as_str()).unwrap_or("");
            write!(
                self.out,
                "{}<mark class=\"quote\" data-quote=\"{i}\" data-speaker=\"{}\">{}</mark>",
                escape(&before),
                escape(speaker),
                escape(&quoted)
            )?;
            at = end;
        }
        let rest: String = chars[at..].iter().collect();
        writeln!(self.out, "{}</p></section>", escape(&rest))
    }

    pub fn end(&mut self) -> io::Result<()> {
        writeln!(self.out, "</body></html>")?;
        self.out.flush()
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
