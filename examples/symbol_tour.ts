/**
 * A tour of the Symbol API around the operators, as an MXNet user reaches for it: fluent methods,
 * comparisons, `eval`, outputs by name, `debugStr`, keyword shapes in `simpleBind`, and a monitor
 * printing statistics of every layer. `npx tsx examples/symbol_tour.ts`
 */
import * as mx from 'mxts';

export interface TourResult {
  readonly clipped: number[][];
  readonly positive: number[][];
  readonly softmaxRowSums: number[];
  readonly monitorRows: [number, string, string][];
}

export function runTour(log: (line: string) => void = console.log): TourResult {
  const x = mx.sym.Variable('x');
  const xs = mx.nd.array([[-2, -0.5, 0.5], [1, 2, 3]]);

  // Fluent methods and comparisons build the same nodes as mx.sym.<op> (MXNet's x.clip(...), x > 0).
  const clipped = x.abs().sqrt().clip({ a_min: 0, a_max: 1.5 });
  const positive = x.greater(0);
  const [clip, pos] = mx.sym.Group([clipped, positive]).eval({ ctx: mx.cpu(), x: xs });
  log(`x.abs().sqrt().clip(0, 1.5) = ${clip!.toString()}`);
  log(`x.greater(0) = ${pos!.toString()}`);

  // Outputs by name, and each row of a softmax sums to one.
  const net = x.softmax({ axis: 1 }).sum({ axis: 1, name: 'rows' });
  const internals = net.getInternals();
  log(`internal outputs: ${internals.listOutputs().join(', ')}`);
  const [rowSums] = internals.get('rows_output').eval({ x: xs });
  log(`softmax rows sum to ${rowSums!.toString()}`);

  // A small MLP: its graph as MXNet prints it, bound with MXNet's keyword-style shapes.
  let mlp = mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 4, name: 'fc1' });
  mlp = mlp.relu();
  mlp = mx.sym.FullyConnected(mlp, { num_hidden: 2, name: 'fc2' });
  log(mlp.debugStr().split('\n').slice(0, 4).join('\n') + '\n...');
  const exe = mlp.simpleBind(mx.cpu(), { data: [8, 3], gradReq: 'null' });
  mx.random.seed(7);
  for (const array of exe.argArrays) array.set(mx.nd.random.uniform(-1, 1, array.shape));

  // A monitor: the root mean square of every output and weight, every second batch.
  const mon = new mx.monitor.Monitor(2, null, '.*output|.*weight', true);
  mon.install(exe);
  let monitorRows: [number, string, string][] = [];
  for (let batch = 0; batch < 3; batch++) {
    mon.tic();
    exe.forward(false, { data: mx.nd.random.normal(0, 1, [8, 3]) });
    const rows = mon.toc();
    if (rows.length > 0) monitorRows = rows;
    for (const [step, name, stat] of rows) log(`Batch: ${String(step).padStart(7)} ${name.padEnd(20)} ${stat}`);
  }
  return {
    clipped: clip!.toArray() as number[][],
    positive: pos!.toArray() as number[][],
    softmaxRowSums: rowSums!.toArray() as number[],
    monitorRows,
  };
}

if (process.argv[1]?.endsWith('symbol_tour.ts')) runTour();
