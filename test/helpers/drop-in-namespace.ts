import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureDropInTls } from '../../src/drop-in/certificates.js'
import { hostsFileLines } from '../../src/drop-in/hosts.js'
import { cleanEnv, ROOT } from './serve-process.js'

// Real programs with flickr.com compiled in, run unmodified against `retake serve --drop-in` inside a
// private network and mount namespace: there `lo` is the only network, /etc/hosts sends Flickr's names
// to 127.0.0.1 and the system CA bundle also trusts the drop-in CA. Both files are bind-mounted over
// the real ones inside the namespace only: the machine's own files are never touched.

const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'

/** Why namespaces cannot be used here (for `describe(…, { skip })`); under CI that is a failure. */
export function namespaceUnavailable(): string | undefined {
  // Exactly what each run needs first: a namespace of its own, with its loopback brought up.
  const probe = spawnSync('unshare', ['--net', '--mount', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' })
  const missing = probe.error ? `unshare: ${probe.error.message}` : probe.status !== 0 ? `unshare --net --mount (and ip link) refused: ${probe.stderr.trim()}` : undefined
  if (missing && process.env.CI) throw new Error(`CI is set and the drop-in namespace tests cannot run: ${missing}`)
  return missing
}

/** Why `program` cannot run (not installed), or undefined; under CI that is a failure too. */
export function programMissing(program: string, debianPackage: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).status === 0
  const missing = found ? undefined : `${program} not installed (apt-get install ${debianPackage})`
  if (missing && process.env.CI) throw new Error(`CI is set and ${missing}`)
  return missing
}

export interface NamespaceRun {
  code: number | null
  /** The client script's stdout */
  stdout: string
  stderr: string
  /** What `retake serve --drop-in` logged */
  serverLog: string
}

/**
 * Starts `retake serve --drop-in --data dataDir` inside a fresh namespace, waits for its URL line,
 * runs `clientScript` (bash) there and stops the server. The CA is made (or reused) first.
 */
export async function runInDropInNamespace(dataDir: string, clientScript: string, env: Record<string, string> = {}): Promise<NamespaceRun> {
  const tls = await ensureDropInTls(dataDir)
  const dir = mkdtempSync(join(tmpdir(), 'retake-ns-'))
  writeFileSync(join(dir, 'hosts'), ['127.0.0.1 localhost', '::1 localhost', ...hostsFileLines('127.0.0.1'), ''].join('\n'))
  writeFileSync(join(dir, 'ca-bundle.crt'), `${readFileSync(SYSTEM_BUNDLE, 'utf8')}\n${readFileSync(tls.files.caCert, 'utf8')}`)
  const script = `
set -eu
ip link set lo up
mount --bind "$NS/hosts" /etc/hosts
mount --bind "$NS/ca-bundle.crt" ${SYSTEM_BUNDLE}
cd "$ROOT"
./bin/retake serve --drop-in --data "$DATA" >"$NS/serve.out" 2>"$NS/serve.log" &
server=$!
for _ in $(seq 1 300); do grep -q '^https://' "$NS/serve.out" && break; kill -0 $server 2>/dev/null || break; sleep 0.1; done
grep -q '^https://' "$NS/serve.out" || { echo "serve did not start" >&2; cat "$NS/serve.log" >&2; exit 90; }
set +e
( ${clientScript} )
status=$?
kill -TERM $server; wait $server
exit $status
`
  const child = spawn('unshare', ['--net', '--mount', 'bash', '-c', script], {
    cwd: ROOT,
    env: cleanEnv({ NS: dir, ROOT, DATA: dataDir, RETAKE_LOG_FORMAT: 'json', HOME: dir, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const code = await new Promise<number | null>((resolve) => child.once('close', (status) => resolve(status)))
  let serverLog = ''
  try {
    serverLog = readFileSync(join(dir, 'serve.log'), 'utf8')
  } catch {
    // the server never started; stderr says why
  }
  return { code, stdout, stderr, serverLog }
}
