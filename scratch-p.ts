import postgres from 'postgres';
const sql = postgres(process.env.DATABASE_URL!, { max: 1 });
const q = `select c.id, c.status, c.priority, c.priority_components, c.category, c.reason, c.team, c.assignee_id, c.due_at, c.created_at, c.first_response_at, c.false_alarm, p.id, p.platform, p.platform_post_id, p.url, p.text, p.posted_at, p.gone_at, a.handle, a.display_name, a.followers, a.verified, an.language, an.sentiment, an.complaint, an.evidence from cases c join posts p on p.id = c.post_id join authors a on a.id = p.author_id left join analyses an on an.post_id = p.id where c.status = $1 order by -c.priority, c.id limit 51`;
for (const prepare of [false, true, false, true]) {
  for (let i = 0; i < 20; i++) await sql.unsafe(q, ['open'], { prepare });
  const t = performance.now();
  for (let i = 0; i < 300; i++) await sql.unsafe(q, ['open'], { prepare });
  console.log('prepare', prepare, ((performance.now() - t) / 300).toFixed(2), 'ms');
}
const t = performance.now();
for (let i = 0; i < 300; i++) await sql.unsafe('select 1', [], { prepare: false });
console.log('select 1', ((performance.now() - t) / 300).toFixed(2), 'ms');
await sql.end();
