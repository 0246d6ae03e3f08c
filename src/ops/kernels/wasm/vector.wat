;; SIMD128 element-wise kernels: exp, sigmoid and row (log-)softmax over float32 buffers in this
;; module's memory. Pointers are byte offsets; the caller (vector_simd.ts) copies operands in and
;; results out and leaves 32 bytes of slack after every region (loops run over whole pairs of
;; vectors; lanes past the end compute garbage that is never copied out).
;;
;; exp(x) in float32 without FMA (the sequence is written out inline at each use, two vectors per
;; loop iteration, because V8 neither inlines calls here nor keeps v128 constants out of loops):
;;   x clamped to [-104, 89] (exp(-104) rounds to 0 and exp(89) to +Infinity, so the clamp only
;;   keeps the exponent arithmetic in range; the clamps are pmin/pmax, which pass NaN through);
;;   k = nearest(x * log2(e)) through the magic number 1.5 * 2^23, whose low bits then hold k;
;;   r = x - k * ln2_hi - k * ln2_lo (Cody-Waite: ln2_hi has 9 significant bits, so k * ln2_hi and
;;   the first subtraction are exact), |r| <= ln2 / 2;
;;   exp(r) = 1 + r * Q(r), Q(r) = 1 + r * P(r), P of degree 4 fitted (minimax on the relative
;;   error of exp) over [-ln2/2, ln2/2], approximation error 3.7e-9;
;;   exp: exp(x) = exp(r) * 2^(k - k/2) * 2^(k/2), both factors built in the exponent bits, so
;;   k = 128 overflows to +Infinity and k down to -150 gives correctly rounded denormals;
;;   sigmoid and softmax, where the argument is <= 0 (k in [-150, 0]): with s = 2^(k + 24), always
;;   normal, exp(x) = (s + (r * s) * Q(r)) * 2^-24, the last product exact unless the result is
;;   denormal, where it is the one rounding.
;;   Measured against float64 (vector_simd.test.ts): relative error 0.89e-7 for exp, 1.84e-7 for
;;   sigmoid, 1.90e-7 for softmax (results below 2^-126 measured relative to 2^-126).
(module
  (import "env" "log" (func $log (param f64) (result f64)))
  (memory (export "memory") 1)
  ;; Constants live in mutable globals, copied to locals before each loop: V8 would otherwise
  ;; rematerialize every v128.const inside the loop (three instructions per use).
  (global $LOG2E (mut v128) (v128.const f32x4 1.4426950216293335 1.4426950216293335 1.4426950216293335 1.4426950216293335)) ;; log2(e)
  (global $MAGIC (mut v128) (v128.const f32x4 12582912 12582912 12582912 12582912)) ;; 1.5 * 2^23 (bits 0x4B400000)
  (global $HI (mut v128) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)) ;; ln2_hi, 9 significant bits
  (global $LO (mut v128) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4)) ;; ln2 - ln2_hi
  (global $C0 (mut v128) (v128.const f32x4 0.4999999701976776 0.4999999701976776 0.4999999701976776 0.4999999701976776)) ;; P(r) = C0 + C1 r + ... + C4 r^4
  (global $C1 (mut v128) (v128.const f32x4 0.1666652113199234 0.1666652113199234 0.1666652113199234 0.1666652113199234))
  (global $C2 (mut v128) (v128.const f32x4 0.04166722670197487 0.04166722670197487 0.04166722670197487 0.04166722670197487))
  (global $C3 (mut v128) (v128.const f32x4 0.00836869329214096 0.00836869329214096 0.00836869329214096 0.00836869329214096))
  (global $C4 (mut v128) (v128.const f32x4 0.0013879691250622272 0.0013879691250622272 0.0013879691250622272 0.0013879691250622272))
  (global $ONE (mut v128) (v128.const f32x4 1 1 1 1)) ;; also the exponent bits of 2^0
  (global $LOW (mut v128) (v128.const f32x4 -104 -104 -104 -104)) ;; exp(-104) rounds to 0
  (global $HIGH (mut v128) (v128.const f32x4 89 89 89 89)) ;; exp(89) rounds to +Infinity
  (global $SIGN (mut v128) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)) ;; sign bit
  (global $NEGINF (mut v128) (v128.const f32x4 -inf -inf -inf -inf))
  (global $BIAS24 (mut v128) (v128.const i32x4 0x4B800000 0x4B800000 0x4B800000 0x4B800000)) ;; (127 + 24) << 23: 2^(k + 24) from k << 23
  (global $TWOM24 (mut v128) (v128.const f32x4 5.9604644775390625e-8 5.9604644775390625e-8 5.9604644775390625e-8 5.9604644775390625e-8)) ;; 2^-24

  ;; dst[i] = exp(src[i]) (acc: dst[i] += exp(src[i])), i < n rounded up to 8.
  (func (export "exp") (param $src i32) (param $dst i32) (param $n i32) (param $acc i32)
    (local $end i32)
    (local $x0 v128) (local $z0 v128) (local $t0 v128) (local $k0 v128) (local $r0 v128) (local $p0 v128) (local $y0 v128) (local $x1 v128) (local $z1 v128) (local $t1 v128) (local $k1 v128) (local $r1 v128) (local $p1 v128) (local $y1 v128)
    (local $LOG2E v128) (local $MAGIC v128) (local $HI v128) (local $LO v128) (local $C0 v128) (local $C1 v128) (local $C2 v128) (local $C3 v128) (local $C4 v128) (local $ONE v128) (local $LOW v128) (local $HIGH v128)
    (local.set $LOG2E (global.get $LOG2E))
    (local.set $MAGIC (global.get $MAGIC))
    (local.set $HI (global.get $HI))
    (local.set $LO (global.get $LO))
    (local.set $C0 (global.get $C0))
    (local.set $C1 (global.get $C1))
    (local.set $C2 (global.get $C2))
    (local.set $C3 (global.get $C3))
    (local.set $C4 (global.get $C4))
    (local.set $ONE (global.get $ONE))
    (local.set $LOW (global.get $LOW))
    (local.set $HIGH (global.get $HIGH))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8)) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      (local.set $x0 (v128.load offset=0 (local.get $src)))
      (local.set $z0 (f32x4.pmin (f32x4.pmax (local.get $x0) (local.get $LOW)) (local.get $HIGH)))
      (local.set $x1 (v128.load offset=16 (local.get $src)))
      (local.set $z1 (f32x4.pmin (f32x4.pmax (local.get $x1) (local.get $LOW)) (local.get $HIGH)))
      (local.set $t0 (f32x4.add (f32x4.mul (local.get $z0) (local.get $LOG2E)) (local.get $MAGIC)))
      (local.set $k0 (f32x4.sub (local.get $t0) (local.get $MAGIC)))
      (local.set $r0 (f32x4.sub (local.get $z0) (f32x4.mul (local.get $k0) (local.get $HI))))
      (local.set $r0 (f32x4.sub (local.get $r0) (f32x4.mul (local.get $k0) (local.get $LO))))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $C4) (local.get $r0)) (local.get $C3)))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C2)))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C1)))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C0)))
      (local.set $y0 (f32x4.add (f32x4.add (f32x4.mul (local.get $p0) (f32x4.mul (local.get $r0) (local.get $r0))) (local.get $r0)) (local.get $ONE)))
      (local.set $t0 (i32x4.sub (local.get $t0) (local.get $MAGIC))) ;; k as i32
      (local.set $k0 (i32x4.shr_s (local.get $t0) (i32.const 1)))
      (local.set $y0 (f32x4.mul (f32x4.mul (local.get $y0) (i32x4.add (i32x4.shl (local.get $k0) (i32.const 23)) (local.get $ONE)))
                                (i32x4.add (i32x4.shl (i32x4.sub (local.get $t0) (local.get $k0)) (i32.const 23)) (local.get $ONE))))
      (local.set $t1 (f32x4.add (f32x4.mul (local.get $z1) (local.get $LOG2E)) (local.get $MAGIC)))
      (local.set $k1 (f32x4.sub (local.get $t1) (local.get $MAGIC)))
      (local.set $r1 (f32x4.sub (local.get $z1) (f32x4.mul (local.get $k1) (local.get $HI))))
      (local.set $r1 (f32x4.sub (local.get $r1) (f32x4.mul (local.get $k1) (local.get $LO))))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $C4) (local.get $r1)) (local.get $C3)))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $r1)) (local.get $C2)))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $r1)) (local.get $C1)))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $r1)) (local.get $C0)))
      (local.set $y1 (f32x4.add (f32x4.add (f32x4.mul (local.get $p1) (f32x4.mul (local.get $r1) (local.get $r1))) (local.get $r1)) (local.get $ONE)))
      (local.set $t1 (i32x4.sub (local.get $t1) (local.get $MAGIC))) ;; k as i32
      (local.set $k1 (i32x4.shr_s (local.get $t1) (i32.const 1)))
      (local.set $y1 (f32x4.mul (f32x4.mul (local.get $y1) (i32x4.add (i32x4.shl (local.get $k1) (i32.const 23)) (local.get $ONE)))
                                (i32x4.add (i32x4.shl (i32x4.sub (local.get $t1) (local.get $k1)) (i32.const 23)) (local.get $ONE))))
      (if (local.get $acc) (then
        (local.set $y0 (f32x4.add (local.get $y0) (v128.load offset=0 (local.get $dst))))
        (local.set $y1 (f32x4.add (local.get $y1) (v128.load offset=16 (local.get $dst))))))
      (v128.store offset=0 (local.get $dst) (local.get $y0))
      (v128.store offset=16 (local.get $dst) (local.get $y1))
      (local.set $src (i32.add (local.get $src) (i32.const 32)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
      (br $next)))
  )

  ;; dst[i] = sigmoid(src[i]) (acc: +=), i < n rounded up to 8: e = exp(-|x|), then 1 / (1 + e)
  ;; where the sign bit of x is clear and e / (1 + e) where it is set (so -0 gives 0.5 either way):
  ;; one division, and neither tail overflows or cancels.
  (func (export "sigmoid") (param $src i32) (param $dst i32) (param $n i32) (param $acc i32)
    (local $end i32)
    (local $x0 v128) (local $z0 v128) (local $t0 v128) (local $k0 v128) (local $r0 v128) (local $p0 v128) (local $y0 v128) (local $x1 v128) (local $z1 v128) (local $t1 v128) (local $k1 v128) (local $r1 v128) (local $p1 v128) (local $y1 v128)
    (local $LOG2E v128) (local $MAGIC v128) (local $HI v128) (local $LO v128) (local $C0 v128) (local $C1 v128) (local $C2 v128) (local $C3 v128) (local $C4 v128) (local $ONE v128) (local $SIGN v128) (local $LOW v128) (local $BIAS24 v128) (local $TWOM24 v128)
    (local.set $LOG2E (global.get $LOG2E))
    (local.set $MAGIC (global.get $MAGIC))
    (local.set $HI (global.get $HI))
    (local.set $LO (global.get $LO))
    (local.set $C0 (global.get $C0))
    (local.set $C1 (global.get $C1))
    (local.set $C2 (global.get $C2))
    (local.set $C3 (global.get $C3))
    (local.set $C4 (global.get $C4))
    (local.set $ONE (global.get $ONE))
    (local.set $SIGN (global.get $SIGN))
    (local.set $LOW (global.get $LOW))
    (local.set $BIAS24 (global.get $BIAS24))
    (local.set $TWOM24 (global.get $TWOM24))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8)) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      (local.set $x0 (v128.load offset=0 (local.get $src)))
      (local.set $z0 (f32x4.pmax (v128.or (local.get $x0) (local.get $SIGN)) (local.get $LOW))) ;; -|x|
      (local.set $x1 (v128.load offset=16 (local.get $src)))
      (local.set $z1 (f32x4.pmax (v128.or (local.get $x1) (local.get $SIGN)) (local.get $LOW))) ;; -|x|
      (local.set $t0 (f32x4.add (f32x4.mul (local.get $z0) (local.get $LOG2E)) (local.get $MAGIC)))
      (local.set $k0 (f32x4.sub (local.get $t0) (local.get $MAGIC)))
      (local.set $r0 (f32x4.sub (local.get $z0) (f32x4.mul (local.get $k0) (local.get $HI))))
      (local.set $r0 (f32x4.sub (local.get $r0) (f32x4.mul (local.get $k0) (local.get $LO))))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $C4) (local.get $r0)) (local.get $C3)))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C2)))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C1)))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C0)))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $ONE)))
      (local.set $k0 (i32x4.add (i32x4.shl (local.get $t0) (i32.const 23)) (local.get $BIAS24))) ;; 2^(k + 24)
      (local.set $y0 (f32x4.mul (f32x4.add (local.get $k0) (f32x4.mul (f32x4.mul (local.get $r0) (local.get $k0)) (local.get $p0)))
                                (local.get $TWOM24)))
      (local.set $t1 (f32x4.add (f32x4.mul (local.get $z1) (local.get $LOG2E)) (local.get $MAGIC)))
      (local.set $k1 (f32x4.sub (local.get $t1) (local.get $MAGIC)))
      (local.set $r1 (f32x4.sub (local.get $z1) (f32x4.mul (local.get $k1) (local.get $HI))))
      (local.set $r1 (f32x4.sub (local.get $r1) (f32x4.mul (local.get $k1) (local.get $LO))))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $C4) (local.get $r1)) (local.get $C3)))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $r1)) (local.get $C2)))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $r1)) (local.get $C1)))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $r1)) (local.get $C0)))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $r1)) (local.get $ONE)))
      (local.set $k1 (i32x4.add (i32x4.shl (local.get $t1) (i32.const 23)) (local.get $BIAS24))) ;; 2^(k + 24)
      (local.set $y1 (f32x4.mul (f32x4.add (local.get $k1) (f32x4.mul (f32x4.mul (local.get $r1) (local.get $k1)) (local.get $p1)))
                                (local.get $TWOM24)))
      (local.set $y0 (f32x4.div (v128.bitselect (local.get $y0) (local.get $ONE) (i32x4.shr_s (local.get $x0) (i32.const 31)))
                                (f32x4.add (local.get $y0) (local.get $ONE))))
      (local.set $y1 (f32x4.div (v128.bitselect (local.get $y1) (local.get $ONE) (i32x4.shr_s (local.get $x1) (i32.const 31)))
                                (f32x4.add (local.get $y1) (local.get $ONE))))
      (if (local.get $acc) (then
        (local.set $y0 (f32x4.add (local.get $y0) (v128.load offset=0 (local.get $dst))))
        (local.set $y1 (f32x4.add (local.get $y1) (v128.load offset=16 (local.get $dst))))))
      (v128.store offset=0 (local.get $dst) (local.get $y0))
      (v128.store offset=16 (local.get $dst) (local.get $y1))
      (local.set $src (i32.add (local.get $src) (i32.const 32)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
      (br $next)))
  )

  ;; Softmax (log = 0) or log-softmax (log = 1) of `rows` contiguous rows of `cols` floats from src
  ;; to dst (distinct regions). Per row: the maximum m; then e = exp(x - m), with x - m formed
  ;; exactly as s + err (TwoSum) and err folded into the reduced argument, summed in float64 (so
  ;; log(sum) keeps the small terms next to the 1 of the maximum); then
  ;; softmax: e * (1 / sum), log-softmax: (x - m) - log(sum) in float64 (where x - m is exact).
  ;; A row's last partial vector has its lanes past the row set to -Infinity (exp gives 0); lanes
  ;; stored past a row land in the next row's output, which is written afterwards, or in the slack.
  (func (export "softmax") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $log i32)
    (local $full i32) (local $vecs i32) (local $rowBytes i32) (local $row i32) (local $i i32)
    (local $ps i32) (local $pd i32) (local $a i32) (local $tail v128) (local $lm v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128) (local $mx f32) (local $negm v128)
    (local $sumLo v128) (local $sumHi v128) (local $sum f64)
    (local $inv v128) ;; 1 / sum as f32x4 (softmax) or log(sum) as f64x2 (log-softmax)
    (local $c v128) (local $v v128)
    (local $x0 v128) (local $s0 v128) (local $b0 v128) (local $err0 v128) (local $z0 v128) (local $t0 v128) (local $k0 v128) (local $r0 v128) (local $p0 v128) (local $y0 v128) (local $x1 v128) (local $s1 v128) (local $b1 v128) (local $err1 v128) (local $z1 v128) (local $t1 v128) (local $k1 v128) (local $r1 v128) (local $p1 v128) (local $y1 v128)
    (local $LOG2E v128) (local $MAGIC v128) (local $HI v128) (local $LO v128) (local $C0 v128) (local $C1 v128) (local $C2 v128) (local $C3 v128) (local $C4 v128) (local $ONE v128) (local $LOW v128) (local $NEGINF v128) (local $BIAS24 v128) (local $TWOM24 v128)
    (local.set $LOG2E (global.get $LOG2E))
    (local.set $MAGIC (global.get $MAGIC))
    (local.set $HI (global.get $HI))
    (local.set $LO (global.get $LO))
    (local.set $C0 (global.get $C0))
    (local.set $C1 (global.get $C1))
    (local.set $C2 (global.get $C2))
    (local.set $C3 (global.get $C3))
    (local.set $C4 (global.get $C4))
    (local.set $ONE (global.get $ONE))
    (local.set $LOW (global.get $LOW))
    (local.set $NEGINF (global.get $NEGINF))
    (local.set $BIAS24 (global.get $BIAS24))
    (local.set $TWOM24 (global.get $TWOM24))
    (local.set $full (i32.shr_u (local.get $cols) (i32.const 2)))
    (local.set $vecs (i32.shr_u (i32.add (local.get $cols) (i32.const 3)) (i32.const 2)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    ;; lanes at or past cols % 4 (all lanes when cols % 4 == 0, but then there is no partial vector)
    (local.set $tail (i32x4.ge_s (v128.const i32x4 0 1 2 3) (i32x4.splat (i32.and (local.get $cols) (i32.const 3)))))
    (local.set $ps (local.get $src))
    (local.set $pd (local.get $dst))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
      ;; pass 1: the maximum (pmax drops NaN here, but a NaN still poisons the sum in pass 2)
      (local.set $m0 (local.get $NEGINF))
      (local.set $m1 (local.get $NEGINF))
      (local.set $m2 (local.get $NEGINF))
      (local.set $m3 (local.get $NEGINF))
      (local.set $i (i32.const 0))
      (block $max4Done (loop $max4
        (br_if $max4Done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $full)))
        (local.set $a (i32.add (local.get $ps) (i32.shl (local.get $i) (i32.const 4))))
        (local.set $m0 (f32x4.pmax (local.get $m0) (v128.load offset=0 (local.get $a))))
        (local.set $m1 (f32x4.pmax (local.get $m1) (v128.load offset=16 (local.get $a))))
        (local.set $m2 (f32x4.pmax (local.get $m2) (v128.load offset=32 (local.get $a))))
        (local.set $m3 (f32x4.pmax (local.get $m3) (v128.load offset=48 (local.get $a))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $max4)))
      (block $max1Done (loop $max1
        (br_if $max1Done (i32.ge_u (local.get $i) (local.get $vecs)))
        (local.set $v (v128.load (i32.add (local.get $ps) (i32.shl (local.get $i) (i32.const 4)))))
        (if (i32.eq (local.get $i) (local.get $full))
          (then (local.set $v (v128.bitselect (local.get $NEGINF) (local.get $v) (local.get $tail)))))
        (local.set $m0 (f32x4.pmax (local.get $m0) (local.get $v)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $max1)))
      (local.set $m0 (f32x4.pmax (f32x4.pmax (local.get $m0) (local.get $m1)) (f32x4.pmax (local.get $m2) (local.get $m3))))
      (local.set $mx (f32.max (f32.max (f32x4.extract_lane 0 (local.get $m0)) (f32x4.extract_lane 1 (local.get $m0)))
                              (f32.max (f32x4.extract_lane 2 (local.get $m0)) (f32x4.extract_lane 3 (local.get $m0)))))
      (local.set $negm (f32x4.splat (f32.neg (local.get $mx))))
      ;; pass 2: e = exp(x - m), stored for softmax, summed in float64; pairs of whole vectors, then
      ;; single vectors with the partial one masked
      (local.set $sumLo (v128.const f64x2 0 0))
      (local.set $sumHi (v128.const f64x2 0 0))
      (local.set $i (i32.const 0))
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $full)))
        (local.set $x0 (v128.load offset=0 (i32.add (local.get $ps) (i32.shl (local.get $i) (i32.const 4)))))
        (local.set $s0 (f32x4.add (local.get $x0) (local.get $negm)))
        (local.set $b0 (f32x4.sub (local.get $s0) (local.get $x0)))
        (local.set $err0 (f32x4.add (f32x4.sub (local.get $x0) (f32x4.sub (local.get $s0) (local.get $b0)))
                                     (f32x4.sub (local.get $negm) (local.get $b0))))
        (local.set $err0 (v128.and (local.get $err0) (f32x4.ge (local.get $s0) (local.get $LOW)))) ;; 0 where s is clamped, infinite or NaN
        (local.set $z0 (f32x4.pmax (local.get $s0) (local.get $LOW)))
        (local.set $t0 (f32x4.add (f32x4.mul (local.get $z0) (local.get $LOG2E)) (local.get $MAGIC)))
        (local.set $k0 (f32x4.sub (local.get $t0) (local.get $MAGIC)))
        (local.set $r0 (f32x4.sub (local.get $z0) (f32x4.mul (local.get $k0) (local.get $HI))))
        (local.set $r0 (f32x4.add (local.get $r0) (local.get $err0)))
        (local.set $r0 (f32x4.sub (local.get $r0) (f32x4.mul (local.get $k0) (local.get $LO))))
        (local.set $p0 (f32x4.add (f32x4.mul (local.get $C4) (local.get $r0)) (local.get $C3)))
        (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C2)))
        (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C1)))
        (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C0)))
        (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $ONE)))
        (local.set $k0 (i32x4.add (i32x4.shl (local.get $t0) (i32.const 23)) (local.get $BIAS24))) ;; 2^(k + 24)
        (local.set $y0 (f32x4.mul (f32x4.add (local.get $k0) (f32x4.mul (f32x4.mul (local.get $r0) (local.get $k0)) (local.get $p0)))
                                  (local.get $TWOM24)))
        (if (i32.eqz (local.get $log)) (then (v128.store offset=0 (i32.add (local.get $pd) (i32.shl (local.get $i) (i32.const 4))) (local.get $y0))))
        (local.set $sumLo (f64x2.add (local.get $sumLo) (f64x2.promote_low_f32x4 (local.get $y0))))
        (local.set $sumHi (f64x2.add (local.get $sumHi) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y0) (local.get $y0)))))
        (local.set $x1 (v128.load offset=16 (i32.add (local.get $ps) (i32.shl (local.get $i) (i32.const 4)))))
        (local.set $s1 (f32x4.add (local.get $x1) (local.get $negm)))
        (local.set $b1 (f32x4.sub (local.get $s1) (local.get $x1)))
        (local.set $err1 (f32x4.add (f32x4.sub (local.get $x1) (f32x4.sub (local.get $s1) (local.get $b1)))
                                     (f32x4.sub (local.get $negm) (local.get $b1))))
        (local.set $err1 (v128.and (local.get $err1) (f32x4.ge (local.get $s1) (local.get $LOW)))) ;; 0 where s is clamped, infinite or NaN
        (local.set $z1 (f32x4.pmax (local.get $s1) (local.get $LOW)))
        (local.set $t1 (f32x4.add (f32x4.mul (local.get $z1) (local.get $LOG2E)) (local.get $MAGIC)))
        (local.set $k1 (f32x4.sub (local.get $t1) (local.get $MAGIC)))
        (local.set $r1 (f32x4.sub (local.get $z1) (f32x4.mul (local.get $k1) (local.get $HI))))
        (local.set $r1 (f32x4.add (local.get $r1) (local.get $err1)))
        (local.set $r1 (f32x4.sub (local.get $r1) (f32x4.mul (local.get $k1) (local.get $LO))))
        (local.set $p1 (f32x4.add (f32x4.mul (local.get $C4) (local.get $r1)) (local.get $C3)))
        (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $r1)) (local.get $C2)))
        (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $r1)) (local.get $C1)))
        (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $r1)) (local.get $C0)))
        (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $r1)) (local.get $ONE)))
        (local.set $k1 (i32x4.add (i32x4.shl (local.get $t1) (i32.const 23)) (local.get $BIAS24))) ;; 2^(k + 24)
        (local.set $y1 (f32x4.mul (f32x4.add (local.get $k1) (f32x4.mul (f32x4.mul (local.get $r1) (local.get $k1)) (local.get $p1)))
                                  (local.get $TWOM24)))
        (if (i32.eqz (local.get $log)) (then (v128.store offset=16 (i32.add (local.get $pd) (i32.shl (local.get $i) (i32.const 4))) (local.get $y1))))
        (local.set $sumLo (f64x2.add (local.get $sumLo) (f64x2.promote_low_f32x4 (local.get $y1))))
        (local.set $sumHi (f64x2.add (local.get $sumHi) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y1) (local.get $y1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
      (local.set $lm (v128.const i32x4 0 0 0 0))
      (block $singlesDone (loop $singles
        (br_if $singlesDone (i32.ge_u (local.get $i) (local.get $vecs)))
        (if (i32.eq (local.get $i) (local.get $full)) (then (local.set $lm (local.get $tail))))
        (local.set $x0 (v128.bitselect (local.get $NEGINF) (v128.load offset=0 (i32.add (local.get $ps) (i32.shl (local.get $i) (i32.const 4)))) (local.get $lm)))
        (local.set $s0 (f32x4.add (local.get $x0) (local.get $negm)))
        (local.set $b0 (f32x4.sub (local.get $s0) (local.get $x0)))
        (local.set $err0 (f32x4.add (f32x4.sub (local.get $x0) (f32x4.sub (local.get $s0) (local.get $b0)))
                                     (f32x4.sub (local.get $negm) (local.get $b0))))
        (local.set $err0 (v128.and (local.get $err0) (f32x4.ge (local.get $s0) (local.get $LOW)))) ;; 0 where s is clamped, infinite or NaN
        (local.set $z0 (f32x4.pmax (local.get $s0) (local.get $LOW)))
        (local.set $t0 (f32x4.add (f32x4.mul (local.get $z0) (local.get $LOG2E)) (local.get $MAGIC)))
        (local.set $k0 (f32x4.sub (local.get $t0) (local.get $MAGIC)))
        (local.set $r0 (f32x4.sub (local.get $z0) (f32x4.mul (local.get $k0) (local.get $HI))))
        (local.set $r0 (f32x4.add (local.get $r0) (local.get $err0)))
        (local.set $r0 (f32x4.sub (local.get $r0) (f32x4.mul (local.get $k0) (local.get $LO))))
        (local.set $p0 (f32x4.add (f32x4.mul (local.get $C4) (local.get $r0)) (local.get $C3)))
        (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C2)))
        (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C1)))
        (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $C0)))
        (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $r0)) (local.get $ONE)))
        (local.set $k0 (i32x4.add (i32x4.shl (local.get $t0) (i32.const 23)) (local.get $BIAS24))) ;; 2^(k + 24)
        (local.set $y0 (f32x4.mul (f32x4.add (local.get $k0) (f32x4.mul (f32x4.mul (local.get $r0) (local.get $k0)) (local.get $p0)))
                                  (local.get $TWOM24)))
        (if (i32.eqz (local.get $log)) (then (v128.store offset=0 (i32.add (local.get $pd) (i32.shl (local.get $i) (i32.const 4))) (local.get $y0))))
        (local.set $sumLo (f64x2.add (local.get $sumLo) (f64x2.promote_low_f32x4 (local.get $y0))))
        (local.set $sumHi (f64x2.add (local.get $sumHi) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y0) (local.get $y0)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $singles)))
      (local.set $sumLo (f64x2.add (local.get $sumLo) (local.get $sumHi)))
      (local.set $sum (f64.add (f64x2.extract_lane 0 (local.get $sumLo)) (f64x2.extract_lane 1 (local.get $sumLo))))
      ;; pass 3, in pairs of vectors (up to 7 lanes past the row: next row or slack)
      (local.set $i (i32.const 0))
      (if (i32.eqz (local.get $log))
        (then
          (local.set $inv (f32x4.splat (f32.demote_f64 (f64.div (f64.const 1) (local.get $sum)))))
          (block $scaleDone (loop $scale
            (br_if $scaleDone (i32.ge_u (local.get $i) (local.get $vecs)))
            (local.set $a (i32.add (local.get $pd) (i32.shl (local.get $i) (i32.const 4))))
            (v128.store offset=0 (local.get $a) (f32x4.mul (v128.load offset=0 (local.get $a)) (local.get $inv)))
            (v128.store offset=16 (local.get $a) (f32x4.mul (v128.load offset=16 (local.get $a)) (local.get $inv)))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $scale))))
        (else
          (local.set $c (f64x2.splat (f64.promote_f32 (local.get $mx))))
          (local.set $inv (f64x2.splat (call $log (local.get $sum))))
          (block $logDone (loop $logLoop
            (br_if $logDone (i32.ge_u (local.get $i) (local.get $vecs)))
            (local.set $v (v128.load (i32.add (local.get $ps) (i32.shl (local.get $i) (i32.const 4)))))
            (v128.store (i32.add (local.get $pd) (i32.shl (local.get $i) (i32.const 4)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero (f64x2.sub (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (local.get $c)) (local.get $inv)))
                (f32x4.demote_f64x2_zero (f64x2.sub (f64x2.sub (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))) (local.get $c)) (local.get $inv)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $logLoop)))))
      (local.set $ps (i32.add (local.get $ps) (local.get $rowBytes)))
      (local.set $pd (i32.add (local.get $pd) (local.get $rowBytes)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rowLoop)))
  )
)
