import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fetch } from 'undici'
import { assertLooksLike } from '../helpers/image-fingerprint.js'
import { launchBrowser, type TestBrowser } from '../helpers/browser.js'
import { makeJpeg, writeTemp } from '../helpers/images.js'
import { startTestServer, type TestServer, type TestUser } from '../helpers/start-server.js'
import { startRevokeDriver } from '../helpers/python-driver.js'
import { pythonClientMissing } from '../helpers/python-client.js'

// The web app in Debian's chromium: sign in, upload with progress, replace with a before/after view,
// albums, apps (created, authorized through the OAuth page by python flickrapi, revoked), CSRF and
// password-guess refusals. SQLite only: the pages run the same services as the API on both engines.

describe('web app in a browser', () => {
  let server: TestServer
  let browser: TestBrowser
  let alice: TestUser
  const files: string[] = []
  const cspViolations: string[] = []

  before(async () => {
    server = await startTestServer()
    alice = await server.createUser('alice', { pro: true, password: 'correct horse' })
    for (const seed of [1, 2, 3, 4]) files.push(writeTemp(await makeJpeg({ width: 800, height: 600, seed }), `seed-${seed}.jpg`))
    browser = await launchBrowser()
    browser.page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${browser.page.url()}: ${message.text()}`)
    })
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  async function signIn(username: string, password: string) {
    const { page } = browser
    await page.goto(`${server.url}/signin`)
    await page.getByLabel('Username').fill(username)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  it('signs in with a Secure, HttpOnly, SameSite=Lax session cookie, renewed at sign-in', async () => {
    const { page, context } = browser
    await page.goto(`${server.url}/signin`)
    const before = (await context.cookies()).find((c) => c.name === 'retake_session')
    await browser.screenshot('signin')
    await signIn('alice', 'correct horse')
    await page.waitForURL(`${server.url}/photos/${alice.nsid}/`)
    const cookie = (await context.cookies()).find((c) => c.name === 'retake_session')
    assert.ok(cookie, 'session cookie set')
    assert.equal(cookie.secure, true)
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Lax')
    assert.notEqual(cookie.value, before?.value, 'a new session id at sign-in')
    assert.match(await page.locator('header').innerText(), /Sign out/)
  })

  it('uploads three files, each with its own upload progress, then processing, then done', async () => {
    const { page } = browser
    await page.goto(`${server.url}/upload`)
    await page.getByLabel('Drop photos here, or choose files').setInputFiles(files.slice(0, 3))
    await page.getByLabel('Title').fill('Browser upload')
    await page.getByLabel('Tags (space-separated, "quoted phrases")').fill('web "golden hour"')
    await page.getByRole('button', { name: 'Upload' }).click()
    const rows = page.locator('#files li')
    // Locators, not page-side strings: the page's CSP (no eval) refuses those, as it should.
    await page.locator('#files li[data-state=done]').nth(2).waitFor({ timeout: 30_000 })
    await browser.screenshot('upload')
    assert.equal(await rows.count(), 3)
    for (let i = 0; i < 3; i++) {
      const events = Number(await rows.nth(i).getAttribute('data-progress-events'))
      assert.ok(events >= 1, `file ${i + 1} saw ${events} upload progress events`)
      assert.equal(await rows.nth(i).locator('progress').getAttribute('value'), '100')
    }
    const { photos, total } = await server.running.services.photos.byOwner(alice.nsid, 1, 10)
    assert.equal(total, 3)
    assert.ok(photos.every((p) => p.title === 'Browser upload'))
  })

  it('shows the owner her photostream and a photo page with sizes and forms', async () => {
    const { page } = browser
    await page.goto(`${server.url}/photos/${alice.nsid}/`)
    assert.match(await page.locator('main').innerText(), /3 photos/)
    await browser.screenshot('photostream')
    await page.locator('.grid a').first().click()
    await page.waitForSelector('#replace-form')
    assert.ok((await page.locator('.urls input').count()) >= 3, 'sizes with copyable URLs')
    await browser.screenshot('photo')
  })

  it('replaces a photo: progress, before/after side by side, then only the new pixels at the same address', async () => {
    const { page } = browser
    const address = page.url()
    const oldSrc = await page.locator('#picture img').getAttribute('src')
    assert.ok(oldSrc)
    await page.getByLabel('New file (same address, new pixels)').setInputFiles(files[3]!)
    await page.getByRole('button', { name: 'Replace' }).click()
    await page.waitForSelector('#replace-form[data-state=replaced]', { timeout: 30_000 })
    assert.equal(await page.locator('#compare').isVisible(), true)
    await page.waitForFunction((img) => (img as unknown as { complete: boolean }).complete, await page.$('#after'))
    await browser.screenshot('replace-before-after')
    await page.goto(address)
    const newSrc = await page.locator('#picture img').getAttribute('src')
    assert.notEqual(newSrc, oldSrc)
    const fresh = await fetch(`${server.url}${newSrc}`, { dispatcher: server.dispatcher })
    assert.equal(fresh.status, 200)
    await assertLooksLike(Buffer.from(await fresh.arrayBuffer()), files[3]!, files[0]!, { message: 'photo page after replace' })
    assert.equal((await fetch(`${server.url}${oldSrc}`, { dispatcher: server.dispatcher })).status, 404, 'the old size URL is gone')
  })

  it('creates an album from a photo, then adds another', async () => {
    const { page } = browser
    await page.goto(`${server.url}/photos/${alice.nsid}/albums/`)
    await page.getByLabel('Title').fill('Holiday')
    await page.getByRole('button', { name: 'Create album' }).click()
    await page.waitForURL(/\/albums\/\d+\/$/)
    assert.match(await page.locator('main').innerText(), /1 photo\b/)
    await page.getByRole('button', { name: 'Add' }).click()
    await page.waitForURL(/\/albums\/\d+\/$/)
    assert.match(await page.locator('main').innerText(), /2 photos/)
    await browser.screenshot('album')
  })

  it('uploads into a chosen album, and shows Flickr’s message in words for a file that is no image', async () => {
    const { page } = browser
    await page.goto(`${server.url}/upload`)
    await page.getByLabel('Add to album').selectOption({ label: 'Holiday' })
    const notImage = writeTemp(Buffer.from('this is not a picture'), 'notes.jpg')
    await page.getByLabel('Drop photos here, or choose files').setInputFiles([files[0]!, notImage])
    await page.getByRole('button', { name: 'Upload' }).click()
    await page.locator('#files li[data-state=done], #files li[data-state=failed]').nth(1).waitFor({ timeout: 30_000 })
    assert.match(await page.locator('#files li[data-state=failed]').innerText(), /Failed: .+ \(error \d+\)/)
    await browser.screenshot('upload-error')
    await page.goto(`${server.url}/photos/${alice.nsid}/albums/`)
    assert.match(await page.locator('main').innerText(), /3 photos/)
  })

  it('refuses a form posted without its CSRF token', async () => {
    const { page } = browser
    await page.goto(`${server.url}/account`)
    await page.locator('form[action="/account/apps"] input[name=_csrf]').evaluate((input) => input.remove())
    await page.getByLabel('New app’s name').fill('Sneaky')
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/account/apps')), page.getByRole('button', { name: 'Create API key' }).click()])
    assert.equal(response.status(), 403)
    assert.match(await page.locator('main').innerText(), /refused/)
    assert.equal((await server.running.services.database.db.selectFrom('apps').select('name').where('name', '=', 'Sneaky').execute()).length, 0)
  })

  it('creates an app, authorizes it for python flickrapi, revokes it, and the client then gets 98', { skip: pythonClientMissing() }, async (t) => {
    const { page } = browser
    await page.goto(`${server.url}/account`)
    await page.getByLabel('New app’s name').fill('Web-made app')
    await page.getByRole('button', { name: 'Create API key' }).click()
    const apiKey = await page.locator('#new-key').inputValue()
    const secret = await page.locator('#new-secret').inputValue()
    assert.match(secret, /^[0-9a-f]{16}$/)
    await browser.screenshot('account-new-app')
    const driver = startRevokeDriver(server, apiKey, secret)
    t.after(() => driver.stop())
    const authorizeUrl = String((await driver.next()).authorize_url)
    await page.goto(authorizeUrl)
    assert.equal(await page.getByLabel('Password').count(), 0, 'signed in: no password again')
    assert.match(await page.locator('main').innerText(), /Web-made app[\s\S]*write/)
    await browser.screenshot('authorize')
    await page.getByRole('button', { name: 'Approve' }).click()
    driver.send(await page.locator('#code').innerText())
    assert.deepEqual(await driver.next(), { login: alice.nsid })
    await page.goto(`${server.url}/account`)
    await page.getByRole('button', { name: 'Revoke Web-made app' }).click()
    await page.waitForURL(`${server.url}/account`)
    assert.match(await page.locator('main').innerText(), /No app has access/)
    driver.send('again')
    assert.equal((await driver.next()).code, 98)
  })

  it('answers "too many attempts" after repeated wrong passwords', async () => {
    await server.createUser('bob', { password: 'right one' })
    const { page } = browser
    await page.context().clearCookies()
    let last = ''
    for (let i = 0; i < 11; i++) {
      await signIn('bob', `wrong ${i}`)
      last = await page.locator('main').innerText()
    }
    assert.match(last, /Too many attempts/)
    await browser.screenshot('too-many-attempts')
  })

  it('met no Content Security Policy violation on any page (no inline script or style)', () => {
    assert.deepEqual(cspViolations, [])
  })

  it('is usable on a phone-sized screen', async () => {
    await browser.page.setViewportSize({ width: 375, height: 740 })
    await browser.page.goto(`${server.url}/signin`)
    await browser.screenshot('signin-phone')
    const overflow = await browser.page.locator('html').evaluate((html) => html.scrollWidth > html.clientWidth)
    assert.equal(overflow, false, 'no horizontal scrolling')
  })
})

