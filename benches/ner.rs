//! Criterion benches: NER throughput at batch 1 and 16 (word-pieces per second on
//! the seed articles' sentences, each sentence a separate text), and the whole
//! pipeline (articles per second on the seeds).
//!
//! `cargo bench --bench ner`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use whosaid::segment::segment;
use whosaid::Pipeline;

fn seeds() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("seeds/")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("seed"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut pipeline = Pipeline::load_bundled().expect("bundled model");
    let articles = seeds();
    let sentences: Vec<String> = articles
        .iter()
        .flat_map(|a| {
            segment(a)
                .sentences
                .iter()
                .map(|s| s.span.text(a).to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let pieces: usize = sentences.iter().map(|s| pipeline.ner().count_pieces(s).unwrap()).sum();

    let mut group = c.benchmark_group("ner");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(pieces as u64));
    for batch in [1usize, 16] {
        pipeline.ner_mut().set_batch_size(batch);
        let segs: Vec<_> = sentences.iter().map(|s| segment(s)).collect();
        let inputs: Vec<_> = sentences
            .iter()
            .zip(&segs)
            .map(|(t, s)| (t.as_str(), s.sentences.as_slice(), s.tokens.as_slice()))
            .collect();
        group.bench_with_input(BenchmarkId::new("word-pieces", batch), &inputs, |b, inputs| {
            b.iter(|| pipeline.ner().tag_many(inputs).unwrap())
        });
    }
    group.finish();

    pipeline.ner_mut().set_batch_size(16);
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(articles.len() as u64));
    group.bench_function("seed-articles", |b| {
        b.iter(|| {
            for a in &articles {
                pipeline.analyze(a).unwrap();
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
