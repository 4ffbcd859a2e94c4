import { useEffect, useRef, type ReactNode } from 'react'
import type { LogLine } from '../../../../shared/model'
import { SafeText } from '../shell/SafeText'

/**
 * ANSI SGR sequences (ESC [ params m: colour, bold, reset), which `grep --color`, pytest, npm and most
 * CLIs print. Only these: any other control character, ESC of another sequence included, stays
 * drawn as a marked escape by SafeText.
 */
const SGR = /\x1b\[[0-9;:]*m/g

/**
 * A log line's text as the log views draw it: without its SGR colour codes, which would otherwise
 * be a ⟨U+001B⟩ chip and `[31m` each (newuser4 #11). Downloads keep the bytes as written.
 */
export const withoutSgr = (text: string): string => (text.includes('\x1b[') ? text.replace(SGR, '') : text)

/**
 * One log line: time, level, task and text (with `mark` wrapping the parts to highlight). A line the
 * task wrote to stderr has a marker at its left and its own colour (muted red-orange; warnings amber,
 * errors red), as a terminal or Dagster's log view sets stderr apart from stdout.
 */
export function LogLineRow({ line, mark }: { line: LogLine; mark?: string }) {
  const stderr = line.stream === 'stderr'
  const text = withoutSgr(line.text)
  return (
    <div className={`log-line log-${line.level}${stderr ? ' log-stderr' : ''}`} data-seq={line.seq} data-stream={stderr ? 'stderr' : 'stdout'} title={stderr ? 'stderr' : undefined}>
      <span className="log-time">{new Date(line.time).toLocaleTimeString(undefined, { hour12: false })}</span>
      <span className="log-level">{line.level}</span>
      {line.task && (
        <span className="log-task">
          <SafeText text={line.task} />
        </span>
      )}
      <span className="log-text">{mark ? highlight(text, mark) : <SafeText text={text} multiline />}</span>
    </div>
  )
}

/** `text` with every case-insensitive occurrence of `mark` in a <mark>, each piece through SafeText. */
function highlight(text: string, mark: string): ReactNode[] {
  const parts: ReactNode[] = []
  const lower = text.toLowerCase()
  const needle = mark.toLowerCase()
  let at = 0
  for (let i = lower.indexOf(needle); i !== -1 && needle; i = lower.indexOf(needle, i + needle.length)) {
    if (i > at) parts.push(<SafeText key={`t${at}`} text={text.slice(at, i)} multiline />)
    parts.push(
      <mark key={i}>
        <SafeText text={text.slice(i, i + needle.length)} multiline />
      </mark>,
    )
    at = i + needle.length
  }
  if (at < text.length) parts.push(<SafeText key={`t${at}`} text={text.slice(at)} multiline />)
  return parts
}

/**
 * What an empty log says: "yet" only while its job or task may still write one; an ended one that
 * wrote nothing said "No log lines yet." as if more were coming (newuser5 #2).
 */
export const emptyLogText = (ended: boolean): string => (ended ? 'No log lines were written.' : 'No log lines yet.')

/** The job's log, following new lines while the user is at the bottom; `ended` once its job or task has ended. */
export function LogTail({ lines, ended = false }: { lines: LogLine[]; ended?: boolean }) {
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
      {lines.length === 0 && <span className="muted">{emptyLogText(ended)}</span>}
      {lines.map((l) => (
        <LogLineRow key={l.seq} line={l} />
      ))}
    </pre>
  )
}
