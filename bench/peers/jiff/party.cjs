// SPDX-License-Identifier: Apache-2.0
// Benchmark peer: one JIFF party of a 3-party secure sum of n-element vectors: share_array, then
// element-wise sadd of the three shared arrays, then open_array (anchors/privacy.md §3). Prints
// {"ms": time from sharing to opening, "ok": correctness of the first element}.
'use strict';
const { JIFFClient } = require('jiff-mpc');
const [port, n, parties, computation] = process.argv
  .slice(2)
  .map((v, i) => (i === 3 ? v : Number(v)));
const input = Array.from({ length: n }, (_, i) => (i % 100) + 1);
const jiff = new JIFFClient(`http://127.0.0.1:${port}`, computation, {
  party_count: parties,
  crypto_provider: true,
  sodium: false,
  onConnect: async (instance) => {
    const start = process.hrtime.bigint();
    const shares = await instance.share_array(input, n);
    let sum = shares[1];
    for (let p = 2; p <= parties; p++) {
      sum = sum.map((s, j) => s.sadd(shares[p][j]));
    }
    const opened = await instance.open_array(sum);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    process.stdout.write(
      JSON.stringify({ ms, ok: Number(opened[0]) === parties * input[0] }) + '\n',
    );
    // Leave the process running: exiting early can cut off open messages the other parties still
    // need. The benchmark stops every party once all three have printed.
    instance.disconnect(true, true);
  },
});
void jiff;
