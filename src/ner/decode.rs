//! Constrained BIO decoding: the best label path in which `I-X` only follows
//! `B-X` or `I-X`, so every entity is well-formed.

/// Viterbi over per-piece log-probabilities `logp` ([len, labels] row-major).
/// `labels` are IOB2 strings ("O", "B-PER", ...).
pub fn viterbi(logp: &[f32], labels: &[String]) -> Vec<usize> {
    let k = labels.len();
    let t_len = logp.len() / k;
    if t_len == 0 {
        return Vec::new();
    }
    const NEG: f32 = -1e9;
    let is_inside = |j: usize| labels[j].starts_with("I-");
    let allowed = |i: usize, j: usize| !is_inside(j) || (labels[i] != "O" && labels[i][2..] == labels[j][2..]);
    let mut score: Vec<f32> = (0..k).map(|j| logp[j] + if is_inside(j) { NEG } else { 0.0 }).collect();
    let mut back = vec![0usize; t_len * k];
    let mut next = vec![0f32; k];
    for t in 1..t_len {
        for j in 0..k {
            let mut best = (NEG * 2.0, 0);
            for (i, &s) in score.iter().enumerate() {
                let cand = if allowed(i, j) { s } else { s + NEG };
                if cand > best.0 {
                    best = (cand, i);
                }
            }
            next[j] = best.0 + logp[t * k + j];
            back[t * k + j] = best.1;
        }
        std::mem::swap(&mut score, &mut next);
    }
    let mut best = 0;
    for j in 1..k {
        if score[j] > score[best] {
            best = j;
        }
    }
    let mut path = vec![best; t_len];
    for t in (1..t_len).rev() {
        path[t - 1] = back[t * k + path[t]];
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_without_begin_is_repaired() {
        let labels: Vec<String> = ["O", "B-PER", "I-PER"].iter().map(|s| s.to_string()).collect();
        // argmax would say O, I-PER: illegal; the path must start the entity.
        let lp = |p: [f32; 3]| p.map(|x| x.ln());
        let mut logp = Vec::new();
        logp.extend(lp([0.9, 0.05, 0.05]));
        logp.extend(lp([0.1, 0.4, 0.5]));
        assert_eq!(viterbi(&logp, &labels), vec![0, 1]);
        assert!(viterbi(&[], &labels).is_empty());
    }
}
