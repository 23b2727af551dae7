import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StartupError } from './startup-error.ts';

/** Binds the server; resolves with the bound port, or rejects with a one-line StartupError. */
export function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(new StartupError(describeListenError(error, port, host), { cause: error }));
    };
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function describeListenError(error: NodeJS.ErrnoException, port: number, host: string | undefined): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} is already in use`;
    case 'EACCES':
      return `port ${port} needs more privileges than this process has`;
    case 'EADDRNOTAVAIL':
      return `HOST '${host ?? ''}' is not an address of this machine`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST '${host ?? ''}' does not resolve to an address`;
    default:
      return `cannot listen on port ${port}: ${error.message}`;
  }
}

/** The URL clients on this machine use to reach a server bound to `host`:`port`. */
export function localUrl(host: string | undefined, port: number): string {
  const anyAddress = host === undefined || host === '0.0.0.0' || host === '::';
  const name = anyAddress ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/**
 * Stops accepting connections, lets in-flight requests finish, and after `timeoutMs` cuts
 * whatever is still open. Idle keep-alive connections are closed as soon as they go idle.
 */
export function closeServer(server: Server, timeoutMs: number): Promise<{ forced: boolean }> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve({ forced: false });
      return;
    }
    let forced = false;
    // A request finishing after close() leaves its connection idle; sweep those promptly.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve({ forced });
    });
    server.closeIdleConnections();
  });
}
