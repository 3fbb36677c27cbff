// Requisition and result PDFs as a person reads them: the account number, physician, tests, notes, values,
// ranges and flags are in the rendered text.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderRequisitionPdf } from '../../src/modules/results/pdf/render-requisition-pdf.js';
import { renderResultPdf } from '../../src/modules/results/pdf/render-result-pdf.js';
import { pdfText } from '../support/pdf-text.js';

describe('PDF rendering', () => {
  it('renders a requisition with account number, physician, tests and notes', async () => {
    const bytes = await renderRequisitionPdf({
      orderId: 'o-1',
      sampleId: 'ABC123DEF456',
      createdAt: '2026-11-24T10:00:00Z',
      labName: 'Quest Diagnostics',
      account: { provider_account_id: 'QA-778899', account_name: 'Acme Quest', delegated_flow: 'order_delegated' },
      physician: { first_name: 'Grace', last_name: 'Hopper', npi: '1112223334' },
      physicianSource: 'order',
      patient: { name: 'Alex Doe', dob: '1980-01-02', gender: 'female', phone: null, address: '1 Main St, Los Angeles, CA 90001' },
      tests: [{ name: 'Lipid Panel', markers: ['LDL', 'HDL'] }],
      collectionMethod: 'walk_in_test',
      billingType: 'client_bill',
      icdCodes: ['E78.5'],
      clinicalNotes: 'Account default note\nFasting 12h',
    });
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const text = await pdfText(bytes);
    for (const needle of [
      'QA-778899',
      'Grace Hopper',
      '1112223334',
      'Lipid Panel',
      'LDL, HDL',
      'Account default note',
      'Fasting 12h',
      'E78.5',
    ]) {
      assert.ok(text.includes(needle), `missing ${needle} in: ${text}`);
    }
  });

  it('renders a result report with values, ranges and flags', async () => {
    const bytes = await renderResultPdf({
      orderId: 'o-1',
      sampleId: 'ABC123DEF456',
      status: 'final',
      interpretation: 'critical',
      dateReported: '2026-11-24',
      labName: 'Quest Diagnostics',
      account: { provider_account_id: 'QA-778899', account_name: 'Acme Quest' },
      patient: { name: 'Alex Doe', dob: '1980-01-02', gender: 'female' },
      results: [
        { name: 'LDL Cholesterol', result: '190', unit: 'mg/dL', reference_range: '<100', interpretation: 'critical' },
        { name: 'HDL Cholesterol', result: '55', unit: 'mg/dL', reference_range: '>39', interpretation: 'normal' },
      ],
    });
    const text = await pdfText(bytes);
    for (const needle of ['Alex Doe', 'QA-778899', 'LDL Cholesterol', '190', 'mg/dL', '<100', 'CRITICAL', 'HDL Cholesterol']) {
      assert.ok(text.includes(needle), `missing ${needle} in: ${text}`);
    }
  });
});
