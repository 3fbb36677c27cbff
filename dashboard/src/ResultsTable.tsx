// An order's results, one row per marker; abnormal and critical values are flagged in words as well as
// colour, so the flag does not depend on seeing the colour.
import type { BiomarkerResult } from './api';

const FLAG: Record<string, string> = { abnormal: 'Abnormal', critical: '⚠ Critical' };

type Row = Pick<BiomarkerResult, 'name' | 'slug' | 'result' | 'unit' | 'reference_range' | 'interpretation'>;

export function ResultsTable({ results }: { results: Row[] }) {
  const critical = results.filter((r) => r.interpretation === 'critical').length;
  const abnormal = results.filter((r) => r.interpretation === 'abnormal').length;
  return (
    <>
      <p className={critical ? 'error' : undefined}>
        {results.length} {results.length === 1 ? 'marker' : 'markers'}: {critical} critical, {abnormal} abnormal.
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Results table">
        <table aria-label="Results">
          <thead>
            <tr>
              <th>Marker</th>
              <th>Value</th>
              <th>Unit</th>
              <th>Range</th>
              <th>Flag</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <tr key={r.slug || r.name} className={`flag-${r.interpretation}`}>
                <td>{r.name}</td>
                <td>{r.result}</td>
                <td>{r.unit}</td>
                <td>{r.reference_range}</td>
                <td>{FLAG[r.interpretation] ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
