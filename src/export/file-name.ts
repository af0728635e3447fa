/**
 * A file-name stem from a client name as typed: letters of any script and digits stay, every
 * other run of characters (slashes, dots, quotes, control characters) becomes one dash, so the
 * name is safe on Windows, macOS, Linux and in Slack/Discord uploads.
 */
export function fileStem(client: string): string {
  const stem = client
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '')
    .toLowerCase();
  // Windows refuses these names whatever the extension.
  return !stem || /^(con|prn|aux|nul|com\d|lpt\d)$/.test(stem) ? `client-${stem}`.replace(/-$/, '') : stem;
}
