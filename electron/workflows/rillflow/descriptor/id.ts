// Descriptor ids (rillflow.md §4.1, DAGDescriptorService): `ws:dag` (alias picked by gray
// rules, default release), `ws:dag:alias`, or `ws:dag:md5_<hash>` for an exact version.

import { createHash } from 'node:crypto'
import { DescriptorError } from './error'
import { NAME_PATTERN } from './validate'

export const MD5_PREFIX = 'md5_'
const MD5_HEX = /^[0-9a-f]{32}$/i

export interface DescriptorId {
  workspace: string
  dagName: string
  alias?: string
  md5?: string
}

/** md5 hex of the descriptor text exactly as stored (UTF-8), the version key of add_descriptor. */
export function descriptorMd5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex')
}

export function formatDescriptorId(workspace: string, dagName: string, md5: string): string {
  return `${workspace}:${dagName}:${MD5_PREFIX}${md5}`
}

export function parseDescriptorId(id: string): DescriptorId {
  const fields = id.trim().split(':')
  const [workspace = '', dagName = '', third] = fields
  if (fields.length < 2 || fields.length > 3) {
    invalid(id, 'expected workspace:dagName, workspace:dagName:alias or workspace:dagName:md5_<hash>')
  }
  if (!NAME_PATTERN.test(workspace)) invalid(id, `workspace "${workspace}" must match ${NAME_PATTERN.source}`)
  if (!NAME_PATTERN.test(dagName)) invalid(id, `dagName "${dagName}" must match ${NAME_PATTERN.source}`)
  if (third === undefined) return { workspace, dagName }
  if (third.startsWith(MD5_PREFIX)) {
    const md5 = third.slice(MD5_PREFIX.length)
    if (!MD5_HEX.test(md5)) invalid(id, `"${third}" is not md5_ followed by 32 hex digits`)
    return { workspace, dagName, md5: md5.toLowerCase() }
  }
  if (!NAME_PATTERN.test(third)) invalid(id, `alias "${third}" must match ${NAME_PATTERN.source}`)
  return { workspace, dagName, alias: third }
}

function invalid(id: string, reason: string): never {
  throw new DescriptorError(`descriptor_id "${id}" format error: ${reason}`, { field: 'descriptor_id' })
}
