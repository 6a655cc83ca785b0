#!/usr/bin/env bash
# The builds clerks download, and the fonts of their machines. Prints figures; asserts nothing.
#
#   bash scripts/bench-release.sh [SCHOOLS]   default 1000 (also: bash scripts/bench.sh release)
#
# 1. size: the downloadable binary (the `download` profile), and what it carries: the bundled fonts, jieba's dictionary (as
#    include-flate stores it: zstd), the web page's files, the templates; the rest is the code
#    and data of typst and the other crates.
# 2. start-up: from `qingdan start` on a new working folder (the example written, then built)
#    to its first page answered, and on the same folder again (built: a clerk's next start);
#    median of five runs each, system fonts on as for a double-click, the browser a stand-in;
#    for the normal build and for the static musl binary (the file clerks download).
# 3. musl vs glibc: the SCHOOLS-school batch built by the static musl binary (made by
#    scripts/release; left out when it is not there) and by the normal build, in turn, three
#    pairs: wall and CPU time, peak RSS, and their median ratios; and whether each binary
#    allocates with mimalloc.
# 4. system fonts: a default build of zhuzhou-2019 with and without --no-system-fonts, in turn,
#    five pairs: median times and ratios, and whether the two give byte-identical files.
# 5. the download profile (Cargo.toml: fat LTO, one codegen unit) against another build of the
#    same checkout, given as BASELINE=PATH (left out without it), e.g. the release build
#    (BASELINE=target/release/qingdan, built by `cargo build --release`): the batch, in turn,
#    five pairs, and the sizes.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
schools="${1:-1000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --profile download --quiet --manifest-path "$repo/Cargo.toml"
target="${CARGO_TARGET_DIR:-$repo/target}"
bin="$target/download/qingdan"
musl="$target/x86_64-unknown-linux-musl/download/qingdan"
mb() { awk -v b="$1" 'BEGIN { printf "%6.1f MB", b / 1e6 }'; }
# The runs in FILE, lines "VARIANT WALL USER SYSTEM KIB" of variants A and B in turn: the
# median of each variant, and the median ratio A/B of the pairs.
pairs() { # FILE A B LABEL
  python3 - "$@" <<'PY'
import statistics, sys
path, a, b, label = sys.argv[1:]
runs = {}
for line in open(path):
    variant, wall, user, system, kib = line.split()
    runs.setdefault(variant, []).append((float(wall), float(user) + float(system), int(kib) / 1024))
for variant in (a, b):
    wall, cpu, mem = (statistics.median(r[i] for r in runs[variant]) for i in range(3))
    print(f'  {variant:8} wall {wall:6.2f} s   CPU {cpu:6.2f} s   peak RSS {mem:5.0f} MB')
ratios = [statistics.median(x[i] / y[i] for x, y in zip(runs[a], runs[b])) for i in range(3)]
print(f'  {label} (median of the pairs): wall ×{ratios[0]:.3f}, CPU ×{ratios[1]:.3f}, peak RSS ×{ratios[2]:.3f}')
PY
}

# The batch built by binaries A and B in turn, PAIRS times, into FILE as `pairs` reads it.
batch_pairs() { # FILE PAIRS A BINARY_A B BINARY_B
  local file="$1" count="$2" pair variant binary
  : > "$file"
  [ -d "$work/batch" ] || python3 "$repo/scripts/bench-schools.py" "$repo/inputs/schools-batch" "$work/batch" "$schools"
  for pair in $(seq "$count"); do
    for variant in "$3" "$5"; do
      binary="$4"; [ "$variant" = "$5" ] && binary="$6"
      rm -rf "$work/out-batch"
      /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$binary" build "$work/batch" -o "$work/out-batch" \
        --no-system-fonts > /dev/null 2> "$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
      echo "$variant $(cat "$work/time")" >> "$file"
    done
  done
}

echo "qingdan release benchmark: $(nproc) cores, $(date -u +%F)"

# 1. Size.
echo
echo "size of target/download/qingdan: $(mb "$(stat -c %s "$bin")")"
jieba=$(awk '/^name = "jieba-rs"$/ { getline; gsub(/"/, "", $3); print $3 }' "$repo/Cargo.lock")
dict=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"jieba-rs-$jieba"/src/data/dict.txt | head -n 1)
fonts=$(cat "$repo"/assets/fonts/*.otf | wc -c)
words=$(zstd -q -c -3 "$dict" | wc -c)
page=$(cat "$repo"/src/serve/templates/* | wc -c)
templates=$(cat "$repo"/templates/* "$repo"/assets/init/* | wc -c)
printf '  %-44s %s\n' "bundled fonts (assets/fonts)" "$(mb "$fonts")" \
  "jieba's dictionary (dict.txt, zstd)" "$(mb "$words")" \
  "web page (src/serve/templates)" "$(mb "$page")" \
  "document templates and the example project" "$(mb "$templates")" \
  "the rest: code and data of typst and the rest" "$(mb $(( $(stat -c %s "$bin") - fonts - words - page - templates )))"
[ -x "$musl" ] && echo "size of the static musl binary: $(mb "$(stat -c %s "$musl")")"

# 2. Start-up: `qingdan start` to the first page answered.
echo
echo "start-up: qingdan start to its first page answered (median of 5; system fonts on)"
startup=("$bin"); [ -x "$musl" ] && startup+=("$musl")
for i in "${!startup[@]}"; do
binary="${startup[$i]}"
echo "  ${binary#"$target"/}"
python3 - "$binary" "$work/start-$i" <<'PY'
import os, shutil, statistics, subprocess, sys, time, urllib.request
binary, work = sys.argv[1], sys.argv[2]
os.makedirs(work)
browser = os.path.join(work, 'browser.sh')
opened = os.path.join(work, 'opened')
with open(browser, 'w') as f:
    f.write(f'#!/bin/sh\necho "$1" > {opened}.tmp && mv {opened}.tmp {opened}\n')
os.chmod(browser, 0o755)

def once(folder):
    if os.path.exists(opened):
        os.remove(opened)
    start = time.monotonic()
    server = subprocess.Popen([binary, 'start', folder, '--port', '0'],
                              env={**os.environ, 'QINGDAN_BROWSER': browser},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not os.path.exists(opened):
            time.sleep(0.002)
        url = open(opened).read().strip()
        urllib.request.urlopen(url, timeout=600).read()
        return time.monotonic() - start
    finally:
        server.terminate()
        server.wait()

first = []
for run in range(5):
    folder = os.path.join(work, f'start-{run}')
    first.append(once(folder))
again = [once(os.path.join(work, 'start-0')) for _ in range(5)]
for label, times in [('first start (example written and built)', first),
                     ('next start (already built)', again)]:
    runs = ' '.join(f'{t:.2f}' for t in times)
    print(f'    {label:42} {statistics.median(times):6.2f} s   (runs: {runs})')
PY
done

# 3. musl vs glibc on the batch.
echo
if [ -x "$musl" ]; then
  echo "musl (static) vs glibc: $schools-school batch, 3 pairs in turn"
  for binary in "$bin" "$musl"; do
    uses=no
    MIMALLOC_VERBOSE=1 "$binary" --version 2>&1 | grep -q '^mimalloc:' && uses=yes
    echo "  $(basename "$(dirname "$(dirname "$binary")")")/download/qingdan allocates with mimalloc: $uses"
  done
  batch_pairs "$work/pairs" 3 glibc "$bin" musl "$musl"
  pairs "$work/pairs" musl glibc "musl / glibc"
else
  echo "musl vs glibc: left out, no $musl (scripts/release builds it)"
fi

# 4. System fonts on and off.
echo
families=$(fc-list : family 2>/dev/null | grep -cE 'Noto (Serif|Sans) CJK SC|FandolFang|FandolKai' || true)
echo "system fonts: zhuzhou-2019, default build vs --no-system-fonts, 5 pairs in turn"
echo "  system faces of the bundled families (fc-list): $families"
: > "$work/fonts"
for pair in 1 2 3 4 5; do
  for variant in system bundled; do
    flag=""; [ $variant = bundled ] && flag=--no-system-fonts
    rm -rf "$work/out-$variant"
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" build "$repo/inputs/zhuzhou-2019" \
      -o "$work/out-$variant" $flag > /dev/null 2>&1
    echo "$variant $(cat "$work/time")" >> "$work/fonts"
  done
done
pairs "$work/fonts" system bundled "with / without system fonts"
# The state file records the fonts chosen, which differ by the system copies' names; the
# documents themselves must not.
if diff -r -x .qingdan-state.json "$work/out-system" "$work/out-bundled" > /dev/null; then
  echo "  outputs byte-identical with and without system fonts: yes"
else
  echo "  outputs byte-identical with and without system fonts: NO ($(diff -rq -x .qingdan-state.json "$work/out-system" "$work/out-bundled" | wc -l) files differ)"
fi

# 5. The download profile against a baseline build.
echo
if [ -n "${BASELINE:-}" ]; then
  echo "download profile vs BASELINE=$BASELINE: $schools-school batch, 5 pairs in turn"
  echo "  size: download $(mb "$(stat -c %s "$bin")"), baseline $(mb "$(stat -c %s "$BASELINE")")"
  batch_pairs "$work/profile" 5 download "$bin" baseline "$BASELINE"
  pairs "$work/profile" download baseline "download / baseline"
else
  echo "download profile vs a baseline: left out (BASELINE=PATH of another build)"
fi
