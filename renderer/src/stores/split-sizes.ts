import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import { userKey, userStorage, whenSignedIn, whenSignedOut } from './user-scope'

/** The page splitters whose sizes are kept. */
export type SplitName = 'scripts.editor' | 'workflows.editor'

/** Sizes as the first pane's share of the whole, in percent. */
export const SPLIT_DEFAULTS: Record<SplitName, number> = { 'scripts.editor': 40, 'workflows.editor': 44 }
/** Neither pane gets less than this share (a pane dragged away is folded with its own control, not to zero). */
export const SPLIT_MIN = 12
export const SPLIT_MAX = 88

const clamp = (v: number) => Math.min(SPLIT_MAX, Math.max(SPLIT_MIN, Math.round(v * 10) / 10))

interface SplitState {
  sizes: Record<SplitName, number>
  setSize(name: SplitName, percent: number): void
}

/** Splitter positions per signed-in user, kept in localStorage across reloads (like an IDE's layout). */
export const useSplitSizes = create<SplitState>()(
  persist(
    (set, get) => ({
      sizes: { ...SPLIT_DEFAULTS },
      setSize: (name, percent) => set({ sizes: { ...get().sizes, [name]: clamp(percent) } }),
    }),
    {
      name: 'jobdesk.splits',
      version: 1,
      storage: createJSONStorage(() => userStorage),
      skipHydration: true, // read once the user is known (user-scope)
      partialize: (s) => ({ sizes: s.sizes }),
      merge: (kept, current) => {
        const k = ((kept as { sizes?: Record<string, unknown> } | undefined)?.sizes ?? {}) as Record<string, unknown>
        const sizes = { ...current.sizes }
        for (const name of Object.keys(SPLIT_DEFAULTS) as SplitName[]) if (typeof k[name] === 'number' && Number.isFinite(k[name])) sizes[name] = clamp(k[name])
        return { ...current, sizes }
      },
    },
  ),
)

whenSignedIn(() => void useSplitSizes.persist.rehydrate())
if (userKey('jobdesk.splits')) void useSplitSizes.persist.rehydrate() // a session restored before this module loaded
whenSignedOut(() => useSplitSizes.setState({ sizes: { ...SPLIT_DEFAULTS } }))
