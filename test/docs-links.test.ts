import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const pages = ['README.md', ...readdirSync(join(root, 'docs'), { recursive: true }).map(String).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

/** Markdown links to files in the repository: [text](path) and [text](path#anchor). */
function localLinks(markdown: string): string[] {
  const links = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
  return links.filter((l) => !/^(https?:|mailto:|#)/.test(l)).map((l) => l.split('#')[0] ?? '');
}

describe('README and docs', () => {
  it.each(pages)('%s links only to files that exist', (page) => {
    const text = readFileSync(join(root, page), 'utf8');
    const missing = localLinks(text).filter((target) => !existsSync(resolve(root, dirname(page), target)));
    expect(missing).toEqual([]);
  });

  it('the README stays a front door: under 250 lines, with the two commands and links to docs/', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThan(250);
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
    for (const doc of ['docs/slack.md', 'docs/discord.md', 'docs/deployment.md', 'docs/architecture.md', 'docs/benchmarks.md']) expect(readme).toContain(`(${doc}`);
  });
});
