const FENCE_RE = /```(?:json)?\s*([\s\S]*?)```/i;

/**
 * Reads the JSON object in a model's answer: plain JSON, JSON in a Markdown fence, or the outermost
 * {...} inside prose (servers without structured output often wrap it in words).
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const candidates = [text.trim()];
  const fenced = FENCE_RE.exec(text);
  if (fenced?.[1]) candidates.push(fenced[1].trim());
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) candidates.push(text.slice(start, end + 1));
  for (const c of candidates) {
    if (!c) continue;
    try {
      return { ok: true, value: JSON.parse(c) as unknown };
    } catch {
      // try the next reading
    }
  }
  return { ok: false, error: text.trim() ? 'the answer is not valid JSON' : 'the answer is empty' };
}
