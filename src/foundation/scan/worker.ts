// SPDX-License-Identifier: Apache-2.0
/**
 * @module A residual-scan worker thread (parallel.ts): rebuilds the canary scanner from the
 * canaries it is given and scans file ranges on request, posting progress and hits back. It only
 * ever sees canaries through `workerData` (never argv) and posts no canary value.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { adoptKernelModule, type KernelModule } from './kernel.js';
import type { Canary } from './needles.js';
import { CanaryScanner } from './service.js';
import type { RangeTask, WorkerReply } from './parallel.js';

const port = parentPort;
if (port === null) {
  throw new TypeError('scan worker must run in a worker thread');
}
// The index is built while the main thread compiles the kernel; the kernel arrives as the first
// message, before any task.
const scanner = new CanaryScanner((workerData as { canaries: Canary[] }).canaries);
scanner.prepare();
port.postMessage({ type: 'ready' } satisfies WorkerReply);
port.on('message', (msg: RangeTask | { kernel: KernelModule; wat: string }) => {
  if ('kernel' in msg) {
    adoptKernelModule(msg.kernel, msg.wat);
    return;
  }
  const task = msg;
  const post = (m: WorkerReply) => port.postMessage(m);
  scanner
    .scanRange(task.path, task.from, task.to, {
      ...(task.chunkSize === undefined ? {} : { chunkSize: task.chunkSize }),
      maxHits: task.maxHits,
      onChunk: (bytes) => post({ type: 'progress', bytes }),
    })
    .then(
      (r) => post({ type: 'done', task: task.id, ...r }),
      (err: unknown) => {
        const code = (err as NodeJS.ErrnoException).code;
        post({
          type: 'error',
          task: task.id,
          error: typeof code === 'string' ? code : 'read failed',
        });
      },
    );
});
