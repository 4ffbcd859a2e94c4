import type { GesFileDetail, GesImportFiles } from '../../../../shared/graph'
import { formatCount } from '../../../../shared/number-format'
import { SafeText } from '../shell/SafeText'

/** GES's file statuses in the page's words (null: the import ended before it settled the file). */
const STATUS_WORDS: Record<NonNullable<GesFileDetail['status']>, string> = { success: 'succeeded', partFailed: 'partly failed', failed: 'failed' }

/** A line count; GES gives -1 for a schema file, whose lines are not counted. */
const count = (lines: number): string => (lines < 0 ? '—' : formatCount(lines))

/** A GES import's lines imported and failed over all its data files, as its report counts them. */
export function gesLineTotals(ges: GesImportFiles): { imported: number; failed: number } {
  const files = [...ges.vertices, ...ges.edges]
  return { imported: files.reduce((n, f) => n + Math.max(0, f.successful_lines), 0), failed: files.reduce((n, f) => n + Math.max(0, f.failed_lines), 0) }
}

/**
 * A GES import-graph job's report as GES users read it (its job_detail): per GES file, schema first,
 * then vertex and edge files, its status, lines read, imported and failed, and the first failed
 * line's cause. The import's own report would name the parts the files were split into instead.
 */
export function GesReport({ ges }: { ges: GesImportFiles }) {
  const rows = [...ges.schema.map((f) => ['schema', f] as const), ...ges.vertices.map((f) => ['vertices', f] as const), ...ges.edges.map((f) => ['edges', f] as const)]
  return (
    <div className="im-report" data-testid="ges-import-report">
      <h3>Report</h3>
      <div className="im-table-wrap">
        <table className="tasks">
          <thead>
            <tr>
              <th>File</th>
              <th>Kind</th>
              <th>Status</th>
              <th className="num">Lines</th>
              <th className="num">Imported</th>
              <th className="num">Failed</th>
              <th>First failure</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([kind, f], i) => (
              <tr key={`${kind}:${i}`} data-report-file={f.path}>
                <td>
                  <SafeText text={f.path} />
                </td>
                <td>{kind}</td>
                <td className={f.status === 'failed' || f.status === 'partFailed' ? 'error-text' : ''}>{f.status ? STATUS_WORDS[f.status] : 'not imported'}</td>
                <td className="num" data-testid="ges-total">
                  {count(f.total_lines)}
                </td>
                <td className="num" data-testid="imported">
                  {count(f.successful_lines)}
                </td>
                <td className={f.failed_lines > 0 ? 'num error-text' : 'num'} data-testid="failed">
                  {count(f.failed_lines)}
                </td>
                <td className="im-notes-cell">{f.cause && <SafeText text={f.cause} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
