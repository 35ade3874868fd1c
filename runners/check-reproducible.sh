#!/usr/bin/env bash
# Checks that the runner build is reproducible (issue 6, runners/README.md "Reproducibility"): builds and packs the
# runners twice, each time into a clean directory, and compares the runner ids of the two runners-manifest.json files
# (each id is nix32(sha256(tar)), runners.md §5, so equal ids mean byte-identical tars).
#
#   bash runners/check-reproducible.sh              full check: build-runners.sh twice, each with its own fresh
#                                                   GENVM_CACHE_DIR (native build python, zlib, python.wasm, the
#                                                   stdlib pycs and every tar rebuilt); ~5-10 CPU minutes per build
#   bash runners/check-reproducible.sh --pack-only  build-runners.sh twice into two fresh runners directories from
#                                                   the same CPython build (GENVM_PYTHON_RUNNER_DIR, else the cached
#                                                   build-python.sh output); seconds, what GenVm.Tests runs
# Options: --fresh-downloads (full check: also download the Debian packages again; by default the downloaded source
# and binary packages and apt lists of the current cache are copied, they are inputs, not build products),
# --keep (keep the scratch directory with both caches and logs).
# Prints one line per runner and, last, `reproducible: N runners, same ids` (exit 0) or `NOT reproducible` (exit 1).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode=full
fresh=0
keep=0
for arg in "$@"; do
  case "$arg" in
    --pack-only) mode=pack ;;
    --fresh-downloads) fresh=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-reproducible: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

cache="${GENVM_CACHE_DIR:-$HOME/.cache/genvm}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/genvm-repro.XXXXXX")"
if [ "$keep" = 1 ]; then
  echo "[repro] scratch directory kept: $scratch" >&2
else
  trap 'rm -rf "$scratch"' EXIT
fi

ids() { # runners directory → "name id" lines, sorted
  python3 - "$1/runners-manifest.json" <<'PY'
import json, sys
for name, rid in sorted(json.load(open(sys.argv[1]))["runners"].items()):
    print(name, rid)
PY
}

build() { # n
  local n="$1" out log="$scratch/build-$1.log" start
  start=$(date +%s)
  if [ "$mode" = pack ]; then
    echo "[repro] pack $n/2 (build-runners.sh into $scratch/runners-$n)" >&2
    out="$(GENVM_RUNNERS_DIR="$scratch/runners-$n" bash "$here/build-runners.sh" 2>"$log" | tail -n 1)" \
      || { tail -n 30 "$log" >&2; exit 1; }
  else
    local c="$scratch/cache-$n"
    mkdir -p "$c/runners"
    if [ "$fresh" = 0 ]; then
      for d in downloads apt; do
        [ -d "$cache/runners/$d" ] && cp -a "$cache/runners/$d" "$c/runners/"
      done
    fi
    echo "[repro] build $n/2 on the clean cache $c (log: $log)" >&2
    out="$(env -u GENVM_PYTHON_RUNNER_DIR GENVM_CACHE_DIR="$c" GENVM_RUNNERS_DIR="$c/runners/store" \
      bash "$here/build-runners.sh" 2>"$log" | tail -n 1)" || { tail -n 30 "$log" >&2; exit 1; }
  fi
  ids "$out" >"$scratch/ids-$n"
  echo "[repro] $n/2 done in $(( $(date +%s) - start )) s" >&2
}

build 1
build 2
paste -d' ' "$scratch/ids-1" <(cut -d' ' -f2 "$scratch/ids-2") | while read -r name a b; do
  if [ "$a" = "$b" ]; then echo "$name $a"; else echo "$name DIFFERS: $a vs $b"; fi
done
if cmp -s "$scratch/ids-1" "$scratch/ids-2"; then
  echo "reproducible: $(wc -l <"$scratch/ids-1") runners, same ids"
else
  echo "NOT reproducible (see the DIFFERS lines)"
  exit 1
fi
