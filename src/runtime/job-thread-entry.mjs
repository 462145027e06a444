// Worker threads do not inherit tsx's loader hooks, so the job thread registers them itself (as bin.mjs does).
import { register } from 'tsx/esm/api';

register();
await import('./job-thread.ts');
