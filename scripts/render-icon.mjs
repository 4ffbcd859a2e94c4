// Renders renderer/public/favicon.svg to the 512×512 PNG app icon (renderer/public/icon.png) that the
// desktop window and the installers use. Run after changing the SVG: node scripts/render-icon.mjs
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium } from 'playwright-core'

const root = resolve(import.meta.dirname, '..')
const svg = readFileSync(resolve(root, 'renderer/public/favicon.svg'), 'utf8')
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] })
const page = await browser.newPage({ viewport: { width: 512, height: 512 } })
await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', '<svg width="512" height="512" ')}</body></html>`)
writeFileSync(resolve(root, 'renderer/public/icon.png'), await page.screenshot({ omitBackground: true }))
await browser.close()
