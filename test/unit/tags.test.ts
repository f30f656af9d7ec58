import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { machineColumns, normaliseTag, parseTags } from '../../src/domain/photos/tags.js'
import { parseMachineTagQuery, splitOutsideQuotes } from '../../src/domain/photos/search-filter.js'

// Raw -> clean as reference part 2 §6.3 shows it, and the machine-tag query syntax of §6.4.

describe('tag normalisation and machine tags', () => {
  it('cleans as Flickr does (table of §6.3)', () => {
    const cases: [string, string][] = [
      ['DiverCityTokyoPlaza', 'divercitytokyoplaza'],
      ['day in the life', 'dayinthelife'],
      ['Mid-Atlantic', 'midatlantic'],
      ['1+1', '11'],
      ['b&w', 'bw'],
      ['vue-croisée', 'vuecroisée'],
      ['江東', '江東'],
      ['taxonomy:binomial=Elephas maximus', 'taxonomy:binomial=elephasmaximus'],
      ['geh:maker=Atget, Eugène', 'geh:maker=atgeteugène'],
      ['iconclass:n=31D12(+72)', 'iconclass:n=31d1272'],
      ['dc:identifier=http://hdl.loc.gov/loc.pnp/fsac.1a33844', 'dc:identifier=httphdllocgovlocpnpfsac1a33844'],
    ]
    for (const [raw, clean] of cases) assert.equal(normaliseTag(raw), clean, raw)
  })

  it('parses quoted tags, quoted machine-tag values and quoted tails as one tag each', () => {
    assert.deepEqual(parseTags('Amsterdam "central station" geo:quartier="plateau mont royal" album:"Summer trip" amsterdam'), [
      { raw: 'Amsterdam', clean: 'amsterdam' },
      { raw: 'central station', clean: 'centralstation' },
      { raw: 'geo:quartier=plateau mont royal', clean: 'geo:quartier=plateaumontroyal' },
      { raw: 'album:Summer trip', clean: 'albumsummertrip' },
    ])
    assert.deepEqual(machineColumns('checksum:md5=ab12'), { mtNamespace: 'checksum', mtPredicate: 'md5', mtValue: 'ab12' })
    assert.deepEqual(machineColumns('plain'), { mtNamespace: null, mtPredicate: null, mtValue: null })
  })

  it('machine_tags queries: namespace, predicate, value and * wildcards; nonsense is no query', () => {
    const clean = (v: string) => normaliseTag(v)
    assert.deepEqual(parseMachineTagQuery('dc:', clean), { namespace: 'dc', predicate: undefined, value: undefined })
    assert.deepEqual(parseMachineTagQuery('dc:title=', clean), { namespace: 'dc', predicate: 'title', value: undefined })
    assert.deepEqual(parseMachineTagQuery('dc:title="Mr. Camera"', clean), { namespace: 'dc', predicate: 'title', value: 'mrcamera' })
    assert.deepEqual(parseMachineTagQuery('*:*="mr. camera"', clean), { namespace: undefined, predicate: undefined, value: 'mrcamera' })
    assert.deepEqual(parseMachineTagQuery('dc:*=x', clean), { namespace: 'dc', predicate: undefined, value: 'x' })
    for (const bad of ['nonsense', '*:*=', ':x=y', 'a b:c=d']) assert.equal(parseMachineTagQuery(bad, clean), undefined, bad)
    assert.deepEqual(splitOutsideQuotes('dc:title="a, b", geo:,'), ['dc:title="a, b"', 'geo:'])
  })
})
