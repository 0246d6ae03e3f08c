/** Inputs the fuzz campaigns found, each now refused with a typed error. */
import { MXNetError, ShapeError } from '../../src/base/errors';
import { cpu } from '../../src/base/context';
import * as mx from '../../src/index';
import { describeEachBackend } from '../helpers/backends';

describeEachBackend('fuzz findings', () => {
  test('FUZZ_RUNS=200000, seed 20261207, case 28675: broadcast_to with shape "-3" bound gave RangeError: Invalid typed array length', () => {
    const json = JSON.stringify({
      nodes: [
        { op: 'null', name: 'op0_in0', inputs: [], attrs: { __shape__: '(-2.419315074009196e-193, 2)' } },
        { op: 'broadcast_to', name: 'op0', inputs: [[0, 0, 0]], attrs: { shape: '-3' } },
      ],
      arg_nodes: [0],
      heads: [[1, 0, 0]],
      attrs: { mxnet_version: ['int', 10901] },
    });
    const net = mx.sym.fromJSON(json, 'fuzz.json');
    let caught: unknown;
    try {
      net.simpleBind(cpu(), { shapes: { op0_in0: [1] }, gradReq: 'write' }).forward(true);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MXNetError);
    expect(caught).toBeInstanceOf(ShapeError);
    expect((caught as Error).message).toMatch(/broadcast_to 'op0': shape \(-3\) has a negative size at axis 0/);
  });
});
