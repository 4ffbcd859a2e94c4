import { useRef, useState } from 'react'
import type { WorkflowDetail } from '../../../../shared/workflows'
import { useWorkflows } from '../../stores/workflows'
import { formatTime } from '../jobs/format'
import { DirtyMark } from '../shell/DirtyMark'
import { useSaveShortcut } from '../shell/save-shortcut'
import { VersionsDialog } from './VersionsDialog'
import { SafeText, visibleText } from '../shell/SafeText'
import { mayOpenWorkflow } from './draft-guard'
import { ShowListButton } from './WorkflowList'

/** Aliases pointing at a version, e.g. "release". */
function aliasesOf(detail: WorkflowDetail, version: string): string[] {
  return Object.entries(detail.aliases)
    .filter(([, v]) => v === version)
    .map(([alias]) => alias)
}

function VersionPicker({ detail }: { detail: WorkflowDetail }) {
  const open = useWorkflows((s) => s.open)
  const versions = [...detail.versions].sort((a, b) => b.createdAt - a.createdAt)
  return (
    <select
      aria-label="version"
      value={detail.version}
      onChange={(e) => {
        const id = `${detail.workspace}:${detail.name}:md5_${e.target.value}`
        void mayOpenWorkflow(id).then((ok) => (ok ? open(id) : undefined))
      }}
    >
      {versions.map((v) => {
        const aliases = aliasesOf(detail, v.version)
        return (
          <option key={v.version} value={v.version} title={`saved ${formatTime(v.createdAt)}`}>
            {v.version.slice(0, 8)}
            {aliases.length ? ` (${aliases.join(', ')})` : ''}
          </option>
        )
      })}
    </select>
  )
}

function SaveControls() {
  const save = useWorkflows((s) => s.save)
  const busy = useWorkflows((s) => s.busy)
  const valid = useWorkflows((s) => s.validation?.ok === true && s.validatedText === s.draft)
  const [alias, setAlias] = useState('')
  /** Saves once the text is known to be valid (Ctrl+S may come before the typing pause's check). */
  const saveChecked = async (name: string) => {
    const s = useWorkflows.getState()
    if (s.busy) return
    if (s.validatedText !== s.draft) await s.validate(s.draft)
    const checked = useWorkflows.getState()
    if (checked.validation?.ok && checked.validatedText === checked.draft) await save(name)
  }
  const form = useRef<HTMLFormElement>(null)
  useSaveShortcut(() => form.current?.requestSubmit())
  return (
    <form
      ref={form}
      className="wf-save"
      aria-label="save workflow"
      onSubmit={(e) => {
        e.preventDefault()
        void saveChecked(alias.trim())
      }}
    >
      <input aria-label="alias" placeholder="alias (optional)" value={alias} onChange={(e) => setAlias(e.target.value)} size={10} />
      <button type="submit" className="primary" disabled={!valid || busy !== null} title={valid ? 'Store this text as a new version (Ctrl+S)' : 'Fix the problem below first'} aria-keyshortcuts="Control+S Meta+S">
        {busy === 'saving' ? 'Saving…' : 'Save'}
      </button>
    </form>
  )
}

/**
 * A version of the open workflow saved elsewhere (another window, a Rill Flow client) since it was
 * opened: offered to load, never loaded over the draft (unsaved edits are asked about first, and kept).
 */
function NewerVersionNotice() {
  const detail = useWorkflows((s) => s.detail)
  const newer = useWorkflows((s) => s.newerVersion)
  const loadNewer = useWorkflows((s) => s.loadNewer)
  const deleted = useWorkflows((s) => s.deletedElsewhere)
  if (detail && deleted) {
    return (
      <p className="wf-newer" data-testid="deleted-elsewhere" role="status">
        This workflow was deleted elsewhere; the text stays here, and Save stores it again.
      </p>
    )
  }
  if (!detail || !newer) return null
  const id = `${detail.workspace}:${detail.name}:md5_${newer}`
  return (
    <p className="wf-newer" data-testid="newer-version" role="status">
      A newer version (<code>{newer.slice(0, 8)}</code>) was saved elsewhere —{' '}
      <button className="link" onClick={() => void mayOpenWorkflow(id).then((ok) => (ok ? loadNewer() : undefined))}>
        load it
      </button>
    </p>
  )
}

/**
 * What the last save stored ("Saved as …", and the aliases it moved), until the text is edited
 * again. It lies over the editor's foot, where the check line is (the saved text is valid), so it
 * never takes the editor's height: in the toolbar it pushed the editor to ~4 lines at 900×600.
 */
export function SavedNotice() {
  const savedId = useWorkflows((s) => s.savedId)
  const movedAliases = useWorkflows((s) => s.movedAliases)
  if (!savedId) return null
  return (
    <p className="wf-saved" data-testid="saved-id" role="status">
      ✓ Saved as <code>{savedId}</code>
      {movedAliases.length > 0 && (
        <span data-testid="moved-aliases">
          {' · '}
          {movedAliases.join('; ')}
        </span>
      )}
    </p>
  )
}

/**
 * For a new draft whose name (`id`, workspace:dagName) is a saved workflow's: says so, with a way to
 * open it. A fresh tab starts on the starter text, whose name is the one a first save gave, so the
 * editor said "not saved" and "Save the workflow to run it" of a workflow the list showed (trial10).
 */
function ExistingNameNote({ id }: { id: string }) {
  const exists = useWorkflows((s) => s.summaries.some((w) => `${w.workspace}:${w.name}` === id))
  const open = useWorkflows((s) => s.open)
  if (!exists) return null
  return (
    <span className="wf-existing-note muted" data-testid="wf-existing-note">
      saved already: saving adds a version ·{' '}
      <button className="link" onClick={async () => (await mayOpenWorkflow(id)) && void open(id)}>
        open it
      </button>
    </span>
  )
}

/**
 * What is being edited (descriptor, version, aliases, unsaved state) and how to save it; with
 * `onShowList` (the workflow list is folded away), first a button that brings the list back.
 */
export function EditorToolbar({ onShowList }: { onShowList?: () => void }) {
  const detail = useWorkflows((s) => s.detail)
  const dirty = useWorkflows((s) => s.detail === null || s.draft !== s.detail.source)
  // the name the draft gives, once checked (not an earlier text's: a deleted workflow's, say)
  const draftName = useWorkflows((s) => (s.validation?.ok && s.validatedText === s.draft ? `${s.validation.workspace}:${s.validation.dagName}` : null))
  const title = detail ? `${detail.workspace}:${detail.name}` : (draftName ?? 'New workflow')
  const [managing, setManaging] = useState(false)
  return (
    <div className="wf-editor-toolbar">
      <div className="wf-editor-title">
        {onShowList && <ShowListButton onShow={onShowList} />}
        <h2 title={visibleText(detail?.descriptorId ?? title)}>
          <SafeText text={title} />
        </h2>
        {detail && <VersionPicker detail={detail} />}
        {detail && (
          <button className="link wf-version-count" onClick={() => setManaging(true)} title="Versions and aliases: point, delete, compare">
            {detail.versions.length === 1 ? '1 version' : `${detail.versions.length} versions`} · aliases…
          </button>
        )}
        {detail && managing && <VersionsDialog detail={detail} onClose={() => setManaging(false)} />}
        {dirty && <DirtyMark saved={detail !== null} />}
        {!detail && draftName && <ExistingNameNote id={draftName} />}
      </div>
      <SaveControls />
      <NewerVersionNotice />
    </div>
  )
}
