#!/usr/bin/env bash
# `qingdan serve` benchmark (issue 11). Prints figures; asserts nothing.
#
#   bash scripts/bench-serve.sh [SCHOOLS]      default 20  (also: bash scripts/bench.sh serve)
#
# Serves two generated projects from a release build: `list`, one four-page 责任清单 (15
# leaders, 35 duties: the size the targets are stated for), and `batch`, SCHOOLS schools with
# such a list each. Then, with curl:
# 1. a personnel change on `list`: upload (check), Apply (write + rebuild), then the time until
#    all four preview pages of the new version are served — target ≤ 500 ms;
# 2. SCHOOLS concurrent preview requests, one per school (as many distinct compiles), with the
#    server's peak RSS over them — target ≤ 400 MB for 20. The peak is read from
#    /proc/PID/status (VmHWM) after resetting it (`echo 5 > /proc/PID/clear_refs`) once the
#    startup build is done, and, for the whole run, at the end.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
schools="${1:-20}"
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# QINGDAN_BIN=path: measure that binary instead of building the release one.
if [ -z "${QINGDAN_BIN:-}" ]; then
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
fi
bin="${QINGDAN_BIN:-${CARGO_TARGET_DIR:-$repo/target}/release/qingdan}"

mkdir -p "$work/inputs"
python3 "$repo/scripts/bench-schools.py" "$repo/inputs/schools-batch" "$work/inputs/batch" "$schools"
# One school's 责任清单 as a project of its own: the batch's first school, without its column.
python3 - "$work/inputs" <<'PY'
import csv, os, sys
dst = sys.argv[1]
rows = list(csv.reader(open(os.path.join(dst, 'batch', '总表.csv'), encoding='utf-8')))
header, body = rows[0], rows[1:]
school = body[:next((i for i, r in enumerate(body) if i and r[0]), len(body))]
os.makedirs(os.path.join(dst, 'list'))
open(os.path.join(dst, 'list', 'qingdan.yaml'), 'w', encoding='utf-8').write(
    '机关: 株洲市第一中学\n附件:\n  - 类型: 责任清单\n    标题: 株洲市第一中学党政领导干部安全生产责任清单\n    数据: 责任清单.csv\n')
w = csv.writer(open(os.path.join(dst, 'list', '责任清单.csv'), 'w', encoding='utf-8', newline=''), lineterminator='\n')
w.writerow(header[1:])
w.writerows(r[1:] for r in school)
PY

cd "$work"
start=$(date +%s.%N)
"$bin" serve inputs --port 0 --no-system-fonts > serve.out 2> serve.err &
server=$!
until grep -q 'web page: http' serve.out 2>/dev/null; do
  kill -0 "$server" 2>/dev/null || { cat serve.err >&2; exit 1; }
  sleep 0.1
done
ready=$(date +%s.%N)
base=$(grep -o 'web page: http://[^/]*' serve.out | sed 's/web page: //')
hwm() { awk '/^VmHWM/ {printf "%d", $2 / 1024}' "/proc/$server/status"; }
ms() { python3 -c "print(round(($2 - $1) * 1000))"; }
id_of() { curl -s "$base/" | python3 -c "
import re, sys
html = sys.stdin.read()
for m in re.finditer(r'data-project=\"(\d+)\">\s*<a class=\"project-link\" href=\"[^\"]*\">([^<]*)<', html):
    if m.group(2) == sys.argv[1]: print(m.group(1))" "$1"; }
echo "qingdan serve benchmark: $schools schools + one four-page list, $(nproc) cores, $(date -u +%F)"
printf '%-44s %6s ms   peak RSS %4s MB\n' "start (fonts, build ${schools}+1 sets)" "$(ms "$start" "$ready")" "$(hwm)"

list=$(id_of list); batch=$(id_of batch)
pages=$(curl -s "$base/p/$list" | grep -o 'alt="附件-责任清单 第' | wc -l || true)
printf '%-44s %6s\n' "pages of the list (附件-责任清单)" "$pages"

# 1. A personnel change: one leader renamed.
python3 - inputs/list/责任清单.csv new.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))
rows[1][0] = '钱新任'
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline=''), lineterminator='\n').writerows(rows)
PY
t0=$(date +%s.%N)
curl -s -o check.html -H "Origin: $base" -F "file=@new.csv" "$base/p/$list/a/0/check"
t1=$(date +%s.%N)
token=$(grep -o 'name="token" value="[^"]*' check.html | cut -d'"' -f4)
digest=$(grep -o 'name="digest" value="[^"]*' check.html | cut -d'"' -f4)
curl -s -o /dev/null -H "Origin: $base" -d "token=$token&digest=$digest" "$base/p/$list/a/0/apply"
t2=$(date +%s.%N)
# (`wait` on the requests only: the server is a background job too.)
pids=()
for n in 1 2 3 4; do curl -s -o "page$n.png" "$base/p/$list/u/0/d/0/page/$n" & pids+=($!); done
wait "${pids[@]}"
t3=$(date +%s.%N)
printf '%-44s %6s ms\n' "check the upload (read, validate, report)" "$(ms "$t0" "$t1")"
printf '%-44s %6s ms\n' "apply (write, keep old, rebuild)" "$(ms "$t1" "$t2")"
printf '%-44s %6s ms   (target <= 500)\n' "then the 4 preview pages of the new list" "$(ms "$t2" "$t3")"
file page4.png | grep -q 'PNG image' || echo "  (page 4 is not a PNG: $(head -c 200 page4.png))"
grep -q 钱新任 output/list/附件-责任清单.md || echo "  (the rebuilt list lacks the new leader!)"

# 2. Concurrent previews, one per school: distinct compiles.
echo 5 > "/proc/$server/clear_refs"
t0=$(date +%s.%N)
pids=()
for u in $(seq 0 $((schools - 1))); do
  curl -s -o "school$u.png" -w '%{http_code}\n' "$base/p/$batch/u/$u/d/0/page/1" >> codes.txt &
  pids+=($!)
done
wait "${pids[@]}"
t1=$(date +%s.%N)
ok=$(grep -c '^200$' codes.txt || true)
printf '%-44s %6s ms   peak RSS %4s MB   (%s/%s answered 200; target <= 400 MB)\n' \
  "$schools concurrent previews, one per school" "$(ms "$t0" "$t1")" "$(hwm)" "$ok" "$schools"
t0=$(date +%s.%N)
pids=()
for u in $(seq 1 "$schools"); do curl -s -o /dev/null "$base/p/$batch/u/0/d/0/page/1" & pids+=($!); done
wait "${pids[@]}"
t1=$(date +%s.%N)
printf '%-44s %6s ms   peak RSS %4s MB\n' "$schools concurrent requests of one cached page" "$(ms "$t0" "$t1")" "$(hwm)"
