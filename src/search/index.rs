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

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap, FxHashSet};

use rayon::prelude::*;

use super::Document;
use super::interner::{Interner, short_han};
use super::tokenize::{TermKind, Tokenizer};
use super::variants;

/// Postings kept per term (the best-scoring ones).
pub(crate) const MAX_POSTINGS: usize = 2000;
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
pub(crate) struct Index {
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
#[derive(Default, Clone, PartialEq)]
struct Counts {
    title: bool,
    heading: u16,
    body: u16,
    kind: Option<TermKind>,
}

impl Counts {
    /// Counts one occurrence of a token of `kind` in `field`.
    fn add(&mut self, kind: TermKind, field: Field) {
        self.kind = Some(self.kind.map_or(kind, |k| k.min(kind)));
        match field {
            Field::Title => self.title = true,
            Field::Heading => self.heading = self.heading.saturating_add(1),
            Field::Body => self.body = self.body.saturating_add(1),
        }
    }

    /// Adds another surface's counts for the same term.
    fn merge(&mut self, other: &Counts) {
        self.title |= other.title;
        self.heading = self.heading.saturating_add(other.heading);
        self.body = self.body.saturating_add(other.body);
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

/// One document's terms counted (by number, in order of number), with its
/// surface forms (surface → term), vocabulary and length. Kept compact: a
/// large build holds every document's counts until all are scored.
#[derive(PartialEq)]
pub(crate) struct Counted {
    counts: Box<[(u32, Counts)]>,
    forms: Vec<(u32, u32)>,
    vocabulary: Vec<u32>,
    length: usize,
}

/// Counts a document's tokens by surface first, so a word is stemmed once
/// per document, not at each occurrence, then gathers surfaces into terms.
pub(crate) fn count_document(
    tokenizer: &Tokenizer,
    interner: &Interner,
    doc: &Document,
) -> Counted {
    // Words (stemmed later) apart from other tokens (their own terms): the
    // same letters can be both an English word and a pinyin reading.
    // Short Han tokens (bigrams above all) by their packed code points.
    let mut words: FxHashMap<String, Counts> = FxHashMap::default();
    let mut others: FxHashMap<String, Counts> = FxHashMap::default();
    let mut short: FxHashMap<u64, Counts> = FxHashMap::default();
    let mut length = 0;
    let mut add = |text: &str, field: Field| {
        tokenizer.each_token(text, &mut |surface, kind| {
            if matches!(field, Field::Body) {
                length += 1;
            }
            if kind != TermKind::Word
                && let Some(code) = short_han(surface)
            {
                short.entry(code).or_default().add(kind, field);
                return;
            }
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
    let mut counts: FxHashMap<u32, Counts> = FxHashMap::default();
    counts.reserve(short.len() + others.len() + words.len());
    for (code, short) in short {
        counts
            .entry(interner.short_han_id(code))
            .or_default()
            .merge(&short);
    }
    let mut vocabulary = Vec::new();
    for (surface, other) in others {
        let id = interner.id(&surface);
        if other.kind == Some(TermKind::Pinyin) {
            vocabulary.push(id);
        }
        counts.entry(id).or_default().merge(&other);
    }
    let mut forms = Vec::new();
    for (surface, word) in words {
        let term = tokenizer.term(&surface, TermKind::Word);
        let term_id = interner.id(&term);
        counts.entry(term_id).or_default().merge(&word);
        let surface_id = if term == surface {
            term_id
        } else {
            let surface_id = interner.id(&surface);
            forms.push((surface_id, term_id));
            surface_id
        };
        vocabulary.push(surface_id);
    }
    vocabulary.sort_unstable();
    vocabulary.dedup();
    let mut counts: Vec<(u32, Counts)> = counts.into_iter().collect();
    counts.sort_unstable_by_key(|(id, _)| *id);
    Counted {
        counts: counts.into_boxed_slice(),
        forms,
        vocabulary,
        length,
    }
}

impl Counted {
    /// The counts with their strings spelled out (the numbers of `strings`
    /// belong to one build), for the build cache: `[u64 length]`, then the
    /// counts, surface forms and vocabulary, each `[u32 n]` and its items.
    pub(crate) fn encode(&self, strings: &[&str]) -> Option<Vec<u8>> {
        let text = |id: u32| strings.get(id as usize).copied();
        let mut out = (self.length as u64).to_le_bytes().to_vec();
        out.extend_from_slice(&(self.counts.len() as u32).to_le_bytes());
        for (id, c) in &self.counts {
            put_text(&mut out, text(*id)?);
            let kind = c.kind.map_or(0, |k| k as u8 + 1);
            out.push(u8::from(c.title) | kind << 1);
            out.extend_from_slice(&c.heading.to_le_bytes());
            out.extend_from_slice(&c.body.to_le_bytes());
        }
        out.extend_from_slice(&(self.forms.len() as u32).to_le_bytes());
        for (surface, term) in &self.forms {
            put_text(&mut out, text(*surface)?);
            put_text(&mut out, text(*term)?);
        }
        out.extend_from_slice(&(self.vocabulary.len() as u32).to_le_bytes());
        for id in &self.vocabulary {
            put_text(&mut out, text(*id)?);
        }
        Some(out)
    }

    /// [`Counted::encode`]'s bytes counted again, numbered by `interner`;
    /// `None` when they do not parse.
    pub(crate) fn decode(bytes: &[u8], interner: &Interner) -> Option<Counted> {
        let mut input = Input(bytes);
        let length = usize::try_from(u64::from_le_bytes(input.take(8)?.try_into().ok()?)).ok()?;
        let mut counts = Vec::new();
        for _ in 0..input.u32()? {
            let id = interner.id(input.text()?);
            let flags = input.take(1)?[0];
            let kind = match flags >> 1 {
                0 => None,
                1 => Some(TermKind::Word),
                2 => Some(TermKind::HanWord),
                3 => Some(TermKind::Bigram),
                4 => Some(TermKind::Pinyin),
                _ => return None,
            };
            let heading = u16::from_le_bytes(input.take(2)?.try_into().ok()?);
            let body = u16::from_le_bytes(input.take(2)?.try_into().ok()?);
            let title = flags & 1 == 1;
            counts.push((
                id,
                Counts {
                    title,
                    heading,
                    body,
                    kind,
                },
            ));
        }
        let mut forms = Vec::new();
        for _ in 0..input.u32()? {
            forms.push((interner.id(input.text()?), interner.id(input.text()?)));
        }
        let mut vocabulary = Vec::new();
        for _ in 0..input.u32()? {
            vocabulary.push(interner.id(input.text()?));
        }
        if !input.0.is_empty() {
            return None;
        }
        counts.sort_unstable_by_key(|(id, _)| *id);
        vocabulary.sort_unstable();
        Some(Counted {
            counts: counts.into_boxed_slice(),
            forms,
            vocabulary,
            length,
        })
    }
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

/// Bytes being decoded, every length checked.
struct Input<'a>(&'a [u8]);

impl<'a> Input<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn text(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
}

/// The documents of one index, counted in parallel.
#[cfg(test)]
pub(crate) fn count(
    tokenizer: &Tokenizer,
    interner: &Interner,
    documents: &[Document],
) -> Vec<Counted> {
    documents
        .par_iter()
        .map(|doc| count_document(tokenizer, interner, doc))
        .collect()
}

/// Regional forms by number: a Han word's number → the numbers of its
/// other region's forms ([`variants`]).
pub(crate) type Variants = FxHashMap<u32, Vec<u32>>;

/// The regional forms of every Han word that counted documents use, each
/// word converted once however many indexes use it.
pub(crate) fn regional_variants(interner: &Interner, indexes: &[&[Counted]]) -> Variants {
    let wanted: FxHashSet<u32> = indexes
        .iter()
        .flat_map(|docs| docs.iter())
        .flat_map(han_words)
        .collect();
    variants_of_ids(interner, &wanted)
}

/// The numbers of a counted document's Han words.
pub(crate) fn han_words(doc: &Counted) -> impl Iterator<Item = u32> + '_ {
    doc.counts
        .iter()
        .filter(|(_, c)| c.kind == Some(TermKind::HanWord))
        .map(|(id, _)| *id)
}

/// The regional forms of the Han words numbered `wanted` (those that have any).
pub(crate) fn variants_of_ids(interner: &Interner, wanted: &FxHashSet<u32>) -> Variants {
    let words = interner.texts(wanted);
    let table = variants::variants(&words.iter().map(|(_, word)| word.as_str()).collect());
    words
        .iter()
        .filter_map(|(id, word)| {
            let found = table.get(word)?;
            Some((*id, found.iter().map(|v| interner.id(v)).collect()))
        })
        .collect()
}

/// Gives each document the other region's forms of its Han words,
/// counted like the words they stand for.
fn add_regional_variants(counted: &mut [Counted], table: &Variants) {
    if table.is_empty() {
        return;
    }
    counted
        .par_iter_mut()
        .for_each(|doc| add_variants(doc, table));
}

/// Gives one document the other region's forms of its Han words (a
/// document's forms depend on its own words and `table` only).
pub(crate) fn add_variants(doc: &mut Counted, table: &Variants) {
    let mut added: Vec<(u32, Counts)> = Vec::new();
    for (id, counts) in doc.counts.iter() {
        for variant in table.get(id).into_iter().flatten() {
            if doc
                .counts
                .binary_search_by_key(variant, |(id, _)| *id)
                .is_ok()
            {
                continue;
            }
            // Two words with one variant: it counts for both (in any order).
            match added.iter_mut().find(|(id, _)| id == variant) {
                Some((_, existing)) => existing.merge(counts),
                None => added.push((*variant, counts.clone())),
            }
        }
    }
    if !added.is_empty() {
        let mut counts = std::mem::take(&mut doc.counts).into_vec();
        counts.extend(added);
        counts.sort_unstable_by_key(|(id, _)| *id);
        doc.counts = counts.into_boxed_slice();
    }
}

/// The score of one term's counts in a document of normalized length `norm`.
fn score_of(c: &Counts, norm: f64) -> u32 {
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

/// Scores every term of counted documents (`variants` added where the
/// documents are Chinese), keeping each term's best postings.
pub(crate) fn finish(
    mut counted: Vec<Counted>,
    variants: &Variants,
    strings: &[Box<str>],
) -> Index {
    add_regional_variants(&mut counted, variants);
    score(counted, strings)
}

/// Scores every term of counted documents (their regional forms already
/// added), keeping each term's best postings; `strings` by number. Owned
/// documents are dropped as soon as they are scored.
pub(crate) fn score<C, S>(counted: Vec<C>, strings: &[S]) -> Index
where
    C: Borrow<Counted>,
    S: AsRef<str> + Sync,
{
    let average = (counted.iter().map(|c| c.borrow().length).sum::<usize>() as f64
        / counted.len().max(1) as f64)
        .max(1.0);
    let mut postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); strings.len()];
    let mut han_word = vec![false; strings.len()];
    let mut in_vocabulary = vec![false; strings.len()];
    let mut forms: FxHashMap<u32, u32> = FxHashMap::default();
    for (number, doc) in counted.into_iter().enumerate() {
        let doc = doc.borrow();
        let norm = 1.0 - B + B * doc.length as f64 / average;
        for (id, counts) in doc.counts.iter() {
            han_word[*id as usize] |= counts.kind == Some(TermKind::HanWord);
            postings[*id as usize].push((number as u32, score_of(counts, norm)));
        }
        for (surface, term) in &doc.forms {
            forms.insert(*surface, *term);
        }
        for id in &doc.vocabulary {
            in_vocabulary[*id as usize] = true;
        }
    }
    let text = |id: u32| strings[id as usize].as_ref().to_string();
    let mut terms: Vec<(String, Vec<(u32, u32)>)> = postings
        .into_par_iter()
        .enumerate()
        .filter(|(_, list)| !list.is_empty())
        .map(|(id, mut list)| {
            // Best score first, then lower document number: a total order,
            // so picking the best before sorting keeps the same list.
            let order = |a: &(u32, u32), b: &(u32, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
            if list.len() > MAX_POSTINGS {
                list.select_nth_unstable_by(MAX_POSTINGS - 1, order);
                list.truncate(MAX_POSTINGS);
            }
            list.sort_unstable_by(order);
            (text(id as u32), list)
        })
        .collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut index = Index {
        terms: terms.into_iter().collect(),
        forms: forms
            .into_iter()
            .map(|(surface, term)| (text(surface), text(term)))
            .collect(),
        vocabulary: (0..strings.len() as u32)
            .filter(|&id| in_vocabulary[id as usize])
            .map(text)
            .collect(),
        han_words: (0..strings.len() as u32)
            .filter(|&id| han_word[id as usize])
            .map(text)
            .collect(),
    };
    index.forms.retain(|_, term| index.terms.contains_key(term));
    index
}

/// Scores every term of every document: [`count`], the regional variants
/// of Chinese text, then [`finish`]. For one index alone (tests, tools);
/// the build counts every language first and converts their words once.
#[cfg(test)]
pub(crate) fn build(tokenizer: &Tokenizer, documents: &[Document]) -> Index {
    let interner = Interner::default();
    let counted = count(tokenizer, &interner, documents);
    let variants = if super::is_chinese(documents) {
        regional_variants(&interner, &[&counted[..]])
    } else {
        Variants::default()
    };
    finish(counted, &variants, &interner.into_strings())
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
