#!/usr/bin/env bash
# Regenerates the bundled fonts in assets/fonts/ from Debian packages:
#   fonts-noto-cjk        → Noto Serif CJK SC Regular/Bold, Noto Sans CJK SC Regular (SIL OFL 1.1)
#   texlive-lang-chinese  → FandolFang, FandolKai (GPL-3 with the GPL font exception)
#   unicode-data          → Unihan, for the 通用规范汉字表 (field kTGH)
# Each font is subset to 通用规范汉字表 (8105) ∪ GB 2312 ∪ the punctuation and symbols a 公文 uses,
# keeping every OpenType layout feature (locl/fwid/vert matter); hinting is dropped, as PDF viewers and printers ignore it.
#
# Usage: bash scripts/subset-fonts.sh [OUTPUT_DIR]     (default: assets/fonts)
# Needs: a Debian-like system with apt-get and dpkg-deb, python3 (fonttools is installed with pip
# if missing). The packages are only downloaded and unpacked into a temporary directory, never
# installed, so the machine stays without system CJK fonts. Writes only OUTPUT_DIR (*.otf,
# README.md, LICENSES/).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$repo/assets/fonts}"
mkdir -p "$out/LICENSES"
out="$(cd "$out" && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # lets apt's _apt user write the downloads there
cd "$work"

packages=(fonts-noto-cjk texlive-lang-chinese unicode-data)
if ! apt-get download "${packages[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  apt-get download "${packages[@]}" >/dev/null
fi
for deb in ./*.deb; do dpkg-deb -x "$deb" root; done
for deb in ./*.deb; do dpkg-deb -f "$deb" Package Version | paste -sd' '; done \
  | sed 's/^Package: \(.*\) Version: \(.*\)$/\1 \2/' > versions.txt

if ! python3 -c 'import fontTools.subset' 2>/dev/null; then
  python3 -m pip install -q fonttools
fi
pyftsubset() { python3 -m fontTools.subset "$@"; }

noto=root/usr/share/fonts/opentype/noto
fandol=root/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
unihan=root/usr/share/unicode/Unihan_OtherMappings.txt.bz2 # has kTGH in Unicode 15

# 通用规范汉字表: every code point with a kTGH entry.
python3 - "$unihan" > tgh.txt <<'PY'
import bz2, sys
chars = set()
for line in bz2.open(sys.argv[1], 'rt', encoding='utf-8'):
    parts = line.split('\t')
    if len(parts) >= 3 and parts[1] == 'kTGH':
        chars.add(int(parts[0][2:], 16))
if len(chars) != 8105:
    sys.exit('expected 8105 kTGH code points, found %d' % len(chars))
print('\n'.join('U+%04X' % c for c in sorted(chars)))
PY

# The whole character set, one U+XXXX a line.
python3 - tgh.txt > charset.txt <<'PY'
import sys
chars = {int(l[2:], 16) for l in open(sys.argv[1]) if l.strip()}
# GB 2312: every valid two-byte code.
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.update(map(ord, bytes([hi, lo]).decode('gb2312')))
        except UnicodeDecodeError:
            pass
ranges = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1
    (0x2000, 0x206F),  # General Punctuation
    (0x2100, 0x214F),  # Letterlike Symbols
    (0x2150, 0x218F),  # Number Forms
    (0x2190, 0x21FF),  # Arrows
    (0x2460, 0x24FF),  # Enclosed Alphanumerics
    (0x2500, 0x257F),  # Box Drawing
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0x2600, 0x26FF),  # Miscellaneous Symbols (★ U+2605)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFE10, 0xFE1F),  # Vertical Forms
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
for a, b in ranges:
    chars.update(range(a, b + 1))
chars.update(map(ord, '堃喆昇镕'))  # rare name characters, asked for explicitly
print('\n'.join('U+%04X' % c for c in sorted(chars)))
print('character set: %d code points' % len(chars), file=sys.stderr)
PY

# Face index of a family (name ID 1) inside a TTC.
face_index() {
  python3 - "$1" "$2" <<'PY'
import sys
from fontTools.ttLib import TTCollection
for i, f in enumerate(TTCollection(sys.argv[1]).fonts):
    if f['name'].getDebugName(1) == sys.argv[2]:
        print(i)
        sys.exit(0)
sys.exit('no face %r in %s' % (sys.argv[2], sys.argv[1]))
PY
}

subset() { # source face-index output
  pyftsubset "$1" --font-number="$2" --unicodes-file=charset.txt --output-file="$out/$3" \
    --layout-features='*' --name-IDs='*' --name-languages='*' --notdef-outline --glyph-names \
    --no-hinting
  echo "$3: $(du -k "$out/$3" | cut -f1) KiB"
}

subset "$fandol/FandolFang-Regular.otf" 0 FandolFang-Regular.otf
subset "$fandol/FandolKai-Regular.otf" 0 FandolKai-Regular.otf
for spec in "NotoSerifCJK-Regular.ttc:Noto Serif CJK SC:NotoSerifCJKsc-Regular.otf" \
            "NotoSerifCJK-Bold.ttc:Noto Serif CJK SC:NotoSerifCJKsc-Bold.otf" \
            "NotoSansCJK-Regular.ttc:Noto Sans CJK SC:NotoSansCJKsc-Regular.otf"; do
  IFS=: read -r ttc family file <<< "$spec"
  subset "$noto/$ttc" "$(face_index "$noto/$ttc" "$family")" "$file"
done

# Licences.
rm -rf "$out/LICENSES" && mkdir -p "$out/LICENSES"
cp root/usr/share/doc/fonts-noto-cjk/copyright "$out/LICENSES/Noto-CJK.copyright.txt" # has OFL 1.1
cp root/usr/share/doc/texlive-doc/fonts/fandol/README "$out/LICENSES/Fandol-README.txt"
gunzip -c root/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz > "$out/LICENSES/Fandol-COPYING.txt"
cp root/usr/share/doc/texlive-lang-chinese/copyright "$out/LICENSES/texlive-lang-chinese.copyright.txt"
# Fandol's README says "GPL + GPL font exception" without quoting the exception; this is the
# exception's standard wording from the FSF's GPL FAQ ("How does the GPL apply to fonts?").
cat > "$out/LICENSES/Fandol-GPL-font-exception.txt" <<'EOF'
The Fandol fonts (FandolFang, FandolKai), copyright © 2012-2013 the Fandol team (Clerk Ma, Jie Su),
are licensed under the GNU General Public License version 3 (Fandol-COPYING.txt) with the GPL font
exception (Fandol-README.txt: "These fonts's licensing is GPL + GPL font exception"), whose standard
wording, as given by the Free Software Foundation, is:

As a special exception, if you create a document which uses this font, and embed this font or
unaltered portions of this font into the document, this font does not by itself cause the resulting
document to be covered by the GNU General Public License. This exception does not however
invalidate any other reasons why the document might be covered by the GNU General Public License.
If you modify this font, you may extend this exception to your version of the font, but you are not
obligated to do so. If you do not wish to do so, delete this exception statement from your version.

The subset files in this directory's parent are modified versions (fewer glyphs, nothing else
changed); they are generated by scripts/subset-fonts.sh and extend the exception unchanged.
EOF

# Check the results, print coverage and write README.md.
python3 - "$out" tgh.txt charset.txt versions.txt <<'PY'
import os, sys
import fontTools
from fontTools.ttLib import TTFont

out, tgh_file, charset_file, versions_file = sys.argv[1:]
tgh = {int(l[2:], 16) for l in open(tgh_file) if l.strip()}
charset = {int(l[2:], 16) for l in open(charset_file) if l.strip()}
versions = dict(l.split() for l in open(versions_file) if l.strip())
required = '一、（—〔〕'  # U+4E00 U+3001 U+FF08 U+2014 U+3014 U+3015

fonts = [  # file, role, package, licence
    ('FandolFang-Regular.otf', '仿宋 (body text)', 'texlive-lang-chinese', 'GPL-3 + font exception'),
    ('FandolKai-Regular.otf', '楷体', 'texlive-lang-chinese', 'GPL-3 + font exception'),
    ('NotoSerifCJKsc-Regular.otf', '宋体; fallback for 仿宋/楷体', 'fonts-noto-cjk', 'SIL OFL 1.1'),
    ('NotoSerifCJKsc-Bold.otf', '标题 (banner, titles)', 'fonts-noto-cjk', 'SIL OFL 1.1'),
    ('NotoSansCJKsc-Regular.otf', '黑体', 'fonts-noto-cjk', 'SIL OFL 1.1'),
]

rows, notes, total, failed = [], [], 0, False
for file, role, package, licence in fonts:
    path = os.path.join(out, file)
    font = TTFont(path)
    cmap = font.getBestCmap()
    name = font['name']
    fam, sub, typo = (name.getDebugName(i) for i in (1, 2, 16))
    missing_required = [c for c in required if ord(c) not in cmap]
    if missing_required:
        print('%s lacks %s' % (file, ''.join(missing_required)), file=sys.stderr)
        failed = True
    covered = len(tgh & set(cmap))
    size = os.path.getsize(path)
    total += size
    print('%-28s family %-20r 通用规范 %d/%d, %d of %d code points, %.1f MB'
          % (file, fam, covered, len(tgh), len(charset & set(cmap)), len(charset), size / 1e6))
    rows.append('| %s | %s | %s | %s | %s | %s %s | %s | %.1f MB | %d / %d |' % (
        file, fam, sub, typo or '—', role, package, versions[package], licence,
        size / 1e6, covered, len(tgh)))
    lacking = sorted(tgh - set(cmap))
    if lacking:
        notes.append('- %s lacks %d of the 8105: %s …' % (
            file, len(lacking), ''.join(chr(c) for c in lacking[:40])))
if failed:
    sys.exit(1)
print('total %.1f MB' % (total / 1e6))

fandol_missing = '、'.join(c for c in '堃喆昇镕啰瞭' if ord(c) not in TTFont(os.path.join(out, 'FandolFang-Regular.otf')).getBestCmap())
readme = '''# Bundled fonts

qingdan compiles these fonts into its binary so that Chinese prints correctly on a machine with no
CJK fonts installed. They are subsets of the fonts in the Debian 12 packages below: 通用规范汉字表
(8105 characters, Unihan `kTGH`) ∪ GB 2312 ∪ ASCII, Latin-1 and the punctuation and symbol blocks a
公文 uses ({n} code points in all), with every OpenType layout feature (`locl`, `fwid`, `vert`, …),
all name records kept and hinting dropped (PDF output does not use it).

| file | family (name ID 1, what typst matches) | subfamily (ID 2) | typographic family (ID 16) | role | source (Debian package) | licence | size | 通用规范 coverage |
|---|---|---|---|---|---|---|---|---|
{rows}

Total {total:.1f} MB. Typst takes the family from name ID 1 (it ignores ID 16), so the 仿宋 font is
`"FandolFang R"`, while the Noto fonts' Regular and Bold share one family, told apart by weight.

The Fandol fonts do not cover the whole 通用规范汉字表 (expected: they cover GB 2312 and a little
more); among the characters they lack are {fm}. qingdan's font lists put Noto Serif CJK SC after
them, so those characters print in Noto rather than as blank boxes.

{notes}

Licences are in `LICENSES/`: the Noto CJK fonts are under the SIL Open Font License 1.1 (text in
`Noto-CJK.copyright.txt`, Debian's copyright file for fonts-noto-cjk); the Fandol fonts under the
GPL version 3 (`Fandol-COPYING.txt`) with the GPL font exception (`Fandol-README.txt`,
`Fandol-GPL-font-exception.txt`). Both allow embedding (subsets of) the fonts in PDF documents.

## Regenerating

    bash scripts/subset-fonts.sh

downloads the packages with `apt-get download` (no installation), builds the character set,
subsets with fontTools' `pyftsubset` (`--layout-features='*' --name-IDs='*' --name-languages='*'
--notdef-outline --glyph-names --no-hinting`), copies the licences and rewrites this file. These files were made
with fontTools {ftv}.
'''.format(n=len(charset), rows='\n'.join(rows), total=total / 1e6, fm=fandol_missing,
           notes='\n'.join(notes), ftv=fontTools.version)
open(os.path.join(out, 'README.md'), 'w').write(readme)
PY
