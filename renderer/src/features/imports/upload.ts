import { send } from '../../api/client'

/** Bytes per upload call: big enough to be quick, small enough for a smooth progress bar. */
export const CHUNK_BYTES = 4 * 1024 * 1024

/**
 * Uploads a picked or dropped file into the user's upload folder as `path`, one chunk at a time in
 * order (the first replaces any older file of that name), reporting the bytes sent after each.
 * Over HTTP each chunk is a raw body, over IPC a Uint8Array. Rejects with the server's error.
 */
export async function uploadFile(file: File, path: string, onSent: (bytes: number) => void): Promise<void> {
  let offset = 0
  do {
    const data = new Uint8Array(await file.slice(offset, offset + CHUNK_BYTES).arrayBuffer())
    await send('files.upload', { path, offset, data, ...(offset === 0 ? { replace: true } : {}) })
    offset += data.length
    onSent(offset)
  } while (offset < file.size)
}
