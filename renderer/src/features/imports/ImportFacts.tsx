import { useEffect, useState } from 'react'
import type { ImportStatus } from '../../../../shared/graph'
import { isTerminalJob, type JobStatus } from '../../../../shared/status'
import { send } from '../../api/client'
import { formatCount } from '../../../../shared/number-format'
import { PhaseProgress } from './RunStep'

/** How often the Jobs page asks a running import for its figures. */
const POLL_MS = 1000
const n = (v: number) => formatCount(Math.round(v))

/**
 * An import job's figures for the Jobs page's detail (the job summary carries only a 0..1 progress):
 * rows/s, lines imported and failed (before it imports: what it does, PhaseProgress), asked for every second while it runs.
 */
export function ImportFacts({ taskId, status }: { taskId: string; status: JobStatus }) {
  const [s, setS] = useState<ImportStatus | null>(null)
  const running = !isTerminalJob(status)
  useEffect(() => {
    let alive = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = async () => {
      try {
        const next = await send('imports.status', { taskId })
        if (alive) setS(next)
      } catch {
        // the job's own status and error still show
      }
      if (alive && running) timer = setTimeout(() => void load(), POLL_MS)
    }
    void load()
    return () => {
      alive = false
      clearTimeout(timer)
    }
  }, [taskId, running])
  if (!s) return null
  const figures = s.live ?? s.report
  if (!figures) return null
  return (
    <>
      <dt>Import</dt>
      <dd data-testid="import-facts">
        {s.live && s.live.phase !== 'importing' ? <PhaseProgress live={s.live} graph={s.graph} /> : `${n(figures.rowsPerSecond)} rows/s · ${n(figures.imported)} imported · ${n(figures.failed)} failed`} · into {s.graph}
      </dd>
    </>
  )
}
