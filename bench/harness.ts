/**
 * A tiny benchmark harness: runs each contender's function interleaved (so machine noise hits all
 * of them alike), takes medians, and prints them with the mxts/peer ratio.
 */
export interface Contender {
  readonly name: string;
  /** One timed call; returns nothing, work must not be optimized away (write into outputs). */
  readonly run: () => void;
  readonly teardown?: () => void;
}

export interface Result {
  readonly name: string;
  readonly medianMs: number;
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Each round times `inner` calls of each contender in turn; the median over rounds is per call. */
export function measure(contenders: readonly Contender[], options: { rounds?: number; inner?: number; warmup?: number } = {}): Result[] {
  const { rounds = 15, inner = 1, warmup = 3 } = options;
  const samples = contenders.map(() => [] as number[]);
  for (let r = 0; r < warmup + rounds; r++) {
    contenders.forEach((c, i) => {
      const start = process.hrtime.bigint();
      for (let k = 0; k < inner; k++) c.run();
      const elapsed = Number(process.hrtime.bigint() - start) / 1e6 / inner;
      if (r >= warmup) samples[i]!.push(elapsed);
    });
  }
  contenders.forEach((c) => c.teardown?.());
  return contenders.map((c, i) => ({ name: c.name, medianMs: median(samples[i]!) }));
}

/** Prints medians (in the unit that reads best) and mxts's speed relative to each peer. */
export function report(title: string, results: readonly Result[], rate?: { unit: string; perCall: number }): void {
  console.log(`\n${title}`);
  const ours = results.find((r) => r.name.startsWith('mxts'))!;
  for (const r of results) {
    const time = r.medianMs >= 1 ? `${r.medianMs.toFixed(2)} ms` : `${(r.medianMs * 1000).toFixed(2)} µs`;
    const throughput = rate ? `  ${(rate.perCall / (r.medianMs / 1000)).toFixed(2)} ${rate.unit}` : '';
    const ratio = r === ours ? '' : `  mxts is ${(r.medianMs / ours.medianMs).toFixed(2)}x as fast`;
    console.log(`  ${r.name.padEnd(22)} ${time.padStart(12)}${throughput}${ratio}`);
  }
}
