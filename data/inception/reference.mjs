#!/usr/bin/env node
// Reference activations of the nsfwjs@4.4.0 InceptionV3 (tfjs 4.22.0, pure JS
// CPU backend) for the C++ port: mixed5 / mixed2 / stem outputs on two
// deterministic inputs, written to tests/data/inception/reference_mixed5.json.
//
//   node reference.mjs [--env <dir>] [--bin <inception_v3_mixed5.bin>]
//                      [--tsv <val.tsv>] [--emoji 1f981] [--out <json>]
//
// --env: a directory whose node_modules holds @tensorflow/tfjs@4.22.0 and
// nsfwjs@4.4.0 (fetch.sh installs them into $SHENBI_CACHE/npm/tfjs-env).
// --bin: when given, every tensor of the converted file is compared with the
// weights that tfjs loaded (they must be bit-identical).
//
// Inputs (NHWC, float32, 1x299x299x3; x = column, y = row, c = 0 R,1 G,2 B):
//  "formula":      v(y,x,c) = sin(0.05*x + 0.07*y + c), in double, then
//                  rounded to float32. Already within [-1, 1]; fed as is.
//  "emoji_imagenet", "emoji_nsfwjs": the 64x64 RGBA Noto PNG of one emoji from
//                  tests/data/train/emoji/val.tsv (idx column = --emoji):
//                  1. composite over white, per channel in double:
//                     p = (c*a + 255*(255 - a)) / 255   (c, a in 0..255)
//                  2. nearest-neighbour resize to 299x299:
//                     src_y = floor(y*64/299), src_x = floor(x*64/299)
//                     (= torch nearest with scale 64/299, no boundary ties)
//                  3. emoji_imagenet: p/127.5 - 1 (Keras "tf" preprocess_input,
//                     what the ImageNet weights expect); emoji_nsfwjs: p/255
//                     (what nsfwjs itself feeds: img.toFloat().div(255)).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readBin } from './convert.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const cache = process.env.SHENBI_CACHE || path.join(os.homedir(), '.cache', 'shenbi');

const args = {
  env: path.join(cache, 'npm', 'tfjs-env'),
  bin: null,
  tsv: path.join(repo, 'tests', 'data', 'train', 'emoji', 'val.tsv'),
  emoji: '1f981',
  out: path.join(repo, 'tests', 'data', 'inception', 'reference_mixed5.json'),
};
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in args)) throw new Error(`unknown argument ${process.argv[i]}`);
  args[k] = process.argv[i + 1];
}

// ---- minimal PNG decoder (8-bit gray/RGB/palette/gray+alpha/RGBA, no interlace)
function decodePng(buf) {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  sig.forEach((b, i) => { if (buf[i] !== b) throw new Error('not a PNG'); });
  let o = 8, ihdr = null, palette = null, trns = null;
  const idat = [];
  while (o < buf.length) {
    const len = buf.readUInt32BE(o);
    const type = buf.toString('ascii', o + 4, o + 8);
    const data = buf.subarray(o + 8, o + 8 + len);
    o += 12 + len;
    if (type === 'IHDR') {
      ihdr = { w: data.readUInt32BE(0), h: data.readUInt32BE(4), depth: data[8], color: data[9], interlace: data[12] };
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
  }
  const { w, h, depth, color, interlace } = ihdr;
  if (depth !== 8 || interlace !== 0) throw new Error(`PNG depth ${depth} interlace ${interlace} not handled`);
  const chans = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[color];
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = w * chans;
  const px = Buffer.alloc(h * stride);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= chans ? px[y * stride + i - chans] : 0;
      const b = y > 0 ? px[(y - 1) * stride + i] : 0;
      const c = i >= chans && y > 0 ? px[(y - 1) * stride + i - chans] : 0;
      let v;
      switch (f) {
        case 0: v = line[i]; break;
        case 1: v = line[i] + a; break;
        case 2: v = line[i] + b; break;
        case 3: v = line[i] + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          v = line[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: throw new Error(`bad PNG filter ${f}`);
      }
      px[y * stride + i] = v & 255;
    }
  }
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    let r, g, b, al = 255;
    if (color === 6) [r, g, b, al] = px.subarray(4 * i, 4 * i + 4);
    else if (color === 2) [r, g, b] = px.subarray(3 * i, 3 * i + 3);
    else if (color === 0) r = g = b = px[i];
    else if (color === 4) { r = g = b = px[2 * i]; al = px[2 * i + 1]; }
    else if (color === 3) {
      const k = px[i];
      [r, g, b] = palette.subarray(3 * k, 3 * k + 3);
      al = trns && k < trns.length ? trns[k] : 255;
    }
    rgba.set([r, g, b, al], 4 * i);
  }
  return { w, h, color, rgba };
}

// ---- inputs
const S = 299;
function formulaInput() {
  const v = new Float32Array(S * S * 3);
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) for (let c = 0; c < 3; c++) {
    v[(y * S + x) * 3 + c] = Math.sin(0.05 * x + 0.07 * y + c);
  }
  return v;
}

function emojiPixels(tsvFile, idx) {
  const line = fs.readFileSync(tsvFile, 'utf8').split('\n').find((l) => l.split('\t')[0] === idx);
  if (!line) throw new Error(`${idx} not in ${tsvFile}`);
  const [, text, b64] = line.split('\t');
  const png = decodePng(Buffer.from(b64.trim(), 'base64'));
  const p = new Float64Array(S * S * 3); // composited, resized, 0..255
  for (let y = 0; y < S; y++) {
    const sy = Math.floor((y * png.h) / S);
    for (let x = 0; x < S; x++) {
      const sx = Math.floor((x * png.w) / S);
      const q = 4 * (sy * png.w + sx);
      const a = png.rgba[q + 3];
      for (let c = 0; c < 3; c++) p[(y * S + x) * 3 + c] = (png.rgba[q + c] * a + 255 * (255 - a)) / 255;
    }
  }
  return { text, png, p };
}

// ---- helpers
const r7 = (v) => Number(v.toPrecision(7));
function pooled(data, shape) { // NHWC [1,H,W,C] -> mean over H,W
  const [, H, W, C] = shape;
  const acc = new Float64Array(C);
  for (let i = 0; i < H * W; i++) for (let c = 0; c < C; c++) acc[c] += data[i * C + c];
  return Array.from(acc, (s) => r7(s / (H * W)));
}
function at(data, shape, pts) {
  const [, H, W, C] = shape;
  return pts.filter(([y, x, c]) => y < H && x < W && c < C).map(([y, x, c]) => [y, x, c, r7(data[(y * W + x) * C + c])]);
}
function top(data, shape, k) { // k largest values as [y, x, c, value], ties by index
  const [, , W, C] = shape;
  const idx = Array.from(data.keys()).sort((a, b) => data[b] - data[a] || a - b).slice(0, k);
  return idx.map((i) => [Math.floor(i / C / W), Math.floor(i / C) % W, i % C, r7(data[i])]);
}
function pixel(data, shape, y, x) { // all channels at (y, x)
  const [, , W, C] = shape;
  return Array.from(data.subarray((y * W + x) * C, (y * W + x + 1) * C), r7);
}
function stats(data) {
  let s = 0, s2 = 0, mn = Infinity, mx = -Infinity;
  for (const v of data) { s += v; s2 += v * v; if (v < mn) mn = v; if (v > mx) mx = v; }
  return { mean: r7(s / data.length), rms: r7(Math.sqrt(s2 / data.length)), min: r7(mn), max: r7(mx) };
}

async function main() {
  const t0 = Date.now();
  const req = createRequire(path.join(path.resolve(args.env), 'package.json'));
  // nsfwjs's CJS build require()s "@tensorflow/tfjs" (main = dist/tf.node.js);
  // requiring it from the same node_modules gives the same engine instance.
  const tf = req('@tensorflow/tfjs');
  const nsfwjs = req('nsfwjs');
  const { InceptionV3Model } = req('nsfwjs/models/inception_v3');
  await tf.setBackend('cpu');
  await tf.ready();
  const tfVersion = tf.version.tfjs;
  const nsfwVersion = JSON.parse(fs.readFileSync(path.join(path.resolve(args.env), 'node_modules', 'nsfwjs', 'package.json'), 'utf8')).version;
  if (tfVersion !== '4.22.0' || nsfwVersion !== '4.4.0') {
    throw new Error(`expected tfjs 4.22.0 / nsfwjs 4.4.0, got ${tfVersion} / ${nsfwVersion}`);
  }

  // Exactly what nsfwjs.load("InceptionV3", {modelDefinitions: [...]}) does:
  // JSONHandler over model.min.js + shards, tf.loadLayersModel, warm-up predict.
  const nsfw = await nsfwjs.load('InceptionV3', { modelDefinitions: [InceptionV3Model] });
  const model = nsfw.model;
  console.error(`loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s, backend ${tf.getBackend()}, ${model.layers.length} layers`);

  // Optional: our converted file must equal what tfjs loaded, bit for bit.
  let binCheck = null;
  if (args.bin) {
    const tensors = readBin(args.bin);
    let maxDiff = 0, compared = 0;
    for (const t of tensors) {
      const [layerName] = t.name.split('/');
      const w = model.getLayer(layerName).weights.find((v) => v.originalName === t.name || v.name === t.name);
      if (!w) throw new Error(`tfjs layer ${layerName} has no weight ${t.name}`);
      const v = w.read().dataSync();
      if (JSON.stringify(w.shape) !== JSON.stringify(t.shape)) throw new Error(`${t.name}: shape ${w.shape} vs ${t.shape}`);
      for (let i = 0; i < v.length; i++) maxDiff = Math.max(maxDiff, Math.abs(v[i] - t.data[i]));
      compared++;
    }
    binCheck = { tensors: compared, max_abs_diff: maxDiff };
    console.error(`bin check: ${compared} tensors, max |diff| ${maxDiff}`);
    if (maxDiff !== 0) throw new Error('converted weights differ from tfjs weights');
  }

  const probeNames = ['activation_1', 'max_pooling2d_2', 'mixed2', 'mixed5'];
  const probe = tf.model({ inputs: model.inputs, outputs: probeNames.map((n) => model.getLayer(n).output) });

  const emoji = emojiPixels(args.tsv, args.emoji);
  const inputs = [
    { name: 'formula', desc: 'v(y,x,c) = sin(0.05*x + 0.07*y + c), float32, fed as is', data: formulaInput() },
    { name: 'emoji_imagenet', desc: `emoji ${args.emoji} (${emoji.text}), over white, nearest 64->299, p/127.5 - 1`,
      data: Float32Array.from(emoji.p, (v) => v / 127.5 - 1) },
    { name: 'emoji_nsfwjs', desc: `emoji ${args.emoji} (${emoji.text}), over white, nearest 64->299, p/255`,
      data: Float32Array.from(emoji.p, (v) => v / 255) },
  ];

  const ptsMixed = [[0, 0, 0], [0, 0, 1], [0, 0, 767], [8, 8, 0], [8, 8, 100], [8, 8, 191], [8, 8, 192], [8, 8, 383],
    [8, 8, 384], [8, 8, 575], [8, 8, 576], [8, 8, 767], [3, 11, 200], [12, 5, 600], [16, 0, 191], [0, 16, 287],
    [16, 16, 767], [34, 34, 287], [20, 7, 130]];
  const ptsStem = [[0, 0, 0], [0, 0, 1], [0, 0, 31], [74, 74, 0], [74, 74, 5], [100, 37, 17], [148, 148, 31],
    [34, 34, 191], [17, 3, 64]];

  const cases = [];
  for (const inp of inputs) {
    const t1 = Date.now();
    const x = tf.tensor4d(inp.data, [1, S, S, 3]);
    const outs = probe.predict(x);
    const rec = {
      name: inp.name,
      input: { desc: inp.desc, ...stats(inp.data), sum: r7(inp.data.reduce((a, b) => a + b, 0)),
        samples: at(inp.data, [1, S, S, 3], [[0, 0, 0], [0, 0, 2], [0, 1, 0], [1, 0, 0], [150, 150, 1], [298, 298, 2], [120, 200, 0]]) },
    };
    probeNames.forEach((n, i) => {
      const d = outs[i].dataSync();
      const sh = outs[i].shape;
      const o = { shape: sh, ...stats(d) };
      if (n === 'activation_1') o.values = at(d, sh, ptsStem);
      if (n === 'max_pooling2d_2') { o.values = at(d, sh, ptsStem); o.pooled = pooled(d, sh); }
      if (n === 'mixed2') { o.values = at(d, sh, ptsMixed); o.top8 = top(d, sh, 8); o.pooled = pooled(d, sh); }
      if (n === 'mixed5') {
        o.values = at(d, sh, ptsMixed);
        o.top8 = top(d, sh, 8);
        o.at_8_8 = pixel(d, sh, 8, 8);
        o.pooled = pooled(d, sh);
      }
      rec[n] = o;
    });
    tf.dispose([x, ...outs]);
    console.error(`${inp.name}: ${((Date.now() - t1) / 1000).toFixed(1)} s, mixed5 ${JSON.stringify(rec.mixed5.shape)} mean ${rec.mixed5.mean}`);
    cases.push(rec);
  }

  // Sanity: nsfwjs's own classify() on the same emoji (pixels 0..255, no resize at 299).
  const px = tf.tensor3d(Float32Array.from(emoji.p), [S, S, 3]);
  const classes = await nsfw.classify(px, 5);
  px.dispose();
  classes.forEach((c) => { c.probability = r7(c.probability); });
  console.error(`nsfwjs classify ${args.emoji}: ${classes.map((c) => `${c.className} ${c.probability}`).join(', ')}`);

  const out = {
    about: 'Reference activations of the InceptionV3 in nsfwjs@4.4.0 (MIT), computed with @tensorflow/tfjs@4.22.0 CPU backend by data/inception/reference.mjs. See data/inception/README.md.',
    layout: 'NHWC. values and top8 entries are [y, x, c, value] into the [1,H,W,C] output (LibTorch NCHW: out[0][c][y][x]); top8 = 8 largest values. at_8_8 = all 768 channels of mixed5 at y=8, x=8 (the centre). pooled = mean over H and W (the FID feature). Numbers rounded to 7 significant digits.',
    model: { source: 'nsfwjs@4.4.0 dist/models/inception_v3', tfjs: tfVersion, backend: tf.getBackend(), layers_up_to_mixed5: 165 },
    preprocessing: {
      formula: 'v(y,x,c) = sin(0.05*x + 0.07*y + c) for y,x in 0..298, c in 0..2 (R,G,B); double then float32',
      emoji: `tests/data/train/emoji/val.tsv idx ${args.emoji} (${emoji.text}), PNG ${emoji.png.w}x${emoji.png.h} color type ${emoji.png.color}; p = (c*a + 255*(255-a))/255 per channel (over white); nearest resize src = floor(dst*64/299)`,
      emoji_imagenet: 'p/127.5 - 1 (Keras InceptionV3 preprocess_input, mode "tf"; the ImageNet training range)',
      emoji_nsfwjs: 'p/255 (nsfwjs infer(): img.toFloat().div(255); resizeBilinear alignCorners=true only when not 299x299)',
    },
    weights_check: binCheck,
    nsfwjs_classify_emoji: classes,
    cases,
  };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(out) + '\n');
  console.error(`wrote ${args.out} (${fs.statSync(args.out).size} bytes) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e) => { console.error(e); process.exit(1); });
