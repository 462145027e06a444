import { defineConfig } from 'drizzle-kit';

// Tables live in db/schema.ts (intake, records, jobs, reference data) and db/schema-*.ts (one file per
// feature area); one migration history in db/migrations serves better-sqlite3 and D1.
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./db/schema.ts', './db/schema-*.ts'],
  out: './db/migrations',
});
