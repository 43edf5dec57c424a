// The CRLite filter files and what makes them a set, in IndexedDB: a full
// filter is megabytes, more than storage.local is meant for (and IndexedDB
// needs no permission). One database, two object stores: "files", the
// filters' bytes by SHA-256, and "meta", the set's index and the collection
// the last sync verified.
//
// A new set goes in with one transaction over both stores: the new files,
// then the index, then the files it no longer names deleted. IndexedDB
// commits a transaction whole or not at all, so a crash, a full disk or a
// closed browser mid-way leaves the last good set as it was. Nothing here
// deletes a file any other way: a set that fails to load stays on disk.

import { bytes, request, transaction as inDatabase, type Database } from './idb';

const FILES = 'files';
const META = 'meta';
const INDEX_KEY = 'index';
const DUMP_KEY = 'dump';

const DATABASE: Database = {
  name: 'revoscope-crlite',
  version: 1,
  stores: [FILES, META],
  upgrade: (db) => {
    if (!db.objectStoreNames.contains(FILES)) db.createObjectStore(FILES);
    if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
  },
  label: 'filter database',
};

/** What the meta store keeps: JSON text, as the engine handed it out. */
export interface StoredMeta {
  /** The index of the stored set (crlite::sync::StoredIndex). */
  index: string | null;
  /** The cert-revocations collection, the base of the next sync. */
  dump: string | null;
}

/** One downloaded filter file, as `Engine.syncCrlite` hands it out. */
export interface FilterFile {
  hash: string;
  bytes: Uint8Array;
}

/** Runs `work` in one transaction over both stores; resolves once committed. */
function transaction<T>(
  mode: IDBTransactionMode, doing: string, work: (files: IDBObjectStore, meta: IDBObjectStore) => Promise<T> | T,
): Promise<T> {
  return inDatabase(DATABASE, mode, doing, work);
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function readMeta(): Promise<StoredMeta> {
  return transaction('readonly', 'read the filter index', async (_, meta) => ({
    index: text(await request(meta.get(INDEX_KEY))),
    dump: text(await request(meta.get(DUMP_KEY))),
  }));
}

/** The stored files with these hashes; a missing one is left out. */
export function readFiles(hashes: string[]): Promise<Map<string, Uint8Array>> {
  return transaction('readonly', 'read the filter files', async (files) => {
    const found = new Map<string, Uint8Array>();
    const values = await Promise.all(hashes.map((hash) => request(files.get(hash))));
    values.forEach((value, i) => {
      const b = bytes(value);
      if (b) found.set(hashes[i], b);
    });
    return found;
  });
}

/** Every stored file: what a sync may reuse instead of downloading. */
export function readAllFiles(): Promise<Map<string, Uint8Array>> {
  return transaction('readonly', 'read the filter files', async (files) => {
    const keys = await request(files.getAllKeys());
    const values = await request(files.getAll());
    const found = new Map<string, Uint8Array>();
    keys.forEach((key, i) => {
      const b = bytes(values[i]);
      if (typeof key === 'string' && b) found.set(key, b);
    });
    return found;
  });
}

/**
 * Replaces the stored set in one transaction: `files` (the ones the
 * engine downloaded), then `index`, the collection `dump` if it changed,
 * and last the files `index` no longer names.
 */
export function writeSet(index: string, hashes: string[], files: FilterFile[], dump: string | null): Promise<void> {
  return transaction('readwrite', 'store the new filter set', async (fileStore, meta) => {
    for (const file of files) fileStore.put(file.bytes, file.hash);
    meta.put(index, INDEX_KEY);
    if (dump !== null) meta.put(dump, DUMP_KEY);
    const keep = new Set(hashes);
    const stored = await request(fileStore.getAllKeys());
    for (const key of stored) if (typeof key !== 'string' || !keep.has(key)) fileStore.delete(key);
  });
}

/** Keeps a newer collection when the set it selects did not change. */
export function writeDump(dump: string): Promise<void> {
  return transaction('readwrite', 'store the filter collection', (_, meta) => {
    meta.put(dump, DUMP_KEY);
  });
}

/** The file hashes an index names, in its order (crlite::sync::StoredIndex). */
export function indexHashes(index: string): string[] {
  const parsed = JSON.parse(index) as { filters?: { hash?: unknown }[] };
  if (!Array.isArray(parsed.filters)) throw new Error('the index names no filters');
  return parsed.filters.map((f, i) => {
    if (typeof f?.hash !== 'string') throw new Error(`filter ${i} of the index has no hash`);
    return f.hash;
  });
}
