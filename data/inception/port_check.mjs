#!/usr/bin/env node
// Hand-written InceptionV3 up to mixed5, the way the LibTorch module should be
// written (explicit symmetric padding, BN without gamma, average pooling that
// divides by the in-bounds count), run with tfjs primitives on the weights of
// inception_v3_mixed5.bin and compared with reference_mixed5.json.
// It checks that topology_mixed5.txt + the .bin are enough to rebuild the net.
//
//   node port_check.mjs [--env <dir>] [--bin <file>] [--ref <json>]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readBin } from './convert.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const cache = process.env.SHENBI_CACHE || path.join(os.homedir(), '.cache', 'shenbi');
const args = {
  env: path.join(cache, 'npm', 'tfjs-env'),
  bin: path.join(cache, 'npm', 'inception', 'inception_v3_mixed5.bin'),
  ref: path.join(here, '..', '..', 'tests', 'data', 'inception', 'reference_mixed5.json'),
};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];

const tf = createRequire(path.join(path.resolve(args.env), 'package.json'))('@tensorflow/tfjs');
const W = new Map(readBin(args.bin).map((t) => [t.name, tf.tensor(t.data, t.shape)]));

// conv (no bias) + BN (no gamma, eps 1e-3) + relu; "same" = symmetric (k-1)/2.
function cbr(x, n, stride = 1, same = true) {
  const k = W.get(`conv2d_${n}/kernel`);
  const [kh, kw] = k.shape;
  if (same) x = tf.pad(x, [[0, 0], [(kh - 1) / 2, (kh - 1) / 2], [(kw - 1) / 2, (kw - 1) / 2], [0, 0]]);
  const y = tf.conv2d(x, k, stride, 'valid');
  const bn = (s) => W.get(`batch_normalization_${n}/${s}`);
  return tf.relu(y.sub(bn('moving_mean')).div(bn('moving_variance').add(1e-3).sqrt()).add(bn('beta')));
}
// 3x3 stride-1 average pool, zero pad 1, divide by the in-bounds count.
function avg3(x) {
  const [, h, w] = x.shape;
  const sum = tf.avgPool(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 1, 'valid').mul(9);
  const cnt = tf.avgPool(tf.pad(tf.ones([1, h, w, 1]), [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 1, 'valid').mul(9);
  return sum.div(cnt);
}
const max3s2 = (x) => tf.maxPool(x, 3, 2, 'valid');
const cat = (xs) => tf.concat(xs, 3);

// Block A (mixed0..2): conv numbers b = first conv of the block.
const blockA = (x, b) => cat([
  cbr(x, b),
  cbr(cbr(x, b + 1), b + 2),
  cbr(cbr(cbr(x, b + 3), b + 4), b + 5),
  cbr(avg3(x), b + 6),
]);
// Block B (mixed3): grid reduction 35 -> 17.
const blockB = (x, b) => cat([
  cbr(x, b, 2, false),
  cbr(cbr(cbr(x, b + 1), b + 2), b + 3, 2, false),
  max3s2(x),
]);
// Block C (mixed4..5): factorised 7x7 (kernel shapes come from the weights).
const blockC = (x, b) => cat([
  cbr(x, b),
  cbr(cbr(cbr(x, b + 1), b + 2), b + 3),
  cbr(cbr(cbr(cbr(cbr(x, b + 4), b + 5), b + 6), b + 7), b + 8),
  cbr(avg3(x), b + 9),
]);

function forward(x) {
  let h = cbr(x, 1, 2, false);
  h = cbr(h, 2, 1, false);
  h = cbr(h, 3);
  h = max3s2(h);
  h = cbr(h, 4, 1, false);
  h = cbr(h, 5, 1, false);
  h = max3s2(h);
  const mixed0 = blockA(h, 6);
  const mixed1 = blockA(mixed0, 13);
  const mixed2 = blockA(mixed1, 20);
  const mixed3 = blockB(mixed2, 27);
  const mixed4 = blockC(mixed3, 31);
  const mixed5 = blockC(mixed4, 41);
  return { mixed2, mixed5 };
}

async function main() {
  await tf.setBackend('cpu');
  const ref = JSON.parse(fs.readFileSync(args.ref, 'utf8'));
  const c = ref.cases.find((k) => k.name === 'formula');
  const S = 299;
  const v = new Float32Array(S * S * 3);
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) for (let ch = 0; ch < 3; ch++) v[(y * S + x) * 3 + ch] = Math.sin(0.05 * x + 0.07 * y + ch);
  const out = tf.tidy(() => forward(tf.tensor4d(v, [1, S, S, 3])));
  let worst = 0;
  for (const name of ['mixed2', 'mixed5']) {
    const t = out[name];
    const pooled = t.mean([1, 2]).dataSync();
    let d = 0;
    c[name].pooled.forEach((r, i) => { d = Math.max(d, Math.abs(r - pooled[i])); });
    const data = t.dataSync();
    const [, , Wd, C] = t.shape;
    let dv = 0;
    for (const [y, x, ch, r] of c[name].values) dv = Math.max(dv, Math.abs(data[(y * Wd + x) * C + ch] - r));
    console.log(`${name} ${JSON.stringify(t.shape)}: max |pooled - ref| ${d.toExponential(2)}, max |values - ref| ${dv.toExponential(2)}`);
    worst = Math.max(worst, d, dv);
  }
  if (worst > 1e-4) { console.log('FAIL'); process.exit(1); }
  console.log('OK');
}
main();
