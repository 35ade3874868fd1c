#!/usr/bin/env bash
# Builds CPython 3.13 for wasm32-wasi (python.wasm + a precompiled, pruned stdlib + a deterministic ustar tar)
# from Debian trixie's source packages with Debian's clang-19/lld-19 and trixie's wasi-libc.
# Output: ${GENVM_CACHE_DIR:-$HOME/.cache/genvm}/runners/cpython-<key>/ ; the key hashes every input (package
# versions, this script and its helper files, toolchain versions), so a second run with the same inputs only
# prints the cached path. The output directory is always the last line on stdout. See runners/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${GENVM_CACHE_DIR:-$HOME/.cache/genvm}/runners"
jobs="${GENVM_RUNNERS_JOBS:-2}" # 2 cores shared with other work: never more than -j2 by default

# Pinned Debian versions (trixie). If Debian no longer serves a pin, the current candidate is used with a warning
# (the key then reflects the version actually built); update the pin when that happens.
pin_python="3.13.5-2+deb13u5"
pin_zlib="1:1.3.dfsg+really1.3.1-1"
pin_wasilibc="0.0~git20241209.574b88d-2"
debian_uri="http://deb.debian.org/debian"
debian_suite="trixie"

steps=10
step() { echo "[runners] step $1/$steps: $2"; }
die() { echo "[runners] error: $*" >&2; exit 1; }
warn() { echo "[runners] warning: $*" >&2; }

# Runs a build command with its output in a log file; on failure the log's tail goes to stderr.
logged() {
  local log="$1"; shift
  if ! "$@" >>"$log" 2>&1; then
    echo "[runners] command failed: $* (log: $log)" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

for tool in clang-19 wasm-ld-19 llvm-ar-19 llvm-ranlib-19 dpkg-deb dpkg-source apt-get apt-cache make cc python3 node sha256sum flock; do
  command -v "$tool" >/dev/null || die "missing tool '$tool' (run: bash scripts/install-deps)"
done
[ -f /usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a ] \
  || die "missing libclang-rt-19-dev-wasm32 (run: bash scripts/install-deps)"

# ---------------------------------------------------------------------------------------------------------------
# Private apt configuration for trixie (deb + deb-src). It lives in the cache, so the system's apt sources stay
# bookworm-only (nobody's apt-get upgrade can pick up trixie binaries) and no root rights are needed.
apt_dir="$cache_root/apt"
apt_setup() {
  mkdir -p "$apt_dir"/etc/sources.list.d "$apt_dir"/etc/preferences.d "$apt_dir"/etc/apt.conf.d \
    "$apt_dir"/lists/partial "$apt_dir"/cache/archives/partial
  : >"$apt_dir/etc/sources.list"
  cat >"$apt_dir/etc/sources.list.d/trixie.sources" <<EOF
Types: deb deb-src
URIs: $debian_uri
Suites: $debian_suite
Components: main
Architectures: amd64
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  {
    echo "Dir::Etc \"$apt_dir/etc\";"
    echo "Dir::Etc::SourceList \"$apt_dir/etc/sources.list\";"
    echo "Dir::Etc::SourceParts \"$apt_dir/etc/sources.list.d\";"
    echo "Dir::Etc::Preferences \"$apt_dir/etc/preferences\";"
    echo "Dir::Etc::PreferencesParts \"$apt_dir/etc/preferences.d\";"
    echo "Dir::Etc::Parts \"$apt_dir/etc/apt.conf.d\";"
    echo "Dir::State::Lists \"$apt_dir/lists\";"
    echo "Dir::State::status \"/dev/null\";"
    echo "Dir::Cache \"$apt_dir/cache\";"
    echo "Acquire::Languages \"none\";"
    [ "$(id -u)" -ne 0 ] || echo "APT::Sandbox::User \"root\";"
  } >"$apt_dir/apt.conf"
}
xapt() { APT_CONFIG="$apt_dir/apt.conf" "$@"; }
apt_update() { logged "$apt_dir/update.log" xapt apt-get update; }
src_version() { xapt apt-cache showsrc --only-source "$1" 2>/dev/null | awk '/^Version:/ {print $2}'; }
bin_version() { xapt apt-cache show "$1" 2>/dev/null | awk '/^Version:/ {print $2}'; }
# Picks the pin if the lists offer it, else the newest offered version (with a warning).
pick() { # kind package pin
  local have
  if [ "$1" = src ]; then have="$(src_version "$2")"; else have="$(bin_version "$2")"; fi
  if grep -qxF -- "$3" <<<"$have"; then echo "$3"; return; fi
  [ -n "$have" ] || die "Debian $debian_suite does not offer $2"
  local newest
  newest="$(printf '%s\n' $have | sort -V | tail -n 1)"
  warn "pinned $2 $3 is not served any more; using $newest (update the pin in runners/build-python.sh)"
  echo "$newest"
}

toolchain_id() {
  clang-19 --version | head -n 1
  dpkg-query -W -f='${Package} ${Version}\n' lld-19 llvm-19 libclang-rt-19-dev-wasm32 2>/dev/null || true
  cc --version | head -n 1
  python3 --version
}
compute_key() { # python zlib wasilibc
  {
    echo "python3.13 $1"; echo "zlib $2"; echo "wasi-libc $3"
    toolchain_id
    cat "$here/build-python.sh" "$here/make-tar.py" "$here/smoke.py" "$here/run-node.mjs" \
      "$here/genlayer-wasi/_genlayer_wasi.c" "$here/genlayer-wasi/smoke-genlayer.py" \
      "$here/python-reactor/genvm_reactor.c"
  } | sha256sum | cut -c1-32
}
finish_if_cached() {
  local out="$cache_root/cpython-$1"
  if [ -f "$out/.complete" ]; then
    echo "[runners] cached: inputs unchanged, nothing to build"
    echo "$out"
    exit 0
  fi
}

# ---------------------------------------------------------------------------------------------------------------
step 1 "resolve inputs and cache key"
finish_if_cached "$(compute_key "$pin_python" "$pin_zlib" "$pin_wasilibc")"
# One build at a time per cache directory (helpers and CI share the machine): wait, then look again.
mkdir -p "$cache_root"
exec 9>"$cache_root/.lock"
if ! flock -n 9; then
  echo "[runners] another build holds $cache_root/.lock; waiting"
  flock 9
fi
finish_if_cached "$(compute_key "$pin_python" "$pin_zlib" "$pin_wasilibc")"
apt_setup
[ -s "$apt_dir/lists/deb.debian.org_debian_dists_${debian_suite}_InRelease" ] || apt_update
if [ -z "$(src_version python3.13 | grep -xF -- "$pin_python" || true)" ] \
  || [ -z "$(src_version zlib | grep -xF -- "$pin_zlib" || true)" ] \
  || [ -z "$(bin_version wasi-libc | grep -xF -- "$pin_wasilibc" || true)" ]; then
  apt_update # stale lists, or Debian moved on: refresh once before falling back
fi
v_python="$(pick src python3.13 "$pin_python")"
v_zlib="$(pick src zlib "$pin_zlib")"
v_wasilibc="$(pick bin wasi-libc "$pin_wasilibc")"
key="$(compute_key "$v_python" "$v_zlib" "$v_wasilibc")"
finish_if_cached "$key"
out="$cache_root/cpython-$key"
echo "[runners] building cpython-$key: python3.13 $v_python, zlib $v_zlib, wasi-libc $v_wasilibc"
start_time=$(date +%s)

# Fixed build paths (not under the key) keep absolute paths out of the key-dependent outputs; they are also
# rewritten away below, so builds in different cache directories give the same bytes.
work="$cache_root/work"
rm -rf "$work"
mkdir -p "$work"
log="$work/build.log"
: >"$log"
echo "[runners] build log: $log"
export SOURCE_DATE_EPOCH=0 # CPython's __DATE__/__TIME__ (clang honours it), tar mtimes
export LC_ALL=C TZ=UTC

# ---------------------------------------------------------------------------------------------------------------
step 2 "fetch Debian sources (python3.13, zlib) and the wasi-libc package"
dl="$cache_root/downloads"
mkdir -p "$dl"
fetch_src() { # package version
  local noepoch="${2#*:}"
  if ! ls "$dl/${1}_${noepoch}.dsc" >/dev/null 2>&1; then
    (cd "$dl" && logged "$log" xapt apt-get source --download-only "$1=$2")
  fi
  echo "$dl/${1}_${noepoch}.dsc"
}
dsc_python="$(fetch_src python3.13 "$v_python")"
dsc_zlib="$(fetch_src zlib "$v_zlib")"
deb_wasilibc="$dl/wasi-libc_${v_wasilibc#*:}_all.deb"
[ -f "$deb_wasilibc" ] || (cd "$dl" && logged "$log" xapt apt-get download "wasi-libc=$v_wasilibc")
# Upstream sources only (--skip-debianization): Debian's patches target a Debian system layout, not WASI.
logged "$log" dpkg-source -x --skip-debianization "$dsc_python" "$work/cpython"
logged "$log" dpkg-source -x --skip-debianization "$dsc_zlib" "$work/zlib"

# ---------------------------------------------------------------------------------------------------------------
step 3 "wasi sysroot (trixie wasi-libc $v_wasilibc, extracted, not installed)"
sysroot_pkg="$cache_root/toolchain/wasi-libc-${v_wasilibc#*:}"
if [ ! -f "$sysroot_pkg/.complete" ]; then
  rm -rf "$sysroot_pkg"
  mkdir -p "$sysroot_pkg"
  dpkg-deb -x "$deb_wasilibc" "$sysroot_pkg"
  touch "$sysroot_pkg/.complete"
fi
sysroot="$sysroot_pkg/usr" # clang's WASI driver wants <sysroot>/include/wasm32-wasi and <sysroot>/lib/wasm32-wasi
[ -f "$sysroot/lib/wasm32-wasi/libc.a" ] || die "wasi-libc package has no lib/wasm32-wasi/libc.a"
# Paths that may differ between machines are mapped to fixed names in anything the compiler embeds.
prefix_maps="-ffile-prefix-map=$work=/build -ffile-prefix-map=$sysroot=/wasi-sysroot"
wasm_cc="clang-19 --target=wasm32-wasi --sysroot=$sysroot"
wasm_cflags="-O2 -Wno-int-conversion $prefix_maps"

# ---------------------------------------------------------------------------------------------------------------
step 4 "zlib $v_zlib for wasm32-wasi"
zprefix="$work/zlib-wasm"
(
  cd "$work/zlib"
  export CC="$wasm_cc" AR=llvm-ar-19 RANLIB=llvm-ranlib-19 CFLAGS="$wasm_cflags" CHOST=wasm32-wasi
  logged "$log" ./configure --static --prefix="$zprefix"
  logged "$log" make -j"$jobs" libz.a
  mkdir -p "$zprefix/include" "$zprefix/lib"
  cp zlib.h zconf.h "$zprefix/include/"
  cp libz.a "$zprefix/lib/"
)

# ---------------------------------------------------------------------------------------------------------------
# The cross build needs a native python of the very same version (it freezes modules and compiles the stdlib).
# It does not end up in the output, so it is cached under its own, smaller key.
native_key="$({ echo "python3.13 $v_python"; cc --version | head -n 1; echo native-v1; } | sha256sum | cut -c1-16)"
native="$cache_root/build-python/$native_key"
step 5 "native build python 3.13 (cached at $native)"
if [ ! -f "$native/.complete" ]; then
  rm -rf "$native"
  mkdir -p "$native"
  cp -a "$work/cpython" "$native/src"
  mkdir -p "$native/build"
  (
    cd "$native/build"
    logged "$log" ../src/configure --disable-test-modules --with-ensurepip=no
    logged "$log" make -j"$jobs" all
  )
  touch "$native/.complete"
fi
build_python="$native/build/python"
"$build_python" -c 'import sys; assert sys.version_info[:2] == (3, 13)' || die "native build python is broken"

# ---------------------------------------------------------------------------------------------------------------
step 6 "configure CPython for wasm32-wasi"
# Upstream's Tools/wasm/config.site-wasm32-wasi, plus the answers the reference runner also forces (python-sdk.md
# §20.1): no accept/accept4 (WASI preview1 has no sock_accept in every host).
cat "$work/cpython/Tools/wasm/config.site-wasm32-wasi" >"$work/config.site"
cat >>"$work/config.site" <<'EOF'
ac_cv_func_accept=no
ac_cv_func_accept4=no
EOF
mkdir -p "$work/wasm"
(
  cd "$work/wasm"
  export CONFIG_SITE="$work/config.site"
  export CC="$wasm_cc" CPP="$wasm_cc -E" AR=llvm-ar-19 RANLIB=llvm-ranlib-19
  export CFLAGS="$wasm_cflags" OPT="-DNDEBUG -Wall" LDFLAGS="-Wl,--strip-debug"
  # Only our zlib may be found; nothing from the build machine's pkg-config.
  export PKG_CONFIG_PATH="" PKG_CONFIG_LIBDIR="$zprefix/lib"
  export ZLIB_CFLAGS="-I$zprefix/include" ZLIB_LIBS="-L$zprefix/lib -lz"
  # Relative configure path: the compiler then embeds relative source paths (../cpython/...).
  logged "$log" ../cpython/configure \
    --host=wasm32-unknown-wasi --build="$(../cpython/config.guess)" \
    --with-build-python="$build_python" \
    --disable-ipv6 --disable-test-modules --with-ensurepip=no --without-doc-strings \
    --without-system-libmpdec --without-system-expat
)

# ---------------------------------------------------------------------------------------------------------------
step 7 "make python.wasm (-j$jobs)"
logged "$log" make -C "$work/wasm" -j"$jobs" all
[ -f "$work/wasm/python.wasm" ] || die "python.wasm was not produced"
grep -q "zlib" "$work/wasm/Modules/config.c" || die "zlib module was not built into python.wasm"

# ---------------------------------------------------------------------------------------------------------------
# python.wasm stays a plain WASI program (`genvm wasm run`, node); the interpreter contracts run is the same link
# plus the builtin module _genlayer_wasi (python-sdk.md §18.2, §20.1), whose five functions are wasm imports from
# module genlayer_sdk that only the executor provides. It is linked from the very same objects: a copy of the builtin
# module table (Modules/config.c) with one more entry, and the module's object.
step 8 "python-genlayer.wasm: python.wasm + builtin _genlayer_wasi (imports from genlayer_sdk)"
(
  cd "$work/wasm"
  python3 - Modules/config.c Modules/config_genlayer.c <<'PY'
import sys
source = open(sys.argv[1]).read()
table = "struct _inittab _PyImport_Inittab[] = {"
assert source.count(table) == 1, "builtin module table not found in Modules/config.c"
source = source.replace(table, "extern PyObject* PyInit__genlayer_wasi(void);\n\n" + table + "\n    {\"_genlayer_wasi\", PyInit__genlayer_wasi},")
open(sys.argv[2], "w").write(source)
PY
  cp "$here/genlayer-wasi/_genlayer_wasi.c" Modules/_genlayer_wasi.c
  for unit in config_genlayer _genlayer_wasi; do
    logged "$log" $wasm_cc $wasm_cflags -DNDEBUG -I../cpython/Include -I. -c "Modules/$unit.c" -o "Modules/$unit.o"
  done
  # The exact link line make uses for python.wasm, with our table and module instead of Modules/config.o.
  link="$(make -n -W Programs/python.o python.wasm | grep -E -- '-o python\.wasm( |$)' | tail -n 1)"
  [ -n "$link" ] || die "could not find the python.wasm link command"
  if grep -q ' Modules/config\.o ' <<<"$link"; then
    link="${link/ Modules\/config.o / Modules\/config_genlayer.o Modules\/_genlayer_wasi.o }"
  else
    link="${link/ Programs\/python.o / Programs\/python.o Modules\/config_genlayer.o Modules\/_genlayer_wasi.o }"
  fi
  link="${link/-o python.wasm/-o python-genlayer.wasm}"
  echo "$link" >>"$log"
  logged "$log" sh -c "$link"
)
[ -f "$work/wasm/python-genlayer.wasm" ] || die "python-genlayer.wasm was not produced"
# Reactor links of both interpreters for instance snapshots (docs/decisions.md, "Instance snapshots"): the same
# objects with runners/python-reactor/genvm_reactor.c (exports genvm_init / genvm_run) in place of Programs/python.o
# and crt1-reactor.o (_initialize) in place of crt1-command.o. Not packed into cpython.tar, so runner ids stay.
(
  cd "$work/wasm"
  cp "$here/python-reactor/genvm_reactor.c" Modules/genvm_reactor.c
  logged "$log" $wasm_cc $wasm_cflags -DNDEBUG -I../cpython/Include -I. -c Modules/genvm_reactor.c -o Modules/genvm_reactor.o
  base="$(make -n -W Programs/python.o python.wasm | grep -E -- '-o python\.wasm( |$)' | tail -n 1)"
  [ -n "$base" ] || die "could not find the python.wasm link command"
  grep -q ' Programs/python\.o ' <<<"$base" || die "the python.wasm link command has no Programs/python.o"
  base="${base/ Programs\/python.o / Modules\/genvm_reactor.o }"
  base="${base/-o python.wasm/-mexec-model=reactor -o python-reactor.wasm}"
  # The genlayer variant: the same table swap as python-genlayer.wasm above.
  if grep -q ' Modules/config\.o ' <<<"$base"; then
    genlayer="${base/ Modules\/config.o / Modules\/config_genlayer.o Modules\/_genlayer_wasi.o }"
  else
    genlayer="${base/ Modules\/genvm_reactor.o / Modules\/genvm_reactor.o Modules\/config_genlayer.o Modules\/_genlayer_wasi.o }"
  fi
  genlayer="${genlayer/-o python-reactor.wasm/-o python-genlayer-reactor.wasm}"
  for link in "$base" "$genlayer"; do
    echo "$link" >>"$log"
    logged "$log" sh -c "$link"
  done
  [ -f python-reactor.wasm ] && [ -f python-genlayer-reactor.wasm ] || die "the reactor links produced no output"
)

# ---------------------------------------------------------------------------------------------------------------
step 9 "install, prune and precompile the stdlib"
stage="$work/stage"
# PYTHON_FOR_BUILD=: skips libinstall's own byte-compilation (3 optimisation levels, timestamp-based);
# we compile once below with hash-based pycs.
logged "$log" make -C "$work/wasm" libinstall DESTDIR="$stage" PYTHON_FOR_BUILD=:
lib_src="$(find "$stage" -type d -name python3.13 -path '*/lib/*' | head -n 1)"
[ -n "$lib_src" ] || die "libinstall produced no lib/python3.13"
tmp_out="$out.tmp"
rm -rf "$tmp_out"
mkdir -p "$tmp_out/lib"
mv "$lib_src" "$tmp_out/lib/python3.13"
std="$tmp_out/lib/python3.13"
# Not usable or not wanted in a contract VM: GUI, IDE, tests, installers, demos.
rm -rf "$std"/{test,idlelib,tkinter,turtledemo,ensurepip,venv,lib2to3,site-packages/README.txt} \
  "$std"/turtle.py "$std"/ctypes/macholib/fetch_macholib* "$std"/config-3.13-* "$std"/lib-dynload
find "$std" -depth \( -name __pycache__ -o -name 'tests' -o -name 'idle_test' \) -type d -exec rm -rf {} +
find "$std" \( -name '*.pyc' -o -name '*.pyo' -o -name '*.exe' \) -delete
# The sysconfig data records the configure environment: replace machine-specific paths with fixed names.
for f in "$std"/_sysconfigdata_*.py "$std"/_sysconfig_vars_*.json; do
  [ -f "$f" ] || continue
  sed -i -e "s#$work#/build#g" -e "s#$sysroot#/wasi-sysroot#g" -e "s#$native#/build-python#g" \
    -e "s#$cache_root#/cache#g" "$f"
done
if grep -rlF "$cache_root" "$std" >/dev/null; then
  die "build paths leaked into the stdlib: $(grep -rlF "$cache_root" "$std" | head -n 3)"
fi
# Unchecked hash-based pycs (python-sdk.md §20.6): no mtimes inside, CPython never re-reads the sources.
# -d: the path recorded in code objects is the one the runner maps the stdlib to (runners.md §7).
logged "$log" "$build_python" -m compileall -q -j "$jobs" -o 0 --invalidation-mode unchecked-hash \
  -d /py/std -x 'bad_coding|badsyntax' "$std"
cp "$work/wasm/python.wasm" "$tmp_out/python.wasm"
cp "$work/wasm/python-genlayer.wasm" "$tmp_out/python-genlayer.wasm"
cp "$work/wasm/python-reactor.wasm" "$tmp_out/python-reactor.wasm"
cp "$work/wasm/python-genlayer-reactor.wasm" "$tmp_out/python-genlayer-reactor.wasm"

# ---------------------------------------------------------------------------------------------------------------
step 10 "pack the deterministic tar and smoke-test under node"
# The runner's interpreter is the one with _genlayer_wasi (the executor links genlayer_sdk).
python3 "$here/make-tar.py" "$tmp_out/cpython.tar" "cpython.wasm=$tmp_out/python-genlayer.wasm" "py/std/=$std" >>"$log"
wasm_size=$(stat -c %s "$tmp_out/python.wasm")
tar_sha=$(sha256sum "$tmp_out/cpython.tar" | cut -d' ' -f1)
smoke_out="$(node "$here/run-node.mjs" --dir "/py/std=$std" --dir "/smoke=$here" \
  --env PYTHONHOME=/py/std --env PYTHONPATH=/py/std \
  "$tmp_out/python.wasm" -B /smoke/smoke.py 2>&1)" || die "smoke test failed: $smoke_out"
grep -q "^smoke: ok$" <<<"$smoke_out" || die "smoke test gave unexpected output: $smoke_out"
# _genlayer_wasi against an in-memory genlayer_sdk host of run-node.mjs (--genlayer-stub).
smoke_out="$(node "$here/run-node.mjs" --genlayer-stub --dir "/py/std=$std" --dir "/smoke=$here/genlayer-wasi" \
  --env PYTHONHOME=/py/std --env PYTHONPATH=/py/std \
  "$tmp_out/python-genlayer.wasm" -B /smoke/smoke-genlayer.py 2>&1)" || die "genlayer smoke test failed: $smoke_out"
grep -q "^smoke-genlayer: ok$" <<<"$smoke_out" || die "genlayer smoke test gave unexpected output: $smoke_out"
{
  echo "key: $key"
  echo "python3.13: $v_python"
  echo "zlib: $v_zlib"
  echo "wasi-libc: $v_wasilibc"
  toolchain_id
  echo "python.wasm bytes: $wasm_size"
  echo "python-genlayer.wasm bytes: $(stat -c %s "$tmp_out/python-genlayer.wasm")"
  echo "python-reactor.wasm bytes: $(stat -c %s "$tmp_out/python-reactor.wasm")"
  echo "cpython.tar sha256: $tar_sha"
  echo "build seconds: $(( $(date +%s) - start_time ))"
} >"$tmp_out/build-info.txt"
touch "$tmp_out/.complete"
rm -rf "$out"
mv "$tmp_out" "$out"
rm -rf "$work"
echo "[runners] done in $(( $(date +%s) - start_time ))s: python.wasm $wasm_size bytes, cpython.tar sha256 $tar_sha"
echo "$out"
