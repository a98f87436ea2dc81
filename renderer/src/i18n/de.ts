import type { Messages } from './en';

export const de: Messages = {
  app: {
    name: 'Linekeeper',
    tagline: 'CTI-Treiberkonsole',
    loading: 'Verbindung zu Linekeeper wird hergestellt…',
    missingToken: 'Diese Seite braucht die Adresse, die „linekeeper serve“ ausgibt, samt Zugangstoken.',
    connectFailed: 'Linekeeper ist nicht erreichbar. Starten Sie es erneut und öffnen Sie die ausgegebene Adresse.',
    version: 'Version {{version}}',
    transport_electron: 'Desktop-App',
    transport_websocket: 'Browserverbindung',
  },
  nav: {
    label: 'Hauptnavigation',
    instances: 'Treiberinstanzen',
    licences: 'Lizenzen',
    multiplexer: 'Multiplexer',
    settings: 'Einstellungen',
  },
  instances: {
    title: 'Treiberinstanzen',
    intro: 'Eine Treiberinstanz verbindet Linekeeper mit einer Telefonanlage.',
    empty: 'Noch keine Treiberinstanzen.',
  },
  licences: {
    title: 'Lizenzen',
    intro: 'Alle Treiberinstanzen auf diesem PC teilen sich die Lizenzen.',
  },
  multiplexer: {
    title: 'CSTA-Multiplexer',
    intro: 'Über den Multiplexer teilen sich viele CTI-Anwendungen die eine CSTA-Verbindung einer Panasonic-Anlage.',
  },
  settings: {
    title: 'Einstellungen',
    language: 'Sprache',
    logLevel: 'Protokollstufe',
    logDirectory: 'Protokollverzeichnis',
    keepDays: 'Protokolldateien aufbewahren (Tage)',
    deleteOld: 'Alte Protokolldateien löschen',
    deleted_one: '{{count}} Protokolldatei gelöscht.',
    deleted_other: '{{count}} Protokolldateien gelöscht.',
    recentLog: 'Letzte Protokolleinträge',
    noEntries: 'Keine Protokolleinträge auf dieser Stufe.',
    dataDir: 'Datenverzeichnis',
  },
  levels: { error: 'Fehler', warn: 'Warnung', info: 'Information', debug: 'Debug' },
  languages: { en: 'English', de: 'Deutsch' },
};
