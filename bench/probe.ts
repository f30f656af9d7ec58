// probeImage time per MB for hostile headers and for real files, against reading the same file with
// fs.readFile in the same process (the floor: the probe can't be cheaper than reading what it must).
// Run: node --import tsx bench/probe.ts [runs]
// Prints medians, ms per MB and the probe/read ratio (no assertions).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { MAX_JPEG_HEADER_BYTES } from '../src/images/file-structure.js'
import { ImageRejected, probeImage } from '../src/images/probe.js'
import { makeBomb } from '../test/helpers/images.js'
import { makePhotoJpeg } from './lib/retake-bench-server.js'

const runs = Number(process.argv[2] ?? 7)
const MiB = 1024 * 1024
const SOI = Buffer.from([0xff, 0xd8])

async function median(task: () => Promise<unknown>): Promise<number> {
  await task() // warm-up
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await task()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] ?? Number.NaN
}

/** SOI, then `bytes` of back-to-back APP1 segments of `segmentBytes` each (header included), then nothing. */
function appChain(bytes: number, segmentBytes: number): Buffer {
  const segment = Buffer.alloc(segmentBytes, 0x41)
  segment.writeUInt16BE(0xffe1, 0)
  segment.writeUInt16BE(segmentBytes - 2, 2)
  return Buffer.concat([SOI, Buffer.alloc(bytes).fill(segment)])
}

const probeOutcome = (path: string): Promise<string> =>
  probeImage(path).then(
    (probed) => `ok ${probed.format}`,
    (error: unknown) => (error instanceof ImageRejected ? error.reason : Promise.reject(error)),
  )

const dir = mkdtempSync(join(tmpdir(), 'retake-bench-probe-'))
try {
  const photo = await makePhotoJpeg(4000, 3000)
  const cases: [string, Buffer][] = [
    ['SOI + 0xFF fill, 256 KiB', Buffer.concat([SOI, Buffer.alloc(256 * 1024, 0xff)])],
    ['SOI + 0xFF fill, 1 MiB', Buffer.concat([SOI, Buffer.alloc(MiB, 0xff)])],
    ['SOI + 0xFF fill, 8 MiB', Buffer.concat([SOI, Buffer.alloc(8 * MiB, 0xff)])],
    [`SOI + 0xFF fill, 32 MiB (cap ${MAX_JPEG_HEADER_BYTES / MiB} MiB)`, Buffer.concat([SOI, Buffer.alloc(32 * MiB, 0xff)])],
    ['SOI + empty APP1 segments, 1 MiB', appChain(MiB, 4)],
    ['SOI + empty APP1 segments, 8 MiB', appChain(8 * MiB, 4)],
    ['SOI + empty APP1 segments, 8 MiB + EOI', Buffer.concat([appChain(8 * MiB, 4), Buffer.from([0xff, 0xd9])])],
    ['SOI + 64 KiB APP1 segments, 8 MiB', appChain(8 * MiB, 65535)],
    ['12 MP JPEG q90', photo],
    ['12 MP JPEG + 8 MiB after EOI', Buffer.concat([photo, Buffer.alloc(8 * MiB, 0x5a)])],
    ['PNG bomb 30000x30000 (header only)', await makeBomb({ format: 'png' })],
    ['JPEG bomb 30000x30000 (header only)', await makeBomb({ format: 'jpeg' })],
    ['PNG 2000x1500', await sharp(photo).resize(2000, 1500).png().toBuffer()],
    ['GIF 1000x750', await sharp(photo).resize(1000, 750).gif().toBuffer()],
  ]
  console.log(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, runs = ${runs}`)
  console.log(`\n${'file'.padEnd(40)} ${'MB'.padStart(6)}  outcome           probe ms  ms/MB   read ms  ms/MB  probe/read`)
  for (const [label, data] of cases) {
    const path = join(dir, `${cases.findIndex(([l]) => l === label)}.img`)
    writeFileSync(path, data)
    const outcome = await probeOutcome(path)
    const probe = await median(() => probeOutcome(path))
    const read = await median(() => readFile(path))
    const mb = data.length / 1e6
    console.log(
      `${label.padEnd(40)} ${mb.toFixed(2).padStart(6)}  ${outcome.padEnd(16)} ${probe.toFixed(1).padStart(9)} ${(probe / mb).toFixed(2).padStart(6)}` +
        ` ${read.toFixed(1).padStart(9)} ${(read / mb).toFixed(2).padStart(6)} ${(probe / read).toFixed(2).padStart(10)}`,
    )
  }
  console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
