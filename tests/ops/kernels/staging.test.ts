/**
 * The staging heap behind the WebAssembly kernels: region views are reused (a staged call
 * allocates no view once its sizes are known), renewed when the memory grows, and bounded.
 */
import { StagingHeap } from '../../../src/backend/wasm/staging';

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

  test('keeps views for a bounded number of offsets', () => {
    const heap = new StagingHeap(new WebAssembly.Memory({ initial: 1 }));
    heap.reserve(4096);
    const first = heap.view(0, 1);
    expect(heap.view(0, 1)).toBe(first);
    for (let at = 1; at <= 300; at++) heap.view(at, 1);
    // The cache started afresh after 256 offsets, so the first view is made anew.
    expect(heap.view(0, 1)).not.toBe(first);
    expect(heap.view(300, 1)).toBe(heap.view(300, 1));
  });

  test('stages part of a source array, whole or in chunks, with the same values', () => {
    const heap = new StagingHeap(new WebAssembly.Memory({ initial: 1 }));
    const floats = heap.reserve(64);
    const src = Float32Array.from({ length: 40 }, (_, i) => i * 2 + 1);
    for (let round = 0; round < 2; round++) {
      for (let start = 0; start < 40; start += 16) heap.copyIn(start, src, start, Math.min(16, 40 - start));
      expect(Array.from(floats.subarray(0, 40))).toEqual(Array.from(src));
      floats.fill(0);
    }
  });
});
