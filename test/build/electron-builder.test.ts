import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const root = resolve(__dirname, '../..')
const config = load(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'))
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s own schema', () => {
    const ok = validate(config)
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })

  it('would catch a misspelt key (the check is not vacuous)', () => {
    expect(validate({ ...config, linnux: config.linux })).toBe(false)
  })

  it('passes electron-builder’s own validator', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config')
    const { DebugLogger } = require('builder-util')
    await expect(validateConfiguration(await getConfig(root, 'electron-builder.yml', null), new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('targets AppImage, deb, NSIS and dmg and keeps better-sqlite3 out of the asar', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**')
  })
})
