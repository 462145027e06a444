/**
 * What each prose task sends and accepts: the input shape (checked, then masked again before it leaves),
 * the answer schema with the checks a draft must pass, and how the answer becomes the reply text.
 */
import { z } from 'zod';
import { type AgendaPromptInput, agendaPrompt } from '../../prompts/agenda.js';
import { type BulletinPromptInput, bulletinPrompt } from '../../prompts/bulletin.js';
import type { Prompt } from '../../prompts/prompt.js';
import { type WriteupPromptInput, writeupPrompt } from '../../prompts/writeup.js';
import { proseSchema, writeupSchema } from './schemas.js';

export const WRITEUP_LIMIT = 1500;
export const AGENDA_LIMIT = 1500;
/** The prompt asks for 400 characters; a little slack so a good draft is not thrown away for a few. */
export const BULLETIN_LIMIT = 600;
const WRITEUP_HEADINGS = ['基本情况', '存在问题', '意见建议'] as const;
const NUMBER_RE = /\d+(?:\.\d+)?/g;

export interface ProseSpec<I, O> {
  prompt: Prompt<I>;
  input: z.ZodType<I>;
  output(input: I): z.ZodType<O>;
  /** The reply text, or null when the model declined. */
  text(answer: O): string | null;
}

const str = z.string();
const rows = z.array(z.object({ name: str, count: z.number() }));

const agendaInput = z.object({
  topic: str, townName: str, categoryName: str, facts: z.array(str), excerpts: z.array(str),
  consultationType: z.enum(['牵线搭桥型', '智力支持型']), participants: z.array(str),
}) satisfies z.ZodType<AgendaPromptInput>;

const writeupInput = z.object({
  recordCode: str, categoryName: str, townName: str.nullable(), summary: str, texts: z.array(str), affectedCount: z.number(),
}) satisfies z.ZodType<WriteupPromptInput>;

const bulletinInput = z.object({
  weekLabel: str, scope: str, figures: z.record(str, z.union([z.number(), str])), byCategory: rows, byTown: rows,
  hotIssues: z.array(z.object({ summary: str, count: z.number() })),
}) satisfies z.ZodType<BulletinPromptInput>;

type Prose = { title: string; body: string };
type WriteupAnswer = Prose & { refused: boolean; reason: string };

const prose = (limit: number) => proseSchema(limit).refine((a) => a.title.trim().length > 0 && a.body.trim().length > 0, { message: 'title 和 body 不能为空' });

const writeupText = (a: Prose) => `标题：${a.title.trim()}\n\n${a.body.trim()}`;

export const agendaSpec: ProseSpec<AgendaPromptInput, Prose> = {
  prompt: agendaPrompt,
  input: agendaInput,
  output: () => prose(AGENDA_LIMIT).refine((a) => a.body.includes('议程'), { message: 'body 必须包含“议程”一节' }),
  text: (a) => `${a.title.trim()}\n\n${a.body.trim()}`,
};

export const writeupSpec: ProseSpec<WriteupPromptInput, WriteupAnswer> = {
  prompt: writeupPrompt,
  input: writeupInput,
  output: () => writeupSchema(WRITEUP_LIMIT).superRefine((a, ctx) => {
      if (a.refused) return;
      if (!a.title.trim() || !a.body.trim()) ctx.addIssue({ code: 'custom', message: 'title 和 body 不能为空' });
      const missing = WRITEUP_HEADINGS.filter((h) => !a.body.includes(h));
      if (missing.length) ctx.addIssue({ code: 'custom', message: `body 缺少小标题：${missing.join('、')}` });
      if (writeupText(a).length > WRITEUP_LIMIT) ctx.addIssue({ code: 'custom', message: `全文超过 ${WRITEUP_LIMIT} 字` });
    }),
  text: (a) => (a.refused ? null : writeupText(a)),
};

/** Every number in the bulletin prose must be one of the given figures: the model may not compute or invent. */
export const bulletinSpec: ProseSpec<BulletinPromptInput, Prose> = {
  prompt: bulletinPrompt,
  input: bulletinInput,
  output(input) {
    const allowed = new Set(JSON.stringify(input).match(NUMBER_RE) ?? []);
    return prose(BULLETIN_LIMIT).superRefine((a, ctx) => {
      const invented = [...new Set(`${a.title} ${a.body}`.match(NUMBER_RE) ?? [])].filter((n) => !allowed.has(n));
      if (invented.length) ctx.addIssue({ code: 'custom', message: `出现了未给出的数字：${invented.slice(0, 5).join('、')}` });
    });
  },
  text: (a) => `${a.title.trim()}\n\n${a.body.trim()}`,
};
