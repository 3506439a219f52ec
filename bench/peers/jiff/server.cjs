// SPDX-License-Identifier: Apache-2.0
// Benchmark peer: a JIFF relay server (jiff-mpc 1.0.0) on 127.0.0.1, message encryption off, as
// measured in anchors/privacy.md §3. Prints {"ready":true,"port":N} once listening.
'use strict';
const http = require('http').Server();
const { JIFFServer } = require('jiff-mpc');
new JIFFServer(http, { logs: false, sodium: false });
http.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ ready: true, port: http.address().port }) + '\n');
});
