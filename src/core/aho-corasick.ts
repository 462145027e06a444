/**
 * A tiny Aho–Corasick automaton: finds every occurrence of a few hundred patterns in one pass over the
 * text, whatever the number of patterns. Written by hand because core/ takes no packages, and the npm
 * options are either unmaintained or built for ASCII byte streams; ours are short CJK strings (UTF-16
 * code units work because every place name is in the BMP), and the whole thing is ~60 lines.
 */

export interface Occurrence { start: number; end: number; pattern: number }

export interface MultiPatternMatcher { findAll(text: string): Occurrence[] }

interface State {
  next: Map<number, number>;
  fail: number;
  /** Patterns ending here, by index, longest first. */
  out: number[];
}

export function buildMatcher(patterns: readonly string[]): MultiPatternMatcher {
  const states: State[] = [{ next: new Map(), fail: 0, out: [] }];
  const lengths = patterns.map((p) => p.length);

  patterns.forEach((pattern, index) => {
    if (pattern.length === 0) return;
    let s = 0;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charCodeAt(i);
      let t = states[s]!.next.get(c);
      if (t === undefined) {
        t = states.length;
        states.push({ next: new Map(), fail: 0, out: [] });
        states[s]!.next.set(c, t);
      }
      s = t;
    }
    states[s]!.out.push(index);
  });

  // Breadth-first, so a state's fail target is finished before the state itself; outputs are merged
  // along fail links once here, so the scan never walks them.
  const queue: number[] = [...states[0]!.next.values()];
  for (let q = 0; q < queue.length; q++) {
    const s = states[queue[q]!]!;
    for (const [c, t] of s.next) {
      let f = s.fail;
      while (f !== 0 && !states[f]!.next.has(c)) f = states[f]!.fail;
      const target = states[f]!.next.get(c);
      const child = states[t]!;
      child.fail = target !== undefined && target !== t ? target : 0;
      child.out = [...child.out, ...states[child.fail]!.out];
      queue.push(t);
    }
  }

  return {
    findAll(text) {
      const found: Occurrence[] = [];
      let s = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        while (s !== 0 && !states[s]!.next.has(c)) s = states[s]!.fail;
        s = states[s]!.next.get(c) ?? 0;
        for (const pattern of states[s]!.out) {
          found.push({ start: i + 1 - lengths[pattern]!, end: i + 1, pattern });
        }
      }
      return found;
    },
  };
}
