import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DistrictSeed } from '../core/district.js';

const DISTRICT_CODE_RE = /^\d{6}$/;
// Resolved on use, not at import: the Worker bundle imports this module for its schema only, and
// import.meta.url is not a file URL there.
const defaultSeedDir = (): string => fileURLToPath(new URL('../../db/seed/', import.meta.url));

const place = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  short: z.string().min(1),
  kind: z.enum(['社区', '村', '其他']),
});

const town = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  short: z.string().min(1),
  type: z.enum(['街道', '镇', '乡', '其他']),
  places: z.array(place),
});

export const districtSeedSchema = z.object({
  source: z.object({ package: z.string(), version: z.string(), data_origin: z.string() }),
  province: z.object({ code: z.string(), name: z.string() }),
  city: z.object({ code: z.string(), name: z.string() }),
  district: z.object({ code: z.string().regex(DISTRICT_CODE_RE), name: z.string().min(1), short: z.string().min(1) }),
  towns: z.array(town).min(1),
});

export type DistrictSeedFile = z.infer<typeof districtSeedSchema>;

// Compile-time check that the file format still fits what core/district.ts consumes.
const fitsCore: (seed: DistrictSeedFile) => DistrictSeed = (seed) => seed;
void fitsCore;

/** Reads and validates `db/seed/district-<code>.json`; throws one readable line when it can't. */
export function loadDistrictSeed(code: string, seedDir: string = defaultSeedDir()): DistrictSeedFile {
  if (!DISTRICT_CODE_RE.test(code)) throw new Error(`district code must be 6 digits (like 350211), got "${code}"`);
  const path = join(seedDir, `district-${code}.json`);
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`no district data at ${path}; create it with: npm run district -- ${code}`);
  }
  const parsed = districtSeedSchema.safeParse(parseJson(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'file';
    throw new Error(`${path} is not valid district data (${where}: ${issue?.message ?? 'unreadable'}); ` +
      `rebuild it with: npm run district -- ${code}`);
  }
  if (parsed.data.district.code !== code) throw new Error(`${path} holds district ${parsed.data.district.code}, not ${code}`);
  return parsed.data;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
