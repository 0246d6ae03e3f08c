/**
 * FCN-8s (see fcn8s_vgg.ts for the public file it mirrors): Deconvolution + offset Crop (three
 * Crops, two of them against a feature map, one against the image). Shapes are checked on the
 * published widths at Pascal VOC's 500x500; forward passes use 64x64 images and VGG channels / 16
 * (reduced for speed; conv1_1's pad 100 still makes a 262x262 first map).
 */
import * as mx from 'mxts';
import type { Symbol as Sym } from '../../src/symbol/symbol';
import { describeEachBackend } from '../helpers/backends';
import { allFinite, bindWithRandomWeights, expectJsonRoundTrip } from './model_harness';
import { FCN8S_OFFSETS, fcn8s } from './fcn8s_vgg';

const conv = (h: number, k: number, p: number) => h + 2 * p - k + 1;
const pool = (h: number) => Math.floor((h - 2) / 2) + 1;
const deconv = (h: number, k: number, s: number) => (h - 1) * s + k + (s - 1);

/** Spatial sizes through the network, by the layer formulas (conv1_1 pads 100, fc6 is 7x7 unpadded). */
function sizes(h: number) {
  const pool3 = pool(pool(pool(conv(h, 3, 100))));
  const pool4 = pool(pool3);
  const score = conv(pool(pool4), 7, 0);
  const score2 = deconv(score, 4, 2);
  const score4 = deconv(score2, 4, 2);
  return { pool3, pool4, score, score2, score4, bigscore: deconv(score4, 16, 8) };
}

function shapesOf(net: Sym, h: number, names: string[]): unknown[] {
  const internals = net.getInternals();
  const { outShapes } = internals.inferShape({ data: [1, 3, h, h] });
  return names.map((n) => outShapes[internals.listOutputs().indexOf(`${n}_output`)]);
}

describe('FCN-8s graph', () => {
  const net = fcn8s();

  test('round-trips through toJSON / fromJSON, Crops carry the offsets', () => {
    expectJsonRoundTrip(net);
    const doc = JSON.parse(net.toJSON()) as { nodes: Array<{ op: string; name: string; attrs?: Record<string, string> }> };
    const crops = doc.nodes.filter((n) => n.op === 'Crop').map((n) => [n.name, n.attrs?.['offset']]);
    expect(crops).toEqual([['score_pool4c', '(5, 5)'], ['score_pool3c', '(9, 9)'], ['upscore', '(31, 31)']]);
    expect(doc.nodes.filter((n) => n.op === 'Deconvolution').map((n) => n.name)).toEqual(['score2', 'score4', 'bigscore']);
  });

  test('infers 500x500 VOC shapes: softmax (1, 21, 500, 500)', () => {
    const s = sizes(500);
    expect(s).toEqual({ pool3: 87, pool4: 43, score: 15, score2: 33, score4: 69, bigscore: 567 });
    expect(net.inferShape({ data: [1, 3, 500, 500] }).outShapes).toEqual([[1, 21, 500, 500]]);
    expect(shapesOf(net, 500, ['score', 'score2', 'score_pool4c', 'score4', 'score_pool3c', 'bigscore', 'upscore'])).toEqual([
      [1, 21, 15, 15], [1, 21, 33, 33], [1, 21, 33, 33], [1, 21, 69, 69], [1, 21, 69, 69], [1, 21, 567, 567], [1, 21, 500, 500]]);
    const args = net.listArguments();
    const { argShapes } = net.inferShape({ data: [1, 3, 500, 500] });
    expect(argShapes[args.indexOf('fc6_weight')]).toEqual([4096, 512, 7, 7]);
    expect(argShapes[args.indexOf('bigscore_weight')]).toEqual([21, 21, 16, 16]);
    expect(args).not.toContain('bigscore_bias'); // Deconvolution's no_bias defaults to true
  });
});

describeEachBackend('FCN-8s forward (64x64, VGG channels / 16)', () => {
  test('per-pixel class probabilities; each Crop is the offset window of its input', () => {
    const net = fcn8s(16);
    const internals = net.getInternals();
    const probe = mx.sym.Group([net, internals.get('bigscore_output'), internals.get('upscore_output'),
      internals.get('score_pool3_output'), internals.get('score_pool3c_output')]);
    const exec = bindWithRandomWeights(probe, { data: [1, 3, 64, 64] }, 31, ['data']);
    exec.argDict['data']!.set(mx.nd.uniform(0, 1, [1, 3, 64, 64]));
    const [prob, big, up, pool3, pool3c] = exec.forward(false) as [mx.NDArray, mx.NDArray, mx.NDArray, mx.NDArray, mx.NDArray];
    const s = sizes(64);
    expect(prob.shape).toEqual([1, 21, 64, 64]);
    expect(big.shape).toEqual([1, 21, s.bigscore, s.bigscore]);
    expect(pool3c.shape).toEqual([1, 21, s.score4, s.score4]);
    for (const out of [prob, big, up, pool3, pool3c]) expect(allFinite(out.data)).toBe(true);
    for (let px = 0; px < 64 * 64; px += 37) {
      let sum = 0;
      for (let c = 0; c < 21; c++) sum += prob.data[c * 4096 + px]!;
      expect(sum).toBeCloseTo(1, 5);
    }
    const window = (src: mx.NDArray, size: number, offset: number, out: mx.NDArray, outSize: number) => {
      for (let c = 0; c < 21; c += 5) {
        for (let y = 0; y < outSize; y += 3) {
          for (let x = 0; x < outSize; x += 3) {
            expect(out.data[(c * outSize + y) * outSize + x]).toBe(src.data[(c * size + y + offset) * size + x + offset]);
          }
        }
      }
    };
    window(big, s.bigscore, FCN8S_OFFSETS.upscore, up, 64);
    window(pool3, s.pool3, FCN8S_OFFSETS.score_pool3c, pool3c, s.score4);
  });
});
