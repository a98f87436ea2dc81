// electron-builder msiProjectCreated hook. electron-builder's MSI has no custom actions of its own, so the WiX
// project it generated gets Linekeeper's before candle compiles it: the same PowerShell scripts the NSIS installer
// runs register the services, the PATH entry and the data directory, and remove them again (docs/release.md).
// Deferred and not impersonated: they run as LocalSystem inside the installation's transaction.
const { readFileSync, writeFileSync } = require('node:fs');

const MARK = 'LinekeeperInstallServices';

/** ExeCommand of a deferred action running one of the shipped scripts; the trailing "." keeps "\" off the quote. */
function powershell(script, extra = '') {
  const q = (s) => `&quot;${s}&quot;`;
  return (
    `${q('[System64Folder]WindowsPowerShell\\v1.0\\powershell.exe')} -NoProfile -NonInteractive -WindowStyle Hidden -ExecutionPolicy Bypass ` +
    `-File ${q(`[APPLICATIONFOLDER]resources\\services\\windows\\${script}`)} -InstallDir ${q('[APPLICATIONFOLDER].')}${extra}`
  );
}

/**
 * The actions and when they run. Install, repair and the new version of an upgrade: install-services.ps1 (it refreshes
 * the services and starts those the upgrade stopped). Uninstall: uninstall-services.ps1, with -RemoveData when the
 * admin passes LINEKEEPER_REMOVE_DATA=1 to msiexec. The old version's removal in an upgrade: only -ForUpdate (stop
 * and note which ran). Before RemoveFiles, so the scripts are still there.
 */
const ACTIONS = [
  { id: MARK, command: powershell('install-services.ps1'), ret: 'check', when: 'Before="InstallFinalize"', condition: 'NOT REMOVE' },
  { id: 'LinekeeperUninstallServices', command: powershell('uninstall-services.ps1'), ret: 'ignore', when: 'Before="RemoveFiles"', condition: 'REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE AND NOT LINEKEEPER_REMOVE_DATA="1"' },
  { id: 'LinekeeperUninstallServicesAndData', command: powershell('uninstall-services.ps1', ' -RemoveData'), ret: 'ignore', when: 'Before="RemoveFiles"', condition: 'REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE AND LINEKEEPER_REMOVE_DATA="1"' },
  { id: 'LinekeeperStopServicesForUpdate', command: powershell('uninstall-services.ps1', ' -ForUpdate'), ret: 'ignore', when: 'Before="RemoveFiles"', condition: 'REMOVE="ALL" AND UPGRADINGPRODUCTCODE' },
];

/** The WiX project text with Linekeeper's actions; the same text when they are in already. */
function patchMsiProject(wxs) {
  if (wxs.includes(`Id="${MARK}"`)) return wxs;
  const end = wxs.lastIndexOf('</Product>');
  if (end < 0) throw new Error('LINEKEEPER_MSI_PROJECT_UNEXPECTED: the WiX project has no </Product>');
  const xmlText = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const customs = ACTIONS.map((a) => `      <Custom Action="${a.id}" ${a.when}>${xmlText(a.condition)}</Custom>\n`).join('');
  // One InstallExecuteSequence: join electron-builder's when its template wrote one.
  const sequence = /<InstallExecuteSequence>[ \t]*\r?\n/.exec(wxs);
  const text = sequence ? wxs.slice(0, sequence.index + sequence[0].length) + customs + wxs.slice(sequence.index + sequence[0].length) : wxs;
  const lineStart = text.lastIndexOf('\n', text.lastIndexOf('</Product>')) + 1;
  const added = [
    // Secure: passed from the msiexec command line to the elevated part of the installation.
    '    <Property Id="LINEKEEPER_REMOVE_DATA" Secure="yes"/>\n',
    ...ACTIONS.map((a) => `    <CustomAction Id="${a.id}" Directory="APPLICATIONFOLDER" ExeCommand="${a.command}" Execute="deferred" Impersonate="no" Return="${a.ret}"/>\n`),
    ...(sequence ? [] : [`    <InstallExecuteSequence>\n${customs}    </InstallExecuteSequence>\n`]),
  ].join('');
  return text.slice(0, lineStart) + added + text.slice(lineStart);
}

exports.patchMsiProject = patchMsiProject;
exports.ACTIONS = ACTIONS;
exports.default = async function msiProjectCreated(projectFile) {
  writeFileSync(projectFile, patchMsiProject(readFileSync(projectFile, 'utf8')));
};
