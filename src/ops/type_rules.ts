/**
 * dtype rules (MXNet's FInferType) and the one place that applies them: an op's `inferType`, or
 * the default ElemwiseType (every input and output shares one dtype), checked against what is
 * already known. A disagreement is a DTypeError naming op, node and argument.
 */
import { DType, isDType } from '../base/dtype';
import { DTypeError } from '../base/errors';
import type { AnyOpDef, InferredTypes, MaybeDType } from './types';

/** MXNet's ElemwiseType: the first known dtype among inputs, then outputs, for all of them. */
export function sameType(inputs: readonly MaybeDType[], outputs: readonly MaybeDType[]): InferredTypes {
  const known = [...inputs, ...outputs].find((t) => t !== null) ?? null;
  return { inputs: inputs.map(() => known), outputs: outputs.map(() => known) };
}

/**
 * The default rule: ElemwiseType; ops without inputs make float32 (MXNet's default for creation
 * ops whose dtype is not a parameter).
 */
export function defaultTypeRule(inputs: readonly MaybeDType[], outputs: readonly MaybeDType[]): InferredTypes {
  if (inputs.length === 0) return { inputs: [], outputs: outputs.map(() => 'float32') };
  return sameType(inputs, outputs);
}

/** A dtype parameter's value; MXNet's `None` (or an absent value) means `fallback`. */
export function dtypeParamValue(value: unknown, fallback: MaybeDType): MaybeDType {
  return isDType(value) ? value : fallback;
}

/** Ops with a `dtype` parameter and no inputs (`_zeros`, `_arange`, `_eye`): outputs of that dtype. */
export function typeFromParam(name = 'dtype') {
  return (params: unknown, inputs: readonly MaybeDType[], outputs: readonly MaybeDType[]): InferredTypes => {
    const dtype = dtypeParamValue((params as Record<string, unknown>)[name], 'float32');
    return { inputs, outputs: outputs.map(() => dtype) };
  };
}

/**
 * An optional output-dtype parameter (softmax's `dtype`, norm's `out_dtype`): when given, the
 * output has it and the input is free; when None, ElemwiseType.
 */
export function typeFromOptionalParam(name: string) {
  return (params: unknown, inputs: readonly MaybeDType[], outputs: readonly MaybeDType[]): InferredTypes => {
    const dtype = dtypeParamValue((params as Record<string, unknown>)[name], null);
    return dtype === null ? sameType(inputs, outputs) : { inputs, outputs: outputs.map(() => dtype) };
  };
}

/** Inputs of any dtype, outputs of a fixed one (`shape_array`, `size_array`: int64). */
export function fixedOutputType(dtype: DType) {
  return (_params: unknown, inputs: readonly MaybeDType[], outputs: readonly MaybeDType[]): InferredTypes => ({ inputs, outputs: outputs.map(() => dtype) });
}

/**
 * ElemwiseType over every input but the index inputs (`take`'s indices, `one_hot`'s, `pick`'s),
 * which keep whatever dtype they have.
 */
export function sameTypeExcept(indexInputs: readonly number[]) {
  return (_params: unknown, inputs: readonly MaybeDType[], outputs: readonly MaybeDType[]): InferredTypes => {
    const tied = sameType(inputs.filter((_, i) => !indexInputs.includes(i)), outputs);
    const known = tied.outputs[0] ?? tied.inputs[0] ?? null;
    return { inputs: inputs.map((t, i) => (indexInputs.includes(i) ? t : known)), outputs: outputs.map(() => known) };
  };
}

export interface TypeSite {
  readonly op: string;
  readonly node: string;
}

export interface TypeRuleResult {
  inputs: MaybeDType[];
  outputs: MaybeDType[];
  changed: boolean;
}

/** Runs `def`'s dtype rule and merges it with what is known; conflicts throw a DTypeError. */
export function applyTypeRule(def: AnyOpDef, params: unknown, inputs: readonly MaybeDType[], outputs: readonly MaybeDType[], site: TypeSite): TypeRuleResult {
  const inferred = def.inferType ? def.inferType(params, inputs, outputs) : defaultTypeRule(inputs, outputs);
  const inputNames = def.inputs(params);
  const outputNames = def.outputs(params);
  let changed = false;
  const merge = (known: MaybeDType, found: MaybeDType | undefined, argument: string): MaybeDType => {
    if (found === null || found === undefined) return known;
    if (known === null) {
      changed = true;
      return found;
    }
    if (known !== found) {
      throw new DTypeError({ op: site.op, node: site.node, argument, expected: found, actual: known }, `has dtype ${known}, but ${site.op} needs ${found} there`);
    }
    return known;
  };
  return {
    inputs: inputs.map((t, i) => merge(t, inferred.inputs[i], inputNames[i] ?? `input ${i}`)),
    outputs: outputs.map((t, i) => merge(t, inferred.outputs[i], outputNames[i] ?? `output ${i}`)),
    changed,
  };
}
