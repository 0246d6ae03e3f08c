/** `mx.util`: MXNet's process-wide switches (`set_np_shape`, `is_np_shape`, `np_shape`). */
export { isNpShape, npShape, setNpShape } from './base/np_shape';
