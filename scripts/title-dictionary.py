#!/usr/bin/env python3
"""Writes assets/segmenter/dictionary.txt: jieba's dictionary in the form the title segmenter
(src/render/segmenter.rs) reads in place, without loading it.

The source is the dictionary the jieba-rs crate of Cargo.lock carries (src/data/dict.txt, found
through `cargo metadata`); run this after updating jieba-rs, then `cargo test --lib segmenter`,
which checks the table against jieba-rs's own dictionary (word count, total frequency, every
word, and the cut of every title and body line of the examples).

The form: the first line is the total of every word's frequency (jieba's `total`); then one
`word frequency` line per word, sorted by the word's UTF-8 bytes, so a word is found by a
binary search over the text. Part-of-speech tags are left out (titles are only cut).

    python3 scripts/title-dictionary.py
"""
import json
import os
import subprocess
import sys

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
metadata = json.loads(
    subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--manifest-path", os.path.join(repo, "Cargo.toml")]
    )
)
jieba = next(p for p in metadata["packages"] if p["name"] == "jieba-rs")
source = os.path.join(os.path.dirname(jieba["manifest_path"]), "src", "data", "dict.txt")

frequencies = {}
with open(source, encoding="utf-8") as f:
    for number, line in enumerate(f, 1):
        fields = line.split()
        if not fields:
            continue
        word = fields[0]
        if word in frequencies:
            # jieba-rs counts a repeated word twice in its total but keeps one frequency: the
            # table could not say so. Its dictionary has none; stop if a new one does.
            sys.exit(f"{source}:{number}: {word} is listed twice")
        frequencies[word] = int(fields[1]) if len(fields) > 1 else 0

target = os.path.join(repo, "assets", "segmenter", "dictionary.txt")
os.makedirs(os.path.dirname(target), exist_ok=True)
with open(target, "w", encoding="utf-8", newline="\n") as out:
    out.write(f"{sum(frequencies.values())}\n")
    for word in sorted(frequencies, key=lambda w: w.encode("utf-8")):
        out.write(f"{word} {frequencies[word]}\n")
print(f"{target}: {len(frequencies)} words from jieba-rs {jieba['version']}")
