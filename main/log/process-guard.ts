/** Where the guard reports: the long-running command's own log (file, console or journald). */
export type ErrorSink = (message: string) => void;

const MAX_DESCRIPTION = 4000;

/** A thrown value as one loggable text: the stack of an Error (it names the message), else its JSON or String. */
export function describeThrown(e: unknown): string {
  let text: string;
  try {
    if (e instanceof Error) text = e.stack ?? `${e.name}: ${e.message}`;
    else if (typeof e === 'object' && e !== null) text = JSON.stringify(e) ?? String(e);
    else text = String(e);
  } catch {
    // A value whose getters or toString throw still gets a line.
    text = Object.prototype.toString.call(e);
  }
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}… (${text.length} characters)` : text;
}

/**
 * The last net of a long-running command (serve, mux, sim): an exception or rejection that escaped every
 * handler is logged with the command's name and the stack, and the process keeps serving. Every socket, HTTP
 * and WebSocket handler already answers or closes its own peer; whatever reaches this is a bug, and one
 * peer's bug must not drop every other peer. Returns the function that removes the handlers again.
 */
export function guardProcess(context: string, sink: ErrorSink): () => void {
  const report = (message: string) => {
    try {
      sink(message);
    } catch {
      // The log itself failed (disk full): stderr is the only place left; throwing here would end the process.
      process.stderr.write(`${message}\n`);
    }
  };
  const onException = (error: unknown, origin: string) =>
    report(`${context}: uncaught exception (${origin}), the process keeps running; please report this: ${describeThrown(error)}`);
  const onRejection = (reason: unknown) =>
    report(`${context}: unhandled promise rejection, the process keeps running; please report this: ${describeThrown(reason)}`);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
