#!/usr/bin/env node
// Converts the Keras InceptionV3 bundled in the npm package nsfwjs@4.4.0 (MIT)
// into one flat float32 binary that C++ reads without JSON, keeping only the
// tensors that the layers up to and including `--until` (default mixed5) need.
// Plain Node (>= 18), no npm dependencies.
//
//   node convert.mjs --pkg <nsfwjs package dir> --out <dir> [--until mixed5]
//                    [--topology <file>]
//
// Writes <out>/inception_v3_<until>.bin and <out>/topology_<until>.txt (and
// the same text to --topology when given). Binary format (all little endian):
//
//   char[8]  magic "SHBINC01"
//   uint32   tensor count N
//   N times:
//     uint32   name length L (bytes)
//     char[L]  name, UTF-8, Keras weight name, e.g. "conv2d_1/kernel"
//     uint32   ndim
//     int32    dims[ndim]        (Keras layout: conv kernel = [kh, kw, in, out])
//     float32  data[prod(dims)]  (row-major / C order in the dims above)
//
// Tensors are in the order of the layers in modelTopology, and within a
// layer in the order of the manifest (conv: kernel; BN: beta, moving_mean,
// moving_variance).
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

function parseArgs(argv) {
  const a = { until: 'mixed5' };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--pkg') a.pkg = v, i++;
    else if (k === '--out') a.out = v, i++;
    else if (k === '--until') a.until = v, i++;
    else if (k === '--topology') a.topology = v, i++;
    else throw new Error(`unknown argument ${k}`);
  }
  if (!a.pkg || !a.out) {
    throw new Error('usage: node convert.mjs --pkg <nsfwjs package dir> --out <dir> [--until mixed5] [--topology file]');
  }
  return a;
}

// model.min.js is a browserify UMD bundle whose module 1 is
// `n.exports = {modelTopology: ..., weightsManifest: ...}` written as a JS
// object literal (unquoted keys, `!1` for false), not JSON. Evaluate it in an
// empty vm context with a CommonJS `module` object, as `require` would.
export function loadModelJs(file) {
  const src = fs.readFileSync(file, 'utf8');
  const sandbox = { module: { exports: {} } };
  sandbox.exports = sandbox.module.exports;
  vm.runInNewContext(src, sandbox, { filename: file, timeout: 10000 });
  const m = sandbox.module.exports;
  if (!m || !m.modelTopology || !m.weightsManifest) {
    throw new Error(`${file}: no modelTopology/weightsManifest in the UMD bundle`);
  }
  // Round-trip through JSON so that the objects belong to this realm.
  return JSON.parse(JSON.stringify(m));
}

// group1-shardNofM.min.js: the same wrapper around `h.exports="<base64>"`.
export function loadShard(file) {
  const src = fs.readFileSync(file, 'utf8');
  const hits = src.match(/exports="([A-Za-z0-9+/=]+)"/g) || [];
  if (hits.length !== 1) throw new Error(`${file}: expected one base64 string, found ${hits.length}`);
  const b64 = hits[0].slice('exports="'.length, -1);
  return Buffer.from(b64, 'base64');
}

// Reads all shards of the model directory and returns the decoded float32
// tensors by name, exactly as tfjs-core's decodeWeights does:
// float32(q * scale + min), computed in double precision.
export function loadWeights(modelDir, model) {
  const bufs = [];
  for (const group of model.weightsManifest) {
    for (const p of group.paths) {
      bufs.push({ path: p, buf: loadShard(path.join(modelDir, `${p}.min.js`)) });
    }
  }
  const all = Buffer.concat(bufs.map((b) => b.buf));
  const weights = new Map();
  let offset = 0;
  for (const group of model.weightsManifest) {
    for (const w of group.weights) {
      const n = w.shape.reduce((x, y) => x * y, 1);
      if (w.dtype !== 'float32') throw new Error(`${w.name}: dtype ${w.dtype} not handled`);
      const q = w.quantization;
      let data;
      if (!q) {
        data = new Float32Array(all.buffer.slice(all.byteOffset + offset, all.byteOffset + offset + 4 * n));
        offset += 4 * n;
      } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
        if (typeof q.min !== 'number' || typeof q.scale !== 'number') {
          throw new Error(`${w.name}: quantization without min/scale`);
        }
        const bytesPer = q.dtype === 'uint8' ? 1 : 2;
        data = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          const v = bytesPer === 1 ? all[offset + i] : all.readUInt16LE(offset + 2 * i);
          data[i] = v * q.scale + q.min;
        }
        offset += bytesPer * n;
      } else {
        throw new Error(`${w.name}: quantization dtype ${q.dtype} not handled`);
      }
      weights.set(w.name, { name: w.name, shape: w.shape, data, quantization: q || null });
    }
  }
  if (offset !== all.length) {
    throw new Error(`weights use ${offset} bytes but the shards hold ${all.length}`);
  }
  return { weights, shards: bufs.map((b) => ({ path: b.path, bytes: b.buf.length })), totalBytes: all.length };
}

const inboundNames = (layer) =>
  (layer.inbound_nodes || []).flatMap((node) => node.map((e) => e[0]));

// Layers needed to compute `until`, in modelTopology order.
export function ancestors(layers, until) {
  const byName = new Map(layers.map((l) => [l.name, l]));
  if (!byName.has(until)) throw new Error(`no layer named ${until}`);
  const need = new Set();
  const stack = [until];
  while (stack.length) {
    const n = stack.pop();
    if (need.has(n)) continue;
    need.add(n);
    for (const p of inboundNames(byName.get(n))) stack.push(p);
  }
  return layers.filter((l) => need.has(l.name));
}

// Output shapes [H, W, C] (batch dropped), TF "valid"/"same" rules.
function inferShapes(layers) {
  const shapes = new Map();
  const outDim = (n, k, s, pad) => (pad === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
  for (const l of layers) {
    const c = l.config;
    const ins = inboundNames(l).map((n) => shapes.get(n));
    let s;
    switch (l.class_name) {
      case 'InputLayer': s = c.batch_input_shape.slice(1); break;
      case 'Conv2D':
        s = [outDim(ins[0][0], c.kernel_size[0], c.strides[0], c.padding),
             outDim(ins[0][1], c.kernel_size[1], c.strides[1], c.padding), c.filters];
        break;
      case 'MaxPooling2D': case 'AveragePooling2D':
        s = [outDim(ins[0][0], c.pool_size[0], c.strides[0], c.padding),
             outDim(ins[0][1], c.pool_size[1], c.strides[1], c.padding), ins[0][2]];
        break;
      case 'BatchNormalization': case 'Activation': s = ins[0].slice(); break;
      case 'Concatenate':
        if (c.axis !== -1 && c.axis !== 3) throw new Error(`${l.name}: concat axis ${c.axis}`);
        s = [ins[0][0], ins[0][1], ins.reduce((a, x) => a + x[2], 0)];
        for (const x of ins) if (x[0] !== s[0] || x[1] !== s[1]) throw new Error(`${l.name}: spatial mismatch`);
        break;
      default: throw new Error(`${l.name}: layer class ${l.class_name} not handled`);
    }
    shapes.set(l.name, s);
  }
  return shapes;
}

// Weight names a layer owns, in manifest (= tfjs) naming.
function expectedWeights(l, inShape) {
  const c = l.config;
  if (l.class_name === 'Conv2D') {
    const w = [{ name: `${l.name}/kernel`, shape: [c.kernel_size[0], c.kernel_size[1], inShape[2], c.filters] }];
    if (c.use_bias) w.push({ name: `${l.name}/bias`, shape: [c.filters] });
    return w;
  }
  if (l.class_name === 'BatchNormalization') {
    const ch = inShape[2];
    const w = [];
    if (c.scale) w.push({ name: `${l.name}/gamma`, shape: [ch] });
    if (c.center) w.push({ name: `${l.name}/beta`, shape: [ch] });
    w.push({ name: `${l.name}/moving_mean`, shape: [ch] });
    w.push({ name: `${l.name}/moving_variance`, shape: [ch] });
    return w;
  }
  return [];
}

const pair = (v) => `${v[0]}x${v[1]}`;

function describe(l) {
  const c = l.config;
  switch (l.class_name) {
    case 'InputLayer': return `shape=${JSON.stringify(c.batch_input_shape)} dtype=${c.dtype}`;
    case 'Conv2D':
      return `filters=${c.filters} kernel=${pair(c.kernel_size)} strides=${pair(c.strides)} padding=${c.padding}` +
        ` dilation=${pair(c.dilation_rate)} use_bias=${c.use_bias} activation=${c.activation}` +
        ` trainable=${c.trainable}`;
    case 'BatchNormalization':
      return `axis=${c.axis} epsilon=${c.epsilon} center=${c.center} scale=${c.scale}` +
        ` momentum=${c.momentum} trainable=${c.trainable}`;
    case 'Activation': return `activation=${c.activation}`;
    case 'MaxPooling2D': case 'AveragePooling2D':
      return `pool=${pair(c.pool_size)} strides=${pair(c.strides)} padding=${c.padding}`;
    case 'Concatenate': return `axis=${c.axis}`;
    default: return JSON.stringify(c);
  }
}

function shortOp(l) {
  const c = l.config;
  switch (l.class_name) {
    case 'Conv2D': return `${l.name} ${pair(c.kernel_size)}/${c.strides[0]} ${c.padding} ->${c.filters}`;
    case 'BatchNormalization': return 'BN';
    case 'Activation': return c.activation;
    case 'MaxPooling2D': return `maxpool ${pair(c.pool_size)}/${c.strides[0]} ${c.padding}`;
    case 'AveragePooling2D': return `avgpool ${pair(c.pool_size)}/${c.strides[0]} ${c.padding}`;
    default: return l.name;
  }
}

function topologyText(model, layers, shapes, kept, srcInfo) {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const out = [];
  const mt = model.modelTopology;
  out.push(`# InceptionV3 from nsfwjs@4.4.0 (MIT), layers up to and including ${layers[layers.length - 1].name}`);
  out.push(`# Generated by data/inception/convert.mjs from ${srcInfo}`);
  out.push(`# keras_version=${mt.keras_version} backend=${mt.backend} model=${mt.model_config.config.name}` +
    ` (${mt.model_config.config.layers.length} layers in the full model)`);
  out.push('# Shapes are [H, W, C] per image (NHWC without N; LibTorch NCHW is [C, H, W]).');
  out.push('# Conv kernels are stored in Keras layout [kh, kw, in, out]; LibTorch wants kernel.permute({3, 2, 0, 1}).');
  out.push('# Keras padding "same" here is only used with stride 1 and odd kernels: symmetric pad (k-1)/2 per side.');
  out.push('# AveragePooling2D padding "same": TF/tfjs divide by the number of in-bounds pixels');
  out.push('#   (LibTorch: avg_pool2d(x, 3, 1, 1, /*ceil_mode=*/false, /*count_include_pad=*/false)).');
  out.push('# BN (inference): y = (x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta;');
  out.push('#   with scale=false there is no gamma (gamma = 1); center=true means beta exists.');
  out.push('');
  const convs = layers.filter((l) => l.class_name === 'Conv2D');
  const bns = layers.filter((l) => l.class_name === 'BatchNormalization');
  out.push('## Summary');
  out.push(`layers: ${layers.length}; Conv2D: ${convs.length}; BatchNormalization: ${bns.length}; ` +
    `tensors: ${kept.length}; parameters: ${kept.reduce((a, w) => a + w.data.length, 0)}`);
  out.push(`Conv2D use_bias: ${[...new Set(convs.map((l) => l.config.use_bias))].join(',')}; ` +
    `activation (in conv): ${[...new Set(convs.map((l) => l.config.activation))].join(',')}; ` +
    `dilation: ${[...new Set(convs.map((l) => pair(l.config.dilation_rate)))].join(',')}`);
  out.push(`BatchNormalization scale: ${[...new Set(bns.map((l) => l.config.scale))].join(',')}; ` +
    `center: ${[...new Set(bns.map((l) => l.config.center))].join(',')}; ` +
    `epsilon: ${[...new Set(bns.map((l) => l.config.epsilon))].join(',')}; ` +
    `axis: ${[...new Set(bns.map((l) => l.config.axis))].join(',')}`);
  out.push(`trainable: ${[...new Set(layers.filter((l) => 'trainable' in l.config).map((l) => l.config.trainable))].join(',')}`);
  // Checked: each conv2d_N feeds only batch_normalization_N, which feeds only one Activation(relu).
  for (const cv of convs) {
    const next = layers.filter((x) => inboundNames(x).includes(cv.name));
    const bn = next[0];
    const act = bn && layers.filter((x) => inboundNames(x).includes(bn.name));
    if (next.length !== 1 || bn.class_name !== 'BatchNormalization' || bn.name !== cv.name.replace('conv2d_', 'batch_normalization_') ||
        act.length !== 1 || act[0].class_name !== 'Activation' || act[0].config.activation !== 'relu') {
      throw new Error(`${cv.name} is not conv -> BN -> relu`);
    }
  }
  out.push('Every conv2d_N feeds only batch_normalization_N, which feeds only an Activation(relu) (checked).');
  out.push('');

  // Branch structure of each Concatenate ("mixedN") block.
  out.push('## Blocks (each branch: chain from the block input to the concat, convs as name kxk/stride padding ->filters; every conv is conv+BN+relu)');
  // A branch starts at a fan-out point (a layer feeding several layers).
  const consumers = new Map();
  for (const l of layers) for (const n of inboundNames(l)) consumers.set(n, (consumers.get(n) || 0) + 1);
  for (const l of layers) {
    if (l.class_name !== 'Concatenate') continue;
    out.push(`${l.name} ${JSON.stringify(shapes.get(l.name))} = concat(channels, in this order) of:`);
    inboundNames(l).forEach((n, bi) => {
      const chain = [];
      let cur = byName.get(n);
      while (cur && inboundNames(cur).length === 1 && (consumers.get(cur.name) === 1 || chain.length === 0)) {
        chain.unshift(cur);
        cur = byName.get(inboundNames(cur)[0]);
        if (consumers.get(cur.name) > 1) break;
      }
      const ops = chain.filter((x) => x.class_name !== 'BatchNormalization' && x.class_name !== 'Activation').map(shortOp);
      out.push(`  [${bi}] from ${cur ? cur.name : '?'}: ${ops.join(' -> ')}  => ${JSON.stringify(shapes.get(n))}`);
    });
  }
  out.push('');

  out.push('## Layers in order');
  out.push('# idx name class | config | inbound | output [H,W,C] | weights');
  layers.forEach((l, i) => {
    const ws = expectedWeights(l, shapes.get(inboundNames(l)[0]) || []).map((w) => `${w.name}${JSON.stringify(w.shape)}`);
    out.push(`${String(i).padStart(3)} ${l.name} ${l.class_name} | ${describe(l)} | in: ${inboundNames(l).join(', ') || '-'}` +
      ` | out: ${JSON.stringify(shapes.get(l.name))}${ws.length ? ` | w: ${ws.join(' ')}` : ''}`);
  });
  return out.join('\n') + '\n';
}

function writeBin(file, tensors) {
  const parts = [];
  const head = Buffer.alloc(12);
  head.write('SHBINC01', 0, 'ascii');
  head.writeUInt32LE(tensors.length, 8);
  parts.push(head);
  for (const t of tensors) {
    const name = Buffer.from(t.name, 'utf8');
    const h = Buffer.alloc(4 + name.length + 4 + 4 * t.shape.length);
    let o = h.writeUInt32LE(name.length, 0);
    o += name.copy(h, o);
    o = h.writeUInt32LE(t.shape.length, o);
    for (const d of t.shape) o = h.writeInt32LE(d, o);
    parts.push(h);
    const data = Buffer.alloc(4 * t.data.length);
    for (let i = 0; i < t.data.length; i++) data.writeFloatLE(t.data[i], 4 * i);
    parts.push(data);
  }
  const buf = Buffer.concat(parts);
  fs.writeFileSync(file, buf);
  return buf;
}

// Reads a SHBINC01 file back (used for the self-check and by reference.mjs).
export function readBin(file) {
  const b = fs.readFileSync(file);
  if (b.toString('ascii', 0, 8) !== 'SHBINC01') throw new Error(`${file}: bad magic`);
  const n = b.readUInt32LE(8);
  let o = 12;
  const out = [];
  for (let k = 0; k < n; k++) {
    const L = b.readUInt32LE(o); o += 4;
    const name = b.toString('utf8', o, o + L); o += L;
    const nd = b.readUInt32LE(o); o += 4;
    const shape = [];
    for (let i = 0; i < nd; i++) { shape.push(b.readInt32LE(o)); o += 4; }
    const cnt = shape.reduce((x, y) => x * y, 1);
    const data = new Float32Array(cnt);
    for (let i = 0; i < cnt; i++) data[i] = b.readFloatLE(o + 4 * i);
    o += 4 * cnt;
    out.push({ name, shape, data });
  }
  if (o !== b.length) throw new Error(`${file}: ${b.length - o} trailing bytes`);
  return out;
}

function main() {
  const args = parseArgs(process.argv);
  const modelDir = path.join(args.pkg, 'dist', 'models', 'inception_v3');
  const pkgJson = JSON.parse(fs.readFileSync(path.join(args.pkg, 'package.json'), 'utf8'));
  const model = loadModelJs(path.join(modelDir, 'model.min.js'));
  const allLayers = model.modelTopology.model_config.config.layers;
  const layers = ancestors(allLayers, args.until);
  const shapes = inferShapes(layers);
  const { weights, shards, totalBytes } = loadWeights(modelDir, model);

  const fullShard = 4194304;
  shards.forEach((s, i) => {
    if (i < shards.length - 1 && s.bytes !== fullShard) throw new Error(`${s.path}: ${s.bytes} bytes, expected ${fullShard}`);
  });

  // Check every layer's weights against the topology and collect them.
  const kept = [];
  for (const l of layers) {
    const inShape = shapes.get(inboundNames(l)[0]) || [];
    for (const e of expectedWeights(l, inShape)) {
      const w = weights.get(e.name);
      if (!w) throw new Error(`missing weight ${e.name}`);
      if (JSON.stringify(w.shape) !== JSON.stringify(e.shape)) {
        throw new Error(`${e.name}: manifest shape ${JSON.stringify(w.shape)} != topology ${JSON.stringify(e.shape)}`);
      }
      kept.push(w);
    }
    // No stray weights for this layer (e.g. a gamma despite scale=false).
    for (const name of weights.keys()) {
      if (name.startsWith(`${l.name}/`) && !kept.some((k) => k.name === name)) {
        throw new Error(`weight ${name} not expected from the topology of ${l.name}`);
      }
    }
  }
  // Full-model consistency: every manifest weight belongs to some layer.
  const layerNames = new Set(allLayers.map((l) => l.name));
  for (const name of weights.keys()) {
    if (!layerNames.has(name.split('/')[0])) throw new Error(`weight ${name} has no layer`);
  }

  fs.mkdirSync(args.out, { recursive: true });
  const binFile = path.join(args.out, `inception_v3_${args.until}.bin`);
  const buf = writeBin(binFile, kept);
  const back = readBin(binFile);
  if (back.length !== kept.length) throw new Error('read-back count mismatch');
  back.forEach((t, i) => {
    const k = kept[i];
    if (t.name !== k.name || JSON.stringify(t.shape) !== JSON.stringify(k.shape)) throw new Error(`read-back ${t.name}`);
    for (let j = 0; j < t.data.length; j++) if (t.data[j] !== k.data[j]) throw new Error(`read-back data ${t.name}[${j}]`);
  });

  const srcInfo = `${pkgJson.name}@${pkgJson.version} dist/models/inception_v3`;
  const text = topologyText(model, layers, shapes, kept, srcInfo);
  fs.writeFileSync(path.join(args.out, `topology_${args.until}.txt`), text);
  if (args.topology) fs.writeFileSync(args.topology, text);

  const sha = crypto.createHash('sha256').update(buf).digest('hex');
  const params = kept.reduce((a, w) => a + w.data.length, 0);
  console.log(`source: ${srcInfo}: ${allLayers.length} layers, ${weights.size} tensors, ` +
    `${shards.length} shards, ${totalBytes} quantised bytes (${shards.map((s) => s.bytes).join(' + ')})`);
  console.log(`kept: ${layers.length} layers up to ${args.until}, ${kept.length} tensors, ${params} parameters`);
  console.log(`wrote ${binFile}: ${buf.length} bytes, sha256 ${sha}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
