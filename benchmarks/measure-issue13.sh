#!/bin/bash
# The figures of issue 13 (hot loops), each from one run, printed as one table at the end.
# Run from the repository root on an idle machine, after building what it runs:
#   mvn -B install -DskipTests        (or: -pl benchmarks/jmh,benchmarks/evaluation,benchmarks/gateway-load,features/gateway -am)
# Parts and their running time on the idle 2-core development machine (estimates; the script prints the real ones):
#   1. JMH, one fork each: VideoDecodeBench, MotionStepBench (MOG2, RUNNING_AVERAGE), InputPreparationBench (full),
#      InferenceBench rawInference + fullPipeline (javacpp)                       about 3 minutes
#   2. edgetune-evaluate.jar on the whole sample video (795 frames) and the static scene (200 frames)
#                                                                                  about 5 minutes (+2 the first time: teacher labels)
#   3. gateway load probe: steps busy + 0, 2, 16 static cameras, then the naive loop likewise
#                                                                                  about 6 minutes
# Total about 15 minutes. OUT (default /tmp/edgetune-issue13) keeps every raw output.
set -euo pipefail
OUT=${OUT:-/tmp/edgetune-issue13}
JAVA=${JAVA:-java}
mkdir -p "$OUT"
for f in benchmarks/jmh/target/edgetune-jmh.jar benchmarks/evaluation/target/edgetune-evaluate.jar \
         benchmarks/gateway-load/target/edgetune-gateway-load.jar features/gateway/target/edgetune-gateway.jar; do
    [ -f "$f" ] || { echo "missing $f: build first (see the top of this script)" >&2; exit 2; }
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(date +%s)

# 1. JMH (average time per operation, ms)
"$JAVA" -jar benchmarks/jmh/target/edgetune-jmh.jar -f 1 -wi 3 -i 5 -r 1s -p backend=javacpp -p region=full \
    -rf json -rff "$OUT/jmh.json" 'VideoDecodeBench|MotionStepBench|InputPreparationBench|InferenceBench' > "$OUT/jmh.txt" 2>&1
t1=$(date +%s)
echo "JMH: $((t1 - t0)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"

# 2. evaluation (CPU per frame, quality against the teacher, static scene)
"$JAVA" -jar benchmarks/evaluation/target/edgetune-evaluate.jar --out "$OUT/evaluation" > "$OUT/evaluation.txt" 2> "$OUT/evaluation.err"
t2=$(date +%s)
echo "evaluation: $((t2 - t1)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"

# 3. gateway load probe (capacity and latency of the real runtime)
"$JAVA" -jar benchmarks/gateway-load/target/edgetune-gateway-load.jar --steps 0,2,16 --out "$OUT/load.md" > "$OUT/load.txt" 2>&1
t3=$(date +%s)
echo "gateway load: $((t3 - t2)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
jmh = {}
for b in json.load(open(out + "/jmh.json")):
    name = b["benchmark"].rsplit(".", 2)[-2] + "." + b["benchmark"].rsplit(".", 1)[-1]
    key = name + "".join("[" + v + "]" for v in b.get("params", {}).values())
    # scores in ms whatever the benchmark's own unit (InputPreparationBench reports us/op)
    unit = b["primaryMetric"]["scoreUnit"].split("/")[0]
    jmh[key] = b["primaryMetric"]["score"] * {"ms": 1.0, "us": 0.001, "ns": 0.000001, "s": 1000.0}[unit]
def find(prefix):
    for k, v in jmh.items():
        if k.startswith(prefix):
            return v
    return float("nan")
decode = find("VideoDecodeBench.decodeFrame")
mog2 = find("MotionStepBench.motionStep[MOG2]")
avg = find("MotionStepBench.motionStep[RUNNING_AVERAGE]")
prep = find("InputPreparationBench.prepare[full][float32]")
prep8 = find("InputPreparationBench.prepare[full][uint8]")
raw = find("InferenceBench.rawInference[javacpp]")
full = find("InferenceBench.fullPipeline[javacpp]")

rep = open(out + "/evaluation/report.md").read()
def row(table_start, run):
    part = rep[rep.index(table_start):]
    for line in part.splitlines():
        if line.startswith("| " + run):
            return [c.strip() for c in line.strip("|").split("|")]
    raise SystemExit("no row " + run + " after " + table_start)
cpu_a = float(row("| run | fps | CPU s/frame | cores busy", "(a)")[2]) * 1000
cpu_c = float(row("| run | fps | CPU s/frame | cores busy", "(c)")[2]) * 1000
static_c = row("| run | fps | CPU s/frame | CPU vs (a) | decode CPU", "(c)")
q_a = row("| run | skipped frames scored as", "(a)")
q_c = row("| run | skipped frames scored as", "(c)")

load = open(out + "/load.md").read()
cap = re.findall(r"\| (edgetune|naive) \| (\d+) \|.*\| (yes|no) \|", load)
lat = re.search(r"p50 (\d+) ms, p95 (\d+) ms", load)

print()
print("| figure | measured | goal |")
print("| --- | --- | --- |")
print(f"| motion step (MOG2) / decoding one frame | {mog2:.3f} ms / {decode:.3f} ms = {mog2 / decode:.2f}x | <= 0.3x |")
print(f"| motion step (running average) / decoding one frame | {avg:.3f} ms / {decode:.3f} ms = {avg / decode:.2f}x | <= 0.3x |")
print(f"| static camera: CPU per frame / decode CPU per frame | {float(static_c[2]) * 1000:.2f} ms / {static_c[4]} ms = {static_c[5]} | <= 1.5x |")
print(f"| fullPipeline / rawInference | {full:.2f} ms / {raw:.2f} ms = {full / raw:.2f}x | <= 1.10x |")
print(f"| input preparation, full frame (float32 input; uint8 input) | {prep:.3f} ms; {prep8:.3f} ms | <= 0.5 ms |")
print(f"| region mode vs naive loop: CPU per frame | {cpu_c:.1f} / {cpu_a:.1f} ms = {cpu_c / cpu_a:.2f}x | <= 1.10x |")
print(f"| region mode vs naive loop: AP@0.5 | {q_c[5]} vs {q_a[5]} | >= naive |")
print(f"| region mode vs naive loop: recall small | {q_c[7]} vs {q_a[7]} | >= 0.115 |")
print("| capacity (static cameras kept up with, busy camera included) | " + ", ".join(f"{a} {n}: {k}" for a, n, k in cap) + " | edgetune 16, naive 2 |")
print(f"| p95 grab-to-broker latency, one busy camera | {lat.group(2) if lat else '?'} ms (p50 {lat.group(1) if lat else '?'}) | < 100 ms |")
PY
echo "total: $(( $(date +%s) - t0 )) s; raw outputs in $OUT"
