//! Scoring: documents in, an inverted index out (term → best documents).
//!
//! Each (term, document) gets a BM25F-style score, stored as an integer
//! (hundredths): field-weighted term frequency (headings count three times a
//! body word) saturated and normalized by the document's length, plus a fixed
//! bonus when the term is in the title or the page's name in the default
//! language, larger than any body score can be. So a title match comes
//! before a heading match before body matches, and a page about a topic
//! (long, repeated use) before one that mentions it in passing. The query
//! side multiplies by the term's inverse document frequency.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap, FxHashSet};

use rayon::prelude::*;

use super::Document;
use super::tokenize::{TermKind, Token, Tokenizer};
use super::variants;

/// Postings kept per term (the best-scoring ones).
pub const MAX_POSTINGS: usize = 2000;
/// BM25's term-frequency saturation.
const K1: f64 = 1.2;
/// BM25's length normalization.
const B: f64 = 0.75;
/// Weight of a heading occurrence against a body one.
const HEADING: f64 = 3.0;
/// Added when the term is in the title or the name: above any body score (≤ K1 + 1).
const TITLE_BONUS: f64 = 2.5;

/// An index in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    /// Term → (document number, score in hundredths), best first.
    pub terms: BTreeMap<String, Vec<(u32, u32)>>,
    /// Surface form → stem, where they differ.
    pub forms: BTreeMap<String, String>,
    /// Every non-Han word as a reader types it (surface forms and pinyin),
    /// for typo tolerance.
    pub vocabulary: BTreeSet<String>,
    /// The Han terms that are dictionary words somewhere (not only bigrams).
    pub han_words: BTreeSet<String>,
}

/// Counts of one term in one document.
#[derive(Default, Clone)]
struct Counts {
    title: bool,
    heading: u32,
    body: u32,
    kind: Option<TermKind>,
}

/// One document's terms counted, with its surface forms, vocabulary and length.
struct Counted {
    counts: FxHashMap<String, Counts>,
    forms: Vec<(String, String)>,
    vocabulary: Vec<String>,
    length: usize,
}

fn count_document(tokenizer: &Tokenizer, doc: &Document) -> Counted {
    let mut counts: FxHashMap<String, Counts> = FxHashMap::default();
    let mut forms = Vec::new();
    let mut vocabulary = Vec::new();
    let mut add = |tokens: Vec<Token>, field: usize| {
        for token in tokens {
            if matches!(token.kind, TermKind::Word | TermKind::Pinyin) {
                vocabulary.push(token.surface.clone());
            }
            if token.kind == TermKind::Word && token.surface != token.term {
                forms.push((token.surface, token.term.clone()));
            }
            let entry = counts.entry(token.term).or_default();
            entry.kind = Some(entry.kind.map_or(token.kind, |k| k.min(token.kind)));
            match field {
                0 => entry.title = true,
                1 => entry.heading += 1,
                _ => entry.body += 1,
            }
        }
    };
    add(tokenizer.tokens(&doc.title), 0);
    for name in &doc.names {
        add(tokenizer.tokens(name), 0);
    }
    for heading in &doc.headings {
        add(tokenizer.tokens(heading), 1);
    }
    let body = tokenizer.tokens(&doc.body);
    let length = body.len();
    add(body, 2);
    vocabulary.sort();
    vocabulary.dedup();
    Counted {
        counts,
        forms,
        vocabulary,
        length,
    }
}

/// Gives each document the other region's forms of its Han words ([`variants`]),
/// counted like the words they stand for (in indexes of Chinese text only).
fn add_regional_variants(counted: &mut [Counted]) {
    let words: BTreeSet<&str> = counted
        .iter()
        .flat_map(|doc| doc.counts.iter())
        .filter(|(_, c)| c.kind == Some(TermKind::HanWord))
        .map(|(term, _)| term.as_str())
        .collect();
    let table = variants::variants(&words);
    if table.is_empty() {
        return;
    }
    counted.par_iter_mut().for_each(|doc| {
        let mut added: Vec<(String, Counts)> = Vec::new();
        for (term, counts) in &doc.counts {
            for variant in table.get(term).into_iter().flatten() {
                if !doc.counts.contains_key(variant) {
                    added.push((variant.clone(), counts.clone()));
                }
            }
        }
        doc.counts.extend(added);
    });
}

/// The score of one term's counts in a document of normalized length `norm`.
fn score(c: &Counts, norm: f64) -> u32 {
    let tf = c.heading as f64 * HEADING + c.body as f64;
    let mut score = tf * (K1 + 1.0) / (tf + K1 * norm);
    if c.title {
        score += TITLE_BONUS;
    }
    if c.kind == Some(TermKind::Bigram) {
        score *= 2.0 / 3.0;
    }
    ((score * 100.0).round() as u32).max(1)
}

/// Scores every term of every document, documents tokenized in parallel.
pub fn build(tokenizer: &Tokenizer, documents: &[Document]) -> Index {
    let mut counted: Vec<Counted> = documents
        .par_iter()
        .map(|doc| count_document(tokenizer, doc))
        .collect();
    if documents.iter().any(|doc| doc.lang.starts_with("zh")) {
        add_regional_variants(&mut counted);
    }
    let average = (counted.iter().map(|c| c.length).sum::<usize>() as f64
        / counted.len().max(1) as f64)
        .max(1.0);
    // Gathered in hash maps and sorted once at the end: ordered maps keyed
    // by long strings made this merge the slowest step of a large build.
    let mut terms: FxHashMap<String, Vec<(u32, u32)>> = FxHashMap::default();
    let mut han_words: FxHashSet<String> = FxHashSet::default();
    let mut vocabulary: FxHashSet<String> = FxHashSet::default();
    let mut forms: FxHashMap<String, String> = FxHashMap::default();
    for (number, doc) in counted.into_iter().enumerate() {
        let norm = 1.0 - B + B * doc.length as f64 / average;
        for (term, counts) in doc.counts {
            if counts.kind == Some(TermKind::HanWord) && !han_words.contains(&term) {
                han_words.insert(term.clone());
            }
            let score = score(&counts, norm);
            terms.entry(term).or_default().push((number as u32, score));
        }
        forms.extend(doc.forms);
        vocabulary.extend(doc.vocabulary);
    }
    let mut terms: Vec<(String, Vec<(u32, u32)>)> = terms.into_iter().collect();
    terms.par_iter_mut().for_each(|(_, postings)| {
        postings.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        postings.truncate(MAX_POSTINGS);
    });
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut index = Index {
        terms: terms.into_iter().collect(),
        forms: forms.into_iter().collect(),
        vocabulary: vocabulary.into_iter().collect(),
        han_words: han_words.into_iter().collect(),
    };
    index.forms.retain(|_, term| index.terms.contains_key(term));
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, body: &str) -> Document {
        Document {
            url: format!("/{title}/"),
            title: title.to_string(),
            lang: "en".into(),
            section: "s".into(),
            kind: None,
            communities: Vec::new(),
            names: Vec::new(),
            headings: Vec::new(),
            body: body.to_string(),
        }
    }

    #[test]
    fn titles_outrank_bodies() {
        let tokenizer = Tokenizer::new();
        let index = build(
            &tokenizer,
            &[
                doc("Schools", "nothing"),
                doc("Other", "schools schools schools schools schools schools"),
            ],
        );
        let postings = &index.terms["school"];
        assert_eq!(postings[0].0, 0, "{postings:?}");
        assert!(postings[0].1 > postings[1].1);
        assert_eq!(
            index.forms.get("schools").map(String::as_str),
            Some("school")
        );
        assert!(index.vocabulary.contains("schools"));
    }

    #[test]
    fn a_page_about_a_topic_outranks_a_passing_mention() {
        let tokenizer = Tokenizer::new();
        let filler = "the city has parks, roads, shops and many other places to see. ".repeat(8);
        let index = build(
            &tokenizer,
            &[
                doc("A", &format!("{filler} one hospital is near.")),
                doc(
                    "B",
                    "The hospital: hospital hours, hospital doctors, hospital wards.",
                ),
            ],
        );
        assert_eq!(index.terms["hospit"][0].0, 1, "{:?}", index.terms["hospit"]);
    }

    #[test]
    fn names_count_like_titles() {
        let tokenizer = Tokenizer::new();
        let mut named = doc("Zhongguancun", "A district.");
        named.names.push("中关村".into());
        let index = build(&tokenizer, &[named, doc("Other", "中关村 is mentioned")]);
        assert_eq!(index.terms["中关村"][0].0, 0);
        assert!(index.terms["中关村"][0].1 >= 250);
        assert!(index.vocabulary.contains("zhongguancun"));
    }
}
