// Runs a WASI preview1 command module under node's built-in WASI (a reference host for checking runner builds;
// GenVM itself runs modules on GenVm.Wasm).
//
// Usage: node runners/run-node.mjs [--dir GUEST=HOST]... [--env NAME=VALUE]... [--argv0 NAME] [--time]
//                                  [--genlayer-stub] MODULE.wasm [ARGS...]
//   --dir    preopen host directory HOST as GUEST inside the module (repeatable)
//   --env    set an environment variable inside the module (repeatable; nothing is inherited)
//   --argv0  the module's argv[0] (default "python")
//   --time   print compile / instantiate / run milliseconds to stderr
//   --genlayer-stub  also provide the `genlayer_sdk` imports (wasm-abi.md §3) from a small in-memory test host, for
//            python-genlayer.wasm's smoke test: storage is a map of slots; a slot of 32 0xff bytes answers
//            `forbidden` (6); get_balance(a) = a read as a little-endian integer; get_self_balance = 2^256-1;
//            gl_call of an empty request answers `inval` (2), any other request "no result file" (0xffffffff)
//   --genlayer-state FILE  like --genlayer-stub, with storage loaded from and saved to FILE (JSON: "storage" maps
//            slot hex → bytes hex); every storage write (slot, offset, bytes) is logged in "write_log", other
//            gl_call requests (hex) in "requests". A `Return`/`Rollback` request is saved as "outcome" (hex of the
//            whole request) and ends the run with exit code 0, as the executor does. Lets the SDK run unmodified.
// The process exits with the module's exit code.
import { readFile } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { performance } from 'node:perf_hooks';

// node prints an ExperimentalWarning for WASI on stderr; it would mix into the module's own stderr.
process.removeAllListeners('warning');

function usage(message) {
  process.stderr.write(`run-node: ${message}\nusage: node run-node.mjs [--dir G=H]... [--env K=V]... [--argv0 N] [--time] MODULE.wasm [ARGS...]\n`);
  process.exit(2);
}

function splitPair(text, option) {
  const at = text.indexOf('=');
  if (at <= 0) usage(`${option} needs NAME=VALUE, got '${text}'`);
  return [text.slice(0, at), text.slice(at + 1)];
}

const preopens = {};
const env = {};
let argv0 = 'python';
let timing = false;
let genlayerStub = false;
let genlayerState = null;
const rest = process.argv.slice(2);
while (rest.length > 0 && rest[0].startsWith('--')) {
  const option = rest.shift();
  if (option === '--time') { timing = true; continue; }
  if (option === '--genlayer-stub') { genlayerStub = true; continue; }
  if (rest.length === 0) usage(`${option} needs a value`);
  const value = rest.shift();
  if (option === '--genlayer-state') { genlayerStub = true; genlayerState = value; continue; }
  if (option === '--dir') { const [guest, host] = splitPair(value, option); preopens[guest] = host; }
  else if (option === '--env') { const [name, val] = splitPair(value, option); env[name] = val; }
  else if (option === '--argv0') argv0 = value;
  else usage(`unknown option ${option}`);
}
if (rest.length === 0) usage('missing MODULE.wasm');
const modulePath = rest.shift();

const t0 = performance.now();
const module = await WebAssembly.compile(await readFile(modulePath));
const t1 = performance.now();
const wasi = new WASI({ version: 'preview1', args: [argv0, ...rest], env, preopens, returnOnExit: true });
const imports = wasi.getImportObject();
let memory = null;
if (genlayerStub) imports.genlayer_sdk = genlayerSdkStub(() => memory);
const instance = await WebAssembly.instantiate(module, imports);
memory = instance.exports.memory;
const t2 = performance.now();
const code = wasi.start(instance);
const t3 = performance.now();
if (timing) {
  const ms = (x) => x.toFixed(1);
  process.stderr.write(`run-node: compile ${ms(t1 - t0)} ms, instantiate ${ms(t2 - t1)} ms, run ${ms(t3 - t2)} ms\n`);
}
process.exitCode = code ?? 0;

function genlayerSdkStub(getMemory) {
  const slots = new Map();
  const state = { write_log: [], requests: [] };
  if (genlayerState) {
    const loaded = JSON.parse(readFileSync(genlayerState, 'utf8'));
    for (const [k, v] of Object.entries(loaded.storage ?? {})) slots.set(k, new Uint8Array(Buffer.from(v, 'hex')));
  }
  const hex = (array) => Buffer.from(array).toString('hex');
  const save = (outcome) => {
    const storage = {};
    for (const [k, v] of slots) storage[k] = hex(v);
    writeFileSync(genlayerState, JSON.stringify({ ...state, storage, outcome }));
  };
  const bytes = () => new Uint8Array(getMemory().buffer);
  const view = () => new DataView(getMemory().buffer);
  const slotKey = (ptr) => Buffer.from(bytes().slice(ptr, ptr + 32)).toString('hex');
  const forbidden = (key) => key === 'ff'.repeat(32);
  return {
    storage_read(slotPtr, index, bufPtr, len) {
      const key = slotKey(slotPtr);
      if (forbidden(key)) return 6;
      const data = slots.get(key) ?? new Uint8Array(0);
      const out = bytes();
      for (let i = 0; i < len; i++) out[bufPtr + i] = index + i < data.length ? data[index + i] : 0;
      return 0;
    },
    storage_write(slotPtr, index, bufPtr, len) {
      const key = slotKey(slotPtr);
      if (forbidden(key)) return 6;
      let data = slots.get(key) ?? new Uint8Array(0);
      if (data.length < index + len) { const grown = new Uint8Array(index + len); grown.set(data); data = grown; }
      const written = bytes().slice(bufPtr, bufPtr + len);
      data.set(written, index);
      slots.set(key, data);
      state.write_log.push([key, index, hex(written)]);
      return 0;
    },
    get_balance(addrPtr, resultPtr) {
      const out = bytes();
      out.set(out.slice(addrPtr, addrPtr + 20), resultPtr);
      out.fill(0, resultPtr + 20, resultPtr + 32);
      return 0;
    },
    get_self_balance(resultPtr) {
      bytes().fill(0xff, resultPtr, resultPtr + 32);
      return 0;
    },
    gl_call(reqPtr, reqLen, fdPtr) {
      if (reqLen === 0) return 2;
      const request = bytes().slice(reqPtr, reqPtr + reqLen);
      // {"Return": …} / {"Rollback": …}: a one-entry map (0e) whose key is Return (06) or Rollback (08).
      const key = Buffer.from(request.slice(2, 2 + request[1])).toString('latin1');
      if (genlayerState && request[0] === 0x0e && (key === 'Return' || key === 'Rollback')) {
        save(hex(request));
        process.exit(0);
      }
      state.requests.push(hex(request));
      if (genlayerState) save(null);
      view().setUint32(fdPtr, 0xffffffff, true);
      return 0;
    },
  };
}
