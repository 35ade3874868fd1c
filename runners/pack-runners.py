#!/usr/bin/env python3
"""Packs our runner tars into a runners directory and writes its manifest (runners.md sections 4-7).

Usage: pack-runners.py --cpython-dir DIR --out RUNNERS_DIR [--sdk-dir DIR] [--build-python PY]
                       [--cloudpickle-dir DIR] [--apt-config FILE] [--update-repo-manifest]

Inputs:
  --cpython-dir     output of build-python.sh (python.wasm, lib/python3.13 with pycs)
  --sdk-dir         the genlayer SDK sources (default runners/py-genlayer-std; skipped with a warning if absent)
  --build-python    a native python 3.13 to byte-compile SDK and cloudpickle (default: the one build-python.sh
                    cached under <cache>/runners/build-python/)
  --cloudpickle-dir a directory holding the `cloudpickle` package; default: Debian trixie's python3-cloudpickle,
                    fetched with `apt-get download` through build-python.sh's private apt configuration
Outputs, in RUNNERS_DIR:
  <id>/<hash[0..2]>/<hash[2..]>.tar   one per runner, hash = nix32(sha256(tar))   (runners.md section 5)
  runners-manifest.json               the repository manifest (aliases, not_shipped) with this build's hashes
  all.json, latest.json               the same in the reference registry format
The last stdout line is RUNNERS_DIR. --update-repo-manifest also rewrites the repository's runners-manifest.json
(runners and tags), which is how its committed hashes are refreshed. Tars are reproducible: same inputs, same bytes
(sorted members, regular files only, mode 0644, uid/gid 0, mtime 0, unchecked hash-based pycs).
"""
import argparse
import glob
import hashlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
REPO_MANIFEST = os.path.join(REPO, "runners-manifest.json")


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RUNNER_ID = load_module("runner_id", os.path.join(HERE, "runner-id.py"))
MAKE_TAR = load_module("make_tar", os.path.join(HERE, "make-tar.py"))

# Our det float policy marker: the executor runs a module started from a runner archive holding this member with the
# engine's softfloat policy (docs/decisions.md "Runners: one cpython.wasm, softfloat by engine policy").
FLOAT_POLICY_MEMBER = "genvm-float-policy"
# Our start-kind marker: the started module is a reactor driven through genvm_init / genvm_import / genvm_run
# (runners/python-reactor/genvm_reactor.c; docs/decisions.md "Python snapshots").
START_KIND_MEMBER = "genvm-start"
# Debian trixie's cloudpickle (issue 6: 3.1.x, pure Python, BSD).
CLOUDPICKLE_PIN = "3.1.1-1"
# Runners whose ids depend only on pinned inputs (Debian versions, toolchain); their ids are committed in the
# repository's runners-manifest.json. The SDK tar and the glue change with every SDK edit and are not committed.
COMMITTED = ("cpython", "py-lib-cloudpickle")


def log(msg):
    print(f"[runners] {msg}", file=sys.stderr, flush=True)


def runner_json(action):
    # runners.md section 6: re-serialised compact with sorted keys plus a newline.
    return (json.dumps(action, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def write_tar(members):
    """members: name -> bytes. Same layout rules as make-tar.py."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name in sorted(members, key=lambda n: n.encode("utf-8")):
            if len(name.encode("utf-8")) > MAKE_TAR.MAX_NAME:
                sys.exit(f"pack-runners: member name longer than {MAKE_TAR.MAX_NAME} bytes: {name}")
            data = members[name]
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.type = tarfile.REGTYPE
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def tree(directory, prefix, skip_dirs=(), skip=lambda rel: False):
    """Every regular file below directory as prefix + relative path."""
    out = {}
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in skip_dirs)
        for f in files:
            full = os.path.join(root, f)
            rel = os.path.relpath(full, directory).replace(os.sep, "/")
            if skip(rel):
                continue
            if os.path.islink(full) or not os.path.isfile(full):
                sys.exit(f"pack-runners: {full} is not a regular file")
            with open(full, "rb") as fh:
                out[prefix + rel] = fh.read()
    return out


def compile_pycs(build_python, staged_dir, mapped_at):
    """Adds __pycache__/*.cpython-313.pyc next to every .py (unchecked hash-based, python-sdk.md section 20.6)."""
    subprocess.run([build_python, "-m", "compileall", "-q", "-o", "0", "--invalidation-mode", "unchecked-hash",
                    "-d", mapped_at, staged_dir], check=True, stdout=sys.stderr)


def find_build_python(cache_root):
    for candidate in sorted(glob.glob(os.path.join(cache_root, "runners", "build-python", "*", "build", "python"))):
        ok = subprocess.run([candidate, "-c", "import sys; assert sys.version_info[:2] == (3, 13)"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        if ok:
            return candidate
    return None


def fetch_cloudpickle(cache_root, apt_config, work):
    """Debian trixie's python3-cloudpickle, downloaded once into the cache, its package directory extracted."""
    downloads = os.path.join(cache_root, "runners", "downloads")
    os.makedirs(downloads, exist_ok=True)
    debs = glob.glob(os.path.join(downloads, f"python3-cloudpickle_{CLOUDPICKLE_PIN}_all.deb"))
    if not debs:
        if not os.path.isfile(apt_config):
            sys.exit(f"pack-runners: no apt configuration {apt_config} (run runners/build-python.sh first)")
        log(f"downloading python3-cloudpickle {CLOUDPICKLE_PIN} (Debian trixie)")
        env = dict(os.environ, APT_CONFIG=apt_config)
        subprocess.run(["apt-get", "download", f"python3-cloudpickle={CLOUDPICKLE_PIN}"], cwd=downloads, env=env,
                       check=True, stdout=sys.stderr)
        debs = glob.glob(os.path.join(downloads, f"python3-cloudpickle_{CLOUDPICKLE_PIN}_all.deb"))
    target = os.path.join(work, "cloudpickle-deb")
    subprocess.run(["dpkg-deb", "-x", debs[0], target], check=True)
    found = glob.glob(os.path.join(target, "usr", "lib", "python3*", "dist-packages", "cloudpickle"))
    if not found:
        sys.exit("pack-runners: python3-cloudpickle has no cloudpickle package directory")
    return found[0], os.path.join(target, "usr", "share", "doc", "python3-cloudpickle", "copyright")


def store(out, name, tar):
    digest = RUNNER_ID.nix32(hashlib.sha256(tar).digest())
    path = os.path.join(out, name, digest[:2], digest[2:] + ".tar")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.exists(path):
        tmp = path + ".part"
        with open(tmp, "wb") as fh:
            fh.write(tar)
        os.replace(tmp, path)
    log(f"{name}:{digest} ({len(tar)} bytes)")
    return digest


def main(argv):
    cache_root = os.environ.get("GENVM_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "genvm")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cpython-dir", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--sdk-dir", default=os.path.join(HERE, "py-genlayer-std"))
    parser.add_argument("--build-python")
    parser.add_argument("--cloudpickle-dir")
    parser.add_argument("--apt-config", default=os.path.join(cache_root, "runners", "apt", "apt.conf"))
    parser.add_argument("--update-repo-manifest", action="store_true")
    args = parser.parse_args(argv[1:])

    build_python = args.build_python or find_build_python(cache_root)
    if not build_python:
        sys.exit("pack-runners: no native python 3.13 found (run runners/build-python.sh, or pass --build-python)")
    with open(REPO_MANIFEST, encoding="utf-8") as fh:
        template = json.load(fh)
    os.makedirs(args.out, exist_ok=True)
    hashes = {}
    with tempfile.TemporaryDirectory(prefix="genvm-pack-") as work:
        # cpython: the interpreter and the precompiled stdlib (runners.md section 7 layout). One module for both VM
        # kinds: det VMs run it with the engine's softfloat policy, declared by FLOAT_POLICY_MEMBER.
        log("packing cpython")
        members = tree(os.path.join(args.cpython_dir, "lib", "python3.13"), "py/std/")
        # python-genlayer-reactor.wasm = python.wasm + the builtin _genlayer_wasi, linked as a reactor (build-python.sh
        # step 8: genvm_init / genvm_import / genvm_run instead of _start), so the executor can snapshot the started
        # interpreter (docs/decisions.md "Python snapshots"). Older builds lack it, or _genlayer_wasi.
        interpreter = os.path.join(args.cpython_dir, "python-genlayer-reactor.wasm")
        if not os.path.isfile(interpreter):
            log("warning: no python-genlayer-reactor.wasm (older build); packing the command module python-genlayer.wasm")
            interpreter = os.path.join(args.cpython_dir, "python-genlayer.wasm")
        if not os.path.isfile(interpreter):
            log("warning: no python-genlayer.wasm (build without _genlayer_wasi); packing python.wasm")
            interpreter = os.path.join(args.cpython_dir, "python.wasm")
        with open(interpreter, "rb") as fh:
            members["cpython.wasm"] = fh.read()
        members[FLOAT_POLICY_MEMBER] = b"softfloat\n"
        if os.path.basename(interpreter).endswith("-reactor.wasm"):
            members[START_KIND_MEMBER] = b"reactor\n"
        members["runner.json"] = runner_json({"Seq": [
            {"AddEnv": {"name": "pwd", "val": "/"}},
            {"MapFile": {"file": "py/", "to": "/py/"}},
            {"AddEnv": {"name": "PYTHONHOME", "val": "/py/std"}},
            {"AddEnv": {"name": "PYTHONPATH", "val": "/py/std:/py/libs"}},
            {"StartWasm": "cpython.wasm"},
        ]})
        hashes["cpython"] = store(args.out, "cpython", write_tar(members))

        # py-lib-cloudpickle: src/cloudpickle/** mapped at /py/libs/ (runners.md section 7).
        log("packing py-lib-cloudpickle")
        source, license_file = (args.cloudpickle_dir, None) if args.cloudpickle_dir \
            else fetch_cloudpickle(cache_root, args.apt_config, work)
        staged = os.path.join(work, "cloudpickle", "src")
        shutil.copytree(source, os.path.join(staged, "cloudpickle"),
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        compile_pycs(build_python, staged, "/py/libs")
        members = tree(staged, "src/")
        members["runner.json"] = runner_json({"MapFile": {"file": "src/", "to": "/py/libs/"}})
        if license_file and os.path.isfile(license_file):
            # BSD-3-Clause: the notice travels with the code (outside src/, so it is not mapped into VMs).
            with open(license_file, "rb") as fh:
                members["LICENSE"] = fh.read()
        hashes["py-lib-cloudpickle"] = store(args.out, "py-lib-cloudpickle", write_tar(members))

        # py-lib-genlayer-std: the SDK directory (minus its tests), mapped whole at /py/libs/.
        if os.path.isdir(os.path.join(args.sdk_dir, "genlayer")):
            log(f"packing py-lib-genlayer-std from {args.sdk_dir}")
            staged = os.path.join(work, "std")
            shutil.copytree(args.sdk_dir, staged, ignore=shutil.ignore_patterns(
                "__pycache__", "*.pyc", "tests", "test_*.py", "*.md", ".*"))
            compile_pycs(build_python, staged, "/py/libs")
            members = tree(staged, "")
            members["runner.json"] = runner_json({"MapFile": {"file": "/", "to": "/py/libs/"}})
            hashes["py-lib-genlayer-std"] = store(args.out, "py-lib-genlayer-std", write_tar(members))
        else:
            log(f"warning: no SDK at {args.sdk_dir}; py-lib-genlayer-std and the py-genlayer glue are not packed")

    # The glue runners (runners.md section 7): the contract file, the runner script's argv, then the libraries.
    if "py-lib-genlayer-std" in hashes:
        deps = [{"Depends": f"{name}:{hashes[name]}"} for name in ("py-lib-cloudpickle", "py-lib-genlayer-std", "cpython")]
        args_action = {"SetArgs": ["py", "-u", "-B", "/py/libs/_genlayer_runner.py"]}
        for name, mapping in (("py-genlayer", {"file": "file", "to": "/contract.py"}),
                              ("py-genlayer-multi", {"file": "contract/", "to": "/contract/"})):
            glue = {"Seq": [{"With": {"runner": "<contract>", "action": {"MapFile": mapping}}}, args_action] + deps}
            hashes[name] = store(args.out, name, write_tar({"runner.json": runner_json(glue)}))

    manifest = {
        "$schema_version": 1,
        "runners": dict(sorted(hashes.items())),
        "aliases": template.get("aliases", {}),
        "tags": {tag: dict(sorted(hashes.items())) for tag in ("latest", "test")},
        "not_shipped": template.get("not_shipped", {}),
    }
    write_json(os.path.join(args.out, "runners-manifest.json"), manifest)
    write_json(os.path.join(args.out, "all.json"), {k: [v] for k, v in sorted(hashes.items())})
    write_json(os.path.join(args.out, "latest.json"), dict(sorted(hashes.items())))
    committed = template.get("runners", {})
    stable = {k: v for k, v in sorted(hashes.items()) if k in COMMITTED}
    if committed != stable:
        if args.update_repo_manifest:
            template["runners"] = stable
            template["tags"] = {tag: dict(stable) for tag in ("latest", "test")}
            write_json(REPO_MANIFEST, template)
            log(f"updated {REPO_MANIFEST}")
        else:
            changed = sorted(k for k in set(committed) | set(stable) if committed.get(k) != stable.get(k))
            log("note: runner ids differ from the committed runners-manifest.json for " + ", ".join(changed)
                + " (different build inputs; the runners directory's manifest is the one in use; "
                + "refresh the repository with --update-repo-manifest)")
    print(args.out)


def write_json(path, value):
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(value, fh, indent=2)
        fh.write("\n")
    os.replace(tmp, path)


if __name__ == "__main__":
    main(sys.argv)
