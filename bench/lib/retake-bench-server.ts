// Shared pieces of the upload/replace benches: the real server as a child process (so its RSS is its
// own), a bare node:https ingest baseline, photo-like JPEGs, and a streamed, signed multipart client.
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { Agent, fetch } from 'undici'
import { parsePhotoResponse } from '../../test/helpers/photo-calls.js'
import { signedParams } from '../../test/helpers/oauth-client.js'
import type { TestApp, TestServer } from '../../test/helpers/start-server.js'

const run = promisify(execFile)
// RETAKE_BENCH_ROOT runs the server from another checkout (to compare a change against this tree).
const root = (): string => process.env.RETAKE_BENCH_ROOT ?? resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const MB = 1024 * 1024

/** "load 1.23 0.98 0.77": printed next to every figure, since other jobs share the machine. */
export function load(): string {
  return `load ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`
}

export function stats(millis: number[]): { median: number; p95: number; mean: number } {
  const sorted = [...millis].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN
  return { median: at(0.5), p95: at(0.95), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length }
}

/** Photo-like content (as bench/sizes.ts makes it): gradients and waves plus grain. */
export async function makePhotoJpeg(width: number, height: number, options: { seed?: number; grain?: number; quality?: number } = {}): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3)
  let seed = options.seed ?? 0x9e3779b9
  const grain = options.grain ?? 25
  const noise = (): number => {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return ((seed >>> 0) % grain) - (grain >> 1)
  }
  for (let y = 0; y < height; y++) {
    const wave = Math.sin(y / 90) * 40
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3
      const base = (x / width) * 120 + (y / height) * 60 + wave * Math.cos(x / 140)
      data[at] = Math.max(0, Math.min(255, 40 + base + noise()))
      data[at + 1] = Math.max(0, Math.min(255, 70 + base * 0.8 + noise()))
      data[at + 2] = Math.max(0, Math.min(255, 110 + base * 0.5 + noise()))
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: options.quality ?? 90 }).toBuffer()
}

export interface Credentials {
  consumer: { key: string; secret: string }
  token: { key: string; secret: string }
}

export interface ChildServer {
  url: string
  pid: number
  ca: string
  certFile: string
  keyFile: string
  dataDir: string
  dispatcher: Agent
  credentials: Credentials
  /** What test/helpers/tickets.ts needs from a server and an app. */
  ticketServer: TestServer
  ticketApp: TestApp
  /** VmRSS / VmHWM of the server process, in bytes. */
  rss(): number
  hwm(): number
  /** Resets VmHWM to the current RSS (Linux clear_refs 5), so a phase's peak can be read alone. */
  resetHwm(): boolean
  close(): Promise<void>
}

/** User + system CPU time a process has used so far, in seconds (/proc/PID/stat, 100 ticks a second). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')
  // After "pid (comm) ", field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / 100
}

function procStatus(pid: number, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) * 1024 : Number.NaN
}

/**
 * `retake serve` in a child process with its own data folder (SQLite, self-signed certificate made
 * under DATA/tls/, log level warn) and a pro user, an app and a write token made through the CLI.
 * `config` is written to a RETAKE_CONFIG file (e.g. plans).
 */
export async function startChildServer(
  config: Record<string, unknown> = {},
  options: { env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<ChildServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'retake-bench-'))
  const configFile = join(dataDir, 'retake.json')
  writeFileSync(configFile, JSON.stringify({ logLevel: 'warn', ...config }))
  const env = { ...process.env, RETAKE_CONFIG: configFile, RETAKE_DATA: join(dataDir, 'data'), ...options.env }
  const ROOT = root()
  const RETAKE = join(ROOT, 'bin', 'retake')
  const cli = async (...args: string[]) => JSON.parse((await run(process.execPath, [RETAKE, ...args], { env, cwd: ROOT })).stdout) as Record<string, string>
  let app: Record<string, string>
  let token: Record<string, string>
  let child: ChildProcess | undefined
  let url: string
  try {
    await cli('user', 'create', 'bench', '--pro', '--password', 'bench')
    app = await cli('app', 'create', 'bench', '--owner', 'bench')
    token = await cli('token', 'create', '--user', 'bench', '--api-key', app.api_key!, '--perms', 'delete')
    // Run bin/retake as an operator would (its shebang sets the allocator's environment); only extra
    // node flags (profiling) need node named explicitly.
    const serveArgs = ['serve', '--https-port', '0', '--http-port', '0']
    const started = options.nodeArgs
      ? spawn(process.execPath, [...options.nodeArgs, RETAKE, ...serveArgs], { env: { MALLOC_ARENA_MAX: '2', ...env }, cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
      : spawn(RETAKE, serveArgs, { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    child = started
    url = await new Promise<string>((resolveUrl, reject) => {
      started.once('exit', (code) => reject(new Error(`retake serve exited with ${code}`)))
      createInterface({ input: started.stdout! }).once('line', (line) => resolveUrl(line.trim()))
    })
  } catch (error) {
    if (child?.exitCode === null) child.kill('SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  const certFile = join(dataDir, 'data', 'tls', 'cert.pem')
  const keyFile = join(dataDir, 'data', 'tls', 'key.pem')
  const ca = readFileSync(certFile, 'utf8')
  const dispatcher = new Agent({ connect: { ca }, connections: 16 })
  const server = child
  const pid = server.pid!
  const ticketApp: TestApp = { apiKey: app.api_key!, secret: app.secret! }
  return {
    url,
    pid,
    ca,
    certFile,
    keyFile,
    dataDir,
    dispatcher,
    credentials: { consumer: { key: app.api_key!, secret: app.secret! }, token: { key: token.oauth_token!, secret: token.oauth_token_secret! } },
    ticketServer: { url, dispatcher } as unknown as TestServer,
    ticketApp,
    rss: () => procStatus(pid, 'VmRSS'),
    hwm: () => procStatus(pid, 'VmHWM'),
    resetHwm: () => {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5')
        return true
      } catch {
        return false
      }
    },
    async close() {
      await dispatcher.close()
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r))
        server.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * A bare node:https server (same certificate) that streams each request body, multipart and all, to
 * a file through a write stream with a 1 MiB high-water mark, then answers 200; run as a child
 * process like the real server. `mode: 'busboy'` parses the multipart body with @fastify/busboy
 * (the parser Retake uses) and streams the file part instead.
 */
export async function startBareIngestServer(certFile: string, keyFile: string, mode: 'raw' | 'busboy'): Promise<{ url: string; pid: number; close(): Promise<void> }> {
  const code = `
const https = require('node:https')
const fs = require('node:fs')
const path = require('node:path')
const { pipeline } = require('node:stream/promises')
const Busboy = require('@fastify/busboy')
const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'retake-bare-'))
let n = 0
const hwm = 1024 * 1024
const server = https.createServer({ cert: fs.readFileSync(${JSON.stringify(certFile)}), key: fs.readFileSync(${JSON.stringify(keyFile)}) }, async (req, res) => {
  const file = path.join(dir, 'upload-' + n++ + '.part')
  try {
    if (${JSON.stringify(mode)} === 'raw') {
      await pipeline(req, fs.createWriteStream(file, { highWaterMark: hwm }))
    } else {
      await new Promise((resolve, reject) => {
        const bb = Busboy({ headers: req.headers })
        let written = Promise.resolve()
        bb.on('file', (_name, stream) => { written = pipeline(stream, fs.createWriteStream(file, { highWaterMark: hwm })) })
        bb.on('field', () => {})
        bb.on('error', reject)
        bb.on('finish', () => written.then(resolve, reject))
        req.pipe(bb)
      })
    }
    fs.rmSync(file, { force: true })
    res.end('ok')
  } catch (error) {
    res.statusCode = 500
    res.end(String(error))
  }
})
server.listen(0, '127.0.0.1', () => process.stdout.write('https://127.0.0.1:' + server.address().port + '\\n'))
process.on('SIGTERM', () => { fs.rmSync(dir, { recursive: true, force: true }); process.exit(0) })
`
  const child = spawn(process.execPath, ['-e', code], { cwd: root(), stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('exit', (exitCode) => reject(new Error(`bare server exited with ${exitCode}`)))
    createInterface({ input: child.stdout! }).once('line', (line) => resolveUrl(line.trim()))
  })
  return {
    url,
    pid: child.pid!,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
    },
  }
}

export interface FilePart {
  /** Bytes sent first (e.g. a whole JPEG, or a small valid JPEG header) */
  head: Buffer
  /** Filler sent after `head`, in 1 MiB chunks of random bytes (TLS does not compress, so content is moot) */
  fillerBytes?: number
  filename?: string
}

export interface SendTiming {
  /** When the first body chunk was handed to undici */
  firstByte: number
  /**
   * When undici asked for more after the last chunk (bodies go out in 1 MiB chunks): the whole body
   * is handed to the kernel, though up to a socket buffer's worth may not have reached the server yet
   */
  lastByte: number
  /** When the whole answer was read */
  answered: number
}

const FILLER = randomBytes(MB)

/**
 * A Flickr-style signed multipart POST (text fields and OAuth fields first, then the `photo` part)
 * whose body is generated while it is sent: nothing near the file's size is held in memory.
 */
export async function sendPhoto(
  server: { url: string; dispatcher: Agent; credentials: Credentials },
  path: '/services/upload' | '/services/replace',
  fields: Record<string, string>,
  file: FilePart,
): Promise<{ status: number; body: string; parsed: ReturnType<typeof parsePhotoResponse>; timing: SendTiming; bytes: number }> {
  const url = `${server.url}${path}`
  const oauth = signedParams({ method: 'POST', url, params: fields, consumer: server.credentials.consumer, token: server.credentials.token })
  const boundary = `----retakebench${randomBytes(12).toString('hex')}`
  let preamble = ''
  for (const [name, value] of Object.entries({ ...fields, ...oauth })) {
    preamble += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  }
  preamble += `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${file.filename ?? 'photo.jpg'}"\r\nContent-Type: image/jpeg\r\n\r\n`
  const head = Buffer.from(preamble)
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const filler = file.fillerBytes ?? 0
  const bytes = head.length + file.head.length + filler + tail.length
  const timing: SendTiming = { firstByte: Number.NaN, lastByte: Number.NaN, answered: Number.NaN }
  async function* body(): AsyncGenerator<Buffer> {
    timing.firstByte = performance.now()
    yield head
    for (let at = 0; at < file.head.length; at += MB) yield file.head.subarray(at, at + MB)
    for (let left = filler; left > 0; left -= MB) yield left >= MB ? FILLER : FILLER.subarray(0, left)
    yield tail
    timing.lastByte = performance.now()
  }
  const response = await fetch(url, {
    method: 'POST',
    body: body(),
    duplex: 'half',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(bytes) },
    dispatcher: server.dispatcher,
  })
  const text = await response.text()
  timing.answered = performance.now()
  return { status: response.status, body: text, parsed: parsePhotoResponse(text), timing, bytes }
}
