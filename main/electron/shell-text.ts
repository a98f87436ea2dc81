/** Texts of the native shell (menu, dialogs) in the console's two languages; the renderer has its own in i18n. */
const TEXT = {
  en: {
    file: 'File',
    quit: 'Quit Linekeeper',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    about: 'About Linekeeper',
    supportBundle: 'Export support bundle…',
    openLogs: 'Open the log folder',
    installCommand: 'Install the linekeeper command and services…',
    supportSaved: 'The support bundle was saved: {file} ({files} files). It holds no passwords.',
    supportFailed: 'The support bundle could not be written: {message}',
    installAsk: 'Install the "linekeeper" command in /usr/local/bin and the multiplexer service (launchd)? macOS asks for an administrator password.',
    install: 'Install',
    later: 'Not now',
    installDone: 'The linekeeper command and the multiplexer service are installed.',
    installFailed: 'The installation did not complete: {message}',
    removeServices: 'Remove the linekeeper command and services…',
    removeAsk: 'Remove the multiplexer and uaCSTA server services (launchd) and the "linekeeper" command? The settings, passwords and logs in /Library/Application Support/Linekeeper are kept unless you choose to delete them. macOS asks for an administrator password.',
    removeKeepData: 'Remove, keep the data',
    removeWithData: 'Remove and delete the data',
    cancel: 'Cancel',
    removeDone: 'The services and the linekeeper command are removed.',
    removeFailed: 'The removal did not complete: {message}',
    unsavedAsk: 'Some settings have unsaved changes. Close anyway and lose them?',
    leaveUnsaved: 'Close without saving',
    stay: 'Keep editing',
  },
  de: {
    file: 'Datei',
    quit: 'Linekeeper beenden',
    edit: 'Bearbeiten',
    view: 'Ansicht',
    window: 'Fenster',
    help: 'Hilfe',
    about: 'Über Linekeeper',
    supportBundle: 'Supportpaket exportieren…',
    openLogs: 'Protokollordner öffnen',
    installCommand: 'Befehl linekeeper und Dienste installieren…',
    supportSaved: 'Das Supportpaket wurde gespeichert: {file} ({files} Dateien). Es enthält keine Passwörter.',
    supportFailed: 'Das Supportpaket konnte nicht geschrieben werden: {message}',
    installAsk: 'Den Befehl „linekeeper“ in /usr/local/bin und den Multiplexer-Dienst (launchd) installieren? macOS fragt nach einem Administratorpasswort.',
    install: 'Installieren',
    later: 'Nicht jetzt',
    installDone: 'Der Befehl linekeeper und der Multiplexer-Dienst sind installiert.',
    installFailed: 'Die Installation wurde nicht abgeschlossen: {message}',
    removeServices: 'Befehl linekeeper und Dienste entfernen…',
    removeAsk: 'Die Dienste Multiplexer und uaCSTA-Server (launchd) und den Befehl „linekeeper“ entfernen? Einstellungen, Passwörter und Protokolle in /Library/Application Support/Linekeeper bleiben erhalten, wenn Sie sie nicht löschen lassen. macOS fragt nach einem Administratorpasswort.',
    removeKeepData: 'Entfernen, Daten behalten',
    removeWithData: 'Entfernen und Daten löschen',
    cancel: 'Abbrechen',
    removeDone: 'Die Dienste und der Befehl linekeeper sind entfernt.',
    removeFailed: 'Das Entfernen wurde nicht abgeschlossen: {message}',
    unsavedAsk: 'Einige Einstellungen haben ungespeicherte Änderungen. Trotzdem schließen und sie verwerfen?',
    leaveUnsaved: 'Ohne Speichern schließen',
    stay: 'Weiter bearbeiten',
  },
} as const;

export type ShellText = Record<keyof (typeof TEXT)['en'], string>;

/** German for a German system locale, else English (as the console starts before the admin picks one). */
export function shellText(locale: string): ShellText {
  return locale.toLowerCase().startsWith('de') ? TEXT.de : TEXT.en;
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** The About box's detail: one line per version. */
export function aboutDetail(versions: Record<string, string>): string {
  return Object.entries(versions)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}
