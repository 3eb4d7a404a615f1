//! A store of the model's layers for the evaluation examples (`--layer-cache DIR`).
//!
//! The model is most of an evaluation's time; the rules after it take milliseconds. With a
//! cache, the first run stores each document's model layer (entities, POS tags, the tagger's
//! spans) as JSON in DIR, keyed by a hash of the text and whether the tagger ran, and later
//! runs give it back to [`Pipeline::analyze_tagged`], so a change to the rule stages is
//! measured in seconds. The output is the same as [`Pipeline::analyze`]'s. Clear DIR when
//! `models/` changes.

use std::path::{Path, PathBuf};

use whosaid::ner::NerLayer;
use whosaid::{Analysis, Pipeline};

/// 64-bit FNV-1a of the text: the cache key.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn entry(dir: &Path, pipeline: &Pipeline, text: &str) -> PathBuf {
    let tagger = if pipeline.uses_learned_attribution() {
        "tagger"
    } else {
        "rules"
    };
    dir.join(format!("{:016x}-{}-{tagger}.json", fnv1a(text), text.len()))
}

/// Analyse `text`, through the cache in `dir` when there is one.
pub fn analyze(pipeline: &Pipeline, cache: Option<&Path>, text: &str) -> whosaid::Result<Analysis> {
    let Some(dir) = cache else {
        return pipeline.analyze(text);
    };
    let path = entry(dir, pipeline, text);
    let stored = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<NerLayer>(&bytes).ok());
    if let Some(layer) = stored {
        return pipeline.analyze_tagged(text, layer);
    }
    let analysis = pipeline.analyze(text)?;
    // a cache that cannot be written only costs time
    if std::fs::create_dir_all(dir).is_ok() {
        if let Ok(json) = serde_json::to_vec(&analysis.ner) {
            let _ = std::fs::write(&path, json);
        }
    }
    Ok(analysis)
}

/// Analyse many texts: the ones not in the cache go through the model in shared batches.
pub fn analyze_each(pipeline: &Pipeline, cache: Option<&Path>, texts: &[&str]) -> Vec<whosaid::Result<Analysis>> {
    let Some(dir) = cache else {
        return pipeline.analyze_each(texts);
    };
    let missing: Vec<&str> = texts
        .iter()
        .copied()
        .filter(|t| !entry(dir, pipeline, t).exists())
        .collect();
    let _ = std::fs::create_dir_all(dir);
    for (text, analysis) in missing.iter().zip(pipeline.analyze_each(&missing)) {
        if let Ok(Ok(json)) = analysis.as_ref().map(|a| serde_json::to_vec(&a.ner)) {
            let _ = std::fs::write(entry(dir, pipeline, text), json);
        }
    }
    texts.iter().map(|t| analyze(pipeline, cache, t)).collect()
}
