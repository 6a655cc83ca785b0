"""A batch project of N schools for the benchmarks: bench-schools.py SOURCE DESTINATION N.

SOURCE is inputs/schools-batch; DESTINATION receives its qingdan.yaml and a 总表.csv in which each
school lists the example's leadership team five times over (15 leaders, 35 duties), which makes a
four-page PDF per school, the size the targets are stated for.
"""
import csv, os, shutil, sys

src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(dst)
shutil.copy(os.path.join(src, 'qingdan.yaml'), dst)
rows = list(csv.reader(open(os.path.join(src, '总表.csv'), encoding='utf-8')))
header, body = rows[0], rows[1:]
# One school's block of rows, reused with a new school name and new leader names.
block = [r for r in body]
first = [i for i, r in enumerate(block) if r[0]]
block = block[first[0]:first[1]]
names = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'
out = [header]
for s in range(n):
    for k in range(5):
        for j, r in enumerate(block):
            r = list(r)
            r[0] = f'第{s + 1}中学' if j == 0 and k == 0 else ''
            if r[1]:
                r[1] = names[s % 20] + names[(s // 20 + j) % 20] + '甲乙丙丁戊'[k]
            if r[3]:
                r[3] = f'{r[3][:-1]}（第{k + 1}组）。'
            out.append(r)
csv.writer(open(os.path.join(dst, '总表.csv'), 'w', encoding='utf-8', newline=''), lineterminator='\n').writerows(out)
