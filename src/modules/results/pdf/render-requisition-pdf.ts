// The requisition a patient brings to the lab: it names the lab account the order was placed under, the
// ordering physician (the customer's for delegated accounts, the platform's otherwise), tests and notes.
import { fields, heading, renderPdf, section, table } from './pdf-document.js';

export interface RequisitionPdfData {
  orderId: string;
  sampleId: string;
  createdAt: string;
  labName: string;
  account: { provider_account_id: string; account_name: string | null; delegated_flow: string };
  physician: { first_name: string; last_name: string; npi: string };
  physicianSource: 'order' | 'platform';
  patient: { name: string; dob: string; gender: string; phone: string | null; address: string };
  tests: { name: string; markers: string[] }[];
  collectionMethod: string;
  billingType: string;
  icdCodes: string[];
  clinicalNotes: string | null;
}

export function renderRequisitionPdf(data: RequisitionPdfData): Promise<Buffer> {
  return renderPdf(`Requisition ${data.sampleId}`, (doc) => {
    heading(doc, 'Laboratory Requisition');
    fields(doc, [
      ['Requisition / sample ID', data.sampleId],
      ['Order ID', data.orderId],
      ['Ordered at', data.createdAt],
      ['Lab', data.labName],
      ['Lab account number', data.account.provider_account_id],
      ['Lab account name', data.account.account_name],
      ['Delegation', data.account.delegated_flow],
      ['Collection method', data.collectionMethod],
      ['Billing type', data.billingType],
    ]);
    section(doc, data.physicianSource === 'order' ? 'Ordering physician (customer)' : 'Ordering physician (platform network)');
    fields(doc, [
      ['Name', `${data.physician.first_name} ${data.physician.last_name}`],
      ['NPI', data.physician.npi],
    ]);
    section(doc, 'Patient');
    fields(doc, [
      ['Name', data.patient.name],
      ['Date of birth', data.patient.dob],
      ['Sex', data.patient.gender],
      ['Phone', data.patient.phone],
      ['Address', data.patient.address],
    ]);
    section(doc, 'Tests');
    table(
      doc,
      [
        { title: 'Test', width: 200 },
        { title: 'Markers', width: 312 },
      ],
      data.tests.map((t) => [t.name, t.markers.join(', ')]),
    );
    section(doc, 'Diagnosis codes (ICD-10)');
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(data.icdCodes.length ? data.icdCodes.join(', ') : '—');
    section(doc, 'Clinical notes');
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(data.clinicalNotes?.length ? data.clinicalNotes : '—');
  });
}
