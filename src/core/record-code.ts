/** Record codes look like JM-2026-0042: district prefix, year of filing (Asia/Shanghai), sequence per year. */
const CODE_RE = /^([A-Z]{1,6})-(\d{4})-(\d{4,})$/;
const LOOSE_CODE_RE = /\b([A-Za-z]{1,6})\s*-\s*(\d{4})\s*-\s*(\d{1,8})\b/;

export function formatRecordCode(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(4, '0')}`;
}

export function parseRecordCode(code: string): { prefix: string; year: number; seq: number } | null {
  const m = CODE_RE.exec(code);
  if (!m) return null;
  return { prefix: m[1]!, year: Number(m[2]), seq: Number(m[3]) };
}

/** Finds a code typed by a person in chat ("查询 jm-2026-42") and returns it in canonical form. */
export function findRecordCode(text: string): string | null {
  const m = LOOSE_CODE_RE.exec(text);
  if (!m) return null;
  return formatRecordCode(m[1]!.toUpperCase(), Number(m[2]), Number(m[3]));
}

/**
 * A code given on its own (a URL, an option), forgiven as chat forgives it (jm-2026-42 is JM-2026-0042), with
 * nothing else around it; null when it is not a code at all.
 */
export function normalizeRecordCode(input: string): string | null {
  const code = input.trim();
  const found = findRecordCode(code);
  return found && LOOSE_CODE_RE.exec(code)?.[0] === code ? found : null;
}

/** Counter key for the per-year sequence, shared by SQLite and D1 (kept in SQL, see store). */
export function counterName(prefix: string, year: number): string {
  return `record:${prefix}:${year}`;
}
