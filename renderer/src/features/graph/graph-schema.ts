// One graph's label definitions for a page that shows or uses them: the graph list names and counts
// labels but does not define them (one graph's wide schema would make every user's list carry it).
import { useEffect, useState } from 'react'
import type { GraphInfo } from '../../../../shared/graph'
import { send } from '../../api/client'
import { errorText } from '../shell/form-errors'

/** What useGraphSchema has read: nothing yet, the graph with its definitions, or why it could not. */
export type GraphSchemaRead = { state: 'reading' } | { state: 'read'; info: GraphInfo } | { state: 'failed'; error: string }

/**
 * Reads `graph` by graphs.get when it changes (nothing for undefined) and again when `version`
 * changes; an answer for a graph no longer asked about is dropped.
 */
export function useGraphSchema(graph: string | undefined, version = 0): GraphSchemaRead {
  const [read, setRead] = useState<GraphSchemaRead & { graph?: string }>({ state: 'reading' })
  useEffect(() => {
    if (graph === undefined) return
    let live = true
    send('graphs.get', { graph }).then(
      (info) => live && setRead({ state: 'read', info, graph }),
      (e: unknown) => live && setRead({ state: 'failed', error: errorText(e), graph }),
    )
    return () => {
      live = false
    }
  }, [graph, version])
  return read.graph === graph ? read : { state: 'reading' }
}
