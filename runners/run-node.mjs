// Runs a WASI preview1 command module under node's built-in WASI (a reference host for checking runner builds;
// GenVM itself runs modules on GenVm.Wasm).
//
// Usage: node runners/run-node.mjs [--dir GUEST=HOST]... [--env NAME=VALUE]... [--argv0 NAME] [--time]
//                                  MODULE.wasm [ARGS...]
//   --dir    preopen host directory HOST as GUEST inside the module (repeatable)
//   --env    set an environment variable inside the module (repeatable; nothing is inherited)
//   --argv0  the module's argv[0] (default "python")
//   --time   print compile / instantiate / run milliseconds to stderr
// The process exits with the module's exit code.
import { readFile } from 'node:fs/promises';
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
const rest = process.argv.slice(2);
while (rest.length > 0 && rest[0].startsWith('--')) {
  const option = rest.shift();
  if (option === '--time') { timing = true; continue; }
  if (rest.length === 0) usage(`${option} needs a value`);
  const value = rest.shift();
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
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const t2 = performance.now();
const code = wasi.start(instance);
const t3 = performance.now();
if (timing) {
  const ms = (x) => x.toFixed(1);
  process.stderr.write(`run-node: compile ${ms(t1 - t0)} ms, instantiate ${ms(t2 - t1)} ms, run ${ms(t3 - t2)} ms\n`);
}
process.exitCode = code ?? 0;
