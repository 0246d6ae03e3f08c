/** The linear algebra family (MXNet `tensor/la_op.cc`): every `_linalg_*` operator. */
import type { AnyOpDef } from '../types';
import { linalgPotrfOp, linalgPotriOp } from './cholesky';
import { linalgExtractdiagOp, linalgExtracttrianOp, linalgMakediagOp, linalgMaketrianOp, linalgSumlogdiagOp } from './diag_trian';
import { linalgGelqfOp, linalgSyevdOp } from './factorize';
import { linalgGemm2Op, linalgGemmOp } from './gemm';
import { linalgDetOp, linalgInverseOp, linalgSlogdetOp } from './inverse_det';
import { linalgSyrkOp, linalgTrmmOp, linalgTrsmOp } from './triangular';

export const linalgOps: readonly AnyOpDef[] = [
  linalgGemmOp, linalgGemm2Op, linalgPotrfOp, linalgPotriOp, linalgTrsmOp, linalgTrmmOp, linalgSyrkOp,
  linalgGelqfOp, linalgSyevdOp, linalgInverseOp, linalgDetOp, linalgSlogdetOp,
  linalgSumlogdiagOp, linalgExtractdiagOp, linalgMakediagOp, linalgExtracttrianOp, linalgMaketrianOp,
];
