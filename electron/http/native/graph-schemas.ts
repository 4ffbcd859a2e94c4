import { IMPORT_FORMATS, MAX_IMPORT_HEADER_LINES, type GraphOperations } from '../../../shared/graph-api'
import { MAX_FILE_BYTES } from '../../graph/upload-files'
import { MAX_IMPORT_FILES } from '../../graph/import/mapping'

// Request schemas of the graph routes (shared/graph-api.ts); schemas.ts merges them. The graph
// service checks the meaning (TuGraph's name rules and texts); these bound the shapes and sizes.

const graphName = { type: 'string', minLength: 1, maxLength: 64, description: 'a graph name (TuGraph’s rules: letters, digits, _; not starting with a digit)' } as const
const graphParams = { type: 'object', required: ['graph'], properties: { graph: graphName } } as const
// no length bounds here: shared/upload-names.ts words an empty or too long name, alike on every route (#9 §6)
const filePath = { type: 'string', description: 'relative to your upload folder; folders allowed (a/b.csv, with / only); at most 255 bytes per name, 2048 in all' } as const
const delimiter = { type: 'string', minLength: 1, maxLength: 64, description: 'used literally, may be several characters; default ","' } as const
/** The TuGraph `files` array (§2.2): its entries are checked with TuGraph’s texts by the service. */
const files = { type: 'array', maxItems: MAX_IMPORT_FILES, items: { type: 'object' }, description: 'TuGraph’s `files` array: {path, format, label, columns, header, SRC_ID, DST_ID}, and JobDesk’s `encoding` (utf-8 default, utf-16le, utf-16be, gbk, gb18030) and `encodingGuessed` (true: that encoding is the one a preview guessed; the report says "(guessed)", else "(chosen)")' } as const
const schema = {
  type: ['array', 'object'],
  maxItems: 4096,
  items: { type: 'object' },
  description: 'TuGraph’s `schema` array of label definitions, or {"schema": [...]}',
} as const

type RouteSchema = { summary: string; tags: string[]; params?: object; querystring?: object; body?: object }

const queryId = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'your name for the run (e.g. a UUID), to stop it with POST /api/v1/cypher/:queryId/cancel' } as const

export const GRAPH_ROUTE_SCHEMAS: Record<keyof GraphOperations, RouteSchema> = {
  'graphs.cypher': {
    summary: 'Run one Cypher statement (TuGraph’s dialect; the engine of POST /cypher): header and rows in TuGraph’s encoding',
    tags: ['graphs'],
    params: graphParams,
    body: {
      type: 'object',
      required: ['script'],
      additionalProperties: false,
      properties: {
        script: { type: 'string', minLength: 1, maxLength: 1_000_000 },
        parameters: { type: 'object', description: '$name parameters' },
        timeout: { type: 'number', minimum: 0, maximum: 86_400, description: 'seconds; 0 or absent = 600' },
        queryId,
      },
    },
  },
  'graphs.cypherCancel': {
    summary: 'Stop a running Cypher statement by its queryId: queryIds are per user; an admin may stop anyone’s (user: whose)',
    tags: ['graphs'],
    params: { type: 'object', required: ['queryId'], properties: { queryId } },
    // an optional JSON body {user} (admins: whose run), checked by cypher-runs.ts: a body schema would refuse the usual empty POST
  },
  'graphs.list': { summary: 'Every graph with its label names and vertex/edge counts (graphs.get has the definitions)', tags: ['graphs'] },
  'graphs.get': { summary: 'A graph’s schema and counts', tags: ['graphs'], params: graphParams },
  'graphs.create': {
    summary: 'Create a graph (admins only; it belongs to its creator, or to the user named in owner; maxSizeGb bounds its size)',
    tags: ['graphs'],
    body: {
      type: 'object',
      required: ['graph'],
      additionalProperties: false,
      properties: {
        graph: graphName,
        description: { type: 'string', maxLength: 1000 },
        owner: { type: 'string', minLength: 1, maxLength: 64 },
        // TuGraph's max_size_GB: writes that would take the graph past it are refused (graph-bound.ts); none when left out
        maxSizeGb: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
      },
    },
  },
  'graphs.drop': { summary: 'Drop a graph and all its data (admins only; not while an import into it runs)', tags: ['graphs'], params: graphParams },
  'graphs.importSchema': {
    summary: 'Create labels (identical existing ones are skipped; a different one fails the call; not while an import into the graph is queued or running)',
    tags: ['graphs'],
    params: graphParams,
    body: { type: 'object', required: ['schema'], additionalProperties: false, properties: { schema } },
  },
  'files.list': {
    summary: 'Your uploaded files by path, each {kind: "file", path, bytes, modifiedAt}; with folders=true your folders too, each {kind: "folder", path, files, bytes, modifiedAt} counting the files directly in it (0: an empty folder, which an import refuses)',
    tags: ['files'],
    querystring: { type: 'object', properties: { folders: { type: 'boolean', description: 'list the folders too (default false: files only)' } } },
  },
  'files.upload': {
    summary: 'Write one chunk (the raw body, application/octet-stream, at most 16 MiB) of one of your files, in order',
    tags: ['files'],
    querystring: {
      type: 'object',
      required: ['path', 'offset'],
      properties: {
        path: filePath,
        offset: { type: 'integer', minimum: 0, maximum: MAX_FILE_BYTES, description: 'where the chunk goes: at most the file’s current size' },
        replace: { type: 'boolean', description: 'with offset 0: empty the file first (upload it afresh)' },
      },
    },
  },
  'files.delete': {
    summary: 'Delete one of your uploaded files',
    tags: ['files'],
    body: { type: 'object', required: ['path'], additionalProperties: false, properties: { path: filePath } },
  },
  'imports.preview': {
    summary: 'The first rows of one of your files as an import would parse them, with suggested types',
    tags: ['imports'],
    body: {
      type: 'object',
      required: ['path', 'format'],
      additionalProperties: false,
      properties: {
        path: filePath,
        format: { type: 'string', enum: [...IMPORT_FORMATS] },
        delimiter,
        header: { type: 'integer', minimum: 0, maximum: MAX_IMPORT_HEADER_LINES, description: 'lines before the data; the last names the columns' },
        rows: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
        encoding: { type: 'string', maxLength: 20, description: 'utf-8, utf-16le, utf-16be, gbk or gb18030; a byte-order mark decides over it. Omitted: utf-8, or the one guessed when the head is not UTF-8 (UTF-16 by its NULs, GBK/GB18030 by decoding; the answer’s encodingGuessed says why)' },
      },
    },
  },
  'imports.check': {
    summary: 'Check a mapping against the graph and the files’ first lines; starts nothing',
    tags: ['imports'],
    body: {
      type: 'object',
      required: ['graph', 'files'],
      additionalProperties: false,
      properties: { graph: graphName, schema, files, delimiter, continueOnError: { type: 'boolean' } },
    },
  },
  'imports.start': {
    summary: 'Start an import job (cancel it with POST /api/v1/jobs/:id/cancel)',
    tags: ['imports'],
    body: {
      type: 'object',
      required: ['graph', 'files'],
      additionalProperties: false,
      properties: { graph: graphName, files, delimiter, continueOnError: { type: 'boolean' }, deleteFiles: { type: 'boolean' } },
    },
  },
  'imports.status': {
    summary: 'An import’s status, live figures and per-file report with the failed lines',
    tags: ['imports'],
    params: { type: 'object', required: ['taskId'], properties: { taskId: { type: 'string', minLength: 1, maxLength: 128 } } },
  },
}
