import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { testBackends } from '../helpers/backends.js'
import { getPage, submitForm } from '../helpers/auth-pages.js'
import { signedParams } from '../helpers/oauth-client.js'
import { startTestServer, type TestApp, type TestServer, type TestUser } from '../helpers/start-server.js'

// Guessing is bounded: consent-page passwords per address, account and request token, and OAuth
// verifiers per request token (which then ends). The window passes on the server's clock.

for (const backend of testBackends()) {
  describe(`guess limits (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    let app: TestApp
    let offset = 0

    before(async () => {
      server = await startTestServer({ backend, clock: () => Math.floor(Date.now() / 1000) + offset })
      alice = await server.createUser('alice', { password: 'right password' })
      app = await server.createApp('alice')
    })
    after(() => server.close())

    const requestToken = async (callback = 'https://app.example/cb') => {
      const url = `${server.url}/services/oauth/request_token`
      const params = { oauth_callback: callback }
      const oauth = signedParams({ method: 'GET', url, params, consumer: { key: app.apiKey, secret: app.secret }, oauthOverrides: { oauth_timestamp: String(Math.floor(Date.now() / 1000) + offset) } })
      const body = await (await fetch(`${url}?${new URLSearchParams({ ...params, ...oauth })}`, { dispatcher: server.dispatcher })).text()
      const answer = new URLSearchParams(body)
      return { key: answer.get('oauth_token')!, secret: answer.get('oauth_token_secret')! }
    }

    it('10 wrong passwords answer "too many attempts"; after the window the right one works', async () => {
      const token = await requestToken()
      const page = await getPage(`${server.url}/services/oauth/authorize?oauth_token=${token.key}`, server.dispatcher)
      for (let i = 0; i < 10; i++) {
        const wrong = await submitForm(server.url, page.html, { username: 'alice', password: `guess ${i}`, decision: 'approve' }, server.dispatcher)
        assert.equal(wrong.status, 401)
      }
      const limited = await submitForm(server.url, page.html, { username: 'alice', password: 'right password', decision: 'approve' }, server.dispatcher)
      assert.equal(limited.status, 429)
      assert.match(limited.html, /Too many attempts/)
      offset += 16 * 60
      const fresh = await requestToken()
      const again = await getPage(`${server.url}/services/oauth/authorize?oauth_token=${fresh.key}`, server.dispatcher)
      const approved = await submitForm(server.url, again.html, { username: 'alice', password: 'right password', decision: 'approve' }, server.dispatcher)
      assert.equal(approved.status, 303)
    })

    it('5 wrong verifiers end the request token: even the right verifier is refused then', async () => {
      offset += 16 * 60
      const token = await requestToken()
      const page = await getPage(`${server.url}/services/oauth/authorize?oauth_token=${token.key}`, server.dispatcher)
      const approved = await submitForm(server.url, page.html, { username: 'alice', password: alice.password, decision: 'approve' }, server.dispatcher)
      const verifier = new URL(approved.location!).searchParams.get('oauth_verifier')!
      assert.ok(verifier.length >= 32, 'callback verifiers are long enough that guessing is hopeless')
      const exchange = async (value: string) => {
        const url = `${server.url}/services/oauth/access_token`
        const params = { oauth_verifier: value }
        const oauth = signedParams({ method: 'GET', url, params, consumer: { key: app.apiKey, secret: app.secret }, token, oauthOverrides: { oauth_timestamp: String(Math.floor(Date.now() / 1000) + offset) } })
        const response = await fetch(`${url}?${new URLSearchParams({ ...params, ...oauth })}`, { dispatcher: server.dispatcher })
        return `${response.status} ${await response.text()}`
      }
      for (let i = 0; i < 5; i++) assert.equal(await exchange(`wrong${i}`), '401 oauth_problem=verifier_invalid')
      assert.equal(await exchange(verifier), '401 oauth_problem=token_rejected')
    })
  })
}
