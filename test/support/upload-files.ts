import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Writes a file into `<data>/upload_files/<user>/<name>` (a user's upload folder), making the folders; answers its path. */
export function upload(dataDir: string, name: string, content: string | Buffer, user = 'admin'): string {
  const path = join(dataDir, 'upload_files', user, name)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
  return path
}
