// The extension's CRL store (extension/src/crl-store.ts over idb.ts) in
// headless Chromium's IndexedDB, on a page of 127.0.0.1 (an origin of its
// own, as the extension's is): lists stored by URL, the least recently
// fetched going first beyond MAX_STORED_CRLS, a damaged record read as
// such, deletions, and everything still there after a browser restart.
// The engine's side (what goes in, what comes back) is
// crate/wasm/tests/crl.test.mjs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { storePage } from '../../scripts/browser/store-page.mjs';

const { inPage, close } = await storePage('crl-store.ts');
after(close);

const url = (i) => `http://ca.example/crl/${i}.crl`;

test('lists are kept by URL up to MAX_STORED_CRLS, the least recently fetched going first, across a restart', async () => {
  const written = await inPage(async (store, total) => {
    const list = (i) => ({ url: `http://ca.example/crl/${i}.crl`, fetched_at: 1_000 + i, usable_until: 9_000 + i, bytes: new Uint8Array([i & 255, 7]) });
    // In three writes, newest first in the last: the bound holds across them.
    const order = [...Array(total).keys()];
    for (const batch of [order.slice(0, 100), order.slice(100, 200), order.slice(200).reverse()]) {
      await store.writeLists(batch.map(list));
    }
    // The same URL again replaces its list.
    await store.writeLists([{ ...list(299), bytes: new Uint8Array([1, 2, 3]) }]);
    const read = await store.readLists();
    return { max: store.MAX_STORED_CRLS, read: read.map((r) => [r.url, r.list.fetchedAt, r.list.usableUntil, [...r.list.bytes]]) };
  }, 300);
  assert.equal(written.max, 256);
  assert.equal(written.read.length, 256);
  const kept = new Map(written.read.map(([u, ...rest]) => [u, rest]));
  for (let i = 0; i < 300; i += 1) assert.equal(kept.has(url(i)), i >= 44, url(i));
  assert.deepEqual(kept.get(url(100)), [1_100, 9_100, [100, 7]]);
  assert.deepEqual(kept.get(url(299)), [1_299, 9_299, [1, 2, 3]]);

  // A restarted browser: the lists are there; a damaged record reads as
  // none (engine.ts then deletes it with the ones the engine refuses).
  const restarted = await inPage(async (store) => {
    const before = (await store.readLists()).length;
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('revoscope-crls');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('lists', 'readwrite');
      tx.objectStore('lists').put({ bytes: 'not bytes', fetchedAt: 5 }, 'http://ca.example/crl/damaged.crl');
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    const damaged = (await store.readLists()).find((r) => r.url.endsWith('damaged.crl'));
    await store.deleteLists(['http://ca.example/crl/damaged.crl', 'http://ca.example/crl/44.crl']);
    const after = await store.readLists();
    return { before, damaged, after: after.map((r) => r.url) };
  });
  assert.equal(restarted.before, 256);
  assert.deepEqual(restarted.damaged, { url: 'http://ca.example/crl/damaged.crl', list: null });
  assert.equal(restarted.after.length, 255);
  assert.ok(!restarted.after.includes(url(44)));
});
