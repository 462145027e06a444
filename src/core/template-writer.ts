import type { Writer } from './ports.js';

/** The no-LLM writer: the template text is the output. */
export const templateWriter: Writer = {
  write: async (_task, _data, fallback) => ({ text: fallback, source: 'template' }),
};

/** The reply footer naming who drafted the prose, so staff know to check a model's draft. */
export function writtenBy(w: { source: 'llm' | 'template'; model?: string; promptId?: string; promptVersion?: string }): string {
  if (w.source !== 'llm') return '';
  return `\n\n（由模型 ${w.model ?? '—'} 起草，提示词 ${w.promptId ?? '—'}@${w.promptVersion ?? '—'}，请核对后使用）`;
}
