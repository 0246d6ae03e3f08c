/** `mx.mod`: Module. */
export { Module } from './module';
export type { ModuleOptions, BindOptions, InitParamsOptions, InitOptimizerOptions, FitOptions, EpochRecord, ShapeSpec, BatchLike, DataIterLike } from './module';
