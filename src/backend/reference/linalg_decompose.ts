/**
 * Float64 eigen-decomposition (cyclic Jacobi) and LQ factorization (Householder, LAPACK's sign
 * convention) shared by the linalg factorization kernels. Row-major contiguous scratch matrices.
 */

/**
 * Eigen-decomposition of the symmetric n x n matrix s by cyclic Jacobi rotations (s is destroyed).
 * On return values holds the eigenvalues ascending and vectors (n x n) the matching unit
 * eigenvectors as rows. order is scratch of n.
 */
export function symmetricEigen(s: Float64Array, n: number, values: Float64Array, vectors: Float64Array, order: Float64Array, rotated: Float64Array): void {
  // rotated accumulates V (columns are eigenvectors of s).
  rotated.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) rotated[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      scale += s[i * n + i]! * s[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += s[i * n + j]! * s[i * n + j]!;
    }
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q]!;
        if (apq === 0) continue;
        const theta = (s[q * n + q]! - s[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const skp = s[k * n + p]!;
          const skq = s[k * n + q]!;
          s[k * n + p] = c * skp - sn * skq;
          s[k * n + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < n; k++) {
          const spk = s[p * n + k]!;
          const sqk = s[q * n + k]!;
          s[p * n + k] = c * spk - sn * sqk;
          s[q * n + k] = sn * spk + c * sqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = rotated[k * n + p]!;
          const vkq = rotated[k * n + q]!;
          rotated[k * n + p] = c * vkp - sn * vkq;
          rotated[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) order[i] = i;
  // Insertion sort of the indices by eigenvalue (n is small; stable for equal values).
  for (let i = 1; i < n; i++) {
    const idx = order[i]!;
    let j = i - 1;
    while (j >= 0 && s[order[j]! * n + order[j]!]! > s[idx * n + idx]!) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = idx;
  }
  for (let r = 0; r < n; r++) {
    const col = order[r]!;
    values[r] = s[col * n + col]!;
    for (let k = 0; k < n; k++) vectors[r * n + k] = rotated[k * n + col]!;
  }
}

/**
 * LQ factorization of the m x n (m <= n) matrix a by Householder reflections with LAPACK's
 * sign convention (dgelqf + dorglq): a = L Q, L m x m lower, Q m x n with orthonormal rows.
 * a is destroyed; tau (m) and reflectors (m x n) are scratch.
 */
export function lqFactor(a: Float64Array, m: number, n: number, lOut: Float64Array, qOut: Float64Array, tau: Float64Array, reflectors: Float64Array): void {
  // reflectors (m x n) holds v_i in row i (v_i[i] = 1, zeros before).
  reflectors.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const alpha = a[i * n + i]!;
    let norm2 = 0;
    for (let k = i + 1; k < n; k++) norm2 += a[i * n + k]! * a[i * n + k]!;
    reflectors[i * n + i] = 1;
    if (norm2 === 0) {
      tau[i] = 0;
      continue;
    }
    const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, Math.sqrt(norm2));
    tau[i] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let k = i + 1; k < n; k++) reflectors[i * n + k] = a[i * n + k]! * scale;
    a[i * n + i] = beta;
    for (let k = i + 1; k < n; k++) a[i * n + k] = 0;
    // Rows below: r <- r (I - tau v v^T).
    for (let r = i + 1; r < m; r++) {
      let dot = 0;
      for (let k = i; k < n; k++) dot += a[r * n + k]! * reflectors[i * n + k]!;
      const f = tau[i]! * dot;
      for (let k = i; k < n; k++) a[r * n + k] = a[r * n + k]! - f * reflectors[i * n + k]!;
    }
  }
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) lOut[r * m + c] = c <= r ? a[r * n + c]! : 0;
  }
  // Q = [I_m 0] H_m ... H_1, applied from the right, H_m first.
  qOut.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) qOut[i * n + i] = 1;
  for (let i = m - 1; i >= 0; i--) {
    if (tau[i] === 0) continue;
    for (let r = 0; r < m; r++) {
      let dot = 0;
      for (let k = i; k < n; k++) dot += qOut[r * n + k]! * reflectors[i * n + k]!;
      const f = tau[i]! * dot;
      for (let k = i; k < n; k++) qOut[r * n + k] = qOut[r * n + k]! - f * reflectors[i * n + k]!;
    }
  }
}
