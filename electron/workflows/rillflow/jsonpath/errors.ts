// Errors thrown by the JsonPath port, named after their Jayway counterparts so callers can mirror
// upstream's catch blocks (mappings read an InvalidPathException as null).

/** Jayway InvalidPathException: bad syntax, or a path that cannot apply to the data it meets. */
export class JsonPathError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'JsonPathError'
  }
}

/** Jayway PathNotFoundException, a subclass of InvalidPathException there too. */
export class PathNotFoundError extends JsonPathError {
  constructor(message: string) {
    super(message)
    this.name = 'PathNotFoundError'
  }
}

export function fail(message: string): never {
  throw new JsonPathError(message)
}
