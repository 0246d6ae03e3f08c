/**
 * Graph introspection (reference 4.4, 4.6) and shape inference (4.5, 1.2, 2.5): list_* order on
 * multi-branch graphs, Group, getInternals, getChildren, get, name, inferShape(Partial).
 */
import fc from 'fast-check';
import * as mx from 'mxts';

const fresh = <T>(body: () => T): T => mx.name.withNameManager(new mx.name.NameManager(), body);
const V = (name: string, options: mx.VariableOptions = {}) => mx.sym.Variable(name, options);

/** (sigmoid(a + b) named l) + (b * c named r), then SoftmaxOutput named sm: two branches sharing b. */
function twoBranchNet(): mx.Symbol {
  return fresh(() => {
    const [a, b, c] = [V('a'), V('b'), V('c')];
    const left = mx.sym.sigmoid(a.add(b), { name: 'l' });
    const right = mx.sym.elemwise_mul(b, c, { name: 'r' });
    return mx.sym.SoftmaxOutput(left.add(right), { name: 'sm' });
  });
}

describe('list_arguments / list_outputs / list_inputs order', () => {
  test('arguments come in post-order DFS from the head, inputs in order, shared nodes once', () => {
    expect(twoBranchNet().listArguments()).toEqual(['a', 'b', 'c', 'sm_label']);
  });

  test('listInputs lists all variables in the same order; there are no auxiliary states', () => {
    const net = twoBranchNet();
    expect(net.listInputs()).toEqual(['a', 'b', 'c', 'sm_label']);
    expect(net.listAuxiliaryStates()).toEqual([]);
  });

  test('the order follows input order, not creation order', () => {
    const [z, y] = [V('z'), V('y')];
    expect(fresh(() => z.sub(y)).listArguments()).toEqual(['z', 'y']);
    expect(fresh(() => y.sub(z)).listArguments()).toEqual(['y', 'z']);
  });

  test('a variable used on several paths is listed once, at its first visit', () => {
    const x = V('x');
    const w = V('w');
    const diamond = fresh(() => mx.sym.sigmoid(x.mul(w)).add(x.add(mx.sym.sigmoid(w))));
    expect(diamond.listArguments()).toEqual(['x', 'w']);
  });

  test('listOutputs names op outputs <node>_<output> and variables by their name', () => {
    const g = fresh(() => mx.sym.Group([twoBranchNet(), V('extra'), mx.sym.make_loss(V('q'), { name: 'ml' })]));
    expect(g.listOutputs()).toEqual(['sm_output', 'extra', 'ml_loss']);
  });
});

describe('Group', () => {
  test('concatenates heads in order; arguments follow the heads in order', () => {
    const [a, b, c] = [V('a'), V('b'), V('c')];
    const g = fresh(() => mx.sym.Group([b.mul(c), a.add(b)]));
    expect(g.listOutputs()).toEqual(['_mul0_output', '_plus0_output']);
    expect(g.listArguments()).toEqual(['b', 'c', 'a']);
    expect(g.numOutputs).toBe(2);
  });

  test('the name of a group of different nodes is undefined', () => {
    expect(mx.sym.Group([V('a'), V('b')]).name).toBeUndefined();
  });

  test('a group of one symbol keeps its name', () => {
    expect(mx.sym.Group([V('a')]).name).toBe('a');
  });

  test('an empty list or a non-symbol element is rejected', () => {
    expect(() => mx.sym.Group([])).toThrow(mx.MXNetError);
    expect(() => mx.sym.Group([V('a'), 3 as unknown as mx.Symbol])).toThrow(mx.MXNetError);
  });
});

describe('getInternals / getChildren / get', () => {
  test('getInternals lists every node output in graph order, variables included', () => {
    expect(twoBranchNet().getInternals().listOutputs()).toEqual([
      'a', 'b', '_plus0_output', 'l_output', 'c', 'r_output', '_plus1_output', 'sm_label', 'sm_output',
    ]);
  });

  test("getInternals().get('l_output') has the arguments of that sub-graph", () => {
    expect(twoBranchNet().getInternals().get('l_output').listArguments()).toEqual(['a', 'b']);
  });

  test('getChildren gives the inputs of the head node; one more level goes deeper', () => {
    const children = twoBranchNet().getChildren()!;
    expect(children.listOutputs()).toEqual(['_plus1_output', 'sm_label']);
    expect(children.get(0).getChildren()!.listOutputs()).toEqual(['l_output', 'r_output']);
  });

  test('getChildren of a variable is null', () => {
    expect(V('x').getChildren()).toBeNull();
  });

  test('get(i) picks the i-th head, get(name) looks the name up in listOutputs', () => {
    const g = mx.sym.Group([V('a'), fresh(() => mx.sym.sigmoid(V('b'), { name: 's' }))]);
    expect(g.get(1).listOutputs()).toEqual(['s_output']);
    expect(g.get('a').listOutputs()).toEqual(['a']);
    expect(g.get('s_output').name).toBe('s');
  });

  test('get(0) of a single-head symbol is that symbol', () => {
    const s = fresh(() => mx.sym.sigmoid(V('x'), { name: 's' }));
    expect(s.get(0).outputs[0]!.node).toBe(s.outputs[0]!.node);
  });

  test('get with an index out of range, negative or fractional throws', () => {
    const g = mx.sym.Group([V('a'), V('b')]);
    for (const bad of [2, -1, 0.5]) expect(() => g.get(bad)).toThrow(mx.MXNetError);
  });

  test('get with a missing name throws naming it; a duplicated name is ambiguous', () => {
    const a = V('a');
    expect(() => mx.sym.Group([a, V('b')]).get('zzz')).toThrow(/zzz/);
    expect(() => mx.sym.Group([a, a]).get('a')).toThrow(mx.MXNetError);
  });
});

describe('inferShape', () => {
  test('SoftmaxOutput infers its label as the data shape without the last axis: (3,4) -> (3,)', () => {
    const s = mx.sym.SoftmaxOutput(V('data'), { name: 'sm' });
    expect(s.inferShape({ data: [3, 4] })).toEqual({ argShapes: [[3, 4], [3]], outShapes: [[3, 4]], auxShapes: [] });
  });

  test('SoftmaxOutput on 3-d data infers a (n, t) label, even without preserve_shape (surprise 2)', () => {
    const s = mx.sym.SoftmaxOutput(V('data'), { name: 'sm' });
    expect(s.inferShape({ data: [2, 3, 4] }).argShapes).toEqual([[2, 3, 4], [2, 3]]);
  });

  test('a SoftmaxOutput label of the data shape (probabilities) is accepted', () => {
    const s = mx.sym.SoftmaxOutput(V('data'), { name: 'sm' });
    expect(s.inferShape({ data: [3, 4], sm_label: [3, 4] }).argShapes).toEqual([[3, 4], [3, 4]]);
  });

  test.each([
    ['LinearRegressionOutput', [3, 1], [3]],
    ['LogisticRegressionOutput', [3, 4], [3, 4]],
    ['MAERegressionOutput', [5, 2, 2], [5, 2, 2]],
  ] as const)('%s with data %j infers label %j', (op, data, label) => {
    const s = mx.sym[op](V('data'), { name: 'reg' });
    expect(s.inferShape({ data: [...data] }).argShapes).toEqual([[...data], [...label]]);
  });

  test('a regression label with the same first dim and size but another layout is accepted', () => {
    const s = mx.sym.LinearRegressionOutput(V('data'), { name: 'reg' });
    expect(s.inferShape({ data: [3, 4], reg_label: [3, 2, 2] }).argShapes).toEqual([[3, 4], [3, 2, 2]]);
  });

  test('a (n,) regression label for (n, k>1) data is a ShapeError naming node and label', () => {
    const s = mx.sym.LogisticRegressionOutput(V('data'), { name: 'reg' });
    const call = () => s.inferShape({ data: [3, 4], reg_label: [3] });
    expect(call).toThrow(mx.ShapeError);
    expect(call).toThrow(/LogisticRegressionOutput 'reg': label/);
  });

  test('a conflicting SoftmaxOutput label raises a ShapeError with node and argument fields', () => {
    const s = mx.sym.SoftmaxOutput(V('data'), { name: 'sm' });
    let error: unknown;
    try {
      s.inferShape({ data: [3, 4], sm_label: [4] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(mx.ShapeError);
    const shapeError = error as mx.ShapeError;
    expect(shapeError.op).toBe('SoftmaxOutput');
    expect(shapeError.node).toBe('sm');
    expect(shapeError.argument).toBe('label');
    expect(shapeError.message).toMatch(/^SoftmaxOutput 'sm': label .*\[4\]/);
  });

  test('a conflict between element-wise inputs names the node and shows both shapes as [a,b]', () => {
    const s = fresh(() => V('x').add(V('y')));
    const call = () => s.inferShape({ x: [3, 4], y: [4, 3] });
    expect(call).toThrow(mx.ShapeError);
    expect(call).toThrow(/'_plus0'/);
    expect(call).toThrow(/\[4,3\]/);
    expect(call).toThrow(/\[3,4\]/);
  });

  test('shapes flow forward and backward through element-wise ops', () => {
    const s = fresh(() => mx.sym.sigmoid(V('x')).mul(V('y')).add(V('z')));
    const { argShapes, outShapes } = s.inferShape({ z: [2, 5] });
    expect(argShapes).toEqual([[2, 5], [2, 5], [2, 5]]);
    expect(outShapes).toEqual([[2, 5]]);
  });

  test('broadcast ops compute the broadcast output shape', () => {
    const s = mx.sym.broadcast_add(V('a'), V('b'));
    expect(s.inferShape({ a: [3, 1], b: [1, 4] }).outShapes).toEqual([[3, 4]]);
  });

  test('undecided arguments make inferShape throw a ShapeError naming them (mxts divergence)', () => {
    const s = mx.sym.broadcast_add(V('a'), V('b'));
    const call = () => s.inferShape({ a: [3, 4] });
    expect(call).toThrow(mx.ShapeError);
    expect(call).toThrow(/\bb\b/);
  });

  test('inferShapePartial returns null for what cannot be inferred', () => {
    const s = mx.sym.broadcast_add(V('a'), V('b'));
    expect(s.inferShapePartial({ a: [3, 4] })).toEqual({ argShapes: [[3, 4], null], outShapes: [null], auxShapes: [] });
  });

  test('inferShapePartial with nothing given is all null', () => {
    const s = mx.sym.SoftmaxOutput(V('data'), { name: 'sm' });
    expect(s.inferShapePartial({})).toEqual({ argShapes: [null, null], outShapes: [null], auxShapes: [] });
  });

  test('the positional form matches listArguments order, null meaning unknown', () => {
    const s = mx.sym.SoftmaxOutput(V('data'), { name: 'sm' });
    expect(s.inferShape([[6, 2]]).argShapes).toEqual([[6, 2], [6]]);
    expect(s.inferShape([[6, 2], null]).argShapes).toEqual([[6, 2], [6]]);
    expect(s.inferShapePartial([null, [6]]).argShapes).toEqual([null, [6]]);
  });

  test('a positional list longer than the arguments is rejected', () => {
    expect(() => V('x').inferShape([[1], [2]])).toThrow(mx.MXNetError);
  });

  test('an unknown name is rejected, naming it', () => {
    const s = mx.sym.SoftmaxOutput(V('data'), { name: 'sm' });
    expect(() => s.inferShape({ data: [3, 4], dat: [3, 4] })).toThrow(mx.MXNetError);
    expect(() => s.inferShape({ data: [3, 4], dat: [3, 4] })).toThrow(/dat\b/);
  });

  test.each([
    ['[-1,4]', [-1, 4]],
    ['[1.5,4]', [1.5, 4]],
    ['[NaN]', [NaN]],
    ['[Infinity]', [Infinity]],
  ])('an invalid shape %s is a ShapeError', (_label, shape) => {
    expect(() => V('x').inferShape({ x: shape })).toThrow(mx.ShapeError);
  });

  test('a Variable __shape__ hint is used when no shape is given; an explicit shape overrides it', () => {
    const s = mx.sym.SoftmaxOutput(V('data', { shape: [4, 5] }), { name: 'sm' });
    expect(s.inferShape({}).argShapes).toEqual([[4, 5], [4]]);
    expect(s.inferShape({ data: [2, 3] }).argShapes).toEqual([[2, 3], [2]]);
  });

  test('a __shape__ hint with a 0 dimension means unknown', () => {
    const s = mx.sym.sigmoid(V('data', { shape: [0, 5] }));
    expect(s.inferShapePartial({}).argShapes).toEqual([null]);
  });

  test('results come in listArguments / listOutputs order on a multi-branch graph', () => {
    const net = twoBranchNet();
    const { argShapes, outShapes } = net.inferShape({ c: [7, 3] });
    expect(argShapes).toEqual([[7, 3], [7, 3], [7, 3], [7]]);
    expect(outShapes).toEqual([[7, 3]]);
  });
});

describe('property: argument lists are the post-order DFS, each variable once', () => {
  /** A random DAG: each node is a variable index or a binary op over earlier nodes. */
  type Spec = { kind: 'var'; v: number } | { kind: 'op'; lhs: number; rhs: number };
  const specArb = fc.integer({ min: 1, max: 5 }).chain((numVars) =>
    fc
      .array(fc.tuple(fc.boolean(), fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 12 })
      .map((raw) => {
        const nodes: Spec[] = [];
        for (const [isVar, v, l, r] of raw) {
          if (isVar || nodes.length === 0) nodes.push({ kind: 'var', v: v % numVars });
          else nodes.push({ kind: 'op', lhs: l % nodes.length, rhs: r % nodes.length });
        }
        return nodes;
      }),
  );

  test('listArguments equals a recursive post-order walk and has no duplicates', () => {
    fc.assert(
      fc.property(specArb, (nodes) => {
        const vars = new Map<number, mx.Symbol>();
        const built: mx.Symbol[] = [];
        for (const node of nodes) {
          if (node.kind === 'var') {
            if (!vars.has(node.v)) vars.set(node.v, V(`v${node.v}`));
            built.push(vars.get(node.v)!);
          } else {
            built.push(mx.sym.broadcast_add(built[node.lhs]!, built[node.rhs]!));
          }
        }
        const expected: string[] = [];
        const seen = new Set<number>();
        const walk = (i: number): void => {
          if (seen.has(i)) return;
          seen.add(i);
          const node = nodes[i]!;
          if (node.kind === 'var') {
            if (!expected.includes(`v${node.v}`)) expected.push(`v${node.v}`);
          } else {
            walk(node.lhs);
            walk(node.rhs);
          }
        };
        walk(nodes.length - 1);
        const args = built[built.length - 1]!.listArguments();
        expect(args).toEqual(expected);
        expect(new Set(args).size).toBe(args.length);
        expect(built[built.length - 1]!.listInputs()).toEqual(expected);
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});

describe('more Symbol behaviour', () => {
  test('a Group of groups flattens the heads in order', () => {
    const [a, b, c] = [V('a'), V('b'), V('c')];
    const g = mx.sym.Group([mx.sym.Group([a, b]), c]);
    expect(g.listOutputs()).toEqual(['a', 'b', 'c']);
    expect(g.numOutputs).toBe(3);
  });

  // Symbol.__repr__ (python/mxnet/symbol/symbol.py): '<Symbol name>' or '<Symbol group [head node names]>'
  test("String(symbol) is '<Symbol name>' and a group lists its head node names", () => {
    const s = fresh(() => mx.sym.sigmoid(V('b'), { name: 's' }));
    expect(String(s)).toBe('<Symbol s>');
    expect(String(mx.sym.Group([V('a'), s]))).toBe('<Symbol group [a, s]>');
  });

  // MatchArguments (src/c_api/c_api_symbolic.cc) assigns a keyword shape to every input node of that name
  test('a shape given by name applies to every variable of that name', () => {
    const s = mx.sym.broadcast_add(V('x'), V('x'));
    expect(s.inferShape({ x: [2, 3] }).argShapes).toEqual([[2, 3], [2, 3]]);
  });

  test('an inconsistent shape raises in inferShapePartial too', () => {
    const s = fresh(() => V('x').add(V('y')));
    expect(() => s.inferShapePartial({ x: [2], y: [3] })).toThrow(mx.ShapeError);
  });

  test('a __shape__ hint that conflicts with inference is a ShapeError naming the node', () => {
    const s = fresh(() => V('x').add(V('y', { shape: [2, 2] })));
    expect(() => s.inferShape({ x: [3, 3] })).toThrow(/_plus0/);
  });
});
