/**
 * Type-level checks of operator parameters (src/ops/op_call_types.ts and the generated
 * src/ops/generated/op_types.ts). Never run: `npm run typecheck` compiles it, and
 * tests/types/op_params.test.ts compiles it with the TypeScript API, requiring no diagnostic here
 * and requiring that every `@ts-expect-error` line becomes unused (TS2578) once the ops are `any`.
 * So each line below must compile, and each line after `@ts-expect-error` must fail to.
 */
import * as mx from 'mxts';

declare const data: mx.Symbol;
declare const label: mx.Symbol;
declare const x: mx.NDArray;
declare const w: mx.NDArray;
declare const someString: string;

export function compiles(): unknown[] {
  return [
    // The example, and MXNet's JSON string forms of each kind of parameter.
    mx.sym.Convolution({ data, kernel: [3, 3], num_filter: 8 }),
    mx.sym.Convolution(data, { kernel: '(3, 3)', num_filter: '8', no_bias: 'True', layout: 'None', name: 'conv1' }),
    mx.sym.Convolution(data, { kernel: 3, num_filter: 8, stride: [2, 2] as const, no_bias: true, layout: 'NCHW', cudnn_tune: null }),
    mx.sym.FullyConnected({ data, num_hidden: 10, no_bias: 1, flatten: false, name: 'fc', attr: { ctx_group: 'dev1' } }),
    mx.sym.FullyConnected(data, { num_hidden: someString, lr_mult: 2, __wd_mult__: '0' }),
    mx.sym.Activation({ data, act_type: 'relu' }),
    mx.sym.Pooling(data, { kernel: [2, 2], pool_type: 'max', pooling_convention: 'full', global_pool: 'False' }),
    mx.sym.SoftmaxOutput(data, label, { grad_scale: 2, normalization: 'valid', name: 'sm' }),
    mx.sym.SoftmaxOutput({ data, label, grad_scale: '1.0' }),
    mx.sym.Softmax({ data }), // an alias
    mx.sym.log_softmax(data, { axis: -1 }), // MXNet's snake_case names
    mx.sym.relu(data),
    mx.sym.relu(),
    mx.sym.slice(data, { begin: [0, null], end: [null, 2] }), // tuples of optional ints
    mx.sym.Concat(data, label, { dim: 1 }), // variadic: inputs positionally, num_args filled in
    mx.sym.Concat([data, label], { dim: 1 }),
    mx.sym.add_n({ arg0: data, arg1: label, num_args: 2 }),
    mx.sym.UpSampling({ data, weight: label, sample_type: 'bilinear', scale: 2, num_filter: 3 }),
    mx.sym.BatchNorm({ data, fix_gamma: false, moving_mean: label }), // auxiliary states by name
    mx.sym._zeros({ shape: [2, 3] }),
    mx.nd.Convolution(x, w, { kernel: [1, 1], num_filter: 1, no_bias: true }),
    mx.nd.FullyConnected({ data: x, weight: w, num_hidden: 4, no_bias: true }),
    mx.nd.Activation(x, { act_type: 'tanh', out: x }),
    mx.nd.relu(x),
    mx.nd.Concat(...[x, w], { dim: 0 }),
  ];
}

/** Op names or parameters known only at run time go through the loose signatures (docs/typed_params.md). */
export function dynamic(name: 'Convolution' | 'Pooling' | 'relu', params: Record<string, unknown>): unknown[] {
  return [(mx.sym[name] as mx.SymOp)(data, params), (mx.nd.Pooling as mx.NdOp)(x, params)];
}

/** The parameter interfaces are usable on their own. */
export const convParams: mx.OpParams<'Convolution'> = { kernel: [3, 3], num_filter: 8, pad: [1, 1] };

export function results(): void {
  const one: mx.NDArray = mx.nd.relu(x);
  const many: mx.NDArray[] = mx.nd.split(x, { num_outputs: 2 });
  const symbol: mx.Symbol = mx.sym.split(data, { num_outputs: 2 });
  void [one, many, symbol];
  // @ts-expect-error a multi-output mx.nd op returns a list, not one array
  const notOne: mx.NDArray = mx.nd.split(x, { num_outputs: 2 });
  void notOne;
}

export function rejected(): unknown[] {
  return [
    // @ts-expect-error misspelt parameter (num_filter)
    mx.sym.Convolution({ data, kernel: [3, 3], num_filters: 8 }),
    // @ts-expect-error a tuple parameter given a boolean
    mx.sym.Convolution({ data, kernel: true, num_filter: 8 }),
    // @ts-expect-error an enum value that is not one of MXNet's ('relu', 'sigmoid', ...)
    mx.sym.Activation({ data, act_type: 'rellu' }),
    // @ts-expect-error a required parameter (num_filter) left out
    mx.sym.Convolution({ data, kernel: [3, 3] }),
    // @ts-expect-error a required parameter (act_type) left out, with no trailing object at all
    mx.sym.Activation(data),
    // @ts-expect-error an enum parameter given an arbitrary string
    mx.sym.Pooling(data, { kernel: [2, 2], pool_type: someString }),
    // @ts-expect-error a number parameter given a boolean
    mx.sym.FullyConnected(data, { num_hidden: true }),
    // @ts-expect-error a misspelt input name (label)
    mx.sym.SoftmaxOutput({ data, lable: label }),
    // @ts-expect-error a parameter of another op (num_hidden is FullyConnected's)
    mx.sym.relu(data, { num_hidden: 3 }),
    // @ts-expect-error the name must be a string
    mx.sym.relu(data, { name: 3 }),
    // @ts-expect-error an mx.nd input must be an NDArray, not a Symbol
    mx.nd.relu({ data }),
    // @ts-expect-error misspelt parameter through mx.nd
    mx.nd.Pooling(x, { kernel: [2, 2], pool_typ: 'max' }),
    // @ts-expect-error wrong enum value through an alias
    mx.nd.Softmax(x, { normalization: 'vaild' }),
    // @ts-expect-error misspelt parameter in a snake_case op
    mx.nd.log_softmax(x, { axes: 1 }),
  ];
}
