// SPDX-License-Identifier: Apache-2.0
// Benchmark peer: one JIFF party of a 3-party secure sum of n-element vectors: share_array, then
// element-wise sadd of the three shared arrays, then open_array (anchors/privacy.md §3), repeated
// `reps` times on the same connected parties. Before each repetition a one-element share and open
// acts as a barrier, so every party starts its clock with the others connected and ready (the
// first party to connect does not time the others' start-up). Prints
// {"ms": [time from sharing to opening, per repetition], "ok": every opened first element right}.
'use strict';
const { JIFFClient } = require('jiff-mpc');
const [port, n, parties, computation, reps] = process.argv
  .slice(2)
  .map((v, i) => (i === 3 ? v : Number(v)));
const input = Array.from({ length: n }, (_, i) => (i % 100) + 1);

async function barrier(instance) {
  const s = await instance.share_array([1], 1);
  let sum = s[1][0];
  for (let p = 2; p <= parties; p++) {
    sum = sum.sadd(s[p][0]);
  }
  await instance.open(sum);
}

const jiff = new JIFFClient(`http://127.0.0.1:${port}`, computation, {
  party_count: parties,
  crypto_provider: true,
  sodium: false,
  onConnect: async (instance) => {
    const ms = [];
    let ok = true;
    for (let r = 0; r < (reps || 1); r++) {
      await barrier(instance);
      const start = process.hrtime.bigint();
      const shares = await instance.share_array(input, n);
      let sum = shares[1];
      for (let p = 2; p <= parties; p++) {
        sum = sum.map((s, j) => s.sadd(shares[p][j]));
      }
      const opened = await instance.open_array(sum);
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
      ok = ok && Number(opened[0]) === parties * input[0];
    }
    process.stdout.write(JSON.stringify({ ms, ok }) + '\n');
    // Leave the process running: exiting early can cut off open messages the other parties still
    // need. The benchmark stops every party once all three have printed.
    instance.disconnect(true, true);
  },
});
void jiff;
