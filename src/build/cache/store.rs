//! The cache's files: tables of entries (a key → bytes), each split into
//! shard files that are checked on reading and replaced atomically on writing.
//!
//! A shard file is a header — a magic line, the format version, the
//! signpost version it was written by (its *stamp*), the *salt* of the
//! inputs every entry of the table depends on, the payload's length and its
//! xxh3 hash — then the payload: `[u32 key length][key][u32 value
//! length][value]`, keys in order. A file that does not parse, is shorter or
//! longer than its header says, or whose payload does not hash to the
//! header's value is damaged and ignored; one with another stamp is foreign
//! and ignored; one with another salt was made for other inputs and ignored.
//! Nothing read from the cache can panic: every length is checked.
//!
//! Writing: only the shards whose entries changed, each into a temporary
//! file beside it, then renamed over it. A build killed at any point leaves
//! every shard file either old or new (or a temporary file, which the next
//! write removes), and each entry stands on its own (its user checks it
//! against what it was made from), so a mix of old and new shards is as good
//! as either.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

/// The first bytes of every shard file.
const MAGIC: &[u8] = b"signpost build cache\n";
/// The layout of shard files; a file of another layout is foreign.
const FORMAT: u32 = 1;

/// A shard file's entries, in its order.
type Entries = Vec<(String, Vec<u8>)>;

/// Why a shard file was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Rejected {
    /// Truncated, garbled or unreadable.
    Damaged,
    /// Written by another signpost version or cache layout.
    Foreign,
    /// Made for other inputs (configuration, theme or options).
    Other,
}

/// One table of the cache: the entries of the last build, taken as they are
/// reused, and the entries made in this build.
#[derive(Debug)]
pub(in crate::build) struct Table {
    folder: PathBuf,
    /// How many shard files the table is split into.
    shards: usize,
    stamp: String,
    salt: u64,
    /// Per shard: the last build's entries not taken yet.
    old: Vec<Mutex<FxHashMap<String, Vec<u8>>>>,
    /// Per shard: the keys the last build's file held, and whether it was read whole.
    loaded: Vec<(BTreeSet<String>, bool)>,
    /// The keys taken from the last build, to keep.
    taken: Mutex<BTreeSet<String>>,
    /// The entries made in this build.
    fresh: Mutex<BTreeMap<String, Vec<u8>>>,
    /// Why shard files were not used, with how many.
    pub(super) rejected: BTreeMap<Rejected, usize>,
}

/// The shard of a key among `shards`.
fn shard_of(key: &str, shards: usize) -> usize {
    (xxh3_64(key.as_bytes()) % shards as u64) as usize
}

impl Table {
    /// Reads the table in `folder`, split into `shards` files, written by
    /// `stamp` for `salt` (a missing folder is an empty table).
    pub(super) fn open(folder: PathBuf, (stamp, salt): (&str, u64), shards: usize) -> Self {
        // No folder (or something else in its place): an empty table.
        let there = folder.is_dir();
        let read: Vec<Result<Option<Entries>, Rejected>> = (0..shards)
            .into_par_iter()
            .map(|shard| match there {
                true => read_shard(&shard_path(&folder, shard), stamp, salt),
                false => Ok(None),
            })
            .collect();
        let mut rejected = BTreeMap::new();
        let mut old = Vec::with_capacity(shards);
        let mut loaded = Vec::with_capacity(shards);
        for result in read {
            let whole = result.is_ok();
            let entries = match result {
                Ok(entries) => entries.unwrap_or_default(),
                Err(why) => {
                    *rejected.entry(why).or_default() += 1;
                    Vec::new()
                }
            };
            loaded.push((entries.iter().map(|(k, _)| k.clone()).collect(), whole));
            old.push(Mutex::new(entries.into_iter().collect()));
        }
        Table {
            folder,
            shards,
            stamp: stamp.to_string(),
            salt,
            old,
            loaded,
            taken: Mutex::default(),
            fresh: Mutex::default(),
            rejected,
        }
    }

    /// Takes the last build's entry `key` (each entry is taken once); it is
    /// kept for the next build unless [`Table::put`] replaces it.
    pub(super) fn take(&self, key: &str) -> Option<Vec<u8>> {
        let value = lock(&self.old[shard_of(key, self.shards)]).remove(key)?;
        lock(&self.taken).insert(key.to_string());
        Some(value)
    }

    /// Records the entry `key` made in this build.
    pub(super) fn put(&self, key: String, value: Vec<u8>) {
        lock(&self.fresh).insert(key, value);
    }

    /// How many entries the last build left.
    pub(super) fn loaded_len(&self) -> usize {
        self.loaded.iter().map(|(keys, _)| keys.len()).sum()
    }

    /// Writes the shards whose entries changed: the taken entries (read
    /// again from their files) and the fresh ones. Stale temporary files of
    /// an interrupted write go.
    pub(super) fn save(self) -> std::io::Result<usize> {
        std::fs::create_dir_all(&self.folder)?;
        remove_temporary_files(&self.folder);
        let taken = into_inner(self.taken);
        let fresh = into_inner(self.fresh);
        let mut by_shard: Vec<BTreeMap<String, Option<Vec<u8>>>> =
            vec![BTreeMap::new(); self.shards];
        for key in taken.into_iter().filter(|k| !fresh.contains_key(k)) {
            by_shard[shard_of(&key, self.shards)].insert(key, None);
        }
        for (key, value) in fresh {
            by_shard[shard_of(&key, self.shards)].insert(key, Some(value));
        }
        let (folder, stamp, salt, loaded) = (&self.folder, &self.stamp, self.salt, &self.loaded);
        let written: Vec<std::io::Result<bool>> = by_shard
            .into_par_iter()
            .enumerate()
            .map(|(shard, entries)| {
                let unchanged = entries.values().all(Option::is_none)
                    && loaded[shard].1
                    && loaded[shard].0.len() == entries.len();
                if unchanged {
                    return Ok(false);
                }
                let path = shard_path(folder, shard);
                let entries = with_old_values(&path, stamp, salt, entries);
                write_shard(&path, stamp, salt, &entries).map(|()| true)
            })
            .collect();
        let mut count = 0;
        for result in written {
            count += usize::from(result?);
        }
        Ok(count)
    }
}

/// The entries of a shard to write: the fresh values, and the taken ones
/// read again from the shard's file (one no longer readable is left out: a
/// missing entry is only a miss next time).
fn with_old_values(
    path: &Path,
    stamp: &str,
    salt: u64,
    entries: BTreeMap<String, Option<Vec<u8>>>,
) -> BTreeMap<String, Vec<u8>> {
    let mut old: FxHashMap<String, Vec<u8>> = if entries.values().any(Option::is_none) {
        match read_shard(path, stamp, salt) {
            Ok(found) => found.unwrap_or_default().into_iter().collect(),
            Err(_) => FxHashMap::default(),
        }
    } else {
        FxHashMap::default()
    };
    entries
        .into_iter()
        .filter_map(|(key, value)| {
            let value = value.or_else(|| old.remove(&key))?;
            Some((key, value))
        })
        .collect()
}

fn shard_path(folder: &Path, shard: usize) -> PathBuf {
    folder.join(format!("{shard:02}.bin"))
}

/// Reads one shard file: `None` when there is none.
fn read_shard(path: &Path, stamp: &str, salt: u64) -> Result<Option<Entries>, Rejected> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(_) => return Err(Rejected::Damaged),
    };
    parse_shard(&bytes, stamp, salt).map(Some)
}

/// Parses a shard file's bytes (see the module's documentation).
pub(super) fn parse_shard(bytes: &[u8], stamp: &str, salt: u64) -> Result<Entries, Rejected> {
    let rest = bytes.strip_prefix(MAGIC).ok_or(Rejected::Damaged)?;
    let mut reader = Reader(rest);
    let format = reader.u32().ok_or(Rejected::Damaged)?;
    let written_by = reader.bytes().ok_or(Rejected::Damaged)?;
    if format != FORMAT || written_by != stamp.as_bytes() {
        return Err(Rejected::Foreign);
    }
    let made_for = reader.u64().ok_or(Rejected::Damaged)?;
    let length = reader.u64().ok_or(Rejected::Damaged)?;
    let hash = reader.u64().ok_or(Rejected::Damaged)?;
    if reader.0.len() as u64 != length || xxh3_64(reader.0) != hash {
        return Err(Rejected::Damaged);
    }
    if made_for != salt {
        return Err(Rejected::Other);
    }
    let mut entries = Vec::new();
    while !reader.0.is_empty() {
        let key = reader.bytes().ok_or(Rejected::Damaged)?;
        let key = String::from_utf8(key.to_vec()).map_err(|_| Rejected::Damaged)?;
        let value = reader.bytes().ok_or(Rejected::Damaged)?;
        entries.push((key, value.to_vec()));
    }
    Ok(entries)
}

/// A shard file's bytes.
pub(super) fn shard_bytes(stamp: &str, salt: u64, entries: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut payload = Vec::new();
    for (key, value) in entries {
        put_bytes(&mut payload, key.as_bytes());
        put_bytes(&mut payload, value);
    }
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&FORMAT.to_le_bytes());
    put_bytes(&mut out, stamp.as_bytes());
    out.extend_from_slice(&salt.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&xxh3_64(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// Writes a shard file through a temporary file renamed over it.
fn write_shard(
    path: &Path,
    stamp: &str,
    salt: u64,
    entries: &BTreeMap<String, Vec<u8>>,
) -> std::io::Result<()> {
    let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
    let result = std::fs::write(&temporary, shard_bytes(stamp, salt, entries))
        .and_then(|()| std::fs::rename(&temporary, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// Removes the temporary files an interrupted write left in `folder`.
fn remove_temporary_files(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().contains(".tmp-") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Appends `[u32 length][bytes]`.
pub(super) fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// Reads numbers and length-prefixed bytes, checking every length.
pub(super) struct Reader<'a>(pub(super) &'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    /// A little-endian u32.
    pub(super) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    /// A little-endian u64.
    pub(super) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// `[u32 length][bytes]`.
    pub(super) fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex.into_inner().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_round_trips_and_damage_is_found() {
        let entries: BTreeMap<String, Vec<u8>> =
            [("a".to_string(), b"one".to_vec()), ("b".into(), vec![])].into();
        let bytes = shard_bytes("v1", 7, &entries);
        let parsed = parse_shard(&bytes, "v1", 7).unwrap();
        assert_eq!(parsed.into_iter().collect::<BTreeMap<_, _>>(), entries);
        assert_eq!(parse_shard(&bytes, "v2", 7), Err(Rejected::Foreign));
        assert_eq!(parse_shard(&bytes, "v1", 8), Err(Rejected::Other));
        for cut in 0..bytes.len() {
            assert!(parse_shard(&bytes[..cut], "v1", 7).is_err(), "cut at {cut}");
        }
        let mut garbled = bytes.clone();
        *garbled.last_mut().unwrap() ^= 1;
        assert_eq!(parse_shard(&garbled, "v1", 7), Err(Rejected::Damaged));
    }
}
