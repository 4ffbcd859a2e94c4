import { useEffect, useRef } from 'react'
import { gesFilesHeldNoLines, NO_LINES_TO_IMPORT, type ImportReport, type ImportStatus, type LiveImportProgress } from '../../../../shared/graph'
import type { ImportCheck } from '../../../../shared/graph-api'
import { isTerminalJob, type JobStatus } from '../../../../shared/status'
import { useImports } from '../../stores/imports'
import { inPageWords } from './mapping'
import { SafeText } from '../shell/SafeText'
import { StatusBadge } from '../jobs/StatusBadge'
import { GesReport, gesLineTotals } from './GesReport'
import { counted, formatCount, formatSize } from '../../../../shared/number-format'

const n = formatCount

/** Step 3: the check's problems, Start, the running import's progress, and its report. */
export function RunStep({ onOpenJob }: { onOpenJob?: (jobId: number) => void }) {
  const files = useImports((s) => s.files)
  const check = useImports((s) => s.check)
  const busy = useImports((s) => s.busy)
  const runCheck = useImports((s) => s.runCheck)
  const start = useImports((s) => s.start)
  const status = useImports((s) => s.status)
  const run = useImports((s) => s.run)
  const progress = useRef<HTMLDivElement>(null)
  // a started import shows its progress where the person looks next, however small the window
  useEffect(() => {
    if (run) progress.current?.scrollIntoView({ block: 'nearest' })
  }, [run?.taskId])
  const badHeader = files.find((f) => f.headerInput)
  const ready = files.length > 0 && !badHeader && files.every((f) => f.upload.state === 'uploaded' && f.label)
  const running = status != null && !isTerminalJob(status.status as JobStatus)
  return (
    <section className="card im-step" aria-label="check and import">
      <h2>
        <span className="im-step-no">3</span> Check and import
      </h2>
      <div className="im-row">
        <button disabled={!ready || busy !== null} onClick={() => void runCheck()}>
          {busy === 'checking' ? 'Checking…' : 'Check'}
        </button>
        <button className="primary" disabled={!ready || busy !== null || running} onClick={() => void start()}>
          {busy === 'starting' ? 'Starting…' : 'Start import'}
        </button>
        <span className="muted">
          {files.length === 0
            ? 'Add files first.'
            : badHeader
              ? <>Fix the header lines of <SafeText text={badHeader.path} /> first.</>
              : !ready
              ? 'Waiting for every file to be uploaded and mapped.'
              : 'Start checks the mapping and the first lines of each file, creates the new labels, then imports.'}
        </span>
      </div>
      {check && <Problems check={check} />}
      <div ref={progress}>
        {run && status && <Progress status={status} onOpenJob={onOpenJob} />}
        {run && !status && <p className="muted">Starting import {run.taskId}…</p>}
      </div>
      {/* a GES import-graph job: its GES files, not the parts they were split into */}
      {status?.ges ? <GesReport ges={status.ges} /> : status?.report && <Report report={status.report} />}
    </section>
  )
}

function Problems({ check }: { check: ImportCheck }) {
  return (
    <>
      {check.problems.length === 0 ? (
        <p className="ok-text" role="status" data-testid="check-ok">
          No problems found: the mapping fits the graph, and the first {n(check.files.reduce((a, f) => a + f.sampledLines, 0))} lines parse.
        </p>
      ) : (
        <ul className="im-problems" aria-label="problems" data-testid="problems">
          {check.problems.map((p, i) => (
            <li key={i} className={p.severity}>
              <span className={p.severity === 'error' ? 'badge badge-failed' : 'badge badge-cancelled'}>{p.severity}</span>
              {p.file && (
                <span className="im-path">
                  <SafeText text={p.file} />
                </span>
              )}
              <span className="im-problem-text">{inPageWords(p.message)}</span>
            </li>
          ))}
        </ul>
      )}
      <PartlyRead check={check} />
    </>
  )
}

/**
 * `read` of `size` bytes as "1 MiB of 3.2 MiB"; in bytes ("17,825,796 bytes of 17,825,808 bytes")
 * when the two round alike, so that a part never reads as the whole.
 */
function partOfSize(read: number, size: number): string {
  const [a, b] = [formatSize(read), formatSize(size)]
  return a === b && read !== size ? `${n(read)} bytes of ${n(size)} bytes` : `${a} of ${b}`
}

/**
 * What a running import does before it imports a line (live phase other than `importing`), with the
 * figures known so far, never "0 B of 0 B": a GES import's split while it reads the user's files
 * ("splitting: 1.2 MiB of 3.4 MiB, file g/people.csv", the file as the request named it; "splitting: sizing
 * the files" until the split's worker has sized them), its labels
 * made after it ("preparing the import: 3.4 MiB of 3.4 MiB split"), and any import's wait for another
 * import into `graph` ("waiting for the import running into g to end", then the split's figures if any).
 */
export function PhaseProgress({ live, graph }: { live: LiveImportProgress; graph: string }) {
  const split = live.bytesTotal > 0 ? `${partOfSize(live.bytesDone, live.bytesTotal)} split` : null
  return (
    <span data-testid={`import-${live.phase}`}>
      {live.phase === 'splitting' ? (
        <>
          {/* before the split's worker has sized the files (its first word), nothing is known: not "0 B of 0 B" */}
          splitting: {live.bytesTotal > 0 ? partOfSize(live.bytesDone, live.bytesTotal) : 'sizing the files'}
          {live.file !== null && (
            <>
              , file <SafeText text={live.file} />
            </>
          )}
        </>
      ) : live.phase === 'preparing' ? (
        `preparing the import${split ? `: ${split}` : ''}`
      ) : (
        <>
          waiting for the import running into <SafeText text={graph} /> to end{split && `; ${split}`}
        </>
      )}
    </span>
  )
}

/**
 * The files a check read in part (FileCheck.bytesRead below its bytes): how much of each, so that its
 * label's figures above are not taken for the whole file's (#9 LOW). Nothing when every file was read whole.
 */
export function PartlyRead({ check }: { check: ImportCheck }) {
  const partly = check.files.filter((f) => f.bytesRead < f.bytes)
  if (partly.length === 0) return null
  return (
    <p className="muted" data-testid="check-partial">
      Checked in part (the import reads every line):{' '}
      {partly.map((f, i) => (
        <span key={f.path}>
          {i > 0 && '; '}
          <SafeText text={f.path} /> ({f.kind} {f.label}): its first {partOfSize(f.bytesRead, f.bytes)}, {counted(f.sampledLines, 'data line')}
        </span>
      ))}
      .
    </p>
  )
}

function Progress({ status, onOpenJob }: { status: ImportStatus; onOpenJob?: (jobId: number) => void }) {
  const cancel = useImports((s) => s.cancel)
  const live = status.live
  const report = status.report
  const pct = Math.round(Math.max(0, Math.min(1, status.progress)) * 100)
  // an ended GES import counts its files' lines as its report does (lines the split could not place too)
  const ges = status.ges && !live ? gesLineTotals(status.ges) : null
  const imported = live?.imported ?? ges?.imported ?? report?.imported ?? 0
  const failed = live?.failed ?? ges?.failed ?? report?.failed ?? 0
  const rate = live?.rowsPerSecond ?? report?.rowsPerSecond ?? 0
  const done = live?.bytesDone ?? report?.bytesDone ?? 0
  const total = live?.bytesTotal ?? report?.bytesTotal ?? 0
  const running = !isTerminalJob(status.status as JobStatus)
  // a GES job whose files held no line ended with no import run: the server's words, not "0 B of 0 B"
  const noLines = !running && status.status === 'succeeded' && status.ges !== null && gesFilesHeldNoLines(status.ges)
  // why it failed, once, here by its state: the report's reason (the job's error without the engine's
  // "task import: " before it) when there is a report, else the job's error; the report below does not repeat it
  const error = status.status === 'succeeded' ? null : (report?.reason ?? status.error)
  return (
    <div className="im-progress" data-testid="import-progress">
      <div className="im-row">
        <StatusBadge status={status.status as JobStatus} />
        <div className={`progress im-bar-wide progress-${status.status}`} role="progressbar" aria-label="import progress" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
          <div className="progress-fill" style={{ width: `${pct}%` }} />
          <span className="progress-label">{pct}%</span>
        </div>
        {running && (
          <button className="sc-kill" disabled={status.status === 'cancelling'} onClick={() => void cancel()}>
            Cancel
          </button>
        )}
      </div>
      <p className="im-figures" data-testid="import-figures">
        {live && live.phase !== 'importing' ? (
          // not importing yet (a GES import's split, its labels, a wait for the graph): nothing imported or failed to say
          <PhaseProgress live={live} graph={status.graph} />
        ) : (
          <>
            <strong>{n(imported)}</strong> imported · <strong className={failed ? 'error-text' : ''}>{n(failed)}</strong> failed ·{' '}
            {noLines ? (
              <span data-testid="import-no-lines">{NO_LINES_TO_IMPORT}</span>
            ) : (
              `${n(Math.round(rate))} rows/s · ${formatSize(done)} of ${formatSize(total)}`
            )}
          </>
        )}{' '}
        ·{' '}
        {onOpenJob ? (
          // the job on the Jobs page, as the Scripts and Workflows pages link theirs
          <button className="link" data-testid="import-job" aria-label={`open job ${status.jobId} on the Jobs page`} title="Open this job on the Jobs page" onClick={() => onOpenJob(status.jobId)}>
            Job #{status.jobId} ↗
          </button>
        ) : (
          `job #${status.jobId}`
        )}
      </p>
      {error && <pre className="sc-job-error">{error}</pre>}
    </div>
  )
}

/**
 * Per file: lines read, imported and failed (and rolled back and skipped, where any file has some);
 * then the failed lines with their reason (why the import failed is said once, above, under its progress bar). The two rare columns are left out when all zero: a
 * "Skipped 0" beside "Failed 1" read as a contradiction, since the check and the checkbox call the
 * lines that fail "skipped" (newuser5 #3).
 */
export function Report({ report }: { report: ImportReport }) {
  const failures = report.files.flatMap((f) => f.failures.map((l) => ({ file: f.path, ...l })))
  const rolledBack = report.files.some((f) => f.rolledBack > 0)
  const skipped = report.files.some((f) => f.skipped > 0)
  return (
    <div className="im-report" data-testid="import-report">
      <h3>Report</h3>
      <div className="im-table-wrap">
        <table className="tasks">
          <thead>
            <tr>
              <th>File</th>
              <th>Label</th>
              <th className="num">Lines</th>
              <th className="num">Imported</th>
              <th className="num">Failed</th>
              {rolledBack && (
                <th className="num" title="Data lines of the package a failed line stopped: rolled back with it, so not imported (the note says which lines)">
                  Not imported (rolled back)
                </th>
              )}
              {skipped && (
                <th className="num" title="Lines of packages passed over by the import's skipPackages">
                  Skipped
                </th>
              )}
              <th>Notes</th>
            </tr>
          </thead>
          <tbody>
            {report.files.map((f) => (
              <tr key={f.path} data-report-file={f.path}>
                <td>
                  <SafeText text={f.path} />
                </td>
                <td>
                  {f.kind} {f.label}
                </td>
                <td className="num">{n(f.lines)}</td>
                <td className="num" data-testid="imported">
                  {n(f.imported)}
                </td>
                <td className={f.failed ? 'num error-text' : 'num'} data-testid="failed">
                  {n(f.failed)}
                </td>
                {rolledBack && <td className="num">{n(f.rolledBack)}</td>}
                {skipped && <td className="num">{n(f.skipped)}</td>}
                <td className="im-notes-cell">{f.notes.join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {failures.length > 0 && (
        <>
          <h3>
            Failed lines{report.files.some((f) => f.failed > f.failures.length) && <span className="muted"> (the first 100 of each file)</span>}
          </h3>
          <div className="im-table-wrap">
            <table className="tasks im-failures" data-testid="failed-lines">
              <thead>
                <tr>
                  <th>File</th>
                  <th className="num">Line</th>
                  <th>Reason</th>
                  <th>Text</th>
                </tr>
              </thead>
              <tbody>
                {failures.map((l) => (
                  <tr key={`${l.file}:${l.line}`}>
                    <td>
                      <SafeText text={l.file} />
                    </td>
                    <td className="num">{n(l.line)}</td>
                    <td className="im-reason">{l.reason}</td>
                    <td className="im-text">
                      <code>
                        <SafeText text={l.text} />
                      </code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  )
}
