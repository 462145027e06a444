import { describe, expect, it } from 'vitest';
import { BotError, isRefusal, isStorageFull } from '../src/core/errors.js';

describe('which errors a user is told about and which are retried', () => {
  it('answers a refusal in the chat, but lets a full disk or a bug propagate so the work runs again', () => {
    expect(isRefusal(new BotError('forbidden', '你没有修改 JM-2026-0001 的权限'))).toBe(true);
    expect(isRefusal(new BotError('invalid_transition', '协商已召开'))).toBe(true);
    expect(isRefusal(new BotError('storage_full', 'the database disk is full'))).toBe(false);
    expect(isRefusal(new Error('boom'))).toBe(false);
  });

  it('knows a full disk as minyi says it and as SQLite says it, wrapped or not', () => {
    const sqliteFull = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(isStorageFull(sqliteFull)).toBe(true);
    expect(isStorageFull(new Error("Failed to run the query 'INSERT …'", { cause: sqliteFull }))).toBe(true);
    expect(isStorageFull(new BotError('storage_full', 'full'))).toBe(true);
    expect(isStorageFull(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(false);
  });
});
