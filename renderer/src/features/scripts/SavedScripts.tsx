import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useSavedScripts, type SaveConflict } from '../../stores/saved-scripts'
import { useScripts } from '../../stores/scripts'
import { ConfirmDialog } from '../jobs/ConfirmDialog'
import { DirtyMark } from '../shell/DirtyMark'
import { SCRIPT_PATH_FIELD, mayOpenScript, useEditorScript } from './unsaved-script'
import { LANGUAGE_LABELS } from './languages'
import { buildTree, copyPath, freshFolderName, scriptCount, treeKey, visibleItems, type TreeNode } from './script-tree'
import { ListStatus } from '../shell/ListStatus'

/** A name being edited in place: Enter renames (moves; onDone gets the new path), Esc gives up. */
function RenameField({ node, onDone }: { node: TreeNode; onDone: (to?: string) => void }) {
  const move = useSavedScripts((s) => s.move)
  const [to, setTo] = useState(node.path)
  return (
    <form
      className="sc-tree-rename"
      onSubmit={(e) => {
        e.preventDefault()
        void (to.trim() === node.path ? Promise.resolve(true) : move(node.path, to.trim())).then((ok) => ok && onDone(to.trim()))
      }}
    >
      <input aria-label={`new path of ${node.path}`} value={to} autoFocus onChange={(e) => setTo(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && onDone()} spellCheck={false} />
    </form>
  )
}

/**
 * A new folder's name, asked in place at the top of the tree as file trees do (VS Code, Scriptis):
 * the offered name is selected, Enter makes the folder (a path such as `a/b` makes it inside `a`),
 * Esc gives up.
 */
function NewFolderField({ offered, onDone }: { offered: string; onDone: () => void }) {
  const createFolder = useSavedScripts((s) => s.createFolder)
  const [name, setName] = useState(offered)
  return (
    <li role="treeitem" aria-label="new folder" aria-selected={false}>
      <form
        className="sc-tree-row sc-tree-new"
        aria-label="new folder"
        onSubmit={(e) => {
          e.preventDefault()
          const path = name.trim()
          if (path) void createFolder(path).then((ok) => ok && onDone())
        }}
      >
        <span aria-hidden="true" className="sc-tree-icon">
          ▸
        </span>
        <input
          aria-label="new folder name"
          value={name}
          autoFocus
          onFocus={(e) => e.target.select()}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault()
              e.stopPropagation()
              onDone()
            }
          }}
          spellCheck={false}
        />
      </form>
    </li>
  )
}

/** What the rows of the tree share: which folders are closed, which row is the tree's one tab stop, which is being renamed. */
interface TreeState {
  collapsed: ReadonlySet<string>
  toggle(path: string): void
  /** The row Tab lands on (roving tabindex): the others' buttons are out of the tab order. */
  tabStop: string | null
  /** Called when a row takes the focus (it becomes the tab stop). */
  focused(path: string): void
  renaming: string | null
  /** The path of the open script when the editor holds edits to it (its row says "edited"). */
  edited: string | null
  /** Starts renaming the row at `path`, or (null) ends it, the focus going back to the row (at `to` when it was renamed). */
  rename(path: string | null, to?: string): void
  onDelete(n: TreeNode): void
}

function TreeItem({ node, depth, tree }: { node: TreeNode; depth: number; tree: TreeState }) {
  const open = useSavedScripts((s) => s.open)
  const openPath = useSavedScripts((s) => s.openPath)
  const isFolder = node.kind === 'folder'
  const expanded = isFolder && !tree.collapsed.has(node.path)
  const renaming = tree.renaming === node.path
  const tabIndex = tree.tabStop === node.path ? 0 : -1
  return (
    <li role="treeitem" aria-expanded={isFolder ? expanded : undefined} aria-selected={node.path === openPath} aria-label={node.path} data-testid={`saved-${node.path}`}>
      <div className={`sc-tree-row${node.path === openPath ? ' active' : ''}`} style={{ paddingLeft: depth * 14 }} onFocus={() => tree.focused(node.path)}>
        {renaming ? (
          <RenameField node={node} onDone={(to) => tree.rename(null, to)} />
        ) : (
          <button
            className="sc-tree-open"
            tabIndex={tabIndex}
            title={isFolder ? `${expanded ? 'Fold' : 'Unfold'} ${node.path}` : `Open ${node.path} in the editor`}
            onClick={() => (isFolder ? tree.toggle(node.path) : void mayOpenScript(node.entry?.language ?? undefined).then((ok) => (ok ? open(node.path) : undefined)))}
          >
            <span aria-hidden="true" className="sc-tree-icon">{isFolder ? (expanded ? '▾' : '▸') : '·'}</span>
            <span className="sc-tree-name">{node.name}</span>
            {node.entry?.language && <span className={`sc-lang sc-lang-${node.entry.language}`}>{LANGUAGE_LABELS[node.entry.language]}</span>}
            {node.path === tree.edited && <DirtyMark saved title="Edited in the editor, not saved: Ctrl+S saves" />}
          </button>
        )}
        {!renaming && (
          <>
            <button className="icon" tabIndex={tabIndex} aria-label={`rename ${node.path}`} title="Rename or move (F2)" onClick={() => tree.rename(node.path)}>
              ✎
            </button>
            <button className="icon" tabIndex={tabIndex} aria-label={`delete ${node.path}`} title="Delete (Delete)" onClick={() => tree.onDelete(node)}>
              ×
            </button>
          </>
        )}
      </div>
      {expanded && node.children.length > 0 && (
        <ul role="group">
          {node.children.map((c) => (
            <TreeItem key={`${c.kind}:${c.path}`} node={c} depth={depth + 1} tree={tree} />
          ))}
        </ul>
      )}
    </li>
  )
}

/** What the page says when a Save of the open script was refused (see SaveConflict). */
export function conflictText(c: SaveConflict): string {
  if (c.reason === 'changed') return `${c.path} changed elsewhere (another tab or window) since you opened it. Save as keeps both; Overwrite replaces that version with yours.`
  const where = c.movedTo ? `renamed to ${c.movedTo}` : 'renamed or deleted'
  return `${c.path} was ${where} elsewhere (another tab or window). Save as keeps your text under a new name; Overwrite saves it at ${c.path} again.`
}

/** Scriptis's workspace: the user's saved scripts in folders, kept on the server; open, save, rename, delete. */
export function SavedScripts() {
  const entries = useSavedScripts((s) => s.entries)
  const list = useSavedScripts((s) => s.list)
  const error = useSavedScripts((s) => s.error)
  const note = useSavedScripts((s) => s.note)
  const conflict = useSavedScripts((s) => s.conflict)
  const openPath = useSavedScripts((s) => s.openPath)
  const { refresh, saveAs, remove, overwriteAnyway, dismissConflict } = useSavedScripts.getState()
  const pathRef = useRef<HTMLInputElement>(null)
  const language = useScripts((s) => s.language)
  const editor = useEditorScript()
  // the field names the script the editor shows: empty for another language's draft, so its Save never writes that draft over the open script of another language
  const [path, setPath] = useState(editor.path ?? '')
  const [deleting, setDeleting] = useState<TreeNode | null>(null)
  const [makingFolder, setMakingFolder] = useState(false)
  const tree = useMemo(() => buildTree(entries), [entries])
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set())
  const [focusedPath, setFocusedPath] = useState<string | null>(null)
  const [renaming, setRenaming] = useState<string | null>(null)
  const items = useMemo(() => visibleItems(tree, collapsed), [tree, collapsed])
  const shows = (p: string | null) => p !== null && items.some((i) => i.node.path === p)
  const tabStop = shows(focusedPath) ? focusedPath : shows(openPath) ? openPath : (items[0]?.node.path ?? null)
  const treeRef = useRef<HTMLUListElement>(null)
  /** Puts the focus on the row at `path` (its open button), when the tree shows it. */
  const focusRow = (p: string) => {
    const row = [...(treeRef.current?.querySelectorAll<HTMLElement>('li[role="treeitem"]') ?? [])].find((li) => li.getAttribute('aria-label') === p)
    row?.querySelector<HTMLElement>(':scope > .sc-tree-row > .sc-tree-open')?.focus()
  }
  const setFolded = (p: string, fold: boolean) =>
    setCollapsed((c) => {
      const next = new Set(c)
      if (fold) next.add(p)
      else next.delete(p)
      return next
    })
  const treeState = {
    collapsed,
    toggle: (p: string) => setFolded(p, !collapsed.has(p)),
    tabStop,
    focused: setFocusedPath,
    renaming,
    edited: editor.dirty ? editor.path : null,
    rename: (p: string | null, to?: string) => {
      const was = renaming
      setRenaming(p)
      // back to the row, as file trees do, once the tree shows it (renamed: at its new path)
      if (p === null && was) setTimeout(() => focusRow(to ?? was))
    },
    onDelete: setDeleting,
  }
  /** The tree's keys (WAI-ARIA tree view); the rename and new-folder fields keep theirs. */
  const onTreeKey = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey || (e.target as HTMLElement).closest('input, form')) return
    const current = (e.target as HTMLElement).closest('li[role="treeitem"]')?.getAttribute('aria-label')
    if (!current) return
    const item = items.find((i) => i.node.path === current)
    if (item && e.key === 'F2') {
      e.preventDefault()
      setRenaming(current)
      return
    }
    if (item && e.key === 'Delete') {
      e.preventDefault()
      setDeleting(item.node)
      return
    }
    const action = treeKey(items, current, e.key, collapsed)
    if (!action) return
    e.preventDefault()
    if ('focus' in action) focusRow(action.focus)
    else if ('expand' in action) setFolded(action.expand, false)
    else setFolded(action.collapse, true)
  }
  useEffect(() => void refresh(), [refresh])
  useEffect(() => setPath(editor.path ?? ''), [editor.path])
  const target = path.trim()
  const overwrite = target !== '' && target === editor.path
  const count = deleting ? scriptCount(deleting) : 0
  return (
    <section className="sc-side-section" aria-label="saved scripts">
      <h3>
        Saved scripts{' '}
        <button className="link" aria-label="New folder" title="Make a folder in the tree (you name it there)" onClick={() => setMakingFolder(true)}>
          + Folder
        </button>
      </h3>
      <form
        className="sc-save-form"
        aria-label="save script"
        onSubmit={(e) => {
          e.preventDefault()
          if (target) void saveAs(target, overwrite)
        }}
      >
        <input ref={pathRef} id={SCRIPT_PATH_FIELD} aria-label="script path" placeholder="folder/name" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
        <button type="submit" disabled={!target} title={overwrite ? `Save the ${LANGUAGE_LABELS[language]} editor over ${target} (Ctrl+S)` : `Save the ${LANGUAGE_LABELS[language]} editor as a new script`} aria-keyshortcuts={overwrite ? 'Control+S Meta+S' : undefined}>
          {overwrite ? 'Save' : 'Save as'}
        </button>
      </form>
      {conflict && (
        <div className="sc-save-conflict" role="alert" aria-label="save conflict">
          <p>{conflictText(conflict)}</p>
          <div className="sc-save-conflict-actions">
            <button
              title="Name a new script for your text (offered next to this one)"
              onClick={() => {
                setPath(copyPath(conflict.path, entries))
                dismissConflict()
                // after the field shows the offered path: select it for typing over
                setTimeout(() => pathRef.current?.select())
              }}
            >
              Save as…
            </button>
            <button className={conflict.reason === 'changed' ? 'danger' : undefined} title={`Save your text at ${conflict.path}`} onClick={() => void overwriteAnyway()}>
              Overwrite
            </button>
            <button className="link" onClick={dismissConflict}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="error-text sc-side-note" role="alert">
          {error}
        </p>
      )}
      {note && !error && (
        <p className="muted sc-side-note" role="status" data-testid="saved-note">
          {note}
        </p>
      )}
      {tree.length === 0 && !makingFolder ? (
        <ListStatus load={list} rows={0} what="saved scripts" className="muted sc-side-note" retry={() => void refresh()} empty="None yet: name the script above (e.g. reports/daily) and save it." />
      ) : (
        <ul className="sc-tree" role="tree" aria-label="saved scripts" ref={treeRef} onKeyDown={onTreeKey}>
          {makingFolder && <NewFolderField offered={freshFolderName(tree)} onDone={() => setMakingFolder(false)} />}
          {tree.map((n) => (
            <TreeItem key={`${n.kind}:${n.path}`} node={n} depth={0} tree={treeState} />
          ))}
        </ul>
      )}
      {deleting && (
        <ConfirmDialog
          title={deleting.kind === 'folder' ? `Delete the folder ${deleting.path}?` : `Delete ${deleting.path}?`}
          confirm="Delete"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={() => {
            void remove(deleting.path)
            setDeleting(null)
          }}
        >
          <p>{deleting.kind === 'folder' ? folderHolds(count) : 'The script is deleted from the server.'} This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  )
}

/** What deleting a folder takes with it, for its confirm dialog: `count` scripts inside it. */
function folderHolds(count: number): string {
  if (count === 0) return 'It is empty.'
  if (count === 1) return 'It holds 1 script, which is deleted with it.'
  return `It holds ${count} scripts; they are deleted with it.`
}
