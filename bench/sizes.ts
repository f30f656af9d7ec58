// Rendering all Flickr sizes vs. decoding the original once, for 12 MP and 24 MP JPEGs.
// Run: node --import tsx bench/sizes.ts [runs]
// Prints medians and ratios against the decode floor measured in the same process (no assertions).
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { renderSizes } from '../src/images/render-sizes.js'
import { sizesFor } from '../src/images/sizes.js'
import { makePhotoJpeg } from './lib/retake-bench-server.js'

const runs = Number(process.argv[2] ?? 5)

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

function naive(file: string, width: number, height: number, parallel: boolean): Promise<unknown> {
  const one = (plan: ReturnType<typeof sizesFor>[number]): Promise<Buffer> =>
    sharp(file)
      .rotate()
      .resize({ width: plan.width, height: plan.height, fit: plan.size.crop === 'square' ? 'cover' : 'fill' })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: 85, mozjpeg: false })
      .toBuffer()
  const planned = sizesFor(width, height)
  if (parallel) return Promise.all(planned.map(one))
  return planned.reduce<Promise<unknown>>((previous, plan) => previous.then(() => one(plan)), Promise.resolve())
}

const dir = mkdtempSync(join(tmpdir(), 'retake-bench-sizes-'))
try {
  console.log(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, sharp.concurrency() = ${sharp.concurrency()}, runs = ${runs}`)
  for (const [label, width, height] of [['12 MP', 4000, 3000], ['24 MP', 6000, 4000]] as const) {
    const file = join(dir, `${width}x${height}.jpg`)
    writeFileSync(file, await makePhotoJpeg(width, height))
    const decode = await median(() => sharp(file).raw().toBuffer())
    const render = await median(() => renderSizes(file))
    const naiveSerial = await median(() => naive(file, width, height, false))
    const naiveParallel = await median(() => naive(file, width, height, true))
    const mb = (statSync(file).size / 1e6).toFixed(1)
    console.log(`\n${label} ${width}x${height} JPEG q90, ${mb} MB, ${sizesFor(width, height).length} sizes`)
    console.log(`  (a) decode floor, raw().toBuffer()   ${decode.toFixed(0).padStart(6)} ms`)
    console.log(`  (b) renderSizes, all sizes           ${render.toFixed(0).padStart(6)} ms   b/a = ${(render / decode).toFixed(2)}`)
    console.log(`  (c) naive, one pipeline per size     ${naiveSerial.toFixed(0).padStart(6)} ms   c/a = ${(naiveSerial / decode).toFixed(2)}`)
    console.log(`  (c') naive, pipelines in parallel    ${naiveParallel.toFixed(0).padStart(6)} ms   c'/a = ${(naiveParallel / decode).toFixed(2)}`)
  }
  console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
