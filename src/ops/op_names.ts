/**
 * The operator names the typed front ends (`mx.nd.X`, `mx.sym.X`) expose. A test checks this list
 * against the registry, so a registered op cannot be missing here and no name can be stale.
 */
export const SINGLE_OUTPUT_OPS = [
  'elemwise_add', '_add', '_plus', '_Plus',
  'elemwise_sub', '_sub', '_minus', '_Minus',
  'elemwise_mul', '_mul', '_Mul',
  'elemwise_div', '_div', '_Div',
  '_maximum', '_Maximum', '_minimum', '_Minimum', '_power', '_Power', '_pow',
  'broadcast_add', 'broadcast_plus', 'broadcast_sub', 'broadcast_minus', 'broadcast_mul', 'broadcast_div',
  'broadcast_maximum', 'broadcast_minimum', 'broadcast_power',
  '_plus_scalar', '_PlusScalar', '_minus_scalar', '_MinusScalar', '_rminus_scalar', '_RMinusScalar',
  '_mul_scalar', '_MulScalar', '_div_scalar', '_DivScalar', '_rdiv_scalar', '_RDivScalar',
  '_power_scalar', '_PowerScalar', '_rpower_scalar', '_RPowerScalar',
  'sigmoid', 'softmax', 'log_softmax',
  'SoftmaxOutput', 'Softmax', 'LinearRegressionOutput', 'LogisticRegressionOutput', 'MAERegressionOutput',
  'MakeLoss', 'make_loss', 'BlockGrad', 'stop_gradient',
  'FullyConnected', 'Convolution', 'Deconvolution', 'Pooling',
  'relu', 'tanh', 'exp', 'log', 'sqrt', 'square', 'abs', 'clip',
  'Activation', 'LeakyReLU', 'SoftmaxActivation', 'BatchNorm', 'Dropout', 'Embedding',
  'Flatten', 'flatten', 'Reshape', 'reshape', 'expand_dims', 'Concat', 'concat', 'transpose', 'slice_axis',
  'one_hot', 'argmax', 'Cast', 'cast', 'zeros_like', 'ones_like',
  'sum', 'sum_axis', 'mean', 'max', 'max_axis', 'min', 'min_axis', 'dot', 'batch_dot',
  // names: shape, indexing and creation ops
  '_zeros', '_ones', '_full', '_zeros_without_dtype', '_eye', '_arange', '_linspace', '_contrib_arange_like',
  'squeeze', 'reshape_like', 'where', 'slice', 'crop', 'slice_like', '_slice_assign', '_crop_assign',
  '_slice_assign_scalar', '_crop_assign_scalar', 'tile', 'repeat', 'reverse', 'flip', 'SwapAxis', 'swapaxes', 'stack',
  'broadcast_to', 'broadcast_like', 'broadcast_axis', 'broadcast_axes', '_copy', 'identity', '_identity_with_attr_like_rhs',
  'shape_array', 'size_array', 'Pad', 'pad', 'Crop', 'depth_to_space', 'space_to_depth',
  '_ravel_multi_index', 'ravel_multi_index', '_unravel_index', 'unravel_index',
  // names: spatial and detection ops
  'UpSampling', '_contrib_BilinearResize2D', '_contrib_AdaptiveAvgPooling2D',
  'ROIPooling', '_contrib_ROIAlign', '_contrib_box_nms', '_contrib_box_non_maximum_suppression', '_contrib_box_iou',
  '_contrib_box_decode', '_contrib_MultiBoxPrior', '_contrib_MultiBoxDetection', '_contrib_Proposal', '_contrib_MultiProposal',
  // names: element-wise math and logic
  'softsign', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'degrees', 'radians',
  'sinh', 'cosh', 'arcsinh', 'arccosh', 'arctanh', 'log10', 'log2', 'log1p', 'expm1',
  'reciprocal', 'rsqrt', 'cbrt', 'rcbrt', 'negative', 'sign', 'round', 'rint', 'fix', 'trunc', 'ceil', 'floor',
  'logical_not', 'erf', 'erfinv', 'gamma', 'gammaln', 'hard_sigmoid',
  '_mod', '_Mod', '_hypot', '_Hypot', '_grad_add', 'broadcast_mod', 'broadcast_hypot',
  '_equal', '_Equal', '_not_equal', '_Not_Equal', '_greater', '_Greater', '_greater_equal', '_Greater_Equal',
  '_lesser', '_Lesser', '_lesser_equal', '_Lesser_Equal',
  '_logical_and', '_Logical_And', '_logical_or', '_Logical_Or', '_logical_xor', '_Logical_Xor',
  'broadcast_equal', 'broadcast_not_equal', 'broadcast_greater', 'broadcast_greater_equal',
  'broadcast_lesser', 'broadcast_lesser_equal', 'broadcast_logical_and', 'broadcast_logical_or', 'broadcast_logical_xor',
  '_mod_scalar', '_ModScalar', '_rmod_scalar', '_RModScalar', '_hypot_scalar', '_HypotScalar',
  '_maximum_scalar', '_MaximumScalar', '_minimum_scalar', '_MinimumScalar', 'smooth_l1',
  '_equal_scalar', '_EqualScalar', '_not_equal_scalar', '_NotEqualScalar', '_greater_scalar', '_GreaterScalar',
  '_greater_equal_scalar', '_GreaterEqualScalar', '_lesser_scalar', '_LesserScalar',
  '_lesser_equal_scalar', '_LesserEqualScalar', '_logical_and_scalar', '_LogicalAndScalar',
  '_logical_or_scalar', '_LogicalOrScalar', '_logical_xor_scalar', '_LogicalXorScalar',
  // names: indexing, ordering and reductions
  'take', 'batch_take', 'pick', 'choose_element_0index', 'gather_nd', 'scatter_nd',
  'topk', 'sort', 'argsort', 'argmin', 'argmax_channel', 'prod', 'nansum', 'nanprod', 'norm',
  'add_n', 'ElementWiseSum', 'diag', 'khatri_rao',
  '_contrib_index_array', '_contrib_index_copy', '_contrib_boolean_mask', '_contrib_allclose',
  // names: normalization, sequence and loss layers
  'LayerNorm', 'InstanceNorm', 'GroupNorm', 'L2Normalization', 'LRN',
  'SequenceMask', 'SequenceLast', 'SequenceReverse', 'softmin', 'softmax_cross_entropy', 'SVMOutput', 'IdentityAttachKLSparseReg',
  '_contrib_gradientmultiplier', '_contrib_round_ste', '_contrib_sign_ste', '_contrib_quadratic', '_contrib_div_sqrt_dim',
  'CTCLoss', 'ctc_loss', '_contrib_CTCLoss', '_contrib_ctc_loss',
  // names: random sampling
  '_random_uniform', 'uniform', 'random_uniform', '_random_normal', 'normal', 'random_normal',
  '_random_gamma', 'random_gamma', '_random_exponential', 'random_exponential', '_random_poisson', 'random_poisson',
  '_random_negative_binomial', 'random_negative_binomial', '_random_generalized_negative_binomial', 'random_generalized_negative_binomial',
  '_random_randint', 'random_randint',
  '_random_uniform_like', '_random_normal_like', '_random_gamma_like', '_random_exponential_like', '_random_poisson_like',
  '_random_negative_binomial_like', '_random_generalized_negative_binomial_like',
  '_random_pdf_uniform', 'random_pdf_uniform', '_random_pdf_normal', 'random_pdf_normal',
  '_random_pdf_gamma', 'random_pdf_gamma', '_random_pdf_exponential', 'random_pdf_exponential',
  '_random_pdf_poisson', 'random_pdf_poisson', '_random_pdf_negative_binomial', 'random_pdf_negative_binomial',
  '_random_pdf_generalized_negative_binomial', 'random_pdf_generalized_negative_binomial',
  '_random_pdf_dirichlet', 'random_pdf_dirichlet',
  '_sample_uniform', 'sample_uniform', '_sample_normal', 'sample_normal', '_sample_gamma', 'sample_gamma',
  '_sample_exponential', 'sample_exponential', '_sample_poisson', 'sample_poisson',
  '_sample_negative_binomial', 'sample_negative_binomial', '_sample_generalized_negative_binomial', 'sample_generalized_negative_binomial',
  '_sample_multinomial', 'sample_multinomial', '_shuffle', 'shuffle',
  // names: linear algebra
  '_linalg_gemm', 'linalg_gemm', '_linalg_gemm2', 'linalg_gemm2', '_linalg_potrf', 'linalg_potrf', '_linalg_potri', 'linalg_potri',
  '_linalg_trsm', 'linalg_trsm', '_linalg_trmm', 'linalg_trmm', '_linalg_syrk', 'linalg_syrk', '_linalg_inverse', 'linalg_inverse',
  '_linalg_det', 'linalg_det', '_linalg_sumlogdiag', 'linalg_sumlogdiag', '_linalg_extractdiag', 'linalg_extractdiag',
  '_linalg_makediag', 'linalg_makediag', '_linalg_extracttrian', 'linalg_extracttrian', '_linalg_maketrian', 'linalg_maketrian',
  // names: image transforms
  '_image_to_tensor', '_image_normalize', '_image_flip_left_right', '_image_flip_top_bottom',
  '_image_random_flip_left_right', '_image_random_flip_top_bottom', '_image_random_brightness', '_image_random_contrast',
  '_image_random_saturation', '_image_random_hue', '_image_random_color_jitter', '_image_adjust_lighting',
  '_image_random_lighting', '_image_crop', '_image_resize',
  // names: recurrent layers
  'RNN', '_npx_rnn', '_rnn_param_concat', '_npi_rnn_param_concat',
  // names: spatial transformers and contrib vision
  'GridGenerator', 'BilinearSampler', 'SpatialTransformer', 'Correlation', 'im2col', 'col2im',
  '_contrib_PSROIPooling', '_contrib_DeformablePSROIPooling', '_contrib_DeformableConvolution', '_contrib_RROIAlign',
  // names: contrib misc and v1 layers
  '_contrib_interleaved_matmul_selfatt_qk', '_contrib_interleaved_matmul_selfatt_valatt',
  '_contrib_interleaved_matmul_encdec_qk', '_contrib_interleaved_matmul_encdec_valatt',
  'BatchNorm_v1', 'Convolution_v1', 'Pooling_v1', '_contrib_fft', '_contrib_ifft', '_contrib_count_sketch',
] as const;

/** Ops whose front-end call returns a list of outputs. */
export const MULTI_OUTPUT_OPS = [
  'SliceChannel', 'split',
  // multi-output names: shape, indexing and creation ops
  '_split_v2',
  // multi-output names: spatial and detection ops
  '_contrib_bipartite_matching', '_contrib_box_encode', '_contrib_MultiBoxTarget',
  // multi-output names: element-wise math and logic
  // multi-output names: indexing, ordering and reductions
  'moments', '_histogram',
  // multi-output names: normalization, sequence and loss layers
  // multi-output names: random sampling
  '_sample_unique_zipfian',
  // multi-output names: linear algebra
  '_linalg_gelqf', 'linalg_gelqf', '_linalg_syevd', '_linalg_slogdet', 'linalg_slogdet',
  // multi-output names: image transforms
  // multi-output names: recurrent layers
  // multi-output names: spatial transformers and contrib vision
  // multi-output names: contrib misc and v1 layers
  '_contrib_hawkesll', '_contrib_mrcnn_mask_target',
] as const;

export type SingleOutputOpName = (typeof SINGLE_OUTPUT_OPS)[number];
export type MultiOutputOpName = (typeof MULTI_OUTPUT_OPS)[number];
