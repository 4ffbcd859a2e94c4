/** The items of a comma-separated field, trimmed, empty ones left out: `'etl, ,bob'` → `['etl', 'bob']`. */
export const commaList = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean)
