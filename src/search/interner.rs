//! The table of an index build's strings: each distinct term and surface
//! form gets a number, so documents are counted by number and only the
//! written index spells them out again.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use super::tokenize::is_han;

/// Every distinct string of an index build (terms and surface forms),
/// numbered as it first arrives: documents are counted in parallel, so the
/// table is sharded and a document rarely waits for another. Numbers are not
/// deterministic; nothing written depends on them (the output is sorted by
/// the strings).
///
/// Strings of one or two Han characters (bigrams, single characters and
/// two-character words: most of a Chinese text's terms) are kept as their
/// code points packed in a number ([`short_han`]), so looking one up hashes
/// and compares a number, not a string held elsewhere in memory.
pub(crate) struct Interner {
    shards: Vec<Mutex<Shard>>,
    next: AtomicU32,
}

/// One shard of an [`Interner`]: its strings, and its short Han strings by code.
#[derive(Default)]
struct Shard {
    strings: FxHashMap<Box<str>, u32>,
    short_han: FxHashMap<u64, u32>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            next: AtomicU32::new(0),
        }
    }
}

/// Shards of the interner.
const SHARDS: usize = 64;

/// The shard of a value hashed to `hash`: its middle bits (the map inside a
/// shard probes by the low bits and tags by the high ones).
fn shard_of(hash: u64) -> usize {
    (hash >> 32) as usize % SHARDS
}

/// A text of one or two Han characters as one number (the first code point
/// above the second, which is 0 for a single character); `None` for any
/// other text. Han code points take 21 bits at most.
pub(crate) fn short_han(text: &str) -> Option<u64> {
    let mut chars = text.chars();
    let first = chars.next().filter(|&c| is_han(c))?;
    let second = match chars.next() {
        None => 0,
        Some(c) if is_han(c) => c as u64,
        Some(_) => return None,
    };
    if chars.next().is_some() {
        return None;
    }
    Some((first as u64) << 21 | second)
}

/// The text [`short_han`] packed in `code`.
fn unpack_han(code: u64) -> String {
    [code >> 21, code & 0x1F_FFFF]
        .into_iter()
        .filter(|&point| point != 0)
        .filter_map(|point| char::from_u32(point as u32))
        .collect()
}

impl Interner {
    /// The number of `text`, given it now if it has none.
    pub(crate) fn id(&self, text: &str) -> u32 {
        if let Some(code) = short_han(text) {
            return self.short_han_id(code);
        }
        let mut hasher = FxHasher::default();
        text.hash(&mut hasher);
        let shard = &self.shards[shard_of(hasher.finish())];
        let mut shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&id) = shard.strings.get(text) {
            return id;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        shard.strings.insert(text.into(), id);
        id
    }

    /// The number of the short Han text packed in `code` ([`short_han`]),
    /// given it now if it has none.
    pub(crate) fn short_han_id(&self, code: u64) -> u32 {
        let mut hasher = FxHasher::default();
        code.hash(&mut hasher);
        let shard = &self.shards[shard_of(hasher.finish())];
        let mut shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
        *shard
            .short_han
            .entry(code)
            .or_insert_with(|| self.next.fetch_add(1, Ordering::Relaxed))
    }

    /// Every (number, text) of the table; short Han texts are unpacked.
    fn each(shard: &Shard) -> impl Iterator<Item = (u32, Cow<'_, str>)> {
        let strings = shard
            .strings
            .iter()
            .map(|(text, id)| (*id, Cow::Borrowed(&**text)));
        let short = shard
            .short_han
            .iter()
            .map(|(code, id)| (*id, Cow::Owned(unpack_han(*code))));
        strings.chain(short)
    }

    /// The numbers and texts of the strings numbered `wanted`.
    pub(crate) fn texts(&self, wanted: &FxHashSet<u32>) -> Vec<(u32, String)> {
        let mut found = Vec::with_capacity(wanted.len());
        for shard in &self.shards {
            let shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
            for (id, text) in Self::each(&shard) {
                if wanted.contains(&id) {
                    found.push((id, text.into_owned()));
                }
            }
        }
        found
    }

    /// Runs `work` with the strings by number (the table stays as it is).
    pub(crate) fn with_strings<R>(&self, work: impl FnOnce(&[&str]) -> R) -> R {
        let shards: Vec<_> = self
            .shards
            .iter()
            .map(|shard| shard.lock().unwrap_or_else(PoisonError::into_inner))
            .collect();
        let unpacked: Vec<(u32, String)> = shards
            .iter()
            .flat_map(|shard| shard.short_han.iter())
            .map(|(code, id)| (*id, unpack_han(*code)))
            .collect();
        let mut strings: Vec<&str> = vec![""; self.next.load(Ordering::Relaxed) as usize];
        for shard in &shards {
            for (text, id) in &shard.strings {
                strings[*id as usize] = text;
            }
        }
        for (id, text) in &unpacked {
            strings[*id as usize] = text;
        }
        work(&strings)
    }

    /// The strings by number.
    pub(crate) fn into_strings(self) -> Vec<Box<str>> {
        let mut strings: Vec<Box<str>> = vec![Box::from(""); self.next.into_inner() as usize];
        for shard in self.shards {
            let shard = shard.into_inner().unwrap_or_else(PoisonError::into_inner);
            for (text, id) in shard.strings {
                strings[id as usize] = text;
            }
            for (code, id) in shard.short_han {
                strings[id as usize] = unpack_han(code).into_boxed_str();
            }
        }
        strings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_han_texts_are_numbered_like_any_text() {
        let interner = Interner::default();
        let bigram = interner.id("望京");
        assert_eq!(interner.short_han_id(short_han("望京").unwrap()), bigram);
        assert_eq!(interner.id("望京"), bigram);
        let single = interner.id("望");
        assert_ne!(single, bigram);
        assert_eq!(short_han("望京s"), None);
        assert_eq!(short_han("望京西"), None);
        assert_eq!(short_han("a望"), None);
        let other = interner.id("wangjing");
        let strings = interner.into_strings();
        assert_eq!(&*strings[bigram as usize], "望京");
        assert_eq!(&*strings[single as usize], "望");
        assert_eq!(&*strings[other as usize], "wangjing");
    }
}
