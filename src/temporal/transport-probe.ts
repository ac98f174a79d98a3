import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions as TlsOptions } from 'node:tls';
import type { TemporalConnectionOptions } from '../config/temporal-connection-options';

/**
 * gRPC reports a refused TLS handshake as "failed to connect before the deadline". This probe
 * redoes the handshake with Node's TLS stack, which names the reason: server certificate not
 * trusted or issued for another name, client certificate missing or refused, TLS expected or not.
 * Returns a short diagnosis, or undefined when the transport looks fine.
 */
export async function probeTransport(options: TemporalConnectionOptions, timeoutMs = 3_000): Promise<string | undefined> {
  const { host, port } = splitAddress(options.address);
  const tcp = await attempt<void>(timeoutMs, (done, fail) => {
    const socket = tcpConnect({ host, port }, () => {
      socket.destroy();
      done();
    });
    socket.once('error', fail);
    return () => socket.destroy();
  });
  if (tcp instanceof Error) return `nothing accepts connections there (${(tcp as NodeJS.ErrnoException).code ?? tcp.message})`;
  if (!options.tls) {
    const result = await handshake(host, port, { rejectUnauthorized: false }, timeoutMs);
    return /does not speak TLS|^TLS failed/.test(result) ? undefined : 'the server expects TLS, and temporal.tls is not configured';
  }
  const tls = typeof options.tls === 'object' ? options.tls : {};
  const result = await handshake(
    host,
    port,
    {
      servername: tls.serverNameOverride ?? (isIp(host) ? undefined : host),
      ...(tls.serverRootCACertificate ? { ca: Buffer.from(tls.serverRootCACertificate) } : {}),
      ...(tls.clientCertPair ? { cert: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) } : {}),
      ...(isIp(host) && !tls.serverNameOverride ? { checkServerIdentity: ipIdentityCheck(host) } : {}),
    },
    timeoutMs,
  );
  return result === 'accepted' || result === 'handshake-only' ? undefined : result;
}

/** 'accepted', 'handshake-only', or a sentence saying why the TLS handshake failed. */
type HandshakeResult = string;

/** TLS 1.3 servers judge the client certificate after the handshake: wait for their first bytes or their alert. */
async function handshake(host: string, port: number, extra: TlsOptions, timeoutMs: number): Promise<HandshakeResult> {
  const result = await attempt<HandshakeResult>(timeoutMs, (done, fail) => {
    const socket = tlsConnect({ host, port, ALPNProtocols: ['h2'], ...extra });
    socket.once('secureConnect', () => {
      socket.once('data', () => {
        socket.destroy();
        done('accepted');
      });
      setTimeout(
        () => {
          socket.destroy();
          done('handshake-only');
        },
        Math.min(1_000, timeoutMs / 2),
      );
    });
    socket.once('error', fail);
    socket.once('close', () => fail(new Error('connection closed during the TLS handshake')));
    return () => socket.destroy();
  });
  return result instanceof Error ? describeTlsError(result) : result;
}

function describeTlsError(err: NodeJS.ErrnoException): string {
  const text = `${err.code ?? ''} ${err.message}`;
  if (/CERTIFICATE_REQUIRED|certificate required|PEER_DID_NOT_RETURN_A_CERTIFICATE/i.test(text))
    return 'the server requires a client certificate (mutual TLS): set temporal.tls.clientCertificate and clientKey';
  if (/unknown ca|bad certificate|certificate unknown|UNSUPPORTED_CERTIFICATE|certificate expired|DECRYPT_ERROR|access denied/i.test(text))
    return `the server refused our client certificate (${tlsAlert(text)}): it is not signed by a CA the server trusts, or has expired`;
  if (/ERR_TLS_CERT_ALTNAME_INVALID|altname|Hostname\/IP does not match/i.test(text))
    return 'the server certificate is issued for another name: set temporal.tls.serverName to a name it carries';
  if (/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|unable to get local issuer|CERT_UNTRUSTED|self.signed/i.test(text))
    return 'the server certificate is not signed by a trusted CA: set temporal.tls.caCertificate to the CA that signed it';
  if (/wrong version number|packet length too long|EPROTO|unexpected eof|closed during the TLS handshake/i.test(text))
    return 'the server does not speak TLS there (remove temporal.tls, or check the port)';
  return `TLS failed: ${err.code ?? err.message}`;
}

function tlsAlert(text: string): string {
  const match =
    /alert ([a-z ]+?)(?:[:(]|$)/i.exec(text) ?? /(unknown ca|bad certificate|certificate unknown|certificate expired)/i.exec(text);
  return match ? `TLS alert "${match[1]!.trim().toLowerCase()}"` : 'TLS alert';
}

/** Node checks an IP host against the certificate's IP SANs only when asked to. */
function ipIdentityCheck(ip: string) {
  return (_host: string, cert: { subjectaltname?: string }) => {
    const ips = (cert.subjectaltname ?? '')
      .split(/,\s*/)
      .filter((s) => s.startsWith('IP Address:'))
      .map((s) => s.slice('IP Address:'.length));
    return ips.includes(ip)
      ? undefined
      : Object.assign(new Error(`Hostname/IP does not match certificate's altnames: IP: ${ip}`), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  };
}

function attempt<T>(timeoutMs: number, run: (done: (value: T) => void, fail: (err: Error) => void) => () => void): Promise<T | Error> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: T | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const cleanup = run(
      (v) => finish(v),
      (e) => finish(e),
    );
  });
}

function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(address.slice(at + 1)) };
}

const isIp = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
