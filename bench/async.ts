// Async (async=1) replace: the answer must not wait for rendering, and the queue's throughput.
// Run: node --import tsx bench/async.ts [latencyRuns] [throughputCount]
//
// The real server runs as a child process (`retake serve`, SQLite, self-signed certificate, log level
// warn, default workers and sync slots: one per core); the client is undici over HTTPS on loopback.
//
// (1) time from the last byte of the request body handed to the socket to the answer read, for a
//     12 MP JPEG (4000x3000 q90, noisy) and a 50 MB JPEG (7000x7000 = 49 MP, noisy, q100: a real
//     JPEG that sharp decodes, with ~4x the pixels to render), each replace sent alone with the queue
//     idle: async=1 (ticket) against sync (rendered), same run. The async figure should not grow with
//     the rendering work; the sync one does.
// (2) throughput: N async replaces of the 12 MP photo sent one after another, then
//     flickr.photos.upload.checkTickets polled (every 100 ms) until all are complete, against N sync
//     replaces one by one, same run. Replaces go round-robin over 4 photos.
// Prints figures and ratios, no assertions.
import { availableParallelism } from 'node:os'
import { waitForTickets } from '../test/helpers/tickets.js'
import { load, makePhotoJpeg, MB, sendPhoto, startChildServer, stats } from './lib/retake-bench-server.js'

const LATENCY_RUNS = Number(process.argv[2] ?? 5)
const THROUGHPUT_COUNT = Number(process.argv[3] ?? 50)
const PHOTOS = 4

const server = await startChildServer()
const fmt = (n: number, digits = 0) => n.toFixed(digits)

async function replace(photoId: string, file: Buffer, isAsync: boolean) {
  const fields: Record<string, string> = isAsync ? { photo_id: photoId, async: '1' } : { photo_id: photoId }
  const result = await sendPhoto(server, '/services/replace', fields, { head: file })
  if (isAsync ? !result.parsed.ticketId : result.parsed.id !== photoId) throw new Error(`replace failed: ${result.body}`)
  return { ticketId: result.parsed.ticketId, afterLastByte: result.timing.answered - result.timing.lastByte, total: result.timing.answered - result.timing.firstByte }
}

async function settle(ticketIds: string[]): Promise<{ failed: number }> {
  const states = await waitForTickets(server.ticketServer, server.ticketApp, ticketIds, 30 * 60_000)
  return { failed: states.filter((state) => state.complete !== 1).length }
}

try {
  console.log(`node ${process.version}, ${availableParallelism()} CPUs, server pid ${server.pid} at ${server.url}  (${load()})`)
  const photo12 = await makePhotoJpeg(4000, 3000, { grain: 40 })
  const photo50 = await makePhotoJpeg(7000, 7000, { grain: 64, quality: 100 })
  console.log(`12 MP: 4000x3000 q90, ${fmt(photo12.length / 1e6, 1)} MB;  50 MB: 7000x7000 q100, ${fmt(photo50.length / 1e6, 1)} MB  (${load()})`)

  const ids: string[] = []
  for (let i = 0; i < PHOTOS; i++) {
    const uploaded = await sendPhoto(server, '/services/upload', { title: `bench ${i}` }, { head: photo12 })
    if (!uploaded.parsed.id) throw new Error(`upload failed: ${uploaded.body}`)
    ids.push(uploaded.parsed.id)
  }
  // Warm-up: one of each kind.
  await replace(ids[0]!, photo12, false)
  await settle([(await replace(ids[0]!, photo12, true)).ticketId!])

  // (1) last byte -> answer, each request alone with the queue idle.
  console.log(`\n(1) last byte sent -> answer, median of ${LATENCY_RUNS} (first byte -> answer in brackets)`)
  const medians = new Map<string, number>()
  for (const [label, file] of [['12 MP', photo12], ['50 MB', photo50]] as const) {
    for (const isAsync of [true, false]) {
      const after: number[] = []
      const total: number[] = []
      let failed = 0
      for (let i = 0; i < LATENCY_RUNS; i++) {
        const result = await replace(ids[i % PHOTOS]!, file, isAsync)
        after.push(result.afterLastByte)
        total.push(result.total)
        if (result.ticketId) failed += (await settle([result.ticketId])).failed
      }
      const key = `${label} ${isAsync ? 'async' : 'sync'}`
      medians.set(key, stats(after).median)
      console.log(
        `    ${key.padEnd(12)} median ${fmt(stats(after).median).padStart(6)} ms  p95 ${fmt(stats(after).p95).padStart(6)} ms  ` +
          `(${fmt(stats(total).median)} ms)${failed ? `  ${failed} tickets failed` : ''}  (${load()})`,
      )
    }
  }
  const m = (key: string) => medians.get(key)!
  console.log(`    50 MB / 12 MP:  async ${fmt(m('50 MB async') / m('12 MP async'), 2)}x,  sync ${fmt(m('50 MB sync') / m('12 MP sync'), 2)}x`)
  console.log(`    async / sync:   12 MP ${fmt((m('12 MP async') / m('12 MP sync')) * 100, 1)}%,  50 MB ${fmt((m('50 MB async') / m('50 MB sync')) * 100, 1)}%`)

  // (2) throughput through the queue against sync one by one.
  console.log(`\n(2) ${THROUGHPUT_COUNT} replaces of the 12 MP photo, round-robin over ${PHOTOS} photos`)
  let started = performance.now()
  const tickets: string[] = []
  const acceptMillis: number[] = []
  for (let i = 0; i < THROUGHPUT_COUNT; i++) {
    const result = await replace(ids[i % PHOTOS]!, photo12, true)
    tickets.push(result.ticketId!)
    acceptMillis.push(result.total)
  }
  const allSent = performance.now() - started
  const { failed } = await settle(tickets)
  const asyncElapsed = performance.now() - started
  const asyncRate = (THROUGHPUT_COUNT * 1000) / asyncElapsed
  console.log(
    `    (a) async, all sent then checkTickets polled  ${fmt(asyncElapsed / 1000, 1)} s  ${fmt(asyncRate, 2)} photos/s  ` +
      `(all ${THROUGHPUT_COUNT} accepted after ${fmt(allSent / 1000, 1)} s, request median ${fmt(stats(acceptMillis).median)} ms${failed ? `, ${failed} tickets failed` : ''})  (${load()})`,
  )
  started = performance.now()
  const syncMillis: number[] = []
  for (let i = 0; i < THROUGHPUT_COUNT; i++) syncMillis.push((await replace(ids[i % PHOTOS]!, photo12, false)).total)
  const syncElapsed = performance.now() - started
  const syncRate = (THROUGHPUT_COUNT * 1000) / syncElapsed
  console.log(
    `    (b) sync, one by one                          ${fmt(syncElapsed / 1000, 1)} s  ${fmt(syncRate, 2)} photos/s  ` +
      `(request median ${fmt(stats(syncMillis).median)} ms, p95 ${fmt(stats(syncMillis).p95)} ms)  (${load()})`,
  )
  console.log(`    ratio a/b ${fmt(asyncRate / syncRate, 2)}x`)
  console.log(`\nserver VmHWM (lifetime peak RSS) ${fmt(server.hwm() / MB)} MB`)
} finally {
  await server.close()
}
