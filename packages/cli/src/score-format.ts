/** The quality report as text tables. */
import { count } from './command-io.js';
import { scopeLabel, shortText } from './findings-format.js';
import type { QualityReport } from './scoring.js';
import { fixed, renderTable } from './text-table.js';

const share = (x: number | null) => fixed(x, 3);

const tally = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export function qualityReportText(r: QualityReport): string {
  const um = r.unitMonths;
  const head = [
    `findings: ${count(r.findings)}; matching a fabrication label: ${count(r.truePositives)} → precision ${share(r.precision)}`,
    `false findings: ${count(r.falseFindings)} (${count(r.falseOnCleanTraffic)} on no label at all) over ` +
      `${count(um.clean)} clean unit-months (of ${count(um.covered)} covered, ` +
      `${um.source === 'events' ? 'from the events file' : 'estimated from the labels'}) → ` +
      `${fixed(r.falsePer1000CleanUnitMonths, 2)} per 1,000 clean unit-months`,
  ].join('\n');

  const scenarios = renderTable(
    [
      { header: 'scenario' },
      { header: 'labels', align: 'right' },
      { header: 'expectable', align: 'right' },
      { header: 'found (expected det.)', align: 'right' },
      { header: 'recall', align: 'right' },
      { header: 'found (any det.)', align: 'right' },
      { header: 'recall any', align: 'right' },
    ],
    r.scenarios.map((s) => [
      s.scenario,
      String(s.labels),
      String(s.expectable),
      String(s.detectedExpected),
      share(s.recallExpected),
      String(s.detectedAny),
      share(s.recallAny),
    ]),
  );

  const detectors = renderTable(
    [
      { header: 'detector' },
      { header: 'findings', align: 'right' },
      { header: 'true', align: 'right' },
      { header: 'precision', align: 'right' },
      { header: 'labels expecting it', align: 'right' },
      { header: 'found', align: 'right' },
      { header: 'recall', align: 'right' },
      { header: 'false findings by rule' },
    ],
    r.detectors.map((d) => [
      d.detector,
      String(d.findings),
      String(d.truePositives),
      share(d.precision),
      String(d.expectedLabels),
      String(d.detectedLabels),
      share(d.recall),
      tally(d.falseByRule),
    ]),
  );

  const hardNegatives = renderTable(
    [
      { header: 'hard negative' },
      { header: 'labels', align: 'right' },
      { header: 'false findings', align: 'right' },
      { header: 'by detector' },
    ],
    r.hardNegatives.map((h) => [h.scenario, String(h.labels), String(h.falseFindings), tally(h.byDetector)]),
  );

  const misses =
    r.misses.length === 0
      ? 'none'
      : r.misses
          .map((m) => {
            const l = m.label;
            const found =
              m.sameUnitFindings.length === 0
                ? 'nothing on this unit'
                : m.sameUnitFindings
                    .map(
                      (f) =>
                        `${f.detector}${f.rule ? `/${f.rule}` : ''} ${scopeLabel(f.scope)} ${f.period.start}..${f.period.end}`,
                    )
                    .join('; ');
            return (
              `- ${l.scenario} ${scopeLabel(l.scope)} ${l.period.start}..${l.period.end} ` +
              `(expects ${l.detectors.join(', ')}): ${shortText(l.description, 120)}\n    found: ${found}`
            );
          })
          .join('\n');

  return [
    head,
    '',
    'Recall per fabrication scenario',
    scenarios,
    '',
    'Per detector (true = matches any fabrication label; recall over the labels that expect the detector)',
    detectors,
    '',
    'Hard negatives (findings matching a hard-negative label and no fabrication label)',
    hardNegatives,
    '',
    'Labels missed by their expected detectors',
    misses,
    '',
  ].join('\n');
}
