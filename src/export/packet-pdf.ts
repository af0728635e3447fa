import PDFDocument from 'pdfkit';
import type { Packet } from './packet.js';
import { packetFonts } from './packet-fonts.js';

/**
 * The packet as an A4 PDF. Built synchronously: pdfkit pushes every chunk into its stream when
 * `end()` is called, and a paused stream hands them back with `read()`.
 */
export function packetPdf(p: Packet, created: Date): Buffer {
  const { regular, bold } = packetFonts();
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: p.title, Producer: 'offboard', Creator: 'offboard', CreationDate: created } });
  doc.registerFont('body', regular);
  doc.registerFont('bold', bold);
  doc.font('bold').fontSize(17).text(p.title);
  doc.moveDown(0.6);
  doc.font('body').fontSize(10.5).text(p.intro);
  doc.moveDown(0.6);
  doc.font('bold').fontSize(11).text(p.lastDay);
  for (const s of p.sections) {
    doc.moveDown(0.9);
    doc.font('bold').fontSize(12.5).text(s.heading);
    doc.moveDown(0.3);
    doc.font('body').fontSize(10.5);
    if (s.bullets) doc.list(s.lines, { bulletRadius: 2, textIndent: 12 });
    else for (const line of s.lines) doc.text(line || ' ');
  }
  doc.end();
  const chunks: Buffer[] = [];
  for (let chunk = doc.read() as Buffer | null; chunk !== null; chunk = doc.read() as Buffer | null) chunks.push(chunk);
  return Buffer.concat(chunks);
}
