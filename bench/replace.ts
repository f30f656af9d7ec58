// Sync replace end to end, and raw upload ingest against a bare node:https baseline, in one run.
// Run: node --import tsx bench/replace.ts [sequential] [concurrentTotal] [ingestRuns]
//
// The real server runs as a child process (`retake serve`, SQLite, self-signed certificate, log
// level warn) so its RSS is its own; the client (undici over HTTPS on loopback, the certificate
// trusted explicitly) runs here. On a 2-core machine client and server compete for CPU.
//
// (1) sync replace of a 12 MP noisy JPEG: N one after another, then 4 at a time (4 different photos),
//     with the server's peak RSS during the concurrent phase (VmRSS sampled every 20 ms, and VmHWM
//     after resetting it through /proc/PID/clear_refs). Target: under 300 MB.
// (2) ingest: a 150 MB body (a small valid JPEG then random filler, as the `photo` part) to
//     /services/upload for a user whose plan allows 100 MB per file, so the answer is error 6 once the
//     bytes are in, with nothing decoded. MB/s from the first byte sent to the answer, against a bare
//     node:https server (same certificate) streaming the same body to a file with a 1 MiB high-water
//     mark, same client code. Target: at least 70% of the bare figure. Also shown: the bare server
//     parsing the multipart body with @fastify/busboy (the parser Retake uses) before writing the file.
//     Also printed: the server process's CPU seconds per body (from /proc/PID/stat), which is steadier
//     than MB/s when other jobs load the machine.
// The child inherits this process's environment: `MALLOC_ARENA_MAX=2 node --import tsx bench/replace.ts`
// shows the RSS with glibc limited to 2 malloc arenas.
// Prints figures and ratios, no assertions.
import { availableParallelism } from 'node:os'
import { cpuSeconds, load, makePhotoJpeg, MB, sendPhoto, startBareIngestServer, startChildServer, stats } from './lib/retake-bench-server.js'

const SEQUENTIAL = Number(process.argv[2] ?? 10)
const CONCURRENT_TOTAL = Number(process.argv[3] ?? 12)
const INGEST_RUNS = Number(process.argv[4] ?? 5)
const CONCURRENCY = 4
const INGEST_BYTES = 150 * MB

const plan = { maxPhotos: null, maxFileBytes: 100 * MB, monthlyBytes: null, maxNonPublic: null }
const server = await startChildServer({ maxUploadBytes: 200 * MB, plans: { free: plan, pro: plan } })
const fmt = (n: number, digits = 0) => n.toFixed(digits)

try {
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '(unset)'}, ` +
      `server pid ${server.pid} at ${server.url}  (${load()})`,
  )
  const startRss = server.rss()
  const jpeg = await makePhotoJpeg(4000, 3000, { grain: 40 })
  console.log(`12 MP JPEG 4000x3000 q90, noisy, ${fmt(jpeg.length / 1e6, 1)} MB; server RSS after start ${fmt(startRss / MB)} MB`)

  const ids: string[] = []
  for (let i = 0; i < CONCURRENCY; i++) {
    const uploaded = await sendPhoto(server, '/services/upload', { title: `bench ${i}` }, { head: jpeg })
    if (!uploaded.parsed.id) throw new Error(`upload failed: ${uploaded.body}`)
    ids.push(uploaded.parsed.id)
  }
  const replace = async (photoId: string): Promise<number> => {
    const result = await sendPhoto(server, '/services/replace', { photo_id: photoId }, { head: jpeg })
    if (result.parsed.id !== photoId) throw new Error(`replace failed: ${result.body}`)
    return result.timing.answered - result.timing.firstByte
  }
  await replace(ids[0]!) // warm-up
  console.log(`server RSS after ${ids.length} uploads and a replace: ${fmt(server.rss() / MB)} MB, VmHWM ${fmt(server.hwm() / MB)} MB`)

  // (1a) one after another
  const sequential: number[] = []
  let started = performance.now()
  for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await replace(ids[0]!))
  let elapsed = performance.now() - started
  const seq = stats(sequential)
  const seqRate = (SEQUENTIAL * 1000) / elapsed
  console.log(`\n(1a) sync replace, ${SEQUENTIAL} sequential      median ${fmt(seq.median)} ms  p95 ${fmt(seq.p95)} ms  ${fmt(seqRate, 2)} photos/s  (${load()})`)

  // (1b) four at a time, each worker on its own photo, RSS sampled
  const idleRss = server.rss()
  const hwmReset = server.resetHwm()
  let peakSampled = idleRss
  const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, server.rss())), 20)
  const concurrent: number[] = []
  let next = 0
  started = performance.now()
  await Promise.all(
    ids.map(async (id) => {
      while (next < CONCURRENT_TOTAL) {
        next++
        concurrent.push(await replace(id))
      }
    }),
  )
  elapsed = performance.now() - started
  clearInterval(sampler)
  const con = stats(concurrent)
  const conRate = (CONCURRENT_TOTAL * 1000) / elapsed
  const hwm = server.hwm()
  console.log(`(1b) sync replace, ${CONCURRENT_TOTAL} total, ${CONCURRENCY} at once  median ${fmt(con.median)} ms  p95 ${fmt(con.p95)} ms  ${fmt(conRate, 2)} photos/s  (${load()})`)
  console.log(
    `     server RSS: idle before ${fmt(idleRss / MB)} MB, peak sampled every 20 ms ${fmt(peakSampled / MB)} MB, ` +
      `VmHWM ${hwmReset ? 'since reset' : '(lifetime: clear_refs refused)'} ${fmt(hwm / MB)} MB  (target < 300 MB)`,
  )
  console.log(`     photos/s ${CONCURRENCY} at once / sequential: ${fmt(conRate / seqRate, 2)}x`)

  // (2) ingest
  const header = await makePhotoJpeg(64, 48)
  const bareRaw = await startBareIngestServer(server.certFile, server.keyFile, 'raw')
  const bareBusboy = await startBareIngestServer(server.certFile, server.keyFile, 'busboy')
  const targets = [
    { label: '(a) bare node:https, body piped to a file', url: bareRaw.url, pid: bareRaw.pid, retake: false },
    { label: "(a') bare node:https, busboy, file part to file", url: bareBusboy.url, pid: bareBusboy.pid, retake: false },
    { label: '(b) Retake /services/upload -> error 6', url: server.url, pid: server.pid, retake: true },
  ]
  const rates = new Map<string, number[]>(targets.map((t) => [t.label, []]))
  const cpu = new Map<string, number[]>(targets.map((t) => [t.label, []]))
  console.log(`\n(2) ingest of ${INGEST_BYTES / MB} MiB (+ multipart framing), ${INGEST_RUNS} runs each, interleaved, after a warm-up  (${load()})`)
  for (let runIndex = -1; runIndex < INGEST_RUNS; runIndex++) {
    for (const target of targets) {
      const cpuBefore = cpuSeconds(target.pid)
      const result = await sendPhoto({ ...server, url: target.url }, '/services/upload', { title: 'big' }, { head: header, fillerBytes: INGEST_BYTES })
      const cpuUsed = cpuSeconds(target.pid) - cpuBefore
      if (target.retake ? result.parsed.errCode !== 6 : result.status !== 200) throw new Error(`${target.label}: unexpected answer ${result.status} ${result.body}`)
      const seconds = (result.timing.answered - result.timing.firstByte) / 1000
      if (runIndex >= 0) {
        rates.get(target.label)!.push(result.bytes / MB / seconds)
        cpu.get(target.label)!.push(cpuUsed)
      }
    }
  }
  const medianRate = (label: string) => stats(rates.get(label)!).median
  const a = medianRate(targets[0]!.label)
  const a2 = medianRate(targets[1]!.label)
  const b = medianRate(targets[2]!.label)
  const medianCpu = (label: string) => stats(cpu.get(label)!).median
  for (const target of targets) {
    const all = rates.get(target.label)!.map((r) => fmt(r)).join(', ')
    console.log(
      `    ${target.label.padEnd(50)} median ${fmt(medianRate(target.label)).padStart(5)} MiB/s  (runs: ${all});  ` +
        `server CPU ${fmt(medianCpu(target.label), 2)} s per body`,
    )
  }
  console.log(`    ratio b/a  ${fmt((b / a) * 100, 1)}% (target >= 70%);  b/a' ${fmt((b / a2) * 100, 1)}%  (${load()})`)
  const [ca, ca2, cb] = targets.map((t) => medianCpu(t.label)) as [number, number, number]
  console.log(`    server CPU per byte, a/b ${fmt((ca / cb) * 100, 1)}%, a'/b ${fmt((ca2 / cb) * 100, 1)}%  (the MB/s ratio if each server were CPU-bound on one core)`)
  await bareRaw.close()
  await bareBusboy.close()
} finally {
  await server.close()
}
