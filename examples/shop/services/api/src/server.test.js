import assert from 'node:assert/strict';
import { test } from 'node:test';
import { server } from './server.js';

test('healthz answers ok', async () => {
  await new Promise((resolve) => server.listen(0, resolve));
  const { port } = server.address();
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  assert.equal(res.status, 200);
  server.close();
});
