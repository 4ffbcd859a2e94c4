import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import { userKey, userStorage, whenSignedIn, whenSignedOut } from './user-scope'

/** The page splitters whose sizes are kept. */
export type SplitName = 'scripts.editor' | 'workflows.editor'

/** Default sizes, as the first pane's share of the whole in percent, in a container tall enough (see defaultShare). */
export const SPLIT_DEFAULTS: Record<SplitName, number> = { 'scripts.editor': 40, 'workflows.editor': 44 }
/**
 * Pixels the second pane keeps by default when its container is short (0: none). The Scripts
 * results keep room for the run's status, the result tabs, the result bar and a few rows: at 900×600
 * 40% for the editor left one row of a result in view.
 */
export const SPLIT_SECOND_KEEPS: Record<SplitName, number> = { 'scripts.editor': 340, 'workflows.editor': 0 }
/** Neither pane gets less than this share (a pane dragged away is folded with its own control, not to zero). */
export const SPLIT_MIN = 12
export const SPLIT_MAX = 88

const clamp = (v: number) => Math.min(SPLIT_MAX, Math.max(SPLIT_MIN, Math.round(v * 10) / 10))

/**
 * The first pane's share (percent) by default in a container `height` px tall: SPLIT_DEFAULTS[name],
 * or less when the second pane would keep fewer than SPLIT_SECOND_KEEPS[name] px, never below
 * SPLIT_MIN. A height not measured yet (0) gives SPLIT_DEFAULTS[name].
 */
export function defaultShare(name: SplitName, height: number): number {
  const keeps = SPLIT_SECOND_KEEPS[name]
  if (!(height > 0) || !keeps) return SPLIT_DEFAULTS[name]
  return clamp(Math.min(SPLIT_DEFAULTS[name], ((height - keeps) / height) * 100))
}

interface SplitState {
  /** The sizes the user chose (dragged or moved with the keys), in percent; a splitter not here is at its default. */
  sizes: Partial<Record<SplitName, number>>
  setSize(name: SplitName, percent: number): void
  /** Back to the default size (Enter or a double click on the splitter). */
  reset(name: SplitName): void
}

/** Splitter positions the user chose, per signed-in user, kept in localStorage across reloads (like an IDE's layout). */
export const useSplitSizes = create<SplitState>()(
  persist(
    (set, get) => ({
      sizes: {},
      setSize: (name, percent) => set({ sizes: { ...get().sizes, [name]: clamp(percent) } }),
      reset: (name) => {
        const sizes = { ...get().sizes }
        delete sizes[name]
        set({ sizes })
      },
    }),
    {
      name: 'jobdesk.splits',
      // 2: only sizes the user chose are kept. Version 1 kept every size, the defaults too: one at its
      // old default is taken as never chosen, so it follows the window (see defaultShare)
      version: 2,
      migrate: (kept, version) => {
        const sizes = { ...((kept as { sizes?: Record<string, unknown> } | undefined)?.sizes ?? {}) }
        if (version < 2) for (const name of Object.keys(SPLIT_DEFAULTS) as SplitName[]) if (sizes[name] === SPLIT_DEFAULTS[name]) delete sizes[name]
        return { sizes }
      },
      storage: createJSONStorage(() => userStorage),
      skipHydration: true, // read once the user is known (user-scope)
      partialize: (s) => ({ sizes: s.sizes }),
      merge: (kept, current) => {
        const k = ((kept as { sizes?: Record<string, unknown> } | undefined)?.sizes ?? {}) as Record<string, unknown>
        const sizes: Partial<Record<SplitName, number>> = {}
        for (const name of Object.keys(SPLIT_DEFAULTS) as SplitName[]) {
          const v = k[name]
          if (typeof v === 'number' && Number.isFinite(v)) sizes[name] = clamp(v)
        }
        return { ...current, sizes }
      },
    },
  ),
)

whenSignedIn(() => void useSplitSizes.persist.rehydrate())
if (userKey('jobdesk.splits')) void useSplitSizes.persist.rehydrate() // a session restored before this module loaded
whenSignedOut(() => useSplitSizes.setState({ sizes: {} }))
