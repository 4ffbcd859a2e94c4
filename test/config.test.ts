import { describe, expect, it } from 'vitest'
import { defaultDataDir, parseCommand, readConfig, USAGE } from '../electron/config'

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

  it('refuses unknown options and stray arguments on serve, naming them (#8.13)', () => {
    expect(() => parseCommand(['--prot', '9000'])).toThrow('unknown option --prot; see --help')
    expect(() => parseCommand(['--port', '0', 'extra'])).toThrow('unexpected argument "extra"')
    expect(() => parseCommand(['--port'])).toThrow('--port needs a value')
    expect(() => parseCommand(['--port=abc'])).toThrow('--port must be an integer, got "abc"')
    expect(() => parseCommand([], { JOBDESK_PORT: '80x' })).toThrow('JOBDESK_PORT must be an integer, got "80x"')
    expect(() => parseCommand(['--concurrency', '0'])).toThrow('--concurrency must be a positive integer')
    expect(parseCommand(['--port', '0', '--data', '/tmp/x'], {})).toEqual({ kind: 'run', config: expect.objectContaining({ port: 0, dataDir: '/tmp/x' }) })
    // The desktop entry shares the options but leaves Electron's and Chromium's own flags alone.
    expect(readConfig(['.', '--no-sandbox', '--port', '0'], {}).port).toBe(0)
  })

  it('answers --help with every option and environment variable, and --version', () => {
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' })
    for (const word of ['--port', '--data', '--host', '--allow-remote', '--concurrency', '--help', '--version', 'JOBDESK_PORT', 'JOBDESK_DATA', 'JOBDESK_CONCURRENCY']) {
      expect(USAGE).toContain(word)
    }
    expect(parseCommand(['--version'])).toEqual({ kind: 'version' })
    expect(parseCommand([], { JOBDESK_CONCURRENCY: '3', JOBDESK_DATA: '/tmp/y' })).toMatchObject({ config: { concurrency: 3, dataDir: '/tmp/y' } })
  })
})
