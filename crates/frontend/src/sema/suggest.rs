//! "did you mean": the known name closest to a misspelled one, by edit distance, as gcc and
//! clang suggest it for undeclared identifiers and unknown members.

/// The candidate within a third of `name`'s length of edits (at least one) that is closest
/// to it; names of the implementation (`__x`) only when `name` is one too.
pub(super) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let internal = name.starts_with("__");
    candidates
        .into_iter()
        .filter(|c| *c != name && (internal || !c.starts_with("__")))
        .filter(|c| c.len().abs_diff(name.len()) <= limit)
        .map(|c| (distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let names = ["counter", "count", "total", "__internal"];
        assert_eq!(closest("coutner", names), Some("counter"));
        assert_eq!(closest("cont", names), Some("count"));
        assert_eq!(closest("xyz", names), None);
        assert_eq!(closest("__internl", names), Some("__internal"));
        assert_eq!(closest("internal", names), None);
        assert_eq!(distance("ab", "ba"), 1);
    }
}
