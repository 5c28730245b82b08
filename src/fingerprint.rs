//! Fingerprints: a value in, a 64-bit xxh3 hash of its `Debug` text out.
//!
//! The build cache (`signpost build --cache DIR`) keys its entries by what
//! they were made from. Every input type of the pipeline derives `Debug`
//! over all of its data (ordered maps, no addresses), so hashing the `Debug`
//! text streams the value through xxh3 without copying it and without a
//! second, hand-kept list of fields that could fall out of step.

use std::fmt::{Debug, Write as _};

use xxhash_rust::xxh3::Xxh3;

/// A running fingerprint: feed values and bytes, then [`Fingerprint::finish`].
#[derive(Clone)]
pub(crate) struct Fingerprint(Xxh3);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(Xxh3::new())
    }
}

impl std::fmt::Write for Fingerprint {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

impl Fingerprint {
    /// Adds a value's `Debug` text, then a separator (so `("a", "bc")` and
    /// `("ab", "c")` differ).
    pub(crate) fn value<T: Debug + ?Sized>(&mut self, value: &T) -> &mut Self {
        // Writing into a hasher cannot fail.
        let _ = write!(self, "{value:?}");
        self.0.update(&[0xff]);
        self
    }

    /// Adds bytes as they are, with their length.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds a number.
    pub(crate) fn number(&mut self, n: u64) -> &mut Self {
        self.0.update(&n.to_le_bytes());
        self
    }

    /// The hash of everything added.
    pub(crate) fn finish(&self) -> u64 {
        self.0.digest()
    }
}

/// The fingerprint of one value's `Debug` text.
pub(crate) fn of<T: Debug + ?Sized>(value: &T) -> u64 {
    Fingerprint::default().value(value).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_separated_and_stable() {
        let ab_c = Fingerprint::default().value("ab").value("c").finish();
        let a_bc = Fingerprint::default().value("a").value("bc").finish();
        assert_ne!(ab_c, a_bc);
        assert_eq!(of(&vec![1, 2]), of(&vec![1, 2]));
        assert_ne!(of(&vec![1, 2]), of(&vec![2, 1]));
    }
}
