/** Small server-rendered SVG charts: no library, no network, readable without colour alone. */

const COLORS = ['#0a58ca', '#b3261e', '#8a5300', '#1a7f37', '#6f42c1', '#bf3989', '#57606a', '#0b7285', '#a40e26', '#3d5afe', '#795548'];

/** Stacked bars over time buckets, with a legend and a title for screen readers. */
export function StackedBars(props: { title: string; buckets: string[]; series: Array<{ name: string; values: number[] }>; width?: number; height?: number }) {
  const width = props.width ?? 640;
  const height = props.height ?? 220;
  const pad = { left: 36, bottom: 28, top: 8, right: 8 };
  const totals = props.buckets.map((_, i) => props.series.reduce((a, s) => a + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const bw = (width - pad.left - pad.right) / Math.max(1, props.buckets.length);
  const y = (v: number) => pad.top + (height - pad.top - pad.bottom) * (1 - v / max);
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} width="100%">
        <title>{props.title}</title>
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} stroke="#d0d7de" />
        <text x={pad.left - 4} y={y(max) + 4} text-anchor="end" font-size="11">
          {max}
        </text>
        {props.buckets.map((b, i) => {
          let acc = 0;
          return (
            <g>
              {props.series.map((s, k) => {
                const v = s.values[i] ?? 0;
                const top = y(acc + v);
                const h = y(acc) - top;
                acc += v;
                return v ? (
                  <rect x={pad.left + i * bw + 1} y={top} width={Math.max(1, bw - 2)} height={h} fill={COLORS[k % COLORS.length]}>
                    <title>{`${b} · ${s.name}: ${v}`}</title>
                  </rect>
                ) : null;
              })}
              {i % Math.ceil(props.buckets.length / 8) === 0 ? (
                <text x={pad.left + i * bw + bw / 2} y={height - 8} text-anchor="middle" font-size="11">
                  {b}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {props.series.map((s, k) => (
          <span class="chip">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={COLORS[k % COLORS.length]} />
            </svg>{' '}
            {s.name} ({s.values.reduce((a, v) => a + v, 0)})
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Horizontal bars: this week against last week per topic. */
export function CompareBars(props: { title: string; caption: string; rows: Array<{ name: string; now: number; before: number }> }) {
  const max = Math.max(1, ...props.rows.flatMap((r) => [r.now, r.before]));
  const width = 340;
  const rowH = 26;
  const height = props.rows.length * rowH + 10;
  const bar = (v: number) => (v / max) * (width - 170);
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} width="100%">
        <title>{props.title}</title>
        {props.rows.map((r, i) => (
          <g>
            <text x="0" y={i * rowH + 16} font-size="12">
              {r.name}
            </text>
            <rect x="80" y={i * rowH + 4} width={bar(r.now)} height="9" fill="#0a58ca">
              <title>{`${r.name} this week: ${r.now}`}</title>
            </rect>
            <rect x="80" y={i * rowH + 14} width={bar(r.before)} height="7" fill="#8c959f">
              <title>{`${r.name} last week: ${r.before}`}</title>
            </rect>
            <text x={85 + bar(Math.max(r.now, r.before))} y={i * rowH + 16} font-size="11">{`${r.now} (${r.before})`}</text>
          </g>
        ))}
      </svg>
      <figcaption class="muted">{props.caption}</figcaption>
    </figure>
  );
}
