/**
 * The operator contract: everything about an op lives in one definition object (MXNet name,
 * parameters, input/output names, shape rule, forward, backward). The NDArray and Symbol front
 * ends, the executor and the JSON reader all work from these objects.
 */
import type { Kernels } from '../backend/backend';
import type { ErrorSite } from '../base/errors';
import type { Req } from '../base/req';
import type { Shape } from '../base/shape';
import type { DType } from '../base/dtype';
import type { ParamSchema, ParamsOf } from './params';

/** What a kernel does with an output buffer (write, add, null); defined with the kernels' base types. */
export type { Req };

/** A contiguous row-major float32 view. Kernels never allocate or validate user input. */
export interface Tensor {
  readonly data: Float32Array;
  readonly shape: Shape;
}

/** A shape, or `null` while it is not known yet (partial shape inference). */
export type MaybeShape = Shape | null;

/** A dtype, or null while unknown (type inference). */
export type MaybeDType = DType | null;

/** Result of an op's dtype rule: the completed input and output dtypes (null = still unknown). */
export interface InferredTypes {
  readonly inputs: readonly MaybeDType[];
  readonly outputs: readonly MaybeDType[];
}

/** Where shape inference is happening, for errors that name op, node and argument. */
export interface ShapeSite {
  readonly op: string;
  readonly node: string;
  /** Throws a ShapeError about `argument` (an input or output name). */
  fail(argument: string, problem: string, expected?: unknown, actual?: unknown): never;
}

/** Result of an op's shape rule: the completed input and output shapes (null = still unknown). */
export interface InferredShapes {
  readonly inputs: readonly MaybeShape[];
  readonly outputs: readonly MaybeShape[];
}

export interface ForwardContext<St = unknown> {
  readonly isTrain: boolean;
  /** The kernels of the backend this call runs on: operators compute only through them. */
  readonly kernels: Kernels;
  /** Scratch space of the size `workspace` asked for, reused across calls. */
  readonly workspace: Float32Array;
  /** What the op's `createState` made for this node at bind (undefined for ops without one). */
  readonly state: St;
}

export interface BackwardIO {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  /** Head gradients for each output (zeros when nothing flows back into an output). */
  readonly outGrads: readonly Tensor[];
}

export interface BackwardDef<P, St = unknown> {
  /**
   * Whether the backward reads the gradient flowing into the outputs. Loss heads say `false`:
   * MXNet's output ops replace the head gradient by the loss gradient, so `backward()` needs none.
   */
  readonly usesOutGrads: boolean | ((params: P) => boolean);
  /** Which inputs receive a gradient (labels and integer indices do not). Default: all but aux. */
  readonly differentiable?: (params: P, inputIndex: number) => boolean;
  /**
   * Which inputs and outputs the backward reads (by index), besides the head gradients. Default:
   * all of them. The memory plan lets every other value go after its forward readers, so declare
   * it for ops on a model's training path (FullyConnected reads data and weight, not its output).
   */
  readonly reads?: (params: P) => { readonly inputs: readonly number[]; readonly outputs: readonly number[] };
  /**
   * Writes input gradients honouring `req[i]` (`write` assigns, `add` accumulates, `null` skips).
   * `inGrads[i]` is null where `req[i]` is `null`.
   */
  readonly compute: (
    params: P,
    io: BackwardIO,
    inGrads: readonly (Tensor | null)[],
    req: readonly Req[],
    ctx: ForwardContext<St>,
  ) => void;
}

export interface OpDef<P = Readonly<Record<string, unknown>>, St = unknown> {
  /** The canonical MXNet name (`SoftmaxOutput`), written as `op` in JSON. */
  readonly name: string;
  /** Other names the op answers to (`Softmax`); JSON always stores the canonical name. */
  readonly aliases?: readonly string[];
  /** Forward formula, gradient formula and scaling, in a few lines. */
  readonly doc: string;
  readonly params: ParamSchema;
  /** For ops with a variable number of inputs (Concat): the parameter holding the count. */
  readonly variadicParam?: string;
  /** Input names in order (argument inputs, then auxiliary states). */
  readonly inputs: (params: P) => readonly string[];
  /**
   * `__init__` attributes given to input variables at composition, by input index (MXNet's
   * FSetInputVarAttrOnCompose: BatchNorm's moving stats, PReLU's gamma).
   */
  readonly inputVarInit?: Readonly<Record<number, string>>;
  /** How many trailing inputs are auxiliary states (mutated by forward, not differentiated). */
  readonly numAux?: (params: P) => number;
  /** Output names (`output`, `loss`, `output0`…); the list's length is the number of outputs. */
  readonly outputs: (params: P) => readonly string[];
  /** How many leading outputs a Symbol exposes (BatchNorm hides its mean/var). Default: all. */
  readonly numVisibleOutputs?: (params: P) => number;
  /**
   * How many leading outputs MXNet's graph has, when the trailing ones are state MXNet keeps inside
   * the op (RNN's reserve); JSON's node_row_ptr counts these. Default: all.
   */
  readonly numGraphOutputs?: (params: P) => number;
  readonly inferShape: (params: P, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite) => InferredShapes;
  /**
   * The dtype rule (MXNet's FInferType) on possibly-unknown dtypes. Default: every input and
   * output shares one dtype (MXNet's ElemwiseType). Rules live in `type_rules.ts`.
   */
  readonly inferType?: (params: P, inputs: readonly MaybeDType[], outputs: readonly MaybeDType[]) => InferredTypes;
  /**
   * For ops whose output shapes depend on input values (_contrib_boolean_mask): the output shapes
   * from the concrete inputs. Only `mx.nd` can run such ops; their `inferShape` refuses symbolic use.
   */
  readonly valueDependentShapes?: (params: P, inputs: readonly Tensor[], site: ShapeSite) => readonly Shape[];
  /**
   * [input, output] pairs whose forward is correct when the output buffer is the input's (each
   * element read before it is written). The memory plan then lets the output take over the
   * input's buffer when nothing else reads that input afterwards.
   */
  readonly inplace?: readonly (readonly [number, number])[];
  /** Elements of scratch space forward/backward need, given concrete shapes. */
  readonly workspace?: (params: P, inputs: readonly Shape[]) => number;
  /**
   * Per-node state made once when a graph is bound (MXNet's FCreateOpState): what the op derives
   * from its params and input shapes (windows, GEMM sizes) and the scratch it keeps between calls.
   * The executor owns it; forward and backward find it as `ctx.state`. `mx.nd` calls make it anew.
   */
  readonly createState?: (params: P, inputs: readonly Shape[]) => St;
  readonly forward: (params: P, inputs: readonly Tensor[], outputs: readonly Tensor[], req: readonly Req[], ctx: ForwardContext<St>) => void;
  /** Absent for non-differentiable ops: binding with a gradient through them fails. */
  readonly backward?: BackwardDef<P, St>;
}

/** An op definition together with its typed parameter schema (what `defineOp` builds). */
export type TypedOpDef<S extends ParamSchema, St = unknown> = OpDef<ParamsOf<S>, St> & { readonly params: S };

/** The type-erased form the registry and graph hold. */
export type AnyOpDef = OpDef<any, any>;

export type { ErrorSite };
