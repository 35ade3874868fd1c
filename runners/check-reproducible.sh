#!/usr/bin/env bash
# Checks that the runner build is reproducible (issue 6, runners/README.md "Reproducibility"): builds and packs the
# runners on clean directories and compares the runner ids of the runners-manifest.json files (each id is
# nix32(sha256(tar)), runners.md §5, so equal ids mean byte-identical tars). Every runner of the manifest is compared.
#
#   bash runners/check-reproducible.sh              full check: build-runners.sh twice, each with its own fresh
#                                                   GENVM_CACHE_DIR (native build python, zlib, python.wasm, the
#                                                   stdlib pycs and every tar rebuilt); ~5-10 CPU minutes per build
#   bash runners/check-reproducible.sh --against RUNNERS_DIR [--record CPYTHON_DIR]
#                                                   the second half only (what CI runs after a cold build): one
#                                                   build-runners.sh on a fresh GENVM_CACHE_DIR, its ids compared
#                                                   with RUNNERS_DIR/runners-manifest.json; when equal, --record
#                                                   writes CPYTHON_DIR/reproducible.txt (key, date, ids)
#   bash runners/check-reproducible.sh --pack-only  build-runners.sh twice into two fresh runners directories from
#                                                   the same CPython build (GENVM_PYTHON_RUNNER_DIR, else the cached
#                                                   build-python.sh output); seconds, what GenVm.Tests runs
#   bash runners/check-reproducible.sh --compare A B   compares two id sets only (A, B: a runners directory, a
#                                                   runners-manifest.json or a file of "name id" lines)
#   bash runners/check-reproducible.sh --show-record CPYTHON_DIR [RUNNERS_DIR]
#                                                   prints one line: whether and when the ids of this CPython build
#                                                   were verified, and how many of RUNNERS_DIR's ids equal them
# Options: --fresh-downloads (builds: also download the Debian packages again; by default the downloaded source and
# binary packages and apt lists of the current cache are copied, they are inputs, not build products),
# --keep (keep the scratch directory with both caches).
# Builds show their progress on stderr (scripts/with-progress). Prints one line per runner and, last,
# `reproducible: N runners, same ids` (exit 0) or `NOT reproducible: ...` with both id sets (exit 1). Exit 2: bad
# arguments; exit 3: a build or pack failed (no verdict).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode=full
fresh=0
keep=0
against=""
record=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --pack-only) mode=pack ;;
    --against) mode=against; against="${2:?--against needs a runners directory}"; shift ;;
    --record) record="${2:?--record needs the CPython build directory}"; shift ;;
    --compare) mode=compare ;;
    --show-record) mode=show ;;
    --fresh-downloads) fresh=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-reproducible: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) args+=("$1") ;;
  esac
  shift
done

# Every runner id of a runners directory, a runners-manifest.json or a "name id" file, as sorted "name id" lines.
ids() {
  python3 - "$1" <<'PY'
import json, os, sys
path = sys.argv[1]
if os.path.isdir(path):
    path = os.path.join(path, "runners-manifest.json")
with open(path, encoding="utf-8") as fh:
    text = fh.read()
if text.lstrip().startswith("{"):
    pairs = json.loads(text)["runners"].items()
else:
    pairs = [line.split()[:2] for line in text.splitlines() if line.strip() and not line.startswith("#")]
for name, rid in sorted(pairs):
    print(name, rid)
PY
}

# compare A B [label-A label-B]: one line per runner, then the verdict; exit 1 when any id differs or is missing.
compare() {
  python3 - <(ids "$1") <(ids "$2") "${3:-build 1}" "${4:-build 2}" <<'PY'
import sys
def load(path):
    return dict(line.split() for line in open(path) if line.strip())
a, b, label_a, label_b = load(sys.argv[1]), load(sys.argv[2]), sys.argv[3], sys.argv[4]
if not a or not b:
    print(f"NOT reproducible: no runner ids in {label_a if not a else label_b}")
    sys.exit(1)
same = True
for name in sorted(set(a) | set(b)):
    x, y = a.get(name, "(missing)"), b.get(name, "(missing)")
    if x == y:
        print(name, x)
    else:
        same = False
        print(f"{name} DIFFERS: {x} vs {y}")
if same:
    print(f"reproducible: {len(a)} runners, same ids")
    sys.exit(0)
print(f"NOT reproducible: the runner ids of {label_a} and {label_b} differ (runners/README.md \"Reproducibility\")")
for label, ids in ((label_a, a), (label_b, b)):
    print(f"  {label}:")
    for name in sorted(ids):
        print(f"    {name} {ids[name]}")
sys.exit(1)
PY
}

key_of() { # CPython build directory → its cache key
  local k=""
  [ -f "$1/build-info.txt" ] && k="$(awk '/^key:/ {print $2}' "$1/build-info.txt")"
  if [ -z "$k" ]; then k="$(basename "$1")"; k="${k#cpython-}"; fi
  echo "$k"
}

if [ "$mode" = compare ]; then
  [ ${#args[@]} -eq 2 ] || { echo "check-reproducible: --compare needs two id sets" >&2; exit 2; }
  compare "${args[0]}" "${args[1]}" "${args[0]}" "${args[1]}"
  exit $?
fi

if [ "$mode" = show ]; then
  [ ${#args[@]} -ge 1 ] || { echo "check-reproducible: --show-record needs the CPython build directory" >&2; exit 2; }
  dir="${args[0]}"
  file="$dir/reproducible.txt"
  if [ ! -f "$file" ]; then
    echo "[repro] cpython-$(key_of "$dir"): runner ids not verified yet (built before CI verified builds, or by hand);" \
      "verify with: bash runners/check-reproducible.sh --against <runners dir> --record $dir"
    exit 0
  fi
  python3 - "$file" "${args[1]:-}" <(if [ -n "${args[1]:-}" ]; then ids "${args[1]}"; fi) <<'PY'
import sys
fields, verified = {}, {}
for line in open(sys.argv[1]):
    if line.startswith("runner:"):
        _, name, rid = line.split()
        verified[name] = rid
    elif ":" in line and not line.startswith("#"):
        k, v = line.split(":", 1)
        fields[k.strip()] = v.strip()
text = (f"[repro] cpython-{fields.get('key', '?')}: runner ids verified reproducible on {fields.get('verified', '?')} "
        f"(two builds on clean caches, {len(verified)} runners)")
if sys.argv[2]:
    now = dict(line.split() for line in open(sys.argv[3]) if line.strip())
    differ = sorted(n for n in now if verified.get(n) != now[n])
    if not differ:
        text += "; the ids packed now are the same"
    else:
        # Packing inputs (SDK, pack-runners.py) are not in the build key; CheckReproducibleTests packs twice each run.
        text += (f"; packed now: {len(now) - len(differ)} of {len(now)} ids as verified, changed since: "
                 f"{', '.join(differ)} (packing inputs, checked by the pack-only test)")
print(text)
PY
  exit 0
fi

cache="${GENVM_CACHE_DIR:-$HOME/.cache/genvm}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/genvm-repro.XXXXXX")"
if [ "$keep" = 1 ]; then
  echo "[repro] scratch directory kept: $scratch" >&2
else
  trap 'rm -rf "$scratch"' EXIT
fi
progress="$(dirname "$here")/scripts/with-progress"
build_seconds=0

build() { # n total
  local n="$1" total="$2" out start
  start=$(date +%s)
  if [ "$mode" = pack ]; then
    echo "[repro] pack $n/$total (build-runners.sh into $scratch/runners-$n)" >&2
    out="$(GENVM_RUNNERS_DIR="$scratch/runners-$n" bash "$progress" "repro pack $n/$total" -- \
      bash "$here/build-runners.sh")" || { echo "[repro] pack $n/$total failed" >&2; exit 3; }
  else
    local c="$scratch/cache-$n"
    mkdir -p "$c/runners"
    if [ "$fresh" = 0 ]; then
      for d in downloads apt; do
        [ -d "$cache/runners/$d" ] && cp -a "$cache/runners/$d" "$c/runners/"
      done
    fi
    echo "[repro] build $n/$total on the clean cache $c" >&2
    out="$(env -u GENVM_PYTHON_RUNNER_DIR GENVM_CACHE_DIR="$c" GENVM_RUNNERS_DIR="$c/runners/store" \
      bash "$progress" "repro build $n/$total" -- bash "$here/build-runners.sh")" \
      || { echo "[repro] build $n/$total failed (its output is above)" >&2; exit 3; }
  fi
  ids "$out" >"$scratch/ids-$n" || { echo "[repro] no runners-manifest.json from $n/$total ($out)" >&2; exit 3; }
  build_seconds=$(( $(date +%s) - start ))
  echo "[repro] $n/$total done in $build_seconds s" >&2
}

if [ "$mode" = against ]; then
  [ -f "$against/runners-manifest.json" ] || { echo "check-reproducible: no runners-manifest.json in $against" >&2; exit 2; }
  build 1 1
  status=0
  compare "$against" "$scratch/ids-1" "the first build ($against)" "the second build (clean cache)" || status=$?
  if [ "$status" = 0 ] && [ -n "$record" ]; then
    key="$(key_of "$record")"
    first="$(awk -F': ' '/^build seconds:/ {print $2}' "$record/build-info.txt" 2>/dev/null || true)"
    {
      echo "# runners/check-reproducible.sh --against: a second build on a clean cache gave the same runner ids"
      echo "key: $key"
      echo "verified: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
      echo "first build seconds (build-python.sh): ${first:-?}"
      echo "second build seconds (build-runners.sh, clean cache): $build_seconds"
      sed 's/^/runner: /' "$scratch/ids-1"
    } >"$record/reproducible.txt.tmp"
    mv "$record/reproducible.txt.tmp" "$record/reproducible.txt"
    echo "[repro] recorded in $record/reproducible.txt" >&2
  fi
  exit "$status"
fi

build 1 2
build 2 2
compare "$scratch/ids-1" "$scratch/ids-2"
