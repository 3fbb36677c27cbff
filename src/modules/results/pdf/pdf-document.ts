// Shared layout for Labroute's PDFs (requisitions and result reports): pdfkit with the built-in Helvetica
// faces, so no font files or network are needed, and a deterministic creation date for reproducible output.
import PDFDocument from 'pdfkit';

export type Pdf = InstanceType<typeof PDFDocument>;

/** Builds a PDF with `draw` and resolves with its bytes. */
export function renderPdf(title: string, draw: (doc: Pdf) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'LETTER', margin: 50, info: { Title: title, Producer: 'Labroute', Creator: 'Labroute' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      draw(doc);
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

export function heading(doc: Pdf, text: string): void {
  doc.font('Helvetica-Bold').fontSize(16).text(text);
  doc.moveDown(0.5);
}

export function section(doc: Pdf, text: string): void {
  doc.moveDown(0.6);
  doc.font('Helvetica-Bold').fontSize(11).text(text);
  doc.moveDown(0.2);
}

/** "Label: value" lines; null values print as an em dash. */
export function fields(doc: Pdf, rows: [string, string | null | undefined][]): void {
  for (const [label, value] of rows) {
    doc.font('Helvetica-Bold').fontSize(9).text(`${label}: `, { continued: true });
    doc.font('Helvetica').text(value && value.length > 0 ? value : '—');
  }
}

/** A simple table with fixed column widths (points). */
export function table(doc: Pdf, columns: { title: string; width: number }[], rows: string[][]): void {
  const left = doc.page.margins.left;
  const drawRow = (cells: string[], bold: boolean): void => {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 30) doc.addPage();
    const y = doc.y;
    let x = left;
    let height = 0;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    cells.forEach((cell, i) => {
      const width = columns[i].width;
      doc.text(cell, x, y, { width: width - 6 });
      height = Math.max(height, doc.heightOfString(cell, { width: width - 6 }));
      x += width;
    });
    doc.x = left;
    doc.y = y + height + 4;
  };
  drawRow(
    columns.map((c) => c.title),
    true,
  );
  for (const row of rows) drawRow(row, false);
}
