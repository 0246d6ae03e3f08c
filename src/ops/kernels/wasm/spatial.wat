;; Convolution and pooling data movement: im2col, its adjoint col2im, and max pooling forward and
;; backward, with exactly the loops and layouts of ../im2col.ts and ../../nn/pooling.ts (see there
;; for the definitions), so results are bit for bit those of the plain versions. Scalar code: the
;; work is gathers and scatters, which plain JavaScript runs at 2-5 ns per element here and
;; WebAssembly at a fraction of that. Pointers are byte offsets into this module's memory; sizes
;; and strides count floats. im2col stores up to 3 floats past its column buffer and reads up to 3
;; past the images: callers leave 4 floats of slack after each.
(module
  (memory (export "memory") 1)

  ;; ceil(a / b) for b > 0 (div_s truncates toward zero, which is the ceiling for negative a).
  (func $ceilDiv (param $a i32) (param $b i32) (result i32)
    (if (result i32) (i32.ge_s (local.get $a) (i32.const 0))
      (then (i32.div_s (i32.add (local.get $a) (i32.sub (local.get $b) (i32.const 1))) (local.get $b)))
      (else (i32.div_s (local.get $a) (local.get $b)))))

;; n floats of zeros from p, a vector at a time: up to 3 floats past the end are zeroed too, which
;; the column walk allows (it writes in increasing order, so later stores overwrite them, and the
;; caller leaves slack after the buffer).
  (func $zero (param $p i32) (param $n i32)
    (block $done (loop $next (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
      (v128.store (local.get $p) (v128.const i32x4 0 0 0 0))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $n (i32.sub (local.get $n) (i32.const 4)))
      (br $next))))

  (func $min (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.lt_s (local.get $a) (local.get $b))))

  (func $max (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.gt_s (local.get $a) (local.get $b))))

  ;; Column rows (c, ki, kj) of `samples` images `sampleStride` floats apart, each row holding the
  ;; samples' outH * outW positions side by side (row stride samples * outH * outW). With add = 0
  ;; the windows are copied from src to dst (im2col, padding as zeros); with add = 1 they are added
  ;; from dst back into src (col2im, padding dropped): one walk serves both directions.
  (func $walk (param $img i32) (param $col i32) (param $channels i32) (param $height i32) (param $width i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32)
    (param $dh i32) (param $dw i32) (param $outH i32) (param $outW i32) (param $samples i32) (param $sampleStride i32)
    (param $add i32)
    (local $c i32) (local $ki i32) (local $kj i32) (local $s i32) (local $y i32) (local $x i32)
    (local $first i32) (local $lo i32) (local $hi i32) (local $iy i32) (local $plane i32) (local $line i32)
    (local $at i32) (local $src i32) (local $step i32) (local $outBytes i32)
    (local.set $step (i32.shl (local.get $sw) (i32.const 2)))
    (local.set $outBytes (i32.shl (local.get $outW) (i32.const 2)))
    (local.set $at (local.get $col))
    (local.set $c (i32.const 0))
    (block $cDone (loop $cLoop (br_if $cDone (i32.ge_u (local.get $c) (local.get $channels)))
      (local.set $ki (i32.const 0))
      (block $kiDone (loop $kiLoop (br_if $kiDone (i32.ge_u (local.get $ki) (local.get $kh)))
        (local.set $kj (i32.const 0))
        (block $kjDone (loop $kjLoop (br_if $kjDone (i32.ge_u (local.get $kj) (local.get $kw)))
          ;; output columns whose input column x*sw + first lies in [0, width)
          (local.set $first (i32.sub (i32.mul (local.get $kj) (local.get $dw)) (local.get $pw)))
          (local.set $lo (call $min (local.get $outW) (call $max (i32.const 0) (call $ceilDiv (i32.sub (i32.const 0) (local.get $first)) (local.get $sw)))))
          (local.set $hi (call $max (local.get $lo) (call $min (local.get $outW) (call $ceilDiv (i32.sub (local.get $width) (local.get $first)) (local.get $sw)))))
          (local.set $s (i32.const 0))
          (block $sDone (loop $sLoop (br_if $sDone (i32.ge_u (local.get $s) (local.get $samples)))
            (local.set $plane (i32.add (local.get $img) (i32.shl (i32.add (i32.mul (local.get $s) (local.get $sampleStride))
              (i32.mul (local.get $c) (i32.mul (local.get $height) (local.get $width)))) (i32.const 2))))
            (local.set $y (i32.const 0))
            (block $yDone (loop $yLoop (br_if $yDone (i32.ge_u (local.get $y) (local.get $outH)))
              (local.set $iy (i32.add (i32.sub (i32.mul (local.get $y) (local.get $sh)) (local.get $ph)) (i32.mul (local.get $ki) (local.get $dh))))
              (if (i32.or (i32.lt_s (local.get $iy) (i32.const 0)) (i32.ge_s (local.get $iy) (local.get $height)))
                (then (if (i32.eqz (local.get $add)) (then (call $zero (local.get $at) (local.get $outW)))))
                (else
                  (local.set $line (i32.add (local.get $plane) (i32.shl (i32.add (i32.mul (local.get $iy) (local.get $width)) (local.get $first)) (i32.const 2))))
                  (local.set $src (i32.add (local.get $line) (i32.mul (local.get $lo) (local.get $step))))
                  (local.set $x (local.get $lo))
                  (if (local.get $add)
                    (then
                      (block $aDone (loop $aLoop (br_if $aDone (i32.ge_s (local.get $x) (local.get $hi)))
                        (f32.store (local.get $src) (f32.add (f32.load (local.get $src))
                          (f32.load (i32.add (local.get $at) (i32.shl (local.get $x) (i32.const 2))))))
                        (local.set $src (i32.add (local.get $src) (local.get $step)))
                        (local.set $x (i32.add (local.get $x) (i32.const 1)))
                        (br $aLoop))))
                    (else
                      ;; runs are short (the output width): plain loops beat memory.copy/fill's call cost
                      (call $zero (local.get $at) (local.get $lo))
                      (if (i32.eq (local.get $sw) (i32.const 1))
                        (then
                          ;; contiguous: whole vectors, the last one running up to 3 floats over
                          (block $vDone (loop $vLoop (br_if $vDone (i32.ge_s (local.get $x) (local.get $hi)))
                            (v128.store (i32.add (local.get $at) (i32.shl (local.get $x) (i32.const 2))) (v128.load (local.get $src)))
                            (local.set $src (i32.add (local.get $src) (i32.const 16)))
                            (local.set $x (i32.add (local.get $x) (i32.const 4)))
                            (br $vLoop))))
                        (else
                          (block $cpDone (loop $cpLoop (br_if $cpDone (i32.ge_s (local.get $x) (local.get $hi)))
                            (f32.store (i32.add (local.get $at) (i32.shl (local.get $x) (i32.const 2))) (f32.load (local.get $src)))
                            (local.set $src (i32.add (local.get $src) (local.get $step)))
                            (local.set $x (i32.add (local.get $x) (i32.const 1)))
                            (br $cpLoop)))))
                      (call $zero (i32.add (local.get $at) (i32.shl (local.get $hi) (i32.const 2))) (i32.sub (local.get $outW) (local.get $hi)))))))
              (local.set $at (i32.add (local.get $at) (local.get $outBytes)))
              (local.set $y (i32.add (local.get $y) (i32.const 1)))
              (br $yLoop)))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $sLoop)))
          (local.set $kj (i32.add (local.get $kj) (i32.const 1)))
          (br $kjLoop)))
        (local.set $ki (i32.add (local.get $ki) (i32.const 1)))
        (br $kiLoop)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cLoop)))
  )

  (func (export "im2col") (param $img i32) (param $col i32) (param $channels i32) (param $height i32) (param $width i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32)
    (param $dh i32) (param $dw i32) (param $outH i32) (param $outW i32) (param $samples i32) (param $sampleStride i32)
    (call $walk (local.get $img) (local.get $col) (local.get $channels) (local.get $height) (local.get $width) (local.get $kh) (local.get $kw)
      (local.get $sh) (local.get $sw) (local.get $ph) (local.get $pw) (local.get $dh) (local.get $dw) (local.get $outH) (local.get $outW)
      (local.get $samples) (local.get $sampleStride) (i32.const 0)))

  (func (export "col2im") (param $img i32) (param $col i32) (param $channels i32) (param $height i32) (param $width i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32)
    (param $dh i32) (param $dw i32) (param $outH i32) (param $outW i32) (param $samples i32) (param $sampleStride i32)
    (call $walk (local.get $img) (local.get $col) (local.get $channels) (local.get $height) (local.get $width) (local.get $kh) (local.get $kw)
      (local.get $sh) (local.get $sw) (local.get $ph) (local.get $pw) (local.get $dh) (local.get $dw) (local.get $outH) (local.get $outW)
      (local.get $samples) (local.get $sampleStride) (i32.const 1)))

  ;; Max pooling over `planes` planes of height x width into outH x outW windows (clipped to the
  ;; data; the max starts at float32's lowest value, NaN never wins). backward = 0: out (acc: +=)
  ;; the window max. backward = 1: grad[first position equal to y[o]] += head[o] (grad holds zeros
  ;; or what to add to), with `x` the data, `y` the forward output, `out` the head gradient.
  (func (export "max_pool") (param $x i32) (param $out i32) (param $y i32) (param $grad i32) (param $planes i32)
    (param $height i32) (param $width i32) (param $outH i32) (param $outW i32) (param $kh i32) (param $kw i32)
    (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32) (param $acc i32) (param $backward i32)
    (local $c i32) (local $oy i32) (local $ox i32) (local $h0 i32) (local $h1 i32) (local $w0 i32) (local $w1 i32)
    (local $i i32) (local $j i32) (local $base i32) (local $row i32) (local $v f32) (local $e f32) (local $target f32) (local $o i32)
    (local $from i32)
    (block $cDone (loop $cLoop (br_if $cDone (i32.ge_u (local.get $c) (local.get $planes)))
      (local.set $base (i32.add (local.get $x) (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $height) (local.get $width))) (i32.const 2))))
      (local.set $oy (i32.const 0))
      (block $oyDone (loop $oyLoop (br_if $oyDone (i32.ge_u (local.get $oy) (local.get $outH)))
        (local.set $from (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $ph)))
        (local.set $h0 (call $max (local.get $from) (i32.const 0)))
        (local.set $h1 (call $min (i32.add (local.get $from) (local.get $kh)) (local.get $height)))
        (local.set $ox (i32.const 0))
        (block $oxDone (loop $oxLoop (br_if $oxDone (i32.ge_u (local.get $ox) (local.get $outW)))
          (local.set $from (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $pw)))
          (local.set $w0 (select (local.get $from) (i32.const 0) (i32.gt_s (local.get $from) (i32.const 0))))
          (local.set $w1 (i32.add (local.get $from) (local.get $kw)))
          (local.set $w1 (select (local.get $w1) (local.get $width) (i32.lt_s (local.get $w1) (local.get $width))))
          (if (local.get $backward)
            (then
              (local.set $target (f32.load (i32.add (local.get $y) (i32.shl (local.get $o) (i32.const 2)))))
              (block $found
                (local.set $i (local.get $h0))
                (block $iDone (loop $iLoop (br_if $iDone (i32.ge_s (local.get $i) (local.get $h1)))
                  (local.set $row (i32.add (local.get $base) (i32.shl (i32.mul (local.get $i) (local.get $width)) (i32.const 2))))
                  (local.set $j (local.get $w0))
                  (block $jDone (loop $jLoop (br_if $jDone (i32.ge_s (local.get $j) (local.get $w1)))
                    (if (f32.eq (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))) (local.get $target))
                      (then
                        ;; the same offset in grad as in x: grad + (row - x) + 4j
                        (local.set $row (i32.add (i32.add (local.get $grad) (i32.sub (local.get $row) (local.get $x))) (i32.shl (local.get $j) (i32.const 2))))
                        (f32.store (local.get $row) (f32.add (f32.load (local.get $row))
                          (f32.load (i32.add (local.get $out) (i32.shl (local.get $o) (i32.const 2))))))
                        (br $found)))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $jLoop)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $iLoop)))))
            (else
              (local.set $v (f32.const -3.4028234663852886e38))
              (local.set $i (local.get $h0))
              (block $iDone (loop $iLoop (br_if $iDone (i32.ge_s (local.get $i) (local.get $h1)))
                (local.set $row (i32.add (local.get $base) (i32.shl (i32.mul (local.get $i) (local.get $width)) (i32.const 2))))
                (local.set $j (local.get $w0))
                (block $jDone (loop $jLoop (br_if $jDone (i32.ge_s (local.get $j) (local.get $w1)))
                  (local.set $e (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))
                  (if (f32.gt (local.get $e) (local.get $v)) (then (local.set $v (local.get $e))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br $jLoop)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $iLoop)))
              (local.set $row (i32.add (local.get $out) (i32.shl (local.get $o) (i32.const 2))))
              (if (local.get $acc) (then (local.set $v (f32.add (local.get $v) (f32.load (local.get $row))))))
              (f32.store (local.get $row) (local.get $v))))
          (local.set $o (i32.add (local.get $o) (i32.const 1)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $oxLoop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oyLoop)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cLoop)))
  )
)
