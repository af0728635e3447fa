import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { fileBytes, type FileReply } from '../../src/model/reply.js';

/**
 * The files the bot produces (the letter, a reply to pushback), written where the user can
 * open them. An existing file is never overwritten: a second letter becomes "-2", then "-3".
 */
export class ConsoleFiles {
  constructor(private readonly dir: string) {}

  /** Writes the file and returns the path to show, relative to the current folder when inside it. */
  save(file: FileReply): string {
    mkdirSync(this.dir, { recursive: true });
    const dot = file.filename.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [file.filename.slice(0, dot), file.filename.slice(dot)] : [file.filename, ''];
    for (let n = 1; ; n++) {
      const path = join(this.dir, n === 1 ? file.filename : `${stem}-${n}${ext}`);
      try {
        // 'wx' fails when the file exists: no check-then-write race with another console.
        // Text ends with a newline, as editors expect; bytes (a PDF) are written as they are.
        const data = file.encoding === 'base64' || file.content.endsWith('\n') ? fileBytes(file) : `${file.content}\n`;
        writeFileSync(path, data, { flag: 'wx' });
        const shown = relative(process.cwd(), path);
        return shown.startsWith('..') || isAbsolute(shown) ? path : shown;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }
}
