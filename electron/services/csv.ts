/** One CSV field (RFC 4180): quoted when it holds the separator, a quote or a line break. */
export function csvField(value: unknown, separator = ','): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export const csvLine = (cells: readonly unknown[], separator = ','): string => cells.map((c) => csvField(c, separator)).join(separator)
