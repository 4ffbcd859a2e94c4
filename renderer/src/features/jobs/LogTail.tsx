import { useEffect, useRef } from 'react'
import type { LogLine } from '../../../../shared/model'

/** The job's log, following new lines while the user is at the bottom. */
export function LogTail({ lines }: { lines: LogLine[] }) {
  const box = useRef<HTMLPreElement>(null)
  const follow = useRef(true)
  useEffect(() => {
    const el = box.current
    if (el && follow.current) el.scrollTop = el.scrollHeight
  }, [lines])
  return (
    <pre
      className="log"
      aria-label="job log"
      ref={box}
      onScroll={(e) => {
        const el = e.currentTarget
        follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24
      }}
    >
      {lines.length === 0 && <span className="muted">No log lines yet.</span>}
      {lines.map((l) => (
        <div key={l.seq} className={`log-line log-${l.level}`}>
          <span className="log-time">{new Date(l.time).toLocaleTimeString(undefined, { hour12: false })}</span>
          <span className="log-level">{l.level}</span>
          {l.task && <span className="log-task">{l.task}</span>}
          <span className="log-text">{l.text}</span>
        </div>
      ))}
    </pre>
  )
}
