import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM file paths of one certificate and its key. */
export interface CertificateFiles {
  certFile: string;
  keyFile: string;
}

export interface TestPki {
  /** The CA that signs the server's and the trusted client's certificates. */
  caFile: string;
  /** Valid for 127.0.0.1, localhost and `serverName`; also the server's own client certificate between its services. */
  server: CertificateFiles;
  serverName: string;
  /** A client certificate the server trusts. */
  client: CertificateFiles;
  /** A well-formed client certificate from another CA: the server must refuse it. */
  strangerClient: CertificateFiles;
}

const SERVER_NAME = 'temporal.lucca-connectors.test';

/** Generates a throw-away PKI with openssl (EC P-256, valid two days) in `dir`. */
export function generateTestPki(dir: string): TestPki {
  const ca = selfSignedCa(dir, 'ca', 'lucca-connectors test CA');
  const stranger = selfSignedCa(dir, 'stranger-ca', 'some other CA');
  const server = signed(
    dir,
    'server',
    SERVER_NAME,
    ca,
    `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${SERVER_NAME}\nextendedKeyUsage=serverAuth,clientAuth`,
  );
  const client = signed(
    dir,
    'client',
    'lucca-connectors worker',
    ca,
    'extendedKeyUsage=clientAuth\nsubjectAltName=DNS:worker.lucca-connectors.test',
  );
  const strangerClient = signed(
    dir,
    'stranger-client',
    'lucca-connectors worker',
    stranger,
    'extendedKeyUsage=clientAuth\nsubjectAltName=DNS:worker.lucca-connectors.test',
  );
  return { caFile: ca.certFile, server, serverName: SERVER_NAME, client, strangerClient };
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function selfSignedCa(dir: string, name: string, commonName: string): CertificateFiles {
  const files = { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
  openssl([
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    files.keyFile,
    '-out',
    files.certFile,
    '-days',
    '2',
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return files;
}

function signed(dir: string, name: string, commonName: string, ca: CertificateFiles, extensions: string): CertificateFiles {
  const files = { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n${extensions}\n`);
  openssl(['req', '-new', ...newKey, '-keyout', files.keyFile, '-out', csr, '-subj', `/CN=${commonName}`]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-out',
    files.certFile,
    '-days',
    '2',
    '-extfile',
    ext,
  ]);
  return files;
}
