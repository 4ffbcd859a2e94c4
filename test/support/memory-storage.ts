// Node has no localStorage or sessionStorage, which the renderer's stores use (the workflows store keeps
// editor drafts there). Imported first by a test file that loads such a store: an in-memory one for both.
const kept = new Map<string, string>()
const storage = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, String(v)), removeItem: (k: string) => void kept.delete(k) }
Object.assign(globalThis, { localStorage: storage, sessionStorage: storage })
