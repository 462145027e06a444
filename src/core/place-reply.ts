import { CITIES, PROVINCES } from './gazetteer-areas.js';
import { foreignNames } from './gazetteer-foreign.js';
import type { District, PlaceMatch, Town } from './gazetteer.js';
import { findTown } from './place-decision.js';

/**
 * What a short reply to 「发生在哪个镇街？」 (or to a receipt whose town was assumed) says:
 * - town: only a place of ours (「灌口」「在后溪那边」「是岑东社区的」);
 * - outside: only a place of another district, city or province (「海沧」「在南京」);
 * - broad: only the district or its city as a whole (「集美区」「厦门」), no 镇街;
 * - unsure: no place at all (「不知道」「不清楚」「好的」);
 * - null: more than that, so a report of its own (「灌口镇上头村路灯坏了」).
 */
export type PlaceReply =
  | { kind: 'town'; town: Town; place: string | null }
  | { kind: 'outside'; name: string }
  | { kind: 'broad' }
  | { kind: 'unsure' }
  | null;

/** What may surround the place in a reply that only answers: 「在灌口镇上头村」「是后溪那边的，谢谢」. */
const FILLER_RE = /[\s\p{P}\p{S}]|是|在|的|属于|位于|归|那边|这边|那里|这里|附近|那个|这个|镇|街道|社区|村|谢谢|好的|吧|呀|啊|哦|嗯|了/gu;

/** A reply that gives no place but is no report either: the member does not know (yet), or just acknowledges. */
const UNSURE_RE = /不太?知道|不太?清楚|不太?确定|不记得|记不清|不晓得|不了解|说不清|搞不清|没说|没讲|没问|忘了|忘记|待定|待确认|问问|问一下|稍等|等等|等一下|晚点|回头|再说|收到|知道|在哪|哪里|哪儿|哪个|我|也|还|先|暂时|ok/giu;

const ADMIN_SUFFIX_RE = /(?:省|市|区|县)$/;

/** After a place's full name, only lower units of it (新阳街道马銮社区): more words make it a report. */
const PLACE_TAIL_RE = /^(?:\p{Script=Han}{1,8}?(?:街道|镇|乡|社区|村|小区))*$/u;
const TAIL_FILLER_RE = /[\s\p{P}\p{S}]|那边|这边|那里|这里|附近|的|了|吧|谢谢/gu;

interface Names {
  /** Places elsewhere: full names (海沧区), longest first, and every form people write (海沧, 南京, 广东). */
  full: string[];
  any: ReadonlySet<string>;
  /** The district's own province and city (福建省, 厦门): they place a reply no more precisely than the district. */
  home: string[];
}

const namesByDistrict = new Map<string, Names>();

/** Built once per district from the national list (thousands of names), then reused. */
function namesFor(d: District): Names {
  const known = namesByDistrict.get(d.code);
  if (known) return known;
  const ours = new Set([d.name, d.short, ...d.towns.flatMap((t) => [t.name, t.short]), ...d.places.flatMap((p) => [p.name, p.short])]);
  const full: string[] = [];
  const any = new Set<string>();
  for (const f of foreignNames(d.code)) {
    if (ours.has(f.surface)) continue;
    any.add(f.surface);
    if (f.short) continue;
    full.push(f.surface);
    const short = f.surface.replace(ADMIN_SUFFIX_RE, '');
    if (short.length >= 2 && !ours.has(short)) any.add(short);
  }
  const home = [...PROVINCES.split(' '), ...CITIES.split(' ')]
    .flatMap((entry) => {
      const code = /^\d+/.exec(entry)![0];
      if (code !== d.code.slice(0, code.length)) return [];
      const name = entry.slice(code.length);
      return [name, name.replace(ADMIN_SUFFIX_RE, '')];
    });
  const names = { full: full.sort((a, b) => b.length - a.length), any, home: home.sort((a, b) => b.length - a.length) };
  namesByDistrict.set(d.code, names);
  return names;
}

/** Reads a short reply; `resolve` is the district's place resolver (gazetteer.ts, with the office's aliases). */
export function readPlaceReply(text: string, d: District, resolve: (text: string) => PlaceMatch): PlaceReply {
  const typed = findTown(d.towns, text);
  if (typed) return { kind: 'town', town: typed, place: null };
  const m = resolve(text);
  const rest = m.evidence.reduce((t, word) => t.split(word).join(''), text).replace(FILLER_RE, '');
  if (m.townCode) {
    const town = d.towns.find((t) => t.code === m.townCode);
    return rest || !town ? null : { kind: 'town', town, place: m.place };
  }
  if (m.candidates.length > 0) return null;
  const outside = namesFor(d);
  const words = outside.home.reduce((t, name) => t.split(name).join(''), rest);
  if (!words) return m.districtOnly || words !== rest ? { kind: 'broad' } : { kind: 'unsure' };
  if (outside.any.has(words) || outside.any.has(words.replace(ADMIN_SUFFIX_RE, ''))) return { kind: 'outside', name: words };
  // 「海沧区新阳街道马銮社区」: a full name of elsewhere, then only its own 街道, 社区 … (which are not ours).
  const lead = outside.full.find((name) => words.startsWith(name));
  if (lead && PLACE_TAIL_RE.test(text.slice(text.indexOf(lead) + lead.length).replace(TAIL_FILLER_RE, ''))) return { kind: 'outside', name: lead };
  return words.replace(UNSURE_RE, '') ? null : { kind: 'unsure' };
}
