/**
 * dtypes in mxts (docs/dtypes.md): float64 and uint8 arrays, C casts with `astype`, integer
 * arithmetic as MXNet computes it, `inferType`, a uint8 image batch cast to float32 inside a
 * graph, a monitor on its executor and `eval`. Run with `npx tsx examples/dtypes.ts`.
 */
import * as mx from 'mxts';

export interface DtypesResult {
  third64: number;
  third32: number;
  pixels: number[];
  intDivision: number[];
  types: { argTypes: mx.DType[]; outTypes: mx.DType[]; auxTypes: mx.DType[] };
  means: number[];
  monitored: string[];
  evaluated: number[];
  lines: string[];
}

export function runDtypes(): DtypesResult {
  const lines: string[] = [];
  const say = (line: string) => lines.push(line);

  // float64 keeps what float32 rounds away.
  const one64 = mx.nd.array([1], { dtype: 'float64' });
  const third64 = one64.div(3).values[0]!;
  const third32 = mx.nd.array([1]).div(3).values[0]!;
  say(`1/3 in float64: ${third64}   in float32: ${third32}`);

  // astype is a C cast: truncation toward zero, wrap-around for uint8.
  const raw = mx.nd.array([-1.5, 0.7, 255.9, 300]);
  const pixels = raw.astype('uint8');
  say(`${raw.toString()}.astype('uint8') -> ${pixels.toString()}`);

  // Integer ops compute in their dtype: division truncates, comparisons keep the input dtype.
  const a = mx.nd.array([7, -7, 9], { dtype: 'int32' });
  const quotient = a.div(2);
  say(`int32 ${JSON.stringify(a.toArray())} / 2 = ${JSON.stringify(quotient.toArray())} (${quotient.dtype}); > 0: ${JSON.stringify(a.greater(0).toArray())} (${a.greater(0).dtype})`);

  // A uint8 image batch, cast to float32 in the graph, averaged per image.
  const img = mx.sym.Variable('img', { dtype: 'uint8' });
  const scaled = mx.sym.Cast(img, { dtype: 'float32' }).div(255);
  const mean = mx.sym.mean(scaled, { axis: [1, 2], name: 'mean' });
  const types = mean.inferType();
  say(`inferType: args ${JSON.stringify(types.argTypes)} -> outputs ${JSON.stringify(types.outTypes)}`);
  const exec = mean.simpleBind(mx.cpu(), { shapes: { img: [2, 2, 2] }, gradReq: 'null' });
  exec.argDict.img!.set([0, 255, 255, 0, 51, 102, 153, 255]);
  const means = Array.from(exec.forward()[0]!.values);
  say(`bound img is ${exec.argDict.img!.dtype}; per-image mean brightness: ${means.map((m) => m.toFixed(3)).join(', ')}`);

  // A monitor sees each node's output, in its dtype; eval binds, runs forward and returns the outputs.
  const monitored: string[] = [];
  exec.setMonitorCallback((name, array) => monitored.push(`${name} ${array.dtype}`));
  exec.forward();
  say(`monitor: ${monitored.join(', ')}`);
  const brighter = mx.nd.array([255, 255, 0, 0, 255, 255, 255, 255], { dtype: 'uint8' }).reshape([2, 2, 2]);
  const evaluated = Array.from(mean.eval({ ctx: mx.cpu(), img: brighter })[0]!.values);
  say(`eval on another batch: ${evaluated.map((m) => m.toFixed(3)).join(', ')}`);

  // Saved and loaded in its own dtype, bit for bit.
  const back = (mx.nd.loadBytes(mx.nd.saveBytes({ p: pixels })) as Record<string, mx.NDArray>)['p']!;
  say(`saved and loaded: ${back.dtype} ${JSON.stringify(back.toArray())}`);

  return { third64, third32, pixels: Array.from(pixels.values), intDivision: Array.from(quotient.values), types, means, monitored, evaluated, lines };
}

if (process.argv[1]?.endsWith('dtypes.ts')) {
  for (const line of runDtypes().lines) console.log(line);
}
