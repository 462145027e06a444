/**
 * Chat commands that track a 社情民意信息 after it is drafted: 报送 (submitted), 采用 (adopted, with by
 * whom / which outlet) and 批示 (a leader's instruction), plus 「社情民意 <编号>」 / 「查询 <编号>」 to see
 * where it stands. A write-up code (JM-SQ-2026-0001) must be present and the command word must lead or
 * follow the code directly, so a resident's message that merely says 采用 or 报送 is filed, never obeyed.
 */
export type WriteupCommand =
  | { name: 'writeup_show'; code: string }
  | { name: 'writeup_submit'; code: string; note: string | null }
  | { name: 'writeup_adopt'; code: string; by: string | null }
  | { name: 'writeup_instruct'; code: string; text: string }
  | { name: 'usage'; usage: string };

export const WRITEUP_USAGE = {
  submit: '报送 <社情民意编号> [报送单位]：记为已报送，例如「报送 JM-SQ-2026-0001 市政协」',
  adopt: '采用 <社情民意编号> [采用单位或刊物]：记为已采用（须先报送），例如「采用 JM-SQ-2026-0001 市政协《社情民意》第12期」',
  instruct: '批示 <社情民意编号> <批示内容>：记录领导批示（须先报送），例如「批示 JM-SQ-2026-0001 区长批示：请区住建局牵头研究」',
  show: '社情民意 <社情民意编号>（或「查询 <社情民意编号>」）：查看报送、采用和批示情况',
} as const;

export const WRITEUP_HELP = [WRITEUP_USAGE.submit, WRITEUP_USAGE.adopt, WRITEUP_USAGE.instruct, WRITEUP_USAGE.show];

const MAX_CHARS = 600;
const WRITEUP_CODE_RE = /\b([A-Za-z]{1,6})\s*-\s*SQ\s*-\s*(\d{4})\s*-\s*(\d{1,8})\b/i;
/** 「社情民意」「社情民意信息」 may precede either form; 「已」「被」 may precede the verb. */
const PREFIX_RE = /^\s*(?:社情民意信息|社情民意)?\s*[:：]?\s*/;
const VERB_RE = /^(?:已经?|被)?\s*(报送|上报|采用|采纳|批示)/;
const SHOW_RE = /^\s*(?:社情民意信息|社情民意|查询|查看|查)?\s*[:：]?\s*$/;
const FILLER_RE = /^[\s,，:：。]*(?:已经?|被|由|给|至|到)?[\s,，:：]*/;
const TRAILING_RE = /[\s,，。!！]*(?:已经?)?(?:报送|上报|采用|采纳)?[\s,，。!！]*$/;
const BARE_VERB_RE = /^\s*(报送|采用|批示)\s*$/;
const RECORD_CODE_RE = /\b[A-Za-z]{1,6}\s*-\s*\d{4}\s*-\s*\d{1,8}\b/;
const SHORT_USAGE_CHARS = 40;

const VERBS: Record<string, 'submit' | 'adopt' | 'instruct'> = { 报送: 'submit', 上报: 'submit', 采用: 'adopt', 采纳: 'adopt', 批示: 'instruct' };

export function findWriteupCode(text: string): string | null {
  const m = WRITEUP_CODE_RE.exec(text);
  return m ? `${m[1]!.toUpperCase()}-SQ-${m[2]}-${String(Number(m[3])).padStart(4, '0')}` : null;
}

const clean = (s: string) => s.replace(FILLER_RE, '').replace(TRAILING_RE, '').trim();

function build(verb: 'submit' | 'adopt' | 'instruct', code: string, tail: string): WriteupCommand {
  const text = clean(tail);
  if (verb === 'submit') return { name: 'writeup_submit', code, note: text || null };
  if (verb === 'adopt') return { name: 'writeup_adopt', code, by: text || null };
  return text ? { name: 'writeup_instruct', code, text: tail.replace(FILLER_RE, '').trim() } : { name: 'usage', usage: WRITEUP_USAGE.instruct };
}

/**
 * 「报送 JM-SQ-2026-0001」「社情民意 JM-SQ-2026-0001 已报送」「JM-SQ-2026-0001 被市政协采用」
 * 「批示 JM-SQ-2026-0001 …」「JM-SQ-2026-0001 批示：…」; null when the text is not one of these.
 */
export function parseWriteupCommand(text: string): WriteupCommand | null {
  if (text.length > MAX_CHARS) return null;
  const code = findWriteupCode(text);
  if (!code) {
    const bare = BARE_VERB_RE.exec(text);
    if (bare) return { name: 'usage', usage: WRITEUP_USAGE[VERBS[bare[1]!]!] };
    // 「报送 JM-2026-0042」: a record code where a write-up code belongs; say how it works.
    const lead = VERB_RE.exec(text.trim());
    if (lead && RECORD_CODE_RE.test(text) && text.length <= SHORT_USAGE_CHARS) {
      return { name: 'usage', usage: `${WRITEUP_USAGE[VERBS[lead[1]!]!]}。先发「社情民意 <记录编号>」起草，得到社情民意编号。` };
    }
    return null;
  }
  const m = WRITEUP_CODE_RE.exec(text)!;
  const before = text.slice(0, m.index).replace(PREFIX_RE, '');
  const after = text.slice(m.index + m[0].length);
  if (SHOW_RE.test(text.slice(0, m.index)) && !after.trim()) return { name: 'writeup_show', code };
  // Verb first: 「报送 <code> …」.
  const lead = VERB_RE.exec(before.trim());
  if (lead && !before.trim().slice(lead[0].length).trim()) return build(VERBS[lead[1]!]!, code, after);
  if (before.trim()) return null;
  // Code first: 「<code> 已报送」「<code> 被市政协采用」「<code> 批示：…」.
  const tail = after.trim();
  const direct = VERB_RE.exec(tail);
  if (direct) return build(VERBS[direct[1]!]!, code, tail.slice(direct[0].length));
  // 「<code> 被市政协《社情民意》采用」: the verb closes the line, who adopted it sits in between.
  const closing = /^(?:已经?|被)?\s*(.{1,60}?)\s*(采用|采纳|报送|上报)\s*[。!！]?$/.exec(tail);
  if (closing && !closing[1]!.includes('批示')) return build(VERBS[closing[2]!]!, code, closing[1]!);
  return null;
}
