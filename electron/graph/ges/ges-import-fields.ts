// How a GES client names the fields of an import-graph body, by its API version: one table, read by
// the route (the body), the submit's checks and the task's (every error names the field as sent).

/** The fields of an import-graph body a client names differently by version. */
export type GesImportField = 'schemaPath' | 'vertexsetPath' | 'edgesetPath' | 'vertexsetFormat' | 'edgesetFormat'
export type GesImportFieldNames = Record<GesImportField, string>

/**
 * How each GES version names the fields of an import-graph body: v2 in snake_case, v1.0 in camelCase.
 * One table: the route reads the body by it, and every error names the field as the client sent it,
 * at submit and while the import runs.
 */
export const GES_IMPORT_FIELDS: Record<'v1' | 'v2', GesImportFieldNames> = {
  v2: { schemaPath: 'schema_path', vertexsetPath: 'vertexset_path', edgesetPath: 'edgeset_path', vertexsetFormat: 'vertexset_format', edgesetFormat: 'edgeset_format' },
  v1: { schemaPath: 'schemaPath', vertexsetPath: 'vertexsetPath', edgesetPath: 'edgesetPath', vertexsetFormat: 'vertexsetFormat', edgesetFormat: 'edgesetFormat' },
}
