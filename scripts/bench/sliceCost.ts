// The slice's cost on long recordings: a program of ~100k and ~1M line events recorded whole (max
// steps above its length), then the slice index, the backward slice from the failing point and the
// NExT rendering by the slice, each timed, with the heap they add. Printed, never asserted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { renderNext } from '../../src/core/render/next';
import { backwardSlice, failingEvent, sliceIndexOf } from '../../src/core/slice/slice';
import { recordTrace } from '../../src/core/trace/record';

/** A loop whose wrong total is made in a helper long before the assertion fails. */
const program = (n: number) => `class Acc:
    def __init__(self):
        self.items = []
        self.total = 0

    def add(self, x):
        self.items.append(x % 7)
        self.total += x % 7 if x % 1000 else x


def fill(acc, n):
    for i in range(n):
        if i % 3 == 0:
            acc.add(i)
        else:
            acc.total += 0
    return acc


acc = fill(Acc(), ${n})
assert acc.total == sum(acc.items), acc.total
`;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function heap(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed;
}

export async function sliceCost(python?: string): Promise<void> {
  console.log('\n## Slice cost on long recordings (recorded whole; times of this process)');
  console.log('events     record s  index ms  index heap  slice ms  slice events  render ms');
  for (const n of [25_000, 250_000]) {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfx-slice-cost-'));
    try {
      const file = path.join(dir, 'long.py');
      writeFileSync(file, program(n));
      const t0 = Date.now();
      const trace = await recordTrace({
        target: { kind: 'script', path: file },
        cwd: dir,
        limits: { maxSteps: 5_000_000, timeoutMs: 900_000 },
        ...(python ? { python } : {}),
      });
      const recordS = ((Date.now() - t0) / 1000).toFixed(1);
      const h0 = heap();
      const t1 = performance.now();
      const idx = sliceIndexOf(trace);
      const indexMs = performance.now() - t1;
      const indexHeap = heap() - h0;
      const t2 = performance.now();
      const s = backwardSlice(trace, failingEvent(trace, idx));
      const sliceMs = performance.now() - t2;
      const t3 = performance.now();
      renderNext(trace, { budget: 6000 });
      const renderMs = performance.now() - t3;
      console.log(
        `${String(trace.events.length).padEnd(11)}${recordS.padEnd(10)}${indexMs.toFixed(0).padEnd(10)}${mb(indexHeap).padEnd(12)}${sliceMs.toFixed(0).padEnd(10)}${String(s.order.length).padEnd(14)}${renderMs.toFixed(0)}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
