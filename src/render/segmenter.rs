//! The word segmenter titles are cut with ([`super::title`]): jieba's, exactly, without its
//! fixed cost.
//!
//! Loading jieba's dictionary (349,045 words into a trie) took about 0.1 s and 45 MB in every
//! process, 86–92 % of the CPU time of a Markdown-only build, to cut a few titles. Yet jieba's cut
//! of a line reads only the dictionary words that occur in that line, and the total of all
//! frequencies. So the dictionary is kept in the binary in a form read in place
//! (`assets/segmenter/dictionary.txt`: the total, then `word frequency` lines sorted by bytes,
//! written by `scripts/title-dictionary.py` from the jieba-rs crate's own dictionary): a title's
//! words are found by binary search, only they are given to a jieba-rs segmenter, and one entry
//! that no title can contain makes up the rest of the total. jieba-rs then cuts as it would with
//! its whole dictionary — the same routes, the same probabilities, the same HMM for unknown
//! words — which the tests check against it.

use std::cell::RefCell;

use jieba_rs::Jieba;

/// jieba's dictionary: the total frequency on the first line, then `word frequency` lines in the
/// byte order of the words.
const DICTIONARY: &str = include_str!("../../assets/segmenter/dictionary.txt");

/// Longest word of the dictionary, in characters (侵华日军南京大屠杀遇难同胞纪念馆).
const LONGEST_WORD: usize = 16;

/// The entry standing for every word not given to jieba: a private-use character, which jieba
/// never looks up (it is not in any run of Chinese characters or letters it cuts).
const REST: &str = "\u{E000}";

/// Cuts lines into words as jieba does. Holds the dictionary words of the lines cut so far, so
/// that a project's titles, much alike, add few words after the first; a value owned by whoever
/// cuts (the renderer), never shared between threads.
pub(crate) struct Segmenter {
    known: RefCell<Known>,
}

/// The part of the dictionary jieba has been given.
struct Known {
    jieba: Jieba,
    /// The total of the frequencies of the words given, [`REST`] left out.
    given: usize,
}

impl Segmenter {
    /// A segmenter knowing no word yet; nothing is loaded.
    pub(crate) fn new() -> Self {
        Self {
            known: RefCell::new(Known {
                jieba: Jieba::empty(),
                given: 0,
            }),
        }
    }

    /// The byte offsets at which the words of `line` end, as jieba (with its HMM for words the
    /// dictionary lacks) cuts it.
    pub(crate) fn word_ends(&self, line: &str) -> Vec<usize> {
        let mut known = self.known.borrow_mut();
        let Known { jieba, given } = &mut *known;
        let mut added = false;
        for (word, frequency) in dictionary_words_in(line) {
            if !jieba.has_word(word) {
                jieba.add_word(word, Some(frequency), Some(""));
                *given += frequency;
                added = true;
            }
        }
        if added || !jieba.has_word(REST) {
            jieba.add_word(REST, Some(total().saturating_sub(*given)), Some(""));
        }
        jieba
            .cut(line, true)
            .iter()
            .map(|token| token.byte_start + token.word.len())
            .collect()
    }
}

/// The total of every dictionary word's frequency.
fn total() -> usize {
    let (total, _) = DICTIONARY.split_once('\n').unwrap_or_default();
    total.parse().unwrap_or(1)
}

/// The `word frequency` lines.
fn entries() -> &'static str {
    DICTIONARY
        .split_once('\n')
        .map_or("", |(_, entries)| entries)
}

/// Every dictionary word that occurs in `line`, with its frequency (a word occurring twice is
/// given twice).
fn dictionary_words_in(line: &str) -> Vec<(&'static str, usize)> {
    let entries = entries();
    let starts: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
    let mut found = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let ends = starts[k + 1..]
            .iter()
            .copied()
            .chain([line.len()])
            .take(LONGEST_WORD);
        for end in ends {
            let candidate = &line[start..end];
            let (word, frequency) = entry_at(entries, lower_bound(entries, candidate));
            if word == candidate {
                found.push((word, frequency));
            } else if !word.starts_with(candidate) {
                // No word starts so: no longer one does either.
                break;
            }
        }
    }
    found
}

/// The byte offset of the first entry whose word is not less than `key` (the end of `entries`
/// if there is none).
fn lower_bound(entries: &'static str, key: &str) -> usize {
    let (mut low, mut high) = (0, entries.len());
    // `low` is always the start of an entry; `high` the start of one, or the end.
    while low < high {
        let middle = low + (high - low) / 2;
        // Back to the start of the entry `middle` falls in (a newline byte is never part of a
        // character, so every entry starts on a character boundary).
        let start = entries.as_bytes()[..middle]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
            .max(low);
        let (word, _) = entry_at(entries, start);
        if word.as_bytes() < key.as_bytes() {
            low = entries[start..]
                .find('\n')
                .map_or(entries.len(), |i| start + i + 1);
        } else {
            high = start;
        }
    }
    low
}

/// The word and frequency of the entry starting at byte `at` (an empty word at the end).
fn entry_at(entries: &'static str, at: usize) -> (&'static str, usize) {
    let line = entries[at..].split('\n').next().unwrap_or_default();
    let (word, frequency) = line.split_once(' ').unwrap_or((line, ""));
    (word, frequency.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests;
