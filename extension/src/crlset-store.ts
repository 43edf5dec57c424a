// Chrome's CRLSet as the engine last put it in force, in IndexedDB beside
// the CRLite filters and the CRLs: the raw `crl-set` file (as Chrome keeps
// it in its profile's CertificateRevocation folder), the version the
// update server named and when it was fetched. One record, replaced whole
// by each sync that brings a newer set; read at start and handed to
// `Engine.setCrlset`, which says whether it still reads.

import { bytes, request, transaction, type Database } from './idb';

const SETS = 'sets';
const KEY = 'in-force';

const DATABASE: Database = {
  name: 'revoscope-crlset',
  version: 1,
  stores: [SETS],
  upgrade: (db) => {
    if (!db.objectStoreNames.contains(SETS)) db.createObjectStore(SETS);
  },
  label: 'CRLSet database',
};

/** The stored set. Times in ms since the epoch. */
export interface StoredCrlset {
  bytes: Uint8Array;
  /** The component version the update server offered, if it named one. */
  version: string | null;
  fetchedAt: number;
}

/** The stored set, or null when none is stored or the record is damaged. */
export function readCrlset(): Promise<StoredCrlset | null> {
  return transaction(DATABASE, 'readonly', 'read the stored CRLSet', async (sets) => {
    const value = await request(sets.get(KEY)) as Record<string, unknown> | undefined;
    const stored = bytes(value?.bytes);
    if (!value || !stored || typeof value.fetchedAt !== 'number') return null;
    return { bytes: stored, version: typeof value.version === 'string' ? value.version : null, fetchedAt: value.fetchedAt };
  });
}

/** Replaces the stored set, in one transaction. */
export function writeCrlset(set: StoredCrlset): Promise<void> {
  return transaction(DATABASE, 'readwrite', 'store the CRLSet', (sets) => {
    sets.put(set, KEY);
  });
}

/** Deletes the stored set (the engine refused it). */
export function deleteCrlset(): Promise<void> {
  return transaction(DATABASE, 'readwrite', 'delete the stored CRLSet', (sets) => {
    sets.delete(KEY);
  });
}
