/** English UI text. Every visible string lives here and in de.ts (same keys). */
export const en = {
  app: {
    name: 'Linekeeper',
    tagline: 'CTI driver console',
    loading: 'Connecting to Linekeeper…',
    missingToken: 'This page needs the address printed by "linekeeper serve", including its access token.',
    connectFailed: 'Cannot reach Linekeeper. Start it again and open the address it prints.',
    version: 'Version {{version}}',
    transport_electron: 'Desktop app',
    transport_websocket: 'Browser connection',
  },
  nav: {
    label: 'Main navigation',
    instances: 'Driver instances',
    licences: 'Licences',
    multiplexer: 'Multiplexer',
    settings: 'Settings',
  },
  instances: {
    title: 'Driver instances',
    intro: 'One driver instance connects Linekeeper to one telephone system.',
    empty: 'No driver instances yet.',
  },
  licences: {
    title: 'Licences',
    intro: 'Licences are shared by all driver instances on this PC.',
  },
  multiplexer: {
    title: 'CSTA multiplexer',
    intro: 'The multiplexer lets many CTI applications share the single CSTA link of a Panasonic PBX.',
  },
  settings: {
    title: 'Settings',
    language: 'Language',
    logLevel: 'Log level',
    logDirectory: 'Log directory',
    keepDays: 'Keep log files for (days)',
    deleteOld: 'Delete old log files',
    deleted_one: '{{count}} log file deleted.',
    deleted_other: '{{count}} log files deleted.',
    recentLog: 'Recent log entries',
    noEntries: 'No log entries at this level.',
    dataDir: 'Data directory',
  },
  levels: { error: 'Error', warn: 'Warning', info: 'Information', debug: 'Debug' },
  languages: { en: 'English', de: 'Deutsch' },
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Messages = Shape<typeof en>;
