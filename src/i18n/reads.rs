//! Which UI strings a render read: the dev server records them per output
//! file, so an edit of `i18n/<code>.yaml` re-renders only the files that
//! showed a changed string.
//!
//! Recording is per thread and off unless [`start`] turned it on: Tera renders
//! one page on one thread, so what [`note`] sees between [`start`] and
//! [`finish`] is what that page read. When off, a read costs one check of a
//! thread-local flag.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use super::I18n;

/// (language, key) pairs of UI strings.
pub(crate) type StringKeys = BTreeSet<(String, String)>;

thread_local! {
    static READS: RefCell<Option<StringKeys>> = const { RefCell::new(None) };
}

/// Starts recording the UI strings this thread reads.
pub(crate) fn start() {
    READS.with(|reads| *reads.borrow_mut() = Some(StringKeys::new()));
}

/// Stops recording and returns what was read since [`start`].
pub(crate) fn finish() -> StringKeys {
    READS.with(|reads| reads.borrow_mut().take().unwrap_or_default())
}

/// Notes that `key` was looked up in `lang` (whether or not it exists: a
/// key added later changes what the page shows).
pub(super) fn note(lang: &str, key: &str) {
    READS.with(|reads| {
        if let Some(keys) = reads.borrow_mut().as_mut() {
            keys.insert((lang.to_string(), key.to_string()));
        }
    });
}

impl I18n {
    /// The (language, key) pairs whose string differs between `self` and
    /// `other` (added, removed or changed); `None` when the languages or their
    /// formats differ, so that anything may have changed.
    pub(crate) fn changed_strings(&self, other: &I18n) -> Option<StringKeys> {
        if self.languages.keys().ne(other.languages.keys()) {
            return None;
        }
        let mut changed = StringKeys::new();
        for (lang, mine) in &self.languages {
            let theirs = &other.languages[lang];
            differing(&mine.strings, &theirs.strings, &mut |key| {
                changed.insert((lang.clone(), key.to_string()));
            });
        }
        Some(changed)
    }
}

/// Calls `found` with every key whose value differs between `a` and `b`
/// (present in one only, or with another value).
pub(crate) fn differing<V: PartialEq>(
    a: &BTreeMap<String, V>,
    b: &BTreeMap<String, V>,
    found: &mut dyn FnMut(&str),
) {
    for (key, value) in a {
        if b.get(key) != Some(value) {
            found(key);
        }
    }
    for key in b.keys().filter(|k| !a.contains_key(*k)) {
        found(key);
    }
}

impl I18n {
    /// A fingerprint of the string `key` in `lang` (or of its absence), for
    /// the build cache: a page that looked it up is reused while it is equal.
    pub(crate) fn string_fingerprint(&self, lang: &str, key: &str) -> u64 {
        let string = self.languages.get(lang).map(|l| l.strings.get(key));
        crate::fingerprint::of(&string)
    }
}
