// Each project names its zone in TZ (vitest.config.ts). Should a worker ever keep the zone it
// was started with, every date test of that project would pass in the wrong zone, unnoticed.
const wanted = process.env['TZ'];
const actual = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (wanted && actual !== wanted) throw new Error(`tests meant for TZ=${wanted} run in ${actual}`);
