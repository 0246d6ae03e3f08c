import * as mx from 'mxts';

describe('mx.viz.printSummary', () => {
  test("MXNet's test_viz network: rows per layer, shapes without batch, parameters from inferred shapes", () => {
    const data = mx.sym.Variable('data');
    const conv1 = mx.sym.Convolution({ data, name: 'conv1', num_filter: 32, kernel: [3, 3], stride: [2, 2] });
    const bn1 = mx.sym.BatchNorm({ data: conv1, name: 'bn1' });
    const act1 = mx.sym.Activation({ data: bn1, name: 'relu1', act_type: 'relu' });
    const mp1 = mx.sym.Pooling({ data: act1, name: 'mp1', kernel: [2, 2], stride: [2, 2], pool_type: 'max' });
    const fc1 = mx.sym.FullyConnected({ data: mp1, name: 'fc1', num_hidden: 10 });
    const lines: string[] = [];
    const text = mx.viz.printSummary(fc1, { data: [1, 3, 28, 28] }, { print: (l) => lines.push(l) });
    expect(text.split('\n')).toEqual(lines);
    const rowOf = (name: string) => lines.find((l) => l.startsWith(name))!.split(/\s{2,}/);
    // conv: 32*3*3*3 weights + 32 biases; output 13x13 (floor((28-3)/2)+1)
    expect(rowOf('conv1(Convolution)')).toEqual(['conv1(Convolution)', '32x13x13', '896', 'data']);
    expect(rowOf('bn1(BatchNorm)')).toEqual(['bn1(BatchNorm)', '32x13x13', '64', 'conv1']);
    expect(rowOf('mp1(Pooling)')).toEqual(['mp1(Pooling)', '32x6x6', '0', 'relu1']);
    expect(rowOf('fc1(FullyConnected)')).toEqual(['fc1(FullyConnected)', '10', '11530', 'mp1']);
    expect(lines).toContain(`Total params: ${896 + 64 + 11530}`);
  });

  test('without shapes it still lists every operator and its inputs', () => {
    const net = mx.sym.Variable('a').add(mx.sym.Variable('b'));
    const lines: string[] = [];
    mx.viz.printSummary(net, undefined, { print: (l) => lines.push(l), lineLength: 60 });
    expect(lines.some((l) => l.startsWith('_plus'))).toBe(true);
    expect(lines.every((l) => l.length <= 60)).toBe(true);
  });
});
