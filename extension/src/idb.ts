// The IndexedDB plumbing the extension's stores share (crlite-store.ts,
// crl-store.ts): opening a database, one transaction that resolves once
// committed, requests as Promises, and bytes read back. Each store says
// what it keeps; nothing here knows.

/** One database: its name, version, the object stores its transactions
 * span, how an older version is brought up to this one, and what it is
 * called in error messages. */
export interface Database {
  name: string;
  version: number;
  stores: string[];
  upgrade: (db: IDBDatabase) => void;
  label: string;
}

/** The failures of the stores carry what was being done. */
export class StoreError extends Error {
  readonly code = 'storage';
}

export function fail(doing: string, cause: unknown): StoreError {
  const why = cause instanceof Error || cause instanceof DOMException ? `${cause.name}: ${cause.message}` : String(cause);
  return new StoreError(`IndexedDB could not ${doing} (${why})`);
}

function opened(database: Database): Promise<IDBDatabase> {
  const doing = `open the ${database.label}`;
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = indexedDB.open(database.name, database.version);
    } catch (e) {
      reject(fail(doing, e));
      return;
    }
    request.onupgradeneeded = () => database.upgrade(request.result);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(fail(doing, request.error));
    request.onblocked = () => reject(fail(doing, 'another page holds an older version open'));
  });
}

/**
 * Runs `work` in one transaction over the database's stores (handed to it
 * in their order) and resolves when it has committed. IndexedDB commits a
 * transaction whole or not at all.
 */
export async function transaction<T>(
  database: Database, mode: IDBTransactionMode, doing: string,
  work: (...stores: IDBObjectStore[]) => Promise<T> | T,
): Promise<T> {
  const db = await opened(database);
  try {
    const tx = db.transaction(database.stores, mode);
    const committed = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(fail(doing, tx.error));
      tx.onabort = () => reject(fail(doing, tx.error ?? 'the transaction was aborted'));
    });
    let result: T;
    try {
      result = await work(...database.stores.map((name) => tx.objectStore(name)));
    } catch (e) {
      // A failed request may have aborted the transaction already.
      try { tx.abort(); } catch { /* already finished */ }
      await committed.catch(() => {});
      throw e instanceof StoreError ? e : fail(doing, e);
    }
    await committed;
    return result;
  } finally {
    db.close();
  }
}

export function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** Stored bytes, or null when what is stored is not bytes. */
export function bytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}
