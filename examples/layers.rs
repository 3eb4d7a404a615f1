//! Print every layer of one text, for debugging the rules:
//! `cargo run --release --example layers -- FILE [--model DIR]`
//!
//! One line per token (text, POS tag, entity, mention, cue, attribution-tagger label),
//! then the quotes.

use whosaid::Pipeline;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: layers FILE [--model DIR]");
        std::process::exit(2);
    };
    let pipeline = match args.iter().position(|a| a == "--model").and_then(|i| args.get(i + 1)) {
        Some(dir) => Pipeline::load(std::path::Path::new(dir)),
        None => Pipeline::load_bundled(),
    };
    let pipeline = pipeline.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
        eprintln!("error: {file}: {e}");
        std::process::exit(1)
    });
    let a = pipeline.analyze(&text).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    let pos_labels = &pipeline.ner().config().pos_labels;
    for (i, t) in a.segmentation.tokens.iter().enumerate() {
        let entity = a
            .ner
            .entities
            .iter()
            .find(|e| e.span.overlaps(t.span))
            .map(|e| e.label.as_str())
            .unwrap_or("");
        let mention = a
            .speakers
            .mentions
            .iter()
            .find(|m| m.first_token <= i && i < m.end_token)
            .map(|m| format!("{:?}→{}", m.kind, m.speaker))
            .unwrap_or_default();
        let cue = a
            .cues
            .iter()
            .find(|c| c.first_token <= i && i < c.end_token)
            .map(|c| format!("{:?}:{}", c.kind, c.lemma))
            .unwrap_or_default();
        let learned = a
            .ner
            .attribution
            .iter()
            .flatten()
            .find(|l| l.span.overlaps(t.span))
            .map(|l| format!("{:?}", l.label))
            .unwrap_or_default();
        let pos = a
            .ner
            .pos
            .get(i)
            .and_then(|&p| pos_labels.get(p as usize))
            .map(String::as_str)
            .unwrap_or("");
        println!(
            "{i:>5} s{:<3} {:<16} {pos:<5} {entity:<4} {mention:<14} {cue:<16} {learned}",
            t.sentence,
            t.span.text(&text)
        );
    }
    for (q, at) in a.quotes.iter().zip(&a.attributions) {
        println!(
            "{:?} cue={:?} source={:?} speaker={:?} | {}",
            q.kind,
            q.cue,
            q.source,
            at.speaker,
            q.content.text(&text)
        );
    }
}
