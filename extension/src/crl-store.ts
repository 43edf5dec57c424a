// The CRLs the engine fetched, in IndexedDB beside the CRLite filters, so
// that a restarted browser does not fetch again a list still in date. One
// object store, "lists", keyed by URL: each list in the engine's stored
// form (`Engine.storedCrl`: its metadata and sorted serial index, not the
// CRL), when it was fetched and its last usable moment. What is usable is
// the engine's to say: at load every stored list goes back through
// `Engine.putStoredCrl`, and the ones it refuses are deleted (engine.ts).
// At most MAX_STORED_CRLS are kept, the least recently fetched going first.

import { bytes, request, transaction, type Database } from './idb';
import type { StoredCrl } from './engine-types/StoredCrl';

const LISTS = 'lists';
const BY_FETCH = 'fetchedAt';

const DATABASE: Database = {
  name: 'revoscope-crls',
  version: 1,
  stores: [LISTS],
  upgrade: (db) => {
    if (!db.objectStoreNames.contains(LISTS)) db.createObjectStore(LISTS).createIndex(BY_FETCH, BY_FETCH);
  },
  label: 'CRL database',
};

/** Most lists kept: the engine's own bound (crl::MAX_CACHED_CRLS). */
export const MAX_STORED_CRLS = 256;

/** One stored list. Times in ms since the epoch. */
export interface StoredList {
  bytes: Uint8Array;
  fetchedAt: number;
  usableUntil: number;
}

/** A stored record as read: the list, or null when it is not one. */
export interface ReadList {
  url: string;
  list: StoredList | null;
}

function list(value: unknown): StoredList | null {
  if (typeof value !== 'object' || value === null) return null;
  const { bytes: stored, fetchedAt, usableUntil } = value as Record<string, unknown>;
  const b = bytes(stored);
  if (!b || typeof fetchedAt !== 'number' || typeof usableUntil !== 'number') return null;
  return { bytes: b, fetchedAt, usableUntil };
}

/** Every stored record, a damaged one as `list: null`. */
export function readLists(): Promise<ReadList[]> {
  return transaction(DATABASE, 'readonly', 'read the stored CRLs', async (lists) => {
    const keys = await request(lists.getAllKeys());
    const values = await request(lists.getAll());
    return keys.map((key, i) => ({ url: String(key), list: list(values[i]) }));
  });
}

/**
 * Stores the lists the engine handed out (`Engine.storedCrl`), replacing
 * those of the same URLs, then deletes the least recently fetched beyond
 * MAX_STORED_CRLS, in one transaction.
 */
export function writeLists(crls: StoredCrl[]): Promise<void> {
  return transaction(DATABASE, 'readwrite', 'store the CRLs', async (lists) => {
    for (const crl of crls) {
      const stored: StoredList = { bytes: crl.bytes, fetchedAt: crl.fetched_at, usableUntil: crl.usable_until };
      lists.put(stored, crl.url);
    }
    let over = (await request(lists.count())) - MAX_STORED_CRLS;
    if (over <= 0) return;
    // Oldest first, by key only (the bytes are not read). A record without
    // a fetchedAt is not in the index: loading deletes it.
    const cursor = lists.index(BY_FETCH).openKeyCursor();
    await new Promise<void>((resolve, reject) => {
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at || over <= 0) return resolve();
        lists.delete(at.primaryKey);
        over -= 1;
        at.continue();
      };
      cursor.onerror = () => reject(cursor.error);
    });
  });
}

/** Deletes the lists of these URLs (refused by the engine, or damaged). */
export function deleteLists(urls: string[]): Promise<void> {
  return transaction(DATABASE, 'readwrite', 'delete stored CRLs', (lists) => {
    for (const url of urls) lists.delete(url);
  });
}
