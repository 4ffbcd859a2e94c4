import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { LOG_PAGE, useJobLog } from '../../stores/job-log'
import { downloadText } from '../scripts/download'
import { emptyLogText, LogLineRow } from './LogTail'
import { formatCount } from '../../../../shared/number-format'

const SEARCH_DELAY_MS = 300
const n = formatCount

/**
 * A job's log as log viewers of Airflow and Dagster show it: opened at the end and following
 * new lines, earlier lines a click away, a search over the whole stored log, the whole log
 * as a download. `ended` once the job has ended.
 */
export function LogViewer({ ended = false }: { ended?: boolean }) {
  const lines = useJobLog((s) => s.lines)
  const total = useJobLog((s) => s.total)
  const after = useJobLog((s) => s.after)
  const search = useJobLog((s) => s.search)
  const loading = useJobLog((s) => s.loading)
  const error = useJobLog((s) => s.error)
  const { loadEarlier, jumpToEnd, setSearch, download } = useJobLog.getState()
  const earlier = Math.max(0, total - lines.length - after)
  const [query, setQuery] = useState(search)
  useEffect(() => setQuery(search), [search])
  useEffect(() => {
    if (query === search) return
    const timer = setTimeout(() => setSearch(query), SEARCH_DELAY_MS)
    return () => clearTimeout(timer)
  }, [query, search, setSearch])

  const box = useRef<HTMLPreElement>(null)
  const follow = useRef(true)
  const firstSeq = useRef<number | null>(null)
  const heightBefore = useRef(0)
  useLayoutEffect(() => {
    const el = box.current
    if (!el) return
    const first = lines.length ? lines[0].seq : null
    if (firstSeq.current !== null && first !== null && first < firstSeq.current && !follow.current) {
      el.scrollTop += el.scrollHeight - heightBefore.current // earlier lines came in above: stay on the same line
    } else if (follow.current) el.scrollTop = el.scrollHeight
    firstSeq.current = first
    heightBefore.current = el.scrollHeight
  }, [lines])

  const save = async () => {
    const file = await download()
    if (file) downloadText(file.fileName, file.text, 'text/plain;charset=utf-8')
  }
  const counted = search
    ? `${n(total)} matching ${total === 1 ? 'line' : 'lines'}`
    : lines.length < total
      ? `${n(lines.length)} of ${n(total)} lines`
      : `${n(total)} ${total === 1 ? 'line' : 'lines'}`
  return (
    <section className="log-viewer" aria-label="log viewer">
      <div className="log-toolbar">
        <input type="search" aria-label="search the log" placeholder="Search the whole log" value={query} onChange={(e) => setQuery(e.target.value)} />
        <span className="muted" data-testid="log-count">
          {loading ? 'loading…' : counted}
        </span>
        <button onClick={() => void save()} title="The whole stored log as a text file">
          Download
        </button>
      </div>
      {error && <p className="error-text">{error}</p>}
      <pre
        className="log"
        aria-label="job log"
        ref={box}
        onScroll={(e) => {
          const el = e.currentTarget
          follow.current = after === 0 && el.scrollHeight - el.scrollTop - el.clientHeight < 24
        }}
      >
        {earlier > 0 && (
          <button className="log-more" disabled={loading} onClick={() => void loadEarlier()}>
            Load {n(Math.min(earlier, LOG_PAGE))} earlier {search ? 'matches' : 'lines'} ({n(earlier)} before these)
          </button>
        )}
        {lines.length === 0 && !loading && <span className="muted">{search ? 'No line matches.' : emptyLogText(ended)}</span>}
        {lines.map((l) => (
          <LogLineRow key={l.seq} line={l} mark={search || undefined} />
        ))}
        {after > 0 && (
          <button
            className="log-more"
            onClick={() => {
              follow.current = true
              void jumpToEnd()
            }}
          >
            {n(after)} newer {after === 1 ? 'line' : 'lines'} · jump to the end
          </button>
        )}
      </pre>
    </section>
  )
}
