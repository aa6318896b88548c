/** The report's stylesheet, inlined: system fonts, print-friendly sizes, tables and figures that do not split across pages. */

export const reportCss = `
@page { size: A4; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 9pt; line-height: 1.35; color: #1a1a1a; margin: 0; }
@media screen { body { max-width: 190mm; margin: 0 auto; padding: 12mm 10mm; } }
header.report-header { border-bottom: 2px solid #0072B2; padding-bottom: 4px; margin-bottom: 8px; }
header.report-header h1 { font-size: 16pt; margin: 0 0 2px 0; }
header.report-header p { margin: 0; color: #444; }
h2 { font-size: 12.5pt; color: #0b3d66; margin: 14px 0 6px 0; border-bottom: 0.5px solid #bbb; padding-bottom: 2px; break-after: avoid; }
h3 { font-size: 10pt; margin: 10px 0 4px 0; break-after: avoid; }
.project { break-before: page; }
/* The first project right under the title (no comparison before it) starts on the first page: no blank page. */
header.report-header + .project { break-before: auto; }
.project > h2.project-title { font-size: 14pt; color: #000; border-bottom: 1.5px solid #000; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px 0; break-inside: avoid; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-size: 8pt; color: #444; padding-bottom: 2px; }
th, td { border-bottom: 0.5px solid #ccc; padding: 2px 5px; text-align: left; vertical-align: top; }
thead th { border-bottom: 1px solid #666; font-weight: bold; background: #f1f4f7; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.facts th { width: 32%; font-weight: normal; color: #444; background: none; }
table.facts td, table.facts th { border-bottom: 0.5px solid #e3e3e3; }
table.ranking td, table.criteria td { font-size: 8pt; }
/* Many columns: headers wrap (th.num would not), cells a size smaller. */
table.fidelity th, table.fidelity-layers th { white-space: normal; font-size: 7.5pt; }
table.fidelity td, table.fidelity-layers td { font-size: 8pt; }
table.ranking small, table.criteria small, table.fidelity small { color: #555; font-size: 7pt; }
table.criteria td:first-child, table.comparison td:first-child, table.fidelity td:first-child { white-space: nowrap; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 8pt; margin: 2px 0 4px 0; }
.legend span { display: inline-flex; align-items: center; gap: 4px; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 7.5pt; word-break: break-all; }
.columns, .grid2 { display: flex; flex-wrap: wrap; gap: 0 4mm; }
.columns > div { flex: 1 1 0; min-width: 0; }
.grid2 > figure { flex: 0 0 calc(50% - 2mm); }
figure { margin: 4px 0 8px 0; break-inside: avoid; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption, p.caption { font-size: 8pt; color: #444; text-align: left; margin: 0 0 6px 0; }
.headline { display: flex; gap: 4mm; margin: 6px 0 10px 0; }
.headline > div { flex: 1; border: 1px solid #d0dbe6; background: #f5f8fb; border-radius: 3px; padding: 5px 8px; }
.headline .big { display: block; font-size: 17pt; font-weight: bold; color: #0b3d66; }
.headline span:last-child { color: #444; font-size: 8pt; }
p.note { padding: 4px 8px; border-left: 3px solid #0072B2; background: #f3f7fb; margin: 6px 0; font-size: 8.5pt; break-inside: avoid; }
p.note.missing { border-left-color: #E69F00; background: #fdf6e7; }
p.note.warning { border-left-color: #D55E00; background: #fcece4; font-weight: bold; }
b.warn { color: #D55E00; }
p.backend { font-size: 8.5pt; margin: 4px 0; }
.muted { color: #666; }
ul.notes { font-size: 8pt; color: #444; margin: 4px 0; padding-left: 16px; }
footer.report-footer { margin-top: 16px; border-top: 0.5px solid #999; font-size: 7.5pt; color: #444; }
footer.report-footer p { margin: 2px 0; }
@media print { footer.report-footer { display: none; } }
`;
