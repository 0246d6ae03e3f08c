/**
 * `mx.onnx`: models to and from ONNX (MXNet 1.9's `mx.onnx.export_model` / `import_model`), so a
 * graph built and trained in mxts runs in ONNX Runtime (Node, GPUs, browsers) and back.
 */
import { nodeFs } from '../ndarray/serialize';
import type { Symbol } from '../symbol/symbol';
import type { ExportParams } from './export_params';
import { ExportOptions, exportModel } from './export_model';

export { exportModel, exportableOps, MIN_OPSET, MAX_OPSET } from './export_model';
export type { ExportOptions } from './export_model';
export type { ExportParams } from './export_params';
export { importModel, importableOps } from './import_model';
export type { ImportedModel } from './import_model';
export { OnnxExportError, OnnxImportError } from './errors';

/**
 * `exportModel`, written to `path` (Node only); returns the bytes too.
 *
 * @example
 * mx.onnx.exportModelToFile(net, 'mlp-0005.params', 'mlp.onnx', { inputShapes: { data: [1, 4] } });
 */
export function exportModelToFile(symbol: Symbol, params: ExportParams, path: string, options: ExportOptions = {}): Uint8Array {
  const bytes = exportModel(symbol, params, options);
  nodeFs().writeFileSync(path, bytes);
  return bytes;
}
