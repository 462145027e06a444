import { z } from 'zod';
import { APPEAL_TYPES, type AppealType, type Urgency } from '../core/types.js';

export const SUMMARY_MAX = 40;
export const MAX_ITEMS = 8;
const PLACE_MAX = 60;
const RATIONALE_MAX = 200;

/** What the classification schema is built from: this deployment's codes, never a fixed list. */
export interface CodeTables {
  categories: readonly string[];
  towns: readonly string[];
}

export interface ClassifiedItem {
  segments: number[];
  category: string;
  appealType: AppealType;
  town: string | null;
  place: string | null;
  urgency: Urgency;
  summary: string;
  confidence: number;
  rationale: string;
}

export interface ClassifyOutput {
  items: ClassifiedItem[];
}

function codeEnum(codes: readonly string[]): z.ZodType<string> {
  const [first, ...rest] = codes;
  if (first === undefined) throw new Error('the taxonomy has no categories');
  return z.enum([first, ...rest]);
}

/**
 * The classification answer, constrained to known category and town codes (so an injected "status" or an
 * invented code fails validation) and to segment numbers that exist in this message. One item per
 * distinct problem; a message with one problem has one item.
 */
export function classifyOutputSchema(tables: CodeTables, segmentCount: number): z.ZodType<ClassifyOutput> {
  const item = classifiedItemSchema(tables, segmentCount);
  return z.object({ items: z.array(item).min(1).max(MAX_ITEMS) }).superRefine((out, ctx) => {
    const seen = new Set<number>();
    out.items.forEach((it, i) => {
      for (const s of it.segments) {
        if (seen.has(s)) ctx.addIssue({ code: 'custom', path: ['items', i, 'segments'], message: `segment ${s} belongs to two items` });
        seen.add(s);
      }
    });
  }) as z.ZodType<ClassifyOutput>;
}

/** One item of a classification answer; also the shape a batch answer shows the model for each entry. */
export function classifiedItemSchema(tables: CodeTables, segmentCount: number) {
  const [firstTown, ...otherTowns] = tables.towns;
  const town = firstTown === undefined ? z.null() : z.enum([firstTown, ...otherTowns]).nullable();
  return z.object({
    segments: z.array(z.number().int().min(1).max(Math.max(1, segmentCount))).min(1),
    category: codeEnum(tables.categories),
    appealType: z.enum(APPEAL_TYPES as [AppealType, ...AppealType[]]),
    town,
    place: z.string().max(PLACE_MAX).nullable(),
    urgency: z.enum(['low', 'normal', 'urgent']),
    summary: z.string().min(1).max(SUMMARY_MAX),
    confidence: z.number().min(0).max(1),
    rationale: z.string().max(RATIONALE_MAX),
  });
}

/**
 * Several messages in one call: one entry per message id. What the model is shown (`shape`) is typed like
 * a single answer; what is validated (`envelope`) only requires ids and item lists, so that one bad entry
 * costs that entry (checked alone with classifyOutputSchema), not the whole batch.
 */
export function classifyBatchSchemas(tables: CodeTables, ids: readonly string[], maxSegments: number) {
  const [first, ...rest] = ids;
  if (first === undefined) throw new Error('an empty batch');
  const item = classifiedItemSchema(tables, maxSegments);
  return {
    shape: z.object({ results: z.array(z.object({ id: z.enum([first, ...rest]), items: z.array(item).min(1).max(MAX_ITEMS) })) }),
    envelope: z.object({ results: z.array(z.object({ id: z.string(), items: z.array(z.unknown()) }).loose()) }),
  };
}

/** Free prose (agenda, write-up, bulletin): one text field, checked for length by the caller's schema. */
export function proseSchema(maxChars: number) {
  return z.object({ title: z.string().max(80), body: z.string().min(1).max(maxChars) });
}

/** The 社情民意 write-up: refused (with the reason shown) for matters a write-up may not carry. */
export function writeupSchema(maxChars = 1500) {
  return z.object({ refused: z.boolean(), reason: z.string().max(200), title: z.string().max(80), body: z.string().max(maxChars) });
}
