;; SIMD128 kernels for the cheap, memory-bound steps around the GEMMs: relu, activation gradients,
;; y = a*x + b*y (SGD updates, scaling), adding a bias to every row, and column sums (bias
;; gradients). Plain JavaScript loops over Float32Array run at 2-5 ns per element on the target
;; machine; these run at memory speed. Pointers are byte offsets into this module's memory; every
;; loop handles its tail lane by lane, so nothing is read or written past an operand's end.
(module
  (memory (export "memory") 1)

  ;; dst[i] (acc: +=) relu(src[i]) = src[i] > 0 ? src[i] : 0 (pmax(0, x): NaN and -0 give +0).
  (func (export "relu") (param $src i32) (param $dst i32) (param $n i32) (param $acc i32)
    (local $i i32) (local $vecEnd i32) (local $v v128) (local $s f32)
    (local.set $vecEnd (i32.and (local.get $n) (i32.const -4)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $vecEnd)))
      (local.set $v (f32x4.pmax (v128.const f32x4 0 0 0 0) (v128.load (local.get $src))))
      (if (local.get $acc) (then (local.set $v (f32x4.add (local.get $v) (v128.load (local.get $dst))))))
      (v128.store (local.get $dst) (local.get $v))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $next)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (f32.load (local.get $src)))
      (local.set $s (select (local.get $s) (f32.const 0) (f32.gt (local.get $s) (f32.const 0))))
      (if (local.get $acc) (then (local.set $s (f32.add (local.get $s) (f32.load (local.get $dst))))))
      (f32.store (local.get $dst) (local.get $s))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail)))
  )

  ;; Activation gradients, dst[i] (acc: +=) g[i] * f'(v[i]), as products (never selects), so NaN or
  ;; infinite head gradients propagate as in MXNet. kind 0, relu: v is the input, f' = v > 0 ? 1 : 0;
  ;; kind 1, tanh: v is the output, f' = 1 - v*v; kind 2, sigmoid: v is the output, f' = v * (1 - v).
  (func (export "act_grad") (param $kind i32) (param $v i32) (param $g i32) (param $dst i32) (param $n i32) (param $acc i32)
    (local $i i32) (local $vecEnd i32) (local $x v128) (local $d v128) (local $s f32) (local $e f32)
    (local.set $vecEnd (i32.and (local.get $n) (i32.const -4)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $vecEnd)))
      (local.set $x (v128.load (local.get $v)))
      (if (i32.eqz (local.get $kind))
        (then (local.set $d (v128.and (v128.const f32x4 1 1 1 1) (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0)))))
        (else (if (i32.eq (local.get $kind) (i32.const 1))
          (then (local.set $d (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $x) (local.get $x)))))
          (else (local.set $d (f32x4.mul (local.get $x) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $x))))))))
      (local.set $d (f32x4.mul (v128.load (local.get $g)) (local.get $d)))
      (if (local.get $acc) (then (local.set $d (f32x4.add (local.get $d) (v128.load (local.get $dst))))))
      (v128.store (local.get $dst) (local.get $d))
      (local.set $v (i32.add (local.get $v) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $next)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $e (f32.load (local.get $v)))
      (if (i32.eqz (local.get $kind))
        (then (local.set $s (select (f32.const 1) (f32.const 0) (f32.gt (local.get $e) (f32.const 0)))))
        (else (if (i32.eq (local.get $kind) (i32.const 1))
          (then (local.set $s (f32.sub (f32.const 1) (f32.mul (local.get $e) (local.get $e)))))
          (else (local.set $s (f32.mul (local.get $e) (f32.sub (f32.const 1) (local.get $e))))))))
      (local.set $s (f32.mul (f32.load (local.get $g)) (local.get $s)))
      (if (local.get $acc) (then (local.set $s (f32.add (local.get $s) (f32.load (local.get $dst))))))
      (f32.store (local.get $dst) (local.get $s))
      (local.set $v (i32.add (local.get $v) (i32.const 4)))
      (local.set $g (i32.add (local.get $g) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail)))
  )

  ;; y[i] = a * x[i] + b * y[i] in float32 (x and y may be the same region).
  (func (export "axpby") (param $x i32) (param $y i32) (param $n i32) (param $a f32) (param $b f32)
    (local $i i32) (local $vecEnd i32) (local $va v128) (local $vb v128)
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $vb (f32x4.splat (local.get $b)))
    (local.set $vecEnd (i32.and (local.get $n) (i32.const -4)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $vecEnd)))
      (v128.store (local.get $y) (f32x4.add (f32x4.mul (local.get $va) (v128.load (local.get $x)))
                                            (f32x4.mul (local.get $vb) (v128.load (local.get $y)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $next)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
      (f32.store (local.get $y) (f32.add (f32.mul (local.get $a) (f32.load (local.get $x)))
                                         (f32.mul (local.get $b) (f32.load (local.get $y)))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $y (i32.add (local.get $y) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail)))
  )

  ;; dst[r * cols + j] += bias[j] for each of `rows` contiguous rows.
  (func (export "add_bias_rows") (param $dst i32) (param $rows i32) (param $cols i32) (param $bias i32)
    (local $r i32) (local $j i32) (local $vecEnd i32) (local $p i32) (local $b i32)
    (local.set $vecEnd (i32.and (local.get $cols) (i32.const -4)))
    (local.set $p (local.get $dst))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (local.set $b (local.get $bias))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $j) (local.get $vecEnd)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (v128.load (local.get $b))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $j) (local.get $cols)))
        (f32.store (local.get $p) (f32.add (f32.load (local.get $p)) (f32.load (local.get $b))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop)))
  )

  ;; sums[j] += src[r * cols + j] over `rows` contiguous rows, in float64 (sums holds cols doubles,
  ;; so a long sum loses nothing before the caller rounds it once).
  (func (export "col_sums") (param $src i32) (param $rows i32) (param $cols i32) (param $sums i32)
    (local $r i32) (local $j i32) (local $vecEnd i32) (local $p i32) (local $s i32) (local $v v128)
    (local.set $vecEnd (i32.and (local.get $cols) (i32.const -4)))
    (local.set $p (local.get $src))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (local.set $s (local.get $sums))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $j) (local.get $vecEnd)))
        (local.set $v (v128.load (local.get $p)))
        (v128.store offset=0 (local.get $s) (f64x2.add (v128.load offset=0 (local.get $s)) (f64x2.promote_low_f32x4 (local.get $v))))
        (v128.store offset=16 (local.get $s) (f64x2.add (v128.load offset=16 (local.get $s))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 32)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $j) (local.get $cols)))
        (f64.store (local.get $s) (f64.add (f64.load (local.get $s)) (f64.promote_f32 (f32.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $s (i32.add (local.get $s) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop)))
  )
)
