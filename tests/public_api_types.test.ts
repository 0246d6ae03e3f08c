/**
 * Type-level tests of the public API: `npm run typecheck` compiles this file, so each
 * `@ts-expect-error` line must stay an error and each typed line must stay valid.
 */
import * as mx from 'mxts';

describe('public API types', () => {
  test('typed front ends: ops exist by name and return NDArray / Symbol', () => {
    const out: mx.NDArray = mx.nd.LogisticRegressionOutput(mx.nd.ones([1, 2]), mx.nd.zeros([1, 2]));
    const shape: readonly number[] = out.shape;
    const s: mx.Symbol = mx.sym.SoftmaxOutput({ data: mx.sym.Variable('x'), name: 'sm' });
    const exec: mx.Executor = s.simpleBind(mx.cpu(), { shapes: { x: [2, 3] } });
    const outputs: readonly mx.NDArray[] = exec.forward(false);
    const req: mx.GradReq = 'add';
    // @ts-expect-error misspelt operator names do not compile
    expect(() => mx.sym.SoftmaxOuput).toBeDefined();
    // @ts-expect-error gradReq takes only 'write' | 'add' | 'null'
    const badReq: mx.GradReq = 'inplace';
    // @ts-expect-error bind takes a Context, not a string
    expect(() => s.bind('cpu', {})).toThrow(mx.MXNetError);
    expect([shape.length, outputs.length, req, badReq]).toEqual([2, 1, 'add', 'inplace']);
  });

  test('errors are classes with structured fields', () => {
    try {
      // @ts-expect-error misspelt parameter: the runtime error is what this test checks
      mx.sym.SoftmaxOutput({ data: mx.sym.Variable('x'), grad_scael: 1, name: 'sm' });
      throw new Error('expected a ParamError');
    } catch (e) {
      expect(e).toBeInstanceOf(mx.ParamError);
      const err = e as mx.ParamError;
      expect([err.op, err.node, err.argument]).toEqual(['SoftmaxOutput', 'sm', 'grad_scael']);
      expect(err.message).toBe("SoftmaxOutput 'sm': grad_scael is not a parameter of SoftmaxOutput (did you mean 'grad_scale'?); its parameters are grad_scale, ignore_label, multi_output, use_ignore, preserve_shape, normalization, out_grad, smooth_alpha");
    }
  });
});
