import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

// Debian's chromium driven by playwright-core: never a downloaded browser. Each run gets a fresh
// profile folder, removed on close; screenshots go to artifacts/screenshots/ (git-ignored).

export const CHROMIUM = '/usr/bin/chromium'
export const SCREENSHOTS = join(process.cwd(), 'artifacts', 'screenshots')

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

export interface TestBrowser {
  context: BrowserContext
  page: Page
  screenshot(name: string): Promise<void>
  close(): Promise<void>
}

export async function launchBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'retake-chromium-'))
  // launchPersistentContext passes --user-data-dir=<profile>: the fresh folder above.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    // The test server's certificate is self-signed; only this throwaway profile accepts it.
    ignoreHTTPSErrors: true,
    viewport: options.viewport ?? { width: 1100, height: 900 },
  })
  const page = context.pages()[0] ?? (await context.newPage())
  mkdirSync(SCREENSHOTS, { recursive: true })
  return {
    context,
    page,
    screenshot: async (name) => void (await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })),
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
