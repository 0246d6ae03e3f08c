/**
 * What mxts covers of MXNet 1.9.1's operators, written down here so docs/operators.md can say it
 * without the reference operator list (../shared/reference, which users of the package do not
 * have). `npm run ops:coverage` and its test check these lists against that reference.
 */

export const MXNET_VERSION = '1.9.1';

/** How many of MXNet's operators are in mxts's scope (the reference list's `in_scope = yes` rows). */
export const IN_SCOPE_COUNT = 312;

export interface OutOfScopeCategory {
  /** The reference list's `why_not` text for these operators. */
  readonly category: string;
  /** Why mxts leaves them out, and what to use instead. */
  readonly reason: string;
  readonly ops: readonly string[];
}

export const OUT_OF_SCOPE: readonly OutOfScopeCategory[] = [
  {
    category: 'optimizer kernel: mx.optimizer covers it',
    reason: 'Fused parameter-update kernels. mx.optimizer (SGD, Adam, ...) applies the same updates to NDArrays, so they are not graph operators in mxts.',
    ops: [
      '_adamw_update', '_contrib_group_adagrad_update', '_mp_adamw_update', '_multi_adamw_update', '_multi_lamb_update',
      '_multi_mp_adamw_update', '_multi_mp_lamb_update', '_sparse_adagrad_update', 'adam_update', 'all_finite', 'ftml_update',
      'ftrl_update', 'lamb_update_phase1', 'lamb_update_phase2', 'mp_lamb_update_phase1', 'mp_lamb_update_phase2',
      'mp_nag_mom_update', 'mp_sgd_mom_update', 'mp_sgd_update', 'multi_all_finite', 'multi_lars', 'multi_mp_sgd_mom_update',
      'multi_mp_sgd_update', 'multi_sgd_mom_update', 'multi_sgd_update', 'multi_sum_sq', 'nag_mom_update',
      'preloaded_multi_mp_sgd_mom_update', 'preloaded_multi_mp_sgd_update', 'preloaded_multi_sgd_mom_update',
      'preloaded_multi_sgd_update', 'reset_arrays', 'rmsprop_update', 'rmspropalex_update', 'sgd_mom_update', 'sgd_update',
      'signsgd_update', 'signum_update',
    ],
  },
  {
    category: 'quantized (int8) inference',
    reason: 'int8 quantization and quantized layers: mxts computes in float32 only.',
    ops: [
      '_contrib_calibrate_entropy', '_contrib_dequantize', '_contrib_quantize', '_contrib_quantize_asym', '_contrib_quantize_v2',
      '_contrib_quantized_act', '_contrib_quantized_batch_norm', '_contrib_quantized_concat', '_contrib_quantized_conv',
      '_contrib_quantized_elemwise_add', '_contrib_quantized_elemwise_mul', '_contrib_quantized_embedding',
      '_contrib_quantized_flatten', '_contrib_quantized_fully_connected', '_contrib_quantized_pooling', '_contrib_quantized_rnn',
      '_contrib_requantize',
    ],
  },
  {
    category: 'sparse storage',
    reason: 'Operators on row-sparse and CSR storage: mxts arrays are dense.',
    ops: [
      '_contrib_SparseEmbedding', '_contrib_getnnz', '_scatter_elemwise_div', '_scatter_minus_scalar', '_scatter_plus_scalar',
      '_scatter_set_nd', '_sparse_retain', '_square_sum', 'cast_storage',
    ],
  },
  {
    category: 'DGL graph sampling',
    reason: "The Deep Graph Library's CSR graph operators: they need sparse storage.",
    ops: [
      '_contrib_dgl_adjacency', '_contrib_dgl_csr_neighbor_non_uniform_sample', '_contrib_dgl_csr_neighbor_uniform_sample',
      '_contrib_dgl_graph_compact', '_contrib_dgl_subgraph', '_contrib_edge_id',
    ],
  },
  {
    category: 'multi-device / fused variant',
    reason: 'Cross-device synchronized or fused variants of BatchNorm: mxts runs on one device; BatchNorm and Activation cover the computation.',
    ops: ['_contrib_BatchNormWithReLU', '_contrib_SyncBatchNorm'],
  },
  {
    category: 'mixed-precision casting pass',
    reason: "Casts inserted by MXNet's automatic mixed precision (float16) pass: mxts has no float16.",
    ops: ['amp_cast', 'amp_multicast'],
  },
];
