import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { SessionRepository } from '../../src/db/session-repository.js'
import { insertPhotos } from '../helpers/album-fixtures.js'
import { testBackends } from '../helpers/backends.js'
import { startTestServer, type TestServer, type TestUser } from '../helpers/start-server.js'

// Sessions over real TLS on both engines, without a browser: the cookie's attributes, the session row
// in the database (what a second node reads), CSRF refusals, sign-out and the sign-up switch.

/** A minimal cookie jar: the session cookie a browser would send back. */
class Client {
  cookie = ''
  constructor(readonly server: TestServer) {}

  async request(path: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const response = await fetch(`${this.server.url}${path}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      dispatcher: this.server.dispatcher,
      redirect: 'manual',
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    })
    const setCookie = response.headers.get('set-cookie')
    if (setCookie) this.cookie = setCookie.split(';')[0]!
    return { status: response.status, html: await response.text(), location: response.headers.get('location'), setCookie }
  }

  async csrf(path: string): Promise<string> {
    const { html } = await this.request(path)
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
    assert.ok(token, `a CSRF token on ${path}`)
    return token
  }
}

for (const backend of testBackends()) {
  describe(`web sessions (${backend.name})`, () => {
    let server: TestServer
    let alice: TestUser
    before(async () => {
      server = await startTestServer({ backend })
      alice = await server.createUser('alice', { password: 'open sesame' })
    })
    after(() => server.close())

    it('signs in into a database session with Secure, HttpOnly, SameSite=Lax cookies and a new id', async () => {
      const client = new Client(server)
      const token = await client.csrf('/signin')
      const anonymous = client.cookie
      const signedIn = await client.request('/signin', { form: { _csrf: token, username: 'alice', password: 'open sesame' } })
      assert.equal(signedIn.status, 303)
      assert.equal(signedIn.location, `/photos/${alice.nsid}/`)
      assert.match(signedIn.setCookie ?? '', /; Secure/i)
      assert.match(signedIn.setCookie ?? '', /; HttpOnly/i)
      assert.match(signedIn.setCookie ?? '', /; SameSite=Lax/i)
      assert.notEqual(client.cookie, anonymous, 'regenerated at sign-in')
      const id = decodeURIComponent(client.cookie.split('=')[1]!).split('.')[0]!
      const stored = await new SessionRepository(server.running.services.database.db).get(id, Math.floor(Date.now() / 1000))
      assert.ok(stored?.includes(alice.nsid), 'the session row names the account (another node reads it)')
      const anonymousId = decodeURIComponent(anonymous.split('=')[1]!).split('.')[0]!
      assert.equal(await new SessionRepository(server.running.services.database.db).get(anonymousId, Math.floor(Date.now() / 1000)), undefined, 'the pre-sign-in session is gone')
      assert.match((await client.request('/account')).html, /Your account/)
    })

    it('refuses state-changing forms without the CSRF token, and signs out with it', async () => {
      const client = new Client(server)
      const token = await client.csrf('/signin')
      await client.request('/signin', { form: { _csrf: token, username: 'alice', password: 'open sesame' } })
      assert.equal((await client.request('/account/apps', { form: { name: 'No token' } })).status, 403)
      assert.equal((await client.request('/signout', { form: {} })).status, 403)
      const fresh = await client.csrf('/account')
      assert.equal((await client.request('/signout', { form: { _csrf: fresh } })).status, 303)
      assert.equal((await client.request('/account')).status, 303, 'signed out: /account sends to /signin')
    })

    it('tells a free account why its photo page offers no replace', async () => {
      await server.createUser('fred', { pro: false, password: 'free as in beer' })
      const fred = (await server.running.services.accounts.byUsername('fred'))!
      const [id] = await insertPhotos(server.running.services, fred.nsid, [{ title: 'Mine' }])
      const client = new Client(server)
      const token = await client.csrf('/signin')
      await client.request('/signin', { form: { _csrf: token, username: 'fred', password: 'free as in beer' } })
      const page = (await client.request(`/photos/${fred.nsid}/${id}/`)).html
      assert.match(page, /Replacing a photo’s file is a Pro feature/)
      assert.ok(!page.includes('id="replace-form"'))
    })

    it('edits title, description and tags, and deletes only with the confirmation ticked', async () => {
      const [id] = await insertPhotos(server.running.services, alice.nsid, [{ title: 'Before' }])
      const client = new Client(server)
      const token = await client.csrf('/signin')
      await client.request('/signin', { form: { _csrf: token, username: 'alice', password: 'open sesame' } })
      const csrf = await client.csrf(`/photos/${alice.nsid}/${id}/`)
      const edited = await client.request(`/photos/${alice.nsid}/${id}/edit`, { form: { _csrf: csrf, title: 'After <b>', description: 'Two\nlines', tags: 'sea "blue hour"' } })
      assert.equal(edited.status, 303)
      const page = (await client.request(`/photos/${alice.nsid}/${id}/`)).html
      assert.ok(page.includes('<h1>After &#60;b&#62;</h1>'))
      assert.ok(page.includes('<li>blue hour</li>') && page.includes('<li>sea</li>'))
      assert.equal((await client.request(`/photos/${alice.nsid}/${id}/delete`, { form: { _csrf: csrf } })).status, 400)
      assert.ok(await server.running.services.photos.byId(id!), 'not deleted without the confirmation')
      assert.equal((await client.request(`/photos/${alice.nsid}/${id}/delete`, { form: { _csrf: csrf, confirm: 'yes' } })).status, 303)
      assert.equal(await server.running.services.photos.byId(id!), undefined)
    })

    it('keeps sign-up off unless signupEnabled is set', async () => {
      assert.equal((await new Client(server).request('/signup')).status, 404)
    })

    it('shows the owner her private photos, with a badge, only when signed in', async () => {
      const [, privateId] = await insertPhotos(server.running.services, alice.nsid, [{ title: 'Open' }, { title: 'Hidden', isPublic: false }])
      const client = new Client(server)
      const anonymous = (await client.request(`/photos/${alice.nsid}/`)).html
      assert.match(anonymous, /1 public photo</)
      assert.ok(!anonymous.includes(privateId!))
      assert.equal((await client.request(`/photos/${alice.nsid}/${privateId}/`)).status, 404)
      const token = await client.csrf('/signin')
      await client.request('/signin', { form: { _csrf: token, username: 'alice', password: 'open sesame' } })
      const own = (await client.request(`/photos/${alice.nsid}/`)).html
      assert.match(own, /2 photos/)
      assert.ok(own.includes(`/photos/${alice.nsid}/${privateId}/`) && own.includes('<span class="badge">Private</span>'))
      const page = await client.request(`/photos/${alice.nsid}/${privateId}/`)
      assert.equal(page.status, 200)
      assert.match(page.html, /name="_csrf"/)
    })
  })
}

describe('web sign-up (signupEnabled)', () => {
  let server: TestServer
  before(async () => {
    server = await startTestServer({ config: { signupEnabled: true } })
  })
  after(() => server.close())

  it('creates a free account that is signed in at once, and refuses a taken name', async () => {
    const client = new Client(server)
    const token = await client.csrf('/signup')
    const made = await client.request('/signup', { form: { _csrf: token, username: 'newbie', password: 'long enough' } })
    assert.equal(made.status, 303)
    assert.equal(made.location, '/account')
    assert.match((await client.request('/account')).html, /Plan: <strong>Free<\/strong>/)
    const other = new Client(server)
    const again = await other.request('/signup', { form: { _csrf: await other.csrf('/signup'), username: 'newbie', password: 'long enough' } })
    assert.equal(again.status, 400)
    assert.match(again.html, /taken or not allowed/)
  })
})
