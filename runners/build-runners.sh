#!/usr/bin/env bash
# Builds every runner we ship and packs them into the runners directory (runners/README.md "Runner tars"):
# build-python.sh (cached CPython 3.13 for wasm32-wasi), then pack-runners.py (cpython, py-lib-cloudpickle,
# py-lib-genlayer-std, py-genlayer, py-genlayer-multi tars + runners-manifest.json, all.json, latest.json).
# Progress goes to stderr; the last stdout line is the runners directory:
#   ${GENVM_RUNNERS_DIR:-${GENVM_CACHE_DIR:-$HOME/.cache/genvm}/runners/store}
# Extra arguments go to pack-runners.py (e.g. --update-repo-manifest). `genvm runners build` runs this script.
# GENVM_PYTHON_RUNNER_DIR, when set, is used as the CPython build instead of running build-python.sh.
# runners/check-reproducible.sh runs this twice on clean directories and compares the runner ids.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${GENVM_CACHE_DIR:-$HOME/.cache/genvm}"
out="${GENVM_RUNNERS_DIR:-$cache/runners/store}"
if [ -n "${GENVM_PYTHON_RUNNER_DIR:-}" ]; then
  # A given CPython build (e.g. after SDK-only edits: repack without recomputing the build key).
  echo "[runners] using the CPython build GENVM_PYTHON_RUNNER_DIR=$GENVM_PYTHON_RUNNER_DIR" >&2
  cpython_dir="$GENVM_PYTHON_RUNNER_DIR"
else
  echo "[runners] building CPython (runners/build-python.sh)" >&2
  # build-python.sh prints its progress and, last, its output directory on stdout: show all of it on stderr.
  cpython_dir="$( { bash "$here/build-python.sh" | tee /dev/fd/3 | tail -n 1; } 3>&2 )"
fi
[ -f "$cpython_dir/python.wasm" ] || { echo "[runners] error: build-python.sh gave no python.wasm ($cpython_dir)" >&2; exit 1; }
echo "[runners] packing runner tars into $out" >&2
python3 "$here/pack-runners.py" --cpython-dir "$cpython_dir" --out "$out" "$@" >&2
echo "[runners] done: $out" >&2
echo "$out"
