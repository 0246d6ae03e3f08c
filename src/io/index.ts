/** `mx.io`: data iterators. */
export { NDArrayIter, gatherRows } from './ndarray_iter';
export type { ArraySource, DataBatch, DataDesc, LastBatchHandle, NDArrayIterOptions } from './ndarray_iter';
