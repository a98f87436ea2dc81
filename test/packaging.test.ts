import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceNames } from '../shared/api/services';
import { UNIT_NAMES } from '../main/services-control/control';
import { UACSTA_SETTINGS_DOC } from '../main/servers/uacsta/service';

const require = createRequire(import.meta.url);
const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'lk-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const yaml = require('js-yaml');
/** The services the installers put on the machine, as the console names them. */
const SERVICES = serviceNames;
const config = () => yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
const pkg = () => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * app.asar of the --dir build may not grow past this: 9.5 MB today (zod alone 4 MB, fast-xml-parser for CSTA XML
 * about 0.6 MB, the coded log entries' texts in two languages about 0.1 MB), 33 MB before the split.
 */
const ASAR_BUDGET_BYTES = 10 * 1024 * 1024;

async function validate(file: string): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
  const { DebugLogger } = require('builder-util');
  await validateConfiguration(yaml.load(readFileSync(file, 'utf8')), new DebugLogger(false));
}

/** electron-builder's deb script templating: `${name}` macros from the packager's values. */
function template(file: string, values: Record<string, string>): string {
  return readFileSync(join(root, file), 'utf8').replace(/\${([a-zA-Z]+)}/g, (_m, k: string) => {
    if (!(k in values)) throw new Error(`macro ${k} is not defined`);
    return values[k];
  });
}

describe('packaging configuration', () => {
  it('the electron-builder configurations pass its schema, offline', async () => {
    await validate(join(root, 'electron-builder.yml'));
    await validate(join(root, 'electron-builder.release.yml'));
    const bad = join(work, 'bad.yml');
    writeFileSync(bad, 'appId: x\nlinux:\n  target: 42\n  nonsense: true\n');
    await expect(validate(bad)).rejects.toThrow(/configuration\.linux/);
  }, 60_000);

  it('targets NSIS, MSI, AppImage, deb and dmg with icon, app id, homepage, maintainer and desktop name', () => {
    const cfg = config();
    expect(cfg.appId).toBe('org.linekeeper.console');
    expect(cfg.productName).toBe('Linekeeper');
    expect(cfg.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis', 'msi']);
    expect(cfg.linux.target).toEqual(['AppImage', 'deb']);
    expect(cfg.mac.target.map((t: { target: string }) => t.target)).toEqual(['dmg']);
    expect(readFileSync(join(root, cfg.linux.icon)).subarray(1, 4).toString()).toBe('PNG');
    // The deb and AppImage targets stop without a homepage, and without a maintainer e-mail.
    expect(pkg().homepage).toMatch(/^https:\/\//);
    expect(cfg.linux.maintainer).toMatch(/<[^@>]+@[^>]+>$/);
    expect(pkg().desktopName).toBe(`${cfg.linux.executableName}.desktop`);
    expect(cfg.linux.syncDesktopName).toBe(true);
    // The console's binary must not take the name of the `linekeeper` command in /usr/bin.
    expect(cfg.linux.executableName).not.toBe('linekeeper');
  });

  it('the deb depends on electron-builder defaults plus what the service account needs', () => {
    const FpmTarget = require('app-builder-lib/out/targets/FpmTarget').default;
    const defaults: string[] = FpmTarget.prototype.getDefaultDepends.call({}, 'deb');
    expect(defaults.length).toBeGreaterThan(5);
    const depends: string[] = config().deb.depends;
    for (const d of defaults) expect(depends).toContain(d);
    expect(depends).toContain('passwd');
    // The secret store reaches the desktop keyring through secret-tool.
    expect(depends).toContain('libsecret-tools');
    expect(readFileSync(join(root, 'main', 'store', 'key-protector.ts'), 'utf8')).toMatch(/run\('secret-tool'/);
  });

  it('the MSI keeps its upgrade code; the release config adds the fuses, signing and the update feed to the base', () => {
    expect(config().msi.upgradeCode).toBe('7c1f3a52-8e44-4d2b-9a61-2f5d0b6e4c19');
    const release = yaml.load(readFileSync(join(root, 'electron-builder.release.yml'), 'utf8'));
    expect(release.extends).toBe('./electron-builder.yml');
    expect(release.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
    expect(config().electronFuses).toBeUndefined();
    // Notarisation and signing come from the environment; the update feed is what electron-updater reads.
    expect(release.mac.notarize).toBe(true);
    expect(release.mac.target.map((t: { target: string }) => t.target)).toEqual(['dmg', 'zip']);
    expect(release.mac.extraResources).toEqual(config().mac.extraResources);
    expect(release.publish).toEqual([{ provider: 'generic', url: '${env.LINEKEEPER_UPDATE_URL}' }]);
    expect(config().publish).toBeNull();
  });

  it('the build tooling runs on the .nvmrc Node (22.12 or later), fetched from the npm registry where the machine has an older one', () => {
    const [major, minor] = readFileSync(join(root, '.nvmrc'), 'utf8').trim().split('.').map(Number);
    expect(major > 22 || (major === 22 && minor >= 12)).toBe(true);
    expect(pkg().engines.node).toBe('>=20.19');
    expect(pkg().scripts.dist).toMatch(/node scripts\/node-runtime\.mjs && node scripts\/electron-builder\.mjs -c electron-builder\.release\.yml$/);
    const os = { linux: 'linux', darwin: 'mac', win32: 'win' }[process.platform as 'linux'];
    const runtime = join(work, 'tool-runtime', `${os}-${process.arch}`);
    mkdirSync(runtime, { recursive: true });
    writeFileSync(join(runtime, 'node'), '#!/bin/sh\necho "stand-in node $*"\n');
    chmodSync(join(runtime, 'node'), 0o755);
    const run = spawnSync(process.execPath, ['scripts/electron-builder.mjs', '--version'], { cwd: root, encoding: 'utf8', env: { ...process.env, LINEKEEPER_NODE_RUNTIME: join(work, 'tool-runtime') } });
    const [thisMajor, thisMinor] = process.versions.node.split('.').map(Number);
    if (thisMajor > 22 || (thisMajor === 22 && thisMinor >= 12)) expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    else expect(run.stdout).toMatch(/^stand-in node .*electron-builder[\\/]cli\.js --version$/m);
  });

  it('runtime dependencies are exactly the packages the main bundle loads; renderer libraries and tools are dev-only', () => {
    execFileSync(process.execPath, ['scripts/build.mjs', 'node'], { cwd: root, stdio: 'pipe' });
    const main = readFileSync(join(root, 'out', 'main', 'main.mjs'), 'utf8');
    const external = new Set<string>();
    for (const m of main.matchAll(/^\s*import\s[^;]*?from\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) continue;
      if (spec.startsWith('node:') || spec === 'electron') continue;
      external.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
    expect(Object.keys(pkg().dependencies).sort()).toEqual([...external].sort());
    // Every name main imports from a package exists when Node's ESM loader reads it (CommonJS getters may not).
    const exportsOf: Record<string, string[]> = {};
    for (const m of main.matchAll(/^import\s*\{([^}]*)\}\s*from\s*"([^".][^"]*)";$/gm)) {
      if (m[2] === 'electron' || m[2].startsWith('node:')) continue;
      // Node itself, not Vitest's loader, which names more of a CommonJS module's exports.
      const keys = (exportsOf[m[2]] ??= JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(m[2])}))))`], { cwd: root, encoding: 'utf8' })));
      for (const name of m[1].split(',').map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean)) expect(keys, `${name} from ${m[2]}`).toContain(name);
    }
    const dev = Object.keys(pkg().devDependencies);
    for (const d of ['react', 'react-dom', 'i18next', 'react-i18next', 'zustand', 'vite', 'esbuild', 'tsx', 'electron', 'electron-builder']) expect(dev).toContain(d);
    // The CLI bundle runs outside app.asar, so it may import nothing but Node built-ins.
    const cli = readFileSync(join(root, 'out', 'cli', 'linekeeper.js'), 'utf8');
    const cliImports = [...cli.matchAll(/^\s*import\s[^;]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]).filter((s) => !s.startsWith('node:'));
    expect(cliImports).toEqual([]);
  }, 120_000);
});

describe('a --dir build with a stand-in Electron and Node', () => {
  const out = join(work, 'release');
  const unpacked = join(out, 'linux-unpacked');
  const resources = join(unpacked, 'resources');
  const asar = require('@electron/asar');
  const asarPath = join(resources, 'app.asar');

  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' });
    const dist = join(work, 'electron-dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho stand-in electron\n');
    chmodSync(join(dist, 'electron'), 0o755);
    writeFileSync(join(dist, 'version'), require('electron/package.json').version);
    // The Node runtime the installed command runs on; here the Node running this test stands in for it.
    const runtime = join(work, 'node-runtime', `linux-${process.arch}`);
    mkdirSync(runtime, { recursive: true });
    writeFileSync(join(runtime, 'node'), `#!/bin/sh\nexec "${process.execPath}" "$@"\n`);
    chmodSync(join(runtime, 'node'), 0o755);
    const pack = spawnSync(process.execPath, [require.resolve('electron-builder/cli.js'), '--linux', 'dir', `-c.electronDist=${dist}`, `-c.directories.output=${out}`], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', LINEKEEPER_NODE_RUNTIME: join(work, 'node-runtime') },
    });
    expect(pack.status, `electron-builder failed:\n${pack.stdout}\n${pack.stderr}`).toBe(0);
  }, 300_000);

  it('app.asar holds the built main, preload and renderer, no tests or sources, and stays within the size budget', () => {
    const files: string[] = asar.listPackage(asarPath).map((f: string) => f.replaceAll('\\', '/'));
    for (const f of ['/out/main/main.mjs', '/out/preload/preload.cjs', '/out/renderer/index.html', '/package.json']) expect(files).toContain(f);
    expect(files.filter((f) => /\.(test|spec)\.[cm]?[tj]sx?$/.test(f))).toEqual([]);
    expect(files.filter((f) => /^\/(main|renderer\/src|e2e|test|bench|shared)\//.test(f))).toEqual([]);
    const modules = new Set(files.filter((f) => /^\/node_modules\/[^/]+$/.test(f)).map((f) => f.slice('/node_modules/'.length)));
    for (const dev of ['react', 'react-dom', 'i18next', 'zustand', 'tsx', 'vite']) expect(modules.has(dev)).toBe(false);
    expect(statSync(asarPath).size).toBeLessThan(ASAR_BUDGET_BYTES);
  });

  it('builds React\'s production renderer even when started from a test runner (NODE_ENV=test here)', () => {
    expect(process.env.NODE_ENV).toBe('test');
    const assets = join(root, 'out', 'renderer', 'assets');
    const js = require('node:fs').readdirSync(assets).filter((f: string) => f.endsWith('.js')).map((f: string) => readFileSync(join(assets, f), 'utf8')).join('\n');
    // The production build words its errors by number; the development build carries its warnings.
    expect(js.includes('Minified React error'), 'the renderer carries React\'s production build').toBe(true);
    expect(js.includes('Cannot update a component'), 'the renderer carries React\'s development warnings').toBe(false);
  });

  it('carries the C# of "Locate" on Windows beside both bundles that read it, on every platform Windows included', () => {
    const source = readFileSync(join(root, 'main', 'protocols', 'dhcp', 'DhcpClientApi.cs'), 'utf8');
    // The app's main reads it inside app.asar (Electron's fs does) and hands it to PowerShell on stdin; the command line beside its bundle.
    expect(asar.extractFile(asarPath, 'out/main/DhcpClientApi.cs').toString()).toBe(source);
    expect(readFileSync(join(resources, 'cli', 'DhcpClientApi.cs'), 'utf8')).toBe(source);
    for (const bundle of [asar.extractFile(asarPath, 'out/main/main.mjs').toString(), readFileSync(join(resources, 'cli', 'linekeeper.js'), 'utf8')]) {
      expect(bundle).toMatch(/var CLIENT_API_SOURCE = "DhcpClientApi\.cs";/);
      expect(bundle).toContain('new URL(`./${CLIENT_API_SOURCE}`, import.meta.url)');
    }
    // Windows packs the same: no files or extraResources of its own replace the base's app files and cli/.
    const cfg = config();
    expect(cfg.win.files).toBeUndefined();
    expect(cfg.files).toContain('out/main/**');
    expect(cfg.extraResources).toContainEqual({ from: 'out/cli', to: 'cli' });
    expect(cfg.win.extraResources.map((r: { to: string }) => r.to)).not.toContain('cli');
    // PowerShell reads it from stdin in the console's code page: plain ASCII survives any.
    expect(/^[\x09\x0a\x0d\x20-\x7e]*$/.test(source)).toBe(true);
  });

  it('package.json names a main the build writes, in the checkout (npm start) and in the package', () => {
    expect(existsSync(join(root, pkg().main))).toBe(true);
    const packed = JSON.parse(asar.extractFile(asarPath, 'package.json').toString());
    expect(packed.main).toBe(pkg().main);
    expect(asar.statFile(asarPath, packed.main).size).toBeGreaterThan(1000);
  });

  it('carries the linekeeper command, which runs from the package on its Node', () => {
    const cmd = join(resources, 'bin', 'linekeeper');
    expect(statSync(cmd).mode & 0o111).toBe(0o111);
    // Through a symlink, as /usr/bin/linekeeper calls it.
    const link = join(work, 'usr-bin-linekeeper');
    execFileSync('ln', ['-s', cmd, link]);
    const version = spawnSync(link, ['--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(pkg().version);
    const dataDir = mkdtempSync(join(work, 'data-'));
    for (const name of SERVICES) {
      const notConfigured = spawnSync(link, ['service', 'run', name, '--data-dir', dataDir], { encoding: 'utf8' });
      expect(notConfigured.status, name).toBe(78);
      expect(notConfigured.stderr).toMatch(new RegExp(`service run ${name}: not configured yet.*SERVICE_NOT_CONFIGURED`));
    }
    expect(existsSync(join(resources, 'cli', 'out', 'renderer', 'index.html'))).toBe(true);
    // The packaged command opens the data directory's one secret store and says which protector holds its key.
    const secrets = spawnSync(link, ['secrets', 'status', '--data-dir', dataDir], { encoding: 'utf8', env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: '' } });
    expect(secrets.stdout, secrets.stderr).toMatch(/^protector: keyfile \(the key file\)\nentries: 0\n/);
    expect(statSync(join(dataDir, 'secrets', 'secret.key')).size).toBe(32);
  });

  it.each(SERVICES)('the systemd unit of %s is valid and starts the packaged command', (name) => {
    const unitName = UNIT_NAMES[name].systemd;
    const unit = join(resources, 'services', 'linux', unitName);
    const text = readFileSync(unit, 'utf8');
    expect(text).toMatch(new RegExp(`^ExecStart=/usr/bin/linekeeper service run ${name} --data-dir /var/lib/linekeeper$`, 'm'));
    expect(text).toMatch(/^RestartPreventExitStatus=78$/m);
    expect(text).toMatch(/^User=linekeeper$/m);
    const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (analyze.error) {
      // No systemd here: check the structure the installer relies on instead.
      expect(text).toMatch(/^\[Unit\]$[\s\S]*^\[Service\]$[\s\S]*^\[Install\]$/m);
      return;
    }
    // systemd-analyze checks executables exist, so it runs on a root holding the installed layout.
    const fsRoot = join(work, `root-${name}`);
    mkdirSync(join(fsRoot, 'usr', 'bin'), { recursive: true });
    mkdirSync(join(fsRoot, 'usr', 'lib', 'systemd'), { recursive: true });
    cpSync('/usr/lib/systemd/system', join(fsRoot, 'usr', 'lib', 'systemd', 'system'), { recursive: true, dereference: false, verbatimSymlinks: true });
    copyFileSync(join(resources, 'bin', 'linekeeper'), join(fsRoot, 'usr', 'bin', 'linekeeper'));
    const target = join(fsRoot, 'usr', 'lib', 'systemd', 'system', unitName);
    copyFileSync(unit, target);
    const verify = (file: string) => spawnSync('systemd-analyze', ['verify', `--root=${fsRoot}`, file], { encoding: 'utf8' });
    const good = verify(target);
    expect(`${good.status} ${good.stdout}${good.stderr}`.trim()).toBe('0');
    // The check has teeth: a misspelt setting is reported.
    writeFileSync(target, text.replace('Restart=on-failure', 'Restart=sometimes'));
    expect(verify(target).stderr).toMatch(/Restart|sometimes/);
  });

  it('the deb scripts link /usr/bin/linekeeper to the packaged command, install the unit, and keep the data on removal', () => {
    const values = { executable: config().linux.executableName, sanitizedProductName: 'Linekeeper', productFilename: 'Linekeeper' };
    const install = template('build/services/linux/after-install.sh', values);
    const remove = template('build/services/linux/after-remove.sh', values);
    for (const [name, text] of [['after-install', install], ['after-remove', remove]]) {
      const file = join(work, `${name}.sh`);
      writeFileSync(file, text);
      const syntax = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
      expect(syntax.status, syntax.stderr).toBe(0);
    }
    // Every file the postinst takes from /opt/Linekeeper exists in the package.
    const fromApp = [...install.matchAll(/"\$app\/([^"]+)"/g)].map((m) => m[1]);
    const units = SERVICES.map((n) => UNIT_NAMES[n].systemd);
    expect(fromApp).toEqual(expect.arrayContaining([values.executable, 'resources/bin/linekeeper', ...units.map((u) => `resources/services/linux/${u}`), 'resources/services/linux/50-linekeeper.rules']));
    // chrome-sandbox comes with the real Electron (the stand-in lacks it); the deb target adds the AppArmor profile.
    const addedLater = ['chrome-sandbox', 'resources/apparmor-profile'];
    for (const rel of fromApp.filter((f) => !addedLater.includes(f))) expect(existsSync(join(unpacked, rel)), rel).toBe(true);
    expect(install).toMatch(/ln -sf "\$app\/resources\/bin\/linekeeper" \/usr\/bin\/linekeeper/);
    for (const u of units) expect(install).toContain(`"$app/resources/services/linux/${u}" /usr/lib/systemd/system/${u}\n`);
    expect(install).toContain(`systemctl try-restart ${units.join(' ')} || true`);
    // The admin who installs with sudo joins the group (run with stand-ins for id and usermod), and is told.
    const joinBlock = /^if \[ -n "\$SUDO_USER" \][\s\S]*?^fi$/m.exec(install)![0];
    const fakeBin = mkdtempSync(join(work, 'fake-bin-'));
    writeFileSync(join(fakeBin, 'id'), `#!/bin/sh\n[ "$1" = -nG ] && { echo "$FAKE_GROUPS"; exit 0; }\n[ "$1" = ghost ] && exit 1\nexit 0\n`);
    writeFileSync(join(fakeBin, 'usermod'), `#!/bin/sh\necho "$@" >> "${fakeBin}/usermod.log"\n`);
    for (const f of ['id', 'usermod']) chmodSync(join(fakeBin, f), 0o755);
    const joinAs = (sudoUser: string | undefined, groups = 'anna sudo') => {
      rmSync(join(fakeBin, 'usermod.log'), { force: true });
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${fakeBin}:${process.env.PATH}`, FAKE_GROUPS: groups };
      if (sudoUser === undefined) delete env.SUDO_USER;
      else env.SUDO_USER = sudoUser;
      const r = spawnSync('bash', ['-c', joinBlock], { encoding: 'utf8', env });
      expect(r.status, r.stderr).toBe(0);
      return { said: r.stdout, usermod: existsSync(join(fakeBin, 'usermod.log')) ? readFileSync(join(fakeBin, 'usermod.log'), 'utf8') : '' };
    };
    expect(joinAs('anna')).toEqual({ said: expect.stringMatching(/^Linekeeper: anna is now in the group linekeeper \(from the next login\)/), usermod: '-aG linekeeper anna\n' });
    for (const [user, groups] of [[undefined, ''], ['root', ''], ['ghost', ''], ['anna', 'anna sudo linekeeper']] as const) expect(joinAs(user, groups)).toEqual({ said: '', usermod: '' });
    // Enabled (started at boot) on the first install only; the units do not restart an unconfigured service (78).
    expect(install).toMatch(new RegExp(`if \\[ "\\$1" = configure \\] && \\[ -z "\\$2" \\] && hash systemctl 2>/dev/null; then\\n\\s*systemctl enable ${units.join(' ')} `));
    for (const u of units) {
      const unit = readFileSync(join(resources, 'services', 'linux', u), 'utf8');
      expect(unit).toMatch(/^Restart=on-failure$/m);
      expect(unit).toMatch(/^RestartPreventExitStatus=78$/m);
      expect(unit).toMatch(/^\[Install\]\nWantedBy=multi-user\.target$/m);
    }
    expect(remove).toContain(`systemctl disable --now ${units.join(' ')} >/dev/null`);
    expect(remove).toContain(`rm -f ${units.map((u) => `/usr/lib/systemd/system/${u}`).join(' ')} /usr/share/polkit-1/rules.d/50-linekeeper.rules\n`);
    // The data goes only on purge.
    const purge = remove.slice(remove.indexOf('if [ "$1" = purge ]'));
    expect(remove.indexOf('rm -rf /var/lib/linekeeper')).toBeGreaterThan(remove.indexOf('if [ "$1" = purge ]'));
    expect(purge).toMatch(/rm -rf \/var\/lib\/linekeeper/);
  });
});

describe('the polkit rule of the deb', () => {
  // The rule as polkit runs it (JavaScript with a polkit object), asked as systemd asks for a unit change.
  const decide = (unit: string, verb: string, groups: string[], id = 'org.freedesktop.systemd1.manage-units') => {
    let rule: (action: unknown, subject: unknown) => unknown = () => undefined;
    const polkit = { Result: { YES: 'yes' }, addRule: (r: typeof rule) => (rule = r) };
    new Function('polkit', readFileSync(join(root, 'build', 'services', 'linux', '50-linekeeper.rules'), 'utf8'))(polkit);
    const details: Record<string, string> = { unit, verb };
    return rule({ id, lookup: (k: string) => details[k] }, { isInGroup: (g: string) => groups.includes(g) });
  };

  it('lets the linekeeper group start, stop and restart the services\' units, and nothing else', () => {
    for (const name of SERVICES) for (const verb of ['start', 'stop', 'restart']) expect(decide(UNIT_NAMES[name].systemd, verb, ['linekeeper'])).toBe('yes');
    expect(decide('linekeeper-uacsta.service', 'start', ['users'])).toBeUndefined();
    expect(decide('linekeeper-other.service', 'start', ['linekeeper'])).toBeUndefined();
    expect(decide('linekeeper-mux.service', 'start', ['users'])).toBeUndefined();
    expect(decide('ssh.service', 'stop', ['linekeeper'])).toBeUndefined();
    expect(decide('linekeeper-mux.service', 'enable', ['linekeeper'])).toBeUndefined();
    expect(decide('linekeeper-mux.service', 'start', ['linekeeper'], 'org.freedesktop.login1.reboot')).toBeUndefined();
  });
});

describe('service definitions for Windows and macOS', () => {
  it('the NSIS include compiles with makensis inside a script shaped like electron-builder\'s, and a syntax error fails', () => {
    const version = spawnSync('makensis', ['-VERSION'], { encoding: 'utf8' });
    if (version.error) throw new Error('makensis is missing: run "bash scripts/ensure-system-deps.sh" (Debian package nsis)');
    // electron-builder defines ${isUpdated} and friends with its script generator; they call the StdUtils plugin,
    // which it downloads at build time, so a stand-in with the same answer takes its place here.
    const { NsisScriptGenerator } = require('app-builder-lib/out/targets/nsis/nsisScriptGenerator');
    const flags = new NsisScriptGenerator();
    flags.flags(['updated']);
    const compile = (include: string) => {
      const script = join(work, 'nsis-test.nsi');
      writeFileSync(
        script,
        [
          'Unicode true',
          '!include LogicLib.nsh',
          '!include FileFunc.nsh',
          '!macro lkTestParameter out name',
          '  ${GetParameters} ${out}',
          '  ClearErrors',
          '  ${GetOptions} ${out} "--${name}" ${out}',
          '  IfErrors 0 +3',
          '  StrCpy ${out} "false"',
          '  Goto +2',
          '  StrCpy ${out} "true"',
          '!macroend',
          '!define StdUtils.TestParameter "!insertmacro lkTestParameter"',
          flags.build(),
          'Name "Linekeeper include test"',
          `OutFile "${join(work, 'nsis-test.exe')}"`,
          'InstallDir "$PROGRAMFILES64\\Linekeeper"',
          'RequestExecutionLevel admin',
          'LoadLanguageFile "${NSISDIR}\\Contrib\\Language files\\English.nlf"',
          'LoadLanguageFile "${NSISDIR}\\Contrib\\Language files\\German.nlf"',
          `!include "${include}"`,
          'Function .onInit',
          '  !insertmacro customInit',
          'FunctionEnd',
          'Section "Install"',
          '  !insertmacro customInstall',
          '  WriteUninstaller "$INSTDIR\\Uninstall Linekeeper.exe"',
          'SectionEnd',
          'Section "Uninstall"',
          '  !insertmacro customUnInstall',
          'SectionEnd',
          '',
        ].join('\n'),
      );
      // As electron-builder runs it: warnings are errors, UTF-8 input.
      return spawnSync('makensis', ['-WX', '-V2', '-INPUTCHARSET', 'UTF8', script], { encoding: 'utf8' });
    };
    const nsh = join(root, config().nsis.include);
    const good = compile(nsh);
    expect(good.status, good.stdout + good.stderr).toBe(0);
    const broken = join(work, 'broken.nsh');
    writeFileSync(broken, readFileSync(nsh, 'utf8').replace(/\n\s*\$\{endIf\}\n!macroend\n*$/, '\n!macroend\n'));
    const bad = compile(broken);
    expect(bad.status).not.toBe(0);
  }, 60_000);


  it.each(SERVICES)('the launchd plist of %s parses, runs the command inside the app bundle, and the first-start offer installs it', async (name) => {
    const label = UNIT_NAMES[name].launchd;
    const file = join(root, 'build', 'services', 'macos', `${label}.plist`);
    const lint = spawnSync('plutil', ['-lint', file], { encoding: 'utf8' });
    if (!lint.error) expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    const plist = require('plist').parse(readFileSync(file, 'utf8'));
    expect(plist.Label).toBe(label);
    expect(plist.ProgramArguments).toEqual(['/Applications/Linekeeper.app/Contents/Resources/bin/linekeeper', 'service', 'run', name, '--data-dir', '/Library/Application Support/Linekeeper']);
    // Started at boot; restarted after a crash only, so an unconfigured daemon (exit 78) stays stopped with its code.
    expect(plist.RunAtLoad).toBe(true);
    expect(plist.KeepAlive).toEqual({ Crashed: true });
    // As the Linux units' UMask=0007: the admin group shares what the daemon writes.
    expect(plist.Umask).toBe(7);
    expect(readFileSync(join(root, 'build', 'services', 'linux', UNIT_NAMES[name].systemd), 'utf8')).toMatch(/^UMask=0007$/m);
    expect(plist.EnvironmentVariables).toEqual({ LINEKEEPER_DATA_DIR: '/Library/Application Support/Linekeeper' });
    expect(plist.StandardOutPath).toBe(`/Library/Logs/Linekeeper/${name}.log`);
    const { macInstallScript } = await import('../main/electron/mac-setup');
    const script = macInstallScript('/Applications/Linekeeper.app/Contents/Resources');
    expect(script).toContain(`'/Applications/Linekeeper.app/Contents/Resources/services/macos/${label}.plist' > /Library/LaunchDaemons/${label}.plist`);
    expect(script).toContain(`launchctl bootstrap system /Library/LaunchDaemons/${label}.plist`);
    // The mac package carries the command and the plist where the plist expects them.
    const mac = config().mac.extraResources;
    expect(mac).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'build/bin', to: 'bin' }), expect.objectContaining({ from: 'build/services/macos', to: 'services/macos' })]));
  });

  it('the NSIS include registers the Windows service from the shipped files and removes it only on uninstall', () => {
    const cfg = config();
    expect(cfg.nsis.include).toBe('build/installer.nsh');
    const nsh = readFileSync(join(root, cfg.nsis.include), 'utf8');
    const scripts = [...nsh.matchAll(/\$INSTDIR\\resources\\services\\windows\\([\w-]+\.ps1)/g)].map((m) => m[1]);
    expect(scripts.sort()).toEqual(['install-services.ps1', 'uninstall-services.ps1']);
    for (const s of scripts) expect(existsSync(join(root, 'build', 'services', 'windows', s))).toBe(true);
    expect(nsh).toMatch(/\$\{ifNot\} \$\{isUpdated\}[\s\S]*uninstall-services\.ps1/);
    const install = readFileSync(join(root, 'build', 'services', 'windows', 'install-services.ps1'), 'utf8');
    // Compiled with the C# compiler Windows ships; nothing downloaded.
    expect(install).toMatch(/Microsoft\.NET\\Framework64\\v4\.0\.30319\\csc\.exe/);
    expect(install).not.toMatch(/Invoke-WebRequest|DownloadFile|https?:\/\//);
    // Every service is registered under the name the console asks the service manager for, and removed again.
    const registered = [...install.matchAll(/@\{ Server = '([\w-]+)'; Display = '[^']+'; Description = '[^']+' \}/g)].map((m) => m[1]);
    expect(registered).toEqual([...SERVICES]);
    expect(install).toContain("$name = 'linekeeper-' + $service.Server");
    for (const name of SERVICES) expect(UNIT_NAMES[name].windows).toBe(`linekeeper-${name}`);
    expect(readFileSync(join(root, 'build', 'services', 'windows', 'uninstall-services.ps1'), 'utf8')).toContain(`$names = @(${SERVICES.map((n) => `'${UNIT_NAMES[n].windows}'`).join(', ')})\n`);
    // An update stops each service while its files are replaced, and starts again those that ran before it: .onInit
    // (before the old uninstaller stops them) records them, install-services.ps1 starts them.
    const update = nsh.slice(nsh.indexOf('${else}'));
    for (const name of SERVICES) expect(update).toContain(`nsExec::ExecToLog 'sc.exe stop ${UNIT_NAMES[name].windows}'`);
    const init = nsh.slice(nsh.indexOf('!macro customInit'), nsh.indexOf('!macroend', nsh.indexOf('!macro customInit')));
    expect(init).toContain(`Get-Service -Name ${SERVICES.map((n) => UNIT_NAMES[n].windows).join(',')} -ErrorAction SilentlyContinue | Where-Object Status -eq Running`);
    expect(init).toMatch(/Pop \$0\n\s*Pop \$lkRunning\n/);
    expect(nsh).toContain('install-services.ps1" -InstallDir "$INSTDIR" -Start ",$lkRunning"');
    expect(install).toMatch(/param\(\[Parameter\(Mandatory = \$true\)\]\[string\]\$InstallDir, \[string\]\$Start = ''\)/);
    expect(install).toContain(`$names = @(${SERVICES.map((n) => `'${UNIT_NAMES[n].windows}'`).join(', ')})`);
    expect(install).toMatch(/\$restart = @\(\$Start -split '\[,\\s\]\+' \| Where-Object \{ \$names -contains \$_ \}\)/);
    // Running services are stopped before csc replaces their host, and everything recorded is started at the end.
    expect(install.indexOf('Stop-Service -Name $running.Name')).toBeLessThan(install.indexOf('& $csc'));
    expect(install.trimEnd().split('\n').at(-1)).toBe("foreach ($name in ($restart | Select-Object -Unique)) { Start-Service -Name $name -ErrorAction Continue }");
    // Start at boot (delayed: after the network), for new registrations; an update keeps the admin's start type.
    expect(install).toMatch(/sc\.exe create \$name binPath= \$binPath start= delayed-auto /);
    // The recovery actions are for a crashed host only: a stop with an exit code (78 included) is not restarted.
    expect(install).toMatch(/sc\.exe failureflag \$name 0 /);
    expect(install).not.toMatch(/failureflag \$name 1/);
    const host = readFileSync(join(root, 'build', 'services', 'windows', 'LinekeeperService.cs'), 'utf8');
    // Where Mono's compiler is installed, the host compiles as C# 5, the language of the csc.exe Windows ships.
    const compile = (file: string) => spawnSync('mcs', ['-nologo', '-langversion:5', '-target:exe', `-out:${join(work, 'host.exe')}`, '-reference:System.ServiceProcess.dll', file], { encoding: 'utf8' });
    const compiled = compile(join(root, 'build', 'services', 'windows', 'LinekeeperService.cs'));
    if (!compiled.error) {
      expect(compiled.status, compiled.stdout + compiled.stderr).toBe(0);
      const newer = join(work, 'Newer.cs');
      writeFileSync(newer, host.replace('ServiceName = "linekeeper-" + server;', 'ServiceName = $"linekeeper-{server}";'));
      expect(compile(newer).status).not.toBe(0);
    }
    // The command's exit ends the service with its code as the service's (78: SERVICE_NOT_CONFIGURED in the console),
    // after at most two retries of a failure, and none of 78; the process is not torn down (that would be 1067).
    expect(host).not.toContain('Environment.Exit');
    expect(host).toMatch(/if \(code != 0 && code != NotConfigured && retries < MaxRetries\)/);
    expect(host).toContain('private const int NotConfigured = 78;');
    expect(host).toMatch(/ExitCode = code;\n\s*Stop\(\);/);
    expect(host).toMatch(/service run " \+ server/);
    expect(host).toContain('--stop-on-stdin-end');
    const uninstall = readFileSync(join(root, 'build', 'services', 'windows', 'uninstall-services.ps1'), 'utf8');
    expect(uninstall).toMatch(/if \(\$RemoveData\)/);
    // Uninstall asks before the data goes: No is the default button, a silent uninstall answers No, and only Yes
    // passes -RemoveData (an update never asks).
    const unInstall = nsh.slice(nsh.indexOf('!macro customUnInstall'));
    expect(unInstall).toMatch(/MessageBox MB_YESNO\|MB_ICONQUESTION\|MB_DEFBUTTON2 "\$\(lkRemoveDataQuestion\)" \/SD IDNO IDNO \+2\n\s*StrCpy \$R8 "-RemoveData"\n/);
    expect(unInstall.indexOf('MessageBox')).toBeGreaterThan(unInstall.indexOf('${ifNot} ${isUpdated}'));
    expect(unInstall.indexOf('MessageBox')).toBeLessThan(unInstall.indexOf('${else}'));
    expect(unInstall).toMatch(/uninstall-services\.ps1" -InstallDir "\$INSTDIR" \$R8'/);
    for (const lang of ['1033', '1031']) expect(nsh).toMatch(new RegExp(`^LangString lkRemoveDataQuestion ${lang} "[^"]*%ProgramData%\\\\Linekeeper`, 'm'));
    const win = cfg.win.extraResources;
    expect(win).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'build/bin', to: 'bin' }), expect.objectContaining({ from: 'build/services/windows', to: 'services/windows' })]));
    expect(readFileSync(join(root, 'build', 'bin', 'linekeeper.cmd'), 'utf8')).toMatch(/node\\node\.exe" "%~dp0\.\.\\cli\\linekeeper\.js" %\*/);
  });
});

describe('the MSI registers and removes the services through the msiProjectCreated hook', () => {
  const hook = require(join(root, 'scripts', 'msi-project.cjs'));
  const ejs = require(require.resolve('ejs', { paths: [require.resolve('app-builder-lib')] }));
  /** electron-builder's own WiX template, rendered as its MsiTarget does. */
  const project = (isAssisted: boolean) => {
    const template = readFileSync(require.resolve('app-builder-lib/templates/msi/template.xml'), 'utf8').replace(/{{/g, '<%').replace(/}}/g, '%>').replace(/\${([^}]+)}/g, '<%=$1%>');
    return ejs.compile(template)({
      productName: 'Linekeeper', upgradeCode: config().msi.upgradeCode, version: '1.2.3.0', manufacturer: 'Linekeeper', compressionLevel: 'high', installationDirectoryWixName: 'Linekeeper',
      iconPath: null, iconId: 'icon', isRunAfterFinish: true, isAssisted, isPerMachine: true, menuCategory: null, programFilesId: 'ProgramFiles64Folder',
      isCreateDesktopShortcut: true, isCreateStartMenuShortcut: true, dirs: '', files: '<Component><File Id="mainExecutable" Source="$(var.appDir)\\Linekeeper.exe"/></Component>',
    });
  };

  it.each([true, false])('patches the generated WiX project (assisted installer: %s) with deferred, elevated actions on the shipped scripts', async (assisted) => {
    expect(config().msiProjectCreated).toBe('scripts/msi-project.cjs');
    const file = join(work, `project-${assisted}.wxs`);
    writeFileSync(file, project(assisted));
    await hook.default(file);
    const text = readFileSync(file, 'utf8');
    const lint = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
    if (!lint.error) expect(lint.status, lint.stderr).toBe(0);
    // One sequence table (joining the template's own, when it has the run-after-finish one).
    expect(text.match(/<InstallExecuteSequence>/g)).toHaveLength(1);
    if (!assisted) expect(text).toMatch(/<InstallExecuteSequence>[\s\S]*Action="runAfterFinish"[\s\S]*<\/InstallExecuteSequence>/);
    const action = (id: string) => {
      const m = new RegExp(`<CustomAction Id="${id}" Directory="APPLICATIONFOLDER" ExeCommand="([^"]+)" Execute="deferred" Impersonate="no" Return="(\\w+)"/>`).exec(text);
      const when = new RegExp(`<Custom Action="${id}" (Before|After)="(\\w+)">([^<]+)</Custom>`).exec(text);
      if (!m || !when) throw new Error(`${id} is missing or not deferred and elevated`);
      return { command: m[1].replaceAll('&quot;', '"'), ret: m[2], when: `${when[1]} ${when[2]}`, condition: when[3].replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>') };
    };
    const ps = (script: string, extra = '') => `"[System64Folder]WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -NonInteractive -WindowStyle Hidden -ExecutionPolicy Bypass -File "[APPLICATIONFOLDER]resources\\services\\windows\\${script}" -InstallDir "[APPLICATIONFOLDER]."${extra}`;
    // Install, repair and the new version of an upgrade; a failure fails the installation.
    expect(action('LinekeeperInstallServices')).toEqual({ command: ps('install-services.ps1'), ret: 'check', when: 'Before InstallFinalize', condition: 'NOT REMOVE' });
    // Uninstall removes services and PATH entry, the data only when asked; the old version in an upgrade only stops.
    expect(action('LinekeeperUninstallServices')).toEqual({ command: ps('uninstall-services.ps1'), ret: 'ignore', when: 'Before RemoveFiles', condition: 'REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE AND NOT LINEKEEPER_REMOVE_DATA="1"' });
    expect(action('LinekeeperUninstallServicesAndData')).toEqual({ command: ps('uninstall-services.ps1', ' -RemoveData'), ret: 'ignore', when: 'Before RemoveFiles', condition: 'REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE AND LINEKEEPER_REMOVE_DATA="1"' });
    expect(action('LinekeeperStopServicesForUpdate')).toEqual({ command: ps('uninstall-services.ps1', ' -ForUpdate'), ret: 'ignore', when: 'Before RemoveFiles', condition: 'REMOVE="ALL" AND UPGRADINGPRODUCTCODE' });
    expect(text).toContain('<Property Id="LINEKEEPER_REMOVE_DATA" Secure="yes"/>');
    // The scripts take what the actions pass, and normalise the "\." the actions append.
    const install = readFileSync(join(root, 'build', 'services', 'windows', 'install-services.ps1'), 'utf8');
    const uninstall = readFileSync(join(root, 'build', 'services', 'windows', 'uninstall-services.ps1'), 'utf8');
    expect(uninstall).toMatch(/param\(\[Parameter\(Mandatory = \$true\)\]\[string\]\$InstallDir, \[switch\]\$RemoveData, \[switch\]\$ForUpdate\)/);
    for (const script of [install, uninstall]) expect(script).toContain("$InstallDir = [IO.Path]::GetFullPath($InstallDir).TrimEnd('\\')");
    // An upgrade's stop notes the running services where the new version's install starts them from.
    expect(uninstall).toContain("Set-Content -Path (Join-Path $env:ProgramData 'Linekeeper\\restart-after-update.txt') -Value $running");
    expect(install).toContain("$pending = Join-Path $dataDir 'restart-after-update.txt'");
    // The host install-services.ps1 compiles is no file of the MSI's: the uninstall removes it after the services.
    expect(install).toContain(`$exe = Join-Path $here 'linekeeper-service.exe'`);
    expect(uninstall.indexOf("Remove-Item -Force (Join-Path $InstallDir 'resources\\services\\windows\\linekeeper-service.exe')")).toBeGreaterThan(uninstall.indexOf('sc.exe delete $name'));
    // Run again (electron-builder calls the hook once per architecture on the same text): unchanged.
    await hook.default(file);
    expect(readFileSync(file, 'utf8')).toBe(text);
    const broken = join(work, 'broken.wxs');
    writeFileSync(broken, '<Wix/>');
    await expect(hook.default(broken)).rejects.toThrow(/LINEKEEPER_MSI_PROJECT_UNEXPECTED/);
  });
});

describe('docs/release.md says what the installers do', () => {
  const doc = readFileSync(join(root, 'docs', 'release.md'), 'utf8');
  const file = (...p: string[]) => readFileSync(join(root, 'build', ...p), 'utf8');
  const row = (name: string) => {
    const line = doc.split('\n').find((l) => l.startsWith(`| ${name} |`));
    if (!line) throw new Error(`docs/release.md has no row for ${name}`);
    return [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  };

  it('the table of paths, services and accounts matches the deb, NSIS and macOS scripts', async () => {
    const postinst = file('services', 'linux', 'after-install.sh');
    const unit = file('services', 'linux', 'linekeeper-mux.service');
    const units = (kind: 'systemd' | 'windows' | 'launchd') => SERVICES.map((n) => UNIT_NAMES[n][kind]);
    expect(row('deb')).toEqual(['/opt/Linekeeper/linekeeper-console', '/usr/bin/linekeeper', ...units('systemd'), 'linekeeper', '/var/lib/linekeeper', 'linekeeper']);
    expect(postinst).toContain("app='/opt/${sanitizedProductName}'");
    expect(postinst).toContain('ln -sf "$app/resources/bin/linekeeper" /usr/bin/linekeeper');
    expect(postinst).toContain('install -d -m 2770 -o linekeeper -g linekeeper /var/lib/linekeeper');
    expect(doc).toContain('(mode 2770, group `linekeeper`)');
    expect(unit).toMatch(/^User=linekeeper$/m);

    const install = file('services', 'windows', 'install-services.ps1');
    expect(row('NSIS')).toEqual(['C:\\Program Files\\Linekeeper', 'resources\\bin', ...units('windows'), 'csc.exe', '%ProgramData%\\Linekeeper']);
    expect(install).toContain("$bin = Join-Path $resources 'bin'");
    expect(install).toMatch(/SetEnvironmentVariable\('Path', .*\$bin.*'Machine'\)/);
    expect(file('services', 'windows', 'uninstall-services.ps1')).toMatch(/Where-Object \{ \$_ -and \(\$_ -ne \$bin\) \}/);
    expect(install).toContain("$account = 'NT AUTHORITY\\LocalService'");
    expect(install).toContain("$dataDir = Join-Path $env:ProgramData 'Linekeeper'");
    // SYSTEM, Administrators, LocalService by their well-known SIDs.
    expect(install).toMatch(/'\*S-1-5-18:[^']*F' '\*S-1-5-32-544:[^']*F' '\*S-1-5-19:[^']*M'/);
    expect(doc).toContain('(SYSTEM, Administrators, LocalService)');

    const { macInstallScript } = await import('../main/electron/mac-setup');
    const mac = macInstallScript('/Applications/Linekeeper.app/Contents/Resources');
    expect(row('dmg')).toEqual(['/Applications/Linekeeper.app', '/usr/local/bin/linekeeper', ...units('launchd'), '/Library/Application Support/Linekeeper', 'admin']);
    expect(mac).toContain("ln -sf '/Applications/Linekeeper.app/Contents/Resources/bin/linekeeper' /usr/local/bin/linekeeper");
    expect(mac).toContain("chgrp admin '/Library/Application Support/Linekeeper'");
    expect(mac).toContain("chmod 2770 '/Library/Application Support/Linekeeper'");
    for (const label of units('launchd')) expect(require('plist').parse(file('services', 'macos', `${label}.plist`)).Label).toBe(label);
  });

  it('what the services run, the exit code 78, the polkit rule, the MSI steps and the upgrade code', () => {
    expect(doc).toContain(`The services run ${SERVICES.map((n) => `\`linekeeper service run ${n}\``).join(' and ')}`);
    for (const n of SERVICES) {
      expect(file('services', 'linux', UNIT_NAMES[n].systemd)).toMatch(new RegExp(`^ExecStart=/usr/bin/linekeeper service run ${n} `, 'm'));
      expect(file('services', 'linux', UNIT_NAMES[n].systemd)).toMatch(/^RestartPreventExitStatus=78$/m);
    }
    // the settings each service reads: the multiplexer its own, the uaCSTA server the SIP phone server area's
    expect(doc).toContain('`config/service-mux.json`');
    expect(doc).toContain('`services/mux-tls-*`');
    expect(doc).toContain(`\`config/${UACSTA_SETTINGS_DOC}.json\``);
    expect(doc).not.toMatch(/service-uacsta|uacsta-tls/);
    expect(file('services', 'windows', 'LinekeeperService.cs')).toMatch(/service run " \+ server/);
    expect(doc).toMatch(/exits with 78 until settings are saved/);
    expect(doc).toContain('`50-linekeeper.rules`');
    expect(existsSync(join(root, 'build', 'services', 'linux', '50-linekeeper.rules'))).toBe(true);
    for (const m of doc.matchAll(/-File "C:\\Program Files\\Linekeeper\\resources\\services\\windows\\(install-services\.ps1)" -InstallDir/g)) {
      expect(file('services', 'windows', m[1])).toMatch(/\[Parameter\(Mandatory = \$true\)\]\[string\]\$InstallDir/);
    }
    expect(doc).toMatch(/-File "C:\\Program Files\\Linekeeper\\resources\\services\\windows\\install-services\.ps1" -InstallDir/);
    expect(doc).toContain(`The upgrade code \`${config().msi.upgradeCode}\``);
  });

  it('uninstalling: apt remove keeps the data and purge removes it; the NSIS question is the one the docs quote', () => {
    expect(doc).toMatch(/`apt remove`\s+keeps `\/var\/lib\/linekeeper` \(`apt purge` removes it and the account\)/);
    const postrm = file('services', 'linux', 'after-remove.sh');
    expect(postrm.slice(postrm.indexOf('if [ "$1" = purge ]'))).toMatch(/rm -rf \/var\/lib\/linekeeper[\s\S]*userdel linekeeper/);
    const beforePurge = postrm.slice(0, postrm.indexOf('if [ "$1" = purge ]')).replace(/^#.*$/gm, '');
    expect(beforePurge).not.toMatch(/\/var\/lib\/linekeeper/);
    const nsh = file('installer.nsh');
    const question = /^LangString lkRemoveDataQuestion 1033 "([^$]+)\$/m.exec(nsh)![1];
    expect(doc.replace(/\s+/g, ' ')).toContain(`asks "${question}" with No as the default, and a silent uninstall (\`/S\`) answers No`);
    expect(nsh).toMatch(/MB_DEFBUTTON2 .* \/SD IDNO IDNO \+2/);
    expect(file('services', 'windows', 'uninstall-services.ps1')).toMatch(/if \(\$RemoveData\) \{ Remove-Item -Recurse -Force \(Join-Path \$env:ProgramData 'Linekeeper'\)/);
  });

  it('docs/uacsta.md names the uaCSTA service as the installers register it, and what it reads', () => {
    const uacsta = readFileSync(join(root, 'docs', 'uacsta.md'), 'utf8');
    const section = uacsta.slice(uacsta.indexOf('## As a system service'), uacsta.indexOf('## Not done'));
    const { systemd, windows, launchd } = UNIT_NAMES.uacsta;
    expect(section).toContain(`the systemd unit \`${systemd}\` (deb, user \`linekeeper\`)`);
    expect(file('services', 'linux', systemd)).toMatch(/^User=linekeeper$/m);
    expect(section).toContain(`the Windows service\n\`${windows}\``);
    expect(file('services', 'windows', 'install-services.ps1')).toContain("@{ Server = 'uacsta';");
    expect(section).toContain(`the launchd daemon \`${launchd}\``);
    expect(existsSync(join(root, 'build', 'services', 'macos', `${launchd}.plist`))).toBe(true);
    expect(section).toContain('runs `linekeeper service run uacsta`');
    // one configuration: the document the console's SIP phone server area saves, no second one for the service
    expect(section).toContain(`(\`config/${UACSTA_SETTINGS_DOC}.json\``);
    expect(section).not.toMatch(/service-uacsta|uacsta-tls/);
    expect(section).toMatch(/it exits 78 and is not restarted/);
    expect(file('services', 'linux', systemd)).toMatch(/^ExecStart=\/usr\/bin\/linekeeper service run uacsta --data-dir \/var\/lib\/linekeeper$/m);
  });

  it('an unconfigured service (exit 78) stays stopped under all three service managers, as release.md and multiplexer.md say', () => {
    const flat = (text: string) => text.replace(/\s+/g, ' ');
    const mux = flat(readFileSync(join(root, 'docs', 'multiplexer.md'), 'utf8'));
    expect(flat(doc)).toContain('each exits with 78 until settings are saved (uacsta: and the phone password and client login), and the service managers do not restart it for that.');
    expect(mux).toContain('until settings are saved it exits with 78 and the service manager leaves it stopped (systemd: `RestartPreventExitStatus=78`; Windows: the service host does not retry 78 and stops with it; launchd: `KeepAlive` restarts only after a crash)');
    // systemd: restarts failures, but not 78.
    for (const n of SERVICES) {
      const unit = file('services', 'linux', UNIT_NAMES[n].systemd);
      expect(unit).toMatch(/^Restart=on-failure$/m);
      expect(unit).toMatch(/^RestartPreventExitStatus=78$/m);
    }
    // Windows: the host retries only other codes, then stops with the code; the SCM's recovery is for crashes only.
    const host = file('services', 'windows', 'LinekeeperService.cs');
    expect(host).toContain('code != NotConfigured');
    expect(host).not.toContain('Environment.Exit');
    expect(file('services', 'windows', 'install-services.ps1')).toMatch(/failureflag \$name 0/);
    expect(flat(doc)).toContain('the SCM\'s recovery actions only restart a crashed host');
    // launchd: KeepAlive on a crash only, never on an exit code.
    for (const n of SERVICES) expect(require('plist').parse(file('services', 'macos', `${UNIT_NAMES[n].launchd}.plist`)).KeepAlive).toEqual({ Crashed: true });
    expect(flat(doc)).toContain('launchd restarts a daemon only after a crash (`KeepAlive` `Crashed`), so any exit code, 78 included, leaves it stopped');
  });

  it('signing and notarisation come only from the environment variables the docs list', () => {
    const base = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    const release = readFileSync(join(root, 'electron-builder.release.yml'), 'utf8');
    // No certificate, password or Apple account written into the configuration.
    for (const text of [base, release]) expect(text).not.toMatch(/cscLink|cscKeyPassword|certificateFile|certificatePassword|appleId|teamId/i);
    for (const v of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'WIN_CSC_LINK', 'APPLE_API_KEY', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID', 'LINEKEEPER_UPDATE_URL']) expect(doc).toContain(`\`${v}\``);
    expect(release).toContain('${env.LINEKEEPER_UPDATE_URL}');
  });
});
