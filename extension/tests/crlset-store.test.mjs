// The extension's CRLSet store (extension/src/crlset-store.ts over idb.ts)
// in headless Chromium's IndexedDB, on a page of 127.0.0.1 (an origin of
// its own, as the extension's is): one set, replaced whole, still there
// after a browser restart; a damaged record read as none; deleted. The
// engine's side (what goes in, what comes back) is
// crate/wasm/tests/crlset.test.mjs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { storePage } from '../../scripts/browser/store-page.mjs';

const { inPage, close } = await storePage('crlset-store.ts');
after(close);

test('one set is kept, replaced whole, read back after a restart, and a damaged one reads as none', async () => {
  const first = await inPage(async (store) => {
    const none = await store.readCrlset();
    await store.writeCrlset({ bytes: new Uint8Array([1, 2, 3]), version: '8001', fetchedAt: 1_000 });
    await store.writeCrlset({ bytes: new Uint8Array([4, 5]), version: null, fetchedAt: 2_000 });
    const read = await store.readCrlset();
    return { none, read: { ...read, bytes: [...read.bytes] } };
  });
  assert.equal(first.none, null);
  assert.deepEqual(first.read, { bytes: [4, 5], version: null, fetchedAt: 2_000 });

  const restarted = await inPage(async (store) => {
    const kept = await store.readCrlset();
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('revoscope-crlset');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('sets', 'readwrite');
      tx.objectStore('sets').put({ bytes: 'not bytes', fetchedAt: 5 }, 'in-force');
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    const damaged = await store.readCrlset();
    await store.deleteCrlset();
    const deleted = await store.readCrlset();
    return { kept: [...kept.bytes], damaged, deleted };
  });
  assert.deepEqual(restarted, { kept: [4, 5], damaged: null, deleted: null });
});
