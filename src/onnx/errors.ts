/** The errors of `mx.onnx`: what cannot be exported or imported, naming the op, node and why. */
import { MXNetError } from '../base/errors';

/** An mxts graph (op, parameter value, shape) that ONNX cannot express, or a bad export option. */
export class OnnxExportError extends MXNetError {}
/** An ONNX model that mxts cannot read: an operator, attribute or input form it does not map. */
export class OnnxImportError extends MXNetError {}
