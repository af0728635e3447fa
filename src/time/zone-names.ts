// Node 20's ICU names some zones by their old IANA spellings ("Asia/Saigon", "Europe/Kiev",
// "Asia/Calcutta") whatever the system was set to. Shown to the user, the current name is the one
// they know, and for Kyiv the one they expect.
const CURRENT: Readonly<Record<string, string>> = {
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'Asia/Ulan_Bator': 'Asia/Ulaanbaatar',
};

/** The current IANA name of a zone ICU may report by an old one; any other zone as given. */
export function currentZoneName(zone: string): string {
  return CURRENT[zone] ?? zone;
}

/** This machine's zone, as the person who set it would write it. */
export function systemZone(): string {
  return currentZoneName(Intl.DateTimeFormat().resolvedOptions().timeZone);
}
