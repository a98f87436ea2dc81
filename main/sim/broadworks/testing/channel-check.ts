// After a fuzz run: a well-behaved client still gets a channel, a subscription and the event of a call.
import { XsiChannel, type XsiTransport } from '../../../protocols/xsi/client';

/** Opens a channel over `transport`, subscribes to a user and places a call to it; the event types seen. */
export async function channelSeesCall(transport: XsiTransport, controlUrl: string): Promise<{ placed: number; types: string[] }> {
  const channel = new XsiChannel(transport);
  const types: string[] = [];
  channel.on('event', (e: { type: string }) => types.push(e.type));
  await channel.open();
  await channel.subscribe('user/2010%40sim.test', 'Advanced Call');
  const placed = await fetch(`${controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234', to: '2010' }) });
  const end = Date.now() + 5000;
  while (!types.includes('CallReceivedEvent') && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  await channel.close();
  return { placed: placed.status, types };
}
