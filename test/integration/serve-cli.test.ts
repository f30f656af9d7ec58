// `retake serve` as a user starts it: the listener lines it prints, port 0, --no-http, and its log
// format when stderr is not a terminal. Each case is a real child process on a fresh data folder.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { fetch } from 'undici'
import { BIN, cleanEnv, ROOT, startServeProcess, type ServeProcess } from '../helpers/serve-process.js'

const run = promisify(execFile)
const ECHO = '/services/rest?method=flickr.test.echo&format=json&nojsoncallback=1'

/** The Flickr envelope an HTTPS listener answers with (unsigned, so a failure envelope is fine too). */
async function restStat(server: ServeProcess): Promise<unknown> {
  const response = await fetch(`${server.url}${ECHO}`, { dispatcher: server.dispatcher })
  return ((await response.json()) as { stat?: unknown }).stat
}

describe('retake serve', () => {
  const dataDirs: string[] = []
  const servers: ServeProcess[] = []
  after(async () => {
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL')
      await server.exited
      await server.dispatcher.close()
    }
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
  })

  async function serve(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'retake-serve-cli-'))
    dataDirs.push(dataDir)
    const server = await startServeProcess(dataDir, args, { RETAKE_LOG_LEVEL: 'info', ...env })
    servers.push(server)
    return server
  }

  /** SIGTERM, then everything it printed: the output is complete once the process has exited. */
  async function stop(server: ServeProcess): Promise<{ stdoutLines: string[]; stderrLines: string[] }> {
    server.child.kill('SIGTERM')
    assert.deepEqual(await server.exited, { code: 0, signal: null }, `SIGTERM exits 0; stderr: ${server.stderr()}`)
    const lines = (text: string) => text.split('\n').filter(Boolean)
    return { stdoutLines: lines(server.stdout()), stderrLines: lines(server.stderr()) }
  }

  it('--https-port 0 --http-port 0: prints both real ports, and both listeners answer', async () => {
    const server = await serve(['--https-port', '0', '--http-port', '0'])
    const httpUrl = await server.stdoutLine(/^http:\/\/\S+$/, 'its plain-HTTP URL')
    for (const url of [server.url, httpUrl]) assert.match(url, /^https?:\/\/127\.0\.0\.1:\d+$/)
    for (const url of [server.url, httpUrl]) assert.notEqual(new URL(url).port, '0', `${url} is the real port`)

    assert.match(String(await restStat(server)), /^(ok|fail)$/)
    // The plain listener is real: an API call there is refused with 95, a page is redirected to HTTPS.
    const plainApi = await fetch(`${httpUrl}${ECHO}`)
    assert.equal((await plainApi.json() as { code?: number }).code, 95)
    const plainPage = await fetch(`${httpUrl}/`, { redirect: 'manual' })
    assert.equal(plainPage.status, 301)
    assert.equal(new URL(plainPage.headers.get('location')!).port, new URL(server.url).port, 'redirected to the real HTTPS port')

    const { stdoutLines, stderrLines } = await stop(server)
    assert.deepEqual(stdoutLines, [server.url, httpUrl], 'stdout holds exactly the listener URLs')
    // stderr is a pipe here, not a terminal: logFormat auto means JSON lines.
    assert.ok(stderrLines.length > 0, 'info-level start-up lines on stderr')
    for (const line of stderrLines) assert.doesNotThrow(() => JSON.parse(line), `not a JSON log line: ${line}`)
  })

  it('--no-http: only the HTTPS listener, and only its line is printed', async () => {
    const server = await serve(['--https-port', '0', '--no-http'], { RETAKE_HTTP_PORT: '8080' })
    assert.match(String(await restStat(server)), /^(ok|fail)$/)
    const { stdoutLines } = await stop(server)
    assert.deepEqual(stdoutLines, [server.url], 'the flag wins over RETAKE_HTTP_PORT: no plain-HTTP line')
  })

  it('RETAKE_LOG_FORMAT=pretty: human-readable log lines on stderr even without a terminal', async () => {
    const server = await serve(['--https-port', '0', '--no-http'], { RETAKE_LOG_FORMAT: 'pretty' })
    const { stderrLines } = await stop(server)
    const listening = stderrLines.find((line) => line.includes(`Server listening at ${server.url}`))
    assert.ok(listening, `no start-up line in: ${stderrLines.join('\n')}`)
    assert.match(listening, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: /, 'a timestamp and a level, no colour codes off a terminal')
  })

  it('--no-http with --http-port is refused before anything starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'retake-serve-cli-'))
    dataDirs.push(dataDir)
    const args = [BIN, 'serve', '--data', dataDir, '--no-http', '--http-port', '8080']
    await assert.rejects(run(process.execPath, args, { cwd: ROOT, env: cleanEnv(), timeout: 30_000 }), (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 1)
      assert.match(error.stderr ?? '', /'--no-http' cannot be used with option '--http-port/)
      return true
    })
  })
})
