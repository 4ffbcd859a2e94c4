// The layering of DESIGN.md, checked on the import statements: a layer imports nothing above it.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { counted, formatCount } from '../shared/number-format'

const root = resolve(__dirname, '..')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : []
  })
}

/** Every import of a folder's files: packages by name, project files by path from the root. */
function importsOf(folder: string): { file: string; target: string }[] {
  return sources(join(root, folder)).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)].map((m) => ({
      file: relative(root, file),
      target: m[1].startsWith('.') ? relative(root, resolve(dirname(file), m[1])) : m[1],
    })),
  )
}

const offenders = (folder: string, forbidden: RegExp) =>
  importsOf(folder)
    .filter((i) => forbidden.test(i.target))
    .map((i) => `${i.file} imports ${i.target}`)

describe('layers import nothing above them', () => {
  it('shared/ is the contract: no electron, fastify, SQLite or main-process code', () => {
    expect(offenders('shared', /^(electron|fastify|@fastify\/|better-sqlite3)|^electron\//)).toEqual([])
  })
  it('the engine knows no HTTP, Electron, services or dialects', () => {
    expect(offenders('electron/engine', /^(electron|fastify|@fastify\/)$|^electron\/(http|services|workflows|main)\//)).toEqual([])
  })
  it('the workflows layer imports neither services nor HTTP', () => {
    expect(offenders('electron/workflows', /^(fastify|@fastify\/)|^electron\/(http|services|main)\//)).toEqual([])
  })
  it('the graph subsystem knows no HTTP, services, dialects or Electron', () => {
    expect(offenders('electron/graph', /^(electron|fastify|@fastify\/)$|^electron\/(http|services|workflows|main)\//)).toEqual([])
  })
  it('the executors know no HTTP, services, dialects or Electron', () => {
    expect(offenders('electron/executors', /^(electron|fastify|@fastify\/)$|^electron\/(http|services|main)\//)).toEqual([])
  })
  it('the store imports nothing above it', () => {
    expect(offenders('electron/store', /^electron\/(engine|http|services|workflows|executors|main)\//)).toEqual([])
  })
  it('only electron/main and electron/preload import electron', () => {
    const all = importsOf('electron').filter((i) => i.target === 'electron' && !/^electron\/(main|preload)\//.test(i.file))
    expect(all).toEqual([])
  })
})

describe('one way to write a number', () => {
  it('formatCount groups thousands with commas whatever the machine locale', () => {
    expect([0, 999, 1000, 1_234_567, 0.5, -65_536].map(formatCount)).toEqual(['0', '999', '1,000', '1,234,567', '0.5', '-65,536'])
  })
  it("counted writes a count with its noun, the plural when not one, the same for messages and the UI", () => {
    expect([counted(1, 'task'), counted(120_000, 'task'), counted(0, 'label'), counted(2, 'vertex', 'vertices'), counted(1, 'data line')]).toEqual(['1 task', '120,000 tasks', '0 labels', '2 vertices', '1 data line'])
  })
  it("one counted() helper: no other file defines one", () => {
    const own = [...sources(join(root, 'electron')), ...sources(join(root, 'renderer/src')), ...sources(join(root, 'shared'))]
      .filter((file) => /\bconst counted = \(|function counted\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
    expect(own).toEqual([join('shared', 'number-format.ts')])
  })
  it("no code outside shared/number-format.ts formats a number itself (toLocaleString(), toLocaleString('en'), Intl.NumberFormat)", () => {
    // A Date's toLocaleString(undefined, {...}) is a time, not a number, and stays in the user's locale.
    const own = [...sources(join(root, 'electron')), ...sources(join(root, 'renderer/src')), ...sources(join(root, 'shared'))]
      .filter((file) => relative(root, file) !== join('shared', 'number-format.ts'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) => (/\.toLocaleString\((?:'[^']*')?\)|Intl\.NumberFormat/.test(line) ? [`${relative(root, file)}:${i + 1}`] : [])),
      )
    expect(own).toEqual([])
  })
})
