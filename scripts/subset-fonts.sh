#!/usr/bin/env bash
# Regenerates the bundled fonts in assets/fonts/ from Debian packages:
#   fonts-noto-cjk        → Noto Serif CJK SC Regular/Bold, Noto Sans CJK SC Regular (SIL OFL 1.1)
#   texlive-lang-chinese  → FandolFang, FandolKai (GPL-3 with font exception)
# Each is subset to 通用规范汉字表 (Unihan kTGH, from unicode-data) ∪ GB 2312 ∪ the punctuation and
# symbols a 公文 uses, keeping every OpenType layout feature (locl/fwid/vert matter).
# Needs: apt-get (Debian), python3 with fonttools (installed with pip if missing). Writes only
# assets/fonts/ and assets/fonts/LICENSES/.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/assets/fonts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/LICENSES"

cd "$work"
apt-get update -qq || true
apt-get download fonts-noto-cjk texlive-lang-chinese unicode-data >/dev/null
for deb in ./*.deb; do dpkg-deb -x "$deb" root; done
python3 -c 'import fontTools' 2>/dev/null || pip install -q fonttools

noto=root/usr/share/fonts/opentype/noto
fandol=root/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
unihan=root/usr/share/unicode   # Unihan_*.txt.bz2

python3 - "$unihan" > charset.txt <<'PY'
import sys, bz2, glob, os
chars = set()
# 通用规范汉字表: every code point with a kTGH entry.
for name in glob.glob(os.path.join(sys.argv[1], 'Unihan_*.txt.bz2')):
    for line in bz2.open(name, 'rt', encoding='utf-8'):
        parts = line.split('\t')
        if len(parts) >= 2 and parts[1] == 'kTGH':
            chars.add(int(parts[0][2:], 16))
tgh = len(chars)
# GB 2312: every valid two-byte code.
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.update(ord(c) for c in bytes([hi, lo]).decode('gb2312'))
        except UnicodeDecodeError:
            pass
ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2150, 0x218F),
          (0x2190, 0x21FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF),
          (0x3000, 0x303F), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)]
for a, b in ranges:
    chars.update(range(a, b + 1))
chars.update(ord(c) for c in '堃喆昇镕')
print(','.join('U+%04X' % c for c in sorted(chars)))
print('通用规范汉字表: %d, total: %d' % (tgh, len(chars)), file=sys.stderr)
PY

# Face index of "Noto … CJK SC" inside a TTC.
sc_index() {
  python3 - "$1" "$2" <<'PY'
import sys
from fontTools.ttLib import TTCollection
for i, f in enumerate(TTCollection(sys.argv[1]).fonts):
    if f['name'].getDebugName(1) == sys.argv[2]:
        print(i); break
PY
}

subset() { # source index output
  pyftsubset "$1" --font-number="$2" --unicodes-file=charset.txt --output-file="$out/$3" \
    --layout-features='*' --name-IDs='*' --name-languages='*' --notdef-outline --glyph-names \
    --no-hinting
  echo "$3: $(du -k "$out/$3" | cut -f1) KiB"
}
tr ',' '\n' < charset.txt > charset.lines && mv charset.lines charset.txt

subset "$fandol/FandolFang-Regular.otf" 0 FandolFang-Regular.otf
subset "$fandol/FandolKai-Regular.otf" 0 FandolKai-Regular.otf
subset "$noto/NotoSerifCJK-Regular.ttc" "$(sc_index "$noto/NotoSerifCJK-Regular.ttc" 'Noto Serif CJK SC')" NotoSerifCJKsc-Regular.otf
subset "$noto/NotoSerifCJK-Bold.ttc" "$(sc_index "$noto/NotoSerifCJK-Bold.ttc" 'Noto Serif CJK SC')" NotoSerifCJKsc-Bold.otf
subset "$noto/NotoSansCJK-Regular.ttc" "$(sc_index "$noto/NotoSansCJK-Regular.ttc" 'Noto Sans CJK SC')" NotoSansCJKsc-Regular.otf

cp root/usr/share/doc/fonts-noto-cjk/copyright "$out/LICENSES/Noto-CJK.copyright.txt"
cp root/usr/share/doc/texlive-lang-chinese/copyright "$out/LICENSES/texlive-lang-chinese.copyright.txt"
find root -path "*fandol*" \( -iname "README*" -o -iname "COPYING*" \) -exec cp {} "$out/LICENSES/" \; 2>/dev/null || true
for z in "$out/LICENSES"/*.gz; do [ -e "$z" ] && gunzip -f "$z"; done
for f in "$out/LICENSES"/README* "$out/LICENSES"/COPYING*; do
  [ -e "$f" ] && mv "$f" "$out/LICENSES/Fandol-$(basename "$f").txt"
done

# Coverage of the 8105 通用规范 characters per font.
python3 - "$unihan" "$out" <<'PY'
import sys, bz2, glob, os
from fontTools.ttLib import TTFont
tgh = set()
for name in glob.glob(os.path.join(sys.argv[1], 'Unihan_*.txt.bz2')):
    for line in bz2.open(name, 'rt', encoding='utf-8'):
        p = line.split('\t')
        if len(p) >= 2 and p[1] == 'kTGH':
            tgh.add(int(p[0][2:], 16))
for path in sorted(glob.glob(os.path.join(sys.argv[2], '*.otf'))):
    f = TTFont(path)
    cmap = f.getBestCmap()
    print('%-28s family %-20r 通用规范 %d/%d' % (os.path.basename(path), f['name'].getDebugName(1), len(tgh & set(cmap)), len(tgh)))
PY
