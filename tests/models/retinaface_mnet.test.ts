/**
 * RetinaFace mnet.25 (see retinaface_mnet.ts for the public file it mirrors): Crop + nearest
 * UpSampling in the top-down pyramid. The released model runs on 640x640 images; here 100x100
 * (reduced for speed), chosen so the pyramid levels are odd (13, 7, 4) and both Crops really crop:
 * ceil-halving 100 five times gives 50, 25, 13 (stride 8), 7 (stride 16), 4 (stride 32).
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../helpers/backends';
import { allFinite, bindWithRandomWeights, expectJsonRoundTrip } from './model_harness';
import { retinafaceMnet025 } from './retinaface_mnet';

const DATA = [1, 3, 100, 100];
/** Heads in the file's order: cls probs for strides 32, 16, 8, then the SSH features (32+16+16 = 64 channels). */
const EXPECTED_OUTPUTS = [[1, 4, 4, 4], [1, 4, 7, 7], [1, 4, 13, 13], [1, 64, 4, 4], [1, 64, 7, 7], [1, 64, 13, 13]];

/** Node indices in mnet.25-symbol.json (read from its "inputs" / "heads" references). */
const FILE_NODE_INDEX: Record<string, number> = {
  mobilenet0_relu10_fwd: 88, mobilenet0_relu22_fwd: 184, mobilenet0_relu26_fwd: 216, rf_c3_lateral_relu: 225,
  rf_c3_det_concat_relu: 269, face_rpn_cls_prob_reshape_stride32: 275, rf_c2_lateral_relu: 290, rf_c3_upsampling: 291,
  crop0: 292, plus0: 293, rf_c2_aggr_relu: 302, rf_c2_det_concat_relu: 346, face_rpn_cls_prob_reshape_stride16: 352,
  rf_c1_red_conv_relu: 367, rf_c2_upsampling: 368, crop1: 369, plus1: 370, rf_c1_det_concat_relu: 423,
  face_rpn_cls_prob_reshape_stride8: 429,
};

describe('RetinaFace mnet.25 graph', () => {
  const net = retinafaceMnet025();

  test('has the file\'s heads, node names and group-1 nodes', () => {
    expect(net.listOutputs()).toEqual([
      'face_rpn_cls_prob_reshape_stride32_output', 'face_rpn_cls_prob_reshape_stride16_output',
      'face_rpn_cls_prob_reshape_stride8_output', 'rf_c3_det_concat_relu_output', 'rf_c2_det_concat_relu_output',
      'rf_c1_det_concat_relu_output',
    ]);
    const doc = JSON.parse(net.toJSON()) as { nodes: Array<{ op: string; name: string; attrs?: Record<string, string> }> };
    const byName = new Map(doc.nodes.map((n) => [n.name, n]));
    expect(byName.get('rf_c3_upsampling')).toMatchObject({ op: 'UpSampling', attrs: { num_args: '1', sample_type: 'nearest', scale: '2', workspace: '512' } });
    expect(byName.get('crop1')).toMatchObject({ op: 'Crop', attrs: { num_args: '2' } });
    expect(byName.get('plus0')?.op).toBe('elemwise_add');
    // mobilenet 0.25: conv0 + 13 depthwise/pointwise pairs = relu0 .. relu26
    expect(doc.nodes.filter((n) => /^mobilenet0_relu\d+_fwd$/.test(n.name))).toHaveLength(27);
    // two aux states per BatchNorm: 27 in the backbone; lateral + 5 SSH at stride 32, lateral + aggr + 5 SSH at 16 and 8
    expect(net.listAuxiliaryStates()).toHaveLength(2 * (27 + 6 + 7 + 7));
    // the file holds 436 nodes; 18 (6 bbox / landmark convolutions with weight and bias, 6 after each
    // cls head) are unreachable from its heads. Every other node sits at the file's index minus those.
    expect(doc.nodes).toHaveLength(436 - 18);
    const names = doc.nodes.map((n) => n.name);
    for (const [name, fileIndex] of Object.entries(FILE_NODE_INDEX)) {
      const deadBefore = fileIndex > 352 ? 12 : fileIndex > 275 ? 6 : 0;
      expect([name, names.indexOf(name)]).toEqual([name, fileIndex - deadBefore]);
    }
  });

  test('round-trips through toJSON / fromJSON', () => expectJsonRoundTrip(net));

  test('infers the pyramid shapes from data (1, 3, 100, 100)', () => {
    const { outShapes } = net.inferShape({ data: DATA });
    expect(outShapes).toEqual(EXPECTED_OUTPUTS);
    const internals = net.getInternals();
    const inner = internals.inferShape({ data: DATA });
    const shapeOf = (name: string) => inner.outShapes[internals.listOutputs().indexOf(name)];
    expect(shapeOf('rf_c3_upsampling_output')).toEqual([1, 64, 8, 8]);
    expect(shapeOf('crop0_output')).toEqual([1, 64, 7, 7]);
    expect(shapeOf('rf_c2_upsampling_output')).toEqual([1, 64, 14, 14]);
    expect(shapeOf('crop1_output')).toEqual([1, 64, 13, 13]);
  });
});

describeEachBackend('RetinaFace mnet.25 forward', () => {
  test('runs with seeded weights: finite outputs, softmax pairs sum to 1, crop keeps the top-left', () => {
    const net = retinafaceMnet025();
    const exec = bindWithRandomWeights(net, { data: DATA }, 13, ['data']);
    exec.argDict['data']!.set(mx.nd.uniform(0, 1, DATA));
    const outputs = exec.forward(false);
    outputs.forEach((out, i) => {
      expect(out.shape).toEqual(EXPECTED_OUTPUTS[i]);
      expect(allFinite(out.data)).toBe(true);
    });
    for (const prob of outputs.slice(0, 3)) {
      const [, , h, w] = prob.shape as [number, number, number, number];
      const plane = h * w;
      for (let k = 0; k < 2; k++) {
        for (let j = 0; j < plane; j++) {
          const a = prob.data[k * plane + j]!;
          const b = prob.data[(k + 2) * plane + j]!;
          expect(a).toBeGreaterThanOrEqual(0);
          expect(a + b).toBeCloseTo(1, 5);
        }
      }
    }
  });

  test('Crop of the upsampled level equals its top-left window (internals)', () => {
    const internals = retinafaceMnet025().getInternals();
    const names = internals.listOutputs();
    const probe = mx.sym.Group([internals.get('rf_c3_upsampling_output'), internals.get('crop0_output'), internals.get('rf_c3_lateral_relu_output')]);
    const exec = bindWithRandomWeights(probe, { data: DATA }, 5, ['data']);
    exec.argDict['data']!.set(mx.nd.uniform(0, 1, DATA));
    const [up, crop, lateral] = exec.forward(false) as [mx.NDArray, mx.NDArray, mx.NDArray];
    expect(names).toContain('crop0_output');
    for (let c = 0; c < 64; c++) {
      for (let y = 0; y < 7; y++) {
        for (let x = 0; x < 7; x++) {
          const source = lateral.data[c * 16 + (y >> 1) * 4 + (x >> 1)]!;
          expect(up.data[c * 64 + y * 8 + x]).toBe(source);
          expect(crop.data[c * 49 + y * 7 + x]).toBe(source);
        }
      }
    }
  });
});
