// The result report: patient, lab, the lab account the results came under, and each marker with value,
// unit, reference range and flag.
import { fields, heading, renderPdf, section, table } from './pdf-document.js';

export interface ResultPdfRow {
  name: string;
  result: string;
  unit: string | null;
  reference_range: string | null;
  interpretation: string;
}

export interface ResultPdfData {
  orderId: string;
  sampleId: string;
  status: 'final' | 'partial';
  interpretation: string | null;
  dateReported: string;
  labName: string;
  account: { provider_account_id: string; account_name: string | null };
  patient: { name: string; dob: string; gender: string };
  results: ResultPdfRow[];
}

const FLAG: Record<string, string> = { normal: '', abnormal: 'ABNORMAL', critical: 'CRITICAL' };

export function renderResultPdf(data: ResultPdfData): Promise<Buffer> {
  return renderPdf(`Results ${data.sampleId}`, (doc) => {
    heading(doc, data.status === 'partial' ? 'Laboratory Report (partial)' : 'Laboratory Report');
    fields(doc, [
      ['Patient', data.patient.name],
      ['Date of birth', data.patient.dob],
      ['Sex', data.patient.gender],
      ['Lab', data.labName],
      ['Lab account number', data.account.provider_account_id],
      ['Lab account name', data.account.account_name],
      ['Sample ID', data.sampleId],
      ['Order ID', data.orderId],
      ['Reported', data.dateReported],
      ['Report status', data.status],
      ['Overall interpretation', data.interpretation],
    ]);
    section(doc, 'Results');
    table(
      doc,
      [
        { title: 'Marker', width: 150 },
        { title: 'Value', width: 80 },
        { title: 'Unit', width: 70 },
        { title: 'Reference range', width: 120 },
        { title: 'Flag', width: 92 },
      ],
      data.results.map((r) => [
        r.name,
        r.result,
        r.unit ?? '',
        r.reference_range ?? '',
        FLAG[r.interpretation] ?? r.interpretation.toUpperCase(),
      ]),
    );
  });
}
