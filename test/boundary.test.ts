import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const IMPORT_RE = /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function imports(file: string): string[] {
  const src = readFileSync(join(ROOT, file), 'utf8');
  return [...src.matchAll(IMPORT_RE)].map((m) => m[1] ?? m[2]!);
}

/** Layering is a failing test, not a convention (DESIGN.md "Architecture"). */
describe('import boundaries', () => {
  it('src/core imports nothing outside itself', () => {
    const bad = files('src/core').flatMap((f) =>
      imports(f).filter((i) => !i.startsWith('./')).map((i) => `${f} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('src/app imports only core and its own files, no SDKs or node: modules', () => {
    // Resolved against the importing file, so use cases may live in subfolders (src/app/commands/).
    const inside = (f: string, i: string) => i.startsWith('.') && /^src\/(app|core)\//.test(relative(ROOT, join(ROOT, dirname(f), i)));
    const bad = files('src/app').flatMap((f) => imports(f).filter((i) => !inside(f, i)).map((i) => `${f} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('adapters (channels, classify, llm, store, jobs) depend on core, not on app, http or runtime', () => {
    const adapters = ['src/channels', 'src/classify', 'src/llm', 'src/store', 'src/jobs'];
    const bad = adapters.flatMap((d) => files(d)).flatMap((f) =>
      imports(f).filter((i) => /(^|\/)(app|http|runtime)\//.test(i) && i.startsWith('..')).map((i) => `${f} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('only src/llm imports openai', () => {
    const all = files('src').filter((f) => !f.startsWith('src/llm/'));
    const bad = all.flatMap((f) => imports(f).filter((i) => i === 'openai' || i.startsWith('openai/')).map((i) => `${f} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('only the runtime reads the environment', () => {
    const bad = files('src').filter((f) => !f.startsWith('src/runtime/') && readFileSync(join(ROOT, f), 'utf8').includes('process.env'));
    expect(bad).toEqual([]);
  });
});
