#!/usr/bin/env bash
# Hostile-input bounds (issue 18): time and peak memory of `qingdan check` on inputs that were
# unbounded, at the sizes the issue measured. Prints figures; asserts nothing.
#
#   bash scripts/bench.sh bounds
#   QINGDAN=path/to/qingdan bash scripts/bench-bounds.sh   another build (e.g. an older one, to compare)
#
# 1. check --layout on a one-page PDF of N million line segments (a form drawn many times);
# 2. a manifest with 100 / 1,000 attachments (one small 责任清单 each), `check` and `build`;
# 3. a Markdown body of 1 / 2 MB (the most a body file may hold) and one of 4 MB (refused);
# 4. an 871-byte .ods repeating one row 1,048,575 times.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -n "${QINGDAN:-}" ]; then
  bin="$QINGDAN"
else
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
  bin="${CARGO_TARGET_DIR:-$repo/target}/release/qingdan"
fi

measure() { # label, command...
  local label="$1"; shift
  local code=0
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/stdout" 2> "$work/stderr" || code=$?
  read -r secs kib < <(tail -n 1 "$work/time")
  printf '%-48s %8.2f s   peak RSS %6d MB   exit %s\n' "$label" "$secs" $((kib / 1024)) "$code"
}

echo "qingdan bounds: $(nproc) cores, $(date -u +%F)"

python3 - "$work" <<'PY'
import os, sys, zipfile
work = sys.argv[1]
# 1. Line drawings: a form of L segments drawn N times.
def lines_pdf(path, L, N):
    form = "".join(f"{(i*7)%500+50} {(i*13)%700+50} m {(i*11)%500+50} {(i*17)%700+50} l S\n" for i in range(L)).encode()
    content = b"0.1 w\n" + b"/F Do\n" * N
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /XObject << /F 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595.28 841.89] /Length %d >>\nstream\n" % len(form) + form + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n"); offs = []
    for i, o in enumerate(objs):
        offs.append(len(out)); out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs: out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    open(path, "wb").write(out)
lines_pdf(os.path.join(work, "lines-1m.pdf"), 1000, 1000)
lines_pdf(os.path.join(work, "lines-3m.pdf"), 3000, 1000)
# 2. Many attachments, each its own small 责任清单.
for n in (100, 1000):
    d = os.path.join(work, f"attachments-{n}"); os.makedirs(d)
    with open(os.path.join(d, "清单.csv"), "w", encoding="utf-8") as f:
        f.write("姓名,职务,工作职责\n张三,局长,主持全面工作。\n")
    with open(os.path.join(d, "qingdan.yaml"), "w", encoding="utf-8") as f:
        f.write("机关: 测试局\n附件:\n")
        for i in range(n):
            f.write(f"  - 类型: 责任清单\n    标题: 第{i + 1}个责任清单\n    数据: 清单.csv\n    名称: 附件{i + 1}\n")
# 3. Markdown bodies.
item = "1. 各级领导干部应当认真履行安全生产职责，定期组织检查并整改隐患问题。\n"
for mb in (1, 2, 4):
    d = os.path.join(work, f"body-{mb}mb"); os.makedirs(d)
    open(os.path.join(d, "qingdan.yaml"), "w", encoding="utf-8").write(
        "机关: 测试局\n主件:\n  类型: 细则\n  标题: 细则\n  正文: 细则.md\n")
    n = (mb << 20) // len(item.encode()) - 1
    open(os.path.join(d, "细则.md"), "w", encoding="utf-8").write("# 总则\n\n" + item * n)
# 4. The repeated .ods row.
d = os.path.join(work, "ods"); os.makedirs(d)
open(os.path.join(d, "qingdan.yaml"), "w", encoding="utf-8").write(
    "机关: 测试局\n附件:\n  - 类型: 安排表\n    标题: 表\n    数据: 表.ods\n")
cell = lambda t: f'<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>'
content = ('<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
           '<office:body><office:spreadsheet><table:table table:name="S">'
           f'<table:table-row>{cell("带队领导")}{cell("检查范围")}</table:table-row>'
           f'<table:table-row table:number-rows-repeated="1048575">{cell("张三")}{cell("各校")}</table:table-row>'
           '</table:table></office:spreadsheet></office:body></office:document-content>')
with zipfile.ZipFile(os.path.join(d, "表.ods"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
    z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    z.writestr("content.xml", content)
PY

for pdf in lines-1m lines-3m; do
  measure "check --layout $pdf.pdf ($(stat -c %s "$work/$pdf.pdf") bytes)" "$bin" check --layout "$work/$pdf.pdf"
done
for n in 100 1000; do
  measure "check, $n attachments" "$bin" check "$work/attachments-$n" --no-system-fonts
  measure "build, $n attachments" "$bin" build "$work/attachments-$n" -o "$work/out-$n" --no-system-fonts
done
for mb in 1 2 4; do
  measure "build --formats md, a body of $mb MB" "$bin" build "$work/body-${mb}mb" -o "$work/out-body" --no-system-fonts --formats md
done
measure "check, .ods row repeated 1,048,575 times ($(stat -c %s "$work/ods/表.ods") bytes)" "$bin" check "$work/ods"
