/** @jest-environment ./tests/onnx/ort_environment.js */
/**
 * Every exportable operator: the exported model gives mxts's outputs in onnxruntime-node
 * (relative error <= 1e-4), and importing it back gives an mxts graph with the same outputs
 * (bit for bit, but for the few ops ONNX spells with other ops).
 */
import * as mx from 'mxts';
import { ALL_CASES, caseFeeds } from './op_cases';
import { randomParams, relativeError, runMxts, runOrt } from './onnx_helpers';

/**
 * Ops exported as several ONNX ops (gelu by erf, LayerNorm before opset 17, log2 as ln / ln 2...) or as another op (rrelu's
 * inference slope as LeakyRelu) come back as those ops: equal within float32 rounding, not
 * bit for bit. Every other op comes back as itself, so the round trip is exact.
 */
const COMPOSED = new Set(['L2Normalization instance', 'L2Normalization channel', 'L2Normalization spatial', 'LayerNorm over the last axis', 'LeakyReLU gelu', 'LeakyReLU rrelu', 'log2', 'log10', 'log1p', 'expm1']);

describe('every exportable op runs in ONNX Runtime as in mxts', () => {
  test('the cases cover every op of exportableOps()', () => {
    const covered = new Set(ALL_CASES.flatMap((op) => op.symbol.graph.nodes.flatMap((n) => (n.kind === 'op' ? [n.op.name] : []))));
    expect(mx.onnx.exportableOps().filter((op) => !covered.has(op))).toEqual([]);
  });

  test.each(ALL_CASES.map((op) => [op.title, op] as const))('%s', async (_, op) => {
    const { argParams, auxParams } = randomParams(op.symbol, op.shapes);
    const feeds = caseFeeds(op, 11);
    const bytes = mx.onnx.exportModel(op.symbol, { ...argParams, ...auxParams }, { inputShapes: op.shapes });
    const expected = runMxts(op.symbol, argParams, auxParams, feeds);
    const actual = await runOrt(bytes, feeds);
    expect(actual.map((o) => o.dims)).toEqual(expected.map((o) => o.shape));
    expected.forEach((e, k) => expect(relativeError(actual[k]!.data, e.data)).toBeLessThanOrEqual(1e-4));

    const back = mx.onnx.importModel(bytes);
    const again = runMxts(back.symbol, back.argParams, back.auxParams, feeds);
    expect(again.map((o) => o.shape)).toEqual(expected.map((o) => o.shape));
    if (COMPOSED.has(op.title)) expected.forEach((e, k) => expect(relativeError(again[k]!.data, e.data)).toBeLessThanOrEqual(1e-6));
    else expected.forEach((e, k) => expect(Array.from(again[k]!.data)).toEqual(Array.from(e.data)));
  });
});

/** Translations that change with the opset (reductions' axes input from 18, Gelu from 20). */
const OPSET_SENSITIVE = ['norm ord 2 over axis 1', 'L2Normalization channel', 'LayerNorm over the last axis', 'mean keepdims', 'max exclude', 'min', 'prod', 'sum axis 1', 'LeakyReLU gelu', 'BatchNorm fix_gamma=true', 'UpSampling nearest', 'SliceChannel', 'Pad reflect', 'softmax axis 1 temperature 2'];

describe.each([17, 18, 20, 21])('opset %i', (opset) => {
  test.each(ALL_CASES.filter((op) => OPSET_SENSITIVE.includes(op.title)).map((op) => [op.title, op] as const))('%s', async (_, op) => {
    const { argParams, auxParams } = randomParams(op.symbol, op.shapes);
    const feeds = caseFeeds(op, 12);
    const bytes = mx.onnx.exportModel(op.symbol, { ...argParams, ...auxParams }, { inputShapes: op.shapes, opset });
    const expected = runMxts(op.symbol, argParams, auxParams, feeds);
    const actual = await runOrt(bytes, feeds);
    expected.forEach((e, k) => expect(relativeError(actual[k]!.data, e.data)).toBeLessThanOrEqual(1e-4));
    const back = mx.onnx.importModel(bytes);
    const again = runMxts(back.symbol, back.argParams, back.auxParams, feeds);
    const exact = !COMPOSED.has(op.title) || (opset >= 20 && op.title === 'LeakyReLU gelu') || (opset >= 17 && op.title.startsWith('LayerNorm'));
    expected.forEach((e, k) => (exact ? expect(Array.from(again[k]!.data)).toEqual(Array.from(e.data)) : expect(relativeError(again[k]!.data, e.data)).toBeLessThanOrEqual(1e-6)));
  });
});
