import pg from 'pg';

/** Before a PostgreSQL run of the suite: drop the schemas earlier runs left (t_kb_…), so the server starts clean. */
export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.KB_TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_kb\\_%'`);
    for (const r of rows) await client.query(`DROP SCHEMA "${r.nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}
