import { useEffect } from 'react'
import { formatCount } from '../../../../shared/number-format'
import { SCRATCH_LIST_LIMITS as L, type ScratchTable } from '../../../../shared/saved-scripts'
import { isTerminalJob } from '../../../../shared/status'
import { useSavedScripts } from '../../stores/saved-scripts'
import { useScripts } from '../../stores/scripts'
import { useSession } from '../../stores/session'
import { ListStatus } from '../shell/ListStatus'
import { whoseScratch } from './JobCodePane'

/** The tables and views of the user's scratch database (what SQL scripts run on), with their columns; read again after each run ends. */
export function ScratchTables() {
  const language = useScripts((s) => s.language)
  const finishedRun = useScripts((s) => (s.job && isTerminalJob(s.job.status) ? s.job.id : null))
  const tables = useSavedScripts((s) => s.tables)
  const load = useSavedScripts((s) => s.tablesLoad)
  const truncated = useSavedScripts((s) => s.tablesTruncated)
  const loadTables = useSavedScripts((s) => s.loadTables)
  const jobCode = useScripts((s) => s.jobCode)
  const me = useSession((s) => s.user?.username)
  // another user's SQL job ran in their scratch database, not in these tables
  const elsewhere = jobCode?.language === 'sql' && jobCode.submitter !== me ? jobCode : null
  useEffect(() => {
    if (language === 'sql') void loadTables()
  }, [language, finishedRun, loadTables])
  return (
    <section className="sc-side-section" aria-label="scratch database">
      <h3>
        Scratch database{' '}
        {language === 'sql' && (
          <button className="link" onClick={() => void loadTables()} title="Read the tables again">
            ↻
          </button>
        )}
      </h3>
      {elsewhere && (
        <p className="muted sc-side-note" data-testid="scratch-not-the-jobs">
          These are your tables: job #{elsewhere.jobId} ran in {whoseScratch(elsewhere, me)} scratch database.
        </p>
      )}
      {language !== 'sql' ? (
        <p className="muted sc-side-note">Shown for SQL: only SQL scripts run on your scratch database.</p>
      ) : !tables?.length ? (
        <ListStatus
          load={load}
          rows={0}
          what="scratch tables"
          className="muted sc-side-note"
          retry={() => void loadTables()}
          empty="No tables yet: a CREATE TABLE in a SQL script makes one, and it stays for your next runs."
        />
      ) : (
        <ul className="sc-tables" aria-label="scratch tables">
          {tables.map((t) => (
            <li key={t.name}>
              <details data-testid={`scratch-${t.name}`}>
                <summary>
                  <code>{t.name}</code> <span className="muted">{t.type === 'view' ? 'view · ' : ''}{columnCount(t)}</span>
                </summary>
                <ul className="sc-columns">
                  {t.columns.map((c) => (
                    <li key={c.name}>
                      <code>{c.name}</code> <span className="muted">{[c.type.toLowerCase() || 'any', c.primaryKey ? 'primary key' : '', c.notNull ? 'not null' : ''].filter(Boolean).join(' · ')}</span>
                    </li>
                  ))}
                  {t.columnsCut && <li className="muted">{t.columns.length ? 'more columns not listed' : 'columns not listed'}</li>}
                </ul>
              </details>
            </li>
          ))}
        </ul>
      )}
      {truncated && (
        <p className="muted sc-side-note" data-testid="scratch-truncated">
          Not everything is listed: at most {L.tables} tables, {formatCount(L.columns)} columns in all ({formatCount(L.tableColumns)} of one table), and no
          name longer than {formatCount(L.nameChars)} characters.
        </p>
      )}
    </section>
  )
}

/** A table's column count as listed: `12 col.`, `1000+ col.` when only the first were listed, `col. not listed` when none were. */
function columnCount(t: ScratchTable): string {
  if (!t.columnsCut) return `${t.columns.length} col.`
  return t.columns.length ? `${t.columns.length}+ col.` : 'col. not listed'
}
