import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { flickrSizes, scaleToEdge, sizeBySuffix, sizesFor } from '../../src/images/sizes.js'
import type { PlannedSize } from '../../src/images/sizes.js'

const bySuffix = (planned: PlannedSize[]): Map<string, PlannedSize> => new Map(planned.map((p) => [p.suffix, p]))

describe('flickrSizes', () => {
  it('lists Flickr suffixes, labels and edges in order', () => {
    assert.deepEqual(
      flickrSizes.map((s) => [s.suffix, s.label, s.edge]),
      [
        ['s', 'Square', 75],
        ['q', 'Large Square', 150],
        ['t', 'Thumbnail', 100],
        ['m', 'Small', 240],
        ['n', 'Small 320', 320],
        ['w', 'Small 400', 400],
        ['', 'Medium', 500],
        ['z', 'Medium 640', 640],
        ['c', 'Medium 800', 800],
        ['b', 'Large', 1024],
        ['h', 'Large 1600', 1600],
        ['k', 'Large 2048', 2048],
      ],
    )
  })

  it('crops only s and q, and gives own secrets only to h and k', () => {
    assert.deepEqual(flickrSizes.filter((s) => s.crop === 'square').map((s) => s.suffix), ['s', 'q'])
    assert.deepEqual(flickrSizes.filter((s) => s.ownSecret).map((s) => s.suffix), ['h', 'k'])
  })

  it('uses getSizes page codes from the reference', () => {
    const codes = Object.fromEntries(flickrSizes.map((s) => [s.suffix, s.pageCode]))
    assert.deepEqual(codes, { s: 'sq', q: 'q', t: 't', m: 's', n: 'n', w: 'w', '': 'm', z: 'z', c: 'c', b: 'l', h: 'h', k: 'k' })
  })

  it('finds a size by suffix, Medium by the empty suffix', () => {
    assert.equal(sizeBySuffix('').label, 'Medium')
    assert.equal(sizeBySuffix('k').edge, 2048)
  })
})

describe('sizesFor', () => {
  it('renders every size of a 4000x3000 original with Flickr dimensions', () => {
    const sizes = bySuffix(sizesFor(4000, 3000))
    assert.equal(sizes.size, flickrSizes.length)
    const dims = (s: string): string => `${sizes.get(s)?.width}x${sizes.get(s)?.height}`
    assert.equal(dims('s'), '75x75')
    assert.equal(dims('q'), '150x150')
    assert.equal(dims('t'), '100x75')
    assert.equal(dims('m'), '240x180')
    assert.equal(dims(''), '500x375')
    assert.equal(dims('b'), '1024x768')
    assert.equal(dims('k'), '2048x1536')
  })

  it('scales the longest edge of portraits and rounds the other edge', () => {
    const sizes = bySuffix(sizesFor(3000, 4500))
    assert.deepEqual([sizes.get('z')?.width, sizes.get('z')?.height], [427, 640])
    assert.deepEqual(scaleToEdge(1000, 333, 500), { width: 500, height: 167 })
    assert.deepEqual(scaleToEdge(10000, 10, 75), { width: 75, height: 1 })
  })

  it('never upscales', () => {
    for (const [w, h] of [[4000, 3000], [1200, 900], [640, 480], [300, 200], [120, 90], [50, 40], [3000, 10]] as const) {
      for (const p of sizesFor(w, h)) {
        assert.ok(p.width <= w && p.height <= h, `${p.suffix} ${p.width}x${p.height} from ${w}x${h}`)
        assert.ok(Math.max(p.width, p.height) <= p.size.edge, `${p.suffix} larger than its edge`)
      }
    }
  })

  it('skips sizes above the original but keeps the always-present ones at the original size', () => {
    const sizes = bySuffix(sizesFor(300, 200))
    assert.deepEqual([...sizes.keys()], ['s', 'q', 't', 'm', ''])
    assert.deepEqual([sizes.get('')?.width, sizes.get('')?.height], [300, 200])
    assert.deepEqual([sizes.get('m')?.width, sizes.get('m')?.height], [240, 160])
  })

  it('generates a size whose edge equals the original longest edge', () => {
    const sizes = bySuffix(sizesFor(1024, 768))
    assert.deepEqual([sizes.get('b')?.width, sizes.get('b')?.height], [1024, 768])
    assert.equal(sizes.has('h'), false)
  })

  it('makes square crops at the short side when the original is smaller', () => {
    const sizes = bySuffix(sizesFor(120, 90))
    assert.deepEqual([sizes.get('q')?.width, sizes.get('q')?.height], [90, 90])
    assert.deepEqual([sizes.get('s')?.width, sizes.get('s')?.height], [75, 75])
    assert.deepEqual([sizes.get('t')?.width, sizes.get('t')?.height], [100, 75])
  })

  it('rejects impossible dimensions', () => {
    assert.throws(() => sizesFor(0, 10), RangeError)
    assert.throws(() => sizesFor(10.5, 10), RangeError)
  })
})
