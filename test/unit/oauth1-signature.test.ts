import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import OAuth from 'oauth-1.0a'
import {
  hmacSha1Signature,
  MAX_AUTHORIZATION_HEADER_LENGTH,
  normalizeUrl,
  parseAuthorizationHeader,
  percentEncode,
  signatureBaseString,
  verifyHmacSha1,
} from '../../src/auth/oauth1-signature.js'
import type { OAuthParam } from '../../src/auth/oauth1-signature.js'

// Reference §4.3: Flickr's request-token example.
const flickrExampleParams: OAuthParam[] = [
  ['oauth_nonce', '95613465'],
  ['oauth_timestamp', '1305586162'],
  ['oauth_consumer_key', '653e7a6ecc1d528c516cc8f92cf98611'],
  ['oauth_signature_method', 'HMAC-SHA1'],
  ['oauth_version', '1.0'],
  ['oauth_callback', 'http://www.example.com'],
]
const flickrExampleBase =
  'GET&https%3A%2F%2Fwww.flickr.com%2Fservices%2Foauth%2Frequest_token&oauth_callback%3Dhttp%253A%252F%252Fwww.example.com%26oauth_consumer_key%3D653e7a6ecc1d528c516cc8f92cf98611%26oauth_nonce%3D95613465%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1305586162%26oauth_version%3D1.0'
const flickcurlSecret = 'a9567d986a7539fe'

describe('reference §4.3 test vectors', () => {
  test('base string of Flickr’s request-token example', () => {
    const base = signatureBaseString('get', 'https://www.flickr.com/services/oauth/request_token', flickrExampleParams)
    assert.equal(base, flickrExampleBase)
  })

  test('https signature', () => {
    assert.equal(hmacSha1Signature(flickrExampleBase, flickcurlSecret, ''), '2zL7aYEzEEY0IvEgQjT7IqB518U=')
    assert.equal(hmacSha1Signature(flickrExampleBase, flickcurlSecret), '2zL7aYEzEEY0IvEgQjT7IqB518U=')
  })

  test('http signature (as printed on Flickr’s page)', () => {
    const base = signatureBaseString('GET', 'http://www.flickr.com/services/oauth/request_token', flickrExampleParams)
    assert.equal(base, flickrExampleBase.replace('https%3A', 'http%3A'))
    assert.equal(hmacSha1Signature(base, flickcurlSecret), '7w18YS2bONDPL/zgyzP5XTr5af4=')
  })

  test('verifyHmacSha1 accepts the right signature and rejects others', () => {
    assert.equal(verifyHmacSha1('2zL7aYEzEEY0IvEgQjT7IqB518U=', flickrExampleBase, flickcurlSecret), true)
    assert.equal(verifyHmacSha1('7w18YS2bONDPL/zgyzP5XTr5af4=', flickrExampleBase, flickcurlSecret), false)
    assert.equal(verifyHmacSha1('2zL7aYEzEEY0IvEgQjT7IqB518U', flickrExampleBase, flickcurlSecret), false)
    assert.equal(verifyHmacSha1('', flickrExampleBase, flickcurlSecret), false)
    assert.equal(verifyHmacSha1('2zL7aYEzEEY0IvEgQjT7IqB518U=', flickrExampleBase, flickcurlSecret, 'x'), false)
  })
})

describe('percentEncode', () => {
  test('RFC 3986 unreserved stay bare, everything else is %XX of UTF-8', () => {
    assert.equal(percentEncode('AZaz09-._~'), 'AZaz09-._~')
    assert.equal(percentEncode('a b+c/d=e&f*g!h\'i(j)k'), 'a%20b%2Bc%2Fd%3De%26f%2Ag%21h%27i%28j%29k')
    assert.equal(percentEncode('é☃😀'), '%C3%A9%E2%98%83%F0%9F%98%80')
    assert.equal(percentEncode('%'), '%25')
    assert.equal(percentEncode(''), '')
  })

  test('a lone surrogate does not throw', () => {
    assert.equal(percentEncode('\ud800'), '%EF%BF%BD')
  })
})

describe('normalizeUrl', () => {
  test('lowercases scheme and host, drops default ports, query and fragment', () => {
    assert.equal(normalizeUrl('HTTPS://Up.Flickr.COM:443/services/replace/?a=1#x'), 'https://up.flickr.com/services/replace/')
    assert.equal(normalizeUrl('http://example.com:80/services/rest'), 'http://example.com/services/rest')
    assert.equal(normalizeUrl('https://127.0.0.1:8443/services/rest'), 'https://127.0.0.1:8443/services/rest')
    assert.equal(normalizeUrl('http://example.com:443/x'), 'http://example.com:443/x')
  })

  test('keeps the path exactly, trailing slash or not', () => {
    assert.equal(normalizeUrl('https://h/services/upload'), 'https://h/services/upload')
    assert.equal(normalizeUrl('https://h/services/upload/'), 'https://h/services/upload/')
    assert.equal(normalizeUrl('https://h/A/%7e/./b'), 'https://h/A/%7e/./b')
    assert.equal(normalizeUrl('https://h'), 'https://h/')
    assert.equal(normalizeUrl('https://h?x=1'), 'https://h/')
  })

  test('IPv6 hosts, userinfo and idempotence', () => {
    assert.equal(normalizeUrl('https://[::1]:443/p'), 'https://[::1]/p')
    assert.equal(normalizeUrl('https://[::1]:8443/p'), 'https://[::1]:8443/p')
    assert.equal(normalizeUrl('https://[::1]/p'), 'https://[::1]/p')
    assert.equal(normalizeUrl('https://user:pw@Host:8443/p'), 'https://host:8443/p')
    const once = normalizeUrl('HTTP://Example.com:80/a/')
    assert.equal(normalizeUrl(once), once)
  })

  test('rejects relative URLs', () => {
    assert.throws(() => normalizeUrl('/services/rest'), TypeError)
    assert.throws(() => normalizeUrl('https:///x'), TypeError)
  })
})

describe('signatureBaseString', () => {
  test('leaves out oauth_signature, keeps realm if the caller passes it, sorts duplicates by value', () => {
    const base = signatureBaseString('post', 'https://h/p', [
      ['b', '2'],
      ['oauth_signature', 'zzz'],
      ['a', 'y'],
      ['a', 'x'],
      ['realm', 'r'],
      ['a', 'X'],
    ])
    assert.equal(base, `POST&https%3A%2F%2Fh%2Fp&${percentEncode('a=X&a=x&a=y&b=2&realm=r')}`)
  })

  test('sorts by encoded name, so an encoded character sorts by its %XX', () => {
    // ' ' encodes to %20, which sorts before 'A'; '~' stays bare and sorts after letters.
    const base = signatureBaseString('GET', 'https://h/', [['~', '1'], ['A', '1'], [' ', '1'], ['a', '1']])
    assert.equal(base, `GET&https%3A%2F%2Fh%2F&${percentEncode('%20=1&A=1&a=1&~=1')}`)
  })
})

describe('parseAuthorizationHeader', () => {
  test('python flickrapi style header', () => {
    const header =
      'OAuth oauth_nonce="12345678901234567890", oauth_timestamp="1700000000", oauth_version="1.0", ' +
      'oauth_signature_method="HMAC-SHA1", oauth_consumer_key="abc", oauth_token="72157-x", ' +
      'oauth_signature="a%2Bb%2Fc%3D"'
    assert.deepEqual(parseAuthorizationHeader(header), [
      ['oauth_nonce', '12345678901234567890'],
      ['oauth_timestamp', '1700000000'],
      ['oauth_version', '1.0'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_consumer_key', 'abc'],
      ['oauth_token', '72157-x'],
      ['oauth_signature', 'a+b/c='],
    ])
  })

  test('scheme is case-insensitive, realm dropped, spacing and empty items tolerated', () => {
    assert.deepEqual(parseAuthorizationHeader('oauth realm="http://x/",a="1",b = "x%20y" ,, c=""'), [
      ['a', '1'],
      ['b', 'x y'],
      ['c', ''],
    ])
    assert.deepEqual(parseAuthorizationHeader('OAUTH'), [])
    assert.deepEqual(parseAuthorizationHeader('OAuth a="+"'), [['a', '+']])
  })

  test('not an OAuth header', () => {
    assert.equal(parseAuthorizationHeader(undefined), undefined)
    assert.equal(parseAuthorizationHeader('Basic dXNlcjpwYXNz'), undefined)
    assert.equal(parseAuthorizationHeader('OAuthx a="1"'), undefined)
  })

  test('malformed OAuth headers throw SyntaxError', () => {
    assert.throws(() => parseAuthorizationHeader('OAuth a="1" b="2"'), SyntaxError)
    assert.throws(() => parseAuthorizationHeader('OAuth a="1'), SyntaxError)
    assert.throws(() => parseAuthorizationHeader('OAuth a="%zz"'), SyntaxError)
    assert.throws(() => parseAuthorizationHeader('OAuth ="x"'), SyntaxError)
  })

  test('round trip with oauth-1.0a’s toHeader', () => {
    const oauth = makeOAuth({ realm: 'ignored' })
    const data = { ...fixedOAuthData('c+k', 'n/o+n=ce'), oauth_token: 't k', oauth_signature: 's+/=' }
    const { Authorization } = oauth.toHeader(data)
    const parsed = new Map(parseAuthorizationHeader(Authorization))
    assert.equal(parsed.get('oauth_nonce'), 'n/o+n=ce')
    assert.equal(parsed.get('oauth_token'), 't k')
    assert.equal(parsed.get('oauth_signature'), 's+/=')
    assert.equal(parsed.has('realm'), false)
  })
})

describe('parseAuthorizationHeader: header shapes', () => {
  const rejected = 'SyntaxError' as const
  const notOAuth = undefined
  const atCap = `OAuth a="${'x'.repeat(MAX_AUTHORIZATION_HEADER_LENGTH - 'OAuth a=""'.length)}"`
  const shapes: Array<[name: string, header: string, expected: OAuthParam[] | typeof rejected | typeof notOAuth]> = [
    ['many spaces between items', 'OAuth     a="1"    ,     b="2"     ', [['a', '1'], ['b', '2']]],
    ['spaces, then a stray quote (the old regex backtracked on this)', `OAuth a=${' '.repeat(4000)}"`, rejected],
    ['many commas (empty list items)', `OAuth ${','.repeat(4000)}a="1"${','.repeat(100)}`, [['a', '1']]],
    ['unterminated quote at the end', 'OAuth a="1', rejected],
    ['unterminated quote swallowing the next item', 'OAuth a="1, b="2"', rejected],
    ['two items without a comma', 'OAuth a="1" b="2"', rejected],
    ['a repeated protocol parameter (RFC 5849 §3.1)', 'OAuth oauth_nonce="1", oauth_nonce="2"', rejected],
    ['a protocol parameter repeated under another encoding', 'OAuth oauth_nonce="1", oauth%5Fnonce="2"', rejected],
    ['a repeated non-protocol parameter', 'OAuth x="1", x="2"', [['x', '1'], ['x', '2']]],
    ['realm first, with a comma, a percent sign and escaped quotes', 'OAuth realm="Photos, \\"Inc\\" 100%", a="1"', [['a', '1']]],
    ['realm last, any case', 'OAuth a="1", Realm="http://sp.example.com/"', [['a', '1']]],
    ['empty values, quoted and bare', 'OAuth oauth_token="", b=', [['oauth_token', ''], ['b', '']]],
    ['percent-encoded names and values', 'OAuth oauth%5Fnonce="n%2Fo", na%20me="v%2Bw+"', [['oauth_nonce', 'n/o'], ['na me', 'v+w+']]],
    ['UTF-8 percent-encoding', 'OAuth t="%C3%A9%E2%98%83"', [['t', 'é☃']]],
    ['bad percent-encoding', 'OAuth a="%zz"', rejected],
    ['percent-encoding that is not UTF-8', 'OAuth a="%E9"', rejected],
    ['lowercase scheme', 'oauth a="1"', [['a', '1']]],
    ['scheme alone', 'OAUTH', []],
    ['tabs as whitespace', 'OAuth\ta="1",\tb\t=\t"2"\t', [['a', '1'], ['b', '2']]],
    ['an unquoted token value', 'OAuth a=1, b=x%20y', [['a', '1'], ['b', 'x y']]],
    ['a line break inside the list', 'OAuth a="1"\nb="2"', rejected],
    ['an empty name', 'OAuth ="x"', rejected],
    ['a name without a value', 'OAuth a', rejected],
    ['a header exactly at the cap', atCap, [['a', 'x'.repeat(MAX_AUTHORIZATION_HEADER_LENGTH - 10)]]],
    ['a header over the cap', `${atCap} `, rejected],
    ['a huge header of valid items', `OAuth ${'x="1",'.repeat(2000)}`, rejected],
    ['another scheme, however long', `Basic ${'a'.repeat(20000)}`, notOAuth],
    ['a scheme that only starts with OAuth', 'OAuthx a="1"', notOAuth],
    ['a comma straight after the scheme', 'OAuth,a="1"', notOAuth],
  ]
  for (const [name, header, expected] of shapes) {
    test(name, () => {
      if (expected === rejected) assert.throws(() => parseAuthorizationHeader(header), SyntaxError)
      else assert.deepEqual(parseAuthorizationHeader(header), expected)
    })
  }
})

// Cross-checks against the independent oauth-1.0a package, with a fixed nonce and timestamp.
const consumer = { key: '653e7a6ecc1d528c516cc8f92cf98611', secret: 'a9567d986a7539fe' }
const token = { key: '72157626318069415-087bfc7b5816092c', secret: 'a202d1f853ec69de' }

function makeOAuth(extra: Partial<OAuth.Options> = {}): OAuth {
  return new OAuth({
    consumer,
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    ...extra,
  })
}

function fixedOAuthData(consumerKey = consumer.key, nonce = 'bm9uY2U+Lz0rKys/Pz8/='): OAuth.Data {
  return {
    oauth_consumer_key: consumerKey,
    oauth_nonce: nonce,
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: 1700000000,
    oauth_version: '1.0',
    oauth_token: token.key,
  }
}

/** Our signature for the same request: data params (arrays = duplicates) plus the OAuth fields. */
function ours(method: string, url: string, data: Record<string, string | string[]>, oauthData: OAuth.Data): string {
  const params: OAuthParam[] = []
  for (const [name, value] of Object.entries(data)) {
    for (const v of Array.isArray(value) ? value : [value]) params.push([name, v])
  }
  const [base, query] = url.split('?')
  for (const pair of query ? query.split('&') : []) {
    const [n = '', v = ''] = pair.split('=')
    params.push([decodeURIComponent(n), decodeURIComponent(v)])
  }
  for (const [name, value] of Object.entries(oauthData)) params.push([name, String(value)])
  return hmacSha1Signature(signatureBaseString(method, base!, params), consumer.secret, token.secret)
}

describe('cross-check with oauth-1.0a', () => {
  const cases: Array<{ name: string; method: string; url: string; data: Record<string, string | string[]> }> = [
    {
      name: 'GET with query parameters',
      method: 'GET',
      url: 'https://api.flickr.com/services/rest?nojsoncallback=1&format=json&method=flickr.test.login',
      data: {},
    },
    {
      name: 'POST with urlencoded body parameters',
      method: 'POST',
      url: 'https://api.flickr.com/services/rest/',
      data: { method: 'flickr.photos.addTags', photo_id: '51090628667', tags: 'a b' },
    },
    {
      name: 'spaces, plus, slash, equals and ampersand',
      method: 'POST',
      url: 'https://up.flickr.com/services/replace',
      data: { title: 'a b+c/d=e&f', description: ' leading and trailing ', 'odd name=': 'x' },
    },
    {
      name: 'unicode names and values',
      method: 'POST',
      url: 'https://up.flickr.com/services/upload/',
      data: { title: 'Été à Zürich ☃ 😀', tags: '東京 "quoted"', 'ñame': 'v' },
    },
    {
      name: 'duplicate names',
      method: 'GET',
      url: 'https://api.flickr.com/services/rest',
      data: { tag: ['zeta', 'alpha', 'Mid', 'alpha'], extras: ['url_o'] },
    },
    {
      name: 'reserved characters untouched by encodeURIComponent',
      method: 'POST',
      url: 'https://h/services/rest',
      data: { text: "it's (really) *fine*!", '~tilde': '-._~' },
    },
  ]
  for (const c of cases) {
    test(c.name, () => {
      const oauth = makeOAuth()
      const oauthData = fixedOAuthData()
      const expected = oauth.getSignature({ url: c.url, method: c.method, data: { ...c.data } }, token.secret, { ...oauthData })
      assert.equal(ours(c.method, c.url, c.data, oauthData), expected)
    })
  }

  test('base64 nonce with + / = (flickr-sdk style) and empty token secret', () => {
    const oauth = makeOAuth({ last_ampersand: true })
    const oauthData: OAuth.Data = { ...fixedOAuthData(), oauth_nonce: 'q+W/e=rt+y/u==' }
    delete oauthData.oauth_token
    const url = 'https://www.flickr.com/services/oauth/request_token'
    const data = { oauth_callback: 'oob' }
    const expected = oauth.getSignature({ url, method: 'GET', data: { ...data } }, undefined, { ...oauthData })
    const params: OAuthParam[] = [['oauth_callback', 'oob'], ...Object.entries(oauthData).map(([n, v]): OAuthParam => [n, String(v)])]
    assert.equal(hmacSha1Signature(signatureBaseString('GET', url, params), consumer.secret), expected)
    assert.equal(oauth.getBaseString({ url, method: 'GET', data: { ...data } }, { ...oauthData }), signatureBaseString('GET', url, params))
  })

  test('base strings are identical, not just signatures', () => {
    const oauth = makeOAuth()
    const data = { title: 'x y', tags: ['b', 'a'] }
    const oauthData = fixedOAuthData()
    const url = 'https://up.flickr.com/services/upload'
    const params: OAuthParam[] = [['title', 'x y'], ['tags', 'b'], ['tags', 'a'], ...Object.entries(oauthData).map(([n, v]): OAuthParam => [n, String(v)])]
    assert.equal(signatureBaseString('POST', url, params), oauth.getBaseString({ url, method: 'POST', data: { ...data } }, { ...oauthData }))
  })
})
