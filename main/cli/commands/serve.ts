import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_OK, parseOptions, parsePort, type CliIO, type Command } from '../command';
import { createServices, type Services } from '../../app/services';
import { createApi } from '../../api';
import { startWebServer } from '../../web/server';
import { rendererDir } from '../../app/paths';
import { resolveDataDir } from '../data-dir';
import { startDemoWithLines } from '../../engine/demo/first-start';
import { guardProcess } from '../../log/process-guard';
import { coded } from '../../../shared/problems';

const usage = `linekeeper serve [--host 127.0.0.1] [--port N] [--data-dir DIR] [--demo]

  --demo  also start the built-in demo PBX (a Panasonic simulator on loopback) and a "Demo PBX" instance; on the
          first start its lines are read into it, and its driver runs while every line gets a licence`;

async function serve(services: Services, io: CliIO, opts: { host: string; port: number; dataDir: string; demo: boolean }): Promise<number> {
  const staticDir = rendererDir();
  if (!existsSync(join(staticDir, 'index.html'))) {
    io.stderr('The console is not built yet, so only the API is served; run "npm run build" first.\n');
  }
  const web = services.logger.child('web');
  let server;
  try {
    server = await startWebServer({ host: opts.host, port: opts.port, dispatch: createApi(services), bus: services.bus, staticDir, log: web });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.stderr(`linekeeper serve: cannot listen on ${opts.host}:${opts.port}: ${err.code ?? ''} ${err.message}\n`);
    return 1;
  }
  services.logger.log('info', 'serve', coded('logApp.serving', { host: opts.host, port: server.port, folder: opts.dataDir }));
  if (opts.demo) {
    const demo = await startDemoWithLines(services);
    const read = (demo.linesRead ? `, ${demo.linesRead} lines read into it` : '') + (demo.driverStarted ? ', driver running' : '');
    io.stdout(`Demo PBX: 127.0.0.1:${demo.port} (${demo.devices} devices, instance "Demo PBX"${read}; calls via ${demo.controlUrl})\n`);
  }
  io.stdout(`Linekeeper console: ${server.url}\n`);
  io.stdout(`Data directory: ${opts.dataDir}\n`);
  await io.stopSignal;
  await server.close();
  return EXIT_OK;
}

/**
 * LINEKEEPER_DHCP_SERVER=host:port sends "Locate" to that DHCP server instead of the broadcast to port 67 (a server
 * behind a relay, or a test's responder); LINEKEEPER_DHCP_CLIENT_PORT is where answers come to (default 68).
 */
function dhcpFromEnv(env: NodeJS.ProcessEnv): { target?: string; serverPort?: number; clientPort?: number } | undefined {
  const m = /^([\d.]{7,15}):(\d{1,5})$/.exec(env.LINEKEEPER_DHCP_SERVER ?? '');
  const client = env.LINEKEEPER_DHCP_CLIENT_PORT;
  if (!m && client === undefined) return undefined;
  return { ...(m ? { target: m[1], serverPort: Number(m[2]) } : {}), ...(client !== undefined && /^\d{1,5}$/.test(client) ? { clientPort: Number(client) } : {}) };
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the console and its API to a browser (prints the URL with its access token)',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      demo: { type: 'boolean', default: false },
    });
    const port = parsePort(values.port, '--port', 0);
    const dataDir = resolveDataDir(values['data-dir']);
    const services = createServices({ dataDir, transport: 'websocket', dhcp: dhcpFromEnv(process.env) });
    const unguard = guardProcess('linekeeper serve', (m) => services.logger.log('error', 'process', coded('logApp.processError', { detail: m })));
    try {
      return await serve(services, io, { host: values.host, port, dataDir, demo: values.demo });
    } finally {
      unguard();
      await services.dispose();
    }
  },
};
