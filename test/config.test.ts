import { describe, expect, it } from 'vitest'
import { defaultDataDir, readConfig } from '../electron/config'

describe('command-line configuration', () => {
  it('defaults to loopback, port 8080 and the per-user data folder', () => {
    const c = readConfig([], { HOME: '/home/u', XDG_CONFIG_HOME: '/home/u/.config' })
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, dataDir: '/home/u/.config/JobDesk' })
  })

  it('takes --data, then JOBDESK_DATA, and --port 0 for any free port', () => {
    expect(readConfig(['--data', '/tmp/a', '--port', '0'], { JOBDESK_DATA: '/tmp/b' })).toMatchObject({ dataDir: '/tmp/a', port: 0 })
    expect(readConfig([], { JOBDESK_DATA: '/tmp/b' }).dataDir).toBe('/tmp/b')
  })

  it('refuses to listen beyond loopback unless asked explicitly, and bad ports', () => {
    expect(() => readConfig(['--host', '0.0.0.0'])).toThrow(/loopback only unless --allow-remote/)
    expect(readConfig(['--host', '0.0.0.0', '--allow-remote']).host).toBe('0.0.0.0')
    expect(() => readConfig(['--port', '70000'])).toThrow(/--port must be/)
    expect(() => readConfig(['--data'])).toThrow('--data needs a value') // never fall back to the real data folder by accident
  })

  it('knows where each OS keeps per-user app data', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toMatch(/AppData.Roaming.JobDesk$/)
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/JobDesk$/)
  })
})
