import { IMPORT_ENCODINGS, NOT_IMPORTABLE_TYPES, PROPERTY_TYPES, type ImportEncoding, type LabelDef, type LabelKind, type PropertyType } from '../../../../shared/graph'
import { MAX_IMPORT_HEADER_LINES } from '../../../../shared/graph-api'
import { useImports } from '../../stores/imports'
import { counted, formatCount, formatSize } from '../../../../shared/number-format'
import { NO_FILES_IN_FOLDER } from '../../../../shared/upload-names'
import { SafeText, visibleText } from '../shell/SafeText'
import { uploadPathProblem, type ColumnDraft, type FileDraft, type UploadState } from './mapping'

/** The id of the Header lines box's problem line (one mapping shows at a time). */
const HEADER_PROBLEM_ID = 'im-header-problem'
const TYPES = PROPERTY_TYPES.filter((t) => !NOT_IMPORTABLE_TYPES.has(t))
const NEW = '\u0000new'
/** What the mapping says while a file has no preview yet, by its upload's state. */
const PREVIEW_WAIT: Record<UploadState, string> = {
  uploading: 'The preview shows once the file is uploaded.',
  uploaded: 'Reading the first rows…',
  failed: 'The file was not uploaded (see why in Files): there is nothing to preview. Remove it, or choose it again.',
  missing: 'The preview shows once the file is uploaded: drop it in Files.',
  empty: `This is ${NO_FILES_IN_FOLDER}: there is nothing to preview. Upload files into it, or remove it.`,
}

/** Step 2: one file's format and header, its label (picked or new), and what each column becomes, over its first rows. */
export function MappingStep({ path }: { path: string }) {
  const d = useImports((s) => s.files.find((f) => f.path === path))!
  const setFormat = useImports((s) => s.setFormat)
  const setHeaderText = useImports((s) => s.setHeaderText)
  const setLabel = useImports((s) => s.setLabel)
  const setDraft = useImports((s) => s.setDraft)
  // the labels known depend on the graph, a loaded config and every file's new label
  useImports((s) => s.files)
  useImports((s) => s.schema)
  useImports((s) => s.pending)
  useImports((s) => s.graph)
  const labels = useImports.getState().labels()
  const ofKind = (kind: LabelKind) => labels.filter((l) => (l.type === 'VERTEX') === (kind === 'vertex') && !(d.newLabel && d.kind === kind && l.label === d.label))
  const vertexLabels = labels.filter((l) => l.type === 'VERTEX').map((l) => l.label)
  const def = labels.find((l) => l.label === d.label && (l.type === 'VERTEX') === (d.kind === 'vertex'))
  const p = d.preview
  return (
    <section className="card im-step" aria-label="mapping">
      <h2>
        <span className="im-step-no">2</span> Map{' '}
        <span className="im-path">
          <SafeText text={d.path} />
        </span>
      </h2>
      <div className="im-row">
        <div className="im-seg" role="group" aria-label="format">
          {(['CSV', 'JSON'] as const).map((f) => (
            <button key={f} aria-pressed={d.format === f} onClick={() => setFormat(path, { format: f })}>
              {f === 'CSV' ? 'CSV' : 'JSON lines'}
            </button>
          ))}
        </div>
        <label className="im-inline" title={`lines before the data (0 to ${MAX_IMPORT_HEADER_LINES}); the last of them names the columns`}>
          Header lines
          <input
            type="number"
            className="im-short"
            min={0}
            max={MAX_IMPORT_HEADER_LINES}
            step={1}
            value={d.headerInput?.text ?? d.header}
            onChange={(e) => setHeaderText(path, e.target.value)}
            {...(d.headerInput ? { 'aria-invalid': true, 'aria-describedby': HEADER_PROBLEM_ID } : {})}
          />
        </label>
        <label className="im-inline" title="the file's text encoding; a byte-order mark (UTF-8, UTF-16) decides over it">
          Encoding
          <select aria-label="encoding" value={d.encoding} onChange={(e) => setFormat(path, { encoding: e.target.value as ImportEncoding })}>
            {IMPORT_ENCODINGS.map((e) => (
              <option key={e} value={e}>
                {e.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        {p?.encodingGuessed && (
          <span className="im-guessed" data-testid="encoding-guessed" title={p.encodingGuessed}>
            guessed: the file is not UTF-8
          </span>
        )}
        {d.headerInput && (
          <p id={HEADER_PROBLEM_ID} className="error-text im-field-problem" role="alert">
            {d.headerInput.problem}
          </p>
        )}
        {p && (
          <span className="muted" data-testid="preview-facts">
            {/* a folder's preview is of its first file: said, so its figures are not read as the folder's */}
            {d.folder && <>{d.folder.first.slice(d.folder.first.lastIndexOf('/') + 1)}, the first of {formatCount(d.folder.files)}: </>}
            {formatSize(p.bytes)} · {p.complete ? counted(p.sampledLines, 'data line') : `first ${counted(p.sampledLines, 'data line')} read`}
          </span>
        )}
      </div>
      <div className="im-row">
        <div className="im-seg" role="group" aria-label="kind">
          {(['vertex', 'edge'] as const).map((k) => (
            <button key={k} aria-pressed={d.kind === k} onClick={() => k !== d.kind && setLabel(path, k, ofKind(k)[0]?.label ?? d.label, ofKind(k).length === 0)}>
              {k === 'vertex' ? 'Vertices' : 'Edges'}
            </button>
          ))}
        </div>
        <label className="im-inline">
          {d.kind === 'vertex' ? 'Vertex label' : 'Edge label'}
          <select value={d.newLabel ? NEW : d.label} onChange={(e) => (e.target.value === NEW ? setLabel(path, d.kind, d.label || 'label', true) : setLabel(path, d.kind, e.target.value, false))}>
            {ofKind(d.kind).map((l) => (
              <option key={l.label} value={l.label}>
                {l.label}
              </option>
            ))}
            <option value={NEW}>+ new label…</option>
          </select>
        </label>
        {d.newLabel && (
          <label className="im-inline">
            New label name
            <input value={d.label} onChange={(e) => setDraft(path, { label: e.target.value })} />
          </label>
        )}
        {d.kind === 'vertex' && d.newLabel && (
          <label className="im-inline" title="the property that identifies a vertex (unique); edges name vertices by it">
            Primary key
            <select value={d.primary} onChange={(e) => setDraft(path, { primary: e.target.value })}>
              {d.columns
                .filter((c) => c.role === 'property' && c.name)
                .map((c) => (
                  <option key={c.name} value={c.name}>
                    {visibleText(c.name)}
                  </option>
                ))}
            </select>
          </label>
        )}
        {d.kind === 'vertex' && !d.newLabel && def?.type === 'VERTEX' && <span className="muted">primary key: {def.primary}</span>}
        {d.kind === 'edge' && (
          <>
            <EndpointSelect label="From" title="the vertex label of the SRC_ID column's keys" value={d.src} options={vertexLabels} onChange={(src) => setDraft(path, { src })} />
            <EndpointSelect label="To" title="the vertex label of the DST_ID column's keys" value={d.dst} options={vertexLabels} onChange={(dst) => setDraft(path, { dst })} />
          </>
        )}
      </div>
      {d.kind === 'edge' && (
        <p className="muted im-hint">
          An edge file names the vertices it links by their primary keys: the <code>SRC_ID</code> column holds the key of a <em>From</em> vertex, the{' '}
          <code>DST_ID</code> column that of a <em>To</em> vertex.
          {vertexLabels.length === 0 && ' There are no vertex labels yet: add a vertex file to this import first.'}
        </p>
      )}
      {d.previewError && (
        <p className="error-text" role="alert">
          {d.previewError}
        </p>
      )}
      {!p && !d.previewError && (
        // a config's path no upload can have is never uploaded: said why (as its Files row), not "drop it"
        <p className="muted">{d.upload.state === 'missing' && uploadPathProblem(d.path) ? `Nothing to preview: ${visibleText(uploadPathProblem(d.path)!)}. Map a file from your upload folder instead.` : PREVIEW_WAIT[d.upload.state]}</p>
      )}
      {p && <PreviewTable d={d} def={d.newLabel ? undefined : def} />}
      {p && p.notes.length > 0 && (
        <ul className="im-notes">
          {p.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </section>
  )
}

function EndpointSelect(o: { label: string; title: string; value: string; options: string[]; onChange: (v: string) => void }) {
  const options = o.value && !o.options.includes(o.value) ? [o.value, ...o.options] : o.options
  return (
    <label className="im-inline" title={o.title}>
      {o.label}
      <select value={o.value} onChange={(e) => o.onChange(e.target.value)}>
        {!o.value && <option value="">choose…</option>}
        {options.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  )
}

function PreviewTable({ d, def }: { d: FileDraft; def: LabelDef | undefined }) {
  const p = d.preview!
  const width = Math.max(p.columns.length, d.columns.length)
  const cols = Array.from({ length: width }, (_, i) => i)
  return (
    <div className="im-preview-wrap">
      <table className="im-preview" data-testid="preview">
        <thead>
          <tr>
            <th className="im-line">line</th>
            {cols.map((i) => {
              // a property column's header names the type chosen for it below, not the one suggested at first (newuser4 #13)
              const suggested = p.columns[i]?.type
              const chosen = d.columns[i]?.role === 'property' ? d.columns[i].type : undefined
              const type = chosen ?? suggested
              return (
                <th key={i} className="im-colname">
                  {p.headerFields?.[i] ?? `column ${i + 1}`}
                  {type && (
                    <span className="im-coltype" title={chosen && suggested && chosen !== suggested ? `the type chosen below (its values suggest ${suggested})` : 'the type its values suggest'}>
                      {type}
                    </span>
                  )}
                </th>
              )
            })}
          </tr>
          <tr className="im-map-row">
            <th className="im-line">maps to</th>
            {cols.map((i) => (
              <th key={i}>{d.columns[i] && <ColumnEditor d={d} index={i} column={d.columns[i]} def={def} />}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr key={r.line} className={r.error ? 'im-bad-row' : ''}>
              <td className="im-line">{formatCount(r.line)}</td>
              {r.fields ? (
                // a field past the line's end is missing, not empty: the line fails (TuGraph reads no missing trailing field)
                cols.map((i) => <td key={i}>{i >= r.fields!.length ? <span className="im-null">missing</span> : r.fields![i] == null ? <span className="im-null">empty</span> : r.fields![i]}</td>)
              ) : (
                <td colSpan={width} className="error-text">
                  {r.error}
                </td>
              )}
            </tr>
          ))}
          {p.rows.length === 0 && (
            <tr>
              <td colSpan={width + 1} className="empty">
                No data lines.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  )
}

/** What one column becomes: a property of the label (or of the new label: name, type, optional), SKIP, or an edge's SRC_ID / DST_ID. */
function ColumnEditor({ d, index, column, def }: { d: FileDraft; index: number; column: ColumnDraft; def: LabelDef | undefined }) {
  const setColumn = useImports((s) => s.setColumn)
  const set = (patch: Partial<ColumnDraft>) => setColumn(d.path, index, patch)
  const roleValue = column.role === 'property' ? (def ? `p:${column.name}` : 'property') : column.role
  const aria = `column ${index + 1} maps to`
  const endpoints = d.kind === 'edge' && (
    <>
      <option value="SRC_ID">SRC_ID (From key)</option>
      <option value="DST_ID">DST_ID (To key)</option>
    </>
  )
  if (def) {
    return (
      <select
        aria-label={aria}
        value={roleValue}
        className={column.role === 'SKIP' ? 'im-skip' : ''}
        onChange={(e) => {
          const v = e.target.value
          const prop = def.properties.find((q) => `p:${q.name}` === v)
          set(prop ? { role: 'property', name: prop.name, type: prop.type, optional: !!prop.optional } : { role: v as ColumnDraft['role'] })
        }}
      >
        <option value="SKIP">— skip —</option>
        {endpoints}
        {def.properties.map((q) => (
          <option key={q.name} value={`p:${q.name}`}>
            {visibleText(q.name)} · {q.type}
            {q.optional ? '' : ' (required)'}
          </option>
        ))}
      </select>
    )
  }
  const suggested = d.preview?.columns[index]?.type
  return (
    <div className="im-col-editor">
      <select aria-label={aria} value={roleValue} className={column.role === 'SKIP' ? 'im-skip' : ''} onChange={(e) => set({ role: e.target.value as ColumnDraft['role'] })}>
        <option value="property">property</option>
        <option value="SKIP">— skip —</option>
        {endpoints}
      </select>
      {column.role === 'property' && (
        <>
          <input aria-label={`column ${index + 1} property name`} value={column.name} onChange={(e) => set({ name: e.target.value })} />
          <select aria-label={`column ${index + 1} type`} value={column.type} onChange={(e) => set({ type: e.target.value as PropertyType })} title={suggested ? `suggested from the data: ${suggested}` : undefined}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <label className="check im-optional" title="rows may leave it empty">
            <input type="checkbox" aria-label={`column ${index + 1} optional`} checked={column.optional} disabled={d.kind === 'vertex' && column.name === d.primary} onChange={(e) => set({ optional: e.target.checked })} />
            optional
          </label>
        </>
      )}
    </div>
  )
}
