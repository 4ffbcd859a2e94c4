import { randomUUID } from 'node:crypto'
import type { IpcMain, WebContents } from 'electron'
import { fillRoutePath, HTTP_ROUTES, routeQuery, type OperationName, type Params } from '../../shared/api'
import { APP_EVENT_NAMES } from '../../shared/events'
import { IPC_EVENT, IPC_INVOKE, type IpcReply } from '../../shared/ipc'
import type { Engine } from '../engine/engine'
import { retryUnlessCommitted } from '../http/busy-retry'
import { toAppError } from '../http/native/errors'
import { DESKTOP_CLIENT } from '../services/client-address'
import { dispatch, storeOf, type Handlers } from '../services/operations'
import { formatSize } from '../../shared/number-format'
import { readRawFields, type RawJson } from '../store/raw-json'
import type { UserRecord } from '../store/user.repository'

/**
 * The most bytes of stored JSON (a job's input or result, a task's input or output) an IPC answer
 * carries as a value: IPC cannot stream, so a larger one would be read whole, parsed on the main
 * thread and cloned to the window, which draws it as text (JobFacts, TaskPanel): a 16 MB result held
 * the main thread for its load and parse. 4 MB is the most a submitted script or context may be
 * (BODY_LIMITS.content), so the window always gets a script's code to show and rerun.
 */
export const IPC_VALUE_BYTES = 4 * 1024 * 1024

/**
 * What the window gets instead of a stored value over IPC_VALUE_BYTES: a sentence saying where to read
 * it, the REST call that answers the same operation (`name` with `params`, as the window called it):
 * e.g. "GET /api/v1/jobs/42" for job 42's detail, which HTTP streams however large.
 */
export function tooLargeForWindow(raw: RawJson, name: OperationName, params: Readonly<Record<string, unknown>>): string {
  const route = HTTP_ROUTES[name]
  const { url, rest } = fillRoutePath(route.path, params)
  const query = route.method === 'GET' || route.method === 'DELETE' ? routeQuery(rest) : '' // as the HTTP transport sends them
  return `(${formatSize(raw.size)} of JSON: too large to show in the window; read it through the REST API: ${route.method} ${url}${query})`
}

/** The part of a WebContents the transport needs: who sent a call, and when its page goes away. */
type Sender = Pick<WebContents, 'id' | 'on'>

/** How Electron describes a navigation that starts (did-start-navigation's event object). */
interface NavigationStart {
  isMainFrame?: boolean
  isSameDocument?: boolean
}

/**
 * The IPC transport: the window calls operations as the desktop's own user, from this computer
 * (DESKTOP_CLIENT), and receives pushed events. A Cypher run a page started (graphs.cypher) belongs
 * to that page: when it reloads, navigates away, closes or crashes, its runs still going are
 * cancelled (graphs.cypherCancel), as an HTTP client's are when it hangs up (http/native/routes.ts).
 * A run without a queryId gets one. A call refused by another program's lock is run again as an
 * HTTP request is (retryUnlessCommitted: only while it committed nothing), then answered
 * database_locked.
 */
export function registerIpc(ipcMain: IpcMain, handlers: Handlers, actor: () => UserRecord): void {
  const db = storeOf(handlers)?.db
  /** The queryIds running per sender (WebContents id); a sender is watched from its first run on. */
  const runs = new Map<number, Set<string>>()
  const cancelRuns = (id: number) => {
    const mine = runs.get(id)
    if (!mine) return
    const queryIds = [...mine]
    mine.clear()
    // after the calls already made have reached their handler (a run is known by its queryId from then on)
    setImmediate(() => {
      for (const queryId of queryIds) dispatch(handlers, 'graphs.cypherCancel', { queryId }, actor()).catch(() => undefined) // it may have ended meanwhile
    })
  }
  const watch = (sender: Sender) => {
    if (runs.has(sender.id)) return runs.get(sender.id)!
    const mine = new Set<string>()
    runs.set(sender.id, mine)
    // a reload or another page is a new document; a hash route change (#/graph) is not
    sender.on('did-start-navigation', (e: NavigationStart) => {
      if (e.isMainFrame !== false && !e.isSameDocument) cancelRuns(sender.id)
    })
    sender.on('render-process-gone', () => cancelRuns(sender.id))
    sender.on('destroyed', () => {
      cancelRuns(sender.id)
      runs.delete(sender.id)
    })
    return mine
  }
  ipcMain.handle(IPC_INVOKE, async (event, name: OperationName, params: Params<OperationName>): Promise<IpcReply<unknown>> => {
    let owned: { mine: Set<string>; queryId: string } | undefined
    try {
      const sender = (event as { sender?: Sender } | undefined)?.sender
      if (name === 'graphs.cypher' && sender && params && typeof params === 'object') {
        const run = params as Params<'graphs.cypher'>
        const queryId = run.queryId ?? randomUUID()
        params = { ...run, queryId }
        const mine = watch(sender)
        if (typeof queryId === 'string' && !mine.has(queryId)) {
          mine.add(queryId)
          owned = { mine, queryId }
        }
      }
      // the window is this computer (the default password works), and a client of its own for the back-off: no socket's guesses count as its
      const call = () => dispatch(handlers, name, params ?? {}, actor(), DESKTOP_CLIENT)
      const result = await (db ? retryUnlessCommitted(db, call) : call())
      const tooLarge = (raw: RawJson) => tooLargeForWindow(raw, name, (params ?? {}) as Record<string, unknown>)
      return { ok: true, result: await readRawFields(result, IPC_VALUE_BYTES, tooLarge) } // IPC carries values, not JSON text
    } catch (e) {
      return { ok: false, error: toAppError(e).toBody() }
    } finally {
      owned?.mine.delete(owned.queryId)
    }
  })
}

export function forwardEvents(engine: Engine, target: () => WebContents | undefined): () => void {
  const offs = APP_EVENT_NAMES.map((type) =>
    engine.on(type, (data) => {
      const wc = target()
      if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT, { type, data })
    }),
  )
  return () => offs.forEach((off) => off())
}
