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
use super::tokenize::{TermKind, Tokenizer};
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

impl Counts {
    /// Counts one occurrence of a token of `kind` in `field`.
    fn add(&mut self, kind: TermKind, field: Field) {
        self.kind = Some(self.kind.map_or(kind, |k| k.min(kind)));
        match field {
            Field::Title => self.title = true,
            Field::Heading => self.heading += 1,
            Field::Body => self.body += 1,
        }
    }

    /// Adds another surface's counts for the same term.
    fn merge(&mut self, other: &Counts) {
        self.title |= other.title;
        self.heading += other.heading;
        self.body += other.body;
        self.kind = match (self.kind, other.kind) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// Where in a document a token stands.
#[derive(Clone, Copy)]
enum Field {
    Title,
    Heading,
    Body,
}

/// One document's terms counted, with its surface forms, vocabulary and length.
struct Counted {
    counts: FxHashMap<String, Counts>,
    forms: Vec<(String, String)>,
    vocabulary: Vec<String>,
    length: usize,
}

/// Counts a document's tokens by surface first, so a word is stemmed once
/// per document, not at each occurrence, then gathers surfaces into terms.
fn count_document(tokenizer: &Tokenizer, doc: &Document) -> Counted {
    // Words (stemmed later) apart from other tokens (their own terms): the
    // same letters can be both an English word and a pinyin reading.
    let mut words: FxHashMap<String, Counts> = FxHashMap::default();
    let mut others: FxHashMap<String, Counts> = FxHashMap::default();
    let mut length = 0;
    let mut add = |text: &str, field: Field| {
        tokenizer.each_token(text, &mut |surface, kind| {
            let map = if kind == TermKind::Word {
                &mut words
            } else {
                &mut others
            };
            if let Some(counts) = map.get_mut(surface) {
                counts.add(kind, field);
            } else {
                let mut counts = Counts::default();
                counts.add(kind, field);
                map.insert(surface.to_string(), counts);
            }
            if matches!(field, Field::Body) {
                length += 1;
            }
        });
    };
    add(&doc.title, Field::Title);
    for name in &doc.names {
        add(name, Field::Title);
    }
    for heading in &doc.headings {
        add(heading, Field::Heading);
    }
    add(&doc.body, Field::Body);
    let mut vocabulary: Vec<String> = others
        .iter()
        .filter(|(_, c)| c.kind == Some(TermKind::Pinyin))
        .map(|(surface, _)| surface.clone())
        .collect();
    let mut counts = others;
    let mut forms = Vec::new();
    for (surface, word) in words {
        let term = tokenizer.term(&surface, TermKind::Word).into_owned();
        match counts.get_mut(&term) {
            Some(existing) => existing.merge(&word),
            None => {
                counts.insert(term.clone(), word);
            }
        }
        if term != surface {
            forms.push((surface.clone(), term));
        }
        vocabulary.push(surface);
    }
    vocabulary.sort_unstable();
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

/// Postings, Han words, vocabulary and forms of some documents.
#[derive(Default)]
struct Merged {
    terms: FxHashMap<String, Vec<(u32, u32)>>,
    han_words: FxHashSet<String>,
    vocabulary: FxHashSet<String>,
    forms: FxHashMap<String, String>,
}

impl Merged {
    /// Adds document `number`, scored against the average length.
    fn add(&mut self, number: u32, doc: Counted, average: f64) {
        let norm = 1.0 - B + B * doc.length as f64 / average;
        for (term, counts) in doc.counts {
            if counts.kind == Some(TermKind::HanWord) && !self.han_words.contains(&term) {
                self.han_words.insert(term.clone());
            }
            let posting = (number, score(&counts, norm));
            match self.terms.get_mut(&term) {
                Some(postings) => postings.push(posting),
                None => {
                    self.terms.insert(term, vec![posting]);
                }
            }
        }
        for (surface, term) in doc.forms {
            if !self.forms.contains_key(&surface) {
                self.forms.insert(surface, term);
            }
        }
        for word in doc.vocabulary {
            if !self.vocabulary.contains(&word) {
                self.vocabulary.insert(word);
            }
        }
    }

    /// Both merges in one (the larger one receives the smaller).
    fn join(a: Merged, b: Merged) -> Merged {
        let (mut big, small) = if a.terms.len() >= b.terms.len() {
            (a, b)
        } else {
            (b, a)
        };
        for (term, postings) in small.terms {
            big.terms.entry(term).or_default().extend(postings);
        }
        big.han_words.extend(small.han_words);
        big.vocabulary.extend(small.vocabulary);
        big.forms.extend(small.forms);
        big
    }
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
    // Gathered in hash maps, per thread, then joined and sorted once at the
    // end: ordered maps keyed by long strings made this merge the slowest
    // step of a large build.
    let Merged {
        terms,
        han_words,
        vocabulary,
        forms,
    } = counted
        .into_par_iter()
        .enumerate()
        .with_min_len(256)
        .fold(Merged::default, |mut merged, (number, doc)| {
            merged.add(number as u32, doc, average);
            merged
        })
        .reduce(Merged::default, Merged::join);
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
