// Which graphs exist: one file per graph under `<data>/graphs/`, named `<graph>.db`.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { graphError } from '../errors'
import { openGraphFile } from './graph-file'
import { checkGraphName, checkNewGraphName } from './names'

export const DEFAULT_GRAPH = 'default'

export const graphsDir = (dataDir: string): string => join(dataDir, 'graphs')

/** The file of a graph (the name is checked first: it becomes part of a path). */
export const graphFile = (dataDir: string, name: string): string => join(graphsDir(dataDir), `${checkGraphName(name)}.db`)

/** Names of the graphs on disk, sorted. */
export function listGraphNames(dataDir: string): string[] {
  const dir = graphsDir(dataDir)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.db'))
    .map((f) => f.slice(0, -3))
    .filter((name) => {
      try {
        return checkGraphName(name) === name
      } catch {
        return false
      }
    })
    .sort()
}

/** Throws graph_not_found in TuGraph's words unless the graph exists. */
export function requireGraph(dataDir: string, name: string): string {
  const file = graphFile(dataDir, name)
  if (!existsSync(file)) throw graphError('graph_not_found', `Graph [${name}] does not exist.`)
  return file
}

/** Creates an empty graph file; invalid_name for a name no new graph may have, graph_exists if one has that name (also ignoring case: some file systems do). */
export function createGraphFile(dataDir: string, name: string, options: { description?: string; maxSizeGb?: number; owner?: string } = {}): void {
  const file = graphFile(dataDir, checkNewGraphName(name))
  const clash = listGraphNames(dataDir).find((g) => g.toLowerCase() === name.toLowerCase())
  if (clash !== undefined || existsSync(file)) throw graphError('graph_exists', `Graph [${clash ?? name}] already exists.`)
  openGraphFile(file, { create: true, ...options }).close()
}

/** Deletes a graph's file and its WAL; the caller has closed every connection to it. */
export function dropGraphFiles(dataDir: string, name: string): void {
  const file = requireGraph(dataDir, name)
  for (const f of [`${file}-wal`, `${file}-shm`, file]) rmSync(f, { force: true })
}

/**
 * On a new data dir (no graphs folder yet) creates the graph `default`, as TuGraph has one from the
 * start. A data dir whose default graph was dropped keeps it dropped. Returns true if it created it.
 */
export function ensureDefaultGraph(dataDir: string): boolean {
  if (existsSync(graphsDir(dataDir))) return false
  mkdirSync(graphsDir(dataDir), { recursive: true })
  createGraphFile(dataDir, DEFAULT_GRAPH, { description: 'the default graph' })
  return true
}
