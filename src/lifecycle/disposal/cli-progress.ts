// SPDX-License-Identifier: Apache-2.0
/** @module The progress bar of long disposal work, on stderr and only on a terminal. */

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export async function progressBar(label: string): Promise<Progress> {
  if (process.stderr.isTTY !== true) {
    return { update: () => undefined, stop: () => undefined };
  }
  // cli-progress loads only when a progress bar is drawn (a terminal on stderr).
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  const bar = new SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {percentage}% {value}/{total} subjects` },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) {
        bar.stop();
      }
    },
  };
}
