/**
 * The staging heap behind the WebAssembly kernels: region views are reused (a staged call
 * allocates no view once its sizes are known), renewed when the memory grows, and bounded.
 */
import { StagingHeap } from '../../../src/ops/kernels/wasm/staging';

describe('StagingHeap', () => {
  test('copies in and out through the memory, reusing one view per region', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new StagingHeap(memory);
    heap.reserve(100);
    const src = Float32Array.from({ length: 10 }, (_, i) => i + 0.5);
    heap.copyIn(20, src, 2, 5);
    expect(Array.from(new Float32Array(memory.buffer, 80, 5))).toEqual([2.5, 3.5, 4.5, 5.5, 6.5]);
    heap.copyIn(40, src, 0, 10); // whole array: no view needed
    const dst = new Float32Array(12);
    heap.copyOut(40, 10, dst, 1);
    expect(Array.from(dst)).toEqual([0, ...Array.from(src), 0]);
    expect(heap.view(40, 10)).toBe(heap.view(40, 10));
    expect(heap.view(40, 10)).not.toBe(heap.view(40, 9));
  });

  test('growth renews the views (the old buffer is detached)', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new StagingHeap(memory);
    heap.reserve(10);
    const before = heap.view(0, 10);
    const floats = heap.reserve(3 * 16384 + 1); // more than one 64 KiB page
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual((3 * 16384 + 1) * 4);
    expect(floats.length).toBe(memory.buffer.byteLength / 4);
    const after = heap.view(0, 10);
    expect(after).not.toBe(before);
    expect(after.buffer).toBe(memory.buffer);
    expect(heap.f64.buffer).toBe(memory.buffer);
  });

  test('keeps a bounded number of views', () => {
    const heap = new StagingHeap(new WebAssembly.Memory({ initial: 1 }));
    heap.reserve(4096);
    const first = heap.view(0, 1);
    for (let n = 2; n <= 600; n++) heap.view(0, n);
    // The cache started afresh after 512 views, so the first one is made anew.
    expect(heap.view(0, 1)).not.toBe(first);
    expect(heap.view(0, 600)).toBe(heap.view(0, 600));
  });
});
