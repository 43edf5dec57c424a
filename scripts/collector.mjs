// Starts the built `revoscope-collector` (collector/) on 127.0.0.1, for the
// demo and the browser tests. Its stderr lines, one per request with no
// address or report id (`POST /v1/reports 201 stored`), go to `log`.
import { execFileSync, spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// A target directory of its own: built in the shared one, the collector
// (which takes the engine without its default features) and the demo's
// tools (`cargo run -p revoscope --example ...`, with them) would rebuild
// the engine in turn, 40 s each time.
const TARGET = join(root, 'target/collector');
export const COLLECTOR = join(TARGET, 'release/revoscope-collector');

/** Builds the collector (a no-op when it is up to date). */
export function buildCollector() {
  execFileSync('cargo', ['build', '-q', '--release', '-p', 'revoscope-collector', '--target-dir', TARGET], {
    cwd: root, stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PATH: `${join(homedir(), '.cargo/bin')}:${process.env.PATH}` },
  });
}

/**
 * `db`: the SQLite file; `port` 0 takes any free one; `k`: the smallest
 * number of reports a published cell needs; `dashboard`: a folder served
 * at /dashboard/ (dist/public). Resolves {url, port, log, stop()} once it
 * listens.
 */
export async function startCollector(db, { port = 0, k = 1, dashboard, log = [] } = {}) {
  const args = ['--db', db, '--listen', `127.0.0.1:${port}`, '--k', String(k)];
  if (dashboard) args.push('--dashboard', dashboard);
  const child = spawn(COLLECTOR, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let buffered = '';
  const listening = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the collector exited (${code}): ${log.join('\n')}${buffered}`)));
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        log.push(line);
        const m = line.match(/listening on (http:\/\/\S+)/);
        if (m) resolve(m[1]);
      }
    });
  });
  const url = await listening;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    port: Number(new URL(url).port),
    log,
    stop: async () => { child.kill('SIGTERM'); await exited; },
  };
}

/** The POST lines of a collector's log. */
export const posts = (log) => log.filter((line) => line.startsWith('POST /v1/reports'));
