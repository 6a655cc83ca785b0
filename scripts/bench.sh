#!/usr/bin/env bash
# Batch benchmark (issue: batch production at the speed limit). Prints figures; asserts nothing.
#
#   bash scripts/bench.sh [SCHOOLS]        default 1000
#   bash scripts/bench.sh serve [SCHOOLS]  the web page instead (scripts/bench-serve.sh)
#   bash scripts/bench.sh bounds           hostile inputs' time and memory (scripts/bench-bounds.sh)
#   bash scripts/bench.sh release [SCHOOLS] the downloadable builds instead: size, start-up,
#                                          musl vs glibc, system fonts (scripts/bench-release.sh)
#
# 1. generates a master sheet of SCHOOLS schools from the bundled example inputs/schools-batch;
# 2. full build (Markdown + PDF + .docx for every school): documents/s, wall time, peak RSS;
#    the same without .docx (--formats md,pdf), and .docx alone (--formats docx, median of
#    three runs): DOCX files/s, and what making them costs the PDF batch (five with/without
#    pairs run in turn, the median ratios of wall and CPU time);
# 3. no-change rebuild; 4. one leader changed in one school;
# 5. baseline: one `qingdan build` process per document, timed on a sample of 50 schools and
#    extrapolated;
# 6. long lists: one leader with 500 / 2,000 / 20,000 duties (LONG_LIST="…" for other sizes),
#    wall time and peak RSS, and what each further 1,000 duties cost: constant when growth is
#    linear (it was quadratic: 2,000 duties took 6.7 s and 1 GB, 20,000 exhausted 24 GB);
# 7. memory against batch size: peak RSS of a full and of a Markdown-only build of 1,000 and
#    5,000 schools (MEMORY_SIZES="…" for others), and the ratio of the largest to the smallest,
#    which is 1 when a batch streams (target: within 10 %);
# 8. a clerk's run: `build --formats md` of inputs/zhuzhou-2019, 20 runs after one to warm the
#    caches, median wall and CPU time (target: 30 ms).
#
# QINGDAN_BIN=path measures that binary instead of building the release one (to compare two
# builds, run the script for each in turn: the machine's load changes between minutes).
set -euo pipefail
if [ "${1:-}" = serve ]; then shift; exec bash "$(dirname "$0")/bench-serve.sh" "$@"; fi
if [ "${1:-}" = bounds ]; then shift; exec bash "$(dirname "$0")/bench-bounds.sh" "$@"; fi
if [ "${1:-}" = release ]; then shift; exec bash "$(dirname "$0")/bench-release.sh" "$@"; fi
repo="$(cd "$(dirname "$0")/.." && pwd)"
schools="${1:-1000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -z "${QINGDAN_BIN:-}" ]; then
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
fi
bin="${QINGDAN_BIN:-${CARGO_TARGET_DIR:-$repo/target}/release/qingdan}"

# A batch of the given size from the bundled one (scripts/bench-schools.py).
make_batch() { # folder, schools
  python3 "$repo/scripts/bench-schools.py" "$repo/inputs/schools-batch" "$1" "$2"
}
make_batch "$work/batch" "$schools"

measure() { # label, command...
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/stdout" 2> "$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  read -r secs kib < "$work/time"
  local written; written=$(grep -oE '^[0-9]+ written' "$work/stdout" | cut -d' ' -f1 || true)
  printf '%-34s %8.2f s   peak RSS %6d MB   files written %s\n' "$label" "$secs" $((kib / 1024)) "${written:-?}"
  echo "$secs"> "$work/last"
}

echo "qingdan batch benchmark: $schools schools, $(nproc) cores, $(date -u +%F)"
measure "full build ($schools PDFs + Markdown)" "$bin" build "$work/batch" -o "$work/out" --no-system-fonts
full=$(cat "$work/last")
measure "  the same without .docx" "$bin" build "$work/batch" -o "$work/out-nodocx" --no-system-fonts --formats md,pdf
# With and without .docx in turn, five pairs, each from an empty output folder: on a shared
# machine the ratio of a pair is steadier than two runs minutes apart, and CPU time steadier
# than wall time. The medians are printed.
wall_ratios=""; cpu_ratios=""
for pair in 1 2 3 4 5; do
  for formats in md,pdf,docx md,pdf; do
    rm -rf "$work/out-pair"
    /usr/bin/time -f "%e %U %S" -o "$work/time-$formats" "$bin" build "$work/batch" -o "$work/out-pair" \
      --no-system-fonts --formats "$formats" > /dev/null 2>&1
  done
  read -r on_wall on_user on_sys < "$work/time-md,pdf,docx"
  read -r off_wall off_user off_sys < "$work/time-md,pdf"
  wall_ratios="$wall_ratios $(python3 -c "print(round($on_wall / $off_wall, 3))")"
  cpu_ratios="$cpu_ratios $(python3 -c "print(round(($on_user + $on_sys) / ($off_user + $off_sys), 3))")"
done
rm -rf "$work/out-pair"
median() { python3 -c "import statistics, sys; print((statistics.median(map(float, sys.argv[1:])) - 1) * 100)" "$@"; }
printf '%-34s %+8.1f %% wall, %+.1f %% CPU   (pairs, wall:%s; CPU:%s)\n' "  PDF batch with .docx on vs off" \
  "$(median $wall_ratios)" "$(median $cpu_ratios)" "$wall_ratios" "$cpu_ratios"
# .docx alone, three runs: the whole build (reading the sheet, Markdown, .docx files), and
# what the .docx files add to the Markdown alone.
docx_walls=""; md_walls=""
for run in 1 2 3; do
  for formats in docx md; do
    rm -rf "$work/out-$formats"
    /usr/bin/time -f "%e" -o "$work/time-$formats" "$bin" build "$work/batch" -o "$work/out-$formats" \
      --no-system-fonts --formats "$formats" > /dev/null 2>&1
  done
  docx_walls="$docx_walls $(cat "$work/time-docx")"; md_walls="$md_walls $(cat "$work/time-md")"
done
docx_wall=$(python3 -c "import statistics, sys; print(statistics.median(map(float, sys.argv[1:])))" $docx_walls)
md_wall=$(python3 -c "import statistics, sys; print(statistics.median(map(float, sys.argv[1:])))" $md_walls)
printf '%-34s %8.2f s   (runs:%s)\n' ".docx only ($schools files)" "$docx_wall" "$docx_walls"
printf '%-34s %8.0f DOCX/s   (the whole build; %.0f/s over Markdown alone, %.2f s)\n' "  DOCX throughput" \
  "$(python3 -c "print($schools / $docx_wall)")" "$(python3 -c "print($schools / max($docx_wall - $md_wall, 0.001))")" "$md_wall"
printf '%-34s %8s\n' "  pages per school PDF" "$(pdfinfo "$work/out/batch/第1中学/附件-责任清单.pdf" 2>/dev/null | awk '/^Pages/ {print $2}')"
printf '%-34s %8.1f PDFs/s\n' "  throughput" "$(python3 -c "print($schools / $full)")"
measure "no-change rebuild" "$bin" build "$work/batch" -o "$work/out" --no-system-fonts
sed -i '0,/第500中学,\([^,]*\),/s//第500中学,钱新任,/' "$work/batch/总表.csv"
measure "one leader changed (第500中学)" "$bin" build "$work/batch" -o "$work/out" --no-system-fonts

# Baseline: one process per document, each school its own project.
mkdir -p "$work/single"
python3 - "$work/batch" "$work/single" 50 <<'PY'
import csv, os, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = list(csv.reader(open(os.path.join(src, '总表.csv'), encoding='utf-8')))
header, body = rows[0][1:], rows[1:]
school, groups = None, {}
for r in body:
    school = r[0] or school
    groups.setdefault(school, []).append(r[1:])
for i, (name, rs) in enumerate(list(groups.items())[:n]):
    d = os.path.join(dst, f's{i:03d}'); os.makedirs(d)
    open(os.path.join(d, 'qingdan.yaml'), 'w').write(
        f'机关: {name}\n附件:\n  - 类型: 责任清单\n    标题: {name}党政领导干部安全生产责任清单\n    数据: 清单.csv\n')
    csv.writer(open(os.path.join(d, '清单.csv'), 'w', newline=''), lineterminator='\n').writerows([header] + rs)
PY
start=$(date +%s.%N)
for d in "$work"/single/s*; do "$bin" build "$d" -o "$work/single-out" --no-system-fonts > /dev/null 2>&1; done
end=$(date +%s.%N)
per=$(python3 -c "print(($end - $start) / 50)")
printf '%-34s %8.3f s per document → %.1f s for %s (extrapolated)\n' "baseline: one process per document" "$per" "$(python3 -c "print($per * $schools)")" "$schools"
printf '%-34s %8.1f×\n' "  batch speed-up over baseline" "$(python3 -c "print($per * $schools / $full)")"

# Long lists: one leader whose 姓名 / 职务 cells are merged over every duty, broken by every page.
# CPU time is shown beside wall time: on a shared machine it is the steadier of the two.
echo
echo "long list: one leader, N duties (the limit is 20,000 rows per table)"
printf '%8s %6s %8s %7s %8s %15s %14s\n' duties pages "wall s" "CPU s" "peak MB" "CPU s/1k more" "MB/1k more"
prev=""
for duties in ${LONG_LIST:-500 2000 20000}; do
  python3 - "$work/long-$duties" "$duties" <<'PY'
import os, sys
dst, n = sys.argv[1], int(sys.argv[2])
os.makedirs(dst)
open(os.path.join(dst, 'qingdan.yaml'), 'w', encoding='utf-8').write(
    '机关: 测试局\n附件:\n  - 类型: 责任清单\n    标题: 测试局党政领导干部安全生产责任清单\n    数据: 清单.csv\n')
with open(os.path.join(dst, '清单.csv'), 'w', encoding='utf-8') as f:
    f.write('姓名,职务,工作职责\n')
    for i in range(n):
        lead = '张三,党委书记 局长,' if i == 0 else ',,'
        f.write(f'{lead}第{i + 1}项：督促分管领域落实安全生产责任，定期组织检查并整改隐患问题。\n')
PY
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$bin" build "$work/long-$duties" -o "$work/long-out" \
    --no-system-fonts > /dev/null 2> "$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  read -r secs kib user sys < "$work/time"
  cpu=$(python3 -c "print($user + $sys)")
  pages=$(pdfinfo "$work/long-out/long-$duties/附件-责任清单.pdf" 2>/dev/null | awk '/^Pages/ {print $2}')
  # The cost of each further 1,000 duties over the previous size: constant if growth is linear.
  marginal=$(printf '%15s %14s' - -)
  if [ -n "$prev" ]; then
    read -r p_duties p_cpu p_kib <<< "$prev"
    marginal=$(python3 -c "d = ($duties - $p_duties) / 1000; print(f'{($cpu - $p_cpu) / d:15.2f} {($kib - $p_kib) / 1024 / d:14.0f}')")
  fi
  printf '%8d %6s %8.2f %7.2f %8d %s\n' "$duties" "${pages:-?}" "$secs" "$cpu" $((kib / 1024)) "$marginal"
  prev="$duties $cpu $kib"
done

# The character grid: what boxing every full-width mark costs a body-heavy document (zhuzhou's
# 实施细则 and 全文: 8 and 11 pages of rules), built with the layout template as it is and with the
# grid taken out (grid-on: false), in turn, 5 times each; CPU seconds, median per variant.
echo
echo "character grid: zhuzhou-2019 (PDF only), template with vs without the grid, 5 runs each"
for variant in grid plain; do
  mkdir -p "$work/grid-$variant"
  rm -rf "$work/grid-$variant/zhuzhou-2019"
  cp -r "$repo/inputs/zhuzhou-2019" "$work/grid-$variant/"
  mkdir -p "$work/grid-$variant/zhuzhou-2019/templates"
  if [ "$variant" = grid ]; then
    cp "$repo/templates/gongwen.typ" "$work/grid-$variant/zhuzhou-2019/templates/"
  else
    sed 's/^#let grid-on = true$/#let grid-on = false/' "$repo/templates/gongwen.typ" > "$work/grid-$variant/zhuzhou-2019/templates/gongwen.typ"
  fi
done
for run in 1 2 3 4 5; do
  for variant in grid plain; do
    rm -rf "$work/grid-out-$variant"
    /usr/bin/time -f "%U %S" -o "$work/time" "$bin" build "$work/grid-$variant/zhuzhou-2019" \
      -o "$work/grid-out-$variant" --no-system-fonts --formats pdf > /dev/null 2> "$work/stderr" \
      || { cat "$work/stderr" >&2; exit 1; }
    read -r user sys < "$work/time"
    echo "$variant $(python3 -c "print($user + $sys)")" >> "$work/grid-times"
  done
done
python3 - "$work/grid-times" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    variant, cpu = line.split()
    times.setdefault(variant, []).append(float(cpu))
grid, plain = statistics.median(times["grid"]), statistics.median(times["plain"])
print(f"  with the grid {grid:.2f} s CPU, without {plain:.2f} s: {(grid / plain - 1) * 100:+.0f} %")
PY

# Memory against batch size: each size built into an empty folder, full and Markdown only.
echo
echo "memory against batch size: peak RSS, full build and Markdown only"
printf '%8s %10s %10s\n' schools "full MB" "md MB"
sizes=(${MEMORY_SIZES:-1000 5000})
for n in "${sizes[@]}"; do
  [ -d "$work/mem-$n" ] || make_batch "$work/mem-$n" "$n"
  for formats in md,pdf,docx md; do
    rm -rf "$work/mem-out"
    /usr/bin/time -f "%M" -o "$work/time-mem-$formats" "$bin" build "$work/mem-$n" -o "$work/mem-out" \
      --no-system-fonts --formats "$formats" > /dev/null 2> "$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  done
  printf '%8d %10d %10d\n' "$n" $(( $(cat "$work/time-mem-md,pdf,docx") / 1024 )) $(( $(cat "$work/time-mem-md") / 1024 ))
  echo "$n $(cat "$work/time-mem-md,pdf,docx") $(cat "$work/time-mem-md")" >> "$work/mem"
done
rm -rf "$work/mem-out"
python3 - "$work/mem" <<'PY'
import sys
rows = [list(map(int, line.split())) for line in open(sys.argv[1])]
(small, full_small, md_small), (large, full_large, md_large) = rows[0], rows[-1]
print(f"  {large} against {small} schools: full build ×{full_large / full_small:.2f}, Markdown only ×{md_large / md_small:.2f} (target ≤ ×1.10)")
PY

# A clerk's run: one project, Markdown only, the time a process costs before it does anything
# (loading a dictionary, say) included.
echo
echo "Markdown only, one project (inputs/zhuzhou-2019), 20 runs after a warm-up"
python3 - "$bin" "$repo/inputs/zhuzhou-2019" "$work/md-one" <<'PY'
import os, resource, statistics, subprocess, sys, time
binary, project, out = sys.argv[1:]
def run():
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([binary, "build", project, "-o", out, "--formats", "md"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
run()
walls, cpus = zip(*(run() for _ in range(20)))
print(f"  median {statistics.median(walls) * 1000:.1f} ms wall, {statistics.median(cpus) * 1000:.1f} ms CPU "
      f"(wall {min(walls) * 1000:.1f}–{max(walls) * 1000:.1f} ms; target 30 ms)")
PY
