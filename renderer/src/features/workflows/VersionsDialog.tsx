import { useEffect, useMemo, useState } from 'react'
import type { WorkflowDetail } from '../../../../shared/workflows'
import { send } from '../../api/client'
import { useWorkflowManage } from '../../stores/workflow-manage'
import { useWorkflows } from '../../stores/workflows'
import { formatTime } from '../jobs/format'
import { Dialog } from '../shell/Dialog'
import { diffLines, type DiffLine } from './line-diff'
import { SafeText } from '../shell/SafeText'
import { mayOpenWorkflow } from './draft-guard'

const short = (version: string) => version.slice(0, 8)
const idOf = (d: WorkflowDetail, version: string) => `${d.workspace}:${d.name}:md5_${version}`

/** The unified diff of two versions' YAML, with both line numbers, as `git diff` shows it. */
function VersionDiff({ detail, from, to }: { detail: WorkflowDetail; from: string; to: string }) {
  const [texts, setTexts] = useState<{ from: string; to: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    setTexts(null)
    Promise.all([from, to].map((v) => (v === detail.version ? Promise.resolve(detail.source) : send('workflows.get', { descriptorId: idOf(detail, v) }).then((d) => d.source))))
      .then(([a, b]) => live && setTexts({ from: a, to: b }))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
    return () => {
      live = false
    }
  }, [detail, from, to])
  const lines = useMemo<DiffLine[] | null>(() => (texts ? diffLines(texts.from, texts.to) : null), [texts])
  if (error) return <p className="error-text">{error}</p>
  if (!lines) return <p className="muted">Loading…</p>
  const added = lines.filter((l) => l.kind === 'add').length
  const removed = lines.filter((l) => l.kind === 'del').length
  return (
    <>
      <p className="muted wf-diff-summary" data-testid="diff-summary">
        {from === to ? 'The same version.' : added + removed === 0 ? 'No differences.' : `${added} line${added === 1 ? '' : 's'} added, ${removed} removed`}
      </p>
      <div className="wf-diff" role="table" aria-label={`changes from ${short(from)} to ${short(to)}`} data-testid="version-diff">
        {lines.map((l, i) => (
          <div key={i} role="row" className={`wf-diff-line ${l.kind}`}>
            <span role="cell" className="wf-diff-no">{l.kind !== 'add' ? l.oldLine : ''}</span>
            <span role="cell" className="wf-diff-no">{l.kind !== 'del' ? l.newLine : ''}</span>
            <span role="cell" className="wf-diff-text">
              {l.kind === 'add' ? '+ ' : l.kind === 'del' ? '- ' : '  '}
              {l.text}
            </span>
          </div>
        ))}
      </div>
    </>
  )
}

/**
 * Versions and aliases of the open workflow: every stored version with the aliases on it, pointing
 * an alias at a version, deleting one, and the diff of any two versions.
 */
export function VersionsDialog({ detail, onClose }: { detail: WorkflowDetail; onClose: () => void }) {
  const open = useWorkflows((s) => s.open)
  const pointAlias = useWorkflowManage((s) => s.pointAlias)
  const error = useWorkflowManage((s) => s.error)
  const versions = useMemo(() => [...detail.versions].sort((a, b) => b.createdAt - a.createdAt), [detail.versions])
  const [alias, setAlias] = useState('')
  /** The alias whose × was pressed, until its deletion is confirmed or cancelled. */
  const [deleting, setDeleting] = useState<string | null>(null)
  const [target, setTarget] = useState(detail.version)
  const [from, setFrom] = useState(versions[1]?.version ?? detail.version)
  const [to, setTo] = useState(detail.version)
  const aliasOk = /^[a-zA-Z0-9]+$/.test(alias)
  const picker = (label: string, value: string, set: (v: string) => void) => (
    <select aria-label={label} value={value} onChange={(e) => set(e.target.value)}>
      {versions.map((v) => (
        <option key={v.version} value={v.version}>
          {short(v.version)} · {formatTime(v.createdAt)}
        </option>
      ))}
    </select>
  )
  return (
    <Dialog
      title={
        <>
          Versions of{' '}
          <code>
            <SafeText text={`${detail.workspace}:${detail.name}`} />
          </code>
        </>
      }
      label="versions and aliases"
      className="wf-versions"
      onClose={onClose}
      actions={
        <button type="button" onClick={onClose} data-autofocus>
          Close
        </button>
      }
    >
      {deleting !== null && (
        <Dialog
          title={`Delete the alias ${deleting}?`}
          label={`delete alias ${deleting}`}
          submit="Delete alias"
          close="Cancel"
          onClose={() => setDeleting(null)}
          onSubmit={(e) => {
            e.preventDefault()
            setDeleting(null)
            void pointAlias(deleting, null)
          }}
        >
          <p data-testid="alias-delete-question">
            The alias <code>{deleting}</code> points to version <code>{short(detail.aliases[deleting] ?? '')}</code>. Runs and links that name{' '}
            <code>{deleting}</code> will no longer find it; the version itself is kept.
          </p>
        </Dialog>
      )}
      <table className="wf-version-table" aria-label="versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>Saved</th>
            <th>Aliases</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} data-testid={`version-${short(v.version)}`} className={v.version === detail.version ? 'current' : undefined}>
              <td>
                <code title={v.version}>{short(v.version)}</code>
              </td>
              <td className="muted">{formatTime(v.createdAt)}</td>
              <td className="wf-version-aliases">
                {Object.entries(detail.aliases)
                  .filter(([, version]) => version === v.version)
                  .map(([a]) => (
                    <span key={a} className="wf-alias">
                      {a}
                      <button className="wf-alias-delete" aria-label={`delete alias ${a}`} title={`Delete the alias ${a}`} onClick={() => setDeleting(a)}>
                        ×
                      </button>
                    </span>
                  ))}
              </td>
              <td>
                {v.version === detail.version ? (
                  <span className="muted">open</span>
                ) : (
                  <button
                    className="link"
                    onClick={async () => {
                      onClose()
                      if (await mayOpenWorkflow(idOf(detail, v.version))) void open(idOf(detail, v.version))
                    }}
                  >
                    Open
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="wf-point-alias"
        aria-label="point an alias"
        onSubmit={(e) => {
          e.preventDefault()
          if (aliasOk) void pointAlias(alias, target).then((ok) => ok && setAlias(''))
        }}
      >
        <label>
          Point alias
          <input aria-label="alias name" value={alias} onChange={(e) => setAlias(e.target.value)} placeholder="e.g. release" size={12} aria-invalid={alias !== '' && !aliasOk} />
        </label>
        <label>at {picker('alias target version', target, setTarget)}</label>
        <button type="submit" disabled={!aliasOk} title={aliasOk ? undefined : 'An alias is letters and digits only'}>
          Point
        </button>
        {alias !== '' && !aliasOk && <span className="error-text">Letters and digits only.</span>}
      </form>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <h3>Compare</h3>
      <div className="wf-diff-pick">
        {picker('older version', from, setFrom)} → {picker('newer version', to, setTo)}
      </div>
      <VersionDiff detail={detail} from={from} to={to} />
    </Dialog>
  )
}
